"""CSV and XLSX exports: BOM, Japanese round trip, formula safety, numbers stay numbers."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from fusion_partners.explore.export import (
    export_filename,
    is_formula_like,
    to_csv_bytes,
    to_xlsx_bytes,
)

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
    return pd.DataFrame(
        {
            "name": HOSTILE + ["京都フュージョニアリング株式会社"],
            "employees": [10, 12, 7, 40, 1, 2, 3, 4, 5],
            "net_change": [-3, 5, -1, 0, -7, 1, 2, 3, -4],
            "ratio": [-0.5, 1.5, 0.0, 2.0, 1.0, 1.0, 1.0, 1.0, -2.25],
            "caps": [["a", "b"]] * 9,
        }
    )


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


# --- every row, in batches; Excel's cell limit with a visible marker ---------------------

from fusion_partners.explore.export import XLSX_CELL_LIMIT, cut_for_xlsx, long_cells  # noqa: E402


@pytest.mark.parametrize("length", [XLSX_CELL_LIMIT, XLSX_CELL_LIMIT + 1, 40000, 100000, 1_000_000])
def test_a_cell_over_excels_limit_is_cut_with_a_marker_naming_what_was_left_out(length):
    text = "x" * length
    cut, n = cut_for_xlsx(text)
    if length <= XLSX_CELL_LIMIT:
        assert (cut, n) == (text, 0)
        return
    assert len(cut) <= XLSX_CELL_LIMIT
    kept = cut.index("…[cut:")
    assert n == length - kept and cut.endswith(
        f"…[cut: {n:,} character{'s' if n != 1 else ''}; full text in the CSV export]"
    )
    ja, n_ja = cut_for_xlsx(text, "ja")
    assert len(ja) <= XLSX_CELL_LIMIT and ja.endswith(
        f"…［省略：{n_ja}文字。全文はCSVエクスポートにあります］"
    )


def test_the_xlsx_cuts_a_long_description_visibly_and_the_csv_keeps_it_whole():
    long_text = "Tokamak design notes. " * 2000  # 44,000 characters
    df = pd.DataFrame({"name": ["A Test Ltd", "B Test Ltd"], "description": [long_text, "short"]})
    assert long_cells(df) == 1
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(df, [("Rows", 2)])))
    cell = book.worksheets[0]["B2"].value
    assert len(cell) <= XLSX_CELL_LIMIT and "full text in the CSV export]" in cell
    assert cell.startswith(long_text[:30000])
    about = {r[0]: r[1] for r in book.worksheets[1].iter_rows(values_only=True)}
    assert (
        about["Cells cut to Excel's limit of 32,767 characters (full text in the CSV export)"] == 1
    )
    rows = list(csv.reader(io.StringIO(to_csv_bytes(df).decode("utf-8-sig"))))
    assert rows[1][1] == long_text


def test_batches_are_written_as_one_table_with_one_header_and_continue_on_a_second_sheet():
    batches = [
        pd.DataFrame({"name": [f"Org {i}" for i in range(k, k + 3)], "n": list(range(k, k + 3))})
        for k in (0, 3, 6)
    ]
    rows = list(csv.reader(io.StringIO(to_csv_bytes(iter(batches)).decode("utf-8-sig"))))
    assert rows[0] == ["name", "n"] and [r[0] for r in rows[1:]] == [f"Org {i}" for i in range(9)]
    book = openpyxl.load_workbook(
        io.BytesIO(to_xlsx_bytes(iter(batches), [("Rows", 9)], max_rows=6))
    )
    first, second, about = book.worksheets
    assert (first.title, second.title, about.title) == (
        "Organisations",
        "Organisations (2)",
        "About",
    )
    names = [r[0] for s in (first, second) for r in s.iter_rows(min_row=2, values_only=True)]
    assert names == [f"Org {i}" for i in range(9)]
    assert next(second.iter_rows(max_row=1, values_only=True)) == ("name", "n")


def test_explore_exports_every_matching_row_not_only_the_rows_shown(fixture_db, monkeypatch):
    from fusion_partners import queries
    from fusion_partners.db import connect_readonly
    from fusion_partners.explore.filters import Filters
    from fusion_partners.i18n.labels import Taxonomy
    from fusion_partners.ui import explore

    con = connect_readonly(str(fixture_db))
    everything = queries.organisation_table(con, Filters())
    batches = list(queries.organisation_batches(con, Filters(), vectors=1))
    assert pd.concat(batches)["id"].tolist() == everything["id"].tolist()
    monkeypatch.setattr(explore, "connection", lambda: con)
    tax = Taxonomy.from_frame(queries.taxonomy(con), queries.capability_leaves(con))
    shown = everything.head(3)  # the table shows the first rows only
    exported = pd.concat(explore.export_batches(shown, Filters(), len(everything), tax, "en"))
    assert len(exported) == len(everything) > 3
    assert len(pd.concat(explore.export_batches(shown, Filters(), 3, tax, "en"))) == 3
