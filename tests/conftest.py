"""Shared fixtures: small databases built per session from reviewable CSVs.

Fixture folders (``tests/data``, ``tests/data_partners``) hold CSVs only; the schema is always
the project's ``data/schema.sql`` (copied in by :func:`fixture_folder`), so tests can never
drift from the real schema.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fusion_partners.build import build
from fusion_partners.db import connect_readonly

TESTS = Path(__file__).parent
FIXTURE_DATA = TESTS / "data"
PARTNERS_DATA = TESTS / "data_partners"
PROJECT = TESTS.parent
SCHEMA = PROJECT / "data" / "schema.sql"


def fixture_folder(source: Path, target: Path) -> Path:
    """Copy fixture CSVs from ``source`` to ``target`` with the real schema, and the real
    partner map and search synonyms (``data/supply_map.csv``, ``data/search_synonyms.csv``)
    unless the fixture brings its own."""
    shutil.copytree(source, target)
    shutil.copy(SCHEMA, target / "schema.sql")
    for shared in ("supply_map.csv", "search_synonyms.csv"):
        if not (target / shared).exists():
            shutil.copy(PROJECT / "data" / shared, target / shared)
    return target


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    """The fixture roster built into a DuckDB file (read-only use only)."""
    base = tmp_path_factory.mktemp("db")
    db = base / "fixture.duckdb"
    build(fixture_folder(FIXTURE_DATA, base / "data"), db)
    return db


@pytest.fixture(scope="session")
def con(fixture_db):
    connection = connect_readonly(fixture_db)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def real_db(tmp_path_factory) -> Path:
    """The shipped roster (data/) built into a temporary DuckDB file."""
    db = tmp_path_factory.mktemp("real") / "real.duckdb"
    build(PROJECT / "data", db)
    return db


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the fixture data folder."""
    return fixture_folder(FIXTURE_DATA, tmp_path / "data")


@pytest.fixture(scope="session")
def partners_db(tmp_path_factory) -> Path:
    """The partner-finder fixture (tests/data_partners) built into a DuckDB file."""
    base = tmp_path_factory.mktemp("partners")
    db = base / "partners.duckdb"
    build(fixture_folder(PARTNERS_DATA, base / "data"), db)
    return db


@pytest.fixture(scope="session")
def pcon(partners_db):
    connection = connect_readonly(partners_db)
    yield connection
    connection.close()
