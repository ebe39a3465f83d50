"""Reading uploads: every kind of file people send, and a clear message for each bad one."""

import io
import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from fusion_partners.i18n import t
from fusion_partners.upload import MAX_UPLOAD_BYTES, UploadError, choose_delimiter, read_table

FILES = Path(__file__).parent / "import_files"
HEADER = "name,name_ja,country,region,capabilities"
ROW = "Tokamak Test Ltd,,United Kingdom,England,Magnets"


def cells(table):
    return [list(c) for _, c in table.rows]


def test_utf8_csv_is_read_with_its_header_and_rows():
    table = read_table(f"{HEADER}\n{ROW}\n".encode(), "list.csv")
    assert table.encoding == "utf-8" and table.delimiter == ","
    assert table.header == tuple(HEADER.split(","))
    assert cells(table) == [ROW.split(",")]


def test_utf8_with_bom_loses_the_bom_not_the_first_header():
    table = read_table(("\ufeff" + f"{HEADER}\n{ROW}\n").encode(), "bom.csv")
    assert table.encoding == "utf-8-sig"
    assert table.header[0] == "name"


def test_cp932_file_keeps_characters_strict_shift_jis_lacks():
    table = read_table((FILES / "members_cp932.csv").read_bytes(), "members_cp932.csv")
    assert table.encoding == "cp932"
    names = [c[0] for c in cells(table)]
    assert names[0] == "㈱サンプル核融合"
    assert names[1] == "髙原フュージョン株式会社"
    assert names[2] == "①号試験炉株式会社"
    assert cells(table)[2][4] == "計測～診断"
    assert "\ufffd" not in "".join(names)


def test_semicolon_separated_file_is_split_on_semicolons():
    text = f"{HEADER.replace(',', ';')}\n{ROW.replace(',', ';')}\n"
    table = read_table(text.encode(), "semi.csv")
    assert table.delimiter == ";"
    assert cells(table)[0][2] == "United Kingdom"


def test_tab_separated_file_is_split_on_tabs():
    text = f"{HEADER.replace(',', chr(9))}\n{ROW.replace(',', chr(9))}\n"
    table = read_table(text.encode(), "list.tsv")
    assert table.delimiter == "\t"
    assert len(table.header) == 5


def test_commas_inside_semicolon_cells_do_not_fool_the_delimiter():
    text = "name;country;capabilities\nA, B and C Ltd;GB;Magnets, coils\nD Ltd;JP;Blanket\n"
    assert choose_delimiter(text) == ";"


def test_title_rows_above_the_header_are_skipped_and_reported():
    text = f"Fusion Cluster members,,,,\nExported 2025-06-01,,,,\n{HEADER}\n{ROW}\n"
    table = read_table(text.encode(), "titled.csv")
    assert table.header_line == 3
    assert table.skipped == ((1, "title"), (2, "title"))
    assert table.rows[0][0] == 4


def test_total_rows_below_the_data_are_skipped_and_reported():
    text = f"{HEADER}\n{ROW}\nTotal,1,,,\n合計,1,,,\n"
    table = read_table(text.encode(), "totals.csv")
    assert len(table.rows) == 1
    assert [why for _, why in table.skipped] == ["total", "total"]


def test_blank_lines_are_skipped_and_line_numbers_stay_true():
    text = f"{HEADER}\n\n{ROW}\n,,,,\n{ROW.replace('Tokamak', 'Stellar')}\n"
    table = read_table(text.encode(), "blank.csv")
    assert [line for line, _ in table.rows] == [3, 5]
    assert [why for _, why in table.skipped] == ["blank", "blank"]


def test_id_like_columns_keep_their_leading_zeros_as_text():
    text = "会社名,英語名,国,法人番号,Company number\n株式会社テスト,Test KK,日本,0123456789012,00012345\n"
    table = read_table(text.encode("cp932"), "ids.csv")
    assert cells(table)[0][3:] == ["0123456789012", "00012345"]


def test_xlsx_workbook_is_read_from_its_first_filled_sheet_with_text_ids():
    wb = Workbook()
    ws = wb.active
    ws.append(["The Fusion Cluster — members"])
    ws.append(["Organisation", "Country", "Location", "Company number", "Joined"])
    ws.append(["Stellar Test Ltd", "UK", "Culham", "00012345", 2024])
    buf = io.BytesIO()
    wb.save(buf)
    table = read_table(buf.getvalue(), "members.xlsx")
    assert table.encoding == "xlsx" and table.header_line == 2
    assert cells(table)[0] == ["Stellar Test Ltd", "UK", "Culham", "00012345", "2024"]


def _message(exc: UploadError) -> str:
    return t(exc.key, "en", **exc.values)


def test_an_empty_file_is_refused_with_a_message():
    with pytest.raises(UploadError) as err:
        read_table(b"", "empty.csv")
    assert "empty" in _message(err.value)
    with pytest.raises(UploadError, match="empty"):
        read_table(b"\xef\xbb\xbf\r\n  \n", "blank.csv")


def test_a_binary_garbage_file_is_refused_as_not_a_spreadsheet():
    garbage = bytes(range(256)) * 8 + os.urandom(2048)
    with pytest.raises(UploadError) as err:
        read_table(garbage, "garbage.csv")
    assert err.value.kind == "binary"
    assert "not a spreadsheet" in _message(err.value)


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b"name,country\nA Ltd,UK\n"])
def test_a_broken_xlsx_is_refused_with_a_plain_message_and_the_detail_kept_apart(data):
    with pytest.raises(UploadError) as err:
        read_table(data, "broken.xlsx")
    assert err.value.kind == "xlsx"
    for lang, words in (("en", "not a valid Excel workbook"), ("ja", "有効なExcelブック")):
        message = t(err.value.key, lang, **err.value.values)
        assert words in message and "zip" not in message.lower()  # the library's words are not the message
    assert "zip" in err.value.values["detail"].lower()


@pytest.mark.parametrize(
    ("text", "skipped"),
    [
        (f"Fusion Cluster members,,,,\n\n{HEADER}\n{ROW}\n", ((1, "title"), (2, "blank"))),
        (f",,,,\n{HEADER}\n{ROW}\n", ((1, "blank"),)),
        (f"\n\n{HEADER}\n{ROW}\n", ((1, "blank"), (2, "blank"))),
    ],
)
def test_blank_lines_above_the_header_are_reported_as_blank_not_as_titles(text, skipped):
    table = read_table(text.encode(), "list.csv")
    assert table.skipped == skipped
    assert t("import.skip.blank", "en", line=2) == "row 2 (blank line)"
    assert t("import.skip.blank", "ja", line=2) == "2行目（空行）"


def test_a_file_without_a_recognisable_header_is_refused_with_examples():
    text = "foo,bar,baz\n1,2,3\n4,5,6\n"
    with pytest.raises(UploadError) as err:
        read_table(text.encode(), "noheader.csv")
    assert err.value.kind == "no_header"
    assert "組織名" in _message(err.value)


def test_a_header_without_data_rows_is_refused():
    with pytest.raises(UploadError) as err:
        read_table(f"{HEADER}\n\n".encode(), "headonly.csv")
    assert err.value.kind == "no_rows"


def test_a_too_large_file_is_refused_with_its_size_and_the_limit():
    big = (f"{HEADER}\n" + f"{ROW}\n" * 200).encode()
    with pytest.raises(UploadError) as err:
        read_table(big, "big.csv", max_bytes=1024)
    assert err.value.kind == "too_large"
    assert "The file is 9.6 KB; files up to 1 KB are accepted" in _message(err.value)
    with pytest.raises(UploadError, match="too_large"):
        read_table(b"x" * (MAX_UPLOAD_BYTES + 1), "huge.csv")


def test_the_same_bytes_always_give_the_same_content_hash():
    a = read_table(f"{HEADER}\n{ROW}\n".encode(), "a.csv")
    b = read_table(f"{HEADER}\n{ROW}\n".encode(), "b.csv")
    assert a.content_hash == b.content_hash and len(a.content_hash) == 64


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("low", [0, 1, 128])  # any bytes, no NUL, only high bytes
def test_random_bytes_of_any_size_are_refused_as_binary_whatever_their_name(seed, low):
    import random

    rnd = random.Random(seed * 7 + low)
    data = bytes(rnd.randrange(low, 256) for _ in range(rnd.choice([16, 40, 300, 4000])))
    with pytest.raises(UploadError) as err:
        read_table(data, "members.csv")
    assert err.value.kind == "binary", err.value.kind


def test_a_stray_control_byte_density_marks_text_as_binary_but_a_dos_end_of_file_mark_does_not():
    text = (HEADER + "\n" + ROW + "\n").encode()
    assert read_table(text + b"\x1a", "dos.csv").rows
    with pytest.raises(UploadError, match="binary"):
        read_table(text.replace(b"Magnets", b"Mag\x07\x02\x03nets"), "bell.csv")


def test_an_unclosed_quote_is_refused_naming_the_line_where_it_opens():
    data = b'name,country,capabilities\nGood Ltd,UK,lasers\n"Unclosed Fusion Ltd,UK,lasers\nOther,Japan,magnets\n'
    with pytest.raises(UploadError) as err:
        read_table(data, "q.csv")
    assert err.value.kind == "unclosed_quote" and err.value.values == {"line": 3}
    assert "line 3" in _message(err.value)


def test_a_quote_closed_rows_later_is_read_with_a_warning_naming_its_line():
    data = b'name,country,capabilities\n"Unclosed Fusion Ltd,UK,lasers\nOther,Japan,magnets\n",UK,lasers\nLast Ltd,UK,x\n'
    table = read_table(data, "q.csv")
    assert table.warnings == ((2, "quote_span", 2),)


def test_a_quoted_cell_with_a_line_break_and_a_comma_is_ordinary_text():
    data = b'name,country,capabilities\n"Multi, Line\nLtd",UK,"lasers, optics"\n'
    table = read_table(data, "ok.csv")
    assert cells(table) == [["Multi, Line\nLtd", "UK", "lasers, optics"]] and table.warnings == ()


def test_a_comma_file_whose_cells_hold_semicolons_is_read_as_comma_separated():
    data = 'name,country,capabilities\nA Test Ltd,UK,"Magnets;Heating"\nB Test KK,Japan,"Blanket;Tritium\rsecond line"\n'
    table = read_table(data.encode("utf-8"), "list.csv")
    assert table.delimiter == ","
    assert table.header == ("name", "country", "capabilities")
    assert table.rows[0][1] == ("A Test Ltd", "UK", "Magnets;Heating")


@pytest.mark.parametrize(
    ("text", "extra"),
    [
        # a semicolon inside a cell, without quotes: one cell more than the header
        ("name;country;region;capabilities\nTokamak Energy Ltd;UK;Abingdon;HTS magnets; tokamak\n",
         ((2, ("tokamak",)),)),
        ("name,country\nA Ltd,UK,note,more\nB Ltd,UK\n", ((2, ("note", "more")),)),
        ("name,country\nA Ltd,UK,,\n", ()),  # empty trailing cells are no loss
        ('name;country;capabilities\nTokamak Energy Ltd;UK;"HTS magnets; tokamak"\n', ()),  # quoted: one cell
    ],
)
def test_cells_beyond_the_header_are_listed_not_dropped_silently(text, extra):
    table = read_table(text.encode(), "list.csv")
    assert table.extra == extra
    assert all(len(c) == len(table.header) for _, c in table.rows)
