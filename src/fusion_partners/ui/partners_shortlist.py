"""The shortlist on the Partner finder page: adding suggestions, the table, removing,
and the CSV and XLSX downloads (shared with the Shortlists page).

The shortlist is kept in the workspace (:mod:`fusion_partners.ui.workspace`): adding to it
saves it, and it is opened, noted, shared and exported on the Shortlists page. When the
workspace is unavailable, the shortlist lives in the session and the page says so.

Removing is safe: "Clear shortlist" asks first (the shortlist may be shared, and its notes
and statuses go with it), and every removal can be undone until the next change: the removed
rows are kept in the session and put back whole (:meth:`Workspace.restore_entries`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from fusion_partners.explore.export import export_filename, to_csv_bytes, to_xlsx_bytes
from fusion_partners.i18n import t, tn_md
from fusion_partners.i18n.markup import echo
from fusion_partners.partners.query import SCORE_FORMAT, PartnerQuery
from fusion_partners.partners.shortlist import (
    SHORTLIST_COLUMNS,
    mixed_weights,
    shortlist_about,
    shortlist_entry,
    shortlist_frame,
    shortlist_key,
)
from fusion_partners.partners.table import SCORE_PARTS, Context
from fusion_partners.partners.url import rows_key
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.common import confirm
from fusion_partners.ui.partners_state import SHORTLIST, ticked
from fusion_partners.workspace import Opened, Workspace, WorkspaceError

SHORTLIST_TABLE = "pf_shortlist_table"
CLEAR_ASKED = "pf_clear_asked"
"""Session key: "Clear shortlist" was clicked; ``{"token", "seen": {key: version}}`` of the
candidates the confirmation names (only those are removed when it is confirmed)."""
UNDO = "pf_removed"
"""Session key: what the last removal took, ``{"token", "rows"}``, until undone or the next change."""


def add_to_shortlist(
    rows: pd.DataFrame, query: PartnerQuery, start: Mapping[str, Any] | None
) -> tuple[int, int]:
    """Add suggestion rows to the current shortlist; returns (new entries, entries replaced).

    With a workspace, the entries are saved to the shortlist this session adds to (a new
    one is made on the first add); without one, to the session's shortlist. A pair already
    on the shortlist (same start, kind and candidate) is replaced in place, with the score
    and weights of ``query`` (its note and status stay).

    Raises:
        fusion_partners.workspace.WorkspaceError: the workspace refused the change.
    """
    st.session_state.pop(UNDO, None)  # a new change ends the chance to undo the last removal
    st.session_state.pop(CLEAR_ASKED, None)
    items = []
    for row in rows.to_dict("records"):
        entry = shortlist_entry(row, query, start)
        items.append((shortlist_key(entry), entry))
    ws = wsui.store()
    if ws is not None:
        token = wsui.current_token(ws, create=True)
        return ws.add_entries(token, items)
    shortlist: dict[str, dict] = st.session_state.setdefault(SHORTLIST, {})
    added = updated = 0
    for key, entry in items:
        if key in shortlist:
            updated += 1
        else:
            added += 1
        shortlist[key] = entry
    return added, updated


def shortlist(ctx: Context, meta: Mapping[str, str]) -> None:
    """The current shortlist: table, remove/clear, CSV and XLSX downloads, and a link to
    the Shortlists page (notes, statuses, sharing, introductions). Saved in the workspace;
    kept in the session only while the workspace is unavailable."""
    lang = ctx.lang
    ws = wsui.store()
    stored: list[dict] = []
    opened = None
    if ws is None:
        entries: dict[str, dict] = st.session_state.setdefault(SHORTLIST, {})
    else:
        opened = wsui.current(ws)
        stored = ws.entries(opened.shortlist["id"]) if opened else []
        entries = {
            str(r["id"]): {**r["entry"], "note": r["note"], "status": r["status"]} for r in stored
        }
    st.subheader(t("partners.shortlist", lang, n=len(entries)), anchor=False)
    if ws is None:
        wsui.unavailable(lang)
    elif opened is not None:
        st.page_link(
            "pages/shortlists.py",
            label=t("shortlists.open_link", lang, name=wsui.shortlist_name(opened.shortlist, lang)),
            icon=":material/bookmarks:",
            query_params={"list": opened.token, "lang": lang},
        )
    token = opened.token if opened is not None else None
    _undo_offer(ws, token, entries, lang)
    if not entries:
        st.caption(t("partners.shortlist_empty", lang))
        return
    keys = list(entries)
    frame = shortlist_frame([entries[k] for k in keys], ctx)
    heads = {c: t(f"partners.col.{c}", lang) for c in SHORTLIST_COLUMNS}
    if mixed_weights([entries[k] for k in keys]):
        st.warning(t("partners.mixed_weights", lang), icon=":material/balance:")
    event = st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key=f"{SHORTLIST_TABLE}_{rows_key(keys)}",  # ticks belong to these rows
        column_order=[
            "start",
            "candidate",
            "country",
            "kind",
            "score",
            "status",
            "weights",
            "reason",
            "rule",
            "confidence",
        ],
        column_config={
            c: st.column_config.NumberColumn(h, format=SCORE_FORMAT)
            if c in SCORE_PARTS
            else st.column_config.Column(h)
            for c, h in heads.items()
        },
    )
    picked = [keys[i] for i in ticked(event, len(keys))]
    versions = {str(r["id"]): int(r["version"]) for r in stored}
    c1, c2, c3, c4 = st.columns(4)
    remove = c1.button(
        t("partners.remove", lang, n=len(picked)),
        disabled=not picked,
        key="pf_remove",
        icon=":material/playlist_remove:",
        width="stretch",
    )
    if c2.button(
        t("partners.clear", lang), key="pf_clear", icon=":material/delete_sweep:", width="stretch"
    ):
        st.session_state[CLEAR_ASKED] = {
            "token": token,
            "seen": {k: versions.get(k, 0) for k in keys},
        }
    gone: dict[str, int] = {k: versions.get(k, 0) for k in picked} if remove else {}
    asked = st.session_state.get(CLEAR_ASKED)
    if asked and asked["token"] == token and not remove:
        gone = _confirm_clear(asked["seen"], opened, lang)
    if gone:
        st.session_state.pop(CLEAR_ASKED, None)
        if _remove(ws, opened, entries, stored, gone, lang):
            st.rerun()
        return
    shortlist_downloads(
        [entries[k] for k in keys], ctx, meta, f"{len(keys)}-pairs", (c3, c4), "pf_dl"
    )
    st.caption(t("partners.export_hint", lang))


def _confirm_clear(seen: Mapping[str, int], opened: Opened | None, lang: str) -> dict[str, int]:
    """The confirmation "Clear shortlist" asks for: the candidates it would remove and what
    goes with them. Returns the candidates to remove (``{key: version seen}``) once confirmed,
    ``{}`` while waiting or cancelled."""
    n = len(seen)
    if opened is not None:
        name = wsui.shortlist_name(opened.shortlist, lang)
        question = tn_md("partners.clear_confirm", n, lang, n=n, name=echo(name, 80))
    else:
        question = tn_md("partners.clear_confirm_tab", n, lang, n=n)
    yes, no = confirm(
        question,
        t("partners.clear_yes", lang),
        t("partners.clear_no", lang),
        key="pf_clear",
        icon=":material/delete_forever:",
    )
    if no:
        st.session_state.pop(CLEAR_ASKED, None)
        st.rerun()
    return dict(seen) if yes else {}


def _remove(
    ws: Workspace | None,
    opened: Opened | None,
    entries: dict[str, dict],
    stored: list[dict],
    gone: Mapping[str, int],
    lang: str,
) -> bool:
    """Remove the candidates ``gone`` (``{key: version seen}``) and keep them for undo;
    False (with the reason shown) when the workspace refused some or all of it."""
    if ws is None:
        taken = [[k, entries.pop(k)] for k in gone if k in entries]
        st.session_state[UNDO] = {"token": None, "rows": taken}
        return True
    if opened is None:  # with no shortlist open there are no entries to remove
        return True
    # the rows as they are when removed (a row changed since it was seen stays on the list)
    rows = [r for r in stored if gone.get(str(r["id"])) == int(r["version"])]
    try:
        ws.remove_entries(opened.token, {int(k): v for k, v in gone.items()})
    except WorkspaceError as exc:
        st.error(wsui.error_text(exc, lang), icon=":material/error:")
        try:
            left = {int(r["id"]) for r in ws.entries(opened.shortlist["id"])}
        except WorkspaceError:
            return False
        rows = [r for r in rows if int(r["id"]) not in left]
        if rows:
            st.session_state[UNDO] = {"token": opened.token, "rows": rows}
        return False
    st.session_state[UNDO] = {"token": opened.token, "rows": rows}
    return True


def _undo_offer(
    ws: Workspace | None, token: str | None, entries: dict[str, dict], lang: str
) -> None:
    """After a removal: how many went, and Undo, which puts them back with their notes and
    statuses (those added again meanwhile are left as they are now)."""
    undo = st.session_state.get(UNDO)
    if not undo or undo["token"] != token or not undo["rows"]:
        return
    n = len(undo["rows"])
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    c1.info(t("partners.removed", lang, n=n), icon=":material/delete:")
    if not c2.button(t("partners.undo", lang), key="pf_undo", icon=":material/undo:"):
        return
    if token is None:  # the shortlist of this browser tab: [key, entry] pairs
        for key, entry in undo["rows"]:
            entries.setdefault(key, entry)
    elif ws is not None:  # always here: a token comes from the workspace
        try:
            ws.restore_entries(token, undo["rows"])
        except WorkspaceError as exc:
            st.error(wsui.error_text(exc, lang), icon=":material/error:")
            return
    st.session_state.pop(UNDO, None)
    st.rerun()


def shortlist_downloads(
    entries: list[dict], ctx: Context, meta: Mapping[str, str], label: str, columns: Any, key: str
) -> None:
    """CSV and XLSX downloads of shortlist entries (one per column of ``columns``), named
    ``fusion-partner-shortlist_<label>_<date>``; the XLSX has the About sheet."""
    lang = ctx.lang
    export = shortlist_frame(entries, ctx, headers=True)
    name = export_filename("fusion-partner-shortlist", label, dt.date.today().isoformat(), "csv")
    about = shortlist_about(len(export), meta.get("data_as_of", ""), lang)
    left, right = columns
    left.download_button(
        t("export.csv", lang),
        data=lambda: to_csv_bytes(export),
        file_name=name,
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key=f"{key}_csv",
        width="stretch",
    )
    right.download_button(
        t("export.xlsx", lang),
        data=lambda: to_xlsx_bytes(
            export,
            about,
            data_sheet=t("partners.sheet", lang),
            about_sheet=t("export.sheet.about", lang),
        ),
        file_name=name[:-4] + ".xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/table_view:",
        key=f"{key}_xlsx",
        width="stretch",
    )
