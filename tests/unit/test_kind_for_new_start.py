"""Which kind of collaboration a new start opens (`partners.query.kind_for_new_start`)."""

import pytest

from fusion_partners.data.partner_rules import KINDS
from fusion_partners.partners.query import kind_for_new_start


def takes_part(*kinds: str) -> dict[str, bool]:
    return {k: k in kinds for k in KINDS}


def test_the_kind_the_user_is_on_stays_when_the_new_start_takes_part_in_it():
    """Furukawa Electric on Teaming, then Fujikura (a manufacturer: supply chain suits it)."""
    roles = takes_part("supply_chain", "teaming", "joint_research")
    assert kind_for_new_start("teaming", True, roles, None, "supply_chain") == ("teaming", "kept")


def test_the_kind_the_user_is_on_stays_over_one_chosen_for_the_start_before():
    roles = takes_part("supply_chain", "teaming")
    assert kind_for_new_start("teaming", True, roles, "supply_chain", "supply_chain") == (
        "teaming",
        "kept",
    )


def test_a_kind_nobody_chose_gives_way_to_the_kind_that_suits_the_first_start():
    roles = takes_part("supply_chain", "joint_research")
    assert kind_for_new_start("supply_chain", False, roles, None, "joint_research") == (
        "joint_research",
        "suits",
    )


@pytest.mark.parametrize(
    ("chosen", "expected"),
    [("demonstration", ("demonstration", "chosen")), (None, ("supply_chain", "suits"))],
)
def test_a_start_that_cannot_take_part_in_the_kind_gets_the_kind_chosen_for_it_else_its_own(
    chosen, expected
):
    roles = takes_part("supply_chain", "demonstration")
    assert kind_for_new_start("counterparts", True, roles, chosen, "supply_chain") == expected


def test_a_kind_chosen_before_that_has_no_candidate_anywhere_is_not_brought_back():
    roles = takes_part("joint_research")
    assert kind_for_new_start("teaming", True, roles, "teaming", "joint_research") == (
        "joint_research",
        "suits",
    )


def test_when_the_kind_that_suits_has_no_candidate_the_first_kind_with_candidates_opens():
    """A funder whose counterparts are all elsewhere but which takes part in innovation."""
    roles = takes_part("innovation", "teaming")
    assert kind_for_new_start("joint_research", True, roles, None, "counterparts") == (
        "innovation",
        "only",
    )


def test_a_start_with_no_candidate_in_any_kind_opens_the_kind_that_suits_it():
    assert kind_for_new_start("teaming", True, takes_part(), None, "demonstration") == (
        "demonstration",
        "suits",
    )
