"""Queries behind the Insights page (landscape charts). Every function follows the filters.

Counts are of *distinct organisations*. Values are bound as ``$params``; the only SQL text
composed here is the WHERE fragment from :func:`fusion_partners.filters.where` and
identifiers chosen from :data:`COVERAGE_FIELDS`.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from ..db import fetch_df
from ..filters import Filters, where
from . import FOCUS_COUNTRIES

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


def country_totals(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, int]:
    """Organisations matching ``filters`` per country: ``{ISO alpha-2: n}``."""
    clause = where(filters)
    sql = f"SELECT o.country, count(*) FROM organisations o WHERE {clause.sql} GROUP BY 1"  # noqa: S608
    return {c: int(n) for c, n in fetch_df(con, sql, clause.params).itertuples(index=False)}


def capability_country_counts(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Distinct organisations per (capability, focus country) among those matching ``filters``.

    Returns:
        Columns ``slug``, ``country`` (JP or GB), ``n``; pairs with no organisation are absent.
    """
    clause = where(filters)
    sql = (
        "SELECT oc.capability AS slug, o.country, count(DISTINCT o.id) AS n "  # noqa: S608
        "FROM organisations o JOIN organisation_capabilities oc ON oc.org_id = o.id "
        f"WHERE o.country = ANY($focus) AND {clause.sql} GROUP BY 1, 2 ORDER BY 1, 2"
    )
    return fetch_df(con, sql, {**clause.params, "focus": list(FOCUS_COUNTRIES)})


def type_membership_counts(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Organisations per (country, org_type, membership) among those matching ``filters``.

    Returns:
        Columns ``country``, ``org_type``, ``membership``, ``n``.
    """
    clause = where(filters)
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
    clause = where(filters)
    sql = (
        "SELECT o.id, o.name_en, o.name_ja, o.country, o.org_type, o.capabilities, "  # noqa: S608
        "o.prefecture_or_city AS place, p.latitude, p.longitude, p.precision, p.gazetteer_name, "
        "p.note AS place_note "
        "FROM organisations o LEFT JOIN places p "
        "ON p.country = o.country AND p.place = o.prefecture_or_city "
        f"WHERE {clause.sql} ORDER BY lower(o.name_en), o.id"
    )
    return fetch_df(con, sql, clause.params)


def capability_rarity(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Rarity weight of each capability over the Japanese and UK organisations of the roster.

    ``weight = ln(N / n)`` where ``N`` is the number of JP and GB organisations and ``n`` the
    number holding the capability (inverse document frequency, Spärck Jones 1972, "A
    statistical interpretation of term specificity"). A capability every organisation holds
    weighs 0; one held by a single organisation weighs ``ln N``. Computed on the whole roster,
    not the filtered set, so a pair's score does not change as filters change.

    Returns:
        Columns ``slug``, ``n`` (JP+GB organisations holding it), ``weight``; only capabilities
        some JP or GB organisation holds.
    """
    sql = """
        WITH focus AS (SELECT id FROM organisations WHERE country = ANY($focus)),
             total AS (SELECT count(*) AS n FROM focus)
        SELECT oc.capability AS slug, count(*) AS n, ln(any_value(total.n) / count(*)) AS weight
        FROM organisation_capabilities oc JOIN focus ON focus.id = oc.org_id, total
        GROUP BY oc.capability ORDER BY weight DESC, slug
    """
    return fetch_df(con, sql, {"focus": list(FOCUS_COUNTRIES)})


def candidate_links(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """Japan–UK candidate links: JP–GB pairs (both matching ``filters``) sharing capabilities.

    The score of a pair is the sum of the rarity weights (:func:`capability_rarity`) of the
    capabilities both hold, so sharing a rare capability counts for more than sharing a common
    one. This is a placeholder source: the partner-finder scoring can replace it as long as it
    returns the same shape.

    Returns:
        Columns ``source_id`` (the Japanese organisation), ``target_id`` (the UK one),
        ``score`` (float ≥ 0), ``capabilities`` (list of shared slugs, rarest first); every
        pair sharing at least one capability, ordered by score (highest first), then ids.
    """
    clause = where(filters)
    sql = f"""
        WITH m AS (SELECT o.id, o.country FROM organisations o WHERE {clause.sql}),
             rarity AS (
                 SELECT oc.capability AS slug, ln(
                     (SELECT count(*) FROM organisations WHERE country = ANY($focus)) / count(*)
                 ) AS weight
                 FROM organisation_capabilities oc JOIN organisations o ON o.id = oc.org_id
                 WHERE o.country = ANY($focus) GROUP BY oc.capability
             ),
             jp AS (SELECT oc.org_id, oc.capability FROM organisation_capabilities oc
                    JOIN m ON m.id = oc.org_id WHERE m.country = 'JP'),
             gb AS (SELECT oc.org_id, oc.capability FROM organisation_capabilities oc
                    JOIN m ON m.id = oc.org_id WHERE m.country = 'GB')
        SELECT jp.org_id AS source_id, gb.org_id AS target_id,
               sum(r.weight) AS score,
               list(jp.capability ORDER BY r.weight DESC, jp.capability) AS capabilities
        FROM jp JOIN gb ON gb.capability = jp.capability
        JOIN rarity r ON r.slug = jp.capability
        GROUP BY 1, 2
        ORDER BY score DESC, source_id, target_id
    """  # noqa: S608 (fixed fragments only)
    return fetch_df(con, sql, {**clause.params, "focus": list(FOCUS_COUNTRIES)})


def organisation_nodes(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """JP and GB organisations matching ``filters``: ``id``, ``name_en``, ``name_ja``,
    ``country``, ``org_type``, ``capabilities`` (list of slugs)."""
    clause = where(filters)
    sql = (
        "SELECT o.id, o.name_en, o.name_ja, o.country, o.org_type, o.capabilities "  # noqa: S608
        f"FROM organisations o WHERE o.country = ANY($focus) AND {clause.sql} ORDER BY o.id"
    )
    return fetch_df(con, sql, {**clause.params, "focus": list(FOCUS_COUNTRIES)})


def field_coverage(con: duckdb.DuckDBPyConnection, filters: Filters) -> pd.DataFrame:
    """How many organisations matching ``filters`` have each field filled, per country.

    Returns:
        Columns ``field`` (a key of :data:`COVERAGE_FIELDS`, in that order), ``country``,
        ``filled``, ``total``; one row per field and country present in the filtered set.
    """
    clause = where(filters)
    cols = ", ".join(
        f"count(*) FILTER (WHERE {expr}) AS \"{name}\"" for name, expr in COVERAGE_FIELDS.items()
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
    "candidate_links",
    "capability_country_counts",
    "capability_rarity",
    "country_totals",
    "field_coverage",
    "organisation_nodes",
    "organisation_places",
    "type_membership_counts",
]
