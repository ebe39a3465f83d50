"""Drawing on a PowerPoint slide (python-pptx) in the chart pack's fonts and colours: text,
native clustered bar charts, shaded tables and numbered keys. Sizes are EMU (914,400 per
inch; 12,700 per point) unless a name says points."""

from __future__ import annotations

from collections.abc import Sequence

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

from fusion_partners.insights.chart import BarPanel, TablePanel
from fusion_partners.insights.style import HEATMAP_SCALE
from fusion_partners.insights.typeset import fit_width

LATIN_FONT = "Arial"
EAST_ASIAN_FONT = "Meiryo"
"""Typeface PowerPoint uses for Japanese text (installed with Windows and Office for Mac);
other machines substitute their own Japanese font."""
TEXT_COLOUR = (0x22, 0x22, 0x22)


def to_rgb(colour: str | tuple[int, int, int]) -> RGBColor:
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


def write_text(
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
        run.font.color.rgb = to_rgb(colour)
        _east_asian(run._r.get_or_add_rPr())


def add_bar_chart(
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
        write_text(chart.chart_title.text_frame, panel.title, font + 2, bold=True)
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
    values.major_gridlines.format.line.color.rgb = to_rgb("#E5E5E5")
    values.minimum_scale = 0
    if panel.percent:
        values.maximum_scale = 100
    values.tick_labels.number_format = '0"%"' if panel.percent else "#,##0"
    values.tick_labels.number_format_is_linked = False
    if panel.axis_title:
        values.has_title = True
        write_text(values.axis_title.text_frame, panel.axis_title, font)
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
        series.format.fill.fore_color.rgb = to_rgb(spec.colour)
        series.invert_if_negative = False
        for i, text in enumerate(spec.labels):  # e.g. "12/40" beside a percentage bar
            label = series.points[i].data_label
            label.has_text_frame = True
            label.text_frame.text = text
            label.position = XL_LABEL_POSITION.OUTSIDE_END
            label.font.size = Pt(font - 1)


def _shade(level: float) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """Fill and text colour of a table cell at ``level`` (0–1) on the heatmap's grey scale."""
    lo, hi = (to_rgb(str(HEATMAP_SCALE[0][1])), to_rgb(str(HEATMAP_SCALE[-1][1])))  # colour strings
    level = min(max(level, 0.0), 1.0)
    fill = tuple(round(a + (b - a) * level) for a, b in zip(lo, hi, strict=True))
    text = (0xFF, 0xFF, 0xFF) if level > 0.55 else TEXT_COLOUR
    return fill, text


def add_table(slide, panel: TablePanel, left: int, top: int, width: int, height: int) -> None:
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
        cell.fill.fore_color.rgb = to_rgb("#404040")
        _cell_text(cell, head, font, bold=True, colour=(0xFF, 0xFF, 0xFF), numeric=c in (2, 3))
    for r, row in enumerate(panel.rows, start=1):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            level = panel.shade[r - 1][c] if panel.shade else None
            colour = panel.colour[r - 1][c] if panel.colour else None
            bold = panel.bold[r - 1][c] if panel.bold else False
            text_colour = to_rgb(colour) if colour else TEXT_COLOUR
            cell.fill.solid()
            if level is None:
                cell.fill.fore_color.rgb = to_rgb("#FFFFFF")
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
    write_text(
        cell.text_frame,
        text,
        font,
        bold=bold,
        colour=colour,
        align=PP_ALIGN.CENTER if numeric else None,
    )


def add_key(
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
        write_text(head.text_frame, title, 12, bold=True)
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
                (f"{number} ", True, to_rgb(colour)),
                (fit_width(name, fits), False, to_rgb(TEXT_COLOUR)),
            ):
                run = para.add_run()
                run.text = text
                run.font.size = Pt(font)
                run.font.bold = bold
                run.font.name = LATIN_FONT
                run.font.color.rgb = rgb
                _east_asian(run._r.get_or_add_rPr())
