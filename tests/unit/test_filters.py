"""Filters → SQL fragments with bound parameters (table-driven)."""

import pytest

from fusion_partners.explore.filters import Filters, SearchIndex, search_rank_sql
from fusion_partners.explore.filters import where as where_with_index

# A three-capability index: bit 0 blankets, bit 1 materials, bit 2 magnets.
INDEX = SearchIndex(
    bits=(("blanket_breeding", 0), ("materials", 1), ("magnets_superconductors", 2)),
    labels=(
        (0, "breeding blankets and lithium technology\nぶらんけっと"),
        (1, "structural materials\n構造材料"),
        (2, "superconducting magnets\n超伝導磁石"),
    ),
)


def where(filters, **kwargs):
    return where_with_index(filters, INDEX, **kwargs)


def term(i: int, indexed: bool = True) -> str:
    text = (
        f"o.name_rank IN (SELECT unnest(orgs) FROM search_tokens WHERE contains(token, $q{i}))"
        if indexed
        else f"(contains(o.search_text, $q{i}))"
    )
    return f"({text} OR (o.cap_mask & $q{i}_mask) <> 0)"


@pytest.mark.parametrize(
    ("filters", "sql", "params"),
    [
        (Filters(), "TRUE", {}),
        (Filters(countries=["JP"]), "o.country = ANY($countries)", {"countries": ["JP"]}),
        (
            Filters(countries=["JP", "GB", "JP"]),
            "o.country = ANY($countries)",
            {"countries": ["GB", "JP"]},
        ),
        (
            Filters(memberships=["j_fusion"], org_types=["startup"]),
            "(list_has_any(o.memberships, $memberships) OR (len(o.memberships) = 0 AND list_contains($memberships, 'other')))"
            " AND o.org_type = ANY($org_types)",
            {"memberships": ["j_fusion"], "org_types": ["startup"]},
        ),
        (
            Filters(capabilities=["materials", "blanket_breeding"]),
            "(o.cap_mask & $capabilities) <> 0",
            {"capabilities": 0b011},
        ),
        (
            Filters(capabilities=["materials"], capability_mode="all"),
            "(o.cap_mask & $capabilities) = $capabilities",
            {"capabilities": 0b010},
        ),
        (
            Filters(confidences=["high"]),
            "o.confidence = ANY($confidences)",
            {"confidences": ["high"]},
        ),
        (
            Filters(query="' OR 1=1 --"),  # punctuation between words is a space; "1 1" a phrase
            term(0)
            + " AND ((contains(o.search_text, $q1) AND regexp_matches(o.search_text, $q1_re))"
            " OR (o.cap_mask & $q1_mask) <> 0)",
            {"q0": "or", "q1": "1 1", "q1_re": "(^|[^a-z0-9])1 1", "q0_mask": 0, "q1_mask": 0},
        ),
        (
            Filters(query="%"),  # one character: scanned, not through the token index
            term(0, indexed=False),
            {"q0": "%", "q0_mask": 0},
        ),
        (
            Filters(query="50%_off"),  # % and _ between words separate them, never wildcards
            term(0) + " AND " + term(1),
            {"q0": "50", "q1": "off", "q0_mask": 0, "q1_mask": 0},
        ),
        (
            Filters(query="magnet"),  # also matches the capability label "superconducting magnets"
            term(0),
            {"q0": "magnet", "q0_mask": 0b100},
        ),
    ],
)
def test_filters_become_sql_with_bound_parameters(filters, sql, params):
    clause = where(filters)
    assert clause.sql == sql
    assert clause.params == params


def test_user_text_never_appears_in_the_sql():
    hostile = "'; DROP TABLE organisations; --"
    clause = where(Filters(query=hostile, countries=["JP'--"]))
    assert "DROP" not in clause.sql.upper()
    assert "'" not in clause.sql
    assert "JP'--" in clause.params["countries"]


def test_facet_exclusion_leaves_out_only_that_dimension():
    f = Filters(countries=["JP"], org_types=["startup"])
    assert where(f, exclude="country").sql == "o.org_type = ANY($org_types)"


def test_all_of_capability_facet_keeps_the_capability_filter():
    f = Filters(capabilities=["materials"], capability_mode="all")
    assert where(f, exclude="capability").sql == "(o.cap_mask & $capabilities) = $capabilities"
    f_any = Filters(capabilities=["materials"])
    assert where(f_any, exclude="capability").sql == "TRUE"


def test_suffix_renames_every_parameter():
    clause = where(Filters(countries=["JP"], query="a b"), suffix="_3")
    assert set(clause.params) == {"countries_3", "q0_3", "q1_3", "q0_mask_3", "q1_mask_3"}
    assert "$countries_3" in clause.sql and "$q1_3" in clause.sql


def test_bad_suffix_is_refused():
    with pytest.raises(ValueError):
        where(Filters(), suffix="; DROP")


def test_filters_are_canonical_and_hashable():
    a = Filters(countries=["GB", "JP"], query="  magnet ")
    b = Filters(countries=("JP", "GB", "GB"), query="magnet")
    assert a == b and hash(a) == hash(b)
    assert Filters(capability_mode="bogus").capability_mode == "any"


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        (
            "magnet\ntokamak",
            "magnet tokamak",
        ),  # a line break from a URL: the box shows what is matched
        ("magnet\r\n\ttokamak", "magnet tokamak"),
        ("magnet\x00tokamak", "magnet tokamak"),
        ("\u202eevil\u200b", "evil"),
        ("  magnet　tokamak ", "magnet tokamak"),  # an ideographic space is a space
        ("x" * 250, "x" * 200),
    ],
)
def test_search_text_is_kept_on_one_line(query, kept):
    assert Filters(query=query).query == kept


def test_active_count_counts_dimensions_and_search():
    assert Filters().active_count == 0
    assert Filters(countries=["JP", "GB"], query="x").active_count == 2


def test_search_rank_is_absent_without_search():
    assert search_rank_sql(Filters()) == (None, {})
    sql, params = search_rank_sql(Filters(query="Kyoto Sample"))
    assert params == {"q_whole": ["kyoto sample"]} and "$q_whole" in sql


PLACES = SearchIndex(synonyms=(("kyoto", "京都"), ("uk", "united kingdom", "英国")))


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("京都", ["京都", "kyoto"]),
        ("京都 Sample", ["京都 sample", "kyoto sample"]),
        (
            "UK Atomic Energy Authority (UKAEA)",  # as words (brackets separate words)
            [
                "uk atomic energy authority ukaea",
                "united kingdom atomic energy authority ukaea",
                "英国 atomic energy authority ukaea",
            ],
        ),
        (
            "United Kingdom Atomic Energy Authority",
            [
                "united kingdom atomic energy authority",
                "uk atomic energy authority",
                "英国 atomic energy authority",
            ],
        ),
        ("", []),
    ],
)
def test_rank_compares_names_with_every_spelling_of_the_query(query, keys):
    assert PLACES.rank_keys(query) == keys


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("United Kingdom", ["united kingdom"]),  # a synonym of several words is one term
        ("united kingdom atomic", ["united kingdom", "atomic"]),
        ("kingdom united", ["kingdom", "united"]),  # not in that order: plain words
        ("united, kingdom", ["united kingdom"]),  # separators are spaces
        ("United States", ["united", "states"]),
    ],
)
def test_words_spelling_a_synonym_become_one_term(query, terms):
    assert PLACES.terms(query) == terms


def test_a_latin_synonym_matches_at_the_start_of_a_word_and_the_term_itself_anywhere():
    clause = where_with_index(Filters(query="英国"), PLACES)
    # the term as typed: anywhere; "uk": where a word starts; "united kingdom": spans tokens, scanned
    assert clause.params["q0"] == "英国"
    assert clause.params["q0_1"] == "uk" and clause.params["q0_1_re"] == "(^|[^a-z0-9])uk"
    assert (
        clause.params["q0_2"] == "united kingdom"
        and clause.params["q0_2_re"] == "(^|[^a-z0-9])united kingdom"
    )
    assert "contains(token, $q0_1) AND regexp_matches(token, $q0_1_re)" in clause.sql
    assert (
        "(contains(o.search_text, $q0_2) AND regexp_matches(o.search_text, $q0_2_re))" in clause.sql
    )
    typed = where_with_index(Filters(query="uk"), PLACES)  # typed, "uk" matches inside words too
    assert "q0_re" not in typed.params and "contains(token, $q0))" in typed.sql


def test_a_synonym_group_widens_a_term_to_every_member():
    index = SearchIndex(synonyms=(("tokamak", "とかまく"),))
    assert index.alternatives("とかまく") == ("とかまく", "tokamak")
    assert index.alternatives("toka") == ("toka",)  # whole terms only, never parts
    clause = where_with_index(Filters(query="トカマク"), index)
    assert clause.params["q0"] == "とかまく" and clause.params["q0_1"] == "tokamak"
    assert clause.sql.count("search_tokens") == 2


# Capability leaves with their label keys (English and Japanese, as the build stores them).
LEAVES = SearchIndex(
    synonyms=(("cryoplant", "くらいおぷらんと"), ("refrigeration", "冷凍機")),
    aliases=frozenset({"京大"}),
    leaves=(
        (
            "hts_conductor",
            "hts conductor rebco tape and cable\n高温超電導線材 rebcoてーぷ けーぶる",
        ),
        (
            "cryoplant",
            "cryoplants helium refrigeration and compressors\n極低温ぷらんと へりうむ冷凍機 圧縮機",
        ),
        ("cryostat_thermal_shield", "cryostats and thermal shields\nくらいおすたっと 熱しーるど"),
        (
            "fuel_materials_supply",
            "fuel and raw materials supply deuterium helium 3 lithium\n燃料 原料供給",
        ),
    ),
)


@pytest.mark.parametrize(
    ("term", "leaves"),
    [
        ("cryoplant", ("cryoplant",)),  # part of "cryoplants"
        ("rebco", ("hts_conductor",)),
        ("冷凍機", ("cryoplant",)),  # the Japanese label
        ("refrigeration", ("cryoplant",)),
        ("くらいお", ("cryostat_thermal_shield",)),  # クライオ, in katakana in the label
        ("くらいおぷらんと", ("cryoplant",)),  # クライオプラント: through its synonym cryoplant
        ("helium", ("cryoplant", "fuel_materials_supply")),
        ("tokamak", ()),
        ("京大", ()),  # a whole-name alias matches names only
    ],
)
def test_a_term_matches_the_leaves_whose_english_or_japanese_label_holds_it(term, leaves):
    assert LEAVES.term_leaves(term) == leaves


def test_a_synonym_in_latin_letters_matches_a_leaf_label_where_a_word_starts():
    index = SearchIndex(
        synonyms=(("ore", "鉱石"),),
        leaves=(("a", "core drilling\n掘削"), ("b", "ore mining\n採掘")),
    )
    assert index.term_leaves("ore") == ("a", "b")  # typed: anywhere, as in other fields
    assert index.term_leaves("鉱石") == ("b",)  # its synonym: not inside "core"


def test_a_search_term_also_matches_organisations_offering_or_needing_a_leaf_it_names():
    clause = where_with_index(Filters(query="REBCO tokamak"), LEAVES)
    assert clause.params["q0_leaves"] == ["hts_conductor"]
    assert "list_has_any(o.offers, $q0_leaves) OR list_has_any(o.needs, $q0_leaves)" in clause.sql
    assert "q1_leaves" not in clause.params  # no leaf label holds "tokamak": no leaf test
    assert "q1_leaves" not in clause.sql
    suffixed = where_with_index(Filters(query="REBCO"), LEAVES, suffix="_x")
    assert suffixed.params["q0_leaves_x"] == ["hts_conductor"]


def test_the_page_names_every_leaf_a_term_matched_and_ranks_by_those_all_terms_match():
    assert LEAVES.matched_leaves("helium cryoplant") == ("cryoplant", "fuel_materials_supply")
    assert LEAVES.query_leaves("helium cryoplant") == ("cryoplant",)
    assert LEAVES.query_leaves("helium tokamak") == ()
    assert LEAVES.matched_leaves("") == LEAVES.query_leaves("") == ()


def test_search_rank_puts_names_first_then_suppliers_then_buyers_of_a_named_leaf():
    sql, params = search_rank_sql(Filters(query="helium refrigeration"), LEAVES)
    assert params["q_leaves"] == ["cryoplant"]
    assert sql.index("$q_whole") < sql.index("list_has_any(o.offers, $q_leaves) THEN 3")
    assert sql.index("THEN 3") < sql.index("list_has_any(o.needs, $q_leaves) THEN 4")
    assert sql.endswith("ELSE 5 END")
    plain, plain_params = search_rank_sql(Filters(query="tokamak"), LEAVES)
    assert "q_leaves" not in plain_params and "$q_leaves" not in plain
