"""Findings: the problems an import preview reports per row or for the whole file, as data.

A :class:`Finding` is a catalogue key with its values; it is put in words (in English or
Japanese) only when shown (:meth:`Finding.message`, :meth:`Finding.where`). Values taken from a
file are cleaned with :func:`markup.echo`; Markdown escaping is the interface's job.
"""

from __future__ import annotations

from dataclasses import dataclass

from fusion_partners.data.roster import Problem
from fusion_partners.i18n import has, plural_key, t
from fusion_partners.i18n.markup import echo

MEMBERSHIP_VALUES = ("held", "stated")
"""Finding values that are membership codes (shown as the council's name in each language)."""


@dataclass(frozen=True)
class Finding:
    """A problem with one row (or the whole file) of an import.

    ``key`` is a catalogue key (``import.problem.*`` or ``roster.problem.*``) formatted with
    ``values``; ``column`` is the file's own header text of the field (``""`` when the
    field has no column in the file); ``field`` is the roster field concerned.
    """

    file: str
    line: int
    column: str
    key: str
    values: tuple[tuple[str, str], ...] = ()
    severity: str = "error"
    field: str = ""

    def message(self, lang: str = "en", limit: int | None = 80) -> str:
        """The message in ``lang``: membership codes in the values are shown as council names,
        and a ``default`` vocabulary code (with its ``kind``) as its label. Values from the
        file are quoted through :func:`markup.echo` (invisible and bidirectional controls
        dropped, each cut to ``limit`` characters; ``None``: whole)."""
        values = {
            k: (t(f"membership.{v}", lang) if k in MEMBERSHIP_VALUES and v else echo(v, limit))
            for k, v in self.values
        }
        if values.get("kind") and values.get("default"):
            from fusion_partners.i18n.labels import vocab_label

            values["default"] = vocab_label(values["kind"], values["default"], lang)
        count = values.get("n", "")
        return t(
            plural_key(self.key, int(count), lang) if count.isdigit() else self.key, lang, **values
        )

    def where(self, lang: str = "en") -> str:
        """The column to name: the file's header (echoed, see :func:`markup.echo`), else the
        field's label in ``lang``."""
        if self.column:
            return echo(self.column, 60)
        return field_label(self.field, lang) if self.field else ""


def field_label(name: str, lang: str = "en") -> str:
    """A roster field in words (``source_urls`` → "Source URLs", ``prefecture_or_city`` →
    "Region / place"); the name itself when the catalogue has no label."""
    key = f"import.field.{'region' if name == 'prefecture_or_city' else name}"
    return t(key, lang) if has(key, lang) else name


def finding_from_problem(p: Problem, file: str, line: int, column: str) -> Finding:
    """A roster validation problem as a translatable finding (``roster.problem.<key>``)."""
    if p.key:
        return Finding(
            file, line, column, f"roster.problem.{p.key}", p.values, p.severity, p.column
        )
    return Finding(
        file, line, column, "import.problem.roster", (("reason", p.reason),), p.severity, p.column
    )
