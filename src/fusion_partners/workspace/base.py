"""What every part of the workspace store shares: the tables, one short transaction per
call, the editor log line a decision writes, and the hourly limit on anonymous submissions.

Concurrency: every row users edit has a ``version``; an update names the version it saw
and changes nothing when someone else changed the row first (:class:`~.errors.Conflict`),
so no update is ever lost silently. Each call is one short transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Iterator

import sqlalchemy as sa

from fusion_partners.workspace.errors import Busy, RateLimited, Unavailable
from fusion_partners.workspace.schema import NAME_MAX, TEXT_MAX
from fusion_partners.workspace.values import now_utc

SUBMISSIONS_PER_HOUR = 5
"""Anonymous submissions (corrections, suggestions, introduction requests) one client
address may make per hour."""
SUBMISSIONS_PER_HOUR_ALL = 200
"""Anonymous submissions accepted per hour from all clients together."""


class StoreBase:
    """The tables and transactions of the workspace store; :class:`~.store.Workspace`
    adds the queries of each concept. Thread-safe (each call takes its own pooled connection)."""

    def __init__(self, engine: sa.Engine, meta: sa.MetaData):
        self.engine = engine
        t = meta.tables
        self.shortlists_t, self.links_t, self.entries_t = (
            t["shortlists"],
            t["shortlist_links"],
            t["shortlist_entries"],
        )
        self.browsers_t, self.requests_t, self.corrections_t = (
            t["browser_shortlists"],
            t["intro_requests"],
            t["corrections"],
        )
        self.lockouts_t, self.log_t = t["lockouts"], t["editor_log"]
        self._lock = threading.Lock()

    @property
    def backend(self) -> str:
        """``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextlib.contextmanager
    def _tx(self) -> Iterator[sa.Connection]:
        try:
            with self.engine.begin() as con:
                yield con
        except sa.exc.TimeoutError as exc:
            raise Busy(str(exc).splitlines()[0]) from exc
        except sa.exc.OperationalError as exc:
            raise Unavailable(str(exc).splitlines()[0]) from exc

    def ping(self) -> bool:
        """True when the database answers."""
        try:
            with self.engine.connect() as con:
                con.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def dispose(self) -> None:
        """Close the pooled connections."""
        self.engine.dispose()

    # --- rate limits ------------------------------------------------------------------

    def _rate_check(self, con: sa.Connection, client: str) -> None:
        since = now_utc() - dt.timedelta(hours=1)
        total = 0
        for table in (self.corrections_t, self.requests_t):
            total += con.execute(
                sa.select(sa.func.count()).where(table.c.created_at >= since)
            ).scalar_one()
        mine = 0
        if client:
            for table in (self.corrections_t, self.requests_t):
                mine += con.execute(
                    sa.select(sa.func.count()).where(
                        table.c.client == client, table.c.created_at >= since
                    )
                ).scalar_one()
        if mine >= SUBMISSIONS_PER_HOUR or total >= SUBMISSIONS_PER_HOUR_ALL:
            raise RateLimited(minutes=60)

    # --- the editor log -------------------------------------------------------------------

    def _log(
        self, con: sa.Connection, editor: str, action: str, target: str, detail: str = ""
    ) -> None:
        con.execute(
            sa.insert(self.log_t).values(
                at=now_utc(),
                editor=editor[:NAME_MAX],
                action=action[:40],
                target=target[:200],
                detail=detail[:TEXT_MAX],
            )
        )
