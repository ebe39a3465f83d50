"""Import faults handled as classes: control characters, Western encodings, name-only member
lists, names kept as aliases, values the file gives differently, ignored columns, safe echo."""

import csv
from pathlib import Path

import pytest

from fusion_partners.data.build import build
from fusion_partners.importing import cli
from fusion_partners.importing.curate import load_organisations
from fusion_partners.importing.merge import add_alias, merge_record
from fusion_partners.importing.planner import plan
from fusion_partners.importing.preview import findings_csv
from fusion_partners.importing.request import ImportFile, ImportOptions, ImportRequest
from fusion_partners.importing.upload import read_table

TESTS = Path(__file__).resolve().parents[1]
SOURCE = "https://council.example/members"


def taxonomy():
    with (TESTS / "data" / "capabilities.csv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def request(name, data, decisions=(), countries=(), **options) -> ImportRequest:
    return ImportRequest(
        (ImportFile.guessed(read_table(data, name)),),
        (),
        tuple(decisions),
        ImportOptions(**options),
        tuple(countries),
    )


@pytest.fixture
def orgs():
    with (TESTS / "data" / "organisations.csv").open(encoding="utf-8") as fh:
        return [dict(r) for r in csv.DictReader(fh)]


@pytest.fixture
def data(data_copy):
    build(data_copy, data_copy / "fusion_partners.duckdb")
    return data_copy


def keys(row):
    return [f.key for f in row.findings]


# --- control characters --------------------------------------------------------------------


def test_a_control_character_in_a_cell_keeps_the_file_and_warns_naming_row_and_column(orgs):
    sheet = b"Organisation,Country,Capabilities\nVertical\x0bTab Test Ltd,UK,Magnets\nBell Test Ltd,UK,Mag\x07nets\n"
    p = plan(request("vt.csv", sheet, source_url=SOURCE), orgs, taxonomy())
    first, second = p.rows
    assert first.status == "new" and first.values["name_en"] == "Vertical Tab Test Ltd"
    assert second.status == "new" and second.values["capabilities"] == "magnets_superconductors"
    warning = next(f for f in first.findings if f.key == "upload.warning.control_chars")
    assert warning.severity == "warning" and warning.where() == "Organisation"
    assert warning.message() == (
        "Row 2, column “Organisation”: control characters (U+000B) were taken out of the "
        "cell; the rest of the cell is imported."
    )
    assert "3行目の列「Capabilities」" in next(
        f for f in second.findings if f.key == "upload.warning.control_chars"
    ).message("ja")
    assert any("U+0007" in r for r in findings_csv(p).decode("utf-8-sig").splitlines())


# --- Windows-1252 -------------------------------------------------------------------------


def test_a_windows_1252_member_list_imports_with_its_accents(orgs):
    sheet = "Organisation,Country,Capabilities\nCafé Fusion Test Ltd,UK,Magnets\n".encode("cp1252")
    p = plan(request("uk.csv", sheet, source_url=SOURCE), orgs, taxonomy())
    assert p.rows[0].status == "new" and p.rows[0].values["name_en"] == "Café Fusion Test Ltd"
    out = cli.describe(p, request("uk.csv", sheet, source_url=SOURCE))
    assert out.startswith("uk.csv: Windows-1252, comma-separated")


# --- name-only member lists ---------------------------------------------------------------


NAMES = "Member\nHarbour's Edge Plasma Test Ltd\nUniversity of Sample\nBrand New Fusion Test Ltd\n"


def test_a_name_only_list_merges_known_names_with_the_councils_membership_and_waits_for_the_rest(
    orgs,
):
    req = request(
        "cluster.csv", NAMES.encode(), source_url=SOURCE, council="fusion_cluster", member_list=True
    )
    p = plan(req, orgs, taxonomy())
    edge, uni, new = p.rows
    assert (edge.status, edge.org_id, uni.status, uni.org_id) == (
        "update",
        "harbour-edge",
        "update",
        "sample-university",
    )
    assert edge.country_from == "roster" and "import.problem.country_from_roster" in keys(edge)
    after = {o["id"]: o for o in p.after}
    assert (
        after["harbour-edge"]["membership"] == "fusion_cluster"
        and after["sample-university"]["membership"] == "fusion_cluster"
    )
    assert SOURCE in after["harbour-edge"]["source_urls"]
    assert new.status == "country" and "import.problem.country_needed" in keys(new)
    assert p.counts()["country"] == 1 and p.state() == ("ready", {**p.state()[1], "waiting": 1})


def test_a_name_only_list_takes_a_country_for_the_whole_file_or_per_row(orgs):
    options = {"source_url": SOURCE, "council": "fusion_cluster", "member_list": True}
    for_file = plan(
        request("cluster.csv", NAMES.encode(), country="GB", **options), orgs, taxonomy()
    )
    new = for_file.rows[2]
    # a new record needs a capability: a name alone can update records, not create them
    assert new.values["country"] == "GB" and new.country_from == "file"
    assert new.status == "error" and "import.problem.capability_none" in keys(new)
    per_row = plan(
        request("cluster.csv", NAMES.encode(), countries=[((0, 4), "JP")], **options),
        orgs,
        taxonomy(),
    )
    assert per_row.rows[2].values["country"] == "JP" and per_row.rows[2].country_from == "row"
    # a stated country in the file is never overridden by the file-wide choice
    stated = plan(
        request(
            "s.csv", b"Organisation,Country\nUniversity of Sample,UK\n", country="JP", **options
        ),
        orgs,
        taxonomy(),
    )
    assert stated.rows[0].values["country"] == "GB" and stated.rows[0].org_id == "sample-university"


def test_a_name_matching_organisations_in_two_countries_waits_for_a_country(orgs):
    orgs.append(
        {
            **orgs[-1],
            "id": "edge-jp",
            "name_en": "Harbour's Edge Plasma Test Ltd",
            "name_ja": "",
            "country": "JP",
        }
    )
    p = plan(request("c.csv", NAMES.encode(), source_url=SOURCE), orgs, taxonomy())
    assert p.rows[0].status == "country"


def test_a_japanese_name_only_list_without_header_maps_to_the_japanese_name(orgs):
    text = "株式会社さくら炉心試験\nサンプル商事株式会社\n"
    req = request(
        "jf.csv", text.encode("cp932"), source_url=SOURCE, council="j_fusion", member_list=True
    )
    assert req.files[0].mapping == ((0, "name_ja"),)
    p = plan(req, orgs, taxonomy())
    assert [(r.status, r.org_id) for r in p.rows] == [
        ("update", "sakura-roshin-shiken"),
        ("update", "sample-trading"),
    ]


def test_the_command_line_takes_country_and_per_row_country(data, tmp_path, capsys):
    path = tmp_path / "cluster.csv"
    path.write_text(NAMES, encoding="utf-8")
    base = [
        str(path),
        "--data-dir",
        str(data),
        "--source-url",
        SOURCE,
        "--council",
        "fusion_cluster",
        "--member-list",
    ]
    assert cli.main(base) == 0
    out = capsys.readouterr().out
    assert "no header row" not in out and "a list of names only" in out and "country" in out
    assert "0:4 country" in out
    assert cli.main([*base, "--country", "UK"]) == 0
    out = capsys.readouterr().out  # now a would-be new record, and a record needs a capability
    assert "0:4 error" in out and "a new record needs at least one" in out
    assert cli.main([*base, "--decide", "4=country:Japan"]) == 0
    assert "0:4 error" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        cli.main([*base, "--country", "Atlantis"])
    assert cli.main([*base, "--apply", "--user", "cli"]) == 0
    after = {o["id"]: o for o in load_organisations(data / "organisations.csv")}
    assert after["harbour-edge"]["membership"] == "fusion_cluster"


# --- auto-merge never drops a value -------------------------------------------------------


def test_a_differently_written_name_of_an_auto_merged_row_becomes_an_alias(orgs):
    sheet = "Organisation,組織名,Country,Capabilities\nSample Trading Corp.,サンプル商事（株）,Japan,Materials\n".encode()
    p = plan(request("s.csv", sheet, source_url=SOURCE), orgs, taxonomy())
    (row,) = p.rows
    record = next(o for o in p.after if o["id"] == "sample-trading")
    assert row.status == "update" and "aliases" in row.changed
    assert record["name_en"] == "Sample Trading Corporation" and record["aliases"].split(";") == [
        "Sample Trading Corp.",
        "サンプル商事（株）",
    ]
    assert "import.problem.alias_added" in keys(row)


def test_an_alias_is_not_added_for_widths_case_or_punctuation_only():
    record = {"name_en": "Kyoto Sample Fusioneering Ltd.", "name_ja": "", "aliases": "KSF"}
    for same in (
        "Kyoto Sample Fusioneering Ltd",
        "ＫＹＯＴＯ ＳＡＭＰＬＥ ＦＵＳＩＯＮＥＥＲＩＮＧ ＬＴＤ",
        "ksf",
    ):
        assert not add_alias(record, same)
    assert (
        add_alias(record, "Kyoto Sample Fusioneering")
        and record["aliases"] == "KSF;Kyoto Sample Fusioneering"
    )


def test_the_curation_merge_keeps_its_names_unless_asked():
    current = {
        "name_en": "A Test Ltd",
        "name_ja": "",
        "capabilities": "",
        "source_urls": "",
        "aliases": "",
    }
    merge_record(
        current,
        {"name_en": "A Test Limited Partnership", "capabilities": "", "source_urls": ""},
        "r",
    )
    assert current["aliases"] == ""


def test_values_the_file_gives_differently_are_kept_with_a_warning_or_replaced_on_request(orgs):
    sheet = b"Organisation,Country,Location,Capabilities\nUniversity of Sample,UK,Heslington,Materials\n"
    kept = plan(request("s.csv", sheet, source_url=SOURCE), orgs, taxonomy())
    (row,) = kept.rows
    assert row.status == "update" and row.conflicts == (
        ("prefecture_or_city", "York", "Heslington"),
    )
    warning = next(f for f in row.findings if f.key == "import.problem.differs")
    assert "Location: York → Heslington" in warning.message()
    assert (
        next(o for o in kept.after if o["id"] == "sample-university")["prefecture_or_city"]
        == "York"
    )
    replaced = plan(
        request("s.csv", sheet, decisions=[((0, 2), "replace")], source_url=SOURCE),
        orgs,
        taxonomy(),
    )
    assert (
        next(o for o in replaced.after if o["id"] == "sample-university")["prefecture_or_city"]
        == "Heslington"
    )
    assert "import.problem.differs" not in keys(replaced.rows[0])


# --- ignored columns ----------------------------------------------------------------------


def test_columns_the_roster_does_not_store_are_listed_as_ignored(orgs):
    sheet = (
        b"Organisation,Country,Capabilities,Company number,Employees,Year founded,Favourite colour\n"
        b"A Test Ltd,UK,Magnets,00012345,12,1999,blue\n"
    )
    req = request("s.csv", sheet, source_url=SOURCE)
    f = req.files[0]
    assert [h for _, h in f.ignored_columns()] == [
        "Company number",
        "Employees",
        "Year founded",
        "Favourite colour",
    ]
    out = cli.describe(plan(req, orgs, taxonomy()), req)
    assert (
        "not stored (no roster field): Company number, Employees, Year founded, Favourite colour"
        in out
    )


# --- the command line echoes file text safely ----------------------------------------------


def test_the_command_line_never_prints_bidirectional_or_control_characters_from_a_file(
    data, tmp_path, capsys
):
    path = tmp_path / "evil\u202e.csv"
    path.write_bytes(
        "Organisation\u202e,Country,Capabilities\nEvil\u202eLtd\u200b,UK,Mag\x1b[31mnets\nX\u2066Ltd,Atlantis\u202e,x\n".encode()
    )
    cli.main([str(path), "--data-dir", str(data), "--source-url", SOURCE])
    out = capsys.readouterr().out
    for bad in ("\u202e", "\u2066", "\u200b", "\x1b"):
        assert bad not in out
    assert "EvilLtd" in out and "Atlantis" in out
