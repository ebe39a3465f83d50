"""Normalisation for matching: widths, case, kana, spaces, dashes, corporate forms."""

import duckdb
import pytest

from fusion_partners.data.units import PARENT_LEGAL_FORM
from fusion_partners.partners.reasons import short_name
from fusion_partners.search.reading import japanese_sort_key, kana_reading, romanise, slugify
from fusion_partners.search.terms import ignored_symbols, search_key, search_terms
from fusion_partners.search.text import LEGAL_FORMS, fold, match_key, name_key, single_line


@pytest.mark.parametrize(
    ("query", "stored"),
    [
        # Examples of the kinds in the shared search cases (C10)
        ("tokamak", "ＴＯＫＡＭＡＫ ＴＥＳＴ ＬＴＤ"),
        ("ＴＯＫＡＭＡＫ", "TOKAMAK TEST LTD"),
        ("ヘリカル", "ﾍﾘｶﾙｻﾝﾌﾟﾙ株式会社"),
        ("ﾍﾘｶﾙ", "ヘリカルサンプル株式会社"),
        ("KYOTO", "Kyoto Fusioneering Ltd"),
        ("株式会社 スペース", "株式会社　スペース試験"),
        ("株式会社　スペース", "株式会社 スペース試験"),
        # hiragana and katakana alike, both directions
        ("へりかる", "ヘリカル"),
        ("ヘリカル", "へりかる"),
        # Latin diacritics and romanised long vowels
        ("Kyōto", "kyoto"),
        ("kyoto", "Kyōto"),
        ("tokyo", "toukyou"),
        # dashes and wave dashes
        ("EX-Fusion", "EX–Fusion"),
        ("EX－Fusion", "EX-Fusion"),
        ("1〜2", "1～2"),
        # corporate forms ignored in both languages
        ("Helical Fusion", "Helical Fusion Co., Ltd."),
        ("Helical Fusion Co., Ltd.", "Helical Fusion"),
        ("サンプル", "㈱サンプル"),
        ("（株）サンプル", "サンプル"),
        ("Sample KK", "Sample K.K."),
        ("Sample Inc.", "Sample"),
        ("有限会社テスト", "テスト"),
    ],
)
def test_query_matches_stored_text_however_it_is_typed(query, stored):
    terms = search_terms(query)
    assert terms, query
    assert all(term in search_key(stored) for term in terms)


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("%", ["%"]),
        ("_", ["_"]),
        ("'", ["'"]),
        ("--", ["--"]),
        ("\\", ["\\"]),
        ('"quoted"', ["quoted"]),
    ],
)
def test_a_query_of_only_punctuation_is_searched_as_written(query, terms):
    assert search_terms(query) == terms
    assert all(term in fold(query) for term in terms)  # pieces of the query, never patterns


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        # punctuation between words is a space; at the ends of words it is dropped
        ("remote-handling", ["remote", "handling"]),
        ("remote–handling", ["remote", "handling"]),  # en dash
        ("remote/handling", ["remote", "handling"]),
        ("remote_handling", ["remote", "handling"]),
        ("remote.handling", ["remote", "handling"]),
        ("remote・handling", ["remote", "handling"]),
        ("ジェイ・フュージョン", ["じぇい", "ふゅーじょん"]),
        ("tokamak!", ["tokamak"]),
        ("50%_off", ["50", "off"]),
        ("' OR 1=1 --", ["or", "1 1"]),
        ("'; DROP TABLE organisations; --", ["drop", "table", "organisations"]),
        # one letter or digit stays with its neighbours, as a phrase
        ("R&D", ["r d"]),
        ("U.K.", ["u k"]),
        ("X-ray", ["x ray"]),
        ("T-15", ["t 15"]),
        ("JT-60SA", ["jt", "60sa"]),
        ("[a-z]*", ["a z"]),
        ("Harbour's", ["harbor s"]),
    ],
)
def test_punctuation_inside_a_word_counts_as_a_space(query, terms):
    assert search_terms(query) == terms


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Remote-handling systems", "remote handling"),
        ("Remote handling systems", "remote-handling"),
        ("R&D centre", "R&D"),
        ("U.K. company", "U.K."),
        ("X-ray diagnostics", "x-ray"),
        ("X ray diagnostics", "x-ray"),
        ("T-15MD tokamak", "t-15"),
        ("Magnet ✓ tested", "magnet tested"),
    ],
)
def test_stored_text_reads_punctuation_and_symbols_as_queries_do(stored, query):
    assert all(term in search_key(stored) for term in search_terms(query))


@pytest.mark.parametrize(
    ("query", "terms", "ignored"),
    [
        ("✓ tokamak", ["tokamak"], ["✓"]),
        ("tokamak★", ["tokamak"], ["★"]),
        ("tokamak 😀 magnet", ["tokamak", "magnet"], ["😀"]),
        ("🇯🇵 fusion", ["fusion"], ["🇯🇵"]),  # a flag is one item
        ("👩\u200d🔬 lab 👍🏻", ["lab"], ["👩\u200d🔬", "👍🏻"]),  # joined emoji, skin tone
        ("★ ★ magnet ✓", ["magnet"], ["★", "✓"]),
        ("© Tokamak ®", ["tokamak"], ["©", "®"]),
        ("😀", [], ["😀"]),
        ("™", ["tm"], []),  # NFKC makes it letters
        ("①", ["1"], []),
        ("R&D", ["r d"], []),  # punctuation is not a symbol
    ],
)
def test_symbols_are_ignored_and_reported(query, terms, ignored):
    assert search_terms(query) == terms
    assert ignored_symbols(query) == ignored


def test_kana_reading_of_japanese_names():
    assert kana_reading("古河電気工業") == "ふるかわでんきこうぎょう"
    assert kana_reading("フジクラ") == "ふじくら"
    assert kana_reading("") == ""


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("magnet tokamak", ["magnet", "tokamak"]),
        ("magnet, tokamak", ["magnet", "tokamak"]),
        ("magnet,tokamak", ["magnet", "tokamak"]),
        ("magnet;tokamak", ["magnet", "tokamak"]),
        ('magnet "superconducting"', ["magnet", "superconducting"]),
        ("“magnet” ‘tokamak’", ["magnet", "tokamak"]),
        ("「超電導」『トカマク』", ["超電導", "とかまく"]),
        ("超電導、トカマク。", ["超電導", "とかまく"]),
        ("超電導，トカマク；ブランケット", ["超電導", "とかまく", "ぶらんけっと"]),
        ("ｍａｇｎｅｔ､ｔｏｋａｍａｋ｡", ["magnet", "tokamak"]),
        ("magnet (HTS) [tokamak]", ["magnet", "hts", "tokamak"]),
        ("【核融合】", ["核融合"]),
        # nothing but separators: searched as written
        ('"', ['"']),
        ("、", ["、"]),
        (", ;", [",", ";"]),
    ],
)
def test_punctuation_between_words_separates_them(query, terms):
    assert search_terms(query) == terms


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("tok\u200bamak", ["tokamak"]),  # zero-width space
        ("tok\u200camak", ["tokamak"]),  # zero-width non-joiner
        ("tok\u200damak", ["tokamak"]),  # zero-width joiner
        ("tok\u00adamak", ["tokamak"]),  # soft hyphen
        ("\ufefftokamak", ["tokamak"]),  # byte-order mark
        ("\u202etokamak\u202c", ["tokamak"]),  # right-to-left override ... pop
        ("\u2066tokamak\u2069", ["tokamak"]),  # left-to-right isolate ... pop
        ("\u200emagnet \u200ftokamak", ["magnet", "tokamak"]),  # direction marks
        ("超電導\ufe00", ["超電導"]),  # variation selector
        ("magnet\ttokamak\nlaser", ["magnet", "tokamak", "laser"]),
    ],
)
def test_invisible_characters_are_ignored(query, terms):
    assert search_terms(query) == terms


@pytest.mark.parametrize(
    ("stored", "query"),
    [
        ("Toka\u200bmak Energy", "tokamak"),
        ("\ufeffKyoto Fusioneering", "kyoto fusioneering"),
        ("Super\u00adconducting", "superconducting"),
        ("髙田製作所", "高田"),  # kanji variants fold to the common form
        ("山﨑製作所", "山崎"),
    ],
)
def test_stored_text_is_folded_like_the_query(stored, query):
    assert all(term in match_key(stored) for term in search_terms(query))


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("magnet\ntokamak", "magnet tokamak"),
        ("magnet\r\n\ttokamak", "magnet tokamak"),
        ("  magnet\x00tokamak\x7f ", "magnet tokamak"),
        ("\u202eevil.com", "evil.com"),
        ("a\u2028b", "a b"),
        (None, ""),
    ],
)
def test_single_line_turns_controls_into_one_space_and_drops_invisible_characters(text, line):
    assert single_line(text) == line


def test_stored_text_is_never_rewritten():
    original = "株式会社　スペース試験"
    match_key(original)
    assert original == "株式会社　スペース試験"


def test_blank_queries_have_no_terms():
    assert search_terms("") == []
    assert search_terms("   　 ") == []
    assert search_terms(None) == []


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("株式会社", ["株式会社"]),
        ("㈱", ["株式会社"]),  # the abbreviations stand for 株式会社: the same search
        ("(株)", ["株式会社"]),
        ("（株）", ["株式会社"]),
        ("㈲", ["有限会社"]),
        ("Ltd", ["ltd"]),
        ("㈱ 東芝", ["東芝"]),  # with other words, corporate forms are ignored
    ],
)
def test_query_of_only_a_corporate_form_keeps_its_text(query, terms):
    assert search_terms(query) == terms


def test_name_key_ignores_punctuation_case_and_corporate_forms():
    assert name_key("Kyoto Fusioneering Ltd.") == name_key("KYOTO FUSIONEERING")
    assert name_key("Mitsui & Co., Ltd.") == name_key("Mitsui &")
    assert name_key("Astral Neutronics Limited") != name_key("Astral Systems")


def test_romanised_reading_of_japanese_name_matches_english_spelling():
    reading = match_key(romanise("京都"))
    assert "kyoto" in reading


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("UK Atomic Energy Authority (UKAEA)", "uk-atomic-energy-authority-ukaea"),
        ("R&B Switchgear", "r-and-b-switchgear"),
    ],
)
def test_slugify_gives_ascii_ids(text, slug):
    assert slugify(text) == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("髙田製作所", "takada-seisakusho"),  # 髙 (はしご高) is read as 高
        ("山﨑", "yamazaki"),
        ("𠮷野", "yoshino"),
    ],
)
def test_slugify_reads_kanji_variants(text, slug):
    assert slugify(text) == slug


def test_slugify_refuses_text_without_letters():
    with pytest.raises(ValueError):
        slugify("!!!")


def test_japanese_sort_key_orders_as_a_japanese_index():
    key = japanese_sort_key
    names = [
        "浜松ホトニクス株式会社",
        "パーソルクロステクノロジー株式会社",
        "新むつ小川原株式会社",
        "株式会社ジャフコ",
        "金属技研株式会社",
        "岐阜県",
        "キヤノン電子管デバイス株式会社",
        "IHI株式会社",
        "株式会社EX-Fusion",
        "ANRI株式会社",
    ]
    assert sorted(names, key=lambda n: key(n, "")) == [
        "ANRI株式会社",
        "株式会社EX-Fusion",
        "IHI株式会社",  # Latin letters first, A–Z, 株式会社 ignored
        "岐阜県",
        "キヤノン電子管デバイス株式会社",
        "金属技研株式会社",  # ぎ next to き
        "株式会社ジャフコ",
        "新むつ小川原株式会社",  # じゃ as しや: before しん
        "パーソルクロステクノロジー株式会社",
        "浜松ホトニクス株式会社",  # ぱー as は, long mark ignored
    ]
    assert key("株式会社フジクラ", "Fujikura Ltd.").startswith("0ふしくら")
    assert key("国立大学法人 九州大学", "Kyushu University") < key("京セラ株式会社", "Kyocera")
    assert key("愛知県", "Aichi") < key("青森県", "Aomori") < key("青森県ITER計画推進会議", "")
    assert (
        key(None, "Tokamak Energy Ltd") == "1tokamak energy ltd"
    )  # no Japanese name: after all of them
    assert key("ﾍﾘｶﾙ", "Helical") == key("ヘリカル", "Helical")  # half-width folded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("株式会社", True),
        ("㈱", True),
        ("（株）", True),
        ("Ltd", True),
        ("Co., Ltd.", True),
        ("フジクラ", False),
        ("株式会社フジクラ", False),
        ("  ", False),
        ("", False),
    ],
)
def test_only_corporate_forms(text, expected):
    from fusion_partners.search.text import only_corporate_forms

    assert only_corporate_forms(text) is expected


LEGAL_FORM_EXAMPLES = {  # every form of LEGAL_FORMS as a name writes it
    "株式会社": "株式会社",
    "有限会社": "有限会社",
    "合同会社": "合同会社",
    "合資会社": "合資会社",
    "合名会社": "合名会社",
    "一般社団法人": "一般社団法人",
    "一般財団法人": "一般財団法人",
    "公益社団法人": "公益社団法人",
    "公益財団法人": "公益財団法人",
    "国立研究開発法人": "国立研究開発法人",
    "国立大学法人": "国立大学法人",
    "学校法人": "学校法人",
    "独立行政法人": "独立行政法人",
    "(株)": "㈱",
    "(有)": "（有）",
    "(同)": "(同)",
    r"k\.\s?k\.?": "K.K.",
    "kk": "KK",
    r"co\.,?\s*ltd\.?": "Co., Ltd.",
    r"co\.": "Co.",
    r"ltd\.?": "Ltd.",
    "limited": "Limited",
    r"inc\.?": "Inc.",
    "incorporated": "Incorporated",
    "plc": "plc",
    "llc": "LLC",
    r"l\.l\.c\.": "L.L.C.",
    "corporation": "Corporation",
    r"corp\.?": "Corp.",
    "gmbh": "GmbH",
    r"kabushiki\s+kaisha": "Kabushiki Kaisha",
}


def test_every_legal_form_has_an_example():
    assert set(LEGAL_FORM_EXAMPLES) == {f.form for f in LEGAL_FORMS}


@pytest.mark.parametrize("form", LEGAL_FORMS, ids=lambda f: f.form)
def test_every_user_of_the_legal_forms_drops_a_form_where_the_list_says(form):
    """Search keys, the partner reasons' short names, the partner finder's unit roll-up and the
    Japanese sort order all take their legal forms from LEGAL_FORMS: each drops a form exactly
    where the list says, and search drops every form another user drops."""
    written = LEGAL_FORM_EXAMPLES[form.form]
    name, bare = (
        (written + "サクラ", "サクラ") if form.japanese else ("Sakura " + written, "Sakura")
    )
    assert (match_key(name) == match_key(bare)) is form.search
    assert (short_name(name) == bare) is form.display
    con = duckdb.connect()
    [(parent,)] = con.execute(
        "SELECT regexp_replace(lower($name), $form, '')", {"name": name, "form": PARENT_LEGAL_FORM}
    ).fetchall()
    assert (parent == bare.lower()) is form.parent
    assert (japanese_sort_key(name, None) == japanese_sort_key(bare, None)) is form.sort
    assert form.search or not (form.display or form.parent)
    if form.display and form.japanese:  # at either end of a Japanese name
        assert short_name(bare + written) == bare
