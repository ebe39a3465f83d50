"""Documented collaborations between organisations (``data/links.csv``).

One row per documented collaboration: ``org_a``, ``org_b`` (roster ids; in an ``investment``,
``org_a`` is the investor and ``org_b`` the organisation it invested in), ``relation`` (see
:data:`RELATIONS`), ``year``, ``what`` (one sentence, in the curators' own words) and
``source_urls`` (space-separated; at least one). A link is never inferred: each rests on a
public page that states it.

:func:`validate_links` reports every problem with file, line, column and reason, and merges
rows that name the same pair and relation (in either order) into one link with the union of
their sources, the earliest year and the first sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fusion_partners.data.roster import URL_RE, Problem, split_list

LINKS_FILE = "links.csv"
LINK_COLUMNS: tuple[str, ...] = ("org_a", "org_b", "relation", "year", "what", "source_urls")
"""Columns of ``data/links.csv``, in order."""

RELATIONS: tuple[str, ...] = (
    "contract_supply",
    "investment",
    "joint_research",
    "consortium_teaming",
    "demonstration",
    "memorandum",
)
"""What a documented collaboration was: a supply contract, an investment, joint research, a
consortium or teaming agreement, a demonstration project, or a memorandum of cooperation."""


@dataclass(frozen=True)
class Link:
    """One documented collaboration (after merging duplicates).

    Attributes:
        org_a, org_b: organisation ids, as first written.
        relation: one of :data:`RELATIONS`.
        year: the year it began or was announced, ``None`` when no source says.
        what: one sentence saying who does what for whom.
        source_urls: the pages that state it, in order, without repeats.
        line: the line of the first row that gave it.
    """

    org_a: str
    org_b: str
    relation: str
    year: int | None
    what: str
    source_urls: tuple[str, ...]
    line: int

    @property
    def pair(self) -> frozenset[str]:
        """The two ids, unordered."""
        return frozenset((self.org_a, self.org_b))


def validate_links(
    file: str, header: Sequence[str], rows: Sequence[dict[str, str]], org_ids: Iterable[str]
) -> tuple[list[Link], list[Problem]]:
    """Check and merge the rows of ``links.csv``.

    Errors: a missing column, an id that is not in the roster, a self-link, an unknown
    relation, a year that is not a four-digit year between 1950 and 2100, an empty ``what``,
    and a row without a (well-formed) source URL. Duplicate rows (same pair and relation, in
    either order) are merged with a warning naming the first line.

    Returns:
        (links in file order, problems). Rows with errors are left out of the links.
    """
    problems = [
        Problem(file, 1, c, "required column is missing") for c in LINK_COLUMNS if c not in header
    ]
    if problems:
        return [], problems
    known = set(org_ids)
    merged: dict[tuple[frozenset[str], str], Link] = {}
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        bad = False

        def err(col: str, reason: str, severity: str = "error", _line: int = line) -> None:
            nonlocal bad
            problems.append(Problem(file, _line, col, reason, severity))
            bad = bad or severity == "error"

        a, b = row["org_a"], row["org_b"]
        for col, oid in (("org_a", a), ("org_b", b)):
            if not oid:
                err(col, "missing organisation id")
            elif oid not in known:
                err(col, f"unknown organisation id {oid!r}")
        if a and a == b:
            err("org_b", "a link needs two different organisations (self-link)")
        if row["relation"] not in RELATIONS:
            err(
                "relation",
                f"unknown relation {row['relation']!r} (expected one of {', '.join(RELATIONS)})",
            )
        year: int | None = None
        if row["year"]:
            if row["year"].isdigit() and 1950 <= int(row["year"]) <= 2100:
                year = int(row["year"])
            else:
                err("year", f"year {row['year']!r} is not a year (YYYY)")
        if not row["what"]:
            err("what", "missing description of the collaboration")
        urls = split_list(row["source_urls"], None)
        if not urls:
            err("source_urls", "missing source URL (every link must show where it came from)")
        for url in urls:
            if not URL_RE.match(url):
                err("source_urls", f"malformed source URL {url!r}")
        if bad:
            continue
        key = (frozenset((a, b)), row["relation"])
        if key in merged:
            first = merged[key]
            err("org_a", f"same pair and relation as line {first.line}: merged into it", "warning")
            years = [y for y in (first.year, year) if y is not None]
            merged[key] = Link(
                first.org_a,
                first.org_b,
                first.relation,
                min(years) if years else None,
                first.what,
                tuple(dict.fromkeys((*first.source_urls, *urls))),
                first.line,
            )
        else:
            merged[key] = Link(a, b, row["relation"], year, row["what"], tuple(urls), line)
    return list(merged.values()), problems
