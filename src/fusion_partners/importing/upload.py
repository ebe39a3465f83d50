"""Read an uploaded spreadsheet (CSV or XLSX) into a plain table of text cells (:func:`read_table`).

What people actually send: CSV from Excel in UTF-8, UTF-8 with a byte-order mark or
CP932 (Japanese Excel's "CSV"; CP932 is Microsoft's superset of Shift_JIS and holds
``㈱ ① 髙 ～``, which strict Shift_JIS lacks), separated by commas, semicolons or tabs, with
title rows above the header, total rows below it and blank lines; or an XLSX workbook.

* The encoding is decided on the *whole file* (:func:`encodings.decode`): UTF-8 (with or without a
  byte-order mark); else CP932 or another Japanese encoding charset-normalizer proposes, when
  the whole file decodes strictly and reads as Japanese; else Windows-1252 and Latin-1, as
  UK and European Excel write "Café Ltd". Nothing is replaced: a file that does not decode
  is refused, and the preview names the encoding used (:func:`encodings.encoding_label`).
* The delimiter is the candidate (``,`` ``;`` tab) under which most lines share one field
  count (ties go to the earlier candidate; :func:`sheets.choose_delimiter`).
* The header is the first of the first 30 rows in which at least two cells are known
  column names (see :func:`fusion_partners.importing.mapping.guess_field`), one of them a name column.
  Rows above it are title rows (or blank lines); rows below it whose first filled cell says
  "total"/"合計" are total rows; blank rows are skipped. Every skipped row is reported with its
  line (:mod:`fusion_partners.importing.header`).
* Every cell stays text: ``0123`` keeps its leading zero (company and corporate numbers).
* Cells beyond the header's columns are not imported, and never dropped silently: the row
  is listed in ``RawTable.extra`` with them (the importer warns on that row).
* Binary content is refused whatever the file is called (:func:`encodings.looks_binary`): many NUL or
  control bytes, or bytes that decode only as an unlikely encoding. A *few* control
  characters inside cells (a vertical tab, a form feed, a NUL, C1 controls; tab and line
  breaks are text) do not make a file binary: they are taken out of the cells (whitespace
  controls become a space, the others are removed) and listed per row and column in
  ``RawTable.cleaned``, so the importer warns on each (:func:`encodings.clean_cell`).
* A *name-only list* — one column of names, with or without a header such as "Name" or
  "会員名" — is read as one column (``RawTable.name_only``; a comma inside a name such as
  "Kyoto Fusioneering Co., Ltd." stays in the name).
* Quotes: a quote left open to the end of the file would swallow every later row into one
  cell, so the file is refused naming the line where the quote opens; a quoted cell that
  runs over several lines and holds what looks like whole rows is read, with a warning
  naming its line (``RawTable.warnings``).

Errors are :class:`table.UploadError` with a message key of the catalogue (``upload.error.*``)
and its values, so the interface can say what went wrong in the user's language.
"""

from __future__ import annotations

import hashlib

from fusion_partners.importing.encodings import clean_cell, decode
from fusion_partners.importing.header import find_header, is_total, name_only_header
from fusion_partners.importing.sheets import (
    NO_DELIMITER,
    choose_delimiter,
    csv_rows,
    holds_rows,
    xlsx_rows,
)
from fusion_partners.importing.table import RawTable, UploadError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""Largest file accepted (5 MiB: a 300-member list is about 50 KB)."""

_XLSX_MAGIC = b"PK\x03\x04"


def human_size(n: int) -> str:
    """``5242880`` → ``"5 MB"``, ``1536`` → ``"1.5 KB"`` (binary units, as Streamlit shows them)."""
    for unit, size in (("MB", 1048576), ("KB", 1024)):
        if n >= size:
            value = n / size
            return (
                f"{value:.0f} {unit}"
                if value.is_integer() or value >= 100
                else f"{value:.1f} {unit}"
            )
    return f"{n} B"


def content_hash(data: bytes) -> str:
    """SHA-256 hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


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
    text = ""
    if data.startswith(_XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm")):
        rows, encoding, delimiter = xlsx_rows(data), "xlsx", ""
        starts = list(range(1, len(rows) + 1))
    else:
        text, encoding = decode(data)
        delimiter = choose_delimiter(text)
        rows, starts = csv_rows(text, delimiter)
    raw_rows = rows
    rows, cleaned_at = _clean_rows(rows)
    name_only = False
    try:
        h = find_header(rows)
    except UploadError:
        found = name_only_header(rows)
        if found is None:
            if cleaned_at:  # control characters and no table: not a spreadsheet
                raise UploadError("binary") from None
            raise
        name_only = True
        reparsed = None
        if encoding != "xlsx":  # one column: a comma inside a name stays in it
            try:
                reparsed = csv_rows(text, NO_DELIMITER)
            except UploadError as exc:
                # the quotes parse only with the delimiter (',"A<CR>"'): keep those rows
                if exc.kind != "unclosed_quote":
                    raise
        if reparsed is not None:
            raw_rows, starts = reparsed
            rows, cleaned_at = _clean_rows(raw_rows)
        else:
            rows = [[next((c for c in r if c.strip()), "")] for r in rows]
            cleaned_at = {(i, 0): chars for (i, _), chars in cleaned_at.items()}
        h = found
    if h >= 0:
        header = [c.strip() for c in rows[h]]
    else:
        header = [""]
    width = len(header)
    skipped = [
        (i + 1, "title" if any(c.strip() for c in rows[i]) else "blank") for i in range(max(h, 0))
    ]
    warnings: list[tuple[int, str, int]] = []
    extra: list[tuple[int, tuple[str, ...]]] = []
    out: list[tuple[int, tuple[str, ...]]] = []
    kept = {h} if h >= 0 else set()
    for i in range(h + 1, len(rows)):
        cells = [c.strip() for c in rows[i]]
        if not any(cells):
            skipped.append((i + 1, "blank"))
            continue
        if is_total(cells):
            skipped.append((i + 1, "total"))
            continue
        kept.add(i)
        cells = (cells + [""] * width)[: max(width, len(cells))]
        out.append((i + 1, tuple(cells[:width])))
        if any(cells[width:]):
            extra.append((i + 1, tuple(c for c in cells[width:] if c)))
        if (
            encoding != "xlsx"
            and not name_only
            and any(holds_rows(c, delimiter, width) for c in raw_rows[i])
        ):
            warnings.append((i + 1, "quote_span", starts[i]))
    if not out:
        raise UploadError("no_rows")
    cleaned = tuple(
        (i + 1, col, chars) for (i, col), chars in sorted(cleaned_at.items()) if i in kept
    )
    return RawTable(
        file_name,
        digest,
        encoding,
        "" if name_only else delimiter,
        h + 1,
        tuple(header),
        tuple(out),
        tuple(skipped),
        tuple(warnings),
        tuple(extra),
        cleaned,
        name_only,
    )


def _clean_rows(rows: list[list[str]]) -> tuple[list[list[str]], dict[tuple[int, int], str]]:
    """Rows with control characters taken out of every cell (:func:`clean_cell`), and
    ``{(row index, column index): characters}`` for the cells that held some."""
    found: dict[tuple[int, int], str] = {}
    out = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            text, chars = clean_cell(cell)
            if chars:
                found[(i, j)] = chars
            cells.append(text)
        out.append(cells)
    return out, found
