"""Build the DuckDB database from the curated CSVs (a separate step, never in the app).

Command line::

    python -m fusion_partners.data.build [--data-dir DIR] [--db PATH] [--check]

``--check`` validates only. The build validates first and stops on any error, printing
every problem with file, row, column and reason. It writes a new file next to the target
and renames it into place, so readers never see a half-built database.

Reading and validating the folder is :mod:`fusion_partners.data.load`; the rows written
are made by :mod:`fusion_partners.data.tables` and, for search,
:mod:`fusion_partners.data.search_index`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pyarrow as pa

from fusion_partners import config
from fusion_partners.data import recovery
from fusion_partners.data.load import Curated, load_curated
from fusion_partners.data.roster import ValidationError, parse_source_date, split_list
from fusion_partners.data.search_index import SEARCH_TOKENS_SQL, alias_terms, synonyms_table
from fusion_partners.data.tables import (
    leaves_table,
    links_table,
    log_tables,
    memberships_table,
    organisation_table,
    places_table,
    rules_table,
    sources_table,
    taxonomy_table,
)
from fusion_partners.data.units import UNITS_SQL, units_params
from fusion_partners.db import connect_writable

SCHEMA_FILE = "schema.sql"
"""The schema file in the data folder (DuckDB DDL of every table the build fills)."""


# Rarity of each capability, computed once per build (see partners.py for the formula).
_CAPABILITY_STATS_SQL = """
    INSERT INTO capability_stats
    SELECT c.slug, count(oc.org_id)::INTEGER AS n_orgs,
           CASE WHEN count(oc.org_id) > 0
                THEN ln((SELECT count(*) FROM organisations) / count(oc.org_id)) END AS idf
    FROM capabilities c LEFT JOIN organisation_capabilities oc ON oc.capability = c.slug
    GROUP BY c.slug
"""

# Offer and need counts and the rarity of each leaf (idf over offers).
LINK_PARTNER_COUNTRIES_SQL = (
    "INSERT INTO link_partner_countries SELECT x.id, p.country, count(DISTINCT x.partner)::INTEGER "
    "FROM (SELECT org_a AS id, org_b AS partner FROM links UNION ALL SELECT org_b, org_a FROM links) x "
    "JOIN organisations p ON p.id = x.partner GROUP BY 1, 2"
)
"""Fills ``link_partner_countries`` (documented partners per organisation and partner country)
from ``links``; the evaluation re-runs it after removing links (leave-source-out)."""

_LEAF_STATS_SQL = """
    INSERT INTO capability_leaves
    SELECT l.*,
           count(f.org_id) FILTER (WHERE f.facet = 'offer')::INTEGER AS n_offer,
           count(f.org_id) FILTER (WHERE f.facet = 'need')::INTEGER AS n_need,
           CASE WHEN count(f.org_id) FILTER (WHERE f.facet = 'offer') > 0
                THEN ln((SELECT count(*) FROM organisations)
                        / count(f.org_id) FILTER (WHERE f.facet = 'offer')) END AS idf
    FROM leaves_in l LEFT JOIN organisation_facets f ON f.leaf = l.slug
    GROUP BY ALL ORDER BY l.sort_order
"""


def data_as_of(curated: Curated) -> str:
    """The newest source date in the data (``YYYY-MM-DD`` or ``YYYY-MM``), ``""`` when none."""
    dated = [
        (parse_source_date(o["source_date"]), o["source_date"])
        for o in curated.organisations
        if o.get("source_date")
    ]
    return max(dated)[1] if dated else ""


def write_database(curated: Curated, schema_sql: str, db_path: Path) -> None:
    """Create ``db_path`` from validated data, atomically (temp file + rename).

    Raises:
        ValidationError: when ``curated`` has errors.
        duckdb.Error: when the database cannot be written.
        DataError: when the configured DuckDB limits are unusable (see :func:`config.duckdb_settings`).
    """
    if curated.errors:
        raise ValidationError(curated.problems)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(db_path.name + f".building-{os.getpid()}")
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    orgs = organisation_table(curated)
    taxonomy = taxonomy_table(curated)
    sources = sources_table(curated)
    imports, history = log_tables(curated)
    places = places_table(curated)
    rules = rules_table(curated)
    meta = pa.table(
        {
            "key": ["data_as_of", "built_at", "organisation_count", "rosters"],
            "value": [
                data_as_of(curated),
                dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                str(len(curated.organisations)),
                ";".join(
                    sorted(
                        {r for o in curated.organisations for r in split_list(o.get("rosters", ""))}
                    )
                ),
            ],
        }
    )
    try:
        con = connect_writable(tmp)  # with the configured memory, thread and temp limits
        try:
            con.execute(schema_sql)
            con.register("taxonomy_in", taxonomy)
            con.register("orgs_in", orgs)
            con.register("sources_in", sources)
            con.register("meta_in", meta)
            con.register("imports_in", imports)
            con.register("history_in", history)
            con.register("places_in", places)
            con.register("rules_in", rules)
            # Each statement commits on its own: a table's primary-key index is built from
            # that statement's rows alone and merged before the next table loads. One
            # transaction around the whole load kept every table's uncommitted rows and
            # its transaction-local index in memory until COMMIT, which then built the
            # table indexes next to them: over the 1 GB default limit at 1M organisations.
            # Readers never see a half-built file either way (temp file + rename).
            con.execute("INSERT INTO capabilities SELECT * FROM taxonomy_in")
            con.execute(
                "INSERT INTO organisations BY NAME SELECT * EXCLUDE (sort_ja), "
                "row_number() OVER (ORDER BY lower(coalesce(name_en, name_ja)), id)::INTEGER AS name_rank, "
                "row_number() OVER (ORDER BY sort_ja, id)::INTEGER AS name_rank_ja, "
                "len(string_split(source_urls, ' '))::INTEGER AS n_sources FROM orgs_in"
            )
            con.execute(UNITS_SQL, units_params())
            con.execute(SEARCH_TOKENS_SQL)
            con.execute(
                "INSERT INTO organisation_capabilities "
                "SELECT id, unnest(capabilities) FROM organisations"
            )
            con.execute("INSERT INTO sources SELECT * FROM sources_in")
            con.execute("INSERT INTO meta SELECT * FROM meta_in")
            con.execute("INSERT INTO imports BY NAME SELECT * FROM imports_in")
            con.execute("INSERT INTO record_history BY NAME SELECT * FROM history_in")
            con.execute("INSERT INTO places BY NAME SELECT * FROM places_in")
            con.execute("INSERT INTO partner_rules BY NAME SELECT * FROM rules_in")
            con.register(
                "aliases_in", pa.table({"term_key": pa.array(alias_terms(curated), pa.string())})
            )
            con.execute("INSERT INTO alias_terms SELECT * FROM aliases_in")
            con.register("synonyms_in", synonyms_table(curated))
            con.execute("INSERT INTO search_synonyms BY NAME SELECT * FROM synonyms_in")
            con.execute(_CAPABILITY_STATS_SQL)
            # Stored in (facet, leaf) order: the partner finder reads the rows of a few leaves of
            # one facet, and the per-row-group min/max of facet and leaf then skip the others.
            con.execute(
                "INSERT INTO organisation_facets SELECT DISTINCT id, 'offer', unnest(offers) FROM organisations "
                "UNION SELECT DISTINCT id, 'need', unnest(needs) FROM organisations "
                "UNION SELECT DISTINCT id, 'implied', unnest(implied_needs) FROM organisations "
                "ORDER BY 2, 3, 1"
            )
            con.register("leaves_in", leaves_table(curated))
            con.execute(_LEAF_STATS_SQL)
            con.register("links_in", links_table(curated))
            con.execute("INSERT INTO links BY NAME SELECT * FROM links_in")
            con.execute(LINK_PARTNER_COUNTRIES_SQL)
            con.register("memberships_in", memberships_table(curated))
            con.execute("INSERT INTO memberships BY NAME SELECT * FROM memberships_in")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, db_path)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)


def build(data_dir: Path | None = None, db_path: Path | None = None) -> Curated:
    """Validate ``data_dir`` and write the database to ``db_path`` (defaults from config).

    Returns:
        The validated data (with any warnings in ``problems``).

    Raises:
        ValidationError: when the data has errors (nothing is written).
    """
    data_dir = data_dir or config.data_dir()
    db_path = db_path or config.db_path()
    curated = load_curated(data_dir)
    if curated.errors:
        raise ValidationError(curated.problems)
    write_database(curated, (data_dir / SCHEMA_FILE).read_text(encoding="utf-8"), db_path)
    return curated


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m fusion_partners.data.build",
        description="Validate the curated CSVs and build the DuckDB file.",
    )
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--check", action="store_true", help="validate only; write nothing")
    args = parser.parse_args(argv)
    data_dir = args.data_dir or config.data_dir()
    curated = load_curated(data_dir)
    for problem in curated.problems:
        print(problem, file=sys.stderr)
    if curated.errors:
        print(f"{len(curated.errors)} error(s); database not built.", file=sys.stderr)
        return 1
    if args.check:
        print(
            f"{len(curated.organisations)} organisations valid ({len(curated.problems)} warning(s))."
        )
        return 0
    db = args.db or config.db_path()
    with recovery.write_lock(
        data_dir
    ):  # recover an interrupted import first; never build during one
        if recovery.recover_locked(data_dir, db) == "rolled_back":
            print("An interrupted import was rolled back.", file=sys.stderr)
            curated = load_curated(data_dir)
            if curated.errors:
                print(f"{len(curated.errors)} error(s); database not built.", file=sys.stderr)
                return 1
        build(data_dir, db)
    print(
        f"Built {db.name}: {len(curated.organisations)} organisations, {len(curated.taxonomy)} capabilities."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
