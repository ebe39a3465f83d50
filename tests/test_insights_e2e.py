"""Real browser, no internet: the Insights map draws from the app's own outline file.

Chromium resolves no host name except localhost (``--host-resolver-rules``), so a fetch from
plotly's CDN would fail; the test asserts the land outlines drew and nothing else was fetched.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
LOCAL = re.compile(r"^(https?|wss?)://(127\.0\.0\.1|localhost)[:/]|^(data|blob|about):")
pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(fixture_db):
    if not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed")
    port = _free_port()
    env = {**os.environ, "FPF_DB_PATH": str(fixture_db)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("the app did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _settle(page):
    page.wait_for_selector('[data-testid="stApp"]', timeout=60000)
    page.wait_for_function(
        "document.querySelector('[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') === 'notRunning'",
        timeout=90000,
    )


def test_map_draws_offline_and_nothing_is_fetched_from_the_internet(app_url):
    sync_api = pytest.importorskip("playwright.sync_api")
    leaks: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=[
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run",
        ])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 4000})
            page.on("requestfinished", lambda r: None if LOCAL.match(r.url) else leaks.append(r.url))
            page.goto(app_url + "/")  # registers the navigation (see README: direct page links)
            _settle(page)
            page.goto(app_url + "/insights?lang=ja")
            _settle(page)
            page.wait_for_selector(".js-plotly-plot .geo .layer.land path", state="attached", timeout=60000)
            assert page.locator(".js-plotly-plot .geo .layer.land path").count() >= 2  # Japan and UK panels
            assert page.locator(".js-plotly-plot").count() == 5
            assert page.locator('[data-testid="stException"]').count() == 0
            assert "日英の技術・機能分布" in page.locator(".js-plotly-plot").first.inner_text()
        finally:
            browser.close()
    assert leaks == []
