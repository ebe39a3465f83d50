"""Shared fixtures: a small database built per session from reviewable CSVs in tests/data."""

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


@pytest.fixture(scope="session")
def fixture_db(tmp_path_factory) -> Path:
    """The fixture roster built into a DuckDB file (read-only use only)."""
    db = tmp_path_factory.mktemp("db") / "fixture.duckdb"
    build(FIXTURE_DATA, db)
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
    target = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, target)
    return target


@pytest.fixture(scope="session")
def partners_db(tmp_path_factory) -> Path:
    """The partner-finder fixture (tests/data_partners) built into a DuckDB file."""
    db = tmp_path_factory.mktemp("partners") / "partners.duckdb"
    build(PARTNERS_DATA, db)
    return db


@pytest.fixture(scope="session")
def pcon(partners_db):
    connection = connect_readonly(partners_db)
    yield connection
    connection.close()
