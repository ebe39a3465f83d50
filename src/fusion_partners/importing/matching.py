"""Which roster record a row of an import is: equal names, possible duplicates, conflicts.

A row merges automatically only into a record with an equal normalised name
(:func:`exact_match`, :func:`text.name_key`) in the same country; other same-country records
that may be the same organisation are :func:`candidates` for the user to decide
(:mod:`fusion_partners.importing.dedupe`'s rules). A row without a country may take the
country of the records its name equals (:func:`country_from_roster`); fields a row states
differently from the record it merges into are :func:`find_conflicts`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypeVar

from fusion_partners.importing.dedupe import NameIndex, distinctive_key, index_organisations
from fusion_partners.importing.plan import RowPlan, note_row
from fusion_partners.importing.request import ImportFile
from fusion_partners.search.text import fold, name_key


def countries_by_name(orgs: Sequence[Mapping[str, str]]) -> dict[str, set[str]]:
    """:func:`text.name_key` of every English and Japanese name → the countries of the
    organisations holding it."""
    out: dict[str, set[str]] = {}
    for org in orgs:
        for col in ("name_en", "name_ja"):
            key = name_key(org.get(col))
            if key:
                out.setdefault(key, set()).add(org["country"])
    return out


def country_from_roster(row: RowPlan, f: ImportFile, countries_of: Mapping[str, set[str]]) -> bool:
    """A row without a country takes the country of the roster organisations its name equals
    (:func:`text.name_key`), when they are all in one country and the name has a distinctive
    part; the row notes it. Returns False when the row must wait for a country."""
    found: set[str] = set()
    for col in ("name_en", "name_ja"):
        name = row.values.get(col, "")
        if name and distinctive_key(name):
            found |= countries_of.get(name_key(name), set())
    if len(found) != 1:
        return False
    row.values["country"] = next(iter(found))
    row.country_from = "roster"
    note_row(row, f, "country_from_roster", fld="country", country=row.values["country"])
    return True


_COMPARED = ("prefecture_or_city", "org_type", "website", "description_en", "membership_class")
"""Single-valued fields compared when a row merges into the record of the same name."""


def find_conflicts(
    row: RowPlan, f: ImportFile, record: Mapping[str, str]
) -> tuple[tuple[str, str, str], ...]:
    """Fields the file states (a mapped column with a value) differently from ``record``
    (compared after :func:`text.fold`), where the record has a value: a merge keeps the
    record's value, so the row warns and offers ``replace``. Names never conflict: a differing
    name becomes an alias."""
    out = []
    for col in _COMPARED:
        mine, theirs = row.values.get(col, ""), record.get(col, "")
        if not f.header_of(col) or not mine or not theirs or fold(mine) == fold(theirs):
            continue
        if col == "org_type" and any(x.field == "org_type" for x in row.findings):
            continue  # the cell was no known type: the default stands in for it
        out.append((col, theirs, mine))
    return tuple(out)


def exact_index(orgs: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    """``(name_key, country)`` → organisation, for English and Japanese names (never an
    empty key: Japanese-only organisations do not meet on their empty English names)."""
    index: dict[tuple[str, str], dict[str, str]] = {}
    for org in orgs:
        for col in ("name_en", "name_ja"):
            key = name_key(org.get(col))
            if key:
                index.setdefault((key, org["country"]), org)
    return index


def candidates(
    values: Mapping[str, str], orgs: Sequence[Mapping[str, str]] | NameIndex, limit: int = 3
) -> list[tuple[str, str, float]]:
    """Existing organisations in the same country that may be the row's organisation.

    The rules are :mod:`fusion_partners.importing.dedupe`'s: names made only of generic words
    ("Fusion", "Energy", "株式会社") are proposed only when equal, never merged on their own;
    otherwise a name whose distinctive part contains, or is contained in, the other's
    ("First Light" / "First Light Fusion Ltd"), or that scores at least
    :data:`dedupe.DUPLICATE_SCORE` with overlapping distinctive parts, is proposed.

    Args:
        values: the row (``name_en``, ``name_ja``, ``country``).
        orgs: organisations, or a :class:`dedupe.NameIndex` of them (faster for many rows).

    Returns:
        ``[(id, name, score)]``, equal names first, then by score (0–100).
    """
    index = orgs if isinstance(orgs, NameIndex) else index_organisations(orgs)
    return [
        (str(m.ref), m.name, m.score)
        for m in index.matches(values.get("country", ""), values, limit)
    ]


_Entry = TypeVar("_Entry")


def exact_match(
    index: Mapping[tuple[str, str], _Entry], values: Mapping[str, str]
) -> tuple[_Entry | None, str]:
    """The entry with an equal name (English first, then Japanese) and the name column used."""
    for col in ("name_en", "name_ja"):
        key = name_key(values.get(col))
        if key and (key, values["country"]) in index:
            return index[(key, values["country"])], col
    return None, ""
