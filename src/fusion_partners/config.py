"""Locations of the curated data and the built database.

Environment variables (all optional):

* ``FPF_DATA_DIR`` — folder holding the curated CSVs and ``schema.sql`` (default: the
  project's ``data/`` folder).
* ``FPF_DB_PATH`` — the DuckDB file the build writes and the app reads
  (default: ``<data dir>/fusion_partners.duckdb``).
"""

from __future__ import annotations

import os
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
