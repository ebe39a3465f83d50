"""The organisation profile's URL (``/profile?org=<id>``) ⇄ the organisation it shows (pure).

Ids are lower-case slugs, so the value is trimmed and lower-cased. A link naming several
organisations shows the last one (as ``st.query_params.get`` does) and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

ORG_PARAM = "org"


@dataclass(frozen=True)
class ProfileLink:
    """What a profile URL asks for: ``org_id`` (``""`` when none) and whether several were named."""

    org_id: str = ""
    several: bool = False


def from_params(get_all: Callable[[str], list[str]]) -> ProfileLink:
    """Read a profile URL.

    Args:
        get_all: returns every value of a query parameter (``st.query_params.get_all`` or a
            dict's lookup with a ``[]`` default).

    Returns:
        The last non-blank ``org`` value, trimmed and lower-cased, and ``several`` when the
        URL names more than one distinct organisation. Never raises.
    """
    named = list(dict.fromkeys(v.strip().lower() for v in get_all(ORG_PARAM) if v and v.strip()))
    return ProfileLink(named[-1] if named else "", len(named) > 1)


def to_params(link: ProfileLink) -> dict[str, str]:
    """The query parameters of ``link`` (``{}`` for no organisation); ``several`` is not kept."""
    return {ORG_PARAM: link.org_id} if link.org_id else {}
