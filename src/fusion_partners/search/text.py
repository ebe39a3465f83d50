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
* corporate forms are removed (株式会社, 有限会社, 合同会社, (株), (有), Ltd, Limited, Co.,
  Inc., K.K., plc, LLC, Corporation, GmbH).

A search query is split into words at spaces and at separators (commas, semicolons, quotes,
brackets, 、 and 。: :data:`SEPARATORS`); punctuation between letters or digits (hyphens, dots,
slashes, ``&``, ``・`` ...) counts as a space; symbols (✓, ★, emoji: :data:`IGNORED_CATEGORIES`)
are ignored. Stored text gets the same treatment (:func:`search_key`); see :func:`search_terms`
and ``docs/search.md``.

Romanised readings of Japanese names come from pykakasi (Hepburn).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "IGNORED_CATEGORIES",
    "KANJI_VARIANTS",
    "SEPARATORS",
    "expand_corporate_abbreviations",
    "fold",
    "has_japanese_script",
    "ignored_symbols",
    "kana_reading",
    "match_key",
    "name_key",
    "query_key",
    "romanise",
    "search_form",
    "search_key",
    "search_terms",
    "single_line",
    "slugify",
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

SEPARATORS = ',;"“”„«»「」『』【】〔〕〈〉《》()[]{}、。'
"""Characters that separate words in a search query as a space does (after NFKC, which turns
full-width ``，；＂（）`` and half-width ``｢｣､｡`` into these). Single quotes separate only at
the start or end of a word: inside one they are apostrophes (``Harbour's``)."""
_SEPARATOR_RE = re.compile("[" + re.escape(SEPARATORS) + "]+")
_EDGE_QUOTES = "'‘’`"

# Abbreviated Japanese corporate forms (after NFKC: ㈱ and （株） are (株)) and what they stand for.
_JA_ABBREVIATIONS = (("(株)", "株式会社"), ("(有)", "有限会社"), ("(同)", "合同会社"))

# Japanese corporate forms (after NFKC: ㈱ → (株), （株） → (株)).
_JA_COMPANY_FORMS = (
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "一般社団法人",
    "一般財団法人",
)
_JA_CORPORATE = re.compile(
    "(" + "|".join(map(re.escape, (*_JA_COMPANY_FORMS, "(株)", "(有)", "(同)"))) + ")"
)
# Forms of public and academic bodies, left out only when ordering names (see japanese_sort_key).
_JA_INSTITUTION_FORMS = (
    "公益社団法人",
    "公益財団法人",
    "国立研究開発法人",
    "国立大学法人",
    "学校法人",
    "独立行政法人",
)
# Latin corporate forms as whole words (after casefold).
_EN_CORPORATE = re.compile(
    r"(?<![\w])(k\.\s?k\.?|kk|co\.,?\s*ltd\.?|co\.|ltd\.?|limited|inc\.?|incorporated|plc|llc|l\.l\.c\.|"
    r"corporation|corp\.?|gmbh|kabushiki\s+kaisha)(?![\w])"
)
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
            or (run and _INVISIBLE_RE.match(ch))
        ):
            run += ch
            continue
        run = run.strip("\u200d\ufe0f")
        if any(unicodedata.category(c) != "Me" for c in run) and run not in found:
            found.append(run)
        run = ""
    return found


@lru_cache(maxsize=1)
def _kakasi():
    import pykakasi

    return pykakasi.kakasi()


@lru_cache(maxsize=4096)
def romanise(text: str | None) -> str:
    """Hepburn romanisation of Japanese text via pykakasi (empty for empty input).

    Example: ``京都フュージョニアリング`` → ``kyouto fuyu-joniaringu``-like readings; the
    result is meant for :func:`fold` matching, not for display.
    """
    if not text:
        return ""
    return " ".join(p["hepburn"] for p in _reading(text) if p.get("hepburn")).strip()


@lru_cache(maxsize=4096)
def kana_reading(text: str | None) -> str:
    """The hiragana reading of Japanese text via pykakasi, segments joined without spaces
    (``古河電気工業`` → ``ふるかわでんきこうぎょう``), for search; empty for empty input.

    pykakasi's reading of a name is its best guess (a kanji name may be read another way by
    its owner), good enough for finding; Latin letters and digits pass through unchanged.
    """
    if not text:
        return ""
    return "".join(p["hira"] for p in _reading(text) if p.get("hira"))


@lru_cache(maxsize=4096)
def _reading(text: str) -> tuple[dict, ...]:
    """pykakasi's segments of ``text`` (each with ``hira``, ``hepburn``, …), kanji variants
    such as 髙 read as their common form first (pykakasi has no reading for them). Cached, so
    the romanised and the kana reading of a name cost one conversion; callers must not
    change the segments."""
    return tuple(_kakasi().convert(text.translate(_VARIANTS_TABLE)))


_JA_SORT_IGNORED = re.compile(
    "|".join(map(re.escape, (*_JA_COMPANY_FORMS, *_JA_INSTITUTION_FORMS, "(株)", "(有)")))
    + r"|[\s\u3000]"
)


_SMALL_KANA = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")


def japanese_sort_key(name_ja: str | None, name_en: str | None) -> str:
    """Sort key for lists in the Japanese interface (the order of a Japanese index).

    Organisations with a Japanese name come first (prefix ``0``), ordered as 五十音順 orders
    them (JIS X 4061 in outline): by the kana reading (pykakasi's hiragana) with legal forms
    such as 株式会社 or 国立大学法人 left out, voiced and small kana first compared as their
    plain forms (が next to か, ゃ as や) and the long-vowel mark ignored, then the exact reading
    breaking ties; names written in Latin letters (ANRI, EX-Fusion) sort A–Z before the kana,
    as in Japanese indexes. Organisations without a Japanese name follow in the order of their
    English name (prefix ``1``). The reading of a kanji name is pykakasi's best guess (大和 may
    read やまと where the company says だいわ), good enough for ordering.
    """
    ja = unicodedata.normalize("NFKC", name_ja or "").strip()
    if not ja:
        return "1" + (name_en or "").casefold()
    core = _JA_SORT_IGNORED.sub("", ja) or ja
    reading = "".join(p["hira"] for p in _reading(core)).casefold()
    plain = "".join(
        ch for ch in unicodedata.normalize("NFD", reading) if ch not in "\u3099\u309a\u30fc"
    )
    return "0" + plain.translate(_SMALL_KANA) + "\x00" + reading


def slugify(text: str) -> str:
    """ASCII slug for stable identifiers: lower case, ``a-z0-9`` and single hyphens.

    Japanese text is romanised first. Raises ``ValueError`` if nothing usable remains.
    """
    base = text
    if any(ord(ch) > 0x2E80 for ch in base):
        base = romanise(base)
    base = unicodedata.normalize("NFKD", base)
    base = base.encode("ascii", "ignore").decode().lower()
    base = base.replace("&", " and ")
    slug = re.sub(r"[^a-z0-9]+", "-", base).strip("-")
    if not slug:
        raise ValueError(f"cannot make an identifier from {text!r}")
    return slug
