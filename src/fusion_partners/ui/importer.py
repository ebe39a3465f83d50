"""Widgets of the Import page: editor access, upload, mapping, options, preview, write, undo.

Everything taken from an uploaded file (names, headers, cells, capability texts, the file
name) is shown through :func:`markup.escape_markdown` or :func:`i18n.t_md` wherever
Streamlit renders Markdown (labels, captions, messages, expander titles), so a file cannot
draw links, images or icons.

The page stays fast with large files: the read table and the plan are cached as shared
objects (``st.cache_resource``, no copy per rerun) under the file's hash and the user's
choices; at most :data:`PAGE_ROWS` preview rows, :data:`MAX_FINDINGS_LISTED` findings,
:data:`MAX_TERM_SELECTORS` capability selectors and :data:`DECISIONS_PER_PAGE` duplicate
selectors are sent to the browser; the rest is counted, paged or downloadable.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from fusion_partners import config
from fusion_partners.data import transaction as store
from fusion_partners.data.load import ORGANISATIONS_FILE, TAXONOMY_FILE, search_synonyms
from fusion_partners.data.roster import CONFIDENCES, ORG_TYPES, URL_RE, group_rows, read_csv_rows
from fusion_partners.db import DataError
from fusion_partners.i18n import format_number, t, t_md, tn, tn_md
from fusion_partners.i18n.countries import country_label
from fusion_partners.i18n.labels import display_name, vocab_label
from fusion_partners.i18n.markup import echo
from fusion_partners.i18n.markup import escape_markdown as _escape
from fusion_partners.importing.apply import ImportBlocked, apply
from fusion_partners.importing.capability_match import CapabilityMatcher
from fusion_partners.importing.curate import load_organisations
from fusion_partners.importing.encodings import encoding_label
from fusion_partners.importing.findings import Finding
from fusion_partners.importing.mapping import FIELDS
from fusion_partners.importing.plan import Plan
from fusion_partners.importing.planner import plan as make_import_plan
from fusion_partners.importing.preview import (
    PREVIEW_VIEWS,
    findings_csv,
    preview_csv,
    preview_frame,
    preview_rows,
)
from fusion_partners.importing.request import COUNCILS, ImportFile, ImportOptions, ImportRequest
from fusion_partners.importing.rows import capability_terms
from fusion_partners.importing.table import RawTable, UploadError
from fusion_partners.importing.undo import last_applied, undo_last
from fusion_partners.importing.upload import MAX_UPLOAD_BYTES, content_hash, human_size, read_table
from fusion_partners.queries import imports as import_queries
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.data import q

_CONFIRMED = "imp_confirmed"
_RESULT = "imp_result"
_GATE = "imp_token_gate"
_DECISIONS = "imp_decisions"
_COUNTRIES = "imp_countries"

PAGE_ROWS = 200
"""Preview rows sent to the browser at once."""
MAX_FINDINGS_LISTED = 100
"""Findings listed on the page; all of them are in the downloadable file."""
MAX_TERM_SELECTORS = 40
"""Capability texts offered for a choice (the most frequent); the others use the automatic choice."""
DECISIONS_PER_PAGE = 20
"""Possible duplicates offered for a decision at once."""


def editor_access(lang: str) -> bool:
    """Ask for the editor token when one is configured; say which mode the page is in.

    Wrong tokens are counted in the workspace, per client address and overall, so a reload
    does not reset them (:func:`.workspace.check_token`). An editor also gives a name, recorded with imports and undos.
    """
    token = wsui.configured_token()
    if not token:
        st.info(t("import.mode.not_configured", lang), icon=":material/visibility:")
        return False
    entered = st.text_input(
        t("import.token", lang), type="password", key="imp_token", help=t("import.token_help", lang)
    )
    verdict = wsui.check_token(entered, token, st.session_state.setdefault(_GATE, {}))
    if verdict.status == "ok":
        st.success(t("import.mode.editor", lang), icon=":material/edit:")
        st.text_input(t("import.editor_name", lang), key="imp_user")
        return True
    if verdict.status == "locked":
        st.error(
            t("import.token_locked", lang, seconds=verdict.seconds), icon=":material/lock_clock:"
        )
    elif verdict.status == "wrong":
        st.warning(t("import.token_wrong", lang), icon=":material/key_off:")
    st.info(t("import.mode.preview_only", lang), icon=":material/visibility:")
    return False


def editor_name() -> str:
    """The name the editor typed (``""`` when none)."""
    return str(st.session_state.get("imp_user", "") or "").strip()


@st.cache_resource(max_entries=4, show_spinner=False)
def _read(digest: str, name: str, _data: bytes) -> RawTable:
    """The file read once per (content hash, name) and shared, not copied, on every rerun."""
    return read_table(_data, name)


def upload(lang: str) -> RawTable | None:
    """The file uploader; returns the read table, or shows why the file cannot be read."""
    limit_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    file = st.file_uploader(
        t("import.upload", lang, limit_mb=limit_mb),
        type=["csv", "tsv", "txt", "xlsx"],
        key="imp_file",
        help=t("import.upload_help", lang),
    )
    if file is None:
        return None
    try:
        if file.size > MAX_UPLOAD_BYTES:
            raise UploadError(
                "too_large", size=human_size(file.size), limit=human_size(MAX_UPLOAD_BYTES)
            )
        data = file.getvalue()
        table = _read(content_hash(data), file.name, data)
    except UploadError as exc:
        st.error(t_md(exc.key, lang, **exc.values), icon=":material/error:")
        if exc.kind == "xlsx" and exc.values.get("detail"):  # the library's own words, secondary
            st.caption(t_md("upload.error.detail", lang, detail=echo(exc.values["detail"], 200)))
        return None
    if not table.header_line:
        st.markdown(
            t_md(
                "import.file_info.no_header",
                lang,
                file=echo(table.file_name, 80),
                encoding="XLSX" if table.encoding == "xlsx" else encoding_label(table.encoding),
                rows=format_number(len(table.rows), lang),
            )
        )
    elif table.encoding == "xlsx":
        st.markdown(
            tn_md(
                "import.file_info.xlsx",
                len(table.rows),
                lang,
                file=echo(table.file_name, 80),
                header_line=table.header_line,
                rows=format_number(len(table.rows), lang),
            )
        )
    elif table.name_only:
        st.markdown(
            tn_md(
                "import.file_info",
                len(table.rows),
                lang,
                file=echo(table.file_name, 80),
                encoding=encoding_label(table.encoding),
                delimiter=t("import.delimiter.none", lang),
                header_line=table.header_line,
                rows=format_number(len(table.rows), lang),
            )
        )
    else:
        delim = {",": "comma", ";": "semicolon", "\t": "tab"}[table.delimiter]
        st.markdown(
            tn_md(
                "import.file_info",
                len(table.rows),
                lang,
                file=echo(table.file_name, 80),
                encoding=encoding_label(table.encoding),
                delimiter=t(f"import.delimiter.{delim}", lang),
                header_line=table.header_line,
                rows=format_number(len(table.rows), lang),
            )
        )
    if table.skipped:
        shown = table.skipped[:50]
        rows = t("import.list_sep", lang).join(
            t(f"import.skip.{why}", lang, line=line) for line, why in shown
        )
        if len(table.skipped) > len(shown):
            rows += t("import.list_sep", lang) + t(
                "import.preview.col.messages_more",
                lang,
                n=format_number(len(table.skipped) - len(shown), lang),
            )
        st.caption(t_md("import.skipped", lang, rows=rows))
    for row, kind, line in table.warnings[:5]:
        st.warning(
            t_md(f"upload.warning.{kind}", lang, row=row, line=line), icon=":material/warning:"
        )
    if table.extra:
        st.warning(
            tn_md(
                "upload.warning.extra_rows",
                len(table.extra),
                lang,
                n=format_number(len(table.extra), lang),
                rows=table.extra[0][0],
            ),
            icon=":material/warning:",
        )
    for row, col, chars in table.cleaned[:5]:
        header = (table.header[col] if col < len(table.header) else "") or f"#{col + 1}"
        st.warning(
            t_md(
                "upload.warning.control_chars", lang, row=row, column=echo(header, 60), chars=chars
            ),
            icon=":material/warning:",
        )
    if len(table.cleaned) > 5:
        st.caption(t("import.findings.more", lang, n=format_number(len(table.cleaned) - 5, lang)))
    return table


def _sample(table: RawTable, i: int) -> str:
    for _, cells in table.rows[:500]:
        if i < len(cells) and cells[i]:
            return cells[i]
    return ""


def mapping_step(table: RawTable, lang: str) -> ImportFile | None:
    """Column → field selectors (proposed from the headers) and the confirm button.

    Returns the file with its mapping once the user confirmed exactly this mapping.
    """
    st.subheader(t("import.step.mapping", lang))
    st.caption(t("import.mapping.help", lang))
    guessed = dict(ImportFile.guessed(table).mapping)
    options = ["", *FIELDS]
    mapping: dict[int, str] = {}
    cols = st.columns(3)
    for i, header in enumerate(table.header):
        sample = echo(_sample(table, i), 40)
        choice = cols[i % 3].selectbox(
            t_md(
                "import.mapping.column",
                lang,
                column=echo(header, 60) or f"#{i + 1}",
                sample=sample or "—",
            ),
            options,
            index=options.index(guessed.get(i, "")),
            format_func=lambda f: t(f"import.field.{f or 'ignore'}", lang),
            key=f"imp_map_{table.content_hash[:12]}_{i}",
        )
        if choice:
            mapping[i] = choice
    chosen = ImportFile(table, tuple(sorted(mapping.items())))
    twice = sorted({f for f in mapping.values() if list(mapping.values()).count(f) > 1})
    for f in twice:
        st.error(t("import.mapping.twice", lang, field=t(f"import.field.{f}", lang)))
    if not {"name_en", "name_ja"} & set(mapping.values()):
        st.error(t("import.mapping.no_name", lang))
        return None
    if twice:
        return None
    if st.button(t("import.mapping.confirm", lang), key="imp_confirm", icon=":material/check:"):
        st.session_state[_CONFIRMED] = chosen.mapping, table.content_hash
    if st.session_state.get(_CONFIRMED) == (chosen.mapping, table.content_hash):
        st.caption(t("import.mapping.confirmed", lang))
        return chosen
    st.info(t("import.mapping.needs_confirm", lang))
    return None


def country_choices() -> list[str]:
    """Countries offered for rows without one: Japan and the United Kingdom first, then every
    ISO 3166-1 country (pycountry) by code."""
    import pycountry

    return [
        "JP",
        "GB",
        *sorted(c.alpha_2 for c in pycountry.countries if c.alpha_2 not in ("JP", "GB")),
    ]


def options_step(lang: str) -> ImportOptions:
    """Source URL, council member list, defaults for type, confidence, date and the country of
    rows that give none (a name-only member list)."""
    st.subheader(t("import.step.options", lang))
    url = st.text_input(
        t("import.source_url", lang), key="imp_source", help=t("import.source_url_help", lang)
    ).strip()
    if url and not URL_RE.match(url):
        st.error(t_md("import.source_url_bad", lang, url=echo(url, 80)))
        url = ""
    left, right = st.columns(2)
    council = left.selectbox(
        t("import.council", lang),
        ["", *COUNCILS],
        key="imp_council",
        format_func=lambda c: (
            vocab_label("membership", c, lang) if c else t("import.council.none", lang)
        ),
    )
    member_list = bool(council) and left.checkbox(
        t("import.member_list", lang), key="imp_member_list"
    )
    if member_list and not url:
        left.warning(t("import.member_list_needs_source", lang))
    org_type = right.selectbox(
        t("import.default_type", lang),
        list(ORG_TYPES),
        index=ORG_TYPES.index("other"),
        key="imp_type",
        format_func=lambda v: vocab_label("org_type", v, lang),
    )
    confidence = right.selectbox(
        t("import.default_confidence", lang),
        list(CONFIDENCES),
        index=1,
        key="imp_conf",
        format_func=lambda v: vocab_label("confidence", v, lang),
    )
    date = right.text_input(t("import.source_date", lang), key="imp_date").strip()
    country = left.selectbox(
        t("import.default_country", lang),
        ["", *country_choices()],
        key="imp_country",
        help=t("import.default_country_help", lang),
        format_func=lambda c: country_label(c, lang) if c else t("import.country.none", lang),
    )
    return ImportOptions(
        url, council, member_list, org_type, confidence, date, editor_name(), country or ""
    )


def _taxonomy_rows() -> list[dict[str, str]]:
    _, rows = read_csv_rows(config.data_dir() / TAXONOMY_FILE)
    return group_rows(rows)


@st.cache_resource(max_entries=4, show_spinner=False)
def _terms(key: str, _file: ImportFile) -> dict[str, int]:
    return capability_terms(_file)


def capability_step(file: ImportFile, lang: str) -> tuple[tuple[str, str], ...]:
    """One selector per capability text of the file (the :data:`MAX_TERM_SELECTORS` most
    frequent), preselected with the best suggestion; the others use the automatic choice."""
    st.subheader(t("import.step.capabilities", lang))
    terms = _terms(f"{file.table.content_hash}:{file.mapping}", file)
    if not terms:
        st.caption(t("import.cap.none", lang))
        return ()
    st.caption(t("import.cap.help", lang))
    tax = _taxonomy_rows()
    labels = {r["slug"]: r["label_ja"] if lang == "ja" else r["label_en"] for r in tax}
    matcher = CapabilityMatcher(tax, search_synonyms(config.data_dir()))
    chosen: list[tuple[str, str]] = []
    cols = st.columns(2)
    ranked_terms = sorted(terms.items(), key=lambda kv: -kv[1])[:MAX_TERM_SELECTORS]
    for i, (term, n) in enumerate(ranked_terms):
        ranked = matcher.suggest(term, 3)
        scores = dict(ranked)
        options = ["", *[s for s, _ in ranked], *[s for s in labels if s not in scores]]
        auto = matcher.auto(term)

        def option_label(s: str, sc: dict[str, float] = scores) -> str:
            if not s:
                return t("import.cap.unmapped", lang)
            return (
                t("import.cap.option", lang, label=labels[s], score=f"{sc[s]:.0f}")
                if s in sc
                else labels[s]
            )

        value = cols[i % 2].selectbox(
            tn_md("import.cap.term", n, lang, term=echo(term, 80), n=format_number(n, lang)),
            options,
            index=options.index(auto),
            format_func=option_label,
            key=f"imp_cap_{file.table.content_hash[:12]}_{hashlib.sha1(term.encode()).hexdigest()[:10]}",
        )
        chosen.append((term, value))
    if len(terms) > len(ranked_terms):
        st.caption(
            t("import.cap.more", lang, n=format_number(len(terms) - len(ranked_terms), lang))
        )
    return tuple(chosen)


def _decisions(file: ImportFile) -> dict[int, str]:
    """The session's duplicate decisions for this file (kept outside widget state, so decisions
    on another page of duplicates survive)."""
    return st.session_state.setdefault(_DECISIONS, {}).setdefault(file.table.content_hash, {})


def _countries(file: ImportFile) -> dict[int, str]:
    """The session's per-row country choices for this file (kept outside widget state)."""
    return st.session_state.setdefault(_COUNTRIES, {}).setdefault(file.table.content_hash, {})


def pending_countries(file: ImportFile) -> tuple[tuple[tuple[int, int], str], ...]:
    """Countries chosen for single rows in this session (read before planning)."""
    return tuple(sorted(((0, line), code) for line, code in _countries(file).items() if code))


def pending_decisions(file: ImportFile) -> tuple[tuple[tuple[int, int], str], ...]:
    """Decisions on possible duplicates already made in this session (read before planning)."""
    return tuple(sorted(((0, line), value) for line, value in _decisions(file).items() if value))


@st.cache_resource(max_entries=2, show_spinner=False)
def _plan(key: str, stamp: int, _request: ImportRequest) -> Plan:
    data = config.data_dir()
    _, tax = read_csv_rows(data / TAXONOMY_FILE)
    return make_import_plan(
        _request,
        load_organisations(data / ORGANISATIONS_FILE),
        [r for r in tax if r],
        synonyms=search_synonyms(data),
    )


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


def make_plan(request: ImportRequest, lang: str = "en") -> Plan:
    """The preview of ``request`` against the current curated data, cached per (file hash,
    mapping, options, decisions) and version of the data (a shared object: never mutate it).
    A spinner says what is happening while a large file is checked (about 0.1 ms per row
    and organisation block; see ``docs/benchmarks.md``)."""
    path = config.data_dir() / ORGANISATIONS_FILE
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    rows = sum(len(f.table.rows) for f in request.files)
    with st.spinner(t("import.planning", lang, rows=format_number(rows, lang))):
        return _plan(plan_key(request), stamp, request)


def _page(total: int, size: int, key: str, lang: str) -> int:
    """A page number input when ``total`` needs more than one page; returns the 0-based start."""
    pages = max(1, -(-total // size))
    if pages == 1:
        return 0
    page = st.number_input(
        t("import.preview.page", lang, pages=format_number(pages, lang)),
        min_value=1,
        max_value=pages,
        value=1,
        step=1,
        key=key,
    )
    return (int(page) - 1) * size


def preview(plan: Plan, file: ImportFile, lang: str) -> None:
    """Counts per result, a page of the per-row table, duplicate decisions and the downloads."""
    st.subheader(t("import.step.preview", lang))
    st.caption(t("import.preview.caption", lang))
    if file.table.name_only:
        field = dict(file.mapping).get(0, "name_en")
        st.info(
            t("import.name_only", lang, field=t(f"import.field.{field}", lang)),
            icon=":material/list:",
        )
    ignored = file.ignored_columns()
    if ignored:
        st.info(
            t_md(
                "import.ignored_columns",
                lang,
                columns=t("import.list_sep", lang).join(echo(h, 60) for _, h in ignored),
            ),
            icon=":material/visibility_off:",
        )
    counts = plan.counts()
    for col, status in zip(st.columns(len(counts)), counts, strict=True):
        col.metric(t(f"import.status.{status}", lang), format_number(counts[status], lang))
    view = (
        st.segmented_control(
            t("import.preview.show", lang),
            list(PREVIEW_VIEWS),
            default="all",
            format_func=lambda v: t(f"import.preview.show.{v}", lang),
            key="imp_view",
        )
        or "all"
    )
    rows = preview_rows(plan, view)
    start = _page(len(rows), PAGE_ROWS, f"imp_page_{view}", lang)
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
    table = preview_frame(shown, lang)
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
        data=lambda: preview_csv(plan, lang),
        file_name=f"{stem}-preview.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/table_view:",
        key="imp_preview_csv",
    )
    _decide(plan, file, lang)
    _choose_countries(plan, file, lang)
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
            data=lambda: findings_csv(plan, lang),
            file_name=f"{stem}-findings.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
            key="imp_findings",
        )
    for f in plan.findings[:10]:
        (st.error if f.severity == "error" else st.warning)(_escape(f.message(lang)))


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


def _decide(plan: Plan, file: ImportFile, lang: str) -> None:
    """One selector per possible duplicate (a page at a time); rows that follow an earlier
    row of the file are decided with it."""
    asked = [r for r in plan.rows if r.needs_decision or (r.conflicts and not r.follows)]
    if not asked:
        return
    st.markdown(f"**{t('import.decide.title', lang)}**")
    start = _page(len(asked), DECISIONS_PER_PAGE, "imp_dec_page", lang)
    stored = _decisions(file)
    prefix = f"imp_dec_{file.table.content_hash[:12]}_"
    for r in asked[start : start + DECISIONS_PER_PAGE]:
        if (
            r.conflicts
        ):  # merged automatically: keep the record's values (default) or take the file's
            options = ["", "replace", "skip"]
        else:
            options = [
                "",
                "skip",
                "add",
                *[f"merge:{cid}" for cid, _, _ in r.candidates],
                *[f"same:{line}" for line, _, _ in r.same_as],
            ]
        names = {f"merge:{cid}": (name, score) for cid, name, score in r.candidates}
        lines = {f"same:{line}": (line, name, score) for line, name, score in r.same_as}

        def label(v: str, names=names, lines=lines, keep=bool(r.conflicts)) -> str:
            if not v:
                return t("import.decide.keep" if keep else "import.decide.undecided", lang)
            if v in ("skip", "add", "replace"):
                return t(f"import.decide.{v}", lang)
            if v in lines:
                line, name, score = lines[v]
                return t(
                    "import.decide.same", lang, line=line, name=echo(name), score=f"{score:.0f}"
                )
            name, score = names[v]
            return t("import.decide.merge", lang, name=echo(name), score=f"{score:.0f}")

        current = stored.get(r.line, "")
        key = f"{prefix}{r.line}"
        st.selectbox(
            t_md(
                "import.decide.label",
                lang,
                line=r.line,
                name=echo(display_name(r.values["name_en"], r.values["name_ja"], lang)),
            ),
            options,
            index=options.index(current) if current in options else 0,
            format_func=label,
            key=key,
            on_change=_store_decision,
            args=(file.table.content_hash, r.line, key),
        )
    if len(asked) > start + DECISIONS_PER_PAGE:
        st.caption(
            t(
                "import.decide.more",
                lang,
                n=format_number(len(asked) - start - DECISIONS_PER_PAGE, lang),
            )
        )


def _choose_countries(plan: Plan, file: ImportFile, lang: str) -> None:
    """One country selector per row waiting for a country (a page at a time)."""
    waiting = [r for r in plan.rows if r.status == "country"]
    if not waiting:
        return
    st.markdown(f"**{t('import.decide.country_title', lang)}**")
    start = _page(len(waiting), DECISIONS_PER_PAGE, "imp_country_page", lang)
    stored = _countries(file)
    prefix = f"imp_ctry_{file.table.content_hash[:12]}_"
    options = ["", *country_choices()]
    for r in waiting[start : start + DECISIONS_PER_PAGE]:
        key = f"{prefix}{r.line}"
        current = stored.get(r.line, "")
        st.selectbox(
            t_md(
                "import.decide.label",
                lang,
                line=r.line,
                name=echo(display_name(r.values["name_en"], r.values["name_ja"], lang)),
            ),
            options,
            index=options.index(current) if current in options else 0,
            format_func=lambda c: (
                t("import.decide.country", lang, country=country_label(c, lang))
                if c
                else t("import.decide.undecided", lang)
            ),
            key=key,
            on_change=_store_country,
            args=(file.table.content_hash, r.line, key),
        )
    if len(waiting) > start + DECISIONS_PER_PAGE:
        st.caption(
            t(
                "import.decide.more",
                lang,
                n=format_number(len(waiting) - start - DECISIONS_PER_PAGE, lang),
            )
        )


def _store_country(digest: str, line: int, key: str) -> None:
    st.session_state.setdefault(_COUNTRIES, {}).setdefault(digest, {})[line] = (
        st.session_state.get(key) or ""
    )


def _store_decision(digest: str, line: int, key: str) -> None:
    st.session_state.setdefault(_DECISIONS, {}).setdefault(digest, {})[line] = (
        st.session_state.get(key) or ""
    )


def write_step(
    request: ImportRequest, plan: Plan, editor: bool, lang: str, just_done: bool = False
) -> None:
    """The state of the import in words, the import button (editors only) and its result."""
    st.subheader(t("import.step.write", lang))
    state, counts = plan.state()
    values = {k: format_number(v, lang) for k, v in counts.items()}
    if state == "up_to_date":
        st.info(
            t("import.state.just_applied" if just_done else "import.state.up_to_date", lang),
            icon=":material/task_alt:",
        )
    elif state == "nothing_importable":
        st.warning(t("import.state.nothing_importable", lang, **values), icon=":material/block:")
    elif state == "blocked":
        st.error(t("import.state.blocked", lang), icon=":material/block:")
    else:
        counts = {k: v for k, v in plan.state()[1].items() if k in ("errors", "waiting") and v}
        n_changes = len(plan.added) + len(plan.updated)
        if not editor:  # preview only: what an import would do, and who can do it
            st.info(
                " ".join(
                    [
                        tn(
                            "import.state.would_import",
                            n_changes,
                            lang,
                            n=format_number(n_changes, lang),
                        ),
                        *(
                            tn(
                                f"import.state.would_leave_out_{k}",
                                n,
                                lang,
                                n=format_number(n, lang),
                            )
                            for k, n in counts.items()
                        ),
                    ]
                ),
                icon=":material/visibility:",
            )
        elif counts:
            st.caption(
                " ".join(
                    tn(f"import.state.left_out_{k}", n, lang, n=format_number(n, lang))
                    for k, n in counts.items()
                )
            )
    n = len(plan.added) + len(plan.updated)
    clicked = st.button(
        tn("import.apply", n, lang, n=format_number(n, lang)),
        type="primary",
        icon=":material/upload:",
        disabled=not editor or state != "ready",
        key="imp_apply",
        help=None if editor else t("import.apply_help_preview", lang),
    )
    if clicked and editor:
        try:
            result = apply(request, config.data_dir(), config.db_path())
        except ImportBlocked as exc:
            st.session_state[_RESULT] = (
                "error",
                t_md("import.blocked", lang, reason=echo(exc, 300)),
            )
        except store.Busy:
            st.session_state[_RESULT] = ("warning", t("import.busy", lang))
        except Exception as exc:  # noqa: BLE001 - shown in plain words; nothing was written
            st.session_state[_RESULT] = ("error", t_md("import.failed", lang, error=echo(exc, 300)))
        else:
            if result.import_id is None:
                st.session_state[_RESULT] = ("info", t("import.state.up_to_date", lang))
            else:
                st.session_state[_RESULT] = (
                    "success",
                    t_md(
                        "import.done",
                        lang,
                        import_id=result.import_id,
                        added=len(result.added),
                        updated=len(result.updated),
                    ),
                )
                wsui.log(
                    editor_name(),
                    "import",
                    result.import_id,
                    f"{len(result.added)} added, {len(result.updated)} updated",
                )
        st.rerun()


def last_result() -> str | None:
    """Show (once) the message of the last import or undo; returns its kind (``success``...)."""
    kind, message = st.session_state.pop(_RESULT, (None, None))
    if kind:
        getattr(st, kind)(message)
    return kind


def _when(imported_at: str) -> str:
    """``2026-11-29T10:45:00Z`` → ``2026-11-29 10:45`` (UTC, as recorded)."""
    return imported_at.replace("T", " ")[:16]


def log_section(editor: bool, lang: str) -> None:
    """The import log (from the database) and, for editors, undo of the last applied import."""
    st.subheader(t("import.log.title", lang))
    try:
        log = q(import_queries.import_log)
    except DataError:
        log = pd.DataFrame()
    if log.empty:
        st.caption(t("import.log.empty", lang))
    else:
        shown = log[
            [
                "import_id",
                "file_name",
                "imported_at",
                "imported_by",
                "rows_added",
                "rows_updated",
                "status",
                "source_urls",
            ]
        ].copy()
        shown["status"] = [t(f"import.log.status.{s}", lang) for s in shown["status"]]
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            key="imp_log",
            column_config={
                c: st.column_config.Column(t(f"import.log.col.{c}", lang)) for c in shown.columns
            },
        )
    last = last_applied(config.data_dir())
    if last and editor:
        names = {"file": echo(last["file_name"], 60), "when": _when(last["imported_at"])}
        if st.button(t_md("import.undo", lang, **names), icon=":material/undo:", key="imp_undo"):
            try:
                undo_last(config.data_dir(), config.db_path(), editor_name())
            except store.Busy:
                st.session_state[_RESULT] = ("warning", t("import.busy", lang))
            except Exception as exc:  # noqa: BLE001 - shown in plain words; nothing was written
                st.session_state[_RESULT] = (
                    "error",
                    t_md("import.failed", lang, error=echo(exc, 300)),
                )
            else:
                st.session_state[_RESULT] = ("success", t_md("import.undone", lang, **names))
                wsui.log(editor_name(), "undo", last["import_id"], last["file_name"])
            st.rerun()
