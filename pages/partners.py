"""Partner finder: ranked cross-country partner suggestions with reasons, pair view, shortlist."""

import streamlit as st

from fusion_partners import queries
from fusion_partners.db import DataError
from fusion_partners.i18n import format_number, t
from fusion_partners.partners import sql as qp
from fusion_partners.queries import profile as profile_queries
from fusion_partners.ui import (
    common,
    partners_inputs,
    partners_results,
    partners_shortlist,
    partners_state,
)
from fusion_partners.ui.data import q, taxonomy
from fusion_partners.ui.pair_view import pair_view

common.require_entrypoint()

lang = common.language()
try:
    tax = taxonomy()
    options = q(queries.option_values)
    index = q(queries.organisation_index)
    meta = q(queries.meta)
    query = partners_state.current_query(index, options)
    start = q(profile_queries.organisation, query.start) if query.start else None
    counts = q(qp.counts_by_kind, query)
    rows = q(qp.suggestions, query)
except DataError as exc:
    common.stop_on_data_error(exc, lang)

st.title(t("partners.title", lang))
st.caption(t("partners.intro", lang))
for message in partners_state.notices(lang):
    st.warning(message, icon=":material/link_off:")
partners_inputs.inputs(query, index, options, counts, tax, lang)
partners_inputs.weights_sidebar(query, lang)
partners_state.write_url(query)
ctx = partners_results.context(start, tax, lang)

if start is not None:
    st.page_link(
        "pages/profile.py",
        label=t("partners.start_profile", lang, name=ctx.start_name),
        icon=":material/apartment:",
        query_params={"org": query.start, "lang": lang},
    )
if rows.empty:
    partners_results.empty_state(query, start, ctx)
else:
    total = counts.get(query.kind, len(rows))
    key = "partners.count_top" if total > len(rows) else "partners.count"
    st.markdown(t(key, lang, n=format_number(len(rows), lang), total=format_number(total, lang)))
    partners_results.results(rows, query, start, ctx, meta.get("built_at", ""))

other = st.session_state.get(partners_state.PAIR)
if start is not None and other:
    pair_org = q(profile_queries.organisation, other)
    if pair_org is not None:
        st.divider()
        pair_view(start, pair_org, ctx, query.weights)

st.divider()
partners_shortlist.shortlist(ctx, meta)
st.caption(common.data_note(meta, lang))
