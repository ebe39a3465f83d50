"""Cached database access for pages.

The connection is cached per (path, file modification time): when a build or an import
replaces the file, the next call opens the new one and readers never see a partial file.
Query results are cached per (query, path, modification time, arguments).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from fusion_partners import config, queries
from fusion_partners.db import DatabaseMissing, connect_readonly
from fusion_partners.i18n.labels import Taxonomy

_PACKAGE = queries.__name__


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


@st.cache_resource(show_spinner=False)
def recover_at_start(data_dir: str, db_path: str) -> str:
    """Once per app process: roll back an import that died mid-way (see :mod:`store`)."""
    from fusion_partners.data import recovery

    try:
        return recovery.recover(Path(data_dir), Path(db_path))
    except OSError:  # a read-only data folder: nothing can be (or needs to be) repaired here
        return "none"


def connection() -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the current database file."""
    path = config.db_path()
    return _connection(str(path), _stamp(path))


def data_version() -> tuple[str, int]:
    """``(database path, modification time in ns)``: a cache key part that changes when a build
    or an import replaces the database, as the query cache's does.

    Raises:
        DatabaseMissing: when the database has not been built.
    """
    path = config.db_path()
    return str(path), _stamp(path)


def _is_query_module(module: str) -> bool:
    """Queries live in :mod:`fusion_partners.queries` or in a feature package's ``sql`` module."""
    if module == _PACKAGE or module.startswith(_PACKAGE + "."):
        return True
    return module.startswith("fusion_partners.") and module.rsplit(".", 1)[1].endswith("sql")


def _resolve(module: str, name: str) -> Callable[..., Any]:
    if not _is_query_module(module):
        raise ValueError(f"{module}.{name} is not a query function")
    fn = getattr(importlib.import_module(module), name, None)
    if not callable(fn) or name.startswith("_"):
        raise ValueError(f"unknown query {module}.{name}")
    return fn


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(module: str, name: str, path: str, stamp: int, args: tuple, kwargs: tuple) -> Any:
    return _resolve(module, name)(_connection(path, stamp), *args, **dict(kwargs))


def q(query: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a query function with the shared connection, caching the result.

    Args:
        query: a public function of :mod:`fusion_partners.queries`, or of a feature package's
            SQL module (:mod:`fusion_partners.partners.sql`), passed as the function itself.
            It is called as ``query(con, *args, **kwargs)``; arguments must be hashable
            or picklable (frozen dataclasses, tuples, strings, numbers).

    Raises:
        ValueError: for anything that is not a public query function.
        DatabaseMissing / DataError: from the database layer.
    """
    if not callable(query):
        raise ValueError(f"not a query function: {query!r}")
    module, name = query.__module__, query.__name__
    _resolve(module, name)
    path = config.db_path()
    return _cached(module, name, str(path), _stamp(path), args, tuple(sorted(kwargs.items())))


def taxonomy() -> Taxonomy:
    """The capability taxonomy of the current database."""
    return Taxonomy.from_frame(q(queries.taxonomy), q(queries.capability_leaves))


def formatted_page(rows: pd.DataFrame, taxonomy: Taxonomy, lang: str) -> pd.DataFrame:
    """``rows`` of the Explore table formatted for display (:func:`tables.display_frame`), once
    per result: shared by every rerun and session showing the same rows (keyed by the data
    version, the language and the row ids; formatting 5,000 rows costs about 0.25 s). The
    frame is read-only."""
    return _formatted(data_version(), lang, tuple(rows["id"]), _rows=rows, _taxonomy=taxonomy)


@st.cache_resource(max_entries=16, show_spinner=False)
def _formatted(
    version: tuple[str, int],
    lang: str,
    ids: tuple[str, ...],
    *,
    _rows: pd.DataFrame,
    _taxonomy: Taxonomy,
) -> pd.DataFrame:
    from fusion_partners.explore.tables import display_frame

    return display_frame(_rows, _taxonomy, lang)
