"""Concurrency check: many simultaneous sessions against one server, answers compared.

Starts ``streamlit run app.py`` on a free port (against ``FPF_DB_PATH`` or the shipped
database), records the answer to each interaction made alone, then runs ``--sessions``
simultaneous clients for ``--seconds``; each interaction opens a new Streamlit session (as a
page load does) over the app's WebSocket and runs a page with a query string (see
``streamlit_client.py``). Every answer must equal the answer made alone. Errors are
exceptions drawn by the app, failed connections and timeouts.

Two modes:

* default (**cache hits**): a fixed mix of :data:`INTERACTIONS`. The reference pass (each made
  alone) fills the app's result cache, so the timed requests measure page runs answered from
  the cache — the cost of many visitors looking at the same views.
* ``--cache-miss``: **every request is new** — a filter combination drawn at random from the
  data's own values (countries, types, memberships, capabilities any/all, confidence, a search
  word, the language) that no earlier request used, or the profile of an organisation not yet
  shown; nothing is answered from the result cache. No reference pass (there is nothing to
  compare with that would not itself fill the cache): errors and timeouts are counted, answers
  are not compared.

    .venv/bin/python bench/concurrency.py --sessions 30 --seconds 60
    .venv/bin/python bench/concurrency.py --sessions 30 --seconds 60 --cache-miss

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
from urllib.parse import urlencode

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


SEARCH_WORDS = (
    "fusion",
    "magnet",
    "plasma",
    "tritium",
    "laser",
    "university",
    "engineering",
    "kyoto",
    "tokyo",
    "oxford",
    "超伝導",
    "核融合",
    "研究",
    "materials",
    "power",
    "vacuum",
    "robot",
    "energy",
)
"""Words a cache-miss request may search for (alongside random filters)."""


class FreshRequests:
    """Requests that no earlier one made: random filter combinations over the values in the
    database, and profiles of organisations not yet shown. Deterministic for a seed."""

    def __init__(self, db: Path, seed: int) -> None:
        import duckdb

        con = duckdb.connect(str(db), read_only=True)
        try:
            col = lambda sql: [r[0] for r in con.execute(sql).fetchall()]  # noqa: E731
            self.countries = col("SELECT DISTINCT country FROM organisations ORDER BY 1")
            self.types = col("SELECT DISTINCT org_type FROM organisations ORDER BY 1")
            self.memberships = col("SELECT DISTINCT membership FROM organisations ORDER BY 1")
            self.caps = col("SELECT slug FROM capabilities ORDER BY 1")
            self.orgs = col("SELECT id FROM organisations ORDER BY 1")
        finally:
            con.close()
        self.rng = random.Random(seed)
        self.rng.shuffle(self.orgs)
        self.seen: set[tuple[str, str]] = set()

    def _explore(self) -> str:
        r = self.rng
        params: list[tuple[str, str]] = []
        for name, values, most in (
            ("country", self.countries, 3),
            ("type", self.types, 3),
            ("membership", self.memberships, 2),
            ("cap", self.caps, 3),
        ):
            if r.random() < 0.5:
                params += [
                    (name, v) for v in r.sample(values, r.randint(1, min(most, len(values))))
                ]
        if any(k == "cap" for k, _ in params) and r.random() < 0.3:
            params.append(("mode", "all"))
        if r.random() < 0.3:
            params.append(("confidence", r.choice(["high", "medium", "low"])))
        if r.random() < 0.4:
            params.append(("q", r.choice(SEARCH_WORDS)))
        if r.random() < 0.3:
            params.append(("lang", "ja"))
        return urlencode(params)

    def next(self) -> tuple[str, str]:
        """A (page, query string) pair not returned before."""
        while True:
            if self.orgs and self.rng.random() < 0.2:
                request = ("profile", urlencode({"org": self.orgs.pop()}))
            else:
                request = ("", self._explore())
            if request not in self.seen:
                self.seen.add(request)
                return request


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


async def run(
    ws_url: str,
    sessions: int,
    seconds: float,
    seed: int,
    interactions,
    fresh: FreshRequests | None = None,
) -> dict:
    """Run ``sessions`` clients for ``seconds``: with ``fresh``, every request comes from it
    (never repeated, answers not compared); otherwise from ``interactions``, each answer
    compared with the same request made alone first."""
    reference = {}
    if fresh is None:
        for page, qs in interactions:
            reference[(page, qs)] = (await run_page(ws_url, qs, page)).signature
    stats = {"requests": 0, "errors": 0, "mismatches": 0, "latencies": [], "examples": []}
    stop_at = time.monotonic() + seconds

    async def client(i: int) -> None:
        rng = random.Random(seed + i)
        while time.monotonic() < stop_at:
            page, qs = fresh.next() if fresh is not None else rng.choice(interactions)
            try:
                answer = await run_page(ws_url, qs, page, timeout=300)
            except Exception as exc:  # noqa: BLE001 - every failure is counted
                stats["errors"] += 1
                stats["examples"].append(f"{page}?{qs}: {exc!r}")
                continue
            stats["requests"] += 1
            stats["latencies"].append(answer.seconds)
            if answer.exception:
                stats["errors"] += 1
                stats["examples"].append(f"{page}?{qs}: exception drawn")
            elif fresh is None and answer.signature != reference[(page, qs)]:
                stats["mismatches"] += 1
                stats["examples"].append(f"{page}?{qs}: answer differs from the same request alone")

    await asyncio.gather(*(client(i) for i in range(sessions)))
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--cache-miss", action="store_true", help="every request new (nothing from the cache)"
    )
    args = parser.parse_args()
    db = Path(os.environ.get("FPF_DB_PATH") or PROJECT / "data" / "fusion_partners.duckdb")
    fresh = FreshRequests(db, args.seed) if args.cache_miss else None
    load_start = os.getloadavg()[0]
    proc, base = start_server(db)
    try:
        ws_url = base.replace("http://", "ws://") + "/_stcore/stream"
        stats = asyncio.run(
            run(ws_url, args.sessions, args.seconds, args.seed, INTERACTIONS, fresh)
        )
    finally:
        proc.terminate()
    lat = stats["latencies"]
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p95 = percentile(lat, 0.95) * 1000 if lat else float("nan")
    rate = stats["requests"] / args.seconds
    mode = "cache miss (every request new)" if fresh is not None else "cache hits (fixed mix)"
    mismatches = "n/a" if fresh is not None else str(stats["mismatches"])
    print(
        "| mode | sessions | seconds | page runs | runs/s | errors | mismatches | p50 (ms) | p95 (ms) | load (start → end) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {mode} | {args.sessions} | {args.seconds:.0f} | {stats['requests']} | {rate:.1f} | {stats['errors']} | "
        f"{mismatches} | {p50:.0f} | {p95:.0f} | {load_start:.1f} → {os.getloadavg()[0]:.1f} |"
    )
    for line in stats["examples"][:10]:
        print("-", line)
    return 0 if not (stats["errors"] or stats["mismatches"]) else 1


if __name__ == "__main__":
    sys.exit(main())
