"""Filters ⇄ URL query parameters (pure functions, round-trip tested).

Parameter names (repeated for several values; a comma-separated single value is also
accepted for hand-written links)::

    country=JP&country=GB   membership=j_fusion   type=startup   cap=magnets_superconductors
    mode=all                confidence=high       q=free text
    role=research_partner   offer=hts_conductor   offer_mode=all   need=cryoplant   need_mode=all

Unknown or stale values are dropped and reported, never raised. The search text is kept on
one line (:func:`text.single_line`): a line break or tab in ``q`` is a space, so the search box
shows what is matched.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from fusion_partners.explore.filters import CAPABILITY_MODES, MAX_QUERY_LENGTH, Filters
from fusion_partners.search.text import single_line

LIST_PARAMS: dict[str, str] = {
    "country": "countries",
    "membership": "memberships",
    "type": "org_types",
    "cap": "capabilities",
    "confidence": "confidences",
    "role": "roles",
    "offer": "offers",
    "need": "needs",
}
"""URL parameter → :class:`Filters` field for multi-valued filters."""

PARAM_DIMENSION: dict[str, str] = {
    "country": "country",
    "membership": "membership",
    "type": "org_type",
    "cap": "capability",
    "confidence": "confidence",
    "role": "role",
    "offer": "offer",
    "need": "need",
}
"""URL parameter → facet dimension (keys of the ``valid`` mapping)."""

MODE_PARAMS: dict[str, tuple[str, str]] = {
    "mode": ("capability_mode", "capabilities"),
    "offer_mode": ("offer_mode", "offers"),
    "need_mode": ("need_mode", "needs"),
}
"""URL parameter → (:class:`Filters` mode field, the list it applies to)."""

FILTER_PARAMS: tuple[str, ...] = (*LIST_PARAMS, *MODE_PARAMS, "q")


@dataclass(frozen=True)
class ParsedFilters:
    """Result of reading filters from a URL.

    Attributes:
        filters: the valid part.
        rejected: ``(parameter, value)`` pairs that were dropped (unknown or stale).
        truncated: True when the search text was longer than the limit and was cut.
        repeated: single-valued parameters (``q``, ``mode``) the link gives more than once with
            different values; the last value is used.
    """

    filters: Filters
    rejected: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    truncated: bool = False
    repeated: tuple[str, ...] = field(default_factory=tuple)


ParamSource = Callable[[str], list[str]] | Mapping[str, Any]
"""``st.query_params.get_all``, or a mapping ``{param: value or [values]}`` (tests, scripts)."""


def reader(source: ParamSource) -> Callable[[str], list[str]]:
    """A ``get_all(param) -> [values]`` function for either kind of :data:`ParamSource`."""
    if not isinstance(source, Mapping):
        return source
    mapping = source

    def get_all(key: str) -> list[str]:
        value = mapping.get(key, [])
        return [value] if isinstance(value, str) else list(value)

    return get_all


def to_params(filters: Filters) -> dict[str, list[str] | str]:
    """Query parameters for ``filters`` (only active filters appear; lists keep sort order)."""
    params: dict[str, list[str] | str] = {}
    for param, attr in LIST_PARAMS.items():
        values = getattr(filters, attr)
        if values:
            params[param] = list(values)
    for param, (mode, values) in MODE_PARAMS.items():
        if getattr(filters, values) and getattr(filters, mode) != "any":
            params[param] = getattr(filters, mode)
    if filters.query:
        params["q"] = filters.query
    return params


def _canonical(param: str, value: str) -> str:
    value = value.strip()
    if param == "country":
        return value.upper()
    if param in ("membership", "type", "cap", "confidence", "role", "offer", "need"):
        return value.lower().replace("-", "_")
    return value


def from_params(
    get_all: ParamSource,
    valid: Mapping[str, Collection[str]],
) -> ParsedFilters:
    """Read filters from query parameters.

    Args:
        get_all: ``st.query_params.get_all`` or a mapping ``{param: [values]}``.
        valid: allowed values per facet dimension (``country``, ``membership``,
            ``org_type``, ``capability``, ``confidence``).

    Returns:
        :class:`ParsedFilters` with every invalid value listed in ``rejected``.
    """
    get_all = reader(get_all)
    rejected: list[tuple[str, str]] = []
    kwargs: dict[str, object] = {}
    for param, attr in LIST_PARAMS.items():
        allowed = set(valid.get(PARAM_DIMENSION[param], ()))
        kept: list[str] = []
        for raw in get_all(param):
            for piece in str(raw).split(","):
                if not piece.strip():
                    continue
                value = _canonical(param, piece)
                if value in allowed:
                    kept.append(value)
                else:
                    rejected.append((param, piece.strip()))
        kwargs[attr] = kept
    chosen_modes: dict[str, str] = {}
    for param, (field_name, _) in MODE_PARAMS.items():
        given = get_all(param)
        if given:
            candidate = str(given[-1]).strip().lower()
            if candidate in CAPABILITY_MODES:
                chosen_modes[field_name] = candidate
            else:
                rejected.append((param, str(given[-1])))
    modes = get_all("mode")
    mode = chosen_modes.pop("capability_mode", "any")
    queries = get_all("q")
    query = (
        single_line(queries[-1]) if queries else ""
    )  # a line break or tab is a space, as in the box
    truncated = len(query) > MAX_QUERY_LENGTH
    repeated = tuple(
        p
        for p, values in (("q", queries), ("mode", modes))
        if len({single_line(v).strip().lower() for v in values}) > 1
    )
    filters = Filters(capability_mode=mode, query=query, **chosen_modes, **kwargs)  # type: ignore[arg-type]
    return ParsedFilters(filters, tuple(rejected), truncated, repeated)
