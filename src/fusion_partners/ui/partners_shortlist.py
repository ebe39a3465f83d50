"""The shortlist on the Partner finder page: adding suggestions, the table, removing,
and the CSV and XLSX downloads (shared with the Shortlists page).

The shortlist is kept in the workspace (:mod:`fusion_partners.ui.workspace`): adding to it
saves it, and it is opened, noted, shared and exported on the Shortlists page. When the
workspace is unavailable, the shortlist lives in the session and the page says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from fusion_partners.explore.export import export_filename, to_csv_bytes, to_xlsx_bytes
from fusion_partners.i18n import t
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
from fusion_partners.ui.partners_state import SHORTLIST, ticked
from fusion_partners.workspace import WorkspaceError

SHORTLIST_TABLE = "pf_shortlist_table"


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
    c1, c2, c3, c4 = st.columns(4)
    remove = c1.button(
        t("partners.remove", lang, n=len(picked)),
        disabled=not picked,
        key="pf_remove",
        icon=":material/playlist_remove:",
        width="stretch",
    )
    clear = c2.button(
        t("partners.clear", lang), key="pf_clear", icon=":material/delete_sweep:", width="stretch"
    )
    if remove or clear:
        gone = keys if clear else picked
        if ws is None:
            for key in gone:
                entries.pop(key, None)
        elif opened is not None:  # always here: with no shortlist open there are no entries
            versions = {int(r["id"]): int(r["version"]) for r in stored if str(r["id"]) in gone}
            try:
                ws.remove_entries(opened.token, versions)
            except WorkspaceError as exc:
                st.error(wsui.error_text(exc, lang), icon=":material/error:")
                return
        st.rerun()
    shortlist_downloads(
        [entries[k] for k in keys], ctx, meta, f"{len(keys)}-pairs", (c3, c4), "pf_dl"
    )
    st.caption(t("partners.export_hint", lang))


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
