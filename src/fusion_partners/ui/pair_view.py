"""The Partner finder's pair view: a candidate and the start side by side."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from fusion_partners.i18n import format_date, t
from fusion_partners.i18n.countries import country_label
from fusion_partners.i18n.labels import (
    display_name,
    display_names,
    list_field,
    text_or_empty,
    vocab_label,
)
from fusion_partners.i18n.markup import escape_markdown as _md
from fusion_partners.partners import sql as qp
from fusion_partners.partners.query import DEFAULT_WEIGHTS, Weights
from fusion_partners.partners.reasons import cap_phrase, possessive
from fusion_partners.partners.table import Context
from fusion_partners.queries import profile as profile_queries
from fusion_partners.ui.data import q
from fusion_partners.ui.partners_state import PAIR


def pair_view(
    a: Mapping[str, Any], b: Mapping[str, Any], ctx: Context, weights: Weights = DEFAULT_WEIGHTS
) -> None:
    """Two organisations side by side: how the partner model links them in each kind (scored
    with ``weights``, the page's, and worded as the results row words it), the offers of one
    that meet the needs of the other, the offers both have, their documented collaborations,
    facets and sources."""
    lang, tax = ctx.lang, ctx.taxonomy
    name_a = display_name(a["name_en"], a["name_ja"], lang)
    name_b = display_name(b["name_en"], b["name_ja"], lang)
    # the close button keeps room for its label (「閉じる」 was cut to 「閉…」 at 1024 px)
    head, close = st.columns([4, 1], vertical_alignment="center")
    head.subheader(t("partners.pair_title", lang, a=name_a, b=name_b), anchor=False)
    if close.button(
        t("partners.pair_close", lang),
        icon=":material/close:",
        key="pf_pair_close",
        width="stretch",
    ):
        st.session_state[PAIR] = ""
        st.rerun()
    kinds = q(qp.pair_kinds, a["id"], b["id"], weights)
    st.markdown(f"**{t('partners.pair_complementary', lang)}**")
    if kinds.empty:
        st.caption(t("partners.pair_none_rules", lang))
    for r in kinds.to_dict("records"):
        kind = t(f"partners.kind.{r['kind']}", lang)
        st.markdown(f"- **{_md(kind)}** — {_md(ctx.row_reason(r, full=True))}")
    sep = t("partners.list_sep", lang)
    meets = []
    for x, y, nx, ny in ((a, b, name_a, name_b), (b, a, name_b, name_a)):
        # stated needs, then what the other's fusion concept needs beyond them (implied needs,
        # which the reasons word as "its fusion concept needs")
        for key, column in (
            ("partners.pair_complementary_offers", "needs"),
            ("partners.pair_complementary_offers_implied", "implied_needs"),
        ):
            both = [leaf for leaf in list_field(x, "offers") if leaf in set(list_field(y, column))]
            if both:
                caps = sep.join(cap_phrase(leaf, tax, lang) for leaf in both)
                meets.append(t(key, lang, a=nx, b=ny, b_poss=possessive(ny, lang), caps=caps))
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
                    "partners.pair_shared_offers",
                    lang,
                    a=name_a,
                    b=name_b,
                    caps=sep.join(cap_phrase(leaf, tax, lang) for leaf in shared),
                )
            )
        )
    links = q(profile_queries.organisation_links, a["id"])
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
    sources = q(profile_queries.organisation_sources, org["id"])
    st.markdown(f"**{t('profile.sources', lang, n=len(sources))}**")
    date = format_date(text_or_empty(org.get("source_date")), lang)
    if date:
        st.caption(t("profile.sources_date", lang, date=date))
    st.markdown(
        "\n".join(
            f"{r.position}. [{_md(r.host)}]({r.url})" for r in sources.itertuples(index=False)
        )
    )
