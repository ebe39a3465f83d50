"""Partner finder: capability mode (groups and the partner map), reasons' wording helpers,
the Insights candidate links and the name lookup, on the hand-built fixture
(tests/data_partners). The organisation-mode model is tested in test_partner_model.py.
"""

import math

import pytest

from conftest import PARTNERS_DATA, fixture_folder
from fusion_partners.data.build import build
from fusion_partners.db import connect_readonly
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.partners import links_sql, lookup_sql
from fusion_partners.partners import sql as qp
from fusion_partners.partners.query import PartnerQuery, Weights
from fusion_partners.partners.reasons import possessive, role_phrase
from fusion_partners.partners.table import Context
from fusion_partners.queries import taxonomy as taxonomy_query

N = 15


def idf(n):
    return math.log(N / n)


def ranking(df):
    return list(zip(df["id"], df["rank"].astype(int), df["score"].round(4), strict=True))


def ids(df):
    return list(df["id"])


def test_unknown_start_and_empty_capabilities_give_no_rows(pcon):
    assert qp.suggestions(pcon, PartnerQuery(start="no-such-org")).empty
    assert qp.suggestions(pcon, PartnerQuery()).empty
    assert qp.count_candidates(pcon, PartnerQuery()) == 0


def test_capability_mode_ranks_holders_of_rarer_needed_capabilities_first(pcon):
    query = PartnerQuery(
        needs=("vacuum_cryogenics", "magnets_superconductors"), kind="supply_chain"
    )
    df = qp.suggestions(pcon, query)
    # Candidates from Japan and the UK; Albion holds magnets only as a developer, but a
    # developer's magnets are also a supply side of the map, so it is kept.
    assert ranking(df) == [
        ("sakura-magnet", 1, round(idf(2) + 0.5, 4)),
        ("albion-tokamak", 2, round(idf(2) + 0.3, 4)),
        ("thames-cryo", 3, round(idf(2) + 0.15, 4)),
        ("tyne-cryo", 3, round(idf(2) + 0.15, 4)),
    ]
    role = df.iloc[0]["matches"][-1]
    assert role["direction"] == "role_supply" and role["supply"] == "magnets_superconductors"


def test_capability_mode_ties_share_a_rank_without_bonuses(pcon):
    query = PartnerQuery(
        needs=("trading_finance",), kind="innovation", weights=Weights(confidence=0, membership=0)
    )
    df = qp.suggestions(pcon, query)
    # equal scores: higher confidence first, then name
    assert ranking(df) == [
        ("naniwa-trading", 1, round(idf(2), 4)),
        ("severn-capital", 1, round(idf(2), 4)),
    ]


def test_capability_mode_joint_research_keeps_research_capable_holders(pcon):
    df = qp.suggestions(pcon, PartnerQuery(needs=("plasma_heating",), kind="joint_research"))
    assert ids(df) == ["fuji-helical", "pennine-university"]  # the US lab is outside JP/GB


@pytest.fixture(scope="module")
def tax(pcon):
    return Taxonomy.from_frame(taxonomy_query(pcon))


@pytest.mark.parametrize(
    ("types", "phrase"),
    [
        (["investor"], "an investor"),
        (["company"], "a company in precision manufacturing"),
        (["university", "company"], "a university / company in precision manufacturing"),
        (["other"], "another organisation"),
        ([], "precision manufacturing"),
    ],
)
def test_a_side_read_as_one_organisation_takes_its_article(tax, types, phrase):
    slug = "*" if types in (["investor"], ["other"]) else "precision_manufacturing"
    assert role_phrase(slug, types, tax, "en", article=True) == phrase
    assert "a " not in role_phrase(slug, types, tax, "ja", article=True)


@pytest.mark.parametrize(
    ("name", "lang", "owner"),
    [
        ("Tokamak Energy", "en", "Tokamak Energy's"),
        ("Oxford Early Investments", "en", "Oxford Early Investments'"),
        ("UKAEA", "en", "UKAEA's"),
        ("フジクラ", "ja", "フジクラの"),
        ("Oxford Early Investments", "ja", "Oxford Early Investmentsの"),
    ],
)
def test_possessives_of_names_ending_in_s_take_only_the_apostrophe(name, lang, owner):
    assert possessive(name, lang) == owner


def test_capability_mode_reason_names_the_needed_capability_and_the_role(pcon, tax):
    df = qp.suggestions(pcon, PartnerQuery(needs=("vacuum_cryogenics",), kind="supply_chain"))
    ctx = Context(tax, "en")
    # the role named is the strongest rule with vacuum on a side: coil makers' test stands (0.6)
    assert ctx.reason(df.iloc[0]["matches"]) == (
        "Has what you need: vacuum and cryogenics; supplier of vacuum and cryogenics for "
        "superconducting magnets and conductor"
    )
    assert ctx.rule(df.iloc[0]["matches"]) == (
        "Supply chain: superconducting magnets and conductor → vacuum and cryogenics"
    )


def test_candidate_links_join_japan_to_the_uk_with_the_documented_shape(pcon):
    links = links_sql.candidate_links(pcon, Filters(), "supply_chain")
    assert list(links.columns) == ["source_id", "target_id", "score", "capabilities", "kind"]
    countries = {
        "sakura-magnet": "JP",
        "fuji-helical": "JP",
        "naniwa-trading": "JP",
        "kanto-tech": "JP",
        "minato-city": "JP",
    }
    assert set(links["source_id"]) <= set(countries)
    assert not set(links["target_id"]) & set(countries)
    first = links.iloc[0]
    # Fuji ↔ Albion: Albion's magnets for Fuji (1.0) + Fuji's heating for Albion (0.8 × 0.5),
    # both high (+0.3), one of two ends a member (+0.1)
    assert (first["source_id"], first["target_id"], round(first["score"], 4)) == (
        "fuji-helical",
        "albion-tokamak",
        1.8,
    )
    assert list(first["capabilities"]) == [
        "fusion_developer_mcf",
        "magnets_superconductors",
        "plasma_heating",
    ]
    assert set(links["kind"]) == {"supply_chain"}


def test_candidate_links_follow_the_sidebar_filters_and_reject_unknown_kinds(pcon):
    links = links_sql.candidate_links(pcon, Filters(org_types=("university",)), "joint_research")
    assert [(r.source_id, r.target_id) for r in links.itertuples()] == [
        ("kanto-tech", "pennine-university")
    ]
    assert list(links.iloc[0]["capabilities"]) == ["materials", "research_academia"]
    with pytest.raises(ValueError):
        links_sql.candidate_links(pcon, Filters(), "warp_drive")


def test_finding_organisations_by_name_ignores_width_kana_and_company_forms(pcon):
    assert ids(lookup_sql.find_organisations(pcon, "ｻｸﾗ")) == [
        "sakura-magnet"
    ]  # half-width katakana → hiragana
    assert ids(lookup_sql.find_organisations(pcon, "さくら線材")) == ["sakura-magnet"]
    assert ids(lookup_sql.find_organisations(pcon, "サクラ線材")) == ["sakura-magnet"]
    assert ids(lookup_sql.find_organisations(pcon, "ＳＡＫＵＲＡ magnet KK")) == ["sakura-magnet"]
    assert ids(lookup_sql.find_organisations(pcon, "浪速商事")) == ["naniwa-trading"]
    assert ids(lookup_sql.find_organisations(pcon, "'; DROP TABLE organisations; --")) == []
    assert lookup_sql.find_organisations(pcon, "  ").empty


NAME_ROWS = [  # (id, English name): one distinctive place name, and common words around it
    ("oxbridge", "Oxbridge"),
    ("university-of-oxbridge", "University of Oxbridge"),
    ("oxbridge-sigma", "Oxbridge Sigma Ltd"),
    ("oxbridge-early", "Oxbridge Early Investments"),
    ("culham-space", "Culham Centre (Oxbridge Space)"),
    ("oxbridgeshire", "Oxbridgeshire Skills"),
    ("greatoxbridge", "Greatoxbridge Ltd"),
    *(
        (f"university-of-{w}", f"University of {w.title()}")
        for w in ("alpha", "beta", "gamma", "delta")
    ),
]


@pytest.fixture(scope="module")
def names_con(tmp_path_factory):
    """The partner fixture plus organisations whose names exercise the name ranking."""
    base = tmp_path_factory.mktemp("names")
    data = fixture_folder(PARTNERS_DATA, base / "data")
    with (data / "organisations.csv").open("a", encoding="utf-8") as fh:
        for org_id, name in NAME_ROWS:
            fh.write(
                f'{org_id},"{name}",,GB,,company,other,,,materials,Fictional.,'
                f"https://news.example/{org_id},fixture,2025-01,medium,fixture\n"
            )
    build(data, base / "names.duckdb")
    con = connect_readonly(base / "names.duckdb")
    yield con
    con.close()


def test_finding_ranks_the_exact_name_then_whole_words_then_word_starts_then_anywhere(names_con):
    found = lookup_sql.find_organisations(names_con, "oxbridge")
    assert ids(found) == [
        "oxbridge",  # the name itself
        "university-of-oxbridge",  # whole word; the rest of the name is common words
        "oxbridge-sigma",  # whole word; one distinctive word left over
        "oxbridge-early",  # whole word; two distinctive words left over
        "culham-space",  # whole word; three distinctive words left over
        "oxbridgeshire",  # a word begins with it
        "greatoxbridge",  # inside a word
    ]
    assert list(found["match"]) == [
        "exact",
        "words",
        "words",
        "words",
        "words",
        "prefix",
        "contains",
    ]
    assert found["coverage"].iloc[0] == 1.0 and found["coverage"].iloc[1:5].is_monotonic_decreasing


def test_finding_without_an_exact_name_puts_the_most_covered_name_first(names_con):
    assert ids(lookup_sql.find_organisations(names_con, "OXBRIDGE  sigma"))[0] == "oxbridge-sigma"
    assert ids(lookup_sql.find_organisations(names_con, "university oxbridge")) == [
        "university-of-oxbridge"
    ]
    assert ids(lookup_sql.find_organisations(names_con, "oxbridge", limit=2)) == [
        "oxbridge",
        "university-of-oxbridge",
    ]


def test_finding_in_the_shipped_roster_prefers_the_university_for_a_place_name(real_db):
    con = connect_readonly(real_db)
    try:
        oxford = lookup_sql.find_organisations(con, "oxford")
        assert oxford["id"].iloc[0] == "university-of-oxford"
        assert set(oxford["id"].iloc[-2:]) == {
            "oxfordshire-advanced-skills-oas",
            "oxfordshire-local-enterprise-partnership-oxlep",
        }
        assert ids(lookup_sql.find_organisations(con, "フジクラ")) == ["fujikura"]
        assert lookup_sql.find_organisations(con, "mitsubishi")["id"].iloc[0] == "mitsubishi"
    finally:
        con.close()


def test_a_single_shared_capability_is_not_called_the_rarest(tax):
    match = {
        "direction": "shared",
        "demand": "plasma_heating",
        "supply": "plasma_heating",
        "kind": "joint_research",
    }
    en = Context(tax, "en", "Fuji Helical Fusion KK", {"plasma_heating": 3}, N)
    assert (
        en.reason([match]) == "Both work on plasma heating systems; 3 of 15 organisations hold it"
    )
    ja = Context(tax, "ja", "富士ヘリカル", {"plasma_heating": 3}, N).reason([match])
    assert "最も希少" not in ja and ja.endswith("（全15組織中3組織）")
