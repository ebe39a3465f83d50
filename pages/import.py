"""Import: upload a member list or roster, map it, preview every row, then write or undo."""

import streamlit as st

from fusion_partners import config
from fusion_partners.data import transaction as store
from fusion_partners.i18n import t
from fusion_partners.importing.request import ImportRequest
from fusion_partners.ui import common
from fusion_partners.ui import importer as ui

common.require_entrypoint()

lang = common.language()
common.sync_url({})
st.title(t("import.title", lang))
st.caption(t("import.intro", lang))
if store.recover(config.data_dir(), config.db_path()) == "rolled_back":
    st.warning(t("import.recovered", lang), icon=":material/history:")

editor = ui.editor_access(lang)
just_done = ui.last_result() == "success"
table = ui.upload(lang)
file = ui.mapping_step(table, lang) if table is not None else None

if file is not None:
    options = ui.options_step(lang)
    capabilities = ui.capability_step(file, lang)
    request = ImportRequest(
        (file,), capabilities, ui.pending_decisions(file), options, ui.pending_countries(file)
    )
    plan = ui.make_plan(request, lang)
    ui.preview(plan, file, lang)
    ui.write_step(request, plan, editor, lang, just_done)

st.divider()
ui.log_section(editor, lang)
