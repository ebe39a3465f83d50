"""Every runtime SQL statement of the app, one function per question.

Values are always bound as ``$name`` parameters. The only text composed into SQL is
(a) WHERE/ORDER fragments produced by :mod:`fusion_partners.explore.filters` from fixed strings,
and (b) identifiers chosen from the fixed dictionaries below; anything else is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from fusion_partners.data.roster import CONFIDENCES, MEMBERSHIPS, ROLES
from fusion_partners.db import QueryFailed, fetch_df, fetch_rows
from fusion_partners.explore.filters import (
    DIMENSIONS,
    LIST_DIMENSIONS,
    Filters,
    SearchIndex,
    WhereClause,
    conditions,
    keeps,
    search_rank_sql,
    where,
)

FACET_COLUMNS: dict[str, str] = {
    "country": "o.country",
    "membership": "o.membership",
    "org_type": "o.org_type",
    "confidence": "o.confidence",
}
"""Facet dimension → column expression (capability is handled by unnesting)."""

TABLE_COLUMNS = (
    "o.id, o.name_en, o.name_ja, o.country, o.prefecture_or_city, o.org_type, o.membership, "
    "o.membership_class, o.website, o.capabilities, o.confidence, o.source_date, o.description_en, o.evidence, o.source_urls, "
    "o.roles, o.offers, o.needs, o.aliases, o.description_ja, o.memberships"
)

FOCUS_COUNTRIES: tuple[str, ...] = ("JP", "GB")
"""The two countries the product pairs (ISO 3166-1 alpha-2)."""


def search_index(con: duckdb.DuckDBPyConnection) -> SearchIndex:
    """Capability bits and label keys, search synonym groups, whole-name aliases and the label
    keys of the capability leaves (small queries)."""
    rows = fetch_rows(con, "SELECT slug, bit, label_key FROM capabilities ORDER BY bit")
    groups: dict[int, list[str]] = {}
    for group_id, key in fetch_rows(
        con, "SELECT group_id, term_key FROM search_synonyms ORDER BY group_id, term_key"
    ):
        groups.setdefault(int(group_id), []).append(key)
    aliases = frozenset(r[0] for r in fetch_rows(con, "SELECT term_key FROM alias_terms"))
    leaves = fetch_rows(con, "SELECT slug, label_key FROM capability_leaves ORDER BY sort_order")
    return SearchIndex(
        tuple((s, int(b)) for s, b, _ in rows),
        tuple((int(b), k) for _, b, k in rows),
        tuple(tuple(g) for g in groups.values()),
        aliases,
        tuple((s, k) for s, k in leaves),
    )


def filter_clause(con: duckdb.DuckDBPyConnection, filters: Filters, **kwargs: Any) -> WhereClause:
    """:func:`filters.where` for this database (its capability index); ``kwargs`` as there."""
    return where(filters, search_index(con), **kwargs)


def taxonomy(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The capability taxonomy: slug, group_en, group_ja, label_en, label_ja, orders."""
    return fetch_df(con, "SELECT * FROM capabilities ORDER BY group_order, sort_order")


def capability_leaves(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The capability leaves in taxonomy order: slug, parent, label_en, label_ja,
    definition_en, definition_ja, sort_order, n_offer, n_need, idf."""
    return fetch_df(con, "SELECT * FROM capability_leaves ORDER BY sort_order")


def meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Build metadata (``data_as_of``, ``built_at``, ``organisation_count``, ``rosters``)."""
    return dict(fetch_rows(con, "SELECT key, value FROM meta"))


def total_organisations(con: duckdb.DuckDBPyConnection) -> int:
    """Number of organisations in the database."""
    return int(fetch_rows(con, "SELECT count(*) FROM organisations")[0][0])


def count(con: duckdb.DuckDBPyConnection, filters: Filters) -> int:
    """Number of organisations matching ``filters``."""
    clause = filter_clause(con, filters)
    sql = f"SELECT count(*) FROM organisations o WHERE {clause.sql}"  # noqa: S608 (fixed fragments)
    return int(fetch_rows(con, sql, clause.params)[0][0])


def organisation_table(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Organisations matching ``filters`` for the Explore table.

    Ordered by search relevance (exact name, name prefix, name, other fields; synonyms
    count, see :func:`filters.search_rank_sql`) then by name: English name order for
    ``lang="en"``; for ``lang="ja"`` the Japanese order of
    :func:`fusion_partners.search.reading.japanese_sort_key` (kana reading, then English names).
    ``capabilities`` is a list of slugs in taxonomy order.

    The rows are picked first on narrow columns (name order, relevance) and only those are
    then read in full, so a page of 5,000 from a million costs little more than its keys.

    Args:
        limit: maximum rows (``None`` for all).
    """
    sql, params = _table_sql(con, filters, limit, lang)
    return fetch_df(con, sql, params)


def _table_sql(
    con: duckdb.DuckDBPyConnection, filters: Filters, limit: int | None, lang: str
) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters of :func:`organisation_table`."""
    index = search_index(con)
    clause = where(filters, index)
    rank_sql, rank_params = search_rank_sql(filters, index)
    params: dict[str, Any] = {**clause.params, **rank_params}
    limit_sql = ""
    if limit is not None:
        limit_sql = "LIMIT $limit"
        params["limit"] = int(limit)
    name_order = (
        "o.name_rank_ja" if lang == "ja" else "o.name_rank"
    )  # a column name, never user text
    order = f"{rank_sql}, {name_order}" if rank_sql else name_order
    sql = (
        f"WITH k AS (SELECT o.name_rank FROM organisations o WHERE {clause.sql} "  # noqa: S608
        f"ORDER BY {order} {limit_sql}) "
        f"SELECT {TABLE_COLUMNS} FROM organisations o SEMI JOIN k ON k.name_rank = o.name_rank "
        f"ORDER BY {order}"
    )
    return sql, params


def organisation_batches(
    con: duckdb.DuckDBPyConnection, filters: Filters, lang: str = "en", vectors: int = 4
) -> Iterator[pd.DataFrame]:
    """Every organisation matching ``filters``, as :func:`organisation_table` orders them, in
    DataFrames of at most ``vectors`` × 2,048 rows (DuckDB's ``fetch_df_chunk``), so an export
    of any roster size never holds more than one batch of rows as a DataFrame. Not cached.

    Raises:
        QueryFailed: wrapping any DuckDB error.
    """
    sql, params = _table_sql(con, filters, None, lang)
    cur = con.cursor()
    try:
        cur.execute(sql, params)
        while True:
            chunk = cur.fetch_df_chunk(vectors)
            if chunk.empty:
                return
            yield chunk
    except duckdb.Error as exc:
        raise QueryFailed(str(exc)) from exc
    finally:
        cur.close()


@dataclass(frozen=True)
class FilterSummary:
    """Everything a filter change needs besides the table, from one scan (:func:`filter_summary`).

    Attributes:
        facets: ``{dimension: {value: organisations}}`` for each of :data:`filters.DIMENSIONS`,
            given the *other* active filters; options with no match are absent.
        country_totals: organisations matching every filter, per country (ISO alpha-2).
        capability_country: organisations matching every filter per capability and focus
            country: DataFrame ``slug``, ``country`` (JP or GB), ``n``; empty pairs absent.
    """

    facets: dict[str, dict[str, int]]
    country_totals: dict[str, int]
    capability_country: pd.DataFrame

    @property
    def count(self) -> int:
        """Organisations matching every filter."""
        return sum(self.country_totals.values())


def filter_summary(con: duckdb.DuckDBPyConnection, filters: Filters) -> FilterSummary:
    """Facet counts, totals per country and capability × country counts in one statement.

    A CTE evaluates each active filter once per organisation as a flag (the search, which
    applies everywhere, already in its WHERE); two grouped passes then count, per facet, the
    rows whose *other* flags hold (``count(*) FILTER``, see :func:`filters.keeps`) and, for
    the chart, the rows whose flags all hold. Capability lists hold each slug once, so
    counting unnested rows counts distinct organisations.
    """
    conds = conditions(filters, search_index(con))
    search = conds.pop("query", None)
    params: dict[str, Any] = {k: v for c in conds.values() for k, v in c.params.items()}
    if search is not None:
        params.update(search.params)
    params["focus"] = list(FOCUS_COUNTRIES)
    flags = "".join(f", ({c.sql}) AS m_{dim}" for dim, c in conds.items())
    # Materialise the rows once when a search is active (its scan is the costly part);
    # otherwise let each branch read the table directly (copying a million lists costs more).
    how = "MATERIALIZED" if search is not None else "NOT MATERIALIZED"
    base = (
        f"WITH f AS {how} (SELECT o.country, o.membership, o.org_type, o.confidence, "  # noqa: S608
        f"o.capabilities, o.roles, o.offers, o.needs{flags} FROM organisations o WHERE {search.sql if search else 'TRUE'})"
    )

    def keep(dim: str | None) -> str:
        return " AND ".join(f"m_{d}" for d in conds if keeps(filters, d, dim)) or "TRUE"

    simple = [d for d in DIMENSIONS if d != "capability" and d not in LIST_DIMENSIONS]
    cols = {d: FACET_COLUMNS[d].removeprefix("o.") for d in simple}
    flag_cols = "".join(f", m_{d}" for d in conds)
    # Two grouped passes over f: the plain columns (one grouping set each) and the unnested
    # capabilities (per capability for the facet, per capability and country for the chart).
    # Every fragment below is built from fixed strings and the fixed column names above.
    simple_cols = ", ".join(f"{c}, grouping({c}) AS g_{d}" for d, c in cols.items())
    simple_counts = ", ".join(f"count(*) FILTER (WHERE {keep(d)}) AS n_{d}" for d in simple)
    simple_sets = ", ".join(f"({c})" for c in cols.values())
    ctes = (
        f"{base}, simple AS (SELECT {simple_cols}, {simple_counts} FROM f "  # noqa: S608
        f"GROUP BY GROUPING SETS ({simple_sets})), "
        f"caps AS (SELECT cap, country, grouping(country) AS g_country, "
        f"count(*) FILTER (WHERE {keep('capability')}) AS n_cap, "
        f"count(*) FILTER (WHERE {keep(None)} AND country = ANY($focus)) AS n_heat "
        f"FROM (SELECT unnest(capabilities) AS cap, country{flag_cols} FROM f) "
        "GROUP BY GROUPING SETS ((cap), (cap, country)))"
    )
    for dim, col in LIST_DIMENSIONS.items():  # roles, offers, needs: one row per element
        ctes += (
            f", l_{dim} AS (SELECT x, count(*) FILTER (WHERE {keep(dim)}) AS n "  # noqa: S608
            f"FROM (SELECT unnest({col}) AS x{flag_cols} FROM f) GROUP BY x)"
        )
    branches = [
        f"SELECT '{d}' AS dim, {c} AS value, NULL AS country, n_{d} AS n FROM simple WHERE g_{d} = 0"  # noqa: S608
        for d, c in cols.items()
    ]
    branches += [
        "SELECT 'capability', cap, NULL, n_cap FROM caps WHERE g_country = 1",
        "SELECT 'heat', cap, country, n_heat FROM caps WHERE g_country = 0",
        *(f"SELECT '{dim}', x, NULL, n FROM l_{dim}" for dim in LIST_DIMENSIONS),  # noqa: S608
    ]
    sql = f"{ctes} {' UNION ALL '.join(branches)}"
    rows = fetch_rows(con, sql, params)
    facets: dict[str, dict[str, int]] = {dim: {} for dim in DIMENSIONS}
    heat: list[tuple[str, str, int]] = []
    for dim, value, country, n in rows:
        if not n:
            continue  # options with no match are absent
        if dim == "heat":
            heat.append((value, country, int(n)))
        else:
            facets[dim][value] = int(n)
    by_country = facets["country"]
    totals = {
        c: n for c, n in by_country.items() if not filters.countries or c in filters.countries
    }
    frame = pd.DataFrame(sorted(heat), columns=["slug", "country", "n"])
    return FilterSummary(facets, totals, frame)


def facet_counts(con: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, dict[str, int]]:
    """Distinct organisations per option of every facet, given the *other* active filters
    (the ``facets`` of :func:`filter_summary`)."""
    return filter_summary(con, filters).facets


def option_values(con: duckdb.DuckDBPyConnection) -> dict[str, list[str]]:
    """Every value present in the data per facet dimension (capability: the taxonomy).

    Countries are ordered JP, GB, then by frequency; confidence high → low; membership with
    the councils first; organisation types by frequency.
    """
    fixed = {"confidence": CONFIDENCES, "membership": MEMBERSHIPS}
    out: dict[str, list[str]] = {}
    for dim, col in FACET_COLUMNS.items():
        sql = (
            f"SELECT {col} AS v, count(*) AS n FROM organisations o GROUP BY v "  # noqa: S608
            "ORDER BY CASE v WHEN 'JP' THEN 0 WHEN 'GB' THEN 1 ELSE 2 END, n DESC, v"
        )
        values = [r[0] for r in fetch_rows(con, sql)]
        if dim in fixed:  # a vocabulary with a natural order, then anything unexpected
            values = [v for v in fixed[dim] if v in values] + [
                v for v in values if v not in fixed[dim]
            ]
        out[dim] = values
    out["capability"] = [
        r[0]
        for r in fetch_rows(con, "SELECT slug FROM capabilities ORDER BY group_order, sort_order")
    ]
    present = {r[0] for r in fetch_rows(con, "SELECT DISTINCT unnest(roles) FROM organisations")}
    out["role"] = [r for r in ROLES if r in present]
    leaves = [
        r[0] for r in fetch_rows(con, "SELECT slug FROM capability_leaves ORDER BY sort_order")
    ]
    out["offer"] = leaves
    out["need"] = leaves
    return out


def organisation_index(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every organisation's id, names and country, ordered by name (English, else Japanese; for pickers)."""
    return fetch_df(
        con,
        "SELECT id, name_en, name_ja, country FROM organisations ORDER BY lower(coalesce(name_en, name_ja)), id",
    )


def organisation_names(
    con: duckdb.DuckDBPyConnection, ids: list[str]
) -> dict[str, tuple[str, str | None]]:
    """English and Japanese names for ``ids`` (unknown ids are absent)."""
    rows = fetch_rows(
        con,
        "SELECT id, name_en, name_ja FROM organisations WHERE id = ANY($ids)",
        {"ids": list(ids)},
    )
    return {r[0]: (r[1], r[2]) for r in rows}


__all__ = [
    "DIMENSIONS",
    "FOCUS_COUNTRIES",
    "count",
    "facet_counts",
    "filter_summary",
    "FilterSummary",
    "meta",
    "option_values",
    "organisation_index",
    "organisation_names",
    "organisation_table",
    "taxonomy",
    "capability_leaves",
    "total_organisations",
]
