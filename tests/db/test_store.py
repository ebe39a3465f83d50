"""Crash safety: an import killed at any point leaves the CSVs and the database consistent."""

import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from fusion_partners.data import recovery
from fusion_partners.data import transaction as store
from fusion_partners.data.build import build
from fusion_partners.data.load import load_curated
from fusion_partners.data.roster import ORGANISATION_COLUMNS, ValidationError
from fusion_partners.db import connect_readonly
from fusion_partners.importing.curate import load_organisations

FILES = Path(__file__).resolve().parents[1] / "import_files"


@pytest.fixture
def data(data_copy):
    build(data_copy, data_copy / "fusion_partners.duckdb")
    return data_copy


def snapshot(data: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


def run_import(data: Path, crash_at: str | None) -> subprocess.CompletedProcess:
    env = {**os.environ, "FPF_CRASH_AT": crash_at or ""}
    env.pop("FPF_DB_PATH", None)
    cmd = [
        sys.executable,
        "-m",
        "fusion_partners.importing.cli",
        str(FILES / "user_sheet.csv"),
        "--apply",
        "--data-dir",
        str(data),
        "--source-url",
        "https://council.example/members",
    ]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, check=False, timeout=300)


def db_count(data: Path) -> int:
    con = connect_readonly(data / "fusion_partners.duckdb")
    try:
        return con.execute("SELECT count(*) FROM organisations").fetchone()[0]
    finally:
        con.close()


# Renames happen in this order: organisations.csv, imports.csv, history.csv, the database.
ROLLED_BACK = ["staged", "journal", "replaced-1", "replaced-2", "replaced-3", "replaced-4"]


@pytest.mark.parametrize("point", ROLLED_BACK)
def test_an_import_killed_before_its_commit_point_is_rolled_back_on_recovery(data, point):
    before = snapshot(data)
    result = run_import(data, point)
    assert result.returncode == -signal.SIGKILL, result.stderr
    assert recovery.needs_recovery(data, data / "fusion_partners.duckdb")
    outcome = recovery.recover(data, data / "fusion_partners.duckdb")
    assert outcome == ("cleaned" if point == "staged" else "rolled_back")
    assert snapshot(data) == before  # CSVs and the database file, byte for byte
    assert db_count(data) == 11  # the database still opens
    assert not load_curated(data).errors
    assert not any(p.name.startswith((".staging-", ".transaction")) for p in data.iterdir())


def test_an_import_killed_after_its_commit_point_keeps_csvs_and_database_in_step(data):
    result = run_import(data, "committed")
    assert result.returncode == -signal.SIGKILL
    recovery.recover(data, data / "fusion_partners.duckdb")
    assert len(load_organisations(data / "organisations.csv")) == db_count(data) == 12
    con = connect_readonly(data / "fusion_partners.duckdb")
    try:
        assert con.execute("SELECT count(*) FROM imports").fetchone()[0] == 1
    finally:
        con.close()


def test_the_next_import_recovers_first_and_then_succeeds(data):
    before = snapshot(data)
    assert run_import(data, "replaced-2").returncode == -signal.SIGKILL
    ok = run_import(data, None)
    assert ok.returncode == 0, ok.stderr
    after = snapshot(data)
    assert after["organisations.csv"] != before["organisations.csv"]
    assert len(load_organisations(data / "organisations.csv")) == db_count(data) == 12


def test_the_build_command_rolls_back_an_interrupted_import(data):
    before = snapshot(data)["organisations.csv"]
    assert run_import(data, "replaced-1").returncode == -signal.SIGKILL
    env = {k: v for k, v in os.environ.items() if k not in ("FPF_DB_PATH", "FPF_CRASH_AT")}
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "fusion_partners.data.build",
            "--data-dir",
            str(data),
            "--db",
            str(data / "fusion_partners.duckdb"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert out.returncode == 0 and "rolled back" in out.stderr
    assert snapshot(data)["organisations.csv"] == before


def test_invalid_staged_data_writes_nothing(data):
    before = snapshot(data)
    rows = load_organisations(data / "organisations.csv")
    rows[0]["country"] = "XX"
    with (
        pytest.raises(ValidationError),
        store.transaction(data, data / "fusion_partners.duckdb") as tx,
    ):
        tx.write("organisations.csv", ORGANISATION_COLUMNS, rows)
    assert snapshot(data) == before
    assert not recovery.needs_recovery(data, data / "fusion_partners.duckdb")


def test_an_error_inside_the_transaction_writes_nothing(data):
    before = snapshot(data)
    with (
        pytest.raises(RuntimeError),
        store.transaction(data, data / "fusion_partners.duckdb") as tx,
    ):
        tx.write("organisations.csv", ORGANISATION_COLUMNS, [])
        raise RuntimeError("boom")
    assert snapshot(data) == before


def test_recovery_never_runs_while_another_writer_holds_the_lock(data):
    (data / ".staging-someone").mkdir()
    with recovery.write_lock(data):
        assert recovery.recover(data, data / "fusion_partners.duckdb") == "busy"
        assert (data / ".staging-someone").exists()
    assert recovery.recover(data, data / "fusion_partners.duckdb") == "cleaned"


def test_backups_of_replaced_files_are_kept(data):
    assert run_import(data, None).returncode == 0
    (backup,) = list((data / "backups").iterdir())
    assert {p.name for p in backup.iterdir()} == {"organisations.csv", "fusion_partners.duckdb"}
