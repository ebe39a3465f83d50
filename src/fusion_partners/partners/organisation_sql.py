"""The organisation-mode statement of the partner finder: candidates for a start organisation,
scored and ranked in one DuckDB query under the partner model
(:mod:`fusion_partners.data.partner_rules`; its matches are
:func:`fusion_partners.partners.scoring_sql.hits_sql`).

A leaf counts once per pair (its strongest match); with the matches sorted strongest first,
``match = Σ weight_i × breadth ** (i − 1)``. Documented collaborations with the start add the
link term, partners in the start's country the network term, the leaves both organisations
offer (technical work, each leaf weighted by its rarity) the shared-work term (not in
joint research and counterparts, whose match already counts shared work). A unit of another
organisation (``Parent Ltd`` and ``Unit (Parent)``; pairs found by the build,
:mod:`fusion_partners.data.units`) folds into its parent's row. Values are bound as
``$parameters``; the only composed text is the candidate WHERE clause from
:func:`fusion_partners.explore.filters.where` and fragments chosen from the fixed strings below.
"""

from __future__ import annotations

from typing import Any

import duckdb

from fusion_partners.data.partner_rules import (
    SHARED_WORK_CAP,
    SHARED_WORK_EXCLUDED,
    SHARED_WORK_OWN_MATCH,
    SHARED_WORK_RIVALS,
)
from fusion_partners.db import fetch_rows
from fusion_partners.explore.filters import SearchIndex, where
from fusion_partners.partners.query import PartnerQuery, candidate_filters
from fusion_partners.partners.scoring_sql import Start, hits_params, hits_sql

_DISCOUNTED = "list_sum(list_transform(list_sort(list(h.weight), 'DESC'), lambda w, i: w * pow($breadth, i - 1)))"

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

_SHARED_WORK = """\
    hl AS (SELECT cand, supply AS leaf FROM hd UNION SELECT cand, demand FROM hd),  -- what the match counts
    sim_leaves AS (  -- shared work: Σ idf ** rarity over the specific technical leaves both offer,
                     -- except those the match already counts (candidates that match only)
        SELECT f.org_id AS id, sum(pow(lv.idf, $rarity)) AS s,
               list(f.leaf ORDER BY lv.idf DESC, f.leaf) AS leaves
        FROM (SELECT unnest(offers) AS leaf FROM s) so
        JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = so.leaf
        SEMI JOIN scores sc ON sc.id = f.org_id AND sc.match > 0
        JOIN lv ON lv.slug = f.leaf
        ANTI JOIN hl ON hl.cand = f.org_id AND hl.leaf = f.leaf
        WHERE NOT list_contains($shared_work_excluded, f.leaf)  -- emitted only for a weight above 0
          AND NOT ($shared_rivals AND (SELECT supplier AND org_type = ANY($company_types) FROM s)
                   AND f.org_id IN (SELECT id FROM c WHERE c.seller))
        GROUP BY f.org_id
    ),
"""
"""The shared-work term's leaves per matching candidate (only in a statement whose shared-work
weight is above 0)."""

_NO_SHARED_WORK = """\
    sim_leaves AS (SELECT NULL::VARCHAR AS id, 0.0::DOUBLE AS s, []::VARCHAR[] AS leaves WHERE FALSE),
"""
"""The stand-in where the term is 0 (joint research, counterparts, weight 0): nothing to plan or run."""

_MUTUAL = """\
    sp AS (  -- the start's documented partners (its ignored links make none)
        SELECT DISTINCT other AS z FROM sl
        WHERE other <> $start AND NOT list_contains($ignore, '*') AND NOT list_contains($ignore, other)
    ),
    zl AS (  -- every documented partner p of each of them
        SELECT DISTINCT z, p FROM (
            SELECT l.org_a AS z, l.org_b AS p FROM links l SEMI JOIN sp ON sp.z = l.org_a
            UNION ALL
            SELECT l.org_b AS z, l.org_a AS p FROM links l SEMI JOIN sp ON sp.z = l.org_b
        ) WHERE z <> p
    ),
    mutual AS (  -- mutual partners: Σ 1 / ln(degree) (Adamic–Adar; the start is one of the degree)
        SELECT zl.p AS id, sum(1.0 / ln(zd.deg)) AS s,
               list({'id': o.id, 'name_en': o.name_en, 'name_ja': o.name_ja} ORDER BY zd.deg, o.id) AS via
        FROM zl JOIN (SELECT z, count(*) AS deg FROM zl GROUP BY z) zd ON zd.z = zl.z
        JOIN organisations o ON o.id = zl.z
        WHERE zl.p <> $start AND zd.deg > 1
        GROUP BY zl.p
    ),
"""
"""The mutual-partners term (only in a statement whose mutual weight is above 0)."""

_NO_MUTUAL = """\
    mutual AS (SELECT NULL::VARCHAR AS id, 0.0::DOUBLE AS s,
                      []::STRUCT(id VARCHAR, name_en VARCHAR, name_ja VARCHAR)[] AS via WHERE FALSE),
"""

_ORG_SCORES = """,
    hd AS (  -- a leaf counts once per pair: its strongest match (then the first direction and demand)
        SELECT cand, supply, b.weight, b.sort_key, b.direction, b.demand
        FROM (SELECT cand, supply,
                     arg_min({{'weight': weight, 'sort_key': sort_key, 'direction': direction, 'demand': demand}},
                             {{'w': -weight, 'd': direction, 'm': demand}}) AS b
              FROM hits GROUP BY cand, supply)
    ),
    scores AS (SELECT h.cand AS id, {agg} AS match, max(h.sort_key) AS top FROM hd h GROUP BY h.cand),
    sl AS (  -- the start's links, each with the other side (two equality filters: no full read of links)
        SELECT l.org_b AS other, l.* FROM links l WHERE l.org_a = $start
        UNION ALL
        SELECT l.org_a AS other, l.* FROM links l WHERE l.org_b = $start AND l.org_a <> $start
    ),
    known AS (
        SELECT l.other AS id,
               list({{'relation': l.relation, 'year': l.year, 'what': l.what, 'source_urls': l.source_urls}}
                    ORDER BY l.year DESC NULLS LAST, l.link_id) AS links
        FROM sl l
        WHERE NOT list_contains($ignore, '*') AND NOT list_contains($ignore, l.other)
        GROUP BY 1
    ),
    abroad AS (  -- partners in the start's country other than the start (counts from the build)
        SELECT lpc.org_id AS id,
               lpc.n - (lpc.org_id IN (SELECT other FROM sl))::INT AS n
        FROM link_partner_countries lpc
        WHERE lpc.country = (SELECT country FROM organisations WHERE id = $start) AND lpc.org_id <> $start
    ),
{mutual}{shared_work}    pool AS (
        SELECT id, match, top FROM scores WHERE match > 0
        UNION ALL
        SELECT k.id, 0.0, 0.0 FROM known k JOIN c ON c.id = k.id
        WHERE list_has_any(list_transform(k.links, lambda x: x.relation), $kind_relations)
          AND k.id NOT IN (SELECT id FROM scores WHERE match > 0)
    ),
    final0 AS (
        SELECT p.id, p.match, p.top, o.confidence_rank, o.name_rank, o.n_sources,
               (k.id IS NOT NULL) AS known, k.links,
               $w_match * p.match AS match_points,
               $w_link * (k.id IS NOT NULL)::INT AS link_points,
               $w_conf * (o.confidence_rank - 1) / 2.0 AS confidence_points,
               $w_member * (len(o.memberships) > 0)::INT AS membership_points,
               least($w_network * least(coalesce(a.n, 0), 3) / 3.0, $w_match * p.match) AS network_points,
               coalesce(a.n, 0) AS n_abroad,
               least($w_shared * coalesce(sim.s, 0), $shared_cap * $w_match * p.match) AS shared_points,
               coalesce(sim.leaves, []) AS shared_leaves,
               least($w_mutual * coalesce(mu.s, 0), $w_match * p.match) AS mutual_points,
               coalesce(mu.via, []) AS mutual_partners,
               round($w_match * p.match + $w_link * (k.id IS NOT NULL)::INT
                     + $w_conf * (o.confidence_rank - 1) / 2.0
                     + $w_member * (len(o.memberships) > 0)::INT
                     + least($w_network * least(coalesce(a.n, 0), 3) / 3.0, $w_match * p.match)
                     + least($w_shared * coalesce(sim.s, 0), $shared_cap * $w_match * p.match)
                     + least($w_mutual * coalesce(mu.s, 0), $w_match * p.match), 6) AS score
        FROM pool p JOIN organisations o ON o.id = p.id LEFT JOIN known k ON k.id = p.id
        LEFT JOIN abroad a ON a.id = p.id LEFT JOIN sim_leaves sim ON sim.id = p.id
        LEFT JOIN mutual mu ON mu.id = p.id
        WHERE {known_filter}
    ),
    units AS (  -- unit -> parent among the candidates and the start (pairs found by the build)
        SELECT u.unit, u.parent FROM organisation_units u
        WHERE (u.unit IN (SELECT id FROM final0) OR u.unit = $start)
          AND (u.parent IN (SELECT id FROM final0) OR u.parent = $start)
    ),
    final AS (  -- a unit's row folds into its parent's; the start's own unit or parent is no candidate
        SELECT f.* EXCLUDE (match, score, match_points),
               greatest(f.match, coalesce(r.match, 0)) AS match,
               $w_match * greatest(f.match, coalesce(r.match, 0)) AS match_points,
               round(f.score + $w_match * (greatest(f.match, coalesce(r.match, 0)) - f.match), 6) AS score,
               coalesce(r.units, []) AS units  -- the units folded into this row, named in its reason
        FROM final0 f
        LEFT JOIN (SELECT u.parent, max(x.match) AS match,
                          list({{'id': o.id, 'name_en': o.name_en, 'name_ja': o.name_ja}} ORDER BY o.id) AS units
                   FROM units u JOIN final0 x ON x.id = u.unit JOIN organisations o ON o.id = u.unit
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
        SELECT * FROM keyed ORDER BY {keys}, name_rank LIMIT $limit
    ),
    top AS (  -- rank = 1 + candidates better on the ranking keys; a row ties when another equals it on all
        SELECT t.*, row_number() OVER (ORDER BY {keys}, name_rank) AS ord,
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
           top.network_points, top.n_abroad, top.shared_points, top.shared_leaves,
           top.mutual_points, top.mutual_partners, top.units, top.score, top.top, top.n_sources,
           top.known, top.links
    FROM top JOIN organisations o ON o.id = top.id LEFT JOIN detail ON detail.id = top.id
    ORDER BY top.ord
"""


def _start_row(con: duckdb.DuckDBPyConnection, start: str) -> tuple[str | None, Start | None]:
    """The start's country and what its branches of the statement read (None, None if unknown)."""
    rows = fetch_rows(
        con,
        "SELECT country, org_type, roles, offers, needs FROM organisations WHERE id = $id",
        {"id": start},
    )
    if not rows:
        return None, None
    country, org_type, roles, offers, needs = rows[0]
    return country, Start(org_type, tuple(roles), tuple(offers), tuple(needs))


def scored(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> tuple[str, dict[str, Any]]:
    """``WITH …`` defining ``hits``, ``scores``, ``known``, ``pool`` and ``final`` (one scored
    row per candidate) for an organisation-mode ``query`` under the partner model
    (:mod:`fusion_partners.data.partner_rules`), and its parameters (some may be unused:
    bind those the final statement uses)."""
    country, start = _start_row(con, query.start)
    # candidate filters hold no capability or search text: no need to read the search index
    clause = where(candidate_filters(query, country), SearchIndex())
    # hiding a documented partner hides its units and its parent too (they share one row)
    known_filter = (
        "k.id IS NULL AND p.id NOT IN (SELECT u.unit FROM organisation_units u SEMI JOIN known kk"
        " ON kk.id = u.parent) AND p.id NOT IN (SELECT u.parent FROM organisation_units u"
        " SEMI JOIN known kk ON kk.id = u.unit)"
        if query.known == "hide"
        else "TRUE"
    )
    # joint research and counterparts already count shared work in their match
    shared_weight = 0.0 if query.kind in SHARED_WORK_OWN_MATCH else query.weights.shared
    sql = (
        "WITH "
        + hits_sql(query.kind, start).replace("{where}", clause.sql)
        + _ORG_SCORES.format(
            agg=_DISCOUNTED,
            known_filter=known_filter,
            shared_work=_SHARED_WORK if shared_weight > 0 else _NO_SHARED_WORK,
            mutual=_MUTUAL if query.weights.mutual > 0 else _NO_MUTUAL,
        )
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
        "w_shared": shared_weight,
        "w_mutual": w.mutual,
        "shared_work_excluded": list(SHARED_WORK_EXCLUDED),
        "shared_cap": SHARED_WORK_CAP,
        "shared_rivals": query.kind in SHARED_WORK_RIVALS,
        "w_conf": w.confidence,
        "w_member": w.membership,
        "breadth": w.breadth,
        "ignore": list(query.ignore_links_with),
        "kind_relations": list(KIND_RELATIONS[query.kind]),
    }
    return sql, params


def ranked(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> tuple[str, dict[str, Any]]:
    """The statement of :func:`fusion_partners.partners.sql.suggestions` in organisation mode
    (``$limit`` still to bind): the best rows of :func:`scored` in ranking order (documented
    partners first with ``known="first"``), each with its rank, whether it ties with another
    on every ranking key, its matches and its documented links."""
    sql, params = scored(con, query)
    first = "known DESC, " if query.known == "first" else ""
    sql += _ORG_DETAIL.format(
        keys=_ORG_KEYS.format(first=first), rank_key=_rank_key(query.known == "first")
    )
    return sql, params
