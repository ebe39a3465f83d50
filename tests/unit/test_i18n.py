"""Message catalogue: both languages complete, placeholders consistent, no literal UI text."""

import ast
import re
import string
from pathlib import Path

import pytest

from fusion_partners import i18n
from fusion_partners.i18n import catalogue, format_date, format_number, normalise_language, t
from fusion_partners.i18n.countries import country_name

PROJECT = Path(__file__).resolve().parents[2]


def _fields(text):
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_key_exists_in_both_languages_with_the_same_placeholders():
    en, ja = catalogue("en"), catalogue("ja")
    assert set(en) == set(ja)
    for key in en:
        assert _fields(en[key]) == _fields(ja[key]), key


def _code_files():
    yield PROJECT / "app.py"
    yield from (PROJECT / "pages").glob("*.py")
    yield from (PROJECT / "src" / "fusion_partners").rglob("*.py")


def test_every_literal_key_used_in_code_is_in_the_catalogue():
    en = catalogue("en")
    used = set()
    for path in _code_files():
        for match in re.finditer(
            r"\bt\(\s*\"([a-z_]+(?:\.[a-zA-Z_]+)+)\"", path.read_text(encoding="utf-8")
        ):
            used.add(match.group(1))
    missing = sorted(k for k in used if k not in en)
    assert not missing, missing


UI_CALLS = {
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "write",
    "text",
    "info",
    "warning",
    "error",
    "success",
    "button",
    "download_button",
    "page_link",
    "text_input",
    "selectbox",
    "multiselect",
    "radio",
    "toggle",
    "checkbox",
    "segmented_control",
    "pills",
    "expander",
    "tabs",
    "metric",
    "toast",
    "number_input",
    "slider",
    "file_uploader",
    "form_submit_button",
    "Page",
}


def _literal_ui_strings(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in UI_CALLS
        ):
            args = list(node.args) + [
                k.value
                for k in node.keywords
                if k.arg in ("label", "title", "body", "help", "placeholder")
            ]
            for arg in args:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and not arg.value.endswith(".py")
                    and re.search(r"[A-Za-z\u3040-\u30ff\u4e00-\u9fff]{2}", arg.value)
                ):
                    yield f"{path.name}:{node.lineno}: {arg.value!r}"


def test_pages_and_ui_contain_no_literal_ui_text():
    files = [
        PROJECT / "app.py",
        *(PROJECT / "pages").glob("*.py"),
        *(PROJECT / "src" / "fusion_partners" / "ui").glob("*.py"),
    ]
    found = [hit for path in files for hit in _literal_ui_strings(path)]
    assert not found, found


def test_missing_key_raises():
    with pytest.raises(i18n.MissingMessage):
        t("no.such.key")


@pytest.mark.parametrize(
    ("tag", "lang"),
    [("ja-JP", "ja"), ("ja", "ja"), ("en-GB", "en"), ("fr-FR", "en"), (None, "en"), ("", "en")],
)
def test_browser_language_maps_to_a_supported_language(tag, lang):
    assert normalise_language(tag) == lang


def test_country_names_in_japanese_come_from_pycountry_with_fallbacks():
    assert country_name("JP", "ja") == "日本"
    assert country_name("GB", "ja") == "英国"
    assert country_name("GB", "en") == "United Kingdom"
    assert country_name("XX", "ja") == "XX"


def test_numbers_and_dates_are_formatted_for_the_locale():
    assert format_number(12345, "en") == "12,345"
    assert format_date("2025-11", "ja") == "2025年11月"
    assert format_date("2025-11-03", "en") == "3 Nov 2025"
    assert format_date("not a date", "en") == "not a date"
    assert format_date("", "ja") == ""


def test_a_key_defined_in_two_files_is_refused(tmp_path, monkeypatch):
    for lang in ("en", "ja"):
        (tmp_path / lang).mkdir()
        for name in ("a.po", "b.po"):
            (tmp_path / lang / name).write_text('msgid "dup.key"\nmsgstr "x"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        with pytest.raises(ValueError, match="defined twice"):
            i18n.catalogue("en")
    finally:
        monkeypatch.undo()
        i18n.catalogue.cache_clear()


def test_numbers_the_locale_format_cannot_hold_are_written_plainly():
    """1e300 typed into a weight made Babel's decimal quantising overflow (a crash)."""
    from fusion_partners.i18n import format_number

    assert format_number(1e300, "en") == "1e+300"
    assert format_number(1e300, "ja") == "1e+300"
    assert format_number(1.5, "ja") == "1.5"
