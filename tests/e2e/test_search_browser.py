"""Search that forgives, in a real browser: a misspelling gets "Did you mean", a click applies
the suggestion (the search box, the rows and the link follow); ignored symbols are noted."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import no_exception, start_server, stop_server, wait_idle

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def real_server(real_db):
    """The app on the shipped roster (the misspellings of issue 16 are about real names)."""
    proc, base = start_server(real_db)
    yield base
    stop_server(proc)


def search_for(page, text: str, label: str = "Search by keyword") -> None:
    """Type ``text`` and wait for its rerun: the URL carries the new search (the app writes
    ``q``), so a page that is idle *before* the rerun starts is not taken for its result."""
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    page.wait_for_function(
        "q => new URLSearchParams(window.location.search).get('q') === q",
        arg=text.strip(),
        timeout=30000,
    )
    wait_idle(page)


@pytest.mark.parametrize(
    ("typed", "meant"), [("Fujikra", "Fujikura Ltd."), ("furukowa", "Furukawa")]
)
def test_a_misspelling_gets_did_you_mean_and_a_click_searches_for_it(
    real_server, page, typed, meant
):
    page.goto(real_server + "/")
    wait_idle(page)
    search_for(page, typed)
    expect(page.get_by_text(re.compile(r"^0 of \d+ organisations"))).to_be_visible(timeout=30000)
    expect(page.get_by_text("Did you mean:")).to_be_visible(timeout=30000)
    page.get_by_role("button", name=meant, exact=True).click()
    wait_idle(page)
    expect(page.get_by_label("Search by keyword", exact=True)).to_have_value(meant, timeout=30000)
    expect(page.get_by_text(re.compile(r"^[1-9]\d* of \d+ organisations"))).to_be_visible(
        timeout=30000
    )
    expect(page.get_by_text("Did you mean:")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"[?&]q="), timeout=30000)
    assert parse_qs(urlsplit(page.url).query)["q"] == [meant]
    no_exception(page)


def test_the_japanese_interface_offers_the_japanese_name(real_server, page):
    page.goto(real_server + "/?lang=ja")
    wait_idle(page)
    search_for(page, "フジクテ", label="キーワード検索")
    expect(page.get_by_text("次の検索語をお探しですか：")).to_be_visible(timeout=30000)
    page.get_by_role("button", name="株式会社フジクラ", exact=True).click()
    wait_idle(page)
    expect(page.get_by_label("キーワード検索", exact=True)).to_have_value(
        "株式会社フジクラ", timeout=30000
    )
    no_exception(page)


def test_symbols_are_ignored_with_a_note_and_hyphens_are_spaces(real_server, page):
    page.goto(real_server + "/")
    wait_idle(page)
    search_for(page, "remote handling")
    plain = page.get_by_text(re.compile(r"^\d+ of \d+ organisations")).first.inner_text()
    search_for(page, "remote-handling ✓")
    expect(page.get_by_text(re.compile(r"^\d+ of \d+ organisations")).first).to_have_text(
        plain, timeout=30000
    )
    expect(
        page.locator('[data-testid="stSidebar"]').get_by_text(
            re.compile("Ignored in the search: ✓")
        )
    ).to_be_visible()
    no_exception(page)
