"""Page tests (AppTest): a search finds what organisations offer or need by the words of the
leaf labels the app shows, and the page says which labels it matched."""

from __future__ import annotations

import pytest


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


@pytest.mark.parametrize(
    ("lang", "query", "label"),
    [
        ("en", "cryoplant", "Cryoplants, helium refrigeration and compressors"),
        ("ja", "冷凍機", "極低温プラント・ヘリウム冷凍機・圧縮機"),
        ("ja", "ｸﾗｲｵﾌﾟﾗﾝﾄ", "極低温プラント・ヘリウム冷凍機・圧縮機"),  # a synonym, half-width
    ],
)
def test_explore_finds_suppliers_then_buyers_of_a_leaf_and_names_the_label(
    run_app, lang, query, label
):
    at = run_app(q=query, lang=lang)
    ids = list(at.dataframe[0].value["id"])
    # harbour-edge offers cryoplant; tokamak-test and helical-sample need one (name order)
    assert ids[0] == "harbour-edge"
    assert set(ids[1:]) == {"tokamak-test", "helical-sample"}
    notes = [c for c in captions(at) if label.replace(",", "\\,") in c or label in c]
    assert notes, captions(at)
    words = "also matched what organisations offer or need" if lang == "en" else "提供・ニーズ"
    assert words in notes[0]


def test_a_search_matching_no_leaf_label_adds_no_note(run_app):
    at = run_app(q="Kyoto Sample")
    assert list(at.dataframe[0].value["id"]) == ["kyoto-sample"]
    assert not [c for c in captions(at) if "also matched" in c]


def test_a_misspelt_leaf_label_is_offered_and_the_offer_finds_the_suppliers(run_app):
    at = run_app(q="cryoplnt")
    assert len(at.dataframe) == 0
    offered = [b for b in at.button if (b.key or "").startswith("did_you_mean_")]
    assert [b.label for b in offered][:1] == ["Cryoplants"]
    offered[0].click().run()
    assert list(at.dataframe[0].value["id"])[0] == "harbour-edge"
