"""Organisation profile: every field, capabilities by group, sources, cross-country peers."""

import streamlit as st

from fusion_partners import queries
from fusion_partners.db import DataError
from fusion_partners.explore import profile_url
from fusion_partners.i18n import t, t_md
from fusion_partners.i18n.markup import echo
from fusion_partners.queries import profile as profile_queries
from fusion_partners.ui import common, corrections, profile
from fusion_partners.ui import filters as ui_filters
from fusion_partners.ui.data import q, taxonomy

common.require_entrypoint()

lang = common.language()
link = profile_url.from_params(st.query_params.get_all)
org_id = link.org_id
try:
    tax = taxonomy()
    index = q(queries.organisation_index)
    org = q(profile_queries.organisation, org_id) if org_id else None
    meta = q(queries.meta)
except DataError as exc:
    common.stop_on_data_error(exc, lang)

back = ui_filters.filter_params(st.session_state.get(ui_filters.STATE_KEY) or ui_filters.Filters())
st.page_link(
    "pages/explore.py",
    label=t("profile.back", lang),
    icon=":material/arrow_back:",
    query_params={**back, "lang": lang},
)

if link.several:  # the last one is shown: say so rather than choose silently
    st.info(t_md("profile.several", lang, org=echo(org_id)), icon=":material/link:")

if org is None:
    if org_id:
        st.warning(t_md("profile.unknown", lang, org=echo(org_id)), icon=":material/link_off:")
    chosen = profile.picker(index, lang)
    common.sync_url(profile_url.to_params(profile_url.ProfileLink(chosen or "")))
    if chosen:
        st.rerun()
    st.stop()

common.sync_url(profile_url.to_params(link))
st.set_page_config(page_title=profile.tab_title(org, lang))
profile.header(org, lang)
profile.partner_link(org, lang)
profile.facts(org, lang)
profile.memberships(q(profile_queries.organisation_memberships, org_id), lang)
profile.facets(org, tax, lang)
profile.collaborations(q(profile_queries.organisation_links, org_id), lang)
profile.capabilities(org, tax, lang)
profile.sources(q(profile_queries.organisation_sources, org_id), org, lang)
profile.peers(q(profile_queries.cross_country_peers, org_id), org, tax, lang)
corrections.correction_form(org, lang)
st.caption(common.data_note(meta, lang))
