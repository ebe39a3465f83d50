"""Organisations known only by their Japanese name work everywhere (roster, ids, merge, build,
search, pages, exports), and no English name is ever invented for them.

The fixture roster (tests/data) holds one: 株式会社さくら炉心試験 (fictional), id
``sakura-roshin-shiken``.
"""

import csv
from pathlib import Path

import pytest

from conftest import markdown_text, plain
from fusion_partners import queries
from fusion_partners.data.roster import ROSTER_COLUMNS
from fusion_partners.data.validation import validate_organisations
from fusion_partners.explore.filters import Filters
from fusion_partners.explore.tables import export_frame
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.importing.apply import apply
from fusion_partners.importing.curate import load_organisations
from fusion_partners.importing.merge import make_id, merge_roster
from fusion_partners.importing.planner import plan
from fusion_partners.importing.request import ImportFile, ImportOptions, ImportRequest
from fusion_partners.importing.upload import read_table

TESTS = Path(__file__).resolve().parents[1]
SOURCE = "https://council.example/members"
SAKURA = "sakura-roshin-shiken"
SAKURA_JA = "株式会社さくら炉心試験"


def taxonomy():
    with (TESTS / "data" / "capabilities.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def row(**kw):
    base = dict.fromkeys(ROSTER_COLUMNS, "")
    base.update(
        country="JP",
        org_type="company",
        membership="other",
        capabilities="materials",
        source_urls="https://a.example/1",
        evidence="e",
        confidence="medium",
    )
    return {**base, **kw}


def japanese_sheet(*names: str) -> ImportRequest:
    body = "組織名,国,技術分野\n" + "".join(f"{n},日本,ブランケット\n" for n in names)
    table = read_table(body.encode("utf-8"), "j_fusion_members.csv")
    return ImportRequest(
        (ImportFile.guessed(table),),
        options=ImportOptions(source_url=SOURCE, council="j_fusion", member_list=True),
    )


def test_a_row_with_only_a_japanese_name_is_valid_and_a_row_with_no_name_is_not():
    rows = [row(name_ja="株式会社ひかり核融合工房"), row()]
    problems = validate_organisations(
        "f.csv", ROSTER_COLUMNS, rows, {"materials"}, require_id=False
    )
    assert [(p.row, p.key) for p in problems if p.severity == "error"] == [(3, "name_missing")]


def test_an_id_is_made_from_the_romanised_japanese_name_without_its_corporate_form():
    assert make_id("株式会社ひかり核融合工房", "JP", set()) == "hikari-kakuyuugou-koubou"
    assert (
        make_id("株式会社ひかり核融合工房", "JP", {"hikari-kakuyuugou-koubou"})
        == "hikari-kakuyuugou-koubou-jp"
    )


@pytest.mark.parametrize(
    ("name", "taken", "expected"),
    [
        ("㈱髙田製作所", set(), "takada-seisakusho"),  # 髙 (はしご高), which pykakasi cannot read
        ("（株）髙橋工業", set(), "takahashi-kougyou"),
        ("株式会社山﨑製作所", set(), "yamazaki-seisakusho"),  # 﨑 (たつさき)
        ("㈱髙田製作所", {"takada-seisakusho"}, "takada-seisakusho-jp"),  # ids stay unique
    ],
)
def test_an_id_keeps_the_distinctive_part_of_a_name_written_with_a_kanji_variant(
    name, taken, expected
):
    assert make_id(name, "JP", taken) == expected


def test_names_with_kanji_variants_import_as_distinct_records_with_readable_ids():
    p = plan(japanese_sheet("㈱髙田製作所", "㈱髙木製作所"), [], taxonomy())
    assert [r.org_id for r in p.rows] == ["takada-seisakusho", "takagi-seisakusho"]
    assert [o["name_ja"] for o in p.after] == ["㈱髙田製作所", "㈱髙木製作所"]  # stored as written


def test_two_japanese_only_organisations_never_match_on_their_empty_english_names():
    orgs = [{**row(name_ja="株式会社ひかり核融合工房"), "id": "hikari", "rosters": "r"}]
    report = merge_roster(orgs, [row(name_ja="みなと真空技研株式会社")], "r2")
    assert [r.action for r in report.rows] == ["added"]
    assert [o["name_en"] for o in orgs] == ["", ""]


def test_a_japanese_only_member_list_imports_with_empty_english_names(data_copy):
    from fusion_partners.data.build import build

    build(data_copy, data_copy / "fusion_partners.duckdb")
    req = japanese_sheet("株式会社ひかり核融合工房", "みなと真空技研株式会社", SAKURA_JA)
    p = plan(req, load_organisations(data_copy / "organisations.csv"), taxonomy())
    assert [r.status for r in p.rows] == ["new", "new", "update"]
    assert p.rows[2].org_id == SAKURA
    assert not [f for r in p.rows for f in r.findings if f.severity == "error"]
    result = apply(req, data_copy, data_copy / "fusion_partners.duckdb")
    added = {
        o["id"]: o
        for o in load_organisations(data_copy / "organisations.csv")
        if o["id"] in result.added
    }
    assert {o["name_ja"] for o in added.values()} == {
        "株式会社ひかり核融合工房",
        "みなと真空技研株式会社",
    }
    assert {o["name_en"] for o in added.values()} == {
        ""
    }  # never a made-up or romanised "English" name


def test_the_database_stores_no_english_name_and_sorts_by_the_japanese_one(con):
    name_en, rank = con.execute(
        "SELECT name_en, name_rank FROM organisations WHERE id = $id", {"id": SAKURA}
    ).fetchone()
    assert name_en is None
    df = queries.organisation_table(con, Filters())
    names = [
        (en or ja).lower()
        for en, ja in zip(df["name_en"].fillna(""), df["name_ja"].fillna(""), strict=True)
    ]
    assert names == sorted(names) and rank == names.index(SAKURA_JA.lower()) + 1


@pytest.mark.parametrize("query", ["さくら炉心", "サクラ", "sakura"])
def test_search_finds_a_japanese_only_organisation_by_its_name_or_reading(con, query):
    df = queries.organisation_table(con, Filters(query=query))
    assert SAKURA in list(df["id"])


def test_exports_leave_the_english_name_empty(con):
    df = queries.organisation_table(con, Filters(query="さくら"))
    out = export_frame(df, Taxonomy.from_frame(queries.taxonomy(con)), "en")
    (record,) = out[out["ID"] == SAKURA].to_dict("records")
    assert record["Name (English)"] == "" and record["Name (Japanese)"] == SAKURA_JA


@pytest.mark.parametrize(
    ("page", "params"),
    [
        (None, {}),
        (None, {"q": "さくら"}),
        ("pages/profile.py", {"org": SAKURA}),
        ("pages/partners.py", {"org": SAKURA}),
        ("pages/insights.py", {}),
        ("pages/profile.py", {"org": SAKURA, "lang": "ja"}),
    ],
)
def test_every_page_works_with_a_japanese_only_organisation(run_app, page, params):  # noqa: F811
    at = run_app(page, **params)
    assert not at.exception
    if page == "pages/profile.py":
        assert plain(at.title[0].value).startswith(SAKURA_JA)
    if params.get("q"):
        assert "**1** of 11 organisations" in markdown_text(at)


def test_an_english_name_found_later_fills_the_empty_one_and_keeps_the_id(data_copy):
    sheet = (
        f"組織名,英語名,国,技術分野\n{SAKURA_JA},Sakura Core Test KK,日本,ブランケット\n".encode()
    )
    req = ImportRequest(
        (ImportFile.guessed(read_table(sheet, "s.csv")),), options=ImportOptions(source_url=SOURCE)
    )
    p = plan(req, load_organisations(data_copy / "organisations.csv"), taxonomy())
    (row,) = p.rows
    assert row.org_id == SAKURA and "name_en" in row.changed
    assert {o["id"]: o for o in p.after}[SAKURA]["name_en"] == "Sakura Core Test KK"
