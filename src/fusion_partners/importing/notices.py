"""What the Import page says about a file, as data: a catalogue key and its values per message.

A :class:`Notice` is built here, in the core, and shown by the interface, which escapes its
values for Markdown (:func:`i18n.t_md`) — so a file's names, headers and cells are quoted
literally and cannot draw links, images or icons. Text taken from a file is cleaned and
shortened with :func:`markup.echo` here, never escaped.

* :func:`upload_notices`: why a file cannot be read, or what was read (encoding, separator,
  header row, rows) and what was skipped, cleaned or left out while reading it;
* :func:`file_notices`: a list of names only, and the columns that are not stored;
* :func:`mapping_notices`: a field chosen for two columns, or no name column.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fusion_partners.i18n import format_number, t
from fusion_partners.i18n.markup import echo
from fusion_partners.importing.encodings import encoding_label
from fusion_partners.importing.request import ImportFile
from fusion_partners.importing.table import RawTable, UploadError

LEVELS: tuple[str, ...] = ("text", "caption", "info", "success", "warning", "error")
"""How a notice is shown: ``text`` as body text, ``caption`` as small print, the others as boxes
of that kind."""

MAX_SKIPPED_LISTED = 50
"""Skipped rows named in the upload's caption; the others are counted."""
MAX_UPLOAD_WARNINGS = 5
"""Warnings shown per kind (suspicious quotes, cleaned cells) while reading; the rest counted."""


@dataclass(frozen=True)
class Notice:
    """One message for the page.

    Attributes:
        level: one of :data:`LEVELS`.
        key: catalogue key of the message.
        values: its placeholder values; text from a file already passed through
            :func:`markup.echo` (not escaped: the interface escapes every value).
        count: when given, the singular or plural wording for it (:func:`i18n.plural_key`).
    """

    level: str
    key: str
    values: tuple[tuple[str, object], ...] = ()
    count: int | None = None


def notice(level: str, key: str, count: int | None = None, **values: object) -> Notice:
    """A :class:`Notice` with ``values`` given as keywords."""
    return Notice(level, key, tuple(values.items()), count)


def error_notices(exc: UploadError) -> list[Notice]:
    """Why a file cannot be read: the error, and for a damaged workbook the reader's own words
    as a secondary caption (cleaned, at most 200 characters)."""
    out = [Notice("error", exc.key, tuple(exc.values.items()))]
    detail = exc.values.get("detail")
    if exc.kind == "xlsx" and detail:
        out.append(notice("caption", "upload.error.detail", detail=echo(detail, 200)))
    return out


def upload_notices(table: RawTable, lang: str) -> list[Notice]:
    """What was read from a file (in ``lang``): its kind, encoding, separator, header row and
    number of rows; the title, blank and total rows skipped (the first
    :data:`MAX_SKIPPED_LISTED` named); quoted cells over several lines, rows with cells beyond
    the header and cells control characters were taken out of (the first
    :data:`MAX_UPLOAD_WARNINGS` each)."""
    rows = format_number(len(table.rows), lang)
    file = echo(table.file_name, 80)
    if not table.header_line:
        encoding = "XLSX" if table.encoding == "xlsx" else encoding_label(table.encoding)
        out = [
            notice("text", "import.file_info.no_header", file=file, encoding=encoding, rows=rows)
        ]
    elif table.encoding == "xlsx":
        out = [
            notice(
                "text",
                "import.file_info.xlsx",
                len(table.rows),
                file=file,
                header_line=table.header_line,
                rows=rows,
            )
        ]
    else:
        delim = (
            "none"
            if table.name_only
            else {",": "comma", ";": "semicolon", "\t": "tab"}[table.delimiter]
        )
        out = [
            notice(
                "text",
                "import.file_info",
                len(table.rows),
                file=file,
                encoding=encoding_label(table.encoding),
                delimiter=t(f"import.delimiter.{delim}", lang),
                header_line=table.header_line,
                rows=rows,
            )
        ]
    if table.skipped:
        shown = table.skipped[:MAX_SKIPPED_LISTED]
        sep = t("import.list_sep", lang)
        listed = sep.join(t(f"import.skip.{why}", lang, line=line) for line, why in shown)
        if len(table.skipped) > len(shown):
            listed += sep + t(
                "import.preview.col.messages_more",
                lang,
                n=format_number(len(table.skipped) - len(shown), lang),
            )
        out.append(notice("caption", "import.skipped", rows=listed))
    for row, kind, line in table.warnings[:MAX_UPLOAD_WARNINGS]:
        out.append(notice("warning", f"upload.warning.{kind}", row=row, line=line))
    if table.extra:
        out.append(
            notice(
                "warning",
                "upload.warning.extra_rows",
                len(table.extra),
                n=format_number(len(table.extra), lang),
                rows=table.extra[0][0],
            )
        )
    for row, col, chars in table.cleaned[:MAX_UPLOAD_WARNINGS]:
        header = (table.header[col] if col < len(table.header) else "") or f"#{col + 1}"
        out.append(
            notice(
                "warning",
                "upload.warning.control_chars",
                row=row,
                column=echo(header, 60),
                chars=chars,
            )
        )
    if len(table.cleaned) > MAX_UPLOAD_WARNINGS:
        more = len(table.cleaned) - MAX_UPLOAD_WARNINGS
        out.append(notice("caption", "import.findings.more", n=format_number(more, lang)))
    return out


def file_notices(file: ImportFile, lang: str) -> list[Notice]:
    """Above the preview (in ``lang``): a list of names only (and the name field its column
    fills), and the columns whose values are not stored (:meth:`ImportFile.ignored_columns`)."""
    out = []
    if file.table.name_only:
        field = dict(file.mapping).get(0, "name_en")
        out.append(notice("info", "import.name_only", field=t(f"import.field.{field}", lang)))
    ignored = file.ignored_columns()
    if ignored:
        columns = t("import.list_sep", lang).join(echo(h, 60) for _, h in ignored)
        out.append(notice("info", "import.ignored_columns", columns=columns))
    return out


def mapping_notices(mapping: Mapping[int, str], lang: str) -> list[Notice]:
    """Why a column mapping (``{column index: field}``) cannot be confirmed, in ``lang``: a field
    chosen for two columns or more, and no column for an English or Japanese name. Empty when
    it can."""
    chosen = list(mapping.values())
    out = [
        notice("error", "import.mapping.twice", field=t(f"import.field.{f}", lang))
        for f in sorted({f for f in chosen if chosen.count(f) > 1})
    ]
    if not {"name_en", "name_ja"} & set(chosen):
        out.append(notice("error", "import.mapping.no_name"))
    return out
