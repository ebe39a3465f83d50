"""The candidates table of an opened shortlist: notes and statuses edited in place and saved
with version checks, so a colleague's save in between is shown next to yours instead of being
overwritten, and candidates removed (with Undo until the next save, which puts them back with
their notes and statuses).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from fusion_partners.i18n import t
from fusion_partners.i18n.labels import display_name
from fusion_partners.i18n.markup import echo
from fusion_partners.partners.query import SCORE_FORMAT
from fusion_partners.partners.shortlist import mixed_weights, shortlist_frame
from fusion_partners.partners.url import rows_key
from fusion_partners.ui import workspace as wsui
from fusion_partners.workspace import Conflict, Opened, Workspace, WorkspaceError
from fusion_partners.workspace.schema import ENTRY_STATUSES

_KEEP = "sl_unsaved"  # {entry id: {"name", "mine", "theirs"}}: notes that could not be saved
_REMOVED = "sl_removed"  # {"token", "rows"}: the candidates the last save removed, for Undo
COLUMNS = (
    "candidate",
    "start",
    "kind",
    "status",
    "note",
    "remove",
    "country",
    "score",
    "weights",
    "reason",
)
"""The candidates table's columns, left to right: the start and kind beside the name, since
the same candidate suggested from two starts (or for two kinds) is two rows; ``remove`` only
through an edit link."""


def _entry_frame(rows: list[dict[str, Any]], ctx: Any, lang: str) -> pd.DataFrame:
    shown = shortlist_frame(
        [{**r["entry"], "note": r["note"], "status": r["status"]} for r in rows], ctx
    )
    return pd.DataFrame(
        {
            "remove": [False] * len(rows),
            "candidate": shown["candidate"],
            "country": shown["country"],
            "kind": shown["kind"],
            "score": shown["score"],
            "status": [r["status"] for r in rows],
            "note": [r["note"] for r in rows],
            "reason": shown["reason"],
            "start": shown["start"],
            "weights": shown["weights"],
        }
    )


def candidates(
    ws: Workspace, opened: Opened, fresh: list[dict[str, Any]], ctx: Any, lang: str
) -> None:
    """The candidates table. Edits are made against the rows as first shown (kept in the
    session until saved), so a colleague's save in between is detected when this user
    saves, instead of silently resetting the table under their typing."""
    seen_key = f"sl_seen_{opened.shortlist['id']}"
    rows = st.session_state.get(seen_key) or fresh
    st.session_state[seen_key] = rows
    if [(r["id"], r["version"]) for r in rows] != [(r["id"], r["version"]) for r in fresh]:
        c1, c2 = st.columns([3, 1], vertical_alignment="center")
        c1.info(t("shortlists.changed_meanwhile", lang), icon=":material/group:")
        if c2.button(t("shortlists.reload", lang), key="sl_reload", icon=":material/refresh:"):
            st.session_state.pop(seen_key, None)
            st.rerun()
    _unsaved(lang)
    if mixed_weights([r["entry"] for r in rows]):
        st.warning(t("partners.mixed_weights", lang), icon=":material/balance:")
    frame = _entry_frame(rows, ctx, lang)
    status_label = {s: t(f"shortlists.status.{s}", lang) for s in ENTRY_STATUSES}
    frame["status"] = [status_label.get(s, s) for s in frame["status"]]
    versions = rows_key([f"{r['id']}:{r['version']}" for r in rows])
    edited = st.data_editor(
        frame,
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        key=f"sl_editor_{versions}",
        disabled=not opened.can_edit,
        column_order=[c for c in COLUMNS if opened.can_edit or c != "remove"],
        column_config={
            "remove": st.column_config.CheckboxColumn(
                t("shortlists.col.remove", lang), width="small"
            ),
            "candidate": st.column_config.TextColumn(
                t("partners.col.candidate", lang), disabled=True, pinned=True, width=170
            ),
            "start": st.column_config.TextColumn(
                t("partners.col.start", lang), disabled=True, width="medium"
            ),
            "country": st.column_config.TextColumn(
                t("partners.col.country", lang), disabled=True, width="small"
            ),
            "status": st.column_config.SelectboxColumn(
                t("shortlists.col.status", lang), options=list(status_label.values()), required=True
            ),
            "note": st.column_config.TextColumn(t("shortlists.col.note", lang), width="large"),
            "kind": st.column_config.TextColumn(
                t("partners.col.kind", lang), disabled=True, width="medium"
            ),
            "score": st.column_config.NumberColumn(
                t("partners.col.score", lang),
                format=SCORE_FORMAT,
                disabled=True,
                width="small",
            ),
            "weights": st.column_config.TextColumn(
                t("partners.col.weights", lang), disabled=True, width="medium"
            ),
            "reason": st.column_config.TextColumn(
                t("partners.col.reason", lang), disabled=True, width="large"
            ),
        },
    )
    if not opened.can_edit:
        return
    code_of = {v: k for k, v in status_label.items()}
    changes, removals = [], []
    for r, (_, new) in zip(rows, edited.iterrows(), strict=True):
        if bool(new["remove"]):
            removals.append(r)
            continue
        note = "" if pd.isna(new["note"]) else str(new["note"])
        status = code_of.get(new["status"], r["status"])
        if note != r["note"] or status != r["status"]:
            changes.append((r, note, status))
    pending = len(changes) + len(removals)
    if st.button(
        t("shortlists.save", lang, n=pending),
        disabled=not pending,
        key="sl_save",
        type="primary",
        icon=":material/save:",
    ):
        st.session_state.pop(seen_key, None)
        _save(ws, opened, changes, removals, lang)
    st.caption(t("shortlists.save_hint", lang))


def _unsaved(lang: str) -> None:
    """Notes that could not be saved (someone changed the candidate first), with the note
    now saved, until the user dismisses them."""
    kept: dict[int, dict[str, str]] = st.session_state.get(_KEEP) or {}
    for eid, item in list(kept.items()):
        with st.container(border=True):
            st.warning(
                t("shortlists.conflict", lang, name=echo(item["name"], 80)),
                icon=":material/sync_problem:",
            )
            c1, c2 = st.columns(2)
            c1.text_area(t("shortlists.your_note", lang), value=item["mine"], key=f"sl_mine_{eid}")
            c2.text_area(
                t("shortlists.their_note", lang),
                value=item["theirs"],
                disabled=True,
                key=f"sl_theirs_{eid}",
            )
            c1.caption(
                t(
                    "shortlists.your_status",
                    lang,
                    status=t(f"shortlists.status.{item['mine_status']}", lang),
                )
            )
            c2.caption(
                t(
                    "shortlists.their_status",
                    lang,
                    status=t(f"shortlists.status.{item['theirs_status']}", lang),
                )
            )
            if st.button(t("shortlists.dismiss", lang), key=f"sl_dismiss_{eid}"):
                kept.pop(eid, None)
                st.rerun()


def undo_offer(ws: Workspace, opened: Opened, lang: str) -> None:
    """After a save that removed candidates: how many, and Undo, which puts them back with
    their notes and statuses (a candidate added again meanwhile is left as it is now).
    Shown above the table, and in its place when the save removed every candidate."""
    removed = st.session_state.get(_REMOVED)
    if (
        not opened.can_edit
        or not removed
        or removed["token"] != opened.token
        or not removed["rows"]
    ):
        return
    c1, c2 = st.columns([3, 1], vertical_alignment="center")
    c1.info(t("partners.removed", lang, n=len(removed["rows"])), icon=":material/delete:")
    if not c2.button(t("partners.undo", lang), key="sl_undo", icon=":material/undo:"):
        return
    try:
        ws.restore_entries(opened.token, removed["rows"])
    except WorkspaceError as exc:
        st.error(wsui.error_text(exc, lang), icon=":material/error:")
        return
    st.session_state.pop(_REMOVED, None)
    st.session_state.pop(f"sl_seen_{opened.shortlist['id']}", None)  # the table with them back
    st.rerun()


def _save(
    ws: Workspace, opened: Opened, changes: list, removals: list[dict[str, Any]], lang: str
) -> None:
    st.session_state.pop(_REMOVED, None)  # a new save ends the chance to undo the last removal
    errors: list[str] = []
    kept: dict[int, dict[str, str]] = st.session_state.setdefault(_KEEP, {})
    for r, note, status in changes:
        name = display_name(r["entry"].get("name_en", ""), r["entry"].get("name_ja", ""), lang)
        try:
            ws.update_entry(opened.token, int(r["id"]), int(r["version"]), note=note, status=status)
        except Conflict as exc:
            kept[int(r["id"])] = {
                "name": name,
                "mine": note,
                "mine_status": status,
                "theirs": str(exc.current.get("note", "")),
                "theirs_status": str(exc.current.get("status", r["status"])),
            }
        except WorkspaceError as exc:
            errors.append(wsui.error_text(exc, lang))
            kept[int(r["id"])] = {
                "name": name,
                "mine": note,
                "mine_status": status,
                "theirs": r["note"],
                "theirs_status": r["status"],
            }
    if removals:
        gone = removals
        try:
            ws.remove_entries(opened.token, {int(r["id"]): int(r["version"]) for r in removals})
        except WorkspaceError as exc:
            errors.append(wsui.error_text(exc, lang))
            try:  # a candidate changed meanwhile was kept; the others are gone
                left = {int(r["id"]) for r in ws.entries(opened.shortlist["id"])}
            except WorkspaceError:
                left = {int(r["id"]) for r in removals}
            gone = [r for r in removals if int(r["id"]) not in left]
        if gone:
            st.session_state[_REMOVED] = {"token": opened.token, "rows": gone}
    for message in errors:
        st.error(message, icon=":material/error:")
    if not errors:
        if not kept:
            wsui.flash(t("shortlists.saved_n", lang, n=len(changes) + len(removals)))
        st.rerun()
