"""AppTest: switching the interface language keeps what is selected, on every page.

Streamlit keeps the selection of a selectbox, multiselect or radio in the browser as the
selected options' labels, and reads it back on the next run by looking those labels up among
the new run's labels. The language switch relabels every option, so unless the page sends the
new labels with the widget, the browser goes on sending the old ones, and the next run reads
label text where the page expects an id (``org=Furukawa Electric … — Japan``).

AppTest does not model this: it sends the label of the current value under the latest labels
whatever the page sent. So :func:`switch_language` plays the browser's part: after the switch
it takes, for every keyed option widget, the labels the page sent with it (when it sent any),
else the labels the browser held before, and checks that they name the widget's value in the
new language. The browser test ``tests/e2e/test_language_browser.py`` does the round trip in
a real browser.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests.app import test_workspace_app as workspace_app

OPTION_WIDGETS = ("selectbox", "multiselect", "radio")
FILES = Path(__file__).resolve().parents[1] / "import_files"
TOKEN, saved_list = workspace_app.TOKEN, workspace_app.saved_list
site = workspace_app.site  # the partner fixture with an editor token and its own workspace


def option_widgets(at: AppTest) -> dict[str, object]:
    """The keyed selectboxes, multiselects and radios on screen, by key."""
    return {w.key: w for kind in OPTION_WIDGETS for w in at.get(kind) if w.key}


def labels(widget) -> list[str]:
    """The labels naming the widget's current value among its current options (what the
    browser holds when it is up to date)."""
    if widget.type == "multiselect":
        return [widget.options[i] for i in widget.indices]
    return [] if widget.index is None else [widget.options[widget.index]]


def sent(widget) -> list[str] | None:
    """The labels the page sent with the widget in the last run, or ``None`` (not sent)."""
    if not widget.proto.set_value:
        return None
    if widget.type == "multiselect":
        return list(widget.proto.raw_values)
    return [widget.proto.raw_value] if widget.proto.HasField("raw_value") else []


def switch_language(at: AppTest, lang: str) -> AppTest:
    """Switch the interface language, then check that each keyed option widget would be read
    back, on the next run, as the value it has now.

    AppTest drops the sidebar's switch (drawn by ``app.py``) from its tree once a test
    switches page, so the language is set as the switch sets it, in session state."""
    held = {key: labels(w) for key, w in option_widgets(at).items()}
    values = {key: w.value for key, w in option_widgets(at).items()}
    at.session_state["w_lang"] = lang
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    for key, widget in option_widgets(at).items():
        if key not in held:
            continue
        browser = sent(widget)
        browser = held[key] if browser is None else browser
        assert browser == labels(widget), (
            f"{key}: the browser keeps {browser}, which does not name {widget.value!r} "
            f"in {lang} ({labels(widget)})"
        )
        assert widget.value == values[key], f"{key} changed with the language"
    return at


def params(at: AppTest) -> dict[str, list[str]]:
    """The URL's parameters but the language, as lists."""
    out = {}
    for key in at.query_params:
        if key != "lang":
            value = at.query_params[key]
            out[key] = sorted([value] if isinstance(value, str) else value)
    return out


@pytest.fixture
def run_page(partners_db, app_runner):
    return app_runner(partners_db, "pages/partners.py")


@pytest.mark.parametrize(
    "link",
    [
        {
            "org": "sakura-magnet",  # さくら線材株式会社 in Japanese
            "kind": "teaming",
            "country": "GB",
            "type": ["startup", "company"],
            "min_conf": "medium",
            "known": "first",
            "w_match": "1.5",
        },
        {"need": ["magnets_superconductors", "plasma_heating"], "kind": "supply_chain"},
    ],
    ids=["organisation", "capabilities"],
)
def test_a_language_round_trip_keeps_the_partner_finder_query(run_page, link):
    at = run_page(**link)
    before = params(at)
    assert before["kind"] == [link["kind"]]
    for lang in ("ja", "en", "ja", "en"):
        switch_language(at, lang)
        assert params(at) == before, lang
        assert at.query_params["lang"] == lang
    # and the next interaction still reads the selection (not its label) from the browser
    at.button_group(key="pf_kind").set_value("demonstration").run()
    assert params(at) == {**before, "kind": ["demonstration"]}


def test_the_start_keeps_its_name_in_the_new_language(run_page):
    at = switch_language(run_page(org="sakura-magnet", kind="teaming"), "ja")
    start = at.selectbox(key="pf_org")
    assert start.value == "sakura-magnet"
    assert start.options[start.index].startswith("さくら線材株式会社 / Sakura Magnet Wire KK")


def test_a_language_switch_keeps_explores_offer_and_need_filters(fixture_db, app_runner):
    at = app_runner(fixture_db)(offer="hts_conductor", need="cryoplant", country="JP")
    before = params(at)
    assert before["offer"] == ["hts_conductor"]
    for lang in ("ja", "en"):
        switch_language(at, lang)
        assert params(at) == before


def test_a_language_switch_keeps_the_candidate_of_an_introduction_request(site):
    _, opened = saved_list(site.db)
    at = site("pages/shortlists.py", list=opened.token)
    pick = at.selectbox(key="intro_candidate")
    other = pick.options.index(next(o for o in pick.options if "Sakura" in o))
    pick.select_index(other).run()
    chosen = at.selectbox(key="intro_candidate").value
    for lang in ("ja", "en"):
        switch_language(at, lang)
        assert at.selectbox(key="intro_candidate").value == chosen


def test_a_language_switch_keeps_the_status_an_editor_chose_for_a_request(site):
    ws, _ = saved_list(site.db)
    ws.request_introduction(
        council="j_fusion",
        candidate_id="sakura-magnet",
        candidate_name="Sakura Magnet Wire KK",
        requester_name="Hana",
        requester_email="hana@albion.example",
    )
    at = site("pages/editors.py")
    at.text_input(key="ed_token").input(TOKEN).run()
    at.text_input(key="ws_editor_name").input("Kim").run()
    at.selectbox(key="ed_req_status").set_value("declined").run()
    for lang in ("ja", "en"):
        switch_language(at, lang)
        assert at.selectbox(key="ed_req_status").value == "declined"


def test_a_language_switch_keeps_the_import_choices(site):
    at = site("pages/import.py")
    at.text_input(key="imp_token").input(TOKEN).run()
    at.file_uploader(key="imp_file").set_value(
        ("user_sheet.csv", (FILES / "user_sheet.csv").read_bytes(), "text/csv")
    )
    at.run()
    mapping = next(s for s in at.selectbox if s.key.startswith("imp_map_") and s.key.endswith("_1"))
    mapping.set_value("").run()
    at.button(key="imp_confirm").click().run()
    at.selectbox(key="imp_type").set_value("university").run()
    at.selectbox(key="imp_conf").set_value("high").run()
    at.selectbox(key="imp_council").set_value("j_fusion").run()
    for lang in ("ja", "en"):
        switch_language(at, lang)
        assert at.selectbox(key="imp_type").value == "university"
        assert at.selectbox(key=mapping.key).value == ""
