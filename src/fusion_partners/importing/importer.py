"""Import member lists and rosters: preview (plan), write (apply) and undo.

An import takes one or more files read by :mod:`fusion_partners.importing.upload`, a confirmed
column mapping, confirmed capability mappings, the user's decisions on possible
duplicates and file-wide options (source URL, council member list), and

* **plans** it without writing anything (:func:`plan`): every row becomes ``new``,
  ``update`` (with the changed columns), ``unchanged``, ``duplicate`` (a possible match the
  user must decide: merge, add or skip), ``skipped`` or ``error``, with findings per column;
* **applies** it in one crash-safe transaction (:func:`apply`, see :mod:`store`): the curated
  ``organisations.csv``, the import log ``imports.csv``, the value history ``history.csv``
  and the database change together, or not at all;
* **undoes** the last applied import (:func:`undo_last`) from the value history.

The merge itself is :func:`fusion_partners.importing.merge.merge_roster` (the research-roster merge):
matching by normalised name and country, unions of capabilities and sources, a stated
membership replacing "none stated", newer dates and higher confidence winning.

Command line (``python -m fusion_partners.importing.importer --help``)::

    python -m fusion_partners.importing.importer members.xlsx --source-url URL [--council fusion_cluster
        --member-list] [--map "Header=field"] [--capability "term=slug"] [--decide "LINE=add"]
        [--apply] [--undo]
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TypeVar, cast

from fusion_partners import config
from fusion_partners.data import transaction as store
from fusion_partners.data.load import (
    HISTORY_COLUMNS,
    HISTORY_FILE,
    IMPORT_COLUMNS,
    IMPORTS_FILE,
    ORGANISATIONS_FILE,
    TAXONOMY_FILE,
    search_synonyms,
)
from fusion_partners.data.roster import (
    CONFIDENCES,
    MEMBERSHIPS,
    ORG_TYPES,
    ORGANISATION_COLUMNS,
    ROSTER_COLUMNS,
    Problem,
    group_rows,
    leaf_rows,
    read_csv_rows,
    validate_organisations,
)
from fusion_partners.i18n import has, plural_key, t
from fusion_partners.i18n.markup import echo
from fusion_partners.importing.capability_match import CapabilityMatcher, split_terms
from fusion_partners.importing.dedupe import (
    DUPLICATE_SCORE,
    GENERIC_WORDS,
    NameIndex,
    distinctive_key,
    index_organisations,
)
from fusion_partners.importing.encodings import encoding_label
from fusion_partners.importing.mapping import FIELDS, guess_mapping, map_country, map_region
from fusion_partners.importing.merge import merge_roster
from fusion_partners.importing.table import RawTable, UploadError
from fusion_partners.importing.upload import read_table
from fusion_partners.search.text import fold, has_japanese_script, match_key, name_key

COUNCILS: tuple[str, ...] = ("j_fusion", "fusion_cluster")
STATUSES: tuple[str, ...] = (
    "new",
    "update",
    "unchanged",
    "duplicate",
    "country",
    "skipped",
    "error",
)
"""Row results of a preview; ``country``: the row has no country and waits for one (chosen for
the whole file or for the row)."""

__all__ = ["DUPLICATE_SCORE", "GENERIC_WORDS", "distinctive_key"]  # re-exported from dedupe

MEMBERSHIP_VALUES = ("held", "stated")
"""Finding values that are membership codes (shown as the council's name in each language)."""


# --- requests -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportOptions:
    """File-wide choices of the user.

    Attributes:
        source_url: one URL for the whole file (e.g. the council's published member list),
            added to every row's sources; rows need a source URL to become records.
        council: ``j_fusion`` or ``fusion_cluster`` when the file is that council's member list.
        member_list: the user states the file *is* that council's member list; only then is
            the membership set (with the source URL as its source).
        org_type / confidence / source_date: used where the file has no such column.
        user: who imports (recorded in the import log).
        country: ISO 3166-1 alpha-2 code for rows that give no country (a name-only member
            list); ``""``: such rows take the country of the roster record their name
            matches, or wait for a country.
    """

    source_url: str = ""
    council: str = ""
    member_list: bool = False
    org_type: str = "other"
    confidence: str = "medium"
    source_date: str = ""
    user: str = ""
    country: str = ""


@dataclass(frozen=True)
class ImportFile:
    """One read file and its confirmed column mapping (``((column index, field), ...)``)."""

    table: RawTable
    mapping: tuple[tuple[int, str], ...]

    @classmethod
    def guessed(cls, table: RawTable) -> ImportFile:
        """The file with the automatically proposed mapping. The column of a name-only list
        without a header is the Japanese name when most of its names are in Japanese script,
        else the English name."""
        return cls(table, tuple(sorted(proposed_mapping(table).items())))

    def ignored_columns(self) -> list[tuple[int, str]]:
        """Columns whose values are not stored: ``(column index, header)`` for every column
        mapped to no field, or to ``company_number`` (shown in the preview, not stored).
        Only columns with a header or a value are listed."""
        mapped = {idx: fld for idx, fld in self.mapping}
        out = []
        for idx, header in enumerate(self.table.header):
            if mapped.get(idx) not in (None, "company_number"):
                continue
            if header or any(
                idx < len(cells) and cells[idx] for _, cells in self.table.rows[:1000]
            ):
                out.append((idx, header or f"#{idx + 1}"))
        return out

    def header_of(self, field_name: str) -> str:
        """The file's header text for a roster field (``""`` when no column maps to it;
        ``prefecture_or_city`` is the ``region`` column)."""
        wanted = "region" if field_name == "prefecture_or_city" else field_name
        for idx, f in self.mapping:
            if f == wanted:
                return self.table.header[idx] or f"#{idx + 1}"
        return ""


def proposed_mapping(table: RawTable) -> dict[int, str]:
    """``{column index: field}`` proposed for a read file (:func:`mapping.guess_mapping`; for a
    name-only list, its one column as a name column, see :meth:`ImportFile.guessed`)."""
    mapping = guess_mapping(table.header)
    if table.name_only and not {"name_en", "name_ja"} & set(mapping.values()):
        names = [cells[0] for _, cells in table.rows[:1000] if cells and cells[0]]
        japanese = sum(1 for n in names if has_japanese_script(match_key(n)))
        mapping = {0: "name_ja" if japanese * 2 > len(names) else "name_en"}
    return mapping


@dataclass(frozen=True)
class ImportRequest:
    """Everything an import needs; hashable, so a page can cache its preview.

    Attributes:
        files: the files, merged in order.
        capabilities: ``((term, slug), ...)`` confirmed capability mappings; ``slug`` ``""``
            leaves the term unmapped. Terms not listed use the automatic suggestion.
        decisions: ``(((file index, line), decision), ...)`` with ``add``, ``skip`` or
            ``merge:<id>`` for possible duplicates (or any row).
        options: file-wide options.
        countries: ``(((file index, line), alpha-2 code), ...)``: the country chosen for a row
            that gives none (before :attr:`ImportOptions.country`).
    """

    files: tuple[ImportFile, ...]
    capabilities: tuple[tuple[str, str], ...] = ()
    decisions: tuple[tuple[tuple[int, int], str], ...] = ()
    options: ImportOptions = ImportOptions()
    countries: tuple[tuple[tuple[int, int], str], ...] = ()


# --- findings and plan --------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A problem with one row (or the whole file) of an import.

    ``key`` is a catalogue key (``import.problem.*`` or ``roster.problem.*``) formatted with
    ``values``; ``column`` is the file's own header text of the field (``""`` when the
    field has no column in the file); ``field`` is the roster field concerned.
    """

    file: str
    line: int
    column: str
    key: str
    values: tuple[tuple[str, str], ...] = ()
    severity: str = "error"
    field: str = ""

    def message(self, lang: str = "en", limit: int | None = 80) -> str:
        """The message in ``lang``: membership codes in the values are shown as council names,
        and a ``default`` vocabulary code (with its ``kind``) as its label. Values from the
        file are quoted through :func:`markup.echo` (invisible and bidirectional controls
        dropped, each cut to ``limit`` characters; ``None``: whole)."""
        values = {
            k: (t(f"membership.{v}", lang) if k in MEMBERSHIP_VALUES and v else echo(v, limit))
            for k, v in self.values
        }
        if values.get("kind") and values.get("default"):
            from fusion_partners.i18n.labels import vocab_label

            values["default"] = vocab_label(values["kind"], values["default"], lang)
        count = values.get("n", "")
        return t(
            plural_key(self.key, int(count), lang) if count.isdigit() else self.key, lang, **values
        )

    def where(self, lang: str = "en") -> str:
        """The column to name: the file's header (echoed, see :func:`markup.echo`), else the
        field's label in ``lang``."""
        if self.column:
            return echo(self.column, 60)
        return field_label(self.field, lang) if self.field else ""


def field_label(name: str, lang: str = "en") -> str:
    """A roster field in words (``source_urls`` → "Source URLs", ``prefecture_or_city`` →
    "Region / place"); the name itself when the catalogue has no label."""
    key = f"import.field.{'region' if name == 'prefecture_or_city' else name}"
    return t(key, lang) if has(key, lang) else name


@dataclass
class RowPlan:
    """The preview of one data row. ``line`` is the row's number in the file (header = its line).

    ``candidates`` are existing organisations the row may be (``(id, name, score)``);
    ``same_as`` earlier rows of the same file that may be the same organisation
    (``(line, name, score)``); ``follows`` the earlier row this one is certainly the same
    organisation as (equal names): it goes wherever that row goes.
    """

    file_index: int
    line: int
    name: str
    values: dict[str, str]
    status: str = ""
    org_id: str = ""
    changed: tuple[str, ...] = ()
    candidates: tuple[tuple[str, str, float], ...] = ()
    findings: list[Finding] = field(default_factory=list)
    unmapped: tuple[str, ...] = ()
    region_code: str = ""
    company_number: str = ""
    same_as: tuple[tuple[int, str, float], ...] = ()
    follows: int = 0
    conflicts: tuple[tuple[str, str, str], ...] = ()
    """``(field, record's value, file's value)`` for fields the file gives differently from the
    record its name matches exactly: the record's values are kept, with a warning, unless the
    user decides ``replace`` for the row (``keep`` confirms)."""
    country_from: str = ""
    """Where the country came from when the row gives none: ``file`` (chosen for the whole
    file), ``row`` (chosen for this row), ``roster`` (the record the name matches); ``""``."""

    @property
    def has_error(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    @property
    def needs_decision(self) -> bool:
        """A possible duplicate the user decides (rows following another row do not). Rows with
        :attr:`conflicts` are not waiting: they may be decided (``replace``), not must."""
        return self.status != "error" and not self.follows and bool(self.candidates or self.same_as)


@dataclass
class Plan:
    """Result of :func:`plan`: per-row previews and the organisations after the import."""

    rows: list[RowPlan]
    before: list[dict[str, str]]
    after: list[dict[str, str]]
    findings: list[Finding] = field(default_factory=list)
    terms: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """``{status: number of rows}`` for every status in :data:`STATUSES`."""
        out = dict.fromkeys(STATUSES, 0)
        for r in self.rows:
            out[r.status] += 1
        return out

    @cached_property
    def added(self) -> list[str]:
        old = {o["id"] for o in self.before}
        return [o["id"] for o in self.after if o["id"] not in old]

    @cached_property
    def updated(self) -> dict[str, list[str]]:
        old = {o["id"]: o for o in self.before}
        out = {}
        for o in self.after:
            prev = old.get(o["id"])
            if prev is not None and prev != o:
                out[o["id"]] = [c for c in ORGANISATION_COLUMNS if prev.get(c, "") != o.get(c, "")]
        return out

    @property
    def blocked(self) -> bool:
        """True when the data after the import would not validate (nothing may be written)."""
        return any(f.severity == "error" for f in self.findings)

    @property
    def changes(self) -> bool:
        return bool(self.added or self.updated)

    def all_findings(self) -> list[Finding]:
        return [*self.findings, *(f for r in self.rows for f in r.findings)]

    def state(self) -> tuple[str, dict[str, int]]:
        """What the import would do, as a message key (``import.state.*``) and its counts.

        ``ready`` (something to write; ``errors``/``waiting`` rows are left out), ``blocked``
        (the roster would not validate), ``nothing_importable`` (no row can be imported yet:
        every row has errors, waits for a decision or is skipped) or ``up_to_date`` (every
        importable row is already in the roster).
        """
        counts = self.counts()
        values = {
            "errors": counts["error"],
            "waiting": counts["duplicate"] + counts["country"],
            "skipped": counts["skipped"],
            "changes": len(self.added) + len(self.updated),
            "rows": len(self.rows),
        }
        if self.blocked:
            return "blocked", values
        if self.changes:
            return "ready", values
        if counts["unchanged"] == 0 and (
            counts["error"] or counts["duplicate"] or counts["country"] or counts["skipped"]
        ):
            return "nothing_importable", values
        return "up_to_date", values


@lru_cache(maxsize=4096)
def _vocab(value: str, codes: tuple[str, ...], kind: str) -> str:
    """A vocabulary code from a code or an English/Japanese label (``""`` when unknown)."""
    key = match_key(value)
    if not key:
        return ""
    for code in codes:
        if key in (match_key(code), match_key(code.replace("_", " "))):
            return code
        for lang in ("en", "ja"):
            if key == match_key(t(f"{kind}.{code}", lang)):
                return code
    return ""


_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?)?月?$")


def _date(value: str) -> str:
    """``2025/3/1``, ``2025年3月`` → ``2025-03-01`` / ``2025-03``; anything else unchanged."""
    m = _DATE_RE.match(value.strip())
    if not m:
        return value.strip()
    y, mo, d = m.group(1), int(m.group(2)), m.group(3)
    return f"{y}-{mo:02d}-{int(d):02d}" if d else f"{y}-{mo:02d}"


def _urls(text: str) -> list[str]:
    return [u for u in re.split(r"[\s|;,]+", text or "") if u]


def roster_label(file_name: str) -> str:
    """The ``rosters`` label of a file: its name without folder and extension."""
    stem = Path(file_name).stem or "import"
    return re.sub(r"[;\s]+", "_", stem)


def member_list_evidence(council: str, file_name: str) -> str:
    """Evidence text of a row from a council's member list (English, as all evidence)."""
    return f"listed in the member list of {t('membership.' + council, 'en')} ({file_name})"


class _AutoCapabilities:
    """The matcher's automatic choice per capability text, computed once per text."""

    def __init__(self, matcher: CapabilityMatcher, chosen: Mapping[str, str]):
        self.matcher, self.chosen = matcher, chosen
        self.cache: dict[str, str] = {}

    def __call__(self, term: str) -> str:
        if term in self.chosen:
            return self.chosen[term]
        if term not in self.cache:
            self.cache[term] = self.matcher.auto(term)
        return self.cache[term]


def _build_row(
    fi: int,
    f: ImportFile,
    line: int,
    cells: Sequence[str],
    slug_of: _AutoCapabilities,
    options: ImportOptions,
    row_country: str = "",
) -> RowPlan:
    by_field = {fld: cells[idx] for idx, fld in f.mapping if idx < len(cells)}

    def get(name: str) -> str:
        return (by_field.get(name) or "").strip()

    file = f.table.file_name
    findings: list[Finding] = []

    def note(fld: str, key: str, severity: str = "error", **values: str) -> None:
        findings.append(
            Finding(
                file,
                line,
                f.header_of(fld),
                f"import.problem.{key}",
                tuple(values.items()),
                severity,
                fld,
            )
        )

    country_text = get("country")
    country_from = ""
    if not country_text and (row_country or options.country):
        country_text, country_from = (
            (row_country, "row") if row_country else (options.country, "file")
        )
    cm = map_country(country_text)
    if country_text and not cm.known:
        note("country", "country_unknown", value=country_text)
    region_text = get("region")
    region_code = cm.region_code or map_region(region_text, cm.code)
    place = region_text or (country_text if cm.region_code else "")

    def vocab(fld: str, codes: Sequence[str], default: str) -> str:
        raw = get(fld)
        code = _vocab(raw, tuple(codes), fld) if raw else ""
        if raw and not code:
            note(fld, "vocab_unknown", "warning", value=raw, default=default, kind=fld)
        return code or default

    org_type = vocab("org_type", ORG_TYPES, options.org_type)
    confidence = vocab("confidence", CONFIDENCES, options.confidence)
    if options.member_list and options.council in COUNCILS:
        membership = options.council
    else:
        membership = vocab("membership", MEMBERSHIPS, "other")
    terms = split_terms(get("capabilities"))
    slugs, unmapped = [], []
    for term in terms:
        slug = slug_of(term)
        if slug and slug not in slugs:
            slugs.append(slug)
        elif not slug:
            unmapped.append(term)
    if unmapped:
        note("capabilities", "capability_unmapped", "warning", terms=" | ".join(unmapped))
    urls = _urls(get("source_urls"))
    if options.source_url and options.source_url.strip() not in urls:
        urls.append(options.source_url.strip())
    evidence = get("evidence")
    if not evidence and "evidence" not in dict((v, k) for k, v in f.mapping):
        evidence = (
            member_list_evidence(options.council, file)
            if options.member_list and options.council in COUNCILS
            else f"imported from {file}"
        )
    values = {
        "name_en": get("name_en"),
        "name_ja": get("name_ja"),
        "country": cm.code or country_text,
        "prefecture_or_city": place,
        "org_type": org_type,
        "membership": membership,
        "membership_class": get("membership_class"),
        "website": get("website"),
        "capabilities": ";".join(slugs),
        "description_en": get("description_en"),
        "source_urls": " ".join(urls),
        "evidence": evidence,
        "source_date": _date(get("source_date")) or options.source_date,
        "confidence": confidence,
    }
    if not values["name_en"] and not values["name_ja"]:
        note(
            "name_en" if f.header_of("name_en") or not f.header_of("name_ja") else "name_ja",
            "name_missing",
        )
    if not urls:
        note("source_urls", "source_missing")
    if has_japanese_script(
        match_key(values["name_en"])
    ):  # 株式会社 beside a romanised name is fine
        _route_japanese_name(values, note)
    name = values["name_en"] or values["name_ja"]
    return RowPlan(
        fi,
        line,
        name,
        values,
        findings=findings,
        unmapped=tuple(unmapped),
        region_code=region_code,
        company_number=get("company_number"),
        country_from=country_from,
    )


def _note_extra_cells(rows: Sequence[RowPlan], f: ImportFile) -> None:
    """Warn on every row with filled cells beyond the header (``RawTable.extra``), naming them:
    they are not imported (often a cell holding the separator without quotes)."""
    extra = dict(f.table.extra)
    width = len(f.table.header)
    for row in rows:
        cells = extra.get(row.line)
        if cells:
            row.findings.append(
                Finding(
                    f.table.file_name,
                    row.line,
                    f"#{width + 1}",
                    "upload.warning.extra_cells",
                    (("row", str(row.line)), ("cells", " | ".join(cells)), ("n", str(len(cells)))),
                    "warning",
                )
            )


def _note_cleaned_cells(rows: Sequence[RowPlan], f: ImportFile) -> None:
    """Warn on every cell control characters were taken out of (``RawTable.cleaned``), naming
    its row, column and the characters (the file was kept, see :func:`encodings.clean_cell`)."""
    by_line = {row.line: row for row in rows}
    for line, col, chars in f.table.cleaned:
        header = (f.table.header[col] if col < len(f.table.header) else "") or f"#{col + 1}"
        values = (("row", str(line)), ("column", header), ("chars", chars))
        finding = Finding(
            f.table.file_name,
            line,
            header,
            "upload.warning.control_chars",
            values,
            "warning",
            dict(f.mapping).get(col, ""),
        )
        if line in by_line:
            by_line[line].findings.append(finding)


def _countries_by_name(orgs: Sequence[Mapping[str, str]]) -> dict[str, set[str]]:
    """:func:`text.name_key` of every English and Japanese name → the countries of the
    organisations holding it."""
    out: dict[str, set[str]] = {}
    for org in orgs:
        for col in ("name_en", "name_ja"):
            key = name_key(org.get(col))
            if key:
                out.setdefault(key, set()).add(org["country"])
    return out


def _country_from_roster(row: RowPlan, f: ImportFile, countries_of: Mapping[str, set[str]]) -> bool:
    """A row without a country takes the country of the roster organisations its name equals
    (:func:`text.name_key`), when they are all in one country and the name has a distinctive
    part; the row notes it. Returns False when the row must wait for a country."""
    found: set[str] = set()
    for col in ("name_en", "name_ja"):
        name = row.values.get(col, "")
        if name and distinctive_key(name):
            found |= countries_of.get(name_key(name), set())
    if len(found) != 1:
        return False
    row.values["country"] = next(iter(found))
    row.country_from = "roster"
    _note(row, f, "country_from_roster", fld="country", country=row.values["country"])
    return True


_COMPARED = ("prefecture_or_city", "org_type", "website", "description_en", "membership_class")
"""Single-valued fields compared when a row merges into the record of the same name."""


def _conflicts(
    row: RowPlan, f: ImportFile, record: Mapping[str, str]
) -> tuple[tuple[str, str, str], ...]:
    """Fields the file states (a mapped column with a value) differently from ``record``
    (compared after :func:`text.fold`), where the record has a value: a merge keeps the
    record's value, so the row warns and offers ``replace``. Names never conflict: a differing
    name becomes an alias."""
    out = []
    for col in _COMPARED:
        mine, theirs = row.values.get(col, ""), record.get(col, "")
        if not f.header_of(col) or not mine or not theirs or fold(mine) == fold(theirs):
            continue
        if col == "org_type" and any(x.field == "org_type" for x in row.findings):
            continue  # the cell was no known type: the default stands in for it
        out.append((col, theirs, mine))
    return tuple(out)


def _route_japanese_name(values: dict[str, str], note) -> None:
    """A name in Japanese script in the English-name column (a header such as "Organisation"
    over a Japanese member list) never becomes an English name. When the row has no other
    Japanese name it is moved there, with a warning; when it has a different one, the row is
    an error (the user corrects the cell or the mapping)."""
    english, japanese = values["name_en"], values["name_ja"]
    if not japanese or japanese == english:
        values["name_ja"], values["name_en"] = english, ""
        note("name_en", "name_en_japanese_moved", "warning", value=english)
    else:
        note("name_en", "name_en_japanese", value=english)


_OWN_CHECKS = {"country", "capabilities", "name_en", "name_ja"}
"""Columns whose basic errors :func:`_build_row` reports itself (clearer, translated)."""
_FILE_CHECKS = {"same_name"}
"""Roster findings the import replaces with its own (rows of one file that are the same
organisation are handled by :func:`plan`)."""


def _finding(p: Problem, file: str, line: int, column: str) -> Finding:
    """A roster validation problem as a translatable finding (``roster.problem.<key>``)."""
    if p.key:
        return Finding(
            file, line, column, f"roster.problem.{p.key}", p.values, p.severity, p.column
        )
    return Finding(
        file, line, column, "import.problem.roster", (("reason", p.reason),), p.severity, p.column
    )


def _validate(rows: list[RowPlan], f: ImportFile, slugs: set[str], today: dt.date | None) -> None:
    problems = validate_organisations(
        f.table.file_name,
        ROSTER_COLUMNS,
        [r.values for r in rows],
        slugs,
        require_id=False,
        today=today,
    )
    for p in problems:
        row = rows[p.row - 2]
        own = {x.field for x in row.findings}
        if p.key in _FILE_CHECKS:
            continue
        if p.column in _OWN_CHECKS and (p.column in own or p.key == "name_missing"):
            continue
        if p.key == "source_missing" and any(
            x.key == "import.problem.source_missing" for x in row.findings
        ):
            continue
        if p.key == "capability_none":
            continue
        if p.column == "country" and not row.values["country"]:
            continue
        row.findings.append(_finding(p, f.table.file_name, row.line, f.header_of(p.column)))


def _index(orgs: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    """``(name_key, country)`` → organisation, for English and Japanese names (never an
    empty key: Japanese-only organisations do not meet on their empty English names)."""
    index: dict[tuple[str, str], dict[str, str]] = {}
    for org in orgs:
        for col in ("name_en", "name_ja"):
            key = name_key(org.get(col))
            if key:
                index.setdefault((key, org["country"]), org)
    return index


def candidates(
    values: Mapping[str, str], orgs: Sequence[Mapping[str, str]] | NameIndex, limit: int = 3
) -> list[tuple[str, str, float]]:
    """Existing organisations in the same country that may be the row's organisation.

    The rules are :mod:`fusion_partners.importing.dedupe`'s: names made only of generic words
    ("Fusion", "Energy", "株式会社") are proposed only when equal, never merged on their own;
    otherwise a name whose distinctive part contains, or is contained in, the other's
    ("First Light" / "First Light Fusion Ltd"), or that scores at least
    :data:`DUPLICATE_SCORE` with overlapping distinctive parts, is proposed.

    Args:
        values: the row (``name_en``, ``name_ja``, ``country``).
        orgs: organisations, or a :class:`dedupe.NameIndex` of them (faster for many rows).

    Returns:
        ``[(id, name, score)]``, equal names first, then by score (0–100).
    """
    index = orgs if isinstance(orgs, NameIndex) else index_organisations(orgs)
    return [
        (str(m.ref), m.name, m.score)
        for m in index.matches(values.get("country", ""), values, limit)
    ]


def capability_terms(f: ImportFile) -> dict[str, int]:
    """Each capability text of a file (split with :func:`capability_match.split_terms`) → rows using it."""
    out: dict[str, int] = {}
    cols = [idx for idx, fld in f.mapping if fld == "capabilities"]
    for _line, cells in f.table.rows:
        for idx in cols:
            if idx < len(cells):
                for term in split_terms(cells[idx]):
                    out[term] = out.get(term, 0) + 1
    return out


_Entry = TypeVar("_Entry")


def _exact(
    index: Mapping[tuple[str, str], _Entry], values: Mapping[str, str]
) -> tuple[_Entry | None, str]:
    """The entry with an equal name (English first, then Japanese) and the name column used."""
    for col in ("name_en", "name_ja"):
        key = name_key(values.get(col))
        if key and (key, values["country"]) in index:
            return index[(key, values["country"])], col
    return None, ""


def _note(
    row: RowPlan,
    f: ImportFile,
    key: str,
    severity: str = "warning",
    fld: str = "name_en",
    **values: object,
) -> None:
    row.findings.append(
        Finding(
            f.table.file_name,
            row.line,
            f.header_of(fld),
            f"import.problem.{key}",
            tuple((k, str(v)) for k, v in values.items()),
            severity,
            fld,
        )
    )


def plan(
    request: ImportRequest,
    organisations: Sequence[Mapping[str, str]],
    taxonomy: Sequence[Mapping[str, str]],
    *,
    today: dt.date | None = None,
    synonyms: Sequence[Sequence[str]] = (),
) -> Plan:
    """Preview an import: what each row would do, and the organisations afterwards.

    Nothing is written. Rows with errors, undecided possible duplicates and rows the user
    skips are left out of the merge. An existing organisation is merged automatically only
    when its normalised name (:func:`text.name_key`, English or Japanese) and country are
    equal *and* the name has a distinctive part beyond generic words; otherwise a
    same-country organisation found by :func:`candidates` makes the row a ``duplicate`` for
    the user to decide (merge, add or skip).

    Rows of one file that are the same organisation are handled once: a row with the same
    name and country as an earlier row *follows* it (merged into the same record, skipped
    or waiting with it, with a note naming that row); a row that is only close to an earlier
    one is proposed like any possible duplicate, with ``same:<line>`` among the choices.

    When a row states a council membership other than the one its record holds, the record
    keeps its membership (one per organisation), the statement is added to its evidence and
    the row gets a ``membership_conflict`` warning.

    Args:
        request: files, mappings, decisions (``add``, ``skip``, ``merge:<id>``,
            ``same:<line>``) and options.
        organisations: the current ``organisations.csv`` rows.
        taxonomy: the ``capabilities.csv`` rows.
        today: reference date for future-date warnings.
        synonyms: the search synonym groups (:func:`load.search_synonyms`), so capability
            text is suggested with the same equivalents search uses (``超伝導`` → the
            ``超電導`` label).
    """
    before = [dict(o) for o in organisations]
    after = copy.deepcopy(before)
    leaf_slugs = [r["slug"] for r in leaf_rows(taxonomy)]
    taxonomy = group_rows(taxonomy)  # imports map free text to capability groups
    slugs = {r["slug"] for r in taxonomy}
    slug_of = _AutoCapabilities(CapabilityMatcher(taxonomy, synonyms), dict(request.capabilities))
    decisions = dict(request.decisions)
    options = request.options
    foreign: set[str] = set()
    all_rows: list[RowPlan] = []
    terms: dict[str, int] = {}
    row_countries = dict(request.countries)
    for fi, f in enumerate(request.files):
        rows = [
            _build_row(fi, f, line, cells, slug_of, options, row_countries.get((fi, line), ""))
            for line, cells in f.table.rows
        ]
        _note_extra_cells(rows, f)
        _note_cleaned_cells(rows, f)
        for term, n in capability_terms(f).items():
            terms[term] = terms.get(term, 0) + n
        _validate(rows, f, slugs, today)
        index = _index(after)
        near = index_organisations(after)
        countries_of = _countries_by_name(after)
        earlier: dict[tuple[str, str], RowPlan] = {}  # name key of this file's rows → first row
        earlier_near = NameIndex()
        by_line: dict[int, RowPlan] = {}
        merging: list[RowPlan] = []
        position: dict[int, int] = {}  # line → position among the merged rows
        row_decisions: dict[int, str] = {}
        for row in rows:
            if row.has_error:
                row.status = "error"
                if (
                    row.values["country"]
                    and not row.values["capabilities"]
                    and _exact(index, row.values)[0] is None
                ):
                    _note(row, f, "capability_none", "error", fld="capabilities")
                continue
            values = row.values
            decision = decisions.get((fi, row.line), "")
            if not values["country"] and not _country_from_roster(row, f, countries_of):
                row.status = "country"
                _note(row, f, "country_needed", fld="country")
                continue
            twin, _ = _exact(earlier, values)
            for col in ("name_en", "name_ja"):
                key = name_key(values.get(col))
                if key:
                    earlier.setdefault((key, values["country"]), row)
            by_line[row.line] = row
            if twin is not None and distinctive_key(twin.name) and distinctive_key(row.name):
                row.follows = twin.line
                _note(
                    row,
                    f,
                    "same_org",
                    fld="name_en" if values["name_en"] else "name_ja",
                    line=twin.line,
                )
                if twin.line in position and decision != "skip":
                    row_decisions[len(merging)] = f"same:{position[twin.line]}"
                    position[row.line] = len(merging)
                    merging.append(row)
                else:
                    row.status = (
                        "skipped" if twin.status == "skipped" or decision == "skip" else "duplicate"
                    )
                    row.candidates = twin.candidates
                continue
            exact, via = _exact(index, values)
            found = candidates(values, near)
            row.same_as = tuple(
                (cast(int, m.ref), m.name, m.score)  # earlier_near files rows by line
                for m in earlier_near.matches(values["country"], values)
                if m.ref != row.line
            )
            earlier_near.add(row.line, values["country"], values)
            auto = exact is not None and bool(distinctive_key(values[via]))
            if auto and decision not in ("skip", "replace"):
                decision = (
                    ""  # the same organisation by name and country: "add" must not add it twice
                )
            if not auto and (exact is not None or found):
                if exact is not None and exact["id"] not in {c[0] for c in found}:
                    found.insert(0, (exact["id"], exact["name_en"] or exact["name_ja"], 100.0))
                row.candidates = tuple(found)
            if auto and exact is not None:
                row.same_as = ()
                row.conflicts = _conflicts(row, f, exact)
                if row.conflicts and decision != "replace":  # kept, said, and the user may replace
                    _note(
                        row,
                        f,
                        "differs",
                        fld=row.conflicts[0][0],
                        org=exact["id"],
                        values="; ".join(
                            f"{f.header_of(c)}: {theirs} → {mine}"
                            for c, theirs, mine in row.conflicts
                        ),
                    )
                if decision == "keep":
                    decision = ""
            elif decision in ("keep", "replace"):
                decision = ""
            if (row.candidates or row.same_as) and not decision:
                row.status = "duplicate"
                continue
            if decision == "skip":
                row.status = "skipped"
                continue
            if decision.startswith("same:"):
                target = by_line.get(
                    int(decision[len("same:") :]) if decision[5:].isdigit() else -1
                )
                if target is None or target.line not in position:
                    row.status = "duplicate"  # waits until that row can be imported
                    _note(row, f, "waits_for", line=decision[5:])
                    continue
                decision = f"same:{position[target.line]}"
            if (
                not values["capabilities"]
                and not auto
                and not decision.startswith(("merge:", "same:"))
            ):
                row.status = "error"  # it would be a new record, and a record needs a capability
                _note(row, f, "capability_none", "error", fld="capabilities")
                continue
            if decision:
                row_decisions[len(merging)] = decision
            position[row.line] = len(merging)
            merging.append(row)
        report = merge_roster(
            after,
            [r.values for r in merging],
            roster_label(f.table.file_name),
            foreign_sourced=foreign,
            decisions=row_decisions,
            note_conflicts=True,
            keep_names=True,
        )
        status = {
            "added": "new",
            "updated": "update",
            "unchanged": "unchanged",
            "skipped": "skipped",
        }
        for outcome in report.rows:
            row = merging[outcome.position]
            row.status = status[outcome.action]
            row.org_id = outcome.org_id
            row.changed = outcome.changed
            if "aliases" in outcome.changed:
                _note(
                    row,
                    f,
                    "alias_added",
                    fld="name_en" if row.values["name_en"] else "name_ja",
                    org=outcome.org_id,
                    name=" / ".join(n for n in (row.values["name_en"], row.values["name_ja"]) if n),
                )
            if outcome.membership_conflict:
                held, stated = outcome.membership_conflict
                _note(
                    row,
                    f,
                    "membership_conflict",
                    fld="membership",
                    held=held,
                    stated=stated,
                    org=outcome.org_id,
                )
        all_rows += rows
    result = Plan(all_rows, before, after, terms=terms)
    for f in request.files:
        for row_line, kind, physical in f.table.warnings:
            result.findings.append(
                Finding(
                    f.table.file_name,
                    row_line,
                    "",
                    f"upload.warning.{kind}",
                    (("row", str(row_line)), ("line", str(physical))),
                    "warning",
                )
            )
    if result.changes:
        # Records no curator has completed yet (no role, no offer: new rows of an import) may lack
        # their Japanese description: a warning, so an import is never blocked by it.
        problems = validate_organisations(
            ORGANISATIONS_FILE,
            ORGANISATION_COLUMNS,
            after,
            slugs,
            today=today,
            leaf_slugs=leaf_slugs,
        )
        touched = set(result.added) | set(result.updated)
        for p in problems:
            if p.severity == "error":
                result.findings.append(_finding(p, ORGANISATIONS_FILE, 0, ""))
            elif p.row >= 2 and after[p.row - 2]["id"] in touched:
                result.findings.append(_finding(p, ORGANISATIONS_FILE, 0, ""))
    return result


PREVIEW_VIEWS: tuple[str, ...] = ("all", "problems", "decide")
"""Row selections of the preview: every row, rows with errors or warnings, possible duplicates."""


def preview_rows(plan_: Plan, view: str = "all") -> list[RowPlan]:
    """The rows of a preview selection (see :data:`PREVIEW_VIEWS`), in file order."""
    if view == "problems":
        return [r for r in plan_.rows if r.findings]
    if view == "decide":
        return [r for r in plan_.rows if r.status == "duplicate"]
    return list(plan_.rows)


def preview_frame(rows: Sequence[RowPlan], lang: str = "en"):
    """Preview rows as a table in ``lang`` (pandas DataFrame).

    Columns: ``line``, ``status``, ``name`` (the interface language's name, falling back to
    the other), ``country`` (name and region code), ``messages`` (one line per finding,
    ``[column] message``), ``record`` (id), ``changes`` (list of field labels),
    ``company_number`` (only when any row has one). Cells are file text, shown as text.
    """
    import pandas as pd

    from fusion_partners.i18n.countries import country_label
    from fusion_partners.i18n.labels import display_name

    def place(row: RowPlan) -> str:
        code = row.values["country"]
        name = country_label(code, lang) if len(code) == 2 else code
        return f"{name} · {row.region_code}" if row.region_code else name

    frame = pd.DataFrame(
        {
            "line": [r.line for r in rows],
            "status": [t(f"import.status.{r.status}", lang) for r in rows],
            "name": [display_name(r.values["name_en"], r.values["name_ja"], lang) for r in rows],
            "country": [place(r) for r in rows],
            "messages": [
                "\n".join(f"[{f.where(lang)}] {f.message(lang)}" for f in r.findings) for r in rows
            ],
            "record": [r.org_id for r in rows],
            "changes": [[field_label(c, lang) for c in r.changed] for r in rows],
        }
    )
    if any(r.company_number for r in rows):
        frame["company_number"] = [r.company_number for r in rows]
    return frame


def preview_csv(plan_: Plan, lang: str = "en") -> bytes:
    """The whole preview as CSV (headers in ``lang``; see :func:`export.to_csv_bytes`)."""
    from fusion_partners.explore.export import to_csv_bytes

    frame = preview_frame(plan_.rows, lang)
    frame["changes"] = ["; ".join(c) for c in frame["changes"]]
    return to_csv_bytes(
        frame.rename(columns={c: t(f"import.col.{c}", lang) for c in frame.columns})
    )


def findings_csv(plan_: Plan, lang: str = "en") -> bytes:
    """Errors and warnings as a CSV for download, via :func:`export.to_csv_bytes` (UTF-8 with
    BOM for Japanese Excel, CRLF, cells from the file that look like formulas neutralised).

    Columns (in ``lang``): file, row, column, severity, message.
    """
    import pandas as pd

    from fusion_partners.explore.export import to_csv_bytes

    keys = ("file", "line", "column", "severity", "message")
    rows = [
        (
            echo(f.file, None),
            str(f.line or ""),
            f.where(lang),
            t(f"import.severity.{f.severity}", lang),
            f.message(lang, limit=500),
        )
        for f in plan_.all_findings()
    ]
    # Columns are the interface's labels, so a finding about an unmapped field names it in words.
    frame = pd.DataFrame(
        rows, columns=[t(f"import.findings.{k}", lang) for k in keys], dtype=object
    )
    return to_csv_bytes(frame)


# --- writing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplyResult:
    """Outcome of :func:`apply`: ``import_id`` is ``None`` when nothing needed changing."""

    import_id: str | None
    added: tuple[str, ...]
    updated: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]


class ImportBlocked(Exception):
    """The data after the import would not validate; ``findings`` says why. Nothing written."""

    def __init__(self, findings: Sequence[Finding]):
        self.findings = list(findings)
        super().__init__("; ".join(f.message() for f in self.findings[:5]))


def apply(
    request: ImportRequest, data_dir: Path | None = None, db_path: Path | None = None
) -> ApplyResult:
    """Write an import: organisations, import log, value history and database, atomically.

    The plan is recomputed inside the write lock from the current files, so a change made
    by someone else since the preview is respected. Importing the same file with the same
    choices again changes nothing (no log entry either).

    Raises:
        ImportBlocked: the result would not validate.
        store.Busy / OSError / ValidationError: from :func:`store.transaction` (nothing written).
    """
    data_dir = data_dir or config.data_dir()
    db_path = db_path or config.db_path()
    with store.transaction(data_dir, db_path) as tx:
        result = plan(
            request,
            tx.read(ORGANISATIONS_FILE),
            tx.read(TAXONOMY_FILE),
            synonyms=search_synonyms(data_dir),
        )
        if result.blocked:
            raise ImportBlocked([f for f in result.findings if f.severity == "error"])
        counts = tuple(result.counts().items())
        if not result.changes:
            return ApplyResult(None, (), (), counts)
        now = dt.datetime.now(dt.UTC)
        hashes = [f.table.content_hash for f in request.files]
        import_id = f"{now:%Y%m%dT%H%M%SZ}-{hashes[0][:8]}"
        options = request.options
        added, updated = result.added, result.updated
        unmapped: dict[str, list[str]] = {}
        for row in result.rows:
            if row.org_id and row.unmapped:
                unmapped.setdefault(row.org_id, [])
                unmapped[row.org_id] += [u for u in row.unmapped if u not in unmapped[row.org_id]]
        old = {o["id"]: o for o in result.before}
        history = tx.read(HISTORY_FILE)
        history += [
            {
                "import_id": import_id,
                "org_id": oid,
                "action": "added",
                "changed": "",
                "before": "",
                "unmapped": " | ".join(unmapped.get(oid, [])),
            }
            for oid in added
        ]
        history += [
            {
                "import_id": import_id,
                "org_id": oid,
                "action": "updated",
                "changed": ";".join(cols),
                "before": json.dumps(old[oid], ensure_ascii=False, sort_keys=True),
                "unmapped": " | ".join(unmapped.get(oid, [])),
            }
            for oid, cols in updated.items()
        ]
        log = tx.read(IMPORTS_FILE)
        log.append(
            {
                "import_id": import_id,
                "file_name": "; ".join(f.table.file_name for f in request.files),
                "content_hash": ";".join(hashes),
                "imported_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "imported_by": options.user or "unknown",
                "source_urls": options.source_url.strip(),
                "council": options.council if options.member_list else "",
                "rows_added": str(len(added)),
                "rows_updated": str(len(updated)),
                "status": "applied",
                "undone_at": "",
                "undone_by": "",
            }
        )
        tx.write(ORGANISATIONS_FILE, ORGANISATION_COLUMNS, _ordered(result.after, result.before))
        tx.write(IMPORTS_FILE, IMPORT_COLUMNS, log)
        tx.write(HISTORY_FILE, HISTORY_COLUMNS, history)
    return ApplyResult(import_id, tuple(added), tuple(updated), counts)


def _is_sorted(rows: Sequence[Mapping[str, str]]) -> bool:
    ids = [r["id"] for r in rows]
    return ids == sorted(ids)


def _ordered(
    after: list[dict[str, str]], before: Sequence[Mapping[str, str]]
) -> list[dict[str, str]]:
    """``organisations.csv`` is kept sorted by id when it was (as curate writes it);
    otherwise existing rows keep their order and new ones follow, so an undo restores the
    file byte for byte."""
    return sorted(after, key=lambda o: o["id"]) if _is_sorted(before) else after


def last_applied(data_dir: Path | None = None) -> dict[str, str] | None:
    """The newest import of the log that is still applied (the one :func:`undo_last` undoes)."""
    path = (data_dir or config.data_dir()) / IMPORTS_FILE
    if not path.exists():
        return None
    _, rows = read_csv_rows(path)
    applied = [r for r in rows if r and r.get("status") == "applied"]
    return applied[-1] if applied else None


def undo_last(
    data_dir: Path | None = None, db_path: Path | None = None, user: str = ""
) -> str | None:
    """Undo the newest applied import: remove what it added, restore what it changed.

    Earlier values come from ``history.csv``; the import stays in the log marked ``undone``.
    Runs as one transaction like :func:`apply`.

    Returns:
        The id of the undone import, or ``None`` when no applied import exists.
    """
    data_dir = data_dir or config.data_dir()
    db_path = db_path or config.db_path()
    with store.transaction(data_dir, db_path) as tx:
        log = tx.read(IMPORTS_FILE)
        applied = [r for r in log if r.get("status") == "applied"]
        if not applied:
            return None
        last = applied[-1]
        current = tx.read(ORGANISATIONS_FILE)
        was_sorted = _is_sorted(current)
        orgs = {o["id"]: o for o in current}
        history = tx.read(HISTORY_FILE)
        for h in reversed([h for h in history if h["import_id"] == last["import_id"]]):
            if h["action"] == "added":
                orgs.pop(h["org_id"], None)
            else:
                before = json.loads(h["before"])
                orgs[h["org_id"]] = {c: before.get(c, "") for c in ORGANISATION_COLUMNS}
        last["status"] = "undone"
        last["undone_at"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        last["undone_by"] = user or "unknown"
        rows = list(orgs.values())
        tx.write(
            ORGANISATIONS_FILE,
            ORGANISATION_COLUMNS,
            sorted(rows, key=lambda o: o["id"]) if was_sorted else rows,
        )
        tx.write(IMPORTS_FILE, IMPORT_COLUMNS, log)
    return last["import_id"]


# --- command line -------------------------------------------------------------------------


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
        description="Import member lists and rosters (CSV/XLSX) into data/."
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
    store.recover(data_dir, db_path)
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
