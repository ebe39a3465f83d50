"""Organisations by town on a Japan panel and a UK panel (plotly geo subplots), with an
honest count of who could not be drawn. Pure functions: no Streamlit, no database."""

from __future__ import annotations

import html
import math

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from fusion_partners.i18n import t
from fusion_partners.i18n.countries import country_name
from fusion_partners.i18n.labels import Taxonomy, display_name, vocab_label
from fusion_partners.insights.analysis import (
    FOCUS,
    PlaceSummary,
    map_points,
    place_status,
    summarise_places,
)
from fusion_partners.insights.chart import Chart
from fusion_partners.insights.style import ChartContext, country_colour, decorate, empty_figure
from fusion_partners.insights.typeset import item, list_text, number, sentences

MAP_VIEWS: dict[str, dict[str, list[float]]] = {
    "JP": {"lon": [128.5, 146.5], "lat": [30.5, 45.8]},
    "GB": {"lon": [-8.8, 2.2], "lat": [49.8, 59.2]},
}
"""Longitude/latitude window of each map panel."""
MAP_WIDTHS: dict[str, float] = {"JP": 0.6, "GB": 0.4}
"""Share of the figure width of each panel (Japan's window is wider than tall, the UK's taller)."""
PHONE_MAP_HEIGHTS: dict[str, int] = {"JP": 360, "GB": 420}
"""Height (px) of each panel on a phone, where they stand one above the other: a phone-wide
Japan window is about as tall as wide, the UK's taller."""
PHONE_MAP_GAP = 44
"""Room (px) between the panels on a phone, for the second panel's name."""
MAP_LABELS = 4
"""Towns named on each panel (the largest, with at least 3 organisations)."""
LABEL_POSITIONS = ("middle", "top", "bottom", "middle")


def _label_position(rank: int, east: bool) -> str:
    """Text position of the ``rank``-th largest town: towards the panel's centre, so labels
    stay inside the map, alternating vertically so neighbours do not overlap."""
    return f"{LABEL_POSITIONS[rank % len(LABEL_POSITIONS)]} {'left' if east else 'right'}"


MAX_HOVER_NAMES = 12
MAP_KEY_TOWNS = 12
"""Towns per country listed with their organisation counts beside the map on a slide."""


def organisation_map(df: pd.DataFrame, taxonomy: Taxonomy, ctx: ChartContext) -> Chart:
    """Organisations by town on a Japan panel and a UK panel.

    Args:
        df: ``queries.insights.organisation_places``.

    Organisations with no recorded place, a place that names only a region, a place not yet
    reviewed in ``places.csv``, or a place outside Japan and the UK are not drawn; the figure
    says how many of each ("N of M organisations have no recorded place").
    """
    lang = ctx.lang
    title = t("insights.map.title", lang)
    summary_counts = summarise_places(df)
    note = _place_note(summary_counts, lang)
    points = map_points(df)
    table = _map_table(df, taxonomy, lang)
    if summary_counts.total == 0:
        msg = t("insights.empty", lang)
        return Chart("map", title, empty_figure(title, msg, ctx), table, msg, empty=True)
    if points.empty:
        msg = sentences([t("insights.map.none_drawn", lang), note], lang)
        return Chart(
            "map", title, empty_figure(title, msg, ctx), table, msg, empty=True, notes=[note]
        )
    panels = [c for c in FOCUS if c in set(df["country"])] or list(FOCUS)
    titles = [country_name(c, lang) for c in panels]
    plot = sum(PHONE_MAP_HEIGHTS[c] for c in panels) + PHONE_MAP_GAP * (len(panels) - 1)
    if ctx.phone:  # one panel above the other, each the full width
        fig = make_subplots(
            rows=len(panels),
            cols=1,
            specs=[[{"type": "scattergeo"}] for _ in panels],
            subplot_titles=titles,
            vertical_spacing=PHONE_MAP_GAP / plot,
            row_heights=[PHONE_MAP_HEIGHTS[c] for c in panels],
        )
    else:
        fig = make_subplots(
            rows=1,
            cols=len(panels),
            specs=[[{"type": "scattergeo"}] * len(panels)],
            subplot_titles=titles,
            horizontal_spacing=0.02,
            column_widths=[MAP_WIDTHS[c] for c in panels],
        )
    info = df.set_index("id")
    for col, country in enumerate(panels, start=1):
        pts = points[points["country"] == country]
        hover = [_place_hover(r, info, taxonomy, lang) for r in pts.itertuples()]
        sizes = [8 + 7 * math.sqrt(n) for n in pts["n"]]
        labels = [
            f"{town} ({n})" if i < MAP_LABELS and n >= 3 else ""
            for i, (town, n) in enumerate(zip(pts["town"], pts["n"], strict=True))
        ]
        centre = sum(MAP_VIEWS[country]["lon"]) / 2
        positions = [_label_position(i, lon > centre) for i, lon in enumerate(pts["longitude"])]
        fig.add_trace(
            go.Scattergeo(
                lon=pts["longitude"],
                lat=pts["latitude"],
                mode="markers+text",
                text=labels,
                textposition=positions,
                textfont={"size": int(ctx.font_size * 0.9), "color": "#222"},
                marker={
                    "size": sizes,
                    "color": country_colour(country),
                    "opacity": 0.8,
                    "line": {"color": "white", "width": 1},
                },
                hovertext=hover,
                hoverinfo="text",
                name=country_name(country, lang),
                showlegend=False,
            ),
            row=col if ctx.phone else 1,
            col=1 if ctx.phone else col,
        )
        geo = "geo" if col == 1 else f"geo{col}"
        view = MAP_VIEWS[country]
        fig.layout[geo].update(
            resolution=50,
            projection_type="mercator",
            lonaxis_range=view["lon"],
            lataxis_range=view["lat"],
            showland=True,
            landcolor="#F2F2F2",
            showocean=True,
            oceancolor="#FFFFFF",
            showlakes=False,
            showcountries=True,
            countrycolor="#BBBBBB",
            coastlinecolor="#888888",
            showframe=True,
            framecolor="#DDD",
        )
    fig.update_annotations(font={"size": ctx.font_size + 2})
    if ctx.phone:
        decorate(fig, title, ctx, 0, note=note, top=10, plot_height=plot)
    else:
        decorate(fig, title, ctx, 780, note=note, top=10)
    towns = tuple(
        (number(int(r.n), lang), r.town, country_colour(r.country))
        for country in panels
        for r in points[points["country"] == country].head(MAP_KEY_TOWNS).itertuples()
    )
    top = [item(r.town, number(r.n, lang), lang) for r in points.head(4).itertuples()]
    summary = sentences(
        [
            t(
                "insights.map.summary",
                lang,
                drawn=number(summary_counts.drawn, lang),
                total=number(summary_counts.total, lang),
                places=number(len(points), lang),
                top=list_text(top, lang),
            ),
            note,
        ],
        lang,
    )
    return Chart(
        "map",
        title,
        fig,
        table,
        summary,
        notes=[note],
        numbered=towns,
        numbered_title=t("insights.map.key_title", lang, n=MAP_KEY_TOWNS),
    )


def _place_note(s: PlaceSummary, lang: str) -> str:
    parts = [
        t("insights.map.no_place", lang, n=number(s.no_place, lang), total=number(s.total, lang))
    ]
    if s.region_only:
        parts.append(t("insights.map.region_only", lang, n=number(s.region_only, lang)))
    if s.not_reviewed:
        parts.append(t("insights.map.not_reviewed", lang, n=number(s.not_reviewed, lang)))
    if s.elsewhere:
        parts.append(t("insights.map.elsewhere", lang, n=number(s.elsewhere, lang)))
    return sentences(parts, lang)


def _place_hover(point, info: pd.DataFrame, taxonomy: Taxonomy, lang: str) -> str:
    lines = [
        f"<b>{html.escape(point.town)}</b> — {html.escape(t('insights.map.hover_count', lang, n=number(point.n, lang)))}"
    ]
    for oid in point.ids[:MAX_HOVER_NAMES]:
        r = info.loc[oid]
        caps = taxonomy.labels(list(r["capabilities"])[:3], lang)
        name = display_name(r["name_en"], r["name_ja"], lang)
        where = ""
        if r["precision"] == "nearby":
            where = " · " + t("insights.map.drawn_near", lang, place=r["place"])
        lines.append(
            html.escape(
                f"{name} — {vocab_label('org_type', r['org_type'], lang)} — {list_text(caps, lang)}{where}"
            )
        )
    if len(point.ids) > MAX_HOVER_NAMES:
        lines.append(
            html.escape(
                t("insights.map.hover_more", lang, n=number(len(point.ids) - MAX_HOVER_NAMES, lang))
            )
        )
    return "<br>".join(lines)


def _map_table(df: pd.DataFrame, taxonomy: Taxonomy, lang: str) -> pd.DataFrame:
    status = place_status(df) if not df.empty else pd.Series([], dtype=object)
    return pd.DataFrame(
        {
            t("insights.col.name", lang): [
                display_name(a, b, lang) for a, b in zip(df["name_en"], df["name_ja"], strict=True)
            ],
            t("insights.col.country", lang): [country_name(c, lang) for c in df["country"]],
            t("insights.col.place", lang): [p if isinstance(p, str) else "" for p in df["place"]],
            t("insights.col.drawn_at", lang): [
                g if isinstance(g, str) and s == "drawn" else ""
                for g, s in zip(df["gazetteer_name"], status, strict=True)
            ],
            t("insights.col.map_status", lang): [
                t(f"insights.map.status.{s}", lang) for s in status
            ],
        }
    )
