"""Mapping a user's spreadsheet: headers, countries, regions, capabilities."""

import csv
from pathlib import Path

import pytest

from fusion_partners.importing.capability_match import CapabilityMatcher, split_terms
from fusion_partners.importing.mapping import guess_field, guess_mapping, map_country, map_region
from fusion_partners.importing.upload import read_table

TESTS = Path(__file__).resolve().parents[1]
FILES = TESTS / "import_files"


@pytest.fixture(scope="module")
def matcher():
    with (TESTS / "data" / "capabilities.csv").open(encoding="utf-8") as fh:
        return CapabilityMatcher(list(csv.DictReader(fh)))


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("組織名", "name_ja"),
        ("会社名", "name_ja"),
        ("英語名", "name_en"),
        ("国", "country"),
        ("所在地", "region"),
        ("地域", "region"),
        ("技術分野", "capabilities"),
        ("Organisation", "name_en"),
        ("Company Name", "name_en"),
        ("Country", "country"),
        ("Location", "region"),
        ("Region", "region"),
        ("Capabilities", "capabilities"),
        ("法人番号", "company_number"),
        ("Website", "website"),
        ("prefecture_or_city", "region"),
        ("Colour", ""),
    ],
)
def test_headers_in_english_or_japanese_map_to_roster_fields(header, field):
    assert guess_field(header) == field


def test_the_user_sheet_and_the_japanese_excel_sheet_are_mapped_completely():
    assert guess_mapping(["name", "name_ja", "country", "region", "capabilities"]) == {
        0: "name_en",
        1: "name_ja",
        2: "country",
        3: "region",
        4: "capabilities",
    }
    assert guess_mapping(["組織名", "英語名", "国", "地域", "技術分野"]) == {
        0: "name_ja",
        1: "name_en",
        2: "country",
        3: "region",
        4: "capabilities",
    }


def test_a_field_is_proposed_for_one_column_only():
    assert guess_mapping(["Company", "Organisation"]) == {0: "name_en"}


EXPECTED = [  # (country alpha-2, region code) per row of import_files/country_variants.csv
    ("GB", ""),
    ("GB", ""),
    ("GB", "GB-ENG"),
    ("GB", "GB-WLS"),
    ("GB", "GB-SCT"),
    ("JP", "JP-13"),
    ("JP", "JP-27"),
    ("JP", "JP-26"),
    ("JP", "JP-26"),
    ("", ""),
    ("JP", ""),
]


def test_country_variants_map_to_iso_codes_and_regions_and_the_unknown_one_is_flagged():
    table = read_table((FILES / "country_variants.csv").read_bytes(), "country_variants.csv")
    got = []
    for _, cells in table.rows:
        m = map_country(cells[2])
        got.append((m.code, m.region_code or map_region(cells[3], m.code)))
    assert got == EXPECTED
    assert map_country("Atlantis").known is False
    assert map_country("").known is True and map_country("").code == ""


@pytest.mark.parametrize("text", ["UK", "U.K.", "Great Britain", "united kingdom", "英国", "GBR"])
def test_every_common_name_of_the_uk_is_gb(text):
    assert map_country(text).code == "GB"


@pytest.mark.parametrize("text", ["Japan ", "JAPAN", "日本", "JP", " jp ", "JPN"])
def test_every_common_name_of_japan_is_jp(text):
    assert map_country(text).code == "JP"


def test_near_misses_are_never_guessed():
    for text in ("Japn", "Englnd", "Atlantis", "Europe"):
        assert map_country(text).known is False, text


def test_capability_text_is_split_on_the_usual_separators():
    assert split_terms("Blanket|Plasma heating") == ["Blanket", "Plasma heating"]
    assert split_terms("計測～診断、ブランケット；Magnets") == [
        "計測～診断",
        "ブランケット",
        "Magnets",
    ]
    assert split_terms("") == []


def test_capability_suggestions_are_ranked_and_exact_labels_score_100(matcher):
    assert matcher.suggest("blanket_breeding") == [("blanket_breeding", 100.0)]
    assert matcher.suggest("ブランケット")[0] == ("blanket_breeding", 100.0)
    ranked = matcher.suggest("Magnets", 3)
    assert ranked[0][0] == "magnets_superconductors"
    assert [s for _, s in ranked] == sorted((s for _, s in ranked), reverse=True)


@pytest.mark.parametrize(
    ("term", "slug"),
    [
        ("Blanket", "blanket_breeding"),
        ("Plasma heating", "plasma_heating"),
        ("Magnets", "magnets_superconductors"),
        ("Diagnostics", "diagnostics_instrumentation"),
        ("計測～診断", "diagnostics_instrumentation"),
        ("Stellarator", "fusion_developer_mcf"),
    ],
)
def test_clear_capability_text_is_preselected(matcher, term, slug):
    assert matcher.auto(term) == slug


def test_unclear_capability_text_is_left_for_the_user(matcher):
    assert matcher.auto("Warp coils") == ""
    assert matcher.auto("超伝導マグネット") == ""
    assert matcher.suggest("超伝導マグネット")[0][0] == "magnets_superconductors"


@pytest.fixture(scope="module")
def shipped_matcher():
    from fusion_partners.data.load import search_synonyms

    with (TESTS.parent / "data" / "capabilities.csv").open(encoding="utf-8") as fh:
        return CapabilityMatcher(list(csv.DictReader(fh)), search_synonyms(TESTS.parent / "data"))


@pytest.mark.parametrize(
    ("term", "slug"),
    [
        # the shipped label is 超電導マグネット・線材; search treats 超伝導 and 超電導 alike, and so does the importer
        ("超伝導", "magnets_superconductors"),
        ("超電導", "magnets_superconductors"),
        ("超伝導マグネット", "magnets_superconductors"),
        ("高温超伝導", "magnets_superconductors"),
        ("ＨＴＳ", "magnets_superconductors"),  # widths folded as search folds them
        ("トカマク", "fusion_developer_mcf"),
        ("ﾄｶﾏｸ", "fusion_developer_mcf"),
    ],
)
def test_capability_text_is_suggested_with_the_search_synonyms(shipped_matcher, term, slug):
    assert shipped_matcher.auto(term) == slug


def test_synonyms_replace_japanese_words_anywhere_and_latin_ones_as_whole_words(shipped_matcher):
    assert "超電導まぐねっと" in shipped_matcher.variants("超伝導マグネット")
    assert shipped_matcher.variants("Magnetic") == [
        "magnetic"
    ]  # "magnet" inside a word is left alone


def test_without_synonyms_the_other_spelling_is_only_a_weak_suggestion():
    with (TESTS.parent / "data" / "capabilities.csv").open(encoding="utf-8") as fh:
        plain = CapabilityMatcher(list(csv.DictReader(fh)))
    assert plain.auto("超伝導") == ""
