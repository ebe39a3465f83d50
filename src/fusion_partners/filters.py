"""Filters on the organisation table and their SQL (with bound parameters only).

Every filter becomes a SQL fragment with ``$name`` placeholders plus its parameters;
user text never becomes part of the SQL string. Facet counts use the same builder with
one dimension left out (:func:`where`, ``exclude=``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from .text import search_terms

DIMENSIONS: tuple[str, ...] = ("country", "membership", "org_type", "capability", "confidence")
"""Facet dimensions, in sidebar order."""

CAPABILITY_MODES: tuple[str, ...] = ("any", "all")
MAX_SEARCH_TERMS = 12
"""Terms beyond this many are ignored (a search is a few words, not a document)."""
MAX_QUERY_LENGTH = 200
"""Characters of search text kept; longer input is cut (and the user told)."""


def _canon(values: Any) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    return tuple(sorted({str(v) for v in values if str(v)}))


@dataclass(frozen=True)
class Filters:
    """The active filters of a view. Hashable, so it can key caches.

    All tuple fields are stored sorted and de-duplicated; an empty tuple means "no
    restriction". ``capability_mode`` is ``"any"`` (at least one of the capabilities)
    or ``"all"`` (every one of them). ``query`` is free text, matched literally.
    """

    countries: tuple[str, ...] = ()
    memberships: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    capability_mode: str = "any"
    confidences: tuple[str, ...] = ()
    query: str = ""

    def __post_init__(self) -> None:
        for name in ("countries", "memberships", "org_types", "capabilities", "confidences"):
            object.__setattr__(self, name, _canon(getattr(self, name)))
        if self.capability_mode not in CAPABILITY_MODES:
            object.__setattr__(self, "capability_mode", "any")
        object.__setattr__(self, "query", (self.query or "").strip()[:MAX_QUERY_LENGTH])

    @property
    def active_count(self) -> int:
        """Number of active filters (each dimension and the search count once)."""
        return sum(bool(v) for v in (
            self.countries, self.memberships, self.org_types, self.capabilities,
            self.confidences, self.query,
        ))

    def without(self, dimension: str) -> Filters:
        """A copy with one dimension (see :data:`DIMENSIONS`, or ``"query"``) cleared."""
        attr = {
            "country": "countries", "membership": "memberships", "org_type": "org_types",
            "capability": "capabilities", "confidence": "confidences", "query": "query",
        }[dimension]
        return replace(self, **{attr: "" if attr == "query" else ()})


@dataclass(frozen=True)
class WhereClause:
    """A SQL boolean expression over alias ``o`` (organisations) and its parameters."""

    sql: str = "TRUE"
    params: dict[str, Any] = field(default_factory=dict)


def where(filters: Filters, *, exclude: str | None = None, suffix: str = "") -> WhereClause:
    """Build the WHERE expression for ``filters``.

    Args:
        filters: the active filters.
        exclude: a dimension to leave out (for facet counts of that dimension). For
            ``"capability"`` in ``"all"`` mode the capability filter is kept, so each
            option counts what adding it would give.
        suffix: appended to every parameter name, so several clauses can share one
            statement (must be ``""`` or ``_`` plus letters/digits).

    Returns:
        A :class:`WhereClause`; ``sql`` references only ``$``-named parameters.
    """
    if suffix and not re.fullmatch(r"_[A-Za-z0-9]+", suffix):
        raise ValueError(f"invalid parameter suffix {suffix!r}")
    parts: list[str] = []
    params: dict[str, Any] = {}

    def add(sql: str, name: str, value: Any) -> None:
        parts.append(sql.replace("$p", f"${name}{suffix}"))
        params[f"{name}{suffix}"] = value

    if filters.countries and exclude != "country":
        add("o.country = ANY($p)", "countries", list(filters.countries))
    if filters.memberships and exclude != "membership":
        add("o.membership = ANY($p)", "memberships", list(filters.memberships))
    if filters.org_types and exclude != "org_type":
        add("o.org_type = ANY($p)", "org_types", list(filters.org_types))
    keep_caps = exclude != "capability" or filters.capability_mode == "all"
    if filters.capabilities and keep_caps:
        fn = "list_has_all" if filters.capability_mode == "all" else "list_has_any"
        add(f"{fn}(o.capabilities, $p)", "capabilities", list(filters.capabilities))
    if filters.confidences and exclude != "confidence":
        add("o.confidence = ANY($p)", "confidences", list(filters.confidences))
    for i, term in enumerate(search_terms(filters.query)[:MAX_SEARCH_TERMS]):
        add("strpos(o.search_text, $p) > 0", f"q{i}", term)
    return WhereClause(" AND ".join(parts) if parts else "TRUE", params)


def search_rank_sql(filters: Filters) -> tuple[str | None, dict[str, Any]]:
    """ORDER BY expression ranking search hits: exact name, name prefix, name, other field.

    Returns ``(None, {})`` when there is no search.
    """
    terms = search_terms(filters.query)
    if not terms:
        return None, {}
    whole = " ".join(terms)
    sql = (
        "CASE WHEN list_contains(o.name_keys, $q_whole) THEN 0 "
        "WHEN len(list_filter(o.name_keys, lambda k: starts_with(k, $q_whole))) > 0 THEN 1 "
        "WHEN len(list_filter(o.name_keys, lambda k: strpos(k, $q_whole) > 0)) > 0 THEN 2 "
        "ELSE 3 END"
    )
    return sql, {"q_whole": whole}
