"""Editors: the review queue of corrections and suggestions, introduction requests, the editor log."""

import streamlit as st

from fusion_partners.i18n import t
from fusion_partners.ui import common
from fusion_partners.ui import corrections as ui
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.data import taxonomy

common.require_entrypoint()

lang = common.language()
st.title(t("editors.title", lang))
st.caption(t("editors.intro", lang))
ws = wsui.store()
if ws is None:
    st.warning(t("editors.unavailable", lang), icon=":material/cloud_off:")
    st.stop()
wsui.show_flash()
editor = wsui.editor_gate(lang, "ed")
if not editor:
    st.stop()
queue, requests, log = st.tabs(
    [t("editors.tab.queue", lang), t("editors.tab.requests", lang), t("editors.tab.log", lang)]
)
with queue:
    ui.review_queue(ws, editor, taxonomy(), lang)
with requests:
    ui.requests_panel(ws, editor, lang)
with log:
    ui.log_panel(ws, lang)
