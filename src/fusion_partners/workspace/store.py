"""The workspace store: everything users write (shortlists, notes, introduction requests,
corrections, editor lockouts, the editor log), on SQLite or PostgreSQL through one API.

:class:`Workspace` gathers the queries of each concept: :mod:`~.shortlists`,
:mod:`~.introductions`, :mod:`~.corrections` and :mod:`~.editors`, on the tables and
transactions of :mod:`~.base`; :func:`open_workspace` connects and migrates
(:mod:`~.engine`). Errors users can cause are in :mod:`~.errors`.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa

from fusion_partners.workspace.corrections import CorrectionStore
from fusion_partners.workspace.editors import EditorStore
from fusion_partners.workspace.engine import make_engine, migrate, redacted
from fusion_partners.workspace.errors import Unavailable
from fusion_partners.workspace.introductions import IntroductionStore
from fusion_partners.workspace.shortlists import ShortlistStore


class Workspace(ShortlistStore, IntroductionStore, CorrectionStore, EditorStore):
    """Queries of the workspace store. Thread-safe (each call takes its own pooled connection)."""


def open_workspace(url: str) -> Workspace:
    """Connect to the workspace at ``url``, migrate it to the newest schema, and return it.

    Raises:
        Unavailable: the database cannot be reached, opened or migrated (the message names
            the URL without its password).
    """
    try:
        engine = make_engine(url)
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        migrate(engine)
        meta = sa.MetaData()
        meta.reflect(bind=engine)
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        raise Unavailable(f"{redacted(url)}: {type(exc).__name__}: {exc}".splitlines()[0]) from exc
    return Workspace(engine, meta)
