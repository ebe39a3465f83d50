"""Write an import: organisations, import log, value history and database in one transaction.

:func:`apply` plans the request again inside the write lock (so a change made by someone else
since the preview is respected) and writes ``organisations.csv``, the import log
``imports.csv``, the value history ``history.csv`` and the database together, or not at all
(:mod:`fusion_partners.data.transaction`). :mod:`.undo` takes the last import back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fusion_partners import config
from fusion_partners.data import transaction as store
from fusion_partners.data.load import (
    HISTORY_COLUMNS,
    HISTORY_FILE,
    IMPORT_COLUMNS,
    IMPORTS_FILE,
    ORGANISATIONS_FILE,
    TAXONOMY_FILE,
    search_synonyms,
)
from fusion_partners.data.roster import ORGANISATION_COLUMNS
from fusion_partners.importing.findings import Finding
from fusion_partners.importing.planner import plan
from fusion_partners.importing.request import ImportRequest


@dataclass(frozen=True)
class ApplyResult:
    """Outcome of :func:`apply`: ``import_id`` is ``None`` when nothing needed changing."""

    import_id: str | None
    added: tuple[str, ...]
    updated: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]


class ImportBlocked(Exception):
    """The data after the import would not validate; ``findings`` says why. Nothing written."""

    def __init__(self, findings: Sequence[Finding]):
        self.findings = list(findings)
        super().__init__("; ".join(f.message() for f in self.findings[:5]))


def apply(
    request: ImportRequest, data_dir: Path | None = None, db_path: Path | None = None
) -> ApplyResult:
    """Write an import: organisations, import log, value history and database, atomically.

    The plan is recomputed inside the write lock from the current files, so a change made
    by someone else since the preview is respected. Importing the same file with the same
    choices again changes nothing (no log entry either).

    Raises:
        ImportBlocked: the result would not validate.
        recovery.Busy / OSError / ValidationError: from :func:`store.transaction` (nothing written).
    """
    data_dir = data_dir or config.data_dir()
    db_path = db_path or config.db_path()
    with store.transaction(data_dir, db_path) as tx:
        result = plan(
            request,
            tx.read(ORGANISATIONS_FILE),
            tx.read(TAXONOMY_FILE),
            synonyms=search_synonyms(data_dir),
        )
        if result.blocked:
            raise ImportBlocked([f for f in result.findings if f.severity == "error"])
        counts = tuple(result.counts().items())
        if not result.changes:
            return ApplyResult(None, (), (), counts)
        now = dt.datetime.now(dt.UTC)
        hashes = [f.table.content_hash for f in request.files]
        import_id = f"{now:%Y%m%dT%H%M%SZ}-{hashes[0][:8]}"
        options = request.options
        added, updated = result.added, result.updated
        unmapped: dict[str, list[str]] = {}
        for row in result.rows:
            if row.org_id and row.unmapped:
                unmapped.setdefault(row.org_id, [])
                unmapped[row.org_id] += [u for u in row.unmapped if u not in unmapped[row.org_id]]
        old = {o["id"]: o for o in result.before}
        history = tx.read(HISTORY_FILE)
        history += [
            {
                "import_id": import_id,
                "org_id": oid,
                "action": "added",
                "changed": "",
                "before": "",
                "unmapped": " | ".join(unmapped.get(oid, [])),
            }
            for oid in added
        ]
        history += [
            {
                "import_id": import_id,
                "org_id": oid,
                "action": "updated",
                "changed": ";".join(cols),
                "before": json.dumps(old[oid], ensure_ascii=False, sort_keys=True),
                "unmapped": " | ".join(unmapped.get(oid, [])),
            }
            for oid, cols in updated.items()
        ]
        log = tx.read(IMPORTS_FILE)
        log.append(
            {
                "import_id": import_id,
                "file_name": "; ".join(f.table.file_name for f in request.files),
                "content_hash": ";".join(hashes),
                "imported_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "imported_by": options.user or "unknown",
                "source_urls": options.source_url.strip(),
                "council": options.council if options.member_list else "",
                "rows_added": str(len(added)),
                "rows_updated": str(len(updated)),
                "status": "applied",
                "undone_at": "",
                "undone_by": "",
            }
        )
        tx.write(ORGANISATIONS_FILE, ORGANISATION_COLUMNS, ordered(result.after, result.before))
        tx.write(IMPORTS_FILE, IMPORT_COLUMNS, log)
        tx.write(HISTORY_FILE, HISTORY_COLUMNS, history)
    return ApplyResult(import_id, tuple(added), tuple(updated), counts)


def _is_sorted(rows: Sequence[Mapping[str, str]]) -> bool:
    ids = [r["id"] for r in rows]
    return ids == sorted(ids)


def ordered(
    after: list[dict[str, str]], before: Sequence[Mapping[str, str]]
) -> list[dict[str, str]]:
    """``organisations.csv`` is kept sorted by id when it was (as curate writes it);
    otherwise existing rows keep their order and new ones follow, so an undo restores the
    file byte for byte."""
    return sorted(after, key=lambda o: o["id"]) if _is_sorted(before) else after
