"""Values the workspace stores: text cleaned and checked before writing, source URLs and
e-mail addresses checked, link tokens made, and client addresses and browser keys kept
only as pseudonyms (hashes). Pure functions, no database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from typing import Any
from urllib.parse import urlsplit

from fusion_partners.workspace.errors import Invalid
from fusion_partners.workspace.schema import NAME_MAX, TEXT_MAX, URL_MAX

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


def now_utc() -> dt.datetime:
    """The current time, UTC, timezone-aware."""
    return dt.datetime.now(dt.UTC)


def clean_text(value: object, *, field: str, limit: int = TEXT_MAX, required: bool = False) -> str:
    """``value`` as text to store: NUL characters removed (PostgreSQL cannot store them),
    surrounding whitespace trimmed, everything else kept as typed (scripts, formulas and
    right-to-left text are stored verbatim and made harmless where shown or exported).

    Raises:
        Invalid: ``too_long`` (values ``field``, ``n``, ``limit``) or ``required`` (``field``).
    """
    text = ("" if value is None else str(value)).replace("\x00", "").strip()
    if len(text) > limit:
        raise Invalid("too_long", field=field, n=len(text), limit=limit)
    if required and not text:
        raise Invalid("required", field=field)
    return text


def check_url(value: object, *, field: str = "source_url") -> str:
    """A source URL: ``http`` or ``https`` with a host, at most :data:`~.schema.URL_MAX` characters.

    Raises:
        Invalid: ``required``, ``too_long`` or ``bad_url``.
    """
    url = clean_text(value, field=field, limit=URL_MAX, required=True)
    try:
        parts = urlsplit(url)
    except ValueError:
        raise Invalid("bad_url", field=field) from None
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(c.isspace() for c in url)
    ):
        raise Invalid("bad_url", field=field)
    return url


def check_email(value: object) -> str:
    """An e-mail address (``name@host.tld``, no spaces or quotes).

    Raises:
        Invalid: ``required``, ``too_long`` or ``bad_email``.
    """
    email = clean_text(value, field="email", limit=NAME_MAX, required=True)
    if not EMAIL_RE.match(email):
        raise Invalid("bad_email", field="email")
    return email


def client_key(address: str | None) -> str:
    """A stable pseudonym of a client address (SHA-256, hex, 32 characters), so the
    store never keeps addresses; ``""`` for an unknown address."""
    return hashlib.sha256(f"fpf-client:{address}".encode()).hexdigest()[:32] if address else ""


def browser_key_hash(browser_key: str) -> str:
    """SHA-256 (hex) of a browser's random key, as stored in ``browser_shortlists``."""
    return hashlib.sha256(f"fpf-browser:{browser_key}".encode()).hexdigest()


def new_token() -> str:
    """An unguessable link token: 32 random bytes, URL-safe Base64 (43 characters)."""
    return secrets.token_urlsafe(32)


def row_dict(r: Any) -> dict[str, Any]:
    """A result row as a plain ``{column: value}`` dict."""
    return dict(r._mapping)
