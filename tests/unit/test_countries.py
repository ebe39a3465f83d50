"""Countries are shown with text every desktop can draw: names and short code chips, never
regional-indicator flag emoji (Windows and many Linux browsers show those as boxed letters)."""

import re
from pathlib import Path

import pycountry
import pytest

from fusion_partners.i18n.countries import country_badge, country_chip, country_label

PROJECT = Path(__file__).resolve().parents[2]
REGIONAL_INDICATOR = re.compile("[\U0001f1e6-\U0001f1ff]")


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_no_country_label_or_badge_holds_a_flag_emoji(lang):
    for country in pycountry.countries:
        for text in (country_label(country.alpha_2, lang), country_badge(country.alpha_2, lang)):
            assert text and not REGIONAL_INDICATOR.search(text), (country.alpha_2, text)


@pytest.mark.parametrize(
    ("code", "lang", "label"),
    [
        ("JP", "en", "Japan"),
        ("GB", "en", "United Kingdom"),
        ("JP", "ja", "日本"),
        ("GB", "ja", "英国"),
        ("US", "en", "United States"),
        ("XX", "en", "XX"),
    ],
)
def test_a_country_label_is_its_plain_name(code, lang, label):
    assert country_label(code, lang) == label


def test_chips_are_short_codes_users_read_the_uk_as_uk():
    assert [country_chip(c) for c in ("JP", "GB", "gb", "US", "", None)] == [
        "JP",
        "UK",
        "UK",
        "US",
        "",
        "",
    ]


def test_badges_are_coloured_as_in_the_charts_and_other_countries_are_grey():
    assert country_badge("JP", "en") == ":red-badge[JP] Japan"
    assert country_badge("GB", "ja") == ":blue-badge[UK] 英国"
    assert country_badge("DE", "en") == ":gray-badge[DE] Germany"
    assert country_badge("", "en") == ""


def test_no_source_file_builds_a_flag_emoji():
    """Neither literal flags nor pycountry's ``.flag`` attribute anywhere in the app code."""
    offending = []
    for path in [
        *sorted((PROJECT / "src").rglob("*.py")),
        *sorted((PROJECT / "pages").rglob("*.py")),
    ]:
        text = path.read_text(encoding="utf-8")
        if REGIONAL_INDICATOR.search(text) or re.search(r"\.flag\b|1F1E6", text):
            offending.append(str(path.relative_to(PROJECT)))
    assert not offending, offending
