"""Readings of Japanese text (pykakasi, Hepburn) and what is made from them: romanised and
kana readings for search, the order of a Japanese index, and ASCII identifiers.

A reading is pykakasi's best guess (a kanji name may be read another way by its owner), good
enough for finding and ordering. Kanji variants pykakasi cannot read are read as their common
form first (:data:`fusion_partners.search.text.KANJI_VARIANTS`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from fusion_partners.search.text import KANJI_VARIANTS, legal_form_patterns

_VARIANTS_TABLE = str.maketrans(KANJI_VARIANTS)


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


_JA_SORT_IGNORED = re.compile("|".join(legal_form_patterns("sort", japanese=True)) + r"|[\s\u3000]")


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
