"""Words of a search: how a query is split into the terms that must all match, and the form
stored text takes so it compares with them (``docs/search.md``).

A search query is split into words at spaces and at separators (commas, semicolons, quotes,
brackets, 、 and 。: :data:`SEPARATORS`); punctuation between letters or digits (hyphens, dots,
slashes, ``&``, ``・`` ...) counts as a space; symbols (✓, ★, emoji: :data:`IGNORED_CATEGORIES`)
are ignored. Stored text gets the same treatment (:func:`search_key`). Both sides are first
normalised by :func:`fusion_partners.search.text.match_key`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from fusion_partners.search.text import match_key, strip_invisible

__all__ = [
    "IGNORED_CATEGORIES",
    "SEPARATORS",
    "ignored_symbols",
    "query_key",
    "search_form",
    "search_key",
    "search_terms",
]

SEPARATORS = ',;"“”„«»「」『』【】〔〕〈〉《》()[]{}、。'
"""Characters that separate words in a search query as a space does (after NFKC, which turns
full-width ``，；＂（）`` and half-width ``｢｣､｡`` into these). Single quotes separate only at
the start or end of a word: inside one they are apostrophes (``Harbour's``)."""
_SEPARATOR_RE = re.compile("[" + re.escape(SEPARATORS) + "]+")
_EDGE_QUOTES = "'‘’`"


IGNORED_CATEGORIES = frozenset({"So", "Sk", "Me", "Co", "Cn"})
"""Unicode general categories a search ignores, as if they were not typed: other symbols
(``✓ ★ © ° ♪ 〒``, emoji, flags), modifier symbols (``^``, emoji skin tones), enclosing marks
(the keycap of ``1️⃣``), private-use and unassigned code points (icon fonts, emoji newer than
Python's Unicode tables). Applied after NFKC, so ``™`` (→ ``TM``) and ``①`` (→ ``1``) are text."""


def _is_word_char(ch: str) -> bool:
    """A letter, digit or combining mark (Unicode categories L*, N*, M*)."""
    return unicodedata.category(ch)[0] in "LNM"


def _drop_symbols(text: str) -> str:
    return "".join(ch for ch in text if unicodedata.category(ch) not in IGNORED_CATEGORIES)


def _break_inner_punctuation(word: str) -> str:
    """``word`` with each run of other characters between two letters or digits turned into
    one space (``remote-handling`` → ``remote handling``, ``r&d`` → ``r d``); punctuation at
    either end is kept."""
    if not any(_is_word_char(ch) for ch in word):
        return word
    start = next(i for i, ch in enumerate(word) if _is_word_char(ch))
    end = max(i for i, ch in enumerate(word) if _is_word_char(ch)) + 1
    middle, run = [], False
    for ch in word[start:end]:
        if _is_word_char(ch):
            middle.append(ch)
            run = False
        elif not run:
            middle.append(" ")
            run = True
    return word[:start] + "".join(middle) + word[end:]


def search_form(folded: str) -> str:
    """Already :func:`fold`-ed (or :func:`match_key`-ed) text in the form search compares:
    symbols of :data:`IGNORED_CATEGORIES` dropped, punctuation between letters or digits made
    a space (``x-ray`` → ``x ray``, ``u.k.`` → ``u k.``), runs of spaces made one.

    Applied to stored text by the build and to queries by :func:`search_terms`, so both sides
    agree."""
    words = _drop_symbols(folded).split()
    return " ".join(_break_inner_punctuation(w) for w in words)


@lru_cache(maxsize=262144)
def search_key(text: str | None) -> str:
    """:func:`match_key` then :func:`search_form`: how the build stores names, aliases,
    capability labels and searchable text (``Remote-handling ✓ Ltd`` → ``remote handling``)."""
    return search_form(match_key(text))


def _query_words(query: str | None) -> list[str]:
    """The words of a query as search compares them, in order, repeats kept: the query
    :func:`match_key`-ed, symbols dropped, split at spaces and :data:`SEPARATORS`, each word
    cut at punctuation between letters or digits, a piece of one letter or digit kept with
    its neighbours as a phrase (``r&d`` → ``r d``, ``x-ray`` → ``x ray``, ``t-15`` →
    ``t 15``, ``remote-handling`` → ``remote``, ``handling``), punctuation at the ends of
    words dropped. A query with no letter or digit gives its punctuation as written."""
    key = _drop_symbols(match_key(query))
    raw = [w for w in key.split(" ") if w]
    words: list[str] = []
    for word in raw:
        for piece in _SEPARATOR_RE.split(word):
            broken = _break_inner_punctuation(piece.strip(_EDGE_QUOTES))
            parts = ["".join(ch for ch in p if _is_word_char(ch)) for p in broken.split(" ")]
            parts = [p for p in parts if p]
            joined: list[str] = []
            for i, part in enumerate(parts):
                if joined and (len(part) == 1 or len(parts[i - 1]) == 1):
                    joined[-1] += " " + part
                else:
                    joined.append(part)
            words += joined
    if not words:  # only punctuation: search for it as written
        return raw
    return words


def search_terms(query: str | None) -> list[str]:
    """Split a user query into literal match terms (all must match).

    The query is :func:`match_key`-normalised, symbols (✓, ★, emoji:
    :data:`IGNORED_CATEGORIES`) are dropped, and it is split at spaces and at
    :data:`SEPARATORS` (``magnet, tokamak``, ``magnet,tokamak`` and ``magnet "tokamak"`` are
    the words ``magnet`` and ``tokamak``). Punctuation between letters or digits separates
    words as a space does (``remote-handling`` is ``remote`` and ``handling``), except that a
    single letter or digit stays with its neighbours as a phrase (``r&d`` → ``r d``,
    ``x-ray`` → ``x ray``; stored text reads the same, see :func:`search_form`); punctuation
    at the ends of words is dropped. A query made of nothing but punctuation is searched
    literally, word by word (``"`` finds text containing ``"``). Characters such as ``%``,
    ``_``, ``*`` and SQL keywords are never wildcards. Returns an empty list for a blank
    query (or one of symbols only); duplicates are dropped, order kept.
    """
    return list(dict.fromkeys(_query_words(query)))


def query_key(query: str | None) -> str:
    """The whole query as one string in search form (its words of :func:`search_terms`,
    repeats kept, single-spaced), for comparing with whole names."""
    return " ".join(_query_words(query))


def ignored_symbols(query: str | None) -> list[str]:
    """The symbols a search ignores in ``query`` (:data:`IGNORED_CATEGORIES`), as typed and
    in order, without repeats; an emoji sequence (flag, skin tone, emoji joined by a
    zero-width joiner) stays one item, and a keycap's mark is left to its digit (``1️⃣`` is
    searched as ``1`` and not reported). ``[]`` when there are none. For telling the user
    what the search left out."""
    found: list[str] = []
    run = ""
    for ch in f"{query or ''} ":
        nfkc = unicodedata.normalize("NFKC", ch)
        if (
            nfkc
            and all(unicodedata.category(c) in IGNORED_CATEGORIES for c in nfkc)
            or (run and not strip_invisible(ch))
        ):
            run += ch
            continue
        run = run.strip("\u200d\ufe0f")
        if any(unicodedata.category(c) != "Me" for c in run) and run not in found:
            found.append(run)
        run = ""
    return found
