"""AppTest: the Import page in preview-only and editor modes, and its messages for bad files."""

import csv
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from fusion_partners.data.build import build
from fusion_partners.importing.curate import load_organisations
from fusion_partners.importing.upload import MAX_UPLOAD_BYTES

APP = str(Path(__file__).resolve().parents[2] / "app.py")
FILES = Path(__file__).resolve().parents[1] / "import_files"
TOKEN = "test-editor-token"
SOURCE = "https://council.example/members"


@pytest.fixture
def page(data_copy, monkeypatch):
    build(data_copy, data_copy / "fusion_partners.duckdb")
    monkeypatch.setenv("FPF_DATA_DIR", str(data_copy))
    monkeypatch.setenv("FPF_DB_PATH", str(data_copy / "fusion_partners.duckdb"))
    monkeypatch.delenv("FPF_EDITOR_TOKEN", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()

    def open_page(token: str | None = None, lang: str | None = None) -> AppTest:
        if token:
            monkeypatch.setenv("FPF_EDITOR_TOKEN", token)
        at = AppTest.from_file(APP, default_timeout=60)
        if lang:
            at.query_params["lang"] = lang
        at.run()
        at.switch_page("pages/import.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    yield open_page
    st.cache_data.clear()
    st.cache_resource.clear()


def upload(at: AppTest, name: str, data: bytes | None = None) -> AppTest:
    at.file_uploader(key="imp_file").set_value(
        (name, data if data is not None else (FILES / name).read_bytes(), "text/csv")
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def to_preview(at: AppTest, name: str = "user_sheet.csv") -> AppTest:
    upload(at, name)
    at.button(key="imp_confirm").click().run()
    at.text_input(key="imp_source").input(SOURCE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_without_a_configured_token_the_page_previews_only_and_says_so(page, data_copy):
    at = page()
    assert "no editor token is configured" in at.info[0].value
    to_preview(at)
    assert metrics(at)["New"] == "1" and metrics(at)["Update"] == "2"
    assert at.button(key="imp_apply").disabled
    assert not (data_copy / "imports.csv").exists()


def test_a_wrong_token_keeps_the_page_in_preview_only_mode(page):
    at = page(token=TOKEN)
    at.text_input(key="imp_token").input("guess").run()
    assert "not valid" in at.warning[0].value
    to_preview(at)
    assert at.button(key="imp_apply").disabled


def test_the_preview_waits_for_the_user_to_confirm_the_mapping(page):
    at = upload(page(), "user_sheet.csv")
    assert any("Confirm the column mapping" in i.value for i in at.info)
    assert not at.metric
    at.selectbox(
        key=next(
            s.key for s in at.selectbox if s.key.startswith("imp_map_") and s.key.endswith("_1")
        )
    ).set_value("").run()
    at.button(key="imp_confirm").click().run()
    assert at.metric  # confirmed with the changed mapping


def test_an_editor_imports_sees_the_result_and_undoes_it(page, data_copy):
    before = (data_copy / "organisations.csv").read_bytes()
    at = page(token=TOKEN)
    at.text_input(key="imp_token").input(TOKEN).run()
    assert "Editor mode" in at.success[0].value
    to_preview(at)
    at.button(key="imp_apply").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("1 added, 2 updated" in s.value for s in at.success)
    assert len(load_organisations(data_copy / "organisations.csv")) == 12
    assert metrics(at)["Unchanged"] == "3"  # the same file now changes nothing
    log = at.dataframe[-1].value
    assert list(log["file_name"]) == ["user_sheet.csv"] and list(log["status"]) == ["applied"]
    at.button(key="imp_undo").click().run()
    assert any("was undone" in s.value for s in at.success)
    assert (data_copy / "organisations.csv").read_bytes() == before


def test_possible_duplicates_are_decided_on_the_page(page, data_copy):
    at = page(token=TOKEN)
    at.text_input(key="imp_token").input(TOKEN).run()
    sheet = b"name,country,capabilities\nKyoto Sample Fusionering,Japan,Blanket\n"
    upload(at, "dupes.csv", sheet)
    at.button(key="imp_confirm").click().run()
    at.text_input(key="imp_source").input(SOURCE).run()
    assert metrics(at)["Possible duplicate"] == "1"
    decide = next(s for s in at.selectbox if s.key.startswith("imp_dec_"))
    decide.set_value("merge:kyoto-sample").run()
    assert metrics(at)["Update"] == "1" and metrics(at)["Possible duplicate"] == "0"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("garbage.csv", bytes(range(256)) * 8, "not a spreadsheet"),
        ("empty.csv", b"", "The file is empty"),
        ("noheader.csv", b"a,b,c\n1,2,3\n", "No header row was recognised"),
        ("big.csv", b"name,country\n" + b"x" * MAX_UPLOAD_BYTES, "files up to 5 MB are accepted"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_no_exception(page, name, data, message):
    at = upload(page(), name, data)
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert not at.metric


def _xlsx(rows) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_an_excel_workbook_is_described_as_one_without_encoding_or_separator(page, lang):
    at = upload(
        page(lang=lang),
        "members.xlsx",
        _xlsx([["Organisation", "Country"], ["Stellar Test Ltd", "UK"]]),
    )
    info = next(m.value for m in at.markdown if "members" in m.value)
    assert ("Excel workbook (XLSX)" if lang == "en" else "Excelブック（XLSX）") in info
    for word in ("encoding", "separator", "文字コード", "区切り", "— (XLSX)", "—（XLSX）"):
        assert word not in info


@pytest.mark.parametrize(
    ("lang", "message"), [("en", "not a valid Excel workbook"), ("ja", "有効なExcelブック")]
)
def test_a_broken_workbook_gets_a_plain_message_and_the_library_error_only_as_detail(
    page, lang, message
):
    at = upload(page(lang=lang), "broken.xlsx", b"PK\x03\x04 not really a zip")
    (error,) = at.error
    assert message in error.value and "zip" not in error.value.lower()
    assert any("zip" in c.value.lower() for c in at.caption)  # the technical detail, secondary
    assert not at.metric


@pytest.mark.parametrize(
    ("lang", "would", "editor"),
    [
        (
            "en",
            "Importing this file would write 3 changes to the roster. Writing needs an editor token",
            "are imported",
        ),
        (
            "ja",
            "このファイルを取り込むと、名簿に3件の変更を書き込みます。書き込みには編集者トークンが必要です",
            "取り込みます。",
        ),
    ],
)
def test_preview_only_mode_says_what_an_import_would_do_and_that_an_editor_is_needed(
    page, lang, would, editor
):
    at = page(lang=lang)
    upload(
        at,
        "user_sheet.csv",
        (FILES / "user_sheet.csv").read_bytes() + b"Bad Row Ltd,,Atlantis,,Blanket\n",
    )
    at.button(key="imp_confirm").click().run()
    at.text_input(key="imp_source").input(SOURCE).run()
    shown = texts(at)
    assert any(would in s for s in shown), shown
    assert any(
        (
            "1 row with errors would be left out"
            if lang == "en"
            else "エラーのある1行は取り込まれません"
        )
        in s
        for s in shown
    ), shown
    assert not any(editor in s and ("other rows" in s or "それ以外" in s) for s in shown)
    assert at.button(key="imp_apply").disabled


def test_the_import_page_speaks_japanese(page):
    at = to_preview(page(lang="ja"), "members_cp932.csv")
    assert at.title[0].value == "会員名簿の取り込み"
    assert "新規" in metrics(at)


def texts(at: AppTest) -> list[str]:
    """Every string the page renders as Markdown: bodies, captions, messages, labels, titles."""
    out = [
        e.value
        for kind in (
            "markdown",
            "caption",
            "info",
            "warning",
            "error",
            "success",
            "subheader",
            "title",
        )
        for e in getattr(at, kind)
    ]
    out += [
        w.label
        for kind in ("selectbox", "button", "text_input", "checkbox", "number_input", "metric")
        for w in getattr(at, kind)
    ]
    out += [e.label for e in at.expander]
    return out


def test_a_file_where_every_row_has_an_error_says_so_instead_of_nothing_to_change(page):
    at = upload(page(), "user_sheet.csv")
    at.button(key="imp_confirm").click().run()  # no source URL: every row is an error
    shown = texts(at)
    assert any("No row can be imported yet: 3 with errors" in s for s in shown), shown
    assert not any("Nothing to change" in s for s in shown)


def test_after_an_import_the_page_says_the_file_is_now_in_the_roster(page):
    at = page(token=TOKEN)
    at.text_input(key="imp_token").input(TOKEN).run()
    to_preview(at)
    at.button(key="imp_apply").click().run()
    shown = texts(at)
    assert any("1 added, 2 updated" in s for s in shown)
    assert any("now in the roster" in s for s in shown) and not any(
        "Nothing to change" in s for s in shown
    )


def test_a_large_file_sends_one_page_of_rows_and_counts_them_all(page):
    from fusion_partners.ui.import_preview import PAGE_ROWS

    body = "name,country,capabilities\n" + "".join(
        f"Bulk Widget {i:05d} Ltd,UK,Magnets\n" for i in range(1200)
    )
    at = upload(page(), "bulk.csv", body.encode())
    at.button(key="imp_confirm").click().run()
    at.text_input(key="imp_source").input(SOURCE).run()
    assert metrics(at)["New"] == "1,200"
    assert len(at.dataframe[0].value) == PAGE_ROWS
    assert any("Rows 1–200 of 1,200" in c.value for c in at.caption)
    at.number_input(key="imp_page_all").set_value(6).run()
    assert list(at.dataframe[0].value["line"])[:1] == [1002]


def test_undo_records_the_editor_name_and_the_button_names_the_file_and_time(page, data_copy):
    at = page(token=TOKEN)
    at.text_input(key="imp_token").input(f"  {TOKEN} ").run()  # pasted with spaces
    at.text_input(key="imp_user").input("Aiko Tanaka").run()
    to_preview(at)
    at.button(key="imp_apply").click().run()
    undo = at.button(key="imp_undo")
    label = re.sub(r"\\(.)", r"\1", undo.label)  # as the reader sees it
    assert re.fullmatch(
        r"Undo the last import \(user_sheet\.csv, \d{4}-\d\d-\d\d \d\d:\d\d UTC\)", label
    ), label
    undo.click().run()
    with (data_copy / "imports.csv").open(encoding="utf-8") as fh:
        (log,) = list(csv.DictReader(fh))
    assert log["imported_by"] == "Aiko Tanaka" and log["undone_by"] == "Aiko Tanaka"


def test_repeated_wrong_tokens_lock_the_page_with_a_clear_message(page):
    from fusion_partners.workspace.access import MAX_TRIES

    at = page(token=TOKEN)
    for i in range(MAX_TRIES):
        at.text_input(key="imp_token").input(f"guess-{i}").run()
    assert any("Too many wrong tokens" in e.value for e in at.error)
    at.text_input(key="imp_token").input(TOKEN).run()
    assert not at.success and any("Too many wrong tokens" in e.value for e in at.error)


def test_the_japanese_page_shows_findings_in_japanese_with_column_labels(page):
    at = upload(
        page(lang="ja"),
        "s.csv",
        b"name,country,capabilities,sources\nA Test Ltd,UK,Magnets,not-a-url\n",
    )
    at.button(key="imp_confirm").click().run()
    messages = "\n".join(at.dataframe[0].value["messages"])
    assert "[sources]" in messages and "形式が正しくありません" in messages
    assert "malformed" not in messages and "source_urls" not in messages
    assert any(
        "データ：1行" in m.value for m in at.markdown
    )  # .one repeats the general Japanese text


def test_the_english_page_counts_one_row_in_the_singular(page):
    at = upload(page(), "one.csv", b"name,country,capabilities\nA Test Ltd,UK,Magnets\n")
    assert any("1 data row." in m.value for m in at.markdown)
    at.button(key="imp_confirm").click().run()
    at.text_input(key="imp_source").input(SOURCE).run()
    assert at.button(key="imp_apply").label == "Import 1 change"


HOSTILE = (
    b'name,country,capabilities,"**Loud** [h](https://evil.example/h)"\n'
    b'"**Bold Fusion** [x](https://evil.example)",UK,":material/warning: tritium",":red[alarm] ![i](https://evil.example/i.png)"\n'
)


def test_text_from_the_file_is_shown_literally_never_as_links_or_icons(page):
    at = upload(page(), "[evil](https://evil.example).csv", HOSTILE)
    at.button(key="imp_confirm").click().run()
    at.text_input(key="imp_source").input(SOURCE).run()
    assert not at.exception
    shown = "\n".join(texts(at))
    assert "Bold Fusion" in shown and "tritium" in shown  # the file's text is there ...
    for raw in (
        "[x](https://",
        "[h](https://",
        "[evil](https://",
        ":material/warning:",
        ":red[",
        "![i](",
    ):
        assert raw not in shown, raw  # ... but never as Markdown


def test_a_name_only_member_list_in_windows_1252_is_previewed_and_waiting_rows_take_a_country(page):
    at = page()
    names = "Member\nHarbour's Edge Plasma Test Ltd\nCafé Fusion Test Ltd\n".encode("cp1252")
    upload(at, "cluster.csv", names)
    assert any("Windows-1252" in m.value.replace("\\", "") for m in at.markdown)  # Markdown-escaped
    at.button(key="imp_confirm").click().run()
    at.text_input(key="imp_source").input(SOURCE).run()
    assert not at.exception
    assert any("A list of names only" in i.value for i in at.info)
    assert [m.value for m in at.metric if m.label == "Waits for a country"] == ["1"]
    choose = next(s for s in at.selectbox if s.key.startswith("imp_ctry_"))
    choose.set_value("GB").run()
    assert not at.exception
    # the row has a country now: a would-be new record without a capability (an error, said so)
    assert [m.value for m in at.metric if m.label == "Waits for a country"] == ["0"]
    assert [m.value for m in at.metric if m.label == "Error"] == ["1"]
    at.selectbox(key="imp_country").set_value("JP").run()  # the whole file's choice is offered too
    assert not at.exception


def test_control_characters_and_ignored_columns_are_shown_not_refused(page):
    at = page()
    sheet = b"Organisation,Country,Capabilities,Employees\nVertical\x0bTab Test Ltd,UK,Magnets,12\n"
    upload(at, "vt.csv", sheet)
    assert any("control characters (U+000B)" in w.value.replace("\\", "") for w in at.warning)
    at.button(key="imp_confirm").click().run()
    at.text_input(key="imp_source").input(SOURCE).run()
    assert any("Columns not stored" in i.value and "Employees" in i.value for i in at.info)
    assert [m.value for m in at.metric if m.label == "New"] == ["1"]
