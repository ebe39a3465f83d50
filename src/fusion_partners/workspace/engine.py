"""Opening the workspace database: its URL, the engine and its connection pool, and the
versioned schema (Alembic migrations, applied at start under a lock).

Why SQLAlchemy Core: one set of statements, with bound parameters, runs on both
databases (the dialect handles quoting, ``RETURNING``, booleans and dates), connection
pooling and pre-ping come with it, and Alembic (from the same authors) versions the
schema. The ORM is not used: the rows are small and the queries are plain.

* Default: a SQLite file ``<data dir>/workspace.sqlite3`` (git-ignored), created and
  migrated on first use, in WAL mode so readers never wait for a writer.
* ``FPF_WORKSPACE_URL=postgresql://user:pass@host/db`` (or ``postgresql+psycopg://…``):
  PostgreSQL, shared by several app instances. psycopg 3 is the driver.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

URL_ENV = "FPF_WORKSPACE_URL"
SQLITE_FILE = "workspace.sqlite3"
MIGRATIONS = Path(__file__).with_name("migrations")
PG_MIGRATION_LOCK = 0x46504657  # "FPFW": advisory lock key held while migrating PostgreSQL


def workspace_url(data_dir: Path) -> str:
    """``$FPF_WORKSPACE_URL``, else a SQLite file in ``data_dir``.

    A ``postgresql://`` URL is given the psycopg 3 driver (``postgresql+psycopg://``).
    """
    url = (os.environ.get(URL_ENV) or "").strip()
    if not url:
        return f"sqlite:///{(Path(data_dir) / SQLITE_FILE).resolve()}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def redacted(url: str) -> str:
    """``url`` with any password replaced by ``***`` (for messages and logs)."""
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - an unparsable URL is shown as a placeholder
        return "(invalid workspace URL)"


def _sqlite_pragmas(dbapi_con: Any, _record: Any) -> None:
    dbapi_con.isolation_level = None  # the driver's own BEGIN off: _sqlite_begin issues it
    cur = dbapi_con.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


POOL_SIZE, POOL_OVERFLOW, POOL_TIMEOUT = 10, 30, 60
"""Connections one app process keeps open, may open beyond that under load, and the seconds a
call waits for one. One process serves every browser session; each call holds a connection
for a few milliseconds. With PostgreSQL, instances x (POOL_SIZE + POOL_OVERFLOW) must stay
under the server's ``max_connections`` (100 by default)."""


def _sqlite_begin(con: sa.Connection) -> None:
    """Start every SQLite transaction with ``BEGIN IMMEDIATE``: the write lock is taken at
    the start, waiting up to the busy timeout, instead of a read transaction failing at once
    with "database is locked" when it turns into a write while another writer holds the lock
    (SQLite cannot wait there without risking a deadlock). Calls are a few milliseconds, so
    serialising them costs little; this is the pattern SQLAlchemy's SQLite dialect documents
    for serializable transactions with pysqlite."""
    con.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> sa.Engine:
    """The engine of the workspace at ``url``: on SQLite a file in WAL mode with
    ``BEGIN IMMEDIATE`` transactions, on PostgreSQL pre-pinged connections recycled every
    30 minutes; both with the pool of :data:`POOL_SIZE` (+ :data:`POOL_OVERFLOW`)."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            pool_timeout=POOL_TIMEOUT,
        )
        sa.event.listen(engine, "connect", _sqlite_pragmas)
        sa.event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(
        url,
        pool_pre_ping=True,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_timeout=POOL_TIMEOUT,
        pool_recycle=1800,
        connect_args={"connect_timeout": 5},
    )


@contextlib.contextmanager
def _migration_lock(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection holding the migration lock, so two app instances starting together
    never migrate at the same time."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as con:
            con.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_MIGRATION_LOCK})
            yield con
        return
    path = engine.url.database
    lock = open(f"{path}.migrate.lock", "a+") if path and path != ":memory:" else None  # noqa: SIM115
    try:
        if lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
        with engine.begin() as con:
            yield con
    finally:
        if lock:
            lock.close()


def migrate(engine: sa.Engine) -> str:
    """Apply every pending migration (Alembic ``upgrade head``); returns the revision now applied."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with _migration_lock(engine) as con:
        cfg.attributes["connection"] = con
        command.upgrade(cfg, "head")
        return MigrationContext.configure(con).get_current_revision() or ""


def head_revision() -> str:
    """The newest migration shipped with this version of the product."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head() or ""
