"""Read-only access to the built database.

One connection per database file is shared by the whole app process; every query runs
on its own ``con.cursor()`` (a DuckDB connection is not safe to share between threads,
its cursors are) and reads its result completely.

Every database is opened with the limits of :func:`fusion_partners.config.duckdb_settings`
(memory, threads, temporary directory and its size), so one visitor's query cannot exhaust a
shared server: it spills to disk or fails with :class:`QueryFailed`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from fusion_partners import config


class DataError(Exception):
    """Base class for database problems shown to users. ``title`` is a short headline."""

    title = "Database problem"


class DatabaseMissing(DataError):
    """The database file does not exist (it has not been built)."""

    title = "Database not built"


class QueryFailed(DataError):
    """DuckDB raised while answering a query."""

    title = "Query failed"


def limits(settings: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The DuckDB ``config`` for a new database: ``settings`` or the configured limits
    (:func:`config.duckdb_settings`), with the temporary directory created.

    Raises:
        DataError: when an ``FPF_DUCKDB_*`` variable holds an unusable value (the message
            names it), or the temporary directory cannot be created.
    """
    try:
        out = dict(settings) if settings is not None else config.duckdb_settings()
    except config.SettingError as exc:
        raise DataError(str(exc)) from exc
    temp = out.get("temp_directory")
    if temp:
        try:
            Path(str(temp)).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DataError(f"Cannot create the DuckDB temporary directory {temp}: {exc}") from exc
    return out


def connect_writable(
    path: Path | str, settings: Mapping[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """Open (or create) the database file ``path`` for writing, with the configured limits
    (see :func:`limits`; ``settings`` overrides them).

    Raises:
        DataError: for unusable limits.
        duckdb.Error: when DuckDB cannot open the file.
    """
    return duckdb.connect(str(path), config=limits(settings))


def connect_readonly(
    path: Path | str, settings: Mapping[str, Any] | None = None
) -> duckdb.DuckDBPyConnection:
    """Open ``path`` read-only, with the configured limits (see :func:`limits`; ``settings``
    overrides them, e.g. a lower memory limit in a test).

    The file is ATTACHed (``READ_ONLY``) to a fresh in-memory database that exposes its
    tables as views. ``duckdb.connect(path)`` would reuse the process's cached instance of
    an already open path, so after an import replaced the file (``os.replace``) a new
    connection would still read the old file while an old connection lives; attaching opens
    the file anew, and connections to the old file keep reading it until closed.

    Raises:
        DatabaseMissing: when the file does not exist.
        DataError: when DuckDB cannot open it (wrong version, corrupt, locked for writing), or
            the limits are unusable.
    """
    path = Path(path)
    if not path.exists():
        raise DatabaseMissing(f"{path.name} has not been built; run `make build` (or `make run`).")
    config_ = limits(settings)
    try:
        con = duckdb.connect(":memory:", config=config_)
        literal = str(path.resolve()).replace("'", "''")
        con.execute(f"ATTACH '{literal}' AS fpf (READ_ONLY)")
        tables = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = 'fpf' AND schema_name = 'main'"
        ).fetchall()
        for (name,) in tables:
            ident = '"' + name.replace('"', '""') + '"'
            con.execute(f"CREATE VIEW {ident} AS SELECT * FROM fpf.main.{ident}")  # noqa: S608 (catalogue names)
        return con
    except duckdb.Error as exc:
        raise DataError(f"Cannot open {path.name}: {exc}") from exc


def fetch_df(
    con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None
) -> pd.DataFrame:
    """Run ``sql`` with named ``$params`` on a fresh cursor and return all rows.

    Raises:
        QueryFailed: wrapping any DuckDB error.
    """
    cur = con.cursor()
    try:
        return cur.execute(sql, dict(params or {})).df()
    except duckdb.Error as exc:
        raise QueryFailed(str(exc)) from exc
    finally:
        cur.close()


def fetch_rows(
    con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None
) -> list[tuple]:
    """Like :func:`fetch_df` but returns a list of tuples."""
    cur = con.cursor()
    try:
        return cur.execute(sql, dict(params or {})).fetchall()
    except duckdb.Error as exc:
        raise QueryFailed(str(exc)) from exc
    finally:
        cur.close()
