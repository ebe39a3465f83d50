"""The partner model in organisation mode, on the hand-built fixture (tests/data_partners).

15 organisations; a leaf offered by n of them has idf = ln(15 / n). Every test states a
principle of the model (docs/partner-finder.md), so a change that breaks one says which.
"""

import math
import re

import pytest

from fusion_partners.data.partner_rules import (
    COMPANY_TYPES,
    PLANT_LEAVES,
    SHARED_WORK_CAP,
    SHARED_WORK_EXCLUDED,
    SHARED_WORK_RIVALS,
    SUPPLIER_ROLES,
)
from fusion_partners.data.partner_rules import PLACE_TIED_LEAVES as PLACE_TIED
from fusion_partners.i18n import t
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.partners import sql as qp
from fusion_partners.partners.query import (
    KINDS,
    PartnerFilters,
    PartnerQuery,
    Weights,
    display_score,
    fitting_kind,
)
from fusion_partners.partners.reasons import cap_phrase
from fusion_partners.partners.table import SCORE_PARTS, Context, ahead_on, suggestion_frame
from fusion_partners.queries import capability_leaves
from fusion_partners.queries import taxonomy as taxonomy_query

N = 15


def idf(n):
    return math.log(N / n)


def ids(df):
    return list(df["id"])


def suggest(con, start, kind, **kw):
    return qp.suggestions(con, PartnerQuery(start=start, kind=kind, **kw))


def directions(df, cand):
    row = df[df["id"] == cand].iloc[0]
    return [(m["direction"], m["demand"], m["supply"]) for m in row["matches"]]


@pytest.fixture(scope="module")
def tax(pcon):
    return Taxonomy.from_frame(taxonomy_query(pcon), capability_leaves(pcon))


EVERY = PartnerFilters(countries=("GB", "JP", "US"))


# --- supply chain -------------------------------------------------------------------------


def test_a_stated_need_met_by_a_supplier_scores_the_leaf_rarity_and_names_the_direction(pcon):
    df = suggest(pcon, "albion-tokamak", "supply_chain")
    top = df.iloc[0]
    assert top["id"] == "sakura-magnet"
    # buys HTS conductor (a stated need, held by 1 of 15: idf ln 15); LTS conductor is not implied,
    # since Albion chose HTS from the same group
    assert top["match"] == pytest.approx(idf(1))
    assert directions(df, "sakura-magnet") == [("buys", "hts_conductor", "hts_conductor")]


def test_a_developer_is_never_the_supplier_of_what_it_builds_for_itself(pcon):
    # Fuji Helical offers gyrotrons but sells nothing (no supplier role): Albion, which needs
    # gyrotrons, meets it only as a customer for Albion's own magnet coils.
    df = suggest(pcon, "albion-tokamak", "supply_chain")
    assert all(d[0].startswith("sells") for d in directions(df, "fuji-helical"))


def test_a_laboratory_without_a_supplier_role_is_not_a_supplier(pcon):
    df = suggest(pcon, "albion-tokamak", "supply_chain", filters=EVERY)
    assert "liberty-lab" not in ids(df)  # offers gyrotrons, but as a research laboratory


def test_a_supplier_finds_the_developers_that_need_what_it_sells(pcon):
    df = suggest(pcon, "sakura-magnet", "supply_chain")
    assert ids(df) == ["albion-tokamak"]
    assert directions(df, "albion-tokamak")[0] == ("sells", "hts_conductor", "hts_conductor")


def test_a_neighbouring_leaf_counts_at_the_near_weight_and_never_from_a_developer(pcon):
    df = suggest(pcon, "fuji-helical", "supply_chain", filters=PartnerFilters(countries=("JP",)))
    # Sakura makes conductor: an exact match for Fuji's HTS need, a near one for its coil need
    assert ("buys_near", "magnet_coils", "lts_conductor") in directions(df, "sakura-magnet")
    gb = suggest(pcon, "fuji-helical", "supply_chain")
    assert all(
        d[0] == "buys" for d in directions(gb, "albion-tokamak")
    )  # a developer: stated needs only


# --- joint research ------------------------------------------------------------------------


def test_joint_research_needs_research_on_both_sides(pcon):
    assert suggest(pcon, "naniwa-trading", "joint_research").empty
    df = suggest(pcon, "kanto-tech", "joint_research")
    assert ids(df)[0] == "pennine-university"  # both research structural materials
    assert directions(df, "pennine-university")[0][0] == "shared_topic"
    assert "severn-capital" not in ids(df)


def test_a_university_running_plasma_experiments_researches_with_a_developer_company(pcon):
    df = suggest(pcon, "kanto-tech", "joint_research")
    assert ("related", "plasma_experiments", "tokamak_developer") in directions(
        df, "albion-tokamak"
    )
    # and researches what Albion's tokamak implies it needs (structural materials): an implied
    # need, worded as the concept's need, not as one Albion states
    assert ("complemented_implied", "structural_materials", "structural_materials") in directions(
        df, "albion-tokamak"
    )


def test_joint_research_needs_a_research_organisation_and_umbrella_topics_count_half(pcon):
    # two startups developing fusion are not each other's research partners
    assert "albion-tokamak" not in ids(
        suggest(pcon, "fuji-helical", "joint_research", filters=EVERY)
    )
    df = suggest(pcon, "kanto-tech", "joint_research", filters=PartnerFilters(countries=("US",)))
    assert directions(df, "liberty-lab") == [
        ("shared_topic", "plasma_experiments", "plasma_experiments")
    ]
    assert df.iloc[0]["match"] == pytest.approx(0.5 * idf(2))  # a catch-all topic counts half


def test_rarity_zero_weighs_every_shared_topic_the_same(pcon):
    df = suggest(pcon, "kanto-tech", "joint_research", weights=Weights(rarity=0))
    assert df.iloc[0]["match"] == pytest.approx(1.0)


# --- demonstration -------------------------------------------------------------------------


def test_place_tied_roles_stay_in_the_plants_country(pcon):
    # Minato City (JP) offers a site; Albion's plant is in the UK: never offered, whatever the filter.
    for filters in (PartnerFilters(), PartnerFilters(countries=("JP",)), EVERY):
        assert "minato-city" not in ids(
            suggest(pcon, "albion-tokamak", "demonstration", filters=filters)
        )
    # a builder may come from either country
    assert "mercia-build" in ids(suggest(pcon, "albion-tokamak", "demonstration", filters=EVERY))


def test_a_japanese_developer_finds_uk_integrators_and_technology_but_no_uk_site_builder_or_operator(
    pcon,
):
    df = suggest(pcon, "fuji-helical", "demonstration")
    # an engineering integrator and the makers of technology its plant needs may come from the UK;
    # building, operating and power sales are tied to the plant's country
    assert set(ids(df)) == {"mercia-build", "albion-tokamak", "thames-cryo", "tyne-cryo"}
    assert directions(df, "mercia-build") == [
        ("plant_needs", "engineering_integration", "engineering_integration")
    ]
    assert directions(df, "thames-cryo") == [("plant_technology", "cryoplant", "cryoplant")]
    assert "wessex-power" not in ids(df)


def test_a_builder_finds_developers_whose_plants_need_it(pcon):
    df = suggest(pcon, "mercia-build", "demonstration")
    assert ids(df) == ["fuji-helical"]
    assert directions(df, "fuji-helical")[0][0] == "hosts"


# --- innovation ----------------------------------------------------------------------------


def test_a_manufacturer_that_makes_what_the_startup_needs_outranks_capital_alone(pcon):
    # Thames backs startups and makes the cryoplant Fuji needs; Tyne only makes it (not an
    # investor: a supplier, not an innovation partner); Severn brings capital alone, which stays
    # below the technology fit (Albion's own investor, with that link ignored: no known mandate)
    df = suggest(
        pcon, "albion-tokamak", "innovation", filters=EVERY, ignore_links_with=("severn-capital",)
    )
    assert directions(df, "severn-capital") == [
        ("capital", "equity_investment", "equity_investment")
    ]
    jp = suggest(pcon, "fuji-helical", "innovation")
    assert ids(jp)[0] == "thames-cryo"


def test_a_fund_that_invested_only_at_home_is_not_offered_to_a_startup_abroad(pcon):
    # Severn Fusion Capital (GB) documents one investment, in Albion (GB): a domestic mandate,
    # so a Japanese startup does not get it as capital, and it does not get Japanese startups
    assert "severn-capital" not in ids(suggest(pcon, "fuji-helical", "innovation"))
    assert "fuji-helical" not in ids(suggest(pcon, "severn-capital", "innovation", filters=EVERY))


def test_an_investor_is_scored_by_what_it_has_backed_before(pcon):
    # Severn invested in Albion (magnet coils); looking at Albion itself, that investment is the
    # known link, not a portfolio match, so Albion gets capital only plus the link term.
    df = suggest(pcon, "severn-capital", "innovation", filters=EVERY)
    assert ids(df)[0] == "albion-tokamak"
    assert ("like_backed", "magnet_coils", "magnet_coils") not in directions(df, "albion-tokamak")
    assert df.iloc[0]["link_points"] == pytest.approx(1.0)


# --- counterparts and teaming -------------------------------------------------------------


def test_councils_find_each_other(pcon):
    df = suggest(pcon, "nihon-fusion-council", "counterparts")
    assert ids(df) == ["albion-fusion-network"]
    assert ("counterpart", "council_association", "council_association") in directions(
        df, "albion-fusion-network"
    )
    assert suggest(pcon, "sakura-magnet", "counterparts").empty


def test_a_construction_contractor_takes_no_machine_part_maker_into_its_bid(pcon):
    """Mercia Build builds and integrates only: the magnet maker is no specialist of its
    consortium; its documented consortium partner still is a candidate, by the link alone."""
    df = suggest(pcon, "mercia-build", "teaming")
    assert ids(df) == ["naniwa-trading"]
    assert df.iloc[0]["match"] == 0 and bool(df.iloc[0]["known"])


def test_an_integrator_teams_with_specialist_suppliers(rcon):
    """An engineering integrator that engineers plants (AtkinsRéalis) takes the makers of machine
    parts into its consortium, each for a leaf it does not offer itself."""
    from fusion_partners.data.partner_rules import PROJECT_LEAVES

    df = suggest(rcon, "atkinsrealis-atkins", "teaming", limit=100, filters=EVERY)
    parts = {
        d[1]
        for c in ids(df)
        for d in directions(df, c)
        if d[0] == "specialist" and d[1] not in PROJECT_LEAVES
    }
    assert {"hts_conductor", "remote_handling"} & parts


def test_a_developer_teams_with_the_maker_of_what_it_needs(pcon):
    df = suggest(pcon, "albion-tokamak", "teaming")
    assert ids(df)[0] == "sakura-magnet"
    assert directions(df, "sakura-magnet")[0][0] == "venture"


# --- documented links ----------------------------------------------------------------------


def test_a_documented_link_adds_its_own_visible_term(pcon):
    df = suggest(pcon, "albion-tokamak", "supply_chain")
    row = df[df["id"] == "sakura-magnet"].iloc[0]
    assert bool(row["known"]) and row["link_points"] == pytest.approx(1.0)
    assert [x["relation"] for x in row["links"]] == ["contract_supply"]
    parts = row[[c for c in SCORE_PARTS if c != "score"]]
    assert row["score"] == pytest.approx(parts.sum(), abs=1e-6)


def test_the_link_term_can_be_set_to_zero(pcon):
    df = suggest(pcon, "albion-tokamak", "supply_chain", weights=Weights(link=0))
    assert df[df["id"] == "sakura-magnet"].iloc[0]["link_points"] == 0


def _shared_work(con, a, row):
    """Σ idf over the specific technical leaves both organisations offer that the row's matches
    do not already count, computed here from the tables (before the cap at the match)."""
    offers = dict(con.execute("SELECT id, offers FROM organisations").fetchall())
    idfs = dict(con.execute("SELECT slug, coalesce(idf, 0) FROM capability_leaves").fetchall())
    matched = {m["supply"] for m in row["matches"]} | {m["demand"] for m in row["matches"]}
    both = (set(offers[a]) & set(offers[row["id"]])) - set(SHARED_WORK_EXCLUDED) - matched
    return sum(idfs[x] for x in both)


def _sells(con, org_id):
    roles, org_type = con.execute(
        "SELECT roles, org_type FROM organisations WHERE id = $id", {"id": org_id}
    ).fetchone()
    return bool(set(roles) & set(SUPPLIER_ROLES)) and org_type in COMPANY_TYPES


def test_shared_work_adds_the_rarity_of_the_technical_leaves_both_offer(rcon):
    positive = capped = rivals = 0
    for start in ("tokamak-energy", "uk-atomic-energy-authority-ukaea", "furukawa-electric"):
        for kind in ("supply_chain", "demonstration", "innovation", "teaming"):
            df = suggest(rcon, start, kind, weights=Weights(shared=0.5), limit=100)
            for _, row in df.iterrows():
                raw = 0.5 * _shared_work(rcon, start, row)
                if kind in SHARED_WORK_RIVALS and _sells(rcon, start) and _sells(rcon, row["id"]):
                    rivals += raw > 0
                    raw = 0.0  # two sellers of the same thing are rivals in a supply chain
                expected = min(raw, SHARED_WORK_CAP * row["match_points"])
                assert row["shared_points"] == pytest.approx(expected, abs=1e-9), (start, kind)
                positive += expected > 0
                capped += raw > SHARED_WORK_CAP * row["match_points"] + 1e-9
    assert positive > 0 and capped > 0 and rivals > 0  # the roster exercises every part


def test_shared_work_is_not_counted_twice_in_joint_research_and_can_be_set_to_zero(pcon, rcon):
    research = suggest(pcon, "pennine-university", "joint_research", filters=EVERY)
    assert len(research) and (research["shared_points"] == 0).all()
    peers = suggest(rcon, "uk-atomic-energy-authority-ukaea", "counterparts")
    assert len(peers) and (peers["shared_points"] == 0).all()
    off = suggest(pcon, "albion-tokamak", "teaming", filters=EVERY, weights=Weights(shared=0))
    assert (off["shared_points"] == 0).all()


def test_the_reason_names_the_shared_work_in_both_languages(rcon):
    tax = Taxonomy.from_frame(taxonomy_query(rcon), capability_leaves(rcon))
    df = suggest(rcon, "uk-atomic-energy-authority-ukaea", "supply_chain", limit=50)
    shared = df[df["shared_points"] > 0]
    assert len(shared) and all(len(x) for x in shared["shared_leaves"])
    for lang, phrase in (("en", "both also offer "), ("ja", "両者ともに")):
        frame = suggestion_frame(df, Context(tax, lang, "UKAEA"))
        for i in shared.index:
            first = cap_phrase(shared.loc[i, "shared_leaves"][0], tax, lang)
            reason = frame.loc[i, "reason"]
            assert phrase in reason and first.casefold() in reason.casefold()
        for i in df.index.difference(shared.index):
            assert phrase not in frame.loc[i, "reason"]


def test_a_demonstration_plant_is_supplied_only_with_what_a_plant_is_built_from(rcon):
    """A developer's decommissioning or computing needs are not its plant's technology."""
    seen = 0
    for start in ("uk-atomic-energy-authority-ukaea", "tokamak-energy", "helical-fusion"):
        df = suggest(rcon, start, "demonstration", limit=200)
        for ms in df["matches"]:
            for m in ms:
                if m["direction"].startswith("plant_technology"):
                    seen += 1
                    assert m["demand"] in PLANT_LEAVES, (start, m["demand"])
    assert seen > 0


def test_known_partners_can_be_hidden_or_listed_first(pcon):
    assert "sakura-magnet" not in ids(suggest(pcon, "albion-tokamak", "supply_chain", known="hide"))
    first = suggest(pcon, "fuji-helical", "innovation", known="first", filters=EVERY)
    assert ids(first)[0] == "naniwa-trading"  # its investor, listed before better technology fits


def test_ignoring_a_pairs_links_scores_it_as_if_they_were_not_known(pcon):
    df = suggest(pcon, "albion-tokamak", "supply_chain", ignore_links_with=("sakura-magnet",))
    row = df[df["id"] == "sakura-magnet"].iloc[0]
    assert not row["known"] and row["link_points"] == 0


def test_a_known_partner_of_the_right_kind_is_a_candidate_even_without_a_matching_rule(pcon):
    df = suggest(pcon, "naniwa-trading", "teaming", filters=EVERY)
    assert ids(df) == ["mercia-build"]
    assert df.iloc[0]["match"] == 0 and df.iloc[0]["link_points"] == pytest.approx(1.0)


def test_a_track_record_in_the_starts_country_earns_network_points(pcon):
    df = suggest(pcon, "fuji-helical", "supply_chain")
    albion = df[df["id"] == "albion-tokamak"].iloc[0]  # linked with Sakura (JP)
    assert albion["n_abroad"] == 1 and albion["network_points"] == pytest.approx(1 / 3)


def _adamic_adar(con, start, cand, ignore=()):
    """Σ 1 / ln(degree(z)) over z linked with both (Adamic & Adar 2003), from the links table."""
    partners: dict[str, set[str]] = {}
    for a, b in con.execute("SELECT org_a, org_b FROM links").fetchall():
        if a != b:
            partners.setdefault(a, set()).add(b)
            partners.setdefault(b, set()).add(a)
    mine = {z for z in partners.get(start, set()) if z not in ignore and "*" not in ignore}
    both = {z for z in mine if cand in partners.get(z, set()) and z != cand}
    return sum(1 / math.log(len(partners[z])) for z in both), both


def test_mutual_partners_add_the_adamic_adar_index_of_the_documented_links(rcon):
    seen = 0
    for start in ("tokyo-electric-power-company-tepco", "tokamak-energy", "kyoto-fusioneering"):
        for kind in ("supply_chain", "joint_research", "counterparts", "teaming", "innovation"):
            df = suggest(rcon, start, kind, weights=Weights(mutual=2.0), limit=200)
            for _, row in df.iterrows():
                expected, via = _adamic_adar(rcon, start, row["id"])
                # capped at the match points, like the track record and shared work
                assert row["mutual_points"] == pytest.approx(
                    min(2.0 * expected, row["match_points"]), abs=1e-9
                ), (start, kind)
                assert {p["id"] for p in row["mutual_partners"]} == via
                seen += expected > 0
    assert seen > 0  # the roster exercises the term


def test_mutual_partners_reorder_good_matches_but_never_make_one(rcon):
    """The mutual-partners term is capped at the match points: JAEA's documented links (2.4
    points against a match of 0.8) no longer lift it above QST, the national fusion laboratory,
    in Tokamak Energy's joint research."""
    for kind in ("joint_research", "counterparts", "supply_chain"):
        df = suggest(rcon, "uk-atomic-energy-authority-ukaea", kind, limit=100)
        assert (df["mutual_points"] <= df["match_points"] + 1e-9).all(), kind
    df = suggest(rcon, "tokamak-energy", "joint_research", limit=50)
    jaea = df[df["id"] == "japan-atomic-energy-agency-jaea"].iloc[0]
    assert jaea["mutual_points"] == pytest.approx(jaea["match_points"])  # the cap holds it
    order = ids(df)
    assert order.index("national-institutes-for-quantum-science-and-technology-qst") < order.index(
        "japan-atomic-energy-agency-jaea"
    )


def test_mutual_partners_follow_ignored_links_and_can_be_set_to_zero(rcon):
    start, kind = "tokyo-electric-power-company-tepco", "counterparts"
    base = suggest(rcon, start, kind)
    linked = base[base["mutual_points"] > 0]
    assert len(linked)
    via = linked.iloc[0]["mutual_partners"][0]["id"]
    without = suggest(rcon, start, kind, ignore_links_with=(via,))
    for _, row in without.iterrows():
        assert via not in {p["id"] for p in row["mutual_partners"]}
        expected, _ = _adamic_adar(rcon, start, row["id"], ignore=(via,))
        assert row["mutual_points"] == pytest.approx(min(expected, row["match_points"]), abs=1e-9)
    assert (suggest(rcon, start, kind, ignore_links_with=("*",))["mutual_points"] == 0).all()
    assert (suggest(rcon, start, kind, weights=Weights(mutual=0))["mutual_points"] == 0).all()


def test_the_reason_names_the_mutual_partners_in_both_languages(rcon):
    tax = Taxonomy.from_frame(taxonomy_query(rcon), capability_leaves(rcon))
    df = suggest(rcon, "tokyo-electric-power-company-tepco", "counterparts")
    mutual = df[df["mutual_points"] > 0]
    assert len(mutual)
    for lang, phrase in (("en", "both work with "), ("ja", "と連携しています")):
        frame = suggestion_frame(df, Context(tax, lang, "TEPCO"))
        for i in mutual.index:
            first = mutual.loc[i, "mutual_partners"][0]
            name = first["name_ja"] if lang == "ja" and first["name_ja"] else first["name_en"]
            assert phrase in frame.loc[i, "reason"] and name in frame.loc[i, "reason"]
        for i in df.index.difference(mutual.index):
            assert phrase not in frame.loc[i, "reason"]


# --- ranking, ties, filters, counts --------------------------------------------------------


def test_rows_that_tie_on_every_key_share_a_rank_and_are_marked(pcon):
    df = suggest(pcon, "fuji-helical", "supply_chain")
    tied = df[df["id"].isin(["thames-cryo", "tyne-cryo"])]
    assert set(tied["rank"]) == {2} and tied["tied"].all()
    assert not df[df["id"] == "albion-tokamak"].iloc[0]["tied"]


@pytest.mark.parametrize("known", ["mix", "first"])
def test_every_step_in_rank_between_rows_showing_one_score_is_explained(rcon, known):
    """A row that shows the same score as the next one but ranks above it says which ranking
    key put it there (the rows carry the keys: the strongest single match and the number of
    sources besides score and confidence), and only such a row says anything."""
    steps = 0
    for start in ("kyoto-fusioneering", "tokamak-energy", "furukawa-electric", "anri"):
        for kind in KINDS:
            df = suggest(rcon, start, kind, known=known)
            rows = df.to_dict("records")
            for upper, lower in zip(rows, rows[1:], strict=False):
                code = ahead_on(upper, lower, known_first=known == "first")
                same = display_score(upper["score"]) == display_score(lower["score"])
                step = same and upper["rank"] < lower["rank"]
                assert bool(code) == step, (start, kind, upper["id"], lower["id"])
                steps += step
    assert steps > 10


def test_the_start_is_never_its_own_partner(pcon):
    for kind in ("supply_chain", "joint_research", "teaming", "innovation"):
        assert "albion-tokamak" not in ids(suggest(pcon, "albion-tokamak", kind, filters=EVERY))


def test_filters_restrict_candidates_and_the_default_is_the_other_country(pcon):
    assert set(suggest(pcon, "fuji-helical", "supply_chain")["country"]) == {"GB"}
    only_startups = suggest(
        pcon, "fuji-helical", "supply_chain", filters=PartnerFilters(org_types=("startup",))
    )
    assert ids(only_startups) == ["albion-tokamak"]
    high = suggest(
        pcon, "fuji-helical", "supply_chain", filters=PartnerFilters(min_confidence="high")
    )
    assert set(high["confidence"]) <= {"high"}


def test_limit_cuts_the_list_but_not_the_count(pcon):
    query = PartnerQuery(start="fuji-helical", kind="supply_chain", limit=1)
    assert len(qp.suggestions(pcon, query)) == 1
    assert qp.count_candidates(pcon, query) == 3


def test_counts_by_kind_cover_every_kind_and_roles_say_where_the_start_takes_part(pcon):
    counts = qp.counts_by_kind(pcon, PartnerQuery(start="fuji-helical"))
    assert set(counts) == {
        "joint_research",
        "supply_chain",
        "demonstration",
        "innovation",
        "counterparts",
        "teaming",
    }
    assert counts["counterparts"] == 0 and counts["supply_chain"] == 3
    roles = qp.start_roles(pcon, "minato-city")
    assert roles["demonstration"] and not roles["supply_chain"]


def test_no_candidates_comes_with_the_single_change_that_gives_some(pcon):
    query = PartnerQuery(start="minato-city", kind="demonstration")
    assert qp.suggestions(pcon, query).empty
    assert ("country", 1) in qp.relaxations(pcon, query)  # its own country's developer


def test_where_the_candidates_are_when_every_country_is_searched(pcon):
    """A prefecture hosting a site: its demonstration partner is at home, not abroad."""
    assert qp.candidate_countries(
        pcon, PartnerQuery(start="minato-city", kind="demonstration")
    ) == {"JP": 1}
    assert qp.candidate_countries(pcon, PartnerQuery(start="minato-city", kind="teaming")) == {}
    where = qp.candidate_countries(pcon, PartnerQuery(start="albion-tokamak", kind="supply_chain"))
    assert where["JP"] == 2 and list(where) == sorted(where, key=lambda c: (-where[c], c))


def test_hidden_known_partners_are_a_restriction_that_can_be_loosened(pcon):
    query = PartnerQuery(start="sakura-magnet", kind="supply_chain", known="hide")
    assert qp.suggestions(pcon, query).empty
    assert ("known", 1) in qp.relaxations(pcon, query)


def test_the_profile_link_opens_a_view_with_candidates(pcon):
    """The kind that suits the organisation in the other country; else the kind with most
    candidates there; else the countries where the candidates are; a dead end only when
    there is none anywhere."""
    assert qp.opening_view(pcon, "sakura-magnet", "supply_chain") == qp.OpeningView(
        "supply_chain", (), 1, "suits"
    )
    assert qp.opening_view(pcon, "mercia-build", "supply_chain") == qp.OpeningView(
        "demonstration", (), 1, "kind"
    )
    assert qp.opening_view(pcon, "minato-city", "demonstration") == qp.OpeningView(
        "demonstration", ("JP",), 1, "elsewhere"
    )
    assert qp.opening_view(pcon, "gone-org", "supply_chain").why == "none"


def test_the_pair_view_lists_every_kind_that_links_two_organisations(pcon):
    kinds = qp.pair_kinds(pcon, "fuji-helical", "albion-tokamak")
    assert set(kinds["kind"]) == {"supply_chain", "demonstration"}
    assert qp.pair_kinds(pcon, "fuji-helical", "fuji-helical").empty


# --- reasons -------------------------------------------------------------------------------


def test_reasons_say_who_buys_and_who_supplies(pcon, tax):
    df = suggest(pcon, "albion-tokamak", "supply_chain")
    ctx = Context(tax, "en", "Albion Tokamak")
    assert (
        ctx.reason(df.iloc[0]["matches"])
        == "Supplies HTS conductor (REBCO tape and cable), which Albion Tokamak needs"
    )
    back = suggest(pcon, "sakura-magnet", "supply_chain")
    assert (
        Context(tax, "en", "Sakura Magnet Wire")
        .reason(back.iloc[0]["matches"])
        .startswith("Needs HTS conductor (REBCO tape and cable), which Sakura Magnet Wire supplies")
    )


def test_reasons_read_in_japanese(pcon, tax):
    df = suggest(pcon, "albion-tokamak", "supply_chain")
    text = Context(tax, "ja", "オルビオン").reason(df.iloc[0]["matches"])
    assert text.startswith(
        "オルビオンが必要とする高温超電導線材（REBCOテープ・ケーブル）を供給できます"
    )


def test_the_kind_that_suits_an_organisation_follows_its_roles():
    assert (
        fitting_kind("association", ["consulting_legal"], ["council_association"]) == "counterparts"
    )
    assert fitting_kind("investor", ["trading_finance"], ["investor"]) == "innovation"
    assert (
        fitting_kind("university", [], ["research_partner", "training_provider"])
        == "joint_research"
    )
    assert fitting_kind("public_body", [], ["site_host"]) == "demonstration"
    assert (
        fitting_kind("startup", [], ["fusion_developer", "manufacturer_supplier"]) == "supply_chain"
    )


# --- rules from the expert review, on the shipped roster ----------------------------------


@pytest.fixture(scope="module")
def rcon(real_db):
    from fusion_partners.db import connect_readonly

    connection = connect_readonly(real_db)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def rtax(rcon):
    return Taxonomy.from_frame(taxonomy_query(rcon), capability_leaves(rcon))


def test_a_unit_rolls_up_into_its_parent(rcon, rtax):
    # TE Magnetics (Tokamak Energy) sells Tokamak Energy's magnets: one row, the parent's, that
    # carries the unit's match; and neither is ever offered to the other
    df = suggest(rcon, "furukawa-electric", "supply_chain")
    assert "tokamak-energy" in ids(df) and "te-magnetics-tokamak-energy" not in ids(df)
    assert ("sells", "hts_conductor", "hts_conductor") in directions(df, "tokamak-energy")
    # the parent's row names the unit it carries, so the unit is not silently missing
    row = df[df["id"] == "tokamak-energy"].iloc[0]
    assert [u["id"] for u in row["units"]] == ["te-magnetics-tokamak-energy"]
    for lang, says in (("en", "including its unit TE Magnetics"), ("ja", "傘下のTE Magnetics")):
        assert says in Context(rtax, lang).row_reason(row, start_name="Furukawa Electric")
    assert all(len(u) == 0 for u in df[df["id"] != "tokamak-energy"]["units"])
    every = PartnerFilters(countries=("GB", "JP"))
    for kind in ("supply_chain", "teaming", "innovation", "demonstration"):
        assert "te-magnetics-tokamak-energy" not in ids(
            suggest(rcon, "tokamak-energy", kind, filters=every)
        )
        assert "tokamak-energy" not in ids(
            suggest(rcon, "te-magnetics-tokamak-energy", kind, filters=every)
        )


def test_laser_facilities_are_not_research_partners_of_a_tokamak_start_through_generic_topics(rcon):
    # Osaka's Institute of Laser Engineering shares only "plasma experiments" with Tokamak Energy:
    # laser plasma and tokamak plasma are different science (concept families)
    assert "osaka-university-institute-of-laser-engineering" not in ids(
        suggest(rcon, "tokamak-energy", "joint_research", limit=100)
    )
    # a laser facility is no test bed for a tokamak plant
    assert "osaka-university-institute-of-laser-engineering" not in ids(
        suggest(rcon, "uk-atomic-energy-authority-ukaea", "demonstration", limit=100)
    )
    # within a family the generic topic still counts: the laser laboratories find each other
    lasers = suggest(rcon, "osaka-university-institute-of-laser-engineering", "joint_research")
    assert "stfc-central-laser-facility-rutherford-appleton-laboratory" in ids(lasers)[:3]


def test_a_laser_laboratory_is_only_half_a_counterpart_of_a_tokamak_laboratory(rcon):
    """National laboratories of different concept families are half counterparts. A laboratory's
    family is its fusion concept's when it has one (QST's tokamak programme, whatever its
    photon-science laser), else its drivers'; one of both families is a full counterpart of
    either."""
    from fusion_partners.data.partner_rules import CONCEPT_FAMILIES, FAMILY_CONCEPTS

    orgs = _orgs(rcon)

    def families(org_id):
        offers = set(orgs[org_id]["offers"])
        by_concept = {f for f, leaves in FAMILY_CONCEPTS.items() if offers & set(leaves)}
        return by_concept or {f for f, leaves in CONCEPT_FAMILIES.items() if offers & set(leaves)}

    laser = "stfc-central-laser-facility-rutherford-appleton-laboratory"
    checked = 0
    for start in (
        "national-institutes-for-quantum-science-and-technology-qst",
        "japan-atomic-energy-agency-jaea",
        "national-institute-for-fusion-science-nifs",
        laser,
    ):
        df = suggest(rcon, start, "counterparts", limit=100)
        for c in ids(df):
            lab = [
                m for m in df[df["id"] == c].iloc[0]["matches"] if m["direction"] == "counterpart"
            ]
            a, b = families(start), families(c)
            if not lab or not a or not b:
                continue
            checked += 1
            expected = 0.5 if len(a) == 1 and len(b) == 1 and a != b else 1.0
            assert all(m["weight"] == pytest.approx(expected) for m in lab), (start, c)
    assert checked
    qst = suggest(
        rcon,
        "national-institutes-for-quantum-science-and-technology-qst",
        "counterparts",
        limit=100,
    )
    assert ids(qst)[0] == "uk-atomic-energy-authority-ukaea"


def test_industry_councils_pair_with_industry_councils_not_think_tanks(rcon):
    df = suggest(
        rcon,
        "japan-fusion-energy-council-j-fusion",
        "counterparts",
        ignore_links_with=("the-fusion-cluster",),
    )
    top = ids(df)[:3]
    assert "the-fusion-cluster" in top
    for policy in (
        "tony-blair-institute-for-global-change",
        "regulatory-horizons-council",
        "fusion-energy-all-party-parliamentary-group-fusion-energy-appg",
    ):
        assert policy in ids(df) and ids(df).index(policy) > ids(df).index("the-fusion-cluster")
        assert directions(df, policy)[0][1] == "council_association"
        row = df[df["id"] == policy].iloc[0]
        assert row["matches"][0]["weight"] == pytest.approx(0.5)


def test_a_roles_own_leaf_is_not_counted_again_as_shared_work(rcon):
    df = suggest(rcon, "japan-science-and-technology-agency-jst", "counterparts")
    assert all(
        d[0] != "shared_work" or d[1] != "public_funding"
        for c in ids(df)
        for d in directions(df, c)
    )


def test_reasons_say_a_service_is_provided_not_made(rcon, rtax):
    df = suggest(rcon, "tokamak-energy", "demonstration", limit=50)
    texts = [Context(rtax, "en", "Tokamak Energy").reason(m) for m in df["matches"]]
    assert not any("Makes divertor design" in x or "makes divertor design" in x for x in texts)
    assert any(x.startswith("Provides divertor design and assembly") for x in texts)
    assert any(x.startswith("Makes HTS conductor") for x in texts)  # goods are still made
    ja = [Context(rtax, "ja", "トカマク・エナジー").reason(m) for m in df["matches"]]
    assert any("ダイバータ" in x and "提供しています" in x for x in ja)


# --- rules from the expert review of the top-10 lists ----------------------------------------


def _orgs(con):
    rows = con.execute("SELECT id, country, roles, offers FROM organisations").fetchall()
    return {r[0]: {"country": r[1], "roles": list(r[2]), "offers": list(r[3])} for r in rows}


def test_fission_and_decommissioning_are_never_close_to_another_leaf(rcon):
    """A reactor vendor or a decommissioning contractor is no substitute for a fusion plant's
    shielding, nor the other way round (data.partner_rules.NO_NEAR_LEAVES)."""
    starts = [
        "tokamak-energy",
        "helical-fusion",
        "first-light-fusion",
        "uk-atomic-energy-authority-ukaea",
    ]
    for start in starts:
        for kind in ("supply_chain", "joint_research"):
            df = suggest(rcon, start, kind, limit=100)
            near = [
                (c, d)
                for c in ids(df)
                for d in directions(df, c)
                if d[0] in ("buys_near", "related")
            ]
            assert not [
                x
                for x in near
                if {x[1][1], x[1][2]} & {"fission_fuel_cycle", "decommissioning_waste"}
            ], start


def test_a_place_tied_need_is_met_only_in_the_plants_country_in_the_supply_chain_too(rcon):
    """Builders, sites, licences, grid and operators work where they are licensed: a UK builder
    does not build a Japanese plant, whatever the kind (data.partner_rules.PLACE_TIED_LEAVES)."""
    orgs = _orgs(rcon)
    every = PartnerFilters(countries=("GB", "JP", "US"))
    for start in (
        "kyoto-fusioneering",
        "helical-fusion",
        "tokamak-energy",
        "uk-atomic-energy-authority-ukaea",
    ):
        df = suggest(rcon, start, "supply_chain", filters=every, limit=200)
        for c in ids(df):
            for _direction, demand, _supply in directions(df, c):
                if demand in PLACE_TIED:  # the leaf the plant needs (or the start sells)
                    assert orgs[c]["country"] == orgs[start]["country"], (start, c, demand)


def test_only_the_investor_of_an_investment_has_backed_anything(rcon):
    """In an ``investment`` link ``org_a`` invested in ``org_b`` (data.links): a spin-out its
    university invested in, or a joint venture its laboratory took a stake in, has backed
    nothing, so it is never offered for its "portfolio"."""
    investors = {
        r[0]
        for r in rcon.execute("SELECT org_a FROM links WHERE relation = 'investment'").fetchall()
    }
    backed = 0
    for start in (
        "helical-fusion",
        "kyoto-fusioneering",
        "tokamak-energy",
        "ex-fusion",
        "oxford-sigma",
    ):
        df = suggest(rcon, start, "innovation", limit=100, filters=EVERY)
        for c in ids(df):
            if any(d[0] == "backed" for d in directions(df, c)):
                assert c in investors, (start, c)
                backed += 1
        assert "first-light-fusion" not in ids(
            df
        )  # Oxford and UKAEA invested in it, not it in them
    assert backed > 0


def test_an_investor_with_a_regional_remit_stays_in_its_country(rcon):
    """An angel network or a regional venture fund (remit ``regional``) backs its own region: it
    is offered to startups of its own country only."""
    regional = {
        r[0]
        for r in rcon.execute(
            "SELECT id FROM organisations WHERE remit = 'regional' AND list_contains(roles, 'investor')"
        ).fetchall()
    }
    assert {"midven", "oxford-early-investments"} <= regional
    uk = ids(suggest(rcon, "tokamak-energy", "innovation", limit=200, filters=EVERY))
    assert regional & set(uk)  # at home they are candidates
    for start in ("helical-fusion", "kyoto-fusioneering", "ex-fusion"):
        assert not regional & set(ids(suggest(rcon, start, "innovation", limit=200, filters=EVERY)))


def _contractors(rcon) -> set[str]:
    """Construction contractors: companies that build and offer nothing but integration and a
    building project's trades (``PROJECT_LEAVES``)."""
    from fusion_partners.data.partner_rules import PROJECT_LEAVES

    trades = {*PROJECT_LEAVES, "engineering_integration", "construction_civil_works"}
    return {
        r[0]
        for r in rcon.execute(
            "SELECT id, offers FROM organisations WHERE org_type = 'company'"
        ).fetchall()
        if "construction_civil_works" in r[1] and set(r[1]) <= trades
    }


def test_a_construction_contractor_does_not_integrate_a_machine_part(rcon):
    """A construction contractor (a STEP construction bidder) builds the plant; it is not the
    integrator that brings a maker's conductor or blanket into a consortium, while an
    engineering integrator is."""
    builders = _contractors(rcon)
    assert {"kier-kier-infrastructure-and-overseas-kier-construction", "balfour-beatty"} <= builders
    for start in ("toshiba-energy-systems-and-solutions", "kyoto-fusioneering"):
        df = suggest(rcon, start, "teaming", limit=100)
        integrators = [
            c for c in ids(df) if any(d[0] == "integrator_for" for d in directions(df, c))
        ]
        assert integrators and not builders & set(integrators), start


def test_a_construction_contractor_teams_with_a_building_projects_trades(rcon):
    """A construction contractor's consortium is a building project team: design engineers,
    project managers and other builders, never the maker of a machine part (a neutron source
    or a first wall was offered "for Kier Construction's consortium"); and a design
    consultancy meets it as the integrator of its design work."""
    from fusion_partners.data.partner_rules import PROJECT_LEAVES

    kier = "kier-kier-infrastructure-and-overseas-kier-construction"
    df = suggest(rcon, kier, "teaming", limit=200, filters=EVERY)
    assert len(df) > 10
    specialists = [c for c in ids(df) if any(d[0] == "specialist" for d in directions(df, c))]
    assert specialists
    for c in specialists:
        for d in directions(df, c):
            if d[0] == "specialist":
                assert d[1] in PROJECT_LEAVES, (c, d)
    top = ids(df)[:10]
    assert "astral-systems" not in top and "sheffield-forgemasters" not in top
    aecom = suggest(rcon, "aecom", "teaming", limit=200, filters=EVERY)
    assert kier in ids(aecom)
    assert {d[1] for d in directions(aecom, kier) if d[0] == "integrator_for"} <= set(
        PROJECT_LEAVES
    )


def test_a_materials_maker_teams_with_developers_and_its_trade_not_integrators(rcon):
    """Conductor, steel or tungsten goes to the maker of a component or to a developer: an
    engineering integrator's consortium does not take a materials maker for its materials (five
    engineering contractors had topped Furukawa Electric's list above Tokamak Energy, its
    documented partner in a joint magnet factory)."""
    from fusion_partners.data.partner_rules import MATERIAL_LEAVES

    for start in ("furukawa-electric", "fujikura"):
        df = suggest(rcon, start, "teaming", limit=100)
        assert ids(df)[0] == "tokamak-energy", start
        for c in ids(df):
            for d in directions(df, c):
                if d[0] in ("integrator_for", "specialist"):
                    assert d[1] not in MATERIAL_LEAVES, (start, c, d)
    df = suggest(rcon, "atkinsrealis-atkins", "teaming", limit=200, filters=EVERY)
    for c in ids(df):
        assert not {d[1] for d in directions(df, c) if d[0] == "specialist"} & set(MATERIAL_LEAVES)


def test_suppliers_of_one_trade_team_up_below_the_integrators(rcon):
    """Two suppliers that make the same specific thing can bid together (half a specialist
    match per shared leaf); fusion developers and catch-all leaves do not count, and an
    engineering integrator that takes the supplier's product into a bid ranks above them."""
    from fusion_partners.data.partner_rules import SAME_TRADE_EXCLUDED

    orgs = _orgs(rcon)
    df = suggest(rcon, "toshiba-energy-systems-and-solutions", "teaming", limit=100)
    peers = [c for c in ids(df) if any(d[0] == "co_supplier" for d in directions(df, c))]
    assert peers
    for c in peers:
        assert "fusion_developer" not in orgs[c]["roles"]
        assert "manufacturer_supplier" in orgs[c]["roles"]
        for d in directions(df, c):
            if d[0] == "co_supplier":
                assert d[1] in orgs[c]["offers"] and d[1] not in SAME_TRADE_EXCLUDED
    integrators = [c for c in ids(df) if any(d[0] == "integrator_for" for d in directions(df, c))]
    only_peers = [c for c in peers if c not in integrators]
    assert only_peers and ids(df).index(integrators[0]) < ids(df).index(only_peers[0])


def test_hiding_a_known_partner_hides_its_units_too(rcon):
    """Tokamak Energy is Furukawa Electric's documented partner: with known partners hidden,
    neither it nor its unit TE Magnetics (which would otherwise take its place) is listed."""
    units = {
        r[0]
        for r in rcon.execute(
            "SELECT unit FROM organisation_units WHERE parent = 'tokamak-energy'"
        ).fetchall()
    }
    assert units
    shown = ids(suggest(rcon, "furukawa-electric", "supply_chain", known="hide", limit=100))
    assert shown and not ({"tokamak-energy"} | units) & set(shown)
    mixed = ids(suggest(rcon, "furukawa-electric", "supply_chain", limit=100))
    assert "tokamak-energy" in mixed


def test_an_associations_fund_is_not_capital(rcon):
    """A professional body's fund backs its members' ventures: the Institution of Mechanical
    Engineers is offered to no startup as capital."""
    imeche = "institution-of-mechanical-engineers-imeche"
    assert rcon.execute(
        "SELECT org_type FROM organisations WHERE id = $i", {"i": imeche}
    ).fetchone() == ("association",)
    for start in ("kyoto-fusioneering", "helical-fusion", "tokamak-energy"):
        assert imeche not in ids(suggest(rcon, start, "innovation", limit=200, filters=EVERY)), (
            start
        )


def test_a_stake_in_a_rival_developer_is_capital_not_technology_fit(rcon):
    """An investor in another fusion developer has an appetite for fusion (the capital term),
    not a portfolio in the developer's field: eight backers of Commonwealth Fusion Systems no
    longer rank above Sumitomo Corporation for Tokamak Energy as "backed companies in magnet
    design"."""
    devs = {
        r[0]
        for r in rcon.execute(
            "SELECT id FROM organisations WHERE list_contains(roles, 'fusion_developer')"
        ).fetchall()
    }
    df = suggest(rcon, "tokamak-energy", "innovation", limit=100, ignore_links_with=("sumitomo",))
    for c in ids(df):
        assert "backed" not in {d[0] for d in directions(df, c)}, c
    capital = df[df["id"].isin(["sumitomo", "mitsui-fudosan", "mitsui-o-s-k-lines-mol"])]
    assert len(capital) == 3 and list(capital["match_points"]) == pytest.approx([0.5] * 3)
    investors = rcon.execute(
        "SELECT DISTINCT org_a FROM links WHERE relation = 'investment' AND list_contains($d, org_b)",
        {"d": sorted(devs)},
    ).fetchall()
    assert investors  # the roster exercises the rule
    for (investor,) in investors:
        for c_id, matches in suggest(rcon, investor, "innovation", limit=200, filters=EVERY)[
            ["id", "matches"]
        ].itertuples(index=False):
            if c_id in devs:
                assert "like_backed" not in {m["direction"] for m in matches}, (investor, c_id)


def test_capital_alone_comes_from_investors_and_trading_houses_not_manufacturers(rcon):
    """A manufacturer's stake comes with what it makes: it meets a startup through the technology
    terms, never as capital alone."""
    orgs = _orgs(rcon)
    for start in ("first-light-fusion", "helical-fusion", "kyoto-fusioneering", "tokamak-energy"):
        df = suggest(
            rcon, start, "innovation", filters=PartnerFilters(countries=("GB", "JP")), limit=200
        )
        for c in ids(df):
            if any(d[0] == "capital" for d in directions(df, c)):
                roles = orgs[c]["roles"]
                assert "trading_house" in roles or "manufacturer_supplier" not in roles, (start, c)


def test_a_shared_fusion_concept_counts_as_a_field_unless_both_run_experiments(rcon):
    """Both working on tokamaks weighs like a catch-all topic (UMBRELLA), so a shared specific
    topic of the same rarity ranks above it; between two organisations that both run plasma
    experiments (two tokamak laboratories) the shared concept counts fully."""
    from fusion_partners.data.partner_rules import DEVELOPER_LEAVES, UMBRELLA_LEAVES

    assert set(DEVELOPER_LEAVES) <= set(UMBRELLA_LEAVES)
    start = "uk-atomic-energy-authority-ukaea"
    orgs = _orgs(rcon)
    df = suggest(rcon, start, "joint_research", limit=100)
    seen = {"field": 0, "experiments": 0}
    for c in ids(df):
        row = df[df["id"] == c].iloc[0]
        for m in row["matches"]:
            if m["direction"] == "shared_topic" and m["demand"] in DEVELOPER_LEAVES:
                idf = rcon.execute(
                    "SELECT idf FROM capability_leaves WHERE slug = $s", {"s": m["demand"]}
                ).fetchone()[0]
                both = all("plasma_experiments" in orgs[x]["offers"] for x in (start, c))
                factor = 1.0 if both else 0.5
                seen["experiments" if both else "field"] += 1
                assert m["weight"] <= factor * idf + 1e-9, c
                assert m["weight"] >= factor * idf * 0.7 - 1e-9, (
                    c
                )  # research-company factor at most
    assert seen["experiments"] >= 1  # QST: two tokamak laboratories
    assert "national-institutes-for-quantum-science-and-technology-qst" in ids(df)[:5]


def test_teaching_is_not_shared_work_between_counterparts(rcon):
    for start in (
        "national-institute-for-fusion-science-nifs",
        "uk-atomic-energy-authority-ukaea",
        "national-institutes-for-quantum-science-and-technology-qst",
    ):
        df = suggest(rcon, start, "counterparts", limit=100)
        shared = [d for c in ids(df) for d in directions(df, c) if d[0] == "shared_work"]
        assert not [d for d in shared if d[1] in ("degree_education", "vocational_training")], start


def test_regulators_and_national_laboratories_are_half_counterparts(rcon):
    """A regulator's technical support organisations are national laboratories: they are half
    counterparts of each other (partner_rules.NEAR_COUNTERPARTS), below a regulator."""
    df = suggest(rcon, "nuclear-regulation-authority-nra", "counterparts", limit=100)
    assert ("counterpart", "regulator", "regulator") in directions(
        df, "office-for-nuclear-regulation-onr"
    )
    lab = directions(df, "uk-atomic-energy-authority-ukaea")
    assert ("counterpart_near", "regulator", "national_laboratory") in lab
    labs = suggest(rcon, "japan-atomic-energy-agency-jaea", "counterparts", limit=100)
    assert ("counterpart_near", "national_laboratory", "regulator") in directions(
        labs, "office-for-nuclear-regulation-onr"
    )


def test_a_track_record_never_outweighs_the_match_it_supports(rcon):
    """Track-record points are capped at the match points: JAEA, a national laboratory with
    many UK partners, is half the UK regulator's counterpart and no longer outranks Japan's
    regulator, a full one, when the start's own documented links with both are left out."""
    onr = "office-for-nuclear-regulation-onr"
    nra = "nuclear-regulation-authority-nra"
    jaea = "japan-atomic-energy-agency-jaea"
    df = suggest(rcon, onr, "counterparts", limit=100, ignore_links_with=(nra, jaea))
    assert (df["network_points"] <= df["match_points"] + 1e-9).all()
    assert ids(df).index(nra) < ids(df).index(jaea)
    capped = df[df["id"] == jaea].iloc[0]
    assert capped["network_points"] == pytest.approx(capped["match_points"])


def test_a_business_sold_on_is_never_a_candidate_its_successor_is(rcon):
    """Amec Foster Wheeler's nuclear business now belongs to Jacobs (``successor``): the record
    stays for its history and links, and the finder offers the buyer in its place."""
    sold = {
        r[0]: r[1]
        for r in rcon.execute(
            "SELECT id, successor FROM organisations WHERE successor IS NOT NULL"
        ).fetchall()
    }
    assert sold.get("amec-foster-wheeler-now-wood") == "jacobs-uk"
    qst = "national-institutes-for-quantum-science-and-technology-qst"
    for start, kind in (
        (qst, "supply_chain"),
        (qst, "demonstration"),
        (qst, "joint_research"),
        ("furukawa-electric", "teaming"),
        ("kyoto-fusioneering", "teaming"),
    ):
        found = ids(suggest(rcon, start, kind, limit=200))
        assert not set(sold) & set(found), (start, kind)
    assert "jacobs-uk" in ids(suggest(rcon, "kyoto-fusioneering", "teaming", limit=200))
    caps = qp.suggestions(
        rcon, PartnerQuery(needs=("remote_handling_robotics",), kind="supply_chain", limit=200)
    )
    assert len(caps) and not set(sold) & set(caps["id"])


def test_counterparts_stay_at_one_level_of_government(rcon):
    """A prefecture, a county council or a regional cluster is a counterpart only of another
    regional body, never of a national laboratory, ministry or council (roster.REMITS)."""
    remit = dict(rcon.execute("SELECT id, remit FROM organisations").fetchall())
    assert remit["aichi-prefecture"] == "regional" and remit["bay-fusion"] == "regional"
    seen = {"regional": 0, "national": 0}
    for start in (
        "japan-fusion-energy-council-j-fusion",
        "the-fusion-cluster",
        "uk-atomic-energy-authority-ukaea",
        "national-institutes-for-quantum-science-and-technology-qst",
        "aichi-prefecture",
        "aomori-prefecture",
        "bay-fusion",
    ):
        regional = remit[start] == "regional"
        df = suggest(rcon, start, "counterparts", limit=100)
        for c in ids(df):
            assert (remit[c] == "regional") == regional, (start, c)
        seen["regional" if regional else "national"] += len(df)
    # the rule narrows the lists, it does not empty them: regional bodies meet regional bodies
    assert seen["regional"] > 0 and seen["national"] > 0


def test_a_fusion_laboratorys_full_counterpart_is_a_fusion_laboratory(rcon):
    """Two national laboratories are full counterparts when both or neither run a fusion
    programme (a fusion developer, or a concept family's leaf); a fusion laboratory and a
    fission or metrology laboratory are half counterparts."""
    from fusion_partners.data.partner_rules import CONCEPT_FAMILIES

    family_leaves = {x for leaves in CONCEPT_FAMILIES.values() for x in leaves}
    orgs = _orgs(rcon)

    def fusion(org_id):
        o = orgs[org_id]
        return "fusion_developer" in o["roles"] or bool(set(o["offers"]) & family_leaves)

    halves = 0
    for start in (
        "national-institutes-for-quantum-science-and-technology-qst",
        "japan-atomic-energy-agency-jaea",
    ):
        df = suggest(rcon, start, "counterparts", limit=100)
        for c in ids(df):
            for m in df[df["id"] == c].iloc[0]["matches"]:
                if m["direction"] == "counterpart" and m["demand"] == "national_laboratory":
                    if fusion(start) != fusion(c):
                        halves += 1
                        assert m["weight"] == pytest.approx(0.5), (start, c)
    assert halves


def test_branches_a_start_cannot_take_part_in_are_left_out_without_changing_results(
    pcon, monkeypatch
):
    """The statement for a start leaves out the ``hits`` branches whose start-side condition
    its row fails (``scoring_sql.BRANCH_GUARDS``): every start and kind of the fixture, in every
    country, ranks and scores the same candidates as the whole statement."""
    from fusion_partners.data.partner_rules import KINDS
    from fusion_partners.partners import organisation_sql

    starts = [r[0] for r in pcon.execute("SELECT id FROM organisations ORDER BY id").fetchall()]
    every = tuple(
        r[0] for r in pcon.execute("SELECT DISTINCT country FROM organisations").fetchall()
    )
    queries = [
        PartnerQuery(start=s, kind=k, filters=PartnerFilters(countries=every), limit=500)
        for s in starts
        for k in KINDS
    ]
    cols = ["id", "rank", "tied", "score", "match"]
    pruned = [(qp.suggestions(pcon, q)[cols], qp.count_candidates(pcon, q)) for q in queries]
    whole = organisation_sql._start_row
    monkeypatch.setattr(organisation_sql, "_start_row", lambda con, s: (whole(con, s)[0], None))
    for q, (rows, n) in zip(queries, pruned, strict=True):
        full = qp.suggestions(pcon, q)[cols]
        assert rows.to_dict("records") == full.to_dict("records"), (q.start, q.kind)
        assert n == qp.count_candidates(pcon, q), (q.start, q.kind)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_capabilities_column_keeps_labels_with_commas_whole(rcon, rtax, lang):
    """Labels such as "Magnetic confinement fusion developer (tokamak, stellarator, helical)"
    are joined with a separator no label holds, so the cell splits back into the labels (a
    list cell had its inner commas turned into double spaces when copied or downloaded)."""
    sep = t("partners.cap_label_sep", lang)
    labels = [rtax.label(slug, lang) for slug in capability_leaves(rcon)["slug"]]
    labels += [rtax.label(slug, lang) for slug in taxonomy_query(rcon)["slug"]]
    assert not [x for x in labels if sep.strip() in x]
    df = suggest(rcon, "furukawa-electric", "supply_chain", limit=50)
    frame = suggestion_frame(df, Context(rtax, lang, "Furukawa Electric"))
    cells = list(frame["capabilities"])
    assert all(isinstance(c, str) and "  " not in c for c in cells)
    for cell, slugs in zip(cells, df["capabilities"], strict=True):
        assert cell.split(sep) == rtax.labels(list(slugs), lang)
    inner = "," if lang == "en" else "・"  # (tokamak, stellarator, helical) / （トカマク・…）
    assert any(inner in x for c in cells for x in c.split(sep))


def test_a_reason_cut_short_says_more_reasons_are_in_the_pair_view_not_more_items(rcon):
    """Two counts in one clause read "(+1 more) (+1 more)": further items and further clauses
    are said differently."""
    tax = Taxonomy.from_frame(taxonomy_query(rcon), capability_leaves(rcon))
    df = suggest(rcon, "uk-atomic-energy-authority-ukaea", "joint_research")
    for lang, more in (("en", "compare side by side"), ("ja", "並べて比較")):
        reasons = list(suggestion_frame(df, Context(tax, lang, "UKAEA"))["reason"])
        assert any(more in r for r in reasons)
        assert not any(re.search(r"more\) \(\+\d|件）（ほか\d", r) for r in reasons)


def test_the_pair_view_and_a_shortlist_name_the_mutual_partners_as_the_row_does(rcon):
    from fusion_partners.partners.shortlist import shortlist_entry, shortlist_frame

    tax = Taxonomy.from_frame(taxonomy_query(rcon), capability_leaves(rcon))
    start, kind = "tokyo-electric-power-company-tepco", "counterparts"
    df = suggest(rcon, start, kind)
    row = df[df["mutual_points"] > 0].iloc[0]
    pair = qp.pair_kinds(rcon, start, row["id"])
    ctx = Context(tax, "en", "TEPCO")
    [in_pair] = [r for r in pair.to_dict("records") if r["kind"] == kind]
    assert "both work with" in ctx.row_reason(in_pair, full=True)
    query = PartnerQuery(start=start, kind=kind)
    entry = shortlist_entry(row.to_dict(), query, {"name_en": "TEPCO"})
    shown = shortlist_frame([entry], ctx)
    assert "both work with" in shown.iloc[0]["reason"]


def test_capability_mode_marks_rows_that_share_a_score_as_tied(rcon):
    """Capability mode ranks by score alone: rows with the same score share a rank and are
    marked tied, as in organisation mode (a fresh user saw two rank-2 rows without "=")."""
    seen = 0
    for kind in ("supply_chain", "joint_research", "demonstration", "innovation"):
        needs = ("magnets_superconductors", "plasma_heating", "remote_handling_robotics")
        df = qp.suggestions(rcon, PartnerQuery(needs=needs, kind=kind, limit=100))
        counts = df["score"].value_counts()
        for _, row in df.iterrows():
            assert bool(row["tied"]) == (counts[row["score"]] > 1), kind
            seen += bool(row["tied"])
        ranks = df.groupby("score")["rank"].nunique()
        assert (ranks == 1).all()
    assert seen > 0


def test_starting_from_capabilities_only_sellers_supply_them(rcon):
    """Capability mode says "only organisations that sell to others count as suppliers": a
    university researching magnets is no magnet supplier; each supplier is a company with a
    seller's role that offers a leaf of the needed capability."""
    from fusion_partners.data.partner_rules import SUPPLIER_ROLES

    orgs = _orgs(rcon)
    leaves = dict(rcon.execute("SELECT slug, parent FROM capability_leaves").fetchall())
    for need in ("magnets_superconductors", "plasma_heating", "remote_handling_robotics"):
        df = qp.suggestions(
            rcon, PartnerQuery(needs=(need,), kind="supply_chain", filters=EVERY, limit=200)
        )
        assert len(df), need
        for c in ids(df):
            assert df.loc[df["id"] == c, "org_type"].iloc[0] in ("company", "startup"), (need, c)
            assert set(orgs[c]["roles"]) & set(SUPPLIER_ROLES), (need, c)
            assert any(leaves.get(x) == need for x in orgs[c]["offers"]), (need, c)
    research = qp.suggestions(
        rcon, PartnerQuery(needs=("magnets_superconductors",), kind="joint_research", filters=EVERY)
    )
    assert (research["org_type"] == "university").any()  # research is still theirs


def test_in_counterparts_the_role_decides_before_shared_work(rcon):
    """Shared work counts in proportion to the role: a half counterpart (JAEA, a laboratory
    without a fusion programme) does not outrank the full ones (NIFS, QST) for UKAEA."""
    df = suggest(rcon, "uk-atomic-energy-authority-ukaea", "counterparts", limit=20)
    order = ids(df)
    jaea = order.index("japan-atomic-energy-agency-jaea")
    for full in (
        "national-institute-for-fusion-science-nifs",
        "national-institutes-for-quantum-science-and-technology-qst",
    ):
        assert order.index(full) < jaea, full
    row = df[df["id"] == "japan-atomic-energy-agency-jaea"].iloc[0]
    role = max(m["weight"] for m in row["matches"] if m["direction"] == "counterpart")
    assert role == pytest.approx(0.5)
    shared = [m for m in row["matches"] if m["direction"] == "shared_work"]
    assert shared
