"""Introduction requests on the Shortlists page: ask J-Fusion or The Fusion Cluster to
introduce you to a shortlisted candidate; the request is saved for the editors and offered
as an e-mail draft.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import streamlit as st

from fusion_partners.i18n import t
from fusion_partners.i18n.labels import display_name
from fusion_partners.partners.shortlist import shortlist_frame
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.common import keep_selection
from fusion_partners.workspace import Opened, Workspace, WorkspaceError
from fusion_partners.workspace.introductions import COUNCILS
from fusion_partners.workspace.schema import NAME_MAX

COUNCIL_OF_COUNTRY = {"JP": "j_fusion", "GB": "fusion_cluster"}
"""The council that introduces to organisations of a country (the memorandum's two)."""


def mailto(council: str, body_lines: list[str], subject: str) -> str:
    """A ``mailto:`` link with subject and body and no recipient (the product holds no
    council address; the user adds the council's published contact)."""
    return "mailto:?" + "&".join(
        f"{k}={quote(v, safe='')}"
        for k, v in (("subject", subject), ("body", "\n".join(body_lines)))
    )


def introduction(
    ws: Workspace, opened: Opened, rows: list[dict[str, Any]], ctx: Any, lang: str
) -> None:
    """The "ask a council for an introduction" form for one of the shortlist's candidates
    (the council of the candidate's country by default, the finder's reason pre-filled); a
    saved request is confirmed with its number and an e-mail draft (:func:`mailto`). A
    refused request keeps what was typed."""
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
            format_func=keep_selection("intro_candidate", lambda i: names[i]),
            key="intro_candidate",
        )
        row = next(r for r in rows if int(r["id"]) == pick)
        entry = row["entry"]
        default_council = COUNCIL_OF_COUNTRY.get(entry.get("country", ""), "j_fusion")
        reason = shortlist_frame([{**entry, "note": "", "status": ""}], ctx)["reason"].iloc[0]
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
            with st.form(f"intro_form_{pick}", border=False):
                who = st.text_input(t("intro.name", lang), max_chars=NAME_MAX, key="intro_name")
                org = st.text_input(
                    t("intro.organisation", lang), max_chars=NAME_MAX, key="intro_org"
                )
                email = st.text_input(t("intro.email", lang), max_chars=NAME_MAX, key="intro_email")
                message = st.text_area(
                    t("intro.message", lang),
                    value=t("intro.message_default", lang, reason=reason),
                    key=f"intro_message_{pick}",
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
