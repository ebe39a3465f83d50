"""Real browsers: a shortlist shared by its link and edited by a colleague elsewhere, and a
visitor's correction that reaches the roster only once an editor accepts it."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from tests.conftest import PARTNERS_DATA, fixture_folder

from fusion_partners.data.build import build
from fusion_partners.importing.curate import load_organisations

from .conftest import no_exception, start_server, stop_server, wait_idle

pytestmark = pytest.mark.e2e
TOKEN = "browser-editor-token"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A server on a writable copy of the partner fixture, with an editor token."""
    data = fixture_folder(PARTNERS_DATA, tmp_path_factory.mktemp("ws-site") / "data")
    db = data / "fusion_partners.duckdb"
    build(data, db)
    proc, base = start_server(db, {"FPF_DATA_DIR": str(data), "FPF_EDITOR_TOKEN": TOKEN})
    yield base, data
    stop_server(proc)


def _new_page(browser):
    return browser.new_context(
        viewport={"width": 1400, "height": 1000}, locale="en-GB", accept_downloads=True
    ).new_page()


def _edit_note(page, text: str) -> None:
    """Type ``text`` into the first candidate's Note cell and save: click the first row's first
    cell, move right to the Note column by the keyboard (the grid is drawn on a canvas, so a
    header's text gives no reliable column position) and open its editor."""
    from fusion_partners.ui.shortlist_table import COLUMNS

    grid = page.locator('[data-testid="stDataFrame"]').first
    expect(grid).to_be_visible(timeout=30000)
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 40, box["y"] + 36 + 18)  # the first row's candidate cell
    for _ in range(COLUMNS.index("note")):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    editor = page.locator("textarea").last
    expect(editor).to_be_visible(timeout=10000)
    editor.fill(text)
    page.keyboard.press("Enter")
    save = page.get_by_role("button", name=re.compile(r"^Save changes"))
    expect(save).to_have_text(re.compile(r"Save changes \(1\)"), timeout=30000)
    save.click()
    wait_idle(page)


def _csv_notes(page) -> list[str]:
    with page.expect_download(timeout=30000) as info:
        page.get_by_role("button", name="CSV", exact=True).click()
    with open(info.value.path(), "rb") as fh:
        rows = list(csv.DictReader(io.StringIO(fh.read().decode("utf-8-sig"))))
    return [r["Note"] for r in rows]


def test_a_shared_shortlist_link_is_edited_in_another_browser_and_seen_in_mine(site, browser):
    base, _ = site
    mine = _new_page(browser)
    mine.goto(base + "/partners?org=albion-tokamak&kind=supply_chain")
    wait_idle(mine)
    table = mine.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible(timeout=30000)
    box = table.bounding_box()
    mine.mouse.click(box["x"] + 15, box["y"] + 36 + 18)  # tick the first candidate
    add = mine.get_by_role("button", name=re.compile(r"^Add \d+ to shortlist"))
    expect(add).to_have_text(re.compile("Add 1 to shortlist"), timeout=30000)
    add.click()
    wait_idle(mine)
    mine.get_by_role("link", name=re.compile("to note, mark, share")).click()
    expect(mine).to_have_url(re.compile(r"/shortlists\?.*list="), timeout=30000)
    wait_idle(mine)
    shared = mine.url

    colleague = _new_page(browser)  # another browser: no session, no cookie in common
    colleague.goto(shared)
    wait_idle(colleague)
    expect(colleague.get_by_text("Candidates (1)")).to_be_visible(timeout=30000)
    _edit_note(colleague, "Colleague: met them at SOFT")
    no_exception(colleague)

    mine.reload()
    wait_idle(mine)
    assert _csv_notes(mine) == ["Colleague: met them at SOFT"]
    no_exception(mine)


def test_a_refused_introduction_request_keeps_its_form_open_on_a_first_visit(site, browser):
    base, _ = site
    maker = _new_page(browser)
    maker.goto(base + "/partners?org=albion-tokamak&kind=supply_chain")
    wait_idle(maker)
    table = maker.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible(timeout=30000)
    box = table.bounding_box()
    maker.mouse.click(box["x"] + 15, box["y"] + 36 + 18)
    add = maker.get_by_role("button", name=re.compile(r"^Add \d+ to shortlist"))
    expect(add).to_have_text(re.compile("Add 1 to shortlist"), timeout=30000)
    add.click()
    wait_idle(maker)
    maker.get_by_role("link", name=re.compile("to note, mark, share")).click()
    expect(maker).to_have_url(re.compile(r"/shortlists\?.*list="), timeout=30000)
    shared = maker.url

    # A first visit: the page writes this browser's cookie on its first run only, so the run
    # after the submit draws one element fewer before the form (an unkeyed expander folded)
    newcomer = _new_page(browser)
    newcomer.goto(shared)
    wait_idle(newcomer)
    expect(newcomer.get_by_text("Candidates (1)")).to_be_visible(timeout=30000)
    newcomer.get_by_text("Ask a council for an introduction").click()
    newcomer.get_by_label("Your name").fill("Hana")
    newcomer.get_by_label("Your e-mail address").fill("not an address")
    newcomer.get_by_role("button", name="Save the request").click()
    wait_idle(newcomer)
    form = newcomer.locator('[data-testid="stExpander"]').filter(has_text="Ask a council")
    expect(form.locator("details")).to_have_attribute("open", "", timeout=30000)
    expect(newcomer.get_by_text(re.compile("e-mail address such as"))).to_be_visible()
    assert newcomer.get_by_label("Your name").input_value() == "Hana"
    no_exception(newcomer)


def test_a_visitors_correction_reaches_the_roster_only_after_an_editor_accepts_it(site, browser):
    base, data = site
    visitor = _new_page(browser)
    visitor.goto(base + "/profile?org=sakura-magnet")
    wait_idle(visitor)
    visitor.get_by_text("Suggest a correction").click()
    wait_idle(visitor)  # the form renders on a rerun: open the list only once it is there
    field = visitor.get_by_label("What to correct")
    expect(field).to_be_visible(timeout=30000)
    field.click()
    option = visitor.get_by_role("option", name="Website")
    try:
        option.wait_for(state="visible", timeout=10000)
    except PlaywrightTimeout:  # a click that landed during a rerun did not open the list
        field.click()
    option.click()
    wait_idle(visitor)  # the field is chosen outside the form: choosing it reruns the page
    visitor.get_by_label("The correct value").fill("https://sakura-wire.example")
    visitor.get_by_label(re.compile("^Source URL")).fill("https://news.example/sakura-website")
    visitor.get_by_role("button", name="Send to the editors").click()
    wait_idle(visitor)
    expect(visitor.get_by_text(re.compile("waits for an editor's review"))).to_be_visible(
        timeout=30000
    )
    site_of = {o["id"]: o["website"] for o in load_organisations(data / "organisations.csv")}
    assert site_of["sakura-magnet"] != "https://sakura-wire.example"

    editor = _new_page(browser)
    editor.goto(base + "/editors")
    wait_idle(editor)
    editor.get_by_label("Editor token").fill(TOKEN)
    editor.keyboard.press("Enter")
    wait_idle(editor)
    editor.get_by_label(re.compile("^Your name")).fill("Editor Ed")
    editor.keyboard.press("Enter")
    wait_idle(editor)
    expect(editor.get_by_text("Waiting for review (1)")).to_be_visible(timeout=30000)
    editor.get_by_role("button", name="Accept").click()
    # the click's own rerun, not the first idle moment (which under load can come before it)
    expect(editor.get_by_text(re.compile("written to the roster"))).to_be_visible(timeout=60000)
    wait_idle(editor)
    no_exception(editor)
    site_of = {o["id"]: o["website"] for o in load_organisations(data / "organisations.csv")}
    assert site_of["sakura-magnet"] == "https://sakura-wire.example"

    visitor.reload()
    wait_idle(visitor)
    expect(visitor.get_by_text("sakura-wire.example").first).to_be_visible(timeout=30000)
