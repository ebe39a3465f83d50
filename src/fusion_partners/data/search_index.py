"""What the build stores for search: each organisation's name keys and search text, the
table of search tokens, the aliases searched as whole names, and the synonym groups.

The rules of matching are in :mod:`fusion_partners.search.text` and ``docs/search.md``;
this module decides which fields of a record are searchable and in which form.
"""

from __future__ import annotations

import re

import pyarrow as pa

from fusion_partners.data.load import Curated
from fusion_partners.data.roster import split_list
from fusion_partners.search.reading import kana_reading, romanise
from fusion_partners.search.terms import query_key, search_key
from fusion_partners.search.text import (
    expand_corporate_abbreviations,
    fold,
    has_japanese_script,
    match_key,
)

SEARCH_TOKENS_SQL = (
    "INSERT INTO search_tokens SELECT token, list(name_rank ORDER BY name_rank) FROM ("
    "SELECT DISTINCT name_rank, unnest(string_split_regex(search_text, '\\s+')) AS token "
    "FROM organisations) WHERE token <> '' GROUP BY token"
)
"""Fill ``search_tokens``: each word of the stored search texts with the ``name_rank`` of
the organisations holding it (run after ``organisations`` is written)."""


def search_fields(org: dict[str, str]) -> tuple[list[str], str]:
    """Name keys and the search text of one organisation (capability labels are matched
    through ``capabilities.label_key`` and the ``cap_mask`` bits instead, and the labels of the
    leaves it offers or needs through ``capability_leaves.label_key`` and its ``offers`` and
    ``needs``, see :func:`filters.conditions`, which keeps the text to scan short).

    The name keys are the English and Japanese names, the readings of the Japanese name
    (romanised and in hiragana: ``ふるかわ`` finds 古河電気工業) and the aliases, each in the form
    of a whole query (:func:`text.query_key`: symbols and punctuation at the ends of words
    dropped, punctuation between words a space), so a name typed as written equals its key.
    The names are also kept as written (folded, corporate forms and punctuation kept, for a
    query of nothing but those); the other fields are in :func:`text.search_form`, as the
    words of a query are.
    """
    core_ja = match_key(org.get("name_ja"))  # readings without 株式会社 etc.
    kana = kana_reading(core_ja) if has_japanese_script(core_ja) else ""
    names = [
        query_key(org["name_en"]),
        query_key(org.get("name_ja")),
        query_key(romanise(core_ja)),
        query_key(kana),
        *(query_key(a) for a in split_list(org.get("aliases", ""))),
    ]
    name_keys = [n for i, n in enumerate(names) if n and n not in names[:i]]
    fields = [
        *name_keys,
        # as written, with corporate forms (㈱ written out) and punctuation, so a search of
        # nothing but 株式会社, ㈱, "_" or "&" still finds the names written with it
        expand_corporate_abbreviations(fold(org["name_en"])),
        expand_corporate_abbreviations(fold(org.get("name_ja"))),
        search_key(org.get("prefecture_or_city")),
        search_key(org.get("description_en")),
        search_key(org.get("description_ja")),
        search_key(org.get("evidence")),
    ]
    return name_keys, "\n".join(f for f in fields if f)


def synonyms_table(curated: Curated) -> pa.Table:
    """Rows of ``search_synonyms``: ``(group_id, term_key)``, one per term of each group
    (``search_synonyms.csv``, groups numbered from 1)."""
    pairs = sorted(
        {
            (i, query_key(term))
            for i, group in enumerate(curated.synonyms, start=1)
            for term in group
        }
    )
    return pa.table(
        {
            "group_id": pa.array([g for g, _ in pairs], pa.int32()),
            "term_key": pa.array([k for _, k in pairs], pa.string()),
        }
    )


_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9]")


def alias_terms(curated: Curated) -> list[str]:
    """Match keys of the aliases written without Latin letters or digits (Japanese short names
    such as 京大 or 古河電工), sorted, without repeats: search treats them as whole names
    (see :class:`filters.SearchIndex`)."""
    keys = {
        query_key(a)
        for o in curated.organisations
        for a in split_list(o.get("aliases", ""))
        if not _LATIN_OR_DIGIT.search(a)
    }
    return sorted(k for k in keys if k)
