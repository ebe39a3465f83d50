"""Reading an exported shortlist file (CSV or XLSX, either language) back into the open
shortlist or into a new one, with the rows that cannot be read listed.
"""

from __future__ import annotations

import streamlit as st

from fusion_partners.i18n import format_number, t, t_md
from fusion_partners.importing.table import UploadError
from fusion_partners.importing.upload import MAX_UPLOAD_BYTES, human_size
from fusion_partners.queries import profile as profile_queries
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.data import q
from fusion_partners.workspace import Opened, Workspace, WorkspaceError
from fusion_partners.workspace.exchange import read_rows, read_shortlist
from fusion_partners.workspace.schema import NAME_MAX
from fusion_partners.workspace.url import ShortlistLink, to_params


def import_file(ws: Workspace, opened: Opened | None, lang: str) -> None:
    """Read an exported shortlist file into ``opened`` (or into a new shortlist)."""
    label = t("shortlists.import_into" if opened else "shortlists.import_new", lang)
    with st.expander(label, icon=":material/upload_file:", key="sl_import_open"):
        file = st.file_uploader(
            t("shortlists.import_file", lang), type=["csv", "xlsx"], key="sl_import"
        )
        if file is None:
            return
        try:
            if file.size > MAX_UPLOAD_BYTES:
                raise UploadError(
                    "too_large", size=human_size(file.size), limit=human_size(MAX_UPLOAD_BYTES)
                )
            header, body = read_rows(file.getvalue(), file.name)
        except UploadError as exc:
            st.error(t_md(exc.key, lang, **exc.values), icon=":material/error:")
            return
        back = read_shortlist(header, body, lambda oid: q(profile_queries.organisation, oid))
        if back.missing:
            st.error(
                t(
                    "shortlists.import_not_export",
                    lang,
                    columns=", ".join(t(f"partners.col.{c}", lang) for c in back.missing),
                ),
                icon=":material/error:",
            )
            return
        st.markdown(
            t(
                "shortlists.import_found",
                lang,
                n=format_number(len(back.entries), lang),
                skipped=format_number(len(back.problems), lang),
            )
        )
        for line, why in back.problems[:20]:
            st.caption(t(f"shortlists.import_problem.{why}", lang, line=line))
        if not back.entries or not st.button(
            t("shortlists.import_go", lang), key="sl_import_go", icon=":material/playlist_add:"
        ):
            return
        try:
            target = opened
            if target is None:
                target = ws.create_shortlist(
                    file.name.rsplit(".", 1)[0][:NAME_MAX] or "Shortlist", lang, wsui.browser_key()
                )
            added, updated = ws.add_entries(target.token, back.entries)
        except WorkspaceError as exc:
            st.error(wsui.error_text(exc, lang), icon=":material/error:")
            return
        st.toast(t("partners.added_updated", lang, n=added, updated=updated))
        st.query_params.update(to_params(ShortlistLink(target.token)))
        st.rerun()
