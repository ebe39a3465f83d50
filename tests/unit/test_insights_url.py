"""Insights view ⇄ URL parameters: round trip, defaults left out, bad values read as defaults."""

import pytest

from fusion_partners.insights.url import (
    NETWORK_KINDS,
    InsightsView,
    clamp_slide,
    from_params,
    to_params,
)


@pytest.mark.parametrize(
    "view",
    [
        InsightsView(),
        InsightsView(presenter=True),
        InsightsView(presenter=True, slide=5),
        InsightsView(measure="share"),
        InsightsView(kind="documented"),
        InsightsView(kind="joint_research", measure="share"),
        InsightsView(presenter=True, measure="share", kind="teaming", slide=2),
        *(InsightsView(kind=kind) for kind in NETWORK_KINDS),
    ],
)
def test_round_trip(view):
    assert from_params(to_params(view)) == view


@pytest.mark.parametrize(
    ("view", "params"),
    [
        (InsightsView(), {}),  # the defaults write nothing
        (InsightsView(presenter=True), {"present": "1"}),  # the first slide is the default
        (InsightsView(presenter=True, slide=3), {"present": "1", "slide": "3"}),
        (InsightsView(slide=3), {}),  # a slide means nothing outside presenter mode
        (
            InsightsView(measure="share", kind="documented"),
            {"measure": "share", "links": "documented"},
        ),
    ],
)
def test_only_non_defaults_are_written(view, params):
    assert to_params(view) == params


@pytest.mark.parametrize(
    ("params", "view"),
    [
        ({"measure": "nonsense", "present": "maybe"}, InsightsView()),
        ({"present": "true"}, InsightsView(presenter=True)),
        ({"present": "yes"}, InsightsView(presenter=True)),
        ({"present": "0"}, InsightsView()),
        ({"links": "warp_drive"}, InsightsView()),
        ({"links": "Supply_Chain"}, InsightsView()),  # values are matched exactly
        ({"present": "1", "slide": "two"}, InsightsView(presenter=True)),
        ({"present": "1", "slide": "0"}, InsightsView(presenter=True)),
        ({"present": "1", "slide": "-3"}, InsightsView(presenter=True)),
        ({"present": "1", "slide": "²"}, InsightsView(presenter=True)),  # a digit int() refuses
        ({"present": "1", "slide": "99"}, InsightsView(presenter=True, slide=99)),  # clamped later
        ({"measure": ["count", "share"]}, InsightsView(measure="share")),  # the last value counts
        ({"lang": "ja", "country": ["JP"], "org": "abc"}, InsightsView()),  # not the view's
    ],
)
def test_bad_values_fall_back_to_defaults(params, view):
    assert from_params(params) == view


def test_a_get_all_function_is_read_like_a_mapping():
    params = {"present": ["1"], "slide": ["4"]}
    assert from_params(lambda key: params.get(key, [])) == InsightsView(presenter=True, slide=4)


@pytest.mark.parametrize(
    ("slide", "count", "expected"),
    [(1, 7, 1), (7, 7, 7), (99, 7, 7), (0, 7, 1), (-2, 7, 1), (3, 0, 1)],
)
def test_a_slide_stays_within_the_slides_there_are(slide, count, expected):
    assert clamp_slide(slide, count) == expected
