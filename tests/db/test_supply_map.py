"""The partner map is data: the build validates it (file, line, column, reason) and loads it."""

import csv
from pathlib import Path

import duckdb
import pytest

from conftest import fixture_folder
from fusion_partners.data.build import build
from fusion_partners.data.load import load_curated
from fusion_partners.data.roster import ValidationError

PROJECT = Path(__file__).resolve().parents[2]
PARTNERS_DATA = PROJECT / "tests" / "data_partners"

FIELDS = [
    "kind",
    "demand",
    "demand_types",
    "supply",
    "supply_types",
    "weight",
    "rationale",
    "rationale_ja",
]


@pytest.fixture
def partners_copy(tmp_path):
    return fixture_folder(PARTNERS_DATA, tmp_path / "data")


def _append(folder, **row):
    with (folder / "supply_map.csv").open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=FIELDS, lineterminator="\n").writerow(
            {
                "kind": "supply_chain",
                "demand": "materials",
                "demand_types": "",
                "supply": "lasers_optics",
                "supply_types": "",
                "weight": "0.5",
                "rationale": "why",
                "rationale_ja": "理由",
                **row,
            }
        )


def test_shipped_map_is_valid_and_covers_every_rule_based_kind():
    curated = load_curated(PROJECT / "data")
    assert not [p for p in curated.problems if p.file == "supply_map.csv"]
    assert {r.kind for r in curated.rules} == {"supply_chain", "demonstration", "innovation"}
    assert all(r.rationale and r.rationale_ja for r in curated.rules)


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ({"supply": "warp_drive"}, "supply", "unknown capability slug 'warp_drive'"),
        ({"demand": "Magnets"}, "demand", "unknown capability slug 'Magnets'"),
        ({"kind": "friendship"}, "kind", "unknown kind 'friendship'"),
        ({"supply_types": "spaceship"}, "supply_types", "unknown organisation type 'spaceship'"),
        (
            {"demand": "*"},
            "demand_types",
            "'*' (any capability) needs at least one organisation type",
        ),
        ({"weight": "heavy"}, "weight", "must be a number greater than 0"),
        ({"weight": "0"}, "weight", "must be a number greater than 0"),
        ({"weight": "9"}, "weight", "at most 5"),
        ({"rationale": ""}, "rationale", "missing rationale"),
        (
            {"demand": "fusion_developer_mcf", "supply": "magnets_superconductors"},
            "supply",
            "same rule as line 2",
        ),
    ],
)
def test_each_map_error_is_reported_with_file_line_column_and_reason(
    partners_copy, row, column, reason
):
    _append(partners_copy, **row)
    errors = [p for p in load_curated(partners_copy).errors if p.file == "supply_map.csv"]
    assert [(p.row, p.column) for p in errors] == [(12, column)], [str(p) for p in errors]
    assert reason in errors[0].reason


def test_a_map_error_stops_the_build_and_names_the_file(partners_copy, tmp_path):
    _append(partners_copy, supply="warp_drive")
    with pytest.raises(ValidationError, match=r"supply_map.csv:12 \[supply\]"):
        build(partners_copy, tmp_path / "x.duckdb")


def test_a_missing_japanese_rationale_is_only_a_warning(partners_copy):
    _append(partners_copy, rationale_ja="")
    problems = [p for p in load_curated(partners_copy).problems if p.file == "supply_map.csv"]
    assert [(p.severity, p.column) for p in problems] == [("warning", "rationale_ja")]


def test_a_data_folder_without_a_map_builds_with_no_rules(partners_copy, tmp_path):
    (partners_copy / "supply_map.csv").unlink()
    db = tmp_path / "nomap.duckdb"
    curated = build(partners_copy, db)
    assert curated.rules == [] and not curated.errors
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM partner_rules").fetchone()[0] == 0


def test_build_loads_rules_and_capability_rarity(partners_db):
    con = duckdb.connect(str(partners_db), read_only=True)
    rules = con.execute(
        "SELECT kind, demand, demand_types, supply, supply_types, weight FROM partner_rules "
        "WHERE rule_id = 8"
    ).fetchone()
    assert rules == ("innovation", "*", ["startup"], "*", ["investor"], 1.0)
    stats = dict(
        con.execute("SELECT slug, n_orgs FROM capability_stats WHERE n_orgs > 0").fetchall()
    )
    assert stats["vacuum_cryogenics"] == 2 and stats["research_academia"] == 4
    idf = con.execute(
        "SELECT idf FROM capability_stats WHERE slug = 'energy_utilities'"
    ).fetchone()[0]
    assert idf == pytest.approx(2.0149, abs=1e-4)  # ln(15 / 2): Wessex Power and Minato City's site
    absent = con.execute(
        "SELECT n_orgs, idf FROM capability_stats WHERE slug = 'lasers_optics'"
    ).fetchone()
    assert absent == (0, None)


def test_japanese_rationales_are_written_in_desu_masu():
    """The pair view shows them next to the interface's です・ます sentences."""
    with open(PROJECT / "data" / "supply_map.csv", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            for sentence in filter(None, row["rationale_ja"].split("。")):
                assert sentence.endswith(("です", "ます", "ません")), (
                    row["demand"],
                    row["supply"],
                    sentence,
                )
