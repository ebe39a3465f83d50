"""Concurrency check: many simultaneous sessions against one server, answers compared.

Starts ``streamlit run app.py`` on a free port (against ``FPF_DB_PATH`` or the shipped
database), records the answer to each interaction made alone, then runs ``--sessions``
simultaneous clients for ``--seconds``; each interaction opens a new Streamlit session (as a
page load does) over the app's WebSocket and runs a page with a query string (see
``streamlit_client.py``). Every answer must equal the answer made alone. Errors are
exceptions drawn by the app, failed connections and timeouts.

    .venv/bin/python bench/concurrency.py --sessions 30 --seconds 60

Prints a Markdown table row for docs/benchmarks.md; exit status 1 on any error or mismatch.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(PROJECT / "tests"))

from streamlit_client import run_page  # noqa: E402

from e2e.conftest import start_server  # noqa: E402

# (page name, query string): a mix of Explore filters, searches and profiles.
INTERACTIONS: list[tuple[str, str]] = [
    ("", ""),
    ("", "country=JP"),
    ("", "country=GB&cap=magnets_superconductors"),
    ("", "cap=blanket_breeding&cap=tritium_fuel_cycle&mode=all"),
    ("", "membership=j_fusion&lang=ja"),
    ("", "type=university&country=GB"),
    ("", "q=%E8%B6%85%E4%BC%9D%E5%B0%8E"),  # 超伝導
    ("", "q=kyoto"),
    ("", "confidence=low&lang=ja"),
    ("", "q=zzzz-no-match"),
    ("", "country=XX&cap=warp_drive"),  # stale link
    ("profile", "org=kyoto-fusioneering"),
    ("profile", "org=tokamak-energy&lang=ja"),
    ("profile", "org=no-such-org"),
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


async def run(ws_url: str, sessions: int, seconds: float, seed: int, interactions) -> dict:
    reference = {}
    for page, qs in interactions:
        reference[(page, qs)] = (await run_page(ws_url, qs, page)).signature
    stats = {"requests": 0, "errors": 0, "mismatches": 0, "latencies": [], "examples": []}
    stop_at = time.monotonic() + seconds

    async def client(i: int) -> None:
        rng = random.Random(seed + i)
        while time.monotonic() < stop_at:
            page, qs = rng.choice(interactions)
            try:
                answer = await run_page(ws_url, qs, page)
            except Exception as exc:  # noqa: BLE001 - every failure is counted
                stats["errors"] += 1
                stats["examples"].append(f"{page}?{qs}: {exc!r}")
                continue
            stats["requests"] += 1
            stats["latencies"].append(answer.seconds)
            if answer.exception:
                stats["errors"] += 1
                stats["examples"].append(f"{page}?{qs}: exception drawn")
            elif answer.signature != reference[(page, qs)]:
                stats["mismatches"] += 1
                stats["examples"].append(f"{page}?{qs}: answer differs from the same request alone")

    await asyncio.gather(*(client(i) for i in range(sessions)))
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    db = Path(os.environ.get("FPF_DB_PATH") or PROJECT / "data" / "fusion_partners.duckdb")
    proc, base = start_server(db)
    try:
        ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
        stats = asyncio.run(run(ws_url, args.sessions, args.seconds, args.seed, INTERACTIONS))
    finally:
        proc.terminate()
    lat = stats["latencies"]
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p95 = percentile(lat, 0.95) * 1000 if lat else float("nan")
    rate = stats["requests"] / args.seconds
    print("| sessions | seconds | page runs | runs/s | errors | mismatches | p50 (ms) | p95 (ms) |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| {args.sessions} | {args.seconds:.0f} | {stats['requests']} | {rate:.1f} | {stats['errors']} | "
          f"{stats['mismatches']} | {p50:.0f} | {p95:.0f} |")
    for line in stats["examples"][:10]:
        print("-", line)
    return 0 if not (stats["errors"] or stats["mismatches"]) else 1


if __name__ == "__main__":
    sys.exit(main())
