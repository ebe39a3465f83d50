"""Filters on the organisation table and their SQL (with bound parameters only).

Every filter becomes a SQL fragment with ``$name`` placeholders plus its parameters;
user text never becomes part of the SQL string. Facet counts use the same builder with
one dimension left out (:func:`where`, ``exclude=``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from .text import search_terms, single_line

DIMENSIONS: tuple[str, ...] = ("country", "membership", "org_type", "capability", "confidence")
"""Facet dimensions, in sidebar order."""

CAPABILITY_MODES: tuple[str, ...] = ("any", "all")
MAX_SEARCH_TERMS = 12
"""Terms beyond this many are ignored (a search is a few words, not a document)."""
INDEXED_TERM_LENGTH = 2
"""Search terms at least this long go through the ``search_tokens`` index."""
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
    or ``"all"`` (every one of them). ``query`` is free text, matched literally; it is kept
    on one line (:func:`text.single_line`: line breaks, tabs and other control characters
    become one space, invisible characters are dropped) and cut to :data:`MAX_QUERY_LENGTH`.
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
        object.__setattr__(self, "query", single_line(self.query)[:MAX_QUERY_LENGTH])

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
class SearchIndex:
    """What filters need to know about the database besides the rows.

    Built by :func:`queries.search_index` from the small ``capabilities`` and
    ``search_synonyms`` tables: where each capability sits in ``organisations.cap_mask`` and
    its label match keys (so capability sets and label matches bind as plain integer masks,
    which DuckDB pushes into the table scan), and the groups of equivalent search terms.
    """

    bits: tuple[tuple[str, int], ...] = ()
    labels: tuple[tuple[int, str], ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()

    def alternatives(self, term: str) -> tuple[str, ...]:
        """``term`` and its synonyms (match keys), ``term`` first; a term equal to one member
        of a group matches every member."""
        for group in self.synonyms:
            if term in group:
                return (term, *(other for other in group if other != term))
        return (term,)

    def mask(self, slugs) -> int:
        """The bit mask of ``slugs`` (unknown slugs add nothing)."""
        bits = dict(self.bits)
        return sum(1 << bits[s] for s in set(slugs) if s in bits)

    def label_mask(self, term: str) -> int:
        """The mask of every capability whose English or Japanese label contains ``term``."""
        return sum(1 << bit for bit, key in self.labels if term in key)


@dataclass(frozen=True)
class WhereClause:
    """A SQL boolean expression over alias ``o`` (organisations) and its parameters."""

    sql: str = "TRUE"
    params: dict[str, Any] = field(default_factory=dict)


def conditions(filters: Filters, index: SearchIndex, *, suffix: str = "") -> dict[str, WhereClause]:
    """One SQL condition per active filter: ``{dimension: WhereClause}``.

    Keys are the :data:`DIMENSIONS` that are active plus ``"query"`` for the search (all of
    its terms in one condition). Every condition is over alias ``o`` and uses only
    ``$``-named parameters (names end with ``suffix``). Capabilities are tested as bits of
    ``o.cap_mask`` (positions from ``index``); a search term matches the organisation's
    own text (``contains``: literal, no wildcards) or the label of one of its capabilities,
    and so does any synonym of the term (``index.alternatives``).

    Raises:
        ValueError: for a malformed ``suffix`` (must be ``""`` or ``_`` plus letters/digits).
    """
    if suffix and not re.fullmatch(r"_[A-Za-z0-9]+", suffix):
        raise ValueError(f"invalid parameter suffix {suffix!r}")
    out: dict[str, WhereClause] = {}

    def one(sql: str, name: str, value: Any) -> WhereClause:
        return WhereClause(sql.replace("$p", f"${name}{suffix}"), {f"{name}{suffix}": value})

    if filters.countries:
        out["country"] = one("o.country = ANY($p)", "countries", list(filters.countries))
    if filters.memberships:
        out["membership"] = one("o.membership = ANY($p)", "memberships", list(filters.memberships))
    if filters.org_types:
        out["org_type"] = one("o.org_type = ANY($p)", "org_types", list(filters.org_types))
    if filters.capabilities:
        test = "(o.cap_mask & $p) = $p" if filters.capability_mode == "all" else "(o.cap_mask & $p) <> 0"
        out["capability"] = one(test, "capabilities", index.mask(filters.capabilities))
    if filters.confidences:
        out["confidence"] = one("o.confidence = ANY($p)", "confidences", list(filters.confidences))
    terms = search_terms(filters.query)[:MAX_SEARCH_TERMS]
    if terms:
        parts: list[str] = []
        params: dict[str, Any] = {}
        for i, term in enumerate(terms):
            alternatives = index.alternatives(term)
            mask = f"q{i}_mask{suffix}"
            params[mask] = 0
            texts = []
            for j, alt in enumerate(alternatives):
                name = f"q{i}{suffix}" if j == 0 else f"q{i}_{j}{suffix}"
                if len(alt) >= INDEXED_TERM_LENGTH:  # through the token index (see schema.sql)
                    texts.append(f"o.name_rank IN (SELECT unnest(orgs) FROM search_tokens WHERE contains(token, ${name}))")  # noqa: S608
                else:  # a single character matches most tokens: scanning the texts is cheaper
                    texts.append(f"contains(o.search_text, ${name})")
                params[name] = alt
                params[mask] |= index.label_mask(alt)
            parts.append(f"({' OR '.join(texts)} OR (o.cap_mask & ${mask}) <> 0)")
        out["query"] = WhereClause(" AND ".join(parts), params)
    return out


def keeps(filters: Filters, condition: str, facet: str | None) -> bool:
    """Whether the facet counts of ``facet`` apply ``condition`` (a key of :func:`conditions`).

    A facet ignores its own filter, except capability in ``"all"`` mode, where each option
    counts what adding it would give. ``facet=None`` (the result itself) keeps everything.
    """
    return condition != facet or (facet == "capability" and filters.capability_mode == "all")


def where(filters: Filters, index: SearchIndex, *, exclude: str | None = None, suffix: str = "") -> WhereClause:
    """Build the WHERE expression for ``filters``.

    Args:
        filters: the active filters.
        index: capability bits, label keys and synonyms (:func:`queries.search_index`).
        exclude: a dimension to leave out (for facet counts of that dimension), see :func:`keeps`.
        suffix: appended to every parameter name, so several clauses can share one
            statement (must be ``""`` or ``_`` plus letters/digits).

    Returns:
        A :class:`WhereClause`; ``sql`` references only ``$``-named parameters.
    """
    parts = [c for dim, c in conditions(filters, index, suffix=suffix).items() if keeps(filters, dim, exclude)]
    return WhereClause(
        " AND ".join(c.sql for c in parts) if parts else "TRUE",
        {k: v for c in parts for k, v in c.params.items()},
    )


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
