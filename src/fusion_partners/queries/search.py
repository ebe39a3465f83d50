"""Search helpers that read the database: the “did you mean” vocabulary and suggestions, and
the offer/need labels a search matched."""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pandas as pd

from fusion_partners.db import fetch_df, fetch_rows
from fusion_partners.explore.filters import Filters
from fusion_partners.queries import count, search_index
from fusion_partners.search.spelling import BEGINNING_LENGTHS, MIN_WORD_LENGTH, Vocabulary, suggest
from fusion_partners.search.terms import query_key

_JAPANESE = "[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
"""A hiragana, katakana or kanji character (as :func:`text.has_japanese_script`; keys are
NFKC-folded, so half-width katakana does not occur)."""

# Name keys (names, readings, aliases: query_key form, made by the build) with the text offered
# for each: a key in Japanese script offers the Japanese name, any other the English name (or
# the other one when the name is missing); the first organisation in name order wins a key.
_PHRASES_SQL = """
    SELECT k, arg_min(CASE WHEN regexp_matches(k, $japanese) THEN coalesce(name_ja, name_en)
                           ELSE coalesce(name_en, name_ja) END, name_rank) AS text
    FROM (SELECT unnest(name_keys) AS k, name_en, name_ja, name_rank FROM organisations)
    WHERE k <> '' GROUP BY k ORDER BY min(name_rank), k
"""
_WORDS_SQL = """
    SELECT w, arg_min(text, n) FROM (
        SELECT unnest(string_split(k, ' ')) AS w, text, n FROM phrases)
    WHERE length(w) >= $min_length GROUP BY w ORDER BY min(n), w
"""
_BEGINNINGS_SQL = """
    SELECT len, left(k, len) AS b, arg_min(text, n)
    FROM phrases, (SELECT unnest($lengths) AS len)
    WHERE regexp_matches(k, $japanese) AND length(k) > len
    GROUP BY len, b ORDER BY len, min(n), b
"""


def search_vocabulary(con: duckdb.DuckDBPyConnection) -> Vocabulary:
    """The :class:`spelling.Vocabulary` of this database: every organisation's name keys
    (English and Japanese names, the readings of the Japanese name, aliases; stored by the
    build in :func:`text.query_key` form), each offered as the Japanese name when it is in
    Japanese script and as the English name otherwise, then the capability labels of groups
    and leaves in English and Japanese, offered as written. The words and the beginnings of
    Japanese keys are gathered in SQL, so the vocabulary of a large roster costs few Python
    steps."""
    labels = fetch_rows(
        con,
        "SELECT label_en, label_ja FROM capabilities UNION ALL "
        "SELECT label_en, label_ja FROM capability_leaves",
    )
    label_rows = [(query_key(label), label) for pair in labels for label in pair if label]
    phrases = fetch_df(con, _PHRASES_SQL, {"japanese": _JAPANESE})
    known = set(phrases["k"])
    extra: dict[str, str] = {}
    for key, text in label_rows:
        if key and key not in known:
            extra.setdefault(key, text)
    table = pd.concat(
        [phrases, pd.DataFrame(list(extra.items()), columns=["k", "text"])], ignore_index=True
    )
    table["n"] = range(
        len(table)
    )  # the order of the phrases: the first holding a word gives its spelling
    cur = con.cursor()
    try:
        cur.register("phrases", table)
        words = cur.execute(_WORDS_SQL, {"min_length": MIN_WORD_LENGTH}).fetchall()
        beginnings = cur.execute(
            _BEGINNINGS_SQL, {"lengths": list(BEGINNING_LENGTHS), "japanese": _JAPANESE}
        ).fetchall()
    finally:
        cur.close()
    by_length: dict[int, list[tuple[str, str]]] = {n: [] for n in BEGINNING_LENGTHS}
    for n, b, text in beginnings:
        by_length[int(n)].append((b, text))
    return Vocabulary(
        tuple(zip(table["k"], table["text"], strict=True)),
        tuple(w for w, _ in words),
        tuple(t for _, t in words),
        tuple((n, tuple(v)) for n, v in by_length.items()),
    )


def did_you_mean(con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 5) -> list[str]:
    """Searches to offer instead of ``filters.query`` (:func:`spelling.suggest`), each finding
    at least one organisation together with the other filters; best first, at most ``limit``.
    Empty when there is no search."""
    if not filters.query:
        return []
    vocabulary = search_vocabulary(con)
    return suggest(
        filters.query, vocabulary, lambda text: count(con, replace(filters, query=text)), limit
    )


def matched_leaves(con: duckdb.DuckDBPyConnection, query: str) -> tuple[str, ...]:
    """The capability leaves (slugs, taxonomy order) whose English or Japanese label a term of
    ``query`` matched (:meth:`filters.SearchIndex.matched_leaves`): the organisations offering
    or needing them are found through that label. Empty for a blank query."""
    return search_index(con).matched_leaves(query)
