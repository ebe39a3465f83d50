"""Page chrome shared by every page: language, URL writing, errors, data notes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from fusion_partners.db import DataError
from fusion_partners.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    format_date,
    normalise_language,
    t,
    tn_md,
)
from fusion_partners.i18n.markup import echo, escape_markdown

LANG_KEY = "lang"
_LANG_WIDGET = "w_lang"
_ENTRY_FLAG = "_entrypoint_ran"
_LANG_NOTICE = "_lang_unavailable"
_SHOWN_LABELS = "_shown_labels"  # {widget key: the format function the browser's labels came from}


def mark_entrypoint() -> None:
    """Called by ``app.py`` on every run, before the page runs."""
    st.session_state[_ENTRY_FLAG] = True


def require_entrypoint() -> None:
    """First line of every page script: make sure ``app.py`` set the page up.

    Streamlit treats a ``pages/`` folder next to the entry point as its legacy multipage
    layout until the entry point has declared ``st.navigation`` once in the server's
    life. So a shared link such as ``/profile?org=...&lang=ja`` opened as the first
    request after a restart would run the page file alone: no language, no navigation.
    When that happens we switch the legacy mode off and rerun, which runs ``app.py``
    with the same URL and page.
    """
    if st.session_state.get(_ENTRY_FLAG):
        return
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def history_navigation() -> bool:
    """Whether this run was started by the browser's Back or Forward button.

    Streamlit (1.67) reruns the page with the restored URL and marks the run as a history
    navigation; widgets keep their last values unless the page puts the URL's values back
    (:func:`init_language`, :func:`fusion_partners.ui.filters.current_filters`). The flag is
    not public API, so a Streamlit without it reads as "not a history navigation".
    """
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))


def reread_url_on_history(*keys: str) -> None:
    """On a Back/Forward run, forget the session values ``keys`` so the page seeds them again
    from the restored URL (for state a page reads from its URL only when it is missing)."""
    if history_navigation():
        for key in keys:
            st.session_state.pop(key, None)


_HISTORY_SCRIPT = """<script>
(() => {
  // Installed once per tab by browser_history(). First: one browser-history entry per view. Streamlit pushes an entry whenever the app changes
  // the URL, and on Back/Forward reruns the page with the restored URL. Three of its pushes
  // are not views of their own, and are made to replace the entry instead:
  // - the address a page opens with, before its first run writes the language and filters
  //   (a same-page push before the user touched the new page);
  // - the same at the initial load (when that push came before this script ran, Back skips
  //   the entry instead);
  // - the query half of st.switch_page(..., query_params=...), pushed on the old page just
  //   before the page change (a page change right after a push the app made by itself).
  const w = window;
  if (w.__fpfHistory) return;
  const h = w.history;
  const push = h.pushState.bind(h);
  const replace = h.replaceState.bind(h);
  const s = { fresh: true, appPushed: false, state: h.state };
  w.__fpfHistory = s;
  const pathOf = (url) => new URL(String(url), w.location.href).pathname;
  const nav = (performance.getEntriesByType("navigation")[0] || {}).name;
  if (nav && nav !== w.location.href && h.state !== null && h.length > 1) {
    replace({ ...h.state, fpfSkipBack: true }, "", w.location.href);
  }
  const keep = (data) => (h.state && h.state.fpfSkipBack && data && typeof data === "object")
    ? { ...data, fpfSkipBack: true } : data;
  h.pushState = function (data, unused, url) {
    const samePage = url == null || pathOf(url) === w.location.pathname;
    if ((samePage && s.fresh) || (!samePage && s.appPushed)) {
      replace(keep(data), unused, url);
    } else {
      push(data, unused, url);
    }
    s.fresh = s.fresh || !samePage;
    s.appPushed = samePage;
    s.state = h.state;
  };
  h.replaceState = function (data, unused, url) {
    replace(keep(data), unused, url);
    s.state = h.state;
  };
  w.addEventListener("popstate", () => {
    const from = s.state;
    s.state = h.state;
    s.fresh = false;
    s.appPushed = false;
    if (from && from.fpfSkipBack && h.state === null) h.back();
  }, true);
  const touched = () => { s.fresh = false; s.appPushed = false; };
  w.addEventListener("pointerdown", touched, true);
  w.addEventListener("keydown", touched, true);
  s.state = h.state;
  // The "Filters" button in the main area opens the collapsed sidebar (Streamlit's own
  // expand control) instead of rerunning the page.
  w.addEventListener("click", (e) => {
    if (!e.target.closest || !e.target.closest(".st-key-fpf_filters button")) return;
    e.preventDefault();
    e.stopPropagation();
    const open = w.document.querySelector('[data-testid="stExpandSidebarButton"]');
    if (open) open.click();
  }, true);
})();
</script>"""


FILTERS_BUTTON_KEY = "fpf_filters"
"""Key of the "Filters" button (:func:`fusion_partners.ui.filters.open_filters_button`)."""

_STYLE = """<style>
.st-key-fpf_history { display: none; }
/* "Filters" in the main area: only while the sidebar holding the filters is collapsed (phones
   and small windows, where Streamlit collapses it; or when the user closed it). */
.st-key-fpf_filters { display: none; }
.stApp:has([data-testid="stSidebar"][data-collapsed="true"]) .st-key-fpf_filters { display: block; }
.stApp:has(.st-key-present_nav) .st-key-fpf_filters { display: none; }  /* not on slides */
</style>"""


def page_style() -> None:
    """The app's few CSS rules (hidden helpers, the "Filters" button); style-only HTML takes
    no room on the page."""
    st.html(_STYLE)


def browser_history() -> None:
    """Make Back and Forward step through the views (see the script above); called by
    ``app.py`` on every run, the script installs itself once per browser tab. Drawn in a
    hidden container (``st-key-fpf_history``), so it takes no room on the page."""
    with st.container(key="fpf_history"):
        st.html(_HISTORY_SCRIPT, unsafe_allow_javascript=True)


def init_language() -> str:
    """Decide the interface language for this run and return it.

    Order: the language switch (when the user used it), the ``lang`` URL parameter, the
    browser's language (``st.context.locale``), English. On Back/Forward the restored URL's
    ``lang`` sets the switch, so Back undoes a language change.
    """
    if history_navigation():
        url_lang = (st.query_params.get(LANG_KEY) or "").strip().lower()
        if url_lang in LANGUAGES:
            st.session_state[_LANG_WIDGET] = url_lang
    if _LANG_WIDGET in st.session_state and st.session_state[_LANG_WIDGET] in LANGUAGES:
        lang = st.session_state[_LANG_WIDGET]
    elif LANG_KEY in st.session_state:
        lang = st.session_state[LANG_KEY]
    else:
        asked = st.query_params.get(LANG_KEY)
        if asked and asked.strip().lower() in LANGUAGES:
            lang = asked.strip().lower()
        elif asked:  # a link asked for a language we do not have
            lang = DEFAULT_LANGUAGE
            st.session_state[_LANG_NOTICE] = True
        else:
            try:
                browser = st.context.locale
            except Exception:  # noqa: BLE001 - no browser context in some runners
                browser = None
            lang = normalise_language(browser)
    st.session_state[LANG_KEY] = lang
    return lang


def language(default: str = DEFAULT_LANGUAGE) -> str:
    """The interface language chosen by :func:`init_language`."""
    return st.session_state.get(LANG_KEY, default)


def language_switch(lang: str) -> None:
    """The English / 日本語 switch in the sidebar (and a one-off notice when a link asked for
    a language that is not available)."""
    if st.session_state.pop(_LANG_NOTICE, False):
        st.toast(t("lang.unavailable", lang), icon=":material/translate:")
    if _LANG_WIDGET not in st.session_state:
        st.session_state[_LANG_WIDGET] = lang
    st.sidebar.segmented_control(
        t("lang.label", lang),
        options=list(LANGUAGES),
        format_func=lambda code: t(f"lang.{code}", lang),
        key=_LANG_WIDGET,
        required=True,
    )


def keep_selection(key: str, format_func: Callable[[Any], str]) -> Callable[[Any], str]:
    """``format_func`` for the keyed ``st.selectbox``, ``st.multiselect``, ``st.radio`` or
    ``st.segmented_control`` named ``key``, after making sure its selection survives a change of
    its labels.

    Streamlit (1.67) keeps these widgets' selection in the browser as the selected options'
    labels, and on the next run looks each label up among that run's labels; a label it does
    not find comes back as the value itself. When the labels change — the language switch
    relabels every option — Streamlit does not send the browser the new label of the
    selection, so on the next run the old label is not found and the page receives label text
    instead of its value (an organisation's display name instead of its id). When the label of
    the current selection changed since the widget was last drawn, this re-assigns the value,
    which makes Streamlit send the new label with the widget. ``st.segmented_control`` and
    ``st.pills`` resend changed labels themselves on an ordinary rerun, but not on the run of
    Back or Forward across a language switch, where the browser then shows nothing selected
    and sends an empty selection with the next click; a keyed one whose value must survive
    that uses this too.

    Call it in the widget's arguments, ``format_func=keep_selection(key, lambda v: ...)``, so
    it runs just before the widget.
    """
    ss = st.session_state
    shown = ss.setdefault(_SHOWN_LABELS, {})
    before = shown.get(key)
    shown[key] = format_func
    if before is None or key not in ss:
        return format_func
    value = ss[key]
    values = value if isinstance(value, list | tuple) else [] if value is None else [value]
    try:
        changed = any(before(v) != format_func(v) for v in values)
    except Exception:  # noqa: BLE001 - a value the labels cannot name: Streamlit resets it
        return format_func
    if changed:
        ss[key] = value
    return format_func


def confirm(question: str, yes: str, no: str, *, key: str, icon: str) -> tuple[bool, bool]:
    """A destructive step's question in a bordered box (``question``: Markdown, shown as a
    warning) with a primary ``yes`` button (``icon``) and a ``no`` button, keyed
    ``<key>_yes`` / ``<key>_no``. Returns ``(yes clicked, no clicked)`` for this run."""
    with st.container(border=True):
        st.warning(question, icon=":material/warning:")
        yes_col, no_col, _ = st.columns([1, 1, 2])
        clicked_yes = yes_col.button(
            yes, key=f"{key}_yes", type="primary", icon=icon, width="stretch"
        )
        clicked_no = no_col.button(no, key=f"{key}_no", width="stretch")
    return clicked_yes, clicked_no


def sync_url(params: Mapping[str, str | list[str]]) -> None:
    """Make the URL carry exactly ``params`` plus the interface language.

    The language is always written, so a shared link opens in the sender's language
    whatever the recipient's browser prefers. Writes only when something changed.
    """
    wanted: dict[str, list[str]] = {LANG_KEY: [language()]}
    for key, value in params.items():
        values = [value] if isinstance(value, str) else list(value)
        if values:
            wanted[key] = values
    current = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    if current != wanted:
        st.query_params.from_dict({k: v[0] if len(v) == 1 else v for k, v in wanted.items()})


def stop_on_data_error(exc: DataError, lang: str) -> None:
    """Show a database problem in plain words and stop the page (nothing else renders)."""
    title = (
        t(f"error.{type(exc).__name__}", lang)
        if _has(f"error.{type(exc).__name__}", lang)
        else t("error.DataError", lang)
    )
    st.error(f"**{title}**\n\n{escape_markdown(exc)}")
    st.stop()


def rejected_notice(rejected: Sequence[tuple[str, str]], lang: str) -> str:
    """ "This link contained N values that ... were left out: a=b, ..." with the values escaped
    and echoed (:func:`markup.echo`: invisible and bidirectional controls dropped, shortened),
    so a crafted link can neither draw Markdown, reorder the message nor fill the screen."""
    values = ", ".join(f"{echo(param, 20)}={echo(value, 40)}" for param, value in rejected[:8])
    return tn_md("url.rejected", len(rejected), lang, values=values, n=len(rejected))


def _has(key: str, lang: str) -> bool:
    try:
        t(key, lang)
        return True
    except KeyError:
        return False


def data_note(meta: Mapping[str, str], lang: str) -> str:
    """One line naming the data date and the source, for captions and exports."""
    return t(
        "data.note",
        lang,
        date=format_date(meta.get("data_as_of", ""), lang) or t("data.undated", lang),
        count=meta.get("organisation_count", "?"),
    )
