"""The sidebar filters: seeded from the URL once per session, kept across pages.

The filter values live in ``st.session_state["filters"]`` (a :class:`Filters`); widgets
are seeded from it whenever they are (re)created, so leaving for a profile and coming back
keeps the view. The URL is rewritten from the filters on every run (:func:`filter_params`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import streamlit as st

from fusion_partners.explore.filters import MAX_QUERY_LENGTH, Filters
from fusion_partners.explore.url import FILTER_PARAMS, from_params, to_params
from fusion_partners.i18n import format_number, t, t_md
from fusion_partners.i18n.countries import country_label
from fusion_partners.i18n.labels import Taxonomy, vocab_label
from fusion_partners.i18n.markup import echo, escape_markdown
from fusion_partners.search.terms import ignored_symbols
from fusion_partners.search.text import single_line
from fusion_partners.ui.common import (
    FILTERS_BUTTON_KEY,
    history_navigation,
    keep_selection,
    rejected_notice,
)

STATE_KEY = "filters"
NOTICE_KEY = "filter_notices"
W_COUNTRY, W_MEMBERSHIP, W_TYPE, W_MODE, W_CONF, W_QUERY = (
    "w_country",
    "w_membership",
    "w_type",
    "w_mode",
    "w_confidence",
    "w_q",
)
W_CAP_PREFIX = "w_cap_"
W_ROLE, W_OFFERS, W_OFFER_MODE, W_NEEDS, W_NEED_MODE = (
    "w_role",
    "w_offers",
    "w_offer_mode",
    "w_needs",
    "w_need_mode",
)


def cap_key(slug: str) -> str:
    """Widget key of a capability's checkbox."""
    return f"{W_CAP_PREFIX}{slug}"


def _seed(filters: Filters, taxonomy: Taxonomy, *, overwrite: bool = False) -> None:
    """Put ``filters`` into widget state for every widget not yet holding a value (every
    widget when ``overwrite``: Back/Forward restored another URL)."""
    seeds: dict[str, object] = {
        W_COUNTRY: list(filters.countries),
        W_MEMBERSHIP: list(filters.memberships),
        W_TYPE: list(filters.org_types),
        W_MODE: filters.capability_mode,
        W_CONF: list(filters.confidences),
        W_QUERY: filters.query,
        W_ROLE: list(filters.roles),
        W_OFFERS: list(filters.offers),
        W_OFFER_MODE: filters.offer_mode,
        W_NEEDS: list(filters.needs),
        W_NEED_MODE: filters.need_mode,
    }
    for slug in taxonomy.slugs:
        seeds[cap_key(slug)] = slug in filters.capabilities
    for key, value in seeds.items():
        if overwrite or key not in st.session_state:
            st.session_state[key] = value
        else:
            # Re-assigning makes the value user-set state, so it survives the widget being
            # re-created on another page (each page's widgets get new ids; Streamlit would
            # otherwise reset them to their defaults when switching pages).
            st.session_state[key] = st.session_state[key]


def _from_widgets(taxonomy: Taxonomy) -> Filters:
    caps = [slug for slug in taxonomy.slugs if st.session_state.get(cap_key(slug))]
    return Filters(
        countries=st.session_state.get(W_COUNTRY) or (),
        memberships=st.session_state.get(W_MEMBERSHIP) or (),
        org_types=st.session_state.get(W_TYPE) or (),
        capabilities=tuple(caps),
        capability_mode=st.session_state.get(W_MODE) or "any",
        confidences=st.session_state.get(W_CONF) or (),
        query=st.session_state.get(W_QUERY) or "",
        roles=st.session_state.get(W_ROLE) or (),
        offers=st.session_state.get(W_OFFERS) or (),
        offer_mode=st.session_state.get(W_OFFER_MODE) or "any",
        needs=st.session_state.get(W_NEEDS) or (),
        need_mode=st.session_state.get(W_NEED_MODE) or "any",
    )


def current_filters(options: Mapping[str, list[str]], taxonomy: Taxonomy) -> Filters:
    """The filters for this run.

    First run of a session, and a run started by Back or Forward: read from the URL
    (invalid values dropped and remembered as notices). Other runs: the widgets' values.
    Returns the filters and stores them.
    """
    restored = history_navigation()
    if STATE_KEY not in st.session_state or restored:
        parsed = from_params(st.query_params.get_all, options)
        st.session_state[STATE_KEY] = parsed.filters
        st.session_state[NOTICE_KEY] = (
            parsed.rejected,
            parsed.truncated,
            parsed.filters,
            parsed.repeated,
        )
    _seed(st.session_state[STATE_KEY], taxonomy, overwrite=restored)
    filters = _from_widgets(taxonomy)
    st.session_state[STATE_KEY] = filters
    return filters


def url_notices(filters: Filters, lang: str) -> list[str]:
    """Messages about link values that were dropped, shown until the filters change."""
    rejected, truncated, loaded, repeated = st.session_state.get(NOTICE_KEY, ((), False, None, ()))
    if loaded != filters:
        return []
    messages = []
    if rejected:
        messages.append(rejected_notice(rejected, lang))
    if truncated:
        messages.append(t("url.truncated", lang))
    if "q" in repeated:
        messages.append(t_md("url.repeated_q", lang, q=echo(filters.query)))
    if "mode" in repeated:
        messages.append(t("url.repeated_mode", lang))
    return messages


def reset_filters(taxonomy: Taxonomy) -> None:
    """Callback: clear every filter (widgets and stored state)."""
    st.session_state[STATE_KEY] = Filters()
    for key in (W_COUNTRY, W_MEMBERSHIP, W_TYPE, W_CONF, W_ROLE, W_OFFERS, W_NEEDS):
        st.session_state[key] = []
    for key in (W_MODE, W_OFFER_MODE, W_NEED_MODE):
        st.session_state[key] = "any"
    st.session_state[W_QUERY] = ""
    for slug in taxonomy.slugs:
        st.session_state[cap_key(slug)] = False


def apply_search(text: str) -> None:
    """Callback: make ``text`` the search (a "did you mean" suggestion was chosen); the other
    filters stay, and the URL's ``q`` follows on the rerun."""
    st.session_state[W_QUERY] = text


def search_length_note(query: str, lang: str) -> str | None:
    """The note that only the first :data:`filters.MAX_QUERY_LENGTH` characters of ``query``
    are searched (the box keeps the whole text: a box with ``max_chars`` would drop a longer
    paste altogether, without a word), or ``None`` when the query is within the limit.
    Characters are counted as searched (one line, invisible characters left out)."""
    n = len(single_line(query))
    if n <= MAX_QUERY_LENGTH:
        return None
    return t(
        "search.too_long",
        lang,
        limit=format_number(MAX_QUERY_LENGTH, lang),
        n=format_number(n, lang),
    )


def search_note(query: str, lang: str) -> str | None:
    """The note that the search ignored symbols in ``query`` (✓, ★, emoji, see
    :func:`text.ignored_symbols`), as Markdown, or ``None`` when it ignored none."""
    symbols = ignored_symbols(query)
    if not symbols:
        return None
    return t("search.ignored_symbols", lang, symbols=escape_markdown(" ".join(symbols)))


def filter_params(filters: Filters) -> dict[str, list[str] | str]:
    """URL parameters for the filters (see :mod:`fusion_partners.explore.url`)."""
    params = to_params(filters)
    return {k: v for k, v in params.items() if k in FILTER_PARAMS}


def open_filters_button(filters: Filters, lang: str) -> None:
    """A "Filters" button (with the number of active filters) in the main area, shown only
    while the sidebar is collapsed, as it is on phones; it opens the sidebar in the browser
    (:func:`common.browser_history`'s script), without a rerun."""
    n = filters.active_count
    st.button(
        t("filters.open_active", lang, n=format_number(n, lang)) if n else t("filters.open", lang),
        key=FILTERS_BUTTON_KEY,
        icon=":material/filter_alt:",
        help=t("filters.open_help", lang),
    )


def _with_count(label: str, n: int, lang: str) -> str:
    return t("filters.option_count", lang, label=label, n=format_number(n, lang))


def render_sidebar(
    options: Mapping[str, list[str]],
    counts: Mapping[str, Mapping[str, int]],
    taxonomy: Taxonomy,
    lang: str,
) -> None:
    """Draw the filter widgets (values come from session state, see :func:`current_filters`).

    Each option shows how many organisations it would match given the other filters. Also
    draws, where the page is at (before its title), the main area's "Filters" button that
    shows while the sidebar is collapsed (:func:`open_filters_button`).
    """
    open_filters_button(st.session_state.get(STATE_KEY) or Filters(), lang)
    sb = st.sidebar
    sb.header(t("filters.header", lang))
    sb.text_input(
        t("filters.search", lang),
        key=W_QUERY,
        placeholder=t("filters.search_placeholder", lang),
        help=t("filters.search_help", lang),
    )  # no max_chars: Streamlit drops a longer paste whole; the search cuts it and says so
    typed = st.session_state.get(W_QUERY) or ""
    for note in (search_length_note(typed, lang), search_note(typed, lang)):
        if note:
            sb.caption(note)

    # Pills, not multiselects: an option's label carries a count that changes with the
    # other filters, and Streamlit's multiselect identifies selected options by their label
    # (a stale label would drop the selection); button groups fall back to the held value.
    def facet(container, label: str, key: str, dim: str, fmt) -> None:
        values = options.get(dim, [])
        dim_counts = counts.get(dim, {})
        container.pills(
            label,
            options=values,
            key=key,
            selection_mode="multi",
            format_func=lambda v: _with_count(fmt(v), dim_counts.get(v, 0), lang),
        )

    facet(sb, t("filters.country", lang), W_COUNTRY, "country", lambda c: country_label(c, lang))
    facet(
        sb,
        t("filters.membership", lang),
        W_MEMBERSHIP,
        "membership",
        lambda m: vocab_label("membership", m, lang),
    )
    facet(
        sb,
        t("filters.org_type", lang),
        W_TYPE,
        "org_type",
        lambda m: vocab_label("org_type", m, lang),
    )
    facet(
        sb,
        t("filters.confidence", lang),
        W_CONF,
        "confidence",
        lambda m: vocab_label("confidence", m, lang),
    )

    sb.markdown(f"**{t('filters.capabilities', lang)}**")
    sb.segmented_control(
        t("filters.capability_mode", lang),
        options=["any", "all"],
        format_func=lambda m: t(f"filters.mode.{m}", lang),
        key=W_MODE,
        required=True,
        help=t("filters.capability_mode_help", lang),
    )
    # Checkboxes for capabilities: their labels are long and must wrap, not be cut off.
    cap_counts = counts.get("capability", {})
    for group, group_label, slugs in taxonomy.groups(lang):
        chosen = sum(bool(st.session_state.get(cap_key(s))) for s in slugs)
        title = (
            t("filters.group_chosen", lang, group=group_label, n=chosen) if chosen else group_label
        )
        # a key keeps the expander the same element when its title (the count) changes, so
        # unticking the last capability of a group does not fold the group under the cursor
        with sb.expander(
            title, expanded=bool(chosen), key="capgroup_" + re.sub(r"\W+", "_", group)
        ):
            for slug in slugs:
                st.checkbox(
                    _with_count(taxonomy.label(slug, lang), cap_counts.get(slug, 0), lang),
                    key=cap_key(slug),
                )

    sb.markdown(f"**{t('filters.facets_header', lang)}**")
    facet(sb, t("filters.roles", lang), W_ROLE, "role", lambda r: vocab_label("role", r, lang))
    # Multiselects for leaves (73 options): labels without counts, which would change under
    # a selected option (the counts show in the table's filter summary instead).
    for key, mode_key, dim in ((W_OFFERS, W_OFFER_MODE, "offer"), (W_NEEDS, W_NEED_MODE, "need")):
        sb.multiselect(
            t(f"filters.{dim}s", lang),
            options=options.get(dim, []),
            key=key,
            format_func=keep_selection(key, lambda s: taxonomy.label(s, lang)),
            placeholder=t("filters.any", lang),
            help=t(f"filters.{dim}s_help", lang),
            select_all=False,  # Enter adds the closest match, not every fuzzy match
        )
        if st.session_state.get(key):
            sb.segmented_control(
                t(f"filters.{dim}_mode", lang),
                options=["any", "all"],
                key=mode_key,
                required=True,
                format_func=lambda m: t(f"filters.mode.{m}", lang),
            )
