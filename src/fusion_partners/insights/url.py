"""The Insights view ⇄ URL parameters: presenter mode and its slide, the heatmap's measure and
the network's kind of link.

Pure: no Streamlit. The page passes ``st.query_params`` (or any mapping of parameter to a
value or a list of values) to :func:`from_params` and writes :func:`to_params` through the
UI's URL helper. Only non-default values are written, and a value a link cannot mean (an
unknown measure or kind, a slide that is not a whole number) reads as the default, so an old
or hand-edited link still opens.
"""

from __future__ import annotations

from dataclasses import dataclass

from fusion_partners.data.partner_rules import KINDS
from fusion_partners.explore.url import ParamSource, reader
from fusion_partners.insights.heatmap import MEASURES

PRESENT_PARAM, MEASURE_PARAM, LINKS_PARAM, SLIDE_PARAM = "present", "measure", "links", "slide"
PARAMS: tuple[str, ...] = (PRESENT_PARAM, MEASURE_PARAM, LINKS_PARAM, SLIDE_PARAM)
"""The query parameters of the Insights view (the filters are Explore's)."""
PRESENT_VALUES = ("1", "true", "yes")
"""Values of ``present`` that switch presenter mode on (anything else: off)."""
DEFAULT_MEASURE = "count"
DEFAULT_LINK_KIND = "supply_chain"
"""The network shows supply-chain candidates unless the URL or the control says otherwise."""
DOCUMENTED = "documented"
NETWORK_KINDS: tuple[str, ...] = (DOCUMENTED, *KINDS)
"""What the network can draw: the documented Japan–UK collaborations, or the partner finder's
candidate links of one kind."""


@dataclass(frozen=True)
class InsightsView:
    """What the Insights URL says besides the filters.

    Attributes:
        presenter: presenter mode (one chart per screen).
        measure: the heatmap's values, one of :data:`fusion_partners.insights.heatmap.MEASURES`.
        kind: what the network draws, one of :data:`NETWORK_KINDS`.
        slide: the presenter slide on screen, 1-based (only meaningful in presenter mode; the
            page keeps it within the number of slides, see :func:`clamp_slide`).
    """

    presenter: bool = False
    measure: str = DEFAULT_MEASURE
    kind: str = DEFAULT_LINK_KIND
    slide: int = 1


def from_params(params: ParamSource) -> InsightsView:
    """Read the view from URL parameters (the last value of a repeated one counts).

    Args:
        params: ``st.query_params``, a mapping ``{param: value or [values]}``, or a
            ``get_all(param) -> [values]`` function.

    Never raises: a ``measure`` or ``links`` value that is not one of the allowed ones, and a
    ``slide`` that is not a whole number of at least 1, read as their defaults; ``present`` is
    on only for ``1``, ``true`` or ``yes``. Unrelated parameters are ignored.
    """
    get_all = reader(params)

    def last(param: str, default: str) -> str:
        values = get_all(param)
        return str(values[-1]) if values else default

    measure = last(MEASURE_PARAM, DEFAULT_MEASURE)
    kind = last(LINKS_PARAM, DEFAULT_LINK_KIND)
    slide = last(SLIDE_PARAM, "1")
    return InsightsView(
        presenter=last(PRESENT_PARAM, "") in PRESENT_VALUES,
        measure=measure if measure in MEASURES else DEFAULT_MEASURE,
        kind=kind if kind in NETWORK_KINDS else DEFAULT_LINK_KIND,
        slide=max(int(slide), 1) if slide.isascii() and slide.isdigit() else 1,
    )


def to_params(view: InsightsView) -> dict[str, str]:
    """URL parameters for ``view``: only non-defaults, and ``slide`` only in presenter mode
    (so a presenter can share or reload the chart on screen)."""
    params = {}
    if view.presenter:
        params[PRESENT_PARAM] = "1"
        if view.slide > 1:
            params[SLIDE_PARAM] = str(view.slide)
    if view.measure != DEFAULT_MEASURE:
        params[MEASURE_PARAM] = view.measure
    if view.kind != DEFAULT_LINK_KIND:
        params[LINKS_PARAM] = view.kind
    return params


def clamp_slide(slide: int, count: int) -> int:
    """``slide`` kept within ``1..count`` (one past the end of a shorter set of slides, as
    after the filters changed, opens the last; ``count`` 0 reads as 1)."""
    return min(max(int(slide), 1), max(count, 1))
