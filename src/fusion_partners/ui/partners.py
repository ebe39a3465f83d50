"""Widgets of the Partner finder page: query inputs, weights, results, pair view, shortlist.

State: every input is a widget keyed ``pf_*``. The URL is the shareable state: when the page
opens with parameters it did not write itself (a shared link, the profile page's "Find
partners" link), the widgets are seeded from it; when it opens with none, the last query of
the session is restored. The shortlist is kept in the workspace (:mod:`.workspace`): adding
to it saves it, and it is opened, noted, shared and exported on the Shortlists page. When
the workspace is unavailable, the shortlist lives in the session and the page says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

import pandas as pd
import streamlit as st

from fusion_partners import queries
from fusion_partners.explore.export import export_filename, to_csv_bytes, to_xlsx_bytes
from fusion_partners.i18n import format_date, format_number, t, t_md
from fusion_partners.i18n.countries import country_in_text, country_label
from fusion_partners.i18n.labels import (
    Taxonomy,
    display_name,
    display_names,
    list_field,
    text_or_empty,
    vocab_label,
)
from fusion_partners.i18n.markup import escape_markdown as _md
from fusion_partners.partners import model
from fusion_partners.partners import sql as qp
from fusion_partners.partners.model import (
    KINDS,
    URL_PARAMS,
    Context,
    PartnerFilters,
    PartnerQuery,
    Weights,
)
from fusion_partners.search.text import only_corporate_forms
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.common import rejected_notice, sync_url
from fusion_partners.ui.data import q
from fusion_partners.workspace import WorkspaceError

W_MODE, W_FIND, W_ORG, W_NEEDS, W_KIND = "pf_mode", "pf_find", "pf_org", "pf_needs", "pf_kind"
W_COUNTRY, W_TYPE, W_MEMBER, W_CONF = "pf_country", "pf_type", "pf_membership", "pf_min_conf"
W_KNOWN = "pf_known"
W_WEIGHT = "pf_w_"
PAIR, SHORTLIST, URL_SEEN, LAST, NOTICE = (
    "pf_with",
    "pf_shortlist",
    "pf_url",
    "pf_query",
    "pf_notices",
)
RESULTS, SHORTLIST_TABLE = "pf_results", "pf_shortlist_table"
SCORE_COLUMNS = model.SCORE_PARTS
KIND_CHOSEN = "pf_kind_chosen"  # {organisation id: kind the user chose for it}
MODES = ("organisation", "capabilities")
FIND_LIMIT = 50
MAX_LISTED = 500
"""Organisations the start list offers without a search (the rest are found by typing)."""
ADDS = (
    "pf_adds"  # how many times rows were added: part of the table key, so ticks clear after adding
)
ROW_HEIGHT = 52
"""Candidate rows are two lines high, so the reason wraps instead of running off the table."""


# --- state ---------------------------------------------------------------------------


def _url_now() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in URL_PARAMS if st.query_params.get_all(k)}


def _as_lists(params: Mapping[str, list[str] | str]) -> dict[str, list[str]]:
    return {k: [v] if isinstance(v, str) else list(v) for k, v in params.items() if v}


def _seed(query: PartnerQuery, pair_with: str) -> None:
    ss = st.session_state
    ss[W_MODE] = "capabilities" if query.mode == "capabilities" else "organisation"
    ss[W_ORG] = query.start or ss.get(W_ORG)
    ss[W_NEEDS] = list(query.needs)
    ss[W_KIND] = query.kind
    ss[W_COUNTRY] = list(query.filters.countries)
    ss[W_TYPE] = list(query.filters.org_types)
    ss[W_MEMBER] = list(query.filters.memberships)
    ss[W_CONF] = query.filters.min_confidence
    ss[W_KNOWN] = query.known
    for f in fields(Weights):
        ss[W_WEIGHT + f.name] = float(getattr(query.weights, f.name))
    ss[PAIR] = pair_with
    ss[W_FIND] = ""


def current_query(index: pd.DataFrame, options: Mapping[str, list[str]]) -> PartnerQuery:
    """The query of this run: seeded from the URL or the session, then read from the widgets.

    Values in a link that are not in the data are dropped and remembered for
    :func:`notices`. A link naming an organisation but no kind opens the kind that suits it
    (:func:`fusion_partners.partners.model.fitting_kind`).
    """
    ss = st.session_state
    url = _url_now()
    if url and url != ss.get(URL_SEEN):
        valid = {
            "org": set(index["id"]),
            "capability": options.get("capability", []),
            "country": options.get("country", []),
            "org_type": options.get("org_type", []),
            "membership": options.get("membership", []),
        }
        parsed = model.from_params(url, valid)
        query = parsed.query
        if query.start and "kind" not in url:
            org = q(queries.organisation, query.start)
            query = replace(
                query,
                kind=model.fitting_kind(
                    org["org_type"], list(org["capabilities"]), list_field(org, "roles")
                ),
            )
        if query.start and "kind" in url:
            ss.setdefault(KIND_CHOSEN, {})[query.start] = query.kind
        _seed(query, parsed.pair_with)
        ss[NOTICE] = (parsed, url)
    elif W_KIND not in ss:
        _seed(ss.get(LAST) or PartnerQuery(), "")
    mode = ss[W_MODE] if ss.get(W_MODE) in MODES else "organisation"
    weights = Weights(**{f.name: ss.get(W_WEIGHT + f.name, f.default) for f in fields(Weights)})
    query = PartnerQuery(
        start=(ss.get(W_ORG) or "") if mode == "organisation" else "",
        needs=tuple(ss.get(W_NEEDS) or ()) if mode == "capabilities" else (),
        kind=ss.get(W_KIND) or "supply_chain",
        filters=PartnerFilters(
            tuple(ss.get(W_COUNTRY) or ()),
            tuple(ss.get(W_TYPE) or ()),
            tuple(ss.get(W_MEMBER) or ()),
            ss.get(W_CONF) or "low",
        ),
        weights=weights,
        known=ss.get(W_KNOWN) or "mix",
    )
    previous = ss.get(LAST)
    ss[LAST] = query
    start_changed = previous is not None and previous.start != query.start
    if ss.get(PAIR) and (
        not query.start or ss[PAIR] == query.start or (start_changed and url == ss.get(URL_SEEN))
    ):
        ss[PAIR] = ""  # the pair view belongs to the start it was opened from
    return query


def write_url(query: PartnerQuery) -> None:
    """Make the URL reproduce ``query`` (and the pair view), remembering what was written."""
    params = model.to_params(query, st.session_state.get(PAIR, ""))
    st.session_state[URL_SEEN] = _as_lists(params)
    sync_url(params)


def notices(lang: str) -> list[str]:
    """Messages about link values that were not used as given — not in the data, a weight
    out of its range, or ignored — shown until the page rewrites the URL (the first
    interaction)."""
    parsed, url = st.session_state.get(NOTICE, (None, None))
    if parsed is None or url != _url_now():
        return []
    messages = [rejected_notice(parsed.rejected, lang)] if parsed.rejected else []
    return messages + model.link_notices(parsed, lang)


# --- inputs --------------------------------------------------------------------------


def _org_label(row: Any, lang: str) -> str:
    primary, secondary = display_names(row.name_en, row.name_ja, lang)
    extra = f" / {secondary}" if secondary else ""
    return f"{primary}{extra} — {country_label(row.country, lang)}"


def _adapt_kind() -> None:
    """After the start changed: the kind the user chose for this organisation before, else
    the kind that suits it (as a link without a kind does)."""
    ss = st.session_state
    org_id = ss.get(W_ORG)
    if not org_id:
        return
    chosen = ss.get(KIND_CHOSEN, {}).get(org_id)
    if chosen in KINDS:
        ss[W_KIND] = chosen
        return
    org = q(queries.organisation, org_id)
    if org is not None:
        ss[W_KIND] = model.fitting_kind(
            org["org_type"], list(org["capabilities"]), list_field(org, "roles")
        )


def _on_find() -> None:
    """A new search text selects its best-ranked match (and adapts the kind to it)."""
    text = st.session_state.get(W_FIND) or ""
    found = q(qp.find_organisations, text, FIND_LIMIT)
    if len(found) and found["id"].iloc[0] != st.session_state.get(W_ORG):
        st.session_state[W_ORG] = found["id"].iloc[0]
        _adapt_kind()
    elif not len(found) and text.strip():
        # nothing matches: do not leave the previous organisation's list on screen
        st.session_state[W_ORG] = None


def _on_kind() -> None:
    """Remember the kind the user chose for the current start organisation."""
    ss = st.session_state
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
        format_func=lambda m: t(f"partners.mode.{m}", lang),
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
            found = q(qp.find_organisations, text, FIND_LIMIT)
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
            format_func=lambda i: labels.get(i, i),
            placeholder=t("partners.start_placeholder", lang),
            on_change=_adapt_kind,
        )
    else:
        st.multiselect(
            t("partners.needs", lang),
            options=options.get("capability", []),
            key=W_NEEDS,
            format_func=lambda s: taxonomy.label(s, lang),
            max_selections=model.MAX_NEEDS,
            placeholder=t("partners.needs_placeholder", lang),
            help=t("partners.needs_help", lang),
        )
    has_start = query.mode != "none"
    st.segmented_control(
        t("partners.kind", lang),
        options=list(KINDS),
        key=W_KIND,
        required=True,
        on_change=_on_kind,
        format_func=lambda k: (
            t(
                "filters.option_count",
                lang,
                label=t(f"partners.kind.{k}", lang),
                n=format_number(counts.get(k, 0), lang),
            )
            if has_start
            else t(f"partners.kind.{k}", lang)
        ),
    )
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
    with st.expander(t("partners.filters", lang), expanded=active, icon=":material/filter_alt:"):
        c1, c2, c3, c4, c5 = st.columns(5)
        c1.multiselect(
            t("partners.country", lang),
            options=options.get("country", []),
            key=W_COUNTRY,
            format_func=lambda c: country_label(c, lang),
            placeholder=default_countries_text(query, index, lang),
            help=t("partners.country_help", lang),
        )
        c2.multiselect(
            t("filters.org_type", lang),
            options=options.get("org_type", []),
            key=W_TYPE,
            format_func=lambda v: vocab_label("org_type", v, lang),
            placeholder=t("filters.any", lang),
        )
        c3.multiselect(
            t("filters.membership", lang),
            options=options.get("membership", []),
            key=W_MEMBER,
            format_func=lambda v: vocab_label("membership", v, lang),
            placeholder=t("filters.any", lang),
        )
        c4.segmented_control(
            t("partners.min_conf", lang),
            options=list(model.CONFIDENCE_ORDER),
            key=W_CONF,
            required=True,
            format_func=lambda c: t(f"partners.min_conf.{c}", lang),
        )
        c5.selectbox(
            t("partners.known_mode", lang),
            options=list(model.KNOWN_MODES),
            key=W_KNOWN,
            format_func=lambda m: t(f"partners.known_mode.{m}", lang),
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
    targets = model.target_countries(country, replace(query.filters, countries=()))
    names = t("partners.countries_and", lang).join(country_in_text(c, lang) for c in targets)
    return t("partners.country_default", lang, countries=names)


def _reset_weights() -> None:
    for f in fields(Weights):
        st.session_state[W_WEIGHT + f.name] = float(getattr(model.DEFAULT_WEIGHTS, f.name))


def weights_sidebar(query: PartnerQuery, lang: str) -> None:
    """The score weights, adjustable, with the formula they enter."""
    sb = st.sidebar
    sb.header(t("partners.weights", lang))
    for f in fields(Weights):
        low, high = model.WEIGHT_LIMITS[f.name]
        sb.number_input(
            t(f"partners.weight.{f.name}", lang),
            min_value=low,
            max_value=high,
            step=0.1,
            key=W_WEIGHT + f.name,
            help=t(f"partners.weight_help.{f.name}", lang),
            format="%.2f",
        )
    sb.button(
        t("partners.weights_reset", lang),
        on_click=_reset_weights,
        icon=":material/restart_alt:",
        disabled=query.weights == model.DEFAULT_WEIGHTS,
        key="pf_weights_reset",
    )


# --- results -------------------------------------------------------------------------


def context(start: Mapping[str, Any] | None, taxonomy: Taxonomy, lang: str) -> Context:
    """Reason context: start name, rarity counts and total from the database."""
    stats = q(qp.capability_stats)
    return Context(
        taxonomy,
        lang,
        model.reason_name(start["name_en"], start["name_ja"], start.get("aliases"), lang)
        if start
        else "",
        dict(zip(stats["slug"], (int(n) for n in stats["n_orgs"]), strict=True)),
        q(queries.total_organisations),
    )


def results(
    rows: pd.DataFrame,
    query: PartnerQuery,
    start: Mapping[str, Any] | None,
    ctx: Context,
    data_version: str = "",
) -> None:
    """The ranked table, with actions on the selected rows (shortlist, pair view).

    The table is keyed by the query (and ``data_version``, the database's build time): row
    ticks belong to the list they were made in and are cleared when the start, needs, kind,
    candidate filters or weights change, so a tick can never move to another organisation.
    """
    lang = ctx.lang
    shown = model.suggestion_frame(rows, ctx)
    config = {
        "id": None,
        "rank": st.column_config.NumberColumn(t("partners.col.rank", lang), width=44, pinned=True),
        "name": st.column_config.TextColumn(
            t("partners.col.candidate", lang), width=190, pinned=True
        ),
        "country": st.column_config.TextColumn(t("column.country", lang), width=80),
        "org_type": st.column_config.TextColumn(t("column.org_type", lang), width="small"),
        "score": st.column_config.NumberColumn(
            t("partners.col.score", lang),
            format=model.SCORE_FORMAT,
            width="small",
            help=t("partners.weights_formula", lang),
        ),
        "reason": st.column_config.TextColumn(t("partners.col.reason", lang), width=420),
        "rule": st.column_config.TextColumn(t("partners.col.rule", lang), width="medium"),
        "match_points": st.column_config.NumberColumn(
            t("partners.col.match_points", lang), format=model.SCORE_FORMAT, width="small"
        ),
        "confidence_points": st.column_config.NumberColumn(
            t("partners.col.confidence_points", lang), format=model.SCORE_FORMAT, width="small"
        ),
        "membership_points": st.column_config.NumberColumn(
            t("partners.col.membership_points", lang), format=model.SCORE_FORMAT, width="small"
        ),
        "link_points": st.column_config.NumberColumn(
            t("partners.col.link_points", lang), format=model.SCORE_FORMAT, width="small"
        ),
        "network_points": st.column_config.NumberColumn(
            t("partners.col.network_points", lang), format=model.SCORE_FORMAT, width="small"
        ),
        "tie": st.column_config.TextColumn(
            t("partners.col.tied", lang), width=40, help=t("partners.tied_note", lang)
        ),
        "known": st.column_config.TextColumn(t("partners.col.known", lang), width="medium"),
        "capabilities": st.column_config.ListColumn(t("column.capabilities", lang), width="medium"),
        "profile": st.column_config.LinkColumn(
            t("column.profile", lang), display_text=t("explore.open_profile", lang), width="small"
        ),
    }
    event = st.dataframe(
        shown,
        column_config=config,
        hide_index=True,
        on_select="rerun",
        selection_mode="multi-row",
        key=f"{RESULTS}_{model.query_key(query, data_version)}_{st.session_state.get(ADDS, 0)}",
        width="stretch",
        height=min(ROW_HEIGHT * len(shown) + 40, 620),
        row_height=ROW_HEIGHT,
        column_order=[
            "rank",
            "tie",
            "name",
            "country",
            "reason",
            "score",
            "known",
            "match_points",
            "link_points",
            "network_points",
            "confidence_points",
            "membership_points",
            "rule",
            "org_type",
            "capabilities",
            "profile",
        ],
    )
    picked = [shown.iloc[i]["id"] for i in _ticked(event, len(shown))]
    # buttons as wide as their labels, wrapping on narrow screens (fixed columns cut them)
    actions = st.container(horizontal=True, vertical_alignment="center")
    if actions.button(
        t("partners.add", lang, n=len(picked)),
        disabled=not picked,
        icon=":material/playlist_add:",
        key="pf_add",
        width="content",
    ):
        try:
            added, updated = add_to_shortlist(rows[rows["id"].isin(picked)], query, start)
        except WorkspaceError as exc:
            st.error(wsui.error_text(exc, lang), icon=":material/error:")
        else:
            st.toast(
                t("partners.added", lang, n=added)
                if not updated
                else t("partners.added_updated", lang, n=added, updated=updated)
            )
            st.session_state[ADDS] = (
                st.session_state.get(ADDS, 0) + 1
            )  # a new table key: ticks cleared
            st.rerun()
    pair_ok = bool(query.start) and len(picked) == 1
    if actions.button(
        t("partners.compare", lang),
        disabled=not pair_ok,
        icon=":material/compare_arrows:",
        key="pf_compare",
        width="content",
        help=t("partners.compare_help", lang),
    ):
        st.session_state[PAIR] = picked[0]
        st.rerun()
    st.caption(t("partners.table_hint", lang))
    if (shown["tie"] == "=").any():
        st.caption(t("partners.tied_note", lang))


def _ticked(event: Any, n_rows: int) -> list[int]:
    """Row positions ticked in a table event (positions outside the table are ignored)."""
    rows = event.selection.rows if event and event.selection else []
    return [i for i in rows if 0 <= i < n_rows]


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
        entry = model.shortlist_entry(row, query, start)
        items.append((model.shortlist_key(entry), entry))
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


def empty_state(query: PartnerQuery, start: Mapping[str, Any] | None, ctx: Context) -> None:
    """Why there is no suggestion, and which single change would bring some back."""
    lang = ctx.lang
    if query.mode == "none":
        needs_mode = st.session_state.get(W_MODE) == "capabilities"
        st.info(
            t("partners.choose_needs" if needs_mode else "partners.choose_start", lang),
            icon=":material/touch_app:",
        )
        return
    reasons: list[str] = []
    if start is not None:
        roles = q(qp.start_roles, query.start)
        if not roles.get(query.kind, True):
            caps = t("partners.list_sep", lang).join(
                model.cap_phrase(c, ctx.taxonomy, lang) for c in start["capabilities"]
            )
            reasons.append(
                t_md(
                    f"partners.why.{query.kind}",
                    lang,
                    start=ctx.start_name,
                    caps=caps,
                    start_poss=model.possessive(ctx.start_name, lang),
                )
            )
    else:
        reasons.append(t("partners.why.needs", lang))
    if not reasons:
        country = start["country"] if start is not None else None
        targets = model.target_countries(country, query.filters)
        reasons.append(
            t(
                "partners.why.filters",
                lang,
                countries=t("filters.or", lang).join(country_in_text(c, lang) for c in targets),
            )
        )
    st.info("\n\n".join(reasons), icon=":material/search_off:")
    tips = []
    for what, n in q(qp.relaxations, query):
        if what.startswith("kind:"):
            tips.append(
                t(
                    "partners.relax.kind",
                    lang,
                    kind=t(f"partners.kind.{what[5:]}", lang),
                    n=format_number(n, lang),
                )
            )
        else:
            tips.append(t(f"partners.relax.{what}", lang, n=format_number(n, lang)))
    for tip in tips:
        st.markdown(f"- {tip}")
    if not tips:
        st.markdown(t("partners.relax.none", lang))


# --- pair view -----------------------------------------------------------------------


def pair_view(a: Mapping[str, Any], b: Mapping[str, Any], ctx: Context) -> None:
    """Two organisations side by side: how the partner model links them in each kind, the
    offers of one that meet the needs of the other, their documented collaborations,
    facets and sources."""
    lang, tax = ctx.lang, ctx.taxonomy
    name_a = display_name(a["name_en"], a["name_ja"], lang)
    name_b = display_name(b["name_en"], b["name_ja"], lang)
    head, close = st.columns([5, 1], vertical_alignment="center")
    head.subheader(t("partners.pair_title", lang, a=name_a, b=name_b), anchor=False)
    if close.button(
        t("partners.pair_close", lang),
        icon=":material/close:",
        key="pf_pair_close",
        width="stretch",
    ):
        st.session_state[PAIR] = ""
        st.rerun()
    kinds = q(qp.pair_kinds, a["id"], b["id"])
    st.markdown(f"**{t('partners.pair_complementary', lang)}**")
    if kinds.empty:
        st.caption(t("partners.pair_none_rules", lang))
    short_a = model.short_name(name_a)
    for r in kinds.itertuples(index=False):
        text = ctx.reason(r.matches, short_a, full=True)
        st.markdown(f"- **{_md(t(f'partners.kind.{r.kind}', lang))}** — {_md(text)}")
    sep = t("partners.list_sep", lang)
    meets = []
    for x, y, nx, ny in ((a, b, name_a, name_b), (b, a, name_b, name_a)):
        both = [leaf for leaf in list_field(x, "offers") if leaf in set(list_field(y, "needs"))]
        if both:
            meets.append(
                t(
                    "partners.pair_complementary_offers",
                    lang,
                    a=nx,
                    b=ny,
                    caps=sep.join(model.cap_phrase(leaf, tax, lang) for leaf in both),
                )
            )
    shared = [leaf for leaf in list_field(a, "offers") if leaf in set(list_field(b, "offers"))]
    st.markdown(f"**{t('partners.pair_offers_needs', lang)}**")
    if not shared and not meets:
        st.caption(t("partners.pair_none_shared", lang))
    for line in meets:
        st.markdown(f"- {_md(line)}")
    if shared:
        st.markdown(
            "- "
            + _md(
                t(
                    "partners.reason.joint_research.shared_topic",
                    lang,
                    start=short_a,
                    caps=sep.join(model.cap_phrase(leaf, tax, lang) for leaf in shared),
                )
            )
        )
    links = q(queries.organisation_links, a["id"])
    links = links[links["partner"] == b["id"]]
    for link in links.itertuples(index=False):
        url = list(link.source_urls)[0] if len(link.source_urls) else ""
        year = (
            ""
            if link.year is None or pd.isna(link.year)
            else t("profile.membership_date", lang, date=int(link.year))
        )
        st.markdown(
            "- "
            + t(
                "partners.pair_known",
                lang,
                what=_md(link.what),
                relation=vocab_label("relation", link.relation, lang),
                year=year,
                host=_md(url.split("/")[2] if "//" in url else url),
                url=url,
            )
        )
    left, right = st.columns(2)
    for col, org in ((left, a), (right, b)):
        with col.container(border=True):
            _pair_card(org, set(shared), ctx)


def _pair_card(org: Mapping[str, Any], shared: set[str], ctx: Context) -> None:
    lang, tax = ctx.lang, ctx.taxonomy
    primary, secondary = display_names(org["name_en"], org["name_ja"], lang)
    st.markdown(f"#### {_md(primary)}")
    if secondary:
        st.caption(_md(secondary))
    st.markdown(
        f"{country_label(org['country'], lang)} · {vocab_label('org_type', org['org_type'], lang)} · "
        + t(
            "partners.pair.confidence",
            lang,
            value=vocab_label("confidence", org["confidence"], lang),
        )
    )
    st.page_link(
        "pages/profile.py",
        label=t("explore.open_profile", lang),
        icon=":material/apartment:",
        query_params={"org": org["id"], "lang": lang},
    )
    for key, values in (
        ("profile.offers", list_field(org, "offers")),
        ("profile.needs", list_field(org, "needs")),
    ):
        if values:
            badges = " ".join(
                f":{'green' if s in shared else 'violet'}-badge[{_md(tax.label(s, lang))}]"
                for s in values
            )
            st.markdown(f"**{t(key, lang)}** {badges}")
    sources = q(queries.organisation_sources, org["id"])
    st.markdown(f"**{t('profile.sources', lang, n=len(sources))}**")
    date = format_date(text_or_empty(org.get("source_date")), lang)
    if date:
        st.caption(t("profile.sources_date", lang, date=date))
    st.markdown(
        "\n".join(
            f"{r.position}. [{_md(r.host)}]({r.url})" for r in sources.itertuples(index=False)
        )
    )


# --- shortlist -----------------------------------------------------------------------


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
            label=t("shortlists.open_link", lang, name=opened.shortlist["name"]),
            icon=":material/bookmarks:",
            query_params={"list": opened.token, "lang": lang},
        )
    if not entries:
        st.caption(t("partners.shortlist_empty", lang))
        return
    keys = list(entries)
    frame = model.shortlist_frame([entries[k] for k in keys], ctx)
    heads = {c: t(f"partners.col.{c}", lang) for c in model.SHORTLIST_COLUMNS}
    if model.mixed_weights([entries[k] for k in keys]):
        st.warning(t("partners.mixed_weights", lang), icon=":material/balance:")
    event = st.dataframe(
        frame,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="multi-row",
        key=f"{SHORTLIST_TABLE}_{model.rows_key(keys)}",  # ticks belong to these rows
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
            c: st.column_config.NumberColumn(h, format=model.SCORE_FORMAT)
            if c in SCORE_COLUMNS
            else st.column_config.Column(h)
            for c, h in heads.items()
        },
    )
    picked = [keys[i] for i in _ticked(event, len(keys))]
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
    export = model.shortlist_frame(entries, ctx, headers=True)
    name = export_filename("fusion-partner-shortlist", label, dt.date.today().isoformat(), "csv")
    about = model.shortlist_about(len(export), meta.get("data_as_of", ""), lang)
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
