"""Tables as files people open in spreadsheets: CSV (UTF-8 with BOM) and XLSX.

Safety against spreadsheet formula injection follows the OWASP "CSV Injection" advice:
a *text* cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return (or their
full-width forms ``＝ ＋ － ＠``, which Excel also accepts) could run as a formula, so in
CSV it is prefixed with an apostrophe and in XLSX it is written as a string cell marked
with Excel's own quote prefix. Numeric values (including negative numbers) stay numeric.
Characters that XML 1.0 forbids (most C0 controls) are removed from XLSX cells, since
Excel refuses files containing them.

Size: a table can arrive as one DataFrame or as an iterable of DataFrames (batches from
:func:`queries.organisation_batches`), so an export of any roster size is written batch by
batch: CSV text per batch, XLSX rows streamed to disk (XlsxWriter's ``constant_memory``
mode) and continued on a further sheet past Excel's 1,048,576 rows. Excel holds at most
32,767 characters in a cell (https://support.microsoft.com/en-us/office/excel-specifications-and-limits-1672b34d-7043-467e-8e27-269d656771c3):
a longer text is cut in the XLSX with a visible marker (:func:`cut_for_xlsx`) and the number
of cut cells is recorded on the "About" sheet; the CSV keeps the full text.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeGuard, overload

import pandas as pd

from fusion_partners.i18n import t

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)*|\d*\.\d+)([eE][+-]?\d+)?$")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


XLSX_CELL_LIMIT = 32767
"""Most characters an Excel cell holds (Excel specifications and limits)."""
XLSX_MAX_ROWS = 1048576
"""Rows of an Excel worksheet, header included."""


def cut_for_xlsx(text: str, lang: str = "en", limit: int = XLSX_CELL_LIMIT) -> tuple[str, int]:
    """``text`` cut to fit an Excel cell, ending in the marker ``…[cut: N characters; full text
    in the CSV export]`` (``export.cut_marker`` in ``lang``); returns the text and N, the
    characters left out (0 when it fits). The result is at most ``limit`` characters."""
    if len(text) <= limit:
        return text, 0
    cut = len(text) - limit
    while True:  # the marker's own length decides how much is kept
        marker = tn_marker(cut, lang)
        keep = limit - len(marker)
        if len(text) - keep == cut:
            return text[:keep] + marker, cut
        cut = len(text) - keep


def tn_marker(n: int, lang: str) -> str:
    """The cut marker for ``n`` characters in ``lang``."""
    from fusion_partners.i18n import tn

    return tn("export.cut_marker", n, lang, n=f"{n:,}" if lang == "en" else str(n))


def long_cells(df: pd.DataFrame, limit: int = XLSX_CELL_LIMIT) -> int:
    """Number of cells of ``df`` whose text (lists joined as in the export) exceeds ``limit``."""
    safe = _prepare(df)
    n = 0
    for col in safe.columns:
        if safe[col].dtype == object:
            n += int(safe[col].map(lambda v: isinstance(v, str) and len(v) > limit).sum())
    return n


def _frames(table: pd.DataFrame | Iterable[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    if isinstance(table, pd.DataFrame):
        yield table
    else:
        yield from table


def is_formula_like(value: object) -> TypeGuard[str]:
    """True for text a spreadsheet could execute (see module docstring).

    Text that is just a number (``-3``, ``+44``) is not formula-like: spreadsheets read it
    as a number, which is safe.
    """
    if not isinstance(value, str) or not value:
        return False
    if not value.startswith(FORMULA_PREFIXES):
        return False
    return not _PLAIN_NUMBER.match(value.strip())


def neutralise(value: object) -> object:
    """Prefix formula-like text with ``'``; other values are returned unchanged."""
    return "'" + value if is_formula_like(value) else value


def _cell_text(value: object) -> object:
    """Lists become ``a; b``; NaN/None become empty; everything else unchanged."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        return "; ".join(str(v) for v in value.tolist())
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value


def _prepare(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if not pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map(_cell_text).astype(object)
    return out


def to_csv_bytes(df: pd.DataFrame | Iterable[pd.DataFrame]) -> bytes:
    """CSV bytes: UTF-8 with a byte-order mark, CRLF line ends, formula-safe text cells.

    ``df`` is one table or an iterable of batches with the same columns (written one after
    the other, the header once). Numeric columns are written as numbers; list cells are
    joined with ``"; "``; text is never cut.
    """
    out = io.BytesIO()
    out.write(BOM.encode("utf-8"))
    first = True
    for frame in _frames(df):
        if not first and frame.empty:
            continue
        safe = _prepare(frame)
        for col in safe.columns:
            if safe[col].dtype == object:
                safe[col] = safe[col].map(neutralise)
        out.write(safe.to_csv(index=False, header=first, lineterminator="\r\n").encode("utf-8"))
        first = False
    return out.getvalue()


@overload
def _xlsx_clean(value: str) -> str: ...
@overload
def _xlsx_clean(value: object) -> object: ...
def _xlsx_clean(value: object) -> object:
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    return value


def to_xlsx_bytes(
    df: pd.DataFrame | Iterable[pd.DataFrame],
    about: Sequence[tuple[str, object]] = (),
    *,
    data_sheet: str = "Organisations",
    about_sheet: str = "About",
    lang: str = "en",
    max_rows: int = XLSX_MAX_ROWS,
) -> bytes:
    """XLSX bytes with the table on the first sheet and ``about`` rows on the last.

    Args:
        df: the table, or an iterable of batches with the same columns; numeric columns stay
            numeric, lists are joined with ``"; "``.
        about: (label, value) rows describing the export (filters, row count, data date,
            source note); numbers are written as numbers. When cells were cut, a row with
            their number follows (``export.about.cut``).
        data_sheet, about_sheet: sheet names (Excel limits them to 31 characters).
        lang: language of the cut marker and the added "About" row.
        max_rows: rows per sheet, header included (Excel's limit); more rows continue on
            sheets named ``<data_sheet> (2)``, ...

    Rows are streamed to a temporary file (XlsxWriter ``constant_memory``), so memory does not
    grow with the number of rows. Text cells are written as strings, never as formulas or
    links (XlsxWriter's automatic conversions are switched off); formula-like text carries
    Excel's quote prefix; text over :data:`XLSX_CELL_LIMIT` characters is cut with a marker
    (:func:`cut_for_xlsx`).
    """
    import xlsxwriter

    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        options = {
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "constant_memory": True,
        }
        workbook = xlsxwriter.Workbook(path, options)
        cut = _write_data(workbook, _frames(df), data_sheet, lang, max_rows)
        about = [*about, (t("export.about.cut", lang), cut)] if cut else list(about)
        _write_about(workbook, about, about_sheet)
        workbook.close()
        with open(path, "rb") as fh:
            return fh.read()
    finally:
        os.unlink(path)


def _write_data(
    workbook, frames: Iterator[pd.DataFrame], data_sheet: str, lang: str, max_rows: int
) -> int:
    """Write the batches on data sheets (a new one every ``max_rows`` rows); returns the
    number of cells cut to Excel's limit."""
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    sheets: list[
        tuple[Any, int]
    ] = []  # (XlsxWriter worksheet, data rows written); XlsxWriter is untyped
    columns: list[str] = []
    widths: list[int] = []
    cut_cells = 0

    def new_sheet():
        n = len(sheets) + 1
        name = data_sheet[:31] if n == 1 else f"{data_sheet[:25]} ({n})"
        sheet = workbook.add_worksheet(name)
        for c, col in enumerate(columns):
            sheet.write_string(0, c, _xlsx_clean(str(col)), bold)
        if columns:
            sheet.freeze_panes(1, 0)
        sheets.append((sheet, 0))
        return sheet

    for frame in frames:
        if not sheets:
            columns = [str(c) for c in frame.columns]
            widths = [len(c) for c in columns]
            new_sheet()
        safe = _prepare(frame)
        for row in safe.itertuples(index=False):
            sheet, written = sheets[-1]
            if written + 1 >= max_rows:
                sheet = new_sheet()
                written = 0
            r = written + 1
            for c, value in enumerate(row):
                value = _xlsx_clean(value)
                if isinstance(value, bool):
                    sheet.write_boolean(r, c, value)
                elif isinstance(value, (int, float)) and not (
                    isinstance(value, float) and math.isnan(value)
                ):
                    sheet.write_number(r, c, value)
                elif (
                    value is None or (isinstance(value, float) and math.isnan(value)) or value == ""
                ):
                    sheet.write_blank(r, c, None)  # an empty cell, not an empty string
                else:
                    text, n_cut = cut_for_xlsx(str(value), lang)
                    cut_cells += bool(n_cut)
                    sheet.write_string(r, c, text, quoted if is_formula_like(text) else None)
                    widths[c] = max(widths[c], min(len(text), 60))
            sheets[-1] = (sheet, written + 1)
    if not sheets:
        new_sheet()
    for sheet, written in sheets:
        for c, width in enumerate(widths):
            sheet.set_column(c, c, min(max(width + 2, 8), 62))
        if columns:
            sheet.autofilter(0, 0, max(written, 1), len(columns) - 1)
    return cut_cells


def _write_about(workbook, about: Sequence[tuple[str, object]], about_sheet: str) -> None:
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    info = workbook.add_worksheet(about_sheet[:31])
    info.set_column(0, 0, 28)
    info.set_column(1, 1, 100)
    for r, (label, value) in enumerate(about):
        info.write_string(r, 0, _xlsx_clean(str(label)), bold)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            info.write_number(r, 1, value)
            continue
        text, _ = cut_for_xlsx(_xlsx_clean(str(value)))
        info.write_string(r, 1, text, quoted if is_formula_like(text) else None)


def about_rows(
    title: str,
    n_rows: int,
    data_as_of: str,
    lang: str,
    details: Sequence[tuple[str, object]] = (),
    now: dt.datetime | None = None,
) -> list[tuple[str, object]]:
    """Rows of an export's "About" sheet, the same for every export of the app.

    In order: what was exported (``title``), ``details`` (e.g. the filters or the scoring),
    the row count (a number, so a spreadsheet can compute with it), the data date as stored
    (ISO 8601, ``YYYY-MM-DD`` or ``YYYY-MM``: unambiguous in both languages), the source note
    and the export time (ISO 8601, UTC). Labels are catalogue messages in ``lang``.
    """
    now = now or dt.datetime.now(dt.UTC)
    return [
        (t("export.about.title", lang), title),
        *details,
        (t("export.about.rows", lang), int(n_rows)),
        (t("export.about.data_date", lang), data_as_of or ""),
        (t("export.about.source", lang), t("export.about.source_note", lang)),
        (t("export.about.exported", lang), now.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")),
    ]


def export_filename(prefix: str, filter_slug: str, date: str, ext: str) -> str:
    """File name such as ``fusion-organisations_JP_magnets_2026-11-29.csv``.

    Only ASCII letters, digits, ``-``, ``_`` and ``.`` survive, so the name is safe on
    every operating system.
    """
    raw = f"{prefix}_{filter_slug}_{date}"
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", raw).strip("-_.")
    return f"{safe}.{ext.lstrip('.')}"
