"""Chart builders on fixtures: traces, values, order, colours per country, honest notes, empty input."""

import itertools

import pandas as pd
import pytest

from fusion_partners import queries
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n import t
from fusion_partners.i18n.labels import Taxonomy, display_name
from fusion_partners.insights.analysis import (
    GAP_MIN_ORGS,
    capability_gaps,
    gap_side,
    link_network,
    map_points,
    summarise_places,
)
from fusion_partners.insights.coverage_chart import coverage_chart
from fusion_partners.insights.heatmap import (
    LABEL_WRAP,
    capability_heatmap,
    capability_heatmap_parts,
)
from fusion_partners.insights.map_chart import MAP_KEY_TOWNS, organisation_map
from fusion_partners.insights.network_chart import link_network_chart
from fusion_partners.insights.slides import slide_figure
from fusion_partners.insights.style import (
    COUNTRY_COLOURS,
    OTHER_COLOUR,
    chart_context,
    figure_filename,
)
from fusion_partners.insights.types_chart import types_memberships
from fusion_partners.insights.typeset import is_katakana, pct, wrap
from fusion_partners.partners import links_sql as qp
from fusion_partners.queries import insights as qi

JP, GB = COUNTRY_COLOURS["JP"], COUNTRY_COLOURS["GB"]


@pytest.fixture(scope="module")
def tax(con):
    return Taxonomy.from_frame(queries.taxonomy(con))


@pytest.fixture(scope="module")
def meta(con):
    return queries.meta(con)


NO_FILTERS = Filters()


def ctx_for(tax, meta, lang="en", filters=NO_FILTERS, presenter=False):
    return chart_context(filters, tax, meta, lang, presenter)


def plain(text):
    """Figure text as read: wrapped lines joined again."""
    return text.replace("<br>", " ") if isinstance(text, str) else [plain(x) for x in text]


def footer_text(fig):
    return plain([a.text for a in fig.layout.annotations if a.name == "footer"][0])


def heat_inputs(con, filters=NO_FILTERS):
    summary = queries.filter_summary(con, filters)
    return summary.capability_country, summary.country_totals


# ---------------------------------------------------------------- gap rule


@pytest.mark.parametrize(
    ("jp", "gb", "jp_total", "gb_total", "expected"),
    [
        (3, 0, 10, 10, "JP"),  # three Japanese organisations, none in the UK
        (2, 0, 10, 10, ""),  # too few to call strong
        (4, 2, 10, 10, "JP"),  # 40% vs 20%: exactly twice the share
        (4, 3, 10, 10, ""),  # 40% vs 30%: not twice
        (1, 6, 10, 20, "GB"),  # 30% vs 10%
        (5, 5, 10, 20, "JP"),  # same count, but 50% of Japan vs 25% of the UK
        (5, 0, 10, 0, ""),  # no UK organisations in the selection: nothing to compare
    ],
)
def test_gap_rule_compares_shares_and_needs_three_organisations(
    jp, gb, jp_total, gb_total, expected
):
    jp_share = jp / jp_total if jp_total else 0
    gb_share = gb / gb_total if gb_total else 0
    assert gap_side(jp, gb, jp_share, gb_share, jp_total, gb_total) == expected


def test_capability_gaps_lists_every_capability_in_taxonomy_order(con, tax):
    counts, totals = heat_inputs(con)
    gaps = capability_gaps(counts, totals, tax)
    assert list(gaps["slug"]) == tax.slugs
    row = gaps.set_index("slug").loc["blanket_breeding"]
    assert (row["jp_n"], row["gb_n"]) == (2, 0)
    assert row["jp_share"] == pytest.approx(2 / 6)
    assert GAP_MIN_ORGS == 3 and row["gap"] == ""  # two organisations are not "strong"


# ---------------------------------------------------------------- 1. heatmap


def test_heatmap_counts_distinct_organisations_per_country_in_taxonomy_order(con, tax, meta):
    counts, totals = heat_inputs(con)
    chart = capability_heatmap(counts, totals, tax, ctx_for(tax, meta))
    heat = chart.figure.data
    assert len(heat) == 1 and heat[0].type == "heatmap"
    labels = plain(list(heat[0].y[1]))
    assert labels == [tax.label(s) for s in tax.slugs]
    z = dict(zip(labels, heat[0].z, strict=True))
    assert list(z[tax.label("magnets_superconductors")]) == [1, 1]
    assert list(z[tax.label("diagnostics_instrumentation")]) == [1, 1]
    assert list(heat[0].x) == [
        "Japan",
        "UK",
    ]  # short headers; hovers and the table name the country in full


def test_heatmap_share_mode_shows_percent_of_each_country(con, tax, meta):
    counts, totals = heat_inputs(con)
    chart = capability_heatmap(counts, totals, tax, ctx_for(tax, meta), measure="share")
    z = dict(zip(plain(chart.figure.data[0].y[1]), chart.figure.data[0].z, strict=True))
    jp, gb = z[tax.label("magnets_superconductors")]
    assert jp == pytest.approx(100 / 6) and gb == pytest.approx(100 / 4)


def test_heatmap_outlines_the_strong_side_in_its_country_colour(tax, meta):
    counts = pd.DataFrame(
        {
            "slug": ["magnets_superconductors", "magnets_superconductors", "construction_civil"],
            "country": ["JP", "GB", "GB"],
            "n": [6, 1, 5],
        }
    )
    chart = capability_heatmap(counts, {"JP": 10, "GB": 10}, tax, ctx_for(tax, meta))
    colours = sorted(s.line.color for s in chart.figure.layout.shapes)
    assert colours == sorted([JP, GB])
    marks = [a.text for a in chart.figure.layout.annotations if "→" in (a.text or "")]
    assert any("Japan → UK" in m for m in marks) and any("UK → Japan" in m for m in marks)
    assert (
        "Capabilities where Japan is strong and the United Kingdom is thin: 1, led by"
        in chart.summary
    )


def test_heatmap_with_no_organisations_is_an_explanatory_empty_figure(tax, meta):
    empty = pd.DataFrame(columns=["slug", "country", "n"])
    chart = capability_heatmap(empty, {}, tax, ctx_for(tax, meta))
    assert chart.empty and not chart.figure.data
    assert "No Japanese or UK organisation" in chart.figure.layout.annotations[0].text


def test_every_chart_states_title_filters_source_and_date(con, tax, meta):
    filters = Filters(countries=["JP", "GB"])
    ctx = ctx_for(tax, meta, filters=filters)
    counts, totals = heat_inputs(con, filters)
    chart = capability_heatmap(counts, totals, tax, ctx)
    layout = chart.figure.layout
    assert "Capabilities in Japan and the UK" in layout.title.text
    assert "Country: Japan or United Kingdom" in layout.title.subtitle.text
    assert "Data as of Nov 2025" in footer_text(chart.figure)
    assert "Source:" in footer_text(chart.figure)


def test_japanese_charts_use_japanese_labels_and_a_cjk_font(con, tax, meta):
    counts, totals = heat_inputs(con)
    chart = capability_heatmap(counts, totals, tax, ctx_for(tax, meta, "ja"))
    assert chart.figure.data[0].x == ("日本", "英国")
    assert "超伝導磁石・線材" in chart.figure.data[0].y[1]
    assert "Noto Sans CJK JP" in chart.figure.layout.font.family
    assert "出典" in footer_text(chart.figure)
    assert chart.table.columns[0] == "分野グループ"


def test_presenter_mode_uses_larger_type(con, tax, meta):
    counts, totals = heat_inputs(con)
    normal = capability_heatmap(counts, totals, tax, ctx_for(tax, meta))
    big = capability_heatmap(counts, totals, tax, ctx_for(tax, meta, presenter=True))
    assert big.figure.layout.font.size > normal.figure.layout.font.size


# ---------------------------------------------------------------- 2. types and memberships


def test_types_chart_has_one_colour_per_country_and_counts_per_type(con, tax, meta):
    chart = types_memberships(qi.type_membership_counts(con, Filters()), ctx_for(tax, meta))
    bars = {(tr.name, tr.xaxis): tr for tr in chart.figure.data}
    jp_types = bars[("Japan", "x")]
    assert jp_types.marker.color == JP and bars[("United Kingdom", "x")].marker.color == GB
    assert bars[("Other countries", "x")].marker.color == OTHER_COLOUR
    counts = dict(zip(jp_types.y, jp_types.x, strict=True))
    assert counts["Startup"] == 2 and counts["Company"] == 4
    members = bars[("Japan", "x2")]
    assert dict(zip(members.y, members.x, strict=True))["J-Fusion"] == 5
    assert "J-Fusion: 5 (Japan)" in chart.summary


def test_types_chart_with_no_rows_is_empty_not_an_error(tax, meta):
    chart = types_memberships(
        pd.DataFrame(columns=["country", "org_type", "membership", "n"]), ctx_for(tax, meta)
    )
    assert chart.empty and "No organisation matches" in chart.summary


# ---------------------------------------------------------------- 3. map


def test_map_counts_unplaced_organisations_honestly(con, tax, meta):
    df = qi.organisation_places(con, Filters())
    s = summarise_places(df)
    # fixture: 11 organisations (one known only by its Japanese name); Chiba is not in places.csv, Kyoto and California are regions only
    assert (s.total, s.drawn, s.no_place, s.region_only, s.not_reviewed, s.elsewhere) == (
        11,
        8,
        0,
        2,
        1,
        0,
    )
    chart = organisation_map(df, tax, ctx_for(tax, meta))
    note = plain(chart.figure.layout.title.subtitle.text)
    assert "Organisations with no recorded place: 0 of 11." in note
    assert "Only a prefecture, county or region recorded, so not drawn: 2." in note
    assert "Place not yet in the reviewed places table, so not drawn: 1." in note


def test_map_draws_one_marker_per_town_in_the_country_colour(con, tax, meta):
    df = qi.organisation_places(con, Filters())
    points = map_points(df)
    assert points.set_index("town").loc["Tokyo", "n"] == 3
    chart = organisation_map(df, tax, ctx_for(tax, meta))
    traces = {tr.name: tr for tr in chart.figure.data}
    assert traces["Japan"].marker.color == JP and traces["United Kingdom"].marker.color == GB
    assert len(traces["Japan"].lat) == 2  # Tokyo, Osaka
    hover = " ".join(traces["United Kingdom"].hovertext)
    assert "recorded as Culham, Oxfordshire" in hover  # drawn at a nearby town, and says so


def test_map_with_nobody_placeable_says_why(tax, meta):
    df = pd.DataFrame(
        [
            {
                "id": "a",
                "name_en": "A",
                "name_ja": None,
                "country": "JP",
                "org_type": "company",
                "capabilities": [],
                "place": None,
                "latitude": None,
                "longitude": None,
                "precision": None,
                "gazetteer_name": None,
                "place_note": None,
            }
        ]
    )
    chart = organisation_map(df, tax, ctx_for(tax, meta))
    assert chart.empty
    assert "Organisations with no recorded place: 1 of 1." in chart.summary


# ---------------------------------------------------------------- 4. network


def test_network_draws_partner_finder_links_capped_deterministic_with_bridges(con, tax, meta):
    links = qp.candidate_links(con, Filters(), "supply_chain", None, 5000)
    assert list(links.columns) == ["source_id", "target_id", "score", "capabilities", "kind"]
    nodes = qi.organisation_nodes(con, Filters())
    a = link_network(links, nodes, max_links=3)
    b = link_network(links, nodes, max_links=3)
    assert len(a.edges) == 3 and a.total_links == len(links) == 12 and a.kind == "supply_chain"
    assert a.nodes[["x", "y"]].equals(b.nodes[["x", "y"]])
    chart = link_network_chart(link_network(links, nodes), tax, ctx_for(tax, meta))
    names = {tr.name: tr for tr in chart.figure.data}
    assert names["Japan"].marker.color == JP and names["United Kingdom"].marker.color == GB
    assert chart.title == "Japan–UK candidate links: Supply chain"
    assert "the strongest are shown (12 of 12)" in plain(chart.figure.layout.title.subtitle.text)
    assert (
        set(net_ids := a.nodes.loc[a.nodes["bridge"], "id"]) <= set(a.nodes["id"])
        and len(net_ids) >= 1
    )
    for name in a.nodes.loc[
        a.nodes["bridge"], "name_en"
    ]:  # every ringed bridge is named in words too
        assert name in chart.summary
    links_hover = [tr for tr in chart.figure.data if tr.hovertext and "↔" in tr.hovertext[0]]
    assert links_hover and "Score" in links_hover[0].hovertext[0]


def test_network_names_its_kind_in_japanese_even_when_empty(con, tax, meta):
    links = qp.candidate_links(con, Filters(countries=["JP"]), "innovation", None, 5000)
    assert links.empty
    net = link_network(links, qi.organisation_nodes(con, Filters()), kind="innovation")
    chart = link_network_chart(net, tax, ctx_for(tax, meta, lang="ja"))
    assert chart.title.startswith("日英の連携候補：")


def test_network_bridges_are_the_organisations_between_groups():
    links = pd.DataFrame(
        {
            "source_id": ["j1", "j1", "j2"],
            "target_id": ["g1", "g2", "g1"],
            "score": [3.0, 2.0, 1.0],
            "capabilities": [["a"], ["b"], ["a"]],
        }
    )
    nodes = pd.DataFrame(
        {
            "id": ["j1", "j2", "g1", "g2"],
            "country": ["JP", "JP", "GB", "GB"],
            "name_en": ["J1", "J2", "G1", "G2"],
            "name_ja": [None] * 4,
            "org_type": ["company"] * 4,
        }
    )
    net = link_network(links, nodes)
    bridges = set(net.nodes.loc[net.nodes["bridge"], "id"])
    assert bridges == {"j1", "g1"}  # the path g2–j1–g1–j2 runs through them


def test_network_link_scores_read_as_on_the_partner_finder_page(con, tax, meta):
    import re

    links = qp.candidate_links(con, Filters(), "supply_chain", None, 5000)
    chart = link_network_chart(
        link_network(links, qi.organisation_nodes(con, Filters())), tax, ctx_for(tax, meta)
    )
    hovers = [h for tr in chart.figure.data if tr.hovertext for h in tr.hovertext if "↔" in h]
    assert hovers and all(
        re.search(r"Score \d+\.\d\d ·", h) for h in hovers
    )  # two decimals, as in its tables


def test_network_with_no_shared_capability_is_empty_not_an_error(tax, meta):
    empty = pd.DataFrame(columns=["source_id", "target_id", "score", "capabilities"])
    nodes = pd.DataFrame(columns=["id", "country", "name_en", "name_ja", "org_type"])
    chart = link_network_chart(link_network(empty, nodes), tax, ctx_for(tax, meta))
    assert chart.empty and "form a candidate link" in chart.summary


# ---------------------------------------------------------------- 5. coverage


def test_coverage_shows_filled_share_per_field_and_country(con, tax, meta):
    df = qi.field_coverage(con, Filters())
    jp = df[(df["country"] == "JP") & (df["field"] == "website")].iloc[0]
    assert (jp["filled"], jp["total"]) == (1, 6)
    chart = coverage_chart(df, ctx_for(tax, meta))
    traces = {tr.name: tr for tr in chart.figure.data}
    assert list(traces["Japan"].y) == [t(f"insights.field.{f}") for f in qi.COVERAGE_FIELDS]
    assert dict(zip(traces["Japan"].y, traces["Japan"].x, strict=True))["Website"] == pytest.approx(
        100 / 6
    )
    assert "not that the organisation cannot do it" in chart.summary


def test_coverage_with_no_rows_is_empty(tax, meta):
    chart = coverage_chart(
        pd.DataFrame(columns=["field", "country", "filled", "total"]), ctx_for(tax, meta)
    )
    assert chart.empty


def test_filters_narrow_every_query(con):
    only_jp = Filters(countries=["JP"])
    assert queries.filter_summary(con, only_jp).country_totals == {"JP": 6}
    assert qp.candidate_links(con, only_jp, "joint_research").empty
    assert set(qi.organisation_places(con, only_jp)["country"]) == {"JP"}


def test_chart_file_names_name_the_chart_filters_and_date(tax, meta):
    ctx = ctx_for(tax, meta, filters=Filters(countries=["JP"], capabilities=["materials"]))
    assert (
        figure_filename("map", ctx, "2026-11-29") == "fusion-insights_map_JP_materials_2026-11-29"
    )
    ja = ctx_for(
        tax, meta, lang="ja", filters=Filters(countries=["JP"], capabilities=["materials"])
    )
    assert (
        figure_filename("map", ja, "2026-11-29") == "fusion-insights_map_JP_materials_2026-11-29_ja"
    )


def test_wrapping_keeps_katakana_words_whole_and_breaks_long_capability_labels(con, tax, meta):
    footer = "出典：フュージョン・パートナー・ファインダー（プレスリリース、協議会のお知らせ）／データ時点：2026/07/01"
    for width in range(20, 90, 3):
        lines = wrap(footer, width).split("<br>")
        assert "".join(lines) == footer
        for a, b in itertools.pairwise(lines):  # no break inside a katakana run such as データ
            assert not (is_katakana(a[-1]) and is_katakana(b[0])), (width, a, b)
    assert (
        wrap("慣性閉じ込め・レーザー方式の核融合炉開発", 38).split("<br>")[-1] == "開発"
    )  # no lone 発
    for width in range(10, 60):  # an opening bracket never ends a line
        label = "磁場閉じ込め方式の核融合炉開発（トカマク・ステラレータ・ヘリカル）"
        assert not any(line.endswith("（") for line in wrap(label, width).split("<br>"))
    counts, totals = heat_inputs(con)
    fig = capability_heatmap(counts, totals, tax, ctx_for(tax, meta)).figure
    labels = list(fig.data[0].y[1])
    assert fig.layout.xaxis.tickangle == 0
    long = [lab for lab in labels if "<br>" in lab]
    assert long and all(len(line) <= LABEL_WRAP for lab in labels for line in lab.split("<br>"))


def test_share_mode_shows_small_shares_with_a_decimal_and_no_share_for_an_absent_country(
    con, tax, meta
):
    assert (pct(0.033, "en"), pct(0.016, "en"), pct(0.5, "en"), pct(0, "en")) == (
        "3.3%",
        "1.6%",
        "50%",
        "0%",
    )
    filters = Filters(countries=["JP"])
    counts, totals = heat_inputs(con, filters)
    chart = capability_heatmap(
        counts, totals, tax, ctx_for(tax, meta, filters=filters), measure="share"
    )
    assert {row[1] for row in chart.figure.data[0].text} == {"—"}  # no UK organisation selected
    assert any(row[0] != "—" for row in chart.figure.data[0].text)


def test_presenter_mode_enlarges_legends_too(con, tax, meta):
    df = qi.type_membership_counts(con, NO_FILTERS)
    small = types_memberships(df, ctx_for(tax, meta)).figure.layout.legend.font.size
    large = types_memberships(df, ctx_for(tax, meta, presenter=True)).figure.layout.legend.font.size
    assert large > small


def test_the_heatmap_cut_for_slides_keeps_whole_groups_every_row_and_one_colour_scale(
    con, tax, meta
):
    counts, totals = heat_inputs(con)
    ctx = ctx_for(tax, meta)
    whole = capability_heatmap(counts, totals, tax, ctx)
    parts = capability_heatmap_parts(counts, totals, tax, ctx)
    assert len(parts) == 2 and [p.title for p in parts] == [
        "Capabilities in Japan and the UK (1/2)",
        "Capabilities in Japan and the UK (2/2)",
    ]
    rows = [label for p in parts for label in p.figure.data[0].y[1]]
    assert rows == list(whole.figure.data[0].y[1])  # every capability once, in taxonomy order
    groups = [set(p.figure.data[0].y[0]) for p in parts]
    assert not groups[0] & groups[1]  # a group is never split
    assert {p.figure.data[0].zmax for p in parts} == {whole.figure.data[0].zmax}
    assert capability_heatmap_parts(counts, totals, tax, ctx, parts=1)[0].title == whole.title


# ---------------------------------------------------------------- static and slide variants


def _figure_texts(fig):
    """Every text a reader sees in a still image of ``fig``: titles, annotations, trace text."""
    texts = [fig.layout.title.text or "", fig.layout.title.subtitle.text or ""]
    texts += [a.text or "" for a in fig.layout.annotations]
    for tr in fig.data:
        if getattr(tr, "text", None) is not None and not isinstance(tr.text, str):
            texts += [str(x) for x in tr.text]
        if getattr(tr, "name", None):
            texts.append(tr.name)
    return plain(texts)


def _documented_net():
    links = pd.DataFrame(
        {
            "source_id": ["j1", "j1", "j2"],
            "target_id": ["g1", "g2", "g1"],
            "score": [2.0, 1.0, 1.0],
            "capabilities": [["joint_research"], ["supply"], ["joint_research"]],
        }
    )
    nodes = pd.DataFrame(
        {
            "id": ["j1", "j2", "g1", "g2"],
            "country": ["JP", "JP", "GB", "GB"],
            "name_en": ["Kyoto Sample", "Osaka Sample", "Harbour's Edge Ltd", "Culham Sample"],
            "name_ja": ["京都サンプル", None, None, None],
            "org_type": ["company"] * 4,
        }
    )
    return link_network(links, nodes, kind="documented")


@pytest.mark.parametrize(
    ("lang", "kind", "hover"),
    [
        ("en", "supply_chain", "hover"),
        ("ja", "supply_chain", "カーソル"),
        ("en", "documented", "hover"),
        ("ja", "documented", "カーソル"),
    ],
)
def test_the_static_network_names_every_organisation_and_never_asks_to_hover(
    con, tax, meta, lang, kind, hover
):
    import html
    import re

    if kind == "documented":
        net = _documented_net()
    else:
        net = link_network(
            qp.candidate_links(con, Filters(), kind, None, 5000),
            qi.organisation_nodes(con, Filters()),
        )
    chart = link_network_chart(net, tax, ctx_for(tax, meta, lang=lang))
    assert chart.static is not None and chart.export_figure is chart.static
    static = " ".join(_figure_texts(chart.static))
    assert hover not in static.lower()
    assert (
        hover in plain(chart.figure.layout.title.subtitle.text).lower()
    )  # the page's figure still says it
    assert hover not in chart.summary.lower()  # the speaker notes neither
    key = html.unescape(
        " ".join(plain(a.text) for a in chart.static.layout.annotations if a.name == "key")
    )
    for (
        _,
        node,
    ) in net.nodes.iterrows():  # every organisation named in the key (possibly cut with …)
        name = display_name(node["name_en"], node["name_ja"], lang)
        assert name[:8] in key, name
    numbers = [int(n) for n in re.findall(r">(\d+)</span>", key)]
    assert numbers == list(range(1, len(net.nodes) + 1))
    drawn = next(
        tr for tr in chart.static.data if tr.mode == "text"
    )  # the same numbers beside the nodes
    assert sorted(int(x) for x in drawn.text) == numbers


def test_a_slide_figure_leaves_title_subtitle_and_footer_to_the_slide(con, tax, meta):
    where = organisation_map(qi.organisation_places(con, Filters()), tax, ctx_for(tax, meta))
    bare = slide_figure(where.export_figure)
    assert not bare.layout.title.text and not bare.layout.title.subtitle.text
    assert not [a for a in bare.layout.annotations if a.name == "footer"]
    assert [a.text for a in bare.layout.annotations] == [
        "Japan",
        "United Kingdom",
    ]  # the panels keep their names
    assert bare.layout.height < where.figure.layout.height
    assert where.figure.layout.title.text  # the page's figure is untouched


def test_bar_and_heatmap_charts_carry_their_numbers_for_native_slides(con, tax, meta):
    ctx = ctx_for(tax, meta)
    types = types_memberships(qi.type_membership_counts(con, Filters()), ctx)
    kinds, members = types.panels
    assert kinds.title == "Organisation types" or kinds.title  # the panel names its part
    jp = next(s for s in kinds.series if s.name == "Japan")
    bars = next(tr for tr in types.figure.data if tr.name == "Japan" and tr.xaxis == "x")
    assert (
        list(kinds.categories) == list(bars.y)
        and list(jp.values) == list(bars.x)
        and jp.colour == JP
    )
    assert members.categories and members.weight < kinds.weight
    cov = coverage_chart(qi.field_coverage(con, Filters()), ctx)
    (panel,) = cov.panels
    assert panel.percent and all(0 <= v <= 100 for s in panel.series for v in s.values)
    assert any(
        lbl == "1/6" for s in panel.series for lbl in s.labels
    )  # website filled for 1 of 6 in Japan
    heat = capability_heatmap(*heat_inputs(con), tax, ctx)
    (table,) = heat.panels
    assert len(table.rows) == len(heat.table) and table.header[2:4] == ("Japan", "United Kingdom")
    assert [r[1] for r in table.rows] == list(heat.table.iloc[:, 1])
    assert [r[2] for r in table.rows] == [str(v) for v in heat.table.iloc[:, 2]]
    assert all(0 <= s[2] <= 1 and 0 <= s[3] <= 1 for s in table.shade)
    assert (
        "Outlined" not in table.note and "Bold" in table.note
    )  # a table has no outlines to speak of
    where = organisation_map(qi.organisation_places(con, Filters()), tax, ctx)
    assert where.panels == ()  # no native form: a picture, with its towns named beside it
    points = map_points(qi.organisation_places(con, Filters()))
    for country in ("JP", "GB"):
        listed = [
            (n, town) for n, town, colour in where.numbered if colour == COUNTRY_COLOURS[country]
        ]
        top = points[points["country"] == country].head(MAP_KEY_TOWNS)
        assert listed == [(str(n), town) for n, town in zip(top["n"], top["town"], strict=True)]
