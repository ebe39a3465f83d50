"""Shortlists: this browser's shortlists, and one shortlist opened by its private link."""

import streamlit as st

from fusion_partners import queries
from fusion_partners.db import DataError
from fusion_partners.i18n import t
from fusion_partners.ui import common
from fusion_partners.ui import shortlists as ui
from fusion_partners.ui import workspace as wsui
from fusion_partners.workspace import WorkspaceError
from fusion_partners.workspace import url as shortlist_url

common.require_entrypoint()

lang = common.language()
try:
    from fusion_partners.ui.data import q, taxonomy

    tax = taxonomy()
    meta = q(queries.meta)
except DataError as exc:
    common.stop_on_data_error(exc, lang)

ws = wsui.store()
if ws is None:
    st.title(t("shortlists.title", lang))
    wsui.unavailable(lang)
    st.stop()

wsui.show_flash()
link = shortlist_url.from_params(st.query_params.get_all)
token = link.token
opened = None
if token:
    try:
        opened = ws.open(token)
        ws.remember(wsui.browser_key(), token)
    except WorkspaceError as exc:
        st.title(t("shortlists.title", lang))
        ui.link_error(exc, lang)
if opened is None:
    if not token:
        st.title(t("shortlists.title", lang))
    st.caption(t("shortlists.intro", lang))
    common.sync_url({})
    ui.my_shortlists(ws, lang)
else:
    common.sync_url(shortlist_url.to_params(link))
    st.page_link(
        "pages/shortlists.py",
        label=t("shortlists.back", lang),
        icon=":material/arrow_back:",
        query_params={"lang": lang},
    )
    ui.shortlist_page(ws, opened, tax, meta, lang)
st.caption(common.data_note(meta, lang))
