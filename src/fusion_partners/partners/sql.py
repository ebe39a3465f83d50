"""SQL of the partner finder (model and formulas: :mod:`fusion_partners.partners.query`).

Every statement scores all candidates of one start in a single DuckDB query: the start's
capabilities (or the needed ones) are joined to ``organisation_capabilities`` and to the
``partner_rules`` loaded from ``data/supply_map.csv``, so only organisations that can match
are touched and no Python code loops over pairs. Capability rarity (``capability_stats``)
is computed once by the build. Values are bound as ``$parameters``; the only composed text
is the candidate WHERE clause from :func:`fusion_partners.explore.filters.where` and fragments
chosen from the fixed dictionaries below.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import duckdb
import pandas as pd

from fusion_partners.data import partner_rules as pm
from fusion_partners.data.partner_rules import KINDS
from fusion_partners.db import fetch_df, fetch_rows
from fusion_partners.explore.filters import MAX_SEARCH_TERMS, Filters, SearchIndex, where
from fusion_partners.partners.query import (
    DEVELOPER_CAPABILITIES,
    FOCUS_COUNTRIES,
    FUNDER_TYPES,
    NOT_RESEARCH_TYPES,
    RESEARCH_CAPABILITIES,
    RESEARCH_TYPES,
    PartnerFilters,
    PartnerQuery,
    Weights,
    candidate_filters,
)
from fusion_partners.partners.scoring_sql import hits_params, hits_sql
from fusion_partners.queries import filter_clause
from fusion_partners.search.text import search_terms

_RESEARCH = (
    "((o.org_type = ANY($research_types) OR list_has_any(o.capabilities, $research_caps))"
    " AND NOT o.org_type = ANY($not_research_types)"
    " AND NOT (o.org_type = ANY($funder_types) AND NOT list_has_any(o.capabilities, $developer_caps)))"
)

# --- scoring ------------------------------------------------------------------------------
# Each variant defines a CTE ``hits``: one narrow row per (candidate, matched rule or
# capability) with the candidate filters already applied, columns
#   cand, weight, sort_key, rule_id, direction, cap
# (``weight`` enters the match; ``sort_key`` orders a candidate's matches, strongest first;
# ``rule_id`` points into partner_rules, ``cap`` is the capability for shared/held matches).
# Phase 1 scores every candidate on narrow rows and keeps the best ``limit``; phase 2 builds
# the match structs (for reasons) and fetches the wide columns for those rows only.

_ORG_RULES_HITS = """
    s AS (SELECT id, org_type, capabilities FROM organisations WHERE id = $start),
    r AS (SELECT * FROM partner_rules WHERE kind = $kind),
    m AS (
        SELECT r.*, 'forward' AS direction, r.supply AS want, r.supply_types AS want_types
        FROM r, s
        WHERE (r.demand = '*' OR list_contains(s.capabilities, r.demand))
          AND (len(r.demand_types) = 0 OR list_contains(r.demand_types, s.org_type))
        UNION ALL
        SELECT r.*, 'reverse' AS direction, r.demand AS want, r.demand_types AS want_types
        FROM r, s
        WHERE (r.supply = '*' OR list_contains(s.capabilities, r.supply))
          AND (len(r.supply_types) = 0 OR list_contains(r.supply_types, s.org_type))
    ),
    raw AS (
        SELECT m.*, oc.org_id AS cand FROM m JOIN organisation_capabilities oc ON oc.capability = m.want
        UNION ALL
        SELECT t.* EXCLUDE (want_type), o.id AS cand
        FROM (SELECT *, unnest(want_types) AS want_type FROM m WHERE want = '*') t
        JOIN organisations o ON o.org_type = t.want_type
    ),
    hits AS (
        SELECT raw.cand, raw.weight, raw.weight AS sort_key, raw.rule_id, raw.direction,
               NULL::VARCHAR AS cap
        FROM raw JOIN organisations o ON o.id = raw.cand
        WHERE (len(raw.want_types) = 0 OR list_contains(raw.want_types, o.org_type))
          AND o.id <> $start AND {where}
    )
"""

_ORG_RESEARCH_HITS = f"""
    s AS (SELECT id, capabilities FROM organisations WHERE id = $start),
    ok AS (SELECT count(*) > 0 AS yes FROM organisations o WHERE o.id = $start AND {_RESEARCH}),
    hits AS (
        SELECT oc.org_id AS cand, pow(cs.idf, $rarity) AS weight, cs.idf AS sort_key,
               NULL::INTEGER AS rule_id, 'shared' AS direction, oc.capability AS cap
        FROM (SELECT unnest(capabilities) AS cap FROM s) sc
        JOIN organisation_capabilities oc ON oc.capability = sc.cap
        JOIN capability_stats cs ON cs.slug = oc.capability
        JOIN organisations o ON o.id = oc.org_id, ok
        WHERE ok.yes AND o.id <> $start AND {_RESEARCH} AND {{where}}
    )
"""  # noqa: S608 (fixed fragments; values are bound)

_HELD = """
        SELECT oc.org_id AS cand, pow(cs.idf, $rarity) AS weight, cs.idf AS sort_key,
               NULL::INTEGER AS rule_id, 'held' AS direction, oc.capability AS cap
        FROM organisation_capabilities oc
        JOIN capability_stats cs ON cs.slug = oc.capability
        JOIN organisations o ON o.id = oc.org_id
        WHERE oc.capability = ANY($needs) AND {where}
"""

_NEEDS_RESEARCH_HITS = f"""
    hits AS ({_HELD} AND {_RESEARCH})
"""

_ROLE_STRUCT = (
    "{'rule_id': x.rule_id, 'kind': x.kind, 'direction': x.direction, 'demand': x.demand, "
    "'demand_types': x.demand_types, 'supply': x.supply, 'supply_types': x.supply_types, 'weight': 0.0}"
)

_NEEDS_RULES_HITS = f"""
    held AS ({_HELD}),
    sides AS (
        SELECT r.*, 'role_demand' AS direction, r.demand AS cap, r.demand_types AS types
        FROM partner_rules r WHERE r.kind = $kind AND (r.demand = '*' OR r.demand = ANY($needs))
        UNION ALL
        SELECT r.*, 'role_supply' AS direction, r.supply AS cap, r.supply_types AS types
        FROM partner_rules r WHERE r.kind = $kind AND (r.supply = '*' OR r.supply = ANY($needs))
    ),
    roles AS (
        SELECT o.id AS cand, arg_max({_ROLE_STRUCT}, x.weight * 1000 - x.rule_id) AS role
        FROM (SELECT DISTINCT cand FROM held) c JOIN organisations o ON o.id = c.cand
        JOIN sides x ON (x.cap = '*' OR list_contains(o.capabilities, x.cap))
                    AND (len(x.types) = 0 OR list_contains(x.types, o.org_type))
        GROUP BY o.id
    ),
    hits AS (SELECT held.* FROM held SEMI JOIN roles ON roles.cand = held.cand)
"""  # noqa: S608 (fixed fragments; values are bound)

_PLAIN_SUM = "sum(h.weight)"
_DISCOUNTED = "list_sum(list_transform(list_sort(list(h.weight), 'DESC'), lambda w, i: w * pow($breadth, i - 1)))"

_SCORES = """,
    scores AS (SELECT h.cand AS id, {agg} AS match FROM hits h GROUP BY h.cand),
    final AS (
        SELECT s.id, s.match, o.confidence_rank, o.name_en, o.name_ja,
               $w_match * s.match AS match_points,
               $w_conf * (o.confidence_rank - 1) / 2.0 AS confidence_points,
               $w_member * CASE WHEN o.membership <> 'other' THEN 1 ELSE 0 END AS membership_points,
               round($w_match * s.match + $w_conf * (o.confidence_rank - 1) / 2.0
                     + $w_member * CASE WHEN o.membership <> 'other' THEN 1 ELSE 0 END, 6) AS score
        FROM scores s JOIN organisations o ON o.id = s.id
        WHERE s.match > 0
    )
"""

_ORDER = "score DESC, match DESC, confidence_rank DESC, lower(coalesce(name_en, name_ja)), id"

_DETAIL = """,
    top AS (
        SELECT *, rank() OVER (ORDER BY score DESC) AS rank FROM final
        ORDER BY {order} LIMIT $limit
    ),
    detail AS (
        SELECT h.cand AS id,
               list({{'rule_id': h.rule_id, 'kind': $kind, 'direction': h.direction,
                      'demand': coalesce(r.demand, h.cap),
                      'demand_types': coalesce(r.demand_types, []::VARCHAR[]),
                      'supply': coalesce(r.supply, h.cap),
                      'supply_types': coalesce(r.supply_types, []::VARCHAR[]), 'weight': h.weight}}
                    ORDER BY h.sort_key DESC, h.rule_id NULLS LAST, h.direction, h.cap) AS matches
        FROM (SELECT * FROM hits h SEMI JOIN top ON top.id = h.cand) h
        LEFT JOIN partner_rules r ON r.rule_id = h.rule_id
        GROUP BY h.cand
    )
    SELECT top.rank, o.id, o.name_en, o.name_ja, o.country, o.prefecture_or_city, o.org_type,
           o.membership, o.membership_class, o.confidence, o.confidence_rank, o.capabilities,
           o.source_urls, top.match, {matches} AS matches, top.match_points,
           top.confidence_points, top.membership_points, top.score
    FROM top JOIN organisations o ON o.id = top.id JOIN detail ON detail.id = top.id {roles_join}
    ORDER BY top.score DESC, top.match DESC, top.confidence_rank DESC, lower(coalesce(o.name_en, o.name_ja)), o.id
"""


KIND_RELATIONS: dict[str, tuple[str, ...]] = {
    "supply_chain": ("contract_supply",),
    "joint_research": ("joint_research",),
    "demonstration": ("demonstration",),
    "innovation": ("investment",),
    "counterparts": (),
    "teaming": ("consortium_teaming",),
}
"""Relations of documented links that make a known partner a candidate of a kind even when
no leaf or role matches (the link term alone then scores it)."""

_ORG_SCORES = """,
    hd AS (  -- a leaf counts once per pair: its strongest match (then the first direction)
        SELECT cand, supply, b.weight, b.sort_key, b.direction, b.demand
        FROM (SELECT cand, supply,
                     arg_min({{'weight': weight, 'sort_key': sort_key, 'direction': direction, 'demand': demand}},
                             {{'w': -weight, 'd': direction}}) AS b
              FROM hits GROUP BY cand, supply)
    ),
    scores AS (SELECT h.cand AS id, {agg} AS match, max(h.sort_key) AS top FROM hd h GROUP BY h.cand),
    known AS (
        SELECT CASE WHEN l.org_a = $start THEN l.org_b ELSE l.org_a END AS id,
               list({{'relation': l.relation, 'year': l.year, 'what': l.what, 'source_urls': l.source_urls}}
                    ORDER BY l.year DESC NULLS LAST, l.link_id) AS links
        FROM links l
        WHERE (l.org_a = $start OR l.org_b = $start) AND NOT list_contains($ignore, '*')
          AND NOT list_contains($ignore, CASE WHEN l.org_a = $start THEN l.org_b ELSE l.org_a END)
        GROUP BY 1
    ),
    abroad AS (  -- partners in the start's country other than the start (counts from the build)
        SELECT lpc.org_id AS id,
               lpc.n - (lpc.org_id IN (SELECT CASE WHEN l.org_a = $start THEN l.org_b ELSE l.org_a END
                                       FROM links l WHERE l.org_a = $start OR l.org_b = $start))::INT AS n
        FROM link_partner_countries lpc
        WHERE lpc.country = (SELECT country FROM organisations WHERE id = $start) AND lpc.org_id <> $start
    ),
    pool AS (
        SELECT id, match, top FROM scores WHERE match > 0
        UNION ALL
        SELECT k.id, 0.0, 0.0 FROM known k JOIN c ON c.id = k.id
        WHERE list_has_any(list_transform(k.links, lambda x: x.relation), $kind_relations)
          AND k.id NOT IN (SELECT id FROM scores WHERE match > 0)
    ),
    final0 AS (
        SELECT p.id, p.match, p.top, o.confidence_rank, o.name_en, o.name_ja,
               CASE WHEN o.name_en LIKE '%)' THEN lower(regexp_extract(o.name_en, $unit_name, 2)) END AS parent_name,
               len(string_split(o.source_urls, ' ')) AS n_sources,
               (k.id IS NOT NULL) AS known, k.links,
               $w_match * p.match AS match_points,
               $w_link * (k.id IS NOT NULL)::INT AS link_points,
               $w_conf * (o.confidence_rank - 1) / 2.0 AS confidence_points,
               $w_member * (len(o.memberships) > 0)::INT AS membership_points,
               $w_network * least(coalesce(a.n, 0), 3) / 3.0 AS network_points,
               coalesce(a.n, 0) AS n_abroad,
               round($w_match * p.match + $w_link * (k.id IS NOT NULL)::INT
                     + $w_conf * (o.confidence_rank - 1) / 2.0
                     + $w_member * (len(o.memberships) > 0)::INT
                     + $w_network * least(coalesce(a.n, 0), 3) / 3.0, 6) AS score
        FROM pool p JOIN organisations o ON o.id = p.id LEFT JOIN known k ON k.id = p.id
        LEFT JOIN abroad a ON a.id = p.id
        WHERE {known_filter}
    ),
    sn0 AS (SELECT id, name_en, CASE WHEN name_en LIKE '%)' THEN lower(regexp_extract(name_en, $unit_name, 2)) END
                   AS parent_name FROM organisations WHERE id = $start),
    units AS (  -- unit -> parent: the bracket is exactly the other's name without its legal form
        SELECT u.id AS unit, p.id AS parent
        FROM (SELECT id, parent_name FROM final0 WHERE parent_name IS NOT NULL
              UNION ALL SELECT id, parent_name FROM sn0 WHERE parent_name IS NOT NULL) u
        JOIN (SELECT id, name_en FROM final0 UNION ALL SELECT id, name_en FROM sn0) p
          ON starts_with(lower(p.name_en), u.parent_name) AND p.id <> u.id
         AND regexp_replace(lower(p.name_en), $legal_form, '') = u.parent_name
    ),
    final AS (  -- a unit's row folds into its parent's; the start's own unit or parent is no candidate
        SELECT f.* EXCLUDE (parent_name, match, score, match_points),
               greatest(f.match, coalesce(r.match, 0)) AS match,
               $w_match * greatest(f.match, coalesce(r.match, 0)) AS match_points,
               round(f.score + $w_match * (greatest(f.match, coalesce(r.match, 0)) - f.match), 6) AS score
        FROM final0 f
        LEFT JOIN (SELECT u.parent, max(x.match) AS match FROM units u JOIN final0 x ON x.id = u.unit
                   GROUP BY u.parent) r ON r.parent = f.id
        WHERE f.id NOT IN (SELECT unit FROM units)
          AND f.id NOT IN (SELECT parent FROM units WHERE unit = $start)
    )
"""

_ORG_KEYS = "{first}score DESC, top DESC, confidence_rank DESC, n_sources DESC"


def _rank_key(known_first: bool) -> str:
    """The ranking keys of :data:`_ORG_KEYS` as one struct (all descending, compared field by field)."""
    return (
        "{'k': known::INT, " if known_first else "{"
    ) + "'s': score, 't': top, 'c': confidence_rank, 'n': n_sources}"


_ORG_DETAIL = """,
    keyed AS (SELECT *, {rank_key} AS rk FROM final),
    shown AS (  -- the best rows only (a top-N, not a sort of every candidate)
        SELECT * FROM keyed ORDER BY {keys}, lower(coalesce(name_en, name_ja)), id LIMIT $limit
    ),
    top AS (  -- rank = 1 + candidates better on the ranking keys; a row ties when another equals it on all
        SELECT t.*, row_number() OVER (ORDER BY {keys}, lower(coalesce(name_en, name_ja)), id) AS ord,
               1 + (SELECT count(*) FROM keyed f WHERE f.rk > t.rk) AS rank,
               (SELECT count(*) FROM keyed f WHERE f.known = t.known AND f.score = t.score
                AND f.top = t.top AND f.confidence_rank = t.confidence_rank
                AND f.n_sources = t.n_sources) > 1 AS tied
        FROM shown t
    ),
    detail AS (
        SELECT h.cand AS id,
               list({{'rule_id': NULL::INTEGER, 'kind': $kind, 'direction': h.direction, 'demand': h.demand,
                      'demand_types': []::VARCHAR[], 'supply': h.supply, 'supply_types': []::VARCHAR[],
                      'weight': h.weight}} ORDER BY h.weight DESC, h.direction, h.demand) AS matches
        FROM (SELECT coalesce(u.parent, h.cand) AS cand, h.* EXCLUDE (cand) FROM hd h
              LEFT JOIN units u ON u.unit = h.cand) h
        SEMI JOIN top ON top.id = h.cand
        GROUP BY h.cand
    )
    SELECT top.rank, top.tied, o.id, o.name_en, o.name_ja, o.country, o.prefecture_or_city, o.org_type,
           o.membership, o.membership_class, o.confidence, o.confidence_rank, o.capabilities, o.roles,
           o.offers, o.needs, o.source_urls, top.match, coalesce(detail.matches, []) AS matches,
           top.match_points, top.link_points, top.confidence_points, top.membership_points,
           top.network_points, top.n_abroad, top.score,
           top.known, top.links
    FROM top JOIN organisations o ON o.id = top.id LEFT JOIN detail ON detail.id = top.id
    ORDER BY top.ord
"""


def _org_scored(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> tuple[str, dict[str, Any]]:
    """Organisation mode: ``WITH …`` defining ``hits``, ``scores``, ``known``, ``pool`` and
    ``final`` (one scored row per candidate) under the partner model
    (:mod:`fusion_partners.data.partner_rules`)."""
    country = _start_country(con, query.start)
    # candidate filters hold no capability or search text: no need to read the search index
    clause = where(candidate_filters(query, country), SearchIndex())
    known_filter = "k.id IS NULL" if query.known == "hide" else "TRUE"
    sql = (
        "WITH "
        + hits_sql(query.kind).replace("{where}", clause.sql)
        + _ORG_SCORES.format(agg=_DISCOUNTED, known_filter=known_filter)
    )
    w = query.weights
    params: dict[str, Any] = {
        **clause.params,
        **hits_params(query.kind, w.rarity),
        "start": query.start,
        "kind": query.kind,
        "w_match": w.match,
        "w_link": w.link,
        "w_network": w.network,
        "w_conf": w.confidence,
        "w_member": w.membership,
        "breadth": w.breadth,
        "ignore": list(query.ignore_links_with),
        "kind_relations": list(KIND_RELATIONS[query.kind]),
        "unit_name": pm.SUBSIDIARY_NAME,
        "legal_form": pm.LEGAL_FORM,
    }
    return sql, params


def _bound(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters ``sql`` uses (DuckDB rejects unused ones)."""
    return {k: v for k, v in params.items() if re.search(rf"\${re.escape(k)}\b", sql)}


def _variant(query: PartnerQuery) -> tuple[str, str, bool]:
    """(hits SQL, match aggregate, has roles) for the query's mode and kind."""
    research = query.kind == "joint_research"
    if query.mode == "organisation":
        return (
            (_ORG_RESEARCH_HITS, _PLAIN_SUM, False)
            if research
            else (_ORG_RULES_HITS, _DISCOUNTED, False)
        )
    return (
        (_NEEDS_RESEARCH_HITS, _PLAIN_SUM, False)
        if research
        else (_NEEDS_RULES_HITS, _PLAIN_SUM, True)
    )


def _start_country(con: duckdb.DuckDBPyConnection, start: str) -> str | None:
    rows = fetch_rows(con, "SELECT country FROM organisations WHERE id = $id", {"id": start})
    return rows[0][0] if rows else None


def _scored(
    con: duckdb.DuckDBPyConnection, query: PartnerQuery
) -> tuple[str, dict[str, Any], bool]:
    """``WITH …`` defining ``hits``, ``scores`` and ``final`` (one scored row per candidate)."""
    if query.mode == "organisation":
        sql, org_params = _org_scored(con, query)
        return sql, org_params, False
    country = _start_country(con, query.start) if query.mode == "organisation" else None
    clause = filter_clause(con, candidate_filters(query, country))
    hits, agg, roles = _variant(query)
    sql = "WITH " + hits.replace("{where}", clause.sql) + _SCORES.replace("{agg}", agg)
    w = query.weights
    params: dict[str, Any] = {
        **clause.params,
        "kind": query.kind,
        "w_match": w.match,
        "w_conf": w.confidence,
        "w_member": w.membership,
        "rarity": w.rarity,
        "breadth": w.breadth,
        "research_types": list(RESEARCH_TYPES),
        "research_caps": list(RESEARCH_CAPABILITIES),
        "not_research_types": list(NOT_RESEARCH_TYPES),
        "funder_types": list(FUNDER_TYPES),
        "developer_caps": list(DEVELOPER_CAPABILITIES),
    }
    if query.mode == "organisation":
        params["start"] = query.start
    else:
        params["needs"] = list(query.needs)
    return sql, {k: v for k, v in params.items() if f"${k}" in sql or k in clause.params}, roles


def suggestions(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> pd.DataFrame:
    """Ranked partner suggestions for ``query`` (empty frame when there are none).

    Returns:
        One row per candidate, best first (score, then match, confidence, English name,
        id), at most ``query.limit`` rows. Columns: ``rank`` (1-based, over all candidates;
        ties share a rank), ``id``, ``name_en``, ``name_ja``, ``country``,
        ``prefecture_or_city``, ``org_type``, ``membership``, ``membership_class``,
        ``confidence``, ``confidence_rank``, ``capabilities`` (slugs), ``source_urls``,
        ``match`` (raw match strength), ``match_points``, ``confidence_points``,
        ``membership_points``, ``score`` (their sum, rounded to 6 decimals) and ``matches``
        (list of dicts, strongest first; see :mod:`fusion_partners.partners.reasons`). Empty in
        capability mode with nothing needed, or for an unknown start.

    Raises:
        QueryFailed: when DuckDB fails.
    """
    if query.mode == "none":
        query = PartnerQuery(needs=("__none__",), kind=query.kind)  # same columns, no rows
    if query.mode == "organisation":
        sql, params = _org_scored(con, query)
        first = "known DESC, " if query.known == "first" else ""
        sql += _ORG_DETAIL.format(
            keys=_ORG_KEYS.format(first=first), rank_key=_rank_key(query.known == "first")
        )
        df = fetch_df(con, sql, _bound(sql, {**params, "limit": query.limit}))
        df["matches"] = [[dict(m) for m in ms] for ms in df["matches"]]
        df["links"] = [
            [dict(x) for x in ls] if isinstance(ls, list | tuple) or hasattr(ls, "tolist") else []
            for ls in df["links"]
        ]
        return df
    sql, params, roles = _scored(con, query)
    sql += _DETAIL.format(
        order=_ORDER,
        matches="list_append(detail.matches, roles.role)" if roles else "detail.matches",
        roles_join="JOIN roles ON roles.cand = top.id" if roles else "",
    )
    df = fetch_df(con, sql, {**params, "limit": query.limit, "kind": query.kind})
    df["matches"] = [[dict(m) for m in ms] for ms in df["matches"]]
    return df


def count_candidates(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> int:
    """How many candidates ``query`` has in total (ignoring ``limit``)."""
    if query.mode == "none":
        return 0
    sql, params, _ = _scored(con, query)
    sql += " SELECT count(*) FROM final"
    return int(fetch_rows(con, sql, _bound(sql, params))[0][0])


def counts_by_kind(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> dict[str, int]:
    """Candidates per kind of collaboration for the same start and filters."""
    return {kind: count_candidates(con, replace(query, kind=kind)) for kind in KINDS}


def relaxations(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> list[tuple[str, int]]:
    """What loosening one restriction of an empty ``query`` would give.

    Returns:
        ``[(what, n)]`` with ``n > 0`` only, in this order: ``"country"`` (every country),
        ``"org_type"``, ``"membership"``, ``"min_confidence"`` (any confidence), then
        ``"kind:<kind>"`` for each other kind with the same filters.
    """
    f = query.filters
    every = tuple(r[0] for r in fetch_rows(con, "SELECT DISTINCT country FROM organisations"))
    tries: list[tuple[str, PartnerFilters]] = []
    if set(f.countries) != set(every):
        tries.append(("country", replace(f, countries=every)))
    if f.org_types:
        tries.append(("org_type", replace(f, org_types=())))
    if f.memberships:
        tries.append(("membership", replace(f, memberships=())))
    if f.min_confidence != "low":
        tries.append(("min_confidence", replace(f, min_confidence="low")))
    out = [
        (what, count_candidates(con, replace(query, filters=relaxed))) for what, relaxed in tries
    ]
    out += [
        (f"kind:{kind}", count_candidates(con, replace(query, kind=kind)))
        for kind in KINDS
        if kind != query.kind
    ]
    return [(what, n) for what, n in out if n > 0]


_FIND_SQL = r"""
    WITH m AS MATERIALIZED (
        SELECT o.id, o.name_en, o.name_ja, o.country, o.name_keys FROM organisations o WHERE {conds}
    ),
    tiers AS MATERIALIZED (
        SELECT k.id, k.k,
               CASE WHEN k.k = $q_whole THEN 0 WHEN {whole_words} THEN 1 WHEN {word_starts} THEN 2 ELSE 3 END AS tier
        FROM (SELECT m.id, unnest(m.name_keys) AS k FROM m) k
    ),
    pool AS MATERIALIZED (SELECT * FROM tiers ORDER BY tier, length(k), k LIMIT $pool),
    word_rows AS (
        SELECT t.id, t.k, w.word,
               coalesce(list_max(list_transform($q_words, lambda q:
                   CASE WHEN w.word = q THEN 1.0 WHEN strpos(w.word, q) > 0 THEN length(q) / length(w.word)
                        ELSE 0.0 END)), 0.0) AS share
        FROM pool t, unnest(regexp_extract_all(t.k, '[\pL\pN]+')) AS w(word)
    ),
    weighted AS (
        SELECT wr.id, wr.k, wr.share, ln(($n_orgs + 1.0) / greatest(coalesce(len(st.orgs), 1), 1)) AS idf
        FROM word_rows wr LEFT JOIN search_tokens st ON st.token = wr.word
    ),
    covered AS (
        SELECT id, k, coalesce(sum(idf * share) / nullif(sum(idf), 0), 0.0) AS coverage
        FROM weighted GROUP BY id, k
    ),
    best AS (
        SELECT t.id, arg_min({{'tier': t.tier, 'coverage': coalesce(c.coverage, 0.0),
                               'prefix': NOT starts_with(t.k, $q_whole)}},
                             [t.tier, -coalesce(c.coverage, 0.0), (NOT starts_with(t.k, $q_whole))::INT]) AS b
        FROM pool t LEFT JOIN covered c ON c.id = t.id AND c.k = t.k
        GROUP BY t.id
    )
    SELECT m.id, m.name_en, m.name_ja, m.country,
           ['exact', 'words', 'prefix', 'contains'][best.b.tier + 1] AS "match", best.b.coverage AS coverage
    FROM m JOIN best ON best.id = m.id
    ORDER BY best.b.tier, best.b.coverage DESC, best.b.prefix, lower(coalesce(m.name_en, m.name_ja)), m.id
    LIMIT $limit
"""
_NOT_WORD = r"[^\pL\pN]"


def find_organisations(con: duckdb.DuckDBPyConnection, text: str, limit: int = 50) -> pd.DataFrame:
    """Organisations whose English or Japanese name, or its romanised reading, contains every
    word of ``text`` (normalised with :func:`fusion_partners.search.text.search_terms`, as search is:
    widths, kana, case and corporate forms ignored; matched literally), best match first.

    Ranking, per name (the best of an organisation's English name, Japanese name and
    reading counts):

    1. *tier*: the name equals the text (``exact``); every word of the text is a whole word
       of the name (``words``); every word begins a word of the name (``prefix``); the words
       occur somewhere (``contains``);
    2. *coverage*: the share of the name the text accounts for, each word of the name
       weighted by its inverse document frequency ``ln((N + 1) / n)`` over the search index
       (``search_tokens``; ``n`` = organisations whose searchable text has the word). Common
       words ("university", "of", "fusion") weigh little, so "oxford" finds *University of
       Oxford* (only a common word left over) before *Oxford Early Investments* (two
       distinctive words left over); a partly matched word counts by the share of its
       characters matched (京都 covers 京都大学 more than 京都フュージョニアリング);
    3. names that begin with the text, then the English name and the id.

    Returns:
        ``id``, ``name_en``, ``name_ja``, ``country``, ``match`` (the tier's name) and
        ``coverage`` (0…1), at most ``limit`` rows. Empty for blank ``text``.
    """
    terms = search_terms(text)[:MAX_SEARCH_TERMS]
    if not terms:
        return fetch_df(
            con,
            "SELECT id, name_en, name_ja, country, '' AS \"match\", 0.0 AS coverage FROM organisations LIMIT 0",
        )
    params: dict[str, Any] = {f"t{i}": term for i, term in enumerate(terms)}
    aliases = {
        r[0]
        for r in fetch_rows(
            con, "SELECT term_key FROM alias_terms WHERE term_key = ANY($t)", {"t": list(terms)}
        )
    }
    conds = " AND ".join(
        f"list_contains(o.name_keys, $t{i})"
        if term in aliases  # a short name: whole names only
        else f"len(list_filter(o.name_keys, lambda k: strpos(k, $t{i}) > 0)) > 0"
        for i, term in enumerate(terms)
    )
    words = list(dict.fromkeys(w for term in terms for w in _WORD.findall(term))) or terms
    for i, word in enumerate(
        words
    ):  # regular expressions of literal words (escaped), bound as values
        params[f"w{i}"] = f"(^|{_NOT_WORD}){re.escape(word)}($|{_NOT_WORD})"
        params[f"p{i}"] = f"(^|{_NOT_WORD}){re.escape(word)}"
    sql = _FIND_SQL.format(
        conds=conds,
        whole_words=" AND ".join(f"regexp_matches(k.k, $w{i})" for i in range(len(words))),
        word_starts=" AND ".join(f"regexp_matches(k.k, $p{i})" for i in range(len(words))),
    )
    n_orgs = fetch_rows(con, "SELECT count(*) FROM organisations")[0][0]
    return fetch_df(
        con,
        sql,
        {
            **params,
            "q_whole": " ".join(terms),
            "q_words": words,
            "n_orgs": int(n_orgs),
            "limit": int(limit),
            "pool": max(FIND_POOL, int(limit)),
        },
    )


FIND_POOL = 1000
"""Name keys ranked by coverage in :func:`find_organisations`: the best tiers' shortest names
(a text found in more names than this — a single letter at 100,000 organisations — ranks
the rest of its tier by length only)."""
_WORD = re.compile(r"[^\W_]+")
"""A word of a normalised name or query: letters and digits (Unicode), as ``[\\pL\\pN]+`` in
:data:`_FIND_SQL`."""


def start_roles(con: duckdb.DuckDBPyConnection, start: str) -> dict[str, bool]:
    """What the start organisation can take part in: ``{kind: bool}`` — True when the partner
    model finds it a candidate of that kind in any country (no candidate filter).

    Raises:
        QueryFailed: when DuckDB fails.
    """
    every = tuple(r[0] for r in fetch_rows(con, "SELECT DISTINCT country FROM organisations"))
    wide = PartnerFilters(countries=every)
    return {
        kind: count_candidates(con, PartnerQuery(start=start, kind=kind, filters=wide)) > 0
        for kind in KINDS
    }


def partner_rules(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The rules of ``data/supply_map.csv`` as loaded by the build (one row per rule)."""
    return fetch_df(con, "SELECT * FROM partner_rules ORDER BY rule_id")


def capability_stats(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per capability: ``slug``, ``n_orgs`` (organisations holding it) and ``idf`` = ln(N / n_orgs)."""
    return fetch_df(con, "SELECT slug, n_orgs, idf FROM capability_stats ORDER BY slug")


def pair_kinds(con: duckdb.DuckDBPyConnection, a: str, b: str) -> pd.DataFrame:
    """How the partner model matches organisation ``b`` as a partner of ``a``, kind by kind
    (the pair view): one row per kind in which ``b`` is a candidate of ``a`` (any filter
    aside from ``b``'s country), with ``kind``, ``rank``, ``score`` and ``matches`` as in
    :func:`suggestions`, plus ``links`` (documented collaborations of the two).

    Raises:
        QueryFailed: when DuckDB fails.
    """
    rows = fetch_rows(con, "SELECT country FROM organisations WHERE id = $b", {"b": b})
    frames = []
    if rows and a != b:
        for kind in KINDS:
            df = suggestions(
                con,
                PartnerQuery(
                    start=a, kind=kind, filters=PartnerFilters(countries=(rows[0][0],)), limit=500
                ),
            )
            hit = df[df["id"] == b]
            if not hit.empty:
                frames.append(hit.assign(kind=kind)[["kind", "rank", "score", "matches", "links"]])
    if not frames:
        return pd.DataFrame({"kind": [], "rank": [], "score": [], "matches": [], "links": []})
    return pd.concat(frames, ignore_index=True)


MAX_LINK_ENDS = 200
"""Organisations per country and side that :func:`candidate_links` pairs: those with the
highest possible link score (per side of a rule — buyer and supplier — for rule-based kinds,
so a country pairs at most twice this many). Pairs grow with the square of the ends, so this
bounds the work and memory of a network at any roster size: at most 2 × 200 × 200 pairs,
times the rules. At 100,000 organisations a network of one kind then takes about a second on
two cores (see docs/benchmarks.md)."""


def _link_ctes(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    kind: str,
    weights: Weights | None,
    per_side: int,
) -> tuple[str, dict[str, Any]]:
    """``WITH …`` of :func:`candidate_links`: ``e`` (the ends matching ``filters``), ``sides``
    (each end that can link at all, with ``ub``, an upper bound on the score of any of its
    links; ``in_d`` / ``in_s``: among the ``per_side`` best of its country as buyer / supplier
    of a rule — both the same for joint research, which has no sides; ``left_out``: some side
    of it was not paired), ``top`` (the paired ends) and ``pairs`` (``source_id``,
    ``target_id``, ``match``, ``caps``) among the ``top`` ends only.

    The bound: a link's match sums the weights of the matched rules (shared capabilities in
    joint research), each of them one of either end's own matches, so an end's ``pot`` — the
    same sum over all its own matches, discounted as the match is — is at least the match of
    any link it is in, and ``ub = w_match × pot + w_conf × (its confidence_rank − 1) / 2 +
    w_member × (its membership + 1) / 2`` at least the score of any of its links. Ends are
    ranked by the same bound over one side's matches.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    weights = weights or Weights()
    clause = filter_clause(con, filters)
    params: dict[str, Any] = {
        **clause.params,
        "focus": list(FOCUS_COUNTRIES),
        "w_match": weights.match,
        "w_conf": weights.confidence,
        "w_member": weights.membership,
        "kind": kind,
        "per_side": int(min(max(per_side, 1), MAX_LINK_ENDS)),
    }
    ends = (
        "e AS (SELECT o.id, o.country, o.org_type, o.capabilities, o.confidence_rank, "  # noqa: S608
        "(o.membership <> 'other')::INT AS member FROM organisations o "
        f"WHERE o.country = ANY($focus) AND {clause.sql}"
    )

    def score_bound(pot: str) -> str:  # the highest score a link of this end could have
        return f"$w_match * {pot} + $w_conf * (e.confidence_rank - 1) / 2.0 + $w_member * (e.member + 1) / 2.0"

    top = """
            sides AS (
                SELECT *, coalesce(rank_d <= $per_side, FALSE) AS in_d, coalesce(rank_s <= $per_side, FALSE) AS in_s,
                       coalesce(rank_d > $per_side, FALSE) OR coalesce(rank_s > $per_side, FALSE) AS left_out
                FROM ranked_ends
            ),
            top AS (SELECT * FROM sides WHERE in_d OR in_s),
    """
    if kind == "joint_research":
        params.update(
            rarity=weights.rarity,
            research_types=list(RESEARCH_TYPES),
            research_caps=list(RESEARCH_CAPABILITIES),
            not_research_types=list(NOT_RESEARCH_TYPES),
            funder_types=list(FUNDER_TYPES),
            developer_caps=list(DEVELOPER_CAPABILITIES),
        )
        body = f"""
            {ends} AND {_RESEARCH}),
            ec AS (SELECT e.id, e.country, oc.capability, pow(cs.idf, $rarity) AS w
                   FROM e JOIN organisation_capabilities oc ON oc.org_id = e.id
                   JOIN capability_stats cs ON cs.slug = oc.capability),
            pot AS (SELECT id, sum(w) AS pot FROM ec GROUP BY id),
            ranked_ends AS (
                SELECT *, row_number() OVER (PARTITION BY country ORDER BY ub DESC, id) AS rank_d, rank_d AS rank_s
                FROM (SELECT e.*, {score_bound("p.pot")} AS ub FROM e JOIN pot p ON p.id = e.id WHERE p.pot > 0)
            ),
            {top}
            ect AS (SELECT ec.* FROM ec SEMI JOIN top ON top.id = ec.id),
            pairs AS (
                SELECT a.id AS source_id, b.id AS target_id, sum(pow(cs.idf, $rarity)) AS match,
                       list(a.capability ORDER BY cs.idf DESC, a.capability) AS caps
                FROM ect a JOIN ect b ON a.capability = b.capability AND a.country = 'JP' AND b.country = 'GB'
                JOIN capability_stats cs ON cs.slug = a.capability
                GROUP BY a.id, b.id
            )
        """  # noqa: S608 (fixed fragments; values are bound)
    else:
        params["breadth"] = weights.breadth

        def discounted(
            weights_list: str,
        ) -> str:  # as the match: strongest first, each next × breadth
            return f"list_sum(list_transform(list_sort({weights_list}, 'DESC'), lambda w, i: w * pow($breadth, i - 1)))"

        body = f"""
            {ends}),
            r AS (SELECT * FROM partner_rules WHERE kind = $kind),
            dem AS (SELECT e.id, e.country, r.rule_id, r.weight, r.demand, r.supply FROM e JOIN r
                    ON (r.demand = '*' OR list_contains(e.capabilities, r.demand))
                   AND (len(r.demand_types) = 0 OR list_contains(r.demand_types, e.org_type))),
            sup AS (SELECT e.id, e.country, r.rule_id, r.weight FROM e JOIN r
                    ON (r.supply = '*' OR list_contains(e.capabilities, r.supply))
                   AND (len(r.supply_types) = 0 OR list_contains(r.supply_types, e.org_type))),
            pot AS (
                SELECT id, {discounted("list(weight)")} AS pot,
                       {discounted("list(weight) FILTER (WHERE side = 'd')")} AS pot_d,
                       {discounted("list(weight) FILTER (WHERE side = 's')")} AS pot_s
                FROM (SELECT id, 'd' AS side, weight FROM dem UNION ALL SELECT id, 's', weight FROM sup) GROUP BY id
            ),
            ub AS (
                SELECT e.*, {score_bound("p.pot")} AS ub, {score_bound("p.pot_d")} AS ub_d,
                       {score_bound("p.pot_s")} AS ub_s
                FROM e JOIN pot p ON p.id = e.id
            ),
            ranked_ends AS (
                SELECT *,
                       CASE WHEN ub_d IS NOT NULL THEN row_number() OVER (
                           PARTITION BY country, ub_d IS NULL ORDER BY ub_d DESC, id) END AS rank_d,
                       CASE WHEN ub_s IS NOT NULL THEN row_number() OVER (
                           PARTITION BY country, ub_s IS NULL ORDER BY ub_s DESC, id) END AS rank_s
                FROM ub
            ),
            {top}
            hits AS (
                SELECT CASE WHEN d.country = 'JP' THEN d.id ELSE s.id END AS source_id,
                       CASE WHEN d.country = 'JP' THEN s.id ELSE d.id END AS target_id,
                       d.rule_id, d.weight
                FROM (SELECT id, country, rule_id, weight FROM dem SEMI JOIN (SELECT id FROM top WHERE in_d) t
                      ON t.id = dem.id) d
                JOIN (SELECT id, country, rule_id FROM sup SEMI JOIN (SELECT id FROM top WHERE in_s) t
                      ON t.id = sup.id) s
                  ON s.rule_id = d.rule_id AND s.country <> d.country
            ),
            pairs AS (  -- narrow rows (ids, rule ids, weights); the rules' leaves are read for the result only
                SELECT source_id, target_id, {discounted("list(weight ORDER BY weight DESC, rule_id)")} AS match,
                       list(rule_id ORDER BY weight DESC, rule_id) AS rule_ids
                FROM hits GROUP BY source_id, target_id
            )
        """  # noqa: S608 (fixed fragments; values are bound)
    return "WITH " + body, params


def candidate_links(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    kind: str = "supply_chain",
    weights: Weights | None = None,
    limit: int = 200,
    per_side: int = MAX_LINK_ENDS,
) -> pd.DataFrame:
    """Japan–UK candidate links for a network chart (e.g. on the Insights page).

    Both ends must be in ``FOCUS_COUNTRIES`` and match ``filters`` (the sidebar
    :class:`~fusion_partners.explore.filters.Filters`; its country filter applies to both ends).
    A link's score is symmetric: ``w_match × match + w_confidence × (min confidence_rank
    − 1) / 2 + w_membership × (share of the two ends with a stated membership)`` — a link is
    as well evidenced as its weaker end. ``match`` is as in :mod:`fusion_partners.partners.query`
    (rules count in both directions).

    Bounded at any roster size: only the ``per_side`` organisations of each country (and,
    for rule-based kinds, of each side of the rules: buyers and suppliers) with the highest
    *possible* link score (an upper bound, see :func:`_link_ctes`) are paired, so the work is
    at most ``2 × per_side²`` pairs. When a country has more organisations than that, a link
    of an organisation left out is missing or scored on part of its matches;
    :func:`candidate_link_scope` says how many were paired and whether the strongest links
    found are certainly the strongest of all.

    Args:
        kind: one of :data:`~fusion_partners.data.partner_rules.KINDS` (anything else → ``ValueError``).
        weights: score weights (defaults when ``None``).
        limit: maximum links (strongest first; 1…5000).
        per_side: organisations paired per country (1…:data:`MAX_LINK_ENDS`).

    Returns:
        DataFrame with columns ``source_id`` (the Japanese organisation), ``target_id`` (the
        UK one), ``score`` (float, higher = stronger), ``capabilities`` (list of slugs behind
        the link: shared ones for joint research, rarest first; demand and supply slugs of
        the matched rules otherwise, strongest rule first) and ``kind``. Ordered by score
        descending, then ids.
    """
    ctes, params = _link_ctes(con, filters, kind, weights, per_side)
    params["limit"] = int(min(max(limit, 1), 5000))
    if kind == "joint_research":
        with_caps = "SELECT source_id, target_id, score, caps FROM best"
    else:  # the demand and supply leaves of the matched rules, strongest rule first
        with_caps = (
            "SELECT u.source_id, u.target_id, u.score, flatten(list([r.demand, r.supply] ORDER BY u.pos)) AS caps "
            "FROM (SELECT source_id, target_id, score, unnest(rule_ids) AS rule_id, "
            "generate_subscripts(rule_ids, 1) AS pos FROM best) u "
            "JOIN partner_rules r ON r.rule_id = u.rule_id GROUP BY u.source_id, u.target_id, u.score"
        )
    sql = f"""
        {ctes},
        best AS (
            SELECT p.*, round($w_match * p.match
                     + $w_conf * (least(a.confidence_rank, b.confidence_rank) - 1) / 2.0
                     + $w_member * (a.member + b.member) / 2.0, 6) AS score
            FROM pairs p JOIN top a ON a.id = p.source_id JOIN top b ON b.id = p.target_id
            ORDER BY score DESC, p.source_id, p.target_id
            LIMIT $limit
        )
        SELECT source_id, target_id, score,
               list_filter(caps, lambda c, i: c <> '*' AND list_position(caps, c) = i) AS capabilities, $kind AS kind
        FROM ({with_caps})
        ORDER BY score DESC, source_id, target_id
    """  # noqa: S608 (fixed fragments and the filters' WHERE clause)
    return fetch_df(con, sql, _bound(sql, params))


def candidate_link_scope(
    con: duckdb.DuckDBPyConnection,
    filters: Filters,
    kind: str = "supply_chain",
    weights: Weights | None = None,
    per_side: int = MAX_LINK_ENDS,
) -> dict[str, tuple[int, int, float | None]]:
    """What :func:`candidate_links` with the same arguments paired, per focus country.

    Returns:
        ``{country: (ends, paired, best_left_out)}``: organisations of that country matching
        ``filters`` that can have a link of ``kind`` at all, how many of them were paired
        (at most ``per_side``, or twice that for rule-based kinds), and the highest upper
        bound on a link score among those with a side left out (``None`` when none was).
        Every link found scoring above every ``best_left_out`` is exact and certainly
        stronger than any link not found. Countries with no such organisation are absent.
    """
    ctes, params = _link_ctes(con, filters, kind, weights, per_side)
    sql = (
        f"{ctes} SELECT country, count(*), count(*) FILTER (WHERE in_d OR in_s), "  # noqa: S608 (fixed fragments)
        "max(ub) FILTER (WHERE left_out) FROM sides GROUP BY country ORDER BY country"
    )
    rows = fetch_rows(con, sql, _bound(sql, params))
    return {c: (int(n), int(k), None if best is None else float(best)) for c, n, k, best in rows}


__all__ = [
    "MAX_LINK_ENDS",
    "candidate_link_scope",
    "candidate_links",
    "pair_kinds",
    "capability_stats",
    "count_candidates",
    "counts_by_kind",
    "find_organisations",
    "relaxations",
    "partner_rules",
    "start_roles",
    "suggestions",
]
