"""The query layer against a tiny database built from tests/data."""

import pytest

from fusion_partners import queries
from fusion_partners.explore.filters import Filters
from fusion_partners.queries import profile as profile_queries


def ids(df):
    return list(df["id"])


def test_no_filters_return_every_organisation_in_name_order(con):
    df = queries.organisation_table(con, Filters())
    assert len(df) == queries.total_organisations(con) == 11
    assert ids(df)[0] == "percent-works"  # "100% ..." sorts first
    names = [
        (en or ja).lower()
        for en, ja in zip(df["name_en"].fillna(""), df["name_ja"].fillna(""), strict=True)
    ]
    assert names == sorted(names)  # English name, else the Japanese one


def test_japanese_interface_lists_japanese_names_in_kana_order_first(con):
    df = queries.organisation_table(con, Filters(), lang="ja")
    assert set(ids(df)) == set(ids(queries.organisation_table(con, Filters())))
    # さくら炉心試験, サンプル商事, サンプル線材, スペース試験, 京都 (きょうと) sorts first, ﾍﾘｶﾙ last
    # of the kana block (株式会社 ignored); then the names without Japanese script, English order
    assert ids(df)[:6] == [
        "kyoto-sample",
        "sakura-roshin-shiken",
        "sample-trading",
        "magnet-maker-jp",
        "space-sample",
        "helical-sample",
    ]
    assert ids(df)[6:] == [
        i for i in ids(queries.organisation_table(con, Filters())) if i in ids(df)[6:]
    ]
    searched = queries.organisation_table(con, Filters(query="sample"), lang="ja")
    assert set(ids(searched)) == set(ids(queries.organisation_table(con, Filters(query="sample"))))


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (
            Filters(countries=["GB"]),
            {"tokamak-test", "harbour-edge", "percent-works", "sample-university"},
        ),
        (Filters(memberships=["fusion_cluster"]), {"tokamak-test"}),
        (Filters(memberships=["other"], countries=["JP"]), {"space-sample"}),
        (Filters(org_types=["university"]), {"sample-university"}),
        (Filters(confidences=["low"]), {"harbour-edge"}),
        (
            Filters(capabilities=["blanket_breeding", "magnets_superconductors"]),
            {"tokamak-test", "helical-sample", "kyoto-sample", "magnet-maker-jp"},
        ),
        (
            Filters(
                capabilities=["blanket_breeding", "fusion_developer_mcf"], capability_mode="all"
            ),
            {"helical-sample"},
        ),
    ],
)
def test_filters_select_the_right_organisations(con, filters, expected):
    assert set(ids(queries.organisation_table(con, filters))) == expected
    assert queries.count(con, filters) == len(expected)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # "tokamak" is in one name and in the MCF capability label (tokamak, stellarator, helical)
        ("tokamak", {"tokamak-test", "helical-sample"}),
        ("ＨＡＲＢＯＵＲ", {"harbour-edge"}),
        ("ｔｏｋａｍａｋ ｓｐｈｅｒｉｃａｌ", {"tokamak-test"}),
        # ヘリカル is also a synonym of "helical", in the MCF capability label (tokamak, stellarator, helical)
        ("ヘリカル", {"helical-sample", "tokamak-test"}),
        ("ﾍﾘｶﾙ", {"helical-sample", "tokamak-test"}),
        ("ﾍﾘｶﾙｻﾝﾌﾟﾙ", {"helical-sample"}),
        ("KYOTO", {"kyoto-sample"}),
        ("kyōto sample", {"kyoto-sample"}),
        ("京都", {"kyoto-sample"}),
        ("株式会社 スペース", {"space-sample"}),
        ("株式会社　スペース", {"space-sample"}),
        ("Harbour's", {"harbour-edge"}),
        ("100%", {"percent-works"}),
        ("Sample_Works", {"percent-works"}),
        ("50%_off", {"percent-works"}),
        ('"quoted"', {"harbour-edge"}),
        # Japanese capability label; helical-sample needs hts_conductor (高温超電導線材)
        ("超伝導", {"tokamak-test", "magnet-maker-jp", "helical-sample"}),
        ("supēsu shiken", {"space-sample"}),  # romanised reading of the Japanese name
        ("SUPESU", {"space-sample"}),
        ("kyouto sanpuru", {"kyoto-sample"}),
        ("すぺーす", {"space-sample"}),  # hiragana finds katakana
        # synonyms (data/search_synonyms.csv): katakana of English words, both 超伝導 spellings
        ("トカマク", {"tokamak-test", "helical-sample"}),
        ("超電導", {"tokamak-test", "magnet-maker-jp", "helical-sample"}),
        # gyrotron: kyoto-sample's text; tokamak-test offers or needs "Gyrotrons and RF heating"
        ("ｼﾞｬｲﾛﾄﾛﾝ", {"kyoto-sample", "tokamak-test"}),
        ("' OR 1=1 --", set()),
        ("'; DROP TABLE organisations; --", set()),
        ("%", {"percent-works"}),
        ("_", {"percent-works"}),
        ("zzzz-not-there", set()),
    ],
)
def test_search_is_literal_and_width_insensitive(con, query, expected):
    assert set(ids(queries.organisation_table(con, Filters(query=query)))) == expected


def test_hostile_searches_change_nothing(con):
    before = queries.total_organisations(con)
    for query in ("'; DROP TABLE organisations; --", "' OR 1=1 --", "); DELETE FROM sources; --"):
        queries.organisation_table(con, Filters(query=query))
        queries.facet_counts(con, Filters(query=query))
    assert queries.total_organisations(con) == before
    assert len(profile_queries.organisation_sources(con, "helical-sample")) == 2


def test_exact_and_prefix_name_matches_rank_first(con):
    df = queries.organisation_table(con, Filters(query="sample"))
    # "Sample Magnet..." / "Sample National..." / "Sample Trading..." start with the query
    prefix = {"magnet-maker-jp", "sample-us-lab", "sample-trading"}
    assert set(ids(df)[:3]) == prefix


def test_facet_counts_count_distinct_organisations_given_other_filters(con):
    counts = queries.facet_counts(con, Filters(countries=["JP"]))
    # country facet ignores its own filter
    assert counts["country"] == {"JP": 6, "GB": 4, "US": 1}
    # other facets are restricted to Japan
    assert counts["membership"] == {"j_fusion": 5, "other": 1}
    assert counts["capability"]["blanket_breeding"] == 2
    assert counts["capability"]["magnets_superconductors"] == 1
    # each organisation counts once per option, never per join row
    assert sum(counts["org_type"].values()) == 6


def test_capability_facet_in_all_mode_counts_what_adding_an_option_gives(con):
    f = Filters(capabilities=["fusion_developer_mcf"], capability_mode="all")
    counts = queries.facet_counts(con, f)["capability"]
    assert counts["fusion_developer_mcf"] == 2
    assert counts["blanket_breeding"] == 1
    assert counts["magnets_superconductors"] == 1


def test_option_values_list_every_value_present(con):
    options = queries.option_values(con)
    assert options["country"][:2] == ["JP", "GB"]
    assert set(options["membership"]) == {"j_fusion", "fusion_cluster", "other"}
    assert len(options["capability"]) == 28


def test_unknown_organisation_is_none(con):
    assert profile_queries.organisation(con, "no-such-org") is None
    assert profile_queries.organisation(con, "' OR 1=1 --") is None


def test_profile_has_every_field_and_sources_in_order(con):
    org = profile_queries.organisation(con, "helical-sample")
    assert org["name_ja"] == "ﾍﾘｶﾙｻﾝﾌﾟﾙ株式会社"  # stored text unchanged
    assert org["membership_class"] == "founder"
    sources = profile_queries.organisation_sources(con, "helical-sample")
    assert list(sources["url"]) == [
        "https://news.example/helical",
        "https://news.example/helical-2",
    ]
    assert list(sources["host"]) == ["news.example", "news.example"]


def test_cross_country_peers_are_in_the_other_country_and_share_capabilities(con):
    peers = profile_queries.cross_country_peers(con, "magnet-maker-jp")
    assert ids(peers) == ["tokamak-test"]
    assert list(peers.iloc[0]["shared"]) == ["magnets_superconductors"]
    uk = profile_queries.cross_country_peers(con, "sample-university")
    assert set(uk["country"]) <= {"JP"}
    foreign = profile_queries.cross_country_peers(con, "sample-us-lab")
    assert set(foreign["id"]) == {"sample-university"}


def test_peers_rank_by_number_of_shared_capabilities(con):
    peers = profile_queries.cross_country_peers(con, "tokamak-test")
    assert ids(peers)[0] == "helical-sample"  # shares MCF; magnet maker shares magnets: tie on 1
    assert list(peers["n_shared"]) == sorted(peers["n_shared"], reverse=True)


def test_meta_records_data_date_and_count(con):
    meta = queries.meta(con)
    assert meta["data_as_of"] == "2025-11"
    assert meta["organisation_count"] == "11"


@pytest.mark.parametrize("query", ["株式会社", "㈱", "(株)", "（株）"])
def test_a_corporate_form_alone_finds_the_names_written_with_it(con, query):
    # corporate forms are ignored beside other words; alone, the abbreviations mean 株式会社
    expected = {
        "helical-sample",
        "kyoto-sample",
        "space-sample",
        "magnet-maker-jp",
        "sample-trading",
        "sakura-roshin-shiken",
    }
    assert set(ids(queries.organisation_table(con, Filters(query=query)))) == expected


@pytest.mark.parametrize(
    "f",
    [
        Filters(),
        Filters(countries=("JP",)),
        Filters(countries=("JP", "GB"), capabilities=("materials",)),
        Filters(memberships=("j_fusion",)),
        Filters(memberships=("other",), org_types=("company",)),
        Filters(capabilities=("materials", "magnets_superconductors"), capability_mode="all"),
        Filters(query="sample"),
        Filters(query="zzzz-nothing"),
        Filters(countries=("XX",)),
        Filters(roles=("manufacturer_supplier",), confidences=("high",)),
    ],
)
def test_the_summary_count_is_the_match_count_explore_shows(con, f):
    """Explore takes its match count from the facets' scan (filter_summary), not a count query."""
    assert (
        queries.filter_summary(con, f).count
        == queries.count(con, f)
        == len(queries.organisation_table(con, f))
    )
