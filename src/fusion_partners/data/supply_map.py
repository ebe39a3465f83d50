"""The partner map (``data/supply_map.csv``): who needs what from whom, as editable data.

Each row is a *rule*: an organisation on the **demand** side needs what an organisation on
the **supply** side offers, for one kind of collaboration. A side is a capability slug of
the taxonomy (or ``*`` = any capability) plus an optional list of organisation types::

    kind,demand,demand_types,supply,supply_types,weight,rationale,rationale_ja
    supply_chain,fusion_developer_mcf,,magnets_superconductors,,1.0,"Tokamaks need ...",...
    innovation,*,startup,*,investor,1.0,"Startups need risk capital ...",...

* ``kind``: ``supply_chain``, ``demonstration`` or ``innovation`` (joint research is not
  rule-based: it uses shared capabilities, see :mod:`fusion_partners.partners.query`).
* ``demand`` / ``supply``: a taxonomy slug, or ``*`` together with at least one type.
* ``demand_types`` / ``supply_types``: ``;``-separated organisation types, empty = any type.
* ``weight``: how strong the need is, a number in (0, 5]; 1.0 is a core need.
* ``rationale`` (English, required) and ``rationale_ja`` (Japanese, optional; English shown
  when empty): why the rule holds, shown next to the suggestions it produces.

The build validates the file (unknown slugs, kinds or types, bad weights and duplicate rules
are errors, reported with file, line, column and reason) and loads it into the
``partner_rules`` table. A data folder without the file builds with no rules (the
rule-based kinds then find nothing and say so).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fusion_partners.data.roster import ORG_TYPES, Problem, split_list

SUPPLY_MAP_FILE = "supply_map.csv"
SUPPLY_MAP_COLUMNS: tuple[str, ...] = (
    "kind",
    "demand",
    "demand_types",
    "supply",
    "supply_types",
    "weight",
    "rationale",
    "rationale_ja",
)
RULE_KINDS: tuple[str, ...] = ("supply_chain", "demonstration", "innovation")
"""Kinds of collaboration whose matches come from the map."""
ANY = "*"
MAX_WEIGHT = 5.0


@dataclass(frozen=True)
class Rule:
    """One validated row of the map (``rule_id`` is its 1-based data row number)."""

    rule_id: int
    kind: str
    demand: str
    demand_types: tuple[str, ...]
    supply: str
    supply_types: tuple[str, ...]
    weight: float
    rationale: str
    rationale_ja: str


def validate_supply_map(
    file: str, header: Sequence[str], rows: Sequence[dict], capability_slugs: Iterable[str]
) -> tuple[list[Rule], list[Problem]]:
    """Check the map rows and turn the valid ones into :class:`Rule` objects.

    Errors: a missing column, an unknown kind, capability slug or organisation type, ``*``
    without a type, a weight that is not a number in (0, 5], an empty rationale, the same
    rule twice. Warnings: an empty Japanese rationale.

    Args:
        file: file name used in the report.
        header, rows: as returned by :func:`fusion_partners.data.roster.read_csv_rows`.
        capability_slugs: the known taxonomy slugs.

    Returns:
        ``(rules, problems)``; rows with an error are left out of ``rules``.
    """
    required = [c for c in SUPPLY_MAP_COLUMNS if c != "rationale_ja"]
    problems = [
        Problem(file, 1, col, "required column is missing") for col in required if col not in header
    ]
    if problems:
        return [], problems
    known = set(capability_slugs)
    rules: list[Rule] = []
    seen: dict[tuple, int] = {}
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        before = len(problems)

        def err(col: str, reason: str, severity: str = "error", _line: int = line) -> None:
            problems.append(Problem(file, _line, col, reason, severity))

        kind = row["kind"]
        if kind not in RULE_KINDS:
            err("kind", f"unknown kind {kind!r} (expected one of {', '.join(RULE_KINDS)})")
        sides: dict[str, tuple[str, tuple[str, ...]]] = {}
        for side in ("demand", "supply"):
            slug = row[side]
            types = tuple(split_list(row.get(f"{side}_types", "")))
            if not slug:
                err(side, "missing capability (use * for any capability)")
            elif slug != ANY and slug not in known:
                err(side, f"unknown capability slug {slug!r}")
            for org_type in types:
                if org_type not in ORG_TYPES:
                    err(
                        f"{side}_types",
                        f"unknown organisation type {org_type!r} (expected one of {', '.join(ORG_TYPES)})",
                    )
            if slug == ANY and not types:
                err(f"{side}_types", "'*' (any capability) needs at least one organisation type")
            sides[side] = (slug, tuple(sorted(types)))
        try:
            weight = float(row["weight"])
        except ValueError:
            weight = float("nan")
        if not 0 < weight <= MAX_WEIGHT:
            err(
                "weight",
                f"weight {row['weight']!r} must be a number greater than 0 and at most {MAX_WEIGHT:g}",
            )
        if not row["rationale"]:
            err("rationale", "missing rationale (say why the rule holds)")
        if not row.get("rationale_ja", ""):
            err("rationale_ja", "no Japanese rationale; the English one is shown", "warning")
        key = (kind, sides["demand"], sides["supply"])
        if key in seen:
            err("supply", f"same rule as line {seen[key]}")
        else:
            seen[key] = line
        if any(p.severity == "error" for p in problems[before:]):
            continue
        rules.append(
            Rule(
                rule_id=line - 1,
                kind=kind,
                demand=sides["demand"][0],
                demand_types=sides["demand"][1],
                supply=sides["supply"][0],
                supply_types=sides["supply"][1],
                weight=weight,
                rationale=row["rationale"],
                rationale_ja=row.get("rationale_ja", ""),
            )
        )
    return rules, problems
