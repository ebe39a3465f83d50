"""The roster's knowledge: facets, documented links, memberships as a set, aliases, Japanese
descriptions — validated by the build, shown on the profile, filterable in Explore."""

import csv
import json
import subprocess
import sys

import pytest

from conftest import PROJECT
from fusion_partners.data.load import load_curated
from fusion_partners.db import connect_readonly
from fusion_partners.explore.filters import Filters
from fusion_partners.explore.url import from_params, to_params
from fusion_partners.queries import filter_summary, organisation_table
from fusion_partners.queries.insights import documented_links


@pytest.fixture(scope="module")
def rcon(real_db):
    connection = connect_readonly(real_db)
    yield connection
    connection.close()


def _rewrite(path, edit, fields=None):
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = fields or list(rows[0].keys())
    edit(rows)
    fields = list(
        dict.fromkeys([*fields, *(k for r in rows for k in r)])
    )  # and any column the edit added
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _problems(folder, column=None):
    return [p for p in load_curated(folder).errors if column is None or p.column == column]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("roles", "wizard", "unknown role 'wizard'"),
        ("offers", "warp_drive", "unknown capability leaf 'warp_drive'"),
        (
            "needs",
            "magnets_superconductors",
            "unknown capability leaf 'magnets_superconductors'",
        ),  # a group, not a leaf
        ("roles", "", "no role given"),
        ("offers", "", "no offer given"),
        ("description_ja", "", "missing Japanese description"),
        ("remit", "county", "unknown remit 'county'"),
        ("successor", "no-such-org", "successor 'no-such-org' is not another organisation's id"),
    ],
)
def test_facet_errors_name_file_line_and_column(data_copy, column, value, reason):
    _rewrite(data_copy / "organisations.csv", lambda rows: rows[1].__setitem__(column, value))
    match = [p for p in _problems(data_copy, column) if reason in p.reason]
    assert match and (match[0].file, match[0].row) == ("organisations.csv", 3), [
        str(p) for p in _problems(data_copy)
    ]


def test_a_record_an_import_added_may_wait_for_its_japanese_description(data_copy):
    _rewrite(
        data_copy / "organisations.csv", lambda rows: rows[1].__setitem__("description_ja", "")
    )
    (data_copy / "imports.csv").write_text(
        "import_id,file_name,content_hash,imported_at,imported_by,source_urls,council,rows_added,rows_updated,"
        "status,undone_at,undone_by\nimp-1,x.csv,abc,2026-01-01T00:00:00Z,ed,,,1,0,applied,,\n",
        encoding="utf-8",
    )
    oid = list(csv.DictReader((data_copy / "organisations.csv").open(encoding="utf-8")))[1]["id"]
    (data_copy / "history.csv").write_text(
        f"import_id,org_id,action,changed,before,unmapped\nimp-1,{oid},added,,,\n", encoding="utf-8"
    )
    curated = load_curated(data_copy)
    assert not curated.errors
    assert any(p.column == "description_ja" and p.severity == "warning" for p in curated.problems)


LINK_HEADER = "org_a,org_b,relation,year,what,source_urls\n"


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        (
            "tokamak-test,nobody,joint_research,2024,x,https://a.example/1",
            "org_b",
            "unknown organisation id 'nobody'",
        ),
        (
            "tokamak-test,tokamak-test,joint_research,2024,x,https://a.example/1",
            "org_b",
            "self-link",
        ),
        ("tokamak-test,kyoto-sample,joint_research,2024,x,", "source_urls", "missing source URL"),
        (
            "tokamak-test,kyoto-sample,friendship,2024,x,https://a.example/1",
            "relation",
            "unknown relation",
        ),
        (
            "tokamak-test,kyoto-sample,joint_research,24,x,https://a.example/1",
            "year",
            "is not a year",
        ),
    ],
)
def test_bad_links_are_rejected_with_line_and_column(data_copy, row, column, reason):
    (data_copy / "links.csv").write_text(LINK_HEADER + row + "\n", encoding="utf-8")
    match = [p for p in _problems(data_copy, column) if reason in p.reason]
    assert match and (match[0].file, match[0].row) == ("links.csv", 2)


def test_duplicate_links_in_either_order_are_merged_with_both_sources(data_copy):
    (data_copy / "links.csv").write_text(
        LINK_HEADER + "tokamak-test,kyoto-sample,joint_research,2024,x,https://a.example/1\n"
        "kyoto-sample,tokamak-test,joint_research,2022,y,https://a.example/2\n",
        encoding="utf-8",
    )
    curated = load_curated(data_copy)
    assert not curated.errors
    [link] = curated.links
    assert link.year == 2022 and link.source_urls == ("https://a.example/1", "https://a.example/2")


def test_a_membership_needs_a_known_organisation_a_council_and_a_source(data_copy):
    (data_copy / "memberships.csv").write_text(
        "org_id,council,membership_class,source_urls,date,evidence\n"
        "nobody,j_fusion,,https://a.example/1,2024-01,x\n"
        "tokamak-test,the_club,,https://a.example/1,2024-01,x\n"
        "tokamak-test,fusion_cluster,,,2024-01,x\n",
        encoding="utf-8",
    )
    reasons = [
        (p.row, p.column) for p in load_curated(data_copy).errors if p.file == "memberships.csv"
    ]
    assert reasons == [(2, "org_id"), (3, "council"), (4, "source_urls")]


def test_an_organisation_can_belong_to_both_councils(data_copy, tmp_path):
    from fusion_partners.data.build import build
    from fusion_partners.db import connect_readonly

    (data_copy / "memberships.csv").write_text(
        "org_id,council,membership_class,source_urls,date,evidence\n"
        "kyoto-sample,fusion_cluster,,https://a.example/uk,2025-01,UK subsidiary listed\n",
        encoding="utf-8",
    )
    build(data_copy, tmp_path / "x.duckdb")
    con = connect_readonly(tmp_path / "x.duckdb")
    assert con.execute(
        "SELECT memberships FROM organisations WHERE id = 'kyoto-sample'"
    ).fetchone()[0] == ["j_fusion", "fusion_cluster"]
    both = organisation_table(con, Filters(memberships=("fusion_cluster",)))
    assert "kyoto-sample" in set(both["id"])
    con.close()


# --- the shipped data ------------------------------------------------------------------------


def test_the_shipped_roster_meets_the_knowledge_targets():
    curated = load_curated(PROJECT / "data")
    orgs = curated.organisations
    assert not curated.errors
    assert all(o["roles"] and o["offers"] and o["description_ja"] for o in orgs)
    developers = [o for o in orgs if "fusion_developer" in o["roles"].split(";")]
    assert developers and all(o["needs"] for o in developers)
    assert 60 <= len(curated.leaves) <= 90
    counts = {}
    for o in orgs:
        for leaf in o["offers"].split(";"):
            counts[leaf] = counts.get(leaf, 0) + 1
    assert max(counts.values()) <= len(orgs) / 5  # no leaf held by more than a fifth
    country = {o["id"]: o["country"] for o in orgs}
    jpuk = [k for k in curated.links if {country[k.org_a], country[k.org_b]} == {"JP", "GB"}]
    assert len(curated.links) >= 80 and len(jpuk) >= 25
    assert not any("[source year" in o["evidence"] for o in orgs)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("京大", ["kyoto-university-institute-of-advanced-energy"]),
        ("古河電工", ["furukawa-electric"]),
        ("トカマク・エナジー", ["tokamak-energy"]),
    ],
)
def test_short_names_find_the_organisation_and_nothing_else(rcon, text, expected):
    assert list(organisation_table(rcon, Filters(query=text))["id"]) == expected


def test_the_partner_lookup_finds_short_names_too(rcon):
    from fusion_partners.partners.lookup_sql import find_organisations

    assert list(find_organisations(rcon, "京大")["id"]) == [
        "kyoto-university-institute-of-advanced-energy"
    ]
    assert list(find_organisations(rcon, "UKAEA")["id"])[0] == "uk-atomic-energy-authority-ukaea"


# --- Explore: roles, offers and needs ----------------------------------------------------------


def test_explore_filters_offers_and_needs_with_any_or_all(con):
    def ids(**kw):
        return set(organisation_table(con, Filters(**kw))["id"])

    assert ids(offers=("hts_conductor",)) == {"magnet-maker-jp"}
    assert ids(needs=("hts_conductor",)) == {"tokamak-test", "helical-sample"}
    assert ids(needs=("hts_conductor", "gyrotrons_rf"), need_mode="all") == {"tokamak-test"}
    assert ids(needs=("hts_conductor", "gyrotrons_rf")) == {"tokamak-test", "helical-sample"}
    assert ids(roles=("investor",)) == {"sample-trading"}


def test_role_offer_and_need_facets_count_given_the_other_filters(con):
    facets = filter_summary(con, Filters(countries=("JP",))).facets
    assert facets["role"]["fusion_developer"] == 1  # helical-sample (tokamak-test is British)
    assert facets["offer"]["blanket_design"] == 2 and facets["need"]["hts_conductor"] == 1


def test_the_new_filters_round_trip_through_the_url():
    f = Filters(
        roles=("investor",),
        offers=("hts_conductor", "lts_conductor"),
        offer_mode="all",
        needs=("cryoplant",),
    )
    params = to_params(f)
    assert params == {
        "role": ["investor"],
        "offer": ["hts_conductor", "lts_conductor"],
        "offer_mode": "all",
        "need": ["cryoplant"],
    }
    valid = {
        "role": ["investor"],
        "offer": ["hts_conductor", "lts_conductor"],
        "need": ["cryoplant"],
    }
    assert from_params(params, valid).filters == f
    assert from_params({"offer": "warp", "need_mode": "some"}, valid).rejected == (
        ("offer", "warp"),
        ("need_mode", "some"),
    )


# --- profile -------------------------------------------------------------------------------------


# --- command line and Insights -------------------------------------------------------------------


def test_the_command_line_prints_the_ranked_list_and_finds_names(real_db):
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "fusion_partners.suggest", "--db", str(real_db), *args],
            capture_output=True,
            text=True,
            timeout=120,
        )

    out = run("--org", "tokamak-energy", "--kind", "supply_chain", "--limit", "5")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 5 and [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    assert {"rank", "id", "name", "score", "reason"} <= set(rows[0])
    hidden = json.loads(
        run("--org", "tokamak-energy", "--kind", "supply_chain", "--known", "hide").stdout
    )
    assert "furukawa-electric" not in {r["id"] for r in hidden}
    csv_out = run("--find", "京大", "--format", "csv")
    assert csv_out.stdout.splitlines()[1].startswith(
        "kyoto-university-institute-of-advanced-energy,"
    )
    for bad in (
        ("--org", "nobody", "--kind", "supply_chain"),
        ("--org", "tokamak-energy", "--kind", "friendship"),
    ):
        out = run(*bad)
        assert (
            out.returncode == 2 and out.stdout == "" and len(out.stderr.strip().splitlines()) == 1
        )


@pytest.mark.parametrize("content", [None, b"not a database" * 100])
def test_the_command_line_says_why_the_database_cannot_be_opened_whole_on_one_line(
    tmp_path, capsys, content
):
    from fusion_partners import suggest

    db = tmp_path / "fusion_partners.duckdb"
    if content is not None:
        db.write_bytes(content)
    assert suggest.main(["--org", "tokamak-energy", "--kind", "supply_chain", "--db", str(db)]) == 2
    out = capsys.readouterr()
    assert out.out == "" and out.err.endswith("\n") and out.err.count("\n") == 1, out.err
    assert "…" not in out.err
    if content is None:
        assert out.err == (
            "error: fusion_partners.duckdb has not been built; run `make build` (or `make run`).\n"
        )
    else:
        assert out.err.startswith("error: Cannot open fusion_partners.duckdb: ")


def test_insights_draws_the_documented_japan_uk_collaborations(rcon):
    links = documented_links(rcon, Filters())
    assert len(links) >= 25
    row = links[
        (links["source_id"] == "furukawa-electric") & (links["target_id"] == "tokamak-energy")
    ].iloc[0]
    assert row["score"] >= 2 and "investment" in list(row["capabilities"])
    assert documented_links(rcon, Filters(org_types=("university",))).shape[0] < len(links)
