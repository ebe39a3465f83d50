"""Property-based tests (hypothesis): odd input never raises and search is never a pattern."""

import re
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from fusion_partners import queries
from fusion_partners.explore.filters import Filters, SearchIndex, where
from fusion_partners.explore.url import from_params
from fusion_partners.search.terms import search_terms

SPECIALS = (
    "%_'\"\\;-–—ー〜～　 ＡＢｱｲ株式会社()[]*?^$|{}\u3000\u200b\x00,、。「」『』“”㈱\u202e\u00ad\t\n"
)
text = st.text(
    alphabet=st.sampled_from(
        list(string.ascii_letters + string.digits + SPECIALS) + ["京", "都", "ヘ", "へ"]
    ),
    max_size=40,
) | st.text(max_size=40)

VALID = {
    "country": ["JP", "GB", "US"],
    "membership": ["j_fusion", "fusion_cluster", "other"],
    "org_type": ["company", "startup"],
    "capability": ["materials", "blanket_breeding"],
    "confidence": ["high", "low"],
}


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=text)
def test_search_returns_exactly_the_literal_substring_matches(con, query):
    index = queries.search_index(con)
    terms = index.terms(Filters(query=query).query)
    cur = con.cursor()
    labels = dict(cur.execute("SELECT slug, label_key FROM capabilities").fetchall())
    labels |= dict(cur.execute("SELECT slug, label_key FROM capability_leaves").fetchall())
    rows = cur.execute(
        "SELECT id, search_text, list_concat(capabilities, offers, needs) FROM organisations"
    ).fetchall()

    def found(alt: str, position: int, text: str) -> bool:
        # the term itself anywhere; a synonym in Latin letters, or a phrase of them ("r d"
        # from R&D), where a word starts
        if (position or " " in alt) and re.fullmatch(r"[a-z0-9]+( [a-z0-9]+)*", alt):
            return re.search(r"(^|[^a-z0-9])" + re.escape(alt), text) is not None
        return alt in text

    # literal: a term (or one of its synonyms) is in the organisation's own text, in one of
    # its capability labels or in the label of a leaf it offers or needs
    expected = {
        oid
        for oid, haystack, caps in rows
        if all(
            any(
                found(alt, j, haystack) or any(found(alt, j, labels[c]) for c in caps)
                for j, alt in enumerate(index.alternatives(term))
            )
            for term in terms
        )
    }
    got = set(queries.organisation_table(con, Filters(query=query))["id"])
    assert got == expected


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=text)
def test_finding_a_start_organisation_is_literal_and_never_raises(con, query):
    from fusion_partners.explore.filters import MAX_SEARCH_TERMS
    from fusion_partners.partners import lookup_sql as qp

    terms = search_terms(query)[:MAX_SEARCH_TERMS]
    rows = con.cursor().execute("SELECT id, name_keys FROM organisations").fetchall()
    expected = {
        oid for oid, keys in rows if terms and all(any(t in k for k in keys) for t in terms)
    }
    found = qp.find_organisations(con, query)
    assert set(found["id"]) == expected
    assert set(found["match"]) <= {"exact", "words", "prefix", "contains"}
    assert found["coverage"].between(0, 1).all()


@settings(max_examples=200, deadline=None)
@given(query=text)
def test_user_text_never_reaches_the_sql_string(query):
    """The SQL depends only on how many terms there are (and which are one character long,
    or phrases), never on what they say."""
    index = SearchIndex(bits=(("materials", 0),), labels=((0, "structural materials\n構造材料"),))
    clause = where(Filters(query=query), index)

    def stand_in(i: int, term: str) -> str:  # a term of the same kind: scanned, indexed, phrase
        c = f"{i:x}"[-1]
        if " " in term:  # a Latin phrase matches where a word starts; others anywhere
            return f"{c}-y" if re.fullmatch(r"[a-z0-9 ]+", term) else f"{c}・あ"
        return c if len(term) == 1 else c + "y"

    terms = search_terms(Filters(query=query).query)[:12]
    placeholder = where(Filters(query=" ".join(stand_in(i, t) for i, t in enumerate(terms))), index)
    assert clause.sql == placeholder.sql
    assert sorted(clause.params) == sorted(placeholder.params)


params = st.dictionaries(
    st.sampled_from(
        ["country", "membership", "type", "cap", "confidence", "mode", "q", "lang", "org", "x"]
    ),
    st.lists(text, max_size=4),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(raw=params)
def test_any_url_parameters_give_valid_filters_or_notices(raw):
    parsed = from_params(raw, VALID)
    f = parsed.filters
    assert set(f.countries) <= set(VALID["country"])
    assert set(f.capabilities) <= set(VALID["capability"])
    assert set(f.memberships) <= set(VALID["membership"])
    assert f.capability_mode in ("any", "all")
    assert len(f.query) <= 200


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=params)
def test_any_url_parameters_run_as_a_query_without_error(con, raw):
    filters = from_params(raw, queries.option_values(con)).filters
    queries.facet_counts(con, filters)
    queries.organisation_table(con, filters)


# --------------------------------------------------------------------------- importer parser

from fusion_partners.importing.encodings import reads_as_japanese  # noqa: E402
from fusion_partners.importing.mapping import guess_mapping, map_country, map_region  # noqa: E402
from fusion_partners.importing.table import UploadError  # noqa: E402
from fusion_partners.importing.upload import read_table  # noqa: E402

cells = st.text(
    alphabet=st.sampled_from(
        list(string.ascii_letters + string.digits + ",;\t\"'\n\r =+-@ ")
        + ["組", "織", "名", "国", "日", "本", "㈱", "①", "髙", "～", "\u3000"]
    ),
    max_size=12,
)
rows = st.lists(st.lists(cells, min_size=1, max_size=6), min_size=0, max_size=8)


def _as_csv(table, delimiter):
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(table)
    return buf.getvalue()


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=600), name=st.sampled_from(["x.csv", "x.xlsx", "x.txt", "名簿.csv"]))
def test_any_bytes_are_read_or_refused_with_a_known_reason(data, name):
    try:
        table = read_table(data, name)
    except UploadError as exc:
        assert exc.kind in {
            "too_large",
            "empty",
            "binary",
            "encoding",
            "unclosed_quote",
            "xlsx",
            "no_header",
            "no_rows",
        }
    else:
        assert all(len(cells_) == len(table.header) for _, cells_ in table.rows)


@settings(max_examples=200, deadline=None)
@given(
    table=rows,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
)
def test_any_csv_text_in_any_accepted_encoding_reads_without_losing_a_character(
    table, delimiter, encoding
):
    text = _as_csv(table, delimiter)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return  # not representable in that encoding: not a file Excel would write
    # CP932 bytes of text that does not read as Japanese by the documented rule (a lone
    # Japanese character between Latin letters, "A①A") are also Windows-1252 text ("A‡@A"):
    # the reader then chooses Windows-1252, as decode() documents (see the test below).
    assume(encoding != "cp932" or text.isascii() or reads_as_japanese(text))
    try:
        parsed = read_table(data, "upload.csv")
    except UploadError as exc:
        assert exc.kind in {"empty", "no_header", "no_rows", "binary", "encoding"}
        return
    seen = "".join(parsed.header) + "".join("".join(c) for _, c in parsed.rows)
    for ch in set(seen):
        assert ch in text  # nothing invented or garbled


def test_a_one_row_file_whose_quotes_parse_only_under_another_delimiter_is_no_unclosed_quote():
    """Found by the property above: ';"<CR>"' (an empty cell and a quoted carriage return)
    has no row of two fields under any delimiter, and under the default comma the quoted
    carriage return reads as an unclosed quote; the delimiter whose quotes parse is chosen,
    so the file is refused for having no rows, as a header-only file is."""
    with pytest.raises(UploadError) as exc:
        read_table(b';"\r"\r\n', "upload.csv")
    assert exc.value.kind in {"no_rows", "no_header"}


def test_a_names_only_file_whose_quotes_parse_only_with_its_delimiter_reads_as_names():
    """Found by the property above: 'A', then ',"A<CR>"' has no header, so it is read as a list
    of names, one per line; without the delimiter the quoted carriage return reads as an
    unclosed quote, so the rows read with the delimiter are kept (first filled cell each)."""
    try:
        parsed = read_table(b'A\r\n,"A\r"\r\n', "upload.csv")
    except UploadError as exc:
        assert exc.kind in {"no_rows", "no_header"}
        return
    seen = "".join(parsed.header) + "".join("".join(c) for _, c in parsed.rows)
    assert set(seen) <= set('A\r,"\n')


def test_cp932_bytes_of_text_that_does_not_read_as_japanese_are_read_as_windows_1252():
    """The ambiguity the property above steps around, pinned: "A①A" in CP932 is 41 87 40 41,
    which is also "A‡@A" in Windows-1252; a lone Japanese character between Latin letters is
    a misfit by the rule of reads_as_japanese, so the Western reading wins."""
    text = "A\r\n000000A①A\r\n"
    assert not reads_as_japanese(text)
    parsed = read_table(text.encode("cp932"), "upload.csv")
    cells = [cell for _, row in parsed.rows for cell in row]
    assert "000000A‡@A" in cells and "000000A①A" not in cells


@settings(max_examples=300, deadline=None)
@given(value=text)
def test_any_country_or_region_text_is_mapped_or_flagged_never_raises(value):
    match = map_country(value)
    assert match.code == "" or len(match.code) == 2
    if match.code:
        map_region(value, match.code)


@settings(max_examples=200, deadline=None)
@given(header=st.lists(text, max_size=8))
def test_any_header_row_gets_a_mapping_of_known_fields(header):
    mapping = guess_mapping(header)
    assert set(mapping) <= set(range(len(header)))
