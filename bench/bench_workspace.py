"""Workspace benchmark: shortlist save and load latency on SQLite and PostgreSQL, and 30
concurrent sessions editing shortlists for 60 s, checked for errors and lost updates.

Run: ``.venv/bin/python bench/bench_workspace.py [--seconds 60] [--sessions 30] [--write]``.
PostgreSQL comes from ``$FPF_TEST_POSTGRES_URL`` or a throwaway server started here
(``tests/pgserver.py``); without PostgreSQL only SQLite is measured. ``--write`` replaces
the "Workspace" section of ``docs/benchmarks.md``.

What is timed (wall clock, ``time.perf_counter``), each over ``--repeat`` calls on a
shortlist of 50 candidates:

* **save**: one ``update_entry`` (a note and status with its version check), one
  ``add_entries`` of one candidate (the Partner finder's "Add to shortlist");
* **load**: ``open(token)`` + ``entries()`` (what the Shortlists page reads per rerun).

The concurrency run: ``--sessions`` threads share one store (one app process serves many
sessions through one connection pool), each looping for ``--seconds``: read the shortlist,
append a unique mark to a random candidate's note with the version it read, and on a
version conflict read again and retry. At the end every mark must be in its note exactly
once: a missing mark is a lost update, a duplicate a double write. Errors are any
exception other than a version conflict.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.report import machine, write_section  # noqa: E402
from fusion_partners.workspace import Conflict, open_workspace  # noqa: E402

ENTRY = {
    "id": "x",
    "name_en": "Candidate",
    "score": 1.0,
    "weights": {"match": 1.0},
    "matches": [],
    "reason_text": "Supplies what the start needs" * 4,
}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latency(url: str, repeat: int) -> dict[str, tuple[float, float]]:
    """``{operation: (p50 ms, p95 ms)}`` on a fresh shortlist of 50 candidates."""
    ws = open_workspace(url)
    opened = ws.create_shortlist("bench", "en")
    ws.add_entries(
        opened.token, [(f"s|supply_chain|c{i}", {**ENTRY, "id": f"c{i}"}) for i in range(50)]
    )
    times: dict[str, list[float]] = {
        "save: note and status": [],
        "save: add one candidate": [],
        "load: open and read 50 candidates": [],
    }
    entries = ws.entries(opened.shortlist["id"])
    for i in range(repeat):
        e = entries[i % len(entries)]
        t0 = time.perf_counter()
        row = ws.update_entry(
            opened.token, e["id"], e["version"], note=f"note {i}", status="contacted"
        )
        times["save: note and status"].append(time.perf_counter() - t0)
        entries[i % len(entries)] = row
        t0 = time.perf_counter()
        ws.add_entries(
            opened.token, [(f"s|supply_chain|c{i % 50}", {**ENTRY, "id": f"c{i % 50}", "score": i})]
        )
        times["save: add one candidate"].append(time.perf_counter() - t0)
        entries = ws.entries(opened.shortlist["id"])  # versions moved on
        t0 = time.perf_counter()
        ws.open(opened.token)
        ws.entries(opened.shortlist["id"])
        times["load: open and read 50 candidates"].append(time.perf_counter() - t0)
    ws.dispose()
    return {k: (statistics.median(v) * 1000, _pct(v, 0.95) * 1000) for k, v in times.items()}


def concurrency(
    url: str, sessions: int, seconds: float, lists: int = 5, per_list: int = 40
) -> dict[str, float]:
    """Run the concurrent-editing load; returns counts (writes, conflicts, errors, lost, doubled)."""
    ws = open_workspace(url)
    tokens = []
    for n in range(lists):
        opened = ws.create_shortlist(f"shared {n}", "en")
        ws.add_entries(
            opened.token, [(f"s|k|c{i}", {**ENTRY, "id": f"c{i}"}) for i in range(per_list)]
        )
        tokens.append((opened.token, opened.shortlist["id"]))
    done: list[tuple[int, int, str]] = []  # (list, entry id, mark) acknowledged as saved
    first_errors: list[str] = []
    counts = Counter()
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def session(n: int) -> None:
        rng = random.Random(n)
        i = 0
        while time.monotonic() < stop:
            li = rng.randrange(lists)
            token, sid = tokens[li]
            slot = rng.randrange(per_list)
            mark = f"[{n}:{i}]"
            i += 1
            while time.monotonic() < stop + 30:
                try:
                    entry = ws.entries(sid)[
                        slot
                    ]  # read again on every try: the version may have moved
                    ws.update_entry(token, entry["id"], entry["version"], note=entry["note"] + mark)
                    with lock:
                        done.append((li, entry["id"], mark))
                        counts["writes"] += 1
                    break
                except Conflict:
                    with lock:
                        counts["conflicts"] += 1
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    with lock:
                        counts["errors"] += 1
                        counts[f"error: {type(exc).__name__}"] += 1
                        first_errors.append(str(exc)[:200])
                    break

    threads = [threading.Thread(target=session, args=(n,)) for n in range(sessions)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    notes = {
        (li, e["id"]): e["note"] for li, (_, sid) in enumerate(tokens) for e in ws.entries(sid)
    }
    lost = sum(1 for li, eid, mark in done if mark not in notes[(li, eid)])
    doubled = sum(1 for li, eid, mark in done if notes[(li, eid)].count(mark) > 1)
    stray = sum(note.count("[") for note in notes.values()) - len(done)
    ws.dispose()
    if first_errors:
        print("first errors:", sorted(set(first_errors))[:3], flush=True)
    return {
        **counts,
        "lost": lost,
        "doubled": doubled,
        "unacknowledged": stray,
        "seconds": elapsed,
        "writes_per_s": counts["writes"] / elapsed if elapsed else 0.0,
    }


def _stores(tmp: Path) -> list[tuple[str, str]]:
    import os

    out = [("SQLite", f"sqlite:///{tmp / 'bench.sqlite3'}")]
    pg = os.environ.get("FPF_TEST_POSTGRES_URL", "")
    if not pg:
        from tests import pgserver

        if pgserver.bindir():
            folder = Path(tempfile.mkdtemp(prefix="fpf-bench-pg-"))
            pg = pgserver.start(folder, 55433)
            _stores.started = folder  # type: ignore[attr-defined]
    if pg:
        out.append(("PostgreSQL", pg.replace("postgresql://", "postgresql+psycopg://", 1)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument(
        "--write", action="store_true", help="write the results to docs/benchmarks.md"
    )
    args = parser.parse_args(argv)
    where = machine()
    rows, conc = [], []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            for name, url in _stores(Path(tmp)):
                for op, (p50, p95) in latency(url, args.repeat).items():
                    rows.append(f"| {name} | {op} | {p50:.1f} | {p95:.1f} |")
                    print(rows[-1], flush=True)
                # a fresh database for the concurrent run on PostgreSQL too (same server, new shortlists)
                c = concurrency(url, args.sessions, args.seconds)
                errors = (
                    ", ".join(f"{k[7:]} {v}" for k, v in c.items() if k.startswith("error: "))
                    or "none"
                )
                conc.append(
                    f"| {name} | {args.sessions} | {c['seconds']:.0f} | {c.get('writes', 0)} | "
                    f"{c['writes_per_s']:.1f} | {c.get('conflicts', 0)} | {c.get('errors', 0)} ({errors}) | "
                    f"{c['lost']} | {c['doubled']} |"
                )
                print(conc[-1], flush=True)
        finally:
            started = getattr(_stores, "started", None)
            if started:
                from tests import pgserver

                pgserver.stop(started)
    import os

    load_end = f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"
    section = "\n".join(
        [
            "## Workspace: shortlist save and load, 30 concurrent editors",
            "",
            f"`bench/bench_workspace.py --seconds {args.seconds:g} --sessions {args.sessions} "
            f"--repeat {args.repeat}`. Machine: {where}; load average {load_end} at the end.",
            "PostgreSQL is a local throwaway server (Debian's package, `fsync=off`, on the same 2 cores as the",
            "benchmark), so its figures show the store's own cost, not a network round trip.",
            "",
            "| Store | Operation | p50 ms | p95 ms |",
            "|---|---|---:|---:|",
            *rows,
            "",
            "Concurrent editing: each session appends a unique mark to a random candidate's note of one of",
            "5 shared shortlists (40 candidates each), with the version it read; on a conflict it reads again",
            "and retries. *Lost* counts acknowledged marks missing from the final notes, *doubled* marks",
            "written twice; both must be 0. Conflicts are expected (that is the check working), errors are not.",
            "",
            "| Store | Sessions | Seconds | Saved edits | Edits/s | Conflicts (retried) | Errors | Lost | Doubled |",
            "|---|---:|---:|---:|---:|---:|---|---:|---:|",
            *conc,
            "",
        ]
    )
    print(section)
    if args.write:
        write_section("## Workspace: shortlist save and load, 30 concurrent editors", section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
