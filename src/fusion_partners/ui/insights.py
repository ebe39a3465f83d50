"""Widgets of the Insights page: view state (presenter mode, heatmap measure), chart blocks,
downloads and the PowerPoint chart pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import streamlit as st

from .. import charts as ch
from ..chart_export import plotly_config, render_image, renderer_status, to_html
from ..filters import Filters
from ..i18n import t
from ..insights import GAP_MIN_ORGS, GAP_RATIO, MAX_LINKS, LinkScope, link_network
from ..labels import Taxonomy
from ..markup import escape_markdown as _md
from ..partners import KINDS
from ..queries import insights as qi
from ..queries import partners as qp
from ..slides import insights_pack
from .data import data_version, q

PRESENT_PARAM, MEASURE_PARAM, LINKS_PARAM = "present", "measure", "links"
W_PRESENT, W_MEASURE, W_LINKS = "w_present", "w_measure", "w_links"
DEFAULT_LINK_KIND = "supply_chain"
"""The network shows supply-chain candidates unless the URL or the control says otherwise."""
DOCUMENTED = "documented"
NETWORK_KINDS: tuple[str, ...] = (DOCUMENTED, *KINDS)
"""What the network can draw: the documented Japan–UK collaborations, or the partner finder's
candidate links of one kind."""
MAX_CANDIDATE_LINKS = 5000
"""Candidate links fetched for the network (the chart draws the strongest; the rest are counted)."""


def link_kind() -> str:
    """The partner-finder kind the network draws: URL ``links=`` on first run, then the control."""
    if W_LINKS not in st.session_state:
        value = st.query_params.get(LINKS_PARAM, DEFAULT_LINK_KIND)
        st.session_state[W_LINKS] = value if value in NETWORK_KINDS else DEFAULT_LINK_KIND
    else:
        st.session_state[W_LINKS] = st.session_state[W_LINKS]
    return st.session_state[W_LINKS] or DEFAULT_LINK_KIND


def view_state() -> tuple[bool, str]:
    """Presenter mode and heatmap measure: from the URL on first run, then from the widgets."""
    if W_PRESENT not in st.session_state:
        st.session_state[W_PRESENT] = st.query_params.get(PRESENT_PARAM, "") in ("1", "true", "yes")
    else:  # keep the value when the widget is re-created after visiting another page
        st.session_state[W_PRESENT] = st.session_state[W_PRESENT]
    if W_MEASURE not in st.session_state:
        value = st.query_params.get(MEASURE_PARAM, "count")
        st.session_state[W_MEASURE] = value if value in ch.MEASURES else "count"
    else:
        st.session_state[W_MEASURE] = st.session_state[W_MEASURE]
    return bool(st.session_state[W_PRESENT]), st.session_state[W_MEASURE] or "count"


def view_params(presenter: bool, measure: str, kind: str = DEFAULT_LINK_KIND) -> dict[str, str]:
    """URL parameters for the view (only non-defaults)."""
    params = {}
    if presenter:
        params[PRESENT_PARAM] = "1"
    if measure != "count":
        params[MEASURE_PARAM] = measure
    if kind != DEFAULT_LINK_KIND:
        params[LINKS_PARAM] = kind
    return params


def page_setup(presenter: bool) -> None:
    """Presenter mode: sidebar collapsed, larger type."""
    if presenter:
        st.set_page_config(layout="wide", initial_sidebar_state="collapsed")
        st.html("<style>.stMainBlockContainer{max-width:100%;padding-left:2rem;padding-right:2rem}"
                " .stMarkdown p{font-size:1.25rem}</style>")


def controls(presenter: bool, lang: str) -> None:
    """Presenter toggle and heatmap measure (tucked into an expander in presenter mode)."""
    box = st.expander(t("insights.controls", lang)) if presenter else st.container()
    with box:
        left, right = st.columns([1, 1])
        left.toggle(t("insights.present", lang), key=W_PRESENT, help=t("insights.present_help", lang))
        right.segmented_control(
            t("insights.measure", lang), options=list(ch.MEASURES), key=W_MEASURE, required=True,
            format_func=lambda m: t(f"insights.measure_opt.{m}", lang),
        )


def link_kind_control(lang: str) -> None:
    """Which partner-finder kind the network of candidate links shows."""
    st.segmented_control(
        t("insights.net.kind", lang), options=list(NETWORK_KINDS), key=W_LINKS, required=True,
        format_func=lambda k: t(f"partners.kind.{k}", lang), help=t("insights.net.kind_help", lang),
    )


def build_charts(filters: Filters, taxonomy: Taxonomy, ctx: ch.ChartContext, measure: str,
                 kind: str = DEFAULT_LINK_KIND) -> list[ch.Chart]:
    """The five charts for this view, built once per (data version, filters, context, measure,
    kind) and shared by sessions: building them costs about a second of server time (the
    network layout, five figures), which a rerun for a table toggle or a download should not
    pay again. The figures are read-only after building."""
    return _build_charts(data_version(), filters, ctx, measure, kind, _taxonomy=taxonomy)


@st.cache_resource(max_entries=64, show_spinner=False)
def _build_charts(version: tuple[str, int], filters: Filters, ctx: ch.ChartContext, measure: str, kind: str,
                  *, _taxonomy: Taxonomy) -> list[ch.Chart]:
    """Fetch the data for every chart (cached queries) and build the figures (``version`` only
    keys the cache)."""
    return charts_for(q, filters, _taxonomy, ctx, measure, kind)


def charts_for(fetch: Callable[..., Any], filters: Filters, taxonomy: Taxonomy, ctx: ch.ChartContext,
               measure: str = "count", kind: str = DEFAULT_LINK_KIND) -> list[ch.Chart]:
    """The five charts of the Insights page, with every query made through ``fetch``
    (called as :func:`ui.data.q` is: ``fetch(query, *args)``, ``query`` a query function or
    the name of one in :mod:`fusion_partners.queries`). Benchmarks pass a fetch without
    the cache.

    Bounded at any roster size: the network pairs at most
    :data:`queries.partners.MAX_LINK_ENDS` organisations per country and side (the figure
    then says so, see :class:`insights.LinkScope`), and reads the names of the drawn
    organisations only.
    """
    summary = fetch("filter_summary", filters)  # the same cached call as the sidebar's counts
    heat = ch.capability_heatmap(summary.capability_country, summary.country_totals, taxonomy, ctx, measure)
    types = ch.types_memberships(fetch(qi.type_membership_counts, filters), ctx)
    map_ctx = ch.ChartContext(ctx.lang, ctx.filters_text, ctx.footer + " · " + t("insights.map.source", ctx.lang),
                              ctx.presenter, ctx.filter_slug)
    where = ch.organisation_map(fetch(qi.organisation_places, filters), taxonomy, map_ctx)
    scope = None
    if kind == DOCUMENTED:
        links = fetch(qi.documented_links, filters)
    else:
        links = fetch(qp.candidate_links, filters, kind, None, MAX_CANDIDATE_LINKS)
        scope = LinkScope.from_query(fetch(qp.candidate_link_scope, filters, kind))
    drawn = links.head(MAX_LINKS)
    ids = tuple(sorted(set(drawn["source_id"]) | set(drawn["target_id"])))
    net = link_network(links, fetch(qi.nodes_by_id, ids), kind=kind, scope=scope)
    network = ch.link_network_chart(net, taxonomy, ctx)
    coverage = ch.coverage_chart(fetch(qi.field_coverage, filters), ctx)
    return [heat, types, where, network, coverage]


def renderer_notice(lang: str) -> bool:
    """Explain a missing image renderer or CJK font; True when images can be rendered."""
    status = renderer_status()
    if not status.ok:
        st.info(t(f"insights.renderer.{status.reason}", lang), icon=":material/image_not_supported:")
        return False
    if not status.cjk_font:
        st.warning(t("insights.renderer.no_font", lang), icon=":material/font_download_off:")
    return True



def chart_block(chart: ch.Chart, ctx: ch.ChartContext, can_render: bool, presenter: bool, lang: str) -> None:
    """The figure, its finding in words, a table toggle and the downloads."""
    today = dt.date.today().isoformat()
    name = ch.figure_filename(chart.key, ctx, today)
    config = plotly_config(name, width=ch.EXPORT_WIDTH, height=int(chart.figure.layout.height or 700))
    if chart.key == "network":
        link_kind_control(lang)
    st.plotly_chart(chart.figure, width="stretch", config=config, key=f"fig_{chart.key}")
    st.markdown(_md(chart.summary))
    if chart.key == "capabilities":
        with st.expander(t("insights.gap_rule_title", lang)):
            st.markdown(_md(t("insights.gap_rule_body", lang, min=GAP_MIN_ORGS, ratio=f"{GAP_RATIO:g}")))
    box = st.expander(t("insights.controls", lang)) if presenter else st.container()
    with box:
        if st.toggle(t("insights.show_table", lang), key=f"tbl_{chart.key}"):
            st.dataframe(chart.table, hide_index=True, width="stretch")
        c1, c2, c3, _ = st.columns([2, 1, 1, 2])
        c1.download_button(
            t("insights.download_html", lang), data=partial(to_html, chart.figure, chart.title, config, lang),
            file_name=f"{name}.html", mime="text/html", on_click="ignore", icon=":material/code:",
            key=f"dl_html_{chart.key}", width="stretch",
        )
        c2.download_button(
            t("insights.download_png", lang), data=partial(render_image, chart.export_figure, "png"),
            file_name=f"{name}.png", mime="image/png", on_click="ignore", icon=":material/image:",
            key=f"dl_png_{chart.key}", disabled=not can_render, width="stretch",
        )
        c3.download_button(
            t("insights.download_svg", lang), data=partial(render_image, chart.export_figure, "svg"),
            file_name=f"{name}.svg", mime="image/svg+xml", on_click="ignore", icon=":material/draw:",
            key=f"dl_svg_{chart.key}", disabled=not can_render, width="stretch",
        )
    st.divider()


def pack_bytes(charts: Sequence[ch.Chart], ctx: ch.ChartContext, meta: Mapping[str, str], lang: str,
               heat_parts: Callable[[], Sequence[ch.Chart]] | None = None) -> bytes:
    """The PowerPoint chart pack for ``charts`` (:func:`slides.insights_pack`). ``heat_parts``
    gives the capability heatmap cut for slides (:func:`charts.capability_heatmap_parts`),
    which then replaces the single tall heatmap."""
    if heat_parts is not None:
        charts = [part for c in charts for part in (heat_parts() if c.key == "capabilities" else [c])]
    return insights_pack(charts, ctx, meta, lang)


def pack_button(charts: Sequence[ch.Chart], ctx: ch.ChartContext, meta: Mapping[str, str], can_render: bool, lang: str,
                filters: Filters | None = None, taxonomy: Taxonomy | None = None, measure: str = "count") -> None:
    """One click: every chart for the current filters as a PPTX file (the heatmap on two
    slides when the filters and taxonomy are given)."""
    name = ch.figure_filename("pack", ctx, dt.date.today().isoformat())
    parts = None
    if filters is not None and taxonomy is not None:
        summary = q("filter_summary", filters)
        parts = partial(ch.capability_heatmap_parts, summary.capability_country, summary.country_totals,
                        taxonomy, ctx, measure)
    st.download_button(
        t("insights.pack", lang), data=partial(pack_bytes, charts, ctx, meta, lang, parts),
        file_name=f"{name}.pptx", on_click="ignore", icon=":material/slideshow:", type="primary",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        disabled=not can_render, help=t("insights.pack_help", lang), key="dl_pack",
    )
