"""“Did you mean”: spelling suggestions for a search that finds nothing.

The vocabulary is what users search for by name: organisation names in English and Japanese,
the readings of Japanese names (romanised and in hiragana), aliases (京大, 古河電工), and the
capability labels (groups and leaves) in both languages — see
:func:`fusion_partners.queries.search.search_vocabulary`. Everything is compared in the form
search compares (:func:`text.query_key`: widths, case, kana, corporate forms, punctuation and
symbols folded).

Two kinds of candidate, by rapidfuzz (0–100 scores):

* *whole query*: the query against every name and label (``ratio``), offered as the name or
  label as written (``Fujikra`` → ``Fujikura Ltd.``);
* *one word*: each word of the query against the words of the vocabulary (``ratio``; a
  Japanese word, having no spaces to end it, against the beginnings of Japanese names), the
  query offered as typed with the word corrected, the correction written as in the name or
  label it comes from (``furukowa cable`` → ``Furukawa cable``), symbols left out.

Candidates are offered best score first and only when they find something
(:func:`suggest` is given a way to count); the thresholds are :data:`PHRASE_CUTOFF` and
:data:`WORD_CUTOFF`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from fusion_partners.search.terms import ignored_symbols, query_key, search_terms
from fusion_partners.search.text import has_japanese_script, single_line

PHRASE_CUTOFF = 80.0
"""rapidfuzz ``ratio`` (0–100) a name or label must reach against the whole query."""
WORD_CUTOFF = 75.0
"""rapidfuzz ``ratio`` (0–100) a vocabulary word must reach against a word of the query
(one letter wrong in a word of eight scores 87.5, in a word of four 75)."""
MIN_WORD_LENGTH = 3
"""Words shorter than this are neither corrected nor offered as corrections."""
BEGINNING_LENGTHS = (3, 4, 5, 6, 7, 8)
"""Lengths of a Japanese query word compared with the beginnings of Japanese names
(``ふるかは`` with ``ふるかわ…``, the reading of 古河電気工業)."""
MAX_SUGGESTIONS = 5
"""Suggestions shown at most."""
MAX_CHECKS = 15
"""Candidates counted at most before giving up (each costs one count query)."""


@dataclass(frozen=True)
class Vocabulary:
    """What suggestions are drawn from.

    ``phrases``: ``(key, text)`` pairs — the :func:`text.query_key` of a name, reading, alias
    or label, and the text offered for it (the name or label as written). ``words``: the
    distinct words of the keys at least :data:`MIN_WORD_LENGTH` characters long, and
    ``word_sources`` (in the same order) the text of a phrase holding each, from which its
    spelling is taken (:meth:`written`).
    """

    phrases: tuple[tuple[str, str], ...] = ()
    words: tuple[str, ...] = ()
    word_sources: tuple[str, ...] = ()
    beginnings: tuple[tuple[int, tuple[tuple[str, str], ...]], ...] = ()
    """Japanese has no spaces between words, so a misspelt Japanese word is compared with the
    beginnings of Japanese names instead: ``(length, ((beginning, text), ...))`` for the
    lengths in :data:`BEGINNING_LENGTHS`."""

    @classmethod
    def build(cls, entries: Iterable[tuple[str, str]]) -> Vocabulary:
        """A vocabulary from ``(key, text)`` pairs (empty keys or texts are skipped; the first
        text of a key is kept)."""
        phrases: dict[str, str] = {}
        for key, text in entries:
            if key and text and key not in phrases:
                phrases[key] = text
        words: dict[str, str] = {}
        for key, text in phrases.items():
            for w in key.split(" "):
                if len(w) >= MIN_WORD_LENGTH:
                    words.setdefault(w, text)
        beginnings: dict[int, dict[str, str]] = {n: {} for n in BEGINNING_LENGTHS}
        for key, text in phrases.items():
            if has_japanese_script(key):
                for n in BEGINNING_LENGTHS:
                    if len(key) > n:
                        beginnings[n].setdefault(key[:n], text)
        return cls(
            tuple(phrases.items()),
            tuple(words),
            tuple(words.values()),
            tuple((n, tuple(b.items())) for n, b in beginnings.items()),
        )

    def written(self, i: int) -> str:
        """The ``i``-th of ``words`` as written in its source (``breding`` → ``breeding``,
        ``ふじくら`` → ``株式会社フジクラ``); the word itself when the source never writes it
        alone."""
        word = self.words[i]
        source = self.word_sources[i] if i < len(self.word_sources) else ""
        return _spellings(source, {}).get(word, word)


_WRITTEN_WORD = re.compile(r"[^\W_]+")


def _spellings(text: str, into: dict[str, str]) -> dict[str, str]:
    """``into`` with the key of each word of ``text`` mapped to the word as written (first
    spelling kept)."""
    for piece in _WRITTEN_WORD.findall(text or ""):
        key = query_key(piece)
        if key and " " not in key:
            into.setdefault(key, piece)
    return into


def candidates(query: str | None, vocabulary: Vocabulary) -> list[str]:
    """Spellings to offer instead of ``query``, best first, not yet checked for results.

    Returns texts to search for: names or labels as written (whole-query matches) and the
    query with one or more words corrected (word matches, in search form). Texts that search
    the same as the query, or as an earlier candidate, are left out. Empty for a blank query.
    """
    words = search_terms(query)
    if not words:
        return []
    whole = query_key(query)
    scored: list[tuple[float, int, str]] = []  # (score, kind: 0 phrase / 1 word, text)
    keys = [k for k, _ in vocabulary.phrases]
    for _, score, i in process.extract(
        whole, keys, scorer=fuzz.ratio, score_cutoff=PHRASE_CUTOFF, limit=MAX_CHECKS
    ):
        scored.append((score, 0, vocabulary.phrases[i][1]))
    fixes: dict[str, list[tuple[str, float]]] = {}
    for word in words:
        if len(word) < MIN_WORD_LENGTH or word in vocabulary.words:
            continue
        found = process.extract(
            word, vocabulary.words, scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=3
        )
        fixes[word] = [(vocabulary.written(i), score) for _, score, i in found]
        if has_japanese_script(word) and not fixes[word]:  # the beginning of a Japanese name?
            begins = dict(vocabulary.beginnings).get(len(word), ())
            found = process.extract(
                word, [b for b, _ in begins], scorer=fuzz.ratio, score_cutoff=WORD_CUTOFF, limit=3
            )
            fixes[word] = [(begins[i][1], score) for _, score, i in found]
    plain = single_line(query)
    for symbol in ignored_symbols(plain):
        plain = plain.replace(symbol, " ")

    def spell(chosen: dict[str, str]) -> str:  # the query as typed, corrections as written
        def fix(m: re.Match) -> str:
            return chosen.get(query_key(m.group(0)), m.group(0))

        return " ".join(_WRITTEN_WORD.sub(fix, plain).split())

    for word, alts in fixes.items():
        for alt, score in alts:
            scored.append((score, 1, spell({word: alt})))
    if len(fixes) > 1 and all(fixes.values()):  # every misspelt word at its best at once
        best = {word: alts[0] for word, alts in fixes.items()}
        mean = sum(score for _, score in best.values()) / len(best)
        scored.append((mean, 1, spell({w: alt for w, (alt, _) in best.items()})))
    seen = {whole}
    out: list[str] = []
    for _, _, text in sorted(scored, key=lambda s: (-s[0], s[1])):
        key = query_key(text)
        if key and key not in seen:
            seen.add(key)
            out.append(text)
    return out


def suggest(
    query: str | None,
    vocabulary: Vocabulary,
    count: Callable[[str], int],
    limit: int = MAX_SUGGESTIONS,
) -> list[str]:
    """The first ``limit`` :func:`candidates` for which ``count(text)`` (the number of
    organisations a search for ``text`` finds, with whatever other filters apply) is above
    zero; at most :data:`MAX_CHECKS` candidates are counted."""
    out: list[str] = []
    if limit <= 0:
        return out
    for text in candidates(query, vocabulary)[:MAX_CHECKS]:
        if count(text) > 0:
            out.append(text)
            if len(out) >= limit:
                break
    return out
