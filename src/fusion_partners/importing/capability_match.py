"""Match free-text capabilities of a spreadsheet to taxonomy slugs.

Free text is split on ``|``, ``;``, ``、`` or new lines (:func:`split_terms`), each term matched
to taxonomy slugs — exactly (slug, English or Japanese label) or by a ranked fuzzy score
(rapidfuzz ``WRatio`` over the labels and their parts, 0–100; :class:`CapabilityMatcher`).
Terms are folded as search folds them (:func:`text.fold`) and the search synonyms apply
(``data/search_synonyms.csv``): ``超伝導`` is scored as ``超電導`` too, so it finds the label
``超電導マグネット・線材``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from fusion_partners.search.text import fold

AUTO_SCORE = 86.0
"""Fuzzy score (0–100) from which the top suggestion is preselected for the user."""
SUGGEST_SCORE = 60.0
"""Lowest fuzzy score shown as a suggestion."""

_TERM_SPLIT = re.compile(r"[|;；｜、\n]+")


def split_terms(text: str) -> list[str]:
    """Split a capabilities cell into terms (``|``, ``;``, ``、``, new line), order kept."""
    out: list[str] = []
    for part in _TERM_SPLIT.split(unicodedata.normalize("NFC", text or "")):
        part = part.strip()
        if part and part not in out:
            out.append(part)
    return out


_LATIN_WORD = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


class CapabilityMatcher:
    """Ranked suggestions of taxonomy slugs for free-text capability terms."""

    def __init__(
        self, taxonomy: Iterable[Mapping[str, str]], synonyms: Iterable[Sequence[str]] = ()
    ):
        """``taxonomy``: rows with ``slug``, ``label_en``, ``label_ja`` (``capabilities.csv``);
        ``synonyms``: groups of equivalent words (``search_synonyms.csv``, see
        :func:`load.search_synonyms`), so a term is also scored with each equivalent written
        in (:meth:`variants`)."""
        self.groups: list[list[str]] = [
            [k for k in dict.fromkeys(fold(t) for t in g) if k] for g in synonyms
        ]
        self.slugs: list[str] = []
        self._exact: dict[str, str] = {}
        self._choices: list[str] = []
        self._owner: list[str] = []
        for row in taxonomy:
            if row.get("parent"):
                continue  # leaves: imports map free text to capability groups
            slug = row["slug"]
            self.slugs.append(slug)
            for text in (
                slug,
                slug.replace("_", " "),
                row.get("label_en", ""),
                row.get("label_ja", ""),
            ):
                if text:
                    self._exact.setdefault(fold(text), slug)
            for text in (slug.replace("_", " "), row.get("label_en", ""), row.get("label_ja", "")):
                for piece in [text, *re.split(r"\s*(?:[,/()・]|\band\b)\s*", text)]:
                    key = fold(piece)
                    if len(key) >= 2:
                        self._choices.append(key)
                        self._owner.append(slug)

    def variants(self, term: str) -> list[str]:
        """``term`` folded (:func:`text.fold`), then with each synonym it contains replaced by
        the other members of its group: a Japanese member anywhere (``超伝導マグネット`` →
        ``超電導マグネット``, ``超伝導磁石``...), a Latin one as a whole word. At most 32."""
        key = fold(term)
        if not key:
            return []
        out = [key]
        for group in self.groups:
            for member in group:
                if _LATIN_WORD.fullmatch(member):
                    pattern = re.compile(rf"(?<![a-z0-9]){re.escape(member)}(?![a-z0-9])")
                else:
                    pattern = re.compile(re.escape(member))
                for seen in list(out):
                    if pattern.search(seen):
                        out += [pattern.sub(other, seen) for other in group if other != member]
        return list(dict.fromkeys(out))[:32]

    def suggest(self, term: str, limit: int = 3) -> list[tuple[str, float]]:
        """Up to ``limit`` ``(slug, score)`` pairs, best first (score 100 = exact); each slug
        scores its best over the term's :meth:`variants`."""
        keys = self.variants(term)
        if not keys:
            return []
        for key in keys:
            if key in self._exact:
                return [(self._exact[key], 100.0)]
        from rapidfuzz import fuzz, process

        best: dict[str, float] = {}
        for key in keys:
            for _, score, idx in process.extract(key, self._choices, scorer=fuzz.WRatio, limit=40):
                slug = self._owner[idx]
                if score >= SUGGEST_SCORE and score > best.get(slug, 0):
                    best[slug] = float(score)
        return sorted(best.items(), key=lambda kv: (-kv[1], self.slugs.index(kv[0])))[:limit]

    def auto(self, term: str) -> str:
        """The slug preselected for ``term`` (exact, or top score ≥ :data:`AUTO_SCORE`), else ``""``."""
        ranked = self.suggest(term, 2)
        if not ranked or ranked[0][1] < AUTO_SCORE:
            return ""
        if len(ranked) > 1 and ranked[1][1] == ranked[0][1] and ranked[0][1] < 100:
            return ""  # a tie is the user's call
        return ranked[0][0]
