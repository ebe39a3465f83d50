"""Search on the shipped roster: what a user test found (punctuation, invisible characters,
Japanese place names, the full name of UKAEA, corporate forms alone)."""

import csv
import re
from pathlib import Path

import duckdb
import pytest

from fusion_partners import queries
from fusion_partners.explore.filters import Filters
from fusion_partners.search.text import match_key

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def rcon(real_db):
    connection = duckdb.connect(str(real_db), read_only=True)
    yield connection
    connection.close()


def found(con, query: str) -> list[str]:
    return list(queries.organisation_table(con, Filters(query=query))["id"])


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("magnet, tokamak", "magnet tokamak"),
        ("magnet,tokamak", "magnet tokamak"),
        ("magnet; tokamak", "magnet tokamak"),
        ('magnet "superconducting"', "magnet superconducting"),
        ("“magnet” 「superconducting」", "magnet superconducting"),
        ("超電導、トカマク。", "超電導 トカマク"),
        ("tok\u200bamak", "tokamak"),  # zero-width space
        ("toka\u00admak", "tokamak"),  # soft hyphen
        ("\ufefftokamak", "tokamak"),  # byte-order mark
        ("\u202etokamak\u202c", "tokamak"),  # right-to-left override
        ("\u2067tokamak\u2069", "tokamak"),  # right-to-left isolate
        ("mag\u200dnet", "magnet"),  # zero-width joiner
        ("㈱", "株式会社"),  # a corporate form alone finds the names written with it
        ("(株)", "株式会社"),
        ("（株）", "株式会社"),
    ],
)
def test_a_query_finds_what_its_plain_words_find(rcon, query, same_as):
    expected = found(rcon, same_as)
    assert expected, same_as
    assert found(rcon, query) == expected


def _japanese_places() -> set[str]:
    """Prefectures and cities in the place column of Japanese organisations (wards, districts,
    sites and notes in brackets left out)."""
    with (PROJECT / "data" / "organisations.csv").open(encoding="utf-8") as fh:
        values = [r["prefecture_or_city"] for r in csv.DictReader(fh) if r["country"] == "JP"]
    places = set()
    for value in values:
        value = re.sub(r"\([^)]*\)", "", value)
        for piece in re.split(r"[,;/]", value):
            piece = piece.strip()
            if piece and re.fullmatch(r"[A-Z][a-z]+", piece):
                places.add(piece)
    return places


def _synonym_groups() -> list[list[str]]:
    with (PROJECT / "data" / "search_synonyms.csv").open(encoding="utf-8") as fh:
        return [[match_key(t) for t in row["terms"].split(";")] for row in csv.DictReader(fh)]


def test_every_japanese_place_in_the_roster_has_a_japanese_name_to_search_by():
    groups = _synonym_groups()
    places = _japanese_places()
    assert {"Tokyo", "Kyoto", "Osaka", "Aomori", "Rokkasho", "Naka", "Nagoya", "Sendai"} <= places
    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    for place in places:
        group = next((g for g in groups if match_key(place) in g), [])
        assert any(japanese.search(term) for term in group), place


@pytest.mark.parametrize(
    ("japanese", "english"),
    [
        ("東京", "Tokyo"),
        ("京都", "Kyoto"),
        ("大阪", "Osaka"),
        ("青森", "Aomori"),
        ("茨城", "Ibaraki"),
        ("那珂", "Naka"),
        ("六ヶ所", "Rokkasho"),
        ("六ケ所", "Rokkasho"),
        ("愛知", "Aichi"),
        ("名古屋", "Nagoya"),
        ("福岡", "Fukuoka"),
        ("仙台", "Sendai"),
        ("つくば", "Tsukuba"),
        ("岐阜", "Gifu"),
    ],
)
def test_a_japanese_place_name_finds_the_organisations_placed_there_in_english(
    rcon, japanese, english
):
    placed = {
        r[0]
        for r in rcon.execute(
            "SELECT id FROM organisations WHERE regexp_matches(prefecture_or_city, $p)",
            {"p": rf"\b{english}\b"},
        ).fetchall()
    }
    hits = set(found(rcon, japanese))
    assert placed and placed <= hits
    assert placed <= set(found(rcon, english))


def test_the_search_placeholder_example_kyoto_finds_as_much_in_kanji_as_in_romaji(rcon):
    assert set(found(rcon, "京都")) == set(found(rcon, "kyoto"))
    assert len(found(rcon, "東京")) >= 10


def test_a_latin_synonym_matches_where_a_word_starts(rcon):
    # 英国 → "uk": UK, UKAEA, UK-based; never the "uk" inside Fukuoka or Tsukuba
    hits = set(found(rcon, "英国"))
    assert {"uk-atomic-energy-authority-ukaea", "uk-research-and-innovation-ukri"} <= hits
    assert not {"kyushu-university", "university-of-tsukuba-plasma-research-center"} & hits
    assert "kyushu-university" in found(rcon, "uk")  # typed, a word matches inside longer words


@pytest.mark.parametrize(
    "query",
    [
        "United Kingdom Atomic Energy Authority",
        "united kingdom atomic energy authority",
        "UK Atomic Energy Authority",
        "UK Atomic Energy Authority (UKAEA)",
        "英国 Atomic Energy Authority",
    ],
)
def test_the_full_name_of_ukaea_finds_it_first(rcon, query):
    assert found(rcon, query)[:1] == ["uk-atomic-energy-authority-ukaea"]


def test_united_kingdom_and_uk_are_one_word_for_search(rcon):
    assert "uk-atomic-energy-authority-ukaea" in found(rcon, "United Kingdom")
    assert set(found(rcon, "United Kingdom")) == set(found(rcon, "英国"))


@pytest.mark.parametrize(
    ("query", "same_as"),
    [
        ("remote-handling", "remote handling"),  # issue 16: 0 with the hyphen, 16 without
        ("remote–handling", "remote handling"),
        ("remote/handling", "remote handling"),
        ("remote・handling", "remote handling"),
        ("✓ tokamak", "tokamak"),  # symbols are ignored
        ("tokamak ★", "tokamak"),
        ("tokamak😀", "tokamak"),
        ("🇯🇵 tokamak", "tokamak"),
        ("tokamak!", "tokamak"),  # punctuation at the end of a word
        ("R&D", "r&d"),
    ],
)
def test_punctuation_and_symbols_do_not_stop_a_search(rcon, query, same_as):
    expected = found(rcon, same_as)
    assert expected, same_as
    assert found(rcon, query) == expected


def test_r_and_d_is_a_phrase_not_two_letters(rcon):
    hits = found(rcon, "R&D")
    assert 0 < len(hits) < len(found(rcon, "r d")) / 10  # typed apart: every text with an r and a d
    assert found(rcon, "R & D") != hits  # spaced: the words r and d


@pytest.mark.parametrize(
    ("reading", "org"),
    [
        ("ふるかわ", "furukawa-electric"),  # issue 16: kana readings of Japanese names
        ("フルカワ", "furukawa-electric"),
        ("ﾌﾙｶﾜ", "furukawa-electric"),
        ("ふるかわでんき", "furukawa-electric"),
        ("ふじくら", "fujikura"),
    ],
)
def test_a_kana_reading_finds_the_japanese_name(rcon, reading, org):
    assert found(rcon, reading)[:1] == [org]


def test_the_kana_reading_is_stored_with_the_names(rcon):
    keys = rcon.execute(
        "SELECT name_keys FROM organisations WHERE id = 'furukawa-electric'"
    ).fetchone()[0]
    assert "ふるかわでんきこうぎょう" in keys and "古河電気工業" in keys


@pytest.mark.parametrize(
    ("typed", "org"),
    [
        ("ふるかわ", "furukawa-electric"),
        ("フルカワ", "furukawa-electric"),
        ("Fujikura ✓", "fujikura"),
        ("Tokamak-Energy", "tokamak-energy"),
        ("トカマク・エナジー", "tokamak-energy"),
    ],
)
def test_the_partner_finder_lookup_folds_names_as_search_does(rcon, typed, org):
    from fusion_partners.partners.lookup_sql import find_organisations

    assert list(find_organisations(rcon, typed)["id"])[:1] == [org]


def _with_leaf(con, column: str, leaf: str) -> set[str]:
    """Organisations whose ``column`` (offers or needs) holds ``leaf``."""
    sql = f"SELECT id FROM organisations WHERE list_contains({column}, ?)"  # noqa: S608
    return {r[0] for r in con.execute(sql, [leaf]).fetchall()}


def _named(con, term: str) -> set[str]:
    """Organisations a name key of which holds ``term``."""
    sql = "SELECT id FROM organisations WHERE len(list_filter(name_keys, lambda k: strpos(k, ?) > 0)) > 0"
    return {r[0] for r in con.execute(sql, [term]).fetchall()}


@pytest.mark.parametrize(
    ("query", "leaf"),
    [
        ("cryoplant", "cryoplant"),  # "Cryoplants, helium refrigeration and compressors"
        ("helium refrigeration", "cryoplant"),
        ("冷凍機", "cryoplant"),  # 極低温プラント・ヘリウム冷凍機・圧縮機
        ("ｸﾗｲｵﾌﾟﾗﾝﾄ", "cryoplant"),  # the synonym, half-width
        ("REBCO", "hts_conductor"),  # "HTS conductor (REBCO tape and cable)"
        ("高温超電導線材", "hts_conductor"),
        ("Nb3Sn", "lts_conductor"),  # "LTS conductor (Nb3Sn and NbTi)"
        ("coil winding", "magnet_coils"),  # "Magnet design and coil winding"
        ("コイル巻線", "magnet_coils"),  # マグネット設計・コイル巻線
        ("ｼﾞｬｲﾛﾄﾛﾝ・高周波加熱", "gyrotrons_rf"),  # ジャイロトロン・高周波加熱, half-width kana
    ],
)
def test_a_search_finds_who_offers_or_needs_a_leaf_its_label_names_suppliers_first(
    rcon, query, leaf
):
    offer, need = _with_leaf(rcon, "offers", leaf), _with_leaf(rcon, "needs", leaf)
    assert offer, leaf
    got = found(rcon, query)
    assert offer | need <= set(got)
    # no name holds the query (names would rank first), so the suppliers come first
    assert not any(_named(rcon, key) for key in queries.search_index(rcon).rank_keys(query))
    assert set(got[: len(offer)]) == offer
    buyers = need - offer
    assert set(got[len(offer) : len(offer) + len(buyers)]) == buyers


def test_the_organisations_an_offer_filter_lists_are_found_by_the_words_of_its_label(rcon):
    by_filter = set(queries.organisation_table(rcon, Filters(offers=["hts_conductor"]))["id"])
    assert len(by_filter) >= 5
    for query in ("REBCO", "HTS conductor", "高温超電導", "rebco tape"):
        assert by_filter <= set(found(rcon, query)), query


def test_a_name_match_still_comes_before_an_offer_label_match(rcon):
    got = found(rcon, "tokamak")
    named = _named(rcon, "tokamak")
    offering = _with_leaf(rcon, "offers", "tokamak_developer") - named
    assert named and offering
    assert set(got[: len(named)]) == named
    assert set(got[len(named) : len(named) + len(offering)]) == offering


def test_the_japanese_label_words_find_the_same_leaf_as_the_english_ones(rcon):
    for english, japanese in (
        ("cryoplant", "極低温プラント"),
        ("compressors", "圧縮機"),
        ("cryostats", "クライオスタット"),
    ):
        assert found(rcon, english), english
        assert found(rcon, english) == found(rcon, japanese), (english, japanese)
