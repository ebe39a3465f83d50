"""Japan–UK candidate links for the network chart (Insights): pairs of organisations the
partner model would suggest to each other, scored symmetrically and bounded at any roster
size (model: :mod:`fusion_partners.partners.query`)."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from fusion_partners.data.partner_rules import KINDS
from fusion_partners.db import fetch_df, fetch_rows
from fusion_partners.explore.filters import Filters
from fusion_partners.partners.capabilities_sql import RESEARCH_SQL, research_params
from fusion_partners.partners.query import FOCUS_COUNTRIES, Weights
from fusion_partners.partners.sql import used_params
from fusion_partners.queries import filter_clause

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
        params.update(rarity=weights.rarity, **research_params())
        body = f"""
            {ends} AND {RESEARCH_SQL}),
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
    return fetch_df(con, sql, used_params(sql, params))


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
    rows = fetch_rows(con, sql, used_params(sql, params))
    return {c: (int(n), int(k), None if best is None else float(best)) for c, n, k, best in rows}
