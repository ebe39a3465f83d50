"""What a chart builder returns: a :class:`Chart` (the figure, the numbers behind it as a
table, the finding in words) and the chart as data for native slides (:class:`BarPanel`,
:class:`TablePanel`). Plain data classes; no Streamlit, no database."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

CHART_KEYS: tuple[str, ...] = ("capabilities", "types", "map", "network", "coverage")
"""The charts of the Insights page, in page order."""


@dataclass
class Chart:
    """One chart of the Insights page.

    Attributes:
        key: one of :data:`CHART_KEYS`.
        title: the chart title (also drawn in the figure).
        figure: the plotly figure (title, subtitle and footer included).
        table: the numbers behind the figure, headers in the interface language.
        summary: the main finding in words, in the interface language.
        empty: True when there was nothing to draw (the figure explains why).
        notes: what the values mean (the figure's note line).
        panels: the chart as data for native slides (:class:`BarPanel`, :class:`TablePanel`);
            empty when it has no native form (map, network).
        static: a variant for still images that reads without hovering (``None``: the figure).
        numbered: ``(number, name, colour)`` lines that name what a still image cannot
            show without hovering: the network's numbered organisations, the map's towns with
            their organisation counts (on slides, as text beside the picture).
        numbered_title: a heading for those lines (``""``: none).
    """

    key: str
    title: str
    figure: go.Figure
    table: pd.DataFrame
    summary: str
    empty: bool = False
    notes: list[str] = field(default_factory=list)
    panels: tuple[BarPanel | TablePanel, ...] = ()
    static: go.Figure | None = None
    numbered: tuple[tuple[str, str, str], ...] = ()
    numbered_title: str = ""

    @property
    def export_figure(self) -> go.Figure:
        """The figure for images (PNG, SVG, slides): :attr:`static` when the chart has a
        variant that reads without hovering, else :attr:`figure`."""
        return self.static if self.static is not None else self.figure


@dataclass(frozen=True)
class BarSeries:
    """One series of a :class:`BarPanel`: ``name`` (legend), ``values`` (one per category),
    ``colour`` (``#RRGGBB``) and optional data-label ``labels`` (text per value; empty: the
    value itself)."""

    name: str
    values: tuple[float, ...]
    colour: str
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class BarPanel:
    """A horizontal bar chart as data, for charts drawn natively elsewhere (PowerPoint).

    Attributes:
        title: the panel's own title (``""`` when the slide title says it all).
        categories: bar labels, top to bottom.
        series: one :class:`BarSeries` per country group.
        axis_title: the value axis title.
        percent: values are percentages (axis 0–100).
        weight: share of the slide width relative to the other panels.
    """

    title: str
    categories: tuple[str, ...]
    series: tuple[BarSeries, ...]
    axis_title: str = ""
    percent: bool = False
    weight: float = 1.0


@dataclass(frozen=True)
class TablePanel:
    """A table as data (the heatmap's native form): ``header`` and ``rows`` of cell text;
    ``shade`` per cell, 0–1 on the heatmap's grey scale (``None``: no fill); ``colour`` per
    cell, a text colour (``None``: the default); ``bold`` per cell; ``note``, what the
    values and marks mean (said under the slide title)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    shade: tuple[tuple[float | None, ...], ...] = ()
    colour: tuple[tuple[str | None, ...], ...] = ()
    bold: tuple[tuple[bool, ...], ...] = ()
    note: str = ""
