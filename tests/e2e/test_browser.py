"""What only a real browser shows: URL state, downloads, navigation, language switch."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from playwright.sync_api import expect

from fusion_partners import queries
from fusion_partners.explore.filters import Filters

from .conftest import no_exception, start_server, wait_idle

pytestmark = pytest.mark.e2e


def count_text(page) -> str:
    locator = page.get_by_text(re.compile(r"of \d+ organisations|全\d+組織中"))
    expect(locator.first).to_be_visible(timeout=30000)
    return locator.first.inner_text()


def download(page, label: str) -> bytes:
    with page.expect_download(timeout=30000) as info:
        page.get_by_role("button", name=label, exact=True).click()
    path = info.value.path()
    with open(path, "rb") as fh:
        return fh.read()


def csv_ids(data: bytes) -> list[str]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 byte-order mark"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    return [r["ID"] for r in rows]


def test_filtering_writes_the_url_and_the_url_restores_the_same_rows(server, browser, page, con):
    page.goto(server + "/")
    wait_idle(page)
    assert count_text(page).startswith("11 of 11")
    search = page.get_by_label("Search by keyword", exact=True)
    n_search = queries.count(con, Filters(query="ｓａｍｐｌｅ"))
    n_both = queries.count(con, Filters(countries=["JP"], query="ｓａｍｐｌｅ"))
    assert 0 < n_both < n_search < 11
    search.fill("ｓａｍｐｌｅ")
    search.press("Enter")
    expect(page.get_by_text(f"{n_search} of 11 organisations")).to_be_visible(timeout=30000)
    page.locator('[data-testid="stSidebar"]').get_by_role(
        "button", name=re.compile(r"Japan \(")
    ).click()
    expect(page.get_by_text(f"{n_both} of 11 organisations")).to_be_visible(timeout=30000)
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"country=JP"), timeout=30000)
    params = parse_qs(urlsplit(page.url).query)
    assert params == {"lang": ["en"], "country": ["JP"], "q": ["ｓａｍｐｌｅ"]}
    first = csv_ids(download(page, "CSV"))
    expected = list(
        queries.organisation_table(con, Filters(countries=["JP"], query="ｓａｍｐｌｅ"))["id"]
    )
    assert first == expected

    fresh = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    try:
        other = fresh.new_page()
        other.goto(page.url)
        wait_idle(other)
        assert count_text(other).startswith(f"{n_both} of 11")
        assert csv_ids(download(other, "CSV")) == first
        no_exception(other)
    finally:
        fresh.close()


def test_choosing_filters_one_after_another_keeps_every_choice(server, page, con):
    """Option labels carry counts that change with each choice; earlier choices must stay."""
    page.goto(server + "/")
    wait_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    steps = [
        ("Japan", Filters(countries=["JP"])),
        ("J-Fusion", Filters(countries=["JP"], memberships=["j_fusion"])),
        ("Startup", Filters(countries=["JP"], memberships=["j_fusion"], org_types=["startup"])),
    ]
    for label, expected in steps:
        sidebar.get_by_role("button", name=re.compile(rf"{label} \(")).click()
        n = queries.count(con, expected)
        expect(page.get_by_text(f"{n} of 11 organisations")).to_be_visible(timeout=30000)
        wait_idle(page)
    assert n > 0
    params = parse_qs(urlsplit(page.url).query)
    assert (
        params["country"] == ["JP"]
        and params["membership"] == ["j_fusion"]
        and params["type"] == ["startup"]
    )
    no_exception(page)


def test_unticking_the_last_capability_of_a_group_leaves_the_group_open(server, page):
    """The group's title carries the number chosen; the expander must stay the same element."""
    page.goto(server + "/?cap=magnets_superconductors")
    wait_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    group = sidebar.locator('[data-testid="stExpander"] details').filter(
        has_text="Superconducting magnets"
    )
    expect(group).to_have_attribute("open", "")
    box = group.get_by_role("checkbox", name=re.compile("Superconducting magnets"))
    expect(box).to_be_checked()
    box.uncheck(force=True)
    expect(page.get_by_text("11 of 11 organisations")).to_be_visible(timeout=30000)
    wait_idle(page)
    expect(group).to_have_attribute("open", "")
    expect(box).not_to_be_checked()
    no_exception(page)


def test_csv_and_xlsx_downloads_hold_exactly_the_rows_on_screen(server, page, con):
    page.goto(server + "/?country=JP&country=GB&cap=blanket_breeding&cap=magnets_superconductors")
    wait_idle(page)
    expected = list(
        queries.organisation_table(
            con,
            Filters(
                countries=["JP", "GB"], capabilities=["blanket_breeding", "magnets_superconductors"]
            ),
        )["id"]
    )
    assert count_text(page).startswith(f"{len(expected)} of 11")
    grid = page.locator('[data-testid="stDataFrame"] table[role="grid"]')
    assert int(grid.get_attribute("aria-rowcount")) == len(expected) + 1  # + header row
    assert csv_ids(download(page, "CSV")) == expected
    book = openpyxl.load_workbook(io.BytesIO(download(page, "Excel (XLSX)")))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert [
        row[header.index("ID")] for row in sheet.iter_rows(min_row=2, values_only=True)
    ] == expected
    about = dict(book.worksheets[1].iter_rows(values_only=True))
    assert about["Rows"] == len(expected)
    assert "Japan" in about["Filters"]
    # downloading did not reset the page
    assert count_text(page).startswith(f"{len(expected)} of 11")
    no_exception(page)


def test_choosing_a_row_opens_its_profile(server, page):
    page.goto(server + "/?q=helical")
    wait_idle(page)
    box = page.locator('[data-testid="stDataFrame"]').bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 36 + 17)  # row-marker cell of the first row
    expect(page).to_have_url(re.compile(r"/profile\?org=helical-sample"), timeout=30000)
    wait_idle(page)
    expect(page.get_by_role("heading", name="Helical Sample KK")).to_be_visible()
    no_exception(page)


def test_profile_opens_by_url_and_goes_back_to_the_filtered_list(server, page):
    page.goto(server + "/profile?org=kyoto-sample")
    wait_idle(page)
    expect(page.get_by_role("heading", name="Kyoto Sample Fusioneering Ltd.")).to_be_visible()
    # its one source, linked from the sources list and as the source of its J-Fusion membership
    expect(page.get_by_role("link", name=re.compile("news.example"))).to_have_count(2)
    expect(page.get_by_role("heading", name="Council memberships")).to_be_visible()
    no_exception(page)


def test_a_stale_profile_link_explains_itself(server, page):
    page.goto(server + "/profile?org=gone-away")
    wait_idle(page)
    expect(page.get_by_text(re.compile("No organisation has the ID"))).to_be_visible()
    no_exception(page)


def test_switching_language_changes_the_interface_and_the_url(server, page):
    page.goto(server + "/?country=JP")
    wait_idle(page)
    page.get_by_role("radio", name="日本語").click()
    expect(page.get_by_role("heading", name="日英のフュージョン関連組織を探す")).to_be_visible(
        timeout=30000
    )
    expect(page).to_have_url(re.compile(r"lang=ja"), timeout=30000)
    assert "country=JP" in page.url
    assert count_text(page).endswith("（全11組織中）")
    no_exception(page)


def test_no_page_shows_an_exception(server, page):
    page.goto(server + "/")
    wait_idle(page)
    links = [a.get_attribute("href") for a in page.locator('[data-testid="stSidebarNav"] a').all()]
    assert len(links) >= 2
    for href in links:
        for suffix in ("", "?lang=ja"):
            page.goto(href.split("?")[0] + suffix)
            wait_idle(page)
            no_exception(page)


def test_a_japanese_browser_opens_the_japanese_interface(server, browser):
    ctx = browser.new_context(locale="ja-JP", viewport={"width": 1400, "height": 1000})
    try:
        page = ctx.new_page()
        page.goto(server + "/")
        wait_idle(page)
        expect(page.get_by_role("heading", name="日英のフュージョン関連組織を探す")).to_be_visible(
            timeout=30000
        )
        # an explicit link language wins over the browser's
        page.goto(server + "/?lang=en")
        wait_idle(page)
        expect(
            page.get_by_role("heading", name="Find fusion organisations in Japan and the UK")
        ).to_be_visible(timeout=30000)
    finally:
        ctx.close()


@pytest.mark.parametrize(
    "path", ["/profile?org=kyoto-sample&lang=ja", "/insights?lang=ja&country=JP"]
)
def test_a_deep_link_works_as_the_first_request_after_a_restart(fixture_db, browser, path):
    proc, base = start_server(fixture_db)  # a fresh server: no page has run yet
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = ctx.new_page()
        page.goto(base + path)
        wait_idle(page)
        expect(page.get_by_text("表示言語")).to_be_visible(
            timeout=30000
        )  # app.py ran: language switch
        nav = page.locator('[data-testid="stSidebarNav"]')
        expect(nav.get_by_text("組織検索")).to_be_visible()  # the declared navigation, in Japanese
        assert "lang=ja" in page.url
        if "profile" in path:
            expect(
                page.get_by_role("heading", name="京都サンプルフュージョニアリング株式会社")
            ).to_be_visible()
        no_exception(page)
    finally:
        ctx.close()
        proc.terminate()
        proc.wait(timeout=20)


def test_a_partner_finder_query_ranks_candidates_and_the_url_follows_the_kind(server, page):
    page.goto(server + "/partners?org=kyoto-sample&kind=supply_chain")
    wait_idle(page)
    grid = page.locator('[data-testid="stDataFrame"] table[role="grid"]').first
    expect(grid).to_be_attached(timeout=30000)
    assert int(grid.get_attribute("aria-rowcount")) >= 2  # header + at least one suggestion
    expect(page.get_by_text(re.compile(r"^Candidates(, best first)?:"))).not_to_have_count(0)
    page.get_by_role("radio", name="Innovation partnership").click()
    expect(page).to_have_url(re.compile(r"kind=innovation"), timeout=30000)
    wait_idle(page)
    no_exception(page)


def test_a_ticked_candidate_is_unticked_when_the_kind_changes(server, page):
    page.goto(server + "/partners?org=kyoto-sample&kind=supply_chain")
    wait_idle(page)
    table = page.locator('[data-testid="stDataFrame"]').first
    expect(table).to_be_visible(timeout=30000)
    box = table.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 36 + 18)  # the first row's tick box
    add = page.get_by_role("button", name=re.compile(r"^Add \d+ to shortlist"))
    expect(add).to_have_text(re.compile("Add 1 to shortlist"), timeout=30000)
    page.get_by_role("radio", name=re.compile("^Teaming")).click()
    expect(page).to_have_url(re.compile(r"kind=teaming"), timeout=30000)
    wait_idle(page)
    expect(add).to_have_text(re.compile("Add 0 to shortlist"))
    expect(add).to_be_disabled()
    no_exception(page)


def test_enter_in_the_capability_picker_adds_only_the_closest_match(server, page):
    page.goto(server + "/partners?need=plasma_heating")
    wait_idle(page)
    picker = page.locator(".st-key-pf_needs input")
    picker.click()
    picker.press_sequentially("mat", delay=30)  # several capabilities match "mat"
    options = page.get_by_role("option")
    expect(options.nth(1)).to_be_visible(timeout=30000)
    closest = options.first.inner_text()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.locator("h1").first.click()  # close the list, so the choice is sent
    expect(page).to_have_url(re.compile(r"need=.+&need="), timeout=30000)
    wait_idle(page)
    needs = parse_qs(urlsplit(page.url).query)["need"]
    assert len(needs) == 2 and "plasma_heating" in needs, needs
    assert closest in page.locator(".st-key-pf_needs").inner_text()
    no_exception(page)
