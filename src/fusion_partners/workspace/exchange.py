"""Reading an exported shortlist (CSV or XLSX, in English or Japanese) back into entries.

The export (:func:`fusion_partners.partners.shortlist.shortlist_frame` with ``headers=True``) names
its columns from the message catalogue in the user's language, so a file is recognised
by its headers in either language. The start and candidate ids, the kind and the score
are what make an entry; names, country and type are taken from the current roster by the
caller (a file cannot rename an organisation), and the reason, rule and known-link text
are kept as written, since the matches they were made from are not in the file.
"""

from __future__ import annotations

import csv
import io
import math
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fusion_partners.data.partner_rules import KINDS
from fusion_partners.i18n import LANGUAGES, t
from fusion_partners.importing.encodings import decode
from fusion_partners.importing.sheets import choose_delimiter
from fusion_partners.importing.table import UploadError
from fusion_partners.partners.shortlist import SHORTLIST_EXPORT_COLUMNS, WEIGHT_COLUMNS
from fusion_partners.partners.table import SCORE_PARTS
from fusion_partners.workspace.schema import ENTRY_STATUSES, TEXT_MAX

REQUIRED: tuple[str, ...] = ("candidate_id", "kind")
EARLIER_HEADERS: Mapping[str, str] = {"known link": "link_points", "連携実績": "link_points"}
"""Headers that earlier exports wrote for a column since renamed (the known-link points read
"Known link" / 「連携実績」, too close to "Already working together" / 「連携の実績」)."""


@dataclass
class ReadBack:
    """Entries read from a file and what could not be read.

    Attributes:
        entries: ``(entry_key, entry, note, status)`` per usable row.
        problems: ``(row, reason)`` with ``reason`` one of ``no_candidate``, ``unknown_kind``,
            ``unknown_organisation``; ``row`` is the file's line (row) number.
        missing: required columns the file lacks (then ``entries`` is empty).
    """

    entries: list[tuple[str, dict[str, Any], str, str]] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _lookup(prefix: str, codes: tuple[str, ...]) -> dict[str, str]:
    out = {c: c for c in codes}
    for lang in LANGUAGES:
        out.update({t(f"{prefix}.{c}", lang).casefold(): c for c in codes})
    return out


def header_map(header: tuple[str, ...]) -> dict[str, int]:
    """Export column name → index in ``header`` (headers matched in every language, the
    plain column names, and the :data:`EARLIER_HEADERS` of older exports)."""
    names: dict[str, str] = dict(EARLIER_HEADERS)
    for col in SHORTLIST_EXPORT_COLUMNS:
        names[col] = col
        for lang in LANGUAGES:
            names[t(f"partners.col.{col}", lang).strip().casefold()] = col
    out: dict[str, int] = {}
    for i, h in enumerate(header):
        found = names.get(h.strip().casefold()) or names.get(h.strip())
        if found and found not in out:
            out[found] = i
    return out


def _number(text: str) -> float:
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


def read_rows(data: bytes, file_name: str) -> tuple[tuple[str, ...], list[tuple[int, list[str]]]]:
    """The header and ``(row number, cells)`` of an exported shortlist: CSV in any encoding
    :func:`fusion_partners.importing.encodings.decode` reads (the export writes UTF-8 with a BOM), or the
    first worksheet of an XLSX workbook. The header is the first non-empty row.

    Raises:
        UploadError: the file is not text or not a readable workbook, or it is empty.
    """
    if file_name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = [
                ["" if v is None else str(v) for v in r]
                for r in wb.worksheets[0].iter_rows(values_only=True)
            ]
            wb.close()
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError) as exc:
            raise UploadError("xlsx", detail=str(exc)[:200]) from exc
    else:
        text, _ = decode(data)
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=choose_delimiter(text)))
    numbered = [(i, r) for i, r in enumerate(rows, start=1) if any(c.strip() for c in r)]
    if not numbered:
        raise UploadError("empty")
    (_, header), body = numbered[0], numbered[1:]
    return tuple(h.strip() for h in header), body


def read_shortlist(
    header: tuple[str, ...],
    rows: list[tuple[int, list[str]]],
    organisation: Callable[[str], Mapping[str, Any] | None],
) -> ReadBack:
    """Entries from an exported shortlist (:func:`read_rows`).

    Args:
        header, rows: the file's header and numbered rows.
        organisation: the current roster record of an id, or ``None`` when the id is unknown.

    Returns:
        A :class:`ReadBack`; rows naming an unknown organisation or kind are listed in
        ``problems`` and not imported.
    """
    cols = header_map(header)
    out = ReadBack(missing=[c for c in REQUIRED if c not in cols])
    if out.missing:
        return out
    kinds, statuses = _lookup("partners.kind", KINDS), _lookup("shortlists.status", ENTRY_STATUSES)

    def cell(cells: list[str], name: str) -> str:
        i = cols.get(name)
        return cells[i].strip() if i is not None and i < len(cells) else ""

    for line, cells in rows:
        cand_id = cell(cells, "candidate_id")
        kind = kinds.get(cell(cells, "kind").casefold()) or kinds.get(cell(cells, "kind"))
        if not cand_id:
            out.problems.append((line, "no_candidate"))
            continue
        if not kind:
            out.problems.append((line, "unknown_kind"))
            continue
        cand = organisation(cand_id)
        start_id = cell(cells, "start_id")
        start = organisation(start_id) if start_id else None
        if cand is None or (start_id and start is None):
            out.problems.append((line, "unknown_organisation"))
            continue
        weights = {
            name: v
            for col, name in WEIGHT_COLUMNS.items()
            if not math.isnan(v := _number(cell(cells, col)))
        }
        score = {c: _number(cell(cells, c)) for c in SCORE_PARTS}
        entry: dict[str, Any] = {
            "start": start_id,
            "start_name_en": (start or {}).get("name_en") or "",
            "start_name_ja": (start or {}).get("name_ja") or "",
            "start_sources": cell(cells, "start_sources"),
            "needs": [],
            "kind": kind,
            "id": cand_id,
            "name_en": cand.get("name_en") or "",
            "name_ja": cand.get("name_ja") or "",
            "country": cand.get("country") or "",
            "org_type": cand.get("org_type") or "",
            "confidence": cand.get("confidence") or "",
            **{k: (0.0 if math.isnan(v) else v) for k, v in score.items()},
            "weights": weights,
            "matches": [],
            "links": [],
            "sources": cell(cells, "sources"),
            "reason_text": cell(cells, "reason")[:TEXT_MAX],
            "rule_text": cell(cells, "rule")[:TEXT_MAX],
            "known_text": cell(cells, "known")[:TEXT_MAX],
        }
        status_text = cell(cells, "status")
        status = statuses.get(status_text.casefold()) or statuses.get(status_text) or "to_contact"
        key = f"{start_id or ''}|{kind}|{cand_id}"
        out.entries.append((key, entry, cell(cells, "note")[:TEXT_MAX], status))
    return out
