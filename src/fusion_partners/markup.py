"""Showing stored and user-supplied text literally inside Markdown.

Streamlit renders labels, titles and ``st.markdown`` as GitHub-flavoured Markdown plus its own
directives (``:red[...]``, ``:material/icon:``), maths (``$...$``) and bare-URL autolinks. Any
organisation name, search string, file cell or URL parameter shown in such a place must be
escaped, or a shared link could draw links and images of its choosing.

CommonMark lets every ASCII punctuation character be backslash-escaped
(https://spec.commonmark.org/0.31.2/#backslash-escapes), so escaping all of them is safe and
complete: the backslashes are not displayed. Escaping ``:`` also stops autolinks and
Streamlit's directives.
"""

from __future__ import annotations

import string

_PUNCTUATION = frozenset(string.punctuation)
_NEWLINES = str.maketrans({"\r": " ", "\n": " "})


def escape_markdown(text: object, *, single_line: bool = False) -> str:
    """``text`` with every ASCII punctuation character backslash-escaped.

    Args:
        text: anything; ``None`` gives ``""``.
        single_line: also turn line breaks into spaces (for labels and list items).
    """
    if text is None:
        return ""
    value = str(text)
    if single_line:
        value = value.translate(_NEWLINES)
    return "".join("\\" + ch if ch in _PUNCTUATION else ch for ch in value)


def shorten(text: object, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (for echoing user input)."""
    value = "" if text is None else str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"
