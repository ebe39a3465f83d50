"""AppTest: the Import page in preview-only and editor modes, and its messages for bad files."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from fusion_partners.build import build
from fusion_partners.curate import load_organisations
from fusion_partners.upload import MAX_UPLOAD_BYTES

APP = str(Path(__file__).resolve().parents[1] / "app.py")
FILES = Path(__file__).parent / "import_files"
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
    at.file_uploader(key="imp_file").set_value((name, data if data is not None else (FILES / name).read_bytes(), "text/csv"))
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
    at.selectbox(key=next(s.key for s in at.selectbox if s.key.startswith("imp_map_") and s.key.endswith("_1"))).set_value("").run()
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


@pytest.mark.parametrize(("name", "data", "message"), [
    ("garbage.csv", bytes(range(256)) * 8, "not a spreadsheet"),
    ("empty.csv", b"", "The file is empty"),
    ("noheader.csv", b"a,b,c\n1,2,3\n", "No header row was recognised"),
    ("big.csv", b"name,country\n" + b"x" * MAX_UPLOAD_BYTES, "files up to 5 MB are accepted"),
])
def test_a_bad_file_gets_a_clear_message_and_no_exception(page, name, data, message):
    at = upload(page(), name, data)
    assert any(message in e.value for e in at.error), [e.value for e in at.error]
    assert not at.metric


def test_the_import_page_speaks_japanese(page):
    at = to_preview(page(lang="ja"), "members_cp932.csv")
    assert at.title[0].value == "会員名簿の取り込み"
    assert "新規" in metrics(at)
