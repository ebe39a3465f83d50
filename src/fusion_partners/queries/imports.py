"""Queries of the Import page: the import log and the records an import touched."""

from __future__ import annotations

import duckdb
import pandas as pd

from fusion_partners.db import fetch_df


def import_log(con: duckdb.DuckDBPyConnection, limit: int = 50) -> pd.DataFrame:
    """The newest ``limit`` imports, newest first.

    Columns: import_id, file_name, imported_at (UTC ISO text), imported_by, source_urls,
    council, rows_added, rows_updated, status (``applied``/``undone``), undone_at, undone_by.
    """
    return fetch_df(
        con,
        "SELECT import_id, file_name, imported_at, imported_by, source_urls, council, rows_added, "
        "rows_updated, status, undone_at, undone_by FROM imports ORDER BY imported_at DESC, import_id DESC "
        "LIMIT $limit",
        {"limit": int(limit)},
    )


def import_records(con: duckdb.DuckDBPyConnection, import_id: str) -> pd.DataFrame:
    """Records one import added or changed: org_id, action, changed (list), unmapped text."""
    return fetch_df(
        con,
        "SELECT org_id, action, changed, unmapped FROM record_history WHERE import_id = $id ORDER BY action, org_id",
        {"id": import_id},
    )
