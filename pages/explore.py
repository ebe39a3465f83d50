"""Explore: filter organisations, see counts, open profiles, export the rows on screen."""

import streamlit as st

from fusion_partners import queries
from fusion_partners.db import DataError
from fusion_partners.explore.describe import describe_filters
from fusion_partners.i18n import format_number, t
from fusion_partners.ui import common, corrections, explore
from fusion_partners.ui import filters as ui_filters
from fusion_partners.ui.data import q, taxonomy

common.require_entrypoint()

lang = common.language()
try:
    tax = taxonomy()
    options = q(queries.option_values)
    meta = q(queries.meta)
    total = q(queries.total_organisations)
    current = ui_filters.current_filters(options, tax)
    counts = q(queries.filter_summary, current).facets
    rows = q(queries.organisation_table, current, limit=explore.MAX_ROWS + 1, lang=lang)
except DataError as exc:
    common.stop_on_data_error(exc, lang)

ui_filters.render_sidebar(options, counts, tax, lang)
common.sync_url(ui_filters.filter_params(current))

st.title(t("explore.title", lang))
st.caption(t("explore.intro", lang))
for message in ui_filters.url_notices(current, lang):
    st.warning(message, icon=":material/link_off:")

shown = rows.head(explore.MAX_ROWS)
matched = q(queries.filter_summary, current).count  # from the facets' scan, no count of its own
explore.summary_bar(current, matched, total, describe_filters(current, tax, lang), tax, lang)
if matched > explore.MAX_ROWS:
    st.info(t("explore.truncated", lang, shown=format_number(explore.MAX_ROWS, lang)))

if shown.empty:
    explore.empty_state(current, tax, lang)
else:
    why = explore.matched_labels_note(current, tax, lang)
    if why:
        st.caption(why)
    explore.table(shown, tax, lang)
    explore.downloads(shown, current, tax, meta, matched, lang)
corrections.organisation_form(tax, lang)
st.caption(common.data_note(meta, lang))
