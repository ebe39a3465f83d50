"""Introduction requests on the Shortlists page: ask J-Fusion or The Fusion Cluster to
introduce you to a shortlisted candidate; the request is saved for the editors and offered
as an e-mail draft in the council's language (Japanese to J-Fusion, English to The Fusion
Cluster, whatever the page's language). The same request from the same shortlist is not
saved twice without asking.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from typing import Any
from urllib.parse import quote

import streamlit as st

from fusion_partners.i18n import LANGUAGES, format_date, t, t_md
from fusion_partners.i18n.labels import display_name
from fusion_partners.i18n.markup import echo
from fusion_partners.partners.reasons import short_name
from fusion_partners.partners.shortlist import shortlist_frame
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.common import keep_selection
from fusion_partners.workspace import AlreadyRequested, Opened, Workspace, WorkspaceError
from fusion_partners.workspace.introductions import COUNCILS, MAIL_LANGUAGE

COUNCIL_OF_COUNTRY = {"JP": "j_fusion", "GB": "fusion_cluster"}
"""The council that introduces to organisations of a country (the memorandum's two)."""


def mailto(council: str, body_lines: list[str], subject: str) -> str:
    """A ``mailto:`` link with subject and body and no recipient (the product holds no
    council address; the user adds the council's published contact)."""
    return "mailto:?" + "&".join(
        f"{k}={quote(v, safe='')}"
        for k, v in (("subject", subject), ("body", "\n".join(body_lines)))
    )


def candidate_labels(rows: list[dict[str, Any]], ctx: Any, lang: str) -> dict[int, str]:
    """The "Introduction to" choices, ``{entry id: label}``: the candidate with the start it
    was suggested from (without its legal form, as in the reasons; or the capabilities asked
    for) and the kind of collaboration, e.g. "Tokamak Energy Ltd — from Furukawa Electric,
    supply chain".

    The same candidate suggested from two starts is two entries with two reasons, and
    Streamlit tells a selectbox's options apart by their labels (two equal labels are one
    option, which carried the other entry's reason), so every label is made unique: labels
    still equal name the start in full, then add the candidate's id, then the entry's place
    in the list."""
    in_lang = ctx if ctx.lang == lang else dataclasses.replace(ctx, lang=lang)
    shown = shortlist_frame(
        [{**r["entry"], "matches": [], "note": "", "status": ""} for r in rows], in_lang
    )
    variants: dict[int, list[str]] = {}  # each entry's labels, from the shortest
    for place, (r, (_, row)) in enumerate(zip(rows, shown.iterrows(), strict=True), start=1):
        entry = r["entry"]
        kind = str(row["kind"])
        if lang != "ja" and len(kind) > 1 and kind[1].islower():
            kind = kind[:1].lower() + kind[1:]  # "supply chain" inside the label
        if entry.get("start"):
            form, starts = "from_start", [short_name(str(row["start"])), str(row["start"])]
        elif row["start"]:
            form, starts = "for_needs", [str(row["start"])]
        else:  # read back from a file without a start
            form, starts = "kind_only", [""]
        labels = [
            t(
                f"intro.candidate_option.{form}",
                lang,
                candidate=row["candidate"],
                start=s,
                kind=kind,
            )
            for s in dict.fromkeys(starts)
        ]
        labels.append(f"{labels[-1]} [{entry.get('id', '')}]")
        labels.append(f"{labels[-1]} #{place}")
        variants[int(r["id"])] = labels
    chosen = {eid: labels[0] for eid, labels in variants.items()}
    while True:
        counts = Counter(chosen.values())
        equal = [eid for eid, label in chosen.items() if counts[label] > 1]
        if not equal:
            return chosen
        for eid in equal:
            labels = variants[eid]
            chosen[eid] = labels[min(labels.index(chosen[eid]) + 1, len(labels) - 1)]
        if all(chosen[eid] == variants[eid][-1] for eid in equal):
            return chosen  # the place makes these unique


def _reason(entry: dict[str, Any], ctx: Any, lang: str) -> str:
    """The finder's reason for a shortlisted pair, worded in ``lang``."""
    in_lang = ctx if ctx.lang == lang else dataclasses.replace(ctx, lang=lang)
    return str(shortlist_frame([{**entry, "note": "", "status": ""}], in_lang)["reason"].iloc[0])


def mail_draft(
    council: str,
    entry: dict[str, Any],
    ctx: Any,
    *,
    request_id: int,
    requester: str,
    organisation: str,
    email: str,
    message: str,
) -> tuple[str, list[str]]:
    """Subject and body lines of the e-mail to ``council``, in the council's language
    (:data:`MAIL_LANGUAGE`). A message left as pre-filled (in either language) is written
    in that language too; a message the requester wrote is kept as typed."""
    lang = MAIL_LANGUAGE[council]
    candidate = display_name(entry.get("name_en", ""), entry.get("name_ja", ""), lang)
    council_name = t(f"intro.council.{council}", lang)
    prefilled = {
        t("intro.message_default", other, reason=_reason(entry, ctx, other)).strip()
        for other in LANGUAGES
    }
    if message.strip() in prefilled:
        message = t("intro.message_default", lang, reason=_reason(entry, ctx, lang))
    subject = t("intro.mail_subject", lang, candidate=candidate)
    body = [
        t("intro.mail_greeting", lang, council=council_name),
        "",
        t(
            "intro.mail_ask",
            lang,
            candidate=candidate,
            name=requester,
            organisation=organisation or "-",
        ),
        "",
        message,
        "",
        t("intro.mail_contact", lang, email=email),
        t("intro.mail_ref", lang, id=request_id),
    ]
    return subject, body


def introduction(
    ws: Workspace, opened: Opened, rows: list[dict[str, Any]], ctx: Any, lang: str
) -> None:
    """The "ask a council for an introduction" form for one of the shortlist's candidates
    (the council of the candidate's country by default, the finder's reason pre-filled); a
    saved request is confirmed with its number and an e-mail draft (:func:`mail_draft`). A
    refused request keeps what was typed and the form stays open with the reason (the
    expander has a key: unkeyed, it folded shut when the run after the submit drew the page
    differently, e.g. without the cookie script of a browser's first visit). A request this
    shortlist already made to the same council for the same candidate is not saved again
    unless the requester confirms."""
    with st.expander(t("intro.title", lang), icon=":material/contact_mail:", key="intro_open"):
        st.caption(t("intro.help", lang))
        names = {
            int(r["id"]): display_name(
                r["entry"].get("name_en", ""), r["entry"].get("name_ja", ""), lang
            )
            for r in rows
        }
        labels = candidate_labels(rows, ctx, lang)
        pick = st.selectbox(
            t("intro.candidate", lang),
            options=list(labels),
            format_func=keep_selection("intro_candidate", lambda i: labels[i]),
            key="intro_candidate",
        )
        row = next(r for r in rows if int(r["id"]) == pick)
        entry = row["entry"]
        default_council = COUNCIL_OF_COUNTRY.get(entry.get("country", ""), "j_fusion")
        reason = _reason(entry, ctx, lang)
        # Keyed widgets, so the language switch (which relabels them) keeps what was typed;
        # the council is chosen outside the form, where keep_selection relabels the choice.
        # The requester's fields are one set for every candidate; the council (its default
        # follows the candidate's country) and the message are the candidate's own. The
        # pre-filled message stays in the language it was first shown in: the page cannot
        # tell it from a message being rewritten (the browser keeps a form's text until sent).
        council_key = f"intro_council_{pick}"
        st.session_state.setdefault(council_key, default_council)
        with st.container(border=True):
            council = st.radio(
                t("intro.council", lang),
                options=list(COUNCILS),
                horizontal=True,
                key=council_key,
                format_func=keep_selection(council_key, lambda c: t(f"intro.council.{c}", lang)),
            )
            st.caption(
                t(
                    "intro.mail_language",
                    lang,
                    council=t(f"intro.council.{council}", lang),
                    language=t(f"intro.mail_lang.{MAIL_LANGUAGE[council]}", lang),
                )
            )
            with st.form(f"intro_form_{pick}", border=False):
                who = st.text_input(t("intro.name", lang), key="intro_name")
                org = st.text_input(t("intro.organisation", lang), key="intro_org")
                email = st.text_input(t("intro.email", lang), key="intro_email")
                message = st.text_area(
                    t("intro.message", lang),
                    value=t("intro.message_default", lang, reason=reason),
                    key=f"intro_message_{pick}",
                )
                sent = st.form_submit_button(t("intro.send", lang), icon=":material/send:")
        # "Save another request anyway" (below) sets this flag in its callback, before the run
        again_key, earlier_key = f"intro_again_{pick}", f"intro_earlier_{pick}"
        again = bool(st.session_state.pop(f"{again_key}_go", False))
        if not (sent or again):
            _earlier_warning(earlier_key, again_key, council, names[pick], lang)
            return
        st.session_state.pop(earlier_key, None)
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
                again=again,
            )
        except AlreadyRequested as exc:
            st.session_state[earlier_key] = {"council": council, **exc.request}
            _earlier_warning(earlier_key, again_key, council, names[pick], lang)
            return
        except WorkspaceError as exc:
            st.error(
                wsui.error_text(exc, lang), icon=":material/error:"
            )  # the form keeps what was typed
            return
        st.success(
            t("intro.saved", lang, id=rid, council=t(f"intro.council.{council}", lang)),
            icon=":material/check_circle:",
        )
        subject, body = mail_draft(
            council,
            entry,
            ctx,
            request_id=rid,
            requester=who,
            organisation=org,
            email=email,
            message=message,
        )
        st.link_button(
            t("intro.mail", lang, language=t(f"intro.mail_lang.{MAIL_LANGUAGE[council]}", lang)),
            mailto(council, body, subject),
            icon=":material/mail:",
        )


def _earlier_warning(
    earlier_key: str, again_key: str, council: str, candidate: str, lang: str
) -> None:
    """Say that this shortlist already asked ``council`` about ``candidate`` (the request was
    not saved again), with a button to save it anyway."""
    earlier = st.session_state.get(earlier_key)
    if not earlier or earlier["council"] != council:
        return
    when = earlier.get("created_at")
    st.warning(
        t_md(
            "intro.already_requested",
            lang,
            council=t(f"intro.council.{council}", lang),
            candidate=echo(candidate, 80),
            id=earlier["id"],
            date=format_date(when.date() if isinstance(when, dt.datetime) else when, lang),
        ),
        icon=":material/content_copy:",
    )
    st.button(
        t("intro.send_again", lang),
        key=again_key,
        icon=":material/send:",
        on_click=_raise_flag,
        args=(f"{again_key}_go",),
    )


def _raise_flag(key: str) -> None:
    st.session_state[key] = True
