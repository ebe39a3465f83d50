"""Council memberships as a set (``data/memberships.csv``).

An organisation may belong to J-Fusion, to The Fusion Cluster, or to both. Each membership
is one row: ``org_id``, ``council`` (``j_fusion`` | ``fusion_cluster``), ``membership_class``
(when a source states it, e.g. ``founder``), ``source_urls`` (the pages stating it,
space-separated, the first the main one), ``date`` (of the newest such page, ``YYYY-MM-DD`` or
``YYYY-MM``) and ``evidence`` (what the page states, in short).

The roster's single ``membership`` column (what the research rosters and the importer write)
also counts: :func:`membership_sets` joins both, so an import that states a membership is never
lost, and a membership row adds its source.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fusion_partners.data.roster import URL_RE, Problem, parse_source_date, split_list

MEMBERSHIPS_FILE = "memberships.csv"
MEMBERSHIP_COLUMNS: tuple[str, ...] = (
    "org_id",
    "council",
    "membership_class",
    "source_urls",
    "date",
    "evidence",
)
COUNCILS: tuple[str, ...] = ("j_fusion", "fusion_cluster")


@dataclass(frozen=True)
class Membership:
    """One sourced council membership of one organisation."""

    org_id: str
    council: str
    membership_class: str
    source_urls: tuple[str, ...]
    date: str
    evidence: str


def validate_memberships(
    file: str, header: Sequence[str], rows: Sequence[dict[str, str]], org_ids: Iterable[str]
) -> tuple[list[Membership], list[Problem]]:
    """Check the rows of ``memberships.csv``.

    Errors: a missing column, an unknown organisation id or council, a missing or malformed
    source URL, a malformed date. A repeated (organisation, council) pair is a warning; the
    later row adds nothing. Rows with errors are left out.

    Returns:
        (memberships in file order, problems).
    """
    problems = [
        Problem(file, 1, c, "required column is missing")
        for c in MEMBERSHIP_COLUMNS
        if c not in header
    ]
    if problems:
        return [], problems
    known = set(org_ids)
    seen: dict[tuple[str, str], int] = {}
    out: list[Membership] = []
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        start = len(problems)
        if row["org_id"] not in known:
            problems.append(
                Problem(file, line, "org_id", f"unknown organisation id {row['org_id']!r}")
            )
        if row["council"] not in COUNCILS:
            problems.append(
                Problem(
                    file,
                    line,
                    "council",
                    f"unknown council {row['council']!r} (expected one of {', '.join(COUNCILS)})",
                )
            )
        urls = split_list(row["source_urls"], None)
        if not urls:
            problems.append(
                Problem(
                    file,
                    line,
                    "source_urls",
                    "missing source URL (every membership must show its source)",
                )
            )
        for url in urls:
            if not URL_RE.match(url):
                problems.append(Problem(file, line, "source_urls", f"malformed source URL {url!r}"))
        try:
            parse_source_date(row["date"])
        except ValueError as exc:
            problems.append(Problem(file, line, "date", str(exc)))
        if len(problems) > start:
            continue
        key = (row["org_id"], row["council"])
        if key in seen:
            problems.append(
                Problem(
                    file,
                    line,
                    "council",
                    f"membership already given on line {seen[key]}",
                    "warning",
                )
            )
            continue
        seen[key] = line
        out.append(
            Membership(
                row["org_id"],
                row["council"],
                row["membership_class"],
                tuple(urls),
                row["date"],
                row["evidence"],
            )
        )
    return out, problems


def membership_sets(
    organisations: Iterable[dict[str, str]], rows: Iterable[Membership]
) -> dict[str, list[Membership]]:
    """Every organisation's memberships: the sourced rows plus the roster's ``membership``
    column (sourced by the record's own sources when no row gives that council).

    Returns:
        ``{org_id: [Membership, ...]}`` in council order (J-Fusion first); organisations with
        none are absent.
    """
    by_org: dict[str, dict[str, Membership]] = {}
    for m in rows:
        by_org.setdefault(m.org_id, {})[m.council] = m
    for org in organisations:
        council = org.get("membership", "")
        if council in COUNCILS and council not in by_org.get(org["id"], {}):
            urls = split_list(org.get("source_urls", ""), None)
            by_org.setdefault(org["id"], {})[council] = Membership(
                org["id"],
                council,
                org.get("membership_class", ""),
                tuple(urls),
                org.get("source_date", ""),
                org.get("evidence", ""),
            )
    return {oid: [m[c] for c in COUNCILS if c in m] for oid, m in by_org.items()}
