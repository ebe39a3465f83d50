"""What every Insights figure shares: colours, type, the chart context, and the frame of
title, filter subtitle, note and footer.

Every figure carries its title, a subtitle naming the active filters and a footer with the
source and data date, so a PNG pasted into a slide still explains itself (:func:`decorate`).

Colours: the Okabe–Ito palette (Okabe & Ito 2008, "Color Universal Design",
https://jfly.uni-koeln.de/color/), safe for the common colour-vision deficiencies, with one
fixed colour per country across all charts (:data:`COUNTRY_COLOURS`). The heatmap uses a
light-to-dark grey scale (lightness only), so the country colours stay free for the gap marks.

Pure functions: no Streamlit, no database.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass

import plotly.graph_objects as go

from fusion_partners.explore.describe import describe_filters, filters_slug
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n import format_date, t
from fusion_partners.i18n.countries import country_name
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.insights.analysis import FOCUS
from fusion_partners.insights.typeset import wrap

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
        phone: lay the figure out for a phone's chart column (:data:`PHONE_WIDTHS`): panels
            one above the other, shorter lines, labels that fit.
    """

    lang: str
    filters_text: str
    footer: str
    presenter: bool = False
    filter_slug: str = "all"
    phone: bool = False

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


PHONE_WIDTHS = (320, 560)
"""Chart columns (CSS px) the phone layout is made for, from the narrowest phone to just below
the narrowest column the normal layout fits (a 1024 px window with the sidebar open, some
564 px); the page shows the phone layout in columns narrower than the second number."""
WRAP = {"title": (0, 0, 28), "subtitle": (88, 100, 46), "footer": (90, 120, 52)}
"""Columns (a CJK character counts two) a line of the title, the subtitle and note, and the
footer wraps at: normal, presenter, phone (0: no wrapping). 88 columns of subtitle type fit a
1024 px window's chart column with the sidebar open, Japanese included (at 95 a full Japanese
line ran past the right edge); about 90 columns of footer type is some 500 px (at 110 its start
was cut there). On a phone, 46 and 52 columns fit a 320 px column, and the title wraps at 28."""


def wrap_width(ctx: ChartContext, part: str) -> int:
    """The columns a line of ``part`` (``title``, ``subtitle``, ``footer``) wraps at for
    ``ctx`` (:data:`WRAP`; 0: no wrapping)."""
    normal, presenter, phone = WRAP[part]
    return phone if ctx.phone else presenter if ctx.presenter else normal


def phone_legend(lines: int, ctx: ChartContext) -> tuple[dict, int]:
    """A legend for a phone: one entry per row at the top left, above the plot area (a
    horizontal legend wraps unpredictably at phone widths). Returns the legend's layout and the
    height (px) its ``lines`` lines of entries take, which the figure's top margin must add."""
    legend = {
        "orientation": "v",
        "x": 0,
        "y": 1.0,
        "xanchor": "left",
        "yanchor": "bottom",
        "tracegroupgap": 0,  # entries of one legend group each: no gap between them
    }
    return legend, int(lines * ctx.font_size * 1.6) + 6


def decorate(
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
    plot_height: int = 0,
) -> go.Figure:
    """Title, filter subtitle, optional note line and footer, fonts and margins.

    ``height`` is the figure's height in px (presenter mode adds 120), or ``plot_height`` the
    plot area's, when a layout needs that exactly (the figure is then as tall as the plot area
    and its margins); ``top``, ``bottom``, ``left`` and ``right`` are margins in px beyond the
    room the texts take. Lines wrap at
    :func:`wrap_width` columns. The footer ends 8 px from the figure's right edge (whatever the
    right margin holds, such as the heatmap's gap column), so its start stays inside.
    """
    size = ctx.font_size
    heading = (
        wrap(title, wrap_width(ctx, "title")) if ctx.phone else html.escape(title, quote=False)
    )
    title_lines = heading.count("<br>") + 1
    subtitle = wrap(ctx.filters_text, wrap_width(ctx, "subtitle"))
    sub_lines = subtitle.count("<br>") + 1
    note_html = wrap(note, wrap_width(ctx, "subtitle")) if note else ""
    note_lines = note_html.count("<br>") + 1 if note else 0
    top_margin = (
        int(
            size * 2.6
            + (title_lines - 1) * size * 1.6 * 1.25
            + (16 if title_lines > 1 else 0)  # the title's larger pad (below)
            + sub_lines * size * 1.4
            + note_lines * size * 1.3
            + 30
        )
        + top
    )
    footer = wrap(ctx.footer, wrap_width(ctx, "footer"))
    footer_lines = footer.count("<br>") + 1
    bottom_margin = int(footer_lines * size * 1.25 + 24) + bottom
    sub_text = f"<span style='color:#444'>{subtitle}</span>"
    if note_html:
        sub_text += f"<br><span style='color:#8a4b00'>{note_html}</span>"
    fig.update_layout(
        title={
            "text": f"<b>{heading}</b>",
            "subtitle": {"text": sub_text, "font": {"size": int(size * 0.95)}},
            "x": 0.01,
            "xanchor": "left",
            "y": 0.99,
            "yanchor": "top",
            "yref": "container",
            "font": {"size": int(size * 1.6)},
            # plotly sets a title of several lines some 15 px higher than one of a single line
            "pad": {"t": 6 if title_lines == 1 else 22},
        },
        font={"family": FONT_FAMILY, "size": size, "color": "#222"},
        height=(
            plot_height + top_margin + bottom_margin
            if plot_height
            else height + (120 if ctx.presenter else 0)
        ),
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
        xshift=right - 8,  # from the plot area's right edge to 8 px from the figure's
        showarrow=False,
        align="right",
        font={"size": int(size * 0.8)},
        name="footer",
    )
    return fig


def empty_figure(title: str, message: str, ctx: ChartContext, height: int = 420) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(
        text=wrap(message, 44 if ctx.phone else 90),
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
        showarrow=False,
        font={"size": int(ctx.font_size * 1.15), "color": "#555"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return decorate(fig, title, ctx, height)


def figure_filename(chart_key: str, ctx: ChartContext, date: str) -> str:
    """File name stem for a chart's downloads, e.g. ``fusion-insights_map_JP-GB_2026-11-29``;
    Japanese charts end in ``_ja`` so that both languages of one chart can sit side by side."""
    from fusion_partners.explore.export import export_filename

    stem = export_filename(f"fusion-insights_{chart_key}", ctx.filter_slug, date, "x")[:-2]
    return stem + ("_ja" if ctx.lang == "ja" else "")
