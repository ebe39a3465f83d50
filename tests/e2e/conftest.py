"""Real-browser fixtures: a Streamlit server on a free port and Debian's chromium via Playwright.

Waits ask the app for its state (``/_stcore/health``, the ``stApp`` element's
``data-test-script-state``, or the expected text) instead of sleeping. When a test fails, a
full-page screenshot is saved under ``test-artifacts/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.e2e


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def playwright():
    """The Playwright driver (one per test session), or a skip/fail when chromium is absent."""
    if _chromium() is None:
        if os.environ.get("FPF_REQUIRE_BROWSER"):
            pytest.fail("chromium is required (FPF_REQUIRE_BROWSER is set) but not installed")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        yield p


def launch(playwright, *extra_args: str):
    """Launch Debian's chromium (never a downloaded browser) with the standard flags."""
    return playwright.chromium.launch(
        executable_path=_chromium(), args=[*extra_args, *CHROMIUM_ARGS]
    )


@pytest.fixture(scope="session")
def browser(playwright):
    b = launch(playwright)
    yield b
    b.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run app.py`` on a free port against ``db``; return (process, base URL)."""
    port = _free_port()
    # a workspace of its own, in a fresh temporary folder: never the project's, never shared
    workspace = f"sqlite:///{Path(tempfile.mkdtemp(prefix='fpf-e2e-ws-')) / 'workspace.sqlite3'}"
    env = {
        **os.environ,
        "FPF_DB_PATH": str(db),
        "FPF_WORKSPACE_URL": workspace,
        **(extra_env or {}),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(PROJECT / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stdout.read().decode(errors="replace"))
        try:
            with urllib.request.urlopen(base + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy in 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server from :func:`start_server` (terminate, then kill after 10 s)."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def server(fixture_db):
    proc, base = start_server(fixture_db)
    yield base
    stop_server(proc)


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def context(browser, request):
    ctx = browser.new_context(
        accept_downloads=True, viewport={"width": 1400, "height": 1000}, locale="en-GB"
    )
    yield ctx
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for i, page in enumerate(ctx.pages):
            try:
                page.screenshot(
                    path=str(ARTIFACTS / f"{request.node.name}-{i}.png"), full_page=True
                )
            except Exception:  # noqa: BLE001 - best effort on failure
                pass
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def wait_idle(page, timeout_ms: int = 30000) -> None:
    """Wait until the app has rendered and its script is not running."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning';
        }""",
        timeout=timeout_ms,
    )


def no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, "Streamlit exception on page"
