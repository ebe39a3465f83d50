"""Cached database access for pages.

The connection is cached per (path, file modification time): when a build or an import
replaces the file, the next call opens the new one and readers never see a partial file.
Query results are cached per (query, path, modification time, arguments).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import streamlit as st

from .. import config, queries
from ..db import DatabaseMissing, connect_readonly
from ..labels import Taxonomy

_ALLOWED = set(queries.__all__)


def _stamp(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError as exc:
        raise DatabaseMissing(
            f"{path.name} has not been built; run `make build` (or `make run`)."
        ) from exc


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, stamp: int) -> duckdb.DuckDBPyConnection:
    return connect_readonly(path)


def connection() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the current database file."""
    path = config.db_path()
    return _connection(str(path), _stamp(path))


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(name: str, path: str, stamp: int, args: tuple, kwargs: tuple) -> Any:
    return getattr(queries, name)(_connection(path, stamp), *args, **dict(kwargs))


def q(name: str, *args: Any, **kwargs: Any) -> Any:
    """Run ``queries.<name>(con, *args, **kwargs)`` with caching.

    Raises:
        ValueError: for a name that is not a public query.
        DatabaseMissing / DataError: from the database layer.
    """
    if name not in _ALLOWED:
        raise ValueError(f"unknown query {name!r}")
    path = config.db_path()
    return _cached(name, str(path), _stamp(path), args, tuple(sorted(kwargs.items())))


def taxonomy() -> Taxonomy:
    """The capability taxonomy of the current database."""
    return Taxonomy.from_frame(q("taxonomy"))
