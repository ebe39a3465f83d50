"""Showing the Import page's notices: the core's message data, escaped and rendered here.

Every value of a :class:`~fusion_partners.importing.notices.Notice` goes through
:func:`i18n.t_md` (Markdown-escaped), so names, headers and cells of an uploaded file are shown
literally wherever Streamlit renders Markdown and cannot draw links, images or icons.
"""

from __future__ import annotations

import streamlit as st

from fusion_partners.i18n import t_md, tn_md
from fusion_partners.importing.service import Notice

_LEVEL_ICONS = {"error": ":material/error:", "warning": ":material/warning:"}
_KEY_ICONS = {
    "import.name_only": ":material/list:",
    "import.ignored_columns": ":material/visibility_off:",
    "import.recovered": ":material/history:",
}


def notice_text(notice: Notice, lang: str) -> str:
    """The notice in ``lang`` as Markdown, its values escaped (singular or plural wording when
    the notice has a count)."""
    values = dict(notice.values)
    if notice.count is not None:
        return tn_md(notice.key, notice.count, lang, **values)
    return t_md(notice.key, lang, **values)


def show(notice: Notice, lang: str, icon: bool = True) -> None:
    """Render a notice by its level: body text, a caption or a box; boxes get the icon of their
    message or level unless ``icon`` is False."""
    text = notice_text(notice, lang)
    if notice.level == "text":
        st.markdown(text)
    elif notice.level == "caption":
        st.caption(text)
    else:
        mark = (_KEY_ICONS.get(notice.key) or _LEVEL_ICONS.get(notice.level)) if icon else None
        getattr(st, notice.level)(text, icon=mark)
