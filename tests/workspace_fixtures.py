"""Workspace stores for tests: a fresh SQLite file or a fresh PostgreSQL database per test.

PostgreSQL comes from ``$FPF_TEST_POSTGRES_URL`` (CI starts one with ``tests/pgserver.py``)
or from a throwaway server this module starts once per test session. Without PostgreSQL
the PostgreSQL variants skip, unless ``FPF_REQUIRE_POSTGRES=1`` (CI), where they fail.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from . import pgserver

_counter = itertools.count()
_started: list[Path] = []


def _admin_url(tmp_path_factory) -> str:
    url = os.environ.get("FPF_TEST_POSTGRES_URL", "").strip()
    if url:
        return url
    if pgserver.bindir() is None:
        return ""
    # not under pytest's temp folder: that is private to this user, and as root the
    # server runs as the postgres user
    folder = Path(tempfile.mkdtemp(prefix="fpf-pg-"))
    _started.append(folder)
    port = 55000 + os.getpid() % 5000
    try:
        return pgserver.start(folder, port)
    except Exception as exc:  # noqa: BLE001 - a skip here, a failure where PostgreSQL is required
        if os.environ.get("FPF_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"could not start PostgreSQL: {exc}")


@pytest.fixture(scope="session")
def postgres_admin(tmp_path_factory):
    """URL of a PostgreSQL server the tests may create databases on (``""`` when none)."""
    url = _admin_url(tmp_path_factory)
    if not url:
        if os.environ.get("FPF_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL is required here (FPF_REQUIRE_POSTGRES=1) but not installed")
        pytest.skip("PostgreSQL is not installed")
    yield url
    for folder in _started:
        pgserver.stop(folder)
        shutil.rmtree(folder, ignore_errors=True)


def fresh_postgres_db(admin_url: str) -> str:
    """Create an empty database on the server of ``admin_url``; returns its SQLAlchemy URL."""
    name = f"fpf_{os.getpid()}_{next(_counter)}_{uuid.uuid4().hex[:6]}"
    engine = sa.create_engine(
        admin_url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as con:
        con.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    base = admin_url.rsplit("/", 1)[0]
    return f"{base}/{name}".replace("postgresql://", "postgresql+psycopg://", 1)


@pytest.fixture(params=["sqlite", "postgresql"])
def ws_url(request, tmp_path):
    """A URL of an empty workspace database, on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'workspace.sqlite3'}"
    return fresh_postgres_db(request.getfixturevalue("postgres_admin"))


@pytest.fixture
def ws(ws_url):
    """An opened (migrated) workspace store on each backend."""
    from fusion_partners.workspace import open_workspace

    store = open_workspace(ws_url)
    yield store
    store.dispose()
