"""Human labels for stored values, in the interface language.

Stored values (slugs, ISO codes, vocabulary words) never change; these functions turn
them into readable text: capability labels from the taxonomy, vocabulary labels from the
message catalogue, country names from pycountry.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from fusion_partners.i18n import t


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def list_field(record: Mapping[str, Any], key: str) -> list[str]:
    """A list column of a record (``roles``, ``offers``, ``needs``, ``aliases``) as a list of
    strings; ``[]`` when the column is absent, NULL or NaN (pandas gives either for SQL NULL)."""
    value = record.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return []
    return [str(v) for v in value]


def text_or_empty(value: object) -> str:
    """``str(value)``, or ``""`` for None/NaN/blank (pandas gives either for SQL NULL)."""
    return "" if _blank(value) else str(value)


@dataclass(frozen=True)
class Capability:
    slug: str
    group_en: str
    group_ja: str
    label_en: str
    label_ja: str

    def label(self, lang: str) -> str:
        return self.label_ja if lang == "ja" else self.label_en

    def group(self, lang: str) -> str:
        return self.group_ja if lang == "ja" else self.group_en


@dataclass(frozen=True)
class Leaf:
    """A capability leaf: the unit of offers and needs, under a capability group (``parent``)."""

    slug: str
    parent: str
    label_en: str
    label_ja: str
    definition_en: str = ""
    definition_ja: str = ""

    def label(self, lang: str) -> str:
        return self.label_ja if lang == "ja" else self.label_en

    def definition(self, lang: str) -> str:
        return self.definition_ja if lang == "ja" else self.definition_en


class Taxonomy:
    """The capability taxonomy in taxonomy order (built from :func:`queries.taxonomy` and
    :func:`queries.capability_leaves`): groups (``capabilities``) and their leaves."""

    def __init__(self, rows: Iterable[Capability], leaves: Iterable[Leaf] = ()):
        self._caps = {c.slug: c for c in rows}
        self._leaves = {leaf.slug: leaf for leaf in leaves}

    @classmethod
    def from_frame(cls, df: pd.DataFrame, leaves: pd.DataFrame | None = None) -> Taxonomy:
        return cls(
            (
                Capability(r.slug, r.group_en, r.group_ja, r.label_en, r.label_ja)
                for r in df.itertuples(index=False)
            ),
            ()
            if leaves is None
            else (
                Leaf(r.slug, r.parent, r.label_en, r.label_ja, r.definition_en, r.definition_ja)
                for r in leaves.itertuples(index=False)
            ),
        )

    def leaf(self, slug: str) -> Leaf | None:
        """The leaf ``slug``, or None."""
        return self._leaves.get(slug)

    @property
    def leaf_slugs(self) -> list[str]:
        return list(self._leaves)

    def leaves_by_group(
        self, slugs: Iterable[str], lang: str = "en"
    ) -> list[tuple[str, list[str]]]:
        """``slugs`` (leaves) grouped under their capability group's label, in taxonomy order:
        ``[(group label, [leaf slugs])]``; unknown slugs are left out."""
        wanted = set(slugs)
        out: dict[str, list[str]] = {}
        for group in self._caps.values():
            mine = [
                leaf.slug
                for leaf in self._leaves.values()
                if leaf.parent == group.slug and leaf.slug in wanted
            ]
            if mine:
                out[group.label(lang)] = mine
        return list(out.items())

    def __contains__(self, slug: object) -> bool:
        return slug in self._caps

    @property
    def slugs(self) -> list[str]:
        return list(self._caps)

    def label(self, slug: str, lang: str = "en") -> str:
        """Label of a group or leaf ``slug`` in ``lang``; an unknown slug is returned as itself."""
        cap = self._caps.get(slug) or self._leaves.get(slug)
        return cap.label(lang) if cap else slug

    def labels(self, slugs: Iterable[str], lang: str = "en") -> list[str]:
        return [self.label(s, lang) for s in slugs]

    def group_of(self, slug: str, lang: str = "en") -> str:
        cap = self._caps.get(slug)
        return cap.group(lang) if cap else ""

    def groups(self, lang: str = "en") -> list[tuple[str, str, list[str]]]:
        """``[(group key, group label, [slugs])]`` in taxonomy order."""
        out: dict[str, tuple[str, list[str]]] = {}
        for cap in self._caps.values():
            out.setdefault(cap.group_en, (cap.group(lang), []))[1].append(cap.slug)
        return [(key, label, slugs) for key, (label, slugs) in out.items()]


def vocab_label(kind: str, value: str, lang: str = "en") -> str:
    """Label of a vocabulary value: ``kind`` is ``org_type``, ``membership`` or ``confidence``."""
    try:
        return t(f"{kind}.{value}", lang)
    except KeyError:
        return value


def display_names(name_en: object, name_ja: object, lang: str = "en") -> tuple[str, str]:
    """(primary, secondary) organisation names for ``lang``.

    Japanese interface: Japanese name first; English interface: English first. Either
    falls back to the other; ``secondary`` is ``""`` when there is only one name.
    """
    en, ja = text_or_empty(name_en), text_or_empty(name_ja)
    first, second = (ja, en) if lang == "ja" else (en, ja)
    if not first:
        return second, ""
    return first, second


def display_name(name_en: object, name_ja: object, lang: str = "en") -> str:
    """The primary name from :func:`display_names`."""
    return display_names(name_en, name_ja, lang)[0]


def profile_link(org_id: str, lang: str) -> str:
    """Relative link to an organisation's profile page in ``lang``: ``./profile?org=<id>&lang=<lang>``.

    The id is URL-quoted; the language travels so a link opened in a new tab keeps it.
    """
    from urllib.parse import quote

    return f"./profile?org={quote(org_id, safe='')}&lang={lang}"
