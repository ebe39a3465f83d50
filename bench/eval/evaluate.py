"""Evaluate the partner finder on documented collaborations, leave-one-out.

Usage::

    .venv/bin/python -m bench.eval.evaluate [--set bench/eval/collaborations.csv] [--db PATH]
                                            [--write] [--by-pair]

For every documented collaboration (``org_a``, ``org_b``, ``kind``) both directions are
queried: start ``org_a`` looking for partners of ``kind`` in ``org_b``'s country, where ``org_b``
is the true partner, and the reverse. The pair's own documented links are ignored while it is
scored (``PartnerQuery.ignore_links_with``), so the figures measure discovery, not lookup.
A stricter *leave-source-out* run also removes, for each pair, every other documented link
that shares a source with it (a consortium announced in one press release is recorded as
several pairwise links; the others would otherwise vouch for the held-out one through the
track-record and mutual-partner terms): it queries a scratch copy of the database with those
links deleted and the build's per-country link counts recomputed, restored after each pair.

Figures per kind and overall: hit@5, hit@10, hit@20, MRR (mean reciprocal rank, 0 when the
partner is not a candidate) and the share of true partners that are candidates at all. Rows
that tie are ranked fairly: a partner tied with ``t`` others below ``b`` better rows has the
expected rank of a random order among the tied rows (hit@k = clamp((k − b) / (t + 1), 0, 1),
reciprocal rank = mean of 1 / (b + j), j = 1…t + 1). The same figures are computed for three
baselines over *the same candidates*: random order, shared-leaf count and rarity-weighted
overlap (Σ idf over the leaves both hold as offer or need).

``--write`` rewrites the "Evaluation" section of ``docs/partner-finder.md``.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from fusion_partners import config
from fusion_partners.data.build import LINK_PARTNER_COUNTRIES_SQL
from fusion_partners.db import connect_readonly
from fusion_partners.partners.query import MAX_LIMIT, PartnerFilters, PartnerQuery, Weights
from fusion_partners.partners.sql import suggestions

PROJECT = Path(__file__).resolve().parents[2]
DEFAULT_SET = PROJECT / "bench" / "eval" / "collaborations.csv"
DOC = PROJECT / "docs" / "partner-finder.md"
FOCUS = ("JP", "GB")
METHODS = ("finder", "random", "shared_leaves", "rarity_overlap")
KS = (5, 10, 20)


@dataclass(frozen=True)
class Outcome:
    """How one method ranked the true partner of one query."""

    hits: dict[int, float]  # k -> probability the partner is in the top k
    rr: float  # expected reciprocal rank (0 when not a candidate)
    candidate: bool


def fair(scores: Sequence[float], target: int) -> tuple[int, int]:
    """(rows strictly better, rows tied with the target, the target included)."""
    x = scores[target]
    better = sum(1 for s in scores if s > x + 1e-12)
    tied = sum(1 for s in scores if abs(s - x) <= 1e-12)
    return better, tied


def outcome(better: int, tied: int) -> Outcome:
    hits = {k: min(max((k - better) / tied, 0.0), 1.0) for k in KS}
    rr = sum(1.0 / (better + j) for j in range(1, tied + 1)) / tied
    return Outcome(hits, rr, True)


MISS = Outcome({k: 0.0 for k in KS}, 0.0, False)


def leaves_of(
    con: duckdb.DuckDBPyConnection,
) -> tuple[dict[str, set[str]], dict[str, float], dict[str, str]]:
    rows = con.execute("SELECT id, offers, needs, country FROM organisations").fetchall()
    idf = dict(con.execute("SELECT slug, coalesce(idf, 0) FROM capability_leaves").fetchall())
    return {r[0]: set(r[1]) | set(r[2]) for r in rows}, idf, {r[0]: r[3] for r in rows}


WEIGHTS = Weights()


def partners_of(con: duckdb.DuckDBPyConnection) -> dict[str, set[str]]:
    """Documented partners of every organisation (``data/links.csv``, either direction)."""
    out: dict[str, set[str]] = defaultdict(set)
    for a, b in con.execute("SELECT org_a, org_b FROM links").fetchall():
        out[a].add(b)
        out[b].add(a)
    return out


def evaluate_query(
    con,
    start: str,
    target: str,
    kind: str,
    country: str,
    leaves,
    idf,
    hide: frozenset[str] = frozenset(),
) -> dict[str, Outcome]:
    """Outcomes of every method for one held-out pair.

    ``hide``: other documented partners of the start, removed from the list before ranking
    (the *filtered* setting of link prediction, Bordes et al. 2013; on the page, "hide known
    partners"); empty for the raw figures."""
    query = PartnerQuery(
        start=start,
        kind=kind,
        filters=PartnerFilters(countries=(country,)),
        limit=MAX_LIMIT,
        ignore_links_with=(target,),
        weights=WEIGHTS,
    )
    df = suggestions(con, query)
    if hide:
        df = df[~df["id"].isin(hide - {target})]
    ids = df["id"].tolist()
    if target not in ids:
        return {m: MISS for m in METHODS}
    i = ids.index(target)
    out: dict[str, Outcome] = {}
    # the finder: ties are rows with the same rank
    ranks = df["rank"].tolist()
    better = sum(1 for r in ranks if r < ranks[i])
    tied = sum(1 for r in ranks if r == ranks[i])
    out["finder"] = outcome(better, tied)
    out["random"] = outcome(0, len(ids))
    mine = leaves.get(start, set())
    shared = [len(mine & leaves.get(c, set())) for c in ids]
    out["shared_leaves"] = outcome(*fair(shared, i))
    weighted = [sum(idf.get(x, 0.0) for x in mine & leaves.get(c, set())) for c in ids]
    out["rarity_overlap"] = outcome(*fair(weighted, i))
    return out


def read_set(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [r for r in csv.DictReader(fh) if r.get("org_a")]


def run(con, rows: Iterable[dict[str, str]], filtered: bool = False) -> list[dict]:
    """One record per (collaboration, direction): ids, kind, whether Japan–UK, outcomes.

    ``filtered``: the start's other documented partners are removed from every method's list
    (see :func:`evaluate_query`)."""
    leaves, idf, country = leaves_of(con)
    known = partners_of(con) if filtered else {}
    records = []
    for row in rows:
        a, b, kind = row["org_a"], row["org_b"], row["kind"]
        if a not in country or b not in country:
            print(f"skipped (not in the roster): {a} – {b}", file=sys.stderr)
            continue
        jpuk = {country[a], country[b]} == set(FOCUS)
        for start, target in ((a, b), (b, a)):
            hide = frozenset(known.get(start, set()) - {target})
            res = evaluate_query(con, start, target, kind, country[target], leaves, idf, hide)
            records.append({"start": start, "target": target, "kind": kind, "jpuk": jpuk, **res})
    return records


def run_source_out(db: Path, rows: Sequence[dict[str, str]]) -> list[dict]:
    """The records of :func:`run` under leave-source-out: for each pair, every documented
    link sharing one of the pair's sources (``source_urls`` of its row) is deleted from a
    scratch copy of ``db`` (and ``link_partner_countries`` rebuilt) before both directions
    are queried; the links are restored after. Raises ``duckdb.Error`` if the copy cannot
    be opened."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "eval.duckdb"
        shutil.copyfile(db, copy)
        con = duckdb.connect(str(copy))
        try:
            leaves, idf, country = leaves_of(con)
            # the finder reads through its own cursors, which do not see an open transaction:
            # delete and restore with committed statements on the scratch copy instead
            con.execute("CREATE TABLE links_kept AS SELECT * FROM links")
            records = []
            for row in rows:
                a, b, kind = row["org_a"], row["org_b"], row["kind"]
                if a not in country or b not in country:
                    continue
                jpuk = {country[a], country[b]} == set(FOCUS)
                con.execute(
                    "DELETE FROM links WHERE list_has_any(source_urls, $src) "
                    "OR (org_a = $a AND org_b = $b) OR (org_a = $b AND org_b = $a)",
                    {"src": (row.get("source_urls") or "").split(), "a": a, "b": b},
                )
                con.execute("DELETE FROM link_partner_countries")
                con.execute(LINK_PARTNER_COUNTRIES_SQL)
                for start, target in ((a, b), (b, a)):
                    res = evaluate_query(con, start, target, kind, country[target], leaves, idf)
                    records.append(
                        {"start": start, "target": target, "kind": kind, "jpuk": jpuk, **res}
                    )
                con.execute("DELETE FROM links")
                con.execute("INSERT INTO links SELECT * FROM links_kept")
            return records
        finally:
            con.close()


def summarise(records: Sequence[dict]) -> dict[tuple[str, str], dict[str, float]]:
    """{(group, method): {metric: value}} for groups 'all', 'jpuk' and each kind (all pairs)."""
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        groups["all"].append(r)
        if r["jpuk"]:
            groups["jpuk"].append(r)
            groups[f"jpuk:{r['kind']}"].append(r)
        groups[r["kind"]].append(r)
    table = {}
    for group, rs in groups.items():
        for m in METHODS:
            n = len(rs)
            table[(group, m)] = {
                "n": n,
                **{f"hit@{k}": sum(r[m].hits[k] for r in rs) / n for k in KS},
                "mrr": sum(r[m].rr for r in rs) / n,
                "candidates": sum(r[m].candidate for r in rs) / n,
            }
    return table


def markdown(table, title: str = "") -> str:
    order = [
        "jpuk",
        "all",
        *sorted(g for g, _ in table if g not in ("all", "jpuk") and not g.startswith("jpuk:")),
        *sorted({g for g, _ in table if g.startswith("jpuk:")}),
    ]
    seen = []
    for g in order:
        if g not in seen:
            seen.append(g)
    lines = (
        [
            title,
            "",
            "| pairs | queries | method | hit@5 | hit@10 | hit@20 | MRR | candidates |",
            "|---|---:|---|---:|---:|---:|---:|---:|",
        ]
        if title
        else [
            "| pairs | queries | method | hit@5 | hit@10 | hit@20 | MRR | candidates |",
            "|---|---:|---|---:|---:|---:|---:|---:|",
        ]
    )
    names = {"jpuk": "Japan–UK, all kinds", "all": "all pairs"}
    for g in seen:
        for m in METHODS:
            v = table[(g, m)]
            label = names.get(g, g.replace("jpuk:", "Japan–UK, ").replace("_", " "))
            lines.append(
                f"| {label} | {v['n']} | {m.replace('_', ' ')} | {v['hit@5']:.2f} | {v['hit@10']:.2f} | "
                f"{v['hit@20']:.2f} | {v['mrr']:.2f} | {v['candidates']:.2f} |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument(
        "--write",
        action="store_true",
        help="rewrite the Evaluation section of docs/partner-finder.md",
    )
    parser.add_argument("--by-pair", action="store_true", help="print every query's rank")
    parser.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="score weight other than the default (e.g. network=0.5), to explore",
    )
    args = parser.parse_args(argv)
    global WEIGHTS
    WEIGHTS = Weights(**{k: float(v) for k, v in (w.split("=", 1) for w in args.weight)})
    db = args.db or config.db_path()
    con = connect_readonly(db)
    records = run(con, read_set(args.set))
    filtered = summarise(run(con, read_set(args.set), filtered=True))
    source_out = summarise(run_source_out(db, read_set(args.set)))
    if args.by_pair:
        for r in records:
            f = r["finder"]
            print(
                f"{r['kind']:15} {'JP-UK' if r['jpuk'] else '     '} {r['start']:45} -> {r['target']:45} "
                f"rr={f.rr:.2f} cand={int(f.candidate)} | rarity rr={r['rarity_overlap'].rr:.2f}"
            )
    table = summarise(records)
    text = markdown(table)
    text_filtered = markdown(filtered)
    text_source_out = markdown(source_out)
    print(text)
    print("\nFiltered (the start's other documented partners removed from every list):\n")
    print(text_filtered)
    print("\nLeave-source-out (every link sharing a source with the pair removed):\n")
    print(text_source_out)
    if args.write:
        write_section(text, args.set, text_filtered, text_source_out)
    return 0


def write_section(
    text: str, dev_set: Path, text_filtered: str = "", text_source_out: str = ""
) -> None:
    body = (
        f"Development set: `{dev_set.relative_to(PROJECT)}`, each pair queried from both sides "
        "(leave-one-out: the pair's own documented links ignored), candidates in the partner's "
        "country. Produced by `.venv/bin/python -m bench.eval.evaluate --write`.\n\n"
        "**Raw** (the figures the targets are judged on):\n\n" + text + "\n"
    )
    if text_filtered:
        body += (
            "\n**Filtered** (the start's *other* documented partners removed from every method's "
            'list before ranking, as the page\'s "hide known partners" does and as link-prediction '
            "studies report, Bordes et al. 2013; shown beside the raw figures, not instead of "
            "them):\n\n" + text_filtered + "\n"
        )
    if text_source_out:
        body += (
            "\n**Leave-source-out** (stricter than leave-one-out: every other documented link that "
            "shares a source with the held-out pair is removed too, so a consortium announced in "
            "one press release cannot vouch for its own members through the track-record and "
            "mutual-partner terms):\n\n" + text_source_out + "\n"
        )
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Partner finder\n"
    start, end = "<!-- evaluation:start -->", "<!-- evaluation:end -->"
    block = f"{start}\n{body}{end}"
    if start in doc and end in doc:
        doc = doc[: doc.index(start)] + block + doc[doc.index(end) + len(end) :]
    else:
        doc = doc.rstrip() + "\n\n## Evaluation\n\n" + block + "\n"
    DOC.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
