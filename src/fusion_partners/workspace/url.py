"""The Shortlists page's URL (``/shortlists?list=<token>``) ⇄ the shortlist it opens (pure).

``list`` carries a shortlist's private edit or view token; without it the page lists this
browser's shortlists. The token is trimmed but not judged here: the store says whether it
opens a shortlist, so an unknown, malformed or withdrawn link is explained on the page rather
than silently dropped. A link giving ``list`` more than once opens the last value (as
``st.query_params.get`` does). The interface language (``lang``) is written by the page, as on
every page.

The Editors page has no URL parameters of its own (its tabs are not part of the link).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

TOKEN_PARAM = "list"
PAGE_PATH = "/shortlists"


@dataclass(frozen=True)
class ShortlistLink:
    """What a Shortlists URL asks for: ``token`` of the shortlist to open (``""``: none)."""

    token: str = ""


def from_params(get_all: Callable[[str], list[str]]) -> ShortlistLink:
    """Read a Shortlists URL.

    Args:
        get_all: returns every value of a query parameter (``st.query_params.get_all`` or a
            dict's lookup with a ``[]`` default).

    Returns:
        The last ``list`` value, trimmed (``""`` when absent or blank). Never raises.
    """
    values = get_all(TOKEN_PARAM)
    return ShortlistLink((values[-1] or "").strip() if values else "")


def to_params(link: ShortlistLink) -> dict[str, str]:
    """The query parameters of ``link`` (``{}`` when it opens no shortlist)."""
    return {TOKEN_PARAM: link.token} if link.token else {}


def page_path(link: ShortlistLink, lang: str) -> str:
    """The site-relative URL of the Shortlists page opening ``link`` in ``lang``
    (``/shortlists?list=<token>&lang=<lang>``; without a token, the browser's shortlists)."""
    return f"{PAGE_PATH}?{urlencode({**to_params(link), 'lang': lang})}"
