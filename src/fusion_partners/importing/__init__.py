"""Import member lists and rosters: read, map, preview (plan), write (apply) and undo.

An import takes one or more files read by :mod:`.upload`, a confirmed column mapping,
confirmed capability mappings, the user's decisions on possible duplicates and file-wide
options (source URL, council member list) — an :class:`.request.ImportRequest` — and

* **plans** it without writing anything (:func:`.planner.plan`): every row becomes ``new``,
  ``update`` (with the changed columns), ``unchanged``, ``duplicate`` (a possible match the
  user must decide: merge, add or skip), ``country`` (waits for a country), ``skipped`` or
  ``error``, with findings per column (:class:`.plan.Plan`, shown by :mod:`.preview`);
* **applies** it in one crash-safe transaction (:func:`.apply.apply`, see
  :mod:`fusion_partners.data.transaction`): the curated ``organisations.csv``, the import log
  ``imports.csv``, the value history ``history.csv`` and the database change together, or not
  at all;
* **undoes** the last applied import (:func:`.undo.undo_last`) from the value history.

The merge itself is :func:`.merge.merge_roster` (the research-roster merge, also used by
:mod:`.curate`): matching by normalised name and country, unions of capabilities and sources, a
stated membership replacing "none stated", newer dates and higher confidence winning.

The Import page goes through :mod:`.service`; the command line is :mod:`.cli`
(``python -m fusion_partners.importing.cli --help``).
"""
