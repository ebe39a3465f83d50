"""Queries behind the Insights page (landscape charts). Every function follows the filters.

Counts are of *distinct organisations*. Values are bound as ``$params``; the only SQL text
composed here is the WHERE fragment from :func:`fusion_partners.explore.filters.where` and
identifiers chosen from :data:`COVERAGE_FIELDS`.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from fusion_partners.db import fetch_df
from fusion_partners.explore.filters import Filters
from fusion_partners.queries import FOCUS_COUNTRIES, filter_clause

COVERAGE_FIELDS: dict[str, str] = {
    "name_ja": "o.name_ja IS NOT NULL AND trim(o.name_ja) <> ''",
    "prefecture_or_city": "o.prefecture_or_city IS NOT NULL AND trim(o.prefecture_or_city) <> ''",
    "website": "o.website IS NOT NULL AND trim(o.website) <> ''",
    "capabilities": "len(o.capabilities) > 0",
    "description_en": "o.description_en IS NOT NULL AND trim(o.description_en) <> ''",
    "evidence": "o.evidence IS NOT NULL AND trim(o.evidence) <> ''",
    "source_date": "o.source_date IS NOT NULL AND trim(o.source_date) <> ''",
    "membership": "o.membership <> 'other'",
}
"""Field → "is filled" expression, in display order. ``membership`` counts a *stated*
council membership (``other`` means none stated, not "not a member")."""


def type_membership_counts(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Organisations per (country, org_type, membership) among those matching ``filters``.

    Returns:
        Columns ``country``, ``org_type``, ``membership``, ``n``.
    """
    clause = filter_clause(con, filters)
    sql = (
        "SELECT o.country, o.org_type, o.membership, count(*) AS n "  # noqa: S608
        f"FROM organisations o WHERE {clause.sql} GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    )
    return fetch_df(con, sql, clause.params)


def organisation_places(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Every organisation matching ``filters`` with its place and, where reviewed, its point.

    Returns:
        Columns ``id``, ``name_en``, ``name_ja``, ``country``, ``org_type``, ``capabilities``
        (list of slugs), ``place`` (as researched, may be NULL), ``latitude``, ``longitude``
        (NULL unless drawn), ``precision`` (``city``, ``nearby``, ``region``, or NULL when the
        place is empty or not in ``places.csv``), ``gazetteer_name``, ``place_note``.
    """
    clause = filter_clause(con, filters)
    sql = (
        "SELECT o.id, o.name_en, o.name_ja, o.country, o.org_type, o.capabilities, "  # noqa: S608
        "o.prefecture_or_city AS place, p.latitude, p.longitude, p.precision, p.gazetteer_name, "
        "p.note AS place_note "
        "FROM organisations o LEFT JOIN places p "
        "ON p.country = o.country AND p.place = o.prefecture_or_city "
        f"WHERE {clause.sql} ORDER BY lower(coalesce(o.name_en, o.name_ja)), o.id"
    )
    return fetch_df(con, sql, clause.params)


def organisation_nodes(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """JP and GB organisations matching ``filters``: ``id``, ``name_en``, ``name_ja``,
    ``country``, ``org_type``, ``capabilities`` (list of slugs)."""
    clause = filter_clause(con, filters)
    sql = (
        "SELECT o.id, o.name_en, o.name_ja, o.country, o.org_type, o.capabilities "  # noqa: S608
        f"FROM organisations o WHERE o.country = ANY($focus) AND {clause.sql} ORDER BY o.id"
    )
    return fetch_df(con, sql, {**clause.params, "focus": list(FOCUS_COUNTRIES)})


def nodes_by_id(con: duckdb.DuckDBPyConnection, ids: tuple[str, ...]) -> pd.DataFrame:
    """The organisations ``ids`` (unknown ids are absent) in the columns of
    :func:`organisation_nodes`, by id: the nodes a drawn network needs, without reading every
    organisation of a large roster."""
    sql = (
        "SELECT o.id, o.name_en, o.name_ja, o.country, o.org_type, o.capabilities "
        "FROM organisations o WHERE o.id = ANY($ids) ORDER BY o.id"
    )
    return fetch_df(con, sql, {"ids": list(ids)})


def field_coverage(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """How many organisations matching ``filters`` have each field filled, per country.

    Returns:
        Columns ``field`` (a key of :data:`COVERAGE_FIELDS`, in that order), ``country``,
        ``filled``, ``total``; one row per field and country present in the filtered set.
    """
    clause = filter_clause(con, filters)
    cols = ", ".join(
        f'count(*) FILTER (WHERE {expr}) AS "{name}"' for name, expr in COVERAGE_FIELDS.items()
    )
    sql = f"SELECT o.country, count(*) AS total, {cols} FROM organisations o WHERE {clause.sql} GROUP BY 1"  # noqa: S608
    wide = fetch_df(con, sql, clause.params)
    rows = [
        {"field": name, "country": r["country"], "filled": int(r[name]), "total": int(r["total"])}
        for name in COVERAGE_FIELDS
        for _, r in wide.iterrows()
    ]
    return pd.DataFrame(rows, columns=["field", "country", "filled", "total"])


__all__ = [
    "COVERAGE_FIELDS",
    "field_coverage",
    "nodes_by_id",
    "organisation_nodes",
    "organisation_places",
    "type_membership_counts",
]


def documented_links(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Documented collaborations (``data/links.csv``) between a Japanese and a UK organisation,
    both matching ``filters``, in the shape of :func:`partners.links_sql.candidate_links`:
    ``source_id`` (the Japanese organisation), ``target_id`` (the UK one), ``score`` (the number
    of documented links between them), ``capabilities`` (their relations, e.g.
    ``joint_research``) and ``kind`` (``documented``). Strongest first, then ids.
    """
    clause = filter_clause(con, filters)
    sql = f"""
        WITH e AS (SELECT o.id, o.country FROM organisations o WHERE o.country = ANY($focus) AND {clause.sql}),
        pairs AS (
            SELECT CASE WHEN a.country = 'JP' THEN a.id ELSE b.id END AS source_id,
                   CASE WHEN a.country = 'JP' THEN b.id ELSE a.id END AS target_id, l.relation
            FROM links l JOIN e a ON a.id = l.org_a JOIN e b ON b.id = l.org_b
            WHERE a.country <> b.country
        )
        SELECT source_id, target_id, count(*)::DOUBLE AS score,
               list(DISTINCT relation ORDER BY relation) AS capabilities, 'documented' AS kind
        FROM pairs GROUP BY source_id, target_id
        ORDER BY score DESC, source_id, target_id
    """  # noqa: S608 (the filters' WHERE clause; values are bound)
    return fetch_df(con, sql, {**clause.params, "focus": list(FOCUS_COUNTRIES)})
