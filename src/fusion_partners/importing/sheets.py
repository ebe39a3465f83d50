"""Rows of a CSV text or an XLSX workbook, as lists of text cells.

* CSV: the delimiter is the candidate (``,`` ``;`` tab) under which most lines share one
  field count (:func:`choose_delimiter`); a quote left open to the end of the file is refused
  naming the line where it opens (:func:`csv_rows`).
* XLSX: the first non-empty worksheet (:func:`xlsx_rows`); whole numbers without ``.0``,
  dates as ISO text, Excel's escapes of control characters read back as the characters.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections import Counter

from fusion_partners.importing.table import UploadError

DELIMITERS: tuple[str, ...] = (",", ";", "\t")


NO_DELIMITER = "\ufdd0"
"""A noncharacter (never in interchange text): parsing with it as the separator reads each
line as one cell, quotes still respected."""


def choose_delimiter(text: str) -> str:
    """The delimiter (``,`` ``;`` tab) under which most rows share one field count (>1).

    Rows are parsed as CSV (quotes respected, so a quoted cell holding another delimiter or a
    line break does not mislead), over the first 200 rows. A delimiter under which the quotes
    do not parse (a quote in the middle of a field) is only chosen when every one fails; when
    no row has two fields under any of them, the first under which the quotes parse is chosen
    (``;"<CR>"``: under a comma the quoted carriage return reads as an unclosed quote).
    """

    def sample(delim: str, strict: bool) -> list[list[str]]:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=strict):
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) >= 200:
                break
        return rows

    best, best_score = ",", -1
    first_clean: str | None = None
    for delim in DELIMITERS:
        try:
            rows, clean = sample(delim, strict=True), True
        except csv.Error:
            rows, clean = sample(delim, strict=False), False
        if clean and first_clean is None:
            first_clean = delim
        counts = Counter(len(r) for r in rows if len(r) > 1)
        if not counts:
            continue
        width, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = n * 1000 + width + (10**9 if clean else 0)
        if score > best_score:
            best, best_score = delim, score
    if best_score < 0 and first_clean is not None:
        return first_clean
    return best


_XLSX_CONTROL_ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f]|007[Ff]|008[0-9A-Fa-f]|009[0-9A-Fa-f])_")
"""Excel writes a control character in a cell as ``_x000B_`` (ECMA-376 ST_Xstring); openpyxl
leaves these escapes as text, so they are read back as the characters they stand for (and
then taken out and listed, :func:`encodings.clean_cell`)."""


def _cell(value: object) -> str:
    """An XLSX cell as text: whole numbers without ``.0``, dates as ISO, text unchanged but
    for Excel's escapes of control characters (``_x000B_`` → U+000B)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return (
        _XLSX_CONTROL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text
    )


def xlsx_rows(data: bytes) -> list[list[str]]:
    """Rows of the first non-empty worksheet of an XLSX workbook, as text."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
    ) as exc:  # the library's words: secondary detail
        raise UploadError("xlsx", detail=str(exc)[:200]) from exc
    try:
        for ws in wb.worksheets:
            rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            if any(any(c.strip() for c in r) for r in rows):
                return rows
    finally:
        wb.close()
    raise UploadError("empty")


def holds_rows(cell: str, delimiter: str, width: int) -> bool:
    """True when a cell runs over lines and a later line of it looks like a whole row
    (at least ``width - 1`` separators): probably rows swallowed by an unclosed quote."""
    if "\n" not in cell:
        return False
    return any(line.count(delimiter) >= max(1, width - 1) for line in cell.split("\n")[1:])


def csv_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """Parse CSV text: the rows and the physical line each row starts on (1-based).

    Raises:
        UploadError: ``unclosed_quote`` (value ``line``) when a quote opens and the file ends
            before it closes (the csv module would silently read every later line into it).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    starts: list[int] = []
    previous = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise UploadError("unclosed_quote", line=previous + 1) from exc
            # a stray character after a closing quote ('"a"b'): read leniently, as before
            return lenient_rows(text, delimiter)
        rows.append(row)
        starts.append(previous + 1)
        previous = reader.line_num
    return rows, starts


def lenient_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, starts, previous = [], [], 0
    for row in reader:
        rows.append(row)
        starts.append(previous + 1)
        previous = reader.line_num
    if text.count('"') % 2:
        # the lenient reader ends an open quote at the end of the file: name where it opened
        opened = next(
            (starts[i] for i, r in enumerate(rows) if any("\n" in c for c in r)),
            starts[-1] if starts else 1,
        )
        raise UploadError("unclosed_quote", line=opened)
    return rows, starts
