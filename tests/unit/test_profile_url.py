"""The profile URL module: table-driven reading and round trips (pure, no Streamlit)."""

import pytest

from fusion_partners.explore.profile_url import ProfileLink, from_params, to_params


def _get_all(params: dict[str, list[str]]):
    return lambda key: params.get(key, [])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ProfileLink("", False)),
        ({"org": [""]}, ProfileLink("", False)),
        ({"org": ["  "]}, ProfileLink("", False)),
        ({"org": ["tokamak-energy"]}, ProfileLink("tokamak-energy", False)),
        ({"org": [" Tokamak-Energy "]}, ProfileLink("tokamak-energy", False)),
        ({"org": ["a", "b"]}, ProfileLink("b", True)),
        ({"org": ["a", "A "]}, ProfileLink("a", False)),
        ({"org": ["a", ""]}, ProfileLink("a", False)),
        ({"org": ["a"], "lang": ["ja"]}, ProfileLink("a", False)),
    ],
)
def test_a_profile_url_reads_as_the_organisation_it_names(params, expected):
    assert from_params(_get_all(params)) == expected


@pytest.mark.parametrize("org_id", ["", "tokamak-energy", "qst", "3-sci"])
def test_a_profile_link_round_trips_through_its_url(org_id):
    link = ProfileLink(org_id)
    params = {k: [v] for k, v in to_params(link).items()}
    assert from_params(_get_all(params)) == link


def test_no_organisation_writes_no_parameter():
    assert to_params(ProfileLink()) == {}
