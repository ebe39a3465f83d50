"""Text normalisation for matching (search and de-duplication).

Stored and displayed text is never rewritten: these functions produce *match keys* only.

The rules follow common practice for Japanese/English name matching:

* invisible characters removed (zero-width space and joiners, soft hyphen, byte-order mark,
  bidirectional controls, variation selectors: Unicode's default-ignorable code points), so
  text pasted from web pages and PDFs matches what it shows;
* Unicode NFKC (folds full-width Latin and half-width katakana, ``㈱`` → ``(株)``);
* kanji variants that romanisation cannot read are written in their common form
  (``髙`` → ``高``, ``﨑`` → ``崎``, see :data:`KANJI_VARIANTS`);
* case folding (``str.casefold``);
* katakana folded to hiragana, so ``ヘリカル`` and ``へりかる`` compare equal;
* the ideographic space and other separators become one ASCII space;
* look-alike dashes (hyphen, en/em dash, minus, full-width hyphen) become ``-``;
  the wave dash and full-width tilde become ``~``;
* Latin diacritics are dropped (``Kyōto`` → ``kyoto``) and long vowels written out in
  Hepburn romanisation are collapsed (``kyouto`` → ``kyoto``), applied identically to
  both sides of a comparison;
* legal forms are removed (株式会社, 有限会社, 合同会社, (株), (有), Ltd, Limited, Co.,
  Inc., K.K., plc, LLC, Corporation, GmbH): the one list of them is :data:`LEGAL_FORMS`,
  which also says where the partner finder drops them.

How a search query is split into words, and stored text into the same words, is
:mod:`fusion_partners.search.terms`; readings of Japanese names (pykakasi) are
:mod:`fusion_partners.search.reading`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

__all__ = [
    "KANJI_VARIANTS",
    "LEGAL_FORMS",
    "LegalForm",
    "expand_corporate_abbreviations",
    "fold",
    "has_japanese_script",
    "legal_form_patterns",
    "match_key",
    "name_key",
    "single_line",
    "strip_corporate_forms",
    "strip_invisible",
]

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2043\ufe58\ufe63\uff0d"
_WAVES = "\u301c\uff5e\u223c"
_TRANSLATE = {ord(c): "-" for c in _DASHES} | {ord(c): "~" for c in _WAVES}
_KATAKANA_START, _KATAKANA_END = 0x30A1, 0x30F6
_SPACE_RE = re.compile(r"\s+")

# Unicode's default-ignorable code points (DerivedCoreProperties.txt, Default_Ignorable_Code_Point):
# format characters that draw nothing — soft hyphen, combining grapheme joiner, Hangul fillers,
# zero-width space/non-joiner/joiner, left-to-right and right-to-left marks, bidirectional
# embeddings, overrides and isolates, word joiner, invisible operators, variation selectors,
# the byte-order mark, tags.
_INVISIBLE_RE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# Line breaks, tabs and other control characters (Unicode category Cc) and any whitespace.
_CONTROL_OR_SPACE_RE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")

KANJI_VARIANTS: dict[str, str] = {
    "髙": "高",  # はしご高 (髙島屋, 髙田)
    "﨑": "崎",  # たつさき (山﨑)
    "𠮷": "吉",  # つちよし (𠮷野)
    "濵": "濱",
    "槗": "橋",
    "瀨": "瀬",
    "栁": "柳",
    "﨔": "欅",
    "𡈽": "土",
}
"""Kanji variants (異体字) common in company and family names that NFKC leaves alone and
pykakasi cannot read, each with the form it can (``髙田`` would otherwise romanise as ``da``
or nothing). Applied when folding and before romanising, so ``高田`` finds ``髙田`` and an id
made from ``㈱髙田製作所`` keeps ``takada``."""
_VARIANTS_TABLE = str.maketrans(KANJI_VARIANTS)

_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"), ("aa", "a"), ("ii", "i"), ("ee", "e"))


def _strip_marks(text: str) -> str:
    """Drop combining marks from Latin letters (ō → o) but keep Japanese voicing marks."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    for ch in decomposed:
        if unicodedata.combining(ch) and ch not in "\u3099\u309a":
            continue
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def _kata_to_hira(text: str) -> str:
    return "".join(
        chr(ord(ch) - 0x60) if _KATAKANA_START <= ord(ch) <= _KATAKANA_END else ch for ch in text
    )


def _collapse_long_vowels(text: str) -> str:
    for long, short in _LONG_VOWELS:
        text = text.replace(long, short)
    return text


_JAPANESE_SCRIPT_RE = re.compile(
    "[\u3005\u3006\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f]"
)


def has_japanese_script(text: object) -> bool:
    """True when ``text`` holds hiragana, katakana (full or half width) or kanji."""
    return bool(text) and _JAPANESE_SCRIPT_RE.search(str(text)) is not None


def strip_invisible(text: str) -> str:
    """``text`` without invisible format characters (zero-width space, joiners, soft hyphen,
    byte-order mark, bidirectional controls, variation selectors; Unicode's default-ignorable
    code points)."""
    return _INVISIBLE_RE.sub("", text)


def single_line(text: object) -> str:
    """``text`` as one line: invisible characters removed (:func:`strip_invisible`), every run
    of whitespace or control characters (line breaks, tabs, ...) one space, ends stripped.

    For text taken from a URL or a file before it is shown or used as a search, so what a
    box shows and what is matched agree (``"magnet\\ntokamak"`` → ``"magnet tokamak"``).
    ``None`` gives ``""``.
    """
    if text is None:
        return ""
    return _CONTROL_OR_SPACE_RE.sub(" ", strip_invisible(str(text))).strip()


@lru_cache(maxsize=262144)
def fold(text: str | None, *, long_vowels: bool = True) -> str:
    """Fold ``text`` for literal comparison: invisible characters, NFKC, kanji variants,
    casefold, kana, dashes, spaces, marks.

    Args:
        text: any string (``None`` is treated as empty).
        long_vowels: collapse romanised long vowels (``ou`` → ``o`` ...), for search; off
            for de-duplication, where ``Fusionering`` must not equal ``Fusioneering``.

    Returns:
        The folded string, single-spaced and stripped. Corporate forms are kept.

    Results are cached (the same names are folded again and again when rows are matched).
    """
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", strip_invisible(str(text))).casefold()
    folded = folded.translate(_TRANSLATE).translate(_VARIANTS_TABLE)
    folded = _kata_to_hira(_strip_marks(folded))
    if long_vowels:
        folded = _collapse_long_vowels(folded)
    return _CONTROL_OR_SPACE_RE.sub(" ", folded).strip()


# --- legal forms ---------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalForm:
    """A legal form of organisation names (株式会社, Ltd, …) and the comparisons that leave it
    out. Every comparison that drops legal forms takes them from :data:`LEGAL_FORMS`."""

    form: str
    """Japanese: the form as written after NFKC (``株式会社``; ``㈱`` and ``（株）`` are
    ``(株)``). Latin: a regular expression of the form in lower case, as it stands after
    :func:`fold` (``ltd\\.?``); Python's ``re`` and DuckDB's RE2 read it alike."""
    search: bool = True
    """Left out of search and de-duplication keys, anywhere in a name
    (:func:`strip_corporate_forms`, :func:`match_key`, :func:`name_key`)."""
    display: bool = False
    """Left out at the start or end of a name a partner reason shows
    (:func:`fusion_partners.partners.reasons.short_name`)."""
    parent: bool = False
    """Left out at the end of an English name compared with the bracket of a unit of
    another organisation (the partner finder's roll-up of units into their parent,
    :mod:`fusion_partners.partners.organisation_sql`)."""
    sort: bool = False
    """Left out of a Japanese name when ordering (:func:`fusion_partners.search.reading.japanese_sort_key`)."""
    stands_for: str = ""
    """The written-out form of an abbreviation (``(株)`` → ``株式会社``)."""

    @property
    def japanese(self) -> bool:
        """True for a form written in Japanese (matched anywhere, as written)."""
        return has_japanese_script(self.form)

    @property
    def pattern(self) -> str:
        """The form as a regular expression."""
        return re.escape(self.form) if self.japanese else self.form


LEGAL_FORMS: tuple[LegalForm, ...] = (
    LegalForm("株式会社", display=True, sort=True),
    LegalForm("有限会社", display=True, sort=True),
    LegalForm("合同会社", display=True, sort=True),
    LegalForm("合資会社", sort=True),
    LegalForm("合名会社", sort=True),
    LegalForm("一般社団法人", sort=True),
    LegalForm("一般財団法人", sort=True),
    # forms of public and academic bodies: part of the name, except when ordering
    LegalForm("公益社団法人", search=False, sort=True),
    LegalForm("公益財団法人", search=False, sort=True),
    LegalForm("国立研究開発法人", search=False, sort=True),
    LegalForm("国立大学法人", search=False, sort=True),
    LegalForm("学校法人", search=False, sort=True),
    LegalForm("独立行政法人", search=False, sort=True),
    LegalForm("(株)", sort=True, stands_for="株式会社"),
    LegalForm("(有)", sort=True, stands_for="有限会社"),
    LegalForm("(同)", stands_for="合同会社"),
    LegalForm(r"k\.\s?k\.?", display=True),
    LegalForm("kk", display=True),
    LegalForm(r"co\.,?\s*ltd\.?", display=True, parent=True),
    LegalForm(r"co\."),  # "Mitsui & Co." keeps it on screen: "& Co." is part of the name
    LegalForm(r"ltd\.?", display=True, parent=True),
    LegalForm("limited", display=True, parent=True),
    LegalForm(r"inc\.?", display=True, parent=True),
    LegalForm("incorporated"),
    LegalForm("plc", display=True, parent=True),
    LegalForm("llc", display=True, parent=True),
    LegalForm(r"l\.l\.c\."),
    LegalForm("corporation", parent=True),  # on screen "Mitsubishi Corporation" stays whole
    LegalForm(r"corp\.?", parent=True),
    LegalForm("gmbh"),
    LegalForm(r"kabushiki\s+kaisha"),
)
"""The one list of legal forms, with where each is left out. A form another comparison
leaves out is always left out of search keys too, so a shortened name still finds its
organisation."""


def legal_form_patterns(use: str, *, japanese: bool) -> list[str]:
    """Regular expressions of the :data:`LEGAL_FORMS` left out in ``use`` (``"search"``,
    ``"display"``, ``"parent"`` or ``"sort"``: the flag of that name), Japanese or Latin, in
    list order."""
    return [f.pattern for f in LEGAL_FORMS if getattr(f, use) and f.japanese == japanese]


_JA_ABBREVIATIONS = tuple((f.form, f.stands_for) for f in LEGAL_FORMS if f.stands_for)
_JA_CORPORATE = re.compile("(" + "|".join(legal_form_patterns("search", japanese=True)) + ")")
_EN_CORPORATE = re.compile(  # Latin forms as whole words (after casefold)
    r"(?<![\w])(" + "|".join(legal_form_patterns("search", japanese=False)) + r")(?![\w])"
)


def strip_corporate_forms(folded: str) -> str:
    """Remove corporate forms from already :func:`fold`-ed text and re-space it."""
    text = _JA_CORPORATE.sub(" ", folded)
    text = _EN_CORPORATE.sub(" ", text)
    if text != folded:  # tidy only what the removal left behind ("foo, " / "( )")
        text = re.sub(r"\(\s*\)", " ", text)
        text = text.strip(" ,.・")
    return _SPACE_RE.sub(" ", text).strip()


def only_corporate_forms(text: str | None) -> bool:
    """True when ``text`` has words but all of them are corporate forms (株式会社, ㈱, Ltd, …),
    so that a name comparison that ignores those forms has nothing left to compare."""
    folded = fold(text)
    return bool(folded.strip()) and not strip_corporate_forms(
        expand_corporate_abbreviations(folded)
    )


def expand_corporate_abbreviations(folded: str) -> str:
    """Write abbreviated Japanese corporate forms out in already :func:`fold`-ed text:
    ``(株)`` (from ``㈱``, ``（株）``) → ``株式会社``, ``(有)`` → ``有限会社``, ``(同)`` → ``合同会社``."""
    for short, full in _JA_ABBREVIATIONS:
        folded = folded.replace(short, full)
    return folded


@lru_cache(maxsize=262144)
def match_key(text: str | None, *, long_vowels: bool = True) -> str:
    """The key used for search matching: :func:`fold` then corporate forms removed.

    If removing corporate forms would leave nothing (a query of just ``株式会社`` or ``㈱``),
    the folded text is returned instead, abbreviations written out
    (:func:`expand_corporate_abbreviations`), so the query still means something and
    ``㈱``, ``(株)`` and ``株式会社`` find the same names.
    """
    folded = fold(text, long_vowels=long_vowels)
    stripped = strip_corporate_forms(folded)
    return stripped or expand_corporate_abbreviations(folded)


@lru_cache(maxsize=262144)
def name_key(text: str | None) -> str:
    """The key used to compare organisation names for de-duplication.

    Like :func:`match_key` (without long-vowel folding), with punctuation and spaces removed
    so that ``Kyoto Fusioneering Ltd.`` and ``KYOTO FUSIONEERING`` give the same key.
    Parenthesised acronyms are kept (they often distinguish organisations).
    """
    key = match_key(text, long_vowels=False)
    return re.sub(r"[\s\-~.,'’\"&/()・:;!?]+", "", key)
