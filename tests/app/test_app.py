"""AppTest: every page runs without exception; URLs seed the widgets; bad links are explained."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from conftest import markdown_text, plain

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_explore_shows_every_organisation_without_filters(run_app):
    at = run_app()
    assert "**11** of 11 organisations" in markdown_text(at)
    assert len(at.dataframe) == 1
    assert len(at.dataframe[0].value) == 11


def test_url_filters_seed_the_widgets_and_the_table(run_app):
    at = run_app(country=["JP"], cap="blanket_breeding", q="kyoto")
    assert at.button_group(key="w_country").value == ["JP"]
    assert at.text_input(key="w_q").value == "kyoto"
    assert at.checkbox(key="w_cap_blanket_breeding").value is True
    assert "**1** of 11 organisations" in markdown_text(at)
    assert list(at.dataframe[0].value["id"]) == ["kyoto-sample"]


@pytest.mark.parametrize("q", ["magnet\ntokamak", "magnet\ttokamak", "magnet\u200b\r\ntokamak"])
def test_a_link_search_with_a_line_break_shows_what_it_matches(run_app, q):
    at = run_app(q=q)
    assert at.text_input(key="w_q").value == "magnet tokamak"
    same = run_app(q="magnet tokamak")
    assert list(at.dataframe[0].value["id"]) == list(same.dataframe[0].value["id"])


def test_stale_link_values_open_the_valid_part_with_a_notice(run_app):
    at = run_app(country=["JP", "XX"], cap="warp_drive")
    assert any("XX" in plain(w.value) and "warp_drive" in plain(w.value) for w in at.warning)
    assert at.button_group(key="w_country").value == ["JP"]


def test_typing_a_search_filters_and_reset_clears_everything(run_app):
    at = run_app()
    at.text_input(key="w_q").input("ﾍﾘｶﾙｻﾝﾌﾟﾙ").run()
    assert list(at.dataframe[0].value["id"]) == ["helical-sample"]
    at.button(key="reset_filters").click().run()
    assert at.text_input(key="w_q").value == ""
    assert len(at.dataframe[0].value) == 11


def test_hostile_search_is_just_text(run_app):
    at = run_app(q="'; DROP TABLE organisations; --")
    assert not at.exception
    assert "**0** of 11 organisations" in markdown_text(at)
    at2 = run_app()
    assert len(at2.dataframe[0].value) == 11


def test_empty_result_explains_what_to_relax(run_app):
    at = run_app(country="JP", type="university")
    assert at.info, "expected an explanatory message"
    assert "Without" in markdown_text(at)


def test_facet_labels_show_counts_given_other_filters(run_app):
    at = run_app(country="JP")
    options = [o.content for o in at.button_group(key="w_membership").proto.options]
    assert "J-Fusion (5)" in options


def test_japanese_interface(run_app):
    at = run_app(lang="ja")
    assert at.title[0].value == "日英のフュージョン関連組織を探す"
    assert "全11組織中" in markdown_text(at)


def test_profile_by_url_shows_every_field_sources_and_peers(run_app):
    at = run_app("pages/profile.py", org="helical-sample")
    assert plain(at.title[0].value) == "Helical Sample KK"
    text = markdown_text(at)
    assert "https://news.example/helical-2" in text
    assert "founder" in text
    assert len(at.dataframe) == 1  # cross-country peers


def test_profile_with_unknown_id_explains_and_offers_a_picker(run_app):
    at = run_app("pages/profile.py", org="no-such-org")
    assert any("no-such-org" in plain(w.value) for w in at.warning)
    assert len(at.selectbox) == 1


BIDI_AND_INVISIBLE = (
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u200b\u200d\ufeff\u00ad"
)


def _no_controls(text: str) -> bool:
    return not any(c in text for c in BIDI_AND_INVISIBLE) and "\n" not in text


@pytest.mark.parametrize(
    ("org", "shown"),
    [
        ("\u202eevil.com", "“evil.com”"),  # a right-to-left override would reverse the notice
        ("x" * 3000, "“" + "x" * 59 + "…”"),  # a long value is shortened, not printed in full
        ("[click](https://evil.example)", "“[click](https://evil.example)”"),  # shown, never a link
    ],
)
def test_profile_notice_echoes_the_unknown_id_safely(run_app, org, shown):
    at = run_app("pages/profile.py", org=org)
    (warning,) = at.warning
    assert shown in plain(warning.value) and _no_controls(warning.value)
    assert "](" not in warning.value.replace("\\]\\(", "")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_explore_hints_echo_the_search_safely(run_app, lang):
    at = run_app(
        q="zzzz\u202e" + "y" * 300, country="JP", lang=lang
    )  # nothing matches: the hints quote the search
    shown = [plain(m.value) for m in at.markdown] + [plain(w.value) for w in at.warning]
    hints = [s for s in shown if "zzzz" in s]
    assert hints and all(_no_controls(s) and "y" * 60 not in s for s in hints), hints


def test_a_link_notice_echoes_rejected_values_safely(run_app):
    at = run_app(country=["JP", "\u202eXX" + "z" * 500])
    (warning,) = at.warning
    assert (
        "XX" in plain(warning.value)
        and _no_controls(warning.value)
        and "z" * 40 not in warning.value
    )


def test_profile_without_id_offers_a_picker(run_app):
    at = run_app("pages/profile.py")
    assert len(at.selectbox) == 1


def test_missing_database_is_explained_not_raised(monkeypatch, tmp_path):
    monkeypatch.setenv("FPF_DB_PATH", str(tmp_path / "absent.duckdb"))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "make build" in at.error[0].value


@pytest.mark.parametrize(
    ("page", "params"),
    [
        (None, {}),
        (None, {"country": "JP", "q": "京都"}),
        ("pages/profile.py", {"org": "kyoto-sample"}),
        ("pages/profile.py", {"org": "missing"}),
        ("pages/profile.py", {}),
    ],
)
def test_every_page_runs_in_japanese(run_app, page, params):
    at = run_app(page, lang="ja", **params)
    assert not at.exception
    assert at.session_state["lang"] == "ja"
    assert all(not any("a" <= ch <= "z" for ch in t.value[:1]) for t in at.title)


def test_profile_puts_the_japanese_name_first_in_japanese(run_app):
    at = run_app("pages/profile.py", org="kyoto-sample", lang="ja")
    assert plain(at.title[0].value) == "京都サンプルフュージョニアリング株式会社"
    assert plain(at.subheader[0].value) == "Kyoto Sample Fusioneering Ltd."


def test_profile_picker_lists_both_names_so_either_can_be_typed(run_app):
    at = run_app("pages/profile.py")
    options = at.selectbox[0].options
    assert any(
        "Kyoto Sample Fusioneering Ltd." in o and "京都サンプルフュージョニアリング株式会社" in o
        for o in options
    )


@pytest.mark.parametrize(
    "typed", ["ＫＹＯＴＯ", "さんぷるフュージョニアリング", "kyouto sanpuru", "Kyoto Sample KK"]
)
def test_profile_finder_uses_the_apps_search_however_the_name_is_typed(run_app, typed):
    at = run_app("pages/profile.py")
    at.text_input(key="profile_find").input(typed).run()
    links = [p for p in at.get("page_link") if "org=kyoto-sample" in (p.proto.query_string or "")]
    assert links, [p.proto.label for p in at.get("page_link")]


def test_an_upper_case_profile_link_still_opens_the_profile(run_app):
    at = run_app("pages/profile.py", org="KYOTO-SAMPLE")
    assert plain(at.title[0].value) == "Kyoto Sample Fusioneering Ltd."


def test_a_third_country_profile_lists_peers_in_japan_and_the_uk(run_app):
    at = run_app("pages/profile.py", org="sample-us-lab")
    assert "Organisations in Japan or the United Kingdom with shared capabilities" in markdown_text(
        at
    )


def test_a_link_with_an_unknown_language_opens_in_english_with_a_notice(run_app):
    at = run_app(lang="fr")
    assert at.session_state["lang"] == "en"
    assert any("not available" in toast.value for toast in at.toast)


@pytest.mark.parametrize(
    "q",
    [
        "[Click here](https://evil.example/login)",
        "![x](https://evil.example/p.png)",
        ":red[boo] $x^2$ **b**",
        "https://evil.example/login",
    ],
)
def test_markdown_in_a_shared_link_is_shown_as_text_not_drawn(run_app, q):
    at = run_app(q=q, country="XX[y](https://evil.example)")
    shown = [m.value for m in [*at.markdown, *at.warning, *at.info]]
    for text in shown:
        assert "](https" not in text and "](http" not in text  # no live Markdown link anywhere
        assert "https://evil" not in text  # ":" escaped, so no autolink either
    assert any("evil" in plain(t) for t in shown)  # but the text itself is still shown


def test_a_profile_link_naming_several_organisations_says_which_is_shown(run_app):
    at = run_app("pages/profile.py", org=["tokamak-test", "helical-sample"])
    assert plain(at.title[0].value) == "Helical Sample KK"
    assert any(
        "names more than one organisation" in plain(i.value) and "helical-sample" in plain(i.value)
        for i in at.info
    )


def test_a_link_giving_the_search_twice_says_which_one_is_used(run_app):
    at = run_app(q=["sample", "kyoto"])
    assert at.text_input(key="w_q").value == "kyoto"
    notices = " ".join(plain(w.value) for w in at.warning)
    assert "gives the search more than once" in notices and "kyoto" in notices
    ja = run_app(q=["sample", "kyoto"], lang="ja")
    assert any("検索語が複数" in w.value for w in ja.warning)
