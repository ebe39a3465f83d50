"""The Insights page's five charts for one view, built from the queries: the capability
heatmap, types and memberships, the map, the Japan–UK network and data completeness.

No Streamlit: every query goes through a ``fetch`` function the caller passes (the page's
cached :func:`fusion_partners.ui.data.q`, or a direct call in benchmarks and tests).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from fusion_partners import queries
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n import t
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.insights.analysis import MAX_LINKS, LinkScope, link_network
from fusion_partners.insights.chart import Chart
from fusion_partners.insights.coverage_chart import coverage_chart
from fusion_partners.insights.heatmap import capability_heatmap
from fusion_partners.insights.map_chart import organisation_map
from fusion_partners.insights.network_chart import link_network_chart
from fusion_partners.insights.style import ChartContext
from fusion_partners.insights.types_chart import types_memberships
from fusion_partners.insights.url import DEFAULT_LINK_KIND, DOCUMENTED
from fusion_partners.partners import links_sql as qp
from fusion_partners.queries import insights as qi

MAX_CANDIDATE_LINKS = 5000
"""Candidate links fetched for the network (the chart draws the strongest; the rest are counted)."""


def charts_for(
    fetch: Callable[..., Any],
    filters: Filters,
    taxonomy: Taxonomy,
    ctx: ChartContext,
    measure: str = "count",
    kind: str = DEFAULT_LINK_KIND,
) -> list[Chart]:
    """The five charts of the Insights page, with every query made through ``fetch``
    (called as :func:`fusion_partners.ui.data.q` is: ``fetch(query, *args)``, ``query`` a
    query function). Benchmarks pass a fetch without the cache.

    Bounded at any roster size: the network pairs at most
    :data:`fusion_partners.partners.links_sql.MAX_LINK_ENDS` organisations per country and side (the
    figure then says so, see :class:`fusion_partners.insights.analysis.LinkScope`), and reads
    the names of the drawn organisations only.
    """
    summary = fetch(queries.filter_summary, filters)  # the same cached call as the sidebar's counts
    heat = capability_heatmap(
        summary.capability_country, summary.country_totals, taxonomy, ctx, measure
    )
    types = types_memberships(fetch(qi.type_membership_counts, filters), ctx)
    map_ctx = replace(ctx, footer=ctx.footer + " · " + t("insights.map.source", ctx.lang))
    where = organisation_map(fetch(qi.organisation_places, filters), taxonomy, map_ctx)
    scope = None
    if kind == DOCUMENTED:
        links = fetch(qi.documented_links, filters)
    else:
        links = fetch(qp.candidate_links, filters, kind, None, MAX_CANDIDATE_LINKS)
        scope = LinkScope.from_query(fetch(qp.candidate_link_scope, filters, kind))
    drawn = links.head(MAX_LINKS)
    ids = tuple(sorted(set(drawn["source_id"]) | set(drawn["target_id"])))
    net = link_network(links, fetch(qi.nodes_by_id, ids), kind=kind, scope=scope)
    network = link_network_chart(net, taxonomy, ctx)
    coverage = coverage_chart(fetch(qi.field_coverage, filters), ctx)
    return [heat, types, where, network, coverage]
