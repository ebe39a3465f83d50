"""Visitors' corrections and suggested organisations (forms), and the editors' review of
them, of introduction requests and of the editor log (the Editors page).

A visitor's submission waits in the review queue; only an editor's acceptance writes the
roster (:func:`fusion_partners.workspace.apply.apply_correction`, the crash-safe write
path with history and undo). Submitted text is shown escaped and with bidirectional and
invisible characters dropped (:func:`fusion_partners.i18n.markup.echo`), and exported through
the formula-safe writers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from fusion_partners import config
from fusion_partners.data import recovery
from fusion_partners.data.roster import ORG_TYPES, ValidationError
from fusion_partners.explore.export import export_filename, to_csv_bytes
from fusion_partners.i18n import format_number, has, t, t_md
from fusion_partners.i18n.countries import country_label
from fusion_partners.i18n.labels import Taxonomy, display_name, vocab_label
from fusion_partners.i18n.markup import echo
from fusion_partners.partners import lookup_sql as qp
from fusion_partners.queries import profile as profile_queries
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.common import keep_selection
from fusion_partners.ui.data import q
from fusion_partners.workspace import AlreadyDecided, Invalid, Workspace, WorkspaceError
from fusion_partners.workspace.apply import CORRECTABLE_FIELDS, NotApplicable, apply_correction
from fusion_partners.workspace.schema import REQUEST_STATUSES

FORM_COUNTRIES: tuple[str, ...] = ("JP", "GB")
FIELD_LABELS = frozenset({*CORRECTABLE_FIELDS, "country"})
URL_HINT = "https" + "://"  # placeholder of URL fields (not words, so not in the catalogue)


def _field_label(name: str, lang: str) -> str:
    return t(f"corrections.field.{name}", lang)


def correction_form(org: Mapping[str, Any], lang: str) -> None:
    """ "Suggest a correction" for one organisation's profile.

    Every widget has a key of its own (``corr_<id>_…``): a widget without one is identified
    by its label, so the language switch made it a new, empty widget. The choice of field
    is made outside the form (it is sent at once, and :func:`keep_selection` relabels it): a
    choice still waiting in a form is not relabelled, so after a switch it showed one field
    and would have sent another."""
    oid = org["id"]
    with st.expander(
        t("corrections.suggest", lang), icon=":material/rate_review:", key=f"corr_{oid}_open"
    ):
        ws = wsui.store()
        if ws is None:
            wsui.unavailable(lang)
            return
        st.caption(t("corrections.help", lang))
        with st.container(border=True):
            field = st.selectbox(
                t("corrections.field", lang),
                options=list(CORRECTABLE_FIELDS),
                key=f"corr_{oid}_field",
                format_func=keep_selection(f"corr_{oid}_field", lambda f: _field_label(f, lang)),
            )
            with st.form(f"corr_{oid}", border=False):
                proposed = st.text_area(t("corrections.proposed", lang), key=f"corr_{oid}_proposed")
                url = st.text_input(
                    t("corrections.source_url", lang),
                    placeholder=URL_HINT,
                    key=f"corr_{oid}_url",
                )
                comment = st.text_area(t("corrections.comment", lang), key=f"corr_{oid}_comment")
                who = st.text_input(t("corrections.submitter", lang), key=f"corr_{oid}_who")
                sent = st.form_submit_button(t("corrections.send", lang), icon=":material/send:")
        if sent:
            _submitted(
                lambda: ws.submit_correction(
                    org_id=oid,
                    field=field,
                    proposed=proposed,
                    source_url=url,
                    comment=comment,
                    submitter=who,
                    lang=lang,
                    client=wsui.client(),
                ),
                lang,
            )


NEW_ORG = "corr_new_org"
"""Key of the "Suggest an organisation" form, and prefix of its widgets' keys."""


def organisation_form(taxonomy: Taxonomy, lang: str) -> None:
    """ "Suggest an organisation" (Explore). Its widgets are keyed and its choices made
    outside the form, as in :func:`correction_form`, so nothing entered is lost or changed
    by the language switch."""
    with st.expander(
        t("corrections.suggest_org", lang), icon=":material/domain_add:", key=f"{NEW_ORG}_open"
    ):
        ws = wsui.store()
        if ws is None:
            wsui.unavailable(lang)
            return
        st.caption(t("corrections.org_help", lang))
        with st.container(border=True):
            c1, c2 = st.columns(2)
            country = c1.selectbox(
                t("column.country", lang),
                options=list(FORM_COUNTRIES),
                key=f"{NEW_ORG}_country",
                format_func=keep_selection(
                    f"{NEW_ORG}_country", lambda c: t(f"corrections.country.{c}", lang)
                ),
            )
            org_type = c2.selectbox(
                t("column.org_type", lang),
                options=list(ORG_TYPES),
                key=f"{NEW_ORG}_type",
                format_func=keep_selection(
                    f"{NEW_ORG}_type", lambda v: vocab_label("org_type", v, lang)
                ),
            )
            caps = st.multiselect(
                t("column.capabilities", lang),
                options=taxonomy.slugs,
                key=f"{NEW_ORG}_caps",
                format_func=keep_selection(f"{NEW_ORG}_caps", lambda s: taxonomy.label(s, lang)),
                select_all=False,  # Enter adds the closest match, not every fuzzy match
            )
            with st.form(NEW_ORG, border=False):
                name_en = st.text_input(
                    t("corrections.field.name_en", lang),
                    key=f"{NEW_ORG}_name_en",
                )
                name_ja = st.text_input(
                    t("corrections.field.name_ja", lang),
                    key=f"{NEW_ORG}_name_ja",
                )
                website = st.text_input(
                    t("corrections.field.website", lang),
                    placeholder=URL_HINT,
                    key=f"{NEW_ORG}_website",
                )
                description = st.text_area(
                    t("corrections.field.description_en", lang), key=f"{NEW_ORG}_description"
                )
                url = st.text_input(
                    t("corrections.source_url", lang),
                    placeholder=URL_HINT,
                    key=f"{NEW_ORG}_url",
                )
                who = st.text_input(t("corrections.submitter", lang), key=f"{NEW_ORG}_who")
                sent = st.form_submit_button(t("corrections.send", lang), icon=":material/send:")
        if sent:
            record = {
                "name_en": name_en,
                "name_ja": name_ja,
                "country": country,
                "org_type": org_type,
                "website": website,
                "description_en": description,
                "capabilities": ";".join(caps),
            }

            def send() -> int:
                if not (name_en.strip() or name_ja.strip()):
                    raise Invalid("required", field="name")
                if not caps:
                    raise Invalid("required", field="capabilities")
                return ws.suggest_organisation(
                    record=record, source_url=url, submitter=who, lang=lang, client=wsui.client()
                )

            _submitted(send, lang)


def _submitted(send: Callable[[], int], lang: str) -> None:
    """Send a submission; thank the visitor with its number, or say what to fix (the form
    keeps everything typed, since a form is not cleared when its submission fails)."""
    try:
        cid = send()
    except WorkspaceError as exc:
        st.error(wsui.error_text(exc, lang), icon=":material/error:")
    else:
        st.success(t("corrections.thanks", lang, id=cid), icon=":material/check_circle:")


# --- the editors' page ----------------------------------------------------------------------


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else ""


def _show(row: Mapping[str, Any], taxonomy: Taxonomy, lang: str) -> None:
    """One correction or suggestion: a heading in Markdown (escaped), then the submitted
    values as plain text (never Markdown, so a submitted web address is not made a link),
    with codes shown as their labels."""
    if row["kind"] == "new_organisation":
        try:
            record = json.loads(row["proposed"])
        except ValueError:
            record = {}
        st.markdown(t("corrections.new_org_line", lang))
        lines = []
        for key, value in sorted(record.items()):
            if key == "country":
                value = country_label(value, lang)
            elif key == "org_type":
                value = vocab_label("org_type", value, lang)
            elif key == "capabilities":
                value = t("import.list_sep", lang).join(
                    taxonomy.labels([v for v in value.split(";") if v], lang)
                )
            label = t(f"corrections.field.{key}", lang) if key in FIELD_LABELS else key
            lines.append(f"{label}: {echo(value, 300)}")
        st.text("\n".join(lines))
        name = record.get("name_en") or record.get("name_ja") or ""
        similar = q(qp.find_organisations, name, 3) if name else None
        if similar is not None and len(similar):
            names = t("import.list_sep", lang).join(
                display_name(n_en, n_ja, lang)
                for n_en, n_ja in zip(similar["name_en"], similar["name_ja"], strict=True)
            )
            st.warning(
                t("editors.maybe_duplicate", lang, names=echo(names, 300)),
                icon=":material/content_copy:",
            )
        return
    org = q(profile_queries.organisation, row["org_id"])
    name = display_name(org["name_en"], org["name_ja"], lang) if org is not None else row["org_id"]
    current = "" if org is None or row["field"] not in org else str(org.get(row["field"]) or "")
    st.markdown(
        t_md("corrections.line", lang, org=echo(name, 80), field=_field_label(row["field"], lang))
    )
    st.text(
        t(
            "corrections.values",
            lang,
            current=echo(current, 300) or "—",
            proposed=echo(row["proposed"], 1000),
        )
    )


def review_queue(ws: Workspace, editor: str, taxonomy: Taxonomy, lang: str) -> None:
    """Pending corrections and suggestions, each with accept / reject (reason required)."""
    pending = ws.list_corrections("pending")
    st.subheader(t("editors.queue", lang, n=len(pending)), anchor=False)
    if not pending:
        st.caption(t("editors.queue_empty", lang))
    for row in pending[:50]:
        with st.container(border=True):
            _show(row, taxonomy, lang)
            st.text(
                t(
                    "corrections.meta",
                    lang,
                    id=row["id"],
                    when=_when(row["created_at"]),
                    who=echo(row["submitter"], 60) or "—",
                    url=echo(row["source_url"], 200),
                )
            )
            if row["comment"]:
                st.text(t("corrections.comment_line", lang, comment=echo(row["comment"], 2000)))
            c1, c2, c3 = st.columns([1, 2, 1], vertical_alignment="bottom")
            accept = c1.button(
                t("editors.accept", lang),
                key=f"acc_{row['id']}",
                icon=":material/check:",
                disabled=not editor,
            )
            reason = c2.text_input(t("editors.reject_reason", lang), key=f"why_{row['id']}")
            reject = c3.button(
                t("editors.reject", lang),
                key=f"rej_{row['id']}",
                icon=":material/close:",
                disabled=not editor,
            )
            if accept:
                _accept(ws, row, editor, lang)
            if reject:
                try:
                    ws.decide_correction(int(row["id"]), accept=False, editor=editor, note=reason)
                except WorkspaceError as exc:
                    st.error(wsui.error_text(exc, lang), icon=":material/error:")
                else:
                    wsui.flash(t("editors.rejected", lang, id=row["id"]))
                    st.rerun()
    decided = [
        r for r in ws.list_corrections(None, limit=200) if r["status"] in ("accepted", "rejected")
    ]
    if decided:
        with st.expander(t("editors.decided", lang, n=len(decided))):
            st.dataframe(
                pd.DataFrame(
                    {
                        t("editors.col.id", lang): [r["id"] for r in decided],
                        t("editors.col.status", lang): [
                            t(f"corrections.status.{r['status']}", lang) for r in decided
                        ],
                        t("editors.col.by", lang): [r["decided_by"] for r in decided],
                        t("editors.col.when", lang): [_when(r["decided_at"]) for r in decided],
                        t("editors.col.note", lang): [
                            r["decision_note"] or r["applied_ref"] for r in decided
                        ],
                    }
                ),
                hide_index=True,
                width="stretch",
            )


def _accept(ws: Workspace, row: Mapping[str, Any], editor: str, lang: str) -> None:
    try:
        ws.claim_correction(int(row["id"]), editor)
    except AlreadyDecided as exc:
        st.warning(wsui.error_text(exc, lang), icon=":material/group:")
        return
    try:
        ref = apply_correction(row, editor, config.data_dir(), config.db_path())
    except (
        NotApplicable,
        ValidationError,
        OSError,
        recovery.Busy,
    ) as exc:  # the correction goes back to the queue
        ws.release_correction(int(row["id"]))
        st.error(
            t("editors.apply_failed", lang, reason=echo(str(exc), 300)), icon=":material/error:"
        )
        return
    ws.decide_correction(int(row["id"]), accept=True, editor=editor, applied_ref=ref)
    st.cache_data.clear()
    wsui.flash(t("editors.accepted", lang, id=row["id"]))
    st.rerun()


def requests_panel(ws: Workspace, editor: str, lang: str) -> None:
    """Introduction requests with their status, and a CSV export."""
    wanted = st.segmented_control(
        t("editors.request_filter", lang),
        options=["all", *REQUEST_STATUSES],
        default="all",
        key="ed_req_filter",
        format_func=lambda s: t(f"intro.status.{s}", lang),
    )
    rows = ws.list_requests(None if wanted in (None, "all") else wanted)
    st.subheader(t("editors.requests", lang, n=format_number(len(rows), lang)), anchor=False)
    frame = pd.DataFrame(
        {
            "id": [r["id"] for r in rows],
            "created": [_when(r["created_at"]) for r in rows],
            "council": [t(f"intro.council.{r['council']}", lang) for r in rows],
            "candidate": [r["candidate_name"] for r in rows],
            "requester": [r["requester_name"] for r in rows],
            "organisation": [r["requester_org"] for r in rows],
            "email": [r["requester_email"] for r in rows],
            "message": [r["message"] for r in rows],
            "reason": [r["reason"] for r in rows],
            "status": [t(f"intro.status.{r['status']}", lang) for r in rows],
            "updated_by": [r["updated_by"] for r in rows],
        }
    )
    heads = {c: t(f"editors.req.{c}", lang) for c in frame.columns}
    st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        column_config={c: st.column_config.TextColumn(h) for c, h in heads.items() if c != "id"},
    )
    if rows:
        st.download_button(
            t("export.csv", lang),
            data=lambda: to_csv_bytes(frame.rename(columns=heads)),
            file_name=export_filename(
                "fusion-introduction-requests", f"{len(rows)}", dt.date.today().isoformat(), "csv"
            ),
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
            key="ed_req_csv",
        )
        by_id = {r["id"]: r for r in rows}
        c1, c2, c3 = st.columns([1, 1, 1], vertical_alignment="bottom")
        rid = c1.selectbox(t("editors.req.id", lang), options=list(by_id), key="ed_req_pick")
        status = c2.selectbox(
            t("editors.req.status", lang),
            options=list(REQUEST_STATUSES),
            key="ed_req_status",
            format_func=keep_selection("ed_req_status", lambda s: t(f"intro.status.{s}", lang)),
        )
        if c3.button(t("editors.set_status", lang), disabled=not editor, key="ed_req_go"):
            try:
                ws.set_request_status(int(rid), status, int(by_id[rid]["version"]), editor)
            except WorkspaceError as exc:
                st.error(wsui.error_text(exc, lang), icon=":material/error:")
            else:
                st.rerun()


def log_panel(ws: Workspace, lang: str) -> None:
    """The newest editor actions."""
    rows = ws.editor_log()
    st.dataframe(
        pd.DataFrame(
            {
                t("editors.col.when", lang): [_when(r["at"]) for r in rows],
                t("editors.col.by", lang): [r["editor"] for r in rows],
                t("editors.col.action", lang): [
                    t(f"editors.action.{r['action']}", lang)
                    if has(f"editors.action.{r['action']}", lang)
                    else r["action"]
                    for r in rows
                ],
                t("editors.col.target", lang): [r["target"] for r in rows],
                t("editors.col.note", lang): [r["detail"] for r in rows],
            }
        ),
        hide_index=True,
        width="stretch",
    )
