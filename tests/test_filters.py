"""Filters → SQL fragments with bound parameters (table-driven)."""

import pytest

from fusion_partners.filters import Filters, search_rank_sql, where


@pytest.mark.parametrize(
    ("filters", "sql", "params"),
    [
        (Filters(), "TRUE", {}),
        (Filters(countries=["JP"]), "o.country = ANY($countries)", {"countries": ["JP"]}),
        (
            Filters(countries=["JP", "GB", "JP"]),
            "o.country = ANY($countries)",
            {"countries": ["GB", "JP"]},
        ),
        (
            Filters(memberships=["j_fusion"], org_types=["startup"]),
            "o.membership = ANY($memberships) AND o.org_type = ANY($org_types)",
            {"memberships": ["j_fusion"], "org_types": ["startup"]},
        ),
        (
            Filters(capabilities=["materials", "blanket_breeding"]),
            "list_has_any(o.capabilities, $capabilities)",
            {"capabilities": ["blanket_breeding", "materials"]},
        ),
        (
            Filters(capabilities=["materials"], capability_mode="all"),
            "list_has_all(o.capabilities, $capabilities)",
            {"capabilities": ["materials"]},
        ),
        (
            Filters(confidences=["high"]),
            "o.confidence = ANY($confidences)",
            {"confidences": ["high"]},
        ),
        (
            Filters(query="' OR 1=1 --"),
            "strpos(o.search_text, $q0) > 0 AND strpos(o.search_text, $q1) > 0 AND strpos(o.search_text, $q2) > 0 AND strpos(o.search_text, $q3) > 0",
            {"q0": "'", "q1": "or", "q2": "1=1", "q3": "--"},
        ),
        (
            Filters(query="50%_off"),
            "strpos(o.search_text, $q0) > 0",
            {"q0": "50%_off"},
        ),
    ],
)
def test_filters_become_sql_with_bound_parameters(filters, sql, params):
    clause = where(filters)
    assert clause.sql == sql
    assert clause.params == params


def test_user_text_never_appears_in_the_sql():
    hostile = "'; DROP TABLE organisations; --"
    clause = where(Filters(query=hostile, countries=["JP'--"]))
    assert "DROP" not in clause.sql.upper()
    assert "'" not in clause.sql
    assert "JP'--" in clause.params["countries"]


def test_facet_exclusion_leaves_out_only_that_dimension():
    f = Filters(countries=["JP"], org_types=["startup"])
    assert where(f, exclude="country").sql == "o.org_type = ANY($org_types)"


def test_all_of_capability_facet_keeps_the_capability_filter():
    f = Filters(capabilities=["materials"], capability_mode="all")
    assert "list_has_all" in where(f, exclude="capability").sql
    f_any = Filters(capabilities=["materials"])
    assert where(f_any, exclude="capability").sql == "TRUE"


def test_suffix_renames_every_parameter():
    clause = where(Filters(countries=["JP"], query="a b"), suffix="_3")
    assert set(clause.params) == {"countries_3", "q0_3", "q1_3"}
    assert "$countries_3" in clause.sql and "$q1_3" in clause.sql


def test_bad_suffix_is_refused():
    with pytest.raises(ValueError):
        where(Filters(), suffix="; DROP")


def test_filters_are_canonical_and_hashable():
    a = Filters(countries=["GB", "JP"], query="  magnet ")
    b = Filters(countries=("JP", "GB", "GB"), query="magnet")
    assert a == b and hash(a) == hash(b)
    assert Filters(capability_mode="bogus").capability_mode == "any"


def test_active_count_counts_dimensions_and_search():
    assert Filters().active_count == 0
    assert Filters(countries=["JP", "GB"], query="x").active_count == 2


def test_search_rank_is_absent_without_search():
    assert search_rank_sql(Filters()) == (None, {})
    sql, params = search_rank_sql(Filters(query="Kyoto Sample"))
    assert params == {"q_whole": "kyoto sample"} and "$q_whole" in sql
