"""AppTest: the Insights page runs with several filters, in Japanese and in presenter mode."""

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGE = "pages/insights.py"


@pytest.fixture
def run_insights(fixture_db, app_runner):
    return app_runner(fixture_db, 'pages/insights.py')


def text_of(at):
    return "\n".join(m.value for m in at.markdown)


def test_insights_page_shows_five_charts_with_findings_and_tables_on_request(run_insights):
    at = run_insights()
    assert at.title[0].value == "Japan–UK fusion landscape"
    text = text_of(at)
    assert "Organisations with no recorded place\\: 0 of 11" in text  # Markdown-escaped summary
    assert "The strongest candidate link is" in text
    assert len(at.toggle) == 6  # presenter mode + one table toggle per chart
    at.toggle(key="tbl_capabilities").set_value(True).run()
    assert not at.exception
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 28


@pytest.mark.parametrize("params", [
    {"country": ["JP"]},
    {"country": ["GB"], "cap": "materials"},
    {"cap": ["blanket_breeding", "magnets_superconductors"], "mode": "all"},
    {"type": "university", "country": "JP"},  # matches nobody: every chart explains itself
    {"q": "'; DROP TABLE organisations; --"},
    {"measure": "share", "conf": "high"},
])
def test_insights_page_runs_with_filter_combinations(run_insights, params):
    at = run_insights(**params)
    assert at.title
    assert at.markdown


def test_filters_from_the_url_seed_the_sidebar_and_empty_selections_are_explained(run_insights):
    at = run_insights(type="university", country="JP")
    assert at.button_group(key="w_country").value == ["JP"]
    assert "No organisation matches the current filters" in text_of(at)


def test_japanese_presenter_mode(run_insights):
    at = run_insights(lang="ja", present="1", measure="share")
    assert at.title[0].value == "日英フュージョン産業の全体像"
    assert at.toggle(key="w_present").value is True
    assert at.segmented_control(key="w_measure").value == "share"
    assert "所在地の記録なし" in text_of(at)
    assert any(e.label == "表とダウンロード" for e in at.expander)


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
    from fusion_partners.chart_export import renderer_status

    monkeypatch.setenv("FPF_CHROMIUM", "/nonexistent/chromium")
    renderer_status.cache_clear()
    try:
        at = run_insights()
        assert any("no Chrome or Chromium" in i.value for i in at.info)
        labels = [(b.proto.label, b.proto.disabled) for b in at.get("download_button")]
        assert ("HTML (interactive, works offline)", False) in labels
        assert ("PNG image", True) in labels and ("All charts as PowerPoint", True) in labels
    finally:
        monkeypatch.delenv("FPF_CHROMIUM")
        renderer_status.cache_clear()
