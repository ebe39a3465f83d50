"""Reading uploads: every kind of file people send, and a clear message for each bad one."""

import io
import os
from pathlib import Path

import pytest
from openpyxl import Workbook

from fusion_partners.i18n import t
from fusion_partners.importing.encodings import encoding_label, reads_as_japanese
from fusion_partners.importing.header import is_unstored_column
from fusion_partners.importing.sheets import choose_delimiter
from fusion_partners.importing.table import UploadError
from fusion_partners.importing.upload import MAX_UPLOAD_BYTES, read_table

FILES = Path(__file__).resolve().parents[1] / "import_files"
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
        assert (
            words in message and "zip" not in message.lower()
        )  # the library's words are not the message
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


def test_dense_control_bytes_mark_text_as_binary_but_a_dos_end_of_file_mark_does_not():
    text = (HEADER + "\n" + ROW + "\n").encode()
    assert read_table(text + b"\x1a", "dos.csv").rows
    with pytest.raises(UploadError, match="binary"):
        read_table(
            text.replace(b"Magnets", b"\x07\x02\x03\x04\x05\x06\x01\x10\x11\x12"), "bell.csv"
        )
    with pytest.raises(
        UploadError, match="binary"
    ):  # UTF-16 without a byte-order mark: half its bytes NUL
        read_table((HEADER + "\n" + ROW + "\n").encode("utf-16-le"), "utf16.csv")


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
        (
            "name;country;region;capabilities\nTokamak Energy Ltd;UK;Abingdon;HTS magnets; tokamak\n",
            ((2, ("tokamak",)),),
        ),
        ("name,country\nA Ltd,UK,note,more\nB Ltd,UK\n", ((2, ("note", "more")),)),
        ("name,country\nA Ltd,UK,,\n", ()),  # empty trailing cells are no loss
        (
            'name;country;capabilities\nTokamak Energy Ltd;UK;"HTS magnets; tokamak"\n',
            (),
        ),  # quoted: one cell
    ],
)
def test_cells_beyond_the_header_are_listed_not_dropped_silently(text, extra):
    table = read_table(text.encode(), "list.csv")
    assert table.extra == extra
    assert all(len(c) == len(table.header) for _, c in table.rows)


# --- control characters inside cells: the file is kept, the characters taken out and listed ---


@pytest.mark.parametrize(
    ("raw", "kept", "chars"),
    [
        (b"Tokamak\x0bTest Ltd", "Tokamak Test Ltd", "U+000B"),  # vertical tab: a space
        (b"Tokamak\x0cTest Ltd", "Tokamak Test Ltd", "U+000C"),  # form feed: a space
        (b"Tokamak Test\x00 Ltd", "Tokamak Test Ltd", "U+0000"),  # NUL: removed
        (b"Tok\x07amak\x1b Test Ltd", "Tokamak Test Ltd", "U+0007 U+001B"),  # bell, escape: removed
        (b"Tokamak Test Ltd\x7f", "Tokamak Test Ltd", "U+007F"),  # DEL
        ("Tokamak\u0085Test Ltd".encode(), "Tokamak Test Ltd", "U+0085"),  # C1 next line: a space
        ("Tokamak Test\u009b Ltd".encode(), "Tokamak Test Ltd", "U+009B"),  # C1 control: removed
    ],
)
def test_control_characters_in_a_cell_are_taken_out_and_listed_with_row_and_column(
    raw, kept, chars
):
    data = HEADER.encode() + b"\n" + ROW.replace("Tokamak Test Ltd", "").encode() + b"\n"
    data = data.replace(b"\n,", b"\n" + raw + b",", 1)
    table = read_table(data, "controls.csv")
    assert cells(table)[0][0] == kept
    assert table.cleaned == ((2, 0, chars),)


def test_a_control_character_in_any_column_of_a_long_file_keeps_every_row():
    rows = [f"Org {i} Ltd,,UK,England,Magnets" for i in range(300)]
    rows[150] = "Org 150 Ltd,,UK,Eng\x0bland,Mag\x00nets"
    table = read_table(("\n".join([HEADER, *rows]) + "\n").encode(), "long.csv")
    assert len(table.rows) == 300
    assert table.cleaned == ((152, 3, "U+000B"), (152, 4, "U+0000"))
    assert cells(table)[150][3:] == ["Eng land", "Magnets"]


def test_tabs_and_line_breaks_inside_quoted_cells_are_text_not_controls():
    data = b'name,country,capabilities\n"Multi\tLine\r\nLtd",UK,lasers\n'
    table = read_table(data, "ok.csv")
    assert table.cleaned == () and cells(table)[0][0] == "Multi\tLine\r\nLtd"


def test_control_characters_in_an_xlsx_cell_are_taken_out_and_listed():
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)  # writes the control escaped as _x000B_, as Excel does
    ws = wb.add_worksheet()
    for r, row in enumerate([["Organisation", "Country"], ["Stellar\x0bTest Ltd", "UK"]]):
        ws.write_row(r, 0, row)
    wb.close()
    table = read_table(buf.getvalue(), "members.xlsx")
    assert cells(table)[0][0] == "Stellar Test Ltd" and table.cleaned == ((2, 0, "U+000B"),)


# --- Windows-1252 and Latin-1, decided on the whole file ---


def test_a_windows_1252_file_from_uk_excel_is_read_and_says_so():
    data = "name,country\nCafé Ltd,UK\n€uro Fusion Ltd,UK\nDécor Fusion Ltd,UK\n".encode("cp1252")
    table = read_table(data, "uk.csv")
    assert table.encoding == "cp1252" and encoding_label(table.encoding) == "Windows-1252"
    assert [c[0] for c in cells(table)] == ["Café Ltd", "€uro Fusion Ltd", "Décor Fusion Ltd"]


def test_a_latin_1_file_is_read_when_windows_1252_cannot_decode_it():
    # 0x81 has no character in Windows-1252; in Latin-1 it is a C1 control, taken out and listed
    data = b"name,country\nCaf\xe9 Ltd,UK\nNa\xefve\x81 Ltd,France\n"
    table = read_table(data, "latin1.csv")
    assert table.encoding == "latin_1" and encoding_label("latin_1") == "Latin-1 (ISO-8859-1)"
    assert [c[0] for c in cells(table)] == ["Café Ltd", "Naïve Ltd"]
    assert table.cleaned == ((3, 0, "U+0081"),)


def test_western_text_that_also_decodes_as_cp932_is_not_read_as_japanese():
    # "Décor" is D + 0xE9 0x63 + "or": valid CP932 (a kanji), but a kanji between Latin letters is no Japanese
    data = "name,country\nDécor Fusion Ltd,UK\nÉCOLE Fusion,France\n".encode("cp1252")
    data.decode("cp932")  # the trap is real
    assert read_table(data, "trap.csv").encoding == "cp1252"


def test_the_encoding_is_decided_on_the_whole_file_not_its_beginning():
    rows = [f"Org {i} Ltd,UK" for i in range(5000)] + [
        "Café Ltd,UK"
    ]  # the only non-ASCII byte is at the end
    data = ("name,country\n" + "\n".join(rows) + "\n").encode("cp1252")
    table = read_table(data, "long.csv")
    assert table.encoding == "cp1252" and cells(table)[-1][0] == "Café Ltd"


def test_a_cp932_file_is_still_read_as_cp932_and_japanese_checks_hold():
    assert reads_as_japanese("㈱サンプル核融合,日本") and not reads_as_japanese("D\u9b03or Fusion")
    table = read_table("会社名,国\n株式会社テスト,日本\n".encode("cp932"), "jp.csv")
    assert table.encoding == "cp932" and encoding_label("cp932") == "Shift_JIS (CP932)"


# --- name-only member lists ---


@pytest.mark.parametrize(
    ("text", "header", "names"),
    [
        (
            "Kyoto Fusioneering Co., Ltd.\nTokamak Test Ltd\n",
            "",
            ["Kyoto Fusioneering Co., Ltd.", "Tokamak Test Ltd"],
        ),
        (
            'Member\nFirst Light Test\n"Kyoto Fusioneering, Ltd."\n',
            "Member",
            ["First Light Test", "Kyoto Fusioneering, Ltd."],
        ),
        (
            "会員名\n東芝テスト株式会社\n株式会社日立テスト\n",
            "会員名",
            ["東芝テスト株式会社", "株式会社日立テスト"],
        ),
        (
            "The Fusion Cluster members\nOrganisation\nStellar Test\nTotal\n",
            "Organisation",
            ["Stellar Test"],
        ),
    ],
)
def test_a_single_column_of_names_is_read_as_a_name_only_list(text, header, names):
    table = read_table(text.encode(), "names.csv")
    assert table.name_only and table.header == (header,)
    assert [c[0] for c in cells(table)] == names
    assert table.header_line == (0 if not header else text.split("\n").index(header) + 1)


def test_a_name_only_list_in_cp932_and_in_xlsx_is_read():
    table = read_table(
        "会員名\n㈱サンプル核融合\n髙原フュージョン株式会社\n".encode("cp932"), "jp.csv"
    )
    assert table.name_only and table.encoding == "cp932" and len(table.rows) == 2
    wb = Workbook()
    for name in ("Stellar Test Ltd", "Tokamak Test Ltd"):
        wb.active.append([name])
    buf = io.BytesIO()
    wb.save(buf)
    table = read_table(buf.getvalue(), "names.xlsx")
    assert (
        table.name_only
        and table.header_line == 0
        and [c[0] for c in cells(table)] == ["Stellar Test Ltd", "Tokamak Test Ltd"]
    )


@pytest.mark.parametrize(
    "text",
    [
        "foo,bar,baz\n1,2,3\n",
        "Tokamak Test Ltd, UK\nStellar Test, Japan\n",
        "12345\n67890\n",
        "Only One Name Ltd\n",
    ],
)
def test_tables_and_numbers_are_not_taken_for_a_name_list(text):
    with pytest.raises(UploadError) as err:
        read_table(text.encode(), "x.csv")
    assert err.value.kind == "no_header"


def test_columns_the_roster_does_not_store_count_towards_the_header():
    table = read_table(b"Organisation,Employees,Year founded\nA Test Ltd,5,1999\n", "x.csv")
    assert table.header == ("Organisation", "Employees", "Year founded") and cells(table) == [
        ["A Test Ltd", "5", "1999"]
    ]
    assert (
        is_unstored_column("Year founded")
        and is_unstored_column("従業員数")
        and not is_unstored_column("Country")
    )
