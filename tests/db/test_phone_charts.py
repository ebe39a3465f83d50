"""Insights figures laid out for a phone's chart column (``ChartContext.phone``): lines short
enough, panels one above the other, the same numbers as the normal layout (issue 16)."""

import html
import itertools
import re
from dataclasses import replace

import pytest

from fusion_partners import queries
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n import t
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.insights.callouts import OFFSETS, place
from fusion_partners.insights.landscape import charts_for
from fusion_partners.insights.style import WRAP, chart_context
from fusion_partners.insights.typeset import columns


@pytest.fixture(scope="module")
def tax(con):
    return Taxonomy.from_frame(queries.taxonomy(con))


NO_FILTERS = Filters()


def page_charts(con, tax, lang, phone, filters=NO_FILTERS):
    ctx = replace(chart_context(filters, tax, queries.meta(con), lang), phone=phone)
    return {c.key: c for c in charts_for(lambda q, *a: q(con, *a), filters, tax, ctx)}


def lines(text):
    """The lines of a figure text as read: tags dropped, entities decoded."""
    return [html.unescape(re.sub(r"<[^>]+>", "", line)) for line in (text or "").split("<br>")]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("filters", [Filters(), Filters(countries=["JP", "GB"], query="magnet")])
def test_every_line_of_a_phone_figure_fits_a_phone_column(con, tax, lang, filters):
    # a closing mark such as 。 may hang past the wrapping width (it never starts a line)
    title_cols, sub_cols, footer_cols = (
        WRAP[part][2] + 2 for part in ("title", "subtitle", "footer")
    )
    for chart in page_charts(con, tax, lang, True, filters).values():
        layout = chart.figure.layout
        assert all(columns(x) <= title_cols for x in lines(layout.title.text)), chart.key
        assert all(columns(x) <= sub_cols for x in lines(layout.title.subtitle.text)), chart.key
        footer = next(a.text for a in layout.annotations if a.name == "footer")
        assert all(columns(x) <= footer_cols for x in lines(footer)), chart.key


def test_on_a_phone_the_panels_stand_one_above_the_other(con, tax):
    phone = page_charts(con, tax, "en", True)
    types = phone["types"].figure.layout
    assert types.xaxis.domain == types.xaxis2.domain == (0, 1)
    assert types.yaxis2.domain[1] < types.yaxis.domain[0]  # memberships under types
    geo = phone["map"].figure.layout
    assert geo.geo.domain.x == geo.geo2.domain.x == (0, 1)
    assert geo.geo2.domain.y[1] < geo.geo.domain.y[0]  # the UK under Japan


def test_a_phone_heatmap_heads_each_group_and_keeps_every_number(con, tax):
    wide = page_charts(con, tax, "en", False)["capabilities"].figure
    phone = page_charts(con, tax, "en", True)["capabilities"].figure
    heat = phone.data[0]
    groups = [y for y, z in zip(heat.y, heat.z, strict=True) if list(z) == [None, None]]
    assert [lines(g)[0] for g in groups] == [g for g, _, _ in tax.groups()]  # one heading each
    assert [list(z) for z in heat.z if list(z) != [None, None]] == [list(z) for z in wide.data[0].z]
    assert len(phone.layout.shapes) == len(wide.layout.shapes)  # the same outlined cells
    column = t("insights.cap.gap_column")
    assert not [a for a in phone.layout.annotations if column in lines(a.text)[0] + " "]


def test_the_heatmap_gap_column_has_room_of_its_own_in_pixels(con, tax):
    """The gap marks and their header sit in the right margin, sized for the longest of them,
    so they fit at any chart width (the header was cut at 1024 px when it shared the cells'
    coordinates)."""
    wide = page_charts(con, tax, "en", False)["capabilities"].figure
    header = [a for a in wide.layout.annotations if "Who could" in (a.text or "")]
    assert len(header) == 1 and header[0].xref == "paper" and header[0].x == 1
    needed = max(columns(x) for x in lines(header[0].text)) * 13 * 0.6
    assert wide.layout.margin.r >= needed and tuple(wide.layout.xaxis.range) == (-0.5, 1.5)


def test_a_phone_chart_is_for_the_page_only(con, tax):
    phone = page_charts(con, tax, "en", True)
    assert phone["network"].static is None  # images and slides use the normal layout's
    assert [c.summary for c in phone.values()] == [
        c.summary for c in page_charts(con, tax, "en", False).values()
    ]


def test_name_boxes_beside_crowded_points_do_not_cover_each_other():
    points = [(150, 120), (155, 125), (160, 118), (148, 130), (300, 40)]
    sizes = [(140, 22), (120, 22), (160, 22), (100, 22), (150, 22)]
    offsets = place(points, sizes, (420, 300))
    boxes = [
        (x + dx - w / 2, y + dy - h / 2, x + dx + w / 2, y + dy + h / 2)
        for (x, y), (dx, dy), (w, h) in zip(points, offsets, sizes, strict=True)
    ]
    for a, b in itertools.combinations(boxes, 2):
        assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1]), (a, b)
    assert all(b[0] >= 0 and b[1] >= 0 and b[2] <= 420 and b[3] <= 300 for b in boxes)
    assert offsets[0] == OFFSETS[0]  # the first box takes the preferred place
