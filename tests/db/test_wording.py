"""Interface wording: Japanese house style and terminology, English counts, country names,
capability labels, and search examples that really find something."""

import csv
import re
from pathlib import Path

import duckdb
import pytest

from fusion_partners import queries
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n import catalogue, t
from fusion_partners.i18n.countries import country_name

PROJECT = Path(__file__).resolve().parents[2]

JAPANESE = r"[\u3040-\u30ff\u3400-\u9fff]"
"""A kana or kanji character."""

# The one term the Japanese interface uses for each concept, and the variants it replaced.
GLOSSARY = {
    "技術分野": ("技術・機能",),  # capability
    "会員区分": ("加盟", "会員資格"),  # (council) membership
    "根拠の確度": ("根拠の確かさ",),  # evidence confidence
    "検討リスト": ("候補リスト", "ショートリスト"),  # shortlist
    "パートナー検索": ("パートナー探索",),  # Partner finder (page name)
    "連携マップ": ("需要→供給マップ",),  # the partner map, data/supply_map.csv
    "既定の重み": ("標準の重み",),  # default weights
    "超電導": ("超伝導",),  # superconducting (see docs/japanese.md)
    # the track-record term: collaborations with organisations in the START's country; 相手国
    # is the candidates' country everywhere else on the page (相手国の連携先を探す)
    "起点の国での実績": ("相手国での実績",),
    "出典日": ("出典日付",),  # source date (a label; 出典の日付 reads fine in a sentence)
}


def _ja_messages():
    return sorted(catalogue("ja").items())


@pytest.mark.parametrize(("preferred", "variants"), sorted(GLOSSARY.items()))
def test_japanese_messages_use_one_term_per_concept(preferred, variants):
    offending = [key for key, text in _ja_messages() if any(v in text for v in variants)]
    assert not offending, f"use {preferred}: {offending}"


def test_japanese_messages_use_full_width_punctuation_between_japanese_words():
    ascii_after = re.compile(JAPANESE + r"[:;,?!]")  # 国: / 日本, / ですか?
    # 英語名(…) / (英語) — ASCII brackets around Japanese; formulas such as ln(N / n)の stay ASCII
    ascii_paren = re.compile(JAPANESE + r"\(|\(" + JAPANESE + r"|" + JAPANESE + r"\)")
    offending = [
        key for key, text in _ja_messages() if ascii_after.search(text) or ascii_paren.search(text)
    ]
    assert not offending, offending


def test_japanese_messages_put_no_space_between_a_count_and_its_counter():
    # 「{n}件」「3行目」, not 「{n} 件」「3 行目」 (the JTF style guide: no space between
    # full-width and half-width characters)
    spaced = re.compile(r"(\}|\d) " + JAPANESE + "|" + JAPANESE + r" (\{|\d)")
    offending = [key for key, text in _ja_messages() if spaced.search(text)]
    assert not offending, offending


def test_english_messages_never_put_a_plural_noun_right_after_a_count():
    # "1 value(s)", "1 filters active", "1 data rows" read wrong; "Organisations: {n}" reads
    # right for any number ("{n} of {total} …" and "+{n} more" are fine).
    count_then_plural = re.compile(
        r"\{(n|count|drawn|places|links|added|updated)\}\**\s+(?!of\b|more\b)[a-z]+s\b"
    )
    en = catalogue("en")
    # a message with a ".one" sibling is only used for other numbers (i18n.tn), so its plural is right
    offending = [
        key
        for key, text in sorted(en.items())
        if "(s)" in text or (count_then_plural.search(text) and f"{key}.one" not in en)
    ]
    assert not offending, offending


def _roster_countries():
    with (PROJECT / "data" / "organisations.csv").open(encoding="utf-8") as fh:
        return sorted({row["country"] for row in csv.DictReader(fh)})


@pytest.mark.parametrize("code", _roster_countries())
def test_every_roster_country_has_a_short_reviewed_japanese_name(code):
    from fusion_partners.i18n.countries import _FALLBACK_NAMES

    name = country_name(code, "ja")
    assert _FALLBACK_NAMES["ja"].get(code) == name  # reviewed, not whatever pycountry ships
    assert not re.search(r"共和国|王国|連邦|合衆国|連合|[()（）]", name), name


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("AU", "オーストラリア"),  # the catalogue says オーストラリア連邦
        ("GB", "英国"),
        ("US", "米国"),
        ("KR", "韓国"),
        ("TW", "台湾"),
        ("TZ", "タンザニア"),
    ],
)
def test_japanese_country_names_are_the_short_common_names(code, name):
    assert country_name(code, "ja") == name


@pytest.mark.parametrize(
    ("code", "lang", "name"),
    [
        ("GB", "en", "the United Kingdom"),
        ("US", "en", "the United States"),
        ("NL", "en", "the Netherlands"),
        ("JP", "en", "Japan"),
        ("DE", "en", "Germany"),
        ("GB", "ja", "英国"),
        ("XX", "en", "XX"),
    ],
)
def test_country_names_in_running_text_carry_the_article_they_need(code, lang, name):
    from fusion_partners.i18n.countries import country_in_text

    assert country_in_text(code, lang) == name
    assert country_name(code, lang) == name.removeprefix("the ")  # labels keep the bare name


def test_english_country_names_keep_the_common_names():
    assert country_name("AU", "en") == "Australia"
    assert country_name("KR", "en") == "South Korea"
    assert country_name("US", "en") == "United States"


def test_shipped_capability_labels_use_the_industry_forms():
    with (PROJECT / "data" / "capabilities.csv").open(encoding="utf-8") as fh:
        rows = {row["slug"]: row for row in csv.DictReader(fh)}
    labels = " ".join(r["label_ja"] + " " + r["group_ja"] for r in rows.values())
    assert (
        "超伝導" not in labels and "超電導マグネット" in rows["magnets_superconductors"]["label_ja"]
    )
    assert not re.search(JAPANESE + r"[(),]|[(),]" + JAPANESE, labels)  # full-width punctuation
    # the Japanese labels name the same examples as the English ones, so both can be searched
    assert "トカマク" in rows["fusion_developer_mcf"]["label_ja"]
    assert "ジャイロトロン" in rows["plasma_heating"]["label_ja"]


def _placeholder_examples(lang):
    text = t("filters.search_placeholder", lang)
    text = re.sub(r"^(e\.g\.|例：)\s*", "", text)
    return [w.strip() for w in re.split(r"[,、]", text) if w.strip()]


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_search_example_in_the_placeholder_finds_organisations_in_the_shipped_roster(
    real_db, lang
):
    con = duckdb.connect(str(real_db), read_only=True)
    examples = _placeholder_examples(lang)
    assert len(examples) >= 2
    for word in examples:
        assert queries.count(con, Filters(query=word)) > 0, word


def test_a_japanese_capability_label_is_searchable_like_the_english_one(real_db):
    con = duckdb.connect(str(real_db), read_only=True)
    assert queries.count(con, Filters(query="トカマク")) > 0
    holders = set(
        queries.organisation_table(con, Filters(capabilities=("magnets_superconductors",)))["id"]
    )
    for spelling in (
        "超電導",
        "超伝導",
    ):  # the label's spelling and, through the synonyms, the other one
        found = set(queries.organisation_table(con, Filters(query=spelling))["id"])
        assert holders and holders <= found, spelling


def test_search_help_says_what_search_does_in_both_languages():
    en, ja = t("filters.search_help", "en"), t("filters.search_help", "ja")
    for word in (
        "names",
        "romanised",
        "place",
        "description",
        "evidence",
        "capability labels",
        "hiragana",
        "upper and lower case",
        "when other words are given",
        "Every word",
    ):
        assert word in en, word
    for word in (
        "ローマ字読み",
        "所在地",
        "概要",
        "根拠",
        "技術分野名",
        "ひらがな",
        "大文字・小文字",
        "ほかの語と一緒に",
        "すべての語",
    ):
        assert word in ja, word


# Developer detail the pages must not show: file names, paths into the repository, formulas.
# It lives in docs/ (docs/partner-finder.md keeps the score's formulas, docs/data.md the files),
# which the page's "How the score works" points to in words.
JARGON = {
    "file name": re.compile(r"[\w-]+\.(?:csv|py|md|toml|duckdb|sqlite)\b", re.IGNORECASE),
    "repository path": re.compile(r"\b(?:data|docs|src|tests|bench|static)/"),
    "sum sign": re.compile("Σ"),
    "logarithm": re.compile(r"\bln\s*\(|\blog\s*\("),
    "power sign": re.compile(r"\^"),  # (** is Markdown bold on the pages)
    "statistics term": re.compile(
        r"inverse document frequency|betweenness|逆文書頻度|媒介中心性|\bidf\b", re.IGNORECASE
    ),
    "library name": re.compile(r"\b(?:Kaleido|DuckDB|pycountry|rapidfuzz|plotly)\b", re.IGNORECASE),
    "old label": re.compile(r"Rarity emphasis", re.IGNORECASE),
}


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("kind", sorted(JARGON))
def test_no_message_shown_on_the_pages_holds_a_file_name_or_formula(lang, kind):
    pattern = JARGON[kind]
    offending = {
        key: text
        for key, text in sorted(catalogue(lang).items())
        if pattern.search(re.sub(r"\{\w+\}", "", text))
    }  # placeholders are not shown
    assert not offending, offending


def test_the_jargon_patterns_catch_what_the_pages_used_to_show():
    shown = {
        "file name": "documented by public sources (data/links.csv)",
        "repository path": "in the documentation (docs/partner-finder)",
        "sum sign": "match = Σ idf",
        "logarithm": "inverse document frequency, ln(N / n)",
        "power sign": "Σ ln(N/n)^rarity",
        "statistics term": "Bridge organisation (high betweenness)",
        "library name": "the image renderer (Kaleido) is not installed",
        "old label": "Rarity emphasis",
    }
    assert set(shown) == set(JARGON)
    for kind, text in shown.items():
        assert JARGON[kind].search(text), kind


def test_the_score_explanation_points_to_the_documentation_in_words():
    for lang, words in (("en", "Partner finder documentation"), ("ja", "パートナー検索の説明資料")):
        assert words in t("partners.weights_formula", lang)
    doc = (PROJECT / "docs" / "partner-finder.md").read_text(encoding="utf-8")
    assert "How the score works" in doc and "ln(N / n" in doc  # the formulas moved there, not lost
