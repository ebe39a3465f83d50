"""Command line of the importer: preview an import, write it, or undo the last one.

    python -m fusion_partners.importing.cli members.xlsx --source-url URL [--council fusion_cluster
        --member-list] [--map "Header=field"] [--capability "term=slug"] [--decide "LINE=add"]
        [--apply] [--undo]

The same steps as the Import page (:mod:`fusion_partners.importing.service`), in plain English
text (:func:`describe`); every text taken from a file goes through :func:`markup.echo`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from fusion_partners import config
from fusion_partners.data import recovery
from fusion_partners.data.load import ORGANISATIONS_FILE, TAXONOMY_FILE, search_synonyms
from fusion_partners.data.roster import CONFIDENCES, ORG_TYPES, read_csv_rows
from fusion_partners.i18n import t
from fusion_partners.i18n.markup import echo
from fusion_partners.importing.apply import ImportBlocked, apply
from fusion_partners.importing.encodings import encoding_label
from fusion_partners.importing.mapping import FIELDS, map_country
from fusion_partners.importing.plan import Plan
from fusion_partners.importing.planner import plan
from fusion_partners.importing.preview import findings_csv
from fusion_partners.importing.request import (
    COUNCILS,
    ImportFile,
    ImportOptions,
    ImportRequest,
    proposed_mapping,
)
from fusion_partners.importing.table import UploadError
from fusion_partners.importing.undo import last_applied, undo_last
from fusion_partners.importing.upload import read_table


def _parse_pairs(items: Sequence[str], what: str) -> list[tuple[str, str]]:
    out = []
    for item in items:
        if "=" not in item:
            raise SystemExit(f"--{what} expects KEY=VALUE, got {item!r}")
        k, v = item.split("=", 1)
        out.append((k.strip(), v.strip()))
    return out


def request_from_args(args: argparse.Namespace) -> ImportRequest:
    """Build an :class:`ImportRequest` from command-line arguments (reads the files).

    Raises:
        UploadError: a file is missing (``not_found``), cannot be opened (``unreadable``)
            or cannot be read as a table.
        SystemExit: a malformed ``--map``, ``--capability`` or ``--decide``.
    """
    files = []
    overrides = _parse_pairs(args.map, "map")
    for path in args.files:
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError as exc:
            raise UploadError("not_found", file=str(path)) from exc
        except OSError as exc:
            raise UploadError(
                "unreadable", file=str(path), detail=exc.strerror or str(exc)
            ) from exc
        table = read_table(data, Path(path).name)
        mapping = proposed_mapping(table)
        for header, fld in overrides:
            if header in table.header:
                idx = table.header.index(header)
                if fld in ("", "ignore"):
                    mapping.pop(idx, None)
                elif fld in FIELDS:
                    mapping = {i: f for i, f in mapping.items() if f != fld}
                    mapping[idx] = fld
                else:
                    raise SystemExit(f"unknown field {fld!r} (one of {', '.join(FIELDS)})")
        files.append(ImportFile(table, tuple(sorted(mapping.items()))))
    decisions, countries = [], []
    for key, value in _parse_pairs(args.decide, "decide"):
        fi, _, line = key.rpartition(":")
        if not (line.isdigit() and (fi == "" or fi.isdigit())):
            raise SystemExit(f"--decide expects [FILE:]ROW=DECISION, got {key!r}")
        if value.startswith("country:"):
            countries.append(((int(fi or 0), int(line)), _country_arg(value[len("country:") :])))
        else:
            decisions.append(((int(fi or 0), int(line)), value))
    options = ImportOptions(
        source_url=args.source_url or "",
        council=args.council or "",
        member_list=args.member_list,
        org_type=args.type,
        confidence=args.confidence,
        source_date=args.source_date or "",
        user=args.user or os.environ.get("USER", ""),
        country=_country_arg(args.country) if args.country else "",
    )
    return ImportRequest(
        tuple(files),
        tuple(_parse_pairs(args.capability, "capability")),
        tuple(decisions),
        options,
        tuple(countries),
    )


def _country_arg(text: str) -> str:
    """A country given on the command line (``GB``, ``UK``, ``Japan``, ``日本``) as its alpha-2 code.

    Raises:
        SystemExit: the text names no country.
    """
    found = map_country(text.strip())
    if not found.code:
        raise SystemExit(
            f"unknown country {echo(text, 40)!r} (give an ISO code such as JP or GB, or a name)"
        )
    return found.code


def describe(plan_: Plan, request: ImportRequest) -> str:
    """The preview as plain English text (the command line's output).

    Every text taken from a file (file name, headers, names, cells in messages) goes through
    :func:`markup.echo`, as on the page: bidirectional controls (a right-to-left override
    would reverse the terminal line), other invisible characters and control characters
    (escape sequences) never reach the terminal.
    """
    lines = []
    for f in request.files:
        mapped = ", ".join(
            f"{echo(f.table.header[i], 60) or '#' + str(i + 1)} → {fld}" for i, fld in f.mapping
        )
        kind = (
            "Excel workbook (XLSX)"
            if f.table.encoding == "xlsx"
            else encoding_label(f.table.encoding)
            if f.table.name_only
            else f"{encoding_label(f.table.encoding)}, {_DELIMITER_NAMES[f.table.delimiter]}"
        )
        header = f"header on row {f.table.header_line}" if f.table.header_line else "no header row"
        lines.append(f"{echo(f.table.file_name, 120)}: {kind}, {header}; {mapped}")
        if f.table.name_only:
            lines.append(
                "  a list of names only: names that match a roster organisation are merged into it; "
                "the others need a country (--country, or --decide ROW=country:GB)"
            )
        ignored = f.ignored_columns()
        if ignored:
            lines.append(
                "  not stored (no roster field): " + ", ".join(echo(h, 60) for _, h in ignored)
            )
        for line, reason in f.table.skipped:
            lines.append(f"  row {line}: skipped ({reason})")
    counts = plan_.counts()
    lines.append(", ".join(f"{k} {v}" for k, v in counts.items()))
    for r in plan_.rows:
        extra = f" [{', '.join(r.changed)}]" if r.changed else ""
        cands = "; ".join(
            [f"merge:{cid} ({echo(name)}, {score:.0f})" for cid, name, score in r.candidates]
            + [f"same:{line} ({echo(name)}, {score:.0f})" for line, name, score in r.same_as]
        )
        lines.append(
            f"  {r.file_index}:{r.line} {r.status:<9} {echo(r.name, 80)} {r.org_id}{extra}"
            + (f" ~ {cands}" if cands else "")
        )
        for fnd in r.findings:
            lines.append(f"      {fnd.severity}: [{fnd.where()}] {fnd.message()}")
    for fnd in plan_.findings:
        lines.append(f"  {fnd.severity}: {fnd.message()}")
    key, values = plan_.state()
    lines.append(_STATE_TEXT[key].format(**values))
    return "\n".join(lines)


_DELIMITER_NAMES = {",": "comma-separated", ";": "semicolon-separated", "\t": "tab-separated"}


_STATE_TEXT = {
    "ready": "ready: {changes} record(s) would change ({errors} row(s) with errors and {waiting} waiting for a "
    "decision are left out); add --apply to write",
    "blocked": "not importable: the roster would not be valid afterwards (see the errors above)",
    "nothing_importable": "nothing can be imported yet: {errors} row(s) with errors, {waiting} waiting for a "
    "decision (--decide ROW=add|skip|merge:<id>|same:<row>|country:<code>, or --country), "
    "{skipped} skipped",
    "up_to_date": "nothing to change: the roster already holds every importable row of this file",
}
"""Closing line of the command-line preview per :meth:`Plan.state` (plain English, no page steps)."""


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: preview an import (default), ``--apply`` it, or ``--undo`` the last one.

    Exit codes: 0 done, or a preview with something to import (or nothing left to change);
    1 nothing can be imported (every row has an error or waits for a decision, or the
    result would not validate), so nothing is or would be written; 2 a file is missing or
    cannot be read. Errors are one line on standard error, never a traceback.
    """
    parser = argparse.ArgumentParser(
        prog="python -m fusion_partners.importing.cli",
        description="Import member lists and rosters (CSV/XLSX) into data/.",
    )
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument(
        "--source-url", help="one source URL for the whole file (e.g. the council's member list)"
    )
    parser.add_argument("--council", choices=COUNCILS, help="the council whose member list this is")
    parser.add_argument(
        "--member-list", action="store_true", help="the file is that council's member list"
    )
    parser.add_argument(
        "--type",
        default="other",
        choices=ORG_TYPES,
        help="organisation type where the file has none",
    )
    parser.add_argument("--confidence", default="medium", choices=CONFIDENCES)
    parser.add_argument("--source-date", help="YYYY-MM-DD or YYYY-MM where the file has none")
    parser.add_argument(
        "--map", action="append", default=[], help='"Header=field" (field "ignore" drops a column)'
    )
    parser.add_argument(
        "--capability", action="append", default=[], help='"term=slug" ("term=" leaves it unmapped)'
    )
    parser.add_argument(
        "--decide",
        action="append",
        default=[],
        help='"[FILE:]ROW=add|skip|merge:<id>|same:<row>" for duplicates, "ROW=replace" to take the '
        "file's values over a record's, \"ROW=country:GB\" for a row without a country",
    )
    parser.add_argument(
        "--country",
        help="country (code or name) of rows that give none, e.g. a name-only member list",
    )
    parser.add_argument("--user", help="who imports (default: $USER)")
    parser.add_argument(
        "--apply", action="store_true", help="write the import (default: preview only)"
    )
    parser.add_argument("--undo", action="store_true", help="undo the last applied import")
    parser.add_argument("--errors", type=Path, help="write errors and warnings to this CSV")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args(argv)
    data_dir = (args.data_dir or config.data_dir()).resolve()
    db_path = (
        args.db or (data_dir / config.DB_FILENAME if args.data_dir else config.db_path())
    ).resolve()
    if args.undo:
        last = last_applied(data_dir)
        undone = undo_last(data_dir, db_path, args.user or os.environ.get("USER", ""))
        print(
            f"undone {undone}: {echo(last['file_name'], 120)} imported {last['imported_at']}"
            if undone and last
            else "no applied import to undo"
        )
        return 0
    if not args.files:
        parser.error("give at least one file (or --undo)")
    try:
        request = request_from_args(args)
    except UploadError as exc:
        detail = (
            echo(exc.values.get("detail"), 200) if exc.kind == "xlsx" else None
        )  # others name it in the message
        values = {k: echo(v, 200) if isinstance(v, str) else v for k, v in exc.values.items()}
        print(
            t(exc.key, "en", **values)
            + (f" ({t('upload.error.detail', 'en', detail=detail)})" if detail else ""),
            file=sys.stderr,
        )
        return 2
    recovery.recover(data_dir, db_path)
    _, orgs = (
        read_csv_rows(data_dir / ORGANISATIONS_FILE)
        if (data_dir / ORGANISATIONS_FILE).exists()
        else ([], [])
    )
    _, tax = read_csv_rows(data_dir / TAXONOMY_FILE)
    preview = plan(
        request, [o for o in orgs if o], [r for r in tax if r], synonyms=search_synonyms(data_dir)
    )
    print(describe(preview, request))
    if args.errors:
        args.errors.write_bytes(findings_csv(preview))
    state, _ = preview.state()
    if state in ("nothing_importable", "blocked"):
        return 1
    if not args.apply:
        return 0
    try:
        result = apply(request, data_dir, db_path)
    except ImportBlocked as exc:
        print(f"not imported: {exc}", file=sys.stderr)
        return 1
    if result.import_id is None:
        print("nothing to change; nothing written")
    else:
        print(
            f"imported {result.import_id}: added {len(result.added)}, updated {len(result.updated)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
