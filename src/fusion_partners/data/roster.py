"""The roster format: columns, controlled vocabularies, reading and writing (validation: :mod:`fusion_partners.data.validation`).

A *roster* is a CSV with one row per organisation in the format described in
``data/README.md`` (the research format plus a stable ``id``). Validation reports every
problem with file, row, column and reason; errors stop a build, warnings do not.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import pycountry

ROSTER_COLUMNS: tuple[str, ...] = (
    "name_en",
    "name_ja",
    "country",
    "prefecture_or_city",
    "org_type",
    "membership",
    "membership_class",
    "website",
    "capabilities",
    "description_en",
    "source_urls",
    "evidence",
    "source_date",
    "confidence",
)
"""Columns of a research roster, in order (see the shared research README)."""

FACET_COLUMNS: tuple[str, ...] = (
    "roles",
    "offers",
    "needs",
    "aliases",
    "description_ja",
    "facet_basis",
    "remit",
    "successor",
)
"""Curated columns beyond the research format: ``roles`` (:data:`ROLES`), ``offers`` and
``needs`` (capability leaves, ``;``-separated), ``aliases`` (names people type), the Japanese
description, ``facet_basis`` (the evidence behind the facets, for reviewers), ``remit``
(:data:`REMITS`; empty means national) and ``successor`` (the id of the organisation a business
sold on or merged now belongs to; empty while it trades under its own name: the partner finder
offers the successor, not the record kept for its history). Optional in a file (a research
roster or an older copy has none); validated where present."""

ORGANISATION_COLUMNS: tuple[str, ...] = ("id", *ROSTER_COLUMNS, "rosters", *FACET_COLUMNS)
"""Columns of the curated ``data/organisations.csv``."""

TAXONOMY_COLUMNS: tuple[str, ...] = ("slug", "group", "group_ja", "label_en", "label_ja")
"""Required columns of the curated ``data/capabilities.csv``."""
TAXONOMY_TREE_COLUMNS: tuple[str, ...] = (
    "slug",
    "parent",
    "group",
    "group_ja",
    "label_en",
    "label_ja",
    "definition_en",
    "definition_ja",
)
"""All columns of ``data/capabilities.csv``: a row with an empty ``parent`` is a capability
group (the coarse tags of the research rosters); a row naming its group as ``parent`` is a
leaf, the unit of offers and needs."""

ROLES: tuple[str, ...] = (
    "fusion_developer",
    "manufacturer_supplier",
    "engineering_integrator",
    "research_partner",
    "test_facility",
    "investor",
    "trading_house",
    "utility_operator",
    "regulator",
    "ministry",
    "funding_agency",
    "site_host",
    "council_association",
    "training_provider",
)
"""The fixed list of roles an organisation plays (``roles`` column)."""


def role_mask(roles: Sequence[str]) -> int:
    """The bits of ``roles`` (bit ``i`` for :data:`ROLES` ``[i]``), as stored in
    ``organisations.role_mask``: the partner model tests roles with ``(role_mask & m) <> 0``
    instead of a list function per candidate.

    Raises:
        KeyError: for a role not in :data:`ROLES`.
    """
    index = {r: i for i, r in enumerate(ROLES)}
    return sum(1 << index[r] for r in dict.fromkeys(roles))


ORG_TYPES: tuple[str, ...] = (
    "company",
    "startup",
    "university",
    "research_institute",
    "public_body",
    "investor",
    "association",
    "other",
)
REMITS: tuple[str, ...] = ("national", "regional", "international")
"""The area an organisation's mandate covers (``remit`` column; empty means ``national``):
``regional`` for a prefecture, city, county or district council, a local enterprise
partnership and a regional cluster or alliance; ``international`` for a treaty body or a
multinational consortium (ITER Organization, Fusion for Energy, EUROfusion). The partner model
pairs counterparts only at the same level of government (a prefecture is not a counterpart of
a national laboratory); see ``docs/partner-finder.md``."""
MEMBERSHIPS: tuple[str, ...] = ("j_fusion", "fusion_cluster", "other")
"""``other`` means no council membership is stated by a source."""
CONFIDENCES: tuple[str, ...] = ("high", "medium", "low")
CONFIDENCE_RANK: dict[str, int] = {"high": 3, "medium": 2, "low": 1}
MAX_CAPABILITIES = 63
"""The taxonomy's size limit: each capability is one bit of a signed 64-bit mask."""

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """One validation finding.

    Attributes:
        file: file name (no folder).
        row: 1-based line number in the file (the header is line 1), 0 for whole-file issues.
        column: the column concerned, or ``""``.
        reason: plain-language explanation (English).
        severity: ``"error"`` (stops the build) or ``"warning"``.
        key: the reason's message key without prefix (``name_missing``, ...; catalogue key
            ``roster.problem.<key>``), ``""`` for problems that have none, so an interface
            can show the reason in its own language.
        values: the message's placeholder values as ``((name, value), ...)``.
    """

    file: str
    row: int
    column: str
    reason: str
    severity: str = "error"
    key: str = ""
    values: tuple[tuple[str, str], ...] = ()

    def __str__(self) -> str:
        where = f"{self.file}:{self.row}" if self.row else self.file
        col = f" [{self.column}]" if self.column else ""
        return f"{self.severity.upper()} {where}{col}: {self.reason}"


class ValidationError(Exception):
    """Raised when curated data has errors; ``problems`` lists all findings."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        errors = [p for p in self.problems if p.severity == "error"]
        lines = "\n".join(str(p) for p in errors[:50])
        more = f"\n... and {len(errors) - 50} more" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} error(s) in the data:\n{lines}{more}")


def read_csv_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Read a UTF-8 (optionally BOM-prefixed) CSV as strings.

    Returns:
        (header, rows) where each row maps column → stripped text ("" when empty).

    Raises:
        UnicodeDecodeError: when the file is not UTF-8.
    """
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        header = [h.strip() for h in next(reader, [])]
        rows: list[dict[str, str]] = []
        for values in reader:
            if not any(v.strip() for v in values):
                rows.append({})  # keep line numbers aligned; skipped by callers
                continue
            padded = list(values) + [""] * (len(header) - len(values))
            rows.append({h: (padded[i] or "").strip() for i, h in enumerate(header)})
    return header, rows


def parse_source_date(value: str) -> dt.date | None:
    """Parse ``YYYY-MM-DD`` or ``YYYY-MM`` (first day of the month); ``None`` when empty.

    Raises:
        ValueError: for any other shape or an impossible date.
    """
    if not value:
        return None
    m = DATE_RE.match(value)
    if not m:
        raise ValueError(f"date {value!r} is not YYYY-MM-DD or YYYY-MM")
    year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3) or 1)
    return dt.date(year, month, day)


_URL_DATES = (
    re.compile(r"/(20\d\d)/(0[1-9]|1[0-2])/([0-3]\d)(?:/|$)"),
    re.compile(r"/(20\d\d)(0[1-9]|1[0-2])([0-3]\d)(?:/|$)"),
)


def url_date(url: str) -> dt.date | None:
    """The publication date a source URL carries in its path (``/2025/06/19/`` or
    ``/20240408/``, as news sites and press rooms write them), or ``None``.

    Returns ``None`` for a path without such a date or with an impossible one.
    """
    for pattern in _URL_DATES:
        m = pattern.search(url)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def split_list(value: str, sep: str | None = ";") -> list[str]:
    """Split a ``;``-separated (or whitespace-separated when ``sep`` is None) cell."""
    parts = value.split(sep) if sep else value.split()
    out: list[str] = []
    for part in (p.strip() for p in parts):
        if part and part not in out:
            out.append(part)
    return out


@lru_cache(maxsize=1024)
def valid_country(code: str) -> bool:
    """True when ``code`` is an ISO 3166-1 alpha-2 code known to pycountry."""
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


_Row = TypeVar("_Row", bound=Mapping[str, str])


def group_rows(rows: Iterable[_Row]) -> list[_Row]:
    """The capability groups of taxonomy rows (rows without a ``parent``), in file order."""
    return [r for r in rows if r and not r.get("parent")]


def leaf_rows(rows: Iterable[_Row]) -> list[_Row]:
    """The capability leaves of taxonomy rows (rows with a ``parent``), in file order."""
    return [r for r in rows if r and r.get("parent")]


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[dict[str, str]]) -> None:
    """Write rows as UTF-8 CSV (no BOM, ``\\n`` line ends) atomically."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})
    tmp.replace(path)
