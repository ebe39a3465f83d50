"""Queries of the organisation profile: one organisation, its sources, memberships,
documented collaborations and peers in the other focus country."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from fusion_partners.db import fetch_df
from fusion_partners.queries import FOCUS_COUNTRIES


def organisation_links(con: duckdb.DuckDBPyConnection, org_id: str) -> pd.DataFrame:
    """Documented collaborations of ``org_id`` (``data/links.csv``), newest first: ``partner``
    (id), ``name_en``, ``name_ja``, ``country``, ``relation``, ``year``, ``what``,
    ``source_urls`` (list). Empty for an unknown id."""
    return fetch_df(
        con,
        """
        SELECT p.id AS partner, p.name_en, p.name_ja, p.country, l.relation, l.year, l.what, l.source_urls
        FROM links l JOIN organisations p ON p.id = CASE WHEN l.org_a = $id THEN l.org_b ELSE l.org_a END
        WHERE l.org_a = $id OR l.org_b = $id
        ORDER BY l.year DESC NULLS LAST, lower(coalesce(p.name_en, p.name_ja))
    """,
        {"id": org_id},
    )


def organisation_memberships(con: duckdb.DuckDBPyConnection, org_id: str) -> pd.DataFrame:
    """Council memberships of ``org_id`` with their sources: ``council``, ``membership_class``,
    ``source_urls`` (list), ``date``, ``evidence``."""
    return fetch_df(
        con,
        "SELECT council, membership_class, source_urls, date, evidence FROM memberships "
        "WHERE org_id = $id ORDER BY council DESC",
        {"id": org_id},
    )


def organisation(con: duckdb.DuckDBPyConnection, org_id: str) -> dict[str, Any] | None:
    """Every stored field of one organisation, or ``None`` when the id is unknown."""
    df = fetch_df(
        con,
        "SELECT * EXCLUDE (name_keys, search_text) FROM organisations WHERE id = $id",
        {"id": org_id},
    )
    if df.empty:
        return None
    return df.iloc[0].to_dict()


def organisation_sources(con: duckdb.DuckDBPyConnection, org_id: str) -> pd.DataFrame:
    """Sources of one organisation in cited order: position, url, host."""
    return fetch_df(
        con,
        "SELECT position, url, host FROM sources WHERE org_id = $id ORDER BY position",
        {"id": org_id},
    )


def cross_country_peers(
    con: duckdb.DuckDBPyConnection, org_id: str, limit: int = 50
) -> pd.DataFrame:
    """Organisations in the other focus country that share capabilities with ``org_id``.

    For a Japanese organisation the UK ones, and the reverse; for an organisation from a
    third country, both. Columns: id, name_en, name_ja, country, org_type, shared (list of
    slugs), n_shared. Ordered by number shared, then confidence, then name.
    """
    sql = """
        WITH me AS (SELECT country, capabilities FROM organisations WHERE id = $id)
        SELECT o.id, o.name_en, o.name_ja, o.country, o.org_type,
               list_intersect(o.capabilities, me.capabilities) AS shared,
               len(list_intersect(o.capabilities, me.capabilities)) AS n_shared
        FROM organisations o, me
        WHERE o.id <> $id
          AND o.country = ANY($focus)
          AND o.country <> me.country
          AND list_has_any(o.capabilities, me.capabilities)
        ORDER BY n_shared DESC, o.confidence_rank DESC, lower(coalesce(o.name_en, o.name_ja))
        LIMIT $limit
    """
    return fetch_df(con, sql, {"id": org_id, "focus": list(FOCUS_COUNTRIES), "limit": int(limit)})
