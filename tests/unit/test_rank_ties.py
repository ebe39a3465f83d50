"""Why a row ranks above the next one although both show the same score
(:func:`fusion_partners.partners.table.ahead_on` and :func:`ahead_text`)."""

import pytest

from fusion_partners.partners.table import ahead_on, ahead_text


def row(rank, score, top=1.0, confidence="medium", n_sources=2, known=False):
    ranks = {"low": 1, "medium": 2, "high": 3}
    return {
        "rank": rank,
        "score": score,
        "top": top,
        "confidence": confidence,
        "confidence_rank": ranks[confidence],
        "n_sources": n_sources,
        "known": known,
    }


@pytest.mark.parametrize(
    ("upper", "lower", "code"),
    [
        (row(3, 2.301), row(4, 2.298), "score"),  # both show 2.30
        (row(3, 2.3, top=2.1), row(4, 2.3, top=1.4), "match"),
        (row(3, 2.3, confidence="high"), row(4, 2.3, confidence="medium"), "evidence"),
        (row(3, 2.3, n_sources=4), row(4, 2.3, n_sources=2), "sources"),
        # the first key that differs decides, whatever the later ones say
        (row(3, 2.3, top=2.1, n_sources=1), row(4, 2.3, top=1.4, n_sources=5), "match"),
        (
            row(3, 2.3, confidence="high", n_sources=1),
            row(4, 2.3, confidence="low", n_sources=9),
            "evidence",
        ),
    ],
)
def test_a_row_ahead_at_the_same_shown_score_names_the_key_that_put_it_there(upper, lower, code):
    assert ahead_on(upper, lower) == code


def test_rows_that_tie_on_every_key_say_nothing_more_than_their_equals_sign():
    assert ahead_on(row(3, 2.3), row(3, 2.3)) == ""


def test_rows_whose_shown_scores_differ_need_no_explanation():
    assert ahead_on(row(3, 2.31, n_sources=4), row(4, 2.30, n_sources=2)) == ""
    # 2.305 shows as 2.31, 2.304 as 2.30
    assert ahead_on(row(3, 2.305), row(4, 2.304)) == ""


def test_a_documented_partner_listed_first_is_ahead_for_that_reason_only_when_listed_first():
    known, other = row(3, 1.5, known=True, n_sources=1), row(4, 1.5, n_sources=3)
    assert ahead_on(known, other, known_first=True) == "known"
    # ranked with the others, being known is no ranking key of its own: the keys decide, and
    # here none puts the known partner ahead, so nothing is claimed
    assert ahead_on(known, other) == ""


def test_capability_mode_rows_rank_by_the_score_alone():
    def cap(rank, score):  # capability mode has no strongest-match or sources column
        return {"rank": rank, "score": score, "confidence_rank": 3, "confidence": "high"}

    assert ahead_on(cap(1, 1.0004), cap(2, 1.0001)) == "score"
    assert ahead_on(cap(1, 1.0), cap(1, 1.0)) == ""


@pytest.mark.parametrize(
    ("lang", "upper", "lower", "text"),
    [
        ("en", row(3, 2.301), row(4, 2.298), "higher score before rounding (2.301 vs 2.298)"),
        (
            "en",
            row(3, 2.30004),
            row(4, 2.30001),
            "higher score before rounding (2.30004 vs 2.30001)",
        ),
        ("en", row(3, 2.3, top=2.1), row(4, 2.3), "stronger single match"),
        ("en", row(3, 2.3, confidence="high"), row(4, 2.3), "better evidence (High vs Medium)"),
        ("en", row(3, 2.3, n_sources=4), row(4, 2.3), "more sources (4 vs 2)"),
        ("ja", row(3, 2.3, top=2.1), row(4, 2.3), "最も強い一致がより強い"),
        ("ja", row(3, 2.3, confidence="high"), row(4, 2.3), "根拠の確度が高い（高、次の行は中）"),
        ("ja", row(3, 2.3, n_sources=4), row(4, 2.3), "情報源が多い（4件、次の行は2件）"),
        ("ja", row(3, 2.301), row(4, 2.298), "丸める前のスコアが高い（2.301、次の行は2.298）"),
        ("en", row(3, 2.3), row(3, 2.3), ""),
    ],
)
def test_the_reason_reads_in_both_languages_with_the_values_compared(lang, upper, lower, text):
    assert ahead_text(upper, lower, lang) == text
