"""Errors of the workspace store a user can cause or see.

Each is a :class:`WorkspaceError` carrying a catalogue key (``workspace.error.<key>``) and its
placeholders, so the page can say what happened in the user's language; nothing the user
typed is lost by the store (it raises before writing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class WorkspaceError(Exception):
    """A failure a user can cause or see; ``key`` names ``workspace.error.<key>`` in the
    message catalogue and ``values`` fills its placeholders."""

    key = "failed"

    def __init__(self, detail: str = "", **values: Any):
        super().__init__(detail or self.key)
        self.values = values


class Unavailable(WorkspaceError):
    """The workspace database cannot be reached or opened."""

    key = "unavailable"


class Busy(WorkspaceError):
    """Every connection of the pool stayed in use for :data:`~fusion_partners.workspace.engine.POOL_TIMEOUT` seconds."""

    key = "busy"


class NotFound(WorkspaceError):
    """An unknown or malformed shortlist link, or a row that no longer exists."""

    key = "not_found"


class Revoked(WorkspaceError):
    """A shortlist link that was revoked."""

    key = "revoked"


class ReadOnly(WorkspaceError):
    """A change through a view-only link."""

    key = "read_only"


class Conflict(WorkspaceError):
    """Someone else changed the row since it was read; ``current`` holds the row now."""

    key = "conflict"

    def __init__(self, detail: str = "", current: Mapping[str, Any] | None = None, **values: Any):
        super().__init__(detail, **values)
        self.current = dict(current or {})


class AlreadyDecided(WorkspaceError):
    """A correction another editor decided (or is applying) already."""

    key = "already_decided"


class AlreadyRequested(WorkspaceError):
    """The same introduction (shortlist, candidate and council) was asked for before;
    ``request`` holds the earlier request (its ``id`` and ``created_at``)."""

    key = "already_requested"

    def __init__(self, request: Mapping[str, Any]):
        super().__init__(f"request {request.get('id')}", id=request.get("id"))
        self.request = dict(request)


class Invalid(WorkspaceError):
    """A value that cannot be stored: ``key`` says which rule (too long, bad URL, …)."""

    def __init__(self, key: str, **values: Any):
        super().__init__(key, **values)
        self.key = key


class RateLimited(WorkspaceError):
    """Too many anonymous submissions; ``minutes`` until the next is accepted."""

    key = "rate_limited"
