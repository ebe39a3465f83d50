"""Tables as files people open in spreadsheets: CSV (UTF-8 with BOM) and XLSX.

Safety against spreadsheet formula injection follows the OWASP "CSV Injection" advice:
a *text* cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return (or their
full-width forms ``＝ ＋ － ＠``, which Excel also accepts) could run as a formula, so in
CSV it is prefixed with an apostrophe and in XLSX it is written as a string cell marked
with Excel's own quote prefix. Numeric values (including negative numbers) stay numeric.
Characters that XML 1.0 forbids (most C0 controls) are removed from XLSX cells, since
Excel refuses files containing them.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Sequence

import pandas as pd

from .i18n import t

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)*|\d*\.\d+)([eE][+-]?\d+)?$")
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def is_formula_like(value: object) -> bool:
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


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """CSV bytes: UTF-8 with a byte-order mark, CRLF line ends, formula-safe text cells.

    Numeric columns are written as numbers; list cells are joined with ``"; "``.
    """
    safe = _prepare(df)
    for col in safe.columns:
        if safe[col].dtype == object:
            safe[col] = safe[col].map(neutralise)
    text = safe.to_csv(index=False, lineterminator="\r\n")
    return (BOM + text).encode("utf-8")


def _xlsx_clean(value: object) -> object:
    if isinstance(value, str):
        return _XML_ILLEGAL.sub("", value)
    return value


def to_xlsx_bytes(
    df: pd.DataFrame,
    about: Sequence[tuple[str, object]] = (),
    *,
    data_sheet: str = "Organisations",
    about_sheet: str = "About",
) -> bytes:
    """XLSX bytes with the table on the first sheet and ``about`` rows on the second.

    Args:
        df: the table; numeric columns stay numeric, lists are joined with ``"; "``.
        about: (label, value) rows describing the export (filters, row count, data date,
            source note); numbers are written as numbers.
        data_sheet, about_sheet: sheet names (Excel limits them to 31 characters).

    Text cells are written as strings, never as formulas or links (XlsxWriter's automatic
    conversions are switched off); formula-like text carries Excel's quote prefix.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    options = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
               "in_memory": True}
    workbook = xlsxwriter.Workbook(buffer, options)
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    sheet = workbook.add_worksheet(data_sheet[:31])
    safe = _prepare(df)
    widths = []
    for c, name in enumerate(safe.columns):
        sheet.write_string(0, c, _xlsx_clean(str(name)), bold)
        widths.append(len(str(name)))
    for r, row in enumerate(safe.itertuples(index=False), start=1):
        for c, value in enumerate(row):
            value = _xlsx_clean(value)
            if isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, (int, float)) and not (isinstance(value, float) and math.isnan(value)):
                sheet.write_number(r, c, value)
            elif value is None or (isinstance(value, float) and math.isnan(value)):
                sheet.write_blank(r, c, None)
            elif value == "":
                sheet.write_blank(r, c, None)  # an empty cell, not an empty string
            else:
                text = str(value)
                sheet.write_string(r, c, text, quoted if is_formula_like(text) else None)
                widths[c] = max(widths[c], min(len(text), 60))
    for c, width in enumerate(widths):
        sheet.set_column(c, c, min(max(width + 2, 8), 62))
    if len(safe.columns):
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(safe), 1), len(safe.columns) - 1)
    info = workbook.add_worksheet(about_sheet[:31])
    info.set_column(0, 0, 28)
    info.set_column(1, 1, 100)
    for r, (label, value) in enumerate(about):
        info.write_string(r, 0, _xlsx_clean(str(label)), bold)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            info.write_number(r, 1, value)
            continue
        text = _xlsx_clean(str(value))
        info.write_string(r, 1, text, quoted if is_formula_like(text) else None)
    workbook.close()
    return buffer.getvalue()


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
