"""Map a user's spreadsheet onto the roster: columns, countries and regions.

* Columns: header text in English or Japanese and common synonyms (``組織名``,
  ``Organisation``, ``所在地``, ``Capabilities``...) → roster fields (:func:`guess_field`).
  A proposal only: the user confirms or changes it.
* Countries: ISO codes, English and Japanese names from pycountry (``iso3166-1``
  catalogue), ``UK``/``Great Britain``/``U.K.`` (not ISO names, listed here), and the UK
  nations (pycountry's GB subdivisions of type Country/Province: ``England`` → GB with
  region GB-ENG). Anything else is *unknown* and flagged; nothing is guessed.
* Regions: pycountry's subdivisions of the row's country by English or Japanese name
  (``iso3166-2`` catalogue), marks and long vowels folded (``Tōkyō`` → JP-13,
  ``京都府`` → JP-26).

Capability text is matched to the taxonomy by :mod:`fusion_partners.importing.capability_match`.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from fusion_partners.search.text import fold

FIELDS: tuple[str, ...] = (
    "name_en",
    "name_ja",
    "country",
    "region",
    "capabilities",
    "org_type",
    "website",
    "source_urls",
    "description_en",
    "evidence",
    "source_date",
    "membership",
    "membership_class",
    "confidence",
    "company_number",
)
"""Roster fields a column can map to (``region`` fills ``prefecture_or_city``;
``company_number`` is shown in the preview but not stored: the roster has no such column)."""

NAME_FIELDS = frozenset({"name_en", "name_ja"})

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name_en": (
        "name_en",
        "name",
        "english name",
        "name english",
        "name en",
        "organisation",
        "organization",
        "organisation name",
        "organization name",
        "company",
        "company name",
        "member",
        "member name",
        "member organisation",
        "英語名",
        "英文名",
        "英文社名",
        "英語表記",
        "名称英語",
        "組織名英語",
    ),
    "name_ja": (
        "name_ja",
        "japanese name",
        "name japanese",
        "name ja",
        "組織名",
        "会社名",
        "企業名",
        "団体名",
        "名称",
        "社名",
        "法人名",
        "会員名",
        "組織名日本語",
        "名称日本語",
    ),
    "country": (
        "country",
        "nation",
        "country code",
        "country name",
        "国",
        "国名",
        "国地域",
        "国・地域",
    ),
    "region": (
        "region",
        "location",
        "place",
        "city",
        "town",
        "prefecture",
        "county",
        "prefecture_or_city",
        "prefecture or city",
        "地域",
        "所在地",
        "都道府県",
        "所在地都道府県",
        "住所",
        "本社所在地",
    ),
    "capabilities": (
        "capabilities",
        "capability",
        "technology",
        "technologies",
        "technical area",
        "technical areas",
        "expertise",
        "services",
        "field",
        "fields",
        "技術分野",
        "分野",
        "技術",
        "事業分野",
        "得意分野",
        "専門分野",
    ),
    "org_type": (
        "org_type",
        "type",
        "organisation type",
        "organization type",
        "category",
        "種別",
        "組織種別",
    ),
    "website": (
        "website",
        "web site",
        "url",
        "homepage",
        "web",
        "ホームページ",
        "ウェブサイト",
        "hp",
    ),
    "source_urls": (
        "source_urls",
        "source",
        "sources",
        "source url",
        "source urls",
        "出典",
        "情報源",
        "出典url",
    ),
    "description_en": ("description_en", "description", "about", "summary", "概要", "説明"),
    "evidence": ("evidence", "notes", "note", "根拠", "備考"),
    "source_date": ("source_date", "date", "as of", "日付", "時点"),
    "membership": ("membership", "council", "所属"),
    "membership_class": (
        "membership_class",
        "membership class",
        "member class",
        "class",
        "membership type",
        "会員種別",
        "会員区分",
    ),
    "confidence": ("confidence", "確度"),
    "company_number": (
        "company number",
        "company no",
        "companies house number",
        "registration number",
        "corporate number",
        "法人番号",
        "会社番号",
    ),
}


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-().（）・:：/]+", "", fold(text))


_HEADER_INDEX: dict[str, str] = {_header_key(s): f for f, syns in _SYNONYMS.items() for s in syns}


def guess_field(header: str) -> str:
    """The roster field a column header most likely means, or ``""``.

    Example: ``"組織名"`` → ``"name_ja"``, ``"Organisation Name"`` → ``"name_en"``.
    """
    return _HEADER_INDEX.get(_header_key(header), "")


def guess_mapping(header: Sequence[str]) -> dict[int, str]:
    """Proposed ``{column index: field}`` for a header; each field used at most once."""
    out: dict[int, str] = {}
    for i, h in enumerate(header):
        f = guess_field(h)
        if f and f not in out.values():
            out[i] = f
    return out


# --- countries -----------------------------------------------------------------------------

_COUNTRY_ALIASES = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "英国": "GB",
    "イギリス": "GB",
}
"""Common names that are not ISO 3166 names (the ISO code for the United Kingdom is GB)."""


def _country_key(text: str) -> str:
    return re.sub(r"\s+", " ", fold(text).replace(".", " ")).strip().replace(" ", "")


@lru_cache(maxsize=1)
def _country_index() -> dict[str, tuple[str, str]]:
    """folded name → (alpha-2, region code or "")."""
    ja = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ja"], fallback=True)
    index: dict[str, tuple[str, str]] = {}
    for c in pycountry.countries:
        names = [
            c.alpha_2,
            c.alpha_3,
            c.name,
            getattr(c, "common_name", ""),
            getattr(c, "official_name", ""),
        ]
        names.append(ja.gettext(c.name))
        for n in names:
            if n:
                index.setdefault(_country_key(n), (c.alpha_2, ""))
    for alias, code in _COUNTRY_ALIASES.items():
        index[_country_key(alias)] = (code, "")
    for sub in pycountry.subdivisions.get(country_code="GB") or []:
        if sub.type in ("Country", "Province"):
            for n in _subdivision_names(sub.name):
                index.setdefault(_country_key(n), ("GB", sub.code))
    return index


@dataclass(frozen=True)
class CountryMatch:
    """Result of :func:`map_country`: ``code`` is ISO alpha-2 or ``""`` (unknown/empty)."""

    code: str
    region_code: str = ""
    known: bool = True


@lru_cache(maxsize=4096)
def map_country(text: str) -> CountryMatch:
    """Map a written country to ISO 3166-1 alpha-2 (and a UK nation to its region code).

    ``"Japan "``, ``"JAPAN"``, ``"日本"``, ``"JP"`` → JP; ``"UK"``, ``"U.K."``,
    ``"Great Britain"`` → GB; ``"England"`` → GB + GB-ENG. Empty text gives
    ``CountryMatch("", known=True)``; anything else unknown gives ``known=False``.
    """
    if not (text or "").strip():
        return CountryMatch("")
    hit = _country_index().get(_country_key(text))
    if hit is None:
        return CountryMatch("", "", known=False)
    return CountryMatch(hit[0], hit[1])


def _subdivision_names(name: str) -> list[str]:
    """``"Wales [Cymru GB-CYM]"`` → ``["Wales", "Cymru"]``; ``"A; B"`` → ``["A", "B"]``."""
    parts = re.split(r"[;\[\]]", name)
    out = []
    for p in parts:
        p = re.sub(r"\b[A-Z]{2}-[A-Z0-9]+\b", "", p).strip()
        if p:
            out.append(p)
    return out


_JA_PREF_SUFFIX = ("都", "道", "府", "県")


@lru_cache(maxsize=64)
def _region_index(country: str) -> dict[str, str]:
    ja = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ja"], fallback=True)
    index: dict[str, str] = {}
    for sub in pycountry.subdivisions.get(country_code=country) or []:
        names = _subdivision_names(sub.name)
        local = ja.gettext(sub.name)
        if local != sub.name:
            names.append(local)
            names += [local + s for s in _JA_PREF_SUFFIX]
        for n in names:
            index.setdefault(_country_key(n), sub.code)
    return index


def map_region(text: str, country: str) -> str:
    """ISO 3166-2 code of a written region in ``country`` (``""`` when not recognised)."""
    if not (text or "").strip() or not country:
        return ""
    return _region_index(country).get(_country_key(text), "")
