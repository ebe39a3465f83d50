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
itself is 8·10⁹ pairs), so a row is compared only with names found by *indexing*
(the standard record-linkage technique; Christen, *Data Matching*, Springer 2012, ch. 4),
per country and name column:

* equal and containing names exactly, by dictionary look-ups: a name is filed under its
  :func:`text.name_key`, its distinctive key and every prefix of that key the containment
  rule accepts (word prefixes of Latin text, character prefixes of each Japanese segment);
  a row looks up its own keys there, and its own prefixes among the distinctive keys;
* near names (typos) through *blocks*: Latin words of three or more letters, the first four
  characters of the key and character bigrams of Japanese text. Only the two smallest of a
  row's blocks are read, and only when they hold at most :data:`MAX_BLOCK` names (a block as
  common as "Precision" narrows nothing). A typo is looked for where it can be found cheaply;
  equal and containing names are always found.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz as _fuzz

from fusion_partners.search.text import match_key, name_key

GENERIC_WORDS: tuple[str, ...] = (
    "fusion",
    "energy",
    "energies",
    "engineering",
    "engineers",
    "technologies",
    "technology",
    "tech",
    "systems",
    "system",
    "solutions",
    "industries",
    "industry",
    "international",
    "group",
    "holdings",
    "company",
    "services",
    "power",
    "science",
    "sciences",
    "research",
    "innovation",
    "innovations",
    "global",
    "uk",
    "japan",
    "the",
    "and",
    "of",
    "&",
    "フュージョン",
    "エネルギー",
    "エンジニアリング",
    "テクノロジーズ",
    "テクノロジー",
    "システムズ",
    "システム",
    "ジャパン",
    "グループ",
    "ホールディングス",
    "核融合",
    "技術",
    "工業",
    "産業",
    "研究所",
)
"""Words that never identify an organisation on their own (a match needs something else)."""

DUPLICATE_SCORE = 85.0
"""Fuzzy score (rapidfuzz ``token_sort_ratio``, 0–100) from which a same-country name is
proposed as a possible duplicate (with overlapping distinctive parts)."""

OVERLAP_SCORE = 80.0
"""rapidfuzz ``partial_ratio`` (0–100) the distinctive parts must reach for a fuzzy match."""

MAX_BLOCK = 64
"""A block holding more names than this is too common to narrow the search for near names
and is not read (equal and containing names are found by exact look-ups regardless)."""

NAME_COLUMNS = ("name_en", "name_ja")

_GENERIC_LATIN = sorted(
    (w for w in GENERIC_WORDS if re.match(r"^[a-z&]+$", w)), key=len, reverse=True
)
_GENERIC_OTHER = sorted(
    (w for w in GENERIC_WORDS if not re.match(r"^[a-z&]+$", w)), key=len, reverse=True
)
_LATIN_RE = re.compile(
    r"(?<![a-z0-9])(?:" + "|".join(re.escape(w) for w in _GENERIC_LATIN) + r")(?![a-z0-9])"
)
_NUMBER_RE = re.compile(r"\d+")
_SEPARATORS = re.compile(r"[\s\-~.,'’\"/()・:;!?]+")


@lru_cache(maxsize=262144)
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


_full_key = lru_cache(maxsize=262144)(lambda name: match_key(name, long_vowels=False))


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
    return (
        " " not in part and len(part) >= 2 and any(seg.startswith(part) for seg in whole.split(" "))
    )


@lru_cache(maxsize=262144)
def _blocks(dist: str) -> frozenset[str]:
    """Blocking keys of a distinctive key for near (fuzzy) matches (see module docstring)."""
    out: set[str] = set()
    compact = dist.replace(" ", "")
    if len(compact) >= 2:
        out.add("^" + compact[:4])
    for word in dist.split():
        if _is_latin(word):
            if len(word) >= 3:
                out.add(word)
        else:
            out.update(word[i : i + 2] for i in range(max(1, len(word) - 1)))
    return frozenset(out)


@lru_cache(maxsize=262144)
def _prefixes(dist: str) -> frozenset[str]:
    """Every key a shorter distinctive key must equal to begin ``dist`` (see :func:`contains`):
    its proper word prefixes, and the character prefixes (two or more) of each segment."""
    words = dist.split(" ")
    out = {" ".join(words[:k]) for k in range(1, len(words))}
    if not _is_latin(dist):  # the segment rule applies only where Japanese text is involved
        for seg in words:
            out.update(seg[:k] for k in range(2, len(seg) + 1))
    out.discard(dist)
    return frozenset(out)


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


_name_key = lru_cache(maxsize=262144)(name_key)


@dataclass(frozen=True)
class _Keys:
    name: str
    same: str  # text.name_key
    full: str  # match key (corporate forms removed)
    dist: str  # distinctive key
    numbers: tuple[str, ...]

    @classmethod
    @lru_cache(maxsize=262144)
    def of(cls, name: str) -> _Keys:
        dist = distinctive_key(name)
        return cls(name, _name_key(name), _full_key(name), dist, tuple(_NUMBER_RE.findall(dist)))


def _compare(a: _Keys, b: _Keys) -> tuple[float, str] | None:
    if a.same and a.same == b.same:
        return 100.0, "same"
    if not (a.dist and b.dist) or a.numbers != b.numbers:
        return None  # generic words only; or "Unit 1" and "Unit 2", however close
    if contains(a.dist, b.dist) or contains(b.dist, a.dist):
        return float(_fuzz.token_sort_ratio(a.full, b.full)), "contains"
    score = _fuzz.token_sort_ratio(a.full, b.full, score_cutoff=DUPLICATE_SCORE)
    if score and _fuzz.partial_ratio(a.dist, b.dist, score_cutoff=OVERLAP_SCORE):
        return float(score), "fuzzy"
    return None


def compare(name: str, other: str) -> Match | None:
    """How ``name`` matches ``other`` (``ref`` left empty), or ``None`` when it does not.

    Names equal after :func:`text.name_key` give ``how="same"`` even when made of generic words
    only (the caller decides whether that may merge automatically: see
    :func:`fusion_partners.importing.planner.plan`).
    """
    if not name or not other:
        return None
    found = _compare(_Keys.of(name), _Keys.of(other))
    return Match("", other, *found) if found else None


_Entry = tuple[Hashable, _Keys]


class NameIndex:
    """Names filed by country, name column and key, for :meth:`matches` (see module docstring)."""

    def __init__(self) -> None:
        self._same: dict[tuple, list[_Entry]] = defaultdict(list)
        self._dist: dict[tuple, list[_Entry]] = defaultdict(list)
        self._prefix: dict[tuple, list[_Entry]] = defaultdict(list)
        self._blocks: dict[tuple, list[_Entry]] = defaultdict(list)

    def add(self, ref: Hashable, country: str, names: Mapping[str, str]) -> None:
        """File ``names`` (``{"name_en": ..., "name_ja": ...}``) under ``ref`` and ``country``."""
        for col in NAME_COLUMNS:
            name = (names.get(col) or "").strip()
            if not name:
                continue
            keys = _Keys.of(name)
            entry = (ref, keys)
            if keys.same:
                self._same[(country, col, keys.same)].append(entry)
            if keys.dist:
                self._dist[(country, col, keys.dist)].append(entry)
                for prefix in _prefixes(keys.dist):
                    self._prefix[(country, col, prefix)].append(entry)
                for block in _blocks(keys.dist):
                    self._blocks[(country, col, block)].append(entry)

    def _pools(self, country: str, col: str, mine: _Keys) -> list[list[_Entry]]:
        pools = [self._same.get((country, col, mine.same), [])]
        if not mine.dist:
            return pools
        pools.append(self._dist.get((country, col, mine.dist), []))
        pools.append(
            self._prefix.get((country, col, mine.dist), [])
        )  # longer names beginning like mine
        pools += [
            self._dist.get((country, col, p), []) for p in _prefixes(mine.dist)
        ]  # shorter ones
        blocks = sorted(
            (self._blocks.get((country, col, b), []) for b in _blocks(mine.dist)), key=len
        )
        pools += [blk for blk in blocks[:2] if len(blk) <= MAX_BLOCK]
        return pools

    def matches(self, country: str, names: Mapping[str, str], limit: int = 3) -> list[Match]:
        """Filed names of ``country`` that may be the same organisation as ``names``.

        Returns at most ``limit`` :class:`Match` (one per distinct ``ref``), equal names first,
        then by score (highest first).
        """
        best: dict[Hashable, Match] = {}
        for col in NAME_COLUMNS:
            name = (names.get(col) or "").strip()
            if not name:
                continue
            mine = _Keys.of(name)
            seen: set[int] = set()
            for pool in self._pools(country, col, mine):
                for ref, keys in pool:
                    if id(keys) in seen:
                        continue
                    seen.add(id(keys))
                    found = _compare(mine, keys)
                    if found is None:
                        continue
                    m = Match(ref, keys.name, *found)
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
