"""Widgets of the organisation profile page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import streamlit as st

from fusion_partners import queries
from fusion_partners.explore.filters import Filters
from fusion_partners.explore.tables import membership_text
from fusion_partners.i18n import format_date, format_number, has, t, tn_md
from fusion_partners.i18n.countries import country_badge, country_in_text, country_label
from fusion_partners.i18n.labels import (
    Taxonomy,
    display_name,
    display_names,
    list_field,
    profile_link,
    text_or_empty,
    vocab_label,
)
from fusion_partners.i18n.markup import escape_markdown as _md
from fusion_partners.i18n.markup import one_full_stop
from fusion_partners.partners import sql as partner_sql
from fusion_partners.partners.query import PartnerFilters, fitting_kind, target_countries
from fusion_partners.queries import profile as profile_queries
from fusion_partners.ui.common import keep_selection
from fusion_partners.ui.data import q
from fusion_partners.ui.filters import search_length_note

PICK_RESULTS = 20
PICK_LISTED = 500
"""Organisations the list offers without a search; the rest are found by typing."""


def picker(index: pd.DataFrame, lang: str) -> str | None:
    """Find an organisation: the app's own search (widths, kana, romaji, company forms) with
    links to the best matches, or a list of every organisation. Returns a chosen id or None."""
    st.title(t("profile.pick_title", lang))
    text = st.text_input(
        t("profile.find", lang),
        key="profile_find",
        placeholder=t("profile.pick_placeholder", lang),
    )  # no max_chars: Streamlit drops a longer paste whole; the search cuts it and says so
    too_long = search_length_note(text, lang)
    if too_long:
        st.caption(too_long)
    if text.strip():
        found = q(queries.organisation_table, Filters(query=text), limit=PICK_RESULTS, lang=lang)
        if found.empty:
            st.info(t("profile.find_none", lang), icon=":material/search_off:")
        for r in found.itertuples(index=False):
            primary, secondary = display_names(r.name_en, r.name_ja, lang)
            label = f"{primary} / {secondary}" if secondary else primary
            st.page_link(
                "pages/profile.py",
                label=f"{_md(label, single_line=True)} — {country_badge(r.country, lang)}",
                icon=":material/apartment:",
                query_params={"org": r.id, "lang": lang},
            )
        return None
    labels = {}
    if len(index) > PICK_LISTED:  # a 1M roster would send every name to the browser
        st.caption(
            t(
                "partners.find_to_list",
                lang,
                n=format_number(PICK_LISTED, lang),
                total=format_number(len(index), lang),
            )
        )
    for r in index.head(PICK_LISTED).itertuples(index=False):
        primary, secondary = display_names(r.name_en, r.name_ja, lang)
        names = f"{primary} / {secondary}" if secondary else primary  # type either name to find it
        labels[r.id] = f"{names} — {country_label(r.country, lang)}"
    return st.selectbox(
        t("profile.pick", lang),
        options=list(labels),
        index=None,
        format_func=keep_selection("profile_pick", lambda i: labels.get(i, i)),
        placeholder=t("profile.pick_placeholder", lang),
        key="profile_pick",
    )


def roster_label(roster: str, lang: str) -> str:
    """A readable name for a roster id: the shipped research rosters by name, imports by file."""
    key = f"roster.{roster}"
    return t(key, lang) if has(key, lang) else t("roster.import", lang, name=roster)


def tab_title(org: Mapping[str, Any], lang: str) -> str:
    """Browser tab title for a profile: the organisation's name and the app's."""
    return f"{display_name(org['name_en'], org['name_ja'], lang)} · {t('app.title', lang)}"


def header(org: Mapping[str, Any], lang: str) -> None:
    primary, secondary = display_names(org["name_en"], org["name_ja"], lang)
    st.title(_md(primary), anchor=False)
    if secondary:
        st.subheader(_md(secondary), anchor=False)
    aliases = list_field(org, "aliases")
    if aliases:
        st.caption(
            _md(t("profile.aliases", lang, names=t("partners.list_sep", lang).join(aliases)))
        )
    description = text_or_empty(org.get("description_en"))
    description_ja = text_or_empty(org.get("description_ja"))
    if lang == "ja" and description_ja:
        st.markdown(_md(description_ja))
    elif description:
        st.markdown(_md(description))
        if lang == "ja":
            st.caption(t("profile.description_japanese_missing", lang))
    successor(org, lang)


def successor(org: Mapping[str, Any], lang: str) -> None:
    """For a business sold on (``successor`` set), who it belongs to now, with a link: the
    partner finder offers the successor, not this record kept for its history."""
    sid = text_or_empty(org.get("successor"))
    if not sid:
        return
    buyer = q(profile_queries.organisation, sid)
    name = display_name(buyer["name_en"], buyer["name_ja"], lang) if buyer is not None else sid
    st.info(_md(t("profile.successor", lang, name=name)), icon=":material/swap_horiz:")
    st.page_link(
        "pages/profile.py",
        label=t("profile.successor_link", lang, name=name),
        icon=":material/arrow_forward:",
        query_params={"org": sid, "lang": lang},
    )


def partner_link(org: Mapping[str, Any], lang: str) -> None:
    """Link to the Partner finder with this organisation as the start, opening a view that has
    candidates (:func:`fusion_partners.partners.sql.opening_view`): the kind that suits it in
    the other country, else another kind there, else the countries where its candidates are
    (a prefecture hosting a site: a plant's site is in its own country). When the link opens
    something else than the kind that suits it in the other country, or no view has a
    candidate, a caption under it says so."""
    kind = fitting_kind(org["org_type"], list(org["capabilities"]), list_field(org, "roles"))
    view = q(partner_sql.opening_view, org["id"], kind)
    params: dict[str, str | list[str]] = {"org": org["id"], "kind": view.kind}
    if view.countries:
        params["country"] = list(view.countries)
    params["lang"] = lang
    st.page_link(
        "pages/partners.py",
        label=t("partners.find_for_org", lang),
        icon=":material/handshake:",
        query_params=params,
    )
    if view.why == "suits":
        return
    name = display_name(org["name_en"], org["name_ja"], lang)
    others = t("partners.countries_and", lang).join(
        country_in_text(c, lang) for c in target_countries(org["country"], PartnerFilters())
    )
    st.caption(
        one_full_stop(
            tn_md(
                f"partners.find_for_org.{view.why}",
                view.n,
                lang,
                name=name,
                kind=t(f"partners.kind.{view.kind}", lang),
                suits=t(f"partners.kind.{kind}", lang),
                others=others,
                found=t("partners.countries_and", lang).join(
                    country_in_text(c, lang) for c in view.countries
                ),
                n=format_number(view.n, lang),
            )
        )
    )


def facts(org: Mapping[str, Any], lang: str) -> None:
    """Every stored field in a two-column list."""
    website = text_or_empty(org.get("website"))
    rosters = org.get("rosters")
    rosters = (
        ", ".join(roster_label(r, lang) for r in rosters)
        if rosters is not None and len(rosters)
        else ""
    )
    rows = [
        ("column.country", country_badge(org["country"], lang)),
        (
            "column.place",
            text_or_empty(org.get("prefecture_or_city")) or t("profile.not_recorded", lang),
        ),
        ("column.org_type", vocab_label("org_type", org["org_type"], lang)),
        (
            "column.membership",
            membership_text(org["membership"], org.get("membership_class"), lang),
        ),
        (
            "column.website",
            f"[{_md(website)}]({website})" if website else t("profile.not_recorded", lang),
        ),
        ("column.confidence", vocab_label("confidence", org["confidence"], lang)),
        (
            "column.source_date",
            format_date(text_or_empty(org.get("source_date")), lang)
            or t("profile.not_recorded", lang),
        ),
        ("profile.rosters", _md(rosters) or t("profile.not_recorded", lang)),
        ("profile.id", f"`{org['id']}`"),
    ]
    left, right = st.columns(2)
    for i, (key, value) in enumerate(rows):
        (left if i % 2 == 0 else right).markdown(
            t("profile.fact", lang, label=t(key, lang), value=value)
        )
    if org["membership"] == "other":
        st.caption(t("profile.membership_note", lang))
    evidence = text_or_empty(org.get("evidence"))
    st.markdown(f"#### {t('profile.evidence', lang)}")
    st.markdown(_md(evidence) if evidence else t("profile.not_recorded", lang))


def facets(org: Mapping[str, Any], taxonomy: Taxonomy, lang: str) -> None:
    """Roles, then offers and needs grouped by capability group, and the evidence behind them."""
    roles = list_field(org, "roles")
    if roles:
        st.markdown(f"#### {t('profile.roles', lang)}")
        st.markdown(" ".join(f":blue-badge[{_md(vocab_label('role', r, lang))}]" for r in roles))
    for key, colour in (("offers", "green"), ("needs", "orange")):
        values = list_field(org, key)
        st.markdown(f"#### {t(f'profile.{key}', lang)}")
        if not values:
            st.caption(t("profile.needs_none" if key == "needs" else "profile.not_recorded", lang))
            continue
        for group, leaves in taxonomy.leaves_by_group(values, lang):
            badges = " ".join(f":{colour}-badge[{_md(taxonomy.label(s, lang))}]" for s in leaves)
            st.markdown(f"**{_md(group)}** — {badges}")
    implied = list_field(org, "implied_needs")
    if implied:
        st.caption(
            _md(
                t(
                    "profile.implied_needs",
                    lang,
                    caps=t("partners.list_sep", lang).join(
                        taxonomy.label(s, lang) for s in implied
                    ),
                )
            )
        )
    basis = text_or_empty(org.get("facet_basis"))
    if basis:
        with st.expander(t("profile.facet_basis", lang)):
            st.markdown(_md(basis))


def memberships(df: pd.DataFrame, lang: str) -> None:
    """Council memberships, each with its class, source and date."""
    if df.empty:
        return
    st.markdown(f"#### {t('profile.memberships', lang)}")
    lines = []
    for r in df.itertuples(index=False):
        urls = list(r.source_urls)
        url = urls[0] if urls else ""
        cls = text_or_empty(r.membership_class)
        date = format_date(text_or_empty(r.date), lang)
        lines.append(
            "- "
            + t(
                "profile.membership_line",
                lang,
                council=vocab_label("membership", r.council, lang),
                cls=t(
                    "profile.membership_class", lang, cls=vocab_label("membership_class", cls, lang)
                )
                if cls
                else "",
                host=_md(urlsplit(url).hostname or url),
                url=url,
                date=t("profile.membership_date", lang, date=date) if date else "",
            )
        )
        evidence = text_or_empty(r.evidence)
        if evidence:
            lines.append(f"  :gray[{_md(evidence)}]")
    st.markdown("\n".join(lines))


def collaborations(df: pd.DataFrame, lang: str) -> None:
    """Documented collaborations (``data/links.csv``) with year, relation and source."""
    st.markdown(f"#### {t('profile.links', lang)}")
    if df.empty:
        st.caption(t("profile.links_none", lang))
        return
    table = pd.DataFrame(
        {
            "partner": [
                display_name(a, b, lang) for a, b in zip(df["name_en"], df["name_ja"], strict=True)
            ],
            "country": [country_label(c, lang) for c in df["country"]],
            "relation": [vocab_label("relation", v, lang) for v in df["relation"]],
            "year": [None if pd.isna(y) else int(y) for y in df["year"]],
            "what": df["what"].tolist(),
            "source": [list(u)[0] if len(u) else "" for u in df["source_urls"]],
            "profile": [profile_link(i, lang) for i in df["partner"]],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "partner": st.column_config.TextColumn(t("profile.link_partner", lang), width="medium"),
            "country": st.column_config.TextColumn(t("column.country", lang), width="small"),
            "relation": st.column_config.TextColumn(
                t("profile.link_relation", lang), width="small"
            ),
            "year": st.column_config.NumberColumn(
                t("profile.link_year", lang), format="%d", width="small"
            ),
            "what": st.column_config.TextColumn(t("profile.link_what", lang), width="large"),
            "source": st.column_config.LinkColumn(t("profile.link_source", lang), width="medium"),
            "profile": st.column_config.LinkColumn(
                t("column.profile", lang),
                display_text=t("explore.open_profile", lang),
                width="small",
            ),
        },
    )


def capabilities(org: Mapping[str, Any], taxonomy: Taxonomy, lang: str) -> None:
    """Capabilities grouped by the taxonomy's groups."""
    st.markdown(f"#### {t('profile.capabilities', lang)}")
    caps = set(org["capabilities"])
    for _, group_label, slugs in taxonomy.groups(lang):
        mine = [s for s in slugs if s in caps]
        if mine:
            badges = " ".join(f":violet-badge[{_md(taxonomy.label(s, lang))}]" for s in mine)
            st.markdown(f"**{_md(group_label)}** — {badges}")


def sources(df: pd.DataFrame, org: Mapping[str, Any], lang: str) -> None:
    """Sources as links; the record's newest source date stands for all of them."""
    st.markdown(f"#### {t('profile.sources', lang, n=len(df))}")
    date = format_date(text_or_empty(org.get("source_date")), lang)
    st.caption(
        t("profile.sources_date", lang, date=date) if date else t("profile.sources_undated", lang)
    )
    lines = [
        f"{r.position}. [{_md(r.host)}]({r.url}) — `{r.url}`" for r in df.itertuples(index=False)
    ]
    st.markdown("\n".join(lines) if lines else t("profile.not_recorded", lang))


def peers(df: pd.DataFrame, org: Mapping[str, Any], taxonomy: Taxonomy, lang: str) -> None:
    """Organisations in the other country sharing capabilities (plain list, no scoring)."""
    focus = [c for c in ("JP", "GB") if c != org["country"]]
    where = t("filters.or", lang).join(country_in_text(c, lang) for c in focus)
    st.markdown(f"#### {t('profile.peers', lang, countries=where)}")
    st.caption(t("profile.peers_help", lang))
    if df.empty:
        st.info(t("profile.peers_none", lang))
        return
    table = pd.DataFrame(
        {
            "name": [
                display_name(a, b, lang) for a, b in zip(df["name_en"], df["name_ja"], strict=True)
            ],
            "country": [country_label(c, lang) for c in df["country"]],
            "org_type": [vocab_label("org_type", v, lang) for v in df["org_type"]],
            "shared": [taxonomy.labels(list(s), lang) for s in df["shared"]],
            "n_shared": df["n_shared"].astype(int).tolist(),
            "profile": [profile_link(i, lang) for i in df["id"]],
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn(t("column.name", lang), width="medium"),
            "country": st.column_config.TextColumn(t("column.country", lang), width=135),
            "org_type": st.column_config.TextColumn(t("column.org_type", lang), width="small"),
            "shared": st.column_config.ListColumn(t("profile.shared", lang), width="large"),
            "n_shared": st.column_config.NumberColumn(t("profile.n_shared", lang), width=110),
            "profile": st.column_config.LinkColumn(
                t("column.profile", lang),
                display_text=t("explore.open_profile", lang),
                width="small",
            ),
        },
    )
    st.caption(t("profile.peers_count", lang, n=format_number(len(df), lang)))
