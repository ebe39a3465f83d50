"""The capability heatmap: organisations per capability and country, grouped by taxonomy
group, with the gap rule's marks (who could supply whom). Cut along groups for slides by
:func:`capability_heatmap_parts`. Pure functions: no Streamlit, no database."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
from fusion_partners.insights.typeset import columns, fit_width, number, pct, sentences, wrap

MEASURES: tuple[str, ...] = ("count", "share")
LABEL_WRAP = 38
"""Capability labels longer than this many columns (a CJK character counts two) wrap."""
GROUP_WRAP = 22
PRESENTER_LABEL_WRAP, PRESENTER_GROUP_WRAP = 56, 16
"""In presenter mode the slide is wide and short: capability labels stay on one line where
they can (rows are then one line of type high), group names wrap sooner instead."""
PHONE_LABEL_WRAP = 32
"""On a phone the capability labels wrap at 32 columns onto at most two lines (the rest is cut
with …; the hover and the table have it whole) and the group names head their rows."""
GAP_WRAP = 12
"""Columns the "who could supply whom" header wraps at."""


@dataclass
class HeatCells:
    """The heatmap's rows as drawn: ``y`` (one list of labels, or group and label lists),
    per row the two cells' ``z`` values, ``text`` and ``hover``, and the ``gap`` side (``JP``,
    ``GB`` or ``""``); ``zmax`` tops the grey scale. A group's heading row (phone layout) has
    ``None`` values and no gap."""

    y: list
    z: list[list[float | None]]
    text: list[list[str]]
    hover: list[list[str]]
    gap: list[str]
    zmax: float

    def height(self, ctx: ChartContext) -> int:
        """The figure's height in px: one or two lines of type per row, plus 120 (on a phone,
        the plot area's: the rows plus 30 for the column headers)."""
        labels = self.y[-1] if isinstance(self.y[0], list) else self.y
        two_line = any("<br>" in label for label in labels)
        if ctx.presenter:
            row = 44 if two_line else 32
        elif ctx.phone:  # the plot area's height: rows and the country headers above them
            return (34 if two_line else 24) * len(self.z) + 30
        else:
            row = 36 if two_line else 26
        return row * len(self.z) + 120


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
    side's cell in its country colour and names who could supply whom in a third column (on
    a phone, :attr:`ChartContext.phone`, the outline's column alone says it; group names then
    head their rows instead of filling a column of their own).
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
        (PRESENTER_LABEL_WRAP, PRESENTER_GROUP_WRAP)
        if ctx.presenter
        else (PHONE_LABEL_WRAP, PHONE_LABEL_WRAP)
        if ctx.phone
        else (LABEL_WRAP, GROUP_WRAP)
    )
    # plotly sets the group names just left of the widest capability label; two em spaces
    # after each line keep a name on that label's row from running into it
    gutter = "\u2003\u2003"
    y = [
        [wrap(g, group_wrap).replace("<br>", gutter + "<br>") + gutter for g in groups],
        [_two_lines(label) if ctx.phone else wrap(label, label_wrap) for label in labels],
    ]
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
    headers = [
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
    gap_col = t("insights.cap.gap_column", lang)
    note = sentences(
        [
            t("insights.cap.values", lang, measure=t(f"insights.cap.measure.{measure}", lang)),
            t("insights.cap.rule", lang, min=GAP_MIN_ORGS, ratio=f"{GAP_RATIO:g}"),
        ],
        lang,
    )
    cells = HeatCells(y, z, text, hover, list(gaps["gap"]), zmax)
    if ctx.phone:
        cells = _phone_rows(cells, groups)
    fig = _heat_figure(cells, headers, gap_col, ctx)
    if ctx.phone:  # rows of a known height: the plot area is sized, not the figure
        decorate(
            fig, title, ctx, 0, note=note, top=24, left=10, right=10, plot_height=cells.height(ctx)
        )
    else:
        decorate(
            fig, title, ctx, cells.height(ctx), note=note, top=24, left=10, right=_gap_room(ctx)
        )
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


def _gap_mark(side: str, lang: str) -> str:
    """ "Japan → UK": who could supply whom, with the countries' short names."""
    other = "GB" if side == "JP" else "JP"
    return t(
        "insights.cap.gap_mark",
        lang,
        supplier=t(f"insights.short.{side}", lang),
        buyer=t(f"insights.short.{other}", lang),
    )


def _gap_room(ctx: ChartContext) -> int:
    """The right margin (px) that holds the "who could supply whom" column: its header and
    either mark, in bold (about 0.6 of the type size per half-width column), plus 16 px. In
    pixels rather than in the cells' coordinates, so it fits at any chart width."""
    lines = [*wrap(t("insights.cap.gap_column", ctx.lang), GAP_WRAP).split("<br>")]
    lines += [_gap_mark(side, ctx.lang) for side in ("JP", "GB")]
    return int(max(columns(html.unescape(line)) for line in lines) * ctx.font_size * 0.6) + 16


def _two_lines(label: str) -> str:
    """``label`` wrapped for a phone, at most two lines: a longer one is cut with …"""
    lines = wrap(label, PHONE_LABEL_WRAP).split("<br>")
    if len(lines) <= 2:
        return "<br>".join(lines)
    rest = label[len(html.unescape(lines[0])) :].lstrip()
    return lines[0] + "<br>" + html.escape(fit_width(rest, PHONE_LABEL_WRAP), quote=False)


def _phone_rows(cells: HeatCells, groups: Sequence[str]) -> HeatCells:
    """The rows for a phone: one column of labels, each group's name in bold on a row of its
    own (empty cells) above its capabilities, instead of a second column of group names."""
    z: list[list[float | None]] = []
    y, text, hover, gap = [], [], [], []
    for i in range(len(cells.z)):
        if i == 0 or groups[i] != groups[i - 1]:
            name = wrap(groups[i], PHONE_LABEL_WRAP).split("<br>")
            y.append("<br>".join(f"<b>{line}</b>" for line in name))
            z.append([None, None])
            text.append(["", ""])
            hover.append([groups[i], groups[i]])
            gap.append("")
        y.append(cells.y[1][i])
        z.append(cells.z[i])
        text.append(cells.text[i])
        hover.append(cells.hover[i])
        gap.append(cells.gap[i])
    return HeatCells(y, z, text, hover, gap, cells.zmax)


def _heat_figure(
    cells: HeatCells, headers: list[str], gap_col: str, ctx: ChartContext
) -> go.Figure:
    """The heatmap: grey cells with their values printed, the strong side's cell outlined in
    its country colour, and who could supply whom right of the cells (in the right margin,
    :func:`_gap_room`)."""
    fig = go.Figure(
        go.Heatmap(
            z=cells.z,
            x=headers,
            y=cells.y,
            text=cells.text,
            texttemplate="%{text}",
            hovertext=cells.hover,
            hoverinfo="text",
            colorscale=HEATMAP_SCALE,
            zmin=0,
            zmax=cells.zmax,
            xgap=2,
            ygap=2,
            showscale=False,  # values are printed
            textfont={
                "size": int(ctx.font_size * (1.3 if ctx.presenter else 1))
            },  # slides have wide cells
        )
    )
    for i, side in enumerate(cells.gap):
        if not side:
            continue
        col = 0 if side == "JP" else 1
        colour = country_colour(side)
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
        if ctx.phone:  # no room for the column: the outline's place says which side is strong
            continue
        fig.add_annotation(
            xref="paper",
            yref="y",
            x=1,
            xshift=8,
            y=i,
            xanchor="left",
            showarrow=False,
            text=f"<b>{html.escape(_gap_mark(side, ctx.lang))}</b>",
            font={"color": colour, "size": ctx.font_size},
        )
    if not ctx.phone:
        fig.add_annotation(
            xref="paper",
            yref="paper",
            x=1,
            xshift=8,
            y=1.0,
            yanchor="bottom",
            xanchor="left",
            align="left",
            showarrow=False,
            text=f"<b>{wrap(gap_col, GAP_WRAP)}</b>",
            font={"size": ctx.font_size},
        )
    fig.update_xaxes(side="top", range=[-0.5, 1.5], showgrid=False, tickangle=0)
    fig.update_yaxes(
        autorange="reversed",
        showgrid=False,
        showdividers=True,
        dividercolor="#bbb",
        ticklabelstandoff=6,
        tickfont={"color": "#222"},
    )
    return fig


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
