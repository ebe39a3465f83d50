"""The chart pack: every chart for the current filters as a PowerPoint file (python-pptx).

One 16:9 slide per chart. The slide states each thing once, as editable text: the title at
the top, the chart's note (what the values mean) under it, and one line at the bottom with
the filters, source and data date. The chart itself is a native PowerPoint object wherever
its type allows, so a presenter can restyle, relabel or re-sort it in PowerPoint:

* bar charts (organisation types and memberships, field coverage) are PowerPoint bar charts
  (python-pptx chart objects, data editable in PowerPoint's sheet);
* the capability heatmap is a PowerPoint table, its cells shaded as in the figure;
* only the map and the network, which have no native form, are pictures, rendered at the
  slide's size without their own title and footer (the slide has them). Since nobody can
  hover over a slide, what the page shows on hover is listed as text beside the picture: the
  network's organisations by the numbers drawn on its nodes, the map's towns with their
  organisation counts.

The chart's summary goes into the speaker notes. A cover slide names the pack, the filters and
the data date.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go
from pptx import Presentation
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches

from fusion_partners.i18n import format_date, t
from fusion_partners.insights.chart import BarPanel, Chart, TablePanel
from fusion_partners.insights.pptx_draw import (
    add_bar_chart,
    add_key,
    add_table,
    write_text,
)
from fusion_partners.insights.style import ChartContext

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.4)
PX_PER_INCH = 96
"""CSS pixels per inch of slide for pictures: a figure's 13 px type prints at about 10 pt."""
KEY_SHARE = 0.45
"""Share of the slide width given to the key beside a numbered picture."""
TITLE_TOP, BODY_TOP, BODY_TOP_SUBTITLE, BODY_BOTTOM = (
    Inches(0.2),
    Inches(0.85),
    Inches(1.45),
    Inches(0.7),
)

Panel = BarPanel | TablePanel


@dataclass(frozen=True)
class SlideSpec:
    """One chart slide.

    Attributes:
        title: the slide title (stated once, at the top).
        image: PNG bytes of a picture, or ``None`` for a slide of native ``panels``.
        caption: filters · source · date (stated once, at the bottom).
        notes: the summary, in the speaker notes.
        subtitle: what the values mean (under the title; ``""`` for none).
        panels: native charts and tables, side by side (used when ``image`` is ``None``).
        message: text shown instead of a chart when there is nothing to draw.
        key: ``(number, name, colour)`` lines listed as text beside the picture: the
            network's numbered organisations, the map's towns with their counts.
        key_title: a bold heading over ``key`` (``""``: none).
    """

    title: str
    image: bytes | None
    caption: str
    notes: str = ""
    subtitle: str = ""
    panels: tuple[Panel, ...] = ()
    message: str = ""
    key: tuple[tuple[str, str, str], ...] = ()
    key_title: str = ""


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels of PNG ``data``.

    Raises:
        ValueError: when ``data`` is not a PNG.
    """
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", data[16:24])


def picture_area(subtitle: bool, key: bool) -> tuple[int, int]:
    """(width, height) in EMU of a slide's picture: the body between title (and subtitle)
    and caption, less the key's column when the picture has a key."""
    inner = SLIDE_WIDTH - 2 * MARGIN
    width = int(inner * (1 - KEY_SHARE)) if key else inner
    return width, SLIDE_HEIGHT - BODY_BOTTOM - (BODY_TOP_SUBTITLE if subtitle else BODY_TOP)


def _picture(slide, image: bytes, left: int, top: int, width: int, height: int) -> None:
    """``image`` scaled to fit the area, aspect ratio kept, centred."""
    w_px, h_px = png_size(image)
    scale = min(width / w_px, height / h_px)
    pic_w, pic_h = int(w_px * scale), int(h_px * scale)
    slide.shapes.add_picture(
        io.BytesIO(image),
        Emu(int(left + (width - pic_w) / 2)),
        Emu(int(top + (height - pic_h) / 2)),
        pic_w,
        pic_h,
    )


def chart_pack(slides: Sequence[SlideSpec], cover_title: str, cover_lines: Sequence[str]) -> bytes:
    """PPTX bytes: a cover slide (``cover_title`` and ``cover_lines``) then one slide per spec.

    Each slide: the title (24 pt), the subtitle if any (12 pt), then the body: the picture
    (aspect ratio kept, centred), or the native panels side by side (widths by their
    ``weight``; tables take the whole width), or the message; and the caption (10 pt) at the
    bottom. Nothing is stated twice: native charts carry only their panel titles.
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    blank = prs.slide_layouts[6]
    inner = SLIDE_WIDTH - 2 * MARGIN
    cover = prs.slides.add_slide(blank)
    box = cover.shapes.add_textbox(MARGIN, Inches(2.4), inner, Inches(1.2))
    write_text(box.text_frame, cover_title, 36, bold=True)
    lines = cover.shapes.add_textbox(MARGIN, Inches(3.8), inner, Inches(2.5))
    write_text(lines.text_frame, "\n".join(cover_lines), 16, colour=(0x44, 0x44, 0x44))
    for spec in slides:
        slide = prs.slides.add_slide(blank)
        title = slide.shapes.add_textbox(MARGIN, TITLE_TOP, inner, Inches(0.6))
        write_text(title.text_frame, spec.title, 24, bold=True)
        top = BODY_TOP
        if spec.subtitle:
            sub = slide.shapes.add_textbox(MARGIN, top, inner, Inches(0.55))
            write_text(sub.text_frame, spec.subtitle, 12, colour=(0x8A, 0x4B, 0x00))
            top = BODY_TOP_SUBTITLE
        bottom = SLIDE_HEIGHT - BODY_BOTTOM
        height = bottom - top
        if spec.image is not None:
            pic_w, _ = picture_area(bool(spec.subtitle), bool(spec.key))
            _picture(slide, spec.image, MARGIN, top, pic_w, height)
            if spec.key:
                gap = Inches(0.2)
                add_key(
                    slide,
                    spec.key,
                    MARGIN + pic_w + gap,
                    top,
                    inner - pic_w - gap,
                    height,
                    spec.key_title,
                )
        elif spec.panels:
            weights = [p.weight if isinstance(p, BarPanel) else 1.0 for p in spec.panels]
            gap = Inches(0.3)
            free = inner - gap * (len(spec.panels) - 1)
            left: int = MARGIN  # EMU
            for panel, weight in zip(spec.panels, weights, strict=True):
                width = int(free * weight / sum(weights))
                if isinstance(panel, TablePanel):
                    add_table(slide, panel, left, top, width, height)
                else:
                    add_bar_chart(slide, panel, left, top, width, height, 12)
                left += width + gap
        elif spec.message:
            msg = slide.shapes.add_textbox(MARGIN, top + Inches(1.5), inner, Inches(1.5))
            write_text(
                msg.text_frame, spec.message, 18, colour=(0x55, 0x55, 0x55), align=PP_ALIGN.CENTER
            )
        caption = slide.shapes.add_textbox(MARGIN, bottom + Inches(0.05), inner, Inches(0.6))
        write_text(caption.text_frame, spec.caption, 10, colour=(0x55, 0x55, 0x55))
        if spec.notes:
            slide.notes_slide.notes_text_frame.text = spec.notes
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()


def insights_slides(
    charts: Sequence[Chart],
    ctx: ChartContext,
    lang: str,
    render: Callable[[list], list[bytes]] | None = None,
) -> list[SlideSpec]:
    """One :class:`SlideSpec` per chart of the Insights page.

    Charts with :attr:`Chart.panels` become native slides; the others (map, network) pictures
    of :func:`slide_figure` of their :attr:`Chart.export_figure`, all rendered in one
    call of ``render`` (default :func:`export.render_images` at 1600 px, 2×). Empty
    charts state their message. The caption holds the filters and the source once (the map
    adds its place and outline sources).

    Raises:
        export.RendererUnavailable: when a picture is needed and cannot be rendered.
    """
    if render is None:
        from fusion_partners.insights.export import render_images

        def render(figs: list) -> list[bytes]:
            return render_images(figs, "png", scale=2)  # each at its own slide size

    pictured = [c for c in charts if not c.empty and not c.panels]
    figures = []
    for c in pictured:
        width, height = picture_area(bool(_subtitle(c, lang)), bool(c.numbered))
        figures.append(
            slide_figure(
                c.export_figure,
                int(width / 914400 * PX_PER_INCH),
                int(height / 914400 * PX_PER_INCH),
            )
        )
    images = dict(zip((id(c) for c in pictured), render(figures) if figures else [], strict=True))
    sep = "／" if lang == "ja" else " · "
    caption = f"{t('insights.pack_filters', lang, filters=ctx.filters_text)}{sep}{ctx.footer}"
    out = []
    for c in charts:
        extra = sep + t("insights.map.source", lang) if c.key == "map" and not c.empty else ""
        out.append(
            SlideSpec(
                c.title,
                images.get(id(c)),
                caption + extra,
                c.summary,
                subtitle="" if c.empty else _subtitle(c, lang),
                panels=() if c.empty else c.panels,
                message=c.summary if c.empty else "",
                key=() if c.empty else c.numbered,
                key_title="" if c.empty else c.numbered_title,
            )
        )
    return out


def _subtitle(chart: Chart, lang: str) -> str:
    """What the values mean: the native table's own note (it has no outlines to speak of),
    else the chart's notes."""
    notes = [p.note for p in chart.panels if isinstance(p, TablePanel) and p.note] or [
        n for n in chart.notes if n
    ]
    return ("" if lang == "ja" else " ").join(notes)


def insights_pack(
    charts: Sequence[Chart],
    ctx: ChartContext,
    meta: Mapping[str, str],
    lang: str,
    render: Callable[[list], list[bytes]] | None = None,
) -> bytes:
    """The Insights chart pack as PPTX bytes: a cover (page title, filters, data and creation
    dates, app name) and :func:`insights_slides` of ``charts``.

    Raises:
        export.RendererUnavailable: when the map or network cannot be rendered.
    """
    date = format_date(meta.get("data_as_of", ""), lang) or t("data.undated", lang)
    created = format_date(dt.date.today(), lang)
    cover = [
        t("insights.pack_filters", lang, filters=ctx.filters_text),
        t("insights.pack_generated", lang, date=date, created=created),
        t("app.title", lang),
    ]
    return chart_pack(
        insights_slides(charts, ctx, lang, render), t("insights.page.title", lang), cover
    )


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
