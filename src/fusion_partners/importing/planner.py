"""Plan an import: what each row would do, and the organisations afterwards (nothing written).

:func:`plan` builds every row (:mod:`.rows`), matches it to the roster and to earlier rows of
the file (:mod:`.matching`), applies the user's decisions and merges the importable rows with
:func:`fusion_partners.importing.merge.merge_roster` (the research-roster merge: matching by
normalised name and country, unions of capabilities and sources, a stated membership replacing
"none stated", newer dates and higher confidence winning). The result is a
:class:`fusion_partners.importing.plan.Plan`.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import cast

from fusion_partners.data.load import ORGANISATIONS_FILE
from fusion_partners.data.roster import ORGANISATION_COLUMNS, group_rows, leaf_rows
from fusion_partners.data.validation import validate_organisations
from fusion_partners.importing.capability_match import CapabilityMatcher
from fusion_partners.importing.dedupe import NameIndex, distinctive_key, index_organisations
from fusion_partners.importing.findings import Finding, finding_from_problem
from fusion_partners.importing.matching import (
    candidates,
    countries_by_name,
    country_from_roster,
    exact_index,
    exact_match,
    find_conflicts,
)
from fusion_partners.importing.merge import merge_roster
from fusion_partners.importing.plan import Plan, RowPlan, note_row
from fusion_partners.importing.request import ImportRequest
from fusion_partners.importing.rows import (
    AutoCapabilities,
    build_row,
    capability_terms,
    note_cleaned_cells,
    note_extra_cells,
    roster_label,
    validate_rows,
)
from fusion_partners.search.text import name_key


def plan(
    request: ImportRequest,
    organisations: Sequence[Mapping[str, str]],
    taxonomy: Sequence[Mapping[str, str]],
    *,
    today: dt.date | None = None,
    synonyms: Sequence[Sequence[str]] = (),
) -> Plan:
    """Preview an import: what each row would do, and the organisations afterwards.

    Nothing is written. Rows with errors, undecided possible duplicates and rows the user
    skips are left out of the merge. An existing organisation is merged automatically only
    when its normalised name (:func:`text.name_key`, English or Japanese) and country are
    equal *and* the name has a distinctive part beyond generic words; otherwise a
    same-country organisation found by :func:`candidates` makes the row a ``duplicate`` for
    the user to decide (merge, add or skip).

    Rows of one file that are the same organisation are handled once: a row with the same
    name and country as an earlier row *follows* it (merged into the same record, skipped
    or waiting with it, with a note naming that row); a row that is only close to an earlier
    one is proposed like any possible duplicate, with ``same:<line>`` among the choices.

    When a row states a council membership other than the one its record holds, the record
    keeps its membership (one per organisation), the statement is added to its evidence and
    the row gets a ``membership_conflict`` warning.

    Args:
        request: files, mappings, decisions (``add``, ``skip``, ``merge:<id>``,
            ``same:<line>``) and options.
        organisations: the current ``organisations.csv`` rows.
        taxonomy: the ``capabilities.csv`` rows.
        today: reference date for future-date warnings.
        synonyms: the search synonym groups (:func:`load.search_synonyms`), so capability
            text is suggested with the same equivalents search uses (``超伝導`` → the
            ``超電導`` label).
    """
    before = [dict(o) for o in organisations]
    after = copy.deepcopy(before)
    leaf_slugs = [r["slug"] for r in leaf_rows(taxonomy)]
    taxonomy = group_rows(taxonomy)  # imports map free text to capability groups
    slugs = {r["slug"] for r in taxonomy}
    slug_of = AutoCapabilities(CapabilityMatcher(taxonomy, synonyms), dict(request.capabilities))
    decisions = dict(request.decisions)
    options = request.options
    foreign: set[str] = set()
    all_rows: list[RowPlan] = []
    terms: dict[str, int] = {}
    row_countries = dict(request.countries)
    for fi, f in enumerate(request.files):
        rows = [
            build_row(fi, f, line, cells, slug_of, options, row_countries.get((fi, line), ""))
            for line, cells in f.table.rows
        ]
        note_extra_cells(rows, f)
        note_cleaned_cells(rows, f)
        for term, n in capability_terms(f).items():
            terms[term] = terms.get(term, 0) + n
        validate_rows(rows, f, slugs, today)
        index = exact_index(after)
        near = index_organisations(after)
        countries_of = countries_by_name(after)
        earlier: dict[tuple[str, str], RowPlan] = {}  # name key of this file's rows → first row
        earlier_near = NameIndex()
        by_line: dict[int, RowPlan] = {}
        merging: list[RowPlan] = []
        position: dict[int, int] = {}  # line → position among the merged rows
        row_decisions: dict[int, str] = {}
        for row in rows:
            if row.has_error:
                row.status = "error"
                if (
                    row.values["country"]
                    and not row.values["capabilities"]
                    and exact_match(index, row.values)[0] is None
                ):
                    note_row(row, f, "capability_none", "error", fld="capabilities")
                continue
            values = row.values
            decision = decisions.get((fi, row.line), "")
            if not values["country"] and not country_from_roster(row, f, countries_of):
                row.status = "country"
                note_row(row, f, "country_needed", fld="country")
                continue
            twin, _ = exact_match(earlier, values)
            for col in ("name_en", "name_ja"):
                key = name_key(values.get(col))
                if key:
                    earlier.setdefault((key, values["country"]), row)
            by_line[row.line] = row
            if twin is not None and distinctive_key(twin.name) and distinctive_key(row.name):
                row.follows = twin.line
                note_row(
                    row,
                    f,
                    "same_org",
                    fld="name_en" if values["name_en"] else "name_ja",
                    line=twin.line,
                )
                if twin.line in position and decision != "skip":
                    row_decisions[len(merging)] = f"same:{position[twin.line]}"
                    position[row.line] = len(merging)
                    merging.append(row)
                else:
                    row.status = (
                        "skipped" if twin.status == "skipped" or decision == "skip" else "duplicate"
                    )
                    row.candidates = twin.candidates
                continue
            exact, via = exact_match(index, values)
            found = candidates(values, near)
            row.same_as = tuple(
                (cast(int, m.ref), m.name, m.score)  # earlier_near files rows by line
                for m in earlier_near.matches(values["country"], values)
                if m.ref != row.line
            )
            earlier_near.add(row.line, values["country"], values)
            auto = exact is not None and bool(distinctive_key(values[via]))
            if auto and decision not in ("skip", "replace"):
                decision = (
                    ""  # the same organisation by name and country: "add" must not add it twice
                )
            if not auto and (exact is not None or found):
                if exact is not None and exact["id"] not in {c[0] for c in found}:
                    found.insert(0, (exact["id"], exact["name_en"] or exact["name_ja"], 100.0))
                row.candidates = tuple(found)
            if auto and exact is not None:
                row.same_as = ()
                row.conflicts = find_conflicts(row, f, exact)
                if row.conflicts and decision != "replace":  # kept, said, and the user may replace
                    note_row(
                        row,
                        f,
                        "differs",
                        fld=row.conflicts[0][0],
                        org=exact["id"],
                        values="; ".join(
                            f"{f.header_of(c)}: {theirs} → {mine}"
                            for c, theirs, mine in row.conflicts
                        ),
                    )
                if decision == "keep":
                    decision = ""
            elif decision in ("keep", "replace"):
                decision = ""
            if (row.candidates or row.same_as) and not decision:
                row.status = "duplicate"
                continue
            if decision == "skip":
                row.status = "skipped"
                continue
            if decision.startswith("same:"):
                target = by_line.get(
                    int(decision[len("same:") :]) if decision[5:].isdigit() else -1
                )
                if target is None or target.line not in position:
                    row.status = "duplicate"  # waits until that row can be imported
                    note_row(row, f, "waits_for", line=decision[5:])
                    continue
                decision = f"same:{position[target.line]}"
            if (
                not values["capabilities"]
                and not auto
                and not decision.startswith(("merge:", "same:"))
            ):
                row.status = "error"  # it would be a new record, and a record needs a capability
                note_row(row, f, "capability_none", "error", fld="capabilities")
                continue
            if decision:
                row_decisions[len(merging)] = decision
            position[row.line] = len(merging)
            merging.append(row)
        report = merge_roster(
            after,
            [r.values for r in merging],
            roster_label(f.table.file_name),
            foreign_sourced=foreign,
            decisions=row_decisions,
            note_conflicts=True,
            keep_names=True,
        )
        status = {
            "added": "new",
            "updated": "update",
            "unchanged": "unchanged",
            "skipped": "skipped",
        }
        for outcome in report.rows:
            row = merging[outcome.position]
            row.status = status[outcome.action]
            row.org_id = outcome.org_id
            row.changed = outcome.changed
            if "aliases" in outcome.changed:
                note_row(
                    row,
                    f,
                    "alias_added",
                    fld="name_en" if row.values["name_en"] else "name_ja",
                    org=outcome.org_id,
                    name=" / ".join(n for n in (row.values["name_en"], row.values["name_ja"]) if n),
                )
            if outcome.membership_conflict:
                held, stated = outcome.membership_conflict
                note_row(
                    row,
                    f,
                    "membership_conflict",
                    fld="membership",
                    held=held,
                    stated=stated,
                    org=outcome.org_id,
                )
        all_rows += rows
    result = Plan(all_rows, before, after, terms=terms)
    for f in request.files:
        for row_line, kind, physical in f.table.warnings:
            result.findings.append(
                Finding(
                    f.table.file_name,
                    row_line,
                    "",
                    f"upload.warning.{kind}",
                    (("row", str(row_line)), ("line", str(physical))),
                    "warning",
                )
            )
    if result.changes:
        # Records no curator has completed yet (no role, no offer: new rows of an import) may lack
        # their Japanese description: a warning, so an import is never blocked by it.
        problems = validate_organisations(
            ORGANISATIONS_FILE,
            ORGANISATION_COLUMNS,
            after,
            slugs,
            today=today,
            leaf_slugs=leaf_slugs,
        )
        touched = set(result.added) | set(result.updated)
        for p in problems:
            if p.severity == "error":
                result.findings.append(finding_from_problem(p, ORGANISATIONS_FILE, 0, ""))
            elif p.row >= 2 and after[p.row - 2]["id"] in touched:
                result.findings.append(finding_from_problem(p, ORGANISATIONS_FILE, 0, ""))
    return result
