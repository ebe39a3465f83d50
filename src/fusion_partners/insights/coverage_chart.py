"""Data completeness: the share of organisations with each field filled, per country
(percent bars with n/N labels). Pure functions: no Streamlit, no database."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from fusion_partners.i18n import t
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
from fusion_partners.insights.typeset import item, list_text, number, pct, sentences, wrap


def coverage_chart(df: pd.DataFrame, ctx: ChartContext) -> Chart:
    """How many organisations have each field filled, per country (percent bars, n/N labels).

    Args:
        df: ``queries.insights.field_coverage`` (``field``, ``country``, ``filled``, ``total``).
    """
    lang = ctx.lang
    title = t("insights.cov.title", lang)
    if df.empty:
        msg = t("insights.empty", lang)
        return Chart(
            "coverage", title, empty_figure(title, msg, ctx), pd.DataFrame(), msg, empty=True
        )
    data = df.assign(group=[country_group(c) for c in df["country"]])
    agg = data.groupby(["field", "group"], sort=False)[["filled", "total"]].sum().reset_index()
    fields = list(dict.fromkeys(df["field"]))
    labels = [t(f"insights.field.{f}", lang) for f in fields]
    groups = [g for g in (*FOCUS, OTHER) if g in set(agg["group"])]
    fig = go.Figure()
    series = []
    for g in groups:
        sub = agg[agg["group"] == g].set_index("field")
        filled = [int(sub.loc[f, "filled"]) if f in sub.index else 0 for f in fields]
        total = [int(sub.loc[f, "total"]) if f in sub.index else 0 for f in fields]
        shares = [100 * a / b if b else 0 for a, b in zip(filled, total, strict=True)]
        name = group_label(g, lang)
        series.append(
            BarSeries(
                name,
                tuple(float(v) for v in shares),
                country_colour(g),
                tuple(
                    f"{number(a, lang)}/{number(b, lang)}"
                    for a, b in zip(filled, total, strict=True)
                ),
            )
        )
        fig.add_trace(
            go.Bar(
                y=labels,
                x=shares,
                orientation="h",
                name=name,
                marker_color=country_colour(g),
                text=[
                    f"{number(a, lang)}/{number(b, lang)}"
                    for a, b in zip(filled, total, strict=True)
                ],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y} · "
                + html.escape(name)
                + ": %{x:.0f}% (%{text})<extra></extra>",
            )
        )
    legend, legend_height = (
        phone_legend(len(groups), ctx)
        if ctx.phone
        else ({"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left"}, 30)
    )
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        legend=legend,
        uniformtext={"minsize": int(ctx.font_size * 0.85), "mode": "show"},
    )
    fig.update_traces(textfont_size=int(ctx.font_size * 0.85))
    fig.update_xaxes(
        range=[0, 112],
        ticksuffix="%",
        showgrid=True,
        gridcolor="#eee",
        # on a phone the axis title wraps: it is centred under a plot area right of the labels
        title_text=wrap(t("insights.axis.filled", lang), 24)
        if ctx.phone
        else t("insights.axis.filled", lang),
    )
    fig.update_yaxes(autorange="reversed")
    note = t("insights.cov.note", lang)
    if ctx.phone:  # each field as tall as its bars
        plot = len(fields) * (len(groups) * 12 + 14)
        decorate(
            fig, title, ctx, 0, note=note, top=legend_height, bottom=64, left=10, plot_height=plot
        )
    else:
        decorate(fig, title, ctx, 600, note=note, top=legend_height, bottom=48, left=10)
    table = pd.DataFrame(
        {
            t("insights.col.field", lang): [t(f"insights.field.{f}", lang) for f in agg["field"]],
            t("insights.col.country", lang): [group_label(g, lang) for g in agg["group"]],
            t("insights.col.filled", lang): agg["filled"].astype(int).tolist(),
            t("insights.col.orgs", lang): agg["total"].astype(int).tolist(),
            t("insights.col.pct_filled", lang): [
                round(100 * a / b, 1) if b else 0.0
                for a, b in zip(agg["filled"], agg["total"], strict=True)
            ],
        }
    )
    # Council membership and the Japanese name of a UK organisation are expected to be rare.
    focus = agg[agg["group"].isin(FOCUS) & ~agg["field"].isin(["membership", "name_ja"])].copy()
    focus["pct"] = focus["filled"] / focus["total"].where(focus["total"] > 0)
    low = focus.sort_values("pct").head(3)
    items = [
        item(
            t(f"insights.field.{r.field}", lang),
            f"{group_label(r.group, lang)} {pct(r.pct, lang)}",
            lang,
        )
        for r in low.itertuples()
        if r.pct == r.pct
    ]
    summary = sentences(
        [t("insights.cov.summary", lang, items=list_text(items, lang) or "—"), note], lang
    )
    panel = BarPanel(
        "", tuple(labels), tuple(series), t("insights.axis.filled", lang), percent=True
    )
    return Chart("coverage", title, fig, table, summary, notes=[note], panels=(panel,))
