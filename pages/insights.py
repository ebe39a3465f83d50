"""Insights: landscape charts for presenters, following the Explore filters."""

import streamlit as st

from fusion_partners.charts import chart_context
from fusion_partners.db import DataError
from fusion_partners.i18n import t
from fusion_partners.ui import common
from fusion_partners.ui import filters as ui_filters
from fusion_partners.ui import insights as view
from fusion_partners.ui.data import q, taxonomy

common.require_entrypoint()

lang = common.language()
common.reread_url_on_history(view.W_PRESENT, view.W_MEASURE, view.W_LINKS)  # Back restores the view
presenter, measure = view.view_state()
link_kind = view.link_kind()
view.page_setup(presenter)
try:
    tax = taxonomy()
    options = q("option_values")
    meta = q("meta")
    current = ui_filters.current_filters(options, tax)
    counts = q("filter_summary", current).facets
    ctx = chart_context(current, tax, meta, lang, presenter)
    charts = view.build_charts(current, tax, ctx, measure, link_kind)
except DataError as exc:
    common.stop_on_data_error(exc, lang)

ui_filters.render_sidebar(options, counts, tax, lang)
common.sync_url({**ui_filters.filter_params(current), **view.view_params(presenter, measure, link_kind)})

st.title(t("insights.page.title", lang))
if not presenter:
    st.caption(t("insights.page.intro", lang))
for message in ui_filters.url_notices(current, lang):
    st.warning(message, icon=":material/link_off:")

can_render = view.renderer_notice(lang)
top_left, top_right = st.columns([5, 2], vertical_alignment="bottom")
with top_left:
    view.controls(presenter, lang)
with top_right:
    view.pack_button(charts, ctx, meta, can_render, lang, current, tax, measure)

for chart in charts:
    view.chart_block(chart, ctx, can_render, presenter, lang)
st.caption(common.data_note(meta, lang))
