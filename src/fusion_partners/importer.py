"""Import member lists and rosters: preview (plan), write (apply) and undo.

An import takes one or more files read by :mod:`fusion_partners.upload`, a confirmed
column mapping, confirmed capability mappings, the user's decisions on possible
duplicates and file-wide options (source URL, council member list), and

* **plans** it without writing anything (:func:`plan`): every row becomes ``new``,
  ``update`` (with the changed columns), ``unchanged``, ``duplicate`` (a possible match the
  user must decide: merge, add or skip), ``skipped`` or ``error``, with findings per column;
* **applies** it in one crash-safe transaction (:func:`apply`, see :mod:`store`): the curated
  ``organisations.csv``, the import log ``imports.csv``, the value history ``history.csv``
  and the database change together, or not at all;
* **undoes** the last applied import (:func:`undo_last`) from the value history.

The merge itself is :func:`fusion_partners.curate.merge_roster` (the research-roster merge):
matching by normalised name and country, unions of capabilities and sources, a stated
membership replacing "none stated", newer dates and higher confidence winning.

Command line (``python -m fusion_partners.importer --help``)::

    python -m fusion_partners.importer members.xlsx --source-url URL [--council fusion_cluster
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
from functools import lru_cache
from pathlib import Path

from . import config, store
from .build import (
    HISTORY_COLUMNS,
    HISTORY_FILE,
    IMPORT_COLUMNS,
    IMPORTS_FILE,
    ORGANISATIONS_FILE,
    TAXONOMY_FILE,
)
from .curate import merge_roster
from .i18n import t
from .mapping import FIELDS, CapabilityMatcher, guess_mapping, map_country, map_region, split_terms
from .roster import (
    CONFIDENCES,
    MEMBERSHIPS,
    ORG_TYPES,
    ORGANISATION_COLUMNS,
    ROSTER_COLUMNS,
    read_csv_rows,
    validate_organisations,
)
from .text import match_key, name_key
from .upload import RawTable, UploadError, read_table

COUNCILS: tuple[str, ...] = ("j_fusion", "fusion_cluster")
STATUSES: tuple[str, ...] = ("new", "update", "unchanged", "duplicate", "skipped", "error")

GENERIC_WORDS: tuple[str, ...] = (
    "fusion", "energy", "energies", "engineering", "engineers", "technologies", "technology", "tech",
    "systems", "system", "solutions", "industries", "industry", "international", "group", "holdings",
    "company", "services", "power", "science", "sciences", "research", "innovation", "innovations",
    "global", "uk", "japan", "the", "and", "of", "&",
    "フュージョン", "エネルギー", "エンジニアリング", "テクノロジーズ", "テクノロジー", "システムズ", "システム",
    "ジャパン", "グループ", "ホールディングス", "核融合", "技術", "工業", "産業", "研究所",
)
"""Words that never identify an organisation on their own (a match needs something else)."""

DUPLICATE_SCORE = 85.0
"""Fuzzy score (rapidfuzz ``token_set_ratio``, 0–100) from which an existing organisation
in the same country is proposed as a possible duplicate."""


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
    """

    source_url: str = ""
    council: str = ""
    member_list: bool = False
    org_type: str = "other"
    confidence: str = "medium"
    source_date: str = ""
    user: str = ""


@dataclass(frozen=True)
class ImportFile:
    """One read file and its confirmed column mapping (``((column index, field), ...)``)."""

    table: RawTable
    mapping: tuple[tuple[int, str], ...]

    @classmethod
    def guessed(cls, table: RawTable) -> ImportFile:
        """The file with the automatically proposed mapping."""
        return cls(table, tuple(sorted(guess_mapping(table.header).items())))

    def column_of(self, field_name: str) -> str:
        """The file's header text for a roster field (the field name when unmapped)."""
        for idx, f in self.mapping:
            if f == field_name:
                return self.table.header[idx]
        return field_name


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
    """

    files: tuple[ImportFile, ...]
    capabilities: tuple[tuple[str, str], ...] = ()
    decisions: tuple[tuple[tuple[int, int], str], ...] = ()
    options: ImportOptions = ImportOptions()


# --- findings and plan --------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """A problem with one row (or the whole file) of an import.

    ``key`` is a catalogue key (``import.problem.*``) formatted with ``values``; ``column``
    is the file's own header text.
    """

    file: str
    line: int
    column: str
    key: str
    values: tuple[tuple[str, str], ...] = ()
    severity: str = "error"

    def message(self, lang: str = "en") -> str:
        return t(self.key, lang, **dict(self.values))


@dataclass
class RowPlan:
    """The preview of one data row. ``line`` is the row's number in the file (header = its line)."""

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

    @property
    def has_error(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


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

    @property
    def added(self) -> list[str]:
        old = {o["id"] for o in self.before}
        return [o["id"] for o in self.after if o["id"] not in old]

    @property
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


def _vocab(value: str, codes: Sequence[str], kind: str) -> str:
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


@lru_cache(maxsize=8192)
def distinctive_key(name: str) -> str:
    """The name without corporate forms and generic words, for duplicate detection.

    ``"Astral Fusion Energy Ltd"`` → ``"astral"``; ``"Fusion Energy Ltd"`` → ``""``.
    """
    key = match_key(name, long_vowels=False)
    for word in sorted(GENERIC_WORDS, key=len, reverse=True):
        if re.match(r"^[a-z&]+$", word):
            key = re.sub(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", " ", key)
        else:
            key = key.replace(match_key(word, long_vowels=False), " ")
    return re.sub(r"[\s\-~.,'’\"/()・:;!?]+", " ", key).strip()


def _build_row(fi: int, f: ImportFile, line: int, cells: Sequence[str], caps: Mapping[str, str],
               matcher: CapabilityMatcher, options: ImportOptions) -> RowPlan:
    by_field = {fld: cells[idx] for idx, fld in f.mapping if idx < len(cells)}

    def get(name: str) -> str:
        return (by_field.get(name) or "").strip()

    file = f.table.file_name
    findings: list[Finding] = []

    def note(fld: str, key: str, severity: str = "error", **values: str) -> None:
        findings.append(Finding(file, line, f.column_of(fld), f"import.problem.{key}", tuple(values.items()), severity))

    country_text = get("country")
    cm = map_country(country_text)
    if not country_text:
        note("country", "country_missing")
    elif not cm.known:
        note("country", "country_unknown", value=country_text)
    region_text = get("region")
    region_code = cm.region_code or map_region(region_text, cm.code)
    place = region_text or (country_text if cm.region_code else "")

    def vocab(fld: str, codes: Sequence[str], default: str) -> str:
        raw = get(fld)
        code = _vocab(raw, codes, fld) if raw else ""
        if raw and not code:
            note(fld, "vocab_unknown", "warning", value=raw, default=default)
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
        slug = caps[term] if term in caps else matcher.auto(term)
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
        evidence = (f"listed in the {t('membership.' + options.council, 'en')} member list ({file})"
                    if options.member_list and options.council in COUNCILS else f"imported from {file}")
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
    if not values["name_en"]:
        note("name_en", "name_missing")
    if not slugs:
        note("capabilities", "capability_none")
    if not urls:
        note("source_urls", "source_missing")
    name = values["name_en"] or values["name_ja"]
    return RowPlan(fi, line, name, values, findings=findings, unmapped=tuple(unmapped),
                   region_code=region_code, company_number=get("company_number"))


_match_key = lru_cache(maxsize=8192)(match_key)

_OWN_CHECKS = {"country", "capabilities", "name_en"}
"""Columns whose basic errors :func:`_build_row` reports itself (clearer, translated)."""


def _validate(rows: list[RowPlan], f: ImportFile, slugs: set[str], today: dt.date | None) -> None:
    problems = validate_organisations(
        f.table.file_name, ROSTER_COLUMNS, [r.values for r in rows], slugs, require_id=False, today=today
    )
    for p in problems:
        row = rows[p.row - 2]
        own = {x.column for x in row.findings}
        if p.column in _OWN_CHECKS and f.column_of(p.column) in own:
            continue
        if p.column == "source_urls" and any(x.key == "import.problem.source_missing" for x in row.findings):
            continue
        if p.column == "capabilities" and p.reason == "no capability given":
            continue
        if p.column == "country" and not row.values["country"]:
            continue
        row.findings.append(Finding(f.table.file_name, row.line, f.column_of(p.column), "import.problem.roster",
                                    (("reason", p.reason),), p.severity))


def _index(orgs: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    index: dict[tuple[str, str], dict[str, str]] = {}
    for org in orgs:
        index.setdefault((name_key(org["name_en"]), org["country"]), org)
        if org.get("name_ja"):
            index.setdefault((name_key(org["name_ja"]), org["country"]), org)
    return index


def candidates(values: Mapping[str, str], orgs: Sequence[Mapping[str, str]], limit: int = 3) -> list[tuple[str, str, float]]:
    """Existing organisations in the same country that may be the row's organisation.

    Score: rapidfuzz ``token_sort_ratio`` (0–100) of the names without corporate forms
    (:func:`text.match_key`), English with English and Japanese with Japanese; a pair counts
    only when both names keep a distinctive part (:func:`distinctive_key`) and those parts
    overlap (``partial_ratio`` ≥ 80), so names sharing only generic words ("Fusion",
    "Energy", "株式会社") never match. Returns ``[(id, name_en, score)]`` with score ≥
    :data:`DUPLICATE_SCORE`, best first.
    """
    from rapidfuzz import fuzz

    match_key = _match_key
    mine = [(match_key(values.get(c, "")), distinctive_key(values.get(c, ""))) for c in ("name_en", "name_ja")]
    if not any(d for _, d in mine):
        return []
    out = []
    for org in orgs:
        if org["country"] != values.get("country"):
            continue
        score = 0.0
        for (full, dist), col in zip(mine, ("name_en", "name_ja"), strict=True):
            other = org.get(col) or ""
            other_dist = distinctive_key(other)
            if not (dist and other_dist) or fuzz.partial_ratio(dist, other_dist) < 80:
                continue
            score = max(score, fuzz.token_sort_ratio(full, match_key(other)))
        if score >= DUPLICATE_SCORE:
            out.append((org["id"], org["name_en"], float(score)))
    out.sort(key=lambda c: (-c[2], c[1]))
    return out[:limit]


def capability_terms(f: ImportFile) -> dict[str, int]:
    """Each capability text of a file (split with :func:`mapping.split_terms`) → rows using it."""
    out: dict[str, int] = {}
    cols = [idx for idx, fld in f.mapping if fld == "capabilities"]
    for _line, cells in f.table.rows:
        for idx in cols:
            if idx < len(cells):
                for term in split_terms(cells[idx]):
                    out[term] = out.get(term, 0) + 1
    return out


def plan(
    request: ImportRequest,
    organisations: Sequence[Mapping[str, str]],
    taxonomy: Sequence[Mapping[str, str]],
    *,
    today: dt.date | None = None,
) -> Plan:
    """Preview an import: what each row would do, and the organisations afterwards.

    Nothing is written. Rows with errors, undecided possible duplicates and rows the user
    skips are left out of the merge. An existing organisation is merged automatically only
    when its normalised name (:func:`text.name_key`) and country are equal *and* the name
    has a distinctive part beyond generic words; otherwise a same-country organisation with
    a fuzzy score ≥ :data:`DUPLICATE_SCORE` makes the row a ``duplicate`` for the user.

    Args:
        request: files, mappings, decisions and options.
        organisations: the current ``organisations.csv`` rows.
        taxonomy: the ``capabilities.csv`` rows.
        today: reference date for future-date warnings.
    """
    before = [dict(o) for o in organisations]
    after = copy.deepcopy(before)
    slugs = {r["slug"] for r in taxonomy}
    matcher = CapabilityMatcher(taxonomy)
    caps = dict(request.capabilities)
    decisions = dict(request.decisions)
    options = request.options
    foreign: set[str] = set()
    all_rows: list[RowPlan] = []
    terms: dict[str, int] = {}
    for fi, f in enumerate(request.files):
        rows = [_build_row(fi, f, line, cells, caps, matcher, options) for line, cells in f.table.rows]
        for term, n in capability_terms(f).items():
            terms[term] = terms.get(term, 0) + n
        _validate(rows, f, slugs, today)
        index = _index(after)
        merging: list[RowPlan] = []
        row_decisions: dict[int, str] = {}
        for row in rows:
            if row.has_error:
                row.status = "error"
                continue
            decision = decisions.get((fi, row.line), "")
            via = "name_en"
            exact = index.get((name_key(row.values["name_en"]), row.values["country"]))
            if exact is None and row.values["name_ja"]:
                via = "name_ja"
                exact = index.get((name_key(row.values["name_ja"]), row.values["country"]))
            found = candidates(row.values, after)
            auto = exact is not None and bool(distinctive_key(row.values[via]))
            if auto and decision != "skip":
                decision = ""  # the same organisation by name and country: "add" must not add it twice
            if not auto and (exact is not None or found):
                if exact is not None and exact["id"] not in {c[0] for c in found}:
                    found.insert(0, (exact["id"], exact["name_en"], 100.0))
                row.candidates = tuple(found)
                if not decision:
                    row.status = "duplicate"
                    continue
            if decision == "skip":
                row.status = "skipped"
                continue
            if decision:
                row_decisions[len(merging)] = decision
            merging.append(row)
        report = merge_roster(after, [r.values for r in merging], roster_label(f.table.file_name),
                              foreign_sourced=foreign, decisions=row_decisions)
        status = {"added": "new", "updated": "update", "unchanged": "unchanged", "skipped": "skipped"}
        for outcome in report.rows:
            row = merging[outcome.position]
            row.status = status[outcome.action]
            row.org_id = outcome.org_id
            row.changed = outcome.changed
        all_rows += rows
    result = Plan(all_rows, before, after, terms=terms)
    if result.changes:
        problems = validate_organisations(ORGANISATIONS_FILE, ORGANISATION_COLUMNS, after, slugs, today=today)
        touched = set(result.added) | set(result.updated)
        for p in problems:
            if p.severity == "error":
                result.findings.append(Finding(ORGANISATIONS_FILE, 0, p.column, "import.problem.roster",
                                               (("reason", str(p)),), "error"))
            elif p.row >= 2 and after[p.row - 2]["id"] in touched:
                result.findings.append(Finding(ORGANISATIONS_FILE, 0, p.column, "import.problem.roster",
                                               (("reason", str(p)),), "warning"))
    return result


def findings_csv(plan_: Plan, lang: str = "en") -> bytes:
    """Errors and warnings as a CSV for download, via :func:`export.to_csv_bytes` (UTF-8 with
    BOM for Japanese Excel, CRLF, cells from the file that look like formulas neutralised).

    Columns (in ``lang``): file, row, column, severity, message.
    """
    import pandas as pd

    from .export import to_csv_bytes

    keys = ("file", "line", "column", "severity", "message")
    rows = [(f.file, str(f.line or ""), f.column, t(f"import.severity.{f.severity}", lang), f.message(lang))
            for f in plan_.all_findings()]
    frame = pd.DataFrame(rows, columns=[t(f"import.findings.{k}", lang) for k in keys], dtype=object)
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


def apply(request: ImportRequest, data_dir: Path | None = None, db_path: Path | None = None) -> ApplyResult:
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
        result = plan(request, tx.read(ORGANISATIONS_FILE), tx.read(TAXONOMY_FILE))
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
            {"import_id": import_id, "org_id": oid, "action": "added", "changed": "", "before": "",
             "unmapped": " | ".join(unmapped.get(oid, []))}
            for oid in added
        ]
        history += [
            {"import_id": import_id, "org_id": oid, "action": "updated", "changed": ";".join(cols),
             "before": json.dumps(old[oid], ensure_ascii=False, sort_keys=True),
             "unmapped": " | ".join(unmapped.get(oid, []))}
            for oid, cols in updated.items()
        ]
        log = tx.read(IMPORTS_FILE)
        log.append({
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
        })
        tx.write(ORGANISATIONS_FILE, ORGANISATION_COLUMNS, _ordered(result.after, result.before))
        tx.write(IMPORTS_FILE, IMPORT_COLUMNS, log)
        tx.write(HISTORY_FILE, HISTORY_COLUMNS, history)
    return ApplyResult(import_id, tuple(added), tuple(updated), counts)


def _is_sorted(rows: Sequence[Mapping[str, str]]) -> bool:
    ids = [r["id"] for r in rows]
    return ids == sorted(ids)


def _ordered(after: list[dict[str, str]], before: Sequence[Mapping[str, str]]) -> list[dict[str, str]]:
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


def undo_last(data_dir: Path | None = None, db_path: Path | None = None, user: str = "") -> str | None:
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
        tx.write(ORGANISATIONS_FILE, ORGANISATION_COLUMNS, sorted(rows, key=lambda o: o["id"]) if was_sorted else rows)
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
        UploadError: a file cannot be read.
        SystemExit: a malformed ``--map``, ``--capability`` or ``--decide``.
    """
    files = []
    overrides = _parse_pairs(args.map, "map")
    for path in args.files:
        table = read_table(Path(path).read_bytes(), Path(path).name)
        mapping = dict(guess_mapping(table.header))
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
    decisions = []
    for key, value in _parse_pairs(args.decide, "decide"):
        fi, _, line = key.rpartition(":")
        decisions.append(((int(fi or 0), int(line)), value))
    options = ImportOptions(
        source_url=args.source_url or "", council=args.council or "", member_list=args.member_list,
        org_type=args.type, confidence=args.confidence, source_date=args.source_date or "",
        user=args.user or os.environ.get("USER", ""),
    )
    return ImportRequest(tuple(files), tuple(_parse_pairs(args.capability, "capability")), tuple(decisions), options)


def describe(plan_: Plan, request: ImportRequest) -> str:
    """The preview as plain English text (the command line's output)."""
    lines = []
    for f in request.files:
        mapped = ", ".join(f"{f.table.header[i]} → {fld}" for i, fld in f.mapping)
        lines.append(f"{f.table.file_name}: {f.table.encoding}, header on row {f.table.header_line}; {mapped}")
        for line, reason in f.table.skipped:
            lines.append(f"  row {line}: skipped ({reason})")
    counts = plan_.counts()
    lines.append(", ".join(f"{k} {v}" for k, v in counts.items()))
    for r in plan_.rows:
        extra = f" [{', '.join(r.changed)}]" if r.changed else ""
        cands = "; ".join(f"{cid} ({name}, {score:.0f})" for cid, name, score in r.candidates)
        lines.append(f"  {r.file_index}:{r.line} {r.status:<9} {r.name} {r.org_id}{extra}" + (f" ~ {cands}" if cands else ""))
        for fnd in r.findings:
            lines.append(f"      {fnd.severity}: [{fnd.column}] {fnd.message()}")
    for fnd in plan_.findings:
        lines.append(f"  {fnd.severity}: {fnd.message()}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: preview an import (default), ``--apply`` it, or ``--undo`` the last one.

    Exit codes: 0 done (or preview shown), 1 nothing written because of errors, 2 a file
    could not be read.
    """
    parser = argparse.ArgumentParser(description="Import member lists and rosters (CSV/XLSX) into data/.")
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--source-url", help="one source URL for the whole file (e.g. the council's member list)")
    parser.add_argument("--council", choices=COUNCILS, help="the council whose member list this is")
    parser.add_argument("--member-list", action="store_true", help="the file is that council's member list")
    parser.add_argument("--type", default="other", choices=ORG_TYPES, help="organisation type where the file has none")
    parser.add_argument("--confidence", default="medium", choices=CONFIDENCES)
    parser.add_argument("--source-date", help="YYYY-MM-DD or YYYY-MM where the file has none")
    parser.add_argument("--map", action="append", default=[], help='"Header=field" (field "ignore" drops a column)')
    parser.add_argument("--capability", action="append", default=[], help='"term=slug" ("term=" leaves it unmapped)')
    parser.add_argument("--decide", action="append", default=[], help='"[FILE:]ROW=add|skip|merge:<id>" for duplicates')
    parser.add_argument("--user", help="who imports (default: $USER)")
    parser.add_argument("--apply", action="store_true", help="write the import (default: preview only)")
    parser.add_argument("--undo", action="store_true", help="undo the last applied import")
    parser.add_argument("--errors", type=Path, help="write errors and warnings to this CSV")
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args(argv)
    data_dir = (args.data_dir or config.data_dir()).resolve()
    db_path = (args.db or (data_dir / config.DB_FILENAME if args.data_dir else config.db_path())).resolve()
    if args.undo:
        undone = undo_last(data_dir, db_path, args.user or os.environ.get("USER", ""))
        print(f"undone {undone}" if undone else "no applied import to undo")
        return 0
    if not args.files:
        parser.error("give at least one file (or --undo)")
    try:
        request = request_from_args(args)
    except UploadError as exc:
        print(t(exc.key, "en", **exc.values), file=sys.stderr)
        return 2
    store.recover(data_dir, db_path)
    _, orgs = read_csv_rows(data_dir / ORGANISATIONS_FILE) if (data_dir / ORGANISATIONS_FILE).exists() else ([], [])
    _, tax = read_csv_rows(data_dir / TAXONOMY_FILE)
    preview = plan(request, [o for o in orgs if o], [r for r in tax if r])
    print(describe(preview, request))
    if args.errors:
        args.errors.write_bytes(findings_csv(preview))
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
        print(f"imported {result.import_id}: added {len(result.added)}, updated {len(result.updated)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
