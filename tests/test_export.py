"""CSV and XLSX exports: BOM, Japanese round trip, formula safety, numbers stay numbers."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from fusion_partners.export import export_filename, is_formula_like, to_csv_bytes, to_xlsx_bytes

# Cells of the kind in the shared formula-injection case (C29), plus their relatives.
HOSTILE = [
    '=HYPERLINK("http://example.invalid/","Click")',
    "+44 Test Fusion Ltd",
    "-Minus Test Plasma Ltd",
    "@Sample Fusion KK",
    "＝試験株式会社",
    "＋Test",
    "\tTabbed",
    "-2+3",
]


def frame():
    return pd.DataFrame({
        "name": HOSTILE + ["京都フュージョニアリング株式会社"],
        "employees": [10, 12, 7, 40, 1, 2, 3, 4, 5],
        "net_change": [-3, 5, -1, 0, -7, 1, 2, 3, -4],
        "ratio": [-0.5, 1.5, 0.0, 2.0, 1.0, 1.0, 1.0, 1.0, -2.25],
        "caps": [["a", "b"]] * 9,
    })


def test_csv_has_bom_and_japanese_round_trips():
    data = to_csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["name"].iloc[-1] == "京都フュージョニアリング株式会社"


def test_csv_neutralises_formula_cells_and_keeps_numbers_numeric():
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame()).decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    names = [r[header.index("name")] for r in body]
    for original, written in zip(HOSTILE, names, strict=False):
        assert written == "'" + original
    assert [r[header.index("net_change")] for r in body][:3] == ["-3", "5", "-1"]
    assert [r[header.index("ratio")] for r in body][0] == "-0.5"
    assert body[0][header.index("caps")] == "a; b"


@pytest.mark.parametrize("text", ["-3", "+44", "-0.5", "1e5"])
def test_plain_numbers_in_text_are_not_formulas(text):
    assert not is_formula_like(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_detected(text):
    assert is_formula_like(text)


def test_xlsx_keeps_text_as_text_numbers_as_numbers_and_records_filters():
    about = [("Filters", "Country: Japan"), ("Rows", "9"), ("Data as of", "2026-07-01")]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame(), about)))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    first = [c for c in sheet[2]]
    name_cell = first[header.index("name")]
    assert name_cell.data_type == "s"  # a string, not a formula
    assert name_cell.value == HOSTILE[0]
    assert name_cell.quotePrefix  # Excel's own "treat as text" mark
    assert first[header.index("net_change")].value == -3
    assert first[header.index("net_change")].data_type == "n"
    assert sheet.cell(row=10, column=1).value == "京都フュージョニアリング株式会社"
    info = book.worksheets[1]
    assert [(r[0].value, r[1].value) for r in info.iter_rows()] == about


def test_xlsx_drops_control_characters_excel_rejects():
    df = pd.DataFrame({"name": ["bad\x01name\x1f"]})
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(df))).worksheets[0]
    assert sheet.cell(row=2, column=1).value == "badname"


def test_empty_table_exports_headers_only():
    df = pd.DataFrame({"name": pd.Series([], dtype=object)})
    assert to_csv_bytes(df).decode("utf-8-sig").strip() == "name"
    assert openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(df))).worksheets[0].max_row == 1


def test_file_names_are_safe_and_say_what_is_inside():
    assert export_filename("fusion-organisations", "JP_magnets", "2026-11-29", "csv") == (
        "fusion-organisations_JP_magnets_2026-11-29.csv"
    )
    assert "/" not in export_filename("x", "../../etc/passwd", "d", "xlsx")
