"""Filters on the organisation table and their SQL (with bound parameters only).

Every filter becomes a SQL fragment with ``$name`` placeholders plus its parameters;
user text never becomes part of the SQL string. Facet counts use the same builder with
one dimension left out (:func:`where`, ``exclude=``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from itertools import islice, product
from typing import Any

from fusion_partners.search.terms import query_key, search_terms
from fusion_partners.search.text import single_line

DIMENSIONS: tuple[str, ...] = (
    "country",
    "membership",
    "org_type",
    "capability",
    "confidence",
    "role",
    "offer",
    "need",
)
"""Facet dimensions, in sidebar order."""
LIST_DIMENSIONS: dict[str, str] = {"role": "roles", "offer": "offers", "need": "needs"}
"""Facet dimensions whose column is a list (counted per element), → the organisations column."""

CAPABILITY_MODES: tuple[str, ...] = ("any", "all")
MAX_SEARCH_TERMS = 12
"""Terms beyond this many are ignored (a search is a few words, not a document)."""
INDEXED_TERM_LENGTH = 2
"""Search terms at least this long go through the ``search_tokens`` index."""
MAX_QUERY_LENGTH = 200
"""Characters of search text kept; longer input is cut (and the user told)."""
MAX_RANK_VARIANTS = 32
"""Spellings of a whole query (one per combination of synonyms) compared with names for ranking."""
WORD_START = "(^|[^a-z0-9])"
"""Regular-expression prefix that anchors a synonym written in Latin letters at the start of a
word (the synonym ``uk`` of ``英国`` finds ``UK`` and ``UKAEA``, not ``Fukuoka``)."""
_LATIN_SYNONYM = re.compile(r"[a-z0-9]+( [a-z0-9]+)*")


def _canon(values: Any) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    return tuple(sorted({str(v) for v in values if str(v)}))


DIMENSION_FIELDS: dict[str, str] = {
    "country": "countries",
    "membership": "memberships",
    "org_type": "org_types",
    "capability": "capabilities",
    "confidence": "confidences",
    "query": "query",
    "role": "roles",
    "offer": "offers",
    "need": "needs",
}
"""The :class:`Filters` field behind each filter dimension (and the search, ``"query"``)."""


@dataclass(frozen=True)
class Filters:
    """The active filters of a view. Hashable, so it can key caches.

    All tuple fields are stored sorted and de-duplicated; an empty tuple means "no
    restriction". ``capability_mode`` is ``"any"`` (at least one of the capabilities)
    or ``"all"`` (every one of them); ``offer_mode`` and ``need_mode`` do the same for the
    capability leaves an organisation offers or needs; ``roles`` matches any of them. ``query`` is free text, matched literally; it is kept
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
    roles: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    offer_mode: str = "any"
    needs: tuple[str, ...] = ()
    need_mode: str = "any"

    def __post_init__(self) -> None:
        for mode in ("offer_mode", "need_mode"):
            if getattr(self, mode) not in CAPABILITY_MODES:
                object.__setattr__(self, mode, "any")
        for name in (
            "countries",
            "memberships",
            "org_types",
            "capabilities",
            "confidences",
            "roles",
            "offers",
            "needs",
        ):
            object.__setattr__(self, name, _canon(getattr(self, name)))
        if self.capability_mode not in CAPABILITY_MODES:
            object.__setattr__(self, "capability_mode", "any")
        object.__setattr__(self, "query", single_line(self.query)[:MAX_QUERY_LENGTH])

    @property
    def active_count(self) -> int:
        """Number of active filters (each dimension and the search count once)."""
        return sum(
            bool(v)
            for v in (
                self.countries,
                self.memberships,
                self.org_types,
                self.capabilities,
                self.confidences,
                self.query,
                self.roles,
                self.offers,
                self.needs,
            )
        )

    def without(self, dimension: str) -> Filters:
        """A copy with one dimension (see :data:`DIMENSIONS`, or ``"query"``) cleared."""
        attr = DIMENSION_FIELDS[dimension]
        cleared: dict[str, Any] = {attr: "" if attr == "query" else ()}
        return replace(self, **cleared)


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
    aliases: frozenset[str] = frozenset()
    """Match keys of aliases written without Latin letters (京大): a term equal to one matches
    the organisations bearing that name only, since Japanese has no spaces to mark words and
    the same characters occur inside other names (東京大学)."""
    leaves: tuple[tuple[str, str], ...] = ()
    """``(slug, label key)`` of every capability leaf in taxonomy order, the key holding the
    English and Japanese labels (``capability_leaves.label_key``): a term found in a leaf's
    label matches the organisations that offer or need that leaf."""

    def alternatives(self, term: str) -> tuple[str, ...]:
        """``term`` and its synonyms (match keys), ``term`` first; a term equal to one member
        of a group matches every member."""
        for group in self.synonyms:
            if term in group:
                return (term, *(other for other in group if other != term))
        return (term,)

    def terms(self, query: str | None) -> list[str]:
        """The match terms of ``query``: :func:`terms.search_terms`, with consecutive words
        that spell a synonym of several words joined into one term (``united kingdom``, a
        member of the group of ``uk``), and so are words that spell an alias of several words
        (``トカマク・エナジー``: the nakaguro separates words, the alias stays a whole name). At
        most :data:`MAX_SEARCH_TERMS`."""
        words = search_terms(query)
        multi = [m for g in self.synonyms for m in g if " " in m] + [
            a for a in self.aliases if " " in a
        ]
        phrases = sorted({tuple(m.split(" ")) for m in multi}, key=len, reverse=True)
        out: list[str] = []
        i = 0
        while i < len(words):
            size = next((len(p) for p in phrases if tuple(words[i : i + len(p)]) == p), 1)
            term = " ".join(words[i : i + size])
            if term not in out:
                out.append(term)
            i += size
        return out[:MAX_SEARCH_TERMS]

    def rank_keys(self, query: str | None) -> list[str]:
        """Whole-query spellings compared with name keys to rank hits: the query as typed
        (:func:`text.query_key`) and its terms joined with each combination of their synonyms
        (at most :data:`MAX_RANK_VARIANTS`), so ``United Kingdom Atomic Energy Authority``
        ranks ``UK Atomic Energy Authority`` first. Empty for a blank query."""
        terms = self.terms(query)
        if not terms:
            return []
        keys = [query_key(query)]
        combos = islice(product(*(self.alternatives(t) for t in terms)), MAX_RANK_VARIANTS)
        keys += [" ".join(combo) for combo in combos]
        return list(dict.fromkeys(k for k in keys if k))

    def leaf_matches(self, term: str, *, word_start: bool = False) -> tuple[str, ...]:
        """The leaves (slugs, taxonomy order) whose English or Japanese label contains
        ``term`` (with ``word_start``, at the start of a word, as :meth:`label_mask`)."""
        if word_start:
            pattern = re.compile(WORD_START + term)
            return tuple(slug for slug, key in self.leaves if pattern.search(key))
        return tuple(slug for slug, key in self.leaves if term in key)

    def term_leaves(self, term: str) -> tuple[str, ...]:
        """The leaves a search term matches through its labels: those of the term and of each
        of its synonyms (:meth:`alternatives`, anchored as :func:`word_start` says), taxonomy
        order; none for a whole-name alias (京大)."""
        if term in self.aliases:
            return ()
        found: set[str] = set()
        for j, alt in enumerate(self.alternatives(term)):
            found.update(self.leaf_matches(alt, word_start=word_start(alt, j)))
        return tuple(slug for slug, _ in self.leaves if slug in found)

    def matched_leaves(self, query: str | None) -> tuple[str, ...]:
        """The leaves whose label one of the terms of ``query`` matched (taxonomy order): the
        organisations offering or needing them may be in the result for that reason alone."""
        found = {slug for term in self.terms(query) for slug in self.term_leaves(term)}
        return tuple(slug for slug, _ in self.leaves if slug in found)

    def query_leaves(self, query: str | None) -> tuple[str, ...]:
        """The leaves whose labels match *every* term of ``query`` (taxonomy order), used to
        rank the organisations offering or needing them (:func:`search_rank_sql`): for
        ``helium refrigeration``, the cryoplant leaf; empty when no leaf matches them all."""
        terms = self.terms(query)
        if not terms:
            return ()
        found = set(self.term_leaves(terms[0]))
        for term in terms[1:]:
            found &= set(self.term_leaves(term))
        return tuple(slug for slug, _ in self.leaves if slug in found)

    def mask(self, slugs) -> int:
        """The bit mask of ``slugs`` (unknown slugs add nothing)."""
        bits = dict(self.bits)
        return sum(1 << bits[s] for s in set(slugs) if s in bits)

    def label_mask(self, term: str, *, word_start: bool = False) -> int:
        """The mask of every capability whose English or Japanese label contains ``term``
        (with ``word_start``, at the start of a word: see :func:`word_start`)."""
        if word_start:
            pattern = re.compile(WORD_START + term)
            return sum(1 << bit for bit, key in self.labels if pattern.search(key))
        return sum(1 << bit for bit, key in self.labels if term in key)


def word_start(alternative: str, position: int) -> bool:
    """Whether the ``position``-th alternative of a term must match at the start of a word.

    The term itself (position 0) matches anywhere, whole or as part of a longer word, unless
    it is a phrase of several words in Latin letters and digits (``r d`` from ``R&D``,
    ``x ray``, ``united kingdom``), which starts where a word does (``r d`` is not the end of
    ``for design``); a synonym written in Latin letters and digits matches where a word
    starts (``uk`` for ``英国``: ``UK``, ``UK-based``, ``(UKAEA)``, never ``Fukuoka``); a
    synonym in Japanese (no spaces between words) matches anywhere.
    """
    return (position > 0 or " " in alternative) and bool(_LATIN_SYNONYM.fullmatch(alternative))


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
    ``o.cap_mask`` (positions from ``index``); a search term (``index.terms``) matches the
    organisation's own text (``contains``: literal, no wildcards) or the label of one of its
    capabilities, and so does any synonym of the term (``index.alternatives``; one in Latin
    letters at the start of a word, see :func:`word_start`, with a regular expression built
    from letters, digits and spaces only); it also matches the organisations that offer or
    need a capability leaf whose label contains it (:meth:`SearchIndex.term_leaves`).

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
        # every council a record belongs to counts (a record may be in both); "other" = none stated
        out["membership"] = one(
            "(list_has_any(o.memberships, $p) OR (len(o.memberships) = 0 AND list_contains($p, 'other')))",
            "memberships",
            list(filters.memberships),
        )
    if filters.org_types:
        out["org_type"] = one("o.org_type = ANY($p)", "org_types", list(filters.org_types))
    if filters.capabilities:
        test = (
            "(o.cap_mask & $p) = $p"
            if filters.capability_mode == "all"
            else "(o.cap_mask & $p) <> 0"
        )
        out["capability"] = one(test, "capabilities", index.mask(filters.capabilities))
    if filters.confidences:
        out["confidence"] = one("o.confidence = ANY($p)", "confidences", list(filters.confidences))
    if filters.roles:
        out["role"] = one("list_has_any(o.roles, $p)", "roles", list(filters.roles))
    for dim, values, mode in (
        ("offer", filters.offers, filters.offer_mode),
        ("need", filters.needs, filters.need_mode),
    ):
        if values:
            test = "list_has_all" if mode == "all" else "list_has_any"
            out[dim] = one(
                f"{test}(o.{LIST_DIMENSIONS[dim]}, $p)", LIST_DIMENSIONS[dim], list(values)
            )
    terms = index.terms(filters.query)
    if terms:
        parts: list[str] = []
        params: dict[str, Any] = {}
        for i, term in enumerate(terms):
            if term in index.aliases:  # a short name: the organisations that bear it, nothing else
                params[f"q{i}{suffix}"] = term
                parts.append(f"list_contains(o.name_keys, $q{i}{suffix})")
                continue
            alternatives = index.alternatives(term)
            mask = f"q{i}_mask{suffix}"
            params[mask] = 0
            texts = []
            for j, alt in enumerate(alternatives):
                name = f"q{i}{suffix}" if j == 0 else f"q{i}_{j}{suffix}"
                anchored = word_start(alt, j)
                test = f"contains({{col}}, ${name})"
                if anchored:
                    test += f" AND regexp_matches({{col}}, ${name}_re)"
                    params[f"{name}_re"] = WORD_START + alt
                if (
                    len(alt) >= INDEXED_TERM_LENGTH and " " not in alt
                ):  # through the token index (see schema.sql)
                    texts.append(
                        f"o.name_rank IN (SELECT unnest(orgs) FROM search_tokens WHERE {test.format(col='token')})"  # noqa: S608
                    )
                else:  # one character matches most tokens, words span tokens: scan the texts
                    texts.append(f"({test.format(col='o.search_text')})")
                params[name] = alt
                params[mask] |= index.label_mask(alt, word_start=anchored)
            leaves = index.term_leaves(term)
            if leaves:  # the label of a leaf it offers or needs
                name = f"q{i}_leaves{suffix}"
                params[name] = list(leaves)
                texts.append(f"list_has_any(o.offers, ${name}) OR list_has_any(o.needs, ${name})")
            parts.append(f"({' OR '.join(texts)} OR (o.cap_mask & ${mask}) <> 0)")
        out["query"] = WhereClause(" AND ".join(parts), params)
    return out


def keeps(filters: Filters, condition: str, facet: str | None) -> bool:
    """Whether the facet counts of ``facet`` apply ``condition`` (a key of :func:`conditions`).

    A facet ignores its own filter, except capability, offer and need in ``"all"`` mode, where
    each option counts what adding it would give. ``facet=None`` (the result itself) keeps
    everything.
    """
    mode = {
        "capability": filters.capability_mode,
        "offer": filters.offer_mode,
        "need": filters.need_mode,
    }
    return condition != facet or mode.get(facet) == "all"


def where(
    filters: Filters, index: SearchIndex, *, exclude: str | None = None, suffix: str = ""
) -> WhereClause:
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
    parts = [
        c
        for dim, c in conditions(filters, index, suffix=suffix).items()
        if keeps(filters, dim, exclude)
    ]
    return WhereClause(
        " AND ".join(c.sql for c in parts) if parts else "TRUE",
        {k: v for c in parts for k, v in c.params.items()},
    )


def search_rank_sql(
    filters: Filters, index: SearchIndex | None = None
) -> tuple[str | None, dict[str, Any]]:
    """ORDER BY expression ranking search hits: exact name, name prefix, name, offers a
    leaf the query names, needs one, other field.

    A name is compared with every spelling of the whole query in :meth:`SearchIndex.rank_keys`
    (as typed, as its words, and with synonyms: ``東京`` ranks names starting with Tokyo as
    name prefixes). The leaves are those whose label matches every term of the query
    (:meth:`SearchIndex.query_leaves`): ``cryoplant`` lists the organisations supplying
    cryoplants before those that need one, and both before a mention in a description.
    ``index`` gives the synonyms and leaf labels (none when omitted).

    Returns ``(None, {})`` when there is no search.
    """
    index = index or SearchIndex()
    keys = index.rank_keys(filters.query)
    if not keys:
        return None, {}
    params: dict[str, Any] = {"q_whole": keys}
    leaves = index.query_leaves(filters.query)
    by_leaf = ""
    if leaves:
        params["q_leaves"] = list(leaves)
        by_leaf = (
            "WHEN list_has_any(o.offers, $q_leaves) THEN 3 "
            "WHEN list_has_any(o.needs, $q_leaves) THEN 4 "
        )
    sql = (
        "CASE WHEN list_has_any(o.name_keys, $q_whole) THEN 0 "
        "WHEN len(list_filter(o.name_keys, lambda k: len(list_filter($q_whole, lambda w: starts_with(k, w))) > 0)) > 0 THEN 1 "
        "WHEN len(list_filter(o.name_keys, lambda k: len(list_filter($q_whole, lambda w: strpos(k, w) > 0)) > 0)) > 0 THEN 2 "
        f"{by_leaf}ELSE 5 END"
    )
    return sql, params
