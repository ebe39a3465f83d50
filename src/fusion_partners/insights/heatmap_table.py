"""The capability heatmap's numbers and words: the table behind it, its native slide form
(:class:`TablePanel`) and its finding in words. Pure functions."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from fusion_partners.i18n import t
from fusion_partners.i18n.countries import country_in_text, country_name
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.insights.analysis import FOCUS
from fusion_partners.insights.chart import TablePanel
from fusion_partners.insights.style import country_colour
from fusion_partners.insights.typeset import item, list_text, number, sentences


def capability_panel(
    gaps: pd.DataFrame,
    groups: Sequence[str],
    labels: Sequence[str],
    text: Sequence[Sequence[str]],
    z: Sequence[Sequence[float]],
    zmax: float,
    gap_col: str,
    lang: str,
    note: str,
) -> TablePanel:
    """The heatmap as a table: group (on its first row), capability, the two countries' values
    shaded as in the figure, and the gap mark in the strong country's colour."""
    header = (
        t("insights.col.group", lang),
        t("insights.col.capability", lang),
        country_name("JP", lang),
        country_name("GB", lang),
        gap_col,
    )
    rows, shade, colour, bold = [], [], [], []
    for i, r in enumerate(gaps.itertuples()):
        first = i == 0 or groups[i] != groups[i - 1]
        mark = ""
        if r.gap:
            other = "GB" if r.gap == "JP" else "JP"
            mark = t(
                "insights.cap.gap_mark",
                lang,
                supplier=t(f"insights.short.{r.gap}", lang),
                buyer=t(f"insights.short.{other}", lang),
            )
        rows.append((groups[i] if first else "", labels[i], text[i][0], text[i][1], mark))
        shade.append((None, None, float(z[i][0]) / zmax, float(z[i][1]) / zmax, None))
        colour.append((None, None, None, None, country_colour(r.gap) if r.gap else None))
        bold.append((first, False, r.gap == "JP", r.gap == "GB", bool(r.gap)))
    return TablePanel(header, tuple(rows), tuple(shade), tuple(colour), tuple(bold), note)


def capability_table(gaps: pd.DataFrame, taxonomy: Taxonomy, lang: str) -> pd.DataFrame:
    jp, gb = country_name("JP", lang), country_name("GB", lang)
    return pd.DataFrame(
        {
            t("insights.col.group", lang): [taxonomy.group_of(s, lang) for s in gaps["slug"]],
            t("insights.col.capability", lang): [taxonomy.label(s, lang) for s in gaps["slug"]],
            t("insights.col.orgs_in", lang, country=country_in_text("JP", lang)): gaps["jp_n"]
            .astype(int)
            .tolist(),
            t("insights.col.orgs_in", lang, country=country_in_text("GB", lang)): gaps["gb_n"]
            .astype(int)
            .tolist(),
            t("insights.col.share_in", lang, country=jp): [
                round(v * 100, 1) for v in gaps["jp_share"]
            ],
            t("insights.col.share_in", lang, country=gb): [
                round(v * 100, 1) for v in gaps["gb_share"]
            ],
            t("insights.col.gap", lang): [
                t(
                    "insights.cap.gap_mark",
                    lang,
                    supplier=country_name(g, lang),
                    buyer=country_name("GB" if g == "JP" else "JP", lang),
                )
                if g
                else ""
                for g in gaps["gap"]
            ],
        }
    )


def capability_summary(
    gaps: pd.DataFrame, taxonomy: Taxonomy, jp_total: int, gb_total: int, lang: str
) -> str:
    if not jp_total or not gb_total:
        side = "JP" if jp_total else "GB"
        top = gaps.sort_values(f"{side.lower()}_n", ascending=False).head(3)
        items = [
            item(taxonomy.label(r.slug, lang), number(getattr(r, side.lower() + "_n"), lang), lang)
            for r in top.itertuples()
            if getattr(r, side.lower() + "_n")
        ]
        return t(
            "insights.cap.summary_one",
            lang,
            country=country_in_text(side, lang),
            n=number(jp_total or gb_total, lang),
            top=list_text(items, lang) or "—",
        )
    parts = []
    for side in FOCUS:
        strong = gaps[gaps["gap"] == side].copy()
        strong["ratio"] = (
            strong[f"{side.lower()}_share"] - strong[f"{'gb' if side == 'JP' else 'jp'}_share"]
        )
        strong = strong.sort_values("ratio", ascending=False)
        items = [taxonomy.label(s, lang) for s in strong["slug"].head(4)]
        key = "insights.cap.summary_side" if items else "insights.cap.summary_side_none"
        parts.append(
            t(
                key,
                lang,
                supplier=country_in_text(side, lang),
                buyer=country_in_text("GB" if side == "JP" else "JP", lang),
                n=number(len(strong), lang),
                items=list_text(items, lang),
            )
        )
    both = gaps[(gaps["jp_n"] >= 3) & (gaps["gb_n"] >= 3) & (gaps["gap"] == "")]
    common = [
        taxonomy.label(s, lang) for s in both.sort_values("jp_n", ascending=False)["slug"].head(3)
    ]
    if common:
        parts.append(t("insights.cap.summary_both", lang, items=list_text(common, lang)))
    return sentences(parts, lang)
