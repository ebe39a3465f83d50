"""Real browser, no internet: the Insights map draws from the app's own outline file.

Chromium resolves no host name except localhost (``--host-resolver-rules``), so a fetch from
plotly's CDN would fail; the test asserts the land outlines drew and nothing else was fetched.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import launch, no_exception, wait_idle

LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)[:/]|^(data|blob|about):")
pytestmark = pytest.mark.e2e


def test_map_draws_offline_and_nothing_is_fetched_from_the_internet(server, playwright):
    leaks: list[str] = []
    offline = launch(
        playwright, "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
    )
    try:
        page = offline.new_page(viewport={"width": 1400, "height": 4000})
        page.on("requestfinished", lambda r: None if LOCAL.match(r.url) else leaks.append(r.url))
        page.goto(server + "/insights?lang=ja")
        wait_idle(page, 90000)
        land = page.locator(".js-plotly-plot .geo .layer.land path")
        expect(land.first).to_be_attached(timeout=60000)
        assert land.count() >= 2  # Japan and UK panels
        # five charts on show (each is also sent laid out for phones, hidden at this width)
        expect(page.locator(".js-plotly-plot:visible")).to_have_count(5, timeout=60000)
        assert "日英の技術分野の分布" in page.locator(".js-plotly-plot:visible").first.inner_text()
        no_exception(page)
    finally:
        offline.close()
    assert leaks == []
