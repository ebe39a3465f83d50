"""Benchmark at scale: filter interactions, partner finder, cold start, memory, pandas reference.

    .venv/bin/python -m bench.bench_scale                                  # shipped, 1k, 10k, 100k, 1M
    .venv/bin/python -m bench.bench_scale --sizes shipped 10000 --no-write   # a quick look

For each size (``shipped`` = the curated roster in ``data/``; a number = a synthetic roster
from :mod:`bench.synthetic`, built through the normal build path) and in one run:

* **Filter interaction** — what the server does when a filter changes on Explore/Insights:
  :func:`queries.filter_summary` (facet counts of every filter, match count, capability ×
  country chart data, in one statement) and the table page (up to 5,001 rows, as the page
  asks), on a read-only connection without the app's result cache. Timed for :data:`FILTER_SETS` varied filter sets
  (countries, memberships, types, capabilities any/all, confidence, searches in English and
  Japanese, an empty result) × ``--repeat``; p50 and p95 in milliseconds.
* **pandas reference** — the same interaction written plainly in pandas over the same rows
  (boolean masks, ``str.contains(regex=False)``, per-row list tests, ``value_counts``,
  ``explode``), as a typical dashboard would; its results are checked against DuckDB's.
* **Partner finder** — one supply-chain query for a Japanese developer (top 50 with reasons).
* **Cold start** — ``streamlit run app.py`` on that database until the first Explore page has
  been served (a session over the app's WebSocket, :mod:`bench.streamlit_client`).
* **Peak resident memory** — of the measuring process (DuckDB side, ``ru_maxrss``), of the
  pandas process, and of the app server after serving every filter set once (``VmHWM``).

Each side runs in its own process so memory figures do not mix. Results go to the "Scale"
section of ``docs/benchmarks.md`` with the machine description. Not a test: nothing fails
when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from bench.report import machine, write_section

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
SECTION = "## Scale: filter interactions, memory and the pandas reference"
TABLE_LIMIT = 5001  # the Explore page asks for MAX_ROWS + 1

# Varied filter sets (as URL-style dicts so the server run can use them too).
FILTER_SETS: list[dict[str, list[str]]] = [
    {},
    {"country": ["JP"]},
    {"country": ["GB"], "cap": ["magnets_superconductors"]},
    {"country": ["JP", "GB"], "cap": ["blanket_breeding", "tritium_fuel_cycle"]},
    {"cap": ["blanket_breeding", "tritium_fuel_cycle"], "mode": ["all"]},
    {"cap": ["materials", "precision_manufacturing", "engineering_design"], "mode": ["all"], "country": ["GB"]},
    {"membership": ["j_fusion"]},
    {"membership": ["other"], "type": ["company", "startup"]},
    {"type": ["university"], "country": ["GB"]},
    {"confidence": ["high"], "cap": ["plasma_heating"]},
    {"confidence": ["low", "medium"], "type": ["investor"]},
    {"q": ["tokamak"]},
    {"q": ["magnet"], "country": ["JP"]},
    {"q": ["京都"]},
    {"q": ["ﾍﾘｶﾙ"]},
    {"q": ["fusion engineering"]},
    {"q": ["zzzz-nothing"]},
    {"country": ["US", "FR"], "type": ["company"]},
    {"cap": ["remote_handling_robotics", "vacuum_cryogenics", "power_electronics_electrical"]},
    {"type": ["public_body"], "cap": ["construction_civil"], "q": ["council"]},
]


# --------------------------------------------------------------------------- workers

def _filters(spec: dict[str, list[str]]):
    from fusion_partners.filters import Filters

    return Filters(
        countries=spec.get("country", ()), memberships=spec.get("membership", ()),
        org_types=spec.get("type", ()), capabilities=spec.get("cap", ()),
        capability_mode=(spec.get("mode") or ["any"])[0], confidences=spec.get("confidence", ()),
        query=(spec.get("q") or [""])[0],
    )


def peak_rss_mb(pid: int | str = "self") -> float:
    """Peak resident set size of a process in MB (Linux ``VmHWM``; unlike ``ru_maxrss`` it is
    not inherited from the parent across ``exec``)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _quantiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered), p95


def duckdb_worker(db: str, repeat: int) -> dict:
    """Filter interactions and one partner-finder query on a read-only connection."""

    from fusion_partners import queries
    from fusion_partners.db import connect_readonly, fetch_rows
    from fusion_partners.partners import PartnerQuery
    from fusion_partners.queries import partners as qp

    con = connect_readonly(db)
    filters = [_filters(s) for s in FILTER_SETS]
    answers = {}

    def interaction(f):
        summary = queries.filter_summary(con, f)  # facets, totals and chart data: one statement
        table = queries.organisation_table(con, f, limit=TABLE_LIMIT)
        return summary.count, summary.facets, len(table), summary.capability_country, summary.country_totals

    for i, f in enumerate(filters):  # warm-up and the answers for the cross-check
        n, facets, rows, heat, totals = interaction(f)
        answers[i] = {"count": n, "facets": facets, "rows": rows,
                      "heat": sorted((r.slug, r.country, int(r.n)) for r in heat.itertuples())}
    times, cpu = [], []
    for _ in range(repeat):
        for f in filters:
            t0, c0 = time.perf_counter(), time.process_time()
            interaction(f)
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)  # all threads of this process
    start = fetch_rows(con, "SELECT id FROM organisations WHERE country = 'JP' AND list_contains(capabilities, "
                            "'fusion_developer_mcf') ORDER BY len(capabilities) DESC, id LIMIT 1")
    partner_times = []
    if start:
        query = PartnerQuery(start=start[0][0], kind="supply_chain")
        qp.suggestions(con, query)
        for _ in range(max(repeat, 10)):
            t0 = time.perf_counter()
            qp.suggestions(con, query)
            partner_times.append((time.perf_counter() - t0) * 1000)
    p50, p95 = _quantiles(times)
    pp50, pp95 = _quantiles(partner_times) if partner_times else (float("nan"), float("nan"))
    return {
        "p50": p50, "p95": p95, "cpu50": statistics.median(cpu), "partner_p50": pp50, "partner_p95": pp95,
        "rss_mb": peak_rss_mb(), "answers": answers,
        "n": int(fetch_rows(con, "SELECT count(*) FROM organisations")[0][0]),
    }


def pandas_worker(db: str, repeat: int) -> dict:
    """The same interaction written plainly in pandas over the same rows."""
    import duckdb
    import pandas as pd

    from fusion_partners.filters import Filters, SearchIndex

    con = duckdb.connect(db, read_only=True)
    df = con.execute(
        "SELECT id, name_en, country, org_type, membership, confidence, capabilities, search_text "
        "FROM organisations"
    ).df()
    labels = dict(con.execute("SELECT slug, label_key FROM capabilities").fetchall())
    groups: dict[int, list[str]] = {}
    for group_id, key in con.execute("SELECT group_id, term_key FROM search_synonyms").fetchall():
        groups.setdefault(group_id, []).append(key)
    con.close()

    # the words of a query, with a synonym of several words ("united kingdom") as one term
    splitter = SearchIndex(synonyms=tuple(tuple(g) for g in groups.values()))

    def alternatives(term: str) -> list[str]:
        for group in groups.values():
            if term in group:
                return [term, *(g for g in group if g != term)]
        return [term]

    def contains(texts: pd.Series, alt: str, position: int) -> pd.Series:
        """The term itself anywhere; a synonym in Latin letters only where a word starts."""
        if position and re.fullmatch(r"[a-z0-9 ]+", alt):
            return texts.str.contains(r"(?:^|[^a-z0-9])" + re.escape(alt), regex=True)
        return texts.str.contains(alt, regex=False)
    df["capabilities"] = df["capabilities"].map(list)
    dims = {"country": "country", "membership": "membership", "type": "org_type", "confidence": "confidence"}

    def mask_for(spec, exclude=None):
        mask = pd.Series(True, index=df.index)
        for param, col in dims.items():
            if spec.get(param) and exclude != col:
                mask &= df[col].isin(spec[param])
        caps = set(spec.get("cap", ()))
        all_mode = (spec.get("mode") or ["any"])[0] == "all"
        if caps and (exclude != "capability" or all_mode):
            test = (lambda c: caps.issubset(c)) if all_mode else (lambda c: not caps.isdisjoint(c))
            mask &= df["capabilities"].map(test)
        for term in splitter.terms(Filters(query=(spec.get("q") or [""])[0]).query):
            # the term (or a synonym) is in the organisation's text or in one of its capability labels
            hit = pd.Series(False, index=df.index)
            for j, alt in enumerate(alternatives(term)):
                hit |= contains(df["search_text"], alt, j)
                label_hits = contains(pd.Series(list(labels.values()), dtype=object), alt, j)
                labelled = {slug for slug, yes in zip(labels, label_hits, strict=True) if yes}
                if labelled:
                    hit |= df["capabilities"].map(lambda c, s=labelled: not s.isdisjoint(c))
            mask &= hit
        return mask

    def interaction(spec):
        mask = mask_for(spec)
        n = int(mask.sum())
        facets = {}
        for col in dims.values():
            facets[col] = df.loc[mask_for(spec, exclude=col), col].value_counts().to_dict()
        facets["capability"] = df.loc[mask_for(spec, exclude="capability"), "capabilities"].explode().value_counts().to_dict()
        sub = df[mask]
        table = sub.assign(_k=sub["name_en"].str.lower()).sort_values(["_k", "id"]).head(TABLE_LIMIT)
        focus = sub[sub["country"].isin(["JP", "GB"])]
        heat = focus[["country", "capabilities"]].explode("capabilities").groupby(["capabilities", "country"]).size()
        totals = focus["country"].value_counts().to_dict()
        return n, facets, len(table), heat, totals

    answers = {}
    for i, spec in enumerate(FILTER_SETS):
        n, facets, rows, heat, _ = interaction(spec)
        answers[i] = {"count": n, "facets": facets, "rows": rows,
                      "heat": sorted((cap, c, int(v)) for (cap, c), v in heat.items())}
    times = []
    for _ in range(repeat):
        for spec in FILTER_SETS:
            t0 = time.perf_counter()
            interaction(spec)
            times.append((time.perf_counter() - t0) * 1000)
    p50, p95 = _quantiles(times)
    return {"p50": p50, "p95": p95, "rss_mb": peak_rss_mb(), "answers": answers}


def _run_worker(kind: str, db: Path, repeat: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.bench_scale", "--worker", kind, "--db", str(db), "--repeat", str(repeat)],
        cwd=PROJECT, capture_output=True, text=True, check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _disagreements(a: dict, b: dict) -> list[str]:
    """Where DuckDB and pandas differ (count, rows, facet counts, chart data), per filter set."""
    out = []
    for i in a:
        x, y = a[i], b[i]
        if x["count"] != y["count"] or x["rows"] != y["rows"]:
            out.append(f"set {i}: count/rows {x['count']}/{x['rows']} vs {y['count']}/{y['rows']}")
        for dim, values in x["facets"].items():
            if {k: int(v) for k, v in values.items()} != {k: int(v) for k, v in y["facets"].get(dim, {}).items()}:
                out.append(f"set {i}: facet {dim}")
        if [list(h) for h in x["heat"]] != [list(h) for h in y["heat"]]:
            out.append(f"set {i}: chart data")
    return out


# --------------------------------------------------------------------------- server

def _server_figures(db: Path) -> tuple[float, float]:
    """Cold start to the first Explore page served (s) and the server's peak RSS (MB)."""
    sys.path.insert(0, str(PROJECT / "tests"))
    sys.path.insert(0, str(BENCH))
    from streamlit_client import run_page

    from e2e.conftest import start_server

    t0 = time.perf_counter()
    proc, base = start_server(db)
    try:
        ws = base.replace("http://", "ws://") + "/_stcore/stream"
        asyncio.run(run_page(ws, "", "", timeout=600))
        cold = time.perf_counter() - t0

        async def every_set() -> None:
            for spec in FILTER_SETS:
                await run_page(ws, urlencode(spec, doseq=True), "", timeout=600)

        asyncio.run(every_set())
        peak = peak_rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return cold, peak


# --------------------------------------------------------------------------- driver

def _prepare(size: str, folder: Path) -> tuple[Path, float, int]:
    if size == "shipped":
        from fusion_partners.build import build

        db = folder / "shipped.duckdb"
        t0 = time.perf_counter()
        curated = build(PROJECT / "data", db)
        return db, time.perf_counter() - t0, len(curated.organisations)
    from bench.synthetic import synthetic_database

    n = int(size)
    db = folder / f"synthetic-{n}.duckdb"
    t0 = time.perf_counter()
    synthetic_database(n, db, seed=1)
    return db, time.perf_counter() - t0, n


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["shipped", "1000", "10000", "100000", "1000000"])
    parser.add_argument("--repeat", type=int, default=5, help="passes over the filter sets")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/benchmarks.md")
    parser.add_argument("--no-server", action="store_true", help="skip cold start and server memory")
    parser.add_argument("--worker", choices=["duckdb", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        result = (duckdb_worker if args.worker == "duckdb" else pandas_worker)(args.db, args.repeat)
        print(json.dumps(result, default=str))
        return 0

    rows = []
    with tempfile.TemporaryDirectory(prefix="fpf-bench-") as tmp:
        for size in args.sizes:
            db, build_s, n = _prepare(size, Path(tmp))
            load = os.getloadavg()[0]
            duck = _run_worker("duckdb", db, args.repeat)
            pand = _run_worker("pandas", db, args.repeat)
            differences = _disagreements(duck["answers"], pand["answers"])
            for line in differences[:5]:
                print("DISAGREE", size, line, file=sys.stderr)
            agree = not differences
            cold, server_rss = (float("nan"), float("nan")) if args.no_server else _server_figures(db)
            row = {
                "size": "shipped roster" if size == "shipped" else f"{n:,}", "n": n, "build": build_s,
                "p50": duck["p50"], "p95": duck["p95"], "cpu50": duck["cpu50"], "pd50": pand["p50"], "pd95": pand["p95"],
                "ratio": pand["p50"] / duck["p50"], "pf50": duck["partner_p50"], "pf95": duck["partner_p95"],
                "cold": cold, "rss": duck["rss_mb"], "pd_rss": pand["rss_mb"], "srv_rss": server_rss,
                "agree": agree, "load": load,
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
            db.unlink(missing_ok=True)
    text = _section(rows, args)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
    return 0


def _section(rows: list[dict], args) -> str:
    from importlib.metadata import version

    pandas_version = version("pandas")
    lines = [
        SECTION, "",
        f"- Machine: {machine(', pandas ' + pandas_version)}",
        f"- Run on {dt.date.today().isoformat()} with `.venv/bin/python -m bench.bench_scale "
        f"--sizes {' '.join(args.sizes)} --repeat {args.repeat}`; load average at each size in the last column "
        "(the machine is shared).",
        f"- One interaction = what a filter change costs the server: facet counts of all five filters, the match "
        f"count and chart data (`queries.filter_summary`, one statement) + the table page "
        f"(`queries.organisation_table`, {TABLE_LIMIT:,} rows max), over {len(FILTER_SETS)} varied filter sets "
        f"× {args.repeat}; no result cache. *CPU* is the process's CPU time (both DuckDB threads) per interaction.",
        "- pandas: the same interaction written plainly in pandas; *agree* = identical counts, rows, facets "
        "and chart data for every filter set.",
        "",
        "| organisations | build (s) | interaction p50 / p95 (ms) | CPU p50 (ms) | pandas p50 / p95 (ms) "
        "| pandas ÷ DuckDB (p50) | agree | partner finder p50 / p95 (ms) | cold start (s) "
        "| peak RSS: query / pandas / app server (MB) | load |",
        "|---:|---:|---:|---:|---:|---:|:-:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['size']} | {r['build']:.1f} | {r['p50']:.1f} / {r['p95']:.1f} | {r['cpu50']:.1f} "
            f"| {r['pd50']:.1f} / {r['pd95']:.1f} "
            f"| {r['ratio']:.1f}× | {'yes' if r['agree'] else 'NO'} | {r['pf50']:.1f} / {r['pf95']:.1f} "
            f"| {r['cold']:.1f} | {r['rss']:.0f} / {r['pd_rss']:.0f} / {r['srv_rss']:.0f} | {r['load']:.1f} |"
        )
    lines += [
        "",
        "Targets (2-core machine): ≤ 50 ms p95 per interaction on the shipped roster; ≤ 300 ms p95 at 1M; "
        "≥ 5× faster than the pandas reference at 1M; peak memory ≤ 600 MB at 1M.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
