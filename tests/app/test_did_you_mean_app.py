"""Page tests (AppTest) split from test_did_you_mean.py: the same behaviour seen on the page."""

from __future__ import annotations

import pytest


def test_explore_offers_did_you_mean_and_a_click_applies_it(run_app):
    at = run_app(q="Helical Sampel")
    assert len(at.dataframe) == 0
    offered = [b for b in at.button if (b.key or "").startswith("did_you_mean_")]
    assert offered, "no suggestion offered"
    choice = offered[0]
    text = choice.label
    choice.click().run()
    assert at.text_input(key="w_q").value == "Helical Sample KK" == text.replace("\\", "")
    assert list(at.dataframe[0].value["id"]) == ["helical-sample"]
    assert at.query_params["q"] in ("Helical Sample KK", ["Helical Sample KK"])  # the link follows


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Ignored in the search"), ("ja", "無視しました")]
)
def test_explore_notes_the_symbols_it_ignored(run_app, lang, words):
    at = run_app(q="tokamak ✓", lang=lang)
    notes = [c.value for c in at.sidebar.caption if words in c.value]
    assert notes and "✓" in notes[0]
    same = run_app(q="tokamak", lang=lang)
    assert list(at.dataframe[0].value["id"]) == list(same.dataframe[0].value["id"])
    assert not [c.value for c in same.sidebar.caption if words in c.value]
