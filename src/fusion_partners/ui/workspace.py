"""The workspace on pages: the cached store, this browser's key, the client pseudonym,
the editor gate with its persistent lockout, and messages for workspace errors.

When the workspace database is down, :func:`store` returns ``None`` (and retries at most
every :data:`RETRY_SECONDS`), pages say the workspace is unavailable, and everything else
keeps working.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import threading
import time
from collections.abc import Mapping
from typing import Any

import streamlit as st

from fusion_partners import config
from fusion_partners.i18n import LANGUAGES, format_date, format_number, t
from fusion_partners.i18n.markup import echo
from fusion_partners.workspace import (
    Opened,
    Unavailable,
    Workspace,
    WorkspaceError,
    access,
    open_workspace,
    workspace_url,
)
from fusion_partners.workspace.values import client_key

BROWSER_COOKIE = "fpf_browser"
RETRY_SECONDS = 30.0
"""After a failed connection, how long pages go without the workspace before trying again."""
_EDITOR_NAME = "ws_editor_name"
_failed: dict[str, tuple[float, str]] = {}
_failed_lock = threading.Lock()
_PROCESS_GATES: dict[str, dict] = {}
"""Wrong-token counters per client address while the workspace is unavailable."""
FLASH = "ws_flash"
TOKEN_ENV = "FPF_EDITOR_TOKEN"
TOKEN_SECRET = "editor_token"


def configured_token() -> str:
    """The editor token: Streamlit secret ``editor_token``, else ``$FPF_EDITOR_TOKEN``, else ``""``."""
    try:
        token = st.secrets.get(TOKEN_SECRET, "")
    except Exception:  # noqa: BLE001 - no secrets file is the normal case
        token = ""
    return str(token or os.environ.get(TOKEN_ENV, "")).strip()


@st.cache_resource(show_spinner=False)
def _open(url: str) -> Workspace:
    return open_workspace(url)


def store() -> Workspace | None:
    """The workspace store, or ``None`` when it is unavailable (see :func:`unavailable_reason`)."""
    url = workspace_url(config.data_dir())
    with _failed_lock:
        failed = _failed.get(url)
        if failed and time.monotonic() - failed[0] < RETRY_SECONDS:
            return None
    try:
        ws = _open(url)
    except Unavailable as exc:
        with _failed_lock:
            _failed[url] = (time.monotonic(), str(exc))
        return None
    with _failed_lock:
        _failed.pop(url, None)
    return ws


def unavailable(lang: str) -> None:
    """Say that the workspace cannot be reached and what still works."""
    st.warning(t("workspace.unavailable", lang), icon=":material/cloud_off:")


def error_text(exc: WorkspaceError, lang: str) -> str:
    """The message for a workspace error in ``lang`` (field names translated)."""
    values = dict(exc.values)
    if "field" in values:
        values["field"] = t(f"workspace.field.{values['field']}", lang)
    if "by" in values:
        values["by"] = echo(values["by"], 40)
    for key in ("n", "limit", "minutes"):
        if isinstance(values.get(key), int):
            values[key] = format_number(values[key], lang)
    return t(f"workspace.error.{exc.key}", lang, **values)


def client() -> str:
    """A pseudonym of the visitor's address (:func:`~fusion_partners.workspace.values.client_key`)."""
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no browser context (tests)
        address = None
    return client_key(address if isinstance(address, str) and address else "local")


def browser_key() -> str:
    """This browser's random key (cookie ``fpf_browser``), made and stored on first use.

    The key only finds the shortlists this browser opened ("My shortlists"); the store
    keeps its SHA-256, never the key. A new key is written to the cookie with a small
    script (one year, same site only); until the next page load it lives in the session.
    """
    if "ws_browser" in st.session_state:
        return st.session_state["ws_browser"]
    try:
        cookies = st.context.cookies
        key = cookies.get(BROWSER_COOKIE, "") if cookies else ""
    except Exception:  # noqa: BLE001 - no browser context (tests)
        key = ""
    if not (key and 20 <= len(key) <= 64 and key.replace("-", "").replace("_", "").isalnum()):
        key = secrets.token_urlsafe(24)
        st.html(
            f"<script>document.cookie='{BROWSER_COOKIE}={key}; max-age=31536000; path=/; SameSite=Lax';</script>",
            unsafe_allow_javascript=True,
        )
    st.session_state["ws_browser"] = key
    return key


def check_token(entered: str, token: str, session_gate: dict) -> access.Verdict:
    """Check an editor token, counting wrong ones in the workspace (per client address and
    overall, across reloads and sessions); while the workspace is unavailable, in
    ``session_gate`` (this session only)."""
    ws = store()
    if ws is not None:
        try:
            return ws.check_editor_token(entered, token, client())
        except WorkspaceError:
            pass
    # No workspace: count in this process, per client address, so a reload still does not
    # reset the count (a restart of the app does). ``session_gate`` is kept for the signature.
    with _failed_lock:
        gate = _PROCESS_GATES.setdefault(client(), {})
        return access.check_token(entered, token, gate, time.monotonic())


def log(editor: str, action: str, target: str = "", detail: str = "") -> None:
    """Record an editor action in the workspace's editor log (best effort: the action
    itself is already recorded where it belongs, e.g. the import log)."""
    ws = store()
    if ws is not None:
        try:
            ws.log_action(editor, action, target, detail)
        except WorkspaceError:
            pass


def editor_gate(lang: str, key: str) -> str:
    """Ask for the editor token and name; returns the editor's name once both are given
    (``""`` otherwise, with the reason shown).

    Wrong tokens are counted in the workspace per client address and overall, so reloads
    and new sessions do not reset them (:meth:`Workspace.check_editor_token`); without a
    workspace the per-session count of :func:`access.check_token` applies.
    """
    token = configured_token()
    if not token:
        st.info(t("editors.not_configured", lang, env=TOKEN_ENV), icon=":material/lock:")
        return ""
    entered = st.text_input(t("import.token", lang), type="password", key=f"{key}_token")
    verdict = check_token(entered, token, st.session_state.setdefault(f"{key}_gate", {}))
    if verdict.status == "locked":
        st.error(
            t("import.token_locked", lang, seconds=verdict.seconds), icon=":material/lock_clock:"
        )
        return ""
    if verdict.status == "wrong":
        st.warning(t("editors.token_wrong", lang), icon=":material/key_off:")
        return ""
    if verdict.status != "ok":
        return ""
    name = st.text_input(t("import.editor_name", lang), key=_EDITOR_NAME).strip()
    if not name:
        st.info(t("editors.name_needed", lang), icon=":material/badge:")
    return name


CURRENT = "ws_list"
"""Session key: the edit token of the shortlist the Partner finder adds to."""


def current(ws: Workspace) -> Opened | None:
    """The shortlist this session adds to: the one chosen in this session, else the one this
    browser changed last through an edit link; ``None`` when there is none (or its link was
    withdrawn)."""
    token = st.session_state.get(CURRENT)
    if not token:
        try:
            mine = [r for r in ws.my_shortlists(browser_key()) if r["access"] == "edit"]
        except WorkspaceError:
            mine = []
        if not mine:
            return None
        token = st.session_state[CURRENT] = mine[0]["token"]
    try:
        opened = ws.open(token)
    except WorkspaceError:
        st.session_state.pop(CURRENT, None)
        return None
    return opened if opened.can_edit else None


def current_token(ws: Workspace, *, create: bool = False) -> str:
    """The edit token of the shortlist this session adds to; with ``create``, a new
    shortlist (named after today's date, remembered for this browser) when there is none.

    Raises:
        WorkspaceError: the workspace refused (unavailable, …).
    """
    opened = current(ws)
    if opened is None and create:
        lang = st.session_state.get("lang", "en")
        opened = ws.create_shortlist(default_name(dt.date.today(), lang), lang, browser_key())
        st.session_state[CURRENT] = opened.token
    return opened.token if opened else ""


def default_name(day: dt.date, lang: str) -> str:
    """The name a shortlist gets when adding candidates makes it: "Shortlist of 7 Dec 2026",
    「2026/12/07の検討リスト」."""
    return t("shortlists.default_name", lang, date=format_date(day.isoformat(), lang))


def shortlist_name(shortlist: Mapping[str, Any], lang: str) -> str:
    """A shortlist's name to show in ``lang``: a name given automatically (:func:`default_name`,
    in whichever language it was made) reads in ``lang``, so a shortlist started on the
    English page is 「…の検討リスト」 on the Japanese one; a name someone chose stays as it is.

    ``shortlist`` needs ``name`` and ``created_at``; the automatic name took the server's
    date and ``created_at`` is UTC, so the days either side are tried too."""
    name = str(shortlist.get("name") or "")
    created = shortlist.get("created_at")
    if not isinstance(created, dt.date):
        return name
    day = created.date() if isinstance(created, dt.datetime) else created
    for near in (day, day - dt.timedelta(days=1), day + dt.timedelta(days=1)):
        if any(name == default_name(near, other) for other in LANGUAGES):
            return default_name(near, lang)
    return name


def use(opened: Opened) -> None:
    """Make ``opened`` (an edit link) the shortlist this session adds to."""
    if opened.can_edit:
        st.session_state[CURRENT] = opened.token


def flash(message: str) -> None:
    """Keep a confirmation to show after the rerun that follows a change (a toast would be
    gone with the rerun)."""
    st.session_state[FLASH] = message


def show_flash() -> None:
    """Show (once) the confirmation kept by :func:`flash`."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")
