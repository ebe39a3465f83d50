"""Widgets of the Insights page outside presenter mode: the view state (seeded from the URL
through :mod:`fusion_partners.insights.url`), the controls, the cached charts, each chart's
block with its finding, table and downloads, and the PowerPoint chart pack. Presenter mode is
in :mod:`fusion_partners.ui.presenter`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from functools import partial

import streamlit as st

from fusion_partners import queries
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n import t
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.i18n.markup import escape_markdown as _md
from fusion_partners.insights import url
from fusion_partners.insights.analysis import GAP_MIN_ORGS, GAP_RATIO
from fusion_partners.insights.chart import Chart
from fusion_partners.insights.export import plotly_config, render_image, renderer_status, to_html
from fusion_partners.insights.heatmap import MEASURES, capability_heatmap_parts
from fusion_partners.insights.landscape import charts_for
from fusion_partners.insights.slides import insights_pack
from fusion_partners.insights.style import (
    EXPORT_WIDTH,
    PHONE_WIDTHS,
    ChartContext,
    figure_filename,
)
from fusion_partners.ui.data import data_version, q

W_PRESENT, W_MEASURE, W_LINKS = "w_present", "w_measure", "w_links"
"""Session keys of the presenter toggle, the measure and the network's kind (the widgets')."""


def link_kind() -> str:
    """The partner-finder kind the network draws: URL ``links=`` on first run, then the control."""
    if W_LINKS not in st.session_state:
        st.session_state[W_LINKS] = url.from_params(st.query_params).kind
    else:
        st.session_state[W_LINKS] = st.session_state[W_LINKS]
    return st.session_state[W_LINKS] or url.DEFAULT_LINK_KIND


def view_state() -> tuple[bool, str]:
    """Presenter mode and heatmap measure: from the URL on first run, then from the widgets."""
    if W_PRESENT not in st.session_state:
        st.session_state[W_PRESENT] = url.from_params(st.query_params).presenter
    else:  # keep the value when the widget is re-created after visiting another page
        st.session_state[W_PRESENT] = st.session_state[W_PRESENT]
    if W_MEASURE not in st.session_state:
        st.session_state[W_MEASURE] = url.from_params(st.query_params).measure
    else:
        st.session_state[W_MEASURE] = st.session_state[W_MEASURE]
    return bool(st.session_state[W_PRESENT]), st.session_state[W_MEASURE] or url.DEFAULT_MEASURE


def controls(lang: str) -> None:
    """Presenter toggle and heatmap measure (outside presenter mode; the page sets them in a
    row that wraps on narrow windows)."""
    st.toggle(t("insights.present", lang), key=W_PRESENT, help=t("insights.present_help", lang))
    st.segmented_control(
        t("insights.measure", lang),
        options=list(MEASURES),
        key=W_MEASURE,
        required=True,
        format_func=lambda m: t(f"insights.measure_opt.{m}", lang),
    )


def link_kind_control(lang: str) -> None:
    """Which partner-finder kind the network of candidate links shows."""
    st.segmented_control(
        t("insights.net.kind", lang),
        options=list(url.NETWORK_KINDS),
        key=W_LINKS,
        required=True,
        format_func=lambda k: t(f"partners.kind.{k}", lang),
        help=t("insights.net.kind_help", lang),
    )


def build_charts(
    filters: Filters,
    taxonomy: Taxonomy,
    ctx: ChartContext,
    measure: str,
    kind: str = url.DEFAULT_LINK_KIND,
) -> list[Chart]:
    """The five charts for this view, built once per (data version, filters, context, measure,
    kind) and shared by sessions: building them costs about a second of server time (the
    network layout, five figures), which a rerun for a table toggle or a download should not
    pay again. The figures are read-only after building."""
    return _build_charts(data_version(), filters, ctx, measure, kind, _taxonomy=taxonomy)


@st.cache_resource(max_entries=64, show_spinner=False)
def _build_charts(
    version: tuple[str, int],
    filters: Filters,
    ctx: ChartContext,
    measure: str,
    kind: str,
    *,
    _taxonomy: Taxonomy,
) -> list[Chart]:
    """Fetch the data for every chart (cached queries) and build the figures (``version`` only
    keys the cache)."""
    return charts_for(q, filters, _taxonomy, ctx, measure, kind)


PHONE_CSS = f"""<style>
[class*="st-key-figs_"] {{ container-type: inline-size; }}
[class*="st-key-fig_phone_"] {{ display: none; }}
@container (max-width: {PHONE_WIDTHS[1] - 0.02}px) {{
  [class*="st-key-fig_"]:not([class*="st-key-fig_phone_"]) {{ display: none; }}
  [class*="st-key-fig_phone_"] {{ display: block; }}
}}
</style>"""
"""Each chart is sent twice, laid out for a normal and for a phone-wide column (``fig_<key>``
and ``fig_phone_<key>``, in a ``figs_<key>`` container); a container query on the chart's own
column (not the window: the sidebar takes room too) shows one of them."""


def phone_style() -> None:
    """The rule that picks each chart's layout by its column's width (:data:`PHONE_CSS`)."""
    st.html(PHONE_CSS)


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


def chart_block(
    chart: Chart, ctx: ChartContext, can_render: bool, lang: str, phone: Chart | None = None
) -> None:
    """The figure, its finding in words, a table toggle and the downloads (short labels in a
    row that wraps, so none is cut at projector widths; the longer description is the help).
    ``phone``: the same chart laid out for a phone-wide column, shown instead of the figure in
    a column narrower than :data:`fusion_partners.insights.style.PHONE_WIDTHS` allows
    (:data:`PHONE_CSS`); its toolbar saves it as seen."""
    today = dt.date.today().isoformat()
    name = figure_filename(chart.key, ctx, today)
    config = plotly_config(name, width=EXPORT_WIDTH, height=int(chart.figure.layout.height or 700))
    if chart.key == "network":
        link_kind_control(lang)
    with st.container(key=f"figs_{chart.key}"):
        st.plotly_chart(chart.figure, width="stretch", config=config, key=f"fig_{chart.key}")
        if phone is not None:
            st.plotly_chart(
                phone.figure,
                width="stretch",
                config=plotly_config(name),
                key=f"fig_phone_{chart.key}",
            )
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
        for fmt, mime, icon in (
            ("png", "image/png", ":material/image:"),
            ("svg", "image/svg+xml", ":material/draw:"),
        ):
            st.download_button(
                t(f"insights.download_{fmt}", lang),
                data=partial(render_image, chart.export_figure, fmt),
                file_name=f"{name}.{fmt}",
                mime=mime,
                on_click="ignore",
                icon=icon,
                key=f"dl_{fmt}_{chart.key}",
                disabled=not can_render,
                help=t(f"insights.download_{fmt}_help", lang),
            )
    st.divider()


def pack_bytes(
    charts: Sequence[Chart],
    ctx: ChartContext,
    meta: Mapping[str, str],
    lang: str,
    heat_parts: Callable[[], Sequence[Chart]] | None = None,
) -> bytes:
    """The PowerPoint chart pack for ``charts`` (:func:`fusion_partners.insights.slides.insights_pack`). ``heat_parts``
    gives the capability heatmap cut for slides (:func:`fusion_partners.insights.heatmap.capability_heatmap_parts`),
    which then replaces the single tall heatmap."""
    if heat_parts is not None:
        charts = [
            part for c in charts for part in (heat_parts() if c.key == "capabilities" else [c])
        ]
    return insights_pack(charts, ctx, meta, lang)


def pack_button(
    charts: Sequence[Chart],
    ctx: ChartContext,
    meta: Mapping[str, str],
    can_render: bool,
    lang: str,
    filters: Filters | None = None,
    taxonomy: Taxonomy | None = None,
    measure: str = "count",
) -> None:
    """One click: every chart for the current filters as a PPTX file (the heatmap on two
    slides when the filters and taxonomy are given)."""
    name = figure_filename("pack", ctx, dt.date.today().isoformat())
    parts = None
    if filters is not None and taxonomy is not None:
        summary = q(queries.filter_summary, filters)
        parts = partial(
            capability_heatmap_parts,
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
