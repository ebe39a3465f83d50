"""Crash-safe writes of the curated CSVs *and* the database, as one transaction.

``data/*.csv`` are the source of truth and the database is built from them, so a change
(an import, an undo) must replace several CSVs and the database together. Protocol:

1. **Lock**: ``data/.write.lock`` (``fcntl.flock``, exclusive) serialises writers; the
   kernel releases it when a process dies, so a crashed writer never blocks the next one.
2. **Recover** any earlier crashed transaction (below).
3. **Stage**: copy the data folder's CSVs and ``schema.sql`` to ``data/.staging-<tx>/``,
   write the changed CSVs there, validate and build a new database from them next to the
   live one (``<db>.staged-<tx>``). Any error here deletes the staging files: nothing live
   was touched.
4. **Back up** the live files that will be replaced to ``data/backups/<tx>/`` (git-ignored;
   the newest :data:`KEEP_BACKUPS` are kept).
5. **Journal**: write ``data/.transaction.json`` (state ``prepared``: the pairs staged →
   live and the backup folder) atomically, fsynced.
6. **Switch**: ``os.replace`` each staged CSV over the live one, then the database last.
   Each rename is atomic; readers holding the old database file keep reading it, and the
   app's connection (cached per file modification time) picks up the new file next run.
7. **Commit point**: the journal is deleted; the staging folder is removed.

**Recovery** (:func:`recover`; run before every transaction, by ``build`` and when the app
opens the database): a journal still present means a transaction died between steps 5 and
7, so every file it names is restored from the backup (a file that did not exist before
is removed), each restored by copy + ``os.replace``; then the journal and staging files are
deleted. Staging files without a journal (a death before step 5) are simply deleted. In
both cases the data is exactly as before the transaction. Recovery never runs while
another process holds the lock.

A crash can be simulated for tests: ``FPF_CRASH_AT=<point>`` makes the writing process
``SIGKILL`` itself at ``staged``, ``journal``, ``replaced-<n>`` (after the n-th rename,
from 1) or ``committed``.

The lock and the recovery live in :mod:`fusion_partners.data.recovery` (the build uses them too,
and must not import this module, which imports the build); they are re-exported here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import signal
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from fusion_partners.data.build import SCHEMA_FILE, write_database
from fusion_partners.data.load import load_curated
from fusion_partners.data.recovery import (
    BACKUP_DIR,
    JOURNAL_FILE,
    STAGING_PREFIX,
    fsync_dir,
    fsync_file,
    write_lock,
)
from fusion_partners.data.recovery import recover_locked as _recover_locked
from fusion_partners.data.roster import ValidationError, read_csv_rows, write_csv

KEEP_BACKUPS = 20


def _crash_point(name: str) -> None:
    if os.environ.get("FPF_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


class Transaction:
    """Files to replace in one :func:`transaction`; read the current ones, stage new ones."""

    def __init__(self, data_dir: Path, db_path: Path):
        self.data_dir = data_dir
        self.db_path = db_path
        self.writes: dict[str, tuple[Sequence[str], list[dict[str, str]]]] = {}

    def read(self, name: str) -> list[dict[str, str]]:
        """Rows of the live ``data/<name>`` ([] when it does not exist)."""
        path = self.data_dir / name
        if not path.exists():
            return []
        _, rows = read_csv_rows(path)
        return [r for r in rows if r]

    def write(self, name: str, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
        """Stage ``rows`` as the new ``data/<name>`` (written at commit)."""
        self.writes[name] = (tuple(columns), list(rows))


@contextlib.contextmanager
def transaction(data_dir: Path, db_path: Path) -> Iterator[Transaction]:
    """Change curated CSVs and the database together, all or nothing.

    Use as ``with transaction(data, db) as tx: rows = tx.read(...); tx.write(...)``. When
    the block ends without error and wrote something, the protocol in the module docstring
    runs; an exception in the block writes nothing.

    Raises:
        ValidationError: the staged data has errors (nothing live touched).
        OSError / duckdb.Error: staging failed (nothing live touched).
    """
    with write_lock(data_dir):
        _recover_locked(data_dir, db_path)
        tx = Transaction(data_dir, db_path)
        yield tx
        if tx.writes:
            _commit(tx)


def _commit(tx: Transaction) -> None:
    data_dir, db_path = tx.data_dir, tx.db_path
    txid = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ") + f"-{os.getpid()}"
    stage = data_dir / f"{STAGING_PREFIX}{txid}"
    staged_db = db_path.with_name(f"{db_path.name}.staged-{txid}")
    try:
        stage.mkdir()
        for src in [*data_dir.glob("*.csv"), data_dir / SCHEMA_FILE]:
            if src.exists():
                shutil.copy2(src, stage / src.name)
        for name, (columns, rows) in tx.writes.items():
            write_csv(stage / name, columns, rows)
            fsync_file(stage / name)
        curated = load_curated(stage)
        if curated.errors:
            raise ValidationError(curated.problems)
        write_database(curated, (stage / SCHEMA_FILE).read_text(encoding="utf-8"), staged_db)
        fsync_file(staged_db)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        staged_db.unlink(missing_ok=True)
        raise
    _crash_point("staged")

    pairs = [(stage / name, data_dir / name) for name in tx.writes] + [(staged_db, db_path)]
    backup = data_dir / BACKUP_DIR / txid
    backup.mkdir(parents=True)
    for _, target in pairs:
        if target.exists():
            shutil.copy2(target, backup / target.name)
            fsync_file(backup / target.name)
    fsync_dir(backup)
    journal = {
        "state": "prepared",
        "tx": txid,
        "backup": str(backup),
        "files": [[str(s), str(t), t.exists()] for s, t in pairs],
    }
    tmp = data_dir / (JOURNAL_FILE + ".tmp")
    tmp.write_text(json.dumps(journal, indent=1), encoding="utf-8")
    fsync_file(tmp)
    os.replace(tmp, data_dir / JOURNAL_FILE)
    fsync_dir(data_dir)
    _crash_point("journal")

    for n, (staged, target) in enumerate(pairs, start=1):
        os.replace(staged, target)
        _crash_point(f"replaced-{n}")
    fsync_dir(data_dir)
    fsync_dir(db_path.parent)
    (data_dir / JOURNAL_FILE).unlink()
    fsync_dir(data_dir)
    _crash_point("committed")
    shutil.rmtree(stage, ignore_errors=True)
    _prune_backups(data_dir / BACKUP_DIR)


def _prune_backups(folder: Path) -> None:
    backups = sorted(p for p in folder.iterdir() if p.is_dir())
    for old in backups[:-KEEP_BACKUPS]:
        shutil.rmtree(old, ignore_errors=True)
