"""A throwaway PostgreSQL server for the workspace tests (standard library only).

``python3 tests/pgserver.py start DIR PORT`` creates a cluster in ``DIR`` with Debian's
``initdb`` (``/usr/lib/postgresql/<version>/bin``), starts it on ``127.0.0.1:PORT`` with
trust authentication (local tests only), creates the database ``fpf_test`` and prints its
URL; ``python3 tests/pgserver.py stop DIR`` stops it. PostgreSQL refuses to run as root, so
as root the server runs as the ``postgres`` user (``runuser``).

The tests use ``$FPF_TEST_POSTGRES_URL`` when set (CI starts a server with this script and
sets it); otherwise they start one with :func:`start` when PostgreSQL is installed, and
skip the PostgreSQL variants when it is not (fail instead with ``FPF_REQUIRE_POSTGRES=1``).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def bindir() -> Path | None:
    """Folder of ``initdb``/``pg_ctl``: the newest Debian PostgreSQL, else ``PATH``; None when absent."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
    )
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_owner(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


def start(folder: Path, port: int) -> str:
    """Create and start a cluster in ``folder`` on ``port``; returns the database URL.

    Raises:
        RuntimeError: PostgreSQL is not installed or did not start (its log is in the message).
    """
    bins = bindir()
    if bins is None:
        raise RuntimeError("PostgreSQL is not installed (no initdb)")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "pgdata"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    if not (data / "PG_VERSION").exists():
        subprocess.run(
            _as_owner(
                [
                    str(bins / "initdb"),
                    "-D",
                    str(data),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--no-locale",
                ]
            ),
            check=True,
            capture_output=True,
        )
    log = folder / "server.log"
    opts = (
        f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c max_connections=200 -c fsync=off"
    )
    subprocess.run(
        _as_owner(
            [str(bins / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", opts, "-w", "start"]
        ),
        check=True,
        capture_output=True,
    )
    url = f"postgresql://postgres@127.0.0.1:{port}/fpf_test"
    for _ in range(50):
        made = subprocess.run(
            _as_owner(
                [
                    str(bins / "createdb"),
                    "-h",
                    "127.0.0.1",
                    "-p",
                    str(port),
                    "-U",
                    "postgres",
                    "fpf_test",
                ]
            ),
            capture_output=True,
            text=True,
        )
        if made.returncode == 0 or "already exists" in made.stderr:
            return url
        time.sleep(0.2)
    raise RuntimeError(
        f"PostgreSQL did not start: {log.read_text(errors='replace')[-2000:] if log.exists() else ''}"
    )


def stop(folder: Path) -> None:
    """Stop the cluster in ``folder`` (fast shutdown); nothing happens when it is not running."""
    bins = bindir()
    data = Path(folder) / "pgdata"
    if bins and (data / "postmaster.pid").exists():
        subprocess.run(
            _as_owner([str(bins / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
        )


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "start":
        print(start(Path(sys.argv[2]), int(sys.argv[3])))
    elif len(sys.argv) >= 3 and sys.argv[1] == "stop":
        stop(Path(sys.argv[2]))
    else:
        sys.exit("usage: pgserver.py start DIR PORT | stop DIR")
