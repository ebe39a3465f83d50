"""Japan–UK links as a network: organisations as nodes coloured by country, links by
score, bridges ringed. An interactive figure for the page and a numbered still variant for
images and slides. Pure functions: no Streamlit, no database."""

from __future__ import annotations

import html
import math

import plotly.graph_objects as go

from fusion_partners.i18n import t
from fusion_partners.i18n.countries import country_name
from fusion_partners.i18n.labels import Taxonomy, vocab_label
from fusion_partners.insights.analysis import FOCUS, LinkNetwork
from fusion_partners.insights.callouts import place
from fusion_partners.insights.chart import Chart
from fusion_partners.insights.network_text import (
    link_labels,
    network_key,
    network_note,
    network_summary,
    network_table,
    node_name,
    short,
)
from fusion_partners.insights.style import (
    EXPORT_WIDTH,
    LINK_COLOUR,
    OKABE_ITO,
    ChartContext,
    country_colour,
    decorate,
    empty_figure,
    phone_legend,
)
from fusion_partners.insights.typeset import columns, fit_width, list_text, number, sentences, wrap
from fusion_partners.partners.query import format_score


def link_network_chart(net: LinkNetwork, taxonomy: Taxonomy, ctx: ChartContext) -> Chart:
    """Japan–UK candidate links: organisations as nodes coloured by country, links by score.

    Args:
        net: :func:`fusion_partners.insights.analysis.link_network` (strongest links, layout, bridges).

    Bridge organisations (highest betweenness) are ringed and named; every link has a hover
    point at its middle naming the two organisations and the shared capabilities. The chart's
    :attr:`Chart.static` variant, for images and slides, reads without hovering: every
    organisation is numbered and named in a key, and no note speaks of hovering.
    """
    lang = ctx.lang
    title = t("insights.net.title", lang)
    if net.kind == "documented":
        title = t("insights.net.title_documented", lang)
    elif net.kind:
        title = t("insights.net.title_kind", lang, kind=t(f"partners.kind.{net.kind}", lang))
    table = network_table(net, taxonomy, lang)
    if net.edges.empty:
        msg = t("insights.net.empty", lang)
        return Chart("network", title, empty_figure(title, msg, ctx), table, msg, empty=True)
    note = network_note(net, lang)
    hint = t(
        "insights.net.hover_hint_documented"
        if net.kind == "documented"
        else "insights.net.hover_hint",
        lang,
    )
    fig = _network_figure(net, taxonomy, ctx, title, sentences([note, hint], lang), numbered=False)
    # a phone's figure is only shown on the page; images and slides use the normal one's
    static = None if ctx.phone else _network_figure(net, taxonomy, ctx, title, note, numbered=True)
    summary = network_summary(net, taxonomy, lang)
    return Chart(
        "network",
        title,
        fig,
        table,
        summary,
        notes=[note],
        static=static,
        numbered=network_key(net, lang),
    )


PHONE_NETWORK_HEIGHT = 360
"""Height (px) of the network's plot area on a phone."""
KEY_ROWS = 26
"""Names per column of the static network's key."""


def _network_figure(
    net: LinkNetwork,
    taxonomy: Taxonomy,
    ctx: ChartContext,
    title: str,
    note: str,
    *,
    numbered: bool,
) -> go.Figure:
    """The network figure. ``numbered``: the static variant for images and slides, where
    nobody can hover: every organisation carries a number, and a key beside the network names
    each (most links first); the bridges' name boxes are left out, as the key names them."""
    lang = ctx.lang
    nodes = net.nodes.set_index("id")
    fig = go.Figure()
    top = float(net.edges["score"].max()) or 1.0
    for lo, hi, width in ((0.0, 0.5, 1.0), (0.5, 0.8, 2.2), (0.8, 1.01, 3.6)):
        xs, ys = [], []
        for e in net.edges.itertuples():
            if lo <= e.score / top < hi:
                a, b = nodes.loc[e.source_id], nodes.loc[e.target_id]
                xs += [a["x"], b["x"], None]
                ys += [a["y"], b["y"], None]
        if xs:
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    line={"color": LINK_COLOUR, "width": width},
                    hoverinfo="skip",
                    showlegend=False,
                    opacity=0.7,
                )
            )
    mid_x, mid_y, mid_text = [], [], []
    for e in net.edges.itertuples():
        a, b = nodes.loc[e.source_id], nodes.loc[e.target_id]
        mid_x.append((a["x"] + b["x"]) / 2)
        mid_y.append((a["y"] + b["y"]) / 2)
        caps = list_text(link_labels(list(e.capabilities), taxonomy, lang), lang)
        mid_text.append(
            "<br>".join(
                html.escape(s)
                for s in (
                    f"{node_name(a, lang)} ↔ {node_name(b, lang)}",
                    t(
                        "insights.net.hover_link",
                        lang,
                        score=format_score(e.score, lang),
                        caps=caps,
                    ),
                )
            )
        )
    fig.add_trace(
        go.Scatter(
            x=mid_x,
            y=mid_y,
            mode="markers",
            marker={"size": 7, "color": LINK_COLOUR, "opacity": 0.35},
            hovertext=mid_text,
            hoverinfo="text",
            showlegend=False,
            name="",
        )
    )
    for country in FOCUS:
        sub = net.nodes[net.nodes["country"] == country]
        if sub.empty:
            continue
        hover = [
            "<br>".join(
                html.escape(s)
                for s in (
                    node_name(r, lang),
                    t(
                        "insights.net.hover_node",
                        lang,
                        type=vocab_label("org_type", r["org_type"], lang),
                        links=number(int(r["links"]), lang),
                        betweenness=f"{r['betweenness']:.2f}",
                    ),
                )
            )
            for _, r in sub.iterrows()
        ]
        fig.add_trace(
            go.Scatter(
                x=sub["x"],
                y=sub["y"],
                mode="markers",
                name=country_name(country, lang),
                marker={
                    "size": [9 + 2.5 * n for n in sub["links"]],
                    "color": country_colour(country),
                    "line": {"color": "white", "width": 1},
                },
                hovertext=hover,
                hoverinfo="text",
            )
        )
    bridges = net.nodes[net.nodes["bridge"]]
    if not bridges.empty:
        fig.add_trace(
            go.Scatter(
                x=bridges["x"],
                y=bridges["y"],
                mode="markers",
                name=wrap(t("insights.net.bridge", lang), 30)
                if ctx.phone
                else t("insights.net.bridge", lang),
                marker={
                    "size": [22 + 2.5 * n for n in bridges["links"]],
                    "color": "rgba(0,0,0,0)",
                    "line": {"color": OKABE_ITO["black"], "width": 2.5},
                    "symbol": "circle",
                },
                hoverinfo="skip",
            )
        )
        if not numbered:
            _name_bridges(fig, net, bridges, ctx)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor=None)
    if ctx.phone:  # one entry per row: the countries, then the bridge entry on two lines
        countries = sum(1 for c in FOCUS if (net.nodes["country"] == c).any())
        legend, legend_height = phone_legend(countries + (0 if bridges.empty else 2), ctx)
        fig.update_layout(legend=legend)
        top = 24 + legend_height
        return decorate(fig, title, ctx, 0, note=note, top=top, plot_height=PHONE_NETWORK_HEIGHT)
    # entries as wide as their text (not one common width), so they share rows; room for two
    # rows, as the bridge entry alone is half a 1024 px window's chart column
    fig.update_layout(
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.0,
            "yanchor": "bottom",
            "xanchor": "left",
            "entrywidth": 0,
            "entrywidthmode": "pixels",
        }
    )
    if numbered:
        _number_nodes(fig, net, ctx)
    decorate(fig, title, ctx, 680, note=note, top=24 + int(ctx.font_size * 1.5))
    return fig


BRIDGE_AREA = {False: (520, 420), True: (320, PHONE_NETWORK_HEIGHT)}
"""The plot area (px) the bridges' name boxes are placed for, normal and on a phone: the
narrowest the figure is drawn at (a wider one only spreads the nodes further apart)."""


def _name_bridges(fig: go.Figure, net: LinkNetwork, bridges, ctx: ChartContext) -> None:
    """A name box with an arrow beside each bridge, the most bridging first, each where it
    covers no other (:func:`fusion_partners.insights.callouts.place`)."""
    lang = ctx.lang
    size = int(ctx.font_size * 0.95)
    width, height = BRIDGE_AREA[ctx.phone]
    xs, ys = net.nodes["x"], net.nodes["y"]
    # plotly pads the range around the markers by about 5 % on each side
    x0, x1 = xs.min() - 0.05 * (xs.max() - xs.min()), xs.max() + 0.05 * (xs.max() - xs.min())
    y0, y1 = ys.min() - 0.05 * (ys.max() - ys.min()), ys.max() + 0.05 * (ys.max() - ys.min())
    order = bridges.sort_values(["betweenness", "id"], ascending=[False, True])
    names = [short(node_name(r, lang), 20 if ctx.phone else 28) for _, r in order.iterrows()]
    points = [
        ((r["x"] - x0) / ((x1 - x0) or 1) * width, (y1 - r["y"]) / ((y1 - y0) or 1) * height)
        for _, r in order.iterrows()
    ]
    sizes = [(columns(name) * size * 0.55 + 12, size * 1.25 + 8) for name in names]
    for (_, r), name, (ax, ay) in zip(
        order.iterrows(), names, place(points, sizes, (width, height)), strict=True
    ):
        fig.add_annotation(
            x=r["x"],
            y=r["y"],
            text=html.escape(name),
            showarrow=True,
            arrowhead=0,
            arrowwidth=1,
            arrowcolor="#333",
            ax=ax,
            ay=ay,
            bgcolor="rgba(255,255,255,0.9)",
            bordercolor="#333",
            borderwidth=1,
            borderpad=3,
            font={"size": size, "color": "#111"},
        )


def _number_nodes(fig: go.Figure, net: LinkNetwork, ctx: ChartContext) -> None:
    """Number every node (as :func:`network_key`) and list the numbers with the names, in the
    country colour, in columns right of the network (annotations named ``key``)."""
    lang = ctx.lang
    order = net.nodes.sort_values(
        ["links", "betweenness", "id"], ascending=[False, False, True]
    ).reset_index(drop=True)
    fig.add_trace(
        go.Scatter(
            x=order["x"],
            y=order["y"],
            mode="text",
            text=[str(i) for i in range(1, len(order) + 1)],
            textposition="top center",
            textfont={"size": int(ctx.font_size * 0.85), "color": "#111"},
            hoverinfo="skip",
            showlegend=False,
            name="",
        )
    )
    columns = max(1, math.ceil(len(order) / KEY_ROWS))
    key_width = min(0.22 * columns, 0.5)
    fig.update_xaxes(domain=[0, 1 - key_width - 0.02])
    # columns of the key in half-width characters (a CJK character counts two), less the number
    limit = max(int(EXPORT_WIDTH * key_width / columns / (ctx.font_size * 0.85 * 0.56)) - 4, 10)
    rows = math.ceil(len(order) / columns)
    key = network_key(net, lang)
    for col in range(columns):
        lines = [
            f"<b><span style='color:{colour}'>{number}</span></b> {html.escape(fit_width(name, limit))}"
            for number, name, colour in key[col * rows : (col + 1) * rows]
        ]
        fig.add_annotation(
            text="<br>".join(lines),
            xref="paper",
            yref="paper",
            x=1 - key_width + col * key_width / columns,
            y=1.0,
            xanchor="left",
            yanchor="top",
            align="left",
            showarrow=False,
            font={"size": int(ctx.font_size * 0.85), "color": "#222"},
            name="key",
        )
