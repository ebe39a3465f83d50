"""The shipped roster builds, is reproducible from the research rosters, and is honest."""

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import assert_research_fields_kept
from fusion_partners.data.load import load_curated
from fusion_partners.importing.curate import curate
from fusion_partners.importing.merge import merge_roster

PROJECT = Path(__file__).resolve().parents[2]


def test_shipped_data_has_no_errors():
    curated = load_curated(PROJECT / "data")
    assert curated.errors == []


def test_shipped_roster_has_at_least_230_japanese_and_uk_organisations(real_db):
    con = duckdb.connect(str(real_db), read_only=True)
    counts = dict(con.execute("SELECT country, count(*) FROM organisations GROUP BY 1").fetchall())
    assert counts["JP"] + counts["GB"] >= 230
    assert counts["JP"] >= 100 and counts["GB"] >= 150


def test_every_record_cites_a_source_and_memberships_are_sourced(real_db):
    con = duckdb.connect(str(real_db), read_only=True)
    unsourced = con.execute(
        "SELECT count(*) FROM organisations o WHERE NOT EXISTS (SELECT 1 FROM sources s WHERE s.org_id = o.id)"
    ).fetchone()[0]
    assert unsourced == 0
    members = con.execute(
        "SELECT evidence FROM organisations WHERE membership <> 'other'"
    ).fetchall()
    assert members and all(e[0] for e in members)


def test_link_table_matches_capability_lists(real_db):
    con = duckdb.connect(str(real_db), read_only=True)
    a = con.execute("SELECT sum(len(capabilities)) FROM organisations").fetchone()[0]
    b = con.execute("SELECT count(*) FROM organisation_capabilities").fetchone()[0]
    assert a == b


def test_facets_are_stored_by_facet_and_leaf(real_db):
    # the partner finder reads a few leaves of one facet; min/max per row group skip the rest
    con = duckdb.connect(str(real_db), read_only=True, config={"threads": 1})
    stored = con.execute("SELECT facet, leaf, org_id FROM organisation_facets").fetchall()
    assert stored and stored == sorted(stored)


RAW = PROJECT / "data" / "research"


@pytest.mark.skipif(not RAW.exists(), reason="research rosters not shipped")
def test_curating_the_research_rosters_again_keeps_every_research_field_of_the_shipped_organisations(
    tmp_path,
):
    target = tmp_path / "data"
    target.mkdir()
    shutil.copy(PROJECT / "data" / "capabilities.csv", target / "capabilities.csv")
    curate(sorted(RAW.glob("*.csv")), target)
    with (target / "organisations.csv").open(encoding="utf-8") as fh:
        rebuilt = {r["id"]: r for r in csv.DictReader(fh)}
    with (PROJECT / "data" / "organisations.csv").open(encoding="utf-8") as fh:
        shipped = {r["id"]: r for r in csv.DictReader(fh)}
    assert_research_fields_kept(rebuilt, shipped)


def _row(**kw):
    base = {
        "name_en": "Sample Fusion Ltd",
        "name_ja": "",
        "country": "GB",
        "prefecture_or_city": "",
        "org_type": "company",
        "membership": "other",
        "membership_class": "",
        "website": "",
        "capabilities": "materials",
        "description_en": "d",
        "source_urls": "https://a.example/1",
        "evidence": "e1",
        "source_date": "2024-01",
        "confidence": "medium",
    }
    return {**base, **kw}


def test_merge_unions_sources_and_capabilities_and_keeps_stated_membership():
    orgs = []
    merge_roster(orgs, [_row()], "first")
    report = merge_roster(
        orgs,
        [
            _row(
                name_en="SAMPLE FUSION LIMITED",
                capabilities="materials;vacuum_cryogenics",
                source_urls="https://a.example/2",
                evidence="e2",
                membership="fusion_cluster",
                source_date="2025-02-03",
                confidence="high",
            )
        ],
        "second",
    )
    assert len(orgs) == 1 and not report.added
    org = orgs[0]
    assert org["capabilities"] == "materials;vacuum_cryogenics"
    assert org["source_urls"] == "https://a.example/1 https://a.example/2"
    assert org["evidence"] == "e1 | e2"
    assert org["membership"] == "fusion_cluster"
    assert org["source_date"] == "2025-02-03"
    assert org["confidence"] == "high"
    assert org["rosters"] == "first;second"


def test_merge_never_joins_organisations_sharing_only_generic_words():
    orgs = []
    merge_roster(
        orgs, [_row(name_en="Astral Neutronics Limited"), _row(name_en="Astral Systems")], "r"
    )
    assert len(orgs) == 2


def test_same_name_in_another_country_is_another_organisation():
    orgs = []
    merge_roster(orgs, [_row(), _row(country="JP")], "r")
    assert len({o["id"] for o in orgs}) == 2


def test_merging_the_same_roster_twice_changes_nothing():
    orgs = []
    merge_roster(orgs, [_row()], "r")
    snapshot = [dict(o) for o in orgs]
    report = merge_roster(orgs, [_row()], "r")
    assert orgs == snapshot and report.unchanged == 1
