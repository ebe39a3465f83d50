"""AppTest: saved shortlists, introduction requests, corrections and the editors' review."""

from __future__ import annotations

import dataclasses
import json
import os
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from tests.conftest import APP, PARTNERS_DATA, fixture_folder

from fusion_partners import queries
from fusion_partners.data.build import build
from fusion_partners.db import connect_readonly
from fusion_partners.explore.export import to_csv_bytes
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.importing.curate import load_organisations
from fusion_partners.partners import sql as qp
from fusion_partners.partners.query import PartnerQuery, Weights
from fusion_partners.partners.shortlist import shortlist_entry, shortlist_frame, shortlist_key
from fusion_partners.partners.table import Context
from fusion_partners.partners.url import rows_key
from fusion_partners.ui.introductions import candidate_labels
from fusion_partners.workspace import Revoked, open_workspace

TOKEN = "editor-secret-token"


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A writable copy of the partner fixture, built, with its own workspace; ``open_(page, **params)``."""
    data = fixture_folder(PARTNERS_DATA, tmp_path / "data")
    db = data / "fusion_partners.duckdb"
    build(data, db)
    monkeypatch.setenv("FPF_DATA_DIR", str(data))
    monkeypatch.setenv("FPF_DB_PATH", str(db))
    monkeypatch.setenv("FPF_EDITOR_TOKEN", TOKEN)
    st.cache_data.clear()
    st.cache_resource.clear()

    def open_(page: str, state: dict | None = None, **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=90)
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        at.switch_page(page)
        for k, v in params.items():
            at.query_params[k] = v
        for k, v in (state or {}).items():
            at.session_state[k] = v
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    open_.data, open_.db = data, db
    yield open_
    st.cache_data.clear()
    st.cache_resource.clear()


def workspace():
    return open_workspace(os.environ["FPF_WORKSPACE_URL"])


def saved_list(db, name="Magnets for Albion"):
    con = connect_readonly(db)
    query = PartnerQuery(start="albion-tokamak", kind="supply_chain")
    start = {
        "name_en": "Albion Tokamak Ltd",
        "name_ja": None,
        "source_urls": "https://news.example/albion",
    }
    rows = qp.suggestions(con, query).to_dict("records")
    con.close()
    ws = workspace()
    opened = ws.create_shortlist(name, "en")
    ws.add_entries(
        opened.token,
        [(shortlist_key(e), e) for e in (shortlist_entry(r, query, start) for r in rows)],
    )
    return ws, opened


def text(at) -> str:
    return "\n".join(str(getattr(e, "value", "")) for e in at.main)


def submit(at, label: str) -> None:
    """Click the form submit button labelled ``label``."""
    buttons = [b for b in at.get("button") if getattr(b, "label", "") == label]
    assert buttons, f"no button {label!r}"
    buttons[0].click().run()


def editor_key(ws, opened) -> str:
    """The key of the candidates table as the page makes it (it changes with every saved version)."""
    keys = [f"{r['id']}:{r['version']}" for r in ws.entries(opened.shortlist["id"])]
    return "sl_editor_" + rows_key(keys)


def test_adding_on_the_partner_finder_saves_a_shortlist_that_survives_a_new_session(site):
    at = site("pages/partners.py", org="albion-tokamak", kind="supply_chain")
    key = at.dataframe[0].key
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.button(key="pf_add").click().run()
    token = at.session_state["ws_list"]
    links = [p.proto for p in at.get("page_link") if p.proto.page == "shortlists"]
    assert links and f"list={token}" in links[0].query_string
    again = site("pages/shortlists.py", list=token)  # a reload, or another browser with the link
    assert again.title[0].value.startswith("Shortlist of")
    assert "Candidates (1)" in text(again)


def test_clearing_the_shortlist_asks_first_and_can_be_undone_with_notes_and_statuses(site):
    ws, opened = saved_list(site.db)
    sid = opened.shortlist["id"]
    first = ws.entries(sid)[0]
    ws.update_entry(
        opened.token, first["id"], first["version"], note="Met at SOFT", status="partnering"
    )
    before = [(r["entry_key"], r["note"], r["status"]) for r in ws.entries(sid)]
    at = site(
        "pages/partners.py",
        org="albion-tokamak",
        kind="supply_chain",
        state={"ws_list": opened.token},
    )
    assert "Shortlist (2)" in text(at)
    at.button(key="pf_clear").click().run()
    assert len(ws.entries(sid)) == 2  # one click removes nothing
    assert any(
        "Remove all 2 candidates from “Magnets for Albion”, with their notes and statuses"
        in w.value
        for w in at.warning
    )
    at.button(key="pf_clear_no").click().run()
    assert len(ws.entries(sid)) == 2 and not any("Remove all" in w.value for w in at.warning)
    at.button(key="pf_clear").click().run()
    at.button(key="pf_clear_yes").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert ws.entries(sid) == []
    assert any("Candidates removed: 2." in i.value for i in at.info)
    at.button(key="pf_undo").click().run()
    assert [(r["entry_key"], r["note"], r["status"]) for r in ws.entries(sid)] == before
    assert "Shortlist (2)" in text(at) and not [b for b in at.button if b.key == "pf_undo"]


def test_removing_ticked_candidates_can_be_undone(site):
    ws, opened = saved_list(site.db)
    sid = opened.shortlist["id"]
    at = site(
        "pages/partners.py",
        org="albion-tokamak",
        kind="supply_chain",
        state={"ws_list": opened.token},
    )
    table = [d for d in at.dataframe if d.key and d.key.startswith("pf_shortlist_table")][0]
    at.session_state[table.key] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    at.run()
    at.button(key="pf_remove").click().run()
    assert len(ws.entries(sid)) == 1
    at.button(key="pf_undo").click().run()
    assert len(ws.entries(sid)) == 2


def test_clearing_the_shortlist_of_a_browser_tab_asks_first_and_can_be_undone(site, monkeypatch):
    monkeypatch.setenv("FPF_WORKSPACE_URL", "postgresql://nobody:pw@127.0.0.1:9/none")
    at = site("pages/partners.py", org="albion-tokamak", kind="supply_chain")
    key = at.dataframe[0].key
    at.session_state[key] = {"selection": {"rows": [0, 1], "columns": [], "cells": []}}
    at.run()
    at.button(key="pf_add").click().run()
    assert len(at.session_state["pf_shortlist"]) == 2
    at.button(key="pf_clear").click().run()
    assert len(at.session_state["pf_shortlist"]) == 2
    assert any("kept in this browser tab" in w.value for w in at.warning)
    at.button(key="pf_clear_yes").click().run()
    assert len(at.session_state["pf_shortlist"]) == 0
    at.button(key="pf_undo").click().run()
    assert len(at.session_state["pf_shortlist"]) == 2


def test_a_shortlist_named_automatically_reads_in_the_page_language(site):
    at = site("pages/partners.py", org="albion-tokamak", kind="supply_chain")  # English
    key = at.dataframe[0].key
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.button(key="pf_add").click().run()
    token = at.session_state["ws_list"]
    assert workspace().open(token).shortlist["name"].startswith("Shortlist of ")
    ja = site("pages/shortlists.py", list=token, lang="ja")
    assert ja.title[0].value.endswith("の検討リスト") and "Shortlist" not in ja.title[0].value
    finder = site(
        "pages/partners.py",
        org="albion-tokamak",
        kind="supply_chain",
        lang="ja",
        state={"ws_list": token},
    )
    [link] = [p.proto for p in finder.get("page_link") if p.proto.page == "shortlists"]
    assert "の検討リスト」" in link.label and "Shortlist" not in link.label
    named = workspace().create_shortlist("Shortlist of magnets", "en")  # chosen: stays as it is
    assert site("pages/shortlists.py", list=named.token, lang="ja").title[0].value == (
        "Shortlist of magnets"
    )


def test_the_shortlist_page_saves_notes_and_statuses(site):
    ws, opened = saved_list(site.db)
    at = site("pages/shortlists.py", list=opened.token)
    assert at.title[0].value == "Magnets for Albion"
    at.session_state[editor_key(ws, opened)] = {
        "edited_rows": {0: {"note": "Met at SOFT 2026", "status": "Contacted"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert at.button(key="sl_save").label == "Save changes (1)"
    at.button(key="sl_save").click().run()
    first = ws.entries(opened.shortlist["id"])[0]
    assert (first["note"], first["status"]) == ("Met at SOFT 2026", "contacted")


def test_withdrawing_a_link_asks_first(site):
    ws, opened = saved_list(site.db)
    links = ws.share_links(opened.token)
    at = site("pages/shortlists.py", list=opened.token)
    at.button(key="sl_revoke_view").click().run()
    assert ws.share_links(opened.token) == links  # one click withdraws nothing
    assert any("Withdraw the view link? It stops working" in w.value for w in at.warning)
    at.button(key="sl_revoke_no").click().run()
    assert ws.share_links(opened.token) == links
    assert not [b for b in at.button if b.key == "sl_revoke_yes"]
    at.button(key="sl_revoke_edit").click().run()
    assert any("Withdraw the edit link?" in w.value for w in at.warning)
    at.button(key="sl_revoke_yes").click().run()
    assert not at.exception, [e.value for e in at.exception]
    fresh = at.query_params["list"]
    fresh = fresh[0] if isinstance(fresh, list) else fresh
    assert fresh != opened.token and ws.share_links(fresh)["view"] == links["view"]
    with pytest.raises(Revoked):
        ws.open(opened.token)


def test_candidates_removed_on_the_shortlist_page_can_be_undone(site):
    ws, opened = saved_list(site.db)
    sid = opened.shortlist["id"]
    first = ws.entries(sid)[0]
    ws.update_entry(opened.token, first["id"], first["version"], note="keep me", status="contacted")
    before = [(r["entry_key"], r["note"], r["status"]) for r in ws.entries(sid)]
    at = site("pages/shortlists.py", list=opened.token)
    at.session_state[editor_key(ws, opened)] = {
        "edited_rows": {0: {"remove": True}, 1: {"remove": True}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="sl_save").click().run()
    assert ws.entries(sid) == []
    assert any("Candidates removed: 2." in i.value for i in at.info)
    at.button(key="sl_undo").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [(r["entry_key"], r["note"], r["status"]) for r in ws.entries(sid)] == before
    assert "Candidates (2)" in text(at)


def test_a_conflicting_save_keeps_both_notes_on_screen(site):
    ws, opened = saved_list(site.db)
    at = site("pages/shortlists.py", list=opened.token)
    key = editor_key(ws, opened)  # the table as this user first saw it
    first = ws.entries(opened.shortlist["id"])[0]
    ws.update_entry(
        opened.token, first["id"], first["version"], note="Colleague: called them"
    )  # meanwhile
    at.session_state[key] = {
        "edited_rows": {0: {"note": "Me: sent the deck", "status": "Not a fit"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert any("changed this shortlist since" in i.value for i in at.info)
    at.button(key="sl_save").click().run()
    assert any("changed by someone else" in w.value for w in at.warning)
    captions = [c.value for c in at.caption]
    assert (
        "Your status (not saved): Not a fit" in captions
        and "Status now saved: To contact" in captions
    )
    areas = {a.label: a.value for a in at.text_area}
    assert areas["Your note (not saved)"] == "Me: sent the deck"
    assert areas["The note now saved"] == "Colleague: called them"
    assert ws.entries(opened.shortlist["id"])[0]["note"] == "Colleague: called them"


def test_a_view_link_shows_the_shortlist_read_only(site):
    ws, opened = saved_list(site.db)
    view = ws.share_links(opened.token)["view"]
    at = site("pages/shortlists.py", list=view)
    assert "view link" in text(at)
    assert not [b for b in at.button if b.key == "sl_save"]
    assert "ws_list" not in at.session_state  # the Partner finder never adds through a view link


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("not-a-token", "This shortlist link is not valid"),
        ("A" * 43, "This shortlist link is not valid"),
    ],
)
def test_a_bad_shortlist_link_says_why_and_lists_mine(site, token, message):
    at = site("pages/shortlists.py", list=token)
    assert any(message in e.value for e in at.error)
    assert any("Shortlists opened in this browser" in s.value for s in at.subheader)


def test_a_revoked_link_says_it_was_withdrawn(site):
    ws, opened = saved_list(site.db)
    view = ws.share_links(opened.token)["view"]
    ws.revoke(opened.token, "view")
    at = site("pages/shortlists.py", list=view)
    assert any("withdrawn" in e.value for e in at.error)


def test_an_introduction_request_is_saved_and_offered_as_an_email(site):
    ws, opened = saved_list(site.db)
    at = site("pages/shortlists.py", list=opened.token)
    inputs = {i.label: i for i in at.text_input}
    inputs["Your name"].input("Hana Sato")
    inputs["Your organisation"].input("Albion Tokamak Ltd")
    inputs["Your e-mail address"].input("hana@albion.example")
    submit(at, "Save the request")
    assert any(
        "Request #1 saved for The Fusion Cluster (UK)" in s.value
        or "Request #1 saved for J-Fusion" in s.value
        for s in at.success
    )
    saved = ws.list_requests()[0]
    assert saved["requester_email"] == "hana@albion.example" and saved["reason"]
    subject, body = _mail(at)  # to J-Fusion (the candidate is Japanese): in Japanese
    assert subject.startswith("紹介のお願い：") and "hana@albion.example" in body


def test_an_introduction_request_with_a_bad_address_keeps_the_form(site):
    ws, opened = saved_list(site.db)
    at = site("pages/shortlists.py", list=opened.token)
    inputs = {i.label: i for i in at.text_input}
    inputs["Your name"].input("Hana")
    inputs["Your e-mail address"].input("not an address")
    submit(at, "Save the request")
    assert any("e-mail address such as" in e.value for e in at.error)
    assert {i.label: i.value for i in at.text_input}["Your name"] == "Hana"
    assert ws.list_requests() == []


def _ask(at, name="Hana Sato", email="hana@albion.example", council=None):
    """Fill the introduction form (choosing ``council`` first) and submit it."""
    if council:
        [r for r in at.radio if r.key and r.key.startswith("intro_council_")][0].set_value(
            council
        ).run()
    inputs = {i.key: i for i in at.text_input}
    inputs["intro_name"].input(name)
    inputs["intro_email"].input(email)
    [b for b in at.button if b.proto.is_form_submitter and "intro_form_" in b.proto.form_id][
        0
    ].click().run()
    assert not at.exception, [e.value for e in at.exception]


def _mail(at) -> tuple[str, str]:
    """Subject and body of the e-mail draft offered."""
    [url] = [b.proto.url for b in at.get("link_button") if b.proto.url.startswith("mailto:")]
    query = parse_qs(urlsplit(url).query)
    return query["subject"][0], query["body"][0]


def test_an_email_draft_is_in_the_language_of_the_council_asked_whatever_the_page_language(site):
    ws, opened = saved_list(site.db)
    at = site("pages/shortlists.py", list=opened.token, lang="ja")
    _ask(at, council="fusion_cluster")
    assert any(
        "The Fusion Cluster（英国）宛てのメールの下書きは、画面の言語にかかわらず英語で作成します"
        in c.value
        for c in at.caption
    )
    subject, body = _mail(at)
    assert subject.startswith("Introduction request: ")
    assert body.startswith("Dear colleagues at The Fusion Cluster (UK),")
    assert "The Partner finder suggested them: " in body  # the pre-filled message, in English
    assert not re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", subject + body), body
    assert ws.list_requests()[0]["council"] == "fusion_cluster"

    en = site("pages/shortlists.py", list=opened.token)  # the English page asking J-Fusion
    _ask(en, council="j_fusion")
    subject, body = _mail(en)
    assert subject.startswith("紹介のお願い：") and body.startswith("J-Fusion（日本）ご担当者様")
    assert "連携先の検索で次の理由により提案されました：" in body
    assert any("written in Japanese" in c.value for c in en.caption)


def test_the_same_introduction_request_warns_instead_of_saving_a_duplicate(site):
    ws, opened = saved_list(site.db)
    at = site("pages/shortlists.py", list=opened.token)
    _ask(at)
    assert any("Request #1 saved" in s.value for s in at.success)
    _ask(at)
    assert any(
        "already asked J\\-Fusion \\(Japan\\) for an introduction to Sakura" in w.value
        and "request #1, saved on" in w.value
        and "It was not saved again." in w.value
        for w in at.warning
    )
    assert not at.success and len(ws.list_requests()) == 1
    [b for b in at.button if b.key and b.key.startswith("intro_again_")][0].click().run()
    assert any("Request #2 saved" in s.value for s in at.success)
    assert len(ws.list_requests()) == 2 and not at.warning
    _ask(at, council="fusion_cluster")  # another council is another request
    assert any("Request #3 saved" in s.value for s in at.success)


def test_a_visitor_correction_waits_for_an_editor_and_reaches_the_roster_only_when_accepted(site):
    at = site("pages/profile.py", org="sakura-magnet")
    box = [s for s in at.selectbox if s.label == "What to correct"][0]
    box.set_value("website")
    [a for a in at.text_area if a.label == "The correct value"][0].input(
        "https://sakura-wire.example"
    )
    url = [i for i in at.text_input if i.label.startswith("Source URL")][0]
    url.input("javascript:alert(1)")
    submit(at, "Send to the editors")
    assert any("as a web address starting with http" in e.value for e in at.error)
    [i for i in at.text_input if i.label.startswith("Source URL")][0].input(
        "https://news.example/sakura-web"
    )
    submit(at, "Send to the editors")
    assert any("waits for an editor's review" in s.value for s in at.success)
    before = {o["id"]: o for o in load_organisations(site.data / "organisations.csv")}[
        "sakura-magnet"
    ]
    assert before["website"] != "https://sakura-wire.example"  # not yet

    ed = site("pages/editors.py")
    ed.text_input(key="ed_token").input(TOKEN).run()
    ed.text_input(key="ws_editor_name").input("Editor Ed").run()
    assert any("Waiting for review (1)" in s.value for s in ed.subheader)
    accept = [b for b in ed.button if b.key and b.key.startswith("acc_")][0]
    accept.click().run()
    assert not ed.exception, [e.value for e in ed.exception]
    after = {o["id"]: o for o in load_organisations(site.data / "organisations.csv")}[
        "sakura-magnet"
    ]
    assert after["website"] == "https://sakura-wire.example"
    assert "https://news.example/sakura-web" in after["source_urls"].split()
    log = workspace().editor_log()
    assert (log[0]["editor"], log[0]["action"]) == ("Editor Ed", "correction_accepted")


def test_rejecting_a_correction_needs_a_reason(site):
    ws = workspace()
    cid = ws.submit_correction(
        org_id="sakura-magnet",
        field="name_en",
        proposed="<b>Sakura</b> =1+1",
        source_url="https://news.example/x",
    )
    ed = site("pages/editors.py")
    ed.text_input(key="ed_token").input(TOKEN).run()
    ed.text_input(key="ws_editor_name").input("Editor Ed").run()
    assert "<b>" not in "".join(
        m.value for m in ed.markdown if "Proposed" in m.value
    )  # echoed safely
    ed.button(key=f"rej_{cid}").click().run()
    assert any("Please fill in the reason" in e.value for e in ed.error)
    ed.text_input(key=f"why_{cid}").input("The source does not say so").run()
    ed.button(key=f"rej_{cid}").click().run()
    assert ws.list_corrections("rejected")[0]["decision_note"] == "The source does not say so"


def test_the_editor_lockout_survives_a_reload(site):
    first = site("pages/editors.py")
    for i in range(5):
        first.text_input(key="ed_token").input(f"guess-{i}").run()
    assert any("Too many wrong tokens" in e.value for e in first.error)
    again = site("pages/editors.py")  # a reload is a new session
    again.text_input(key="ed_token").input(TOKEN).run()
    assert any("Too many wrong tokens" in e.value for e in again.error)
    assert not [t for t in again.text_input if t.key == "ws_editor_name"]


def test_the_partner_finder_keeps_working_when_the_workspace_is_down(site, monkeypatch):
    monkeypatch.setenv("FPF_WORKSPACE_URL", "postgresql://nobody:pw@127.0.0.1:9/none")
    at = site("pages/partners.py", org="albion-tokamak", kind="supply_chain")
    assert any("cannot be reached just now" in w.value for w in at.warning)
    key = at.dataframe[0].key
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.button(key="pf_add").click().run()
    assert list(at.session_state["pf_shortlist"]) == ["albion-tokamak|supply_chain|sakura-magnet"]
    page = site("pages/shortlists.py")
    assert any("cannot be reached just now" in w.value for w in page.warning)


def test_an_exported_shortlist_file_opens_as_a_new_shortlist(site):
    ws, opened = saved_list(site.db)
    first = ws.entries(opened.shortlist["id"])[0]
    ws.update_entry(
        opened.token, first["id"], first["version"], note="keep this", status="meeting_held"
    )
    con = connect_readonly(site.db)
    tax = Taxonomy.from_frame(queries.taxonomy(con), queries.capability_leaves(con))
    con.close()
    ctx = Context(tax, "ja", "", {}, 1)
    rows = ws.entries(opened.shortlist["id"])
    frame = shortlist_frame(
        [{**r["entry"], "note": r["note"], "status": r["status"]} for r in rows], ctx, headers=True
    )
    at = site("pages/shortlists.py")
    at.file_uploader(key="sl_import").set_value(
        ("shortlist.csv", to_csv_bytes(frame), "text/csv")
    ).run()
    assert "Candidates that can be added: 2. Rows that cannot: 0." in [m.value for m in at.markdown]
    at.button(key="sl_import_go").click().run()
    new_token = (
        at.query_params["list"][0]
        if isinstance(at.query_params["list"], list)
        else at.query_params["list"]
    )
    reopened = ws.open(new_token)
    assert reopened.shortlist["id"] != opened.shortlist["id"]
    back = ws.entries(reopened.shortlist["id"])
    assert [(r["entry"]["id"], r["note"], r["status"]) for r in back][0] == (
        first["entry"]["id"],
        "keep this",
        "meeting_held",
    )
    assert back[0]["entry"]["reason_text"]  # the reason as exported (in Japanese)


def test_a_huge_correction_is_refused_with_its_length_and_the_text_stays_in_the_form(site):
    at = site("pages/profile.py", org="sakura-magnet")
    huge = "x" * 100_000
    [a for a in at.text_area if a.label == "The correct value"][0].input(huge)
    [i for i in at.text_input if i.label.startswith("Source URL")][0].input(
        "https://news.example/x"
    )
    submit(at, "Send to the editors")
    assert any("length of 100,000; the limit is 5,000 characters" in e.value for e in at.error), [
        e.value for e in at.error
    ]
    assert [a for a in at.text_area if a.label == "The correct value"][0].value == huge
    assert workspace().list_corrections() == []


def test_a_new_session_in_the_same_browser_adds_to_the_shortlist_it_worked_on(site):
    at = site(
        "pages/partners.py",
        state={"ws_browser": "browser-key-of-test-0001"},
        org="albion-tokamak",
        kind="supply_chain",
    )
    key = at.dataframe[0].key
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    at.button(key="pf_add").click().run()
    first = at.session_state["ws_list"]
    again = site(
        "pages/partners.py",
        state={"ws_browser": "browser-key-of-test-0001"},
        org="albion-tokamak",
        kind="supply_chain",
    )
    assert "Shortlist (1)" in text(again)
    key = again.dataframe[0].key
    again.session_state[key] = {"selection": {"rows": [1], "columns": [], "cells": []}}
    again.run()
    again.button(key="pf_add").click().run()
    assert again.session_state["ws_list"] == first
    assert len(workspace().entries(workspace().open(first).shortlist["id"])) == 2


def two_starts_list(db, *, second_weights=None):
    """A shortlist holding Albion Tokamak twice, suggested for a supply chain from Sakura
    Magnet Wire and then from Fuji Helical Fusion (the second scored with ``second_weights``
    when given); returns the store, the shortlist opened by its edit link and the two entries."""
    con = connect_readonly(db)
    names = {
        r["id"]: r
        for r in con.execute("SELECT id, name_en, name_ja, source_urls FROM organisations")
        .df()
        .to_dict("records")
    }
    entries = []
    for start, weights in (("sakura-magnet", None), ("fuji-helical", second_weights)):
        query = PartnerQuery(start=start, kind="supply_chain")
        if weights is not None:
            query = dataclasses.replace(query, weights=weights)
        [row] = [
            r for r in qp.suggestions(con, query).to_dict("records") if r["id"] == "albion-tokamak"
        ]
        entries.append(shortlist_entry(row, query, names[start]))
    con.close()
    ws = workspace()
    opened = ws.create_shortlist("Tokamak twice", "en")
    for e in entries:  # added one after the other, as from the Partner finder
        ws.add_entries(opened.token, [(shortlist_key(e), e)])
    return ws, opened, entries


def editor(at):
    """The candidates table: its columns left to right, their headers, and its values."""
    [table] = [d for d in at.dataframe if d.key and d.key.startswith("sl_editor_")]
    config = json.loads(table.proto.columns)
    order = list(table.proto.column_order)
    return order, {c: config[c]["label"] for c in order}, table.value


@pytest.mark.parametrize(
    ("lang", "heads", "starts", "kind"),
    [
        (
            "en",
            ("Start", "Kind of collaboration"),
            ["Sakura Magnet Wire KK", "Fuji Helical Fusion KK"],
            "Supply chain",
        ),
        (
            "ja",
            ("起点", "連携の種類"),
            ["さくら線材株式会社", "富士ヘリカル株式会社"],
            "サプライチェーン",
        ),
    ],
)
def test_the_same_candidate_from_two_starts_shows_each_start_and_kind(
    site, lang, heads, starts, kind
):
    ws, opened, _ = two_starts_list(site.db)
    view = ws.share_links(opened.token)["view"]
    for token, remove in ((opened.token, ["remove"]), (view, [])):
        at = site("pages/shortlists.py", list=token, lang=lang)
        order, labels, frame = editor(at)
        assert order == [
            "candidate",
            "start",
            "kind",
            "status",
            "note",
            *remove,
            "country",
            "score",
            "weights",
            "reason",
        ]
        assert (labels["start"], labels["kind"]) == heads
        assert list(frame["candidate"]) == ["Albion Tokamak Ltd", "Albion Tokamak Ltd"]
        assert list(frame["start"]) == starts
        assert list(frame["kind"]) == [kind, kind]
        assert not [w for w in at.warning if "重み" in w.value or "weights" in w.value]


@pytest.mark.parametrize(
    ("lang", "options"),
    [
        (
            "en",
            [
                "Albion Tokamak Ltd — from Sakura Magnet Wire, supply chain",
                "Albion Tokamak Ltd — from Fuji Helical Fusion, supply chain",
            ],
        ),
        (
            "ja",
            [
                "Albion Tokamak Ltd（起点：さくら線材、サプライチェーン）",
                "Albion Tokamak Ltd（起点：富士ヘリカル、サプライチェーン）",
            ],
        ),
    ],
)
def test_the_introduction_choices_name_the_start_and_the_request_carries_that_entrys_reason(
    site, lang, options
):
    ws, opened, entries = two_starts_list(site.db)
    at = site("pages/shortlists.py", list=opened.token, lang=lang)
    pick = at.selectbox(key="intro_candidate")
    assert pick.options == options
    pick.select_index(1).run()
    assert at.selectbox(key="intro_candidate").value == ws.entries(opened.shortlist["id"])[1]["id"]
    message = [a for a in at.text_area if a.key and a.key.startswith("intro_message_")][0].value
    assert ("Fuji Helical" in message or "富士ヘリカル" in message) and "Sakura" not in message
    assert "さくら" not in message
    _ask(at)
    [saved] = ws.list_requests()
    assert (saved["start_id"], saved["kind"], saved["candidate_id"]) == (
        "fuji-helical",
        "supply_chain",
        "albion-tokamak",
    )
    assert saved["start_name"] == (
        "Fuji Helical Fusion KK" if lang == "en" else "富士ヘリカル株式会社"
    )
    assert saved["reason"] in message and saved["reason"] != _reason_of(site.db, entries[0], lang)
    assert saved["reason"] == _reason_of(site.db, entries[1], lang)


def _reason_of(db, entry, lang):
    """The reason the shortlist shows for ``entry`` in ``lang``."""
    con = connect_readonly(db)
    tax = Taxonomy.from_frame(queries.taxonomy(con), queries.capability_leaves(con))
    con.close()
    frame = shortlist_frame([{**entry, "note": "", "status": ""}], Context(tax, lang, "", {}, 1))
    return str(frame["reason"].iloc[0])


@pytest.mark.parametrize(
    ("lang", "warning"),
    [
        ("en", "These scores were computed with different weights (see the Weights column)"),
        ("ja", "検討リストのスコアは異なる重みで計算されています（「重み」列を参照）"),
    ],
)
def test_the_shortlists_page_warns_when_entries_were_scored_with_different_weights(
    site, lang, warning
):
    ws, opened, _ = two_starts_list(site.db, second_weights=Weights(match=2.0))
    view = ws.share_links(opened.token)["view"]
    for token in (opened.token, view):
        at = site("pages/shortlists.py", list=token, lang=lang)
        assert any(warning in w.value for w in at.warning), [w.value for w in at.warning]
        _, labels, frame = editor(at)
        assert labels["weights"] == ("Weights" if lang == "en" else "重み")
        assert frame["weights"].iloc[0] != frame["weights"].iloc[1]


def test_an_exported_shortlist_names_each_entrys_start_and_kind(site):
    ws, opened, _ = two_starts_list(site.db)
    con = connect_readonly(site.db)
    tax = Taxonomy.from_frame(queries.taxonomy(con), queries.capability_leaves(con))
    con.close()
    rows = ws.entries(opened.shortlist["id"])
    for lang, heads, starts in (
        (
            "en",
            ("Start", "Start ID", "Kind of collaboration"),
            ["Sakura Magnet Wire KK", "Fuji Helical Fusion KK"],
        ),
        ("ja", ("起点", "起点ID", "連携の種類"), ["さくら線材株式会社", "富士ヘリカル株式会社"]),
    ):
        frame = shortlist_frame(
            [{**r["entry"], "note": r["note"], "status": r["status"]} for r in rows],
            Context(tax, lang, "", {}, 1),
            headers=True,
        )
        start, start_id, kind = heads
        assert list(frame[start]) == starts
        assert list(frame[start_id]) == ["sakura-magnet", "fuji-helical"]
        assert frame[kind].nunique() == 1 and len(frame) == 2


def test_introduction_choices_stay_apart_when_names_are_alike(site):
    """Starts differing only by their legal form are named in full; two candidates of one
    name from one start get their ids; a pair from needed capabilities names them."""
    _, _, entries = two_starts_list(site.db)
    con = connect_readonly(site.db)
    tax = Taxonomy.from_frame(queries.taxonomy(con), queries.capability_leaves(con))
    con.close()
    rows = [
        {"id": 7, "entry": entries[0]},
        {
            "id": 8,
            "entry": {**entries[0], "start": "sakura-2", "start_name_en": "Sakura Magnet Wire Ltd"},
        },
        {"id": 9, "entry": {**entries[0], "id": "albion-tokamak-2"}},  # same name, start, kind
        {"id": 11, "entry": {**entries[0], "start": "", "needs": ["hts_conductor"]}},
        {"id": 12, "entry": entries[1]},
    ]
    labels = candidate_labels(rows, Context(tax, "en", "", {}, 1), "en")
    assert labels == {
        7: "Albion Tokamak Ltd — from Sakura Magnet Wire KK, supply chain [albion-tokamak]",
        8: "Albion Tokamak Ltd — from Sakura Magnet Wire Ltd, supply chain",
        9: "Albion Tokamak Ltd — from Sakura Magnet Wire KK, supply chain [albion-tokamak-2]",
        11: "Albion Tokamak Ltd — supply chain, for HTS conductor (REBCO tape and cable)",
        12: "Albion Tokamak Ltd — from Fuji Helical Fusion, supply chain",
    }
