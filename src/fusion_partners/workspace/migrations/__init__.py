"""Alembic migrations of the workspace store (applied at start by :func:`fusion_partners.workspace.store.open_workspace`)."""
