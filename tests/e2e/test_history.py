"""Back and Forward in a real browser: each change of filter, search, language, page or kind of
collaboration is one history entry, and Back restores the view before it (issue 16)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from fusion_partners import queries
from fusion_partners.explore.filters import Filters

from .conftest import no_exception, wait_idle

pytestmark = pytest.mark.e2e


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def path(page) -> str:
    return urlsplit(page.url).path


def back(page) -> None:
    page.go_back()
    wait_idle(page)


def forward(page) -> None:
    page.go_forward()
    wait_idle(page)


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def pill(page, label: str):
    return sidebar(page).get_by_role("button", name=re.compile(rf"^{re.escape(label)} \("))


def chosen(page, label: str) -> bool:
    """Whether the sidebar pill ``label`` is selected (``aria-pressed``)."""
    return pill(page, label).get_attribute("aria-pressed") == "true"


def count(page, n: int, total: int = 11) -> None:
    expect(page.get_by_text(f"{n} of {total} organisations", exact=True)).to_be_visible(
        timeout=30000
    )


def open_app(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)


def test_back_undoes_one_filter_at_a_time_and_forward_redoes_it(server, page, con):
    japan = queries.count(con, Filters(countries=["JP"]))
    both = queries.count(con, Filters(countries=["JP"], org_types=["company"]))
    assert 0 < both < japan < 11
    open_app(page, server + "/")
    pill(page, "Japan").click()
    wait_idle(page)
    count(page, japan)
    pill(page, "Company").click()
    wait_idle(page)
    count(page, both)
    assert params(page) == {"lang": ["en"], "country": ["JP"], "type": ["company"]}

    back(page)  # Japan only again: the rows, the pills and the URL
    count(page, japan)
    assert params(page) == {"lang": ["en"], "country": ["JP"]}
    assert chosen(page, "Japan") and not chosen(page, "Company")

    back(page)  # no filter
    count(page, 11)
    assert params(page) == {"lang": ["en"]}
    assert not chosen(page, "Japan")

    forward(page)
    count(page, japan)
    forward(page)
    count(page, both)
    assert chosen(page, "Japan") and chosen(page, "Company")
    no_exception(page)


def test_the_first_view_is_one_entry_so_one_back_leaves_the_app(server, page):
    """Opening the app writes the language into the URL; that must not add an entry of its own."""
    open_app(page, server + "/")
    assert params(page) == {"lang": ["en"]}
    pill(page, "Japan").click()
    expect(page).to_have_url(re.compile(r"country=JP"), timeout=30000)
    wait_idle(page)
    back(page)
    assert params(page) == {"lang": ["en"]}
    page.go_back()
    expect(page).to_have_url("about:blank", timeout=30000)


def test_back_undoes_a_search(server, page, con):
    n = queries.count(con, Filters(query="sample"))
    assert 0 < n < 11
    open_app(page, server + "/?country=JP")
    japan = queries.count(con, Filters(countries=["JP"]))
    count(page, japan)
    box = page.get_by_label("Search by keyword", exact=True)
    box.fill("sample")
    box.press("Enter")
    wait_idle(page)
    count(page, queries.count(con, Filters(countries=["JP"], query="sample")))
    assert params(page)["q"] == ["sample"]

    back(page)
    count(page, japan)
    expect(page.get_by_label("Search by keyword", exact=True)).to_have_value("")
    assert "q" not in params(page)
    forward(page)
    expect(page.get_by_label("Search by keyword", exact=True)).to_have_value("sample")
    no_exception(page)


def test_back_undoes_a_language_switch(server, page):
    open_app(page, server + "/?country=JP")
    sidebar(page).get_by_role("radio", name="日本語").click()
    wait_idle(page)
    expect(page.get_by_text("表示言語")).to_be_visible(timeout=30000)
    assert params(page)["lang"] == ["ja"]

    back(page)
    expect(page.get_by_text("Language", exact=True)).to_be_visible(timeout=30000)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Find fusion organisations")
    )
    assert params(page) == {"lang": ["en"], "country": ["JP"]}
    assert chosen(page, "Japan")

    forward(page)
    expect(page.get_by_text("表示言語")).to_be_visible(timeout=30000)
    assert params(page)["lang"] == ["ja"]
    no_exception(page)


def test_leaving_insights_takes_one_back_and_keeps_the_filters(server, page, con):
    open_app(page, server + "/")
    pill(page, "Japan").click()
    wait_idle(page)
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Insights").click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"/insights\?"), timeout=30000)
    assert params(page)["country"] == ["JP"]

    back(page)
    assert path(page) == "/"
    count(page, queries.count(con, Filters(countries=["JP"])))
    forward(page)
    assert path(page) == "/insights"
    expect(page.get_by_role("heading", level=1)).to_be_visible(timeout=30000)
    no_exception(page)


def test_back_from_a_profile_returns_to_the_same_rows(server, page, con):
    japan = queries.count(con, Filters(countries=["JP"]))
    open_app(page, server + "/")
    pill(page, "Japan").click()
    wait_idle(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    box = table.bounding_box()
    page.mouse.click(
        box["x"] + 15, box["y"] + 36 + 18
    )  # the first row's tick box opens its profile
    expect(page).to_have_url(re.compile(r"/profile\?"), timeout=30000)
    wait_idle(page)
    assert "org" in params(page)

    back(page)
    assert path(page) == "/"
    count(page, japan)
    assert params(page) == {"lang": ["en"], "country": ["JP"]}
    no_exception(page)


def test_back_restores_the_kind_of_collaboration(server, page):
    open_app(page, server + "/partners?org=kyoto-sample&kind=supply_chain")
    supply = page.get_by_role("radio", name=re.compile("^Supply chain"))
    expect(supply).to_be_checked(timeout=30000)
    page.get_by_role("radio", name=re.compile("^Innovation partnership")).click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"kind=innovation"), timeout=30000)

    back(page)
    assert params(page)["kind"] == ["supply_chain"]
    expect(supply).to_be_checked(timeout=30000)
    forward(page)
    assert params(page)["kind"] == ["innovation"]
    expect(page.get_by_role("radio", name=re.compile("^Innovation partnership"))).to_be_checked(
        timeout=30000
    )
    no_exception(page)


def test_back_restores_the_insights_view(server, page):
    open_app(page, server + "/insights")
    share = page.get_by_role("radio", name="Share of each country")
    count_ = page.get_by_role("radio", name="Organisations")
    expect(count_).to_be_checked(timeout=30000)
    share.click()
    expect(page).to_have_url(re.compile(r"measure=share"), timeout=30000)
    wait_idle(page)

    back(page)
    assert "measure" not in params(page)
    expect(count_).to_be_checked(timeout=30000)
    forward(page)
    expect(share).to_be_checked(timeout=30000)
    assert params(page)["measure"] == ["share"]
    no_exception(page)
