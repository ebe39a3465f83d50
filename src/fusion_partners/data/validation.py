"""Validation of the curated files: the capability taxonomy and the organisation roster.

Every problem is reported with file, row, column and reason (:class:`~fusion_partners.data.roster.Problem`);
errors stop a build, warnings do not.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from fusion_partners.data.roster import (
    CONFIDENCES,
    ID_RE,
    MAX_CAPABILITIES,
    MEMBERSHIPS,
    ORG_TYPES,
    REMITS,
    ROLES,
    ROSTER_COLUMNS,
    TAXONOMY_COLUMNS,
    URL_RE,
    Problem,
    group_rows,
    parse_source_date,
    split_list,
    url_date,
    valid_country,
)
from fusion_partners.search.text import name_key


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
            newest = max((d for d in map(url_date, urls) if d and d <= today), default=None)
            month_only = len(row["source_date"]) == 7
            if (
                date
                and newest
                and (
                    (newest.year, newest.month) > (date.year, date.month)
                    if month_only
                    else newest > date
                )
            ):
                err(
                    "source_date",
                    "date_before_source",
                    f"source date {row['source_date']} is older than a source dated {newest} in its"
                    " URL (the source date is the newest source's)",
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
    if require_id:  # a successor is another organisation of the same file
        for line, row in enumerate(rows, start=2):
            successor = (row or {}).get("successor", "").strip()
            if successor and (successor == row.get("id") or successor not in ids):
                problems.append(
                    Problem(
                        file,
                        line,
                        "successor",
                        f"successor {successor!r} is not another organisation's id",
                        "error",
                        "successor_unknown",
                        (("value", successor),),
                    )
                )
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
    remit = row.get("remit", "").strip()
    if remit and remit not in REMITS:
        err(
            "remit",
            "vocab_invalid",
            f"unknown remit {remit!r} (expected one of {', '.join(REMITS)})",
            value=remit,
            expected=", ".join(REMITS),
        )
    if row.get("description_en") and not row.get("description_ja"):
        err(
            "description_ja",
            "description_ja_missing",
            "missing Japanese description (description_ja)",
            missing,
        )
