"""Import page, first steps: editor access, the upload and the column mapping.

Everything taken from an uploaded file (names, headers, cells, the file name) is shown through
:func:`i18n.t_md` or :func:`ui.import_notices.show` wherever Streamlit renders Markdown, so a
file cannot draw links, images or icons. The read table is cached as a shared object
(``st.cache_resource``, no copy per rerun) under the file's content hash. The file is read by
the core (:mod:`fusion_partners.importing.service`), never here.
"""

from __future__ import annotations

import streamlit as st

from fusion_partners.i18n import t, t_md
from fusion_partners.i18n.markup import echo
from fusion_partners.importing import service
from fusion_partners.importing.service import ImportFile, RawTable, Upload
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.common import keep_selection
from fusion_partners.ui.import_notices import show

_CONFIRMED = "imp_confirmed"
_GATE = "imp_token_gate"


def editor_access(lang: str) -> bool:
    """Ask for the editor token when one is configured; say which mode the page is in.

    Wrong tokens are counted in the workspace, per client address and overall, so a reload
    does not reset them (:func:`.workspace.check_token`). An editor also gives a name, recorded with imports and undos.
    """
    token = wsui.configured_token()
    if not token:
        st.info(t("import.mode.not_configured", lang), icon=":material/visibility:")
        return False
    entered = st.text_input(
        t("import.token", lang), type="password", key="imp_token", help=t("import.token_help", lang)
    )
    verdict = wsui.check_token(entered, token, st.session_state.setdefault(_GATE, {}))
    if verdict.status == "ok":
        st.success(t("import.mode.editor", lang), icon=":material/edit:")
        st.text_input(t("import.editor_name", lang), key="imp_user")
        return True
    if verdict.status == "locked":
        st.error(
            t("import.token_locked", lang, seconds=verdict.seconds), icon=":material/lock_clock:"
        )
    elif verdict.status == "wrong":
        st.warning(t("import.token_wrong", lang), icon=":material/key_off:")
    st.info(t("import.mode.preview_only", lang), icon=":material/visibility:")
    return False


def editor_name() -> str:
    """The name the editor typed (``""`` when none)."""
    return str(st.session_state.get("imp_user", "") or "").strip()


@st.cache_resource(max_entries=4, show_spinner=False)
def _read(digest: str, name: str, _data: bytes) -> Upload:
    """The file read once per (content hash, name) and shared, not copied, on every rerun."""
    return service.read_upload(_data, name)


def upload(lang: str) -> RawTable | None:
    """The file uploader; returns the read table (saying what was read, skipped or cleaned),
    or shows why the file cannot be read."""
    limit_mb = service.MAX_UPLOAD_BYTES // (1024 * 1024)
    file = st.file_uploader(
        t("import.upload", lang, limit_mb=limit_mb),
        type=["csv", "tsv", "txt", "xlsx"],
        key="imp_file",
        help=t("import.upload_help", lang),
    )
    if file is None:
        return None
    data = file.getvalue()
    read = _read(service.content_hash(data), file.name, data)
    for notice in service.upload_notices(read, lang):
        show(notice, lang)
    return read.table


def mapping_step(table: RawTable, lang: str) -> ImportFile | None:
    """Column → field selectors (proposed from the headers) and the confirm button.

    Returns the file with its mapping once the user confirmed exactly this mapping.
    """
    st.subheader(t("import.step.mapping", lang))
    st.caption(t("import.mapping.help", lang))
    guessed = service.guessed_mapping(table)
    options = ["", *service.FIELDS]
    mapping: dict[int, str] = {}
    cols = st.columns(3)
    for i, header in enumerate(table.header):
        sample = echo(service.column_sample(table, i), 40)
        key = f"imp_map_{table.content_hash[:12]}_{i}"
        choice = cols[i % 3].selectbox(
            t_md(
                "import.mapping.column",
                lang,
                column=echo(header, 60) or f"#{i + 1}",
                sample=sample or "—",
            ),
            options,
            index=options.index(guessed.get(i, "")),
            format_func=keep_selection(key, lambda f: t(f"import.field.{f or 'ignore'}", lang)),
            key=key,
        )
        if choice:
            mapping[i] = choice
    problems = service.mapping_notices(mapping, lang)
    for notice in problems:
        show(notice, lang, icon=False)
    if problems:
        return None
    chosen = ImportFile(table, tuple(sorted(mapping.items())))
    if st.button(t("import.mapping.confirm", lang), key="imp_confirm", icon=":material/check:"):
        st.session_state[_CONFIRMED] = chosen.mapping, table.content_hash
    if st.session_state.get(_CONFIRMED) == (chosen.mapping, table.content_hash):
        st.caption(t("import.mapping.confirmed", lang))
        return chosen
    st.info(t("import.mapping.needs_confirm", lang))
    return None
