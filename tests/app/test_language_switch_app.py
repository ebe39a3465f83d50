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

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from tests.app import test_workspace_app as workspace_app

from fusion_partners.i18n import t

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


# The three forms below are each filled in and sent once with a mistake, so what was typed is
# the form's (AppTest, like the browser, keeps a form's text to itself until it is sent);
# then the language is switched, and the form must still hold it, for the corrected request
# to go out in the other language. Text typed and not yet sent is the browser's to keep: it
# keeps it when the widget keeps its id (a key), which tests/e2e/test_language_browser.py
# checks in a real browser.


def values(at: AppTest, entered: dict[str, tuple[str, object]]) -> dict[str, object]:
    """The value of each keyed widget of ``entered`` ({key: (widget type, value)})."""
    return {
        key: next(w for w in at.get(kind) if w.key == key).value
        for key, (kind, _) in entered.items()
    }


def fill(at: AppTest, entered: dict[str, tuple[str, object]]) -> None:
    """Type or choose each value of ``entered`` ({key: (widget type, value)})."""
    for key, (kind, value) in entered.items():
        widget = next(w for w in at.get(kind) if w.key == key)
        if kind in ("text_input", "text_area"):
            widget.input(value)
        else:
            widget.set_value(value)
            at.run()  # a choice outside the form is sent at once


def send(at: AppTest, key: str, lang: str) -> None:
    """Press the form's send button (labelled by the catalogue's ``key`` in ``lang``)."""
    next(b for b in at.get("button") if b.label == t(key, lang)).click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_a_language_switch_keeps_what_was_typed_in_a_correction(site):
    ws = workspace_app.workspace()
    at = site("pages/profile.py", org="sakura-magnet")
    entered = {
        "corr_sakura-magnet_field": ("selectbox", "website"),
        "corr_sakura-magnet_proposed": ("text_area", "https://sakura-wire.example"),
        "corr_sakura-magnet_url": ("text_input", "sakura-wire.example/news"),  # no https://
        "corr_sakura-magnet_comment": ("text_area", "新しいサイトです"),
        "corr_sakura-magnet_who": ("text_input", "Hana"),
    }
    fill(at, entered)
    send(at, "corrections.send", "en")
    assert at.error and not ws.list_corrections()
    for lang in ("ja", "en", "ja"):
        switch_language(at, lang)
        assert values(at, entered) == {k: v for k, (_, v) in entered.items()}, lang
    at.text_input(key="corr_sakura-magnet_url").input("https://news.example/sakura-web")
    send(at, "corrections.send", "ja")
    [saved] = ws.list_corrections("pending")
    assert (saved["field"], saved["proposed"], saved["comment"], saved["submitter"]) == (
        "website",
        "https://sakura-wire.example",
        "新しいサイトです",
        "Hana",
    )


def test_a_language_switch_keeps_a_suggested_organisation(site):
    ws = workspace_app.workspace()
    at = site("pages/explore.py")
    entered = {
        "corr_new_org_country": ("selectbox", "GB"),
        "corr_new_org_type": ("selectbox", "university"),
        "corr_new_org_caps": ("multiselect", ["materials", "magnets_superconductors"]),
        "corr_new_org_name_en": ("text_input", "Severn Fusion Lab"),
        "corr_new_org_name_ja": ("text_input", "セヴァーン核融合研究所"),
        "corr_new_org_website": ("text_input", "https://severn.example"),
        "corr_new_org_description": ("text_area", "A fictional materials lab."),
        "corr_new_org_url": ("text_input", "severn.example/news"),  # no https://
        "corr_new_org_who": ("text_input", "Kim"),
    }
    assert at.multiselect(key="corr_new_org_caps").proto.select_all == 0  # Enter adds one match
    fill(at, entered)
    send(at, "corrections.send", "en")
    assert at.error and not ws.list_corrections()
    for lang in ("ja", "en"):
        switch_language(at, lang)
        assert values(at, entered) == {k: v for k, (_, v) in entered.items()}, lang
    at.text_input(key="corr_new_org_url").input("https://news.example/severn")
    send(at, "corrections.send", "en")
    [saved] = ws.list_corrections("pending")
    assert json.loads(saved["proposed"]) == {
        "name_en": "Severn Fusion Lab",
        "name_ja": "セヴァーン核融合研究所",
        "country": "GB",
        "org_type": "university",
        "website": "https://severn.example",
        "description_en": "A fictional materials lab.",
        "capabilities": "materials;magnets_superconductors",
    }


def test_a_language_switch_keeps_an_introduction_request_being_written(site):
    ws, opened = saved_list(site.db)
    at = site("pages/shortlists.py", list=opened.token)
    pick = at.selectbox(key="intro_candidate").value
    entered = {
        f"intro_council_{pick}": ("radio", "j_fusion"),
        "intro_name": ("text_input", "Hana Sato"),
        "intro_org": ("text_input", "Albion Tokamak Ltd"),
        "intro_email": ("text_input", "hana at albion"),  # not an address
        f"intro_message_{pick}": ("text_area", "An introduction, please."),
    }
    fill(at, entered)
    send(at, "intro.send", "en")
    assert at.error and not ws.list_requests()
    for lang in ("ja", "en"):
        switch_language(at, lang)
        assert values(at, entered) == {k: v for k, (_, v) in entered.items()}, lang
    at.text_input(key="intro_email").input("hana@albion.example")
    send(at, "intro.send", "en")
    [saved] = ws.list_requests()
    assert (saved["council"], saved["requester_name"], saved["requester_org"]) == (
        "j_fusion",
        "Hana Sato",
        "Albion Tokamak Ltd",
    )
    assert (saved["requester_email"], saved["message"]) == (
        "hana@albion.example",
        "An introduction, please.",
    )
