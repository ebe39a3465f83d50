"""“Did you mean”: suggestions from names, readings, aliases and capability labels (rapidfuzz),
checked for results; the Explore page offers them and a click makes one the search."""

from __future__ import annotations

import duckdb
import pytest

from fusion_partners.explore.filters import Filters
from fusion_partners.queries import count
from fusion_partners.queries.search import did_you_mean, search_vocabulary
from fusion_partners.search.spelling import Vocabulary, candidates, suggest
from fusion_partners.search.terms import query_key

VOCAB = Vocabulary.build(
    [
        *(
            (query_key(text), text)
            for text in (
                "Fujikura Ltd.",
                "Furukawa Electric Co., Ltd.",
                "株式会社フジクラ",
                "Remote handling and robotics",
                "Breeding blankets and lithium technology",
                "超伝導磁石",
            )
        ),
        (
            "ふるかわでんきこうぎょう",
            "古河電気工業株式会社",
        ),  # a kana reading, offered as the Japanese name
    ]
)


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Fujikra", "Fujikura Ltd."),  # the whole query is close to a name: the name as written
        ("FUJIKRA", "Fujikura Ltd."),
        ("furukowa", "Furukawa"),  # one word close to a word of a name: the word as written
        ("furukowa cable", "Furukawa cable"),  # the other words as typed
        ("remote handlng", "remote handling"),
        ("breeding blankt", "breeding blankets"),  # long vowels are folded for matching only
        ("フジクテ", "株式会社フジクラ"),
        ("ふるかは", "古河電気工業株式会社"),  # a Japanese word against the beginnings of names
        ("フルカハ", "古河電気工業株式会社"),
        ("supercondcting ✓ magnet", None),  # nothing close enough in this vocabulary
    ],
)
def test_candidates_come_from_the_vocabulary_best_first(query, first):
    found = candidates(query, VOCAB)
    assert (found[0] if found else None) == first


def test_a_corrected_query_leaves_out_ignored_symbols():
    assert candidates("remote ✓ handlng", VOCAB)[0] == "remote handling"


def test_nothing_is_offered_for_gibberish_a_blank_query_or_the_query_itself():
    assert candidates("xyzzy qwerty", VOCAB) == []
    assert candidates("", VOCAB) == []
    assert candidates("✓", VOCAB) == []
    assert "Fujikura Ltd." not in candidates("fujikura", VOCAB)  # searches the same as typed


def test_two_misspelt_words_are_corrected_together():
    assert "remote handling" in [c.lower() for c in candidates("remoet handlng", VOCAB)]


def test_suggest_keeps_only_candidates_that_find_something():
    counts = {"Fujikura Ltd.": 0, "Furukawa": 3}
    vocab = Vocabulary.build((query_key(t), t) for t in ("Fujikura Ltd.", "Fujikawa", "Furukawa"))
    asked = []

    def count_of(text):
        asked.append(text)
        return counts.get(text, 0)

    assert suggest("Fujikra", vocab, count_of) == []
    assert "Fujikura Ltd." in asked
    assert suggest("furukowa", vocab, count_of) == ["Furukawa"]
    assert suggest("furukowa", vocab, count_of, limit=0) == []


@pytest.fixture(scope="module")
def rcon(real_db):
    connection = duckdb.connect(str(real_db), read_only=True)
    yield connection
    connection.close()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Fujikra", "Fujikura Ltd."),  # issue 16
        ("furukowa", "Furukawa"),  # issue 16
        ("Tokamak Enegry", "Tokamak Energy Ltd"),
        ("stellerator", "stellarator"),
        ("cryoplnt", "Cryoplants"),  # an offer/need label, which now finds its suppliers
        ("Nb3Sm", "Nb3Sn"),
    ],
)
def test_the_shipped_roster_suggests_the_names_users_meant(rcon, query, expected):
    assert count(rcon, Filters(query=query)) == 0
    offered = did_you_mean(rcon, Filters(query=query))
    assert offered[0] == expected
    assert all(count(rcon, Filters(query=text)) > 0 for text in offered)


def test_the_vocabulary_holds_names_readings_aliases_and_labels_in_both_languages(rcon):
    phrases = dict(search_vocabulary(rcon).phrases)
    assert phrases["furukawa electric"] == "Furukawa Electric Co., Ltd."
    assert phrases["古河電気工業"] == "古河電気工業株式会社"
    assert (
        phrases["ふるかわでんきこうぎょう"] == "古河電気工業株式会社"
    )  # the kana reading: the Japanese name
    assert phrases["furukawadenkikogyo"] == "Furukawa Electric Co., Ltd."  # the romanised reading
    assert phrases["古河電工"] == "古河電気工業株式会社"  # an alias: the organisation's name
    for table in ("capabilities", "capability_leaves"):
        label_en, label_ja = rcon.execute(
            f"SELECT label_en, label_ja FROM {table} LIMIT 1"
        ).fetchone()  # noqa: S608
        assert label_en in phrases.values() and label_ja in phrases.values()


def test_a_suggestion_must_find_something_with_the_other_filters(rcon):
    assert "Fujikura Ltd." in did_you_mean(rcon, Filters(query="Fujikra", countries=["JP"]))
    assert (
        did_you_mean(rcon, Filters(query="Fujikra", countries=["GB"])) == []
    )  # Fujikura is Japanese
    assert did_you_mean(rcon, Filters()) == []


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("フジクテ", "株式会社フジクラ"),
        ("ふるかは", "古河電気工業株式会社"),
        ("古川電気", "古河電気工業株式会社"),
    ],
)
def test_a_japanese_misspelling_is_offered_the_japanese_name(rcon, typed, meant):
    offered = did_you_mean(rcon, Filters(query=typed))
    assert offered and offered[0] == meant


# --- the Explore page --------------------------------------------------------------------
