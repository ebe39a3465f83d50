"""The roster format: columns, controlled vocabularies, reading and validation.

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

from fusion_partners.search.text import name_key

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
)
"""Curated columns beyond the research format: ``roles`` (:data:`ROLES`), ``offers`` and
``needs`` (capability leaves, ``;``-separated), ``aliases`` (names people type), the Japanese
description and ``facet_basis`` (the evidence behind the facets, for reviewers). Optional in a
file (a research roster or an older copy has none); validated where present."""

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


def validate_taxonomy(file: str, header: Sequence[str], rows: Sequence[dict]) -> list[Problem]:
    """Check the capability taxonomy rows.

    Errors: a missing column, a malformed or repeated slug, an empty label, more than
    :data:`MAX_CAPABILITIES` groups, a leaf whose ``parent`` is not a group, or a leaf without
    both definitions.
    """
    problems = [
        Problem(file, 1, col, "required column is missing")
        for col in TAXONOMY_COLUMNS
        if col not in header
    ]
    if problems:
        return problems
    seen: set[str] = set()
    groups = {r["slug"] for r in group_rows(rows)}
    if len(groups) > MAX_CAPABILITIES:
        problems.append(
            Problem(
                file,
                0,
                "slug",
                f"more than {MAX_CAPABILITIES} capabilities (one bit each in a 64-bit mask)",
            )
        )
    for line, row in enumerate(rows, start=2):
        if not row:
            continue
        slug = row["slug"]
        if not re.match(r"^[a-z0-9_]+$", slug):
            problems.append(
                Problem(file, line, "slug", f"slug {slug!r} must be lower-case a-z, 0-9, _")
            )
        elif slug in seen:
            problems.append(Problem(file, line, "slug", f"duplicate slug {slug!r}"))
        seen.add(slug)
        for col in ("group", "group_ja", "label_en", "label_ja"):
            if not row[col]:
                problems.append(Problem(file, line, col, "empty label"))
        parent = row.get("parent", "")
        if parent:
            if parent not in groups:
                problems.append(
                    Problem(file, line, "parent", f"parent {parent!r} is not a capability group")
                )
            for col in ("definition_en", "definition_ja"):
                if not row.get(col):
                    problems.append(Problem(file, line, col, "a leaf needs a one-line definition"))
    return problems


def validate_organisations(
    file: str,
    header: Sequence[str],
    rows: Sequence[dict],
    capability_slugs: Iterable[str],
    *,
    require_id: bool = True,
    today: dt.date | None = None,
    leaf_slugs: Iterable[str] = (),
    awaiting_review: Iterable[str] = (),
) -> list[Problem]:
    """Check organisation rows against the roster rules.

    Errors: missing columns, empty/malformed/duplicate id, no name at all (an English or a
    Japanese name is required; a Japanese-only organisation has no English name), invalid
    ISO 3166-1 alpha-2 country, unknown org type/membership/confidence, no capability or an
    unknown capability slug, missing or malformed source URL, malformed website,
    malformed source date.
    Warnings: a source date in the future, a membership class without a membership,
    repeated capabilities or URLs, two rows with the same normalised name (English or
    Japanese) and country.

    Args:
        file: file name used in the report.
        header: the CSV header.
        rows: rows as returned by :func:`read_csv_rows`.
        capability_slugs: the known taxonomy slugs.
        require_id: False for research rosters (which have no ``id`` column).
        today: reference date for the future-date warning (default: today).
        leaf_slugs: the taxonomy's leaves, the vocabulary of ``offers`` and ``needs``.
        awaiting_review: ids of records an import added that curators have not completed yet:
            for them a missing Japanese description, role or offer is a warning, not an error.
            A record with no role and no offer at all has not been curated yet (the research
            format, a fresh import): only the values it has are checked.

    Facet columns (:data:`FACET_COLUMNS`) are checked where the file has them. Errors: an
    unknown role or leaf, an offer or need listed twice, no role or no offer, and an English
    description without a Japanese one (warnings for records awaiting review).
    """
    required = ("id", *ROSTER_COLUMNS) if require_id else ROSTER_COLUMNS
    problems = [
        Problem(file, 1, col, "required column is missing") for col in required if col not in header
    ]
    if problems:
        return problems
    known = set(capability_slugs)
    leaves = set(leaf_slugs)
    pending = set(awaiting_review)
    has_facets = "offers" in header
    today = today or dt.date.today()
    ids: dict[str, int] = {}
    names: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows, start=2):
        if not row:
            continue

        def err(
            col: str,
            key: str,
            reason: str,
            severity: str = "error",
            _line: int = line,
            **values: object,
        ) -> None:
            problems.append(
                Problem(
                    file,
                    _line,
                    col,
                    reason,
                    severity,
                    key,
                    tuple((k, str(v)) for k, v in values.items()),
                )
            )

        if require_id:
            oid = row["id"]
            if not oid:
                err("id", "id_missing", "missing id")
            elif not ID_RE.match(oid):
                err(
                    "id",
                    "id_malformed",
                    f"id {oid!r} must be lower-case letters, digits and single hyphens",
                    id=oid,
                )
            elif oid in ids:
                err(
                    "id",
                    "id_duplicate",
                    f"duplicate id {oid!r} (first on line {ids[oid]})",
                    id=oid,
                    line=ids[oid],
                )
            else:
                ids[oid] = line
        if not row["name_en"] and not row.get("name_ja"):
            err("name_en", "name_missing", "missing name (an English or a Japanese name is needed)")
        country = row["country"]
        if not valid_country(country):
            err(
                "country",
                "country_invalid",
                f"{country!r} is not an ISO 3166-1 alpha-2 country code",
                value=country,
            )
        if row["org_type"] not in ORG_TYPES:
            err(
                "org_type",
                "vocab_invalid",
                f"unknown organisation type {row['org_type']!r} (expected one of {', '.join(ORG_TYPES)})",
                value=row["org_type"],
                expected=", ".join(ORG_TYPES),
            )
        if row["membership"] not in MEMBERSHIPS:
            err(
                "membership",
                "vocab_invalid",
                f"unknown membership {row['membership']!r} (expected one of {', '.join(MEMBERSHIPS)})",
                value=row["membership"],
                expected=", ".join(MEMBERSHIPS),
            )
        elif row["membership"] == "other" and row["membership_class"]:
            err(
                "membership_class",
                "class_without_membership",
                "membership class given without a membership",
                "warning",
            )
        if row["confidence"] not in CONFIDENCES:
            err(
                "confidence",
                "vocab_invalid",
                f"unknown confidence {row['confidence']!r} (expected high, medium or low)",
                value=row["confidence"],
                expected=", ".join(CONFIDENCES),
            )
        caps = [c.strip() for c in row["capabilities"].split(";") if c.strip()]
        if not caps:
            err("capabilities", "capability_none", "no capability given")
        for cap in caps:
            if cap not in known:
                err(
                    "capabilities",
                    "capability_unknown",
                    f"unknown capability slug {cap!r}",
                    value=cap,
                )
        if len(set(caps)) != len(caps):
            err("capabilities", "capability_twice", "a capability is listed twice", "warning")
        urls = row["source_urls"].split()
        if not urls:
            err(
                "source_urls",
                "source_missing",
                "missing source URL (every record must show where it came from)",
            )
        for url in urls:
            if not URL_RE.match(url):
                err("source_urls", "url_malformed", f"malformed source URL {url!r}", value=url)
        if len(set(urls)) != len(urls):
            err("source_urls", "url_twice", "a source URL is listed twice", "warning")
        if row["website"] and not URL_RE.match(row["website"]):
            err(
                "website",
                "website_malformed",
                f"malformed website {row['website']!r}",
                value=row["website"],
            )
        try:
            date = parse_source_date(row["source_date"])
        except ValueError as exc:
            err("source_date", "date_malformed", str(exc), value=row["source_date"])
        else:
            if date and date > today:
                err(
                    "source_date",
                    "date_future",
                    f"source date {row['source_date']} is in the future",
                    "warning",
                    value=row["source_date"],
                )
        if has_facets:
            _validate_facets(row, leaves, err, review=bool(require_id and row.get("id") in pending))
        if valid_country(country):
            keys = [
                (col, (name_key(row[col]), country))
                for col in ("name_en", "name_ja")
                if row.get(col)
            ]
            keys = [(col, k) for col, k in keys if k[0]]
            earlier = next((names[k] for _, k in keys if k in names), None)
            if earlier is not None:
                err(
                    keys[0][0],
                    "same_name",
                    f"same name and country as line {earlier} (possible duplicate)",
                    "warning",
                    line=earlier,
                )
            for _, k in keys:
                names.setdefault(k, line)
    return problems


def _validate_facets(row: dict[str, str], leaves: set[str], err, *, review: bool) -> None:
    """Check one row's roles, offers, needs and Japanese description (see
    :func:`validate_organisations`)."""
    missing = "warning" if review else "error"
    roles = split_list(row.get("roles", ""))
    if not roles and not row.get("offers"):
        return  # not curated yet: nothing to complete
    if not roles:
        err("roles", "role_none", "no role given", missing)
    for role in roles:
        if role not in ROLES:
            err(
                "roles",
                "vocab_invalid",
                f"unknown role {role!r} (expected one of {', '.join(ROLES)})",
                value=role,
                expected=", ".join(ROLES),
            )
    for col in ("offers", "needs"):
        values = [v.strip() for v in row.get(col, "").split(";") if v.strip()]
        if col == "offers" and not values:
            err(col, "offer_none", "no offer given", missing)
        for value in values:
            if value not in leaves:
                err(col, "leaf_unknown", f"unknown capability leaf {value!r}", value=value)
        if len(set(values)) != len(values):
            err(col, "capability_twice", "a capability is listed twice", "warning")
    if row.get("description_en") and not row.get("description_ja"):
        err(
            "description_ja",
            "description_ja_missing",
            "missing Japanese description (description_ja)",
            missing,
        )


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
