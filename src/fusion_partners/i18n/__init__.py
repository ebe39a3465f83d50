"""Message catalogue (English and Japanese) and locale-aware formatting (Babel).

Messages live in gettext PO files under ``locales/<lang>/`` with dotted keys as message
ids, read with Babel. Each feature has its own file (``core.po``, ``partners.po``, ...);
the files of one language are merged, and a key defined twice is an error. Placeholders use ``str.format`` names:
``t("explore.count", "ja", n=3, total=10)``.
"""

from __future__ import annotations

import datetime as dt
import decimal
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _format_date
from babel.dates import format_skeleton
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

LANGUAGES: tuple[str, ...] = ("en", "ja")
DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
BABEL_LOCALES = {"en": "en_GB", "ja": "ja_JP"}
"""Babel locale used to format numbers and dates for each interface language."""


def _locale(lang: str) -> Locale:
    return Locale.parse(BABEL_LOCALES.get(lang, BABEL_LOCALES[DEFAULT_LANGUAGE]))


class MissingMessage(KeyError):
    """A message key is in neither the requested nor the default catalogue."""


@lru_cache(maxsize=4)
def catalogue(lang: str) -> dict[str, str]:
    """All messages of ``lang`` as ``{key: text}`` (raises ``ValueError`` for other languages)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    messages: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / lang).glob("*.po")):
        with path.open("rb") as fh:
            cat = read_po(fh, locale=lang)
        for m in cat:
            if not (m.id and isinstance(m.id, str) and m.string and isinstance(m.string, str)):
                continue
            if m.id in messages:
                raise ValueError(f"message {m.id!r} is defined twice ({path.name})")
            messages[m.id] = m.string
    return messages


def normalise_language(value: str | None) -> str:
    """Map a language tag (``ja-JP``, ``en_GB``, ``JA``) to a supported language, else English."""
    if not value:
        return DEFAULT_LANGUAGE
    primary = str(value).replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The message ``key`` in ``lang``, formatted with ``values``.

    Falls back to English when ``lang`` lacks the key.

    Raises:
        MissingMessage: when no catalogue has ``key``.
    """
    lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key)
    if text is None:
        raise MissingMessage(key)
    return text.format(**values) if values else text


def t_md(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """Like :func:`t`, for Markdown output: every value is escaped first
    (:func:`markup.escape_markdown`), so names, searches and file text show literally while the
    catalogue's own Markdown (``**bold**``) still works."""
    from fusion_partners.i18n.markup import escape_markdown

    return t(key, lang, **{k: escape_markdown(v, single_line=True) for k, v in values.items()})


def plural_key(key: str, n: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``key + ".one"`` when ``n`` is 1 and ``lang`` has that message, else ``key``.

    The catalogue's plain key holds the general (plural) wording and ``<key>.one`` the
    singular, as in CLDR's English plural rules (one: n = 1; other: everything else); a
    Japanese message needs no singular form, so its ``.one`` repeats the general text.
    """
    return f"{key}.one" if n == 1 and has(f"{key}.one", lang) else key


def tn(key: str, count: int, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """:func:`t` with the singular or plural wording for ``count`` (see :func:`plural_key`)."""
    return t(plural_key(key, count, lang), lang, **values)


def tn_md(key: str, count: int, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """:func:`t_md` with the singular or plural wording for ``count``."""
    return t_md(plural_key(key, count, lang), lang, **values)


def has(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    """True when ``key`` exists in ``lang``'s catalogue."""
    return key in catalogue(lang)


def format_number(value: float | int, lang: str = DEFAULT_LANGUAGE, fmt: str | None = None) -> str:
    """Locale-formatted number (``1,234`` in both English and Japanese). A value the locale
    format cannot hold (``1e300``: Babel's decimal quantising overflows; infinity, NaN) is
    written in Python's general format (``1e+300``, ``inf``) instead of raising."""
    try:
        return format_decimal(value, format=fmt, locale=_locale(lang))
    except (decimal.InvalidOperation, ArithmeticError, ValueError):
        return f"{value:g}"


def format_date(value: dt.date | str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """Locale-formatted date; accepts ``YYYY-MM-DD``, ``YYYY-MM`` (month shown) or a date.

    Returns ``""`` for empty input and the input unchanged when it cannot be parsed.
    """
    if value is None or value == "":
        return ""
    locale = _locale(lang)
    if isinstance(value, dt.date):
        return _format_date(value, format="medium", locale=locale)
    text = str(value)
    try:
        if len(text) == 7:
            day = dt.date.fromisoformat(text + "-01")
            return format_skeleton("yMMM", day, locale=locale)
        return _format_date(dt.date.fromisoformat(text[:10]), format="medium", locale=locale)
    except ValueError:
        return text
