"""Insights: landscape charts for presenters, following the Explore filters.

Outside presenter mode the page shows every chart with its finding, table and downloads. In
presenter mode (``?present=1``) it shows one chart per screen (``&slide=n``) under a bar with
previous, next and exit.
"""

from dataclasses import replace

import streamlit as st

from fusion_partners import queries
from fusion_partners.db import DataError
from fusion_partners.i18n import t
from fusion_partners.insights.style import chart_context
from fusion_partners.insights.url import InsightsView, to_params
from fusion_partners.ui import common, presenter
from fusion_partners.ui import filters as ui_filters
from fusion_partners.ui import insights as view
from fusion_partners.ui.data import q, taxonomy

common.require_entrypoint()

lang = common.language()
common.reread_url_on_history(
    view.W_PRESENT, view.W_MEASURE, view.W_LINKS, presenter.W_SLIDE
)  # Back restores the view
presenting, measure = view.view_state()
link_kind = view.link_kind()
presenter.page_setup(presenting)
try:
    tax = taxonomy()
    options = q(queries.option_values)
    meta = q(queries.meta)
    current = ui_filters.current_filters(options, tax)
    counts = q(queries.filter_summary, current).facets
    ctx = chart_context(current, tax, meta, lang, presenting)
    charts = view.build_charts(current, tax, ctx, measure, link_kind)
    phones = (  # the same charts laid out for phones (the page shows one or the other)
        []
        if presenting
        else view.build_charts(current, tax, replace(ctx, phone=True), measure, link_kind)
    )
    slides = (
        presenter.presenter_slides(charts, lambda: presenter.heat_parts(current, tax, ctx, measure))
        if presenting
        else []
    )
except DataError as exc:
    common.stop_on_data_error(exc, lang)

ui_filters.render_sidebar(options, counts, tax, lang)
slide = presenter.slide_number(len(slides)) if presenting else 1
common.sync_url(
    {
        **ui_filters.filter_params(current),
        **to_params(InsightsView(presenting, measure, link_kind, slide)),
    }
)

if presenting:
    chart = slides[slide - 1]
    for message in ui_filters.url_notices(current, lang):
        st.toast(message, icon=":material/link_off:")  # a toast takes no room on the slide
    presenter.presenter_nav(slide, len(slides), lang)
    presenter.slide_block(chart, ctx)
else:
    st.title(t("insights.page.title", lang))
    st.caption(t("insights.page.intro", lang))
    for message in ui_filters.url_notices(current, lang):
        st.warning(message, icon=":material/link_off:")
    can_render = view.renderer_notice(lang)
    with st.container(horizontal=True, vertical_alignment="bottom", gap="medium"):
        view.controls(lang)
        view.pack_button(charts, ctx, meta, can_render, lang, current, tax, measure)
    view.phone_style()
    for chart, phone in zip(charts, phones, strict=True):
        view.chart_block(chart, ctx, can_render, lang, phone)
    st.caption(common.data_note(meta, lang))
