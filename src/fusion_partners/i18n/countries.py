"""Country names, chips and codes from pycountry (ISO 3166-1).

Japanese names come from pycountry's gettext catalogue (domain ``iso3166-1``, ``ja``),
except where a reviewed short common name is listed below (every country the roster uses).
Lookups never raise: an unknown code is shown as itself.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry

# Reviewed names, used instead of the catalogue's (and when it has no entry). Japanese names
# are the short common names Japanese business and government texts use (外務省「国・地域」
# pages, newspapers): 英国, 米国, オーストラリア, 韓国 rather than the catalogue's formal or odd
# forms (オーストラリア連邦, 大韓民国 (韓国), タニザニア連合共和国, 中国領・台湾). Every country in
# data/organisations.csv is listed so its name cannot change with a pycountry upgrade; a test
# checks that.
_FALLBACK_NAMES = {
    "en": {"GB": "United Kingdom", "JP": "Japan"},
    "ja": {
        # countries in the shipped roster
        "AT": "オーストリア",
        "AU": "オーストラリア",
        "BE": "ベルギー",
        "CA": "カナダ",
        "CN": "中国",
        "DE": "ドイツ",
        "ES": "スペイン",
        "FR": "フランス",
        "GB": "英国",
        "IT": "イタリア",
        "JP": "日本",
        "SE": "スウェーデン",
        "SG": "シンガポール",
        "US": "米国",
        # likely additions whose catalogue name is formal or wrong
        "IR": "イラン",
        "KP": "北朝鮮",
        "KR": "韓国",
        "LA": "ラオス",
        "MD": "モルドバ",
        "RU": "ロシア",
        "SY": "シリア",
        "TW": "台湾",
        "TZ": "タンザニア",
        "VA": "バチカン",
        "VE": "ベネズエラ",
    },
}


# English names as they read inside a sentence, for countries whose name takes the definite
# article ("No organisation in the United Kingdom matches", not "in United Kingdom"). Kept to
# the common cases: names that are plural or describe a union, republic or group of islands.
# Labels, table cells and chart legends keep the bare name (country_name).
_IN_TEXT_NAMES = {
    "en": {
        "AE": "the United Arab Emirates",
        "BS": "the Bahamas",
        "CD": "the Democratic Republic of the Congo",
        "CF": "the Central African Republic",
        "DO": "the Dominican Republic",
        "FO": "the Faroe Islands",
        "GB": "the United Kingdom",
        "GM": "the Gambia",
        "KY": "the Cayman Islands",
        "MH": "the Marshall Islands",
        "MV": "the Maldives",
        "NL": "the Netherlands",
        "PH": "the Philippines",
        "SB": "the Solomon Islands",
        "US": "the United States",
        "VA": "the Holy See",
    },
}


@lru_cache(maxsize=8)
def _catalogue(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    except OSError:
        return gettext.NullTranslations()


@lru_cache(maxsize=1024)
def country_name(code: str, lang: str = "en") -> str:
    """Name of ISO 3166-1 alpha-2 ``code`` in ``lang`` (``"en"`` or ``"ja"``).

    A reviewed name (``_FALLBACK_NAMES``) wins; otherwise English uses pycountry's common
    name when it has one (``South Korea``), Japanese the ``iso3166-1`` gettext catalogue, and
    the English name when the catalogue has no entry. Unknown codes are returned unchanged.
    """
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    if country is None:
        return code or ""
    english = getattr(country, "common_name", None) or country.name
    if lang == "en":
        return _FALLBACK_NAMES["en"].get(country.alpha_2, english)
    translated = _catalogue(lang).gettext(country.name)
    if translated == country.name:
        return _FALLBACK_NAMES.get(lang, {}).get(country.alpha_2, english)
    return _FALLBACK_NAMES.get(lang, {}).get(country.alpha_2, translated)


def country_in_text(code: str, lang: str = "en") -> str:
    """Name of ``code`` as it reads inside a sentence in ``lang``: ``the United Kingdom``,
    ``the Netherlands``, ``Japan`` (English names that take the article carry it); the same as
    :func:`country_name` in Japanese and for every other country."""
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    if country is not None and country.alpha_2 in _IN_TEXT_NAMES.get(lang, {}):
        return _IN_TEXT_NAMES[lang][country.alpha_2]
    return country_name(code, lang)


CHIP_CODES = {"GB": "UK"}
"""Short codes users read in a country chip where they differ from ISO 3166-1 alpha-2 (the UK
is "UK" in everyday use, GB only in ISO lists)."""

CHIP_COLOURS = {"JP": "red", "GB": "blue"}
"""Streamlit badge colour of each country chip, after the chart colours (Japan vermillion,
the UK blue); other countries are grey."""


def country_chip(code: str) -> str:
    """Short text code for a country chip: ``JP``, ``UK`` for GB, else the upper-case code
    (``""`` for an empty code).

    Plain letters instead of regional-indicator flag emoji, which many desktops (Windows,
    most Linux browsers) show as two boxed letters or blanks.
    """
    code = (code or "").strip().upper()
    return CHIP_CODES.get(code, code)


def country_badge(code: str, lang: str = "en") -> str:
    """The country as a coloured Streamlit Markdown badge with its name, e.g.
    ``:blue-badge[UK] United Kingdom``, for text rendered as Markdown (labels, captions).
    Plain-text places (select boxes, table cells, files) use :func:`country_label`."""
    chip = country_chip(code)
    if not chip:
        return ""
    colour = CHIP_COLOURS.get((code or "").strip().upper(), "gray")
    return f":{colour}-badge[{chip}] {country_name(code, lang)}"


def country_label(code: str, lang: str = "en") -> str:
    """The country's name as a plain-text label (select boxes, table cells, exports), e.g.
    ``Japan`` or ``英国``: no flag emoji, which many desktops cannot draw."""
    return country_name(code, lang)


def alpha3(code: str) -> str | None:
    """ISO 3166-1 alpha-3 code for an alpha-2 code, or ``None``."""
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    return country.alpha_3 if country else None
