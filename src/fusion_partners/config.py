"""Locations of the curated data and the built database.

Environment variables (all optional):

* ``FPF_DATA_DIR`` — folder holding the curated CSVs and ``schema.sql`` (default: the
  project's ``data/`` folder).
* ``FPF_DB_PATH`` — the DuckDB file the build writes and the app reads
  (default: ``<data dir>/fusion_partners.duckdb``).

Limits of every DuckDB database the app, the build and the importer open (see
:func:`duckdb_settings`; DuckDB's own setting names in brackets):

* ``FPF_DUCKDB_MEMORY_LIMIT`` (``memory_limit``) — memory DuckDB may hold for one open
  database, e.g. ``1GB``, ``512MB`` (default ``1GB``). A query needing more spills to the
  temporary directory or fails with a message; it never takes the server down. The app keeps
  one database open (two for a moment after an import replaced the file).
* ``FPF_DUCKDB_THREADS`` (``threads``) — threads per query (default 2).
* ``FPF_DUCKDB_TEMP_DIRECTORY`` (``temp_directory``) — where queries spill (default
  ``fusion-partners-duckdb`` in the system's temporary folder).
* ``FPF_DUCKDB_MAX_TEMP_SIZE`` (``max_temp_directory_size``) — disk a database may spill to
  (default ``4GB``).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DB_FILENAME = "fusion_partners.duckdb"


def data_dir() -> Path:
    """Folder of the curated CSVs (``FPF_DATA_DIR`` or ``<project>/data``)."""
    return Path(os.environ.get("FPF_DATA_DIR") or PROJECT_ROOT / "data").resolve()


def db_path() -> Path:
    """Path of the DuckDB file (``FPF_DB_PATH`` or ``<data dir>/fusion_partners.duckdb``)."""
    override = os.environ.get("FPF_DB_PATH")
    return Path(override).resolve() if override else data_dir() / DB_FILENAME


DEFAULT_MEMORY_LIMIT = "1GB"
DEFAULT_THREADS = 2
DEFAULT_MAX_TEMP_SIZE = "4GB"
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KIB|MIB|GIB|TIB)\s*", re.IGNORECASE)


class SettingError(ValueError):
    """An ``FPF_*`` environment variable holds a value that cannot be used; the message names
    the variable, the value and what is allowed."""


def _size(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip() or default
    match = _SIZE.fullmatch(value)
    if not match or float(match.group(1)) <= 0:
        raise SettingError(f"{name}={value!r} is not a size such as 512MB or 2GB.")
    return f"{match.group(1)}{match.group(2).upper().replace('I', 'i')}"


def duckdb_settings() -> dict[str, str | int]:
    """The limits every DuckDB database is opened with, from the ``FPF_DUCKDB_*`` variables
    (see the module docstring), as the ``config`` argument of ``duckdb.connect``:
    ``memory_limit``, ``threads``, ``temp_directory``, ``max_temp_directory_size``.

    DuckDB counts its own buffers (tables read, joins, sorts, aggregates) against
    ``memory_limit``; Python objects made from results (DataFrames) are outside it.

    Raises:
        SettingError: for a size that is not a positive number with a unit (``B``, ``KB``,
            ``MB``, ``GB``, ``TB`` or ``KiB`` … ``TiB``), or threads that are not a whole
            number from 1 to 256.
    """
    threads_text = os.environ.get("FPF_DUCKDB_THREADS", "").strip() or str(DEFAULT_THREADS)
    if not threads_text.isdigit() or not 1 <= int(threads_text) <= 256:
        raise SettingError(
            f"FPF_DUCKDB_THREADS={threads_text!r} is not a whole number from 1 to 256."
        )
    temp = os.environ.get("FPF_DUCKDB_TEMP_DIRECTORY", "").strip() or str(
        Path(tempfile.gettempdir()) / "fusion-partners-duckdb"
    )
    return {
        "memory_limit": _size("FPF_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
        "threads": int(threads_text),
        "temp_directory": temp,
        "max_temp_directory_size": _size("FPF_DUCKDB_MAX_TEMP_SIZE", DEFAULT_MAX_TEMP_SIZE),
    }
