"""Benchmark of the forgiving search: build cost, search and "did you mean" latency.

    .venv/bin/python -m bench.bench_search                          # shipped roster and 10k, 100k
    .venv/bin/python -m bench.bench_search --sizes shipped --no-write   # a quick look

For each size (``shipped`` = the curated roster in ``data/``; a number = a synthetic roster from
:mod:`bench.synthetic`, built through the normal build path):

* **build** — the whole build in seconds (it now stores hiragana readings of Japanese names and
  folds punctuation and symbols in the searchable text);
* **search** — :func:`queries.organisation_table` (up to 5,001 rows, as Explore asks) for the
  queries of issue 16 (:data:`QUERIES`), p50 / p95 in ms, no result cache;
* **did you mean** — :func:`spelling.suggest` for the misspellings of :data:`MISSPELLINGS`
  with the vocabulary already read, as Explore does (it caches the vocabulary per data
  version): rapidfuzz and counting up to 15 candidates, p50 / p95 in ms, no result cache; and
  the vocabulary's size and the time to read it (:func:`queries.search.search_vocabulary`,
  once per data version in the app).

Results go to the "Search" section of ``docs/benchmarks.md``. Not a test: nothing fails when a
figure is high.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.report import machine, write_section

PROJECT = Path(__file__).resolve().parents[1]
SECTION = "## Search: forgiving search and did you mean"
QUERIES = (
    "tokamak",
    "remote handling",
    "remote-handling",
    "✓ tokamak",
    "R&D",
    "ふるかわ",
    "京都",
    "Fujikra",
)
"""Searches timed (those of issue 16 and two plain ones)."""
MISSPELLINGS = ("Fujikra", "furukowa", "Tokamak Enegry", "remote handlng", "ふるかは", "xyzzy")
"""Searches that find nothing, for "did you mean" (the last has no suggestion)."""


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{statistics.median(ordered) * 1000:.1f} / {p95 * 1000:.1f}"


def measure(size: str, repeat: int) -> dict[str, str]:
    """Build the roster of ``size`` and time search and did-you-mean on it."""
    from fusion_partners import queries
    from fusion_partners.data.build import build
    from fusion_partners.db import connect_readonly
    from fusion_partners.explore.filters import Filters
    from fusion_partners.queries.search import did_you_mean, search_vocabulary
    from fusion_partners.search.spelling import suggest as spelling_suggest

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        start = time.perf_counter()
        if size == "shipped":
            build(PROJECT / "data", db)
        else:
            from bench.synthetic import synthetic_database

            synthetic_database(int(size), db)
        built = time.perf_counter() - start
        con = connect_readonly(db)
        try:
            n = queries.total_organisations(con)
            search, suggest, vocab_times = [], [], []
            vocab = search_vocabulary(con)
            for _ in range(repeat):
                for q in QUERIES:
                    t0 = time.perf_counter()
                    queries.organisation_table(con, Filters(query=q), limit=5001)
                    search.append(time.perf_counter() - t0)
                for q in MISSPELLINGS:
                    t0 = time.perf_counter()
                    spelling_suggest(q, vocab, lambda text: queries.count(con, Filters(query=text)))
                    suggest.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                vocab = search_vocabulary(con)
                vocab_times.append(time.perf_counter() - t0)
            offered = {q: did_you_mean(con, Filters(query=q))[:1] for q in MISSPELLINGS}
        finally:
            con.close()
    return {
        "size": "shipped roster" if size == "shipped" else f"{int(size):,}",
        "n": f"{n:,}",
        "build": f"{built:.1f}",
        "search": _ms(search),
        "dym": _ms(suggest),
        "vocab": f"{len(vocab.phrases):,} / {len(vocab.words):,}",
        "vocab_ms": _ms(vocab_times),
        "offered": "; ".join(f"{q} → {o[0] if o else '—'}" for q, o in offered.items()),
    }


def report(rows: list[dict[str, str]], command: str) -> str:
    """The Markdown section for ``docs/benchmarks.md``."""
    lines = [
        SECTION,
        "",
        f"- Machine: {machine()}",
        f"- Run on {dt.date.today().isoformat()} with `{command}`.",
        f"- *search*: `queries.organisation_table` (≤ 5,001 rows) for {', '.join(f'`{q}`' for q in QUERIES)};"
        f" *did you mean*: `spelling.suggest` for {', '.join(f'`{q}`' for q in MISSPELLINGS)}"
        " with the vocabulary read once, as the app caches it (rapidfuzz, up to 15 counts; no result cache);"
        " *vocabulary read*: `queries.search.search_vocabulary`, once per data version in the app. p50 / p95 in ms.",
        "- Synthetic rosters (`bench/synthetic.py`) hold made-up names, so the names of the misspellings are not in them; only label and word suggestions apply there. Wall-clock figures follow the machine's load (see the load average above).",
        "",
        "| organisations | build (s) | search p50 / p95 (ms) | did you mean p50 / p95 (ms) | vocabulary phrases / words | vocabulary read p50 / p95 (ms) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['size']} | {r['build']} | {r['search']} | {r['dym']} | {r['vocab']} | {r['vocab_ms']} |"
        for r in rows
    ]
    lines += [
        "",
        "First suggestion offered: " + " · ".join(f"{r['size']}: {r['offered']}" for r in rows),
        "",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; write its section of ``docs/benchmarks.md`` unless ``--no-write``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["shipped", "10000", "100000"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    for size in args.sizes:
        if size != "shipped" and not size.isdigit():
            parser.error(f"a size is 'shipped' or a number, not {size!r}")
    rows = [measure(size, args.repeat) for size in args.sizes]
    text = report(
        rows, "python -m bench.bench_search " + " ".join(sys.argv[1:] if argv is None else argv)
    )
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
