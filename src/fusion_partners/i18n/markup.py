"""Showing stored and user-supplied text literally inside Markdown.

Streamlit renders labels, titles and ``st.markdown`` as GitHub-flavoured Markdown plus its own
directives (``:red[...]``, ``:material/icon:``), maths (``$...$``) and bare-URL autolinks. Any
organisation name, search string, file cell or URL parameter shown in such a place must be
escaped, or a shared link could draw links and images of its choosing.

CommonMark lets every ASCII punctuation character be backslash-escaped
(https://spec.commonmark.org/0.31.2/#backslash-escapes), so escaping all of them is safe and
complete: the backslashes are not displayed. Escaping ``:`` also stops autolinks and
Streamlit's directives.

Text from users, links and files is also cleaned and shortened before it is quoted in a
message (:func:`echo`), so it cannot reorder the message around it or fill the screen.
"""

from __future__ import annotations

import re
import string

from fusion_partners.search.text import single_line

_PUNCTUATION = frozenset(string.punctuation)
_NEWLINES = str.maketrans({"\r": " ", "\n": " "})
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.DOTALL)
_EMPHASIS = re.compile(r"(?<![\w*\\])([*_])(?=[^\s*_])(.+?)(?<=[^\s*_\\])\1(?![\w*])", re.DOTALL)
_CODE = re.compile(r"`([^`]+)`")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


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


def plain_text(markdown: str) -> str:
    """The catalogue's Markdown as plain text, for places that do not render it (a spreadsheet
    cell): ``**bold**``, ``*italics*`` and ``__bold__`` lose their markers, ```code``` its
    backticks, ``[text](url)`` becomes ``text (url)``, and backslash escapes are undone.

    For our own messages only: text from users is written as typed (``**`` in a search is
    what was searched for).
    """
    text = _LINK.sub(r"\1 (\2)", markdown)
    text = _CODE.sub(r"\1", text)
    text = _STRONG.sub(r"\2", text)
    text = _EMPHASIS.sub(r"\2", text)
    return _ESCAPED.sub(r"\1", text)


def shorten(text: object, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (see :func:`echo` for user input)."""
    value = "" if text is None else str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def echo(text: object, limit: int | None = 60) -> str:
    """Text from a user, a link or a file, made safe to quote in a message.

    Invisible characters are dropped — bidirectional controls first of all (a right-to-left
    override in ``?org=%E2%80%AEevil.com`` would reverse the rest of the message), zero-width
    characters, soft hyphens, the byte-order mark —, line breaks, tabs and other control
    characters become one space (:func:`text.single_line`), and the result is cut to ``limit``
    characters with an ellipsis (``None``: not cut), so a 3,000-character value does not fill
    the screen. Markdown is not escaped here: pass the result through :func:`escape_markdown`
    (or :func:`i18n.t_md`) where Streamlit renders Markdown. Every message that shows such text
    goes through this function.
    """
    line = single_line(text)
    return line if limit is None else shorten(line, limit)


def one_full_stop(text: str) -> str:
    """``text`` without the doubled full stop left when a sentence ends in a name that ends in
    an abbreviation ("… suits Fujikura Ltd." + ".", escaped ``Ltd\\.`` or not)."""
    return re.sub(r"(\\?\.)\.$", r"\1", text)
