"""Possible duplicates: which organisations a name may be the same as (for the user to decide).

Two rules, one never overruling the other:

* **Never merge on generic words.** A name's *distinctive key* is its match key
  (:func:`text.match_key`: widths, case, kana and corporate forms folded) without the words
  of :data:`GENERIC_WORDS` ("Fusion", "Energy", "Engineering", "核融合", ...). Names whose
  distinctive keys are empty, or share nothing, are never proposed.
* **Propose what is probably the same organisation** (same country only):

  - *containment*: one distinctive key is equal to the other or begins it — as whole
    words for Latin text ("First Light" and "First Light Fusion Ltd", whose distinctive parts
    are both "first light"; "Astral" and "Astral Neutronics"), as one segment of at least two
    characters for Japanese ("東芝" and "東芝エネルギーシステムズ"); or
  - *fuzzy*: the distinctive keys overlap (rapidfuzz ``partial_ratio`` ≥ 80), carry the
    same numbers ("Test Org 01" is not "Test Org 02") and the whole names score at least
    :data:`DUPLICATE_SCORE` (rapidfuzz ``token_sort_ratio``, 0–100; catches typos such as
    "Tokamak Enrgy").

English names are compared with English names, Japanese with Japanese.

Comparing every row with every name would cost rows × names (a 130,000-row file against
itself is 8·10⁹ pairs), so names are *blocked* (the standard record-linkage technique;
Christen, *Data Matching*, Springer 2012, ch. 4): a name is filed under its country and
its distinctive tokens — Latin words of three or more letters, the first four characters of
the key (so a typo in a later word still meets), and character bigrams of Japanese text —
and a row is scored only against names sharing one of its blocks. Very common blocks
(more than :data:`MAX_BLOCK` names) are skipped; another block of the same name still finds
a true match.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from .text import match_key, name_key

GENERIC_WORDS: tuple[str, ...] = (
    "fusion", "energy", "energies", "engineering", "engineers", "technologies", "technology", "tech",
    "systems", "system", "solutions", "industries", "industry", "international", "group", "holdings",
    "company", "services", "power", "science", "sciences", "research", "innovation", "innovations",
    "global", "uk", "japan", "the", "and", "of", "&",
    "フュージョン", "エネルギー", "エンジニアリング", "テクノロジーズ", "テクノロジー", "システムズ", "システム",
    "ジャパン", "グループ", "ホールディングス", "核融合", "技術", "工業", "産業", "研究所",
)
"""Words that never identify an organisation on their own (a match needs something else)."""

DUPLICATE_SCORE = 85.0
"""Fuzzy score (rapidfuzz ``token_sort_ratio``, 0–100) from which a same-country name is
proposed as a possible duplicate (with overlapping distinctive parts)."""

OVERLAP_SCORE = 80.0
"""rapidfuzz ``partial_ratio`` (0–100) the distinctive parts must reach for a fuzzy match."""

MAX_BLOCK = 2000
"""A block holding more names than this is too common to narrow anything and is skipped."""

NAME_COLUMNS = ("name_en", "name_ja")

_GENERIC_LATIN = sorted((w for w in GENERIC_WORDS if re.match(r"^[a-z&]+$", w)), key=len, reverse=True)
_GENERIC_OTHER = sorted((w for w in GENERIC_WORDS if not re.match(r"^[a-z&]+$", w)), key=len, reverse=True)
_LATIN_RE = re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(w) for w in _GENERIC_LATIN) + r")(?![a-z0-9])")
_NUMBER_RE = re.compile(r"\d+")
_SEPARATORS = re.compile(r"[\s\-~.,'’\"/()・:;!?]+")


@lru_cache(maxsize=65536)
def distinctive_key(name: str) -> str:
    """The name without corporate forms and generic words, single-spaced.

    ``"Astral Fusion Energy Ltd"`` → ``"astral"``; ``"Fusion Energy Ltd"`` → ``""``;
    ``"株式会社サンプル核融合"`` → ``"さんぷる"`` (katakana folded to hiragana).
    """
    key = match_key(name, long_vowels=False)
    key = _LATIN_RE.sub(" ", key)
    for word in _GENERIC_OTHER:
        key = key.replace(_generic_key(word), " ")
    return _SEPARATORS.sub(" ", key).strip()


@lru_cache(maxsize=64)
def _generic_key(word: str) -> str:
    return match_key(word, long_vowels=False)


_full_key = lru_cache(maxsize=65536)(lambda name: match_key(name, long_vowels=False))


def _is_latin(text: str) -> bool:
    return text.isascii()


def contains(part: str, whole: str) -> bool:
    """True when distinctive key ``part`` begins ``whole`` (see module docstring).

    Latin text must match whole words (``"first light"`` begins ``"first light labs"``, not
    ``"first lighting"``) and have four or more letters; other text (Japanese, which has no
    spaces between words) must be one segment of at least two characters beginning a
    segment of ``whole`` (``"東芝"`` begins ``"東芝えねるぎー"``; ``"東京 大学"`` left by removing
    ``工業`` from ``東京工業大学`` is two segments and begins nothing).
    """
    if not part or not whole or part == whole:
        return bool(part) and part == whole
    if _is_latin(part) and _is_latin(whole):
        return len(part.replace(" ", "")) >= 4 and f"{whole} ".startswith(f"{part} ")
    return " " not in part and len(part) >= 2 and any(seg.startswith(part) for seg in whole.split(" "))


def _blocks(dist: str) -> set[str]:
    """Blocking keys of a distinctive key (see module docstring)."""
    out: set[str] = set()
    compact = dist.replace(" ", "")
    if len(compact) >= 2:
        out.add("^" + compact[:4])
    for word in dist.split():
        if _is_latin(word):
            if len(word) >= 3:
                out.add(word)
        else:
            out.update(word[i:i + 2] for i in range(max(1, len(word) - 1)))
    return out


@dataclass(frozen=True)
class Match:
    """A possible duplicate: ``ref`` is what the caller filed the name under (an organisation
    id, a row number), ``name`` the name that matched, ``score`` rapidfuzz ``token_sort_ratio``
    of the whole names (0–100), ``how`` ``"same"`` (equal :func:`text.name_key`),
    ``"contains"`` or ``"fuzzy"``."""

    ref: Hashable
    name: str
    score: float
    how: str


def compare(name: str, other: str) -> Match | None:
    """How ``name`` matches ``other`` (``ref`` left empty), or ``None`` when it does not.

    Names equal after :func:`text.name_key` give ``how="same"`` even when made of generic words
    only (the caller decides whether that may merge automatically: see
    :func:`fusion_partners.importer.plan`).
    """
    from rapidfuzz import fuzz

    if not name or not other:
        return None
    full, other_full = _full_key(name), _full_key(other)
    score = float(fuzz.token_sort_ratio(full, other_full))
    if name_key(name) == name_key(other):
        return Match("", other, 100.0, "same")
    dist, other_dist = distinctive_key(name), distinctive_key(other)
    if not (dist and other_dist):
        return None
    if contains(dist, other_dist) or contains(other_dist, dist):
        return Match("", other, score, "contains")
    if _NUMBER_RE.findall(dist) != _NUMBER_RE.findall(other_dist):
        return None  # "Unit 1" and "Unit 2" are different organisations, however close
    if score >= DUPLICATE_SCORE and fuzz.partial_ratio(dist, other_dist) >= OVERLAP_SCORE:
        return Match("", other, score, "fuzzy")
    return None


class NameIndex:
    """Names filed by country and blocking key, for :meth:`matches` (see module docstring)."""

    def __init__(self) -> None:
        self._blocks: dict[tuple[str, str, str], list[tuple[Hashable, str]]] = defaultdict(list)
        self._exact: dict[tuple[str, str, str], list[tuple[Hashable, str]]] = defaultdict(list)

    def add(self, ref: Hashable, country: str, names: Mapping[str, str]) -> None:
        """File ``names`` (``{"name_en": ..., "name_ja": ...}``) under ``ref`` and ``country``."""
        for col in NAME_COLUMNS:
            name = (names.get(col) or "").strip()
            if not name:
                continue
            key = name_key(name)
            if key:
                self._exact[(country, col, key)].append((ref, name))
            for block in _blocks(distinctive_key(name)):
                self._blocks[(country, col, block)].append((ref, name))

    def matches(self, country: str, names: Mapping[str, str], limit: int = 3) -> list[Match]:
        """Filed names of ``country`` that may be the same organisation as ``names``.

        Returns at most ``limit`` :class:`Match` per distinct ``ref``, equal names first, then
        by score (highest first).
        """
        best: dict[Hashable, Match] = {}
        for col in NAME_COLUMNS:
            name = (names.get(col) or "").strip()
            if not name:
                continue
            seen: set[tuple[Hashable, str]] = set()
            pool: list[tuple[Hashable, str]] = list(self._exact.get((country, col, name_key(name)), ()))
            for block in _blocks(distinctive_key(name)):
                entries = self._blocks.get((country, col, block), ())
                if len(entries) <= MAX_BLOCK:
                    pool.extend(entries)
            for ref, other in pool:
                if (ref, other) in seen:
                    continue
                seen.add((ref, other))
                m = compare(name, other)
                if m is None:
                    continue
                m = Match(ref, other, m.score, m.how)
                old = best.get(ref)
                if old is None or _rank(m) < _rank(old):
                    best[ref] = m
        return sorted(best.values(), key=_rank)[:limit]


def _rank(m: Match) -> tuple[int, float, str]:
    return (0 if m.how == "same" else 1, -m.score, str(m.ref))


def index_organisations(orgs: Iterable[Mapping[str, str]]) -> NameIndex:
    """A :class:`NameIndex` of roster rows, filed under their ``id``."""
    index = NameIndex()
    for org in orgs:
        index.add(org["id"], org["country"], org)
    return index
