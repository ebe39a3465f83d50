"""AppTest: the Partner finder page on the hand-built fixture, and the link from profiles."""

import json
import os
import re

import pytest

from fusion_partners.db import connect_readonly
from fusion_partners.i18n import t
from fusion_partners.partners import sql as qp
from fusion_partners.partners.query import PartnerQuery
from fusion_partners.partners.shortlist import shortlist_entry, shortlist_key
from fusion_partners.partners.table import SCORE_PARTS
from fusion_partners.ui import partners_inputs
from fusion_partners.workspace import open_workspace


@pytest.fixture
def run_page(partners_db, app_runner):
    return app_runner(partners_db, "pages/partners.py")


def url(at, key):
    value = at.query_params.get(key)
    return [value] if isinstance(value, str) else value


def plain(markdown: str) -> str:
    """Markdown source without backslash escapes (what the reader sees)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def text(at):
    return plain(
        "\n".join(
            m.value for m in [*at.markdown, *at.caption, *at.info, *at.warning, *at.subheader]
        )
    )


def table(at):
    return at.dataframe[0].value


def test_a_link_with_an_organisation_shows_ranked_suggestions_with_reasons(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    rows = table(at)
    assert list(rows["id"]) == ["sakura-magnet", "fuji-helical"]
    assert rows.iloc[0]["reason"].startswith(
        "Supplies HTS conductor (REBCO tape and cable), which Albion Tokamak needs"
    )
    assert rows.iloc[0]["known"] == "Already working together: Supply contract (2024)"
    assert rows.iloc[1]["reason"].startswith(
        "Needs magnet design and coil winding, which Albion Tokamak supplies"
    )
    assert rows.iloc[0]["profile"] == "./profile?org=sakura-magnet&lang=en"
    assert "Candidates, best first: **2**" in text(at)


def test_a_link_without_a_kind_opens_the_kind_that_suits_the_organisation(run_page):
    at = run_page(org="kanto-tech")
    assert at.button_group(key="pf_kind").value == "joint_research"
    assert list(table(at)["id"]) == ["pennine-university", "albion-tokamak"]
    assert url(at, "kind") == ["joint_research"]


def test_changing_the_kind_reranks_and_rewrites_the_url(run_page):
    at = run_page(org="fuji-helical", kind="supply_chain")
    at.button_group(key="pf_kind").set_value("demonstration").run()
    # Mercia Build first: it and Fuji Helical both work with Naniwa Trading (mutual partner)
    assert list(table(at)["id"]) == ["mercia-build", "albion-tokamak", "thames-cryo", "tyne-cryo"]
    assert url(at, "kind") == ["demonstration"]
    assert url(at, "org") == ["fuji-helical"]


def test_weights_are_adjustable_and_travel_in_the_url(run_page):
    at = run_page(org="fuji-helical", kind="joint_research")
    at.number_input(key="pf_w_rarity").set_value(0.0).run()
    assert list(table(at)["score"]) == [1.09]
    assert url(at, "w_rarity") == ["0"]
    at.button(key="pf_weights_reset").click().run()
    assert "w_rarity" not in at.query_params


def test_filters_in_the_link_restrict_candidates(run_page):
    at = run_page(org="fuji-helical", kind="supply_chain", type="company")
    assert list(table(at)["id"]) == ["thames-cryo", "tyne-cryo"]
    assert at.multiselect(key="pf_type").value == ["company"]


def test_stale_link_values_open_the_valid_part_with_a_notice(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain", country=["JP", "XX"], w_match="lots")
    warnings = [plain(w.value) for w in at.warning]
    assert any("XX" in w and "not in the current data" in w for w in warnings)
    assert any("w_match=lots (Match: allowed 0–5; default 1)" in w for w in warnings)
    assert list(table(at)["id"]) == ["sakura-magnet", "fuji-helical"]


def test_out_of_range_weights_in_a_link_say_the_default_was_used(run_page):
    at = run_page(
        org="albion-tokamak", kind="supply_chain", w_match="-1", w_breadth="2", w_conf="nan"
    )
    [warning] = [plain(w.value) for w in at.warning]
    assert warning.startswith(
        "Weights in this link are not numbers in their allowed ranges, so the defaults were used"
    )
    assert (
        "w_breadth=2 (Weight of further matches: allowed 0–1; default 0.5)" in warning
        and "not in the current data" not in warning
    )
    assert (
        at.number_input(key="pf_w_match").value == 1.0
        and at.number_input(key="pf_w_breadth").value == 0.5
    )


def test_capabilities_next_to_an_organisation_in_a_link_are_ignored_with_a_notice(run_page):
    at = run_page(org="fuji-helical", need="materials", kind="supply_chain")
    assert any(
        "names a starting organisation, so the capabilities it also names were ignored (need=materials)"
        in plain(w.value)
        for w in at.warning
    )
    assert at.button_group(key="pf_mode").value == "organisation"


def test_a_pair_view_with_the_start_itself_is_ignored_with_a_notice(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain", **{"with": "albion-tokamak"})
    assert any(
        "names the starting organisation itself (with=albion-tokamak)" in plain(w.value)
        for w in at.warning
    )
    assert "with" not in at.query_params
    assert "Albion Tokamak Ltd and Albion Tokamak Ltd" not in text(at)


def test_an_unknown_organisation_in_the_link_asks_for_a_start(run_page):
    at = run_page(org="gone-org")
    assert any("gone-org" in plain(w.value) for w in at.warning)
    assert any("Choose a starting organisation" in i.value for i in at.info)
    assert not at.dataframe


def relax_buttons(at) -> dict[str, str]:
    return {b.key: b.label for b in at.button if b.key.startswith("pf_relax_")}


def test_no_candidates_explains_why_and_offers_the_other_kind_in_one_click(run_page):
    at = run_page(org="naniwa-trading", kind="supply_chain")
    assert not at.dataframe
    body = text(at)
    assert "Naniwa Trading Corporation has no recorded need" in body
    assert "Each of these changes gives candidates (how many in brackets):" in body
    assert relax_buttons(at) == {
        "pf_relax_kind:innovation": "Innovation partnership (1)",
        "pf_relax_kind:teaming": "Teaming (1)",
    }
    at.button(key="pf_relax_kind:innovation").click().run()
    assert at.button_group(key="pf_kind").value == "innovation"
    assert url(at, "kind") == ["innovation"]
    assert len(table(at)) == 1


def test_filters_that_exclude_everything_offer_to_drop_the_filter(run_page):
    at = run_page(org="sakura-magnet", kind="supply_chain", type="university")
    body = text(at)
    assert "No organisation in the United Kingdom matches with the current filters." in body
    assert relax_buttons(at)["pf_relax_org_type"] == "Any organisation type (1)"
    at.button(key="pf_relax_org_type").click().run()
    assert at.multiselect(key="pf_type").value == []
    assert "type" not in at.query_params
    assert list(table(at)["id"]) == ["albion-tokamak"]


def test_hidden_known_partners_that_were_every_candidate_can_be_shown_again(run_page):
    at = run_page(org="sakura-magnet", kind="supply_chain", known="hide")
    assert not at.dataframe
    assert relax_buttons(at)["pf_relax_known"] == "Show known partners (1)"
    at.button(key="pf_relax_known").click().run()
    assert at.selectbox(key="pf_known").value == "mix"
    assert list(table(at)["id"]) == ["albion-tokamak"]


def test_the_empty_state_reads_naturally_in_japanese(run_page):
    at = run_page(org="sakura-magnet", kind="supply_chain", type="university", lang="ja")
    assert "英国には、現在の条件に該当する組織はありません。" in text(at)
    assert relax_buttons(at)["pf_relax_org_type"] == "組織種別を指定しない（1）"


def test_a_start_whose_partners_are_all_at_home_is_told_why_and_offered_its_country(run_page):
    """A new user followed Aomori Prefecture's "Find partners" link: every kind showed 0 and
    the page blamed "the current filters", though none was set. A prefecture's demonstration
    roles (a site) are met in its own country, and the default country is the other one."""
    at = run_page(org="minato-city", kind="demonstration")
    assert not at.dataframe
    body = text(at)
    assert "current filters" not in body
    assert (
        "Minato Coast City has no candidate for Demonstration project in the United Kingdom,"
        " the country searched when no country is chosen (the other country)."
        " Its one candidate is in Japan." in body
    )
    assert (
        "A demonstration plant's site, licensing, grid connection, building and operation come"
        " from the plant's own country, so Minato Coast City's demonstration partners are in"
        " its own country." in body
    )
    assert "This change gives candidates (how many in brackets):" in body
    assert relax_buttons(at) == {"pf_relax_country": "Search Japan (1)"}
    at.button(key="pf_relax_country").click().run()
    assert at.multiselect(key="pf_country").value == ["JP"]
    assert url(at, "country") == ["JP"]
    assert list(table(at)["id"]) == ["fuji-helical"]


def test_a_start_whose_partners_are_all_at_home_is_told_so_in_japanese(run_page):
    at = run_page(org="minato-city", kind="demonstration", lang="ja")
    body = text(at)
    assert (
        "の「実証プロジェクト」の候補は、国を選ばないときに探す相手国（英国）にはありません。"
        "候補1件は日本にあります。" in body
    )
    assert "実証プロジェクトの相手は自国の組織です。" in body
    assert relax_buttons(at) == {"pf_relax_country": "日本を対象にする（1）"}


def test_a_name_ending_in_s_takes_only_an_apostrophe(run_page):
    at = run_page(org="thames-cryo", kind="counterparts")
    body = text(at)
    assert "None of Thames Cryogenics' roles" in body and "Cryogenics's" not in body
    ja = text(run_page(org="thames-cryo", kind="counterparts", lang="ja"))
    assert "Thames Cryogenicsの役割" in ja


def test_the_profile_names_the_other_country_as_in_a_sentence(run_page):
    at = run_page("pages/profile.py", org="sakura-magnet")
    assert "#### Organisations in the United Kingdom with shared capabilities" in [
        m.value for m in at.markdown
    ]
    at = run_page("pages/profile.py", org="sakura-magnet", lang="ja")
    assert "#### 技術分野が共通する英国の組織" in [m.value for m in at.markdown]


def test_capabilities_in_the_link_start_capability_mode(run_page):
    at = run_page(need=["vacuum_cryogenics"], kind="supply_chain")
    assert at.button_group(key="pf_mode").value == "capabilities"
    assert at.multiselect(key="pf_needs").value == ["vacuum_cryogenics"]
    assert list(table(at)["id"]) == ["thames-cryo", "tyne-cryo"]


def test_finding_a_start_by_japanese_name_selects_it(run_page):
    at = run_page()
    at.text_input(key="pf_find").input("ｻｸﾗ線材").run()
    assert at.selectbox(key="pf_org").value == "sakura-magnet"
    assert list(table(at)["id"])[0] == "albion-tokamak"
    assert url(at, "org") == ["sakura-magnet"]


def test_japanese_interface_shows_japanese_reasons(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain", lang="ja")
    assert at.title[0].value == "相手国の連携先を探す"
    assert "高温超電導線材（REBCOテープ・ケーブル）を供給できます" in table(at).iloc[0]["reason"]
    assert table(at).iloc[0]["name"] == "さくら線材株式会社"
    assert table(at).iloc[0]["known"] == "連携の実績あり：供給契約（2024年）"


def test_the_pair_view_shows_both_organisations_links_and_sources(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain", **{"with": "sakura-magnet"})
    body = text(at)
    assert "Albion Tokamak Ltd and Sakura Magnet Wire KK" in body
    assert "Supplies HTS conductor (REBCO tape and cable), which Albion Tokamak needs" in body
    assert "Sakura Magnet Wire KK offers what Albion Tokamak Ltd needs: HTS conductor" in body
    assert "Sakura Magnet Wire supplies HTS tape to Albion Tokamak." in body
    assert "https://news.example/sakura-2" in body and "https://news.example/albion" in body
    assert url(at, "with") == ["sakura-magnet"]


def test_the_shortlist_lists_entries_and_offers_both_downloads(run_page, partners_db):
    con = connect_readonly(partners_db)
    query = PartnerQuery(start="albion-tokamak", kind="supply_chain")
    start = {
        "name_en": "Albion Tokamak Ltd",
        "name_ja": None,
        "source_urls": "https://news.example/albion",
    }
    entries = {
        f"k{i}": shortlist_entry(r, query, start)
        for i, r in enumerate(qp.suggestions(con, query).to_dict("records"))
    }
    con.close()
    ws = open_workspace(os.environ["FPF_WORKSPACE_URL"])
    opened = ws.create_shortlist("Magnets", "en")
    ws.add_entries(opened.token, [(shortlist_key(e), e) for e in entries.values()])
    at = run_page(org="albion-tokamak", kind="supply_chain", state={"ws_list": opened.token})
    assert "Shortlist (2)" in text(at)
    shortlist = at.dataframe[1].value
    assert list(shortlist["candidate_id"]) == ["sakura-magnet", "fuji-helical"]
    assert len(at.get("download_button")) == 2
    at.button(key="pf_clear").click().run()
    assert "Shortlist (2)" in text(at)  # it asks first
    at.button(key="pf_clear_yes").click().run()
    assert "Shortlist (0)" in text(at)


def test_the_profile_links_to_the_partner_finder_with_the_organisation(run_page):
    at = run_page("pages/profile.py", org="sakura-magnet")
    links = [p.proto for p in at.get("page_link") if p.proto.page == "partners"]
    assert links and links[0].label == "Find partners for this organisation"
    assert links[0].query_string == "org=sakura-magnet&kind=supply_chain&lang=en"
    assert not [c for c in at.caption if "the link opens" in c.value]


def partner_link(at):
    [link] = [p.proto for p in at.get("page_link") if p.proto.page == "partners"]
    return link.query_string


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        (
            "en",
            "Minato Coast City has no candidate in the United Kingdom in any kind: the link opens"
            " its Demonstration project candidates in Japan (1).",
        ),
        ("ja", "リンク先では日本の「実証プロジェクト」の候補（1件）を開きます。"),
    ],
)
def test_the_profile_of_a_start_with_no_partner_abroad_links_to_its_partners_at_home(
    run_page, lang, says
):
    """The link opened a dead end (0 in every kind) for a prefecture hosting a site."""
    at = run_page("pages/profile.py", org="minato-city", lang=lang)
    assert partner_link(at) == f"org=minato-city&kind=demonstration&country=JP&lang={lang}"
    assert any(says in plain(c.value) for c in at.caption)
    finder = run_page(org="minato-city", kind="demonstration", country="JP", lang=lang)
    assert list(table(finder)["id"]) == ["fuji-helical"]


def test_the_profile_links_to_another_kind_when_its_own_has_no_candidate_abroad(run_page):
    at = run_page("pages/profile.py", org="mercia-build")
    assert partner_link(at) == "org=mercia-build&kind=demonstration&lang=en"
    assert any(
        "Mercia Build plc has no candidate for Supply chain in Japan: the link opens"
        " Demonstration project, with one candidate." in plain(c.value)
        for c in at.caption
    )


def test_choosing_another_start_closes_the_pair_view(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain", **{"with": "sakura-magnet"})
    at.selectbox(key="pf_org").set_value("fuji-helical").run()
    assert "with" not in at.query_params
    assert "Albion Tokamak Ltd and Sakura Magnet Wire KK" not in text(at)
    assert url(at, "org") == ["fuji-helical"]


def test_the_stale_value_notice_goes_once_the_page_rewrites_the_link(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain", country="XX")
    assert any("XX" in w.value for w in at.warning)
    at.button_group(key="pf_kind").set_value("innovation").run()
    assert not any("XX" in w.value for w in at.warning)


def tick(at, table_index, rows):
    """Tick ``rows`` (positions) in the ``table_index``-th table, as a click in the browser would."""
    key = at.dataframe[table_index].key
    at.session_state[key] = {"selection": {"rows": rows, "columns": [], "cells": []}}
    return at.run()


def stored(at) -> dict:
    """The entries of the shortlist the session adds to, from the workspace ({key: entry})."""
    if "ws_list" not in at.session_state:
        return {}
    ws = open_workspace(os.environ["FPF_WORKSPACE_URL"])
    opened = ws.open(at.session_state["ws_list"])
    return {r["entry_key"]: r["entry"] for r in ws.entries(opened.shortlist["id"])}


def shortlisted(at):
    return sorted(stored(at))


def test_ticks_belong_to_the_list_and_are_cleared_when_the_kind_changes(run_page):
    at = run_page(org="fuji-helical", kind="supply_chain")
    tick(at, 0, [0])
    assert at.button(key="pf_add").label == "Add 1 to shortlist"
    at.button_group(key="pf_kind").set_value("demonstration").run()
    assert list(table(at)["id"])[:3] == ["mercia-build", "albion-tokamak", "thames-cryo"]
    assert (
        at.button(key="pf_add").disabled and at.button(key="pf_add").label == "Add 0 to shortlist"
    )
    assert shortlisted(at) == []


def test_ticks_are_cleared_when_a_search_changes_the_start(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    tick(at, 0, [0])  # Sakura Magnet Wire
    at.text_input(key="pf_find").input("さくら線材").run()
    assert at.selectbox(key="pf_org").value == "sakura-magnet"
    assert at.button(key="pf_add").disabled


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        ("pf_w_match", 2.0),
        ("pf_min_conf", "medium"),
        ("pf_type", ["startup"]),
    ],
)
def test_ticks_are_cleared_when_a_weight_or_a_candidate_filter_changes(run_page, widget, value):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    tick(at, 0, [1])
    assert at.button(key="pf_add").label == "Add 1 to shortlist"
    if widget == "pf_w_match":
        at.number_input(key=widget).set_value(value).run()
    elif widget == "pf_min_conf":
        at.button_group(key=widget).set_value(value).run()
    else:
        at.multiselect(key=widget).set_value(value).run()
    assert at.button(key="pf_add").disabled


def test_ticked_rows_are_added_by_organisation(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    tick(at, 0, [0])
    at.button(key="pf_add").click().run()
    assert shortlisted(at) == ["albion-tokamak|supply_chain|sakura-magnet"]


def test_shortlist_ticks_are_cleared_when_the_shortlist_changes(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    tick(at, 0, [0, 1])
    at.button(key="pf_add").click().run()
    tick(at, 1, [0])  # the shortlist's first row
    assert at.button(key="pf_remove").label == "Remove 1"
    at.button(key="pf_remove").click().run()
    assert shortlisted(at) == ["albion-tokamak|supply_chain|fuji-helical"]
    assert at.button(key="pf_remove").disabled  # the tick did not move to the remaining row


def test_a_search_for_a_start_that_cannot_take_part_in_the_kind_switches_to_one_that_suits(
    run_page,
):
    """Pennine University takes part in joint research only: the kind switches to it."""
    at = run_page(org="albion-tokamak", kind="supply_chain")
    at.text_input(key="pf_find").input("pennine").run()
    assert at.selectbox(key="pf_org").value == "pennine-university"
    assert at.button_group(key="pf_kind").value == "joint_research"
    assert url(at, "kind") == ["joint_research"]
    assert list(table(at)["id"]) == ["kanto-tech", "fuji-helical"]


def test_a_new_start_keeps_the_kind_the_user_chose_when_it_can_take_part_in_it(run_page):
    """A new user started from Furukawa Electric, chose Teaming and looked up Fujikura: the
    kind switched to Supply chain, the kind that suits a manufacturer. Sakura Magnet Wire has
    teaming candidates, so the kind stays, and nothing is said."""
    at = run_page(org="albion-tokamak", kind="supply_chain")
    at.button_group(key="pf_kind").set_value("teaming").run()
    at.text_input(key="pf_find").input("sakura").run()
    assert at.selectbox(key="pf_org").value == "sakura-magnet"
    assert at.button_group(key="pf_kind").value == "teaming"
    assert url(at, "kind") == ["teaming"]
    assert kind_notices(at) == []


def test_a_start_chosen_in_the_list_keeps_the_kind_the_user_chose_too(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    at.button_group(key="pf_kind").set_value("teaming").run()
    at.selectbox(key="pf_org").set_value("naniwa-trading").run()  # innovation suits it
    assert at.button_group(key="pf_kind").value == "teaming"
    assert kind_notices(at) == []


def test_the_kind_a_link_opened_stays_for_a_new_start_that_can_take_part_in_it(run_page):
    at = run_page(org="fuji-helical", kind="demonstration")
    at.text_input(key="pf_find").input("mercia").run()  # a builder: demonstration suits it too
    assert at.button_group(key="pf_kind").value == "demonstration"
    at.text_input(key="pf_find").input("sakura").run()  # suits supply chain, takes part here
    assert at.selectbox(key="pf_org").value == "sakura-magnet"
    assert at.button_group(key="pf_kind").value == "demonstration"
    assert kind_notices(at) == []


def test_the_first_start_of_a_fresh_page_opens_the_kind_that_suits_it(run_page):
    """No start yet and no kind picked: the kind on screen is nobody's choice."""
    at = run_page()
    at.text_input(key="pf_find").input("kanto").run()
    assert at.button_group(key="pf_kind").value == "joint_research"
    assert kind_notices(at) == [
        "Kind of collaboration changed from **Supply chain** to **Joint research**,"
        " the kind that suits Kanto Institute of Technology."
    ]


def test_a_kind_picked_before_any_start_is_kept(run_page):
    at = run_page()
    at.button_group(key="pf_kind").set_value("teaming").run()
    at.text_input(key="pf_find").input("sakura").run()
    assert at.button_group(key="pf_kind").value == "teaming"


def test_a_kind_the_user_chose_for_an_organisation_comes_back_when_the_current_one_cannot(
    run_page,
):
    at = run_page(org="fuji-helical", kind="supply_chain")
    at.button_group(key="pf_kind").set_value("demonstration").run()  # chosen for Fuji
    at.text_input(key="pf_find").input("albion fusion network").run()
    assert at.selectbox(key="pf_org").value == "albion-fusion-network"
    assert at.button_group(key="pf_kind").value == "counterparts"  # its only kind
    at.text_input(key="pf_find").input("fuji").run()
    assert at.selectbox(key="pf_org").value == "fuji-helical"
    assert at.button_group(key="pf_kind").value == "demonstration"  # as chosen for it
    assert kind_notices(at) == [
        "Fuji Helical Fusion KK has no candidate for **Counterparts** in any country."
        " Kind of collaboration changed from **Counterparts** back to **Demonstration project**,"
        " the kind you chose for Fuji Helical Fusion KK before."
    ]


def test_choosing_a_start_in_the_list_also_adapts_the_kind(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    at.selectbox(key="pf_org").set_value("minato-city").run()
    assert at.button_group(key="pf_kind").value == "demonstration"


def kind_notices(at) -> list[str]:
    return [plain(i.value) for i in at.info if i.proto.icon == ":material/swap_horiz:"]


def test_a_new_start_that_changes_the_kind_says_why_once(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    assert kind_notices(at) == []
    at.selectbox(key="pf_org").set_value("minato-city").run()
    assert kind_notices(at) == [
        "Minato Coast City has no candidate for **Supply chain** in any country."
        " Kind of collaboration changed from **Supply chain** to **Demonstration project**,"
        " the kind that suits Minato Coast City."
    ]
    at.number_input(key="pf_w_rarity").set_value(0.5).run()  # any next step: said once
    assert kind_notices(at) == []


def test_a_kind_chosen_for_a_start_that_cannot_take_part_in_it_gives_way(run_page):
    """Kanto takes part in joint research only: a kind chosen for it with no candidate in
    any country is not brought back."""
    at = run_page(org="albion-tokamak", kind="supply_chain")
    at.text_input(key="pf_find").input("kanto").run()
    assert at.button_group(key="pf_kind").value == "joint_research"
    at.button_group(key="pf_kind").set_value("teaming").run()  # chosen for Kanto: 0 anywhere
    at.text_input(key="pf_find").input("albion tokamak").run()
    assert at.button_group(key="pf_kind").value == "teaming"  # Albion takes part in teaming
    at.text_input(key="pf_find").input("関東工業大学").run()
    assert at.button_group(key="pf_kind").value == "joint_research"
    assert kind_notices(at) == [
        "Kanto Institute of Technology has no candidate for **Teaming** in any country."
        " Kind of collaboration changed from **Teaming** to **Joint research**,"
        " the kind that suits Kanto Institute of Technology."
    ]


def test_a_new_start_that_keeps_the_kind_says_nothing(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    at.selectbox(key="pf_org").set_value("sakura-magnet").run()
    assert at.button_group(key="pf_kind").value == "supply_chain"
    assert kind_notices(at) == []


def test_the_kind_change_is_said_in_japanese(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain", lang="ja")
    at.selectbox(key="pf_org").set_value("kanto-tech").run()
    assert kind_notices(at) == [
        "関東工業大学には、どの国にも「サプライチェーン」の候補がありません。"
        "連携の種類を「サプライチェーン」から「共同研究」に切り替えました。関東工業大学に合う種類です。"
    ]


def test_a_search_with_several_matches_says_which_one_it_chose(run_page):
    at = run_page()
    at.text_input(key="pf_find").input("cryogenics").run()
    chosen = at.selectbox(key="pf_org").value
    assert chosen in ("thames-cryo", "tyne-cryo")
    name = {"thames-cryo": "Thames Cryogenics Ltd", "tyne-cryo": "Tyne Cryogenics Ltd"}[chosen]
    assert any(
        f"Matching organisations: 2. The closest, {name}, is selected" in c.value
        for c in at.caption
    )
    at.text_input(key="pf_find").input("Tyne Cryogenics").run()  # the exact name: nothing to say
    assert at.selectbox(key="pf_org").value == "tyne-cryo"
    assert not any("Matching organisations" in c.value for c in at.caption)


def test_the_shortlist_records_the_weights_and_adding_a_pair_again_rescores_it(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    tick(at, 0, [0, 1])
    at.button(key="pf_add").click().run()
    assert not any("different weights" in w.value for w in at.warning)
    at.number_input(key="pf_w_match").set_value(2.0).run()
    tick(at, 0, [list(table(at)["id"]).index("sakura-magnet")])
    at.button(key="pf_add").click().run()
    assert "0 added to the shortlist, 1 updated with the current weights" in [
        x.value for x in at.toast
    ]
    entries = stored(at)
    assert len(entries) == 2
    assert entries["albion-tokamak|supply_chain|sakura-magnet"]["weights"]["match"] == 2.0
    assert entries["albion-tokamak|supply_chain|fuji-helical"]["weights"]["match"] == 1.0
    shortlist = at.dataframe[1].value
    assert list(shortlist["candidate_id"]) == ["sakura-magnet", "fuji-helical"]  # updated in place
    assert [w.split(" · ")[0] for w in shortlist["weights"]] == ["match 2", "match 1"]
    assert any("computed with different weights" in w.value for w in at.warning)


def test_a_score_reads_the_same_in_the_candidates_and_the_shortlist_with_two_decimals(run_page):
    at = run_page(org="fuji-helical", kind="supply_chain")
    tick(at, 0, [0, 1])
    at.button(key="pf_add").click().run()
    candidates, shortlist = table(at), at.dataframe[1].value
    assert (
        list(candidates["score"])[:2] == list(shortlist["score"]) == [3.34, 2.16]
    )  # 3.341383…, 2.164903…
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns)
        assert config["score"]["type_config"]["format"] == "%.2f"


@pytest.mark.parametrize(("lang", "points"), [("en", "points"), ("ja", "（点）")])
def test_the_candidates_column_headers_are_told_apart_in_both_languages(run_page, lang, points):
    at = run_page(org="albion-tokamak", kind="supply_chain", lang=lang)
    config = json.loads(at.dataframe[0].proto.columns)
    heads = {c: v["label"] for c, v in config.items() if not v.get("hidden")}

    def bare(label: str) -> str:  # 「連携の実績」 and 「連携実績」 read as one header
        return re.sub(r"[\sの・\-（）()]", "", label).casefold()

    assert len({bare(h) for h in heads.values()}) == len(heads), heads
    # the points of a documented collaboration say they are points, unlike the column
    # naming the collaborations themselves
    assert points in heads["link_points"] and points not in heads["known"]
    assert isinstance(config["link_points"]["width"], int)  # "small" cut the header


def test_the_capability_picker_offers_no_select_all_row_for_enter_to_hit(run_page):
    # Streamlit lists "Select N matches" first and Enter takes the first row, so typing
    # "mat" and pressing Enter added every fuzzy match (tests/e2e/test_browser.py types it)
    at = run_page(need="vacuum_cryogenics")
    assert at.multiselect(key="pf_needs").proto.select_all == 0


def test_capability_mode_without_capabilities_asks_for_capabilities(run_page):
    at = run_page()
    at.button_group(key="pf_mode").set_value("capabilities").run()
    infos = [i.value for i in at.info]
    assert any(i.startswith("Pick one or more capabilities you need") for i in infos)
    assert not any("Choose a starting organisation" in i for i in infos)
    at.button_group(key="pf_mode").set_value("organisation").run()
    assert any("Choose a starting organisation" in i.value for i in at.info)


@pytest.mark.parametrize(
    ("params", "default"),
    [
        ({"org": "albion-tokamak"}, "Japan"),
        ({"org": "sakura-magnet"}, "the United Kingdom"),
        ({"org": "liberty-lab"}, "Japan and the United Kingdom"),
        ({"need": "vacuum_cryogenics"}, "Japan and the United Kingdom"),
    ],
)
def test_the_country_filter_says_which_countries_it_searches_when_empty(run_page, params, default):
    at = run_page(**params)
    assert at.multiselect(key="pf_country").proto.placeholder == f"Default: {default}"
    countries = set(table(at)["country"]) if at.dataframe else set()
    assert countries <= {"Japan", "United Kingdom"}


def test_the_country_placeholder_reads_in_japanese(run_page):
    at = run_page(need="vacuum_cryogenics", lang="ja")
    assert at.multiselect(key="pf_country").proto.placeholder == "未選択時：日本・英国"


def test_the_joint_research_caption_speaks_of_needs_not_a_start_in_capability_mode(run_page):
    at = run_page(need="magnets_superconductors", kind="joint_research")
    captions = " ".join(c.value for c in at.caption)
    assert (
        "holding the capabilities you need" in captions
        and "same or a neighbouring topic" not in captions
    )
    at = run_page(org="kanto-tech", kind="joint_research")
    assert "same or a neighbouring topic" in " ".join(c.value for c in at.caption)


def test_the_pair_view_states_confidence_in_the_interface_language(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain", **{"with": "sakura-magnet"}, lang="ja")
    assert "確度：" in text(at) and "確度:" not in text(at)


def test_finding_a_start_by_a_company_form_alone_explains_that_forms_are_ignored(run_page):
    at = run_page()
    at.text_input(key="pf_find").input("株式会社").run()
    assert "Company forms such as" in " ".join(c.value for c in at.caption)


def test_ticks_are_cleared_after_adding_to_the_shortlist(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    tick(at, 0, [0, 1])
    assert at.button(key="pf_add").label == "Add 2 to shortlist"
    at.button(key="pf_add").click().run()
    assert (
        at.button(key="pf_add").label == "Add 0 to shortlist" and at.button(key="pf_add").disabled
    )
    assert len(shortlisted(at)) == 2


def test_a_search_that_finds_nothing_clears_the_previous_list(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    assert len(table(at))
    at.text_input(key="pf_find").input("zzqxw nothing like this").run()
    assert at.selectbox(key="pf_org").value is None
    assert not [d for d in at.dataframe if d.key and d.key.startswith("pf_results")]


@pytest.mark.parametrize(
    ("lang", "says", "never"),
    [
        (
            "en",
            "University of Pennine and Kanto Institute of Technology both offer: ",
            "Both research",
        ),
        (
            "ja",
            "University of Pennineと関東工業大学はともに次を提供しています：",
            "を研究しています",
        ),
    ],
)
def test_the_pair_view_says_both_offer_what_both_offer(run_page, lang, says, never):
    at = run_page(
        org="pennine-university", kind="joint_research", lang=lang, **{"with": "kanto-tech"}
    )
    offers = [
        plain(m.value)
        for m in at.markdown
        if plain(m.value).startswith("- ") and says in plain(m.value)
    ]
    assert len(offers) == 1 and ("structural materials" in offers[0] or "構造材料" in offers[0])
    assert never not in offers[0]


@pytest.mark.parametrize(
    ("lang", "concept", "stated"),
    [
        ("en", "Its fusion concept needs", "Needs LTS"),
        ("ja", "この組織の方式の炉には", "を必要としています"),
    ],
)
def test_a_need_only_a_fusion_concept_implies_is_never_called_a_stated_need(
    app_runner, real_db, lang, concept, stated
):
    """UKAEA states no need for conductor, but its tokamak programme implies one: the joint
    research reason and the pair view say its concept needs it, as the supply-chain reason
    does, and the pair view lists it under the concept's needs instead of "None"."""
    run = app_runner(real_db, "pages/partners.py")
    at = run(
        org="furukawa-electric",
        kind="supply_chain",
        lang=lang,
        **{"with": "uk-atomic-energy-authority-ukaea"},
    )
    research = "Joint research" if lang == "en" else "共同研究"
    lines = [
        plain(m.value)
        for m in at.markdown
        if plain(m.value).startswith(f"- **{research}**")
        and ("LTS" in plain(m.value) or "低温超電導" in plain(m.value))
    ]
    assert lines and all(concept in x and stated not in x for x in lines), lines
    implied = "fusion concept needs: " if lang == "en" else "の方式の炉に必要なものに応えます："
    assert any(implied in plain(m.value) for m in at.markdown)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_pair_view_gives_each_kind_the_reason_of_its_results_row(app_runner, real_db, lang):
    """Tokamak Energy and MHI both make magnet coils: the teaming row names it as shared
    work, and the pair view's teaming line says the same, shared-work clause included."""
    run = app_runner(real_db, "pages/partners.py")
    at = run(org="tokamak-energy", kind="teaming", lang=lang)
    rows = table(at)
    row = rows[rows["id"] == "mitsubishi-heavy-industries-mhi"].iloc[0]
    shared = "both also offer" if lang == "en" else "両者ともに"
    assert row["shared_points"] > 0 and shared in row["reason"]
    at = run(
        org="tokamak-energy",
        kind="teaming",
        lang=lang,
        **{"with": "mitsubishi-heavy-industries-mhi"},
    )
    teaming = "Teaming" if lang == "en" else "チーム組成"
    [line] = [plain(m.value) for m in at.markdown if plain(m.value).startswith(f"- **{teaming}**")]
    assert line == f"- **{teaming}** — {row['reason']}"
    at = run(  # scored with the page's weights: no shared work, no clause
        org="tokamak-energy",
        kind="teaming",
        lang=lang,
        w_shared="0",
        **{"with": "mitsubishi-heavy-industries-mhi"},
    )
    [line] = [plain(m.value) for m in at.markdown if plain(m.value).startswith(f"- **{teaming}**")]
    assert shared not in line


@pytest.mark.parametrize(
    ("lang", "says", "then"),
    [
        (
            "en",
            "Known collaboration: 99 is outside the allowed range 0–5, so 5 is used instead.",
            "Match: -1 is outside the allowed range 0–5, so 0 is used instead.",
        ),
        (
            "ja",
            "連携実績：99は許容範囲（0～5）の外にあるため、代わりに5を使っています。",
            "一致度：-1は許容範囲（0～5）の外にあるため、代わりに0を使っています。",
        ),
    ],
)
def test_a_weight_typed_out_of_range_is_brought_into_range_and_the_sidebar_says_so(
    run_page, lang, says, then
):
    at = run_page(org="albion-tokamak", kind="supply_chain", lang=lang)
    at.number_input(key="pf_w_link").set_value(99.0).run()
    assert at.number_input(key="pf_w_link").value == 5.0
    assert [plain(w.value) for w in at.sidebar.warning] == [says]
    assert url(at, "w_link") == ["5"]
    known = table(at).set_index("id").loc["sakura-magnet"]  # a documented supply contract
    assert known["link_points"] == 5.0
    at.number_input(key="pf_w_match").set_value(-1.0).run()
    assert at.number_input(key="pf_w_match").value == 0.0
    assert [plain(w.value) for w in at.sidebar.warning] == [then]  # the earlier one has gone


def test_candidate_rows_are_tall_enough_for_the_reason_to_wrap(run_page):
    """The grid wraps text only in rows taller than 4rem (64 px); below that every reason
    ran off the table on one line."""
    at = run_page(org="albion-tokamak", kind="supply_chain")
    assert at.dataframe[0].proto.row_height > 64


def columns(at, index=0):
    """The ``index``-th table's columns as shown, left to right, and their configuration."""
    proto = at.dataframe[index].proto
    return list(proto.column_order), json.loads(proto.columns)


def width(config: dict) -> int:
    return {"small": 75, "medium": 200, "large": 400}.get(config["width"], config["width"])


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_reason_comes_right_after_the_pinned_name_and_fits_beside_it_on_a_laptop(
    run_page, lang
):
    """At 1024 px with the sidebar open the table is about 560 px wide: the tick box (33 px),
    the pinned rank and name and the reason beside them must fit it, or the pinned columns push
    the reason off screen (a 190 px name and the reason after the country left it 160 px)."""
    at = run_page(org="albion-tokamak", kind="supply_chain", lang=lang)
    order, config = columns(at)
    pinned = [c for c in order if config.get(c, {}).get("pinned")]
    assert pinned == ["rank", "name"]
    assert order[: order.index("reason") + 1] == ["rank", "name", "reason"]
    assert 33 + sum(width(config[c]) for c in [*pinned, "reason"]) <= 560


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_score_and_all_its_parts_stand_together(run_page, lang):
    """Every part of the score sits next to it, so they can be seen to add up (evidence and
    membership used to come after the documented collaborations, far off screen)."""
    at = run_page(org="albion-tokamak", kind="supply_chain", lang=lang)
    order, config = columns(at)
    start = order.index("score")
    assert order[start : start + len(SCORE_PARTS)] == list(SCORE_PARTS)
    assert order[start - 1] == "reason"
    row = table(at).set_index("id").loc["sakura-magnet"]
    assert row["score"] == pytest.approx(sum(row[c] for c in SCORE_PARTS[1:]), abs=0.01)
    assert t("partners.score_parts_note", lang) in config["score"]["help"]


@pytest.mark.parametrize(
    ("lang", "head"),
    [("en", "Why the first 2 are suggested"), ("ja", "上位2件の理由")],
)
def test_the_reasons_of_the_first_rows_are_written_out_below_the_table(run_page, lang, head):
    """On a phone the reason column hardly fits beside the pinned ones, and a cell cuts a long
    reason after three lines: the first rows' reasons are also written out in full."""
    at = run_page(org="albion-tokamak", kind="supply_chain", lang=lang)
    rows = table(at)
    why = next(plain(m.value) for m in at.markdown if head in plain(m.value))
    for i, r in rows.iterrows():
        assert f"{r['rank']}. {r['name']}" in why and r["reason"] in why, (i, why)


def test_the_reasons_of_the_ticked_rows_replace_the_first_rows(run_page):
    at = run_page(org="albion-tokamak", kind="supply_chain")
    first, second = table(at).iloc[0], table(at).iloc[1]
    at = tick(at, 0, [1])
    why = next(plain(m.value) for m in at.markdown if "Why the ticked" in plain(m.value))
    assert f"2. {second['name']}" in why and second["reason"] in why
    assert first["name"] not in why


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "stronger single match"),
        ("ja", "最も強い一致がより強い"),
    ],
)
def test_a_row_ahead_of_the_next_at_the_same_shown_score_says_why(run_page, lang, says):
    """Without the match term Pennine University and Albion Tokamak both score 0.30 for
    Liberty Lab, yet rank 2nd and 3rd: Pennine's strongest single match is stronger, and the
    row, the list below the table and a note under it say so; rows tied on every key keep =."""
    at = run_page(org="liberty-lab", kind="joint_research", w_match="0", lang=lang)
    rows = table(at).set_index("id")
    upper, lower = rows.loc["pennine-university"], rows.loc["albion-tokamak"]
    assert (upper["rank"], lower["rank"]) == (2, 3) and upper["score"] == lower["score"] == 0.3
    assert upper["ahead"] == says and upper["tie"] == lower["tie"] == ""
    assert list(rows["ahead"]).count("") == len(rows) - 1  # the others show different scores
    assert says in text(at)  # the list of reasons below the table
    assert t("partners.ahead_note", lang) in [c.value for c in at.caption]
    order, config = columns(at)
    assert order.index("ahead") == order.index("tie") + 1
    assert t("partners.rank_help", lang) == config["rank"]["help"]


def test_rows_tied_on_every_key_keep_the_equals_sign_and_no_ahead_note(run_page):
    weights = {f"w_{w}": "0" for w in ("match", "conf", "member", "link", "network", "mutual")}
    at = run_page(org="fuji-helical", kind="supply_chain", **weights)
    rows = table(at).set_index("id")
    assert list(rows.loc[["thames-cryo", "tyne-cryo"], "tie"]) == ["=", "="]
    assert list(rows.loc[["thames-cryo", "tyne-cryo"], "ahead"]) == ["", ""]
    assert rows.loc["albion-tokamak", "ahead"] != ""  # ahead of Thames Cryogenics at 0.00


def test_the_reasons_of_a_single_candidate_are_introduced_in_the_singular():
    import pandas as pd

    from fusion_partners.ui.partners_results import why_list

    one = pd.DataFrame(
        [{"rank": 1, "tie": "", "name": "Sakura", "score": 1.5, "reason": "Makes X", "ahead": ""}]
    )
    assert why_list(one, [], "en").startswith("**Why it is suggested:**")
    assert why_list(one, [], "ja").startswith("**上位1件の理由**")
    assert "- **1. Sakura** (1\\.50): Makes X" in why_list(one, [], "en")


@pytest.mark.parametrize(
    ("lang", "label"),
    [("en", "Start from the capabilities you need instead"), ("ja", "必要な技術分野から探す")],
)
def test_a_search_that_names_no_organisation_offers_to_start_from_capabilities(
    run_page, lang, label
):
    """Words that name no organisation often name a capability ("superconducting magnet"): the
    page says so and switches to the capabilities needed in one click."""
    at = run_page(org="albion-tokamak", kind="supply_chain", lang=lang)
    assert not [b for b in at.button if b.key == "pf_find_by_capability"]
    at.text_input(key="pf_find").input("superconducting magnet").run()
    [button] = [b for b in at.button if b.key == "pf_find_by_capability"]
    assert button.label == label
    button.click().run()
    assert at.button_group(key="pf_mode").value == "capabilities"
    assert at.multiselect(key="pf_needs").value == ["magnets_superconductors"]


@pytest.mark.parametrize(
    ("lang", "typed", "says"),
    [
        (
            "en",
            "superconducting magnet",
            "Chosen from “superconducting magnet”: Superconducting magnets and HTS/LTS"
            " conductor. Add or remove capabilities in the list above.",
        ),
        (
            "ja",
            "超伝導磁石",
            "「超伝導磁石」から選びました：超電導マグネット・線材。上の一覧で追加・削除できます。",
        ),
    ],
)
def test_starting_from_capabilities_keeps_what_was_typed_as_the_capabilities_it_names(
    run_page, lang, typed, says
):
    """A new user typed "superconducting magnet" as the organisation and pressed "Start from
    the capabilities you need instead": the capability list opened empty. Now it opens with
    the capabilities the words name, in either language, says so, and the list of suppliers
    shows at once."""
    at = run_page(lang=lang)
    at.text_input(key="pf_find").input(typed).run()
    at.button(key="pf_find_by_capability").click().run()
    assert at.multiselect(key="pf_needs").value == ["magnets_superconductors"]
    assert says in [plain(c.value) for c in at.caption]
    assert url(at, "need") == ["magnets_superconductors"]
    assert "sakura-magnet" in list(table(at)["id"])
    at.multiselect(key="pf_needs").select("vacuum_cryogenics").run()  # changed: nothing to say
    assert not [c for c in at.caption if "superconducting magnet" in c.value]


def test_words_that_name_several_capabilities_choose_each(run_page):
    at = run_page()
    at.text_input(key="pf_find").input("cryoplant, tritium").run()
    at.button(key="pf_find_by_capability").click().run()
    assert at.multiselect(key="pf_needs").value == ["tritium_fuel_cycle", "vacuum_cryogenics"]


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("en", "“zebra crossing” names no capability either: open the list above"),
        ("ja", "「zebra crossing」に該当する技術分野もありません。上の一覧を開いて"),
    ],
)
def test_words_that_name_no_capability_either_say_what_to_do(run_page, lang, says):
    at = run_page(lang=lang)
    at.text_input(key="pf_find").input("zebra crossing").run()
    at.button(key="pf_find_by_capability").click().run()
    assert at.button_group(key="pf_mode").value == "capabilities"
    assert at.multiselect(key="pf_needs").value == []
    assert any(says in plain(c.value) for c in at.caption)


def block_holding(node, key):
    """The innermost block of ``node``'s tree that holds the widget ``key`` directly."""
    for child in getattr(node, "children", {}).values():
        if getattr(child, "key", None) == key:
            return node
        found = block_holding(child, key)
        if found is not None:
            return found
    return None


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_candidate_filters_wrap_instead_of_squeezing_into_five_columns(run_page, lang):
    """At 1024 px with the sidebar open five columns left each filter about 100 px: the chips
    shrank to empty red blobs, the confidence control showed only "Medium+" and "List first"
    was cut. The filters are one wrapping row of fixed widths, two of which fit the expander
    at 1024 px (about 530 px inside)."""
    at = run_page(
        org="sakura-magnet",
        country="GB",
        type="company",
        min_conf="medium",
        known="first",
        lang=lang,
    )
    keys = ["pf_country", "pf_type", "pf_membership", "pf_min_conf", "pf_known"]
    blocks = {id(block_holding(at._tree, k)) for k in keys}
    assert len(blocks) == 1
    row = block_holding(at._tree, "pf_country")
    assert row.proto.flex_container.direction == row.proto.flex_container.HORIZONTAL
    assert row.proto.flex_container.wrap
    assert 2 * partners_inputs.FILTER_WIDTH + 24 <= 530
    assert at.multiselect(key="pf_country").value == ["GB"]
