"""The workspace store behaves the same on SQLite and PostgreSQL: shortlists, links,
notes and statuses with version checks, introduction requests, corrections, lockouts."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import threading

import pytest
import sqlalchemy as sa
from tests.workspace_fixtures import fresh_postgres_db

from fusion_partners.data.build import build
from fusion_partners.importing.curate import load_organisations
from fusion_partners.importing.undo import last_applied, undo_last
from fusion_partners.workspace import (
    AlreadyDecided,
    AlreadyRequested,
    Conflict,
    Invalid,
    NotFound,
    RateLimited,
    ReadOnly,
    Revoked,
    Unavailable,
    base,
    editors,
    engine,
    open_workspace,
    workspace_url,
)
from fusion_partners.workspace.apply import NotApplicable, apply_correction

ENTRY = {"id": "acme", "name_en": "Acme", "score": 2.5, "weights": {"match": 1.0}, "matches": []}


def _list(ws, browser=""):
    opened = ws.create_shortlist("Magnets", "en", browser)
    ws.add_entries(
        opened.token,
        [("s|supply_chain|acme", ENTRY), ("s|supply_chain|bolt", {**ENTRY, "id": "bolt"})],
    )
    return opened


def test_migrations_reach_the_shipped_head_and_reopening_changes_nothing(ws_url):
    first = open_workspace(ws_url)
    with first.engine.connect() as con:
        tables = set(sa.inspect(con).get_table_names())
        revision = con.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
    assert {
        "shortlists",
        "shortlist_links",
        "shortlist_entries",
        "browser_shortlists",
        "intro_requests",
        "corrections",
        "lockouts",
        "editor_log",
    } <= tables
    assert revision == engine.head_revision() == "0001"
    _list(first)
    first.dispose()
    again = open_workspace(ws_url)  # a second start migrates nothing and loses nothing
    assert len(again.entries(1)) == 2
    again.dispose()


def test_the_default_workspace_is_a_sqlite_file_in_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(engine.URL_ENV, raising=False)
    assert workspace_url(tmp_path) == f"sqlite:///{tmp_path.resolve() / 'workspace.sqlite3'}"
    monkeypatch.setenv(engine.URL_ENV, "postgresql://u:secret@db/fpf")
    assert workspace_url(tmp_path) == "postgresql+psycopg://u:secret@db/fpf"
    assert "secret" not in engine.redacted(workspace_url(tmp_path))


def test_an_edit_link_edits_and_a_view_link_only_reads(ws):
    opened = _list(ws)
    links = ws.share_links(opened.token)
    assert set(links) == {"edit", "view"} and links["edit"] == opened.token
    view = ws.open(links["view"])
    assert view.access == "view" and not view.can_edit and view.shortlist["name"] == "Magnets"
    entry = ws.entries(view.shortlist["id"])[0]
    with pytest.raises(ReadOnly):
        ws.update_entry(links["view"], entry["id"], entry["version"], note="mine")
    with pytest.raises(ReadOnly):
        ws.add_entries(links["view"], [("k", ENTRY)])
    done = ws.update_entry(
        opened.token, entry["id"], entry["version"], note="Call in May", status="contacted"
    )
    assert (done["note"], done["status"], done["version"]) == ("Call in May", "contacted", 2)


@pytest.mark.parametrize(
    "token", ["", "short", "x" * 200, "'; DROP TABLE shortlists; --", "a" * 43]
)
def test_unknown_and_malformed_tokens_are_not_found(ws, token):
    with pytest.raises(NotFound):
        ws.open(token)


def test_a_revoked_link_stops_working_and_a_new_one_replaces_it(ws):
    opened = _list(ws)
    old_view = ws.share_links(opened.token)["view"]
    new_view = ws.revoke(opened.token, "view")
    with pytest.raises(Revoked):
        ws.open(old_view)
    assert ws.open(new_view).access == "view"
    new_edit = ws.revoke(opened.token, "edit")
    with pytest.raises(Revoked):
        ws.add_entries(opened.token, [("k", ENTRY)])
    assert ws.open(new_edit).can_edit


def test_two_people_editing_one_candidate_lose_nothing(ws):
    opened = _list(ws)
    entry = ws.entries(opened.shortlist["id"])[0]
    ws.update_entry(
        opened.token, entry["id"], entry["version"], note="Alice: met at the conference"
    )
    with pytest.raises(Conflict) as err:  # Bob saw the old version
        ws.update_entry(opened.token, entry["id"], entry["version"], note="Bob: sent the deck")
    assert err.value.current["note"] == "Alice: met at the conference"
    merged = err.value.current["note"] + "\nBob: sent the deck"
    ws.update_entry(opened.token, entry["id"], err.value.current["version"], note=merged)
    assert ws.entries(opened.shortlist["id"])[0]["note"] == merged


def test_removing_a_candidate_someone_just_changed_keeps_it(ws):
    opened = _list(ws)
    first, second = ws.entries(opened.shortlist["id"])
    ws.update_entry(opened.token, first["id"], first["version"], status="meeting_held")
    with pytest.raises(Conflict):
        ws.remove_entries(
            opened.token, {first["id"]: first["version"], second["id"]: second["version"]}
        )
    left = ws.entries(opened.shortlist["id"])
    assert [e["id"] for e in left] == [first["id"]] and left[0]["status"] == "meeting_held"


def test_removed_candidates_come_back_whole_with_undo(ws):
    opened = _list(ws)
    first, second = ws.entries(opened.shortlist["id"])
    ws.update_entry(
        opened.token, first["id"], first["version"], note="met at SOFT", status="partnering"
    )
    before = ws.entries(opened.shortlist["id"])
    ws.remove_entries(opened.token, {r["id"]: r["version"] for r in before})
    assert ws.entries(opened.shortlist["id"]) == []
    ws.add_entries(opened.token, [("s|supply_chain|bolt", {**ENTRY, "id": "bolt", "score": 7.0})])
    assert ws.restore_entries(opened.token, before) == 1  # bolt is back already: left as it is
    after = ws.entries(opened.shortlist["id"])
    by_key = {r["entry_key"]: r for r in after}
    acme = by_key["s|supply_chain|acme"]
    assert (acme["note"], acme["status"], acme["entry"]) == (
        "met at SOFT",
        "partnering",
        before[0]["entry"],
    )
    assert acme["added_at"] == before[0]["added_at"]
    assert by_key["s|supply_chain|bolt"]["entry"]["score"] == 7.0
    assert ws.restore_entries(opened.token, before) == 0  # a second undo adds nothing
    view = ws.share_links(opened.token)["view"]
    with pytest.raises(ReadOnly):
        ws.restore_entries(view, before)


def test_adding_a_pair_again_refreshes_its_score_but_keeps_note_and_status(ws):
    opened = _list(ws)
    entry = ws.entries(opened.shortlist["id"])[0]
    ws.update_entry(
        opened.token, entry["id"], entry["version"], note="keep me", status="partnering"
    )
    assert ws.add_entries(opened.token, [("s|supply_chain|acme", {**ENTRY, "score": 9.0})]) == (
        0,
        1,
    )
    again = ws.entries(opened.shortlist["id"])[0]
    assert (again["entry"]["score"], again["note"], again["status"]) == (
        9.0,
        "keep me",
        "partnering",
    )


def test_a_ten_megabyte_note_is_refused_whole_and_the_old_note_stays(ws):
    opened = _list(ws)
    entry = ws.entries(opened.shortlist["id"])[0]
    ws.update_entry(opened.token, entry["id"], entry["version"], note="short")
    with pytest.raises(Invalid) as err:
        ws.update_entry(opened.token, entry["id"], entry["version"] + 1, note="x" * 10_000_000)
    assert err.value.key == "too_long" and err.value.values["n"] == 10_000_000
    assert ws.entries(opened.shortlist["id"])[0]["note"] == "short"


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '=HYPERLINK("http://x")',
        "\u202eevil\u202c",
        "مرحبا بالعالم",
        "nul\x00byte",
    ],
)
def test_script_formula_and_right_to_left_text_is_stored_as_typed(ws, text):
    opened = _list(ws)
    entry = ws.entries(opened.shortlist["id"])[0]
    ws.update_entry(opened.token, entry["id"], entry["version"], note=text)
    assert ws.entries(opened.shortlist["id"])[0]["note"] == text.replace("\x00", "")


def test_my_shortlists_lists_what_this_browser_opened_and_drops_revoked_links(ws):
    mine = _list(ws, browser="browser-a")
    other = ws.create_shortlist("Other team", "ja", "browser-b")
    view = ws.share_links(other.token)["view"]
    ws.remember("browser-a", view)
    ws.remember("browser-a", view)  # twice is once
    listed = ws.my_shortlists("browser-a")
    assert [(r["name"], r["access"], r["n"]) for r in listed] == [
        ("Other team", "view", 0),
        ("Magnets", "edit", 2),
    ]
    ws.revoke(other.token, "view")
    assert [r["name"] for r in ws.my_shortlists("browser-a")] == ["Magnets"]
    ws.forget("browser-a", mine.token)
    assert ws.my_shortlists("browser-a") == []
    assert ws.my_shortlists("browser-b")[0]["name"] == "Other team"


def test_an_automatic_shortlist_name_reads_in_the_page_language_wherever_it_is_listed(ws):
    import datetime as dt

    from fusion_partners.ui.workspace import default_name, shortlist_name

    today = dt.date.today()
    made = ws.create_shortlist(default_name(today, "en"), "en", "browser-a")
    ws.create_shortlist("Magnets for Albion", "en", "browser-a")
    listed = {r["token"]: r for r in ws.my_shortlists("browser-a")}
    assert shortlist_name(listed[made.token], "ja") == default_name(today, "ja")
    assert shortlist_name(made.shortlist, "ja").endswith("の検討リスト")
    assert shortlist_name(made.shortlist, "en") == made.shortlist["name"]
    assert sorted(shortlist_name(r, "ja") for r in listed.values()) == sorted(
        [default_name(today, "ja"), "Magnets for Albion"]
    )
    late = {
        "name": default_name(today, "ja"),
        "created_at": dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0, 5)),
    }  # made before midnight local time, stored after midnight UTC
    assert shortlist_name(late, "en") == default_name(today, "en")


def test_an_introduction_request_is_saved_with_its_reason_and_validated(ws):
    rid = ws.request_introduction(
        council="j_fusion",
        candidate_id="acme",
        candidate_name="Acme",
        requester_name="Hana",
        requester_email="hana@example.jp",
        reason="Acme makes what you buy",
        lang="ja",
        client="c1",
    )
    saved = ws.list_requests()[0]
    assert (saved["id"], saved["status"], saved["reason"], saved["lang"]) == (
        rid,
        "new",
        "Acme makes what you buy",
        "ja",
    )
    for bad in (
        {"requester_email": "not-an-address"},
        {"council": "iter"},
        {"requester_name": " "},
    ):
        args = {
            "council": "fusion_cluster",
            "candidate_id": "acme",
            "candidate_name": "Acme",
            "requester_name": "Hana",
            "requester_email": "hana@example.jp",
            **bad,
        }
        with pytest.raises(Invalid):
            ws.request_introduction(**args)
    version = ws.set_request_status(rid, "forwarded", saved["version"], "Editor Ed")
    with pytest.raises(Conflict):
        ws.set_request_status(rid, "done", saved["version"], "Editor Flo")
    assert ws.list_requests("forwarded")[0]["version"] == version
    assert ws.editor_log()[0]["editor"] == "Editor Ed"


def test_the_same_introduction_request_is_not_saved_twice_unless_asked_again(ws):
    opened = _list(ws)
    sid = opened.shortlist["id"]

    def ask(council="fusion_cluster", candidate="acme", **more):
        return ws.request_introduction(
            council=council,
            candidate_id=candidate,
            candidate_name=candidate.title(),
            requester_name="Hana",
            requester_email="hana@example.jp",
            shortlist_id=sid,
            **more,
        )

    first = ask()
    with pytest.raises(AlreadyRequested) as err:
        ask()
    assert err.value.request["id"] == first and err.value.request["created_at"]
    assert [r["id"] for r in ws.list_requests()] == [first]
    other_council, other_candidate = ask(council="j_fusion"), ask(candidate="bolt")
    again = ask(again=True)
    assert {first, other_council, other_candidate, again} == {r["id"] for r in ws.list_requests()}
    with pytest.raises(AlreadyRequested) as err:  # the newest earlier request is named
        ask()
    assert err.value.request["id"] == again


def test_anonymous_submissions_are_rate_limited_per_client(ws):
    for i in range(base.SUBMISSIONS_PER_HOUR):
        ws.submit_correction(
            org_id="acme",
            field="website",
            proposed=f"https://acme{i}.example",
            source_url="https://news.example/acme",
            client="c1",
        )
    with pytest.raises(RateLimited):
        ws.submit_correction(
            org_id="acme",
            field="website",
            proposed="https://x.example",
            source_url="https://news.example/acme",
            client="c1",
        )
    ws.submit_correction(
        org_id="acme",
        field="website",
        proposed="https://y.example",
        source_url="https://news.example/acme",
        client="c2",
    )


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://files.example/x",
        "www.example.com",
        "",
        "https:///nohost",
        "http://exa mple.com",
    ],
)
def test_a_correction_needs_an_http_source_url(ws, url):
    with pytest.raises(Invalid):
        ws.submit_correction(
            org_id="acme", field="website", proposed="https://acme.example", source_url=url
        )
    assert ws.list_corrections() == []


def test_two_editors_cannot_decide_the_same_correction(ws):
    cid = ws.submit_correction(
        org_id="acme", field="name_en", proposed="Acme Ltd", source_url="https://acme.example/about"
    )
    ws.claim_correction(cid, "Ed")
    with pytest.raises(AlreadyDecided):
        ws.claim_correction(cid, "Flo")
    with pytest.raises(AlreadyDecided):
        ws.decide_correction(cid, accept=False, editor="Flo", note="dup")  # still Ed's
    ws.decide_correction(cid, accept=True, editor="Ed", applied_ref="ref-1")
    with pytest.raises(AlreadyDecided):
        ws.decide_correction(cid, accept=False, editor="Flo", note="late")
    assert ws.list_corrections("accepted")[0]["decided_by"] == "Ed"


def test_rejecting_needs_a_reason_and_is_logged(ws):
    cid = ws.submit_correction(
        org_id="acme", field="name_en", proposed="Acme", source_url="https://a.example"
    )
    with pytest.raises(Invalid):
        ws.decide_correction(cid, accept=False, editor="Ed", note="")
    ws.decide_correction(cid, accept=False, editor="Ed", note="The source does not say so")
    row = ws.list_corrections("rejected")[0]
    assert row["decision_note"] == "The source does not say so"
    assert (ws.editor_log()[0]["action"], ws.editor_log()[0]["editor"]) == (
        "correction_rejected",
        "Ed",
    )


def test_the_lockout_holds_across_sessions_and_restarts(ws_url):
    first = open_workspace(ws_url)
    for i in range(5):
        verdict = first.check_editor_token(f"guess{i}", "right", "c1", now=1000.0 + i)
    assert verdict.status == "locked"
    first.dispose()
    second = open_workspace(ws_url)  # a reload, a new session, another instance
    assert second.check_editor_token("right", "right", "c1", now=1010.0).status == "locked"
    assert (
        second.check_editor_token("right", "right", "c2", now=1010.0).status == "ok"
    )  # others unaffected
    assert (
        second.check_editor_token("right", "right", "c1", now=1040.0).status == "ok"
    )  # after 30 s
    second.dispose()


def test_many_clients_guessing_lock_the_editor_check_for_everyone(ws, monkeypatch):
    monkeypatch.setattr(editors, "GLOBAL_MAX_TRIES", 6)
    for i in range(6):
        ws.check_editor_token(f"guess{i}", "right", f"client{i}", now=1000.0 + i)
    assert ws.check_editor_token("right", "right", "fresh", now=1010.0).status == "locked"
    assert (
        ws.check_editor_token(
            "right", "right", "fresh", now=1010.0 + editors.GLOBAL_LOCK_SECONDS
        ).status
        == "ok"
    )


def test_the_same_wrong_token_rechecked_counts_once(ws):
    for _ in range(10):
        verdict = ws.check_editor_token("same-guess", "right", "c1", now=1000.0)
    assert verdict.status == "wrong" and verdict.tries_left == 4


def test_a_database_that_is_down_is_reported_as_unavailable():
    with pytest.raises(Unavailable) as err:
        open_workspace("postgresql+psycopg://nobody:pw@127.0.0.1:9/none")
    assert "pw" not in str(err.value)


def test_concurrent_editors_lose_no_update(ws):
    """Eight threads each append their mark to one note 10 times, re-reading on conflict."""
    opened = _list(ws)
    sid, eid = opened.shortlist["id"], ws.entries(opened.shortlist["id"])[0]["id"]

    def worker(n: int) -> None:
        for i in range(10):
            while True:
                current = next(e for e in ws.entries(sid) if e["id"] == eid)
                try:
                    ws.update_entry(
                        opened.token, eid, current["version"], note=current["note"] + f"[{n}:{i}]"
                    )
                    break
                except Conflict:
                    continue

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    note = ws.entries(sid)[0]["note"]
    assert sorted(note.strip("[]").split("][")) == sorted(
        f"{n}:{i}" for n in range(8) for i in range(10)
    )


def test_two_processes_share_one_postgresql_and_see_each_others_edits(postgres_admin):
    url = fresh_postgres_db(postgres_admin)
    mine = open_workspace(url)
    opened = _list(mine)
    code = textwrap.dedent(f"""
        from fusion_partners.workspace import open_workspace
        ws = open_workspace({url!r})
        e = ws.entries({opened.shortlist["id"]})[0]
        ws.update_entry({opened.token!r}, e["id"], e["version"], note="from process two", status="contacted")
        print(len(ws.entries({opened.shortlist["id"]})))
    """)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.strip() == "2"
    seen = mine.entries(opened.shortlist["id"])[0]
    assert (seen["note"], seen["status"]) == ("from process two", "contacted")
    mine.dispose()


# --- accepting a correction writes the roster through the crash-safe path ------------------


@pytest.fixture
def roster(data_copy, tmp_path):
    db = tmp_path / "fixture.duckdb"
    build(data_copy, db)
    return data_copy, db


def test_an_accepted_correction_changes_the_roster_and_can_be_undone(roster):
    data, db = roster
    orgs = load_organisations(data / "organisations.csv")
    target = orgs[0]
    correction = {
        "id": 7,
        "kind": "correction",
        "org_id": target["id"],
        "field": "website",
        "proposed": "https://corrected.example",
        "source_url": "https://news.example/fix",
    }
    ref = apply_correction(correction, "Ed", data, db)
    after = {o["id"]: o for o in load_organisations(data / "organisations.csv")}[target["id"]]
    assert after["website"] == "https://corrected.example"
    assert "https://news.example/fix" in after["source_urls"].split()
    assert last_applied(data)["import_id"] == ref
    assert last_applied(data)["imported_by"] == "Ed"
    undo_last(data, db, user="Ed")
    restored = {o["id"]: o for o in load_organisations(data / "organisations.csv")}[target["id"]]
    assert restored == target


def test_a_suggested_organisation_becomes_a_low_confidence_record(roster):
    data, db = roster
    suggestion = {
        "id": 8,
        "kind": "new_organisation",
        "org_id": "",
        "field": "",
        "proposed": json.dumps(
            {
                "name_en": "Sakura Coils Ltd",
                "country": "jp",
                "org_type": "company",
                "capabilities": "fusion_developer_mcf",
            }
        ),
        "source_url": "https://sakura.example/news",
    }
    apply_correction(suggestion, "Ed", data, db)
    new = [
        o
        for o in load_organisations(data / "organisations.csv")
        if o["name_en"] == "Sakura Coils Ltd"
    ]
    assert len(new) == 1 and new[0]["confidence"] == "low" and new[0]["country"] == "JP"
    assert new[0]["source_urls"] == "https://sakura.example/news"


def test_a_correction_the_roster_rules_reject_writes_nothing(roster):
    data, db = roster
    before = (data / "organisations.csv").read_bytes()
    target = load_organisations(data / "organisations.csv")[0]
    bad = {
        "id": 9,
        "kind": "correction",
        "org_id": target["id"],
        "field": "capabilities",
        "proposed": "no-such-capability",
        "source_url": "https://x.example",
    }
    with pytest.raises(Exception):  # noqa: B017 - the roster's ValidationError
        apply_correction(bad, "Ed", data, db)
    assert (data / "organisations.csv").read_bytes() == before
    with pytest.raises(NotApplicable):
        apply_correction({**bad, "org_id": "no-such-org", "field": "website"}, "Ed", data, db)


@pytest.mark.parametrize("website", ["javascript:alert(1)", "ftp://x.org"])
def test_a_suggested_organisation_with_a_website_that_is_not_http_is_refused(ws, website):
    with pytest.raises(Invalid) as err:
        ws.suggest_organisation(
            record={"name_en": "Sakura Coils", "website": website}, source_url="https://a.example"
        )
    assert err.value.key == "bad_url" and err.value.values["field"] == "website"


def test_a_suggested_organisation_may_list_many_capabilities(ws):
    caps = ";".join(f"capability_{i:03d}" for i in range(60))  # longer than a name may be
    ws.suggest_organisation(
        record={"name_en": "Broad Co", "capabilities": caps}, source_url="https://a.example"
    )
    assert json.loads(ws.list_corrections()[0]["proposed"])["capabilities"] == caps


def test_an_accepted_correction_reaches_the_roster_without_direction_controls(roster):
    data, db = roster
    target = load_organisations(data / "organisations.csv")[0]
    apply_correction(
        {
            "id": 3,
            "kind": "correction",
            "org_id": target["id"],
            "field": "description_en",
            "proposed": "\u202egnp.exe\u202c makes\u200b coils\nand magnets",
            "source_url": "https://a.example",
        },
        "Ed",
        data,
        db,
    )
    after = {o["id"]: o for o in load_organisations(data / "organisations.csv")}[target["id"]]
    assert after["description_en"] == "gnp.exe makes coils and magnets"
