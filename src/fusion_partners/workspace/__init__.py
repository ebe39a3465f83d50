"""The workspace: what users write (shortlists with notes and statuses, introduction
requests to the councils, corrections and suggested organisations, editor lockouts and
the editor log), kept in SQLite by default or PostgreSQL when shared.

The curated roster is *not* here: it stays in ``data/*.csv``; an accepted correction is
written there through :mod:`fusion_partners.workspace.apply` and the crash-safe write path
(:mod:`fusion_partners.data.transaction`), with history and undo like an import.
"""

from fusion_partners.workspace.engine import workspace_url
from fusion_partners.workspace.errors import (
    AlreadyDecided,
    AlreadyRequested,
    Busy,
    Conflict,
    Invalid,
    NotFound,
    RateLimited,
    ReadOnly,
    Revoked,
    Unavailable,
    WorkspaceError,
)
from fusion_partners.workspace.shortlists import Opened
from fusion_partners.workspace.store import Workspace, open_workspace

__all__ = [
    "AlreadyDecided",
    "AlreadyRequested",
    "Busy",
    "Conflict",
    "Invalid",
    "NotFound",
    "Opened",
    "RateLimited",
    "ReadOnly",
    "Revoked",
    "Unavailable",
    "Workspace",
    "WorkspaceError",
    "open_workspace",
    "workspace_url",
]
