"""The chart pack: every chart for the current filters as a PowerPoint file (python-pptx).

One 16:9 slide per chart: the chart title, the image (which itself carries title, filters,
source and date), and a text line with the filters, source and data date so they stay
editable and searchable; the chart's summary goes into the speaker notes. A cover slide
names the pack, the filters and the data date.
"""

from __future__ import annotations

import io
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
LATIN_FONT = "Arial"
EAST_ASIAN_FONT = "Meiryo"
"""Typeface PowerPoint uses for Japanese text (installed with Windows and Office for Mac);
other machines substitute their own Japanese font."""


@dataclass(frozen=True)
class SlideSpec:
    """One chart slide: ``title``; ``image`` PNG bytes; ``caption`` (filters · source · date);
    ``notes`` (the summary, in the speaker notes)."""

    title: str
    image: bytes
    caption: str
    notes: str = ""


def png_size(data: bytes) -> tuple[int, int]:
    """(width, height) in pixels of PNG ``data``.

    Raises:
        ValueError: when ``data`` is not a PNG.
    """
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG image")
    return struct.unpack(">II", data[16:24])


def _text(frame, text: str, size: int, *, bold: bool = False, colour: tuple[int, int, int] = (0x22, 0x22, 0x22)) -> None:
    from pptx.dml.color import RGBColor

    frame.word_wrap = True
    para = frame.paragraphs[0]
    run = para.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = LATIN_FONT
    run.font.color.rgb = RGBColor(*colour)
    rpr = run._r.get_or_add_rPr()
    ea = rpr.find(qn("a:ea"))
    if ea is None:
        ea = rpr.makeelement(qn("a:ea"), {})
        rpr.append(ea)
    ea.set("typeface", EAST_ASIAN_FONT)


def chart_pack(slides: Sequence[SlideSpec], cover_title: str, cover_lines: Sequence[str]) -> bytes:
    """PPTX bytes: a cover slide (``cover_title`` and ``cover_lines``) then one slide per spec.

    Images keep their aspect ratio and are centred in the area between title and caption.
    """
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    blank = prs.slide_layouts[6]
    margin = Inches(0.4)
    cover = prs.slides.add_slide(blank)
    box = cover.shapes.add_textbox(margin, Inches(2.4), SLIDE_WIDTH - 2 * margin, Inches(1.2))
    _text(box.text_frame, cover_title, 36, bold=True)
    lines = cover.shapes.add_textbox(margin, Inches(3.8), SLIDE_WIDTH - 2 * margin, Inches(2.5))
    _text(lines.text_frame, "\n".join(cover_lines), 16, colour=(0x44, 0x44, 0x44))
    for spec in slides:
        slide = prs.slides.add_slide(blank)
        title = slide.shapes.add_textbox(margin, Inches(0.2), SLIDE_WIDTH - 2 * margin, Inches(0.6))
        _text(title.text_frame, spec.title, 24, bold=True)
        top, bottom = Inches(0.85), SLIDE_HEIGHT - Inches(0.75)
        area_w, area_h = SLIDE_WIDTH - 2 * margin, bottom - top
        w_px, h_px = png_size(spec.image)
        scale = min(area_w / w_px, area_h / h_px)
        pic_w, pic_h = int(w_px * scale), int(h_px * scale)
        left = Emu(int((SLIDE_WIDTH - pic_w) / 2))
        slide.shapes.add_picture(io.BytesIO(spec.image), left, Emu(int(top + (area_h - pic_h) / 2)), pic_w, pic_h)
        caption = slide.shapes.add_textbox(margin, bottom + Inches(0.05), SLIDE_WIDTH - 2 * margin, Inches(0.6))
        _text(caption.text_frame, spec.caption, 10, colour=(0x55, 0x55, 0x55))
        if spec.notes:
            slide.notes_slide.notes_text_frame.text = spec.notes
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()
