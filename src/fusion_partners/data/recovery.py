"""The write lock of the data folder and the recovery of an interrupted write.

The protocol of a crash-safe write (lock, recover, stage, back up, journal, switch, commit)
is described in :mod:`fusion_partners.data.transaction`, which writes. This module holds the two parts
that the build needs too, so that ``build`` does not import ``store`` (which imports
``build``): the exclusive lock ``data/.write.lock`` and :func:`recover`, which restores the
files named by a journal left behind by a crashed writer and removes staging leftovers.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

JOURNAL_FILE = ".transaction.json"
LOCK_FILE = ".write.lock"
STAGING_PREFIX = ".staging-"
BACKUP_DIR = "backups"


class Busy(Exception):
    """Another process is writing the data (the write lock is held)."""


def fsync_dir(path: Path) -> None:
    """Flush a folder's entries (renames, new files) to disk; a folder that cannot be opened is skipped."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_file(path: Path) -> None:
    """Flush a file's contents to disk."""
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


@contextlib.contextmanager
def write_lock(data_dir: Path, *, wait: bool = True) -> Iterator[None]:
    """Hold the exclusive write lock of ``data_dir``.

    Raises:
        Busy: when ``wait`` is False and another process holds the lock.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / LOCK_FILE).open("a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise Busy("another import or build is writing the data") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _leftovers(data_dir: Path, db_path: Path) -> list[Path]:
    staged = list(data_dir.glob(STAGING_PREFIX + "*"))
    staged += list(db_path.parent.glob(db_path.name + ".staged-*"))
    return staged


def needs_recovery(data_dir: Path, db_path: Path) -> bool:
    """True when a journal or staging files of an unfinished transaction exist."""
    return (data_dir / JOURNAL_FILE).exists() or bool(_leftovers(data_dir, db_path))


def recover(data_dir: Path, db_path: Path) -> str:
    """Finish an interrupted transaction, if any, without waiting for the lock.

    Returns:
        ``"none"`` (nothing to do), ``"rolled_back"`` (a journal was found and the files
        were restored from its backup), ``"cleaned"`` (staging leftovers removed) or
        ``"busy"`` (another process is writing; nothing touched).
    """
    if not needs_recovery(data_dir, db_path):
        return "none"
    try:
        with write_lock(data_dir, wait=False):
            return recover_locked(data_dir, db_path)
    except Busy:
        return "busy"


def _restore(backup: Path | None, target: Path) -> None:
    if backup is not None and backup.exists():
        tmp = target.with_name(target.name + ".restoring")
        shutil.copy2(backup, tmp)
        fsync_file(tmp)
        os.replace(tmp, target)
    else:
        target.unlink(missing_ok=True)


def recover_locked(data_dir: Path, db_path: Path) -> str:
    """Like :func:`recover`, for a caller that already holds :func:`write_lock`.

    Returns:
        ``"none"``, ``"rolled_back"`` or ``"cleaned"`` (see :func:`recover`).
    """
    journal = data_dir / JOURNAL_FILE
    outcome = "none"
    if journal.exists():
        try:
            state = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = None  # a journal is written atomically; an unreadable one was never valid
        if state and state.get("state") == "prepared":
            backup_dir = Path(state["backup"])
            for _staged, target, existed in state["files"]:
                target = Path(target)
                _restore(backup_dir / target.name if existed else None, target)
            fsync_dir(data_dir)
            outcome = "rolled_back"
        journal.unlink(missing_ok=True)
        fsync_dir(data_dir)
    leftovers = _leftovers(data_dir, db_path)
    for path in leftovers:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    if leftovers and outcome == "none":
        outcome = "cleaned"
    for stray in data_dir.glob("*.restoring"):
        stray.unlink(missing_ok=True)
    return outcome
