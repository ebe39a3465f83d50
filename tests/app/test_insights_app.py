"""AppTest: the Insights page runs with several filters, in Japanese and in presenter mode
(one chart per screen, previous/next, the slide in the URL, exit)."""

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
PAGE = "pages/insights.py"


@pytest.fixture
def run_insights(fixture_db, app_runner):
    return app_runner(fixture_db, "pages/insights.py")


def text_of(at):
    return "\n".join(m.value for m in at.markdown)


def test_insights_page_shows_five_charts_with_findings_and_tables_on_request(run_insights):
    at = run_insights()
    assert at.title[0].value == "Japan–UK fusion landscape"
    text = text_of(at)
    assert "Organisations with no recorded place\\: 0 of 11" in text  # Markdown-escaped summary
    assert "The strongest candidate link is" in text
    assert len(at.toggle) == 6  # presenter mode + one table toggle per chart
    keys = [c.key for c in at.get("plotly_chart")]  # each chart also laid out for phones
    charts = ["capabilities", "types", "map", "network", "coverage"]
    assert keys == [k for c in charts for k in (f"fig_{c}", f"fig_phone_{c}")]
    at.toggle(key="tbl_capabilities").set_value(True).run()
    assert not at.exception
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 28


@pytest.mark.parametrize(
    "params",
    [
        {"country": ["JP"]},
        {"country": ["GB"], "cap": "materials"},
        {"cap": ["blanket_breeding", "magnets_superconductors"], "mode": "all"},
        {"type": "university", "country": "JP"},  # matches nobody: every chart explains itself
        {"q": "'; DROP TABLE organisations; --"},
        {"measure": "share", "conf": "high"},
    ],
)
def test_insights_page_runs_with_filter_combinations(run_insights, params):
    at = run_insights(**params)
    assert at.title
    assert at.markdown


def test_filters_from_the_url_seed_the_sidebar_and_empty_selections_are_explained(run_insights):
    at = run_insights(type="university", country="JP")
    assert at.button_group(key="w_country").value == ["JP"]
    assert "No organisation matches the current filters" in text_of(at)


def param(at, key):
    """The URL's single value of ``key`` (AppTest keeps a written value as a string or a list)."""
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def position(at) -> tuple[int, int]:
    """The presenter bar's "Chart n of N" (English) as (n, N)."""
    match = re.search(r"Chart (\d+) of (\d+)", text_of(at))
    assert match, text_of(at)
    return int(match[1]), int(match[2])


def test_japanese_presenter_mode_shows_one_chart_with_its_bar(run_insights):
    at = run_insights(lang="ja", present="1", measure="share")
    assert len(at.get("plotly_chart")) == 1  # one chart per screen
    assert re.search(r"グラフ1/\d+", text_of(at))
    labels = {b.key: b.label for b in at.button}
    assert labels["present_prev"] == "前へ" and labels["present_next"] == "次へ"
    assert (
        labels["present_exit"] == "プレゼンテーションを終了"
    )  # the exit is on screen, not tucked away
    assert at.button(key="present_prev").disabled and not at.button(key="present_next").disabled
    assert not at.get("download_button") and not at.toggle  # no tables or downloads on a slide
    assert param(at, "measure") == "share"


def test_presenter_steps_through_every_chart_and_the_url_follows(run_insights):
    at = run_insights(present="1")
    n, total = position(at)
    assert n == 1 and total == 7  # the heatmap in three parts, then types, map, network, coverage
    assert "slide" not in at.query_params  # the first slide is the default
    seen = []
    for expected in range(2, total + 1):
        at.button(key="present_next").click().run()
        assert position(at) == (expected, total)
        assert param(at, "slide") == str(expected)
        seen.append(at.session_state["w_slide"])
    assert at.button(key="present_next").disabled
    at.button(key="present_pagedown").click().run()  # the clicker's key on the last slide: stays
    assert position(at) == (total, total)
    at.button(key="present_prev").click().run()
    assert position(at) == (total - 1, total) and param(at, "slide") == str(total - 1)
    at.button(key="present_pageup").click().run()
    assert position(at) == (total - 2, total)
    assert seen == list(range(2, total + 1))


def test_a_shared_slide_link_opens_that_chart_and_bad_numbers_fall_back(run_insights):
    at = run_insights(present="1", slide="5")
    assert position(at)[0] == 5
    assert param(at, "slide") == "5"
    at = run_insights(
        present="1", slide="99"
    )  # past the end (fewer charts than when shared): the last
    n, total = position(at)
    assert n == total and param(at, "slide") == str(total)
    at = run_insights(present="1", slide="two")
    assert position(at)[0] == 1 and "slide" not in at.query_params


def test_exit_returns_to_the_page_and_the_toggle_returns_to_the_same_chart(run_insights):
    at = run_insights(present="1", slide="3")
    at.button(key="present_exit").click().run()
    assert not at.exception
    assert at.toggle(key="w_present").value is False
    assert "present" not in at.query_params and "slide" not in at.query_params
    figures = [c.key for c in at.get("plotly_chart") if not c.key.startswith("fig_phone_")]
    assert len(figures) == 5 and at.title[0].value == "Japan–UK fusion landscape"
    at.toggle(key="w_present").set_value(True).run()
    assert position(at)[0] == 3 and param(at, "present") == "1"


def test_bad_view_parameters_fall_back_to_defaults(run_insights):
    at = run_insights(measure="nonsense", present="maybe")
    assert at.segmented_control(key="w_measure").value == "count"
    assert at.toggle(key="w_present").value is False


def test_filters_carry_from_explore_to_insights_and_back(fixture_db, monkeypatch):
    monkeypatch.setenv("FPF_DB_PATH", str(fixture_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["country"] = "GB"
    at.run()
    at.switch_page(PAGE).run()
    assert at.button_group(key="w_country").value == ["GB"]
    assert at.session_state["filters"].countries == ("GB",)
    at.switch_page("pages/explore.py").run()
    assert at.button_group(key="w_country").value == ["GB"]
    assert not at.exception


def test_without_a_browser_the_page_says_so_and_keeps_the_html_download(run_insights, monkeypatch):
    from fusion_partners.insights.export import renderer_status

    monkeypatch.setenv("FPF_CHROMIUM", "/nonexistent/chromium")
    renderer_status.cache_clear()
    try:
        at = run_insights()
        assert any("no Chrome or Chromium" in i.value for i in at.info)
        labels = [(b.proto.label, b.proto.disabled) for b in at.get("download_button")]
        assert ("HTML", False) in labels
        assert ("PNG", True) in labels and ("PowerPoint (all charts)", True) in labels
    finally:
        monkeypatch.delenv("FPF_CHROMIUM")
        renderer_status.cache_clear()
