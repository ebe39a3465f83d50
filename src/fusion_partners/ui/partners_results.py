"""Results of the Partner finder page: the ranked table with its actions (add to the
shortlist, compare a pair), and why a question has no suggestion."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from fusion_partners import queries
from fusion_partners.data.partner_rules import PLACE_TIED_LEAVES
from fusion_partners.i18n import format_number, t, t_md, tn, tn_md
from fusion_partners.i18n.countries import country_in_text
from fusion_partners.i18n.labels import Taxonomy, list_field
from fusion_partners.partners import sql as qp
from fusion_partners.partners.query import SCORE_FORMAT, PartnerQuery, target_countries
from fusion_partners.partners.reasons import cap_phrase, possessive, reason_name
from fusion_partners.partners.table import SCORE_PARTS, Context, suggestion_frame
from fusion_partners.partners.url import query_key
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.data import q
from fusion_partners.ui.partners_shortlist import add_to_shortlist
from fusion_partners.ui.partners_state import (
    KIND_CHOSEN,
    KIND_PICKED,
    PAIR,
    W_CONF,
    W_COUNTRY,
    W_KIND,
    W_KNOWN,
    W_MEMBER,
    W_MODE,
    W_TYPE,
    ticked,
)
from fusion_partners.workspace import WorkspaceError

RESULTS = "pf_results"
ADDS = (
    "pf_adds"  # how many times rows were added: part of the table key, so ticks clear after adding
)
ROW_HEIGHT = 68
"""Candidate rows are three lines high, so the reason wraps instead of running off the table
(the grid wraps text only in rows taller than 4rem, 64 px: at 52 every reason was cut)."""


LINK_POINTS_WIDTH = 128
"""Wide enough for the whole header, 「連携実績（点）」 / "Known-link points": cut to
"small" it read 「連携実績（」, next to 「連携の実績」 (the documented collaborations)."""

NAME_WIDTH = 150
REASON_WIDTH = 320
"""The pinned columns (the tick box, rank and name) stay on screen while the rest scrolls, so
they and the reason right after them must fit the table together: at 1024 px with the sidebar
open the table is about 560 px wide, and 33 + 44 + 150 + 320 = 547 px. With a 190 px name and
a 420 px reason after the country, only the first 160 px of the reason showed there; on a
phone the reason cannot fit beside the pinned columns at all, which is why the reasons of the
first or ticked rows are also written out below the table (:func:`why_list`)."""

PLACE_TIED_KINDS = ("demonstration", "supply_chain")
"""Kinds in which a place-tied offer (``PLACE_TIED_LEAVES``) is met only in the start's country."""

WHY_TOP = 3
"""How many rows' reasons are written below the table when no row is ticked."""

COLUMN_ORDER: tuple[str, ...] = (
    "rank",
    "name",
    "reason",
    *SCORE_PARTS,
    "tie",
    "ahead",
    "known",
    "country",
    "org_type",
    "rule",
    "capabilities",
    "profile",
)
"""The results table's columns, left to right: the reason right after the (pinned) name, then
the score with all its parts in one group, so they can be seen to add up to it, then how the
row ranks against the others (tied, or why it is above the next row at the same score)."""


def context(start: Mapping[str, Any] | None, taxonomy: Taxonomy, lang: str) -> Context:
    """Reason context: start name, rarity counts and total from the database."""
    stats = q(qp.capability_stats)
    return Context(
        taxonomy,
        lang,
        reason_name(start["name_en"], start["name_ja"], start.get("aliases"), lang)
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
    shown = suggestion_frame(rows, ctx, known_first=query.known == "first")
    config = {
        "id": None,
        "rank": st.column_config.NumberColumn(
            t("partners.col.rank", lang), width=44, pinned=True, help=t("partners.rank_help", lang)
        ),
        "name": st.column_config.TextColumn(
            t("partners.col.candidate", lang), width=NAME_WIDTH, pinned=True
        ),
        "country": st.column_config.TextColumn(t("column.country", lang), width=80),
        "org_type": st.column_config.TextColumn(t("column.org_type", lang), width="small"),
        "score": st.column_config.NumberColumn(
            t("partners.col.score", lang),
            format=SCORE_FORMAT,
            width="small",
            help=t("partners.weights_formula", lang)
            + "\n\n"
            + t("partners.score_parts_note", lang),
        ),
        "reason": st.column_config.TextColumn(t("partners.col.reason", lang), width=REASON_WIDTH),
        "rule": st.column_config.TextColumn(t("partners.col.rule", lang), width="medium"),
        "match_points": st.column_config.NumberColumn(
            t("partners.col.match_points", lang), format=SCORE_FORMAT, width="small"
        ),
        "confidence_points": st.column_config.NumberColumn(
            t("partners.col.confidence_points", lang), format=SCORE_FORMAT, width="small"
        ),
        "membership_points": st.column_config.NumberColumn(
            t("partners.col.membership_points", lang), format=SCORE_FORMAT, width="small"
        ),
        "link_points": st.column_config.NumberColumn(
            t("partners.col.link_points", lang),
            format=SCORE_FORMAT,
            width=LINK_POINTS_WIDTH,
        ),
        "network_points": st.column_config.NumberColumn(
            t("partners.col.network_points", lang), format=SCORE_FORMAT, width="small"
        ),
        "shared_points": st.column_config.NumberColumn(
            t("partners.col.shared_points", lang), format=SCORE_FORMAT, width="small"
        ),
        "mutual_points": st.column_config.NumberColumn(
            t("partners.col.mutual_points", lang), format=SCORE_FORMAT, width="small"
        ),
        "tie": st.column_config.TextColumn(
            t("partners.col.tied", lang),
            width=56,  # 「同順位」 fits; at 40 it read 「同順(」
            help=t("partners.tied_note", lang),
        ),
        "ahead": st.column_config.TextColumn(
            t("partners.col.ahead", lang), width="medium", help=t("partners.rank_help", lang)
        ),
        "known": st.column_config.TextColumn(t("partners.col.known", lang), width="medium"),
        # one text, not a list: the grid's list cells turn the commas inside a label into
        # spaces when copied or downloaded ("(tokamak  stellarator  helical)")
        "capabilities": st.column_config.TextColumn(t("column.capabilities", lang), width="medium"),
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
        key=f"{RESULTS}_{query_key(query, data_version)}_{st.session_state.get(ADDS, 0)}",
        width="stretch",
        height=min(ROW_HEIGHT * len(shown) + 40, 620),
        row_height=ROW_HEIGHT,
        column_order=COLUMN_ORDER,
    )
    positions = ticked(event, len(shown))
    picked = [shown.iloc[i]["id"] for i in positions]
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
    if (shown["ahead"] != "").any():
        st.caption(t("partners.ahead_note", lang))
    st.markdown(why_list(shown, positions, lang))


def why_list(shown: pd.DataFrame, positions: list[int], lang: str) -> str:
    """The reasons of the ticked rows (``positions`` in ``shown``, a
    :func:`~fusion_partners.partners.table.suggestion_frame`), or of the first
    :data:`WHY_TOP` when none is ticked, as Markdown: a heading line, then one item per row
    with its rank (``=3`` when tied), name, score, the cell's reason uncut and, when it shows
    the same score as the next row but ranks above it, why. The table's cells cut a long
    reason after three lines, and on a phone the reason column hardly fits beside the pinned
    ones."""
    rows = sorted(set(positions)) if positions else list(range(min(WHY_TOP, len(shown))))
    head = (
        t("partners.why_ticked", lang)
        if positions
        else tn("partners.why_top", len(rows), lang, n=format_number(len(rows), lang))
    )
    items = []
    for i in rows:
        row = shown.iloc[i]
        item = t_md(
            "partners.why_item",
            lang,
            rank=f"{row['tie']}{row['rank']}",
            name=row["name"],
            score=SCORE_FORMAT % row["score"],
            reason=row["reason"],
        )
        if row["ahead"]:  # a line of its own in the item
            item += "  \n  " + t_md("partners.why_ahead", lang, ahead=row["ahead"])
        items.append(f"- {item}")
    return "\n".join([head, "", *items])


def _user_filters(query: PartnerQuery) -> bool:
    """Whether the user narrowed the candidates (a country, type, membership, confidence or
    hidden known partners); without, only the default country (the other one) applies."""
    f = query.filters
    return bool(f.countries or f.org_types or f.memberships or f.min_confidence != "low") or (
        query.known == "hide"
    )


def _countries_text(countries: Any, lang: str, joiner: str = "partners.countries_and") -> str:
    return t(joiner, lang).join(country_in_text(c, lang) for c in countries)


def _place_tied(start: Mapping[str, Any], kind: str, countries: Mapping[str, int]) -> bool:
    """Whether the start's candidates of ``kind`` are all in its own country because what it
    offers is tied to a place (a site, licensing, grid, building, power or plant operation
    come from the plant's country: ``PLACE_TIED_LEAVES``)."""
    offers = set(list_field(start, "offers"))
    return (
        kind in PLACE_TIED_KINDS
        and bool(offers & set(PLACE_TIED_LEAVES))
        and set(countries) == {start["country"]}
    )


def _relax(what: str, countries: tuple[str, ...], start: str) -> None:
    """Apply one loosening of an empty query (a button of :func:`empty_state`)."""
    ss = st.session_state
    if what == "country":
        ss[W_COUNTRY] = list(countries)
    elif what == "org_type":
        ss[W_TYPE] = []
    elif what == "membership":
        ss[W_MEMBER] = []
    elif what == "min_confidence":
        ss[W_CONF] = "low"
    elif what == "known":
        ss[W_KNOWN] = "mix"
    elif what.startswith("kind:"):
        ss[W_KIND] = what[5:]
        ss[KIND_PICKED] = True  # as if picked in the kinds: a new start keeps it if it can
        if start:
            ss.setdefault(KIND_CHOSEN, {})[start] = what[5:]


def empty_state(query: PartnerQuery, start: Mapping[str, Any] | None, ctx: Context) -> None:
    """Why there is no suggestion, and a button for each single change that would give some
    (every country where the candidates are, another kind, a filter dropped)."""
    lang = ctx.lang
    if query.mode == "none":
        needs_mode = st.session_state.get(W_MODE) == "capabilities"
        st.info(
            t("partners.choose_needs" if needs_mode else "partners.choose_start", lang),
            icon=":material/touch_app:",
        )
        return
    country = start["country"] if start is not None else None
    targets = target_countries(country, query.filters)
    where = q(qp.candidate_countries, query)  # where the candidates are, every country searched
    reasons: list[str] = []
    if start is not None:
        roles = q(qp.start_roles, query.start)
        if not roles.get(query.kind, True):
            caps = t("partners.list_sep", lang).join(
                cap_phrase(c, ctx.taxonomy, lang) for c in start["capabilities"]
            )
            reasons.append(
                t_md(
                    f"partners.why.{query.kind}",
                    lang,
                    start=ctx.start_name,
                    caps=caps,
                    start_poss=possessive(ctx.start_name, lang),
                )
            )
    else:
        reasons.append(t("partners.why.needs", lang))
    if not reasons and where and not _user_filters(query):
        # no filter of the user's: the default country (the other one) is the reason
        reasons.append(
            tn_md(
                "partners.why.default_country",
                sum(where.values()),
                lang,
                start=ctx.start_name,
                kind=t(f"partners.kind.{query.kind}", lang),
                countries=_countries_text(targets, lang),
                found=_countries_text(where, lang),
                n=format_number(sum(where.values()), lang),
            )
        )
        if start is not None and _place_tied(start, query.kind, where):
            reasons.append(
                t_md(
                    f"partners.why.place_tied.{query.kind}",
                    lang,
                    start_poss=possessive(ctx.start_name, lang),
                )
            )
    if not reasons:
        reasons.append(
            t(
                "partners.why.filters",
                lang,
                countries=_countries_text(targets, lang, "filters.or"),
            )
        )
    st.info("\n\n".join(reasons), icon=":material/search_off:")
    relaxations = q(qp.relaxations, query)
    if not relaxations:
        st.markdown(t("partners.relax.none", lang))
        return
    st.markdown(tn("partners.relax.intro", len(relaxations), lang))
    row = st.container(horizontal=True, gap="small")  # buttons as wide as their labels
    found = tuple(where)
    for what, n in relaxations:
        if what.startswith("kind:"):
            label = t(f"partners.kind.{what[5:]}", lang)
        elif what == "country":
            label = t("partners.relax.country", lang, countries=_countries_text(found, lang))
        else:
            label = t(f"partners.relax.{what}", lang)
        row.button(
            t("filters.option_count", lang, label=label, n=format_number(n, lang)),
            key=f"pf_relax_{what}",
            on_click=_relax,
            args=(what, found, query.start),
            icon=":material/"
            + ("swap_horiz" if what.startswith("kind:") else "filter_alt_off")
            + ":",
        )
