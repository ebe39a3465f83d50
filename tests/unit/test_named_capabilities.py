"""The capabilities a text names (`partners.named_capabilities`), for "Start from the
capabilities you need instead"."""

import pytest

from fusion_partners.explore.filters import SearchIndex
from fusion_partners.partners.named_capabilities import named_capabilities
from fusion_partners.search.terms import search_key

LABELS = [
    ("magnets", "Superconducting magnets and HTS/LTS conductor", "超電導マグネット・線材"),
    ("magnets", "Magnet design and coil winding", "マグネット設計・コイル巻線"),
    (
        "heating",
        "Heating and current drive (gyrotrons, RF, neutral beams)",
        "プラズマ加熱・電流駆動",
    ),
    ("tritium", "Tritium handling and fuel cycle", "トリチウム取扱い・燃料サイクル"),
    ("cryo", "Vacuum and cryogenics", "真空・極低温"),
    ("cryo", "Cryostats and thermal shields", "クライオスタット・熱シールド"),
    ("sites", "Site hosting for fusion plants", "核融合プラントの立地受け入れ"),
    ("software", "Simulation, software, data and AI", "シミュレーション・ソフトウェア・データ・AI"),
    ("skills", "Skills, education and training", "人材育成・教育・研修"),
]
LABEL_KEYS = [(slug, f"{search_key(en)}\n{search_key(ja)}") for slug, en, ja in LABELS]
SYNONYMS = (
    tuple(search_key(w) for w in ("superconducting", "superconductor", "超伝導", "超電導")),
    tuple(search_key(w) for w in ("magnet", "マグネット", "磁石")),
)
INDEX = SearchIndex(synonyms=SYNONYMS)


def named(text: str, limit: int = 12) -> list[str]:
    return named_capabilities(text, LABEL_KEYS, INDEX, limit)


@pytest.mark.parametrize(
    "text",
    ["superconducting magnet", "Superconducting Magnets", "超電導マグネット", "超伝導磁石", "磁石"],
)
def test_a_capability_is_named_in_either_language_and_by_its_synonyms(text):
    assert named(text) == ["magnets"]


def test_words_in_no_label_are_left_out():
    assert named("superconducting magnet supplier we need") == ["magnets"]


def test_a_leaf_label_names_its_capability():
    assert named("thermal shield") == ["cryo"]
    assert named("gyrotron") == ["heating"]


def test_small_english_words_name_nothing():
    """ "the" starts "thermal", "for" is a word of "Site hosting for fusion plants"."""
    assert named("the") == []
    assert named("for") == []


def test_a_list_names_each_of_its_parts_in_taxonomy_order():
    assert named("tritium, magnets") == ["magnets", "tritium"]
    assert named("cryostat and gyrotron") == ["heating", "cryo"]


def test_every_word_of_a_part_must_be_in_the_capability():
    assert named("tritium magnet") == []


def test_latin_words_match_where_a_word_starts():
    """ "ai" is inside "training"; as a word it is only in the software label."""
    assert named("AI") == ["software"]


def test_at_most_limit_capabilities_are_named():
    assert named("tritium, magnets, gyrotron", limit=2) == ["magnets", "heating"]


@pytest.mark.parametrize("text", ["", "   ", None, "zebra crossing", "★"])
def test_text_that_names_nothing_names_no_capability(text):
    assert named(text) == []
