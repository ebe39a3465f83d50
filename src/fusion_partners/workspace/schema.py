"""Limits and vocabularies of the workspace store.

The tables themselves are defined once, by the versioned Alembic migrations under
``migrations/versions``; the store reflects them from the database after migrating, so
there is no second copy of the schema to drift.

Times are UTC, stored as timezone-aware timestamps. Every table users write to has an
integer ``version`` that each update increments, so two people editing the same row are
detected (optimistic concurrency: ``UPDATE … WHERE id = :id AND version = :seen``).
"""

from __future__ import annotations

TEXT_MAX = 5_000
"""Most characters in one note, message, comment or proposed value."""
NAME_MAX = 200
"""Most characters in a shortlist name, person's name, organisation name or e-mail address."""
URL_MAX = 2_000
"""Most characters in a source URL."""

ENTRY_STATUSES: tuple[str, ...] = (
    "to_contact",
    "contacted",
    "meeting_held",
    "partnering",
    "not_a_fit",
)
"""Where a shortlisted candidate stands, in the order a partnership progresses."""
REQUEST_STATUSES: tuple[str, ...] = ("new", "forwarded", "done", "declined")
"""Status of an introduction request on the editors' page."""
CORRECTION_STATUSES: tuple[str, ...] = ("pending", "accepted", "rejected")
"""Status of a submitted correction or organisation suggestion."""
ACCESS: tuple[str, ...] = ("edit", "view")
"""What a shortlist link allows."""
