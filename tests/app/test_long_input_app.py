"""Page tests (AppTest): text longer than a field's limit is never dropped without a word.

A Streamlit text box with ``max_chars`` ignores a paste longer than the limit altogether (the
box stays empty; AppTest's ``input`` does the same), so no box sets it: the search keeps the
whole text, searches its first 200 characters and says so; a form keeps what was typed and
the workspace refuses a value over its limit with a message naming the limit.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.conftest import PROJECT

from fusion_partners.explore.filters import MAX_QUERY_LENGTH
from fusion_partners.workspace.schema import NAME_MAX

LONG_SEARCH = " ".join(["tokamak"] * 30)  # 239 characters; the first 200 hold the word


def test_no_text_box_sets_max_chars():
    sources = [*Path(PROJECT / "src" / "fusion_partners" / "ui").glob("*.py")]
    sources += [*Path(PROJECT / "pages").glob("*.py"), PROJECT / "app.py"]
    offenders = [p.name for p in sources if re.search(r"\bmax_chars\s*=", p.read_text("utf-8"))]
    assert sources and offenders == []


@pytest.mark.parametrize(("lang", "words"), [("en", "Only the first 200"), ("ja", "先頭の200文字")])
def test_a_long_explore_search_is_kept_in_the_box_cut_for_the_search_and_said_so(
    run_app, lang, words
):
    at = run_app(lang=lang)
    at.text_input(key="w_q").input(LONG_SEARCH).run()
    assert at.text_input(key="w_q").value == LONG_SEARCH
    notes = [c.value for c in at.sidebar.caption if words in c.value]
    assert notes and "239" in notes[0]
    same = run_app(q="tokamak", lang=lang)
    assert list(at.dataframe[0].value["id"]) == list(same.dataframe[0].value["id"])


@pytest.mark.parametrize("n", [150, 199, MAX_QUERY_LENGTH])
def test_a_search_within_the_limit_has_no_length_note(run_app, n):
    at = run_app()
    text = ("tokamak " * 40)[:n]
    at.text_input(key="w_q").input(text).run()
    assert at.text_input(key="w_q").value == text
    assert not [c.value for c in at.sidebar.caption if "Only the first" in c.value]


def test_the_profile_finder_keeps_a_long_search_and_says_it_was_cut(run_app):
    at = run_app(page="pages/profile.py")
    box = [i for i in at.text_input if i.key == "profile_find"][0]
    box.input(LONG_SEARCH).run()
    assert [i for i in at.text_input if i.key == "profile_find"][0].value == LONG_SEARCH
    assert any("Only the first 200" in c.value for c in at.caption)
    assert any("ＴＯＫＡＭＡＫ" in (p.proto.label or "") for p in at.get("page_link")), [
        p.proto.label for p in at.get("page_link")
    ]


def _create(at, name: str):
    at.text_input(key="sl_new_name").input(name)
    [b for b in at.button if b.label == "Create a shortlist"][0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("n", [NAME_MAX + 1, 300])
def test_a_too_long_shortlist_name_is_kept_and_refused_with_the_limit(run_app, n):
    at = run_app(page="pages/shortlists.py")
    name = ("Magnets for Albion " * 20)[:n]
    _create(at, name)
    assert at.text_input(key="sl_new_name").value == name
    errors = [e.value for e in at.error]
    assert any(f"length of {n}; the limit is 200 characters" in e for e in errors), errors
    assert not any("fill in" in e for e in errors)
    assert "list" not in at.query_params  # nothing was created or opened


def test_a_shortlist_name_at_the_limit_is_saved_whole(run_app):
    at = run_app(page="pages/shortlists.py")
    name = ("Magnets for Albion " * 20)[:NAME_MAX]
    _create(at, name)
    assert not at.error, [e.value for e in at.error]
    assert "list" in at.query_params  # created and opened
    assert at.title[0].value == name.strip()


def test_a_long_name_in_the_correction_form_is_kept_and_refused_with_the_limit(run_app):
    at = run_app(page="pages/profile.py", org="sakura-roshin-shiken")
    who = "Hana " * 50  # 250 characters
    [a for a in at.text_area if a.label == "The correct value"][0].input("A better description")
    [i for i in at.text_input if i.label.startswith("Source URL")][0].input(
        "https://news.example/x"
    )
    [i for i in at.text_input if i.key and i.key.endswith("_who")][0].input(who)
    [b for b in at.button if b.label == "Send to the editors"][0].click().run()
    assert [i for i in at.text_input if i.key and i.key.endswith("_who")][0].value == who
    assert any("the limit is 200 characters" in e.value for e in at.error), [
        e.value for e in at.error
    ]
