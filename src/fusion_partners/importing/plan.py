"""The preview of an import as data: one :class:`RowPlan` per row and the :class:`Plan`.

:func:`fusion_partners.importing.planner.plan` makes a plan; :mod:`.preview` shows it as
tables and files, :func:`fusion_partners.importing.apply.apply` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from fusion_partners.data.roster import ORGANISATION_COLUMNS
from fusion_partners.importing.findings import Finding
from fusion_partners.importing.request import ImportFile

STATUSES: tuple[str, ...] = (
    "new",
    "update",
    "unchanged",
    "duplicate",
    "country",
    "skipped",
    "error",
)
"""Row results of a preview; ``country``: the row has no country and waits for one (chosen for
the whole file or for the row)."""


@dataclass
class RowPlan:
    """The preview of one data row. ``line`` is the row's number in the file (header = its line).

    ``candidates`` are existing organisations the row may be (``(id, name, score)``);
    ``same_as`` earlier rows of the same file that may be the same organisation
    (``(line, name, score)``); ``follows`` the earlier row this one is certainly the same
    organisation as (equal names): it goes wherever that row goes.
    """

    file_index: int
    line: int
    name: str
    values: dict[str, str]
    status: str = ""
    org_id: str = ""
    changed: tuple[str, ...] = ()
    candidates: tuple[tuple[str, str, float], ...] = ()
    findings: list[Finding] = field(default_factory=list)
    unmapped: tuple[str, ...] = ()
    region_code: str = ""
    company_number: str = ""
    same_as: tuple[tuple[int, str, float], ...] = ()
    follows: int = 0
    conflicts: tuple[tuple[str, str, str], ...] = ()
    """``(field, record's value, file's value)`` for fields the file gives differently from the
    record its name matches exactly: the record's values are kept, with a warning, unless the
    user decides ``replace`` for the row (``keep`` confirms)."""
    country_from: str = ""
    """Where the country came from when the row gives none: ``file`` (chosen for the whole
    file), ``row`` (chosen for this row), ``roster`` (the record the name matches); ``""``."""

    @property
    def has_error(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    @property
    def needs_decision(self) -> bool:
        """A possible duplicate the user decides (rows following another row do not). Rows with
        :attr:`conflicts` are not waiting: they may be decided (``replace``), not must."""
        return self.status != "error" and not self.follows and bool(self.candidates or self.same_as)


@dataclass
class Plan:
    """Result of :func:`plan`: per-row previews and the organisations after the import."""

    rows: list[RowPlan]
    before: list[dict[str, str]]
    after: list[dict[str, str]]
    findings: list[Finding] = field(default_factory=list)
    terms: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """``{status: number of rows}`` for every status in :data:`STATUSES`."""
        out = dict.fromkeys(STATUSES, 0)
        for r in self.rows:
            out[r.status] += 1
        return out

    @cached_property
    def added(self) -> list[str]:
        old = {o["id"] for o in self.before}
        return [o["id"] for o in self.after if o["id"] not in old]

    @cached_property
    def updated(self) -> dict[str, list[str]]:
        old = {o["id"]: o for o in self.before}
        out = {}
        for o in self.after:
            prev = old.get(o["id"])
            if prev is not None and prev != o:
                out[o["id"]] = [c for c in ORGANISATION_COLUMNS if prev.get(c, "") != o.get(c, "")]
        return out

    @property
    def blocked(self) -> bool:
        """True when the data after the import would not validate (nothing may be written)."""
        return any(f.severity == "error" for f in self.findings)

    @property
    def changes(self) -> bool:
        return bool(self.added or self.updated)

    def all_findings(self) -> list[Finding]:
        return [*self.findings, *(f for r in self.rows for f in r.findings)]

    def state(self) -> tuple[str, dict[str, int]]:
        """What the import would do, as a message key (``import.state.*``) and its counts.

        ``ready`` (something to write; ``errors``/``waiting`` rows are left out), ``blocked``
        (the roster would not validate), ``nothing_importable`` (no row can be imported yet:
        every row has errors, waits for a decision or is skipped) or ``up_to_date`` (every
        importable row is already in the roster).
        """
        counts = self.counts()
        values = {
            "errors": counts["error"],
            "waiting": counts["duplicate"] + counts["country"],
            "skipped": counts["skipped"],
            "changes": len(self.added) + len(self.updated),
            "rows": len(self.rows),
        }
        if self.blocked:
            return "blocked", values
        if self.changes:
            return "ready", values
        if counts["unchanged"] == 0 and (
            counts["error"] or counts["duplicate"] or counts["country"] or counts["skipped"]
        ):
            return "nothing_importable", values
        return "up_to_date", values


def note_row(
    row: RowPlan,
    f: ImportFile,
    key: str,
    severity: str = "warning",
    fld: str = "name_en",
    **values: object,
) -> None:
    """Add an import finding (``import.problem.<key>``) to ``row``, naming the file's column of
    the roster field ``fld`` (see :meth:`ImportFile.header_of`)."""
    row.findings.append(
        Finding(
            f.table.file_name,
            row.line,
            f.header_of(fld),
            f"import.problem.{key}",
            tuple((k, str(v)) for k, v in values.items()),
            severity,
            fld,
        )
    )
