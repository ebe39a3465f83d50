"""The Shortlists URL module: table-driven reading and round trips (pure, no Streamlit)."""

import pytest

from fusion_partners.workspace.url import ShortlistLink, from_params, page_path, to_params

TOKEN = "Ab3_-x" * 7 + "Q"  # 43 characters, as new_token makes them


def _get_all(params: dict[str, list[str]]):
    return lambda key: params.get(key, [])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ShortlistLink("")),
        ({"list": [""]}, ShortlistLink("")),
        ({"list": ["   "]}, ShortlistLink("")),
        ({"list": [TOKEN]}, ShortlistLink(TOKEN)),
        ({"list": [f"  {TOKEN}\n"]}, ShortlistLink(TOKEN)),
        ({"list": ["first", TOKEN]}, ShortlistLink(TOKEN)),  # the last, as st.query_params.get
        ({"list": [TOKEN, ""]}, ShortlistLink("")),
        ({"list": ["short"]}, ShortlistLink("short")),  # judged by the store, not dropped here
        ({"list": [TOKEN], "lang": ["ja"], "utm_source": ["mail"]}, ShortlistLink(TOKEN)),
        ({"org": [TOKEN]}, ShortlistLink("")),
    ],
)
def test_a_shortlists_url_reads_as_the_shortlist_it_opens(params, expected):
    assert from_params(_get_all(params)) == expected


@pytest.mark.parametrize("token", ["", TOKEN, "a" * 20, "x-y_z" * 12])
def test_a_shortlist_link_round_trips_through_its_url(token):
    link = ShortlistLink(token)
    params = {k: [v] for k, v in to_params(link).items()}
    assert from_params(_get_all(params)) == link


@pytest.mark.parametrize(
    ("token", "lang", "path"),
    [
        ("", "en", "/shortlists?lang=en"),
        (TOKEN, "en", f"/shortlists?list={TOKEN}&lang=en"),
        ("a" * 20, "ja", f"/shortlists?list={'a' * 20}&lang=ja"),
    ],
)
def test_the_page_path_carries_the_token_and_the_language(token, lang, path):
    assert page_path(ShortlistLink(token), lang) == path


def test_no_shortlist_writes_no_parameter():
    assert to_params(ShortlistLink()) == {}
