"""One row of an uploaded file as roster values, with its findings.

:func:`build_row` turns a row's mapped cells into roster values (codes for countries, regions,
vocabularies and capabilities; the file-wide options filled in); :func:`validate_rows` adds the
roster's own checks; :func:`note_extra_cells` and :func:`note_cleaned_cells` warn on what the
reading of the file left out or cleaned (:mod:`fusion_partners.importing.upload`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from fusion_partners.data.roster import CONFIDENCES, MEMBERSHIPS, ORG_TYPES, ROSTER_COLUMNS
from fusion_partners.data.validation import validate_organisations
from fusion_partners.i18n import t
from fusion_partners.importing.capability_match import CapabilityMatcher, split_terms
from fusion_partners.importing.findings import Finding, finding_from_problem
from fusion_partners.importing.mapping import map_country, map_region
from fusion_partners.importing.plan import RowPlan
from fusion_partners.importing.request import COUNCILS, ImportFile, ImportOptions
from fusion_partners.search.text import has_japanese_script, match_key


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


class AutoCapabilities:
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


def build_row(
    fi: int,
    f: ImportFile,
    line: int,
    cells: Sequence[str],
    slug_of: AutoCapabilities,
    options: ImportOptions,
    row_country: str = "",
) -> RowPlan:
    """Row ``line`` of file ``fi`` as roster values with its findings (not yet matched to the
    roster): mapped cells, countries and regions to ISO codes, vocabulary labels to codes (a
    warning and the file-wide default for unknown ones), capability text to slugs through
    ``slug_of``, the file-wide source URL added, dates normalised; a name in Japanese script in
    the English-name column is moved or flagged. ``row_country``: the country chosen for this
    row when it gives none (before :attr:`ImportOptions.country`)."""
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


def note_extra_cells(rows: Sequence[RowPlan], f: ImportFile) -> None:
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


def note_cleaned_cells(rows: Sequence[RowPlan], f: ImportFile) -> None:
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
"""Columns whose basic errors :func:`build_row` reports itself (clearer, translated)."""


_FILE_CHECKS = {"same_name"}
"""Roster findings the import replaces with its own (rows of one file that are the same
organisation are handled by :func:`plan`)."""


def validate_rows(
    rows: list[RowPlan], f: ImportFile, slugs: set[str], today: dt.date | None
) -> None:
    """Add roster validation problems (:func:`validation.validate_organisations`) to the rows of
    ``f`` as findings, except those the row reports itself more clearly (names, country,
    capabilities, a missing source) and those the plan handles (rows of one file with the
    same name)."""
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
        row.findings.append(
            finding_from_problem(p, f.table.file_name, row.line, f.header_of(p.column))
        )


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
