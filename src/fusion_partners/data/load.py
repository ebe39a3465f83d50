"""Read and validate the curated data folder: ``capabilities.csv``, ``organisations.csv``
and the optional files (links, memberships, places, the supply map, search synonyms, the
import log and value history), as one :class:`Curated`.

Nothing here writes: :mod:`fusion_partners.data.build` turns a valid :class:`Curated` into
the database.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fusion_partners.data.links import LINKS_FILE, Link, validate_links
from fusion_partners.data.memberships import MEMBERSHIPS_FILE, Membership, validate_memberships
from fusion_partners.data.places import PLACES_FILE, read_places
from fusion_partners.data.roster import Problem, group_rows, leaf_rows, read_csv_rows, split_list
from fusion_partners.data.supply_map import SUPPLY_MAP_FILE, Rule, validate_supply_map
from fusion_partners.data.validation import validate_organisations, validate_taxonomy
from fusion_partners.search.terms import query_key, search_key, search_terms

ORGANISATIONS_FILE = "organisations.csv"
TAXONOMY_FILE = "capabilities.csv"
IMPORTS_FILE = "imports.csv"
SYNONYMS_FILE = "search_synonyms.csv"
HISTORY_FILE = "history.csv"
IMPORT_COLUMNS: tuple[str, ...] = (
    "import_id",
    "file_name",
    "content_hash",
    "imported_at",
    "imported_by",
    "source_urls",
    "council",
    "rows_added",
    "rows_updated",
    "status",
    "undone_at",
    "undone_by",
)
"""Columns of ``imports.csv`` (the import log; optional file)."""
HISTORY_COLUMNS: tuple[str, ...] = (
    "import_id",
    "org_id",
    "action",
    "changed",
    "before",
    "unmapped",
)
"""Columns of ``history.csv`` (earlier values of records an import changed; optional file)."""


@dataclass(frozen=True)
class Curated:
    """Validated curated data as read from a data folder.

    ``rules`` holds the valid rows of ``supply_map.csv`` (see :mod:`fusion_partners.data.supply_map`).
    """

    organisations: list[dict[str, str]]
    taxonomy: list[dict[str, str]]
    problems: list[Problem]
    imports: list[dict[str, str]] = field(default_factory=list)
    history: list[dict[str, str]] = field(default_factory=list)
    places: list[dict[str, str]] = field(default_factory=list)
    """Rows of the optional ``places.csv`` (see :mod:`fusion_partners.data.places`)."""
    rules: list[Rule] = field(default_factory=list)
    synonyms: list[list[str]] = field(default_factory=list)
    """Groups of equivalent search terms (``search_synonyms.csv``), as written."""
    leaves: list[dict[str, str]] = field(default_factory=list)
    """The capability leaves (rows of ``capabilities.csv`` with a parent); ``taxonomy`` holds
    the groups."""
    links: list[Link] = field(default_factory=list)
    """Documented collaborations (``links.csv``, merged)."""
    memberships: list[Membership] = field(default_factory=list)
    """Sourced council memberships (``memberships.csv``)."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def load_curated(data_dir: Path) -> Curated:
    """Read and validate ``capabilities.csv`` and ``organisations.csv`` from ``data_dir``.

    Never raises for bad content: every finding is returned in ``problems``. Missing files
    and undecodable files are reported as whole-file errors.
    """
    problems: list[Problem] = []
    taxonomy: list[dict[str, str]] = []
    organisations: list[dict[str, str]] = []
    tax_path, org_path = data_dir / TAXONOMY_FILE, data_dir / ORGANISATIONS_FILE
    for path in (tax_path, org_path):
        if not path.exists():
            problems.append(Problem(path.name, 0, "", "file is missing"))
    if problems:
        return Curated([], [], problems)
    read: dict[Path, tuple[list[str], list[dict[str, str]]]] = {}
    for path in (tax_path, org_path):
        try:
            read[path] = read_csv_rows(path)
        except (UnicodeDecodeError, csv.Error) as exc:
            problems.append(Problem(path.name, 0, "", f"cannot be read as UTF-8 CSV ({exc})"))
    if problems:
        return Curated([], [], problems)
    (tax_header, tax_rows), (org_header, org_rows) = read[tax_path], read[org_path]
    problems += validate_taxonomy(tax_path.name, tax_header, tax_rows)
    taxonomy = group_rows(tax_rows)
    leaves = leaf_rows(tax_rows)
    slugs = [r.get("slug", "") for r in taxonomy]
    imports = _read_log(data_dir / IMPORTS_FILE, IMPORT_COLUMNS, problems)
    history = _read_log(data_dir / HISTORY_FILE, HISTORY_COLUMNS, problems)
    applied = {i["import_id"] for i in imports if i.get("status") == "applied"}
    awaiting = {
        h["org_id"] for h in history if h.get("action") == "added" and h.get("import_id") in applied
    }
    problems += validate_organisations(
        org_path.name,
        org_header,
        org_rows,
        slugs,
        leaf_slugs=[r["slug"] for r in leaves],
        awaiting_review=awaiting,
    )
    organisations = [r for r in org_rows if r]
    ids = [o.get("id", "") for o in organisations]
    links: list[Link] = []
    table = _read_optional(data_dir / LINKS_FILE, problems)
    if table is not None:
        links, link_problems = validate_links(LINKS_FILE, *table, ids)
        problems += link_problems
    memberships: list[Membership] = []
    table = _read_optional(data_dir / MEMBERSHIPS_FILE, problems)
    if table is not None:
        memberships, membership_problems = validate_memberships(MEMBERSHIPS_FILE, *table, ids)
        problems += membership_problems
    places, place_problems = read_places(data_dir / PLACES_FILE)
    problems += place_problems
    rules: list[Rule] = []
    partner_map = _read_optional(
        data_dir / SUPPLY_MAP_FILE, problems
    )  # without it: no rule-based kinds
    if partner_map is not None:
        rules, map_problems = validate_supply_map(SUPPLY_MAP_FILE, *partner_map, slugs)
        problems += map_problems
    synonyms = _read_synonyms(data_dir / SYNONYMS_FILE, problems)
    return Curated(
        organisations,
        taxonomy,
        problems,
        imports=imports,
        history=history,
        places=places,
        rules=rules,
        synonyms=synonyms,
        leaves=leaves,
        links=links,
        memberships=memberships,
    )


def _read_synonyms(path: Path, problems: list[Problem]) -> list[list[str]]:
    """Groups of the optional ``search_synonyms.csv`` (column ``terms``, ``;``-separated).

    A group needs two terms or more and a term may belong to one group only. A term may be
    several words (``united kingdom``: a query holding those words in that order matches the
    group), but not text a query never yields as written (separators such as ``,`` or
    ``「」``, see :func:`terms.search_terms`): all are reported as errors.
    """
    table = _read_optional(path, problems, ("terms",))
    if table is None:
        return []
    _, rows = table
    groups: list[list[str]] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        terms = split_list(row["terms"])
        keys = [query_key(term) for term in terms]
        if len(set(keys)) < 2:
            problems.append(
                Problem(path.name, line, "terms", "a group needs at least two different terms")
            )
            continue
        for term, key in zip(terms, keys, strict=True):
            if " ".join(search_terms(term)) != search_key(term):
                problems.append(
                    Problem(
                        path.name,
                        line,
                        "terms",
                        f"{term!r} cannot be searched as written (it holds a separator such as , ; 「」)",
                    )
                )
            elif key in seen and seen[key] != line:
                problems.append(
                    Problem(
                        path.name,
                        line,
                        "terms",
                        f"{term!r} is already in the group on line {seen[key]}",
                    )
                )
            seen.setdefault(key, line)
        groups.append(terms)
    return groups


def search_synonyms(data_dir: Path) -> list[list[str]]:
    """The groups of equivalent words in ``data_dir/search_synonyms.csv`` as written (``[]``
    when the file is absent), for matching outside the database (capability suggestions of
    the importer). The build reports problems with the file; here they are left aside."""
    return _read_synonyms(data_dir / SYNONYMS_FILE, [])


def _read_optional(
    path: Path, problems: list[Problem], columns: Sequence[str] = ()
) -> tuple[list[str], list[dict[str, str]]] | None:
    """(header, rows) of an optional CSV, or None when it is absent or unusable.

    An undecodable file or a missing required column is added to ``problems``.
    """
    if not path.exists():
        return None
    try:
        header, rows = read_csv_rows(path)
    except (UnicodeDecodeError, csv.Error) as exc:
        problems.append(Problem(path.name, 0, "", f"cannot be read as UTF-8 CSV ({exc})"))
        return None
    missing = [c for c in columns if c not in header]
    problems += [Problem(path.name, 1, c, "required column is missing") for c in missing]
    return None if missing else (header, rows)


def _read_log(path: Path, columns: Sequence[str], problems: list[Problem]) -> list[dict[str, str]]:
    """Rows of an optional log file (import log, value history); [] when absent."""
    table = _read_optional(path, problems, columns)
    return [r for r in table[1] if r] if table else []
