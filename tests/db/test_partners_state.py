"""Partner-finder parameters: URL round trip, stale values, weights, shortlist export."""

import io
import re

import openpyxl
import pandas as pd
import pytest

from fusion_partners.explore.export import BOM, to_csv_bytes, to_xlsx_bytes
from fusion_partners.i18n import t
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.partners import sql as qp
from fusion_partners.partners.query import (
    DEFAULT_WEIGHTS,
    PartnerFilters,
    PartnerQuery,
    Weights,
    candidate_filters,
    display_score,
    fitting_kind,
    format_score,
    target_countries,
)
from fusion_partners.partners.reasons import short_name
from fusion_partners.partners.shortlist import (
    mixed_weights,
    shortlist_about,
    shortlist_entry,
    shortlist_frame,
    shortlist_key,
)
from fusion_partners.partners.table import Context
from fusion_partners.partners.url import (
    Notice,
    from_params,
    link_notices,
    query_key,
    rows_key,
    to_params,
)
from fusion_partners.queries import capability_leaves
from fusion_partners.queries import taxonomy as taxonomy_query
from fusion_partners.ui.partners_state import link_notice_markdown
from fusion_partners.workspace.exchange import read_shortlist

VALID = {
    "org": {"albion-tokamak", "sakura-magnet"},
    "capability": {"magnets_superconductors", "plasma_heating"},
    "country": {"JP", "GB", "US"},
    "org_type": {"startup", "company"},
    "membership": {"j_fusion", "other"},
}


@pytest.mark.parametrize(
    "query",
    [
        PartnerQuery(start="albion-tokamak", kind="joint_research"),
        PartnerQuery(needs=("plasma_heating", "magnets_superconductors"), kind="innovation"),
        PartnerQuery(
            start="sakura-magnet",
            kind="demonstration",
            filters=PartnerFilters(("US", "GB"), ("startup",), ("j_fusion",), "medium"),
            weights=Weights(match=2, confidence=0, membership=1.5, rarity=0.5, breadth=1),
        ),
    ],
)
def test_a_query_survives_the_url_round_trip(query):
    other = "albion-tokamak" if query.start == "sakura-magnet" else "sakura-magnet"
    params = to_params(query, pair_with=other)
    parsed = from_params(params, VALID)
    assert parsed.query == query
    assert parsed.rejected == parsed.out_of_range == parsed.ignored == ()
    assert parsed.pair_with == (other if query.start else "")  # the pair view needs a start


def test_default_weights_and_filters_stay_out_of_the_url():
    assert to_params(PartnerQuery(start="albion-tokamak")) == {
        "org": "albion-tokamak",
        "kind": "supply_chain",
    }


def test_stale_and_malformed_link_values_are_dropped_and_reported():
    parsed = from_params(
        {
            "org": "gone-org",
            "need": ["plasma-heating", "warp_drive"],
            "kind": "friendship",
            "country": ["gb", "XX"],
            "type": "spaceship",
            "min_conf": "certain",
            "w_match": "lots",
            "w_conf": "99",
            "w_rarity": "2",
            "with": "gone-too",
        },
        VALID,
    )
    assert parsed.query == PartnerQuery(
        needs=("plasma_heating",),
        kind="supply_chain",
        filters=PartnerFilters(countries=("GB",)),
        weights=Weights(rarity=2),
    )
    assert set(parsed.rejected) == {
        ("org", "gone-org"),
        ("need", "warp_drive"),
        ("kind", "friendship"),
        ("country", "XX"),
        ("type", "spaceship"),
        ("min_conf", "certain"),
        ("with", "gone-too"),
    }
    assert set(parsed.out_of_range) == {("w_match", "lots"), ("w_conf", "99")}
    assert parsed.ignored == ()


def plain(markdown: str) -> str:
    """Markdown source without backslash escapes (what the reader sees)."""
    return re.sub(r"\\(.)", r"\1", markdown)


@pytest.mark.parametrize("value", ["-1", "1e9", "nan", "inf", "lots", "5.0001"])
def test_a_weight_out_of_its_range_falls_back_to_the_default_with_its_own_notice(value):
    parsed = from_params({"org": "albion-tokamak", "w_match": value, "w_breadth": "2"}, VALID)
    assert parsed.query.weights == DEFAULT_WEIGHTS
    assert parsed.rejected == () and parsed.out_of_range == (("w_match", value), ("w_breadth", "2"))
    [message] = [plain(m) for m in link_notice_markdown(parsed, "en")]
    assert message.startswith(
        "Weights in this link are not numbers in their allowed ranges, so the defaults were used"
    )
    assert "not in the current data" not in message
    assert "w_breadth=2 (Weight of further matches: allowed 0–1; default 0.5)" in message
    assert "w_match=" in message and "(Match: allowed 0–5; default 1)" in message
    [one] = link_notice_markdown(from_params({"w_breadth": "2"}, VALID), "en")
    assert one.startswith("A weight in this link is not a number in its allowed range")
    assert "w_breadth=2（2つ目以降の一致の重み：許容範囲0～1、既定値0.5）" in plain(
        link_notice_markdown(from_params({"w_breadth": "2"}, VALID), "ja")[0]
    )


def test_capabilities_next_to_an_organisation_are_ignored_with_a_notice():
    parsed = from_params(
        {"org": "albion-tokamak", "need": ["plasma_heating", "magnets_superconductors"]}, VALID
    )
    assert parsed.query.needs == () and parsed.rejected == ()
    assert parsed.ignored == (
        ("need", "plasma_heating", "need_with_org"),
        ("need", "magnets_superconductors", "need_with_org"),
    )
    messages = link_notice_markdown(parsed, "en")
    assert len(messages) == 2 and all("names a starting organisation" in m for m in messages)


@pytest.mark.parametrize(
    ("params", "reason"),
    [
        ({"org": "albion-tokamak", "with": "albion-tokamak"}, "with_is_start"),
        ({"need": "plasma_heating", "with": "sakura-magnet"}, "with_without_start"),
    ],
)
def test_a_pair_view_that_cannot_open_is_ignored_with_a_notice(params, reason):
    parsed = from_params(params, VALID)
    assert parsed.pair_with == "" and parsed.rejected == ()
    assert parsed.ignored == (("with", params["with"], reason),)
    [message] = link_notice_markdown(parsed, "en")
    assert f"with={params['with']}" in plain(message)


def test_link_notices_show_crafted_values_as_text():
    parsed = from_params({"w_match": "**[x](javascript:alert)**" + "9" * 80}, VALID)
    [message] = link_notice_markdown(parsed, "en")
    assert "**[" not in message and "…" in message


def test_link_notices_are_plain_data_the_page_escapes():
    parsed = from_params(
        {"org": "albion-tokamak", "need": "plasma_heating", "w_match": "**[x](y)**" + "9" * 80},
        VALID,
    )
    weights, need = link_notices(parsed, "en")
    assert weights.key == "partners.url.weight_range.one"
    assert weights.values["values"].startswith("w_match=**[x](y)**999") and "…" in weights.text(
        "en"
    )
    assert need == Notice("partners.url.need_with_org", {"value": "need=plasma_heating"})
    assert "\\" not in weights.text("en") + need.text("en")  # plain text: no Markdown escapes
    assert [plain(m) for m in link_notice_markdown(parsed, "en")] == [
        weights.text("en"),
        need.text("en"),
    ]


def test_an_organisation_in_the_link_wins_over_capabilities():
    parsed = from_params({"org": "albion-tokamak", "need": "plasma_heating"}, VALID)
    assert parsed.query.start == "albion-tokamak" and parsed.query.needs == ()


def test_weights_are_clamped_and_nan_falls_back_to_the_default():
    w = Weights(match=-1, confidence=float("nan"), membership=99, rarity="x", breadth=2)
    assert (w.match, w.confidence, w.membership, w.rarity, w.breadth) == (0, 0.3, 5, 1.0, 1)
    assert DEFAULT_WEIGHTS == Weights()


def test_query_normalises_its_inputs():
    q = PartnerQuery(
        start="  albion-tokamak ", needs=["b", "a", "a"], kind="nonsense", limit=10_000
    )
    assert (q.start, q.needs, q.kind, q.limit) == (
        "albion-tokamak",
        ("a", "b"),
        "supply_chain",
        500,
    )
    assert PartnerQuery().mode == "none" and PartnerQuery(needs=("a",)).mode == "capabilities"
    assert hash(q) == hash(PartnerQuery(start="albion-tokamak", needs=("a", "b"), limit=500))


@pytest.mark.parametrize(
    ("country", "chosen", "expected"),
    [
        ("JP", (), ("GB",)),
        ("GB", (), ("JP",)),
        ("US", (), ("JP", "GB")),
        (None, (), ("JP", "GB")),
        ("JP", ("JP", "US"), ("JP", "US")),
    ],
)
def test_the_default_target_is_the_other_country(country, chosen, expected):
    assert target_countries(country, PartnerFilters(countries=chosen)) == expected


def test_minimum_confidence_becomes_a_confidence_filter():
    f = candidate_filters(PartnerQuery(filters=PartnerFilters(min_confidence="medium")), "GB")
    assert f.confidences == ("high", "medium") and f.countries == ("JP",)


@pytest.mark.parametrize(
    ("org_type", "caps", "kind"),
    [
        ("university", ["research_academia"], "joint_research"),
        ("investor", ["trading_finance"], "innovation"),
        ("company", ["trading_finance"], "innovation"),
        ("public_body", ["skills_training"], "demonstration"),
        ("company", ["construction_civil", "energy_utilities"], "demonstration"),
        ("startup", ["fusion_developer_mcf", "magnets_superconductors"], "supply_chain"),
        ("company", ["magnets_superconductors"], "supply_chain"),
    ],
)
def test_each_organisation_opens_on_the_kind_that_suits_it(org_type, caps, kind):
    assert fitting_kind(org_type, caps) == kind


@pytest.fixture(scope="module")
def entries(pcon):
    query = PartnerQuery(start="albion-tokamak", kind="supply_chain")
    start = {
        "name_en": "Albion Tokamak Ltd",
        "name_ja": None,
        "source_urls": "https://news.example/albion",
    }
    rows = qp.suggestions(pcon, query).to_dict("records")
    return [shortlist_entry(r, query, start) for r in rows]


def test_shortlist_entries_are_keyed_by_start_kind_and_candidate(entries):
    assert [shortlist_key(e) for e in entries] == [
        "albion-tokamak|supply_chain|sakura-magnet",
        "albion-tokamak|supply_chain|fuji-helical",
    ]


def test_shortlist_export_has_scores_reasons_and_both_sets_of_sources(pcon, entries):
    tax = Taxonomy.from_frame(taxonomy_query(pcon), capability_leaves(pcon))
    frame = shortlist_frame(entries, Context(tax, "en"), headers=True)
    assert list(frame.columns[:7]) == [
        "Start",
        "Start ID",
        "Start (Japanese name)",
        "Candidate",
        "Candidate ID",
        "Candidate (Japanese name)",
        "Country",
    ]
    row = frame.iloc[0]
    assert row["Candidate"] == "Sakura Magnet Wire KK"
    assert (row["Start ID"], row["Candidate ID"]) == ("albion-tokamak", "sakura-magnet")
    assert (row["Start (Japanese name)"], row["Candidate (Japanese name)"]) == (
        "",
        "さくら線材株式会社",
    )
    assert row["Score"] == 4.20805  # full precision: ln 15 match + 1 known link + 0.3 + 0.2
    assert (row["Match points"], row["Known-link points"], row["Track record"]) == (
        2.70805020110221,
        1.0,
        0.0,
    )
    assert row["Why"] == "Supplies HTS conductor (REBCO tape and cable), which Albion Tokamak needs"
    assert row["Rule that matched"] == "Supply chain: the start buys"
    assert row["Already working together"] == "Already working together: Supply contract (2024)"
    assert row["Candidate's sources"] == "https://news.example/sakura https://news.example/sakura-2"
    assert row["Start's sources"] == "https://news.example/albion"
    data = to_csv_bytes(frame)
    assert data.startswith(BOM.encode("utf-8"))
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame, [("Rows", "2")])))
    sheet = book.worksheets[0]
    assert sheet.cell(1, 4).value == "Candidate" and sheet.cell(2, 10).value == 4.20805


@pytest.mark.parametrize(
    ("header", "lang"), [("Known link", "en"), ("Known-link points", "en"), ("連携実績", "ja")]
)
def test_a_shortlist_file_reads_its_known_link_points_under_earlier_headers_too(
    pcon, entries, header, lang
):
    # exports made before the column was renamed ("Known link", 「連携実績」) still import
    tax = Taxonomy.from_frame(taxonomy_query(pcon), capability_leaves(pcon))
    frame = shortlist_frame(entries, Context(tax, lang), headers=True)
    frame = frame.rename(columns={t("partners.col.link_points", lang): header})
    cells = [[str(v) for v in row] for row in frame.itertuples(index=False)]
    back = read_shortlist(
        tuple(frame.columns),
        list(enumerate(cells, start=2)),
        lambda i: {"name_en": i, "country": "JP"},
    )
    assert [e["link_points"] for _, e, _, _ in back.entries] == [1.0, 0.0]


def test_each_shortlist_entry_records_the_weights_it_was_scored_with(pcon, entries):
    tax = Taxonomy.from_frame(taxonomy_query(pcon), capability_leaves(pcon))
    query = PartnerQuery(
        start="albion-tokamak", kind="supply_chain", weights=Weights(match=2, breadth=1)
    )
    start = {"name_en": "Albion Tokamak Ltd", "name_ja": None, "source_urls": ""}
    rescored = shortlist_entry(qp.suggestions(pcon, query).to_dict("records")[0], query, start)
    assert entries[0]["weights"] == {
        "match": 1.0,
        "confidence": 0.3,
        "membership": 0.2,
        "rarity": 1.0,
        "breadth": 0.5,
        "link": 1.0,
        "network": 1.0,
        "shared": 0.3,
        "mutual": 1.0,
    }
    assert rescored["weights"]["match"] == 2.0 and rescored["weights"]["breadth"] == 1.0
    assert not mixed_weights(entries) and mixed_weights([entries[1], rescored])
    shown = shortlist_frame([entries[1], rescored], Context(tax, "en"))
    assert list(shown["weights"]) == [
        "match 1 · confidence 0.3 · membership 0.2 · rarity 1 · breadth 0.5 · known link 1 · track record 1 · shared work 0.3 · mutual partners 1",
        "match 2 · confidence 0.3 · membership 0.2 · rarity 1 · breadth 1 · known link 1 · track record 1 · shared work 0.3 · mutual partners 1",
    ]
    export = shortlist_frame([entries[1], rescored], Context(tax, "en"), headers=True)
    assert "Weights" not in export.columns
    assert list(export["Match weight"]) == [1.0, 2.0] and list(export["Further-match weight"]) == [
        0.5,
        1.0,
    ]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(export)))
    heads = [c.value for c in book.worksheets[0][1]]
    cell = book.worksheets[0].cell(3, heads.index("Match weight") + 1)
    assert cell.value == 2 and cell.data_type == "n"
    ja = shortlist_frame([rescored], Context(tax, "ja"))
    assert (
        ja.iloc[0]["weights"]
        == "一致度：2、確度：0.3、会員区分：0.2、希少性：1、広がり：1、連携実績：1、起点の国での実績：1、共通の取り組み：0.3、共通の協働先：1"
    )


def test_an_entry_recorded_without_weights_still_shows(pcon, entries):
    tax = Taxonomy.from_frame(taxonomy_query(pcon))
    old = {
        k: v for k, v in entries[0].items() if k != "weights"
    }  # a session from before weights were kept
    frame = shortlist_frame([old], Context(tax, "en"), headers=True)
    assert frame.iloc[0]["Match weight"] != frame.iloc[0]["Match weight"]  # NaN: an empty cell


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_shortlist_about_sheet_matches_the_explore_export(lang):
    from fusion_partners.explore.export import about_rows

    about = shortlist_about(3, "2026-07-01", lang)
    explore = about_rows("x", 3, "2026-07-01", lang, [("Filters", "none")])
    assert [label for label, _ in about][2:] == [label for label, _ in explore][2:]
    values = dict(about)
    assert values[t("export.about.rows", lang)] == 3 and isinstance(
        values[t("export.about.rows", lang)], int
    )
    assert values[t("export.about.data_date", lang)] == "2026-07-01"
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(pd.DataFrame({"a": [1]}), about)))
    sheet = {r[0].value: r[1] for r in book.worksheets[1].iter_rows()}
    assert sheet[t("export.about.rows", lang)].data_type == "n"
    assert sheet[t("export.about.data_date", lang)].value == "2026-07-01"


MARKDOWN = re.compile(r"\*\*|__|(?<!\w)\*\w|\\[^\w\s]|\]\(")
"""Markdown a spreadsheet cell would show literally: bold, italics, escapes, links."""


def _about_sheet(about, lang) -> dict[str, str]:
    data = to_xlsx_bytes(pd.DataFrame({"a": [1]}), about, about_sheet=t("export.sheet.about", lang))
    sheet = openpyxl.load_workbook(io.BytesIO(data))[t("export.sheet.about", lang)]
    return {str(r[0]): str(r[1]) for r in sheet.iter_rows(values_only=True)}


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_about_sheets_are_plain_text_without_markdown(pcon, lang):
    from fusion_partners.explore.filters import Filters
    from fusion_partners.ui.explore import export_about

    shortlist = _about_sheet(shortlist_about(3, "2026-07-01", lang), lang)
    scoring = shortlist[t("partners.about.model", lang)]
    assert scoring.startswith(("The score adds seven parts", "スコアは次の7つの要素"))
    assert ("match (how well" if lang == "en" else "一致度（一方の") in scoring
    tax = Taxonomy.from_frame(taxonomy_query(pcon), capability_leaves(pcon))
    filters = Filters(countries=("JP", "GB"), capabilities=tuple(tax.slugs[:2]), query="magnet")
    explore = _about_sheet(export_about(filters, 9, {"data_as_of": "2026-07"}, tax, lang), lang)
    for sheet in (shortlist, explore):
        for label, value in sheet.items():
            assert not MARKDOWN.search(label + value), (label, value)


def test_shortlist_is_rendered_in_the_language_it_is_shown_in(pcon, entries):
    tax = Taxonomy.from_frame(taxonomy_query(pcon), capability_leaves(pcon))
    ja = shortlist_frame(entries, Context(tax, "ja"), headers=True)
    assert list(ja.columns[:4]) == ["起点", "起点ID", "起点（日本語名）", "候補"]
    assert ja.iloc[0]["候補"] == "さくら線材株式会社"
    assert "高温超電導線材（REBCOテープ・ケーブル）を供給できます" in ja.iloc[0]["理由"]


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Tokamak Energy Ltd", "Tokamak Energy"),
        ("Kyoto Fusioneering Ltd.", "Kyoto Fusioneering"),
        ("Furukawa Electric Co., Ltd.", "Furukawa Electric"),
        ("Mitsui & Co., Ltd.", "Mitsui & Co."),
        ("株式会社フジクラ", "フジクラ"),
        ("京都フュージョニアリング株式会社", "京都フュージョニアリング"),
        ("Sumitomo Corporation", "Sumitomo Corporation"),
        ("University of Oxford", "University of Oxford"),
        ("株式会社", "株式会社"),
    ],
)
def test_reasons_use_names_without_corporate_forms(name, short):
    assert short_name(name) == short


def test_the_query_key_changes_with_every_part_of_the_question_and_nothing_else():
    base = PartnerQuery(start="albion-tokamak", kind="supply_chain")
    assert query_key(base) == query_key(PartnerQuery(start="albion-tokamak", kind="supply_chain"))
    assert len(query_key(base)) == 16 and query_key(base).isalnum()
    changed = [
        PartnerQuery(start="sakura-magnet", kind="supply_chain"),
        PartnerQuery(start="albion-tokamak", kind="demonstration"),
        PartnerQuery(needs=("plasma_heating",), kind="supply_chain"),
        PartnerQuery(start="albion-tokamak", filters=PartnerFilters(countries=("US",))),
        PartnerQuery(start="albion-tokamak", filters=PartnerFilters(org_types=("startup",))),
        PartnerQuery(start="albion-tokamak", filters=PartnerFilters(memberships=("j_fusion",))),
        PartnerQuery(start="albion-tokamak", filters=PartnerFilters(min_confidence="high")),
        PartnerQuery(start="albion-tokamak", weights=Weights(match=2)),
        PartnerQuery(start="albion-tokamak", weights=Weights(breadth=1)),
        PartnerQuery(start="albion-tokamak", limit=10),
    ]
    keys = {query_key(q) for q in changed} | {query_key(base, "2026-11-29T10:00:00Z")}
    assert query_key(base) not in keys and len(keys) == len(changed) + 1


def test_the_rows_key_follows_the_rows_and_their_order():
    assert rows_key(["a", "b"]) == rows_key(["a", "b"])
    assert len({rows_key(["a", "b"]), rows_key(["b", "a"]), rows_key(["a"]), rows_key([])}) == 4


@pytest.mark.parametrize(
    ("score", "shown"),
    [
        (2.175, 2.18),
        (2.1749, 2.17),
        (4.5425, 4.54),
        (4.545, 4.55),
        (1.5, 1.5),
        (0, 0.0),
        (7.081143, 7.08),
    ],
)
def test_scores_on_screen_have_two_decimals_with_halves_rounded_up(score, shown):
    assert display_score(score) == shown


def test_score_text_always_shows_two_decimals():
    assert format_score(2.175, "en") == "2.18"
    assert format_score(3, "ja") == "3.00"
    assert format_score(1234.5, "en") == "1,234.50"


def test_the_shortlist_shows_rounded_scores_and_exports_full_precision(pcon):
    tax = Taxonomy.from_frame(taxonomy_query(pcon))
    query = PartnerQuery(start="fuji-helical", kind="joint_research")
    rows = qp.suggestions(pcon, query)
    entries = [shortlist_entry(r, query, None) for r in rows.to_dict("records")]
    shown = shortlist_frame(entries, Context(tax, "en"))
    export = shortlist_frame(entries, Context(tax, "en"), headers=True)
    assert list(export["Score"]) == list(rows["score"])  # as computed
    assert any(
        round(v, 2) != v for v in export["Score"]
    )  # the fixture has scores with more decimals
    for col in ("score", "match_points", "confidence_points", "membership_points"):
        assert list(shown[col]) == [display_score(v) for v in rows[col]]
