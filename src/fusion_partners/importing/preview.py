"""The preview of an import shown as data: row selections, a table in the user's language, and
the whole preview and its findings as CSV downloads (also the command line's ``--errors``)."""

from __future__ import annotations

from collections.abc import Sequence

from fusion_partners.i18n import t
from fusion_partners.i18n.markup import echo
from fusion_partners.importing.findings import field_label
from fusion_partners.importing.plan import Plan, RowPlan

PREVIEW_VIEWS: tuple[str, ...] = ("all", "problems", "decide")
"""Row selections of the preview: every row, rows with errors or warnings, possible duplicates."""


def preview_rows(plan_: Plan, view: str = "all") -> list[RowPlan]:
    """The rows of a preview selection (see :data:`PREVIEW_VIEWS`), in file order."""
    if view == "problems":
        return [r for r in plan_.rows if r.findings]
    if view == "decide":
        return [r for r in plan_.rows if r.status == "duplicate"]
    return list(plan_.rows)


def preview_frame(rows: Sequence[RowPlan], lang: str = "en"):
    """Preview rows as a table in ``lang`` (pandas DataFrame).

    Columns: ``line``, ``status``, ``name`` (the interface language's name, falling back to
    the other), ``country`` (name and region code), ``messages`` (one line per finding,
    ``[column] message``), ``record`` (id), ``changes`` (list of field labels),
    ``company_number`` (only when any row has one). Cells are file text, shown as text.
    """
    import pandas as pd

    from fusion_partners.i18n.countries import country_label
    from fusion_partners.i18n.labels import display_name

    def place(row: RowPlan) -> str:
        code = row.values["country"]
        name = country_label(code, lang) if len(code) == 2 else code
        return f"{name} · {row.region_code}" if row.region_code else name

    frame = pd.DataFrame(
        {
            "line": [r.line for r in rows],
            "status": [t(f"import.status.{r.status}", lang) for r in rows],
            "name": [display_name(r.values["name_en"], r.values["name_ja"], lang) for r in rows],
            "country": [place(r) for r in rows],
            "messages": [
                "\n".join(f"[{f.where(lang)}] {f.message(lang)}" for f in r.findings) for r in rows
            ],
            "record": [r.org_id for r in rows],
            "changes": [[field_label(c, lang) for c in r.changed] for r in rows],
        }
    )
    if any(r.company_number for r in rows):
        frame["company_number"] = [r.company_number for r in rows]
    return frame


def preview_csv(plan_: Plan, lang: str = "en") -> bytes:
    """The whole preview as CSV (headers in ``lang``; see :func:`export.to_csv_bytes`)."""
    from fusion_partners.explore.export import to_csv_bytes

    frame = preview_frame(plan_.rows, lang)
    frame["changes"] = ["; ".join(c) for c in frame["changes"]]
    return to_csv_bytes(
        frame.rename(columns={c: t(f"import.col.{c}", lang) for c in frame.columns})
    )


def findings_csv(plan_: Plan, lang: str = "en") -> bytes:
    """Errors and warnings as a CSV for download, via :func:`export.to_csv_bytes` (UTF-8 with
    BOM for Japanese Excel, CRLF, cells from the file that look like formulas neutralised).

    Columns (in ``lang``): file, row, column, severity, message.
    """
    import pandas as pd

    from fusion_partners.explore.export import to_csv_bytes

    keys = ("file", "line", "column", "severity", "message")
    rows = [
        (
            echo(f.file, None),
            str(f.line or ""),
            f.where(lang),
            t(f"import.severity.{f.severity}", lang),
            f.message(lang, limit=500),
        )
        for f in plan_.all_findings()
    ]
    # Columns are the interface's labels, so a finding about an unmapped field names it in words.
    frame = pd.DataFrame(
        rows, columns=[t(f"import.findings.{k}", lang) for k in keys], dtype=object
    )
    return to_csv_bytes(frame)
