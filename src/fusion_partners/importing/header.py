"""Where a table starts: its header row, title and total rows, and lists of names only.

* The header is the first of the first 30 rows in which at least two cells are known column
  names (see :func:`fusion_partners.importing.mapping.guess_field`), one of them a name column
  (:func:`find_header`). Rows above it are title rows (or blank lines); rows below it whose
  first filled cell says "total"/"合計" are total rows (:func:`is_total`).
* A *name-only list* — one column of names, with or without a header such as "Name" or
  "会員名" — is recognised by :func:`name_only_header`.
"""

from __future__ import annotations

import re
import unicodedata

from fusion_partners.importing.encodings import is_japanese_char
from fusion_partners.importing.table import UploadError

HEADER_SEARCH_ROWS = 30
_TOTAL_RE = re.compile(
    r"^(grand\s+)?(total|totals|sum|subtotal|合計|総計|小計|計|件数)\b|^(合計|総計|小計)"
)


def is_total(cells: list[str]) -> bool:
    """True when the first filled cell of a row says it is a total ("Total", "合計", "件数"...)."""
    first = next((c for c in cells if c.strip()), "")
    return bool(_TOTAL_RE.match(unicodedata.normalize("NFKC", first).strip().casefold()))


UNSTORED_COLUMNS: tuple[str, ...] = (
    "employees",
    "number of employees",
    "staff",
    "headcount",
    "year founded",
    "founded",
    "established",
    "revenue",
    "turnover",
    "sic code",
    "sic",
    "vat number",
    "telephone",
    "phone",
    "email",
    "e-mail",
    "address",
    "postcode",
    "contact",
    "contact name",
    "従業員数",
    "社員数",
    "設立",
    "設立年",
    "創業",
    "資本金",
    "売上高",
    "電話番号",
    "代表者",
    "郵便番号",
    "メールアドレス",
)
"""Column headers people send that the roster does not store. They count as known columns
when looking for the header row, and the preview lists them as ignored (nothing is guessed:
any other unmapped column is listed too)."""


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-().（）・:：/]+", "", unicodedata.normalize("NFKC", text).casefold())


_UNSTORED_KEYS = frozenset(_header_key(h) for h in UNSTORED_COLUMNS)


def is_unstored_column(header: str) -> bool:
    """True when ``header`` names a column the roster does not store (:data:`UNSTORED_COLUMNS`)."""
    return _header_key(header) in _UNSTORED_KEYS


def find_header(rows: list[list[str]]) -> int:
    """Index of the header row among ``rows`` (see module docstring).

    A header has a name column and at least one more known column (a roster field, or a
    column the roster does not store such as "Employees", :data:`UNSTORED_COLUMNS`).

    Raises:
        UploadError: ``no_header`` when no row in the first 30 qualifies.
    """
    from fusion_partners.importing.mapping import NAME_FIELDS, guess_field

    for i, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        fields = [
            guess_field(c) or ("unstored" if is_unstored_column(c) else "")
            for c in cells
            if c.strip()
        ]
        known = [f for f in fields if f]
        if len(known) >= 2 and any(f in NAME_FIELDS for f in known):
            return i
    raise UploadError("no_header", rows=HEADER_SEARCH_ROWS)


_NAME_ONLY_ROWS = 200


def _only_corporate_form(cell: str) -> bool:
    from fusion_partners.search.text import only_corporate_forms

    return only_corporate_forms(cell)


_NAME_PUNCTUATION = frozenset(" .,&'’()-/・ー＆（）　")


def _name_like(cell: str) -> bool:
    """A letter, and nine characters in ten letters, digits, spaces or the punctuation of names."""
    plain = sum(1 for ch in cell if ch.isalnum() or ch in _NAME_PUNCTUATION or is_japanese_char(ch))
    return any(ch.isalpha() for ch in cell) and plain >= 0.9 * len(cell)


def name_only_header(rows: list[list[str]]) -> int | None:
    """For a single column of names: the index of its header row (a lone cell such as "Name",
    "Member", "会員名"), ``-1`` when it has none, ``None`` when ``rows`` are not a name list.

    A name list: every non-blank row among the first 200 has one filled cell holding a letter
    (further cells may only be corporate forms, as a name split at its comma leaves:
    ``Kyoto Fusioneering Co.`` + `` Ltd.``), and there are at most 30 title rows above a header.
    Without a header the list needs two names at least (one line of text is no list).
    """
    from fusion_partners.importing.mapping import NAME_FIELDS, guess_field

    filled = [
        (i, [c.strip() for c in r if c.strip()]) for i, r in enumerate(rows[:_NAME_ONLY_ROWS])
    ]
    filled = [(i, cells) for i, cells in filled if cells]
    if not filled:
        return None
    for _, cells in filled:
        if not _name_like(cells[0]) or not all(_only_corporate_form(c) for c in cells[1:]):
            return None
    for i, cells in filled[:HEADER_SEARCH_ROWS]:
        if len(cells) == 1 and guess_field(cells[0]) in NAME_FIELDS:
            return i
    return -1 if len(filled) >= 2 else None
