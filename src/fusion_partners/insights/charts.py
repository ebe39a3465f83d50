"""Landscape charts for presenters: DataFrames in, self-explaining plotly figures out.

Every figure carries its title, a subtitle naming the active filters and a footer with the
source and data date, so a PNG pasted into a slide still explains itself. Each builder
returns a :class:`Chart`: the figure, the numbers behind it (a table with headers in the
interface language) and a one-paragraph finding computed from the data.

Colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design",
https://jfly.uni-koeln.de/color/), safe for the common colour-vision deficiencies, with one
fixed colour per country across all charts (:data:`COUNTRY_COLOURS`). The heatmap uses a
light-to-dark grey scale (lightness only), so the country colours stay free for the gap marks.

Pure functions: no Streamlit, no database.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from fusion_partners.data.links import RELATIONS
from fusion_partners.data.places import SOURCE as PLACES_SOURCE
from fusion_partners.data.roster import MEMBERSHIPS, ORG_TYPES
from fusion_partners.explore.describe import describe_filters, filters_slug
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n import format_date, format_number, t
from fusion_partners.i18n.countries import country_in_text, country_name
from fusion_partners.i18n.labels import Taxonomy, display_name, vocab_label
from fusion_partners.insights.analysis import (
    FOCUS,
    GAP_MIN_ORGS,
    GAP_RATIO,
    LinkNetwork,
    PlaceSummary,
    capability_gaps,
    map_points,
    place_status,
    summarise_places,
)
from fusion_partners.partners.model import display_score, format_score

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
COUNTRY_COLOURS: dict[str, str] = {"JP": OKABE_ITO["vermillion"], "GB": OKABE_ITO["blue"]}
"""Japan vermillion, United Kingdom blue, in every chart."""
OTHER = "other"
"""Pseudo-country for organisations outside Japan and the UK."""
OTHER_COLOUR = "#8C8C8C"
LINK_COLOUR = "#9A9A9A"
FONT_FAMILY = '"Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", Meiryo, "Helvetica Neue", Arial, sans-serif'
"""Figure font: a CJK font first so Japanese labels render in browsers and exported images."""
HEATMAP_SCALE = [[0.0, "#F7F7F7"], [1.0, "#525252"]]
"""Light to dark grey: lightness only, so it reads the same for every colour vision and the
country-coloured outlines of the gap marks stand out."""
EXPORT_WIDTH, EXPORT_HEIGHT = 1600, 900
"""Pixel size of exported images and slides (16:9)."""

CHART_KEYS: tuple[str, ...] = ("capabilities", "types", "map", "network", "coverage")
"""The charts of the Insights page, in page order."""


def country_colour(code: str) -> str:
    """The fixed colour of a country (grey for any country other than JP and GB)."""
    return COUNTRY_COLOURS.get(code, OTHER_COLOUR)


def country_group(code: str) -> str:
    """``JP``, ``GB`` or :data:`OTHER`."""
    return code if code in FOCUS else OTHER


def group_label(group: str, lang: str) -> str:
    """Name of ``JP``/``GB``/:data:`OTHER` for legends."""
    return t("insights.other_countries", lang) if group == OTHER else country_name(group, lang)


@dataclass(frozen=True)
class ChartContext:
    """What every chart states about itself.

    Attributes:
        lang: ``en`` or ``ja``.
        filters_text: the active filters in words (subtitle).
        footer: source and data date (drawn at the bottom of every figure).
        presenter: larger type for presenting.
        filter_slug: ASCII summary of the filters for file names.
    """

    lang: str
    filters_text: str
    footer: str
    presenter: bool = False
    filter_slug: str = "all"

    @property
    def font_size(self) -> int:
        return 18 if self.presenter else 13


def chart_context(
    filters: Filters,
    taxonomy: Taxonomy,
    meta: Mapping[str, str],
    lang: str,
    presenter: bool = False,
) -> ChartContext:
    """The :class:`ChartContext` for the current filters and data (``queries.meta``)."""

    phrases = describe_filters(filters, taxonomy, lang)
    filters_text = " · ".join(phrases) if phrases else t("insights.no_filters", lang)
    date = format_date(meta.get("data_as_of", ""), lang) or t("data.undated", lang)
    footer = t("insights.footer", lang, app=t("app.title", lang), date=date)
    return ChartContext(lang, filters_text, footer, presenter, filters_slug(filters))


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


def _wrap(text: str, width: int) -> str:
    """Break ``text`` into ``<br>``-separated lines of about ``width`` characters (CJK-aware)."""
    lines, line, size = [], "", 0
    for word in _tokens(text):
        w = sum(2 if ord(ch) > 0x2E80 else 1 for ch in word)
        if size + w > width and line.strip() and word not in NO_LINE_START:
            carry = ""
            while line and line[-1] in NO_LINE_END and line[:-1].strip():  # 「（ never ends a line
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line.rstrip())
            line = carry + word.lstrip()
            size = sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)
        else:
            line, size = line + word, size + w
    if line.strip():
        lines.append(line.rstrip())
    # no single character left alone on the last line (開/発): take one more from the line above
    if (
        len(lines) > 1
        and len(lines[-1]) == 1
        and ord(lines[-1]) > 0x2E80
        and len(lines[-2]) > 2
        and ord(lines[-2][-1]) > 0x2E80
        and lines[-2][-1] not in NO_LINE_START
    ):
        lines[-2], lines[-1] = lines[-2][:-1], lines[-2][-1] + lines[-1]
    return "<br>".join(html.escape(x, quote=False) for x in lines)


def _columns(text: str) -> int:
    """Half-width columns ``text`` takes (a CJK character counts two, as in :func:`_wrap`)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


NO_LINE_START = frozenset("、。，．・：；？！）」』】〕ー")
"""Japanese punctuation that must not begin a line (kinsoku shori)."""
NO_LINE_END = frozenset("（「『【〔(")
"""Opening brackets that must not end a line."""


def _is_katakana(ch: str) -> bool:
    return (
        "\u30a0" <= ch <= "\u30ff" and ch != "\u30fb"
    ) or "\uff66" <= ch <= "\uff9f"  # ・ may break


def _tokens(text: str) -> list[str]:
    """Break opportunities: after a space, around each CJK character, but not inside a run of
    katakana (a loan word such as データ or フュージョン stays on one line)."""
    out, cur = [], ""
    for ch in text:
        if _is_katakana(ch):
            if cur and not _is_katakana(cur[-1]):
                out.append(cur)
                cur = ""
            cur += ch
        elif ord(ch) > 0x2E80:  # other CJK: every character may break
            if cur:
                out.append(cur)
                cur = ""
            out.append(ch)
        elif ch == " ":
            out.append(cur + " ")
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def _decorate(
    fig: go.Figure,
    title: str,
    ctx: ChartContext,
    height: int,
    *,
    note: str = "",
    top: int = 0,
    bottom: int = 0,
    left: int = 20,
    right: int = 20,
) -> go.Figure:
    """Title, filter subtitle, optional note line and footer, fonts and margins."""
    size = ctx.font_size
    # 88 columns of subtitle type fit a 1024 px window's chart column with the sidebar open,
    # Japanese included (at 95 a full Japanese line ran past the right edge)
    subtitle = _wrap(ctx.filters_text, 88 if not ctx.presenter else 100)
    sub_lines = subtitle.count("<br>") + 1
    note_html = _wrap(note, 88 if not ctx.presenter else 100) if note else ""
    note_lines = note_html.count("<br>") + 1 if note else 0
    top_margin = int(size * 2.6 + sub_lines * size * 1.4 + note_lines * size * 1.3 + 30) + top
    # about 90 columns of footer type is some 500 px: it fits the chart column of a 1024 px
    # window with the sidebar open (at 110 its start was cut there)
    footer = _wrap(ctx.footer, 90 if not ctx.presenter else 120)
    footer_lines = footer.count("<br>") + 1
    bottom_margin = int(footer_lines * size * 1.25 + 24) + bottom
    sub_text = f"<span style='color:#444'>{subtitle}</span>"
    if note_html:
        sub_text += f"<br><span style='color:#8a4b00'>{note_html}</span>"
    fig.update_layout(
        title={
            "text": f"<b>{html.escape(title, quote=False)}</b>",
            "subtitle": {"text": sub_text, "font": {"size": int(size * 0.95)}},
            "x": 0.01,
            "xanchor": "left",
            "y": 0.99,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": int(size * 1.6)},
            "pad": {"t": 6},
        },
        font={"family": FONT_FAMILY, "size": size, "color": "#222"},
        height=height + (120 if ctx.presenter else 0),
        margin={"t": top_margin, "b": bottom_margin, "l": left, "r": right, "autoexpand": True},
        paper_bgcolor="white",
        plot_bgcolor="white",
        hoverlabel={"font": {"family": FONT_FAMILY}},
        legend={"font": {"size": size}},  # grows with the rest of the type in presenter mode
    )
    # automargin explicitly: the default template differs by process (Streamlit installs its own,
    # without automargin), and an exported figure must reserve room for its labels by itself
    axis_style = {
        "tickfont": {"color": "#333", "size": size},
        "title_font": {"color": "#333", "size": size},
        "automargin": True,
    }
    fig.update_xaxes(**axis_style)
    fig.update_yaxes(**axis_style)
    fig.add_annotation(  # the footer: anchored to the bottom edge of the figure
        text=f"<span style='color:#555'>{footer}</span>",
        xref="paper",
        yref="paper",
        x=1,
        y=0,
        xanchor="right",
        yanchor="bottom",
        yshift=-bottom_margin + 6,
        showarrow=False,
        align="right",
        font={"size": int(size * 0.8)},
        name="footer",
    )
    return fig


def _empty_figure(title: str, message: str, ctx: ChartContext, height: int = 420) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(
        text=_wrap(message, 90),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": int(ctx.font_size * 1.15), "color": "#555"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _decorate(fig, title, ctx, height)


def _pct(value: float, lang: str) -> str:
    """A share as a percentage: one decimal below 10 % (so 3.3 % and 1.6 % do not both read as
    whole numbers that hide a 2× difference), whole numbers above."""
    pct = value * 100
    if 0 < pct < 10:
        return format_number(round(pct, 1), lang, "#,##0.#") + "%"
    return format_number(round(pct), lang) + "%"


def _n(value: int, lang: str) -> str:
    return format_number(value, lang)


def _list_text(items: Sequence[str], lang: str) -> str:
    return t("insights.list_sep", lang).join(items)


def _sentences(parts: Sequence[str], lang: str) -> str:
    """Sentences joined as the language writes them (a space in English, nothing in Japanese,
    whose sentences end in a full-width 。)."""
    return ("" if lang == "ja" else " ").join(p for p in parts if p)


def _item(label: str, value: str, lang: str) -> str:
    """``label (value)`` with the language's brackets."""
    return t("insights.item_value", lang, label=label, value=value)


# ---------------------------------------------------------------- 1. capability heatmap

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
    table = _capability_table(gaps, taxonomy, lang)
    if not jp_total and not gb_total:
        msg = t("insights.cap.empty", lang)
        return Chart("capabilities", title, _empty_figure(title, msg, ctx), table, msg, empty=True)
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
        [_wrap(g, group_wrap).replace("<br>", gutter + "<br>") + gutter for g in groups],
        [_wrap(label, label_wrap) for label in labels],
    ]
    two_line = any("<br>" in label for label in y[1])
    if measure == "share":
        z = [[r.jp_share * 100, r.gb_share * 100] for r in gaps.itertuples()]
        # a country with no organisation in the selection has no share, not 0 %
        text = [
            [
                _pct(r.jp_share, lang) if jp_total else "—",
                _pct(r.gb_share, lang) if gb_total else "—",
            ]
            for r in gaps.itertuples()
        ]
    else:
        z = [[r.jp_n, r.gb_n] for r in gaps.itertuples()]
        text = [[_n(r.jp_n, lang), _n(r.gb_n, lang)] for r in gaps.itertuples()]
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
                n=_n(r.jp_n, lang),
                share=_pct(r.jp_share, lang),
                total=_n(jp_total, lang),
            ),
            t(
                "insights.cap.hover",
                lang,
                capability=labels[i],
                country=x[1],
                n=_n(r.gb_n, lang),
                share=_pct(r.gb_share, lang),
                total=_n(gb_total, lang),
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
        text=f"<b>{_wrap(gap_col, 12)}</b>",
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
    note = _sentences(
        [
            t("insights.cap.values", lang, measure=t(f"insights.cap.measure.{measure}", lang)),
            t("insights.cap.rule", lang, min=GAP_MIN_ORGS, ratio=f"{GAP_RATIO:g}"),
        ],
        lang,
    )
    row = (36 if two_line else 26) if not ctx.presenter else (44 if two_line else 32)
    height = row * len(labels) + 120
    _decorate(fig, title, ctx, height, note=note, top=24, left=10, right=30)
    summary = _capability_summary(gaps, taxonomy, jp_total, gb_total, lang)
    table_note = _sentences(
        [
            t("insights.cap.values", lang, measure=t(f"insights.cap.measure.{measure}", lang)),
            t("insights.cap.rule_table", lang, min=GAP_MIN_ORGS, ratio=f"{GAP_RATIO:g}"),
        ],
        lang,
    )
    panel = _capability_panel(gaps, groups, labels, text, z, zmax, gap_col, lang, table_note)
    return Chart("capabilities", title, fig, table, summary, notes=[note], panels=(panel,))


def _capability_panel(
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


def _capability_table(gaps: pd.DataFrame, taxonomy: Taxonomy, lang: str) -> pd.DataFrame:
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


def _capability_summary(
    gaps: pd.DataFrame, taxonomy: Taxonomy, jp_total: int, gb_total: int, lang: str
) -> str:
    if not jp_total or not gb_total:
        side = "JP" if jp_total else "GB"
        top = gaps.sort_values(f"{side.lower()}_n", ascending=False).head(3)
        items = [
            _item(taxonomy.label(r.slug, lang), _n(getattr(r, side.lower() + "_n"), lang), lang)
            for r in top.itertuples()
            if getattr(r, side.lower() + "_n")
        ]
        return t(
            "insights.cap.summary_one",
            lang,
            country=country_in_text(side, lang),
            n=_n(jp_total or gb_total, lang),
            top=_list_text(items, lang) or "—",
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
                n=_n(len(strong), lang),
                items=_list_text(items, lang),
            )
        )
    both = gaps[(gaps["jp_n"] >= 3) & (gaps["gb_n"] >= 3) & (gaps["gap"] == "")]
    common = [
        taxonomy.label(s, lang) for s in both.sort_values("jp_n", ascending=False)["slug"].head(3)
    ]
    if common:
        parts.append(t("insights.cap.summary_both", lang, items=_list_text(common, lang)))
    return _sentences(parts, lang)


# ---------------------------------------------------------------- 2. types and memberships


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
        return Chart(
            "types", title, _empty_figure(title, msg, ctx), pd.DataFrame(), msg, empty=True
        )
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
    # The membership panel's labels sit between the panels, where no automatic margin reaches:
    # the gap is sized for the longest label at the narrowest chart column expected (about
    # 600 px, a 1024 px window with the sidebar open; 900 px in presenter mode).
    widest = max((_columns(label) for label in member_labels), default=8)
    spacing = min(0.3, (widest * ctx.font_size * 0.55 + 24) / (900 if ctx.presenter else 600))
    panel_titles = [
        _wrap(t("insights.types.panel_types", lang), 30),
        _wrap(t("insights.types.panel_members", lang), 30),
    ]
    fig = make_subplots(
        rows=1,
        cols=2,
        column_widths=[0.62, 0.38],
        horizontal_spacing=spacing,
        subplot_titles=panel_titles,
    )
    for g in groups:
        name = group_label(g, lang)
        xs = [int(by_type.get((g, x), 0)) for x in types]
        fig.add_trace(
            go.Bar(
                y=type_labels,
                x=xs,
                orientation="h",
                name=name,
                legendgroup=g,
                marker_color=country_colour(g),
                text=[_n(v, lang) if v else "" for v in xs],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y} · " + html.escape(name) + ": %{x}<extra></extra>",
            ),
            row=1,
            col=1,
        )
        ms = [int(by_member.get((g, m), 0)) for m in members]
        fig.add_trace(
            go.Bar(
                y=member_labels,
                x=ms,
                orientation="h",
                name=name,
                legendgroup=g,
                showlegend=False,
                marker_color=country_colour(g),
                text=[_n(v, lang) if v else "" for v in ms],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y} · " + html.escape(name) + ": %{x}<extra></extra>",
            ),
            row=1,
            col=2,
        )
    # The legend is one row right above the panels (the full width is left to the panels, so
    # the footer is not pushed off the left edge), the panel titles above it: the first from
    # the left edge, the second (longer, over the narrower panel) ending at the right edge, so
    # that they neither run into each other nor out of the figure.
    legend_row = int(ctx.font_size * 1.9)
    title_lines = max(title.count("<br>") + 1 for title in panel_titles)
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left"},
        uniformtext={"minsize": int(ctx.font_size * 0.85), "mode": "show"},
    )
    fig.update_traces(textfont_size=int(ctx.font_size * 0.85))
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(
        showgrid=True,
        gridcolor="#eee",
        title_text=t("insights.axis.orgs", lang),
        zeroline=True,
        zerolinecolor="#999",
    )
    fig.update_annotations(font={"size": ctx.font_size + 1}, yshift=legend_row)
    first, second = fig.layout.annotations
    first.update(x=0, xanchor="left", align="left")
    second.update(x=1, xanchor="right", align="right")
    note = t("insights.types.member_note", lang)
    top = 8 + legend_row + int(title_lines * (ctx.font_size + 1) * 1.3)
    _decorate(
        fig, title, ctx, 540 if len(types) <= 8 else 640, note=note, top=top, bottom=48, left=10
    )
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
                n=_n(total, lang),
                type=vocab_label("org_type", top_type, lang),
                share=_pct(top_n / total if total else 0, lang),
            )
        )
    stated = data[data["membership"] != "other"].groupby(["membership", "group"])["n"].sum()
    member_parts = [
        t(
            "insights.types.summary_member",
            lang,
            membership=vocab_label("membership", m, lang),
            country=group_label(g, lang),
            n=_n(int(n), lang),
        )
        for (m, g), n in stated.items()
    ]
    summary = _sentences(
        [
            *parts,
            (
                t("insights.types.summary_members", lang, items=_list_text(member_parts, lang))
                if member_parts
                else t("insights.types.summary_no_members", lang)
            ),
        ],
        lang,
    )
    return Chart("types", title, fig, table, summary, notes=[note], panels=panels)


# ---------------------------------------------------------------- 3. map

MAP_VIEWS: dict[str, dict[str, list[float]]] = {
    "JP": {"lon": [128.5, 146.5], "lat": [30.5, 45.8]},
    "GB": {"lon": [-8.8, 2.2], "lat": [49.8, 59.2]},
}
"""Longitude/latitude window of each map panel."""
MAP_WIDTHS: dict[str, float] = {"JP": 0.6, "GB": 0.4}
"""Share of the figure width of each panel (Japan's window is wider than tall, the UK's taller)."""
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
        return Chart("map", title, _empty_figure(title, msg, ctx), table, msg, empty=True)
    if points.empty:
        msg = _sentences([t("insights.map.none_drawn", lang), note], lang)
        return Chart(
            "map", title, _empty_figure(title, msg, ctx), table, msg, empty=True, notes=[note]
        )
    panels = [c for c in FOCUS if c in set(df["country"])] or list(FOCUS)
    fig = make_subplots(
        rows=1,
        cols=len(panels),
        specs=[[{"type": "scattergeo"}] * len(panels)],
        subplot_titles=[country_name(c, lang) for c in panels],
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
            row=1,
            col=col,
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
    _decorate(fig, title, ctx, 780, note=note, top=10)
    towns = tuple(
        (_n(int(r.n), lang), r.town, country_colour(r.country))
        for country in panels
        for r in points[points["country"] == country].head(MAP_KEY_TOWNS).itertuples()
    )
    top = [_item(r.town, _n(r.n, lang), lang) for r in points.head(4).itertuples()]
    summary = _sentences(
        [
            t(
                "insights.map.summary",
                lang,
                drawn=_n(summary_counts.drawn, lang),
                total=_n(summary_counts.total, lang),
                places=_n(len(points), lang),
                top=_list_text(top, lang),
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
    parts = [t("insights.map.no_place", lang, n=_n(s.no_place, lang), total=_n(s.total, lang))]
    if s.region_only:
        parts.append(t("insights.map.region_only", lang, n=_n(s.region_only, lang)))
    if s.not_reviewed:
        parts.append(t("insights.map.not_reviewed", lang, n=_n(s.not_reviewed, lang)))
    if s.elsewhere:
        parts.append(t("insights.map.elsewhere", lang, n=_n(s.elsewhere, lang)))
    return _sentences(parts, lang)


def _place_hover(point, info: pd.DataFrame, taxonomy: Taxonomy, lang: str) -> str:
    lines = [
        f"<b>{html.escape(point.town)}</b> — {html.escape(t('insights.map.hover_count', lang, n=_n(point.n, lang)))}"
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
                f"{name} — {vocab_label('org_type', r['org_type'], lang)} — {_list_text(caps, lang)}{where}"
            )
        )
    if len(point.ids) > MAX_HOVER_NAMES:
        lines.append(
            html.escape(
                t("insights.map.hover_more", lang, n=_n(len(point.ids) - MAX_HOVER_NAMES, lang))
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


# ---------------------------------------------------------------- 4. network


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
    table = _network_table(net, taxonomy, lang)
    if net.edges.empty:
        msg = t("insights.net.empty", lang)
        return Chart("network", title, _empty_figure(title, msg, ctx), table, msg, empty=True)
    note = _network_note(net, lang)
    hint = t(
        "insights.net.hover_hint_documented"
        if net.kind == "documented"
        else "insights.net.hover_hint",
        lang,
    )
    fig = _network_figure(net, taxonomy, ctx, title, _sentences([note, hint], lang), numbered=False)
    static = _network_figure(net, taxonomy, ctx, title, note, numbered=True)
    summary = _network_summary(net, taxonomy, lang)
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
        caps = _list_text(_link_labels(list(e.capabilities), taxonomy, lang), lang)
        mid_text.append(
            "<br>".join(
                html.escape(s)
                for s in (
                    f"{_node_name(a, lang)} ↔ {_node_name(b, lang)}",
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
                    _node_name(r, lang),
                    t(
                        "insights.net.hover_node",
                        lang,
                        type=vocab_label("org_type", r["org_type"], lang),
                        links=_n(int(r["links"]), lang),
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
                name=t("insights.net.bridge", lang),
                marker={
                    "size": [22 + 2.5 * n for n in bridges["links"]],
                    "color": "rgba(0,0,0,0)",
                    "line": {"color": OKABE_ITO["black"], "width": 2.5},
                    "symbol": "circle",
                },
                hoverinfo="skip",
            )
        )
        for i, (_, r) in enumerate(
            [] if numbered else bridges.sort_values("y", ascending=False).iterrows()
        ):
            fig.add_annotation(
                x=r["x"],
                y=r["y"],
                text=html.escape(_short(_node_name(r, lang))),
                showarrow=True,
                arrowhead=0,
                arrowwidth=1,
                arrowcolor="#333",
                ax=(60 if i % 2 == 0 else -60),
                ay=-34,
                bgcolor="rgba(255,255,255,0.9)",
                bordercolor="#333",
                borderwidth=1,
                borderpad=3,
                font={"size": int(ctx.font_size * 0.95), "color": "#111"},
            )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor=None)
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
    _decorate(fig, title, ctx, 680, note=note, top=24 + int(ctx.font_size * 1.5))
    return fig


def network_key(net: LinkNetwork, lang: str) -> tuple[tuple[str, str, str], ...]:
    """``(number, name, colour)`` of every organisation in ``net``, numbered most links first
    (then bridging, then id), as the static network labels them."""
    order = net.nodes.sort_values(["links", "betweenness", "id"], ascending=[False, False, True])
    return tuple(
        (str(i), _node_name(r, lang), country_colour(r["country"]))
        for i, (_, r) in enumerate(order.iterrows(), start=1)
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


def _node_name(row, lang: str) -> str:
    return display_name(row["name_en"], row["name_ja"], lang) or str(row.name)


def _short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fit_width(text: str, columns: int) -> str:
    """``text`` cut with … to at most ``columns`` half-width columns (a CJK character counts two)."""
    widths = [2 if ord(ch) > 0x2E80 else 1 for ch in text]
    if sum(widths) <= columns:
        return text
    out, used = "", 0
    for ch, w in zip(text, widths, strict=True):
        if used + w > columns - 1:  # room for the …
            break
        out, used = out + ch, used + w
    return out.rstrip() + "…"


def _link_labels(slugs: list[str], taxonomy: Taxonomy, lang: str) -> list[str]:
    """Labels of what lies behind a link: capabilities, or the relations of documented links."""
    return [
        vocab_label("relation", s, lang) if s in RELATIONS else taxonomy.label(s, lang)
        for s in slugs
    ]


def _network_table(net: LinkNetwork, taxonomy: Taxonomy, lang: str) -> pd.DataFrame:
    cols = [
        t("insights.col.jp_org", lang),
        t("insights.col.gb_org", lang),
        t("insights.col.score", lang),
        t("insights.col.shared", lang),
    ]
    if net.edges.empty:
        return pd.DataFrame(columns=cols)
    nodes = net.nodes.set_index("id")
    return pd.DataFrame(
        {
            cols[0]: [_node_name(nodes.loc[i], lang) for i in net.edges["source_id"]],
            cols[1]: [_node_name(nodes.loc[i], lang) for i in net.edges["target_id"]],
            cols[2]: [display_score(s) for s in net.edges["score"]],
            cols[3]: [
                _list_text(_link_labels(list(c), taxonomy, lang), lang)
                for c in net.edges["capabilities"]
            ],
        }
    )


def _network_summary(net: LinkNetwork, taxonomy: Taxonomy, lang: str) -> str:
    nodes = net.nodes.set_index("id")
    best = net.edges.iloc[0]
    key = (
        "insights.net.summary_best_documented"
        if net.kind == "documented"
        else "insights.net.summary_best"
    )
    strongest = t(
        key,
        lang,
        a=_node_name(nodes.loc[best["source_id"]], lang),
        b=_node_name(nodes.loc[best["target_id"]], lang),
        caps=_list_text(_link_labels(list(best["capabilities"]), taxonomy, lang), lang),
    )
    bridges = net.nodes[net.nodes["bridge"]].sort_values("betweenness", ascending=False)
    if bridges.empty:
        bridge_text = t("insights.net.summary_no_bridge", lang)
    else:
        items = [
            _item(
                _node_name(r, lang),
                t("insights.list_sep", lang).join(
                    [country_name(r["country"], lang), _n(int(r["links"]), lang)]
                ),
                lang,
            )
            for _, r in bridges.iterrows()
        ]  # every ringed bridge (at most MAX_BRIDGES)
        bridge_text = t("insights.net.summary_bridges", lang, items=_list_text(items, lang))
    return _sentences([strongest, bridge_text, _network_note(net, lang)], lang)


def _network_note(net: LinkNetwork, lang: str) -> str:
    """ "Showing the N strongest of M candidate links for <kind> ..." (subtitle and summary)."""
    if net.kind == "documented":
        return t(
            "insights.net.documented_note",
            lang,
            shown=_n(len(net.edges), lang),
            total=_n(net.total_links, lang),
        )
    note = t(
        "insights.net.cap_note",
        lang,
        shown=_n(len(net.edges), lang),
        total=_n(net.total_links, lang),
        kind=t(f"partners.kind.{net.kind or 'supply_chain'}", lang),
    )
    if (
        net.sampled and net.scope is not None
    ):  # a bounded query on a large roster says whom it paired
        ends, paired = dict(net.scope.ends), dict(net.scope.paired)
        key = "insights.net.bounded_exact" if net.exact else "insights.net.bounded_partial"
        note = _sentences(
            [
                note,
                t(
                    key,
                    lang,
                    jp=_n(paired.get("JP", 0), lang),
                    gb=_n(paired.get("GB", 0), lang),
                    jp_total=_n(ends.get("JP", 0), lang),
                    gb_total=_n(ends.get("GB", 0), lang),
                ),
            ],
            lang,
        )
    return note


# ---------------------------------------------------------------- 5. coverage


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
            "coverage", title, _empty_figure(title, msg, ctx), pd.DataFrame(), msg, empty=True
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
        pct = [100 * a / b if b else 0 for a, b in zip(filled, total, strict=True)]
        name = group_label(g, lang)
        series.append(
            BarSeries(
                name,
                tuple(float(v) for v in pct),
                country_colour(g),
                tuple(f"{_n(a, lang)}/{_n(b, lang)}" for a, b in zip(filled, total, strict=True)),
            )
        )
        fig.add_trace(
            go.Bar(
                y=labels,
                x=pct,
                orientation="h",
                name=name,
                marker_color=country_colour(g),
                text=[f"{_n(a, lang)}/{_n(b, lang)}" for a, b in zip(filled, total, strict=True)],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y} · "
                + html.escape(name)
                + ": %{x:.0f}% (%{text})<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        bargap=0.25,
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left"},
        uniformtext={"minsize": int(ctx.font_size * 0.85), "mode": "show"},
    )
    fig.update_traces(textfont_size=int(ctx.font_size * 0.85))
    fig.update_xaxes(
        range=[0, 112],
        ticksuffix="%",
        showgrid=True,
        gridcolor="#eee",
        title_text=t("insights.axis.filled", lang),
    )
    fig.update_yaxes(autorange="reversed")
    note = t("insights.cov.note", lang)
    _decorate(fig, title, ctx, 600, note=note, top=30, bottom=48, left=10)
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
        _item(
            t(f"insights.field.{r.field}", lang),
            f"{group_label(r.group, lang)} {_pct(r.pct, lang)}",
            lang,
        )
        for r in low.itertuples()
        if r.pct == r.pct
    ]
    summary = _sentences(
        [t("insights.cov.summary", lang, items=_list_text(items, lang) or "—"), note], lang
    )
    panel = BarPanel(
        "", tuple(labels), tuple(series), t("insights.axis.filled", lang), percent=True
    )
    return Chart("coverage", title, fig, table, summary, notes=[note], panels=(panel,))


SLIDE_FIGURE_TOP = 56
"""Top margin (px) of a figure on a slide: room for a legend or the map panels' titles."""


def slide_figure(fig: go.Figure, width: int | None = None, height: int | None = None) -> go.Figure:
    """A copy of ``fig`` for a slide picture: no title, subtitle or footer (the slide states
    them once, as text) and no network key (the slide lists it as text), the room they took
    given to the plot area. ``width`` × ``height`` (CSS px) size it to the slide's picture
    area, so its type prints at a readable size; by default it keeps its width and loses the
    height of the margins it no longer needs."""
    out = go.Figure(fig)
    margin = out.layout.margin
    top, bottom = int(margin.t or 0), int(margin.b or 0)
    out.update_layout(title={"text": "", "subtitle": {"text": ""}})
    out.layout.annotations = [a for a in out.layout.annotations if a.name not in ("footer", "key")]
    if any(a.name == "key" for a in fig.layout.annotations):
        out.update_xaxes(domain=[0, 1])
    new_top, new_bottom = min(top, SLIDE_FIGURE_TOP), min(bottom, 12)
    out.update_layout(
        margin={"t": new_top, "b": new_bottom},
        height=height or int(out.layout.height or 700) - (top - new_top) - (bottom - new_bottom),
    )
    if width:
        out.update_layout(width=width)
    return out


def figure_filename(chart_key: str, ctx: ChartContext, date: str) -> str:
    """File name stem for a chart's downloads, e.g. ``fusion-insights_map_JP-GB_2026-11-29``;
    Japanese charts end in ``_ja`` so that both languages of one chart can sit side by side."""
    from fusion_partners.explore.export import export_filename

    stem = export_filename(f"fusion-insights_{chart_key}", ctx.filter_slug, date, "x")[:-2]
    return stem + ("_ja" if ctx.lang == "ja" else "")


__all__ = [
    "CHART_KEYS",
    "COUNTRY_COLOURS",
    "Chart",
    "ChartContext",
    "EXPORT_HEIGHT",
    "EXPORT_WIDTH",
    "FONT_FAMILY",
    "MEASURES",
    "OKABE_ITO",
    "capability_heatmap",
    "chart_context",
    "country_colour",
    "coverage_chart",
    "figure_filename",
    "link_network_chart",
    "organisation_map",
    "types_memberships",
    "PLACES_SOURCE",
    "BarPanel",
    "BarSeries",
    "TablePanel",
    "fit_width",
    "network_key",
    "slide_figure",
]
