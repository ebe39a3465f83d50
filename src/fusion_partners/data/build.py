"""Build the DuckDB database from the curated CSVs (a separate step, never in the app).

Command line::

    python -m fusion_partners.data.build [--data-dir DIR] [--db PATH] [--check]

``--check`` validates only. The build validates first and stops on any error, printing
every problem with file, row, column and reason. It writes a new file next to the target
and renames it into place, so readers never see a half-built database.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pyarrow as pa

from fusion_partners import config
from fusion_partners.data import recovery
from fusion_partners.data.links import LINKS_FILE, Link, validate_links
from fusion_partners.data.memberships import (
    MEMBERSHIPS_FILE,
    Membership,
    membership_sets,
    validate_memberships,
)
from fusion_partners.data.partner_rules import implied_needs
from fusion_partners.data.places import PLACES_FILE, read_places
from fusion_partners.data.roster import (
    CONFIDENCE_RANK,
    Problem,
    ValidationError,
    group_rows,
    leaf_rows,
    parse_source_date,
    read_csv_rows,
    split_list,
    validate_organisations,
    validate_taxonomy,
)
from fusion_partners.data.supply_map import SUPPLY_MAP_FILE, Rule, validate_supply_map
from fusion_partners.db import connect_writable
from fusion_partners.search.text import (
    expand_corporate_abbreviations,
    fold,
    has_japanese_script,
    japanese_sort_key,
    kana_reading,
    match_key,
    query_key,
    romanise,
    search_key,
    search_terms,
)

ORGANISATIONS_FILE = "organisations.csv"
TAXONOMY_FILE = "capabilities.csv"
SCHEMA_FILE = "schema.sql"
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
    ``「」``, see :func:`text.search_terms`): all are reported as errors.
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


def _search_fields(org: dict[str, str]) -> tuple[list[str], str]:
    """Name keys and the search text of one organisation (capability labels are matched
    through ``capabilities.label_key`` and the ``cap_mask`` bits instead, see
    :func:`filters.conditions`, which keeps the text to scan short).

    The name keys are the English and Japanese names, the readings of the Japanese name
    (romanised and in hiragana: ``ふるかわ`` finds 古河電気工業) and the aliases, each in the form
    of a whole query (:func:`text.query_key`: symbols and punctuation at the ends of words
    dropped, punctuation between words a space), so a name typed as written equals its key.
    The names are also kept as written (folded, corporate forms and punctuation kept, for a
    query of nothing but those); the other fields are in :func:`text.search_form`, as the
    words of a query are.
    """
    core_ja = match_key(org.get("name_ja"))  # readings without 株式会社 etc.
    kana = kana_reading(core_ja) if has_japanese_script(core_ja) else ""
    names = [
        query_key(org["name_en"]),
        query_key(org.get("name_ja")),
        query_key(romanise(core_ja)),
        query_key(kana),
        *(query_key(a) for a in split_list(org.get("aliases", ""))),
    ]
    name_keys = [n for i, n in enumerate(names) if n and n not in names[:i]]
    fields = [
        *name_keys,
        # as written, with corporate forms (㈱ written out) and punctuation, so a search of
        # nothing but 株式会社, ㈱, "_" or "&" still finds the names written with it
        expand_corporate_abbreviations(fold(org["name_en"])),
        expand_corporate_abbreviations(fold(org.get("name_ja"))),
        search_key(org.get("prefecture_or_city")),
        search_key(org.get("description_en")),
        search_key(org.get("description_ja")),
        search_key(org.get("evidence")),
    ]
    return name_keys, "\n".join(f for f in fields if f)


def organisation_table(curated: Curated) -> pa.Table:
    """Arrow table of organisations with the derived columns of ``schema.sql``.

    A record's capability groups are those of its ``capabilities`` column plus the groups of
    its offers, so a leaf offered always shows under its group. ``membership`` holds the first
    of the record's memberships (J-Fusion before The Fusion Cluster), ``memberships`` all.
    """
    order = {r["slug"]: i for i, r in enumerate(curated.taxonomy)}  # also the capability's bit
    leaf_order = {r["slug"]: i for i, r in enumerate(curated.leaves)}
    parent = {r["slug"]: r["parent"] for r in curated.leaves}
    sets = membership_sets(curated.organisations, curated.memberships)
    cols: dict[str, list] = {
        name: []
        for name in (
            "id",
            "name_en",
            "name_ja",
            "country",
            "prefecture_or_city",
            "org_type",
            "membership",
            "membership_class",
            "website",
            "capabilities",
            "cap_mask",
            "description_en",
            "evidence",
            "source_urls",
            "source_date",
            "source_date_start",
            "confidence",
            "confidence_rank",
            "rosters",
            "name_keys",
            "search_text",
            "sort_ja",
            "roles",
            "offers",
            "needs",
            "implied_needs",
            "aliases",
            "description_ja",
            "facet_basis",
            "memberships",
        )
    }
    for org in curated.organisations:
        offers = sorted(split_list(org.get("offers", "")), key=lambda s: leaf_order.get(s, 999))
        needs = sorted(split_list(org.get("needs", "")), key=lambda s: leaf_order.get(s, 999))
        caps = split_list(org["capabilities"])
        caps = sorted(
            dict.fromkeys([*caps, *(parent[o] for o in offers if o in parent)]),
            key=lambda s: order.get(s, 999),
        )
        councils = [m.council for m in sets.get(org["id"], [])]
        name_keys, search_text = _search_fields(org)
        values = {
            **{
                k: (org.get(k) or None)
                for k in (
                    "id",
                    "name_en",
                    "name_ja",
                    "country",
                    "prefecture_or_city",
                    "org_type",
                    "membership_class",
                    "website",
                    "description_en",
                    "evidence",
                    "source_date",
                    "confidence",
                    "description_ja",
                    "facet_basis",
                )
            },
            "membership": councils[0] if councils else "other",
            "memberships": councils,
            "roles": split_list(org.get("roles", "")),
            "offers": offers,
            "needs": needs,
            "implied_needs": implied_needs(split_list(org.get("roles", "")), offers, needs, parent),
            "aliases": split_list(org.get("aliases", "")),
            "capabilities": caps,
            "cap_mask": sum(1 << order[c] for c in caps if c in order),
            "source_urls": " ".join(split_list(org["source_urls"], None)),
            "source_date_start": parse_source_date(org.get("source_date", "")),
            "confidence_rank": CONFIDENCE_RANK[org["confidence"]],
            "rosters": split_list(org.get("rosters", "")),
            "name_keys": name_keys,
            "search_text": search_text,
            "sort_ja": japanese_sort_key(org.get("name_ja"), org.get("name_en")),  # → name_rank_ja
        }
        for k, v in values.items():
            cols[k].append(v)
    types = {
        "capabilities": pa.list_(pa.string()),
        "rosters": pa.list_(pa.string()),
        "name_keys": pa.list_(pa.string()),
        **{
            k: pa.list_(pa.string())
            for k in ("roles", "offers", "needs", "implied_needs", "aliases", "memberships")
        },
        "source_date_start": pa.date32(),
        "confidence_rank": pa.int8(),
        "cap_mask": pa.int64(),
    }
    return pa.table({k: pa.array(v, type=types.get(k, pa.string())) for k, v in cols.items()})


def _taxonomy_table(curated: Curated) -> pa.Table:
    groups: list[str] = []
    for r in curated.taxonomy:
        if r["group"] not in groups:
            groups.append(r["group"])
    return pa.table(
        {
            "slug": [r["slug"] for r in curated.taxonomy],
            "group_en": [r["group"] for r in curated.taxonomy],
            "group_ja": [r["group_ja"] for r in curated.taxonomy],
            "label_en": [r["label_en"] for r in curated.taxonomy],
            "label_ja": [r["label_ja"] for r in curated.taxonomy],
            "group_order": pa.array(
                [groups.index(r["group"]) for r in curated.taxonomy], pa.int32()
            ),
            "sort_order": pa.array(list(range(len(curated.taxonomy))), pa.int32()),
            "bit": pa.array(list(range(len(curated.taxonomy))), pa.int32()),
            "label_key": [
                f"{search_key(r['label_en'])}\n{search_key(r['label_ja'])}"
                for r in curated.taxonomy
            ],
        }
    )


def _leaves_table(curated: Curated) -> pa.Table:
    rows = curated.leaves
    return pa.table(
        {
            **{
                c: pa.array([r[c] for r in rows], pa.string())
                for c in (
                    "slug",
                    "parent",
                    "label_en",
                    "label_ja",
                    "definition_en",
                    "definition_ja",
                )
            },
            "sort_order": pa.array(list(range(len(rows))), pa.int32()),
        }
    )


def _links_table(curated: Curated) -> pa.Table:
    links = curated.links
    return pa.table(
        {
            "link_id": pa.array(list(range(1, len(links) + 1)), pa.int32()),
            "org_a": pa.array([k.org_a for k in links], pa.string()),
            "org_b": pa.array([k.org_b for k in links], pa.string()),
            "relation": pa.array([k.relation for k in links], pa.string()),
            "year": pa.array([k.year for k in links], pa.int32()),
            "what": pa.array([k.what for k in links], pa.string()),
            "source_urls": pa.array([list(k.source_urls) for k in links], pa.list_(pa.string())),
        }
    )


def _memberships_table(curated: Curated) -> pa.Table:
    rows = [
        m for ms in membership_sets(curated.organisations, curated.memberships).values() for m in ms
    ]
    return pa.table(
        {
            "org_id": pa.array([m.org_id for m in rows], pa.string()),
            "council": pa.array([m.council for m in rows], pa.string()),
            "membership_class": pa.array([m.membership_class or None for m in rows], pa.string()),
            "source_urls": pa.array([list(m.source_urls) for m in rows], pa.list_(pa.string())),
            "date": pa.array([m.date or None for m in rows], pa.string()),
            "evidence": pa.array([m.evidence or None for m in rows], pa.string()),
        }
    )


def _sources_table(curated: Curated) -> pa.Table:
    org_ids, positions, urls, hosts = [], [], [], []
    for org in curated.organisations:
        for i, url in enumerate(split_list(org["source_urls"], None), start=1):
            org_ids.append(org["id"])
            positions.append(i)
            urls.append(url)
            hosts.append(urlsplit(url).hostname or url)
    return pa.table(
        {
            "org_id": org_ids,
            "position": pa.array(positions, pa.int32()),
            "url": urls,
            "host": hosts,
        }
    )


def _log_tables(curated: Curated) -> tuple[pa.Table, pa.Table]:
    imports = {c: [r.get(c) or None for r in curated.imports] for c in IMPORT_COLUMNS}
    for c in ("rows_added", "rows_updated"):
        imports[c] = pa.array([int(v or 0) for v in imports[c]], pa.int32())
    for c in ("file_name", "content_hash", "imported_at", "imported_by", "status"):
        imports[c] = [v or "" for v in imports[c]]
    history = {c: [r.get(c) or None for r in curated.history] for c in HISTORY_COLUMNS}
    history["changed"] = pa.array(
        [split_list(r.get("changed", "")) for r in curated.history], pa.list_(pa.string())
    )
    typed = {
        k: v if isinstance(v, pa.Array) else pa.array(v, pa.string()) for k, v in imports.items()
    }
    typed_h = {
        k: v if isinstance(v, pa.Array) else pa.array(v, pa.string()) for k, v in history.items()
    }
    return pa.table(typed), pa.table(typed_h)


def _places_table(curated: Curated) -> pa.Table:
    def num(text: str) -> float | None:
        return float(text) if text else None

    return pa.table(
        {
            "country": pa.array([r["country"] for r in curated.places], pa.string()),
            "place": pa.array([r["place"] for r in curated.places], pa.string()),
            "latitude": pa.array([num(r["latitude"]) for r in curated.places], pa.float64()),
            "longitude": pa.array([num(r["longitude"]) for r in curated.places], pa.float64()),
            "precision": pa.array([r["precision"] for r in curated.places], pa.string()),
            "gazetteer_name": pa.array(
                [r["gazetteer_name"] or None for r in curated.places], pa.string()
            ),
            "geonames_id": pa.array(
                [r["geonames_id"] or None for r in curated.places], pa.string()
            ),
            "source": pa.array([r["source"] or None for r in curated.places], pa.string()),
            "note": pa.array([r["note"] or None for r in curated.places], pa.string()),
        }
    )


def _synonyms_table(curated: Curated) -> pa.Table:
    pairs = sorted(
        {
            (i, query_key(term))
            for i, group in enumerate(curated.synonyms, start=1)
            for term in group
        }
    )
    return pa.table(
        {
            "group_id": pa.array([g for g, _ in pairs], pa.int32()),
            "term_key": pa.array([k for _, k in pairs], pa.string()),
        }
    )


_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")


def alias_terms(curated: Curated) -> list[str]:
    """Match keys of the aliases written without Latin letters or digits (Japanese short names
    such as 京大 or 古河電工), sorted, without repeats: search treats them as whole names
    (see :class:`filters.SearchIndex`)."""
    keys = {
        query_key(a)
        for o in curated.organisations
        for a in split_list(o.get("aliases", ""))
        if not _LATIN_OR_DIGIT.search(a)
    }
    return sorted(k for k in keys if k)


def _rules_table(curated: Curated) -> pa.Table:
    rules = curated.rules
    return pa.table(
        {
            "rule_id": pa.array([r.rule_id for r in rules], pa.int32()),
            "kind": pa.array([r.kind for r in rules], pa.string()),
            "demand": pa.array([r.demand for r in rules], pa.string()),
            "demand_types": pa.array([list(r.demand_types) for r in rules], pa.list_(pa.string())),
            "supply": pa.array([r.supply for r in rules], pa.string()),
            "supply_types": pa.array([list(r.supply_types) for r in rules], pa.list_(pa.string())),
            "weight": pa.array([r.weight for r in rules], pa.float64()),
            "rationale": pa.array([r.rationale for r in rules], pa.string()),
            "rationale_ja": pa.array([r.rationale_ja for r in rules], pa.string()),
        }
    )


# Rarity of each capability, computed once per build (see partners.py for the formula).
_CAPABILITY_STATS_SQL = """
    INSERT INTO capability_stats
    SELECT c.slug, count(oc.org_id)::INTEGER AS n_orgs,
           CASE WHEN count(oc.org_id) > 0
                THEN ln((SELECT count(*) FROM organisations) / count(oc.org_id)) END AS idf
    FROM capabilities c LEFT JOIN organisation_capabilities oc ON oc.capability = c.slug
    GROUP BY c.slug
"""

# Offer and need counts and the rarity of each leaf (idf over offers).
_LEAF_STATS_SQL = """
    INSERT INTO capability_leaves
    SELECT l.*,
           count(f.org_id) FILTER (WHERE f.facet = 'offer')::INTEGER AS n_offer,
           count(f.org_id) FILTER (WHERE f.facet = 'need')::INTEGER AS n_need,
           CASE WHEN count(f.org_id) FILTER (WHERE f.facet = 'offer') > 0
                THEN ln((SELECT count(*) FROM organisations)
                        / count(f.org_id) FILTER (WHERE f.facet = 'offer')) END AS idf
    FROM leaves_in l LEFT JOIN organisation_facets f ON f.leaf = l.slug
    GROUP BY ALL ORDER BY l.sort_order
"""


def data_as_of(curated: Curated) -> str:
    """The newest source date in the data (``YYYY-MM-DD`` or ``YYYY-MM``), ``""`` when none."""
    dated = [
        (parse_source_date(o["source_date"]), o["source_date"])
        for o in curated.organisations
        if o.get("source_date")
    ]
    return max(dated)[1] if dated else ""


def write_database(curated: Curated, schema_sql: str, db_path: Path) -> None:
    """Create ``db_path`` from validated data, atomically (temp file + rename).

    Raises:
        ValidationError: when ``curated`` has errors.
        duckdb.Error: when the database cannot be written.
        DataError: when the configured DuckDB limits are unusable (see :func:`config.duckdb_settings`).
    """
    if curated.errors:
        raise ValidationError(curated.problems)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(db_path.name + f".building-{os.getpid()}")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    orgs = organisation_table(curated)
    taxonomy = _taxonomy_table(curated)
    sources = _sources_table(curated)
    imports, history = _log_tables(curated)
    places = _places_table(curated)
    rules = _rules_table(curated)
    meta = pa.table(
        {
            "key": ["data_as_of", "built_at", "organisation_count", "rosters"],
            "value": [
                data_as_of(curated),
                dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                str(len(curated.organisations)),
                ";".join(
                    sorted(
                        {r for o in curated.organisations for r in split_list(o.get("rosters", ""))}
                    )
                ),
            ],
        }
    )
    try:
        con = connect_writable(tmp)  # with the configured memory, thread and temp limits
        try:
            con.execute(schema_sql)
            con.register("taxonomy_in", taxonomy)
            con.register("orgs_in", orgs)
            con.register("sources_in", sources)
            con.register("meta_in", meta)
            con.register("imports_in", imports)
            con.register("history_in", history)
            con.register("places_in", places)
            con.register("rules_in", rules)
            con.execute("BEGIN")
            con.execute("INSERT INTO capabilities SELECT * FROM taxonomy_in")
            con.execute(
                "INSERT INTO organisations BY NAME SELECT * EXCLUDE (sort_ja), "
                "row_number() OVER (ORDER BY lower(coalesce(name_en, name_ja)), id)::INTEGER AS name_rank, "
                "row_number() OVER (ORDER BY sort_ja, id)::INTEGER AS name_rank_ja FROM orgs_in"
            )
            con.execute(
                "INSERT INTO search_tokens SELECT token, list(name_rank ORDER BY name_rank) FROM ("
                "SELECT DISTINCT name_rank, unnest(string_split_regex(search_text, '\\s+')) AS token "
                "FROM organisations) WHERE token <> '' GROUP BY token"
            )
            con.execute(
                "INSERT INTO organisation_capabilities "
                "SELECT id, unnest(capabilities) FROM organisations"
            )
            con.execute("INSERT INTO sources SELECT * FROM sources_in")
            con.execute("INSERT INTO meta SELECT * FROM meta_in")
            con.execute("INSERT INTO imports BY NAME SELECT * FROM imports_in")
            con.execute("INSERT INTO record_history BY NAME SELECT * FROM history_in")
            con.execute("INSERT INTO places BY NAME SELECT * FROM places_in")
            con.execute("INSERT INTO partner_rules BY NAME SELECT * FROM rules_in")
            con.register(
                "aliases_in", pa.table({"term_key": pa.array(alias_terms(curated), pa.string())})
            )
            con.execute("INSERT INTO alias_terms SELECT * FROM aliases_in")
            con.register("synonyms_in", _synonyms_table(curated))
            con.execute("INSERT INTO search_synonyms BY NAME SELECT * FROM synonyms_in")
            con.execute(_CAPABILITY_STATS_SQL)
            con.execute(
                "INSERT INTO organisation_facets SELECT DISTINCT id, 'offer', unnest(offers) FROM organisations "
                "UNION SELECT DISTINCT id, 'need', unnest(needs) FROM organisations "
                "UNION SELECT DISTINCT id, 'implied', unnest(implied_needs) FROM organisations"
            )
            con.register("leaves_in", _leaves_table(curated))
            con.execute(_LEAF_STATS_SQL)
            con.register("links_in", _links_table(curated))
            con.execute("INSERT INTO links BY NAME SELECT * FROM links_in")
            con.execute(
                "INSERT INTO link_partner_countries SELECT x.id, p.country, count(DISTINCT x.partner)::INTEGER "
                "FROM (SELECT org_a AS id, org_b AS partner FROM links UNION ALL SELECT org_b, org_a FROM links) x "
                "JOIN organisations p ON p.id = x.partner GROUP BY 1, 2"
            )
            con.register("memberships_in", _memberships_table(curated))
            con.execute("INSERT INTO memberships BY NAME SELECT * FROM memberships_in")
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)


def build(data_dir: Path | None = None, db_path: Path | None = None) -> Curated:
    """Validate ``data_dir`` and write the database to ``db_path`` (defaults from config).

    Returns:
        The validated data (with any warnings in ``problems``).

    Raises:
        ValidationError: when the data has errors (nothing is written).
    """
    data_dir = data_dir or config.data_dir()
    db_path = db_path or config.db_path()
    curated = load_curated(data_dir)
    if curated.errors:
        raise ValidationError(curated.problems)
    write_database(curated, (data_dir / SCHEMA_FILE).read_text(encoding="utf-8"), db_path)
    return curated


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Validate the curated CSVs and build the DuckDB file."
    )
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or config.data_dir()
    curated = load_curated(data_dir)
    for problem in curated.problems:
        print(problem, file=sys.stderr)
    if curated.errors:
        print(f"{len(curated.errors)} error(s); database not built.", file=sys.stderr)
        return 1
    if args.check:
        print(
            f"{len(curated.organisations)} organisations valid ({len(curated.problems)} warning(s))."
        )
        return 0
    db = args.db or config.db_path()
    with recovery.write_lock(
        data_dir
    ):  # recover an interrupted import first; never build during one
        if recovery.recover_locked(data_dir, db) == "rolled_back":
            print("An interrupted import was rolled back.", file=sys.stderr)
            curated = load_curated(data_dir)
            if curated.errors:
                print(f"{len(curated.errors)} error(s); database not built.", file=sys.stderr)
                return 1
        build(data_dir, db)
    print(
        f"Built {db.name}: {len(curated.organisations)} organisations, {len(curated.taxonomy)} capabilities."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
