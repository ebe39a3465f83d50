"""Search helpers that read the database: the “did you mean” vocabulary and suggestions."""

from __future__ import annotations

from dataclasses import replace

import duckdb

from ..db import fetch_rows
from ..filters import Filters
from ..spelling import Vocabulary, suggest
from ..text import has_japanese_script, query_key
from . import count


def search_vocabulary(con: duckdb.DuckDBPyConnection) -> Vocabulary:
    """The :class:`spelling.Vocabulary` of this database: every organisation's English and
    Japanese name, the readings of its Japanese name (the name keys the build stored beside
    the names: a kana reading is offered as the Japanese name, a romanised one as the English
    name, or the Japanese when there is none), its aliases, and the capability labels of
    groups and leaves in English and Japanese."""
    entries: list[tuple[str, str]] = []
    for name_en, name_ja, aliases, name_keys in fetch_rows(
        con, "SELECT name_en, name_ja, aliases, name_keys FROM organisations ORDER BY name_rank"
    ):
        named = [(query_key(n), n) for n in (name_en, name_ja, *(aliases or [])) if n]
        entries += named
        written = {k for k, _ in named}
        for key in name_keys or []:
            if key not in written:  # a reading
                entries.append((key, (name_ja if has_japanese_script(key) else name_en) or name_ja or name_en))
    for label_en, label_ja in fetch_rows(
        con, "SELECT label_en, label_ja FROM capabilities UNION ALL SELECT label_en, label_ja FROM capability_leaves"
    ):
        entries += [(query_key(label), label) for label in (label_en, label_ja) if label]
    return Vocabulary.build(entries)


def did_you_mean(con: duckdb.DuckDBPyConnection, filters: Filters, limit: int = 5) -> list[str]:
    """Searches to offer instead of ``filters.query`` (:func:`spelling.suggest`), each finding
    at least one organisation together with the other filters; best first, at most ``limit``.
    Empty when there is no search."""
    if not filters.query:
        return []
    vocabulary = search_vocabulary(con)
    return suggest(filters.query, vocabulary, lambda text: count(con, replace(filters, query=text)), limit)
