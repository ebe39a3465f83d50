"""Widgets of the Shortlists page: this browser's shortlists, and one shortlist opened by its
link (name, sharing, the candidates, introductions, export and import). The candidates table
is :mod:`fusion_partners.ui.shortlist_table`, introduction requests
:mod:`fusion_partners.ui.introductions`, reading a file back
:mod:`fusion_partners.ui.shortlist_import`; the URL is :mod:`fusion_partners.workspace.url`.

Everything here is saved in the workspace (:mod:`fusion_partners.workspace`); the page
keeps what a user typed in the session when a save fails, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from fusion_partners.i18n import t
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.common import confirm
from fusion_partners.ui.introductions import introduction
from fusion_partners.ui.partners_results import context
from fusion_partners.ui.partners_shortlist import shortlist_downloads
from fusion_partners.ui.shortlist_import import import_file
from fusion_partners.ui.shortlist_table import candidates, undo_offer
from fusion_partners.workspace import Conflict, Opened, Workspace, WorkspaceError
from fusion_partners.workspace.url import ShortlistLink, page_path, to_params


def page_url(token: str, lang: str) -> str:
    """The absolute URL of the Shortlists page opening ``token`` (from the browser's URL)."""
    try:
        here = urlsplit(st.context.url or "")
    except Exception:  # noqa: BLE001 - no browser context (tests)
        here = urlsplit("")
    base = f"{here.scheme}://{here.netloc}" if here.scheme and here.netloc else ""
    return f"{base}{page_path(ShortlistLink(token), lang)}"


def link_error(exc: WorkspaceError, lang: str) -> None:
    """Say why a shortlist link does not open, and what to do."""
    st.error(wsui.error_text(exc, lang), icon=":material/link_off:")


# --- this browser's shortlists ----------------------------------------------------------


def my_shortlists(ws: Workspace, lang: str) -> None:
    """The shortlists this browser opened, a form for a new one, and import of an exported file."""
    mine = ws.my_shortlists(wsui.browser_key())
    st.subheader(t("shortlists.mine", lang, n=len(mine)), anchor=False)
    if not mine:
        st.caption(t("shortlists.mine_empty", lang))
    else:
        frame = pd.DataFrame(
            {
                "name": [wsui.shortlist_name(r, lang) for r in mine],
                "n": [int(r["n"]) for r in mine],
                "access": [t(f"shortlists.access.{r['access']}", lang) for r in mine],
                "updated": [
                    r["updated_at"].strftime("%Y-%m-%d %H:%M") if r["updated_at"] else ""
                    for r in mine
                ],
                "open": [page_path(ShortlistLink(r["token"]), lang) for r in mine],
            }
        )
        st.dataframe(
            frame,
            hide_index=True,
            width="stretch",
            column_config={
                "name": st.column_config.TextColumn(t("shortlists.col.name", lang)),
                "n": st.column_config.NumberColumn(t("shortlists.col.n", lang), width="small"),
                "access": st.column_config.TextColumn(
                    t("shortlists.col.access", lang), width="small"
                ),
                "updated": st.column_config.TextColumn(
                    t("shortlists.col.updated", lang), width="small"
                ),
                "open": st.column_config.LinkColumn(
                    t("shortlists.col.open", lang),
                    display_text=t("shortlists.open", lang),
                    width="small",
                ),
            },
        )
    with st.form("sl_new", clear_on_submit=False):
        name = st.text_input(t("shortlists.new_name", lang), key="sl_new_name")
        made = st.form_submit_button(t("shortlists.create", lang), icon=":material/add:")
    if made:
        try:
            opened = ws.create_shortlist(name, lang, wsui.browser_key())
        except WorkspaceError as exc:
            st.error(wsui.error_text(exc, lang), icon=":material/error:")
        else:
            wsui.use(opened)
            st.query_params.update(to_params(ShortlistLink(opened.token)))
            st.rerun()
    import_file(ws, None, lang)


# --- one shortlist -------------------------------------------------------------------------


def shortlist_page(
    ws: Workspace, opened: Opened, tax: Taxonomy, meta: Mapping[str, str], lang: str
) -> None:
    """One shortlist: name, sharing, the candidates with note and status, introductions,
    export and import. A view link shows the same, read-only."""
    sl = opened.shortlist
    st.title(wsui.shortlist_name(sl, lang), anchor=False)
    st.caption(t(f"shortlists.opened_{opened.access}", lang))
    rows = ws.entries(sl["id"])
    ctx = context(None, tax, lang)
    if opened.can_edit:
        wsui.use(opened)
        _rename(ws, opened, lang)
        _share(ws, opened, lang)
    st.subheader(t("shortlists.candidates", lang, n=len(rows)), anchor=False)
    undo_offer(ws, opened, lang)
    if not rows:
        st.caption(t("shortlists.empty", lang))
        st.page_link(
            "pages/partners.py",
            label=t("shortlists.find", lang),
            icon=":material/handshake:",
            query_params={"lang": lang},
        )
    else:
        candidates(ws, opened, rows, ctx, lang)
        introduction(ws, opened, rows, ctx, lang)
        _export(rows, ctx, meta, sl["name"], lang)
    if opened.can_edit:
        import_file(ws, opened, lang)


def _rename(ws: Workspace, opened: Opened, lang: str) -> None:
    with st.expander(t("shortlists.rename", lang), icon=":material/edit:", key="sl_rename_open"):
        with st.form("sl_rename"):
            name = st.text_input(
                t("shortlists.new_name", lang),
                value=wsui.shortlist_name(opened.shortlist, lang),
                key=f"sl_rename_{opened.shortlist['id']}",  # kept across a language switch
            )
            done = st.form_submit_button(t("shortlists.rename_save", lang))
        if done:
            try:
                ws.rename(opened.token, name, int(opened.shortlist["version"]))
            except Conflict:
                st.error(t("shortlists.rename_conflict", lang), icon=":material/sync_problem:")
            except WorkspaceError as exc:
                st.error(wsui.error_text(exc, lang), icon=":material/error:")
            else:
                st.rerun()


def _share(ws: Workspace, opened: Opened, lang: str) -> None:
    """The edit and view links, and withdrawing either (after a confirmation: a withdrawn
    link stops working at once for everyone who holds it, and cannot be brought back)."""
    with st.expander(t("shortlists.share", lang), icon=":material/share:", key="sl_share_open"):
        try:
            links = ws.share_links(opened.token)
        except WorkspaceError as exc:
            st.error(wsui.error_text(exc, lang))
            return
        st.caption(t("shortlists.share_help", lang))
        for access_ in ("edit", "view"):
            st.markdown(f"**{t(f'shortlists.access.{access_}', lang)}**")
            st.code(page_url(links.get(access_, ""), lang), language=None, wrap_lines=True)
        c1, c2 = st.columns(2)
        asked_key = "sl_revoke_asked"  # {"token", "access"}: the withdrawal waiting for a yes
        if c1.button(
            t("shortlists.revoke_view", lang), key="sl_revoke_view", icon=":material/link_off:"
        ):
            st.session_state[asked_key] = {"token": opened.token, "access": "view"}
        if c2.button(
            t("shortlists.revoke_edit", lang),
            key="sl_revoke_edit",
            icon=":material/link_off:",
            help=t("shortlists.revoke_edit_help", lang),
        ):
            st.session_state[asked_key] = {"token": opened.token, "access": "edit"}
        asked = st.session_state.get(asked_key)
        if not asked or asked["token"] != opened.token:
            return
        yes, no = confirm(
            t(f"shortlists.revoke_{asked['access']}_confirm", lang),
            t("shortlists.revoke_yes", lang),
            t("shortlists.cancel", lang),
            key="sl_revoke",
            icon=":material/link_off:",
        )
        if not (yes or no):
            return
        st.session_state.pop(asked_key, None)
        if no:
            st.rerun()
        try:
            fresh = ws.revoke(opened.token, asked["access"])
            if asked["access"] == "edit":
                ws.remember(wsui.browser_key(), fresh)
        except WorkspaceError as exc:
            st.error(wsui.error_text(exc, lang), icon=":material/error:")
            return
        if asked["access"] == "edit":
            st.query_params.update(to_params(ShortlistLink(fresh)))
        st.rerun()


def _export(
    rows: list[dict[str, Any]], ctx: Any, meta: Mapping[str, str], name: str, lang: str
) -> None:
    entries = [{**r["entry"], "note": r["note"], "status": r["status"]} for r in rows]
    shortlist_downloads(
        entries, ctx, meta, name[:40] or f"{len(entries)}-pairs", st.columns(2), "sl_dl"
    )
