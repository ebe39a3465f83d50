"""Import: upload a member list or roster, map it, preview every row, then write or undo."""

import streamlit as st

from fusion_partners.i18n import t
from fusion_partners.ui import common, import_choices, import_preview, import_upload, import_write

common.require_entrypoint()

lang = common.language()
common.sync_url({})
st.title(t("import.title", lang))
st.caption(t("import.intro", lang))
import_write.recovered(lang)

editor = import_upload.editor_access(lang)
just_done = import_write.last_result(lang) == "success"
table = import_upload.upload(lang)
file = import_upload.mapping_step(table, lang) if table is not None else None

if file is not None:
    options = import_choices.options_step(lang)
    capabilities = import_choices.capability_step(file, lang)
    request = import_choices.import_request(file, capabilities, options)
    plan = import_preview.make_plan(request, lang)
    import_preview.preview(plan, file, lang)
    import_write.write_step(request, plan, editor, lang, just_done)

st.divider()
import_write.log_section(editor, lang)
