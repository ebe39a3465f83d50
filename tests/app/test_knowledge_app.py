"""Page tests (AppTest) split from test_knowledge.py: the same behaviour seen on the page."""

import re


def test_the_profile_shows_roles_offers_needs_memberships_and_collaborations(app_runner, real_db):
    run = app_runner(real_db, "pages/profile.py")
    at = run(org="tokamak-energy")
    body = "\n".join(m.value for m in at.markdown)
    for heading in (
        "#### Roles",
        "#### Offers (what it supplies or does for others)",
        "#### Needs (what it buys or seeks)",
        "#### Known collaborations",
    ):
        assert heading in body
    assert "HTS conductor" in body
    links = at.dataframe[0].value
    assert "furukawa" in " ".join(links["profile"]) and {"Investment", "Supply contract"} <= set(
        links["relation"]
    )
    ja = run(org="furukawa-electric", lang="ja")
    body = "\n".join(m.value for m in ja.markdown)
    assert (
        "#### シーズ（提供できること）" in body
        and "#### 協議会の会員区分" in body
        and "#### これまでの連携" in body
    )
    assert "高温超電導線材" in body
    assert any(
        "超電導" in m.value and "。" in m.value for m in ja.markdown
    )  # the Japanese description


def test_an_explore_view_emptied_by_a_role_offer_or_need_filter_suggests_what_to_drop(
    app_runner, fixture_db
):
    run = app_runner(fixture_db)
    at = run(role="investor", need="hts_conductor")  # the trading house needs no conductor
    body = "\n".join(m.value for m in at.markdown)
    plain = body.replace("\\", "")
    assert "Without needing HTS conductor (REBCO tape and cable): 1 matching" in plain
    assert re.search(r"Without role Investor: \d+ matching", plain)
    ja = run(role="investor", offer="equity_investment", need="hts_conductor", lang="ja")
    assert not ja.exception and any("ニーズ：" in m.value for m in ja.markdown)


def test_explores_offer_and_need_pickers_offer_no_select_all_row_for_enter_to_hit(
    app_runner, fixture_db
):
    # Streamlit lists "Select N matches" first and Enter takes the first row, so typing a
    # word and pressing Enter added every fuzzy match, as in the partner finder's picker
    from fusion_partners.ui.filters import W_NEEDS, W_OFFERS

    at = app_runner(fixture_db)()
    for key in (W_OFFERS, W_NEEDS):
        assert at.multiselect(key=key).proto.select_all == 0


def test_a_business_sold_on_names_its_successor_on_its_profile(app_runner, real_db):
    run = app_runner(real_db, "pages/profile.py")
    for lang, says in (("en", "now belongs to Jacobs UK"), ("ja", "現在Jacobs UKに属しています")):
        at = run(org="amec-foster-wheeler-now-wood", lang=lang)
        assert any(says in i.value for i in at.info), [i.value for i in at.info]
    jacobs = run(org="jacobs-uk")  # the buyer trades under its own name
    assert not any("now belongs to" in i.value for i in jacobs.info)
