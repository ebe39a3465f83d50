"""Initial workspace schema: shortlists and their links and entries, the browsers that
opened them, introduction requests, corrections, editor lockouts and the editor log.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from fusion_partners.workspace.schema import NAME_MAX, URL_MAX

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shortlists",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(NAME_MAX), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False, server_default="en"),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "shortlist_links",
        sa.Column("token", sa.String(64), primary_key=True),
        sa.Column(
            "shortlist_id",
            sa.Integer,
            sa.ForeignKey("shortlists.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("access", sa.String(8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )

    op.create_table(
        "shortlist_entries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "shortlist_id",
            sa.Integer,
            sa.ForeignKey("shortlists.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("entry_key", sa.String(400), nullable=False),
        sa.Column(
            "entry", sa.Text, nullable=False
        ),  # JSON: the suggestion when added (score, reason, weights)
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String(20), nullable=False, server_default="to_contact"),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("shortlist_id", "entry_key", name="uq_entry_per_shortlist"),
    )

    op.create_table(
        "browser_shortlists",
        sa.Column(
            "browser", sa.String(64), primary_key=True
        ),  # SHA-256 of the browser's random key
        sa.Column(
            "token",
            sa.String(64),
            sa.ForeignKey("shortlist_links.token", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "intro_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("council", sa.String(32), nullable=False),
        sa.Column(
            "shortlist_id",
            sa.Integer,
            sa.ForeignKey("shortlists.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("start_id", sa.String(120), nullable=False, server_default=""),
        sa.Column("start_name", sa.String(NAME_MAX), nullable=False, server_default=""),
        sa.Column("candidate_id", sa.String(120), nullable=False),
        sa.Column("candidate_name", sa.String(NAME_MAX), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False, server_default=""),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("requester_name", sa.String(NAME_MAX), nullable=False),
        sa.Column("requester_org", sa.String(NAME_MAX), nullable=False, server_default=""),
        sa.Column("requester_email", sa.String(NAME_MAX), nullable=False),
        sa.Column("message", sa.Text, nullable=False, server_default=""),
        sa.Column("lang", sa.String(8), nullable=False, server_default="en"),
        sa.Column("client", sa.String(64), nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False, server_default="new"),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(NAME_MAX), nullable=False, server_default=""),
    )

    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),  # correction | new_organisation
        sa.Column("org_id", sa.String(120), nullable=False, server_default=""),
        sa.Column("field", sa.String(40), nullable=False, server_default=""),
        sa.Column("proposed", sa.Text, nullable=False),  # the value, or JSON of a new organisation
        sa.Column("source_url", sa.String(URL_MAX), nullable=False),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("submitter", sa.String(NAME_MAX), nullable=False, server_default=""),
        sa.Column("lang", sa.String(8), nullable=False, server_default="en"),
        sa.Column("client", sa.String(64), nullable=False, server_default=""),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("decided_by", sa.String(NAME_MAX), nullable=False, server_default=""),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text, nullable=False, server_default=""),
        sa.Column("applied_ref", sa.String(120), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )

    op.create_table(
        "lockouts",
        sa.Column("scope", sa.String(80), primary_key=True),  # "all" or "client:<sha256>"
        sa.Column("failures", sa.Integer, nullable=False, server_default="0"),
        sa.Column("lockouts", sa.Integer, nullable=False, server_default="0"),
        sa.Column(
            "locked_until", sa.Float, nullable=False, server_default="0"
        ),  # Unix time, seconds
        sa.Column(
            "last_wrong", sa.String(64), nullable=False, server_default=""
        ),  # SHA-256 of the last wrong value
        sa.Column("window_start", sa.Float, nullable=False, server_default="0"),
    )

    op.create_table(
        "editor_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("editor", sa.String(NAME_MAX), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("target", sa.String(200), nullable=False, server_default=""),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_entries_shortlist", "shortlist_entries", ["shortlist_id"])
    op.create_index("ix_links_shortlist", "shortlist_links", ["shortlist_id"])
    op.create_index("ix_requests_status", "intro_requests", ["status", "created_at"])
    op.create_index("ix_corrections_status", "corrections", ["status", "created_at"])
    op.create_index("ix_corrections_client", "corrections", ["client", "created_at"])
    op.create_index("ix_requests_client", "intro_requests", ["client", "created_at"])


def downgrade() -> None:
    for name in (
        "editor_log",
        "lockouts",
        "corrections",
        "intro_requests",
        "browser_shortlists",
        "shortlist_entries",
        "shortlist_links",
        "shortlists",
    ):
        op.drop_table(name)
