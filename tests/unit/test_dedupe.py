"""Possible duplicates: propose what is probably the same organisation, never on generic words."""

import pytest

from fusion_partners.importing.dedupe import NameIndex, compare, contains, distinctive_key


@pytest.mark.parametrize(
    ("name", "other", "how"),
    [
        ("First Light", "First Light Fusion Ltd", "contains"),  # distinctive parts equal
        ("Astral", "Astral Neutronics Limited", "contains"),  # one begins the other
        ("東芝", "東芝エネルギーシステムズ株式会社", "contains"),
        ("Tokamek Energy", "Tokamak Energy Ltd", "fuzzy"),  # a typo
        ("ＫＹＯＴＯ　ＦＵＳＩＯＮＥＥＲＩＮＧ 株式会社", "Kyoto Fusioneering", "same"),
        (
            "Fusion Energy Ltd",
            "Fusion Energy Limited",
            "same",
        ),  # equal, but generic only: the caller asks
    ],
)
def test_probably_the_same_organisation_is_proposed(name, other, how):
    match = compare(name, other)
    assert match is not None and match.how == how


@pytest.mark.parametrize(
    ("name", "other"),
    [
        (
            "Astral Fusion Technologies",
            "Stellar Fusion Technologies Ltd",
        ),  # shared generic words only
        ("Fusion Energy Engineering Ltd", "Astral Fusion Energy"),
        ("Test Org 01", "Test Org 02"),  # numbers differ
        ("First Lighting Ltd", "First Light Fusion Ltd"),  # a word, not a prefix of one
        ("東京工業大学", "東京大学"),  # 工業 removed leaves two pieces
        ("Sumitomo", "Mitsui Sumitomo Insurance"),  # contained, but not at the start
    ],
)
def test_different_organisations_are_not_proposed(name, other):
    assert compare(name, other) is None


def test_generic_words_leave_no_distinctive_part():
    assert distinctive_key("Fusion Energy Engineering Ltd") == ""
    assert distinctive_key("株式会社フュージョンエネルギー") == ""
    assert not contains("", "anything")


def test_the_index_finds_equal_containing_and_near_names_in_the_same_country_only():
    index = NameIndex()
    index.add("fl", "GB", {"name_en": "First Light Fusion Ltd"})
    index.add("te", "GB", {"name_en": "Tokamak Energy Ltd"})
    index.add(
        "toshiba",
        "JP",
        {"name_en": "Toshiba Energy Systems", "name_ja": "東芝エネルギーシステムズ株式会社"},
    )
    assert [m.ref for m in index.matches("GB", {"name_en": "First Light"})] == ["fl"]
    assert [m.ref for m in index.matches("GB", {"name_en": "Tokamek Energy"})] == ["te"]
    assert [m.ref for m in index.matches("JP", {"name_ja": "東芝"})] == ["toshiba"]
    assert index.matches("JP", {"name_en": "First Light"}) == []
