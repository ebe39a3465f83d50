"""Read-only access to the built database.

One connection per database file is shared by the whole app process; every query runs
on its own ``con.cursor()`` (a DuckDB connection is not safe to share between threads,
its cursors are) and reads its result completely.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd


class DataError(Exception):
    """Base class for database problems shown to users. ``title`` is a short headline."""

    title = "Database problem"


class DatabaseMissing(DataError):
    """The database file does not exist (it has not been built)."""

    title = "Database not built"


class QueryFailed(DataError):
    """DuckDB raised while answering a query."""

    title = "Query failed"


def connect_readonly(path: Path | str) -> duckdb.DuckDBPyConnection:
    """Open ``path`` read-only.

    The file is ATTACHed (``READ_ONLY``) to a fresh in-memory database that exposes its
    tables as views. ``duckdb.connect(path)`` would reuse the process's cached instance of
    an already open path, so after an import replaced the file (``os.replace``) a new
    connection would still read the old file while an old connection lives; attaching opens
    the file anew, and connections to the old file keep reading it until closed.

    Raises:
        DatabaseMissing: when the file does not exist.
        DataError: when DuckDB cannot open it (wrong version, corrupt, locked for writing).
    """
    path = Path(path)
    if not path.exists():
        raise DatabaseMissing(f"{path.name} has not been built; run `make build` (or `make run`).")
    try:
        con = duckdb.connect(":memory:")
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


def fetch_df(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
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


def fetch_rows(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple]:
    """Like :func:`fetch_df` but returns a list of tuples."""
    cur = con.cursor()
    try:
        return cur.execute(sql, dict(params or {})).fetchall()
    except duckdb.Error as exc:
        raise QueryFailed(str(exc)) from exc
    finally:
        cur.close()
