"""The language switch in a real browser keeps the view: the Partner finder's start, kind,
candidate filters and weights stay selected and in the URL, English to Japanese and back, and
the next click still reads the selection (not its label). The same check for every page's
selections, without a browser, is ``tests/app/test_language_switch_app.py``."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import no_exception, start_server, stop_server, wait_idle

pytestmark = pytest.mark.e2e

LINK = (
    "/partners?org=furukawa-electric&kind=teaming&country=GB&type=startup&type=company"
    "&min_conf=medium&known=first&w_match=1.5"
)
START = {  # the start as the list names it: the names differ between the languages
    "en": "Furukawa Electric Co., Ltd. / 古河電気工業株式会社 — Japan",
    "ja": "古河電気工業株式会社 / Furukawa Electric Co., Ltd. — 日本",
}
SWITCH = {"en": "English", "ja": "日本語"}
SUPPLY_CHAIN = {"en": "Supply chain", "ja": "サプライチェーン"}


@pytest.fixture(scope="module")
def real_server(real_db):
    """The app on the shipped roster (Furukawa Electric is the organisation of the report)."""
    proc, base = start_server(real_db)
    yield base
    stop_server(proc)


def params(page) -> dict[str, list[str]]:
    """The URL's parameters but the language, each sorted."""
    query = parse_qs(urlsplit(page.url).query)
    return {k: sorted(v) for k, v in query.items() if k != "lang"}


def switch_to(page, lang: str) -> None:
    page.locator('[data-testid="stSidebar"]').get_by_role("radio", name=SWITCH[lang]).click()
    expect(page).to_have_url(re.compile(rf"lang={lang}"), timeout=30000)
    wait_idle(page)


def start(page):
    return page.locator(".st-key-pf_org input")


@pytest.mark.parametrize("first", ["en", "ja"])
def test_a_language_round_trip_keeps_the_partner_finders_start_and_filters(
    real_server, page, first
):
    other = "ja" if first == "en" else "en"
    page.goto(f"{real_server}{LINK}&lang={first}")
    wait_idle(page)
    expect(start(page)).to_have_value(START[first], timeout=30000)
    link = params(page)
    assert link["org"] == ["furukawa-electric"] and link["type"] == ["company", "startup"]
    for lang in (other, first, other, first):
        switch_to(page, lang)
        assert params(page) == link, lang
        expect(start(page)).to_have_value(START[lang], timeout=30000)
    # the next click still reads the start (an id, not its label) from the browser
    page.get_by_role("radio", name=re.compile(rf"^{SUPPLY_CHAIN[first]}")).click()
    expect(page).to_have_url(re.compile(r"kind=supply_chain"), timeout=30000)
    wait_idle(page)
    assert params(page) == {**link, "kind": ["supply_chain"]}
    expect(start(page)).to_have_value(START[first])
    no_exception(page)


def test_back_across_a_language_switch_keeps_the_partner_finders_choices(real_server, page):
    """Back undoes the switch (docs/urls.md); the start, the kind and the start mode stay chosen,
    so the next click neither drops the start nor shows the capability input."""
    page.goto(f"{real_server}/partners?org=furukawa-electric&kind=teaming&lang=en")
    wait_idle(page)
    switch_to(page, "ja")
    page.go_back()
    expect(page).to_have_url(re.compile(r"lang=en"), timeout=30000)
    wait_idle(page)
    assert params(page) == {"org": ["furukawa-electric"], "kind": ["teaming"]}
    expect(start(page)).to_have_value(START["en"], timeout=30000)
    expect(page.get_by_role("radio", name="An organisation")).to_be_checked()
    expect(page.get_by_role("radio", name=re.compile(r"^Teaming"))).to_be_checked()
    page.get_by_role("radio", name=re.compile(r"^Supply chain")).click()
    expect(page).to_have_url(re.compile(r"kind=supply_chain"), timeout=30000)
    wait_idle(page)
    assert params(page) == {"org": ["furukawa-electric"], "kind": ["supply_chain"]}
    expect(start(page)).to_have_value(START["en"])
    expect(page.get_by_role("radio", name="An organisation")).to_be_checked()
    no_exception(page)


def test_a_language_switch_keeps_a_correction_being_typed(server, page):
    """Text typed into a form and not yet sent is held by the browser, which keeps it across
    the switch only when the widget keeps its id (a key); the form stays open, and the choice
    of field (made outside the form) is relabelled and sent as chosen."""
    page.goto(f"{server}/profile?org=kyoto-sample&lang=en")
    wait_idle(page)
    page.get_by_text("Suggest a correction").click()
    page.locator(".st-key-corr_kyoto-sample_field input").click()
    page.get_by_role("option", name="Website", exact=True).click()
    wait_idle(page)
    proposed = page.locator(".st-key-corr_kyoto-sample_proposed textarea")
    source = page.locator(".st-key-corr_kyoto-sample_url input")
    proposed.fill("https://kyoto-sample.example")
    source.fill("https://news.example/kyoto")
    switch_to(page, "ja")
    expect(proposed).to_be_visible()
    expect(proposed).to_have_value("https://kyoto-sample.example")
    expect(source).to_have_value("https://news.example/kyoto")
    expect(page.locator(".st-key-corr_kyoto-sample_field input")).to_have_value("ウェブサイト")
    page.get_by_role("button", name="編集者に送る").click()
    expect(page.get_by_text(re.compile(r"提案 #\d+は編集者の確認待ちです"))).to_be_visible(
        timeout=30000
    )
    no_exception(page)
