"""Write the statistics and the review table of ``docs/data.md`` from the shipped data.

Usage::

    .venv/bin/python -m bench.data_report          # print
    .venv/bin/python -m bench.data_report --write  # rewrite the generated part of docs/data.md

The review table shows 30 records chosen at random with a fixed seed: the capability tags the
research rosters gave them (re-curated from ``data/research/`` into a temporary folder), and
the curated roles, offers and needs with the evidence behind them (``facet_basis``).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

from fusion_partners.data.load import load_curated
from fusion_partners.data.partner_rules import implied_needs
from fusion_partners.data.roster import split_list
from fusion_partners.importing.curate import curate, load_organisations

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"
DOC = PROJECT / "docs" / "data.md"
SEED = 20261207
START, END = "<!-- data-report:start -->", "<!-- data-report:end -->"


def research_tags() -> dict[str, str]:
    """Each record's capability tags as the research rosters gave them (``id`` → ``a;b``)."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp)
        (target / "capabilities.csv").write_bytes((DATA / "capabilities.csv").read_bytes())
        curate(sorted((DATA / "research").glob("*.csv")), target)
        return {
            o["id"]: o["capabilities"] for o in load_organisations(target / "organisations.csv")
        }


def statistics() -> str:
    curated = load_curated(DATA)
    orgs = curated.organisations
    n = len(orgs)
    country = {o["id"]: o["country"] for o in orgs}
    offers = [split_list(o.get("offers", "")) for o in orgs]
    offered = Counter(x for xs in offers for x in xs)
    roles = Counter(r for o in orgs for r in split_list(o.get("roles", "")))
    developers = [o for o in orgs if "fusion_developer" in split_list(o.get("roles", ""))]
    with_needs = [o for o in developers if o.get("needs")]
    parent = {r["slug"]: r["parent"] for r in curated.leaves}
    implied = [
        implied_needs(
            split_list(o["roles"]), split_list(o["offers"]), split_list(o["needs"]), parent
        )
        for o in developers
    ]
    jpuk = [k for k in curated.links if {country[k.org_a], country[k.org_b]} == {"JP", "GB"}]
    relations = Counter(k.relation for k in curated.links)
    aliases = sum(len(split_list(o.get("aliases", ""))) for o in orgs)
    top_leaf, top_n = offered.most_common(1)[0]
    lines = [
        "| statistic | value |",
        "|---|---:|",
        f"| organisations | {n} |",
        f"| capability groups / leaves | {len(curated.taxonomy)} / {len(curated.leaves)} |",
        f"| leaves offered by at least one organisation | {len(offered)} |",
        f"| most offered leaf | {top_leaf}: {top_n} ({top_n / n:.0%} of organisations; the target is at most 20%) |",
        f"| mean offers per organisation | {sum(map(len, offers)) / n:.2f} |",
        f"| organisations with one offer only | {sum(len(x) == 1 for x in offers)} |",
        f"| organisations with at least one role / one offer | {sum(bool(o.get('roles')) for o in orgs)} / "
        f"{sum(bool(x) for x in offers)} |",
        f"| organisations with stated needs | {sum(bool(o.get('needs')) for o in orgs)} |",
        f"| fusion developers with stated needs | {len(with_needs)} of {len(developers)} |",
        f"| mean implied needs per developer (from its concept) | {sum(map(len, implied)) / max(len(implied), 1):.1f} |",
        f"| documented links (Japan–UK) | {len(curated.links)} ({len(jpuk)}) |",
        f"| links by relation | {', '.join(f'{r} {c}' for r, c in relations.most_common())} |",
        f"| sourced council memberships (rows of memberships.csv) | {len(curated.memberships)} |",
        f"| aliases (records with any) | {aliases} ({sum(bool(o.get('aliases')) for o in orgs)}) |",
        f"| Japanese descriptions | {sum(bool(o.get('description_ja')) for o in orgs)} of {n} |",
        "",
        "Records per role:",
        "",
        "| role | records |",
        "|---|---:|",
        *(f"| {r} | {c} |" for r, c in roles.most_common()),
    ]
    return "\n".join(lines)


def review_table(k: int = 30) -> str:
    orgs = {o["id"]: o for o in load_organisations(DATA / "organisations.csv")}
    old = research_tags()
    ids = sorted(random.Random(SEED).sample(sorted(orgs), k))
    lines = [
        "| record | research tags | roles | offers | needs | evidence behind them |",
        "|---|---|---|---|---|---|",
    ]
    for oid in ids:
        o = orgs[oid]
        cells = [
            oid,
            old.get(oid, "(imported)"),
            o["roles"],
            o["offers"],
            o["needs"] or "—",
            o["facet_basis"],
        ]
        lines.append(
            "| " + " | ".join(c.replace("|", "/").replace(";", "; ") for c in cells) + " |"
        )
    return "\n".join(lines)


def report() -> str:
    return (
        "## Statistics of the shipped data\n\n"
        + statistics()
        + f"\n\n## Review: {30} records chosen at random (seed {SEED})\n\n"
        + review_table()
        + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    text = report()
    if not args.write:
        print(text)
        return 0
    doc = DOC.read_text(encoding="utf-8")
    block = f"{START}\n{text}{END}"
    doc = (
        doc[: doc.index(START)] + block + doc[doc.index(END) + len(END) :]
        if START in doc
        else doc.rstrip() + "\n\n" + block + "\n"
    )
    DOC.write_text(doc, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
