"""Partner suggestions from the command line: the Partner finder's ranked list, for scripts.

Usage::

    python -m fusion_partners.suggest --org ID --kind KIND [--country CC ...] [--limit N]
                                      [--ignore-known-links] [--known mix|first|hide]
                                      [--format json|csv] [--lang en|ja] [--db PATH]
    python -m fusion_partners.suggest --find TEXT [--limit N] [--format json|csv]

The list is the page's (same model, default weights, candidates in the other country unless
``--country`` names others). Each row has ``rank``, ``id``, ``name``, ``score`` and ``reason``,
plus ``country``, ``tied`` and ``known`` (documented collaborations with the start). JSON is a
list of objects with those keys; CSV has a header row. ``--find`` prints the organisations
whose names or aliases match, best first, as the page's lookup does (``id``, ``name``,
``country``, ``match``).

Exit codes: 0 done (an empty list included); 2 an unknown organisation id or kind, a database
that cannot be opened, or bad arguments — one line on standard error.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from fusion_partners import config
from fusion_partners.data.partner_rules import KINDS
from fusion_partners.db import DataError, connect_readonly
from fusion_partners.i18n.labels import Taxonomy, display_name
from fusion_partners.i18n.markup import echo
from fusion_partners.partners.lookup_sql import find_organisations
from fusion_partners.partners.query import KNOWN_MODES, MAX_LIMIT, PartnerFilters, PartnerQuery
from fusion_partners.partners.reasons import known_text, reason_name
from fusion_partners.partners.sql import suggestions
from fusion_partners.partners.table import Context
from fusion_partners.queries import capability_leaves, taxonomy
from fusion_partners.queries.profile import organisation

FIELDS = ("rank", "id", "name", "score", "reason", "country", "tied", "known")
FIND_FIELDS = ("id", "name", "country", "match")


class UsageError(Exception):
    """A request the command cannot answer (unknown id or kind); the message is one line."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m fusion_partners.suggest", description=__doc__.splitlines()[0]
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--org", help="id of the starting organisation")
    what.add_argument(
        "--find", metavar="TEXT", help="print organisations whose names or aliases match TEXT"
    )
    parser.add_argument(
        "--kind", help=f"kind of collaboration: {', '.join(KINDS)} (required with --org)"
    )
    parser.add_argument(
        "--country",
        action="append",
        default=[],
        metavar="CC",
        help="ISO 3166-1 alpha-2 country of the candidates (repeatable; default: the other country)",
    )
    parser.add_argument(
        "--limit", type=int, default=20, help=f"rows to print (1–{MAX_LIMIT}, default 20)"
    )
    parser.add_argument(
        "--ignore-known-links",
        action="store_true",
        help="score as if no collaboration with the start were documented",
    )
    parser.add_argument(
        "--known",
        choices=KNOWN_MODES,
        default="mix",
        help="documented partners: mix, first or hide",
    )
    parser.add_argument("--format", choices=("json", "csv"), default="json")
    parser.add_argument(
        "--lang", choices=("en", "ja"), default="en", help="language of names and reasons"
    )
    parser.add_argument("--db", type=Path, default=None, help="database file (default: the app's)")
    return parser


def rows_for(con, args: argparse.Namespace) -> tuple[list[dict], tuple[str, ...]]:
    """The rows to print and their field names.

    Raises:
        UsageError: for an unknown organisation id or kind.
    """
    if args.find is not None:
        found = find_organisations(con, args.find, max(1, min(args.limit, MAX_LIMIT)))
        return [
            {
                "id": r.id,
                "name": display_name(r.name_en, r.name_ja, args.lang),
                "country": r.country,
                "match": r.match,
            }
            for r in found.itertuples(index=False)
        ], FIND_FIELDS
    if args.kind not in KINDS:
        raise UsageError(
            f"unknown kind {echo(str(args.kind))!r} (expected one of {', '.join(KINDS)})"
        )
    known_countries = {
        r[0] for r in con.execute("SELECT DISTINCT country FROM organisations").fetchall()
    }
    unknown = [c for c in args.country if c.upper() not in known_countries]
    if unknown:
        raise UsageError(
            f"no organisation in country {echo(unknown[0])!r} (ISO 3166-1 alpha-2, e.g. JP, GB)"
        )
    start = organisation(con, args.org)
    if start is None:
        raise UsageError(f"unknown organisation id {echo(args.org)!r} (try --find NAME)")
    query = PartnerQuery(
        start=args.org,
        kind=args.kind,
        filters=PartnerFilters(countries=tuple(c.upper() for c in args.country)),
        limit=max(1, min(args.limit, MAX_LIMIT)),
        known=args.known,
        ignore_links_with=("*",) if args.ignore_known_links else (),
    )
    tax = Taxonomy.from_frame(taxonomy(con), capability_leaves(con))
    ctx = Context(
        tax,
        args.lang,
        reason_name(start["name_en"], start["name_ja"], start.get("aliases"), args.lang),
    )
    df = suggestions(con, query)
    return [
        {
            "rank": int(r.rank),
            "id": r.id,
            "name": display_name(r.name_en, r.name_ja, args.lang),
            "score": round(float(r.score), 6),
            "reason": ctx.row_reason(r._asdict(), full=True),
            "country": r.country,
            "tied": bool(r.tied),
            "known": known_text(r.links, args.lang),
        }
        for r in df.itertuples(index=False)
    ], FIELDS


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.org is not None and not args.kind:
        print("error: --kind is required with --org", file=sys.stderr)
        return 2
    if not 1 <= args.limit <= MAX_LIMIT:
        print(f"error: --limit must be between 1 and {MAX_LIMIT}", file=sys.stderr)
        return 2
    try:
        con = connect_readonly(args.db or config.db_path())
    except (DataError, OSError) as exc:
        print(f"error: {echo(str(exc), None)}", file=sys.stderr)  # whole, on one line
        return 2
    try:
        rows, fields = rows_for(con, args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    try:
        if args.format == "json":
            json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
            sys.stdout.write("\n")
        else:
            writer = csv.DictWriter(sys.stdout, fieldnames=list(fields), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        sys.stdout.flush()
    except BrokenPipeError:  # the reader (head, less) stopped early: not an error
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - keep the interpreter from flushing into the pipe
    return 0


if __name__ == "__main__":
    sys.exit(main())
