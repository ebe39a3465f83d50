"""Widgets of the Shortlists page: this browser's shortlists, one shortlist opened by its
link (notes and statuses with version checks, sharing, export and import), and
introduction requests to the councils.

Everything here is saved in the workspace (:mod:`fusion_partners.workspace`); the page
keeps what a user typed in the session when a save fails, so nothing is lost.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pandas as pd
import streamlit as st

from fusion_partners import queries
from fusion_partners.i18n import format_number, t, t_md
from fusion_partners.i18n.labels import Taxonomy, display_name
from fusion_partners.i18n.markup import echo
from fusion_partners.importing.table import UploadError
from fusion_partners.importing.upload import MAX_UPLOAD_BYTES, human_size
from fusion_partners.partners.query import SCORE_FORMAT
from fusion_partners.partners.shortlist import shortlist_frame
from fusion_partners.partners.url import rows_key
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.data import q
from fusion_partners.ui.partners_results import context
from fusion_partners.ui.partners_shortlist import shortlist_downloads
from fusion_partners.workspace import Conflict, Opened, Workspace, WorkspaceError
from fusion_partners.workspace.exchange import read_rows, read_shortlist
from fusion_partners.workspace.schema import ENTRY_STATUSES, NAME_MAX
from fusion_partners.workspace.introductions import COUNCILS

TOKEN_PARAM = "list"
COUNCIL_OF_COUNTRY = {"JP": "j_fusion", "GB": "fusion_cluster"}
"""The council that introduces to organisations of a country (the memorandum's two)."""
_KEEP = "sl_unsaved"  # {entry id: {"name", "mine", "theirs"}}: notes that could not be saved


def page_url(token: str, lang: str) -> str:
    """The absolute URL of the Shortlists page opening ``token`` (from the browser's URL)."""
    try:
        here = urlsplit(st.context.url or "")
    except Exception:  # noqa: BLE001 - no browser context (tests)
        here = urlsplit("")
    base = f"{here.scheme}://{here.netloc}" if here.scheme and here.netloc else ""
    return f"{base}/shortlists?{urlencode({TOKEN_PARAM: token, 'lang': lang})}"


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
                "name": [r["name"] for r in mine],
                "n": [int(r["n"]) for r in mine],
                "access": [t(f"shortlists.access.{r['access']}", lang) for r in mine],
                "updated": [
                    r["updated_at"].strftime("%Y-%m-%d %H:%M") if r["updated_at"] else ""
                    for r in mine
                ],
                "open": [
                    f"/shortlists?{urlencode({TOKEN_PARAM: r['token'], 'lang': lang})}"
                    for r in mine
                ],
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
        name = st.text_input(t("shortlists.new_name", lang), max_chars=NAME_MAX, key="sl_new_name")
        made = st.form_submit_button(t("shortlists.create", lang), icon=":material/add:")
    if made:
        try:
            opened = ws.create_shortlist(name, lang, wsui.browser_key())
        except WorkspaceError as exc:
            st.error(wsui.error_text(exc, lang), icon=":material/error:")
        else:
            wsui.use(opened)
            st.query_params[TOKEN_PARAM] = opened.token
            st.rerun()
    import_file(ws, None, lang)


# --- one shortlist -------------------------------------------------------------------------


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


def shortlist_page(
    ws: Workspace, opened: Opened, tax: Taxonomy, meta: Mapping[str, str], lang: str
) -> None:
    """One shortlist: name, sharing, the candidates with note and status, introductions,
    export and import. A view link shows the same, read-only."""
    sl = opened.shortlist
    st.title(sl["name"], anchor=False)
    st.caption(t(f"shortlists.opened_{opened.access}", lang))
    rows = ws.entries(sl["id"])
    ctx = context(None, tax, lang)
    if opened.can_edit:
        wsui.use(opened)
        _rename(ws, opened, lang)
        _share(ws, opened, lang)
    st.subheader(t("shortlists.candidates", lang, n=len(rows)), anchor=False)
    if not rows:
        st.caption(t("shortlists.empty", lang))
        st.page_link(
            "pages/partners.py",
            label=t("shortlists.find", lang),
            icon=":material/handshake:",
            query_params={"lang": lang},
        )
    else:
        _candidates(ws, opened, rows, ctx, lang)
        _introduction(ws, opened, rows, ctx, lang)
        _export(rows, ctx, meta, sl["name"], lang)
    if opened.can_edit:
        import_file(ws, opened, lang)


def _rename(ws: Workspace, opened: Opened, lang: str) -> None:
    with st.expander(t("shortlists.rename", lang), icon=":material/edit:"):
        with st.form("sl_rename"):
            name = st.text_input(
                t("shortlists.new_name", lang), value=opened.shortlist["name"], max_chars=NAME_MAX
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
    with st.expander(t("shortlists.share", lang), icon=":material/share:"):
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
        if c1.button(
            t("shortlists.revoke_view", lang), key="sl_revoke_view", icon=":material/link_off:"
        ):
            ws.revoke(opened.token, "view")
            st.rerun()
        if c2.button(
            t("shortlists.revoke_edit", lang),
            key="sl_revoke_edit",
            icon=":material/link_off:",
            help=t("shortlists.revoke_edit_help", lang),
        ):
            fresh = ws.revoke(opened.token, "edit")
            ws.remember(wsui.browser_key(), fresh)
            st.query_params[TOKEN_PARAM] = fresh
            st.rerun()


def _candidates(
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
        column_order=["candidate", "status", "note", "remove", "country", "kind", "score", "reason"]
        if opened.can_edit
        else ["candidate", "status", "note", "country", "kind", "score", "reason"],
        column_config={
            "remove": st.column_config.CheckboxColumn(
                t("shortlists.col.remove", lang), width="small"
            ),
            "candidate": st.column_config.TextColumn(
                t("partners.col.candidate", lang), disabled=True, pinned=True, width=170
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
            "reason": st.column_config.TextColumn(
                t("partners.col.reason", lang), disabled=True, width="large"
            ),
        },
    )
    if not opened.can_edit:
        return
    code_of = {v: k for k, v in status_label.items()}
    changes, removals = [], {}
    for r, (_, new) in zip(rows, edited.iterrows(), strict=True):
        if bool(new["remove"]):
            removals[int(r["id"])] = int(r["version"])
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


def _save(
    ws: Workspace, opened: Opened, changes: list, removals: dict[int, int], lang: str
) -> None:
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
        try:
            ws.remove_entries(opened.token, removals)
        except WorkspaceError as exc:
            errors.append(wsui.error_text(exc, lang))
    for message in errors:
        st.error(message, icon=":material/error:")
    if not errors:
        if not kept:
            wsui.flash(t("shortlists.saved_n", lang, n=len(changes) + len(removals)))
        st.rerun()


def _export(
    rows: list[dict[str, Any]], ctx: Any, meta: Mapping[str, str], name: str, lang: str
) -> None:
    entries = [{**r["entry"], "note": r["note"], "status": r["status"]} for r in rows]
    shortlist_downloads(
        entries, ctx, meta, name[:40] or f"{len(entries)}-pairs", st.columns(2), "sl_dl"
    )


# --- introductions --------------------------------------------------------------------------


def mailto(council: str, body_lines: list[str], subject: str) -> str:
    """A ``mailto:`` link with subject and body and no recipient (the product holds no
    council address; the user adds the council's published contact)."""
    return "mailto:?" + "&".join(
        f"{k}={quote(v, safe='')}"
        for k, v in (("subject", subject), ("body", "\n".join(body_lines)))
    )


def _introduction(
    ws: Workspace, opened: Opened, rows: list[dict[str, Any]], ctx: Any, lang: str
) -> None:
    with st.expander(t("intro.title", lang), icon=":material/contact_mail:"):
        st.caption(t("intro.help", lang))
        names = {
            int(r["id"]): display_name(
                r["entry"].get("name_en", ""), r["entry"].get("name_ja", ""), lang
            )
            for r in rows
        }
        pick = st.selectbox(
            t("intro.candidate", lang),
            options=list(names),
            format_func=lambda i: names[i],
            key="intro_candidate",
        )
        row = next(r for r in rows if int(r["id"]) == pick)
        entry = row["entry"]
        default_council = COUNCIL_OF_COUNTRY.get(entry.get("country", ""), "j_fusion")
        reason = shortlist_frame([{**entry, "note": "", "status": ""}], ctx)["reason"].iloc[0]
        with st.form(f"intro_form_{pick}"):
            council = st.radio(
                t("intro.council", lang),
                options=list(COUNCILS),
                horizontal=True,
                index=COUNCILS.index(default_council),
                format_func=lambda c: t(f"intro.council.{c}", lang),
            )
            who = st.text_input(t("intro.name", lang), max_chars=NAME_MAX)
            org = st.text_input(t("intro.organisation", lang), max_chars=NAME_MAX)
            email = st.text_input(t("intro.email", lang), max_chars=NAME_MAX)
            message = st.text_area(
                t("intro.message", lang), value=t("intro.message_default", lang, reason=reason)
            )
            sent = st.form_submit_button(t("intro.send", lang), icon=":material/send:")
        if not sent:
            return
        start_name = display_name(
            entry.get("start_name_en", ""), entry.get("start_name_ja", ""), lang
        )
        try:
            rid = ws.request_introduction(
                council=council,
                candidate_id=entry["id"],
                candidate_name=names[pick],
                requester_name=who,
                requester_email=email,
                requester_org=org,
                message=message,
                start_id=entry.get("start") or "",
                start_name=start_name,
                kind=entry.get("kind", ""),
                reason=reason,
                lang=lang,
                shortlist_id=int(opened.shortlist["id"]),
                client=wsui.client(),
            )
        except WorkspaceError as exc:
            st.error(
                wsui.error_text(exc, lang), icon=":material/error:"
            )  # the form keeps what was typed
            return
        st.success(
            t("intro.saved", lang, id=rid, council=t(f"intro.council.{council}", lang)),
            icon=":material/check_circle:",
        )
        subject = t("intro.mail_subject", lang, candidate=names[pick])
        body = [
            t("intro.mail_greeting", lang, council=t(f"intro.council.{council}", lang)),
            "",
            t("intro.mail_ask", lang, candidate=names[pick], name=who, organisation=org or "-"),
            "",
            message,
            "",
            t("intro.mail_contact", lang, email=email),
            t("intro.mail_ref", lang, id=rid),
        ]
        st.link_button(
            t("intro.mail", lang), mailto(council, body, subject), icon=":material/mail:"
        )


# --- import -------------------------------------------------------------------------------


def import_file(ws: Workspace, opened: Opened | None, lang: str) -> None:
    """Read an exported shortlist file into ``opened`` (or into a new shortlist)."""
    label = t("shortlists.import_into" if opened else "shortlists.import_new", lang)
    with st.expander(label, icon=":material/upload_file:"):
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
        back = read_shortlist(header, body, lambda oid: q(queries.organisation, oid))
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
        st.query_params[TOKEN_PARAM] = target.token
        st.rerun()
