"""Presenter mode of the Insights page: one chart per screen filling the window, under a bar
with previous, "chart n of N", next and a visible exit; the slide on screen is in the URL
(``slide=``, read through :mod:`fusion_partners.insights.url`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import streamlit as st

from fusion_partners import queries
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n import t
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.insights import url
from fusion_partners.insights.chart import Chart
from fusion_partners.insights.export import plotly_config
from fusion_partners.insights.heatmap import capability_heatmap_parts
from fusion_partners.insights.style import (
    EXPORT_HEIGHT,
    EXPORT_WIDTH,
    ChartContext,
    figure_filename,
)
from fusion_partners.ui.data import data_version, q
from fusion_partners.ui.insights import W_PRESENT

W_SLIDE = "w_slide"
"""Session key of the slide on screen (1-based)."""
PRESENTER_HEAT_PARTS = 3
"""Presenter slides the capability heatmap is cut into: about ten rows each, so that two-line
labels in presenter type fit a 1024×768 projector without overlapping."""


def slide_number(count: int) -> int:
    """The presenter slide on screen, 1-based and within ``1..count``: from the URL
    (``slide=``) on first run, then from session state (the previous/next buttons). A value
    that is not a whole number falls back to the first slide and one past the end is clamped
    to the last, so a link made before the filters changed still opens."""
    if W_SLIDE not in st.session_state:
        st.session_state[W_SLIDE] = url.from_params(st.query_params).slide
    value = url.clamp_slide(int(st.session_state[W_SLIDE]), count)
    st.session_state[W_SLIDE] = value
    return value


def _step(delta: int, count: int) -> None:
    """Button callback: ``delta`` slides on, kept within ``1..count``."""
    st.session_state[W_SLIDE] = url.clamp_slide(
        int(st.session_state.get(W_SLIDE, 1)) + delta, count
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
    charts: Sequence[Chart], heat_parts: Callable[[], Sequence[Chart]]
) -> list[Chart]:
    """The charts shown one per screen: the capability heatmap cut in parts along taxonomy
    groups (``heat_parts``, :func:`fusion_partners.insights.heatmap.capability_heatmap_parts`), so that its rows stay
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


def slide_block(chart: Chart, ctx: ChartContext) -> None:
    """One chart filling the window under the presenter's bar; the figure states its title,
    filters, note and source. No table, downloads or controls: they are on the page outside
    presenter mode."""
    config = plotly_config(
        figure_filename(chart.key, ctx, dt.date.today().isoformat()),
        width=EXPORT_WIDTH,
        height=EXPORT_HEIGHT,
    )
    with st.container(key="present_slide", height="stretch"):
        st.plotly_chart(
            chart.figure, width="stretch", height="stretch", config=config, key="fig_slide"
        )


def heat_parts(
    filters: Filters, taxonomy: Taxonomy, ctx: ChartContext, measure: str
) -> list[Chart]:
    """The capability heatmap cut along taxonomy groups (:func:`fusion_partners.insights.heatmap.capability_heatmap_parts`)
    for presenter slides, built once per (data version, filters, context, measure)."""
    return _heat_parts(data_version(), filters, ctx, measure, _taxonomy=taxonomy)


@st.cache_resource(max_entries=32, show_spinner=False)
def _heat_parts(
    version: tuple[str, int],
    filters: Filters,
    ctx: ChartContext,
    measure: str,
    *,
    _taxonomy: Taxonomy,
) -> list[Chart]:
    """Cached body of :func:`heat_parts` (``version`` only keys the cache)."""
    summary = q(queries.filter_summary, filters)
    return capability_heatmap_parts(
        summary.capability_country,
        summary.country_totals,
        _taxonomy,
        ctx,
        measure,
        parts=PRESENTER_HEAT_PARTS,
    )
