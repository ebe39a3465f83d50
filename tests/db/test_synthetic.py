"""The synthetic roster generator (bench/synthetic.py) makes valid, realistic, reproducible rows."""

import datetime as dt
from collections import Counter
from pathlib import Path

from bench.synthetic import (
    measure_profile,
    synthetic_database,
    synthetic_links,
    synthetic_organisations,
)

from fusion_partners.data.roster import ORGANISATION_COLUMNS, group_rows, leaf_rows, read_csv_rows
from fusion_partners.data.validation import validate_organisations
from fusion_partners.db import connect_readonly
from fusion_partners.partners import sql as qp
from fusion_partners.partners.query import PartnerQuery

DATA = Path(__file__).resolve().parents[2] / "data"


def test_rows_pass_the_roster_validator():
    rows = synthetic_organisations(500, seed=3)
    taxonomy = read_csv_rows(DATA / "capabilities.csv")[1]
    problems = validate_organisations(
        "synthetic.csv",
        list(ORGANISATION_COLUMNS),
        rows,
        [r["slug"] for r in group_rows(taxonomy)],
        today=dt.date(2030, 1, 1),
        leaf_slugs=[r["slug"] for r in leaf_rows(taxonomy)],
    )
    assert [p for p in problems if p.severity == "error"] == []
    assert set(rows[0]) == set(ORGANISATION_COLUMNS)


def test_the_same_seed_gives_the_same_roster_and_another_seed_another():
    assert synthetic_organisations(200, seed=7) == synthetic_organisations(200, seed=7)
    assert synthetic_organisations(200, seed=7) != synthetic_organisations(200, seed=8)


def test_distributions_look_like_the_curated_roster():
    rows = synthetic_organisations(4000, seed=1)
    countries = Counter(r["country"] for r in rows)
    assert 0.45 < countries["GB"] / 4000 < 0.65 and 0.25 < countries["JP"] / 4000 < 0.45
    assert len(countries) > 3  # some other countries
    n_caps = Counter(len(r["capabilities"].split(";")) for r in rows)
    assert set(n_caps) <= set(range(1, 7)) and n_caps[1] > n_caps[2] > n_caps[3]
    universities = [r for r in rows if r["org_type"] == "university"]
    assert (
        sum("research_academia" in r["capabilities"] for r in universities) > len(universities) / 2
    )
    assert all(r["name_ja"] for r in rows if r["country"] == "JP")
    assert not any(r["name_ja"] for r in rows if r["country"] == "GB")
    assert len({r["id"] for r in rows}) == len({r["name_en"] for r in rows}) == 4000
    assert all(".example/" in r["source_urls"] for r in rows)
    assert Counter(r["membership"] for r in rows)["j_fusion"] > 0


def test_a_synthetic_database_builds_through_the_normal_path_and_answers_queries(tmp_path):
    db = tmp_path / "syn.duckdb"
    curated = synthetic_database(300, db, seed=2)
    assert len(curated.organisations) == 300 and curated.rules
    con = connect_readonly(db)
    start = next(
        r["id"]
        for r in curated.organisations  # a Japanese developer company with stated needs
        if r["country"] == "JP"
        and "fusion_developer" in r["roles"]
        and r["needs"]
        and r["org_type"] in ("startup", "company")
    )
    df = qp.suggestions(con, PartnerQuery(start=start, kind="supply_chain"))
    assert len(df) > 0 and set(df["country"]) == {"GB"}
    assert con.execute("SELECT count(*) FROM links").fetchone()[0] == len(curated.links) > 0
    con.close()


def test_synthetic_facets_and_links_follow_the_curated_distributions():
    rows = synthetic_organisations(3000, seed=4)
    assert all(r["roles"] and r["offers"] for r in rows)
    universities = [r for r in rows if r["org_type"] == "university"]
    assert sum("research_partner" in r["roles"] for r in universities) > 0.8 * len(universities)
    assert 0.03 < sum(bool(r["needs"]) for r in rows) / len(rows) < 0.3
    links = synthetic_links(rows, seed=4)
    expected = measure_profile().links_per_org * len(rows)  # the curated links per organisation
    assert 0.9 * expected < len(links) <= expected + 1  # less only the repeats drawn
    country = {r["id"]: r["country"] for r in rows}
    jpuk = sum({country[x.org_a], country[x.org_b]} == {"JP", "GB"} for x in links) / len(links)
    assert 0.15 < jpuk < 0.45
