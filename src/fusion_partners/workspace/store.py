"""The workspace store: everything users write (shortlists, notes, introduction requests,
corrections, editor lockouts, the editor log), on SQLite or PostgreSQL through one API.

Why SQLAlchemy Core: one set of statements, with bound parameters, runs on both
databases (the dialect handles quoting, ``RETURNING``, booleans and dates), connection
pooling and pre-ping come with it, and Alembic (from the same authors) versions the
schema. The ORM is not used: the rows are small and the queries are plain.

* Default: a SQLite file ``<data dir>/workspace.sqlite3`` (git-ignored), created and
  migrated on first use, in WAL mode so readers never wait for a writer.
* ``FPF_WORKSPACE_URL=postgresql://user:pass@host/db`` (or ``postgresql+psycopg://…``):
  PostgreSQL, shared by several app instances. psycopg 3 is the driver.

Concurrency: every row users edit has a ``version``; an update names the version it saw
and changes nothing when someone else changed the row first (:class:`Conflict`), so no
update is ever lost silently. Each call is one short transaction.

Errors users can cause are :class:`WorkspaceError` subclasses carrying a catalogue key
(``workspace.error.<key>``) and its placeholders, so the page can say what happened in
the user's language; nothing the user typed is lost by the store (it raises before
writing).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import secrets
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from fusion_partners.workspace import access
from fusion_partners.workspace.schema import (
    ACCESS,
    ENTRY_STATUSES,
    NAME_MAX,
    REQUEST_STATUSES,
    TEXT_MAX,
    URL_MAX,
)

URL_ENV = "FPF_WORKSPACE_URL"
SQLITE_FILE = "workspace.sqlite3"
MIGRATIONS = Path(__file__).with_name("migrations")
PG_MIGRATION_LOCK = 0x46504657  # "FPFW": advisory lock key held while migrating PostgreSQL

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
COUNCILS: tuple[str, ...] = ("j_fusion", "fusion_cluster")
"""Councils an introduction can be asked of (J-Fusion, Japan; The Fusion Cluster, UK)."""

SUBMISSIONS_PER_HOUR = 5
"""Anonymous submissions (corrections, suggestions, introduction requests) one client
address may make per hour."""
SUBMISSIONS_PER_HOUR_ALL = 200
"""Anonymous submissions accepted per hour from all clients together."""
GLOBAL_MAX_TRIES = 50
"""Wrong editor tokens, from all clients together, within :data:`GLOBAL_WINDOW` before
the editor check is locked for everyone for :data:`GLOBAL_LOCK_SECONDS`."""
GLOBAL_WINDOW = 15 * 60.0
GLOBAL_LOCK_SECONDS = 15 * 60.0
MAX_SHORTLIST_ENTRIES = 500
"""Candidates one shortlist may hold."""


# --- errors ---------------------------------------------------------------------------------


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
    """Every connection of the pool stayed in use for :data:`POOL_TIMEOUT` seconds."""

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


class Invalid(WorkspaceError):
    """A value that cannot be stored: ``key`` says which rule (too long, bad URL, …)."""

    def __init__(self, key: str, **values: Any):
        super().__init__(key, **values)
        self.key = key


class RateLimited(WorkspaceError):
    """Too many anonymous submissions; ``minutes`` until the next is accepted."""

    key = "rate_limited"


# --- values --------------------------------------------------------------------------------


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


def _row(r: Any) -> dict[str, Any]:
    return dict(r._mapping)


# --- opening -------------------------------------------------------------------------------


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


def _engine(url: str) -> sa.Engine:
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


def open_workspace(url: str) -> Workspace:
    """Connect to the workspace at ``url``, migrate it to the newest schema, and return it.

    Raises:
        Unavailable: the database cannot be reached, opened or migrated (the message names
            the URL without its password).
    """
    try:
        engine = _engine(url)
        if url.startswith("sqlite:///"):
            Path(url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
        migrate(engine)
        meta = sa.MetaData()
        meta.reflect(bind=engine)
    except (sa.exc.SQLAlchemyError, OSError) as exc:
        raise Unavailable(f"{redacted(url)}: {type(exc).__name__}: {exc}".splitlines()[0]) from exc
    return Workspace(engine, meta)


# --- the store -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """A shortlist opened through a link: its row, what the link allows, the link token."""

    shortlist: dict[str, Any]
    access: str
    token: str

    @property
    def can_edit(self) -> bool:
        """True for an edit link."""
        return self.access == "edit"


class Workspace:
    """Queries of the workspace store. Thread-safe (each call takes its own pooled connection)."""

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

    # --- shortlists --------------------------------------------------------------------

    def create_shortlist(self, name: str, lang: str = "en", browser_key: str = "") -> Opened:
        """A new empty shortlist with an edit link and a view link; remembered for
        ``browser_key`` when given. Returns it opened through its edit link.

        Raises:
            Invalid: an empty or too long name.
        """
        name = clean_text(name, field="name", limit=NAME_MAX, required=True)
        now = now_utc()
        edit, view = new_token(), new_token()
        with self._tx() as con:
            sid = con.execute(
                sa.insert(self.shortlists_t)
                .values(name=name, lang=lang, version=1, created_at=now, updated_at=now)
                .returning(self.shortlists_t.c.id)
            ).scalar_one()
            con.execute(
                sa.insert(self.links_t),
                [
                    {"token": edit, "shortlist_id": sid, "access": "edit", "created_at": now},
                    {"token": view, "shortlist_id": sid, "access": "view", "created_at": now},
                ],
            )
            if browser_key:
                con.execute(
                    sa.insert(self.browsers_t).values(
                        browser=browser_key_hash(browser_key), token=edit, added_at=now
                    )
                )
            row = _row(
                con.execute(sa.select(self.shortlists_t).where(self.shortlists_t.c.id == sid)).one()
            )
        return Opened(row, "edit", edit)

    def open(self, token: str) -> Opened:
        """The shortlist a link token opens.

        Raises:
            NotFound: a malformed or unknown token.
            Revoked: a token that was revoked.
        """
        token = (token or "").strip()
        if not TOKEN_RE.match(token):
            raise NotFound("malformed token")
        with self._tx() as con:
            link = con.execute(sa.select(self.links_t).where(self.links_t.c.token == token)).first()
            if link is None:
                raise NotFound("unknown token")
            if link.revoked_at is not None:
                raise Revoked()
            row = con.execute(
                sa.select(self.shortlists_t).where(self.shortlists_t.c.id == link.shortlist_id)
            ).first()
        if row is None:
            raise NotFound("deleted shortlist")
        return Opened(_row(row), link.access, token)

    def _editable(self, con: sa.Connection, token: str) -> int:
        link = con.execute(
            sa.select(self.links_t).where(self.links_t.c.token == (token or "").strip())
        ).first()
        if link is None:
            raise NotFound("unknown token")
        if link.revoked_at is not None:
            raise Revoked()
        if link.access != "edit":
            raise ReadOnly()
        return int(link.shortlist_id)

    def _touch(self, con: sa.Connection, sid: int) -> None:
        con.execute(
            sa.update(self.shortlists_t)
            .where(self.shortlists_t.c.id == sid)
            .values(version=self.shortlists_t.c.version + 1, updated_at=now_utc())
        )

    def share_links(self, token: str) -> dict[str, str]:
        """The active ``{"edit": token, "view": token}`` of the shortlist ``token`` edits.

        Raises:
            NotFound / Revoked / ReadOnly: as for any change.
        """
        with self._tx() as con:
            sid = self._editable(con, token)
            rows = con.execute(
                sa.select(self.links_t.c.access, self.links_t.c.token).where(
                    self.links_t.c.shortlist_id == sid, self.links_t.c.revoked_at.is_(None)
                )
            ).all()
        return {a: tok for a, tok in rows}

    def revoke(self, token: str, access_: str) -> str:
        """Revoke the shortlist's active ``access_`` link(s) and make a new one; returns the
        new token. Revoking the edit link the caller holds is allowed (the caller must then
        use the returned token).

        Raises:
            ValueError: ``access_`` is not ``edit`` or ``view``.
            NotFound / Revoked / ReadOnly: as for any change.
        """
        if access_ not in ACCESS:
            raise ValueError(f"access must be one of {ACCESS}")
        fresh, now = new_token(), now_utc()
        with self._tx() as con:
            sid = self._editable(con, token)
            con.execute(
                sa.update(self.links_t)
                .where(
                    self.links_t.c.shortlist_id == sid,
                    self.links_t.c.access == access_,
                    self.links_t.c.revoked_at.is_(None),
                )
                .values(revoked_at=now)
            )
            con.execute(
                sa.insert(self.links_t).values(
                    token=fresh, shortlist_id=sid, access=access_, created_at=now
                )
            )
            # browsers that had the old link keep the shortlist only if they edit and got the new one
            self._touch(con, sid)
        return fresh

    def rename(self, token: str, name: str, seen_version: int) -> int:
        """Rename the shortlist; returns its new version.

        Raises:
            Conflict: the shortlist changed since ``seen_version``.
            Invalid / NotFound / Revoked / ReadOnly.
        """
        name = clean_text(name, field="name", limit=NAME_MAX, required=True)
        with self._tx() as con:
            sid = self._editable(con, token)
            done = con.execute(
                sa.update(self.shortlists_t)
                .where(self.shortlists_t.c.id == sid, self.shortlists_t.c.version == seen_version)
                .values(name=name, version=self.shortlists_t.c.version + 1, updated_at=now_utc())
            ).rowcount
            current = _row(
                con.execute(sa.select(self.shortlists_t).where(self.shortlists_t.c.id == sid)).one()
            )
        if not done:
            raise Conflict(current=current)
        return int(current["version"])

    def entries(self, shortlist_id: int) -> list[dict[str, Any]]:
        """The shortlist's candidates, oldest first: ``id``, ``entry_key``, ``entry`` (the
        suggestion dict as added), ``note``, ``status``, ``version``, ``added_at``, ``updated_at``."""
        with self._tx() as con:
            rows = con.execute(
                sa.select(self.entries_t)
                .where(self.entries_t.c.shortlist_id == shortlist_id)
                .order_by(self.entries_t.c.id)
            ).all()
        out = []
        for r in rows:
            d = _row(r)
            d["entry"] = json.loads(d["entry"])
            out.append(d)
        return out

    def add_entries(
        self,
        token: str,
        items: Sequence[tuple[Any, ...]],
        *,
        note: str = "",
        status: str = "to_contact",
    ) -> tuple[int, int]:
        """Add ``(entry_key, entry)`` pairs to the shortlist; an entry already there (same
        key) gets the new suggestion (score, reason, weights) but keeps its note and status.
        ``note``/``status`` apply to new entries; an item may bring its own as
        ``(entry_key, entry, note, status)`` (a shortlist read back from a file).

        Returns:
            ``(added, updated)``.

        Raises:
            Invalid: ``too_many`` when the shortlist would exceed :data:`MAX_SHORTLIST_ENTRIES`,
                or a too long note / unknown status.
            NotFound / Revoked / ReadOnly.
        """
        rows = []
        for item in items:
            own_note, own_status = (item[2], item[3]) if len(item) >= 4 else (note, status)
            if own_status not in ENTRY_STATUSES:
                raise Invalid("bad_status", field="status")
            rows.append((item[0], item[1], clean_text(own_note, field="note"), own_status))
        now = now_utc()
        added = updated = 0
        with self._tx() as con:
            sid = self._editable(con, token)
            existing = dict(
                con.execute(
                    sa.select(self.entries_t.c.entry_key, self.entries_t.c.id).where(
                        self.entries_t.c.shortlist_id == sid
                    )
                ).all()
            )
            new_keys = {r[0] for r in rows if r[0] not in existing}
            if len(existing) + len(new_keys) > MAX_SHORTLIST_ENTRIES:
                raise Invalid("too_many", limit=MAX_SHORTLIST_ENTRIES)
            for key, entry, note, status in rows:
                payload = json.dumps(entry, ensure_ascii=False, default=str)
                if key in existing:
                    con.execute(
                        sa.update(self.entries_t)
                        .where(self.entries_t.c.id == existing[key])
                        .values(entry=payload, version=self.entries_t.c.version + 1, updated_at=now)
                    )
                    updated += 1
                else:
                    con.execute(
                        sa.insert(self.entries_t).values(
                            shortlist_id=sid,
                            entry_key=key,
                            entry=payload,
                            note=note,
                            status=status,
                            version=1,
                            added_at=now,
                            updated_at=now,
                        )
                    )
                    existing[key] = -1
                    added += 1
            self._touch(con, sid)
        return added, updated

    def update_entry(
        self,
        token: str,
        entry_id: int,
        seen_version: int,
        *,
        note: str | None = None,
        status: str | None = None,
    ) -> dict[str, Any]:
        """Change a candidate's note and/or status, if nobody changed it since ``seen_version``.

        Returns:
            The entry row after the change.

        Raises:
            Conflict: changed by someone else (``current`` holds their version) or removed.
            Invalid: a too long note or unknown status.
            NotFound / Revoked / ReadOnly.
        """
        values: dict[str, Any] = {}
        if note is not None:
            values["note"] = clean_text(note, field="note")
        if status is not None:
            if status not in ENTRY_STATUSES:
                raise Invalid("bad_status", field="status")
            values["status"] = status
        with self._tx() as con:
            sid = self._editable(con, token)
            where = (self.entries_t.c.id == entry_id, self.entries_t.c.shortlist_id == sid)
            done = con.execute(
                sa.update(self.entries_t)
                .where(*where, self.entries_t.c.version == seen_version)
                .values(**values, version=self.entries_t.c.version + 1, updated_at=now_utc())
            ).rowcount
            row = con.execute(sa.select(self.entries_t).where(*where)).first()
            if done:
                self._touch(con, sid)
        if row is None:
            raise Conflict("removed")
        current = _row(row)
        current["entry"] = json.loads(current["entry"])
        if not done:
            raise Conflict(current=current)
        return current

    def remove_entries(self, token: str, seen: Mapping[int, int]) -> int:
        """Remove entries ``{entry id: version seen}``; an entry changed since it was seen is
        kept and reported.

        Returns:
            The number removed.

        Raises:
            Conflict: some entries changed meanwhile (the unchanged ones are removed).
            NotFound / Revoked / ReadOnly.
        """
        removed, changed = 0, 0
        with self._tx() as con:
            sid = self._editable(con, token)
            for eid, version in seen.items():
                n = con.execute(
                    sa.delete(self.entries_t).where(
                        self.entries_t.c.id == eid,
                        self.entries_t.c.shortlist_id == sid,
                        self.entries_t.c.version == version,
                    )
                ).rowcount
                removed += n
                changed += 0 if n else 1
            self._touch(con, sid)
        if changed:
            raise Conflict("changed", n=changed)
        return removed

    # --- this browser's shortlists -------------------------------------------------------

    def remember(self, browser_key: str, token: str) -> None:
        """Remember that this browser opened the shortlist link ``token`` (idempotent).

        Raises:
            NotFound / Revoked: as :meth:`open`.
        """
        self.open(token)
        with self._tx() as con:
            h = browser_key_hash(browser_key)
            seen = con.execute(
                sa.select(self.browsers_t.c.token).where(
                    self.browsers_t.c.browser == h, self.browsers_t.c.token == token
                )
            ).first()
            if not seen:
                con.execute(
                    sa.insert(self.browsers_t).values(browser=h, token=token, added_at=now_utc())
                )

    def forget(self, browser_key: str, token: str) -> None:
        """Drop a shortlist from this browser's list (the shortlist itself stays)."""
        with self._tx() as con:
            con.execute(
                sa.delete(self.browsers_t).where(
                    self.browsers_t.c.browser == browser_key_hash(browser_key),
                    self.browsers_t.c.token == token,
                )
            )

    def my_shortlists(self, browser_key: str) -> list[dict[str, Any]]:
        """Shortlists this browser opened through links still active, newest change first:
        ``token``, ``access``, ``id``, ``name``, ``updated_at``, ``n`` (candidates)."""
        b, s, lk, e = self.browsers_t, self.shortlists_t, self.links_t, self.entries_t
        n = sa.select(sa.func.count()).where(e.c.shortlist_id == s.c.id).scalar_subquery()
        q = (
            sa.select(lk.c.token, lk.c.access, s.c.id, s.c.name, s.c.updated_at, n.label("n"))
            .select_from(b.join(lk, lk.c.token == b.c.token).join(s, s.c.id == lk.c.shortlist_id))
            .where(b.c.browser == browser_key_hash(browser_key), lk.c.revoked_at.is_(None))
            .order_by(s.c.updated_at.desc(), s.c.id.desc())
        )
        with self._tx() as con:
            return [_row(r) for r in con.execute(q).all()]

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

    # --- introduction requests -----------------------------------------------------------

    def request_introduction(
        self,
        *,
        council: str,
        candidate_id: str,
        candidate_name: str,
        requester_name: str,
        requester_email: str,
        requester_org: str = "",
        message: str = "",
        start_id: str = "",
        start_name: str = "",
        kind: str = "",
        reason: str = "",
        lang: str = "en",
        shortlist_id: int | None = None,
        client: str = "",
    ) -> int:
        """Save a request that ``council`` introduce the requester to a candidate; returns its id.

        Raises:
            Invalid: unknown council, missing name or e-mail, bad e-mail, too long text.
            RateLimited: too many submissions from this client (or overall) in the last hour.
        """
        if council not in COUNCILS:
            raise Invalid("bad_council", field="council")
        values = {
            "council": council,
            "candidate_id": clean_text(candidate_id, field="candidate", limit=120, required=True),
            "candidate_name": clean_text(candidate_name, field="candidate", limit=NAME_MAX),
            "requester_name": clean_text(
                requester_name, field="name", limit=NAME_MAX, required=True
            ),
            "requester_email": check_email(requester_email),
            "requester_org": clean_text(requester_org, field="organisation", limit=NAME_MAX),
            "message": clean_text(message, field="message"),
            "start_id": clean_text(start_id, field="start", limit=120),
            "start_name": clean_text(start_name, field="start", limit=NAME_MAX),
            "kind": clean_text(kind, field="kind", limit=32),
            "reason": clean_text(reason, field="reason"),
            "lang": lang,
            "shortlist_id": shortlist_id,
            "client": client,
            "status": "new",
            "version": 1,
        }
        now = now_utc()
        with self._tx() as con:
            self._rate_check(con, client)
            return int(
                con.execute(
                    sa.insert(self.requests_t)
                    .values(**values, created_at=now, updated_at=now)
                    .returning(self.requests_t.c.id)
                ).scalar_one()
            )

    def list_requests(self, status: str | None = None, limit: int = 1000) -> list[dict[str, Any]]:
        """Introduction requests, newest first (``status`` filters; at most ``limit``)."""
        q = sa.select(self.requests_t).order_by(
            self.requests_t.c.created_at.desc(), self.requests_t.c.id.desc()
        )
        if status:
            q = q.where(self.requests_t.c.status == status)
        with self._tx() as con:
            return [_row(r) for r in con.execute(q.limit(limit)).all()]

    def set_request_status(
        self, request_id: int, status: str, seen_version: int, editor: str
    ) -> int:
        """Move a request to ``status`` (logged with the editor's name); returns its new version.

        Raises:
            Invalid: unknown status or no editor name.
            Conflict: another editor changed it since ``seen_version``.
        """
        if status not in REQUEST_STATUSES:
            raise Invalid("bad_status", field="status")
        editor = clean_text(editor, field="editor", limit=NAME_MAX, required=True)
        with self._tx() as con:
            done = con.execute(
                sa.update(self.requests_t)
                .where(
                    self.requests_t.c.id == request_id, self.requests_t.c.version == seen_version
                )
                .values(
                    status=status,
                    version=self.requests_t.c.version + 1,
                    updated_at=now_utc(),
                    updated_by=editor,
                )
            ).rowcount
            row = con.execute(
                sa.select(self.requests_t).where(self.requests_t.c.id == request_id)
            ).first()
            if done:
                self._log(con, editor, "request_status", f"request {request_id}", status)
        if row is None:
            raise NotFound("request")
        if not done:
            raise Conflict(current=_row(row))
        return int(row.version)

    # --- corrections ---------------------------------------------------------------------

    def submit_correction(
        self,
        *,
        org_id: str,
        field: str,
        proposed: str,
        source_url: str,
        comment: str = "",
        submitter: str = "",
        lang: str = "en",
        client: str = "",
    ) -> int:
        """Queue a correction of one field of an organisation; returns its id.

        Raises:
            Invalid: no proposed value, a non-http(s) source URL, too long text.
            RateLimited: too many submissions.
        """
        values = {
            "kind": "correction",
            "org_id": clean_text(org_id, field="organisation", limit=120, required=True),
            "field": clean_text(field, field="field", limit=40, required=True),
            "proposed": clean_text(proposed, field="proposed", required=True),
            "source_url": check_url(source_url),
            "comment": clean_text(comment, field="comment"),
            "submitter": clean_text(submitter, field="submitter", limit=NAME_MAX),
        }
        return self._submit(values, lang, client)

    def suggest_organisation(
        self,
        *,
        record: Mapping[str, str],
        source_url: str,
        comment: str = "",
        submitter: str = "",
        lang: str = "en",
        client: str = "",
    ) -> int:
        """Queue a suggested new organisation (``record``: roster fields such as
        ``name_en``, ``name_ja``, ``country``, ``org_type``, ``website``,
        ``description_en``); returns its id.

        Raises:
            Invalid: no name, a non-http(s) source URL, too long text.
            RateLimited: too many submissions.
        """
        long_fields = ("description_en", "description_ja", "capabilities")
        clean = {
            k: clean_text(v, field=k, limit=TEXT_MAX if k in long_fields else NAME_MAX)
            for k, v in record.items()
            if v
        }
        if not (clean.get("name_en") or clean.get("name_ja")):
            raise Invalid("required", field="name")
        if clean.get("website"):
            clean["website"] = check_url(clean["website"], field="website")
        values = {
            "kind": "new_organisation",
            "org_id": "",
            "field": "",
            "proposed": json.dumps(clean, ensure_ascii=False, sort_keys=True),
            "source_url": check_url(source_url),
            "comment": clean_text(comment, field="comment"),
            "submitter": clean_text(submitter, field="submitter", limit=NAME_MAX),
        }
        return self._submit(values, lang, client)

    def _submit(self, values: dict[str, Any], lang: str, client: str) -> int:
        with self._tx() as con:
            self._rate_check(con, client)
            return int(
                con.execute(
                    sa.insert(self.corrections_t)
                    .values(
                        **values, lang=lang, client=client, status="pending", created_at=now_utc()
                    )
                    .returning(self.corrections_t.c.id)
                ).scalar_one()
            )

    def list_corrections(
        self, status: str | None = "pending", limit: int = 1000
    ) -> list[dict[str, Any]]:
        """Corrections and suggestions, oldest first (the review queue), ``status`` filtering."""
        q = sa.select(self.corrections_t).order_by(
            self.corrections_t.c.created_at, self.corrections_t.c.id
        )
        if status:
            q = q.where(self.corrections_t.c.status == status)
        with self._tx() as con:
            return [_row(r) for r in con.execute(q.limit(limit)).all()]

    def claim_correction(self, correction_id: int, editor: str) -> dict[str, Any]:
        """Take a pending correction for applying (status ``applying``), so a second editor
        cannot decide it at the same time; returns the row.

        Raises:
            AlreadyDecided: it is not pending (decided, or being applied by someone else).
            NotFound: no such correction.
        """
        editor = clean_text(editor, field="editor", limit=NAME_MAX, required=True)
        with self._tx() as con:
            done = con.execute(
                sa.update(self.corrections_t)
                .where(
                    self.corrections_t.c.id == correction_id,
                    self.corrections_t.c.status == "pending",
                )
                .values(status="applying", decided_by=editor)
            ).rowcount
            row = con.execute(
                sa.select(self.corrections_t).where(self.corrections_t.c.id == correction_id)
            ).first()
        if row is None:
            raise NotFound("correction")
        if not done:
            raise AlreadyDecided(by=row.decided_by, status=row.status)
        return _row(row)

    def release_correction(self, correction_id: int) -> None:
        """Put a claimed correction back in the queue (applying it failed)."""
        with self._tx() as con:
            con.execute(
                sa.update(self.corrections_t)
                .where(
                    self.corrections_t.c.id == correction_id,
                    self.corrections_t.c.status == "applying",
                )
                .values(status="pending", decided_by="")
            )

    def decide_correction(
        self,
        correction_id: int,
        *,
        accept: bool,
        editor: str,
        note: str = "",
        applied_ref: str = "",
    ) -> None:
        """Record the decision on a correction (claimed, or still pending when rejecting).

        Rejecting requires a reason (``note``). The decision is logged with the editor's name.

        Raises:
            Invalid: rejecting without a reason.
            AlreadyDecided: another editor decided it first.
        """
        editor = clean_text(editor, field="editor", limit=NAME_MAX, required=True)
        note = clean_text(note, field="reason", required=not accept)
        allowed = ("applying",) if accept else ("pending",)
        status = "accepted" if accept else "rejected"
        with self._tx() as con:
            done = con.execute(
                sa.update(self.corrections_t)
                .where(
                    self.corrections_t.c.id == correction_id,
                    self.corrections_t.c.status.in_(allowed),
                )
                .values(
                    status=status,
                    decided_by=editor,
                    decided_at=now_utc(),
                    decision_note=note,
                    applied_ref=applied_ref,
                )
            ).rowcount
            if not done:
                row = con.execute(
                    sa.select(self.corrections_t).where(self.corrections_t.c.id == correction_id)
                ).first()
                raise AlreadyDecided(
                    by=row.decided_by if row else "", status=row.status if row else ""
                )
            self._log(
                con,
                editor,
                f"correction_{status}",
                f"correction {correction_id}",
                note or applied_ref,
            )

    # --- editors ---------------------------------------------------------------------------

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

    def log_action(self, editor: str, action: str, target: str = "", detail: str = "") -> None:
        """Record an editor action (name, time, what, on what)."""
        with self._tx() as con:
            self._log(
                con,
                clean_text(editor, field="editor", limit=NAME_MAX) or "unknown",
                action,
                target,
                detail,
            )

    def editor_log(self, limit: int = 500) -> list[dict[str, Any]]:
        """The newest editor actions first."""
        with self._tx() as con:
            return [
                _row(r)
                for r in con.execute(
                    sa.select(self.log_t)
                    .order_by(self.log_t.c.at.desc(), self.log_t.c.id.desc())
                    .limit(limit)
                ).all()
            ]

    def check_editor_token(
        self, entered: str, token: str, client: str, now: float | None = None
    ) -> access.Verdict:
        """:func:`fusion_partners.workspace.access.check_token` with its counters kept in the store, per
        client address *and* for all clients together, so reloading the page or opening a
        new session does not reset them.

        The overall scope locks every client for :data:`GLOBAL_LOCK_SECONDS` after
        :data:`GLOBAL_MAX_TRIES` wrong tokens within :data:`GLOBAL_WINDOW` (a distributed guess
        is slowed too; the price is that a flood of wrong tries also delays real editors).

        Args:
            entered: what the user typed; token: the configured token; client: :func:`client_key`
            of the address; now: Unix time in seconds (injected by tests).
        """
        now = time.time() if now is None else now
        scope = f"client:{client or 'unknown'}"
        with self._lock, self._tx() as con:
            rows = {
                r.scope: _row(r)
                for r in con.execute(
                    sa.select(self.lockouts_t)
                    .where(self.lockouts_t.c.scope.in_([scope, "all"]))
                    .with_for_update()
                ).all()
            }
            overall = rows.get("all") or {
                "scope": "all",
                "failures": 0,
                "lockouts": 0,
                "locked_until": 0.0,
                "last_wrong": "",
                "window_start": now,
            }
            if now < float(overall["locked_until"]):
                return access.Verdict(
                    "locked", int(float(overall["locked_until"]) - now + 0.999), 0
                )
            mine = rows.get(scope) or {
                "scope": scope,
                "failures": 0,
                "lockouts": 0,
                "locked_until": 0.0,
                "last_wrong": "",
                "window_start": now,
            }
            state: dict[str, Any] = dict(
                mine
            )  # the row's numbers and text, as access.check_token keeps them
            hashed = (
                hashlib.sha256((entered or "").strip().encode()).hexdigest()
                if (entered or "").strip()
                else ""
            )
            # access.check_token compares last_wrong with the entered value: keep only its hash
            state["last_wrong"] = entered.strip() if hashed and hashed == mine["last_wrong"] else ""
            before = int(mine["failures"]), int(mine["lockouts"])
            verdict = access.check_token(entered, token, state, now)
            counted = verdict.status in ("wrong", "locked") and (
                (int(state["failures"]), int(state["lockouts"])) != before
            )
            state["last_wrong"] = hashed if verdict.status in ("wrong", "locked") else ""
            self._upsert_lock(con, {k: state.get(k, mine[k]) for k in mine}, scope in rows)
            if counted:
                if now - float(overall["window_start"]) > GLOBAL_WINDOW:
                    overall.update(failures=0, window_start=now)
                overall["failures"] = int(overall["failures"]) + 1
                if overall["failures"] >= GLOBAL_MAX_TRIES:
                    overall.update(
                        failures=0,
                        lockouts=int(overall["lockouts"]) + 1,
                        locked_until=now + GLOBAL_LOCK_SECONDS,
                        window_start=now,
                    )
                self._upsert_lock(con, overall, "all" in rows)
            return verdict

    def _upsert_lock(self, con: sa.Connection, values: Mapping[str, Any], exists: bool) -> None:
        values = {
            k: values[k]
            for k in ("scope", "failures", "lockouts", "locked_until", "last_wrong", "window_start")
        }
        if exists:
            con.execute(
                sa.update(self.lockouts_t)
                .where(self.lockouts_t.c.scope == values["scope"])
                .values(**values)
            )
        else:
            con.execute(sa.insert(self.lockouts_t).values(**values))
