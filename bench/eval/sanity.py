"""Top-10 lists of well-known starts, for a fusion engineer to review (``docs/partner-lists.md``).

Usage::

    .venv/bin/python -m bench.eval.sanity [--write] [--db PATH]

For each start and each kind in which it has candidates: the ten best candidates (default
weights, the other country), with rank (``=`` marks a tie), score, and the reason as the
page gives it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fusion_partners import config
from fusion_partners.data.partner_rules import KINDS
from fusion_partners.db import connect_readonly
from fusion_partners.i18n.labels import Taxonomy, display_name
from fusion_partners.partners.query import PartnerQuery
from fusion_partners.partners.reasons import known_text, reason_name
from fusion_partners.partners.sql import count_candidates, suggestions
from fusion_partners.partners.table import Context, suggestion_frame
from fusion_partners.queries import capability_leaves, taxonomy
from fusion_partners.queries.profile import organisation

PROJECT = Path(__file__).resolve().parents[2]
DOC = PROJECT / "docs" / "partner-lists.md"
STARTS = (
    "tokamak-energy",
    "uk-atomic-energy-authority-ukaea",
    "first-light-fusion",
    "university-of-oxford",
    "kyoto-fusioneering",
    "furukawa-electric",
    "helical-fusion",
    "national-institutes-for-quantum-science-and-technology-qst",
    "sumitomo",
    "japan-fusion-energy-council-j-fusion",
)


def lists(con) -> str:
    tax = Taxonomy.from_frame(taxonomy(con), capability_leaves(con))
    out = [
        "# Partner lists for review",
        "",
        "Top 10 per kind (default weights, candidates in the other country) for the starts the "
        "suggestions issue names. `=` marks rows that tie on every ranking key. Produced by "
        "`.venv/bin/python -m bench.eval.sanity --write`.",
        "",
    ]
    for start in STARTS:
        org = organisation(con, start)
        name = display_name(org["name_en"], org["name_ja"], "en")
        ctx = Context(
            tax, "en", reason_name(org["name_en"], org["name_ja"], org.get("aliases"), "en")
        )
        out += [f"## {name}", ""]
        for kind in KINDS:
            query = PartnerQuery(start=start, kind=kind, limit=10)
            df = suggestions(con, query)
            if df.empty:
                continue
            total = count_candidates(con, query)
            out += [
                f"### {kind.replace('_', ' ')} ({total} candidates)",
                "",
                "| rank | candidate | score | why | known |",
                "|---:|---|---:|---|---|",
            ]
            reasons = suggestion_frame(df, ctx)["reason"]  # as on the page, shared work named
            for r, text in zip(df.itertuples(index=False), reasons, strict=True):
                rank = f"={r.rank}" if r.tied else str(r.rank)
                why = text.replace("|", "/") or "(documented link only)"
                out.append(
                    f"| {rank} | {display_name(r.name_en, r.name_ja, 'en')} | {r.score:.2f} | {why} | "
                    f"{known_text(r.links, 'en')} |"
                )
            out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    con = connect_readonly(args.db or config.db_path())
    text = lists(con)
    if args.write:
        DOC.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
