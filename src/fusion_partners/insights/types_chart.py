"""Organisation types and council memberships by country: two bar panels side by side.
Pure functions: no Streamlit, no database."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from fusion_partners.data.roster import MEMBERSHIPS, ORG_TYPES
from fusion_partners.i18n import t
from fusion_partners.i18n.labels import vocab_label
from fusion_partners.insights.analysis import FOCUS
from fusion_partners.insights.chart import BarPanel, BarSeries, Chart
from fusion_partners.insights.style import (
    OTHER,
    ChartContext,
    country_colour,
    country_group,
    decorate,
    empty_figure,
    group_label,
    phone_legend,
)
from fusion_partners.insights.typeset import columns, list_text, number, pct, sentences, wrap

PANEL_TITLE_WRAP = 22
"""Columns a panel title wraps at on a phone (30 beside each other): it starts where the plot
area does, right of the category labels."""


def types_memberships(df: pd.DataFrame, ctx: ChartContext) -> Chart:
    """Organisation types and council memberships by country (two bar panels).

    Args:
        df: ``queries.insights.type_membership_counts`` (``country``, ``org_type``,
            ``membership``, ``n``). Countries other than JP and GB are combined.
    """
    lang = ctx.lang
    title = t("insights.types.title", lang)
    if df.empty:
        msg = t("insights.empty", lang)
        return Chart("types", title, empty_figure(title, msg, ctx), pd.DataFrame(), msg, empty=True)
    data = df.assign(group=[country_group(c) for c in df["country"]])
    groups = [g for g in (*FOCUS, OTHER) if g in set(data["group"])]
    by_type = data.groupby(["group", "org_type"])["n"].sum()
    by_member = data.groupby(["group", "membership"])["n"].sum()
    types = [x for x in ORG_TYPES if x in set(data["org_type"])]
    types += sorted(set(data["org_type"]) - set(types))
    members = [m for m in MEMBERSHIPS if m in set(data["membership"])]
    members += sorted(set(data["membership"]) - set(members))
    type_labels = [vocab_label("org_type", x, lang) for x in types]
    member_labels = [vocab_label("membership", m, lang) for m in members]
    values = {
        g: (
            [int(by_type.get((g, x), 0)) for x in types],
            [int(by_member.get((g, m), 0)) for m in members],
        )
        for g in groups
    }
    note = t("insights.types.member_note", lang)
    layout = _stacked if ctx.phone else _side_by_side
    fig = layout(title, note, type_labels, member_labels, values, ctx)
    panels = (
        BarPanel(
            t("insights.types.panel_types", lang),
            tuple(type_labels),
            tuple(
                BarSeries(
                    group_label(g, lang),
                    tuple(float(by_type.get((g, x), 0)) for x in types),
                    country_colour(g),
                )
                for g in groups
            ),
            t("insights.axis.orgs", lang),
            weight=0.6,
        ),
        BarPanel(
            t("insights.types.panel_members", lang),
            tuple(member_labels),
            tuple(
                BarSeries(
                    group_label(g, lang),
                    tuple(float(by_member.get((g, m), 0)) for m in members),
                    country_colour(g),
                )
                for g in groups
            ),
            t("insights.axis.orgs", lang),
            weight=0.4,
        ),
    )
    rows = []
    for g in groups:
        for x in types:
            rows.append(
                (
                    group_label(g, lang),
                    t("insights.col.org_type", lang),
                    vocab_label("org_type", x, lang),
                    int(by_type.get((g, x), 0)),
                )
            )
        for m in members:
            rows.append(
                (
                    group_label(g, lang),
                    t("insights.col.membership", lang),
                    vocab_label("membership", m, lang),
                    int(by_member.get((g, m), 0)),
                )
            )
    table = pd.DataFrame(
        rows,
        columns=[
            t("insights.col.country", lang),
            t("insights.col.dimension", lang),
            t("insights.col.value", lang),
            t("insights.col.orgs", lang),
        ],
    )
    parts = []
    for g in groups:
        total = int(data.loc[data["group"] == g, "n"].sum())
        top_type = max(types, key=lambda x: int(by_type.get((g, x), 0)))
        top_n = int(by_type.get((g, top_type), 0))
        parts.append(
            t(
                "insights.types.summary_country",
                lang,
                country=group_label(g, lang),
                n=number(total, lang),
                type=vocab_label("org_type", top_type, lang),
                share=pct(top_n / total if total else 0, lang),
            )
        )
    stated = data[data["membership"] != "other"].groupby(["membership", "group"])["n"].sum()
    member_parts = [
        t(
            "insights.types.summary_member",
            lang,
            membership=vocab_label("membership", m, lang),
            country=group_label(g, lang),
            n=number(int(n), lang),
        )
        for (m, g), n in stated.items()
    ]
    summary = sentences(
        [
            *parts,
            (
                t("insights.types.summary_members", lang, items=list_text(member_parts, lang))
                if member_parts
                else t("insights.types.summary_no_members", lang)
            ),
        ],
        lang,
    )
    return Chart("types", title, fig, table, summary, notes=[note], panels=panels)


def _bars(
    fig: go.Figure,
    cells: tuple[tuple[int, int], tuple[int, int]],
    type_labels: list[str],
    member_labels: list[str],
    values: dict[str, tuple[list[int], list[int]]],
    lang: str,
) -> None:
    """One bar per country group and category in each panel (``cells``: the types panel's
    and the memberships panel's row and column), counts printed beyond the bar ends."""
    for g, (type_values, member_values) in values.items():
        name = group_label(g, lang)
        for labels, xs, (row, col), legend in (
            (type_labels, type_values, cells[0], True),
            (member_labels, member_values, cells[1], False),
        ):
            fig.add_trace(
                go.Bar(
                    y=labels,
                    x=xs,
                    orientation="h",
                    name=name,
                    legendgroup=g,
                    showlegend=legend,
                    marker_color=country_colour(g),
                    text=[number(v, lang) if v else "" for v in xs],
                    textposition="outside",
                    cliponaxis=False,
                    hovertemplate="%{y} · " + html.escape(name) + ": %{x}<extra></extra>",
                ),
                row=row,
                col=col,
            )


def _style(fig: go.Figure, ctx: ChartContext, legend: dict) -> None:
    """Grouped bars, value labels, axes and panel titles alike in both layouts."""
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        legend=legend,
        uniformtext={"minsize": int(ctx.font_size * 0.85), "mode": "show"},
    )
    fig.update_traces(textfont_size=int(ctx.font_size * 0.85))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(
        showgrid=True,
        gridcolor="#eee",
        title_text=t("insights.axis.orgs", ctx.lang),
        zeroline=True,
        zerolinecolor="#999",
    )
    fig.update_annotations(font={"size": ctx.font_size + 1})


def _side_by_side(
    title: str,
    note: str,
    type_labels: list[str],
    member_labels: list[str],
    values: dict[str, tuple[list[int], list[int]]],
    ctx: ChartContext,
) -> go.Figure:
    """The two panels side by side (types wider), the legend one row above them and the panel
    titles above it."""
    lang = ctx.lang
    # The membership panel's labels sit between the panels, where no automatic margin reaches:
    # the gap is sized for the longest label at the narrowest chart column expected (about
    # 600 px, a 1024 px window with the sidebar open; 900 px in presenter mode).
    widest = max((columns(label) for label in member_labels), default=8)
    spacing = min(0.3, (widest * ctx.font_size * 0.55 + 24) / (900 if ctx.presenter else 600))
    panel_titles = [
        wrap(t("insights.types.panel_types", lang), 30),
        wrap(t("insights.types.panel_members", lang), 30),
    ]
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.62, 0.38],
        horizontal_spacing=spacing,
        subplot_titles=panel_titles,
    )
    _bars(fig, ((1, 1), (1, 2)), type_labels, member_labels, values, lang)
    # The legend is one row right above the panels (the full width is left to the panels, so
    # the footer is not pushed off the left edge), the panel titles above it: the first from
    # the left edge, the second (longer, over the narrower panel) ending at the right edge, so
    # that they neither run into each other nor out of the figure.
    legend_row = int(ctx.font_size * 1.9)
    title_lines = max(title.count("<br>") + 1 for title in panel_titles)
    _style(fig, ctx, {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left"})
    fig.update_annotations(yshift=legend_row)
    first, second = fig.layout.annotations
    first.update(x=0, xanchor="left", align="left")
    second.update(x=1, xanchor="right", align="right")
    top = 8 + legend_row + int(title_lines * (ctx.font_size + 1) * 1.3)
    height = 540 if len(type_labels) <= 8 else 640
    return decorate(fig, title, ctx, height, note=note, top=top, bottom=48, left=10)


def _stacked(
    title: str,
    note: str,
    type_labels: list[str],
    member_labels: list[str],
    values: dict[str, tuple[list[int], list[int]]],
    ctx: ChartContext,
) -> go.Figure:
    """For a phone: the types panel above the memberships panel, each the full width with its
    title at its top left, the legend above the first (:func:`phone_legend`); the axis is
    named once, at the bottom.
    Heights in px: each category as tall as its bars."""
    lang = ctx.lang
    size = ctx.font_size
    panel_titles = [
        wrap(t("insights.types.panel_types", lang), PANEL_TITLE_WRAP),
        wrap(t("insights.types.panel_members", lang), PANEL_TITLE_WRAP),
    ]
    line = int((size + 1) * 1.3)
    category = len(values) * 14 + 12
    upper, lower = len(type_labels) * category, len(member_labels) * category
    gap = 30 + (panel_titles[1].count("<br>") + 1) * line + 8  # ticks, then the second title
    plot = upper + gap + lower
    fig = make_subplots(
        rows=2,
        cols=1,
        row_heights=[upper, lower],
        vertical_spacing=gap / plot,
        subplot_titles=panel_titles,
    )
    _bars(fig, ((1, 1), (2, 1)), type_labels, member_labels, values, lang)
    legend, legend_height = phone_legend(len(values), ctx)
    _style(fig, ctx, legend)
    fig.update_xaxes(title_text="", row=1, col=1)
    first, second = fig.layout.annotations
    first.update(x=0, xanchor="left", align="left", yshift=legend_height)
    second.update(x=0, xanchor="left", align="left")
    top = 8 + legend_height + (panel_titles[0].count("<br>") + 1) * line
    return decorate(fig, title, ctx, 0, note=note, top=top, bottom=48, left=10, plot_height=plot)
