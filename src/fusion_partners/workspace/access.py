"""Editor access: checking the editor token, with a lockout against guessing.

The token is compared in constant time (:func:`hmac.compare_digest`, so the time taken does
not reveal how many leading characters were right) after trimming surrounding whitespace
(a token pasted from an e-mail often carries a trailing space or line break).

Repeated wrong tokens lock the check for a while, per session: after :data:`MAX_TRIES`
wrong tokens in a row the check is refused for :data:`LOCK_SECONDS`, doubling with each
further lockout up to :data:`MAX_LOCK_SECONDS` (the usual throttling of online guessing,
OWASP Authentication Cheat Sheet, "Login Throttling"). A lockout never sleeps the server:
the caller is told how many seconds are left. While locked, even the right token is not
checked. Only a *new* wrong value counts (an interface re-checks the same field on every
rerun).
"""

from __future__ import annotations

import hmac
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

MAX_TRIES = 5
LOCK_SECONDS = 30.0
MAX_LOCK_SECONDS = 15 * 60.0


@dataclass(frozen=True)
class Verdict:
    """Outcome of :func:`check_token`: ``status`` is ``empty``, ``ok``, ``wrong`` or
    ``locked``; ``seconds`` the whole seconds left of a lockout (0 otherwise); ``tries_left``
    the wrong tokens still allowed before a lockout."""

    status: str
    seconds: int = 0
    tries_left: int = MAX_TRIES


def tokens_match(entered: str, token: str) -> bool:
    """True when ``entered`` equals ``token`` after trimming both (constant-time compare)."""
    a, b = (entered or "").strip(), (token or "").strip()
    return bool(b) and hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def check_token(entered: str, token: str, state: MutableMapping[str, Any], now: float) -> Verdict:
    """Check ``entered`` against ``token``, counting wrong tries in ``state``.

    Args:
        entered: what the user typed.
        token: the configured token (non-empty).
        state: a per-session mapping this function keeps its counters in (keys
            ``failures``, ``lockouts``, ``locked_until``, ``last_wrong``).
        now: the current time in seconds (``time.monotonic()``; injected so tests need no clock).

    Returns:
        A :class:`Verdict`.
    """
    locked_until = float(state.get("locked_until", 0.0))
    if now < locked_until:
        return Verdict("locked", int(locked_until - now + 0.999), 0)
    value = (entered or "").strip()
    if not value:
        return Verdict("empty", tries_left=MAX_TRIES - int(state.get("failures", 0)))
    if tokens_match(value, token):
        state.update(failures=0, lockouts=0, last_wrong="")
        return Verdict("ok")
    failures = int(state.get("failures", 0))
    if value != state.get("last_wrong"):
        failures += 1
        state.update(failures=failures, last_wrong=value)
    if failures >= MAX_TRIES:
        lockouts = int(state.get("lockouts", 0)) + 1
        seconds = min(LOCK_SECONDS * 2 ** (lockouts - 1), MAX_LOCK_SECONDS)
        state.update(failures=0, lockouts=lockouts, locked_until=now + seconds)
        return Verdict("locked", int(seconds), 0)
    return Verdict("wrong", tries_left=MAX_TRIES - failures)
