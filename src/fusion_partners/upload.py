"""Read an uploaded spreadsheet (CSV or XLSX) into a plain table of text cells.

What people actually send: CSV from Excel in UTF-8, UTF-8 with a byte-order mark or
CP932 (Japanese Excel's "CSV"; CP932 is Microsoft's superset of Shift_JIS and holds
``㈱ ① 髙 ～``, which strict Shift_JIS lacks), separated by commas, semicolons or tabs, with
title rows above the header, total rows below it and blank lines; or an XLSX workbook.

* The encoding is detected with charset-normalizer and *confirmed by decoding the whole
  file strictly*; a detected Shift_JIS variant is read as CP932. Nothing is replaced or
  dropped: a file that does not decode is refused.
* The delimiter is the candidate (``,`` ``;`` tab) under which most lines share one field
  count (ties go to the earlier candidate).
* The header is the first of the first 30 rows in which at least two cells are known
  column names (see :func:`fusion_partners.mapping.guess_field`), one of them a name column.
  Rows above it are title rows (or blank lines); rows below it whose first filled cell says
  "total"/"合計" are total rows; blank rows are skipped. Every skipped row is reported with its
  line.
* Every cell stays text: ``0123`` keeps its leading zero (company and corporate numbers).
* Cells beyond the header's columns are not imported, and never dropped silently: the row
  is listed in ``RawTable.extra`` with them (the importer warns on that row).
* Binary content is refused whatever the file is called (:func:`looks_binary`): NUL bytes,
  control bytes no spreadsheet writes, or bytes that decode only as an unlikely encoding.
* Quotes: a quote left open to the end of the file would swallow every later row into one
  cell, so the file is refused naming the line where the quote opens; a quoted cell that
  runs over several lines and holds what looks like whole rows is read, with a warning
  naming its line (``RawTable.warnings``).

Errors are :class:`UploadError` with a message key of the catalogue (``upload.error.*``)
and its values, so the interface can say what went wrong in the user's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""Largest file accepted (5 MiB: a 300-member list is about 50 KB)."""

HEADER_SEARCH_ROWS = 30
DELIMITERS: tuple[str, ...] = (",", ";", "\t")
_SJIS_FAMILY = {"shift_jis", "shift_jis_2004", "shift_jisx0213", "cp932", "ms932", "sjis"}
_TOTAL_RE = re.compile(r"^(grand\s+)?(total|totals|sum|subtotal|合計|総計|小計|計|件数)\b|^(合計|総計|小計)")
_XLSX_MAGIC = b"PK\x03\x04"


class UploadError(Exception):
    """A file that cannot be read as a table.

    Attributes:
        key: message key of the catalogue (``upload.error.<kind>``).
        values: placeholder values for the message.
    """

    def __init__(self, kind: str, **values: object):
        self.kind = kind
        self.key = f"upload.error.{kind}"
        self.values = values
        super().__init__(f"{kind}: {values}" if values else kind)


@dataclass(frozen=True)
class RawTable:
    """A file read as text.

    Attributes:
        file_name: the name the file was uploaded with.
        content_hash: SHA-256 of the file's bytes (hex).
        encoding: ``utf-8``, ``utf-8-sig``, ``cp932``, ... or ``xlsx``.
        delimiter: ``,`` ``;`` ``\\t`` (``""`` for XLSX).
        header_line: 1-based line (row) number of the header.
        header: column names as written (stripped).
        rows: ``(line, cells)`` for every data row, cells padded to the header length.
        skipped: ``(line, reason)`` for title, blank and total rows; reason is
            ``title``, ``blank`` or ``total``.
        warnings: ``(row, kind, physical line)`` for suspicious content that was still read;
            kind ``quote_span`` (a quoted cell over several lines holding separators).
        extra: ``(row, cells)`` for rows with more filled cells than the header has columns:
            the cells beyond the header, which are not imported (a cell holding the separator
            without quotes, or a column without a header).
    """

    file_name: str
    content_hash: str
    encoding: str
    delimiter: str
    header_line: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    skipped: tuple[tuple[int, str], ...] = field(default=())
    warnings: tuple[tuple[int, str, int], ...] = field(default=())
    extra: tuple[tuple[int, tuple[str, ...]], ...] = field(default=())


def human_size(n: int) -> str:
    """``5242880`` → ``"5 MB"``, ``1536`` → ``"1.5 KB"`` (binary units, as Streamlit shows them)."""
    for unit, size in (("MB", 1048576), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value.is_integer() or value >= 100 else f"{value:.1f} {unit}"
    return f"{n} B"


def content_hash(data: bytes) -> str:
    """SHA-256 hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


_ALLOWED_ENCODINGS = frozenset({
    "utf_8", "utf-8", "cp932", "shift_jis", "shift_jis_2004", "shift_jisx0213", "euc_jp", "euc_jis_2004",
    "iso2022_jp", "cp1252", "latin_1", "iso8859_1", "iso8859_15", "ascii",
})
"""Encodings a member list plausibly comes in (charset-normalizer proposes many more; a file
that decodes only as, say, UTF-16 without a byte-order mark or EBCDIC is binary)."""
_CONTROL_BYTES = frozenset(range(0x01, 0x09)) | frozenset(range(0x0E, 0x1B)) | frozenset({0x1C, 0x1D, 0x1E, 0x1F, 0x7F})
"""C0 control bytes no spreadsheet writes (tab, line breaks, form feed and ESC — used by
ISO-2022-JP — are allowed)."""
SNIFF_BYTES = 65536


def looks_binary(data: bytes) -> bool:
    """True when ``data`` (without a UTF-16 byte-order mark) is not text.

    Signs, in the first 64 KiB: a NUL byte; more than one control byte per thousand
    (:data:`_CONTROL_BYTES`; a DOS end-of-file mark ``0x1A`` at the very end is allowed).
    """
    sample = data[:SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    body = sample[:-1] if sample.endswith(b"\x1a") else sample
    controls = sum(1 for byte in body if byte in _CONTROL_BYTES)
    return controls > len(body) // 1000


def decode(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: returns ``(text, encoding)``.

    Order: UTF-8 BOM → ``utf-8-sig``; UTF-16 BOM → ``utf-16``; binary content refused
    (:func:`looks_binary`); strict UTF-8 of the whole file; otherwise charset-normalizer's
    candidates among :data:`_ALLOWED_ENCODINGS` (a Shift_JIS variant is tried as CP932
    first), each accepted only if the *whole* file decodes strictly and the text has
    almost no characters text never holds (:func:`_checked`).

    Raises:
        UploadError: ``binary`` for content that is not text (including bytes that decode
            only as an unlikely encoding when more than 30 % of them are non-ASCII),
            ``encoding`` when no candidate decodes the whole file.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        if not _decodes(data, "utf-8-sig"):
            raise UploadError("encoding")
        return _checked(data.decode("utf-8-sig"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and _decodes(data, "utf-16"):
        return _checked(data.decode("utf-16"), "utf-16")
    if looks_binary(data):
        raise UploadError("binary")
    if _decodes(data, "utf-8"):
        return _checked(data.decode("utf-8"), "utf-8")
    from charset_normalizer import from_bytes

    candidates = [m.encoding for m in from_bytes(data)]
    if any(c in _SJIS_FAMILY for c in candidates) or not candidates:
        candidates = ["cp932", *[c for c in candidates if c != "cp932"]]
    for enc in candidates:
        if enc in _ALLOWED_ENCODINGS and _decodes(data, enc):
            text = data.decode(enc)
            if not any(ch in text for ch in ",;\t\n"):
                raise UploadError("binary")  # decodes by chance, but has no separator or line at all
            return _checked(text, enc)
    sample = data[:SNIFF_BYTES]
    high = sum(1 for byte in sample if byte >= 0x80)
    raise UploadError("binary" if high > 0.3 * len(sample) else "encoding")


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding, errors="strict")
    except (UnicodeDecodeError, LookupError):
        return False
    return True


_ODD_CATEGORIES = frozenset({"Cc", "Co", "Cn", "Cs"})


def _checked(text: str, encoding: str) -> tuple[str, str]:
    """Refuse text with more than one character per thousand that text never holds
    (controls other than tab and line breaks, private-use, unassigned or surrogate code
    points, U+FFFD): a binary file that happened to decode."""
    sample = text[:20000]
    odd = sum(1 for ch in sample
              if ch == "\ufffd" or (unicodedata.category(ch) in _ODD_CATEGORIES and ch not in "\r\n\t\f\x1a"))
    if sample and odd > len(sample) // 1000:
        raise UploadError("binary")
    return text, encoding


def choose_delimiter(text: str) -> str:
    """The delimiter (``,`` ``;`` tab) under which most rows share one field count (>1).

    Rows are parsed as CSV (quotes respected, so a quoted cell holding another delimiter or a
    line break does not mislead), over the first 200 rows. A delimiter under which the quotes
    do not parse (a quote in the middle of a field) is only chosen when every one fails.
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
    for delim in DELIMITERS:
        try:
            rows, clean = sample(delim, strict=True), True
        except csv.Error:
            rows, clean = sample(delim, strict=False), False
        counts = Counter(len(r) for r in rows if len(r) > 1)
        if not counts:
            continue
        width, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = n * 1000 + width + (10**9 if clean else 0)
        if score > best_score:
            best, best_score = delim, score
    return best


def _cell(value: object) -> str:
    """An XLSX cell as text: whole numbers without ``.0``, dates as ISO, text unchanged."""
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
    return str(value)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    """Rows of the first non-empty worksheet of an XLSX workbook, as text."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:  # the library's words: secondary detail
        raise UploadError("xlsx", detail=str(exc)[:200]) from exc
    try:
        for ws in wb.worksheets:
            rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            if any(any(c.strip() for c in r) for r in rows):
                return rows
    finally:
        wb.close()
    raise UploadError("empty")


def _is_total(cells: list[str]) -> bool:
    first = next((c for c in cells if c.strip()), "")
    return bool(_TOTAL_RE.match(unicodedata.normalize("NFKC", first).strip().casefold()))


def find_header(rows: list[list[str]]) -> int:
    """Index of the header row among ``rows`` (see module docstring).

    Raises:
        UploadError: ``no_header`` when no row in the first 30 qualifies.
    """
    from .mapping import NAME_FIELDS, guess_field

    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = [guess_field(c) for c in cells if c.strip()]
        known = [f for f in fields if f]
        if len(known) >= 2 and any(f in NAME_FIELDS for f in known):
            return i
    raise UploadError("no_header", rows=HEADER_SEARCH_ROWS)


def read_table(data: bytes, file_name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> RawTable:
    """Read an uploaded CSV/TSV/XLSX file into a :class:`RawTable`.

    Args:
        data: the file's bytes.
        file_name: its name (``.xlsx`` or the ZIP signature selects the XLSX reader).
        max_bytes: size limit in bytes.

    Raises:
        UploadError: ``too_large`` (values ``size``, ``limit``), ``empty``, ``binary``,
            ``encoding``, ``unclosed_quote`` (value ``line``), ``xlsx``, ``no_header`` or
            ``no_rows``.
    """
    if len(data) > max_bytes:
        raise UploadError("too_large", size=human_size(len(data)), limit=human_size(max_bytes))
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise UploadError("empty")
    digest = content_hash(data)
    if data.startswith(_XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm")):
        rows, encoding, delimiter = _xlsx_rows(data), "xlsx", ""
        starts = list(range(1, len(rows) + 1))
    else:
        text, encoding = decode(data)
        delimiter = choose_delimiter(text)
        rows, starts = _csv_rows(text, delimiter)
    h = find_header(rows)
    header = [c.strip() for c in rows[h]]
    width = len(header)
    skipped = [(i + 1, "title" if any(c.strip() for c in rows[i]) else "blank") for i in range(h)]
    warnings: list[tuple[int, str, int]] = []
    extra: list[tuple[int, tuple[str, ...]]] = []
    out: list[tuple[int, tuple[str, ...]]] = []
    for i in range(h + 1, len(rows)):
        cells = [c.strip() for c in rows[i]]
        if not any(cells):
            skipped.append((i + 1, "blank"))
            continue
        if _is_total(cells):
            skipped.append((i + 1, "total"))
            continue
        cells = (cells + [""] * width)[:max(width, len(cells))]
        out.append((i + 1, tuple(cells[:width])))
        if any(cells[width:]):
            extra.append((i + 1, tuple(c for c in cells[width:] if c)))
        if encoding != "xlsx" and any(_holds_rows(c, delimiter, width) for c in rows[i]):
            warnings.append((i + 1, "quote_span", starts[i]))
    if not out:
        raise UploadError("no_rows")
    return RawTable(file_name, digest, encoding, delimiter, h + 1, tuple(header), tuple(out), tuple(skipped),
                    tuple(warnings), tuple(extra))


def _holds_rows(cell: str, delimiter: str, width: int) -> bool:
    """True when a cell runs over lines and a later line of it looks like a whole row
    (at least ``width - 1`` separators): probably rows swallowed by an unclosed quote."""
    if "\n" not in cell:
        return False
    return any(line.count(delimiter) >= max(1, width - 1) for line in cell.split("\n")[1:])


def _csv_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
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
            return _lenient_rows(text, delimiter)
        rows.append(row)
        starts.append(previous + 1)
        previous = reader.line_num
    return rows, starts


def _lenient_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, starts, previous = [], [], 0
    for row in reader:
        rows.append(row)
        starts.append(previous + 1)
        previous = reader.line_num
    if text.count('"') % 2:
        # the lenient reader ends an open quote at the end of the file: name where it opened
        opened = next((starts[i] for i, r in enumerate(rows) if any("\n" in c for c in r)), starts[-1] if starts else 1)
        raise UploadError("unclosed_quote", line=opened)
    return rows, starts
