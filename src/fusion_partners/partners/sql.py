"""The partner finder's questions to the database: ranked suggestions, candidate counts, what
loosening a filter would give, what a start can take part in, and a pair kind by kind
(model and formulas: :mod:`fusion_partners.partners.query`).

Every statement scores all candidates of one start in a single DuckDB query: the start's
capabilities (or the needed ones) are joined to ``organisation_capabilities`` and to the
``partner_rules`` loaded from ``data/supply_map.csv``, so only organisations that can match
are touched and no Python code loops over pairs. Capability rarity (``capability_stats``) is
computed once by the build. The statements are built by
:mod:`fusion_partners.partners.organisation_sql` (a start organisation) and
:mod:`fusion_partners.partners.capabilities_sql` (needed capabilities); finding a start by
name is :mod:`fusion_partners.partners.lookup_sql`, the Japan–UK network
:mod:`fusion_partners.partners.links_sql`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any

import duckdb
import pandas as pd

from fusion_partners.data.partner_rules import KINDS
from fusion_partners.db import fetch_df, fetch_rows
from fusion_partners.partners import capabilities_sql, organisation_sql
from fusion_partners.partners.query import DEFAULT_WEIGHTS, PartnerFilters, PartnerQuery, Weights


def used_params(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters ``sql`` uses, ``{name: value}`` (DuckDB rejects unused ones)."""
    return {k: v for k, v in params.items() if re.search(rf"\${re.escape(k)}\b", sql)}


def _statements(query: PartnerQuery) -> ModuleType:
    """The module building ``query``'s statement: organisation or capability mode."""
    return organisation_sql if query.mode == "organisation" else capabilities_sql


def suggestions(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> pd.DataFrame:
    """Ranked partner suggestions for ``query`` (empty frame when there are none).

    Returns:
        One row per candidate, best first (score, then match, confidence, English name,
        id), at most ``query.limit`` rows. Columns: ``rank`` (1-based, over all candidates;
        ties share a rank), ``id``, ``name_en``, ``name_ja``, ``country``,
        ``prefecture_or_city``, ``org_type``, ``membership``, ``membership_class``,
        ``confidence``, ``confidence_rank``, ``capabilities`` (slugs), ``source_urls``,
        ``match`` (raw match strength), ``match_points``, ``confidence_points``,
        ``membership_points``, ``score`` (their sum, rounded to 6 decimals), ``tied`` and
        ``matches`` (list of dicts, strongest first; see
        :mod:`fusion_partners.partners.reasons`). In organisation mode, rows are ordered by
        score, then the ranking keys that break a tie of scores, which are columns too:
        ``top`` (the strongest single match) and ``n_sources`` (how many sources the record
        cites), after ``confidence_rank``; and the other terms of the score and ``known``,
        ``links``. Empty in capability mode with nothing needed, or for an unknown start.

    Raises:
        QueryFailed: when DuckDB fails.
    """
    if query.mode == "none":
        query = PartnerQuery(needs=("__none__",), kind=query.kind)  # same columns, no rows
    sql, params = _statements(query).ranked(con, query)
    df = fetch_df(con, sql, used_params(sql, {**params, "limit": query.limit}))
    df["matches"] = [[dict(m) for m in ms] for ms in df["matches"]]
    if query.mode == "organisation":
        df["links"] = [
            [dict(x) for x in ls] if isinstance(ls, list | tuple) or hasattr(ls, "tolist") else []
            for ls in df["links"]
        ]
    return df


def count_candidates(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> int:
    """How many candidates ``query`` has in total (ignoring ``limit``)."""
    if query.mode == "none":
        return 0
    sql, params = _statements(query).scored(con, query)
    sql += " SELECT count(*) FROM final"
    return int(fetch_rows(con, sql, used_params(sql, params))[0][0])


def counts_by_kind(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> dict[str, int]:
    """Candidates per kind of collaboration for the same start and filters."""
    return {kind: count_candidates(con, replace(query, kind=kind)) for kind in KINDS}


def _every_country(con: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    return tuple(
        r[0] for r in fetch_rows(con, "SELECT DISTINCT country FROM organisations ORDER BY 1")
    )


def relaxations(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> list[tuple[str, int]]:
    """What loosening one restriction of an empty ``query`` would give.

    Returns:
        ``[(what, n)]`` with ``n > 0`` only, in this order: ``"country"`` (every country),
        ``"org_type"``, ``"membership"``, ``"min_confidence"`` (any confidence), ``"known"``
        (known partners shown, when hidden), then ``"kind:<kind>"`` for each other kind
        with the same filters.
    """
    f = query.filters
    every = _every_country(con)
    tries: list[tuple[str, PartnerQuery]] = []
    if set(f.countries) != set(every):
        tries.append(("country", replace(query, filters=replace(f, countries=every))))
    if f.org_types:
        tries.append(("org_type", replace(query, filters=replace(f, org_types=()))))
    if f.memberships:
        tries.append(("membership", replace(query, filters=replace(f, memberships=()))))
    if f.min_confidence != "low":
        tries.append(("min_confidence", replace(query, filters=replace(f, min_confidence="low"))))
    if query.known == "hide":
        tries.append(("known", replace(query, known="mix")))
    out = [(what, count_candidates(con, relaxed)) for what, relaxed in tries]
    out += [
        (f"kind:{kind}", count_candidates(con, replace(query, kind=kind)))
        for kind in KINDS
        if kind != query.kind
    ]
    return [(what, n) for what, n in out if n > 0]


def start_roles(con: duckdb.DuckDBPyConnection, start: str) -> dict[str, bool]:
    """What the start organisation can take part in: ``{kind: bool}`` — True when the partner
    model finds it a candidate of that kind in any country (no candidate filter).

    Raises:
        QueryFailed: when DuckDB fails.
    """
    wide = PartnerFilters(countries=_every_country(con))
    return {
        kind: count_candidates(con, PartnerQuery(start=start, kind=kind, filters=wide)) > 0
        for kind in KINDS
    }


def candidate_countries(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> dict[str, int]:
    """Where ``query``'s candidates are when every country is searched (its other filters
    kept): ``{country: candidates}``, most first (then by country code). Empty when it has
    none anywhere.

    Raises:
        QueryFailed: when DuckDB fails.
    """
    if query.mode == "none":
        return {}
    wide = replace(query, filters=replace(query.filters, countries=_every_country(con)))
    sql, params = _statements(wide).scored(con, wide)
    sql += (
        " SELECT o.country, count(*) AS n FROM final f JOIN organisations o ON o.id = f.id"
        " GROUP BY o.country ORDER BY n DESC, o.country"
    )
    return {c: int(n) for c, n in fetch_rows(con, sql, used_params(sql, params))}


@dataclass(frozen=True)
class OpeningView:
    """The view the profile's "Find partners for this organisation" link opens.

    ``kind`` and ``countries`` (empty: the default, the other country) give the view, ``n``
    its candidates; ``why`` says how it was found: ``"suits"`` (the kind asked for, in the
    other country), ``"kind"`` (another kind: the one asked for has no candidate in the
    other country), ``"elsewhere"`` (no kind has a candidate in the other country: the kind's
    candidates where they are) or ``"none"`` (no candidate in any kind or country)."""

    kind: str
    countries: tuple[str, ...]
    n: int
    why: str


def opening_view(con: duckdb.DuckDBPyConnection, start: str, kind: str) -> OpeningView:
    """A view of ``start``'s partners that has candidates, ``kind`` first: ``kind`` in the
    other country; else the kind with most candidates there; else, when the organisation has
    no partner in the other country in any kind (a prefecture hosting a site: a plant's site
    is in its own country), ``kind``'s candidates (or the first kind's that has some) in the
    countries where they are. A dead end only when it has no candidate at all.

    Raises:
        QueryFailed: when DuckDB fails.
    """
    query = PartnerQuery(start=start, kind=kind)
    counts = counts_by_kind(con, query)
    if counts.get(kind, 0) > 0:
        return OpeningView(kind, (), counts[kind], "suits")
    best = max(KINDS, key=lambda k: counts.get(k, 0))
    if counts.get(best, 0) > 0:
        return OpeningView(best, (), counts[best], "kind")
    for k in (kind, *(k for k in KINDS if k != kind)):
        where = candidate_countries(con, replace(query, kind=k))
        if where:
            return OpeningView(k, tuple(where), sum(where.values()), "elsewhere")
    return OpeningView(kind, (), 0, "none")


def partner_rules(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The rules of ``data/supply_map.csv`` as loaded by the build (one row per rule)."""
    return fetch_df(con, "SELECT * FROM partner_rules ORDER BY rule_id")


def capability_stats(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per capability: ``slug``, ``n_orgs`` (organisations holding it) and ``idf`` = ln(N / n_orgs)."""
    return fetch_df(con, "SELECT slug, n_orgs, idf FROM capability_stats ORDER BY slug")


def pair_kinds(
    con: duckdb.DuckDBPyConnection, a: str, b: str, weights: Weights = DEFAULT_WEIGHTS
) -> pd.DataFrame:
    """How the partner model matches organisation ``b`` as a partner of ``a``, kind by kind
    (the pair view): one row per kind in which ``b`` is a candidate of ``a`` (any filter
    aside from ``b``'s country) under ``weights``, with ``kind``, ``rank``, ``score``,
    ``matches``, ``shared_points``, ``shared_leaves``, ``mutual_points`` and
    ``mutual_partners`` as in :func:`suggestions`, plus
    ``links`` (documented collaborations of the two).

    Raises:
        QueryFailed: when DuckDB fails.
    """
    columns = [
        "kind",
        "rank",
        "score",
        "matches",
        "shared_points",
        "shared_leaves",
        "mutual_points",
        "mutual_partners",
        "links",
    ]
    rows = fetch_rows(con, "SELECT country FROM organisations WHERE id = $b", {"b": b})
    frames = []
    if rows and a != b:
        for kind in KINDS:
            df = suggestions(
                con,
                PartnerQuery(
                    start=a,
                    kind=kind,
                    filters=PartnerFilters(countries=(rows[0][0],)),
                    weights=weights,
                    limit=500,
                ),
            )
            hit = df[df["id"] == b]
            if not hit.empty:
                frames.append(hit.assign(kind=kind)[columns])
    if not frames:
        return pd.DataFrame({c: [] for c in columns})
    return pd.concat(frames, ignore_index=True)
