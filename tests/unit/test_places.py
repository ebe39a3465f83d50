"""The places table: reviewed, complete for the shipped roster, validated, and never guessing."""

import csv
from pathlib import Path

import pytest

from fusion_partners.data.places import PLACE_COLUMNS, missing_places, read_places, town_part

PROJECT = Path(__file__).resolve().parents[2]


def _write(path, rows):
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(PLACE_COLUMNS))
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in PLACE_COLUMNS})


def test_every_place_in_the_shipped_roster_has_a_reviewed_row():
    places, problems = read_places(PROJECT / "data" / "places.csv")
    assert problems == []
    with (PROJECT / "data" / "organisations.csv").open(encoding="utf-8") as fh:
        orgs = list(csv.DictReader(fh))
    assert missing_places(orgs, places) == []


def test_region_only_places_carry_no_point_and_drawn_ones_cite_geonames():
    places, _ = read_places(PROJECT / "data" / "places.csv")
    by_key = {(p["country"], p["place"]): p for p in places}
    assert (
        by_key[("JP", "Aichi")]["precision"] == "region"
        and by_key[("JP", "Aichi")]["latitude"] == ""
    )
    assert (
        by_key[("GB", "Bangor, Gwynedd")]["geonames_id"] == "2656397"
    )  # Wales, not Northern Ireland
    assert by_key[("GB", "Culham, Oxfordshire")]["precision"] == "nearby"
    assert all(
        p["geonames_id"] and "GeoNames" in p["source"] for p in places if p["precision"] != "region"
    )


@pytest.mark.parametrize(
    ("row", "column"),
    [
        (
            {
                "country": "JP",
                "place": "X",
                "precision": "city",
                "latitude": "95",
                "longitude": "139",
            },
            "latitude",
        ),
        (
            {"country": "JP", "place": "X", "precision": "city", "latitude": "35", "longitude": ""},
            "longitude",
        ),
        (
            {
                "country": "JP",
                "place": "X",
                "precision": "city",
                "latitude": "35",
                "longitude": "139",
            },
            "source",
        ),
        (
            {
                "country": "JP",
                "place": "X",
                "precision": "region",
                "latitude": "35",
                "longitude": "139",
            },
            "latitude",
        ),
        ({"country": "JP", "place": "X", "precision": "somewhere"}, "precision"),
        ({"country": "", "place": "X", "precision": "region"}, "place"),
    ],
)
def test_invalid_rows_are_reported_with_line_and_column(tmp_path, row, column):
    path = tmp_path / "places.csv"
    _write(path, [row])
    rows, problems = read_places(path)
    assert rows == [] and problems[0].row == 2 and problems[0].column == column


def test_duplicates_are_refused_and_a_missing_file_places_nobody(tmp_path):
    path = tmp_path / "places.csv"
    row = {"country": "JP", "place": "Tokyo", "precision": "region"}
    _write(path, [row, row])
    rows, problems = read_places(path)
    assert len(rows) == 1 and "duplicate" in problems[0].reason
    assert read_places(tmp_path / "absent.csv") == ([], [])


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Tokyo (Chiyoda-ku)", "Tokyo"),
        ("Culham / Didcot, Oxfordshire", "Culham"),
        ("Naka, Ibaraki; Rokkasho, Aomori", "Naka"),
        ("London", "London"),
    ],
)
def test_town_part_is_the_first_named_place(text, town):
    assert town_part(text) == town
