"""Undo the newest applied import from the value history, in one transaction like a write."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from fusion_partners import config
from fusion_partners.data import transaction as store
from fusion_partners.data.load import (
    HISTORY_FILE,
    IMPORT_COLUMNS,
    IMPORTS_FILE,
    ORGANISATIONS_FILE,
)
from fusion_partners.data.roster import ORGANISATION_COLUMNS, read_csv_rows
from fusion_partners.importing.apply import ordered


def last_applied(data_dir: Path | None = None) -> dict[str, str] | None:
    """The newest import of the log that is still applied (the one :func:`undo_last` undoes)."""
    path = (data_dir or config.data_dir()) / IMPORTS_FILE
    if not path.exists():
        return None
    _, rows = read_csv_rows(path)
    applied = [r for r in rows if r and r.get("status") == "applied"]
    return applied[-1] if applied else None


def undo_last(
    data_dir: Path | None = None, db_path: Path | None = None, user: str = ""
) -> str | None:
    """Undo the newest applied import: remove what it added, restore what it changed.

    Earlier values come from ``history.csv``; the import stays in the log marked ``undone``.
    Runs as one transaction like :func:`apply`.

    Returns:
        The id of the undone import, or ``None`` when no applied import exists.
    """
    data_dir = data_dir or config.data_dir()
    db_path = db_path or config.db_path()
    with store.transaction(data_dir, db_path) as tx:
        log = tx.read(IMPORTS_FILE)
        applied = [r for r in log if r.get("status") == "applied"]
        if not applied:
            return None
        last = applied[-1]
        current = tx.read(ORGANISATIONS_FILE)
        orgs = {o["id"]: o for o in current}
        history = tx.read(HISTORY_FILE)
        for h in reversed([h for h in history if h["import_id"] == last["import_id"]]):
            if h["action"] == "added":
                orgs.pop(h["org_id"], None)
            else:
                before = json.loads(h["before"])
                orgs[h["org_id"]] = {c: before.get(c, "") for c in ORGANISATION_COLUMNS}
        last["status"] = "undone"
        last["undone_at"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        last["undone_by"] = user or "unknown"
        tx.write(ORGANISATIONS_FILE, ORGANISATION_COLUMNS, ordered(list(orgs.values()), current))
        tx.write(IMPORTS_FILE, IMPORT_COLUMNS, log)
    return last["import_id"]
