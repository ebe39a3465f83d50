"""Widgets of the Insights page: view state (presenter mode and its slide, heatmap measure),
chart blocks, presenter slides, downloads and the PowerPoint chart pack."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import streamlit as st

from fusion_partners import queries
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n import t
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.i18n.markup import escape_markdown as _md
from fusion_partners.insights import charts as ch
from fusion_partners.insights.analysis import (
    GAP_MIN_ORGS,
    GAP_RATIO,
    MAX_LINKS,
    LinkScope,
    link_network,
)
from fusion_partners.insights.export import plotly_config, render_image, renderer_status, to_html
from fusion_partners.insights.slides import insights_pack
from fusion_partners.partners import sql as qp
from fusion_partners.data.partner_rules import KINDS
from fusion_partners.queries import insights as qi
from fusion_partners.ui.data import data_version, q

PRESENT_PARAM, MEASURE_PARAM, LINKS_PARAM, SLIDE_PARAM = "present", "measure", "links", "slide"
W_PRESENT, W_MEASURE, W_LINKS, W_SLIDE = "w_present", "w_measure", "w_links", "w_slide"
DEFAULT_LINK_KIND = "supply_chain"
"""The network shows supply-chain candidates unless the URL or the control says otherwise."""
DOCUMENTED = "documented"
NETWORK_KINDS: tuple[str, ...] = (DOCUMENTED, *KINDS)
"""What the network can draw: the documented Japan–UK collaborations, or the partner finder's
candidate links of one kind."""
PRESENTER_HEAT_PARTS = 3
"""Presenter slides the capability heatmap is cut into: about ten rows each, so that two-line
labels in presenter type fit a 1024×768 projector without overlapping."""
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


def view_params(
    presenter: bool, measure: str, kind: str = DEFAULT_LINK_KIND, slide: int = 1
) -> dict[str, str]:
    """URL parameters for the view (only non-defaults; ``slide`` is 1-based and written only in
    presenter mode, so a presenter can share or reload the chart on screen)."""
    params = {}
    if presenter:
        params[PRESENT_PARAM] = "1"
        if slide > 1:
            params[SLIDE_PARAM] = str(slide)
    if measure != "count":
        params[MEASURE_PARAM] = measure
    if kind != DEFAULT_LINK_KIND:
        params[LINKS_PARAM] = kind
    return params


def slide_number(count: int) -> int:
    """The presenter slide on screen, 1-based and within ``1..count``: from the URL
    (``slide=``) on first run, then from session state (the previous/next buttons). A value
    that is not a whole number falls back to the first slide and one past the end is clamped
    to the last, so a link made before the filters changed still opens."""
    if W_SLIDE not in st.session_state:
        raw = st.query_params.get(SLIDE_PARAM, "1")
        st.session_state[W_SLIDE] = int(raw) if raw.isdigit() else 1
    value = min(max(int(st.session_state[W_SLIDE]), 1), max(count, 1))
    st.session_state[W_SLIDE] = value
    return value


def _step(delta: int, count: int) -> None:
    """Button callback: ``delta`` slides on, kept within ``1..count``."""
    st.session_state[W_SLIDE] = min(
        max(int(st.session_state.get(W_SLIDE, 1)) + delta, 1), max(count, 1)
    )


def _exit_presenter() -> None:
    """Button callback: back to the page (the toggle's state is the mode)."""
    st.session_state[W_PRESENT] = False


PRESENTER_CSS = """<style>
header[data-testid="stHeader"], section[data-testid="stSidebar"], div[data-testid="stSidebarCollapsedControl"],
div[data-testid="stLayoutWrapper"]:has(> .st-key-present_keys), .st-key-present_keys { display: none; }
.stApp .st-key-fpf_filters { display: none !important; }
div.stMainBlockContainer { max-width: 100%; height: 100vh; box-sizing: border-box; padding: 0.75rem 1.5rem; }
div.stMainBlockContainer > div[data-testid="stVerticalBlock"] { height: 100%; }
div[data-testid="stLayoutWrapper"]:has(> div.st-key-present_slide) { flex: 1 1 0 !important; min-height: 0; }
div.st-key-present_slide { height: 100% !important; }
</style>"""
"""Presenter mode: no Streamlit header, sidebar or "Filters" button (the exit button brings them
back); the page is exactly the window's height and the slide's container takes what the bar
above it leaves, which the figure fills (Streamlit's ``height="stretch"``, which follows
window resizes)."""


def page_setup(presenter: bool) -> None:
    """Presenter mode: wide layout, sidebar collapsed and hidden, the slide fills the window."""
    if presenter:
        st.set_page_config(layout="wide", initial_sidebar_state="collapsed")
        st.html(PRESENTER_CSS)


def presenter_slides(
    charts: Sequence[ch.Chart], heat_parts: Callable[[], Sequence[ch.Chart]]
) -> list[ch.Chart]:
    """The charts shown one per screen: the capability heatmap cut in parts along taxonomy
    groups (``heat_parts``, :func:`charts.capability_heatmap_parts`), so that its rows stay
    readable on a projector, then the other charts in page order."""
    return [
        part
        for c in charts
        for part in (heat_parts() if c.key == "capabilities" and not c.empty else [c])
    ]


def presenter_nav(slide: int, count: int, lang: str) -> None:
    """The presenter's bar: previous, "chart n of N", next, and a visible exit (the chart
    states its own title).

    Keys are Streamlit button shortcuts (no script of our own): Left / Right and PageUp /
    PageDown (what presentation clickers send) step through the slides, Esc exits. PageUp and
    PageDown sit on hidden twins of the previous and next buttons, as a button takes one
    shortcut.
    """
    with st.container(horizontal=True, vertical_alignment="center", key="present_nav"):
        st.button(
            t("insights.slides.prev", lang),
            key="present_prev",
            on_click=_step,
            args=(-1, count),
            disabled=slide <= 1,
            shortcut="Left",
        )
        st.markdown(
            t("insights.slides.position", lang, n=slide, total=count), width="content"
        )  # numbers only
        st.button(
            t("insights.slides.next", lang),
            key="present_next",
            on_click=_step,
            args=(1, count),
            disabled=slide >= count,
            shortcut="Right",
            type="primary",
        )
        st.space("stretch")
        st.button(
            t("insights.slides.exit", lang),
            key="present_exit",
            icon=":material/close:",
            on_click=_exit_presenter,
            shortcut="Esc",
            help=t("insights.slides.exit_help", lang),
        )
        with st.container(key="present_keys"):  # hidden; inside the bar, so it adds no height
            st.button(
                t("insights.slides.prev", lang),
                key="present_pageup",
                on_click=_step,
                args=(-1, count),
                shortcut="PageUp",
            )
            st.button(
                t("insights.slides.next", lang),
                key="present_pagedown",
                on_click=_step,
                args=(1, count),
                shortcut="PageDown",
            )


def slide_block(chart: ch.Chart, ctx: ch.ChartContext) -> None:
    """One chart filling the window under the presenter's bar; the figure states its title,
    filters, note and source. No table, downloads or controls: they are on the page outside
    presenter mode."""
    config = plotly_config(
        ch.figure_filename(chart.key, ctx, dt.date.today().isoformat()),
        width=ch.EXPORT_WIDTH,
        height=ch.EXPORT_HEIGHT,
    )
    with st.container(key="present_slide", height="stretch"):
        st.plotly_chart(
            chart.figure, width="stretch", height="stretch", config=config, key="fig_slide"
        )


def controls(lang: str) -> None:
    """Presenter toggle and heatmap measure (outside presenter mode; the page sets them in a
    row that wraps on narrow windows)."""
    st.toggle(t("insights.present", lang), key=W_PRESENT, help=t("insights.present_help", lang))
    st.segmented_control(
        t("insights.measure", lang),
        options=list(ch.MEASURES),
        key=W_MEASURE,
        required=True,
        format_func=lambda m: t(f"insights.measure_opt.{m}", lang),
    )


def link_kind_control(lang: str) -> None:
    """Which partner-finder kind the network of candidate links shows."""
    st.segmented_control(
        t("insights.net.kind", lang),
        options=list(NETWORK_KINDS),
        key=W_LINKS,
        required=True,
        format_func=lambda k: t(f"partners.kind.{k}", lang),
        help=t("insights.net.kind_help", lang),
    )


def build_charts(
    filters: Filters,
    taxonomy: Taxonomy,
    ctx: ch.ChartContext,
    measure: str,
    kind: str = DEFAULT_LINK_KIND,
) -> list[ch.Chart]:
    """The five charts for this view, built once per (data version, filters, context, measure,
    kind) and shared by sessions: building them costs about a second of server time (the
    network layout, five figures), which a rerun for a table toggle or a download should not
    pay again. The figures are read-only after building."""
    return _build_charts(data_version(), filters, ctx, measure, kind, _taxonomy=taxonomy)


@st.cache_resource(max_entries=64, show_spinner=False)
def _build_charts(
    version: tuple[str, int],
    filters: Filters,
    ctx: ch.ChartContext,
    measure: str,
    kind: str,
    *,
    _taxonomy: Taxonomy,
) -> list[ch.Chart]:
    """Fetch the data for every chart (cached queries) and build the figures (``version`` only
    keys the cache)."""
    return charts_for(q, filters, _taxonomy, ctx, measure, kind)


def charts_for(
    fetch: Callable[..., Any],
    filters: Filters,
    taxonomy: Taxonomy,
    ctx: ch.ChartContext,
    measure: str = "count",
    kind: str = DEFAULT_LINK_KIND,
) -> list[ch.Chart]:
    """The five charts of the Insights page, with every query made through ``fetch``
    (called as :func:`ui.data.q` is: ``fetch(query, *args)``, ``query`` a query function). Benchmarks pass a fetch without
    the cache.

    Bounded at any roster size: the network pairs at most
    :data:`partners.sql.MAX_LINK_ENDS` organisations per country and side (the figure
    then says so, see :class:`insights.LinkScope`), and reads the names of the drawn
    organisations only.
    """
    summary = fetch(queries.filter_summary, filters)  # the same cached call as the sidebar's counts
    heat = ch.capability_heatmap(
        summary.capability_country, summary.country_totals, taxonomy, ctx, measure
    )
    types = ch.types_memberships(fetch(qi.type_membership_counts, filters), ctx)
    map_ctx = ch.ChartContext(
        ctx.lang,
        ctx.filters_text,
        ctx.footer + " · " + t("insights.map.source", ctx.lang),
        ctx.presenter,
        ctx.filter_slug,
    )
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
        st.info(
            t(f"insights.renderer.{status.reason}", lang), icon=":material/image_not_supported:"
        )
        return False
    if not status.cjk_font:
        st.warning(t("insights.renderer.no_font", lang), icon=":material/font_download_off:")
    return True


def chart_block(chart: ch.Chart, ctx: ch.ChartContext, can_render: bool, lang: str) -> None:
    """The figure, its finding in words, a table toggle and the downloads (short labels in a
    row that wraps, so none is cut at projector widths; the longer description is the help)."""
    today = dt.date.today().isoformat()
    name = ch.figure_filename(chart.key, ctx, today)
    config = plotly_config(
        name, width=ch.EXPORT_WIDTH, height=int(chart.figure.layout.height or 700)
    )
    if chart.key == "network":
        link_kind_control(lang)
    st.plotly_chart(chart.figure, width="stretch", config=config, key=f"fig_{chart.key}")
    st.markdown(_md(chart.summary))
    if chart.key == "capabilities":
        with st.expander(t("insights.gap_rule_title", lang)):
            st.markdown(
                _md(t("insights.gap_rule_body", lang, min=GAP_MIN_ORGS, ratio=f"{GAP_RATIO:g}"))
            )
    if st.toggle(t("insights.show_table", lang), key=f"tbl_{chart.key}"):
        st.dataframe(chart.table, hide_index=True, width="stretch")
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            t("insights.download_html", lang),
            data=partial(to_html, chart.figure, chart.title, config, lang),
            file_name=f"{name}.html",
            mime="text/html",
            on_click="ignore",
            icon=":material/code:",
            key=f"dl_html_{chart.key}",
            help=t("insights.download_html_help", lang),
        )
        st.download_button(
            t("insights.download_png", lang),
            data=partial(render_image, chart.export_figure, "png"),
            file_name=f"{name}.png",
            mime="image/png",
            on_click="ignore",
            icon=":material/image:",
            key=f"dl_png_{chart.key}",
            disabled=not can_render,
            help=t("insights.download_png_help", lang),
        )
        st.download_button(
            t("insights.download_svg", lang),
            data=partial(render_image, chart.export_figure, "svg"),
            file_name=f"{name}.svg",
            mime="image/svg+xml",
            on_click="ignore",
            icon=":material/draw:",
            key=f"dl_svg_{chart.key}",
            disabled=not can_render,
            help=t("insights.download_svg_help", lang),
        )
    st.divider()


def heat_parts(
    filters: Filters, taxonomy: Taxonomy, ctx: ch.ChartContext, measure: str
) -> list[ch.Chart]:
    """The capability heatmap cut along taxonomy groups (:func:`charts.capability_heatmap_parts`)
    for presenter slides, built once per (data version, filters, context, measure)."""
    return _heat_parts(data_version(), filters, ctx, measure, _taxonomy=taxonomy)


@st.cache_resource(max_entries=32, show_spinner=False)
def _heat_parts(
    version: tuple[str, int],
    filters: Filters,
    ctx: ch.ChartContext,
    measure: str,
    *,
    _taxonomy: Taxonomy,
) -> list[ch.Chart]:
    """Cached body of :func:`heat_parts` (``version`` only keys the cache)."""
    summary = q(queries.filter_summary, filters)
    return ch.capability_heatmap_parts(
        summary.capability_country,
        summary.country_totals,
        _taxonomy,
        ctx,
        measure,
        parts=PRESENTER_HEAT_PARTS,
    )


def pack_bytes(
    charts: Sequence[ch.Chart],
    ctx: ch.ChartContext,
    meta: Mapping[str, str],
    lang: str,
    heat_parts: Callable[[], Sequence[ch.Chart]] | None = None,
) -> bytes:
    """The PowerPoint chart pack for ``charts`` (:func:`slides.insights_pack`). ``heat_parts``
    gives the capability heatmap cut for slides (:func:`charts.capability_heatmap_parts`),
    which then replaces the single tall heatmap."""
    if heat_parts is not None:
        charts = [
            part for c in charts for part in (heat_parts() if c.key == "capabilities" else [c])
        ]
    return insights_pack(charts, ctx, meta, lang)


def pack_button(
    charts: Sequence[ch.Chart],
    ctx: ch.ChartContext,
    meta: Mapping[str, str],
    can_render: bool,
    lang: str,
    filters: Filters | None = None,
    taxonomy: Taxonomy | None = None,
    measure: str = "count",
) -> None:
    """One click: every chart for the current filters as a PPTX file (the heatmap on two
    slides when the filters and taxonomy are given)."""
    name = ch.figure_filename("pack", ctx, dt.date.today().isoformat())
    parts = None
    if filters is not None and taxonomy is not None:
        summary = q(queries.filter_summary, filters)
        parts = partial(
            ch.capability_heatmap_parts,
            summary.capability_country,
            summary.country_totals,
            taxonomy,
            ctx,
            measure,
        )
    st.download_button(
        t("insights.pack", lang),
        data=partial(pack_bytes, charts, ctx, meta, lang, parts),
        file_name=f"{name}.pptx",
        on_click="ignore",
        icon=":material/slideshow:",
        type="primary",
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        disabled=not can_render,
        help=t("insights.pack_help", lang),
        key="dl_pack",
        width="content",
    )
