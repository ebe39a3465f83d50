"""Bytes to text: which encoding a CSV file is in, and what is not text at all.

The encoding is decided on the *whole file* (:func:`decode`): UTF-8 (with or without a
byte-order mark); else CP932 or another Japanese encoding charset-normalizer proposes, when the
whole file decodes strictly and reads as Japanese (:func:`reads_as_japanese`); else
Windows-1252 and Latin-1, as UK and European Excel write "Café Ltd". Nothing is replaced: a
file that does not decode is refused, and the preview names the encoding used
(:func:`encoding_label`). Binary content is refused whatever the file is called
(:func:`looks_binary`); a *few* control characters inside cells are cell content, taken out
by :func:`clean_cell`.
"""

from __future__ import annotations

import re
import unicodedata

from fusion_partners.importing.table import UploadError

_SJIS_FAMILY = {"shift_jis", "shift_jis_2004", "shift_jisx0213", "cp932", "ms932", "sjis"}

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


def is_japanese_char(ch: str) -> bool:
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
                or is_japanese_char(before)
                or is_japanese_char(after)
                or (ch in "\uff9e\uff9f" and not "\uff66" <= before <= "\uff9d")
            ):
                misfits += 1
            else:
                japanese += 1
        elif is_japanese_char(ch):
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
