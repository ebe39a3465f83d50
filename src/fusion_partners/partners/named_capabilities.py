"""The capabilities a text names, for the Partner finder's "Start from the capabilities you
need instead": words typed as an organisation's name ("superconducting magnet", 「超電導マグネット」)
that name no organisation often name a capability, and the capability list opens with those
chosen.

Pure: the labels and the search synonyms come in as arguments (the database side is
:func:`fusion_partners.partners.lookup_sql.find_capabilities`). The words are read as the
search reads them (:meth:`fusion_partners.explore.filters.SearchIndex.terms`, with its
synonyms: ``magnet`` = マグネット = 磁石).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fusion_partners.explore.filters import WORD_START, SearchIndex
from fusion_partners.search.text import has_japanese_script

PIECES = re.compile(r"[,;/、，；]|\band\b|&|\+", re.IGNORECASE)
"""Where a text lists several capabilities: commas, semicolons, slashes, 、, "and", "&", "+"
("magnets, tritium", "vacuum and cryogenics")."""

STOP_WORDS = frozenset({"a", "an", "and", "for", "in", "of", "on", "or", "the", "to", "with"})
"""English words that name nothing ("the" would start "thermal shields", "for" is inside
"site hosting for fusion plants")."""


def _matches(term: str, key: str, index: SearchIndex) -> bool:
    """Whether ``term`` or one of its synonyms is in the label key ``key``: a term in Latin
    letters where a word starts (``magnet`` in ``magnets``, never ``rf`` in ``interface``),
    one in Japanese anywhere (Japanese has no spaces between words)."""
    for alternative in index.alternatives(term):
        if has_japanese_script(alternative):
            if alternative in key:
                return True
        elif re.search(WORD_START + re.escape(alternative), key):
            return True
    return False


def _split_japanese(term: str, index: SearchIndex) -> list[str]:
    """A Japanese term cut at the search synonyms it is made of (「超伝導磁石」 → 超伝導, 磁石),
    longest first; the term itself when no synonym is in it."""
    known = sorted(
        {m for g in index.synonyms for m in g if has_japanese_script(m)}, key=len, reverse=True
    )
    out: list[str] = []
    i = 0
    while i < len(term):
        word = next((m for m in known if term.startswith(m, i)), None)
        if word is None:
            i += 1
            continue
        out.append(word)
        i += len(word)
    return out or [term]


def named_capabilities(
    text: str | None,
    labels: Sequence[tuple[str, str]],
    index: SearchIndex,
    limit: int,
) -> list[str]:
    """The capabilities ``text`` names, in the order of ``labels``, at most ``limit``.

    Args:
        text: what was typed; a list ("magnets, tritium") names each of its parts.
        labels: ``(capability slug, label match key)``, in taxonomy order: each capability's
            own label and the labels of its leaves (``search_key`` of the English and the
            Japanese label), so ``gyrotron`` names heating and ``cryoplant`` vacuum and
            cryogenics.
        index: the search synonyms (:func:`fusion_partners.queries.search_index`).
        limit: how many capabilities may be chosen.

    A part names the capabilities whose labels hold every one of its words (or a synonym),
    leaving out words that are in no label at all ("supplier", "need") and small English
    words (:data:`STOP_WORDS`); a Japanese word in no label is read as the synonyms it is made
    of (「超伝導磁石」). Empty when nothing is named.
    """
    keys: dict[str, list[str]] = {}
    for slug, key in labels:
        keys.setdefault(slug, []).append(key)
    named: set[str] = set()
    for piece in PIECES.split(text or ""):
        terms: list[str] = []
        for term in index.terms(piece):
            if term in STOP_WORDS:
                continue
            found = any(_matches(term, k, index) for ks in keys.values() for k in ks)
            if not found and has_japanese_script(term):
                terms += _split_japanese(term, index)
            elif found:
                terms.append(term)
        if not terms:
            continue
        named |= {
            slug
            for slug, ks in keys.items()
            if all(any(_matches(term, k, index) for k in ks) for term in terms)
        }
    return [slug for slug in keys if slug in named][:limit]
