"""Shared fixtures: small databases built per session from reviewable CSVs.

Fixture folders (``tests/data``, ``tests/data_partners``) hold CSVs only; the schema is always
the project's ``data/schema.sql`` (copied in by :func:`fixture_folder`), so tests can never
drift from the real schema.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from tests.workspace_fixtures import postgres_admin, ws, ws_url  # noqa: F401 - workspace fixtures, both backends

from fusion_partners.data.build import build
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


APP = str(PROJECT / "app.py")


@pytest.fixture(autouse=True)
def _own_workspace(monkeypatch, tmp_path):
    """Every test writes shortlists and corrections to its own SQLite workspace, never the project's."""
    monkeypatch.setenv("FPF_WORKSPACE_URL", f"sqlite:///{tmp_path / 'workspace.sqlite3'}")


@pytest.fixture
def app_runner(monkeypatch, tmp_path):
    """Factory for AppTest runs of the whole app (``app.py`` and its navigation) on a database.

    ``app_runner(db, default_page=None)`` returns ``run(page=None, state=None, **params)``: the
    URL parameters are set, the entry page runs, then (when given) ``page`` is switched to with
    the same parameters and ``state`` put into session state. Fails on any exception on screen.
    Streamlit's caches are cleared before and after, since they outlive an AppTest. The
    workspace is a fresh SQLite file per test (``$FPF_WORKSPACE_URL``, see ``_own_workspace``).
    """

    def make(db: Path, default_page: str | None = None):
        monkeypatch.setenv("FPF_DB_PATH", str(db))
        st.cache_data.clear()
        st.cache_resource.clear()

        def run(page: str | None = default_page, state: dict | None = None, **params) -> AppTest:
            at = AppTest.from_file(APP, default_timeout=90)
            for key, value in params.items():
                at.query_params[key] = value
            at.run()
            if page:
                at.switch_page(page)
                for key, value in params.items():
                    at.query_params[key] = value
            for key, value in (state or {}).items():
                at.session_state[key] = value
            if page or state:
                at.run()
            assert not at.exception, [e.value for e in at.exception]
            return at

        return run

    yield make
    st.cache_data.clear()
    st.cache_resource.clear()


RESEARCH_FIELDS = (
    "id",
    "name_en",
    "name_ja",
    "country",
    "org_type",
    "membership",
    "membership_class",
    "website",
    "description_en",
    "source_date",
    "confidence",
    "rosters",
)
"""Fields of a curated record that come from the research rosters unchanged. Curation after the
merge adds facets, re-derives capability groups from the offers, removes editing markers from
evidence, adds sources, and applies sourced place updates (data/README.md)."""


def assert_research_fields_kept(rebuilt: dict, shipped: dict) -> None:
    """Records rebuilt from the research rosters equal the shipped ones in every research field,
    and the shipped ones only add sources: curation never drops what the research found."""
    import re

    imported = {
        oid
        for oid, o in shipped.items()
        if not set(o["rosters"].split(";")) & {"jp_fusion_orgs", "uk_fusion_orgs"}
    }
    assert set(rebuilt) == set(shipped) - imported
    from fusion_partners.data.roster import url_date

    for oid, new in rebuilt.items():
        old = shipped[oid]
        fields = [k for k in RESEARCH_FIELDS if k != "source_date"]
        assert {k: new[k] for k in fields} == {k: old[k] for k in fields}, oid
        if new["source_date"] != old["source_date"]:  # moved forward to its newest source's date
            dates = {d.isoformat() for d in map(url_date, old["source_urls"].split()) if d}
            assert old["source_date"] > new["source_date"] and old["source_date"] in dates, oid
        assert set(new["source_urls"].split()) <= set(old["source_urls"].split()), oid
        assert (
            re.sub(r"\s*\[source year (\d{4})\]", r" (\1)", new["evidence"]) == old["evidence"]
        ), oid
        if (
            new["prefecture_or_city"] != old["prefecture_or_city"]
        ):  # a sourced place update adds a source
            assert len(old["source_urls"].split()) > len(new["source_urls"].split()), oid


def plain(markdown: str) -> str:
    """Markdown source without backslash escapes (what the reader sees)."""
    return re.sub(r"\\(.)", r"\1", markdown)


def markdown_text(at) -> str:
    """All Markdown of an AppTest run, one element per line."""
    return "\n".join(m.value for m in at.markdown)
