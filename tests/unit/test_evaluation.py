"""The evaluation script's arithmetic: fair ranks among ties, hit@k and reciprocal rank."""

import pytest
from bench.eval.evaluate import MISS, fair, outcome, summarise


def test_a_partner_tied_with_others_gets_the_expected_rank_of_a_random_order():
    better, tied = fair([3.0, 2.0, 2.0, 2.0, 1.0], 2)
    assert (better, tied) == (1, 3)
    o = outcome(better, tied)
    assert o.hits[5] == 1.0
    assert o.rr == pytest.approx((1 / 2 + 1 / 3 + 1 / 4) / 3)
    assert outcome(4, 4).hits[5] == pytest.approx(
        0.25
    )  # ranks 5–8: one chance in four of being 5th


def test_a_partner_that_is_not_a_candidate_scores_zero_everywhere():
    assert MISS.rr == 0 and not any(MISS.hits.values()) and not MISS.candidate


def test_figures_average_over_queries_per_group():
    first = {
        "finder": outcome(0, 1),
        "random": outcome(0, 2),
        "shared_leaves": MISS,
        "rarity_overlap": MISS,
    }
    records = [
        {"kind": "supply_chain", "jpuk": True, **first},
        {"kind": "supply_chain", "jpuk": False, **{m: MISS for m in first}},
    ]
    table = summarise(records)
    assert table[("all", "finder")]["mrr"] == pytest.approx(0.5)
    assert table[("jpuk", "finder")]["hit@5"] == 1.0 and table[("jpuk", "random")][
        "mrr"
    ] == pytest.approx(0.75)
    assert table[("supply_chain", "finder")]["candidates"] == 0.5
