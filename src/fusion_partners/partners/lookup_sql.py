"""Finding an organisation by name for the partner finder's start (and the editors' check for
possible duplicates): every word of a text in the English or Japanese name, or its reading,
best match first; and the capabilities a text names, when it names no organisation."""

from __future__ import annotations

import re
from typing import Any

import duckdb
import pandas as pd

from fusion_partners.db import fetch_df, fetch_rows
from fusion_partners.explore.filters import MAX_SEARCH_TERMS
from fusion_partners.partners.named_capabilities import named_capabilities
from fusion_partners.partners.query import MAX_NEEDS
from fusion_partners.queries import search_index
from fusion_partners.search.terms import search_key, search_terms

_FIND_SQL = r"""
    WITH m AS MATERIALIZED (
        SELECT o.id, o.name_en, o.name_ja, o.country, o.name_keys FROM organisations o WHERE {conds}
    ),
    tiers AS MATERIALIZED (
        SELECT k.id, k.k,
               CASE WHEN k.k = $q_whole THEN 0 WHEN {whole_words} THEN 1 WHEN {word_starts} THEN 2 ELSE 3 END AS tier
        FROM (SELECT m.id, unnest(m.name_keys) AS k FROM m) k
    ),
    pool AS MATERIALIZED (SELECT * FROM tiers ORDER BY tier, length(k), k LIMIT $pool),
    word_rows AS (
        SELECT t.id, t.k, w.word,
               coalesce(list_max(list_transform($q_words, lambda q:
                   CASE WHEN w.word = q THEN 1.0 WHEN strpos(w.word, q) > 0 THEN length(q) / length(w.word)
                        ELSE 0.0 END)), 0.0) AS share
        FROM pool t, unnest(regexp_extract_all(t.k, '[\pL\pN]+')) AS w(word)
    ),
    weighted AS (
        SELECT wr.id, wr.k, wr.share, ln(($n_orgs + 1.0) / greatest(coalesce(len(st.orgs), 1), 1)) AS idf
        FROM word_rows wr LEFT JOIN search_tokens st ON st.token = wr.word
    ),
    covered AS (
        SELECT id, k, coalesce(sum(idf * share) / nullif(sum(idf), 0), 0.0) AS coverage
        FROM weighted GROUP BY id, k
    ),
    best AS (
        SELECT t.id, arg_min({{'tier': t.tier, 'coverage': coalesce(c.coverage, 0.0),
                               'prefix': NOT starts_with(t.k, $q_whole)}},
                             [t.tier, -coalesce(c.coverage, 0.0), (NOT starts_with(t.k, $q_whole))::INT]) AS b
        FROM pool t LEFT JOIN covered c ON c.id = t.id AND c.k = t.k
        GROUP BY t.id
    )
    SELECT m.id, m.name_en, m.name_ja, m.country,
           ['exact', 'words', 'prefix', 'contains'][best.b.tier + 1] AS "match", best.b.coverage AS coverage
    FROM m JOIN best ON best.id = m.id
    ORDER BY best.b.tier, best.b.coverage DESC, best.b.prefix, lower(coalesce(m.name_en, m.name_ja)), m.id
    LIMIT $limit
"""
_NOT_WORD = r"[^\pL\pN]"


def find_organisations(con: duckdb.DuckDBPyConnection, text: str, limit: int = 50) -> pd.DataFrame:
    """Organisations whose English or Japanese name, or its romanised reading, contains every
    word of ``text`` (normalised with :func:`fusion_partners.search.terms.search_terms`, as search is:
    widths, kana, case and corporate forms ignored; matched literally), best match first.

    Ranking, per name (the best of an organisation's English name, Japanese name and
    reading counts):

    1. *tier*: the name equals the text (``exact``); every word of the text is a whole word
       of the name (``words``); every word begins a word of the name (``prefix``); the words
       occur somewhere (``contains``);
    2. *coverage*: the share of the name the text accounts for, each word of the name
       weighted by its inverse document frequency ``ln((N + 1) / n)`` over the search index
       (``search_tokens``; ``n`` = organisations whose searchable text has the word). Common
       words ("university", "of", "fusion") weigh little, so "oxford" finds *University of
       Oxford* (only a common word left over) before *Oxford Early Investments* (two
       distinctive words left over); a partly matched word counts by the share of its
       characters matched (京都 covers 京都大学 more than 京都フュージョニアリング);
    3. names that begin with the text, then the English name and the id.

    Returns:
        ``id``, ``name_en``, ``name_ja``, ``country``, ``match`` (the tier's name) and
        ``coverage`` (0…1), at most ``limit`` rows. Empty for blank ``text``.
    """
    terms = search_terms(text)[:MAX_SEARCH_TERMS]
    if not terms:
        return fetch_df(
            con,
            "SELECT id, name_en, name_ja, country, '' AS \"match\", 0.0 AS coverage FROM organisations LIMIT 0",
        )
    params: dict[str, Any] = {f"t{i}": term for i, term in enumerate(terms)}
    aliases = {
        r[0]
        for r in fetch_rows(
            con, "SELECT term_key FROM alias_terms WHERE term_key = ANY($t)", {"t": list(terms)}
        )
    }
    conds = " AND ".join(
        f"list_contains(o.name_keys, $t{i})"
        if term in aliases  # a short name: whole names only
        else f"len(list_filter(o.name_keys, lambda k: strpos(k, $t{i}) > 0)) > 0"
        for i, term in enumerate(terms)
    )
    words = list(dict.fromkeys(w for term in terms for w in _WORD.findall(term))) or terms
    for i, word in enumerate(
        words
    ):  # regular expressions of literal words (escaped), bound as values
        params[f"w{i}"] = f"(^|{_NOT_WORD}){re.escape(word)}($|{_NOT_WORD})"
        params[f"p{i}"] = f"(^|{_NOT_WORD}){re.escape(word)}"
    sql = _FIND_SQL.format(
        conds=conds,
        whole_words=" AND ".join(f"regexp_matches(k.k, $w{i})" for i in range(len(words))),
        word_starts=" AND ".join(f"regexp_matches(k.k, $p{i})" for i in range(len(words))),
    )
    n_orgs = fetch_rows(con, "SELECT count(*) FROM organisations")[0][0]
    return fetch_df(
        con,
        sql,
        {
            **params,
            "q_whole": " ".join(terms),
            "q_words": words,
            "n_orgs": int(n_orgs),
            "limit": int(limit),
            "pool": max(FIND_POOL, int(limit)),
        },
    )


FIND_POOL = 1000
"""Name keys ranked by coverage in :func:`find_organisations`: the best tiers' shortest names
(a text found in more names than this — a single letter at 100,000 organisations — ranks
the rest of its tier by length only)."""
_WORD = re.compile(r"[^\W_]+")
"""A word of a normalised name or query: letters and digits (Unicode), as ``[\\pL\\pN]+`` in
:data:`_FIND_SQL`."""


def find_capabilities(
    con: duckdb.DuckDBPyConnection, text: str, limit: int = MAX_NEEDS
) -> list[str]:
    """The capabilities (group slugs, taxonomy order) ``text`` names, read against their
    English and Japanese labels and their leaves' labels with the search synonyms
    (:func:`fusion_partners.partners.named_capabilities.named_capabilities`): what "Start from
    the capabilities you need instead" chooses from the words typed as an organisation's name.
    """
    if not search_terms(text):
        return []
    groups = fetch_rows(
        con, "SELECT slug, label_key FROM capabilities ORDER BY group_order, sort_order"
    )
    leaves = fetch_rows(
        con, "SELECT parent, label_en, label_ja FROM capability_leaves ORDER BY sort_order"
    )
    by_group: dict[str, list[str]] = {slug: [key] for slug, key in groups}
    for parent, label_en, label_ja in leaves:
        if parent in by_group:
            by_group[parent].append(f"{search_key(label_en)}\n{search_key(label_ja)}")
    labels = [(slug, key) for slug, keys in by_group.items() for key in keys]
    return named_capabilities(text, labels, search_index(con), limit)
