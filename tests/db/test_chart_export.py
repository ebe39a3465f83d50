"""Sharing: standalone HTML that works offline, server-side PNG/SVG with Japanese labels, the PPTX
pack with native charts."""

import io
import os
import re

import pytest
from pptx import Presentation

from fusion_partners import queries
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.insights.coverage_chart import coverage_chart
from fusion_partners.insights.export import (
    RendererUnavailable,
    cjk_fonts,
    plotly_config,
    render_images,
    renderer_status,
)
from fusion_partners.insights.export import to_html as chart_html
from fusion_partners.insights.heatmap import capability_heatmap, capability_heatmap_parts
from fusion_partners.insights.map_chart import organisation_map
from fusion_partners.insights.slides import SlideSpec, chart_pack, png_size
from fusion_partners.insights.style import chart_context
from fusion_partners.insights.types_chart import types_memberships
from fusion_partners.queries import insights as qi


@pytest.fixture(scope="module")
def ja_charts(con):
    tax = Taxonomy.from_frame(queries.taxonomy(con))
    ctx = chart_context(Filters(), tax, queries.meta(con), "ja")
    summary = queries.filter_summary(con, Filters())
    heat = capability_heatmap(summary.capability_country, summary.country_totals, tax, ctx)
    where = organisation_map(qi.organisation_places(con, Filters()), tax, ctx)
    return heat, where


def renderer_required():
    """On CI (.ci/run installs chromium and fonts-noto-cjk) rendering must work; elsewhere skip."""
    status = renderer_status()
    if not status.ok:
        if os.environ.get("CI"):
            pytest.fail(f"image renderer unavailable on CI: {status.reason}")
        pytest.skip(f"image renderer unavailable: {status.reason}")
    return status


def test_toolbar_download_is_png_at_twice_the_size_with_a_meaningful_name():
    config = plotly_config("fusion-insights_map_JP_2026-11-29", width=1600, height=780)
    opts = config["toImageButtonOptions"]
    assert opts["format"] == "png" and opts["scale"] >= 2
    assert opts["filename"] == "fusion-insights_map_JP_2026-11-29"
    assert config["topojsonURL"].endswith("app/static/topojson/")
    assert plotly_config("x", scale=1)["toImageButtonOptions"]["scale"] == 2


def test_standalone_html_embeds_plotly_and_map_outlines_so_it_works_offline(ja_charts):
    _, where = ja_charts
    page = chart_html(where.figure, where.title, plotly_config("m"), "ja").decode("utf-8")
    assert 'window.PlotlyGeoAssets.topojson["world_50m"] = {' in page
    assert re.search(r"<script[^>]+src=\"https?://", page) is None  # nothing loaded from a network
    assert "app/static/topojson" not in page  # the app's own outline URL is not used offline
    assert "組織の所在地" in page and '<html lang="ja">' in page


def test_html_of_a_chart_without_a_map_does_not_carry_the_outlines(ja_charts):
    heat, _ = ja_charts
    page = chart_html(heat.figure, heat.title).decode("utf-8")
    assert 'PlotlyGeoAssets.topojson["world_50m"]' not in page


def test_a_japanese_font_is_installed_where_images_are_rendered():
    renderer_required()
    fonts = cjk_fonts()
    assert fonts, "fc-list :lang=ja found no font; install fonts-noto-cjk"


def test_server_side_png_and_svg_with_japanese_labels_are_produced(ja_charts):
    renderer_required()
    heat, where = ja_charts
    png_heat, png_map = render_images([heat.figure, where.figure], "png", scale=1)
    assert png_heat[:8] == b"\x89PNG\r\n\x1a\n" and len(png_heat) > 20_000
    assert png_size(png_map) == (1600, int(where.figure.layout.height))
    svg = render_images([heat.figure], "svg")[0].decode("utf-8")
    assert (
        svg.lstrip().startswith("<svg") and "超伝導磁石・線材" in svg and "Noto Sans CJK JP" in svg
    )


def test_exported_charts_keep_room_for_their_labels_under_streamlits_template(con, monkeypatch):
    """Streamlit installs a default plotly template without axis automargin; a figure exported
    from the app's process must still push its plot area right of its category labels."""
    import plotly.io as pio
    import streamlit  # noqa: F401  (registers the "streamlit" template)

    renderer_required()
    monkeypatch.setattr(pio.templates, "default", "streamlit")
    tax = Taxonomy.from_frame(queries.taxonomy(con))
    ctx = chart_context(Filters(), tax, queries.meta(con), "ja")
    summary = queries.filter_summary(con, Filters())
    figures = [
        capability_heatmap(summary.capability_country, summary.country_totals, tax, ctx).figure,
        types_memberships(qi.type_membership_counts(con, Filters()), ctx).figure,
        coverage_chart(qi.field_coverage(con, Filters()), ctx).figure,
    ]
    for fig, svg in zip(figures, render_images(figures, "svg"), strict=True):
        plot_x = float(
            re.search(r'class="xy" transform="translate\(([\d.]+),', svg.decode()).group(1)
        )
        assert plot_x > 60, (
            f"labels of {fig.layout.title.text!r} are cut off (plot area at x={plot_x})"
        )


def test_the_same_figure_is_rendered_once_and_then_served_from_memory(ja_charts, monkeypatch):
    from fusion_partners.insights import export as chart_export

    renderer_required()
    heat, _ = ja_charts
    first = render_images([heat.figure], "png", scale=1)[0]

    def no_browser(_coro):
        _coro.close()
        raise AssertionError("the browser was started again for an image already rendered")

    monkeypatch.setattr(chart_export, "_run", no_browser)
    assert render_images([heat.figure], "png", scale=1)[0] == first
    with pytest.raises(
        RendererUnavailable
    ):  # other options are another image: rendered, here refused
        render_images([heat.figure], "png", scale=3)


def test_rendering_without_a_browser_says_so(monkeypatch, ja_charts):
    monkeypatch.setenv("FPF_CHROMIUM", "/nonexistent/chromium")
    renderer_status.cache_clear()
    try:
        assert renderer_status().reason == "browser"
        with pytest.raises(RendererUnavailable):
            render_images([ja_charts[0].figure])
    finally:
        monkeypatch.delenv("FPF_CHROMIUM")
        renderer_status.cache_clear()


def _tiny_png(width=40, height=20):
    import struct
    import zlib

    raw = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_chart_pack_has_a_cover_and_one_slide_per_chart_with_title_filters_and_source():
    specs = [
        SlideSpec(
            "日英の技術・機能分布",
            _tiny_png(),
            "絞り込み条件：全組織 · 出典：… データ時点：2025年11月",
            "要約",
        ),
        SlideSpec("Where the organisations are", _tiny_png(30, 30), "Filters: none · Source", ""),
    ]
    deck = Presentation(
        io.BytesIO(chart_pack(specs, "日英フュージョン産業の全体像", ["絞り込み条件：全組織"]))
    )
    slides = list(deck.slides)
    assert len(slides) == 3
    texts = [" ".join(sh.text_frame.text for sh in s.shapes if sh.has_text_frame) for s in slides]
    assert "日英フュージョン産業の全体像" in texts[0]
    assert "日英の技術・機能分布" in texts[1] and "データ時点" in texts[1]
    assert sum(1 for sh in slides[1].shapes if sh.shape_type == 13) == 1  # one picture
    assert slides[1].notes_slide.notes_text_frame.text == "要約"
    pic = next(sh for sh in slides[2].shapes if sh.shape_type == 13)
    assert pic.width == pic.height  # aspect ratio kept


def test_png_size_refuses_other_data():
    with pytest.raises(ValueError):
        png_size(b"GIF89a")


def test_the_pack_puts_the_heatmap_on_two_slides(con):
    """The app's pack: cover, the heatmap in two parts, then the other charts."""
    from functools import partial

    from fusion_partners.ui.insights import pack_bytes

    renderer_required()
    tax = Taxonomy.from_frame(queries.taxonomy(con))
    meta = queries.meta(con)
    ctx = chart_context(Filters(), tax, meta, "en")
    summary = queries.filter_summary(con, Filters())
    heat = capability_heatmap(summary.capability_country, summary.country_totals, tax, ctx)
    types = types_memberships(qi.type_membership_counts(con, Filters()), ctx)
    parts = partial(
        capability_heatmap_parts, summary.capability_country, summary.country_totals, tax, ctx
    )
    deck = Presentation(io.BytesIO(pack_bytes([heat, types], ctx, meta, "en", parts)))
    titles = [
        next(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides
    ]
    assert len(deck.slides) == 4
    assert titles[1:] == [
        "Capabilities in Japan and the UK (1/2)",
        "Capabilities in Japan and the UK (2/2)",
        types.title,
    ]
    slides = list(deck.slides)
    assert all(
        any(sh.has_table for sh in s.shapes) for s in slides[1:3]
    )  # the heatmap parts: tables
    assert (
        sum(sh.has_chart for sh in slides[3].shapes) == 2
    )  # types and memberships: two native charts
    assert not any(sh.shape_type == 13 for s in slides for sh in s.shapes)  # and no pictures


# ---------------------------------------------------------------- the pack holds native charts


def _slide_texts(slide):
    """Every text on a slide as a reader meets it: text boxes, table cells, chart titles,
    axis titles, series names and categories."""
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            texts += [cell.text_frame.text for row in shape.table.rows for cell in row.cells]
        if shape.has_chart:
            chart = shape.chart
            if chart.has_title:
                texts.append(chart.chart_title.text_frame.text)
            if chart.value_axis.has_title:
                texts.append(chart.value_axis.axis_title.text_frame.text)
            plot = chart.plots[0]
            texts += [s.name for s in plot.series] + [str(c) for c in plot.categories]
    return [t for t in texts if t]


def _all_charts(con, lang, kind="supply_chain"):
    from fusion_partners.insights.landscape import charts_for

    tax = Taxonomy.from_frame(queries.taxonomy(con))
    meta = queries.meta(con)
    ctx = chart_context(Filters(), tax, meta, lang)

    def fetch(query, *args):
        return (getattr(queries, query) if isinstance(query, str) else query)(con, *args)

    return tax, meta, ctx, charts_for(fetch, Filters(), tax, ctx, "count", kind)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_pack_holds_native_charts_and_states_title_filters_and_source_once(con, lang):
    from pptx.enum.chart import XL_CHART_TYPE

    from fusion_partners.insights.slides import insights_pack

    tax, meta, ctx, charts = _all_charts(con, lang)
    rendered = []

    def fake_render(figs):  # no browser needed: pictures are only asked for the map and network
        rendered.extend(figs)
        return [_tiny_png(int(f.layout.width), int(f.layout.height)) for f in figs]

    deck = Presentation(io.BytesIO(insights_pack(charts, ctx, meta, lang, render=fake_render)))
    slides = list(deck.slides)[1:]
    assert [s.shapes[0].text_frame.text for s in slides] == [c.title for c in charts]
    by_key = dict(zip([c.key for c in charts], slides, strict=True))
    # bars are PowerPoint charts whose data is the chart's own numbers, editable in PowerPoint
    types = [sh for sh in by_key["types"].shapes if sh.has_chart]
    assert len(types) == 2 and all(
        sh.chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED for sh in types
    )
    kinds_panel = charts[1].panels[0]
    plot = types[0].chart.plots[0]
    assert list(plot.categories) == list(kinds_panel.categories)
    assert [s.name for s in plot.series] == [s.name for s in kinds_panel.series]
    assert [tuple(s.values) for s in plot.series] == [s.values for s in kinds_panel.series]
    assert types[0].chart.part.chart_workbook.xlsx_part is not None  # "Edit data" opens a sheet
    coverage = [sh for sh in by_key["coverage"].shapes if sh.has_chart]
    assert len(coverage) == 1 and coverage[0].chart.value_axis.maximum_scale == 100
    labels = [
        p.data_label.text_frame.text for s in coverage[0].chart.plots[0].series for p in s.points
    ]
    assert "1/6" in labels
    # the heatmap is a native table with every capability and its counts
    (table,) = [sh.table for sh in by_key["capabilities"].shapes if sh.has_table]
    heat = charts[0]
    assert len(table.rows) == len(heat.table) + 1
    assert [table.cell(r, 1).text_frame.text for r in range(1, len(table.rows))] == list(
        heat.table.iloc[:, 1]
    )
    assert [table.cell(r, 2).text_frame.text for r in range(1, len(table.rows))] == [
        str(v) for v in heat.table.iloc[:, 2]
    ]
    # pictures only for the map and the network, drawn without their own title and footer
    pictures = {k: [sh for sh in s.shapes if sh.shape_type == 13] for k, s in by_key.items()}
    assert {k for k, p in pictures.items() if p} == {"map", "network"}
    assert not any(sh.has_chart for k in ("map", "network") for sh in by_key[k].shapes)
    assert len(rendered) == 2 and not any(f.layout.title.text for f in rendered)
    assert not any(a.name in ("footer", "key") for f in rendered for a in f.layout.annotations)
    # the network's organisations are named on the slide, as text
    net = charts[3]
    network_text = " ".join(_slide_texts(by_key["network"]))
    assert net.numbered and all(name[:8] in network_text for _, name, _ in net.numbered)
    where = charts[2]  # and the map's towns with their counts, most first
    map_text = _slide_texts(by_key["map"])
    assert where.numbered_title in map_text
    assert where.numbered and all(
        any(line.startswith(f"{n} {town}") for text in map_text for line in text.split("\n"))
        for n, town, _ in where.numbered
    )
    # each slide states its title, filters and source once
    for chart, slide in zip(charts, slides, strict=True):
        texts = _slide_texts(slide)
        joined = "\n".join(texts)
        assert joined.count(chart.title) == 1, (chart.key, texts)
        assert joined.count(ctx.footer) == 1 and joined.count(ctx.filters_text) == 1, chart.key
        assert slide.notes_slide.notes_text_frame.text == chart.summary
        hover = "カーソル" if lang == "ja" else "hover"
        assert hover not in joined.lower()


def test_an_empty_chart_is_a_slide_that_says_why(con):
    from fusion_partners.insights.slides import insights_slides

    tax = Taxonomy.from_frame(queries.taxonomy(con))
    ctx = chart_context(Filters(), tax, queries.meta(con), "en")
    empty = types_memberships(
        qi.type_membership_counts(con, Filters(query="no such organisation xyz")), ctx
    )
    assert empty.empty
    (spec,) = insights_slides([empty], ctx, "en", render=lambda figs: [])
    assert spec.image is None and not spec.panels and spec.message == empty.summary
