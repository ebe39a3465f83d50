"""Inputs of the Partner finder page: the start (an organisation, found by name, or the
capabilities needed), the kind of collaboration, the candidate filters and the score weights."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

import pandas as pd
import streamlit as st

from fusion_partners.data.partner_rules import KINDS
from fusion_partners.i18n import format_number, t, t_md
from fusion_partners.i18n.countries import country_in_text, country_label
from fusion_partners.i18n.labels import (
    Taxonomy,
    display_name,
    display_names,
    list_field,
    vocab_label,
)
from fusion_partners.i18n.markup import escape_markdown, one_full_stop, shorten
from fusion_partners.partners.lookup_sql import find_capabilities, find_organisations
from fusion_partners.partners.query import (
    CONFIDENCE_ORDER,
    DEFAULT_WEIGHTS,
    KNOWN_MODES,
    MAX_NEEDS,
    WEIGHT_LIMITS,
    PartnerQuery,
    Weights,
    fitting_kind,
    kind_for_new_start,
    target_countries,
)
from fusion_partners.partners.sql import start_roles
from fusion_partners.queries import profile as profile_queries
from fusion_partners.search.text import only_corporate_forms
from fusion_partners.ui.common import keep_selection
from fusion_partners.ui.data import q
from fusion_partners.ui.partners_state import (
    KIND_CHANGED,
    KIND_CHOSEN,
    KIND_PICKED,
    LAST,
    MODES,
    NEEDS_FROM_TEXT,
    W_CONF,
    W_COUNTRY,
    W_FIND,
    W_KIND,
    W_KNOWN,
    W_MEMBER,
    W_MODE,
    W_NEEDS,
    W_ORG,
    W_TYPE,
    W_WEIGHT,
    weights_fixed,
)

FIND_LIMIT = 50
FILTER_ROW = "pf_filter_row"
FILTER_WIDTH = 240
"""Width in pixels of each candidate filter: wide enough for two chips ("United Kingdom",
"Japan") and for 「他の候補と一緒に並べる」; the filters wrap to the next line when the row is
full (:func:`inputs`)."""
MAX_LISTED = 500
"""Organisations the start list offers without a search (the rest are found by typing)."""


def _org_label(row: Any, lang: str) -> str:
    primary, secondary = display_names(row.name_en, row.name_ja, lang)
    extra = f" / {secondary}" if secondary else ""
    return f"{primary}{extra} — {country_label(row.country, lang)}"


def _adapt_kind() -> None:
    """After the start changed: keep the kind the user is on when the new start takes part in
    it, else switch
    (:func:`~fusion_partners.partners.query.kind_for_new_start`). A change of kind is remembered for
    :func:`_kind_changed_notice`, so it never happens unsaid."""
    ss = st.session_state
    ss.pop(KIND_CHANGED, None)
    org_id = ss.get(W_ORG)
    if not org_id:
        return
    before = ss.get(W_KIND)
    org = q(profile_queries.organisation, org_id)
    if org is None:
        return
    last = ss.get(LAST)
    on_kind = bool(ss.get(KIND_PICKED)) or (last is not None and last.mode != "none")
    roles = q(start_roles, org_id)
    kind, why = kind_for_new_start(
        before if before in KINDS else "",
        on_kind,
        roles,
        ss.get(KIND_CHOSEN, {}).get(org_id),
        fitting_kind(org["org_type"], list(org["capabilities"]), list_field(org, "roles")),
    )
    ss[W_KIND] = kind
    if before in KINDS and kind != before:
        # the user was on a kind the new start has no candidate of, in any country: say so
        cannot = on_kind and not roles.get(before)
        ss[KIND_CHANGED] = (org_id, before, kind, why, cannot)


def _kind_changed_notice(index: pd.DataFrame, lang: str) -> None:
    """Say that choosing the start changed the kind of collaboration, from what to what and
    why — once, on the run the start changed."""
    ss = st.session_state
    change = ss.pop(KIND_CHANGED, None)
    if not change:
        return
    org_id, before, after, why, cannot = change
    if ss.get(W_MODE) != "organisation" or ss.get(W_ORG) != org_id or ss.get(W_KIND) != after:
        return
    rows = index[index["id"] == org_id]
    name = (
        display_name(rows["name_en"].iloc[0], rows["name_ja"].iloc[0], lang)
        if len(rows)
        else org_id
    )
    kinds = {
        "before": t(f"partners.kind.{before}", lang),
        "after": t(f"partners.kind.{after}", lang),
    }
    text = one_full_stop(t_md(f"partners.kind_changed.{why}", lang, start=name, **kinds))
    if cannot:  # the kind the user was on has no candidate for the new start anywhere
        text = t(
            "partners.kind_changed.cannot",
            lang,
            start=escape_markdown(name, single_line=True),
            before=kinds["before"],
            change=text,
        )
    st.info(text, icon=":material/swap_horiz:")


def _on_find() -> None:
    """A new search text selects its best-ranked match (and adapts the kind to it)."""
    text = st.session_state.get(W_FIND) or ""
    found = q(find_organisations, text, FIND_LIMIT)
    if len(found) and found["id"].iloc[0] != st.session_state.get(W_ORG):
        st.session_state[W_ORG] = found["id"].iloc[0]
        _adapt_kind()
    elif not len(found) and text.strip():
        # nothing matches: do not leave the previous organisation's list on screen
        st.session_state[W_ORG] = None


def _to_capabilities() -> None:
    """Switch the start to the capabilities needed (the search found no organisation), with
    the capabilities the words typed name chosen ("superconducting magnet" → superconducting
    magnets); what was chosen from which words is remembered for :func:`_needs_from_text`."""
    ss = st.session_state
    text = (ss.get(W_FIND) or "").strip()
    named = q(find_capabilities, text)
    ss[W_MODE] = "capabilities"
    if named:
        ss[W_NEEDS] = list(named)
    ss[NEEDS_FROM_TEXT] = (text, tuple(named))


def _needs_from_text(taxonomy: Taxonomy, lang: str) -> None:
    """Under the capability list, after "Start from the capabilities you need instead": which
    capabilities were chosen from the words typed, or that they name none and what to do —
    while the list is as that button left it."""
    ss = st.session_state
    text, named = ss.get(NEEDS_FROM_TEXT) or ("", ())
    needs = tuple(ss.get(W_NEEDS) or ())
    if not text or (named and needs != named) or (not named and needs):
        ss.pop(NEEDS_FROM_TEXT, None)  # the user has changed the list since: nothing to say
        return
    if named:
        caps = t("partners.list_sep", lang).join(taxonomy.label(s, lang) for s in named)
        st.caption(t_md("partners.needs_from_text", lang, text=shorten(text, 60), caps=caps))
    else:
        st.caption(t_md("partners.needs_from_text_none", lang, text=shorten(text, 60)))


def _on_kind() -> None:
    """Remember that the user picked a kind (a new start keeps it when it can take part in
    it) and which kind they chose for the current start organisation."""
    ss = st.session_state
    ss[KIND_PICKED] = True
    if ss.get(W_MODE) == "organisation" and ss.get(W_ORG) and ss.get(W_KIND) in KINDS:
        ss.setdefault(KIND_CHOSEN, {})[ss[W_ORG]] = ss[W_KIND]


def inputs(
    query: PartnerQuery,
    index: pd.DataFrame,
    options: Mapping[str, list[str]],
    counts: Mapping[str, int],
    taxonomy: Taxonomy,
    lang: str,
) -> None:
    """Start (organisation or capabilities), kind of collaboration and candidate filters."""
    st.segmented_control(
        t("partners.mode", lang),
        options=list(MODES),
        key=W_MODE,
        required=True,
        format_func=keep_selection(W_MODE, lambda m: t(f"partners.mode.{m}", lang)),
    )
    if st.session_state[W_MODE] == "organisation":
        left, right = st.columns([2, 3])
        left.text_input(
            t("partners.find", lang),
            key=W_FIND,
            on_change=_on_find,
            placeholder=t("partners.find_placeholder", lang),
            help=t("partners.find_help", lang),
        )
        text = st.session_state.get(W_FIND) or ""
        current = st.session_state.get(W_ORG)
        # The list offers at most MAX_LISTED organisations (a 1M roster would send every name to
        # the browser on each run): the search's matches, else the first ones in name order.
        ids = list(index["id"].head(MAX_LISTED))
        if text.strip():
            found = q(find_organisations, text, FIND_LIMIT)
            ids = list(found["id"])  # best match first
            if not ids:
                left.caption(
                    t(
                        "partners.find_only_forms"
                        if only_corporate_forms(text)
                        else "partners.find_none",
                        lang,
                    )
                )
                # words that name no organisation often name a capability ("superconducting
                # magnet"): offer the other way to start, keeping what was typed in the box
                left.button(
                    t("partners.find_by_capability", lang),
                    key="pf_find_by_capability",
                    icon=":material/category:",
                    on_click=_to_capabilities,
                )
            elif len(ids) > 1 and current == ids[0] and found["match"].iloc[0] != "exact":
                # several matches and none equals the text: say which was chosen, and why
                left.caption(
                    t(
                        "partners.find_best",
                        lang,
                        n=format_number(len(ids), lang),
                        name=display_name(found["name_en"].iloc[0], found["name_ja"].iloc[0], lang),
                    )
                )
        if current and current not in ids and not (index["id"] == current).any():
            st.session_state[W_ORG] = current = None
        if current and current not in ids:
            ids = [current, *ids]
        rows = index[index["id"].isin(ids)]
        labels = {r.id: _org_label(r, lang) for r in rows.itertuples(index=False)}
        if len(index) > MAX_LISTED and not text.strip():
            left.caption(
                t(
                    "partners.find_to_list",
                    lang,
                    n=format_number(MAX_LISTED, lang),
                    total=format_number(len(index), lang),
                )
            )
        right.selectbox(
            t("partners.start", lang),
            options=ids,
            key=W_ORG,
            format_func=keep_selection(W_ORG, lambda i: labels.get(i, i)),
            placeholder=t("partners.start_placeholder", lang),
            on_change=_adapt_kind,
        )
    else:
        st.multiselect(
            t("partners.needs", lang),
            options=options.get("capability", []),
            key=W_NEEDS,
            format_func=keep_selection(W_NEEDS, lambda s: taxonomy.label(s, lang)),
            max_selections=MAX_NEEDS,
            placeholder=t("partners.needs_placeholder", lang),
            help=t("partners.needs_help", lang),
            # no "Select N matches" row: it comes first in the list, so Enter after typing
            # ("mat") added every fuzzy match at once; now Enter adds the closest match
            select_all=False,
        )
        _needs_from_text(taxonomy, lang)
    has_start = query.mode != "none"
    st.segmented_control(
        t("partners.kind", lang),
        options=list(KINDS),
        key=W_KIND,
        required=True,
        on_change=_on_kind,
        format_func=keep_selection(
            W_KIND,
            lambda k: (
                t(
                    "filters.option_count",
                    lang,
                    label=t(f"partners.kind.{k}", lang),
                    n=format_number(counts.get(k, 0), lang),
                )
                if has_start
                else t(f"partners.kind.{k}", lang)
            ),
        ),
    )
    _kind_changed_notice(index, lang)
    capability_mode = st.session_state.get(W_MODE) == "capabilities"
    help_key = (
        "partners.kind_help_needs.joint_research"
        if capability_mode and query.kind == "joint_research"
        else f"partners.kind_help.{query.kind}"
    )
    st.caption(t(help_key, lang))
    how_score(lang)
    f = query.filters
    active = bool(
        f.countries
        or f.org_types
        or f.memberships
        or f.min_confidence != "low"
        or query.known != "mix"
    )
    with (
        st.expander(t("partners.filters", lang), expanded=active, icon=":material/filter_alt:"),
        st.container(horizontal=True, wrap=True, gap="medium", key=FILTER_ROW),
    ):
        # a wrapping row of widgets of fixed widths, not five columns: at 1024 px with the
        # sidebar open five columns were 100 px each, the chips shrank to empty blobs and
        # the confidence control and "List first" were cut; now as many fit as the width
        # allows (five at 1920 px, two a row at 1024 px, one on a phone)
        st.multiselect(
            t("partners.country", lang),
            options=options.get("country", []),
            key=W_COUNTRY,
            format_func=keep_selection(W_COUNTRY, lambda c: country_label(c, lang)),
            placeholder=default_countries_text(query, index, lang),
            help=t("partners.country_help", lang),
            width=FILTER_WIDTH,
        )
        st.multiselect(
            t("filters.org_type", lang),
            options=options.get("org_type", []),
            key=W_TYPE,
            format_func=keep_selection(W_TYPE, lambda v: vocab_label("org_type", v, lang)),
            placeholder=t("filters.any", lang),
            width=FILTER_WIDTH,
        )
        st.multiselect(
            t("filters.membership", lang),
            options=options.get("membership", []),
            key=W_MEMBER,
            format_func=keep_selection(W_MEMBER, lambda v: vocab_label("membership", v, lang)),
            placeholder=t("filters.any", lang),
            width=FILTER_WIDTH,
        )
        st.segmented_control(
            t("partners.min_conf", lang),
            options=list(CONFIDENCE_ORDER),
            key=W_CONF,
            required=True,
            format_func=keep_selection(W_CONF, lambda c: t(f"partners.min_conf.{c}", lang)),
            width="content",
        )
        st.selectbox(
            t("partners.known_mode", lang),
            options=list(KNOWN_MODES),
            key=W_KNOWN,
            format_func=keep_selection(W_KNOWN, lambda m: t(f"partners.known_mode.{m}", lang)),
            width=FILTER_WIDTH,
        )


def how_score(lang: str) -> None:
    """ "How the score works": the score's terms and every kind's rule in the user's words
    (formulas and the rules' reasons are in docs/partner-finder.md)."""
    with st.expander(t("partners.how_score", lang), icon=":material/help:"):
        st.markdown(t("partners.weights_formula", lang))
        st.markdown(
            "\n".join(
                f"- **{t(f'partners.kind.{k}', lang)}** — {t(f'partners.kind_help.{k}', lang)}"
                for k in KINDS
            )
        )


def default_countries_text(query: PartnerQuery, index: pd.DataFrame, lang: str) -> str:
    """What an empty country filter searches, for its placeholder: the other country of the
    start (the UK for a Japanese start), or Japan and the UK when starting from capabilities
    or from an organisation in a third country."""
    country = None
    if query.start:
        match = index.loc[index["id"] == query.start, "country"]
        country = match.iloc[0] if len(match) else None
    targets = target_countries(country, replace(query.filters, countries=()))
    names = t("partners.countries_and", lang).join(country_in_text(c, lang) for c in targets)
    return t("partners.country_default", lang, countries=names)


def _reset_weights() -> None:
    for f in fields(Weights):
        st.session_state[W_WEIGHT + f.name] = float(getattr(DEFAULT_WEIGHTS, f.name))


def _typed(value: Any, lang: str) -> str:
    """A value typed into a weight, as the reader typed it (``99``, ``-1``, ``1.5``)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return shorten(value, 20)
    return format_number(number, lang) if math.isfinite(number) else shorten(value, 20)


def weights_sidebar(query: PartnerQuery, lang: str) -> None:
    """The score weights, adjustable, with the formula they enter."""
    sb = st.sidebar
    sb.header(t("partners.weights", lang))
    fixed = weights_fixed()
    for f in fields(Weights):
        low, high = WEIGHT_LIMITS[f.name]
        label = t(f"partners.weight.{f.name}", lang)
        sb.number_input(  # no bounds here: a value out of range is brought in and explained
            label,
            step=0.1,
            key=W_WEIGHT + f.name,
            help=t(f"partners.weight_help.{f.name}", lang),
            format="%.2f",
        )
        if f.name in fixed:
            typed, used = fixed[f.name]
            sb.warning(
                t_md(
                    "partners.weight_fixed",
                    lang,
                    label=label,
                    value=_typed(typed, lang),
                    low=format_number(low, lang),
                    high=format_number(high, lang),
                    used=format_number(used, lang),
                ),
                icon=":material/tune:",
            )
    sb.button(
        t("partners.weights_reset", lang),
        on_click=_reset_weights,
        icon=":material/restart_alt:",
        disabled=query.weights == DEFAULT_WEIGHTS,
        key="pf_weights_reset",
    )
