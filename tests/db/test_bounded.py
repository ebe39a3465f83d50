"""Bounded at any size: DuckDB limits from configuration, candidate links paired among a bounded
set of organisations, and Insights and the Partner finder finishing on a 100,000-organisation
roster under a low memory limit (where the unbounded network query ran out of memory)."""

from __future__ import annotations

import pandas as pd
import pytest
from bench.synthetic import synthetic_database

from fusion_partners import config, queries
from fusion_partners.db import DataError, QueryFailed, connect_readonly, connect_writable
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.insights.analysis import LinkScope
from fusion_partners.insights.landscape import charts_for
from fusion_partners.insights.style import chart_context
from fusion_partners.partners import links_sql
from fusion_partners.partners import sql as qp
from fusion_partners.partners.query import PartnerQuery

LOW = {"memory_limit": "128MB", "threads": 1, "max_temp_directory_size": "256MB"}
"""A low limit: 128 MB of DuckDB memory and 256 MB of spill (the unbounded Japan–UK
candidate-links query used more than 4 GB at 100,000 organisations)."""


def _setting(con, name: str) -> str:
    return con.execute("SELECT current_setting($n)", {"n": name}).fetchone()[0]


# ------------------------------------------------------------------ configuration


def test_connections_carry_the_configured_limits(monkeypatch, fixture_db, tmp_path):
    monkeypatch.setenv("FPF_DUCKDB_MEMORY_LIMIT", "300MB")
    monkeypatch.setenv("FPF_DUCKDB_THREADS", "1")
    monkeypatch.setenv("FPF_DUCKDB_TEMP_DIRECTORY", str(tmp_path / "spill"))
    monkeypatch.setenv("FPF_DUCKDB_MAX_TEMP_SIZE", "1GB")
    con = connect_readonly(fixture_db)
    try:
        assert _setting(con, "memory_limit") == "286.1 MiB"  # 300 MB as DuckDB prints it
        assert _setting(con, "threads") == 1
        assert _setting(con, "temp_directory") == str(tmp_path / "spill")
        assert (tmp_path / "spill").is_dir()
    finally:
        con.close()
    writer = connect_writable(tmp_path / "w.duckdb")
    try:
        assert _setting(writer, "memory_limit") == "286.1 MiB" and _setting(writer, "threads") == 1
    finally:
        writer.close()


def test_defaults_are_safe_when_nothing_is_set(monkeypatch):
    for name in (
        "FPF_DUCKDB_MEMORY_LIMIT",
        "FPF_DUCKDB_THREADS",
        "FPF_DUCKDB_TEMP_DIRECTORY",
        "FPF_DUCKDB_MAX_TEMP_SIZE",
    ):
        monkeypatch.delenv(name, raising=False)
    settings = config.duckdb_settings()
    assert settings["memory_limit"] == "1GB" and settings["threads"] == 2
    assert settings["max_temp_directory_size"] == "4GB" and settings["temp_directory"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FPF_DUCKDB_MEMORY_LIMIT", "lots"),
        ("FPF_DUCKDB_MEMORY_LIMIT", "0GB"),
        ("FPF_DUCKDB_MEMORY_LIMIT", "-1GB"),
        ("FPF_DUCKDB_THREADS", "0"),
        ("FPF_DUCKDB_THREADS", "two"),
        ("FPF_DUCKDB_MAX_TEMP_SIZE", "10 parsecs"),
    ],
)
def test_an_unusable_setting_is_refused_with_its_name(monkeypatch, fixture_db, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(DataError, match=name):
        connect_readonly(fixture_db)


def test_a_query_over_the_limit_fails_with_a_message_not_the_server(fixture_db, tmp_path):
    con = connect_readonly(
        fixture_db,
        {
            **LOW,
            "memory_limit": "8MB",
            "max_temp_directory_size": "1MB",
            "temp_directory": str(tmp_path),
        },
    )
    try:
        with pytest.raises(QueryFailed, match="(?i)memory"):
            queries.fetch_rows(con, "SELECT list(range) FROM range(50000000) GROUP BY range % 3")
    finally:
        con.close()


# ------------------------------------------------------------------ the bound on candidate links


@pytest.mark.parametrize("kind", ["supply_chain", "joint_research", "demonstration", "innovation"])
def test_links_scoring_above_every_left_out_bound_are_the_true_strongest(real_db, kind):
    """Pair only a few organisations per side: every link found above the best bound of those
    left out is the same link with the same score as when everyone is paired, and every
    true link above that bound is found."""
    con = connect_readonly(real_db)
    try:
        full = links_sql.candidate_links(con, Filters(), kind, None, 5000)
        assert (
            links_sql.candidate_link_scope(con, Filters(), kind)
            and LinkScope.from_query(links_sql.candidate_link_scope(con, Filters(), kind)).complete
        )  # the shipped roster is paired whole
        part = links_sql.candidate_links(con, Filters(), kind, None, 5000, per_side=8)
        scope = LinkScope.from_query(
            links_sql.candidate_link_scope(con, Filters(), kind, per_side=8)
        )
    finally:
        con.close()
    assert not scope.complete and scope.best_left_out is not None
    assert all(n <= 16 for _, n in scope.paired)  # 8 per side of the rules, per country
    assert len(part) < len(full)

    def above(df: pd.DataFrame) -> set[tuple[str, str, float]]:
        return {
            (r.source_id, r.target_id, r.score)
            for r in df.itertuples()
            if r.score > scope.best_left_out
        }

    assert above(part) == above(full)


def test_a_bounded_network_says_whom_it_paired(real_db):
    con = connect_readonly(real_db)
    try:
        links = links_sql.candidate_links(con, Filters(), "supply_chain", None, 5000, per_side=8)
        scope = LinkScope.from_query(
            links_sql.candidate_link_scope(con, Filters(), "supply_chain", per_side=8)
        )
        from fusion_partners.insights.analysis import link_network
        from fusion_partners.insights.network_chart import link_network_chart

        tax = Taxonomy.from_frame(queries.taxonomy(con), queries.capability_leaves(con))
        ids = tuple(sorted(set(links["source_id"]) | set(links["target_id"])))
        net = link_network(
            links, queries.insights.nodes_by_id(con, ids), kind="supply_chain", scope=scope
        )
        for lang, words in (("en", "links were sought"), ("ja", "リンクを探しました")):
            chart = link_network_chart(
                net, tax, chart_context(Filters(), tax, queries.meta(con), lang)
            )
            assert words in chart.summary and words in chart.notes[0]
    finally:
        con.close()
    assert net.sampled and not net.exact  # 60 links from 8 per side cannot all beat the bound


# ------------------------------------------------------------------ 100,000 organisations, low memory


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    db = tmp_path_factory.mktemp("big") / "syn100k.duckdb"
    synthetic_database(100_000, db, seed=1)
    con = connect_readonly(db, {**LOW, "temp_directory": str(db.parent / "spill")})
    yield con
    con.close()


def test_insights_and_the_partner_finder_finish_at_100k_under_a_low_memory_limit(big):
    assert _setting(big, "memory_limit") == "122.0 MiB" and _setting(big, "threads") == 1

    def fetch(query, *args):
        return (getattr(queries, query) if isinstance(query, str) else query)(big, *args)

    tax = Taxonomy.from_frame(queries.taxonomy(big), queries.capability_leaves(big))
    ctx = chart_context(Filters(), tax, queries.meta(big), "en")
    charts = charts_for(fetch, Filters(), tax, ctx, "count", "supply_chain")  # the whole page once
    assert [c.key for c in charts] == ["capabilities", "types", "map", "network", "coverage"]
    assert not charts[3].empty and not charts[0].empty
    for kind in (
        "supply_chain",
        "joint_research",
        "demonstration",
    ):  # the networks of the costliest kinds
        links = links_sql.candidate_links(big, Filters(), kind, None, 5000)
        scope = LinkScope.from_query(links_sql.candidate_link_scope(big, Filters(), kind))
        assert (
            len(links) == 5000
        )  # tens of thousands per country could link; 2 × 200 at most were paired
        assert not scope.complete and all(n <= 2 * links_sql.MAX_LINK_ENDS for _, n in scope.paired)
        assert all(n > 5_000 for _, n in scope.ends)
    assert "links were sought" in charts[3].summary
    assert not queries.insights.documented_links(big, Filters()).empty
    start = big.execute(
        "SELECT id FROM organisations WHERE country = 'JP' AND list_contains(roles, 'fusion_developer') "
        "AND len(needs) > 0 ORDER BY id LIMIT 1"
    ).fetchone()[0]
    for kind in ("supply_chain", "joint_research", "innovation"):
        assert len(qp.suggestions(big, PartnerQuery(start=start, kind=kind))) == 50
    assert (
        qp.count_candidates(big, PartnerQuery(start=start, kind="supply_chain")) > 1000
    )  # all ranked, not a sample
    needs = qp.suggestions(
        big, PartnerQuery(needs=("magnets_superconductors",), kind="supply_chain")
    )
    assert len(needs) == 50
