"""Import page, the preview: counts per result, a page of the per-row table, the decisions, the
findings and the downloads.

The plan is made by the core (:func:`fusion_partners.importing.service.plan_import`) and cached
as a shared object (``st.cache_resource``, no copy per rerun) under the file's hash, the user's
choices and the version of the curated data; at most :data:`PAGE_ROWS` preview rows and
:data:`MAX_FINDINGS_LISTED` findings are sent to the browser, the rest is counted, paged or
downloadable.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from fusion_partners.i18n import format_number, t, t_md
from fusion_partners.i18n.markup import escape_markdown
from fusion_partners.importing import service
from fusion_partners.importing.service import Finding, ImportFile, ImportRequest, Plan
from fusion_partners.ui.import_decisions import choose_countries, decide, page_start
from fusion_partners.ui.import_notices import show

PAGE_ROWS = 200
"""Preview rows sent to the browser at once."""
MAX_FINDINGS_LISTED = 100
"""Findings listed on the page; all of them are in the downloadable file."""


@st.cache_resource(max_entries=2, show_spinner=False)
def _plan(key: str, stamp: int, _request: ImportRequest) -> Plan:
    return service.plan_import(_request)


def make_plan(request: ImportRequest, lang: str = "en") -> Plan:
    """The preview of ``request`` against the current curated data, cached per (file hash,
    mapping, options, decisions) and version of the data (a shared object: never mutate it).
    A spinner says what is happening while a large file is checked (about 0.1 ms per row
    and organisation block; see ``docs/benchmarks.md``)."""
    stamp = service.data_stamp()
    rows = sum(len(f.table.rows) for f in request.files)
    with st.spinner(t("import.planning", lang, rows=format_number(rows, lang))):
        return _plan(service.plan_key(request), stamp, request)


def preview(plan: Plan, file: ImportFile, lang: str) -> None:
    """Counts per result, a page of the per-row table, duplicate decisions and the downloads."""
    st.subheader(t("import.step.preview", lang))
    st.caption(t("import.preview.caption", lang))
    for notice in service.file_notices(file, lang):
        show(notice, lang)
    counts = plan.counts()
    for col, status in zip(st.columns(len(counts)), counts, strict=True):
        col.metric(t(f"import.status.{status}", lang), format_number(counts[status], lang))
    view = (
        st.segmented_control(
            t("import.preview.show", lang),
            list(service.PREVIEW_VIEWS),
            default="all",
            format_func=lambda v: t(f"import.preview.show.{v}", lang),
            key="imp_view",
        )
        or "all"
    )
    rows = service.preview_rows(plan, view)
    start = page_start(len(rows), PAGE_ROWS, f"imp_page_{view}", lang)
    shown = rows[start : start + PAGE_ROWS]
    if rows:
        st.caption(
            t(
                "import.preview.rows_of",
                lang,
                start=format_number(start + 1, lang),
                end=format_number(start + len(shown), lang),
                total=format_number(len(rows), lang),
            )
        )
    table = service.preview_frame(shown, lang)
    config_ = {k: st.column_config.TextColumn(t(f"import.col.{k}", lang)) for k in table.columns}
    config_["line"] = st.column_config.NumberColumn(t("import.col.line", lang), width="small")
    config_["name"] = st.column_config.TextColumn(t("import.col.name", lang), width="medium")
    config_["record"] = st.column_config.TextColumn(t("import.col.record", lang), width="medium")
    config_["status"] = st.column_config.TextColumn(t("import.col.status", lang), width="medium")
    config_["changes"] = st.column_config.ListColumn(t("import.col.changes", lang))
    config_["messages"] = st.column_config.TextColumn(t("import.col.messages", lang), width="large")
    st.dataframe(table, hide_index=True, width="stretch", column_config=config_, key="imp_preview")
    stem = Path(file.table.file_name).stem
    st.download_button(
        t("import.download_preview", lang),
        data=lambda: service.preview_csv(plan, lang),
        file_name=f"{stem}-preview.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/table_view:",
        key="imp_preview_csv",
    )
    decide(plan, file, lang)
    choose_countries(plan, file, lang)
    findings = plan.all_findings()
    if findings:
        with st.expander(t("import.findings.title", lang, n=format_number(len(findings), lang))):
            st.markdown("\n".join(_finding_item(f, lang) for f in findings[:MAX_FINDINGS_LISTED]))
            if len(findings) > MAX_FINDINGS_LISTED:
                st.caption(
                    t(
                        "import.findings.more",
                        lang,
                        n=format_number(len(findings) - MAX_FINDINGS_LISTED, lang),
                    )
                )
        st.download_button(
            t("import.download_findings", lang),
            data=lambda: service.findings_csv(plan, lang),
            file_name=f"{stem}-findings.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
            key="imp_findings",
        )
    for f in plan.findings[:10]:
        (st.error if f.severity == "error" else st.warning)(escape_markdown(f.message(lang)))


def _finding_item(f: Finding, lang: str) -> str:
    severity = t(f"import.severity.{f.severity}", lang)
    if not f.line:
        return "- " + t_md(
            "import.findings.line_item.file",
            lang,
            severity=severity,
            column=f.where(lang) or "—",
            message=f.message(lang),
        )
    return "- " + t_md(
        "import.findings.line_item",
        lang,
        line=f.line,
        severity=severity,
        column=f.where(lang) or "—",
        message=f.message(lang),
    )
