"""A file read as a table of text cells, and the error for a file that cannot be read.

:class:`RawTable` is what :func:`fusion_partners.importing.upload.read_table` returns;
:class:`UploadError` carries a catalogue key (``upload.error.*``) and its values, so the
interface can say what went wrong in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
            held control characters, which were taken out (:func:`encodings.clean_cell`); characters
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
