"""The Import page's one way into the core: read an upload, map it, plan, preview, write, undo.

The page's widgets (``ui/import_*.py``) call these functions and read the data they return;
they never read a file or the curated CSVs themselves. Every path is the configured data folder
and database (:mod:`fusion_partners.config`). Messages come back as
:class:`~fusion_partners.importing.notices.Notice` data, which the interface escapes and shows.
The import log is read from the database through ``queries.imports.import_log``.

The steps, in the page's order:

1. :func:`recover` — roll back a write that died mid-way;
2. :func:`read_upload` and :func:`upload_notices` — the file as a table, and what was read;
3. :func:`guessed_mapping`, :func:`column_sample`, :func:`mapping_notices` — the columns;
4. :func:`valid_source_url`, :func:`country_choices`, :func:`capability_terms`,
   :func:`capability_choices` — the options and capability mappings;
5. :func:`plan_import` (cached by the page under :func:`plan_key` and :func:`data_stamp`),
   :func:`file_notices`, :func:`preview_rows`, :func:`preview_frame`, :func:`preview_csv`,
   :func:`findings_csv` — the preview;
6. :func:`apply_import` — the write;
7. :func:`last_import` and :func:`undo_import` — undo.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from fusion_partners import config
from fusion_partners.data import recovery
from fusion_partners.data.load import ORGANISATIONS_FILE, TAXONOMY_FILE, search_synonyms
from fusion_partners.data.roster import CONFIDENCES, ORG_TYPES, URL_RE, group_rows, read_csv_rows
from fusion_partners.i18n.markup import echo
from fusion_partners.importing.apply import ImportBlocked, apply
from fusion_partners.importing.capability_match import CapabilityMatcher
from fusion_partners.importing.curate import load_organisations
from fusion_partners.importing.findings import Finding
from fusion_partners.importing.mapping import FIELDS
from fusion_partners.importing.notices import (
    Notice,
    error_notices,
    file_notices,
    mapping_notices,
    notice,
)
from fusion_partners.importing.notices import upload_notices as _table_notices
from fusion_partners.importing.plan import Plan, RowPlan
from fusion_partners.importing.planner import plan
from fusion_partners.importing.preview import (
    PREVIEW_VIEWS,
    findings_csv,
    preview_csv,
    preview_frame,
    preview_rows,
)
from fusion_partners.importing.request import (
    COUNCILS,
    ImportFile,
    ImportOptions,
    ImportRequest,
    proposed_mapping,
)
from fusion_partners.importing.rows import capability_terms
from fusion_partners.importing.table import RawTable, UploadError
from fusion_partners.importing.undo import last_applied, undo_last
from fusion_partners.importing.upload import MAX_UPLOAD_BYTES, content_hash, read_table

__all__ = [
    "CONFIDENCES",
    "COUNCILS",
    "FIELDS",
    "MAX_UPLOAD_BYTES",
    "ORG_TYPES",
    "PREVIEW_VIEWS",
    "CapabilityChoices",
    "Finding",
    "ImportFile",
    "ImportOptions",
    "ImportRequest",
    "LastImport",
    "Notice",
    "Outcome",
    "Plan",
    "RawTable",
    "RowPlan",
    "TermChoice",
    "Upload",
    "apply_import",
    "capability_choices",
    "capability_terms",
    "column_sample",
    "content_hash",
    "country_choices",
    "data_stamp",
    "file_notices",
    "findings_csv",
    "guessed_mapping",
    "last_import",
    "mapping_notices",
    "plan_import",
    "plan_key",
    "preview_csv",
    "preview_frame",
    "preview_rows",
    "read_upload",
    "recover",
    "undo_import",
    "upload_notices",
    "valid_source_url",
]


# --- recovery and upload --------------------------------------------------------------------


def recover() -> Notice | None:
    """Roll back a write to the data folder that died mid-way
    (:func:`fusion_partners.data.recovery.recover`); a warning when one was rolled back.

    Raises:
        OSError: the data folder cannot be repaired (as :func:`recovery.recover`).
    """
    if recovery.recover(config.data_dir(), config.db_path()) == "rolled_back":
        return notice("warning", "import.recovered")
    return None


@dataclass(frozen=True)
class Upload:
    """An uploaded file read as a table (``table``), or why it cannot be (``error``)."""

    table: RawTable | None
    error: UploadError | None = None


def read_upload(data: bytes, file_name: str) -> Upload:
    """Read an uploaded CSV/TSV/XLSX file (:func:`upload.read_table`, with its size limit
    :data:`MAX_UPLOAD_BYTES`); a file that cannot be read gives an :class:`Upload` with its
    :class:`UploadError` instead of raising."""
    try:
        return Upload(read_table(data, file_name))
    except UploadError as exc:
        return Upload(None, exc)


def upload_notices(upload: Upload, lang: str) -> list[Notice]:
    """What to say about an upload: why it cannot be read, or what was read and what was
    skipped, cleaned or left out (:func:`notices.upload_notices`)."""
    if upload.table is None:
        return error_notices(upload.error) if upload.error is not None else []
    return _table_notices(upload.table, lang)


# --- mapping and options --------------------------------------------------------------------


def guessed_mapping(table: RawTable) -> dict[int, str]:
    """``{column index: field}`` proposed for a read file (:func:`request.proposed_mapping`)."""
    return proposed_mapping(table)


def column_sample(table: RawTable, index: int) -> str:
    """The first filled cell of column ``index`` among the first 500 rows (``""`` when none)."""
    for _, cells in table.rows[:500]:
        if index < len(cells) and cells[index]:
            return cells[index]
    return ""


def valid_source_url(url: str) -> bool:
    """True when ``url`` is a source URL the roster accepts (``http(s)://…``, see ``roster.URL_RE``)."""
    return bool(URL_RE.match(url))


def country_choices() -> list[str]:
    """Countries offered for rows without one: Japan and the United Kingdom first, then every
    ISO 3166-1 country (pycountry) by code."""
    import pycountry

    return [
        "JP",
        "GB",
        *sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 not in ("JP", "GB")),
    ]


@dataclass(frozen=True)
class TermChoice:
    """One capability text of a file and the choice offered for it.

    Attributes:
        term: the text as the file writes it.
        rows: rows using it.
        options: ``""`` (unmapped), the ranked suggestions, then every other capability group.
        scores: ``{slug: score}`` (0–100) of the ranked suggestions.
        auto: the slug preselected (``""``: none).
    """

    term: str
    rows: int
    options: tuple[str, ...]
    scores: Mapping[str, float]
    auto: str


@dataclass(frozen=True)
class CapabilityChoices:
    """Choices for the most frequent capability texts of a file; ``labels`` names every
    capability group in the page's language; ``more`` texts beyond them use the automatic
    choice."""

    labels: Mapping[str, str]
    terms: tuple[TermChoice, ...]
    more: int


def _taxonomy_rows() -> list[dict[str, str]]:
    """The capability groups of the curated taxonomy (imports map free text to groups)."""
    _, rows = read_csv_rows(config.data_dir() / TAXONOMY_FILE)
    return group_rows(rows)


def capability_choices(terms: Mapping[str, int], lang: str, limit: int) -> CapabilityChoices:
    """Ranked suggestions (:class:`CapabilityMatcher`, with the search synonyms) for the
    ``limit`` most frequent of ``terms`` (capability text → rows, see :func:`capability_terms`),
    against the curated taxonomy's groups."""
    tax = _taxonomy_rows()
    labels = {r["slug"]: r["label_ja"] if lang == "ja" else r["label_en"] for r in tax}
    matcher = CapabilityMatcher(tax, search_synonyms(config.data_dir()))
    ranked_terms = sorted(terms.items(), key=lambda kv: -kv[1])[:limit]
    choices = []
    for term, n in ranked_terms:
        ranked = matcher.suggest(term, 3)
        scores = dict(ranked)
        options = ("", *[s for s, _ in ranked], *[s for s in labels if s not in scores])
        choices.append(TermChoice(term, n, options, scores, matcher.auto(term)))
    return CapabilityChoices(labels, tuple(choices), len(terms) - len(ranked_terms))


# --- preview --------------------------------------------------------------------------------


def plan_key(request: ImportRequest) -> str:
    """Cache key of a preview: the files' hashes and every choice (mapping, capabilities,
    decisions, options), never the files' contents."""
    parts = (
        tuple((f.table.content_hash, f.table.file_name, f.mapping) for f in request.files),
        request.capabilities,
        request.decisions,
        request.options,
        request.countries,
    )
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def data_stamp() -> int:
    """Modification time (ns) of the curated ``organisations.csv`` (0 when missing): a cache
    key part that changes when an import, an undo or a curator changes the roster."""
    path = config.data_dir() / ORGANISATIONS_FILE
    return path.stat().st_mtime_ns if path.exists() else 0


def plan_import(request: ImportRequest) -> Plan:
    """The preview of ``request`` against the current curated data (organisations, taxonomy,
    search synonyms; :func:`planner.plan`). Nothing is written."""
    data = config.data_dir()
    _, tax = read_csv_rows(data / TAXONOMY_FILE)
    return plan(
        request,
        load_organisations(data / ORGANISATIONS_FILE),
        [r for r in tax if r],
        synonyms=search_synonyms(data),
    )


# --- write and undo -------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a write or an undo did: the message for the page and, when something was written,
    the entry for the editors' log (``(action, reference, detail)``)."""

    notice: Notice
    log: tuple[str, str, str] | None = None


def apply_import(request: ImportRequest) -> Outcome:
    """Write ``request`` (:func:`apply.apply`, in one transaction) and say how it went.

    Never raises: the import would not validate (``import.blocked``), another write holds the
    lock (``import.busy``) or any other failure (``import.failed``, nothing written) is an
    error or warning notice; nothing to change is ``import.state.up_to_date``; success is
    ``import.done`` with the editors' log entry ``("import", import id, "N added, M updated")``.
    """
    try:
        result = apply(request, config.data_dir(), config.db_path())
    except ImportBlocked as exc:
        return Outcome(notice("error", "import.blocked", reason=echo(exc, 300)))
    except recovery.Busy:
        return Outcome(notice("warning", "import.busy"))
    except Exception as exc:  # noqa: BLE001 - shown in plain words; nothing was written
        return Outcome(notice("error", "import.failed", error=echo(exc, 300)))
    if result.import_id is None:
        return Outcome(notice("info", "import.state.up_to_date"))
    added, updated = len(result.added), len(result.updated)
    done = notice(
        "success", "import.done", import_id=result.import_id, added=added, updated=updated
    )
    return Outcome(done, ("import", result.import_id, f"{added} added, {updated} updated"))


@dataclass(frozen=True)
class LastImport:
    """The newest applied import of the log (the one :func:`undo_import` takes back)."""

    import_id: str
    file_name: str
    imported_at: str

    def names(self) -> dict[str, str]:
        """Values of the undo messages: ``file`` (cleaned, at most 60 characters) and ``when``
        (``2026-11-29T10:45:00Z`` → ``2026-11-29 10:45``, UTC as recorded)."""
        return {
            "file": echo(self.file_name, 60),
            "when": self.imported_at.replace("T", " ")[:16],
        }


def last_import() -> LastImport | None:
    """The newest applied import (:func:`undo.last_applied`), ``None`` when there is none."""
    last = last_applied(config.data_dir())
    if last is None:
        return None
    return LastImport(last["import_id"], last["file_name"], last["imported_at"])


def undo_import(last: LastImport, user: str) -> Outcome:
    """Undo the newest applied import (:func:`undo.undo_last`) as ``user``; ``last`` is the
    import the page offered to undo, named in the message.

    Never raises: a busy lock or a failure is a notice (nothing written); success is
    ``import.undone`` with the editors' log entry ``("undo", import id, file name)``.
    """
    try:
        undo_last(config.data_dir(), config.db_path(), user)
    except recovery.Busy:
        return Outcome(notice("warning", "import.busy"))
    except Exception as exc:  # noqa: BLE001 - shown in plain words; nothing was written
        return Outcome(notice("error", "import.failed", error=echo(exc, 300)))
    return Outcome(
        Notice("success", "import.undone", tuple(last.names().items())),
        ("undo", last.import_id, last.file_name),
    )
