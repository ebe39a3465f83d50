"""The capability heatmap: organisations per capability and country, grouped by taxonomy
group, with the gap rule's marks (who could supply whom). Cut along groups for slides by
:func:`capability_heatmap_parts`. Pure functions: no Streamlit, no database."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from fusion_partners.i18n import t
from fusion_partners.i18n.countries import country_name
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.insights.analysis import GAP_MIN_ORGS, GAP_RATIO, capability_gaps
from fusion_partners.insights.chart import Chart
from fusion_partners.insights.heatmap_table import (
    capability_panel,
    capability_summary,
    capability_table,
)
from fusion_partners.insights.style import (
    HEATMAP_SCALE,
    ChartContext,
    country_colour,
    decorate,
    empty_figure,
)
from fusion_partners.insights.typeset import number, pct, sentences, wrap

MEASURES: tuple[str, ...] = ("count", "share")
LABEL_WRAP = 38
"""Capability labels longer than this many columns (a CJK character counts two) wrap."""
GROUP_WRAP = 22
PRESENTER_LABEL_WRAP, PRESENTER_GROUP_WRAP = 56, 16
"""In presenter mode the slide is wide and short: capability labels stay on one line where
they can (rows are then one line of type high), group names wrap sooner instead."""


def capability_heatmap(
    counts: pd.DataFrame,
    totals: Mapping[str, int],
    taxonomy: Taxonomy,
    ctx: ChartContext,
    measure: str = "count",
    *,
    groups: Sequence[str] | None = None,
    part: str = "",
) -> Chart:
    """Capability × country heatmap (distinct organisations), grouped by taxonomy group.

    Args:
        counts: ``queries.filter_summary(...).capability_country`` (``slug``, ``country``, ``n``).
        totals: ``queries.filter_summary(...).country_totals`` for the same filters.
        measure: ``count`` (organisations) or ``share`` (percent of the country's
            organisations in the filtered set).
        groups: only these taxonomy groups (English group names), for a slide-sized part
            (:func:`capability_heatmap_parts`); the gap rule still compares whole countries.
        part: appended to the title (``1/2``).

    The gap rule (:func:`fusion_partners.insights.analysis.capability_gaps`) outlines the strong
    side's cell in its country colour and names who could supply whom in a third column.
    """
    lang = ctx.lang
    measure = measure if measure in MEASURES else "count"
    title = t("insights.cap.title", lang)
    gaps = capability_gaps(counts, dict(totals), taxonomy)
    # the colour scale of the whole table, so that the parts of a cut heatmap shade alike
    zmax = (
        float(
            max(
                gaps[["jp_share", "gb_share"]].to_numpy().max() * 100
                if measure == "share"
                else gaps[["jp_n", "gb_n"]].to_numpy().max(),
                1,
            )
        )
        if len(gaps)
        else 1.0
    )
    if groups is not None:
        keep = {slug for group, _, slugs in taxonomy.groups() if group in groups for slug in slugs}
        gaps = gaps[gaps["slug"].isin(keep)].reset_index(drop=True)
    if part:
        title = t("insights.cap.title_part", lang, title=title, part=part)
    jp_total, gb_total = totals.get("JP", 0), totals.get("GB", 0)
    table = capability_table(gaps, taxonomy, lang)
    if not jp_total and not gb_total:
        msg = t("insights.cap.empty", lang)
        return Chart("capabilities", title, empty_figure(title, msg, ctx), table, msg, empty=True)
    groups = [taxonomy.group_of(s, lang) for s in gaps["slug"]]
    labels = [taxonomy.label(s, lang) for s in gaps["slug"]]
    # long labels wrap onto two lines so that the cells keep their width in a laptop-wide column
    label_wrap, group_wrap = (
        (PRESENTER_LABEL_WRAP, PRESENTER_GROUP_WRAP) if ctx.presenter else (LABEL_WRAP, GROUP_WRAP)
    )
    # plotly sets the group names just left of the widest capability label; two em spaces
    # after each line keep a name on that label's row from running into it
    gutter = "\u2003\u2003"
    y = [
        [wrap(g, group_wrap).replace("<br>", gutter + "<br>") + gutter for g in groups],
        [wrap(label, label_wrap) for label in labels],
    ]
    two_line = any("<br>" in label for label in y[1])
    if measure == "share":
        z = [[r.jp_share * 100, r.gb_share * 100] for r in gaps.itertuples()]
        # a country with no organisation in the selection has no share, not 0 %
        text = [
            [
                pct(r.jp_share, lang) if jp_total else "—",
                pct(r.gb_share, lang) if gb_total else "—",
            ]
            for r in gaps.itertuples()
        ]
    else:
        z = [[r.jp_n, r.gb_n] for r in gaps.itertuples()]
        text = [[number(r.jp_n, lang), number(r.gb_n, lang)] for r in gaps.itertuples()]
    x = [country_name("JP", lang), country_name("GB", lang)]  # full names in hovers and tables
    columns = [
        t("insights.short.JP", lang),
        t("insights.short.GB", lang),
    ]  # short headers fit narrow cells
    hover = [
        [
            t(
                "insights.cap.hover",
                lang,
                capability=labels[i],
                country=x[0],
                n=number(r.jp_n, lang),
                share=pct(r.jp_share, lang),
                total=number(jp_total, lang),
            ),
            t(
                "insights.cap.hover",
                lang,
                capability=labels[i],
                country=x[1],
                n=number(r.gb_n, lang),
                share=pct(r.gb_share, lang),
                total=number(gb_total, lang),
            ),
        ]
        for i, r in enumerate(gaps.itertuples())
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=columns,
            y=y,
            text=text,
            texttemplate="%{text}",
            hovertext=hover,
            hoverinfo="text",
            colorscale=HEATMAP_SCALE,
            zmin=0,
            zmax=zmax,
            xgap=2,
            ygap=2,
            showscale=False,  # values are printed
            textfont={
                "size": int(ctx.font_size * (1.3 if ctx.presenter else 1))
            },  # slides have wide cells
        )
    )
    gap_col = t("insights.cap.gap_column", lang)
    for i, r in enumerate(gaps.itertuples()):
        if not r.gap:
            continue
        col = 0 if r.gap == "JP" else 1
        other = "GB" if r.gap == "JP" else "JP"
        colour = country_colour(r.gap)
        fig.add_shape(
            type="rect",
            xref="x",
            yref="y",
            x0=col - 0.5,
            x1=col + 0.5,
            y0=i - 0.5,
            y1=i + 0.5,
            line={"color": colour, "width": 4 if ctx.presenter else 3},
        )
        fig.add_annotation(
            xref="x",
            yref="y",
            x=1.58,
            y=i,
            xanchor="left",
            showarrow=False,
            text=f"<b>{html.escape(t('insights.cap.gap_mark', lang, supplier=t(f'insights.short.{r.gap}', lang), buyer=t(f'insights.short.{other}', lang)))}</b>",
            font={"color": colour, "size": ctx.font_size},
        )
    fig.add_annotation(
        xref="x",
        yref="paper",
        x=1.58,
        y=1.0,
        yanchor="bottom",
        xanchor="left",
        showarrow=False,
        text=f"<b>{wrap(gap_col, 12)}</b>",
        font={"size": ctx.font_size},
    )
    fig.update_xaxes(side="top", range=[-0.5, 3.0], showgrid=False, tickangle=0)
    fig.update_yaxes(
        autorange="reversed",
        showgrid=False,
        showdividers=True,
        dividercolor="#bbb",
        ticklabelstandoff=6,
        tickfont={"color": "#222"},
    )
    note = sentences(
        [
            t("insights.cap.values", lang, measure=t(f"insights.cap.measure.{measure}", lang)),
            t("insights.cap.rule", lang, min=GAP_MIN_ORGS, ratio=f"{GAP_RATIO:g}"),
        ],
        lang,
    )
    row = (36 if two_line else 26) if not ctx.presenter else (44 if two_line else 32)
    height = row * len(labels) + 120
    decorate(fig, title, ctx, height, note=note, top=24, left=10, right=30)
    summary = capability_summary(gaps, taxonomy, jp_total, gb_total, lang)
    table_note = sentences(
        [
            t("insights.cap.values", lang, measure=t(f"insights.cap.measure.{measure}", lang)),
            t("insights.cap.rule_table", lang, min=GAP_MIN_ORGS, ratio=f"{GAP_RATIO:g}"),
        ],
        lang,
    )
    panel = capability_panel(gaps, groups, labels, text, z, zmax, gap_col, lang, table_note)
    return Chart("capabilities", title, fig, table, summary, notes=[note], panels=(panel,))


def capability_heatmap_parts(
    counts: pd.DataFrame,
    totals: Mapping[str, int],
    taxonomy: Taxonomy,
    ctx: ChartContext,
    measure: str = "count",
    parts: int = 2,
) -> list[Chart]:
    """The heatmap cut into ``parts`` charts along taxonomy groups, about equal in rows, for
    slides: 28 rows on one 16:9 slide leave labels of about 6 pt; half as many double them.
    Whole groups stay together; with one group or ``parts`` < 2 the single heatmap is returned."""
    group_rows = [(group, len(slugs)) for group, _, slugs in taxonomy.groups()]
    if parts < 2 or len(group_rows) < 2:
        return [capability_heatmap(counts, totals, taxonomy, ctx, measure)]
    target = sum(n for _, n in group_rows) / parts
    cuts: list[list[str]] = [[]]
    done = 0
    for group, n in group_rows:
        if cuts[-1] and len(cuts) < parts and done + n / 2 > target * len(cuts):
            cuts.append([])
        cuts[-1].append(group)
        done += n
    return [
        capability_heatmap(
            counts, totals, taxonomy, ctx, measure, groups=g, part=f"{i}/{len(cuts)}"
        )
        for i, g in enumerate(cuts, start=1)
    ]
