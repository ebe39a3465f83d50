"""Merge roster rows into organisation records: matching, new stable ids, merged values.

Each roster row either matches an existing organisation (same normalised name and country,
see :func:`text.name_key`) and is merged into it (:func:`merge_record`), or becomes a new
organisation with a new stable ``id`` (:func:`make_id`). Existing ids never change. Nothing is
invented: merged records take the union of capabilities and sources, membership only where a
row states it, the newest source date and the higher confidence (:func:`merge_roster`).
Used by the research-roster curation (:mod:`fusion_partners.importing.curate`) and the importer.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fusion_partners.data.roster import (
    CONFIDENCE_RANK,
    ORGANISATION_COLUMNS,
    ROSTER_COLUMNS,
    Problem,
    parse_source_date,
    split_list,
)
from fusion_partners.search.reading import slugify
from fusion_partners.search.text import fold, name_key, strip_corporate_forms


@dataclass(frozen=True)
class RowOutcome:
    """What happened to one roster row in :func:`merge_roster`.

    Attributes:
        position: index of the row among the (non-empty) rows given.
        action: ``added``, ``updated``, ``unchanged`` or ``skipped``.
        org_id: the organisation added or merged into (``""`` when skipped).
        changed: the columns that changed (for ``updated``).
    """

    position: int
    action: str
    org_id: str
    changed: tuple[str, ...] = ()
    membership_conflict: tuple[str, str] | tuple[()] = ()
    """``(held, stated)`` when the row states a council membership other than the one the
    record holds; the record keeps ``held`` (one membership per organisation)."""


@dataclass
class MergeReport:
    """What a merge did: ids added, ids updated (with changed fields), unchanged count."""

    added: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    rows: list[RowOutcome] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            f"added {len(self.added)}, updated {len(self.updated)}, unchanged {self.unchanged}"
        ]
        lines += [f"  + {oid}" for oid in self.added]
        lines += [f"  ~ {oid}: {', '.join(cols)}" for oid, cols in self.updated.items()]
        lines += [f"  ! {p}" for p in self.problems]
        return "\n".join(lines)


def make_id(name: str, country: str, taken: set[str]) -> str:
    """A new stable id: the name without corporate forms, slugified.

    ``name`` is the English name, or the Japanese name when there is no English one: it is
    romanised (Hepburn, pykakasi) only to build the id (``株式会社さくら核融合`` →
    ``sakura-kakuyuugou``; kanji variants pykakasi cannot read are read as their common form,
    ``㈱髙田製作所`` → ``takada-seisakusho``); the romanisation is never stored as a name. On a clash the ISO
    country code is appended, then a counter. Raises ``ValueError`` when the name has no
    usable characters.
    """
    plain = strip_corporate_forms(unicodedata.normalize("NFKC", name).casefold())
    plain = re.sub(r"[\s&,]+$", "", plain)
    base = slugify(plain or name)
    candidate = base
    if candidate in taken:
        candidate = f"{base}-{country.lower()}"
    n = 2
    while candidate in taken:
        candidate = f"{base}-{country.lower()}-{n}"
        n += 1
    return candidate


def _merge_list(old: str, new: str, sep: str | None) -> str:
    items = split_list(old, sep)
    items += [x for x in split_list(new, sep) if x not in items]
    return (sep or " ").join(items)


def _newer_date(a: str, b: str) -> str:
    if not a or not b:
        return a or b
    try:
        date_a, date_b = parse_source_date(a), parse_source_date(b)
    except ValueError:
        return a
    if date_a is None or date_b is None:  # only for empty text, handled above
        return a or b
    return a if date_a >= date_b else b


DESCRIPTIVE_COLUMNS = ("name_en", "prefecture_or_city", "org_type", "website", "description_en")


def _alias_key(name: str) -> str:
    return re.sub(r"[\s\-~.,'’\"&/()・:;!?]+", "", fold(name))


def add_alias(current: dict[str, str], name: str) -> bool:
    """Add ``name`` to the record's ``aliases`` (``;``-separated) unless the record already
    carries it: as its English or Japanese name or an alias, compared after :func:`text.fold`
    (widths, case, kana) without spaces and punctuation, so ``ＫＹＯＴＯ`` is ``Kyoto`` and
    ``Ltd.`` is ``Ltd``, but ``Kyoto Fusioneering Ltd.`` is not ``Kyoto Fusioneering``.
    Returns True when added."""
    name = (name or "").strip().replace(";", ",")
    if not name:
        return False
    aliases = split_list(current.get("aliases", ""), ";")
    held = {
        _alias_key(v)
        for v in (current.get("name_en", ""), current.get("name_ja", ""), *aliases)
        if v
    }
    if _alias_key(name) in held:
        return False
    current["aliases"] = ";".join([*aliases, name])
    return True


def merge_record(
    current: dict[str, str],
    incoming: dict[str, str],
    roster: str,
    *,
    prefer_incoming: bool = False,
    keep_names: bool = False,
) -> list[str]:
    """Merge ``incoming`` (a roster row) into ``current`` in place.

    Rules: empty fields are filled (an English name found for a Japanese-only record, say); capabilities, source URLs and rosters are unioned in
    order; evidence texts are joined with `` | ``; a stated membership replaces ``other``
    (a different stated membership is kept as it is and reported by validation); the newer
    source date and the higher confidence win. Names, type, place, website and description
    keep the current value when both are present, unless ``prefer_incoming`` (the incoming
    row comes from the organisation's home-country roster and the current one did not).
    With ``keep_names`` a name of the row that the record does not carry (an English or
    Japanese name written differently: ``KYOTO FUSIONEERING Co., Ltd.`` for ``Kyoto
    Fusioneering``) becomes an alias (:func:`add_alias`), so a merge never drops it.

    Returns:
        The names of the columns that changed.
    """
    before = dict(current)
    if prefer_incoming:
        for col in DESCRIPTIVE_COLUMNS:
            if incoming.get(col):
                current[col] = incoming[col]
    for col in (
        "name_en",
        "name_ja",
        "prefecture_or_city",
        "website",
        "description_en",
        "membership_class",
    ):
        if not current.get(col) and incoming.get(col):
            current[col] = incoming[col]
    if current.get("membership") == "other" and incoming.get("membership") not in (
        "",
        "other",
        None,
    ):
        current["membership"] = incoming["membership"]
        if incoming.get("membership_class"):
            current["membership_class"] = incoming["membership_class"]
    current["capabilities"] = _merge_list(
        current["capabilities"], incoming.get("capabilities", ""), ";"
    )
    current["source_urls"] = _merge_list(
        current["source_urls"], incoming.get("source_urls", ""), None
    )
    new_ev = incoming.get("evidence", "")
    if new_ev and new_ev not in current.get("evidence", ""):
        current["evidence"] = (
            f"{current['evidence']} | {new_ev}" if current.get("evidence") else new_ev
        )
    current["source_date"] = _newer_date(
        current.get("source_date", ""), incoming.get("source_date", "")
    )
    if CONFIDENCE_RANK.get(incoming.get("confidence", ""), 0) > CONFIDENCE_RANK.get(
        current.get("confidence", ""), 0
    ):
        current["confidence"] = incoming["confidence"]
    current["rosters"] = _merge_list(current.get("rosters", ""), roster, ";")
    if keep_names:  # the row's name, or the record's name it replaced, stays as an alias
        for col in ("name_en", "name_ja"):
            for name in (incoming.get(col, ""), before.get(col, "")):
                if name and current.get(col) and name != current[col]:
                    add_alias(current, name)
    return [c for c in ORGANISATION_COLUMNS if before.get(c, "") != current.get(c, "")]


def roster_home(rows: Iterable[dict[str, str]]) -> str:
    """The most common country code in a roster (its home country), ``""`` when empty."""
    counts = Counter(r["country"] for r in rows if r)
    return counts.most_common(1)[0][0] if counts else ""


def merge_roster(
    organisations: list[dict[str, str]],
    rows: Iterable[dict[str, str]],
    roster: str,
    *,
    foreign_sourced: set[str] | None = None,
    decisions: Mapping[int, str] | None = None,
    note_conflicts: bool = False,
    keep_names: bool = False,
) -> MergeReport:
    """Merge research-roster ``rows`` into ``organisations`` (in place).

    Matching is by (:func:`text.name_key` of the English name, country); the Japanese name
    is also tried when both sides have one. An empty name never matches anything (two
    Japanese-only organisations do not meet on their empty English names). Rows are
    expected to be valid roster rows (an English or a Japanese name, or both).

    ``decisions`` overrides matching per row position (index among the non-empty rows):
    ``"add"`` (a new organisation even if names match), ``"skip"`` (leave the row out) or
    ``"merge:<id>"`` (merge into that existing organisation; an unknown id skips the row) or
    ``"same:<position>"`` (the same organisation as that earlier row of ``rows``: merged into
    whatever record that row went to; matched normally when that row was left out) or
    ``"replace"`` (matched normally, the row's names, type, place, website and description
    replacing the record's; with ``keep_names`` the record's old name becomes an alias).
    ``keep_names`` is passed to :func:`merge_record` (differing names become aliases).
    The report's ``rows`` says what happened to each row.

    A record keeps one council membership: a row stating another one (a J-Fusion member in
    The Fusion Cluster's list) leaves the membership as it is and is reported in the row's
    ``membership_conflict``; with ``note_conflicts`` the statement is also appended to the
    record's evidence, so it is not lost (the importer does this; the research-roster
    curation does not, to reproduce the curated file).

    ``foreign_sourced`` holds ids whose descriptive fields came from a roster of another
    home country during this run; a later row from the organisation's home roster replaces
    them (see :func:`merge_record`). The set is updated in place.
    """
    rows = [r for r in rows if r]
    home = roster_home(rows)
    foreign_sourced = foreign_sourced if foreign_sourced is not None else set()
    report = MergeReport()
    index: dict[tuple[str, str], dict[str, str]] = {}
    for org in organisations:
        if name_key(org.get("name_en")):
            index[(name_key(org["name_en"]), org["country"])] = org
        if name_key(org.get("name_ja")):
            index.setdefault((name_key(org["name_ja"]), org["country"]), org)
    taken = {o["id"] for o in organisations}
    by_id = {o["id"]: o for o in organisations}
    decisions = decisions or {}
    outcomes: dict[int, RowOutcome] = {}
    for position, row in enumerate(rows):
        key = (name_key(row.get("name_en")), row["country"])
        ja_key = (name_key(row.get("name_ja")), row["country"])
        decision = decisions.get(position, "")
        if decision == "skip":
            report.rows.append(RowOutcome(position, "skipped", ""))
            continue
        if decision.startswith("merge:"):
            match = by_id.get(decision[len("merge:") :])
            if match is None:
                report.rows.append(RowOutcome(position, "skipped", ""))
                continue
        elif decision == "add":
            match = None
        elif decision == "replace":
            match = (index.get(key) if key[0] else None) or (
                index.get(ja_key) if ja_key[0] else None
            )
        elif decision.startswith("same:"):
            earlier = outcomes.get(int(decision[len("same:") :]))
            match = by_id.get(earlier.org_id) if earlier is not None and earlier.org_id else None
            if match is None:  # the earlier row was left out: this one stands on its own
                match = (index.get(key) if key[0] else None) or (
                    index.get(ja_key) if ja_key[0] else None
                )
        else:
            match = index.get(key) if key[0] else None
            if match is None and ja_key[0]:
                match = index.get(ja_key)
        if match is None:
            new = {c: row.get(c, "") for c in ROSTER_COLUMNS}
            new["capabilities"] = ";".join(split_list(new["capabilities"]))
            new["source_urls"] = " ".join(split_list(new["source_urls"], None))
            new["id"] = make_id(row.get("name_en") or row.get("name_ja", ""), row["country"], taken)
            new["rosters"] = roster
            taken.add(new["id"])
            if row["country"] != home:
                foreign_sourced.add(new["id"])
            organisations.append(new)
            by_id[new["id"]] = new
            if key[0]:
                index.setdefault(key, new)
            if ja_key[0]:
                index.setdefault(ja_key, new)
            report.added.append(new["id"])
            outcome = RowOutcome(position, "added", new["id"])
            report.rows.append(outcome)
            outcomes[position] = outcome
            continue
        prefer = (
            match["id"] in foreign_sourced and row["country"] == home
        ) or decision == "replace"
        if prefer:
            foreign_sourced.discard(match["id"])
        held, stated = match.get("membership", ""), row.get("membership", "")
        conflict = (
            (held, stated)
            if held not in ("", "other") and stated not in ("", "other", held)
            else ()
        )
        if conflict and note_conflicts:
            row = {
                **row,
                "evidence": _join_evidence(
                    row.get("evidence", ""), membership_statement(stated, held, roster)
                ),
            }
        changed = merge_record(match, row, roster, prefer_incoming=prefer, keep_names=keep_names)
        if changed:
            report.updated.setdefault(match["id"], [])
            report.updated[match["id"]] += [
                c for c in changed if c not in report.updated[match["id"]]
            ]
            outcome = RowOutcome(position, "updated", match["id"], tuple(changed), conflict)
        else:
            report.unchanged += 1
            outcome = RowOutcome(position, "unchanged", match["id"], (), conflict)
        report.rows.append(outcome)
        outcomes[position] = outcome
    return report


def _join_evidence(first: str, second: str) -> str:
    return f"{first} | {second}" if first and second not in first else (first or second)


def membership_statement(stated: str, held: str, roster: str) -> str:
    """Evidence text recording a council membership the record cannot hold.

    Example: ``"listed as The Fusion Cluster in cluster_members (membership not recorded:
    the record keeps J-Fusion, one membership per organisation)"``.
    """
    from fusion_partners.i18n import t

    def label(code: str) -> str:
        return t(f"membership.{code}", "en") if code in ("j_fusion", "fusion_cluster") else code

    return (
        f"listed as {label(stated)} in {roster} (membership not recorded: the record keeps "
        f"{label(held)}, one membership per organisation)"
    )
