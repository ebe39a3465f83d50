"""Partner finder: exact rankings on the hand-built fixture (tests/data_partners).

13 organisations, so the rarity of a capability held by n of them is idf = ln(13 / n).
Default weights: score = match + 0.3 × (0, ½, 1 for low/medium/high) + 0.2 × member;
each further rule counts half the one before (breadth 0.5).
"""

import math

import pytest

from conftest import PARTNERS_DATA, fixture_folder
from fusion_partners.build import build
from fusion_partners.db import connect_readonly
from fusion_partners.filters import Filters
from fusion_partners.labels import Taxonomy
from fusion_partners.partners import (
    Context,
    PartnerFilters,
    PartnerQuery,
    Weights,
    possessive,
    role_phrase,
)
from fusion_partners.queries import partners as qp
from fusion_partners.queries import taxonomy as taxonomy_query

N = 13


def idf(n):
    return math.log(N / n)


def ranking(df):
    return list(zip(df["id"], df["rank"].astype(int), df["score"].round(4), strict=True))


def ids(df):
    return list(df["id"])


def test_supply_chain_for_a_magnet_maker_finds_developers_then_cryogenics_with_a_tie(pcon):
    df = qp.suggestions(pcon, PartnerQuery(start="sakura-magnet", kind="supply_chain"))
    # Albion develops a tokamak (needs magnets: 1.0, high +0.3); the two cryogenics firms
    # supply what a coil maker needs (0.6, medium +0.15) and tie, ordered by name.
    assert ranking(df) == [
        ("albion-tokamak", 1, 1.3),
        ("thames-cryo", 2, 0.75),
        ("tyne-cryo", 2, 0.75),
    ]
    assert set(df["country"]) == {"GB"}  # default target: the other country


def test_supply_chain_for_a_tokamak_developer_counts_further_rules_at_half_weight(pcon):
    df = qp.suggestions(pcon, PartnerQuery(start="albion-tokamak", kind="supply_chain"))
    # Fuji Helical needs Albion's magnets (1.0) and supplies heating Albion needs (0.8 × 0.5),
    # high (+0.3) and a J-Fusion member (+0.2); Sakura supplies magnets (1.0 + 0.3 + 0.2).
    assert ranking(df) == [("fuji-helical", 1, 1.9), ("sakura-magnet", 2, 1.5)]
    top = df.iloc[0]
    assert [(m["direction"], m["demand"], m["supply"]) for m in top["matches"]] == [
        ("reverse", "fusion_developer_mcf", "magnets_superconductors"),
        ("forward", "fusion_developer_mcf", "plasma_heating"),
    ]
    assert top["match_points"] == pytest.approx(1.4)
    assert top["confidence_points"] == pytest.approx(0.3)
    assert top["membership_points"] == pytest.approx(0.2)


def test_joint_research_weights_shared_capabilities_by_rarity(pcon):
    df = qp.suggestions(pcon, PartnerQuery(start="fuji-helical", kind="joint_research"))
    pennine = idf(4) + idf(3) + 0.3  # research and academia (4 hold it) + heating (3)
    albion = idf(2) + 0.3  # magnetic-confinement development (2 hold it)
    assert ranking(df) == [
        ("pennine-university", 1, round(pennine, 4)),
        ("albion-tokamak", 2, round(albion, 4)),
    ]
    # the rarer shared capability is listed first
    assert [m["demand"] for m in df.iloc[0]["matches"]] == ["plasma_heating", "research_academia"]


def test_rarity_zero_counts_shared_capabilities_equally(pcon):
    df = qp.suggestions(pcon, PartnerQuery(start="fuji-helical", kind="joint_research",
                                           weights=Weights(rarity=0)))
    assert ranking(df) == [("pennine-university", 1, 2.3), ("albion-tokamak", 2, 1.3)]


def test_joint_research_needs_both_sides_research_capable(pcon):
    # A university sharing materials and research with Pennine; Thames (a company sharing
    # nothing research-like) never appears, and a trading house finds nobody.
    df = qp.suggestions(pcon, PartnerQuery(start="kanto-tech", kind="joint_research"))
    assert ranking(df) == [("pennine-university", 1, round(idf(4) + idf(2) + 0.3, 4))]
    assert qp.suggestions(pcon, PartnerQuery(start="naniwa-trading", kind="joint_research")).empty
    assert qp.start_roles(pcon, "naniwa-trading")["joint_research"] is False


def test_demonstration_pairs_a_developer_with_builders_and_utilities(pcon):
    df = qp.suggestions(pcon, PartnerQuery(start="fuji-helical", kind="demonstration"))
    # Wessex: utility (1.0) + construction (1.0 × 0.5), high, Cluster member; Mercia: construction, low.
    assert ranking(df) == [("wessex-power", 1, 2.0), ("mercia-build", 2, 1.0)]


def test_demonstration_reaches_public_bodies_through_their_type(pcon):
    df = qp.suggestions(pcon, PartnerQuery(start="albion-tokamak", kind="demonstration"))
    assert ranking(df) == [("minato-city", 1, 0.65)]


def test_innovation_pairs_startups_with_investors_trading_houses_and_manufacturers(pcon):
    df = qp.suggestions(pcon, PartnerQuery(start="fuji-helical", kind="innovation"))
    assert ranking(df) == [("severn-capital", 1, 1.15), ("thames-cryo", 2, 0.75)]
    back = qp.suggestions(pcon, PartnerQuery(start="naniwa-trading", kind="innovation"))
    assert ranking(back) == [("albion-tokamak", 1, 1.3)]


def test_the_start_is_never_its_own_partner(pcon):
    # Albion is on both sides of "developer needs magnets"; with its own country allowed it
    # still does not appear.
    query = PartnerQuery(start="albion-tokamak", kind="supply_chain",
                         filters=PartnerFilters(countries=("GB", "JP")))
    df = qp.suggestions(pcon, query)
    assert "albion-tokamak" not in ids(df)
    assert ids(df)[:2] == ["fuji-helical", "sakura-magnet"]
    assert {"thames-cryo", "tyne-cryo"} <= set(ids(df))


def test_country_type_membership_and_confidence_filters_restrict_candidates(pcon):
    def run(**kw):
        return ids(qp.suggestions(pcon, PartnerQuery(start="sakura-magnet", kind="supply_chain",
                                                     filters=PartnerFilters(**kw))))

    assert run(org_types=("startup",)) == ["albion-tokamak"]
    assert run(min_confidence="high") == ["albion-tokamak"]
    assert run(countries=("JP",)) == ["fuji-helical"]
    assert run(memberships=("fusion_cluster",)) == []


def test_no_candidates_is_an_empty_frame_with_relaxations(pcon):
    query = PartnerQuery(start="sakura-magnet", kind="supply_chain",
                         filters=PartnerFilters(org_types=("university",)))
    assert qp.suggestions(pcon, query).empty
    assert qp.count_candidates(pcon, query) == 0
    assert qp.relaxations(pcon, query) == [("org_type", 3)]


def test_an_organisation_outside_every_rule_has_no_supply_chain_role(pcon):
    query = PartnerQuery(start="naniwa-trading", kind="supply_chain")
    assert qp.suggestions(pcon, query).empty
    roles = qp.start_roles(pcon, "naniwa-trading")
    assert roles == {"joint_research": False, "supply_chain": False, "demonstration": False,
                     "innovation": True}
    assert ("kind:innovation", 1) in qp.relaxations(pcon, query)


def test_unknown_start_and_empty_capabilities_give_no_rows(pcon):
    assert qp.suggestions(pcon, PartnerQuery(start="no-such-org")).empty
    assert qp.suggestions(pcon, PartnerQuery()).empty
    assert qp.count_candidates(pcon, PartnerQuery()) == 0


def test_capability_mode_ranks_holders_of_rarer_needed_capabilities_first(pcon):
    query = PartnerQuery(needs=("vacuum_cryogenics", "magnets_superconductors"), kind="supply_chain")
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
    query = PartnerQuery(needs=("trading_finance",), kind="innovation",
                         weights=Weights(confidence=0, membership=0))
    df = qp.suggestions(pcon, query)
    # equal scores: higher confidence first, then name
    assert ranking(df) == [("naniwa-trading", 1, round(idf(2), 4)), ("severn-capital", 1, round(idf(2), 4))]


def test_capability_mode_joint_research_keeps_research_capable_holders(pcon):
    df = qp.suggestions(pcon, PartnerQuery(needs=("plasma_heating",), kind="joint_research"))
    assert ids(df) == ["fuji-helical", "pennine-university"]  # the US lab is outside JP/GB


def test_limit_cuts_the_list_but_not_the_count(pcon):
    query = PartnerQuery(start="sakura-magnet", kind="supply_chain", limit=1)
    assert ids(qp.suggestions(pcon, query)) == ["albion-tokamak"]
    assert qp.count_candidates(pcon, query) == 3


def test_counts_by_kind_cover_every_kind(pcon):
    # supply chain: Albion (magnets), Pennine (heating), Thames and Tyne (cryogenics)
    assert qp.counts_by_kind(pcon, PartnerQuery(start="fuji-helical")) == {
        "joint_research": 2, "supply_chain": 4, "demonstration": 2, "innovation": 2,
    }


@pytest.fixture(scope="module")
def tax(pcon):
    return Taxonomy.from_frame(taxonomy_query(pcon))


def test_reasons_name_the_capabilities_and_the_rule(pcon, tax):
    df = qp.suggestions(pcon, PartnerQuery(start="albion-tokamak", kind="supply_chain"))
    ctx = Context(tax, "en", "Albion Tokamak Ltd")
    fuji, sakura = (ctx.reason(m) for m in df["matches"])
    assert fuji == ("Works on magnetic-confinement fusion and needs "
                    "superconducting magnets and conductor, which Albion Tokamak Ltd supplies (+1 more)")
    assert sakura == ("Supplies superconducting magnets and conductor, which Albion Tokamak Ltd "
                      "needs for magnetic-confinement fusion")
    assert ctx.rule(df.iloc[1]["matches"]) == (
        "Supply chain: magnetic-confinement fusion → "
        "superconducting magnets and conductor")


def test_reasons_read_in_japanese(pcon, tax):
    df = qp.suggestions(pcon, PartnerQuery(start="albion-tokamak", kind="supply_chain"))
    ja = Context(tax, "ja", "Albion Tokamak Ltd").reason(df.iloc[1]["matches"])
    assert ja == "Albion Tokamak Ltdが磁場閉じ込め方式の核融合炉開発に必要とする超電導マグネット・線材を供給できます"


def test_joint_research_reason_lists_shared_capabilities_rarest_first(pcon, tax):
    df = qp.suggestions(pcon, PartnerQuery(start="fuji-helical", kind="joint_research"))
    ctx = Context(tax, "en", "Fuji Helical Fusion KK", {"plasma_heating": 3, "research_academia": 4}, N)
    assert ctx.reason(df.iloc[0]["matches"]) == (
        "Both work on plasma heating systems, research and academia; "
        "the rarest, plasma heating systems, is held by 3 of 13 organisations")


def test_innovation_and_type_only_rules_read_naturally(pcon, tax):
    df = qp.suggestions(pcon, PartnerQuery(start="fuji-helical", kind="innovation"))
    ctx = Context(tax, "en", "Fuji Helical Fusion KK")
    assert ctx.reason(df.iloc[0]["matches"]) == (
        "Can back Fuji Helical Fusion KK (a startup) on capital and scale-up, as an investor")
    assert ctx.reason(df.iloc[1]["matches"]) == (
        "Can back Fuji Helical Fusion KK (a startup) on capital and scale-up, as a company in precision manufacturing")
    assert ctx.rule(df.iloc[0]["matches"]) == "Innovation partnership: startup → investor"  # a label: no article
    ja = Context(tax, "ja", "富士ヘリカル")
    assert ja.reason(df.iloc[1]["matches"]) == (
        "精密加工の企業として、富士ヘリカル（スタートアップ）の資金調達・事業拡大を支援できます")


def test_the_reverse_innovation_reason_reads_as_a_sentence(pcon, tax):
    df = qp.suggestions(pcon, PartnerQuery(start="severn-capital", kind="innovation"))
    ctx = Context(tax, "en", "Severn Fusion Capital")
    assert ctx.reason(df.iloc[0]["matches"]) == (
        "A startup that Severn Fusion Capital (an investor) can back on capital and scale-up")


@pytest.mark.parametrize(("types", "phrase"), [
    (["investor"], "an investor"), (["company"], "a company in precision manufacturing"),
    (["university", "company"], "a university / company in precision manufacturing"),
    (["other"], "another organisation"), ([], "precision manufacturing"),
])
def test_a_side_read_as_one_organisation_takes_its_article(tax, types, phrase):
    slug = "*" if types in (["investor"], ["other"]) else "precision_manufacturing"
    assert role_phrase(slug, types, tax, "en", article=True) == phrase
    assert "a " not in role_phrase(slug, types, tax, "ja", article=True)


@pytest.mark.parametrize(("name", "lang", "owner"), [
    ("Tokamak Energy", "en", "Tokamak Energy's"), ("Oxford Early Investments", "en", "Oxford Early Investments'"),
    ("UKAEA", "en", "UKAEA's"), ("フジクラ", "ja", "フジクラの"), ("Oxford Early Investments", "ja", "Oxford Early Investmentsの"),
])
def test_possessives_of_names_ending_in_s_take_only_the_apostrophe(name, lang, owner):
    assert possessive(name, lang) == owner


def test_capability_mode_reason_names_the_needed_capability_and_the_role(pcon, tax):
    df = qp.suggestions(pcon, PartnerQuery(needs=("vacuum_cryogenics",), kind="supply_chain"))
    ctx = Context(tax, "en")
    # the role named is the strongest rule with vacuum on a side: coil makers' test stands (0.6)
    assert ctx.reason(df.iloc[0]["matches"]) == (
        "Has what you need: vacuum and cryogenics; supplier of vacuum and cryogenics for "
        "superconducting magnets and conductor")
    assert ctx.rule(df.iloc[0]["matches"]) == (
        "Supply chain: superconducting magnets and conductor → vacuum and cryogenics")


def test_pair_view_lists_shared_and_complementary_links(pcon):
    links = qp.pair_matches(pcon, "albion-tokamak", "sakura-magnet")
    rows = list(zip(links["kind"], links["direction"], links["demand"], links["supply"], strict=True))
    assert rows == [
        ("joint_research", "shared", "magnets_superconductors", "magnets_superconductors"),
        ("supply_chain", "a_needs", "fusion_developer_mcf", "magnets_superconductors"),
    ]
    assert links.iloc[1]["rationale_ja"] == "トカマクには超伝導磁石が必要。"
    assert qp.pair_matches(pcon, "albion-tokamak", "no-such-org").empty


def test_candidate_links_join_japan_to_the_uk_with_the_documented_shape(pcon):
    links = qp.candidate_links(pcon, Filters(), "supply_chain")
    assert list(links.columns) == ["source_id", "target_id", "score", "capabilities", "kind"]
    countries = {"sakura-magnet": "JP", "fuji-helical": "JP", "naniwa-trading": "JP",
                 "kanto-tech": "JP", "minato-city": "JP"}
    assert set(links["source_id"]) <= set(countries)
    assert not set(links["target_id"]) & set(countries)
    first = links.iloc[0]
    # Fuji ↔ Albion: Albion's magnets for Fuji (1.0) + Fuji's heating for Albion (0.8 × 0.5),
    # both high (+0.3), one of two ends a member (+0.1)
    assert (first["source_id"], first["target_id"], round(first["score"], 4)) == ("fuji-helical", "albion-tokamak", 1.8)
    assert list(first["capabilities"]) == ["fusion_developer_mcf", "magnets_superconductors", "plasma_heating"]
    assert set(links["kind"]) == {"supply_chain"}


def test_candidate_links_follow_the_sidebar_filters_and_reject_unknown_kinds(pcon):
    links = qp.candidate_links(pcon, Filters(org_types=("university",)), "joint_research")
    assert [(r.source_id, r.target_id) for r in links.itertuples()] == [("kanto-tech", "pennine-university")]
    assert list(links.iloc[0]["capabilities"]) == ["materials", "research_academia"]
    with pytest.raises(ValueError):
        qp.candidate_links(pcon, Filters(), "warp_drive")


def test_finding_organisations_by_name_ignores_width_kana_and_company_forms(pcon):
    assert ids(qp.find_organisations(pcon, "ｻｸﾗ")) == ["sakura-magnet"]  # half-width katakana → hiragana
    assert ids(qp.find_organisations(pcon, "さくら線材")) == ["sakura-magnet"]
    assert ids(qp.find_organisations(pcon, "サクラ線材")) == ["sakura-magnet"]
    assert ids(qp.find_organisations(pcon, "ＳＡＫＵＲＡ magnet KK")) == ["sakura-magnet"]
    assert ids(qp.find_organisations(pcon, "浪速商事")) == ["naniwa-trading"]
    assert ids(qp.find_organisations(pcon, "'; DROP TABLE organisations; --")) == []
    assert qp.find_organisations(pcon, "  ").empty


NAME_ROWS = [  # (id, English name): one distinctive place name, and common words around it
    ("oxbridge", "Oxbridge"), ("university-of-oxbridge", "University of Oxbridge"),
    ("oxbridge-sigma", "Oxbridge Sigma Ltd"), ("oxbridge-early", "Oxbridge Early Investments"),
    ("culham-space", "Culham Centre (Oxbridge Space)"), ("oxbridgeshire", "Oxbridgeshire Skills"),
    ("greatoxbridge", "Greatoxbridge Ltd"),
    *((f"university-of-{w}", f"University of {w.title()}") for w in ("alpha", "beta", "gamma", "delta")),
]


@pytest.fixture(scope="module")
def names_con(tmp_path_factory):
    """The partner fixture plus organisations whose names exercise the name ranking."""
    base = tmp_path_factory.mktemp("names")
    data = fixture_folder(PARTNERS_DATA, base / "data")
    with (data / "organisations.csv").open("a", encoding="utf-8") as fh:
        for org_id, name in NAME_ROWS:
            fh.write(f'{org_id},"{name}",,GB,,company,other,,,materials,Fictional.,'
                     f"https://news.example/{org_id},fixture,2025-01,medium,fixture\n")
    build(data, base / "names.duckdb")
    con = connect_readonly(base / "names.duckdb")
    yield con
    con.close()


def test_finding_ranks_the_exact_name_then_whole_words_then_word_starts_then_anywhere(names_con):
    found = qp.find_organisations(names_con, "oxbridge")
    assert ids(found) == [
        "oxbridge",                 # the name itself
        "university-of-oxbridge",   # whole word; the rest of the name is common words
        "oxbridge-sigma",           # whole word; one distinctive word left over
        "oxbridge-early",           # whole word; two distinctive words left over
        "culham-space",             # whole word; three distinctive words left over
        "oxbridgeshire",            # a word begins with it
        "greatoxbridge",            # inside a word
    ]
    assert list(found["match"]) == ["exact", "words", "words", "words", "words", "prefix", "contains"]
    assert found["coverage"].iloc[0] == 1.0 and found["coverage"].iloc[1:5].is_monotonic_decreasing


def test_finding_without_an_exact_name_puts_the_most_covered_name_first(names_con):
    assert ids(qp.find_organisations(names_con, "OXBRIDGE  sigma"))[0] == "oxbridge-sigma"
    assert ids(qp.find_organisations(names_con, "university oxbridge")) == ["university-of-oxbridge"]
    assert ids(qp.find_organisations(names_con, "oxbridge", limit=2)) == ["oxbridge", "university-of-oxbridge"]


def test_finding_in_the_shipped_roster_prefers_the_university_for_a_place_name(real_db):
    con = connect_readonly(real_db)
    try:
        oxford = qp.find_organisations(con, "oxford")
        assert oxford["id"].iloc[0] == "university-of-oxford"
        assert set(oxford["id"].iloc[-2:]) == {"oxfordshire-advanced-skills-oas",
                                               "oxfordshire-local-enterprise-partnership-oxlep"}
        assert ids(qp.find_organisations(con, "フジクラ")) == ["fujikura"]
        assert qp.find_organisations(con, "mitsubishi")["id"].iloc[0] == "mitsubishi"
    finally:
        con.close()


def test_learned_societies_and_investors_are_not_offered_as_joint_research_partners(real_db):
    """On the shipped roster: JSPF (a learned society tagged with research) used to top the
    University of Oxford's joint-research list."""
    from fusion_partners.partners import NOT_RESEARCH_TYPES

    con = connect_readonly(real_db)
    try:
        df = qp.suggestions(con, PartnerQuery(start="university-of-oxford", kind="joint_research"))
        assert not df.empty and not set(df["org_type"]) & set(NOT_RESEARCH_TYPES)
        assert not any("JSPF" in name for name in df["name_en"].fillna(""))
        policy = {"ministry-of-education-culture-sports-science-and-technology-mext",
                  "japan-atomic-energy-commission-aec", "japan-science-and-technology-agency-jst"}
        assert not set(df["id"]) & policy  # ministries and funders are not research partners
        ukaea = qp.suggestions(con, PartnerQuery(start="uk-atomic-energy-authority-ukaea", kind="joint_research"))
        assert not ukaea.empty  # a public body that develops fusion still is
        assert qp.suggestions(con, PartnerQuery(start="the-japan-society-of-plasma-science-and-nuclear-fusion-research-jspf",
                                                kind="joint_research")).empty
    finally:
        con.close()


def test_a_single_shared_capability_is_not_called_the_rarest(tax):
    match = {"direction": "shared", "demand": "plasma_heating", "supply": "plasma_heating", "kind": "joint_research"}
    en = Context(tax, "en", "Fuji Helical Fusion KK", {"plasma_heating": 3}, N)
    assert en.reason([match]) == "Both work on plasma heating systems; 3 of 13 organisations hold it"
    ja = Context(tax, "ja", "富士ヘリカル", {"plasma_heating": 3}, N).reason([match])
    assert "最も希少" not in ja and ja.endswith("（全13組織中3組織）")
