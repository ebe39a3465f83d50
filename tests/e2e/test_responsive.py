"""Every page at phone, projector and desktop widths (400, 1024, 1920 px), in English and
Japanese: nothing runs off the side of the main area (tables scroll inside themselves and are
not counted), no button label is cut short, chart titles and notes do not draw over each
other or past the chart's edge, Insights shows each chart once, laid out for its column (the
phone layout below 560 px), and on a phone the filters are one visible button away.
Screenshots of every page go to ``test-artifacts/`` (issue 16)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, no_exception, wait_idle

pytestmark = pytest.mark.e2e

WIDTHS = {400: 860, 1024: 768, 1920: 1080}
PAGES = {
    "explore": "/?country=JP",
    "partners": "/partners?org=kyoto-sample&kind=supply_chain",
    "profile": "/profile?org=kyoto-sample",
    "shortlists": "/shortlists",
    "editors": "/editors",
    "insights": "/insights",
}

OVERFLOW_JS = """() => {
    // Elements that stick out of the main area on the right or left. Content inside an element
    // that scrolls or clips by itself (a table's grid, a code block) is not counted.
    const main = document.querySelector('[data-testid="stMain"]');
    const box = main.getBoundingClientRect();
    const clips = (el) => {
        for (let p = el.parentElement; p && p !== main; p = p.parentElement) {
            const s = getComputedStyle(p);
            if (/(auto|scroll|hidden|clip)/.test(s.overflowX)) return true;
        }
        return false;
    };
    const out = [];
    for (const el of main.querySelectorAll('*')) {
        if (el.closest('[data-testid="stElementToolbar"]')) continue;  // shown on hover, inside the element
        const r = el.getBoundingClientRect();
        if (!r.width || !r.height) continue;
        if ((r.right > box.right + 1 || r.left < box.left - 1) && !clips(el)) {
            out.push(`${el.tagName.toLowerCase()}.${el.className && el.className.baseVal === undefined
                ? String(el.className).split(' ').slice(-1)[0] : ''}[${el.getAttribute('data-testid') || ''}]`
                + ` ${Math.round(r.left)}..${Math.round(r.right)} "${(el.innerText || el.textContent || '').slice(0, 40)}"`);
        }
    }
    // Labels cut with "…": a text inside a button that is wider than the room it has.
    const cut = [...main.querySelectorAll('button *')]
        .filter(p => p.getBoundingClientRect().width && p.scrollWidth > p.clientWidth + 1
                     && !p.closest('[data-testid="stElementToolbar"]'))
        .map(p => `button label cut: "${p.textContent.slice(0, 40)}"`);
    return {scroll: main.scrollWidth - main.clientWidth, cut: cut.slice(0, 8),
            page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
            out: out.slice(0, 8)};
}"""

TITLES_JS = """() => {
    // Titles, subplot titles, notes (annotations), axis and colour-bar titles of every chart:
    // pairs that overlap, and texts that leave the chart's box.
    const out = [];
    // every chart on show (Insights sends each chart in a normal and a phone layout and shows one)
    [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
        .filter(p => p.getClientRects().length).forEach((plot, i) => {
        const frame = plot.getBoundingClientRect();
        const texts = [...plot.querySelectorAll(
            'text.gtitle, text.annotation-text, text.xtitle, text.ytitle, text.x2title, text.y2title,'
            + ' .cbtitle text, text.legendtitletext')]
            .filter(t => (t.textContent || '').trim() && t.getBoundingClientRect().width > 0);
        const boxes = texts.map(t => [t, t.getBoundingClientRect()]);
        for (const [t, r] of boxes) {
            if (r.left < frame.left - 2 || r.right > frame.right + 2)
                out.push(`chart ${i}: "${t.textContent.slice(0, 40)}" leaves the chart (${Math.round(r.left)}..${Math.round(r.right)} of ${Math.round(frame.left)}..${Math.round(frame.right)})`);
        }
        for (let a = 0; a < boxes.length; a++) for (let b = a + 1; b < boxes.length; b++) {
            const [ta, ra] = boxes[a], [tb, rb] = boxes[b];
            const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
            const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
            if (x > 1 && y > 1) out.push(`chart ${i}: "${ta.textContent.slice(0, 30)}" overlaps "${tb.textContent.slice(0, 30)}"`);
        }
    });
    return out;
}"""


SHOWN_JS = """() => [...document.querySelectorAll('[data-testid="stMain"] .js-plotly-plot')]
    .filter(p => p.getClientRects().length)
    .map(p => (p.closest('[class*="st-key-fig_"]').className.match(/st-key-(fig_\\S+)/) || [])[1])"""
"""The keys of the Insights figures on show (``fig_<chart>`` or ``fig_phone_<chart>``)."""


@pytest.fixture(scope="module", params=sorted(WIDTHS), ids=lambda w: f"{w}px")
def sized(request, browser):
    width = request.param
    ctx = browser.new_context(viewport={"width": width, "height": WIDTHS[width]}, locale="en-GB")
    yield width, ctx
    ctx.close()


def settle(page, name: str) -> None:
    """Wait for the script to finish, every table's grid and (on Insights) the charts."""
    wait_idle(page)
    if name == "insights":
        expect(page.locator(".js-plotly-plot:visible").first).to_be_visible(timeout=60000)
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
                    .every(t => t.querySelector('[role="grid"]'))
              && [...document.querySelectorAll('.js-plotly-plot')]
                    .filter(p => p.getClientRects().length)  // the layout on show
                    .every(p => {
                    const svg = p.querySelector('.main-svg');  // drawn at the chart's width
                    return svg && Math.abs(svg.getBoundingClientRect().width
                                           - p.getBoundingClientRect().width) <= 1;
                 })""",
        timeout=60000,
    )


def screenshot(page, path) -> None:
    """The whole main area: the app scrolls inside it, so the viewport is made as tall as its
    content for the picture and put back afterwards."""
    size = page.viewport_size
    tall = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.set_viewport_size(
        {"width": size["width"], "height": min(max(tall, size["height"]), 12000)}
    )
    page.wait_for_function(  # elements outside the first screen are drawn as the viewport grows
        """() => !document.querySelector('[data-testid="stMain"] [data-testid^="stSkeleton"]')""",
        timeout=30000,
    )
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.screenshot(path=str(path))
    page.set_viewport_size(size)


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("name", list(PAGES))
def test_nothing_runs_off_the_page_and_chart_titles_do_not_overlap(server, sized, name, lang):
    width, ctx = sized
    page = ctx.new_page()
    try:
        sep = "&" if "?" in PAGES[name] else "?"
        page.goto(server + PAGES[name] + f"{sep}lang={lang}")
        settle(page, name)
        no_exception(page)
        overflow = page.evaluate(OVERFLOW_JS)
        titles = page.evaluate(TITLES_JS)
        ARTIFACTS.mkdir(exist_ok=True)
        screenshot(page, ARTIFACTS / f"responsive-{name}-{lang}-{width}.png")
        problems = []
        if overflow["scroll"] > 1 or overflow["page"] > 1 or overflow["out"]:
            problems.append(f"horizontal overflow {overflow}")
        problems += overflow["cut"]
        problems += titles
        if name == "insights":  # each chart once, in the layout for its column's width
            shown = page.evaluate(SHOWN_JS)
            phone = [key.startswith("fig_phone_") for key in shown]
            if len(shown) != 5 or any(phone) != (width < 560) or len(set(phone)) != 1:
                problems.append(f"charts shown at {width} px: {shown}")
        assert not problems, "\n".join(problems)
    finally:
        page.close()


@pytest.mark.parametrize("width", sorted(WIDTHS), ids=lambda w: f"{w}px")
@pytest.mark.parametrize(
    ("name", "lang", "label", "search"),
    [
        ("explore", "en", "Filters (1 active)", "Search by keyword"),
        ("insights", "ja", "絞り込み（1件）", "キーワード検索"),
    ],
)
def test_on_a_phone_the_filters_are_one_visible_button_away(
    server, browser, width, name, lang, label, search
):
    # a context of its own: Streamlit remembers an opened sidebar for the next page load
    ctx = browser.new_context(viewport={"width": width, "height": WIDTHS[width]}, locale="en-GB")
    page = ctx.new_page()
    try:
        page.goto(server + PAGES[name].split("?")[0] + f"?lang={lang}&country=JP")
        settle(page, name)
        button = page.locator('[data-testid="stMain"]').get_by_role("button", name=label)
        box = page.get_by_label(search, exact=True)
        if width >= 1024:  # the sidebar is open: no second way in
            expect(box).to_be_visible()
            expect(button).to_be_hidden()
            return
        expect(box).not_to_be_in_viewport()
        expect(button).to_be_in_viewport(ratio=1)  # on the first screen, no scrolling
        button.click()
        expect(box).to_be_in_viewport(timeout=30000)
        box.fill("sample")
        box.press("Enter")
        # the search's own rerun writes q (an idle page before that rerun is not its result)
        expect(page).to_have_url(re.compile(r"[?&]q=sample"), timeout=30000)
        wait_idle(page)
        no_exception(page)
    finally:
        ctx.close()
