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

from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import (
    XL_CHART_TYPE,
    XL_LABEL_POSITION,
    XL_LEGEND_POSITION,
    XL_TICK_LABEL_POSITION,
)
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from fusion_partners.i18n import format_date, t
from fusion_partners.insights.charts import (
    HEATMAP_SCALE,
    BarPanel,
    Chart,
    ChartContext,
    TablePanel,
    fit_width,
    slide_figure,
)

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.4)
LATIN_FONT = "Arial"
EAST_ASIAN_FONT = "Meiryo"
"""Typeface PowerPoint uses for Japanese text (installed with Windows and Office for Mac);
other machines substitute their own Japanese font."""
TEXT_COLOUR = (0x22, 0x22, 0x22)
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


def _rgb(colour: str | tuple[int, int, int]) -> RGBColor:
    if isinstance(colour, tuple):
        return RGBColor(*colour)
    return RGBColor.from_string(colour.lstrip("#").upper())


def _east_asian(rpr) -> None:
    """Name the Japanese typeface on a run's (or a chart's default) character properties."""
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        latin = rpr.find(qn("a:latin"))
        if latin is not None:
            latin.addnext(ea)
        else:
            rpr.append(ea)
    ea.set("typeface", EAST_ASIAN_FONT)


def _text(
    frame,
    text: str,
    size: float,
    *,
    bold: bool = False,
    colour=TEXT_COLOUR,
    align: PP_ALIGN | None = None,
) -> None:
    """Write ``text`` into ``frame`` (one paragraph per line) in the pack's fonts."""
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if align is not None:
            para.alignment = align
        run = para.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.name = LATIN_FONT
        run.font.color.rgb = _rgb(colour)
        _east_asian(run._r.get_or_add_rPr())


def _bar_chart(
    slide, panel: BarPanel, left: int, top: int, width: int, height: int, font: float
) -> None:
    """A native clustered bar chart: categories top to bottom, one coloured series per
    country, values printed at the bar ends (zeros left blank)."""
    data = CategoryChartData(number_format='0"%"' if panel.percent else "#,##0")
    data.categories = list(panel.categories)
    for series in panel.series:
        data.add_series(series.name, list(series.values))
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, left, top, width, height, data
    ).chart
    chart.font.size = Pt(font)
    chart.font.name = LATIN_FONT
    _east_asian(chart.font._rPr)
    chart.has_title = bool(panel.title)
    if panel.title:
        _text(chart.chart_title.text_frame, panel.title, font + 2, bold=True)
    chart.has_legend = len(panel.series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
    categories = chart.category_axis
    categories.reverse_order = True  # the first category on top, as in the figure
    categories.tick_label_position = XL_TICK_LABEL_POSITION.LOW
    categories.has_major_gridlines = False
    values = chart.value_axis
    # the value axis crosses the (reversed) category axis at its last category: at the bottom
    values._element.find(qn("c:crosses")).set("val", "max")
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = _rgb("#E5E5E5")
    values.minimum_scale = 0
    if panel.percent:
        values.maximum_scale = 100
    values.tick_labels.number_format = '0"%"' if panel.percent else "#,##0"
    values.tick_labels.number_format_is_linked = False
    if panel.axis_title:
        values.has_title = True
        _text(values.axis_title.text_frame, panel.axis_title, font)
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.overlap = -10
    plot.has_data_labels = True
    labels = plot.data_labels
    labels.number_format = "#,##0;-#,##0;;" if not panel.percent else '0"%";-0"%";;'
    labels.number_format_is_linked = False
    labels.position = XL_LABEL_POSITION.OUTSIDE_END
    labels.font.size = Pt(font - 1)
    for series, spec in zip(plot.series, panel.series, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = _rgb(spec.colour)
        series.invert_if_negative = False
        for i, text in enumerate(spec.labels):  # e.g. "12/40" beside a percentage bar
            label = series.points[i].data_label
            label.has_text_frame = True
            label.text_frame.text = text
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            label.font.size = Pt(font - 1)


def _shade(level: float) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Fill and text colour of a table cell at ``level`` (0–1) on the heatmap's grey scale."""
    lo, hi = (_rgb(str(HEATMAP_SCALE[0][1])), _rgb(str(HEATMAP_SCALE[-1][1])))  # colour strings
    level = min(max(level, 0.0), 1.0)
    fill = tuple(round(a + (b - a) * level) for a, b in zip(lo, hi, strict=True))
    text = (0xFF, 0xFF, 0xFF) if level > 0.55 else TEXT_COLOUR
    return fill, text


def _table(slide, panel: TablePanel, left: int, top: int, width: int, height: int) -> None:
    """A native table: a header row, then one row per line of ``panel``, cells shaded."""
    n_rows, n_cols = len(panel.rows) + 1, len(panel.header)
    row_h = int(height / n_rows)
    font = max(7.0, min(12.0, row_h / 12700 * 0.45))  # EMU per point: 12,700; one line per row
    shape = slide.shapes.add_table(n_rows, n_cols, left, top, width, row_h * n_rows)
    table = shape.table
    table.first_row = True
    table.horz_banding = False
    # the capability column widest, the numbers narrow
    weights = [1.9, 5.9, 1.0, 1.0, 1.6] if n_cols == 5 else [1.0] * n_cols
    total = sum(weights)
    for i, w in enumerate(weights):
        table.columns[i].width = int(width * w / total)
    for r in range(n_rows):
        table.rows[r].height = row_h
    for c, head in enumerate(panel.header):
        cell = table.cell(0, c)
        cell.fill.solid()
        cell.fill.fore_color.rgb = _rgb("#404040")
        _cell_text(cell, head, font, bold=True, colour=(0xFF, 0xFF, 0xFF), numeric=c in (2, 3))
    for r, row in enumerate(panel.rows, start=1):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            level = panel.shade[r - 1][c] if panel.shade else None
            colour = panel.colour[r - 1][c] if panel.colour else None
            bold = panel.bold[r - 1][c] if panel.bold else False
            text_colour = _rgb(colour) if colour else TEXT_COLOUR
            cell.fill.solid()
            if level is None:
                cell.fill.fore_color.rgb = _rgb("#FFFFFF")
            else:
                fill, text_colour = _shade(level)
                cell.fill.fore_color.rgb = RGBColor(*fill)
            _cell_text(
                cell, value, font, bold=bold, colour=tuple(text_colour), numeric=level is not None
            )


def _cell_text(cell, text: str, font: float, *, bold: bool, colour, numeric: bool) -> None:
    cell.margin_top = cell.margin_bottom = Emu(0)
    cell.margin_left = cell.margin_right = Inches(0.06)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    _text(
        cell.text_frame,
        text,
        font,
        bold=bold,
        colour=colour,
        align=PP_ALIGN.CENTER if numeric else None,
    )


def _key(
    slide,
    entries: Sequence[tuple[str, str, str]],
    left: int,
    top: int,
    width: int,
    height: int,
    title: str = "",
) -> None:
    """``entries`` as text, in one or two columns, under a bold ``title`` if any: the number
    bold in the country colour, then the name."""
    if title:
        head = slide.shapes.add_textbox(left, top, width, Inches(0.4))
        _text(head.text_frame, title, 12, bold=True)
        top, height = top + Inches(0.45), height - Inches(0.45)
    columns = 1 if len(entries) <= 14 else 2
    rows = -(-len(entries) // columns)
    font = max(7.0, min(11.0, height / 12700 / max(rows, 1) / 1.3))  # EMU per point: 12,700
    col_w = int(width / columns)
    # one line per organisation: names cut with … to the column (less the text box's insets;
    # a half-width character is about 0.6 of the type size wide, a CJK character counts two)
    fits = max(int((col_w / 12700 - 16) / (font * 0.6)) - len(str(len(entries))) - 1, 8)
    for col in range(columns):
        part = entries[col * rows : (col + 1) * rows]
        if not part:
            continue
        frame = slide.shapes.add_textbox(left + col * col_w, top, col_w, height).text_frame
        frame.word_wrap = True
        for i, (number, name, colour) in enumerate(part):
            para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            for text, bold, rgb in (
                (f"{number} ", True, _rgb(colour)),
                (fit_width(name, fits), False, _rgb(TEXT_COLOUR)),
            ):
                run = para.add_run()
                run.text = text
                run.font.size = Pt(font)
                run.font.bold = bold
                run.font.name = LATIN_FONT
                run.font.color.rgb = rgb
                _east_asian(run._r.get_or_add_rPr())


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
    _text(box.text_frame, cover_title, 36, bold=True)
    lines = cover.shapes.add_textbox(MARGIN, Inches(3.8), inner, Inches(2.5))
    _text(lines.text_frame, "\n".join(cover_lines), 16, colour=(0x44, 0x44, 0x44))
    for spec in slides:
        slide = prs.slides.add_slide(blank)
        title = slide.shapes.add_textbox(MARGIN, TITLE_TOP, inner, Inches(0.6))
        _text(title.text_frame, spec.title, 24, bold=True)
        top = BODY_TOP
        if spec.subtitle:
            sub = slide.shapes.add_textbox(MARGIN, top, inner, Inches(0.55))
            _text(sub.text_frame, spec.subtitle, 12, colour=(0x8A, 0x4B, 0x00))
            top = BODY_TOP_SUBTITLE
        bottom = SLIDE_HEIGHT - BODY_BOTTOM
        height = bottom - top
        if spec.image is not None:
            pic_w, _ = picture_area(bool(spec.subtitle), bool(spec.key))
            _picture(slide, spec.image, MARGIN, top, pic_w, height)
            if spec.key:
                gap = Inches(0.2)
                _key(
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
                    _table(slide, panel, left, top, width, height)
                else:
                    _bar_chart(slide, panel, left, top, width, height, 12)
                left += width + gap
        elif spec.message:
            msg = slide.shapes.add_textbox(MARGIN, top + Inches(1.5), inner, Inches(1.5))
            _text(
                msg.text_frame, spec.message, 18, colour=(0x55, 0x55, 0x55), align=PP_ALIGN.CENTER
            )
        caption = slide.shapes.add_textbox(MARGIN, bottom + Inches(0.05), inner, Inches(0.6))
        _text(caption.text_frame, spec.caption, 10, colour=(0x55, 0x55, 0x55))
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
    of :func:`charts.slide_figure` of their :attr:`Chart.export_figure`, all rendered in one
    call of ``render`` (default :func:`chart_export.render_images` at 1600 px, 2×). Empty
    charts state their message. The caption holds the filters and the source once (the map
    adds its place and outline sources).

    Raises:
        chart_export.RendererUnavailable: when a picture is needed and cannot be rendered.
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
        chart_export.RendererUnavailable: when the map or network cannot be rendered.
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
