"""Rows prepared for the table and for exports, in both languages."""

from fusion_partners import queries
from fusion_partners.explore.filters import Filters
from fusion_partners.explore.tables import column_order, display_frame, export_frame
from fusion_partners.i18n.labels import Taxonomy


def test_the_name_column_is_never_blank_in_either_language(con):
    tax = Taxonomy.from_frame(queries.taxonomy(con))
    rows = queries.organisation_table(con, Filters())
    for lang in ("en", "ja"):
        shown = display_frame(rows, tax, lang)
        assert all(shown["name"])
    ja = display_frame(rows, tax, "ja").set_index("id")
    assert ja.loc["kyoto-sample", "name"] == "京都サンプルフュージョニアリング株式会社"
    assert (
        ja.loc["tokamak-test", "name"] == "ＴＯＫＡＭＡＫ ＴＥＳＴ ＬＴＤ"
    )  # no Japanese name: the English one
    assert column_order("ja")[:2] == ["name", "name_en"] and column_order("en")[:2] == [
        "name",
        "name_ja",
    ]


def test_exports_hold_plain_data_codes_and_provenance(con):
    tax = Taxonomy.from_frame(queries.taxonomy(con))
    rows = queries.organisation_table(con, Filters(countries=["JP"]))
    out = export_frame(rows, tax, "en").set_index("ID")
    kyoto = out.loc["kyoto-sample"]
    assert (
        kyoto["Country"] == "Japan" and kyoto["Country code (ISO 3166-1)"] == "JP"
    )  # no flag emoji
    assert (
        kyoto["Capability IDs"] == "plasma_heating; blanket_breeding; tritium_fuel_cycle"
    )  # taxonomy order
    assert kyoto["Evidence"] == "member in a test source"
    assert kyoto["Source URLs"] == "https://news.example/kyoto"
    assert "Profile" not in out.columns
    ja = export_frame(rows, tax, "ja")
    assert "国コード（ISO 3166-1）" in ja.columns and set(ja["国"]) == {"日本"}
