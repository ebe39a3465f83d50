"""Import page, the user's choices: file-wide options, capability mappings, and the decisions on
possible duplicates and rows without a country kept for this session.

At most :data:`MAX_TERM_SELECTORS` capability selectors are sent to the browser; the other
texts use the automatic choice. Suggestions come from the core
(:func:`fusion_partners.importing.service.capability_choices`).
"""

from __future__ import annotations

import hashlib

import streamlit as st

from fusion_partners.i18n import format_number, t, t_md, tn_md
from fusion_partners.i18n.countries import country_label
from fusion_partners.i18n.labels import vocab_label
from fusion_partners.i18n.markup import echo
from fusion_partners.importing import service
from fusion_partners.importing.service import ImportFile, ImportOptions, ImportRequest
from fusion_partners.ui.common import keep_selection
from fusion_partners.ui.import_upload import editor_name

_DECISIONS = "imp_decisions"
_COUNTRIES = "imp_countries"

MAX_TERM_SELECTORS = 40
"""Capability texts offered for a choice (the most frequent); the others use the automatic choice."""


def options_step(lang: str) -> ImportOptions:
    """Source URL, council member list, defaults for type, confidence, date and the country of
    rows that give none (a name-only member list)."""
    st.subheader(t("import.step.options", lang))
    url = st.text_input(
        t("import.source_url", lang), key="imp_source", help=t("import.source_url_help", lang)
    ).strip()
    if url and not service.valid_source_url(url):
        st.error(t_md("import.source_url_bad", lang, url=echo(url, 80)))
        url = ""
    left, right = st.columns(2)
    council = left.selectbox(
        t("import.council", lang),
        ["", *service.COUNCILS],
        key="imp_council",
        format_func=keep_selection(
            "imp_council",
            lambda c: vocab_label("membership", c, lang) if c else t("import.council.none", lang),
        ),
    )
    member_list = bool(council) and left.checkbox(
        t("import.member_list", lang), key="imp_member_list"
    )
    if member_list and not url:
        left.warning(t("import.member_list_needs_source", lang))
    org_type = right.selectbox(
        t("import.default_type", lang),
        list(service.ORG_TYPES),
        index=service.ORG_TYPES.index("other"),
        key="imp_type",
        format_func=keep_selection("imp_type", lambda v: vocab_label("org_type", v, lang)),
    )
    confidence = right.selectbox(
        t("import.default_confidence", lang),
        list(service.CONFIDENCES),
        index=1,
        key="imp_conf",
        format_func=keep_selection("imp_conf", lambda v: vocab_label("confidence", v, lang)),
    )
    date = right.text_input(t("import.source_date", lang), key="imp_date").strip()
    country = left.selectbox(
        t("import.default_country", lang),
        ["", *service.country_choices()],
        key="imp_country",
        help=t("import.default_country_help", lang),
        format_func=keep_selection(
            "imp_country",
            lambda c: country_label(c, lang) if c else t("import.country.none", lang),
        ),
    )
    return ImportOptions(
        url, council, member_list, org_type, confidence, date, editor_name(), country or ""
    )


@st.cache_resource(max_entries=4, show_spinner=False)
def _terms(key: str, _file: ImportFile) -> dict[str, int]:
    return service.capability_terms(_file)


def capability_step(file: ImportFile, lang: str) -> tuple[tuple[str, str], ...]:
    """One selector per capability text of the file (the :data:`MAX_TERM_SELECTORS` most
    frequent), preselected with the best suggestion; the others use the automatic choice."""
    st.subheader(t("import.step.capabilities", lang))
    terms = _terms(f"{file.table.content_hash}:{file.mapping}", file)
    if not terms:
        st.caption(t("import.cap.none", lang))
        return ()
    st.caption(t("import.cap.help", lang))
    choices = service.capability_choices(terms, lang, MAX_TERM_SELECTORS)
    labels = choices.labels
    chosen: list[tuple[str, str]] = []
    cols = st.columns(2)
    for i, choice in enumerate(choices.terms):
        scores = dict(choice.scores)

        def option_label(s: str, sc: dict[str, float] = scores) -> str:
            if not s:
                return t("import.cap.unmapped", lang)
            return (
                t("import.cap.option", lang, label=labels[s], score=f"{sc[s]:.0f}")
                if s in sc
                else labels[s]
            )

        term, n = choice.term, choice.rows
        key = (
            f"imp_cap_{file.table.content_hash[:12]}_{hashlib.sha1(term.encode()).hexdigest()[:10]}"
        )
        value = cols[i % 2].selectbox(
            tn_md("import.cap.term", n, lang, term=echo(term, 80), n=format_number(n, lang)),
            list(choice.options),
            index=choice.options.index(choice.auto),
            format_func=keep_selection(key, option_label),
            key=key,
        )
        chosen.append((term, value))
    if choices.more:
        st.caption(t("import.cap.more", lang, n=format_number(choices.more, lang)))
    return tuple(chosen)


def decisions(file: ImportFile) -> dict[int, str]:
    """The session's duplicate decisions for this file (kept outside widget state, so decisions
    on another page of duplicates survive)."""
    return st.session_state.setdefault(_DECISIONS, {}).setdefault(file.table.content_hash, {})


def countries(file: ImportFile) -> dict[int, str]:
    """The session's per-row country choices for this file (kept outside widget state)."""
    return st.session_state.setdefault(_COUNTRIES, {}).setdefault(file.table.content_hash, {})


def store_decision(digest: str, line: int, key: str) -> None:
    """Keep the decision of widget ``key`` for row ``line`` of the file ``digest``."""
    st.session_state.setdefault(_DECISIONS, {}).setdefault(digest, {})[line] = (
        st.session_state.get(key) or ""
    )


def store_country(digest: str, line: int, key: str) -> None:
    """Keep the country of widget ``key`` for row ``line`` of the file ``digest``."""
    st.session_state.setdefault(_COUNTRIES, {}).setdefault(digest, {})[line] = (
        st.session_state.get(key) or ""
    )


def pending_countries(file: ImportFile) -> tuple[tuple[tuple[int, int], str], ...]:
    """Countries chosen for single rows in this session (read before planning)."""
    return tuple(sorted(((0, line), code) for line, code in countries(file).items() if code))


def pending_decisions(file: ImportFile) -> tuple[tuple[tuple[int, int], str], ...]:
    """Decisions on possible duplicates already made in this session (read before planning)."""
    return tuple(sorted(((0, line), value) for line, value in decisions(file).items() if value))


def import_request(
    file: ImportFile, capabilities: tuple[tuple[str, str], ...], options: ImportOptions
) -> ImportRequest:
    """The request the page previews and writes: the file, its capability mappings, the
    session's decisions and per-row countries, and the options."""
    return ImportRequest(
        (file,), capabilities, pending_decisions(file), options, pending_countries(file)
    )
