"""Import page, the last steps: what the import would do, the import button (editors only), its
result, the import log and undo.

Writes and undos run in the core (:func:`fusion_partners.importing.service.apply_import`,
:func:`~fusion_partners.importing.service.undo_import`), which answers with a notice; the page
shows it once after the rerun and records the change in the editors' log.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from fusion_partners.db import DataError
from fusion_partners.i18n import format_number, t, t_md, tn
from fusion_partners.importing import service
from fusion_partners.importing.service import ImportRequest, Notice, Plan
from fusion_partners.queries import imports as import_queries
from fusion_partners.ui import workspace as wsui
from fusion_partners.ui.data import q
from fusion_partners.ui.import_notices import show
from fusion_partners.ui.import_upload import editor_name

_RESULT = "imp_result"


def recovered(lang: str) -> None:
    """Roll back a write that died mid-way (in the core) and say so when one was."""
    notice = service.recover()
    if notice is not None:
        show(notice, lang)


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
        outcome = service.apply_import(request)
        st.session_state[_RESULT] = outcome.notice
        if outcome.log is not None:
            wsui.log(editor_name(), *outcome.log)
        st.rerun()


def last_result(lang: str) -> str | None:
    """Show (once) the message of the last import or undo; returns its kind (``success``...)."""
    notice: Notice | None = st.session_state.pop(_RESULT, None)
    if notice is None:
        return None
    show(notice, lang, icon=False)
    return notice.level


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
    last = service.last_import()
    if last and editor:
        if st.button(
            t_md("import.undo", lang, **last.names()), icon=":material/undo:", key="imp_undo"
        ):
            outcome = service.undo_import(last, editor_name())
            st.session_state[_RESULT] = outcome.notice
            if outcome.log is not None:
                wsui.log(editor_name(), *outcome.log)
            st.rerun()
