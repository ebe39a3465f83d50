"""Merge research rosters (``name_en,...,confidence`` CSVs) into the curated data.

This is the routine path for new research rosters: each roster row either matches an
existing organisation and is merged into it, or becomes a new organisation with a new stable
``id`` (the rules are :func:`fusion_partners.importing.merge.merge_roster`'s). Rows failing
validation are skipped and reported.

Command line::

    python -m fusion_partners.importing.curate ROSTER.csv [ROSTER.csv ...] [--taxonomy TAXONOMY.csv]

writes ``data/organisations.csv`` (and ``data/capabilities.csv`` when a taxonomy is
given) and prints what changed. The database is rebuilt separately (``make build``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from fusion_partners import config
from fusion_partners.data.roster import (
    ORGANISATION_COLUMNS,
    TAXONOMY_TREE_COLUMNS,
    group_rows,
    leaf_rows,
    read_csv_rows,
    write_csv,
)
from fusion_partners.data.validation import validate_organisations
from fusion_partners.importing.merge import MergeReport, merge_roster


def load_organisations(path: Path) -> list[dict[str, str]]:
    """Read ``organisations.csv`` (empty list when the file does not exist)."""
    if not path.exists():
        return []
    _, rows = read_csv_rows(path)
    return [r for r in rows if r]


def curate(rosters: Sequence[Path], data: Path, taxonomy: Path | None = None) -> MergeReport:
    """Merge research rosters into ``data/organisations.csv`` (and copy a taxonomy).

    Rows failing validation (errors) are skipped and reported; nothing else is lost.
    Rosters are processed in the order given, so the first roster naming an
    organisation provides its name, type, place and description.
    """
    if taxonomy is not None:
        _merge_taxonomy(taxonomy, data / "capabilities.csv")
    _, tax_rows = read_csv_rows(data / "capabilities.csv")
    slugs = {r["slug"] for r in group_rows(tax_rows)}
    orgs_path = data / "organisations.csv"
    organisations = load_organisations(orgs_path)
    total = MergeReport()
    foreign_sourced: set[str] = set()
    for roster_path in rosters:
        header, rows = read_csv_rows(roster_path)
        problems = validate_organisations(roster_path.name, header, rows, slugs, require_id=False)
        bad_lines = {p.row for p in problems if p.severity == "error"}
        good = [r for line, r in enumerate(rows, start=2) if r and line not in bad_lines]
        report = merge_roster(
            organisations, good, roster_path.stem, foreign_sourced=foreign_sourced
        )
        total.added += report.added
        for oid, cols in report.updated.items():
            total.updated.setdefault(oid, [])
            total.updated[oid] += [c for c in cols if c not in total.updated[oid]]
        total.unchanged += report.unchanged
        total.problems += problems
    organisations.sort(key=lambda o: o["id"])
    write_csv(orgs_path, ORGANISATION_COLUMNS, organisations)
    return total


def _merge_taxonomy(source: Path, target: Path) -> None:
    """Copy a research taxonomy, keeping curated Japanese group labels already present."""
    _, rows = read_csv_rows(source)
    group_ja: dict[str, str] = {}
    old: list[dict[str, str]] = []
    if target.exists():
        _, old = read_csv_rows(target)
        group_ja = {r["group"]: r.get("group_ja", "") for r in old if r}
    out = []
    for r in rows:
        if r:
            r = dict(r)
            r["group_ja"] = r.get("group_ja") or group_ja.get(r["group"], "")
            out.append(r)
    known = {r["slug"] for r in out}
    out += [
        r for r in leaf_rows(old) if r["parent"] in known
    ]  # curated leaves stay under their groups
    write_csv(target, TAXONOMY_TREE_COLUMNS, out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fusion_partners.importing.curate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("rosters", nargs="+", type=Path, help="research roster CSV files")
    parser.add_argument("--taxonomy", type=Path, help="capability taxonomy CSV to copy")
    parser.add_argument("--data-dir", type=Path, default=None, help="curated data folder")
    args = parser.parse_args(argv)
    report = curate(args.rosters, args.data_dir or config.data_dir(), args.taxonomy)
    print(report.summary())
    return 1 if any(p.severity == "error" for p in report.problems) else 0


if __name__ == "__main__":
    sys.exit(main())
