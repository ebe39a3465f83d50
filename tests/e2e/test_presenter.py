"""Presenter mode in a real browser: one chart per screen that fits the window (1920×1080 and
1024×768, English and Japanese), previous/next by button, keyboard and Back/Forward with the slide in the
URL, and a visible exit. Screenshots of each size go to ``test-artifacts/``."""

from __future__ import annotations

import re

import pytest

from .conftest import ARTIFACTS, no_exception, wait_idle

pytestmark = pytest.mark.e2e

SIZES = [(1920, 1080), (1024, 768)]

FITS = """() => {
    const doc = document.scrollingElement;
    const main = document.querySelector('[data-testid="stMain"]');
    const plot = document.querySelector('.js-plotly-plot').getBoundingClientRect();
    const exit = document.querySelector('.st-key-present_exit button').getBoundingClientRect();
    return {
        page: [doc.scrollHeight, innerHeight, doc.scrollWidth, innerWidth],
        main: [main.scrollHeight, main.clientHeight, main.scrollWidth, main.clientWidth],
        plot: [plot.top, plot.left, plot.bottom, plot.right],
        exit: [exit.top, exit.left, exit.bottom, exit.right],
    };
}"""


def open_slides(page, base: str, width: int, height: int, query: str = "") -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(f"{base}/insights?present=1{query}")
    wait_idle(page, 60000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
    no_exception(page)


def position(page) -> tuple[int, int]:
    """The bar's "Chart n of N" (English) as (n, N)."""
    match = re.search(r"Chart (\d+) of (\d+)", page.locator(".st-key-present_nav").inner_text())
    assert match
    return int(match[1]), int(match[2])


def slide_in_url(page) -> int:
    match = re.search(r"[?&]slide=(\d+)", page.url)
    return int(match[1]) if match else 1


def go(page, action, expected: int) -> None:
    """Run ``action`` (a click or a key press) and wait until chart ``expected`` is on screen."""
    action()
    page.wait_for_function(
        """n => /Chart (\\d+) of/.exec(document.querySelector('.st-key-present_nav')?.innerText || '')?.[1] == n""",
        arg=expected,
        timeout=30000,
    )
    wait_idle(page, 60000)
    page.wait_for_function(
        """n => (new URLSearchParams(location.search).get('slide') || '1') == String(n)""",
        arg=expected,
        timeout=30000,
    )


def _fits(m: dict, width: int, height: int) -> bool:
    page_h, inner_h, page_w, inner_w = m["page"]
    main_h, main_ch, main_w, main_cw = m["main"]
    inside = all(
        0 <= top and 0 <= left and bottom <= height and right <= width
        for top, left, bottom, right in (m["plot"], m["exit"])
    )
    return (
        page_h <= inner_h
        and page_w <= inner_w
        and main_h <= main_ch
        and main_w <= main_cw
        and inside
    )


def assert_fits(page, width: int, height: int) -> None:
    """No page or main-area scroll in either direction; the figure and the exit inside the window.

    Plotly lays a new figure out after the script has finished, so the layout is measured
    until it has settled (up to 5 s); the last measurement is reported when it never fits."""
    for _ in range(25):
        m = page.evaluate(FITS)
        if _fits(m, width, height):
            break
        page.wait_for_timeout(200)
    assert _fits(m, width, height), m
    assert page.locator(".js-plotly-plot").count() == 1  # one chart per screen


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_slide_fits_the_window_with_one_chart_and_a_visible_exit(page, server, width, height):
    open_slides(page, server, width, height)
    n, total = position(page)
    assert n == 1 and total >= 5
    assert page.get_by_role("button", name=re.compile("Exit presenter mode")).is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    for slide in range(1, total + 1):
        if slide > 1:
            go(page, lambda: page.locator(".st-key-present_next button").click(), slide)
        assert_fits(page, width, height)
        no_exception(page)
        if slide in (1, 4):  # a heatmap part and the types chart
            page.screenshot(path=str(ARTIFACTS / f"presenter-{width}x{height}-en-{slide}.png"))


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_japanese_slides_fit_too(page, server, width, height):
    open_slides(page, server, width, height, "&lang=ja&slide=2")
    assert re.search(r"グラフ2/\d+", page.locator(".st-key-present_nav").inner_text())
    assert page.get_by_role("button", name=re.compile("プレゼンテーションを終了")).is_visible()
    assert_fits(page, width, height)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"presenter-{width}x{height}-ja-2.png"))


def test_buttons_and_keys_step_through_the_slides_and_the_url_follows(page, server):
    open_slides(page, server, 1024, 768)
    assert position(page)[0] == 1 and slide_in_url(page) == 1
    go(page, lambda: page.locator(".st-key-present_next button").click(), 2)
    go(page, lambda: page.keyboard.press("ArrowRight"), 3)
    go(page, lambda: page.keyboard.press("PageDown"), 4)  # what a presentation clicker sends
    assert slide_in_url(page) == 4
    go(page, lambda: page.keyboard.press("PageUp"), 3)
    go(page, lambda: page.keyboard.press("ArrowLeft"), 2)
    go(page, lambda: page.locator(".st-key-present_prev button").click(), 1)
    assert "slide=" not in page.url and "present=1" in page.url
    # a reload (or a shared link) opens the chart that was on screen
    go(page, lambda: page.locator(".st-key-present_next button").click(), 2)
    page.reload()
    wait_idle(page, 60000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60000)
    assert position(page)[0] == 2
    no_exception(page)


@pytest.mark.parametrize("how", ["button", "Escape"])
def test_exit_leaves_presenter_mode(page, server, how):
    open_slides(page, server, 1024, 768, "&slide=3")
    if how == "button":
        page.get_by_role("button", name=re.compile("Exit presenter mode")).click()
    else:
        page.keyboard.press(how)
    page.wait_for_function(
        "() => !new URLSearchParams(location.search).has('present')", timeout=30000
    )
    wait_idle(page, 60000)
    page.wait_for_selector("text=Japan–UK fusion landscape", timeout=30000)
    assert "slide=" not in page.url
    assert page.locator(".st-key-present_nav").count() == 0
    assert page.locator(".js-plotly-plot").count() > 1  # every chart again
    assert page.get_by_text("Presenter mode").is_visible()
    no_exception(page)


def test_back_and_forward_step_through_the_slides_seen(page, server):
    open_slides(page, server, 1024, 768)
    go(page, lambda: page.locator(".st-key-present_next button").click(), 2)
    go(page, lambda: page.keyboard.press("ArrowRight"), 3)
    go(page, page.go_back, 2)
    go(page, page.go_forward, 3)
    no_exception(page)
