"""Filters ⇄ URL parameters: round trip, stale values dropped and reported."""

import pytest

from fusion_partners.explore.filters import Filters
from fusion_partners.explore.url import from_params, to_params

VALID = {
    "country": ["JP", "GB", "US"],
    "membership": ["j_fusion", "fusion_cluster", "other"],
    "org_type": ["company", "startup", "university"],
    "capability": ["magnets_superconductors", "blanket_breeding"],
    "confidence": ["high", "medium", "low"],
}


@pytest.mark.parametrize(
    "filters",
    [
        Filters(),
        Filters(countries=["JP", "GB"]),
        Filters(
            capabilities=["blanket_breeding", "magnets_superconductors"], capability_mode="all"
        ),
        Filters(
            memberships=["other"],
            org_types=["startup"],
            confidences=["high"],
            query="京都 & 'x' %_",
        ),
    ],
)
def test_round_trip(filters):
    assert from_params(to_params(filters), VALID).filters == filters


def test_only_active_filters_appear():
    assert to_params(Filters()) == {}
    assert to_params(Filters(capability_mode="all")) == {}


def test_unknown_values_are_dropped_and_reported():
    parsed = from_params({"country": ["JP", "XX"], "cap": ["warp_drive"], "mode": ["some"]}, VALID)
    assert parsed.filters == Filters(countries=["JP"])
    assert set(parsed.rejected) == {("country", "XX"), ("cap", "warp_drive"), ("mode", "some")}


def test_hand_written_links_are_forgiven():
    parsed = from_params(
        {"country": ["jp,gb"], "type": ["Startup"], "cap": ["blanket-breeding"]}, VALID
    )
    assert parsed.filters == Filters(
        countries=["JP", "GB"], org_types=["startup"], capabilities=["blanket_breeding"]
    )
    assert parsed.rejected == ()


def test_overlong_search_is_cut_and_reported():
    parsed = from_params({"q": ["x" * 5000]}, VALID)
    assert parsed.truncated and len(parsed.filters.query) == 200


def test_unrelated_parameters_are_ignored():
    assert (
        from_params({"org": ["abc"], "lang": ["ja"], "utm_source": ["mail"]}, VALID).filters
        == Filters()
    )


@pytest.mark.parametrize(
    ("q", "query"),
    [
        (
            "magnet\ntokamak",
            "magnet tokamak",
        ),  # the box shows "magnet tokamak", and that is what is matched
        ("magnet\r\n\ttokamak", "magnet tokamak"),
        ("\u202emagnet\u200b", "magnet"),
        ("  magnet  ", "magnet"),
    ],
)
def test_search_from_a_link_is_one_line_as_in_the_box(q, query):
    parsed = from_params({"q": [q]}, VALID)
    assert parsed.filters.query == query and not parsed.truncated


def test_a_single_valued_parameter_given_twice_is_reported():
    valid = {
        "country": ["JP", "GB"],
        "membership": [],
        "org_type": [],
        "capability": ["materials"],
        "confidence": [],
    }
    parsed = from_params(
        {"q": ["magnet", "tokamak"], "mode": ["all", "any"], "cap": "materials"}, valid
    )
    assert parsed.filters.query == "tokamak" and parsed.filters.capability_mode == "any"
    assert parsed.repeated == ("q", "mode")
    assert (
        from_params({"q": ["magnet", "magnet"]}, valid).repeated == ()
    )  # the same value twice is fine
