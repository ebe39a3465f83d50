"""Validation reports every problem with file, row, column and reason; build stops on errors."""

import csv

import pytest

from fusion_partners.data.build import build
from fusion_partners.data.load import load_curated
from fusion_partners.data.roster import ValidationError


def _rewrite(path, edit):
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0].keys())
    edit(rows)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        (
            0,
            "capabilities",
            "magnets_superconductors;warp_drive",
            "unknown capability slug 'warp_drive'",
        ),
        (1, "country", "UK", "'UK' is not an ISO 3166-1 alpha-2 country code"),
        (2, "source_urls", "", "missing source URL"),
        (3, "source_urls", "not-a-url", "malformed source URL"),
        (4, "id", "tokamak-test", "duplicate id 'tokamak-test'"),
        (5, "source_date", "2024-13-01", "month must be in 1..12"),
        (6, "source_date", "March 2024", "is not YYYY-MM-DD or YYYY-MM"),
        (7, "org_type", "spaceship", "unknown organisation type"),
        (8, "membership", "member", "unknown membership"),
        (9, "confidence", "sure", "unknown confidence"),
        (2, "id", "Bad Id", "must be lower-case"),
        (0, "name_en", "", "missing name"),
        (4, "capabilities", "", "no capability given"),
    ],
)
def test_each_error_is_reported_with_file_row_column_and_reason(
    data_copy, row, column, value, reason
):
    def edit(rows):
        rows[row][column] = value

    _rewrite(data_copy / "organisations.csv", edit)
    errors = load_curated(data_copy).errors
    match = [p for p in errors if p.column == column and reason in p.reason]
    assert match, [str(p) for p in errors]
    assert match[0].file == "organisations.csv"
    assert match[0].row == row + 2  # header is line 1


def test_all_problems_are_reported_at_once(data_copy):
    def edit(rows):
        rows[0]["country"] = "XX"
        rows[1]["capabilities"] = "nope"
        rows[2]["source_urls"] = ""

    _rewrite(data_copy / "organisations.csv", edit)
    assert len(load_curated(data_copy).errors) == 3


def test_warnings_do_not_stop_the_build(data_copy, tmp_path):
    def edit(rows):
        rows[0]["source_date"] = "2999-01-01"

    _rewrite(data_copy / "organisations.csv", edit)
    curated = build(data_copy, tmp_path / "w.duckdb")
    assert [p.severity for p in curated.problems] == ["warning"]


def test_build_with_errors_writes_nothing_and_keeps_the_old_database(data_copy, tmp_path):
    db = tmp_path / "keep.duckdb"
    build(data_copy, db)
    before = db.read_bytes()

    def edit(rows):
        rows[0]["country"] = "ZZ"

    _rewrite(data_copy / "organisations.csv", edit)
    with pytest.raises(ValidationError) as info:
        build(data_copy, db)
    assert "organisations.csv:2 [country]" in str(info.value)
    assert db.read_bytes() == before


def test_missing_and_undecodable_files_are_reported(data_copy):
    (data_copy / "capabilities.csv").unlink()
    assert load_curated(data_copy).errors[0].reason == "file is missing"


def test_cp932_file_is_reported_not_crashed(data_copy):
    path = data_copy / "organisations.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp932", errors="replace"))
    errors = load_curated(data_copy).errors
    assert errors and "UTF-8" in errors[0].reason


def test_unknown_taxonomy_slug_format_is_an_error(data_copy):
    def edit(rows):
        rows[0]["slug"] = "Bad Slug"

    _rewrite(data_copy / "capabilities.csv", edit)
    assert any(
        p.file == "capabilities.csv" and p.column == "slug" for p in load_curated(data_copy).errors
    )


def test_bad_synonym_groups_are_reported(data_copy):
    (data_copy / "search_synonyms.csv").write_text(
        "terms,note\nalone,only one term\nfusion;核融合,ok\n核融合;nuclear fusion,repeats a term\n"
        "magnet;「磁石」,a separator\n",
        encoding="utf-8",
    )
    problems = [p for p in load_curated(data_copy).errors if p.file == "search_synonyms.csv"]
    reasons = [p.reason for p in problems]
    assert any("at least two" in r for r in reasons)
    assert any("already in the group on line 3" in r for r in reasons)
    assert [p.row for p in problems if "cannot be searched as written" in p.reason] == [5]


def test_a_synonym_of_several_words_is_valid(data_copy):
    (data_copy / "search_synonyms.csv").write_text(
        "terms,note\nuk;united kingdom;英国,short form and full name\n", encoding="utf-8"
    )
    curated = load_curated(data_copy)
    assert not [p for p in curated.problems if p.file == "search_synonyms.csv"]
    assert curated.synonyms == [["uk", "united kingdom", "英国"]]


def test_a_source_dated_after_the_records_source_date_is_a_warning(data_copy):
    """The source date is the newest source's: a source URL whose path carries a later date
    (a press release added after the record was researched) is flagged."""

    def edit(rows):
        rows[0]["source_date"] = "2024-04-08"
        rows[0]["source_urls"] = "https://example.org/2025/06/19/news https://example.org/a"
        rows[1]["source_date"] = "2025-06"
        rows[1]["source_urls"] = "https://example.org/news/20250619/1"  # same month: fine

    _rewrite(data_copy / "organisations.csv", edit)
    problems = [p for p in load_curated(data_copy).problems if p.column == "source_date"]
    assert [(p.row, p.severity) for p in problems] == [(2, "warning")]
    assert "2025-06-19" in problems[0].reason


@pytest.mark.parametrize(
    ("url", "date"),
    [
        ("https://tokamakenergy.com/2025/06/19/tokamak-energy-and-furukawa/", "2025-06-19"),
        ("https://optronics-media.com/news/20240408/90016", "2024-04-08"),
        ("https://example.org/2025/13/01/x", None),  # no 13th month
        ("https://example.org/release/2024/kenkai_20240118.html", None),  # not a path segment
        ("https://example.org/p/35410", None),
    ],
)
def test_a_source_urls_date_is_read_from_its_path(url, date):
    from fusion_partners.data.roster import url_date

    found = url_date(url)
    assert (found.isoformat() if found else None) == date


def test_the_shipped_records_are_not_older_than_their_sources():
    from fusion_partners import config

    problems = load_curated(config.PROJECT_ROOT / "data").problems
    assert not [p for p in problems if "older than a source" in p.reason]
