"""Country names, flags and codes from pycountry (ISO 3166-1).

Japanese names come from pycountry's gettext catalogue (domain ``iso3166-1``, ``ja``).
Lookups never raise: an unknown code is shown as itself.
"""

from __future__ import annotations

import gettext
from functools import lru_cache

import pycountry

# Names used when a catalogue has no entry (explicit, reviewed fallbacks).
_FALLBACK_NAMES = {
    "en": {"GB": "United Kingdom", "JP": "Japan"},
    "ja": {"GB": "英国", "JP": "日本"},
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

    Uses the common name when pycountry has one (English); unknown codes are returned
    unchanged.
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


def flag(code: str) -> str:
    """Regional-indicator flag emoji for ``code`` ('' for an unknown code)."""
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    return getattr(country, "flag", "") if country else ""


def country_label(code: str, lang: str = "en") -> str:
    """Flag plus name, e.g. ``🇯🇵 Japan``."""
    mark = flag(code)
    return f"{mark} {country_name(code, lang)}".strip()


def alpha3(code: str) -> str | None:
    """ISO 3166-1 alpha-3 code for an alpha-2 code, or ``None``."""
    country = pycountry.countries.get(alpha_2=(code or "").upper())
    return country.alpha_3 if country else None
