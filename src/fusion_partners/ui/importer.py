"""Widgets of the Import page: editor access, upload, mapping, options, preview, write, undo."""

from __future__ import annotations

import hmac
import os
from pathlib import Path

import pandas as pd
import streamlit as st

from .. import config, importer, store
from ..build import ORGANISATIONS_FILE, TAXONOMY_FILE
from ..countries import country_label
from ..curate import load_organisations
from ..db import DataError
from ..i18n import format_number, has, t, t_md
from ..importer import ImportFile, ImportOptions, ImportRequest, Plan
from ..labels import display_name, vocab_label
from ..mapping import FIELDS, CapabilityMatcher
from ..markup import escape_markdown as _escape
from ..queries import imports as import_queries
from ..roster import CONFIDENCES, ORG_TYPES, URL_RE, read_csv_rows
from ..upload import MAX_UPLOAD_BYTES, RawTable, UploadError, human_size, read_table
from .data import q

TOKEN_ENV = "FPF_EDITOR_TOKEN"
TOKEN_SECRET = "editor_token"
_CONFIRMED = "imp_confirmed"
_RESULT = "imp_result"


def configured_token() -> str:
    """The editor token: Streamlit secret ``editor_token``, else ``$FPF_EDITOR_TOKEN``, else ``""``."""
    try:
        token = st.secrets.get(TOKEN_SECRET, "")
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        token = ""
    return str(token or os.environ.get(TOKEN_ENV, ""))


def editor_access(lang: str) -> bool:
    """Ask for the editor token when one is configured; say which mode the page is in."""
    token = configured_token()
    if not token:
        st.info(t("import.mode.not_configured", lang), icon=":material/visibility:")
        return False
    entered = st.text_input(t("import.token", lang), type="password", key="imp_token",
                            help=t("import.token_help", lang))
    if entered and hmac.compare_digest(entered.encode(), token.encode()):
        st.success(t("import.mode.editor", lang), icon=":material/edit:")
        return True
    if entered:
        st.warning(t("import.token_wrong", lang), icon=":material/key_off:")
    st.info(t("import.mode.preview_only", lang), icon=":material/visibility:")
    return False


@st.cache_data(max_entries=8, show_spinner=False)
def _read(data: bytes, name: str) -> RawTable:
    return read_table(data, name)


def upload(lang: str) -> RawTable | None:
    """The file uploader; returns the read table, or shows why the file cannot be read."""
    limit_mb = MAX_UPLOAD_BYTES // (1024 * 1024)
    file = st.file_uploader(t("import.upload", lang, limit_mb=limit_mb), type=["csv", "tsv", "txt", "xlsx"],
                            key="imp_file", help=t("import.upload_help", lang))
    if file is None:
        return None
    try:
        if file.size > MAX_UPLOAD_BYTES:
            raise UploadError("too_large", size=human_size(file.size), limit=human_size(MAX_UPLOAD_BYTES))
        table = _read(file.getvalue(), file.name)
    except UploadError as exc:
        st.error(t(exc.key, lang, **exc.values), icon=":material/error:")
        return None
    delim = {",": "comma", ";": "semicolon", "\t": "tab", "": "xlsx"}[table.delimiter]
    st.markdown(t("import.file_info", lang, file=table.file_name, encoding=table.encoding,
                  delimiter=t(f"import.delimiter.{delim}", lang), header_line=table.header_line,
                  rows=format_number(len(table.rows), lang)))
    if table.skipped:
        rows = ", ".join(t(f"import.skip.{why}", lang, line=line) for line, why in table.skipped)
        st.caption(t("import.skipped", lang, rows=rows))
    return table


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
        sample = next((cells[i] for _, cells in table.rows if i < len(cells) and cells[i]), "")
        choice = cols[i % 3].selectbox(
            t("import.mapping.column", lang, column=header or f"#{i + 1}", sample=sample[:40] or "—"),
            options, index=options.index(guessed.get(i, "")),
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


def options_step(lang: str) -> ImportOptions:
    """Source URL, council member list, defaults for type, confidence and date."""
    st.subheader(t("import.step.options", lang))
    url = st.text_input(t("import.source_url", lang), key="imp_source", help=t("import.source_url_help", lang)).strip()
    if url and not URL_RE.match(url):
        st.error(t("import.source_url_bad", lang, url=url))
        url = ""
    left, right = st.columns(2)
    council = left.selectbox(t("import.council", lang), ["", *importer.COUNCILS], key="imp_council",
                             format_func=lambda c: vocab_label("membership", c, lang) if c else t("import.council.none", lang))
    member_list = bool(council) and left.checkbox(t("import.member_list", lang), key="imp_member_list")
    if member_list and not url:
        left.warning(t("import.member_list_needs_source", lang))
    org_type = right.selectbox(t("import.default_type", lang), list(ORG_TYPES), index=ORG_TYPES.index("other"),
                               key="imp_type", format_func=lambda v: vocab_label("org_type", v, lang))
    confidence = right.selectbox(t("import.default_confidence", lang), list(CONFIDENCES), index=1, key="imp_conf",
                                 format_func=lambda v: vocab_label("confidence", v, lang))
    date = right.text_input(t("import.source_date", lang), key="imp_date").strip()
    user = left.text_input(t("import.user", lang), key="imp_user").strip()
    return ImportOptions(url, council, member_list, org_type, confidence, date, user)


def _taxonomy_rows() -> list[dict[str, str]]:
    _, rows = read_csv_rows(config.data_dir() / TAXONOMY_FILE)
    return [r for r in rows if r]


def capability_step(file: ImportFile, lang: str) -> tuple[tuple[str, str], ...]:
    """One selector per capability text of the file, preselected with the best suggestion."""
    st.subheader(t("import.step.capabilities", lang))
    terms = importer.capability_terms(file)
    if not terms:
        st.caption(t("import.cap.none", lang))
        return ()
    st.caption(t("import.cap.help", lang))
    tax = _taxonomy_rows()
    labels = {r["slug"]: r["label_ja"] if lang == "ja" else r["label_en"] for r in tax}
    matcher = CapabilityMatcher(tax)
    chosen: list[tuple[str, str]] = []
    cols = st.columns(2)
    for i, (term, n) in enumerate(terms.items()):
        ranked = matcher.suggest(term, 3)
        scores = dict(ranked)
        options = ["", *[s for s, _ in ranked], *[s for s in labels if s not in scores]]
        auto = matcher.auto(term)
        value = cols[i % 2].selectbox(
            t("import.cap.term", lang, term=term, n=n), options, index=options.index(auto),
            format_func=lambda s, sc=scores: t("import.cap.unmapped", lang) if not s else (
                t("import.cap.option", lang, label=labels[s], score=f"{sc[s]:.0f}") if s in sc else labels[s]),
            key=f"imp_cap_{file.table.content_hash[:12]}_{i}",
        )
        chosen.append((term, value))
    return tuple(chosen)


def pending_decisions(file: ImportFile) -> tuple[tuple[tuple[int, int], str], ...]:
    """Decisions on possible duplicates already made in this session (read before planning)."""
    prefix = f"imp_dec_{file.table.content_hash[:12]}_"
    out = []
    for key, value in st.session_state.items():
        if isinstance(key, str) and key.startswith(prefix) and value:
            out.append(((0, int(key[len(prefix):])), str(value)))
    return tuple(sorted(out))


@st.cache_data(max_entries=16, show_spinner=False)
def _plan(request: ImportRequest, stamp: int) -> Plan:
    data = config.data_dir()
    _, tax = read_csv_rows(data / TAXONOMY_FILE)
    return importer.plan(request, load_organisations(data / ORGANISATIONS_FILE), [r for r in tax if r])


def make_plan(request: ImportRequest) -> Plan:
    """The preview of ``request`` against the current curated data (cached per file version)."""
    path = config.data_dir() / ORGANISATIONS_FILE
    stamp = path.stat().st_mtime_ns if path.exists() else 0
    return _plan(request, stamp)



def _place(row: importer.RowPlan, lang: str) -> str:
    """Country name with flag and the region code when one was recognised (``🇯🇵 Japan · JP-13``)."""
    code = row.values["country"]
    name = country_label(code, lang) if len(code) == 2 else code
    return f"{name} · {row.region_code}" if row.region_code else name


def _column_label(column: str, lang: str) -> str:
    """A roster column in words (``source_urls`` → "Source URLs")."""
    key = f"import.field.{'region' if column == 'prefecture_or_city' else column}"
    return t(key, lang) if has(key, lang) else column


def preview(plan: Plan, file: ImportFile, lang: str) -> None:
    """Counts per result, the per-row table, duplicate decisions and the findings download."""
    st.subheader(t("import.step.preview", lang))
    st.caption(t("import.preview.caption", lang))
    counts = plan.counts()
    for col, status in zip(st.columns(len(counts)), counts, strict=True):
        col.metric(t(f"import.status.{status}", lang), format_number(counts[status], lang))
    has_numbers = any(r.company_number for r in plan.rows)
    table = pd.DataFrame({
        "line": [r.line for r in plan.rows],
        "status": [t(f"import.status.{r.status}", lang) for r in plan.rows],
        "name": [display_name(r.values["name_en"], r.values["name_ja"], lang) for r in plan.rows],
        "country": [_place(r, lang) for r in plan.rows],
        "record": [r.org_id for r in plan.rows],
        "changes": [[_column_label(c, lang) for c in r.changed] for r in plan.rows],
        "messages": ["\n".join(f"[{f.column}] {f.message(lang)}" for f in r.findings) for r in plan.rows],
        **({"company_number": [r.company_number for r in plan.rows]} if has_numbers else {}),
    })
    config_ = {k: st.column_config.TextColumn(t(f"import.col.{k}", lang)) for k in table.columns}
    config_["line"] = st.column_config.NumberColumn(t("import.col.line", lang), width="small")
    config_["name"] = st.column_config.TextColumn(t("import.col.name", lang), width="medium")
    config_["record"] = st.column_config.TextColumn(t("import.col.record", lang), width="medium")
    config_["status"] = st.column_config.TextColumn(t("import.col.status", lang), width="medium")
    config_["changes"] = st.column_config.ListColumn(t("import.col.changes", lang))
    config_["messages"] = st.column_config.TextColumn(t("import.col.messages", lang), width="large")
    st.dataframe(table, hide_index=True, width="stretch", column_config=config_, key="imp_preview")
    duplicates = [r for r in plan.rows if r.status == "duplicate" or (r.candidates and r.status != "error")]
    prefix = f"imp_dec_{file.table.content_hash[:12]}_"
    if duplicates:
        st.markdown(f"**{t('import.decide.title', lang)}**")
        for r in duplicates:
            options = ["", "skip", "add", *[f"merge:{cid}" for cid, _, _ in r.candidates]]
            names = {f"merge:{cid}": (name, score) for cid, name, score in r.candidates}

            def label(v: str, names=names) -> str:
                if not v:
                    return t("import.decide.undecided", lang)
                if v in ("skip", "add"):
                    return t(f"import.decide.{v}", lang)
                name, score = names[v]
                return t("import.decide.merge", lang, name=name, score=f"{score:.0f}")

            name = display_name(r.values["name_en"], r.values["name_ja"], lang)
            st.selectbox(t_md("import.decide.label", lang, line=r.line, name=name), options,
                         format_func=label, key=f"{prefix}{r.line}")
    findings = plan.all_findings()
    if findings:
        with st.expander(t("import.findings.title", lang, n=format_number(len(findings), lang))):
            st.markdown("\n".join(
                "- " + t("import.findings.line_item", lang, line=f.line or "—", column=_escape(f.column),
                         severity=t(f"import.severity.{f.severity}", lang), message=_escape(f.message(lang)))
                for f in findings
            ))
        st.download_button(
            t("import.download_findings", lang), data=importer.findings_csv(plan, lang),
            file_name=f"{Path(file.table.file_name).stem}-findings.csv", mime="text/csv",
            on_click="ignore", icon=":material/download:", key="imp_findings",
        )
    for f in plan.findings:
        (st.error if f.severity == "error" else st.warning)(f.message(lang))


def write_step(request: ImportRequest, plan: Plan, editor: bool, lang: str) -> None:
    """The import button (editors only) and the result of the last action."""
    st.subheader(t("import.step.write", lang))
    n = len(plan.added) + len(plan.updated)
    if not plan.changes and not plan.blocked:
        st.info(t("import.nothing", lang), icon=":material/task_alt:")
    clicked = st.button(
        t("import.apply", lang, n=format_number(n, lang)), type="primary", icon=":material/upload:",
        disabled=not editor or not plan.changes or plan.blocked, key="imp_apply",
        help=None if editor else t("import.apply_help_preview", lang),
    )
    if clicked and editor:
        try:
            result = importer.apply(request, config.data_dir(), config.db_path())
        except importer.ImportBlocked as exc:
            st.session_state[_RESULT] = ("error", t("import.blocked", lang, reason=str(exc)))
        except store.Busy:
            st.session_state[_RESULT] = ("warning", t("import.busy", lang))
        except Exception as exc:  # noqa: BLE001 - shown in plain words; nothing was written
            st.session_state[_RESULT] = ("error", t("import.failed", lang, error=str(exc)[:300]))
        else:
            if result.import_id is None:
                st.session_state[_RESULT] = ("info", t("import.nothing", lang))
            else:
                st.session_state[_RESULT] = ("success", t("import.done", lang, import_id=result.import_id,
                                                       added=len(result.added), updated=len(result.updated)))
        st.rerun()


def last_result() -> None:
    """Show (once) the message of the last import or undo."""
    kind, message = st.session_state.pop(_RESULT, (None, None))
    if kind:
        getattr(st, kind)(message)


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
        shown = log[["import_id", "file_name", "imported_at", "imported_by", "rows_added", "rows_updated", "status", "source_urls"]].copy()
        shown["status"] = [t(f"import.log.status.{s}", lang) for s in shown["status"]]
        st.dataframe(shown, hide_index=True, width="stretch", key="imp_log", column_config={
            c: st.column_config.Column(t(f"import.log.col.{c}", lang)) for c in shown.columns
        })
    last = importer.last_applied(config.data_dir())
    if last and editor:
        if st.button(t("import.undo", lang, import_id=last["import_id"]), icon=":material/undo:", key="imp_undo"):
            try:
                undone = importer.undo_last(config.data_dir(), config.db_path(), st.session_state.get("imp_user", ""))
            except store.Busy:
                st.session_state[_RESULT] = ("warning", t("import.busy", lang))
            except Exception as exc:  # noqa: BLE001 - shown in plain words; nothing was written
                st.session_state[_RESULT] = ("error", t("import.failed", lang, error=str(exc)[:300]))
            else:
                st.session_state[_RESULT] = ("success", t("import.undone", lang, import_id=undone))
            st.rerun()
