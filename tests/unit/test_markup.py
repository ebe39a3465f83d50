"""Echoing text from users, links and files into messages: one line, no invisible controls, short."""

import pytest

from fusion_partners.i18n.markup import echo, escape_markdown, plain_text

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
INVISIBLE = "\u200b\u200c\u200d\u00ad\ufeff\u2060"


@pytest.mark.parametrize(
    ("text", "limit", "shown"),
    [
        ("\u202eevil.com", 60, "evil.com"),  # a right-to-left override would reverse the message
        ("a\u2066b\u2069c\u200fd", 60, "abcd"),
        ("tok\u200bamak\u00ad\ufeff", 60, "tokamak"),
        ("magnet\ntokamak\r\n\tlaser", 60, "magnet tokamak laser"),
        ("x" * 3000, 60, "x" * 59 + "…"),
        ("x" * 3000, None, "x" * 3000),
        ("京都" * 50, 10, "京都京都京都京都京…"),
        (None, 60, ""),
        (12345, 60, "12345"),
    ],
)
def test_echo_drops_invisible_controls_keeps_one_line_and_shortens(text, limit, shown):
    assert echo(text, limit) == shown


def test_no_bidirectional_or_invisible_character_survives_an_echo():
    text = "".join(f"{c}x" for c in BIDI + INVISIBLE)
    assert echo(text, None) == "x" * len(BIDI + INVISIBLE)


def test_an_echo_is_still_escaped_for_markdown_where_markdown_is_rendered():
    assert (
        escape_markdown(echo("[click](https://evil.example)\u202e"))
        == "\\[click\\]\\(https\\:\\/\\/evil\\.example\\)"
    )


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        ("**match** (how well) and **known link**", "match (how well) and known link"),
        ("**一致度**（一方の）、**連携実績**", "一致度（一方の）、連携実績"),
        ("an *emphasised* word, __strong__ too", "an emphasised word, strong too"),
        ("see [the docs](https://x.example/a_b)", "see the docs (https://x.example/a_b)"),
        ("`make build`", "make build"),
        ("\\*\\*literal\\*\\* and 1\\.5", "**literal** and 1.5"),
        ("snake_case_id and 2*3*4 stay", "snake_case_id and 2*3*4 stay"),
    ],
)
def test_plain_text_drops_the_catalogues_markdown(markdown, plain):
    assert plain_text(markdown) == plain


def test_a_name_ending_in_an_abbreviation_ends_the_sentence_once():
    from fusion_partners.i18n.markup import one_full_stop

    assert (
        one_full_stop("the kind that suits Fujikura Ltd\\..")
        == "the kind that suits Fujikura Ltd\\."
    )
    assert one_full_stop("suits Fujikura Ltd..") == "suits Fujikura Ltd."
    assert one_full_stop("suits Minato Coast City.") == "suits Minato Coast City."
    assert one_full_stop("株式会社フジクラに合う種類です。") == "株式会社フジクラに合う種類です。"
