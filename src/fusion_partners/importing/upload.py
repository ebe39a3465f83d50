"""Read an uploaded spreadsheet (CSV or XLSX) into a plain table of text cells.

What people actually send: CSV from Excel in UTF-8, UTF-8 with a byte-order mark or
CP932 (Japanese Excel's "CSV"; CP932 is Microsoft's superset of Shift_JIS and holds
``㈱ ① 髙 ～``, which strict Shift_JIS lacks), separated by commas, semicolons or tabs, with
title rows above the header, total rows below it and blank lines; or an XLSX workbook.

* The encoding is decided on the *whole file* (:func:`decode`): UTF-8 (with or without a
  byte-order mark); else CP932 or another Japanese encoding charset-normalizer proposes, when
  the whole file decodes strictly and reads as Japanese; else Windows-1252 and Latin-1, as
  UK and European Excel write "Café Ltd". Nothing is replaced: a file that does not decode
  is refused, and the preview names the encoding used (:func:`encoding_label`).
* The delimiter is the candidate (``,`` ``;`` tab) under which most lines share one field
  count (ties go to the earlier candidate).
* The header is the first of the first 30 rows in which at least two cells are known
  column names (see :func:`fusion_partners.importing.mapping.guess_field`), one of them a name column.
  Rows above it are title rows (or blank lines); rows below it whose first filled cell says
  "total"/"合計" are total rows; blank rows are skipped. Every skipped row is reported with its
  line.
* Every cell stays text: ``0123`` keeps its leading zero (company and corporate numbers).
* Cells beyond the header's columns are not imported, and never dropped silently: the row
  is listed in ``RawTable.extra`` with them (the importer warns on that row).
* Binary content is refused whatever the file is called (:func:`looks_binary`): many NUL or
  control bytes, or bytes that decode only as an unlikely encoding. A *few* control
  characters inside cells (a vertical tab, a form feed, a NUL, C1 controls; tab and line
  breaks are text) do not make a file binary: they are taken out of the cells (whitespace
  controls become a space, the others are removed) and listed per row and column in
  ``RawTable.cleaned``, so the importer warns on each (:func:`clean_cell`).
* A *name-only list* — one column of names, with or without a header such as "Name" or
  "会員名" — is read as one column (``RawTable.name_only``; a comma inside a name such as
  "Kyoto Fusioneering Co., Ltd." stays in the name).
* Quotes: a quote left open to the end of the file would swallow every later row into one
  cell, so the file is refused naming the line where the quote opens; a quoted cell that
  runs over several lines and holds what looks like whole rows is read, with a warning
  naming its line (``RawTable.warnings``).

Errors are :class:`UploadError` with a message key of the catalogue (``upload.error.*``)
and its values, so the interface can say what went wrong in the user's language.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""Largest file accepted (5 MiB: a 300-member list is about 50 KB)."""

HEADER_SEARCH_ROWS = 30
DELIMITERS: tuple[str, ...] = (",", ";", "\t")
_SJIS_FAMILY = {"shift_jis", "shift_jis_2004", "shift_jisx0213", "cp932", "ms932", "sjis"}
_TOTAL_RE = re.compile(
    r"^(grand\s+)?(total|totals|sum|subtotal|合計|総計|小計|計|件数)\b|^(合計|総計|小計)"
)
_XLSX_MAGIC = b"PK\x03\x04"


class UploadError(Exception):
    """A file that cannot be read as a table.

    Attributes:
        key: message key of the catalogue (``upload.error.<kind>``).
        values: placeholder values for the message.
    """

    def __init__(self, kind: str, **values: object):
        self.kind = kind
        self.key = f"upload.error.{kind}"
        self.values = values
        super().__init__(f"{kind}: {values}" if values else kind)


@dataclass(frozen=True)
class RawTable:
    """A file read as text.

    Attributes:
        file_name: the name the file was uploaded with.
        content_hash: SHA-256 of the file's bytes (hex).
        encoding: ``utf-8``, ``utf-8-sig``, ``cp932``, ... or ``xlsx``.
        delimiter: ``,`` ``;`` ``\\t`` (``""`` for XLSX).
        header_line: 1-based line (row) number of the header.
        header: column names as written (stripped).
        rows: ``(line, cells)`` for every data row, cells padded to the header length.
        skipped: ``(line, reason)`` for title, blank and total rows; reason is
            ``title``, ``blank`` or ``total``.
        warnings: ``(row, kind, physical line)`` for suspicious content that was still read;
            kind ``quote_span`` (a quoted cell over several lines holding separators).
        extra: ``(row, cells)`` for rows with more filled cells than the header has columns:
            the cells beyond the header, which are not imported (a cell holding the separator
            without quotes, or a column without a header).
        cleaned: ``(row, column index, characters)`` for every cell (header or data row) that
            held control characters, which were taken out (:func:`clean_cell`); characters
            as ``U+000B`` code points, space-separated.
        name_only: the file is a single column of names; ``header_line`` is ``0`` when it has
            no header row (``header`` is then ``("",)``).
    """

    file_name: str
    content_hash: str
    encoding: str
    delimiter: str
    header_line: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    skipped: tuple[tuple[int, str], ...] = field(default=())
    warnings: tuple[tuple[int, str, int], ...] = field(default=())
    extra: tuple[tuple[int, tuple[str, ...]], ...] = field(default=())
    cleaned: tuple[tuple[int, int, str], ...] = field(default=())
    name_only: bool = False


def human_size(n: int) -> str:
    """``5242880`` → ``"5 MB"``, ``1536`` → ``"1.5 KB"`` (binary units, as Streamlit shows them)."""
    for unit, size in (("MB", 1048576), ("KB", 1024)):
        if n >= size:
            value = n / size
            return (
                f"{value:.0f} {unit}"
                if value.is_integer() or value >= 100
                else f"{value:.1f} {unit}"
            )
    return f"{n} B"


def content_hash(data: bytes) -> str:
    """SHA-256 hex digest of ``data``."""
    return hashlib.sha256(data).hexdigest()


_JAPANESE_ENCODINGS = (
    "cp932",
    "shift_jis",
    "shift_jis_2004",
    "shift_jisx0213",
    "euc_jp",
    "euc_jis_2004",
    "iso2022_jp",
)
"""Japanese encodings a member list plausibly comes in (charset-normalizer proposes many
more; a file that decodes only as, say, UTF-16 without a byte-order mark or EBCDIC is binary)."""
WESTERN_ENCODINGS: tuple[str, ...] = ("cp1252", "latin_1")
"""Tried, in this order, when UTF-8 and the Japanese encodings fail: Windows-1252 is what
UK and European Excel write as "CSV"; Latin-1 (ISO-8859-1) decodes any byte, so it is last."""
_CONTROL_BYTES = (
    frozenset(range(0x00, 0x09))
    | frozenset(range(0x0E, 0x1B))
    | frozenset({0x1C, 0x1D, 0x1E, 0x1F, 0x7F})
)
"""C0 control bytes no spreadsheet writes on purpose (tab, line breaks, vertical tab, form
feed and ESC — used by ISO-2022-JP — are not counted)."""
SNIFF_BYTES = 65536
SPARSE_CONTROLS = 8
"""Control bytes a file may hold in its cells, whatever its size, and still be text."""
MAX_WESTERN_HIGH = 0.3
"""Share of bytes above 0x7F beyond which a file that decodes only as a Western single-byte
encoding is binary (Western text is mostly ASCII: "Café" is one byte in four)."""


def looks_binary(data: bytes) -> bool:
    """True when ``data`` (without a UTF-16 byte-order mark) is not text.

    Signs, in the first 64 KiB: more NUL bytes than :data:`SPARSE_CONTROLS` and one byte in a hundred (UTF-16 without a
    byte-order mark, images, executables); more control bytes (:data:`_CONTROL_BYTES`, NUL
    included) than :data:`SPARSE_CONTROLS` and one byte in fifty. A few control bytes in a
    text file are cell content to clean (:func:`clean_cell`), not a sign of binary data; a DOS
    end-of-file mark ``0x1A`` at the very end is ignored.
    """
    sample = data[:SNIFF_BYTES]
    body = sample[:-1] if sample.endswith(b"\x1a") else sample
    if not body:
        return False
    if body.count(0) > max(SPARSE_CONTROLS, len(body) // 100):
        return True
    controls = sum(1 for byte in body if byte in _CONTROL_BYTES)
    return controls > max(SPARSE_CONTROLS, len(body) // 50)


def decode(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: returns ``(text, encoding)``; the decision is made on the whole file.

    Order: UTF-8 BOM → ``utf-8-sig``; UTF-16 BOM → ``utf-16``; binary content refused
    (:func:`looks_binary`); strict UTF-8 of the whole file; the Japanese encodings
    charset-normalizer proposes, CP932 always among them (first when it proposes a Shift_JIS
    variant, which is read as CP932), each accepted only if the *whole* file decodes strictly
    and reads as Japanese (:func:`reads_as_japanese`); then :data:`WESTERN_ENCODINGS`
    (Windows-1252, then Latin-1) when at most :data:`MAX_WESTERN_HIGH` of the bytes are
    above 0x7F. Every choice is checked for characters text never holds (:func:`_checked`).

    Raises:
        UploadError: ``binary`` for content that is not text (including bytes that decode
            only as a Western encoding when more than 30 % of them are non-ASCII, or that hold
            no separator, line break or letter at all), ``encoding`` when no candidate decodes
            the whole file.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        if not _decodes(data, "utf-8-sig"):
            raise UploadError("encoding")
        return _checked(data.decode("utf-8-sig"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and _decodes(data, "utf-16"):
        return _checked(data.decode("utf-16"), "utf-16")
    if looks_binary(data):
        raise UploadError("binary")
    if _decodes(data, "utf-8"):
        return _checked(data.decode("utf-8"), "utf-8")
    from charset_normalizer import from_bytes

    proposed = [m.encoding for m in from_bytes(data)]
    japanese = [
        "cp932" if c in _SJIS_FAMILY else c
        for c in proposed
        if c in _JAPANESE_ENCODINGS or c in _SJIS_FAMILY
    ]
    if "cp932" not in japanese:
        japanese.append("cp932")
    for enc in dict.fromkeys(japanese):
        if _decodes(data, enc):
            text = data.decode(enc)
            if reads_as_japanese(text):
                return _checked(_text_or_binary(text), enc)
    high = sum(1 for byte in data if byte >= 0x80)
    if high > MAX_WESTERN_HIGH * len(data):
        raise UploadError("binary")
    for enc in WESTERN_ENCODINGS:
        if _decodes(data, enc):
            return _checked(_text_or_binary(data.decode(enc)), enc)
    raise UploadError("encoding")  # not reached: Latin-1 decodes every byte


def _text_or_binary(text: str) -> str:
    """Refuse text without any separator or line break: bytes that decoded by chance."""
    if not any(ch in text for ch in ",;\t\n"):
        raise UploadError("binary")
    return text


def _is_japanese_char(ch: str) -> bool:
    """Full-width kana, kanji, Japanese punctuation and full-width forms, enclosed numbers
    and units (① ㈱ ㍉)."""
    if len(ch) != 1:
        return False
    o = ord(ch)
    return (
        0x3000 <= o <= 0x30FF
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF01 <= o <= 0xFF60
        or 0x2460 <= o <= 0x24FF
        or 0x3200 <= o <= 0x33FF
        or 0x2010 <= o <= 0x203B
    )


def reads_as_japanese(text: str) -> bool:
    """True when the non-ASCII characters of ``text`` read as Japanese.

    Bytes of Western text (Windows-1252) often decode as CP932 too, into kanji, half-width
    katakana and private-use characters: "Décor" → ``D`` + a kanji + ``or``. Such *misfits* are
    counted: private-use and control characters, half-width katakana or a single kanji
    touching ASCII letters. Japanese text has Japanese characters and hardly any misfits (at
    most one in twenty of its Japanese characters).
    """
    japanese = misfits = 0
    n = len(text)
    for i, ch in enumerate(text):
        if ch < "\x80":
            continue
        category = unicodedata.category(ch)
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < n else ""
        latin_before = before.isascii() and before.isalpha()
        latin_after = after.isascii() and after.isalpha()
        if category in ("Co", "Cc", "Cn"):
            misfits += 1
        elif (
            "\uff61" <= ch <= "\uff9f"
        ):  # half-width katakana: beside Latin letters or kanji, a misfit
            if (
                latin_before
                or latin_after
                or _is_japanese_char(before)
                or _is_japanese_char(after)
                or (ch in "\uff9e\uff9f" and not "\uff66" <= before <= "\uff9d")
            ):
                misfits += 1
            else:
                japanese += 1
        elif _is_japanese_char(ch):
            if latin_before and latin_after:
                misfits += 1
            else:
                japanese += 1
        else:
            misfits += 1
    return japanese > 0 and misfits <= japanese // 20


def encoding_label(encoding: str) -> str:
    """A reader's name for an encoding: ``cp1252`` → ``Windows-1252``, ``cp932`` →
    ``Shift_JIS (CP932)``, ``latin_1`` → ``Latin-1 (ISO-8859-1)``; others unchanged."""
    return _ENCODING_LABELS.get(encoding, encoding)


_ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "utf-16": "UTF-16",
    "cp932": "Shift_JIS (CP932)",
    "euc_jp": "EUC-JP",
    "euc_jis_2004": "EUC-JIS-2004",
    "iso2022_jp": "ISO-2022-JP",
    "cp1252": "Windows-1252",
    "latin_1": "Latin-1 (ISO-8859-1)",
}


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding, errors="strict")
    except (UnicodeDecodeError, LookupError):
        return False
    return True


_ODD_CATEGORIES = frozenset({"Co", "Cn", "Cs"})


def _checked(text: str, encoding: str) -> tuple[str, str]:
    """Refuse text that text never looks like: more than one character per thousand that text
    never holds (private-use, unassigned or surrogate code points, U+FFFD), or more control
    characters than :func:`looks_binary` allows (C1 controls included). A binary file that
    happened to decode."""
    sample = text[:20000]
    odd = sum(1 for ch in sample if ch == "\ufffd" or unicodedata.category(ch) in _ODD_CATEGORIES)
    controls = sum(1 for ch in sample if _is_control(ch))
    if sample and (odd > len(sample) // 1000 or controls > max(SPARSE_CONTROLS, len(sample) // 50)):
        raise UploadError("binary")
    return text, encoding


_WHITESPACE_CONTROLS = frozenset("\x0b\x0c\x1c\x1d\x1e\x1f\x85")
"""Controls that separate text (vertical tab, form feed, information separators, next line):
they become a space."""


def _is_control(ch: str) -> bool:
    """A C0 or C1 control character other than tab and line breaks (DEL included)."""
    return (ch < " " and ch not in "\t\n\r") or "\x7f" <= ch <= "\x9f"


_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_cell(text: str) -> tuple[str, str]:
    """``text`` without control characters, and the characters taken out.

    Controls that separate text (:data:`_WHITESPACE_CONTROLS`: vertical tab, form feed, next
    line, ...) become a space; other C0 and C1 controls (NUL, bell, escape, DEL, ...) are
    removed; tab and line breaks stay. The second value lists each distinct character
    taken out as ``U+000B`` (space-separated, in order of first appearance), ``""`` when the
    cell was clean.

    Example: ``clean_cell("Tokamak\\x0bEnergy")`` → ``("Tokamak Energy", "U+000B")``.
    """
    found = _CONTROL_RE.findall(text)
    if not found:
        return text, ""
    cleaned = _CONTROL_RE.sub(lambda m: " " if m.group() in _WHITESPACE_CONTROLS else "", text)
    return cleaned, " ".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(found))


def choose_delimiter(text: str) -> str:
    """The delimiter (``,`` ``;`` tab) under which most rows share one field count (>1).

    Rows are parsed as CSV (quotes respected, so a quoted cell holding another delimiter or a
    line break does not mislead), over the first 200 rows. A delimiter under which the quotes
    do not parse (a quote in the middle of a field) is only chosen when every one fails.
    """

    def sample(delim: str, strict: bool) -> list[list[str]]:
        rows = []
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=strict):
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) >= 200:
                break
        return rows

    best, best_score = ",", -1
    for delim in DELIMITERS:
        try:
            rows, clean = sample(delim, strict=True), True
        except csv.Error:
            rows, clean = sample(delim, strict=False), False
        counts = Counter(len(r) for r in rows if len(r) > 1)
        if not counts:
            continue
        width, n = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = n * 1000 + width + (10**9 if clean else 0)
        if score > best_score:
            best, best_score = delim, score
    return best


_XLSX_CONTROL_ESCAPE = re.compile(r"_x(00[01][0-9A-Fa-f]|007[Ff]|008[0-9A-Fa-f]|009[0-9A-Fa-f])_")
"""Excel writes a control character in a cell as ``_x000B_`` (ECMA-376 ST_Xstring); openpyxl
leaves these escapes as text, so they are read back as the characters they stand for (and
then taken out and listed, :func:`clean_cell`)."""


def _cell(value: object) -> str:
    """An XLSX cell as text: whole numbers without ``.0``, dates as ISO, text unchanged but
    for Excel's escapes of control characters (``_x000B_`` → U+000B)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return (
        _XLSX_CONTROL_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text
    )


def _xlsx_rows(data: bytes) -> list[list[str]]:
    """Rows of the first non-empty worksheet of an XLSX workbook, as text."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (
        zipfile.BadZipFile,
        KeyError,
        OSError,
        ValueError,
    ) as exc:  # the library's words: secondary detail
        raise UploadError("xlsx", detail=str(exc)[:200]) from exc
    try:
        for ws in wb.worksheets:
            rows = [[_cell(v) for v in row] for row in ws.iter_rows(values_only=True)]
            if any(any(c.strip() for c in r) for r in rows):
                return rows
    finally:
        wb.close()
    raise UploadError("empty")


def _is_total(cells: list[str]) -> bool:
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
    plain = sum(
        1 for ch in cell if ch.isalnum() or ch in _NAME_PUNCTUATION or _is_japanese_char(ch)
    )
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


def read_table(data: bytes, file_name: str, max_bytes: int = MAX_UPLOAD_BYTES) -> RawTable:
    """Read an uploaded CSV/TSV/XLSX file into a :class:`RawTable`.

    Args:
        data: the file's bytes.
        file_name: its name (``.xlsx`` or the ZIP signature selects the XLSX reader).
        max_bytes: size limit in bytes.

    Raises:
        UploadError: ``too_large`` (values ``size``, ``limit``), ``empty``, ``binary``,
            ``encoding``, ``unclosed_quote`` (value ``line``), ``xlsx``, ``no_header`` or
            ``no_rows``.
    """
    if len(data) > max_bytes:
        raise UploadError("too_large", size=human_size(len(data)), limit=human_size(max_bytes))
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise UploadError("empty")
    digest = content_hash(data)
    text = ""
    if data.startswith(_XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm")):
        rows, encoding, delimiter = _xlsx_rows(data), "xlsx", ""
        starts = list(range(1, len(rows) + 1))
    else:
        text, encoding = decode(data)
        delimiter = choose_delimiter(text)
        rows, starts = _csv_rows(text, delimiter)
    raw_rows = rows
    rows, cleaned_at = _clean_rows(rows)
    name_only = False
    try:
        h = find_header(rows)
    except UploadError:
        found = name_only_header(rows)
        if found is None:
            if cleaned_at:  # control characters and no table: not a spreadsheet
                raise UploadError("binary") from None
            raise
        name_only = True
        if encoding != "xlsx":  # one column: a comma inside a name stays in it
            raw_rows, starts = _csv_rows(text, _NO_DELIMITER)
            rows, cleaned_at = _clean_rows(raw_rows)
        else:
            rows = [[next((c for c in r if c.strip()), "")] for r in rows]
            cleaned_at = {(i, 0): chars for (i, _), chars in cleaned_at.items()}
        h = found
    if h >= 0:
        header = [c.strip() for c in rows[h]]
    else:
        header = [""]
    width = len(header)
    skipped = [
        (i + 1, "title" if any(c.strip() for c in rows[i]) else "blank") for i in range(max(h, 0))
    ]
    warnings: list[tuple[int, str, int]] = []
    extra: list[tuple[int, tuple[str, ...]]] = []
    out: list[tuple[int, tuple[str, ...]]] = []
    kept = {h} if h >= 0 else set()
    for i in range(h + 1, len(rows)):
        cells = [c.strip() for c in rows[i]]
        if not any(cells):
            skipped.append((i + 1, "blank"))
            continue
        if _is_total(cells):
            skipped.append((i + 1, "total"))
            continue
        kept.add(i)
        cells = (cells + [""] * width)[: max(width, len(cells))]
        out.append((i + 1, tuple(cells[:width])))
        if any(cells[width:]):
            extra.append((i + 1, tuple(c for c in cells[width:] if c)))
        if (
            encoding != "xlsx"
            and not name_only
            and any(_holds_rows(c, delimiter, width) for c in raw_rows[i])
        ):
            warnings.append((i + 1, "quote_span", starts[i]))
    if not out:
        raise UploadError("no_rows")
    cleaned = tuple(
        (i + 1, col, chars) for (i, col), chars in sorted(cleaned_at.items()) if i in kept
    )
    return RawTable(
        file_name,
        digest,
        encoding,
        "" if name_only else delimiter,
        h + 1,
        tuple(header),
        tuple(out),
        tuple(skipped),
        tuple(warnings),
        tuple(extra),
        cleaned,
        name_only,
    )


_NO_DELIMITER = "\ufdd0"
"""A noncharacter (never in interchange text): parsing with it as the separator reads each
line as one cell, quotes still respected."""


def _clean_rows(rows: list[list[str]]) -> tuple[list[list[str]], dict[tuple[int, int], str]]:
    """Rows with control characters taken out of every cell (:func:`clean_cell`), and
    ``{(row index, column index): characters}`` for the cells that held some."""
    found: dict[tuple[int, int], str] = {}
    out = []
    for i, row in enumerate(rows):
        cells = []
        for j, cell in enumerate(row):
            text, chars = clean_cell(cell)
            if chars:
                found[(i, j)] = chars
            cells.append(text)
        out.append(cells)
    return out, found


def _holds_rows(cell: str, delimiter: str, width: int) -> bool:
    """True when a cell runs over lines and a later line of it looks like a whole row
    (at least ``width - 1`` separators): probably rows swallowed by an unclosed quote."""
    if "\n" not in cell:
        return False
    return any(line.count(delimiter) >= max(1, width - 1) for line in cell.split("\n")[1:])


def _csv_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    """Parse CSV text: the rows and the physical line each row starts on (1-based).

    Raises:
        UploadError: ``unclosed_quote`` (value ``line``) when a quote opens and the file ends
            before it closes (the csv module would silently read every later line into it).
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    starts: list[int] = []
    previous = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "unexpected end of data" in str(exc):
                raise UploadError("unclosed_quote", line=previous + 1) from exc
            # a stray character after a closing quote ('"a"b'): read leniently, as before
            return _lenient_rows(text, delimiter)
        rows.append(row)
        starts.append(previous + 1)
        previous = reader.line_num
    return rows, starts


def _lenient_rows(text: str, delimiter: str) -> tuple[list[list[str]], list[int]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, starts, previous = [], [], 0
    for row in reader:
        rows.append(row)
        starts.append(previous + 1)
        previous = reader.line_num
    if text.count('"') % 2:
        # the lenient reader ends an open quote at the end of the file: name where it opened
        opened = next(
            (starts[i] for i, r in enumerate(rows) if any("\n" in c for c in r)),
            starts[-1] if starts else 1,
        )
        raise UploadError("unclosed_quote", line=opened)
    return rows, starts
