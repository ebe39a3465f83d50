"""The capability-mode statement of the partner finder: organisations holding capabilities the
user needs, scored and ranked in one DuckDB query (model: :mod:`fusion_partners.partners.query`).

``match = Σ idf(c) ** rarity`` over the needed capabilities a candidate holds
(``capability_stats``, computed once by the build). Joint research keeps research-capable
candidates (:data:`RESEARCH_SQL`, also used by the Japan–UK network,
:mod:`fusion_partners.partners.links_sql`); the rule-based kinds keep candidates that play a
part in a rule of the kind through a needed capability or their type, and that part is
returned as an extra match (``role_demand`` / ``role_supply``) for the reason. Values are
bound as ``$parameters``; the only composed text is the candidate WHERE clause from
:func:`fusion_partners.queries.filter_clause`.
"""

from __future__ import annotations

from typing import Any

import duckdb

from fusion_partners.data.partner_rules import COMPANY_TYPES, SUPPLIER_ROLES
from fusion_partners.partners.query import (
    DEVELOPER_CAPABILITIES,
    FUNDER_TYPES,
    NOT_RESEARCH_TYPES,
    RESEARCH_CAPABILITIES,
    RESEARCH_TYPES,
    PartnerQuery,
    candidate_filters,
)
from fusion_partners.queries import filter_clause

RESEARCH_SQL = (
    "((o.org_type = ANY($research_types) OR list_has_any(o.capabilities, $research_caps))"
    " AND NOT o.org_type = ANY($not_research_types)"
    " AND NOT (o.org_type = ANY($funder_types) AND NOT list_has_any(o.capabilities, $developer_caps)))"
)
"""SQL condition on an organisation ``o``: research-capable (see
:mod:`fusion_partners.partners.query`); its values are :func:`research_params`."""


def research_params() -> dict[str, list[str]]:
    """The parameters of :data:`RESEARCH_SQL`."""
    return {
        "research_types": list(RESEARCH_TYPES),
        "research_caps": list(RESEARCH_CAPABILITIES),
        "not_research_types": list(NOT_RESEARCH_TYPES),
        "funder_types": list(FUNDER_TYPES),
        "developer_caps": list(DEVELOPER_CAPABILITIES),
    }


# Each variant defines a CTE ``hits``: one narrow row per (candidate, matched capability) with
# the candidate filters already applied, columns cand, weight, sort_key, rule_id, direction, cap
# (``weight`` enters the match; ``sort_key`` orders a candidate's matches, strongest first;
# ``cap`` is the held capability). Phase 1 scores every candidate on narrow rows and keeps the
# best ``limit``; phase 2 builds the match structs (for reasons) and fetches the wide columns
# for those rows only.

_HELD = """
        SELECT oc.org_id AS cand, pow(cs.idf, $rarity) AS weight, cs.idf AS sort_key,
               NULL::INTEGER AS rule_id, 'held' AS direction, oc.capability AS cap
        FROM organisation_capabilities oc
        JOIN capability_stats cs ON cs.slug = oc.capability
        JOIN organisations o ON o.id = oc.org_id
        WHERE oc.capability = ANY($needs) AND o.successor IS NULL AND {where}
"""

_SELLS = """
          AND list_has_any(o.roles, $supplier_roles) AND o.org_type = ANY($company_types)
          AND o.id IN (SELECT f.org_id FROM organisation_facets f JOIN capability_leaves l ON l.slug = f.leaf
                       WHERE f.facet = 'offer' AND l.parent = oc.capability)"""
"""Supply chain: only a company that sells to others (a manufacturer, integrator or trading
house) and offers a leaf of the needed capability supplies it, as in organisation mode
(:mod:`fusion_partners.data.partner_rules`): a university researching magnets is no magnet
supplier."""

_NEEDS_RESEARCH_HITS = f"""
    hits AS ({_HELD} AND {RESEARCH_SQL})
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


_SCORES = """,
    scores AS (SELECT h.cand AS id, sum(h.weight) AS match FROM hits h GROUP BY h.cand),
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
        SELECT *, rank() OVER (ORDER BY score DESC) AS rank,
               count(*) OVER (PARTITION BY score) > 1 AS tied  -- the rank is the score's alone
        FROM final
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
    SELECT top.rank, top.tied, o.id, o.name_en, o.name_ja, o.country, o.prefecture_or_city, o.org_type,
           o.membership, o.membership_class, o.confidence, o.confidence_rank, o.capabilities,
           o.source_urls, top.match, {matches} AS matches, top.match_points,
           top.confidence_points, top.membership_points, top.score
    FROM top JOIN organisations o ON o.id = top.id JOIN detail ON detail.id = top.id {roles_join}
    ORDER BY top.score DESC, top.match DESC, top.confidence_rank DESC, lower(coalesce(o.name_en, o.name_ja)), o.id
"""


def scored(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> tuple[str, dict[str, Any]]:
    """``WITH …`` defining ``hits``, ``scores`` and ``final`` (one scored row per candidate)
    for a capability-mode ``query``, and its parameters (some may be unused: bind those the
    final statement uses)."""
    clause = filter_clause(con, candidate_filters(query, None))
    hits = _NEEDS_RESEARCH_HITS if query.kind == "joint_research" else _NEEDS_RULES_HITS
    where = clause.sql + (_SELLS if query.kind == "supply_chain" else "")
    sql = "WITH " + hits.replace("{where}", where) + _SCORES
    w = query.weights
    params: dict[str, Any] = {
        **clause.params,
        **research_params(),
        "kind": query.kind,
        "needs": list(query.needs),
        "w_match": w.match,
        "w_conf": w.confidence,
        "w_member": w.membership,
        "rarity": w.rarity,
        "supplier_roles": list(SUPPLIER_ROLES),
        "company_types": list(COMPANY_TYPES),
    }
    return sql, params


def ranked(con: duckdb.DuckDBPyConnection, query: PartnerQuery) -> tuple[str, dict[str, Any]]:
    """The statement of :func:`fusion_partners.partners.sql.suggestions` in capability mode
    (``$limit`` still to bind): the best rows of :func:`scored` with their matches, and for
    rule-based kinds the candidate's part in a rule as a last match."""
    sql, params = scored(con, query)
    roles = query.kind != "joint_research"
    sql += _DETAIL.format(
        order=_ORDER,
        matches="list_append(detail.matches, roles.role)" if roles else "detail.matches",
        roles_join="JOIN roles ON roles.cand = top.id" if roles else "",
    )
    return sql, params
