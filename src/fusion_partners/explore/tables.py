"""Organisation rows prepared for display and export in the interface language."""

from __future__ import annotations

import pandas as pd

from fusion_partners.i18n import t
from fusion_partners.i18n.countries import country_label, country_name
from fusion_partners.i18n.labels import (
    Taxonomy,
    display_name,
    profile_link,
    text_or_empty,
    vocab_label,
)

DISPLAY_COLUMNS: tuple[str, ...] = (
    "name",
    "name_en",
    "name_ja",
    "country",
    "place",
    "org_type",
    "membership",
    "capabilities",
    "website",
    "confidence",
    "source_date",
    "profile",
)
"""Columns of :func:`display_frame`. ``name`` is the name in the interface language (falling
back to the other one, so it is never blank); ``name_en``/``name_ja`` are the names as stored."""

EXPORT_EXTRA: tuple[str, ...] = (
    "id",
    "country_code",
    "capability_ids",
    "description",
    "evidence",
    "source_urls",
    "roles",
    "offers",
    "needs",
    "offer_ids",
    "need_ids",
    "aliases",
    "description_ja",
    "memberships",
)


def column_order(lang: str) -> list[str]:
    """Table columns in ``lang``: the name (never blank), the name in the other language, the
    profile link (in view without scrolling sideways), then the rest."""
    other = "name_en" if lang == "ja" else "name_ja"
    rest = [c for c in DISPLAY_COLUMNS if c not in ("name", "name_en", "name_ja", "profile")]
    return ["name", other, "profile", *rest]


def membership_text(membership: object, membership_class: object, lang: str) -> str:
    """``J-Fusion (founder)``-style label; ``None stated`` for ``other``."""
    label = vocab_label("membership", text_or_empty(membership) or "other", lang)
    cls = text_or_empty(membership_class)
    if cls and text_or_empty(membership) not in ("", "other"):
        return t(
            "membership.with_class",
            lang,
            membership=label,
            cls=vocab_label("membership_class", cls, lang),
        )
    return label


def display_frame(df: pd.DataFrame, taxonomy: Taxonomy, lang: str) -> pd.DataFrame:
    """Rows from :func:`queries.organisation_table` as readable values.

    Returns columns :data:`DISPLAY_COLUMNS` (plus ``id``), index 0..n-1. ``capabilities``
    holds lists of labels; ``profile`` a relative link to the profile page.
    """
    out = pd.DataFrame(index=range(len(df)))
    out["id"] = df["id"].tolist()
    out["name"] = [
        display_name(en, ja, lang) for en, ja in zip(df["name_en"], df["name_ja"], strict=True)
    ]
    out["name_en"] = [text_or_empty(v) for v in df["name_en"]]
    out["name_ja"] = [text_or_empty(v) for v in df["name_ja"]]
    out["country"] = [country_label(c, lang) for c in df["country"]]
    out["place"] = [text_or_empty(v) for v in df["prefecture_or_city"]]
    out["org_type"] = [vocab_label("org_type", v, lang) for v in df["org_type"]]
    out["membership"] = [
        membership_text(m, c, lang)
        for m, c in zip(df["membership"], df["membership_class"], strict=True)
    ]
    out["capabilities"] = [taxonomy.labels(list(caps), lang) for caps in df["capabilities"]]
    out["website"] = [text_or_empty(v) for v in df["website"]]  # empty, not a grey "None"
    out["confidence"] = [vocab_label("confidence", v, lang) for v in df["confidence"]]
    out["source_date"] = [text_or_empty(v) for v in df["source_date"]]
    out["profile"] = [profile_link(oid, lang) for oid in df["id"]]
    return out


def headers(lang: str) -> dict[str, str]:
    """Column id → header text in ``lang`` for display and export."""
    return {col: t(f"column.{col}", lang) for col in (*DISPLAY_COLUMNS, *EXPORT_EXTRA)}


def export_frame(df: pd.DataFrame, taxonomy: Taxonomy, lang: str) -> pd.DataFrame:
    """The rows on screen for CSV/XLSX, headers in ``lang``.

    Both stored names (not the display name), the country as a name and as its ISO 3166-1
    alpha-2 code, capabilities as labels and as taxonomy slugs, and the provenance: the
    description, evidence and source URLs. No flags or links: cells are plain data.
    """
    shown = display_frame(df, taxonomy, lang)
    shown["country"] = [country_name(c, lang) for c in df["country"]]
    shown["country_code"] = df["country"].tolist()
    shown["capability_ids"] = ["; ".join(list(caps)) for caps in df["capabilities"]]
    shown["capabilities"] = ["; ".join(v) for v in shown["capabilities"]]
    shown["website"] = [v or "" for v in shown["website"]]
    shown["description"] = [text_or_empty(v) for v in df["description_en"]]
    shown["evidence"] = [text_or_empty(v) for v in df["evidence"]]
    shown["source_urls"] = [text_or_empty(v) for v in df["source_urls"]]

    def listed(col: str) -> list[list[str]]:
        return (
            [list(v) if v is not None and not isinstance(v, float) else [] for v in df[col]]
            if col in df
            else [[] for _ in range(len(df))]
        )

    shown["roles"] = ["; ".join(vocab_label("role", r, lang) for r in v) for v in listed("roles")]
    for col in ("offers", "needs"):
        shown[col] = ["; ".join(taxonomy.labels(v, lang)) for v in listed(col)]
        shown[col[:-1] + "_ids"] = ["; ".join(v) for v in listed(col)]
    shown["aliases"] = ["; ".join(v) for v in listed("aliases")]
    shown["description_ja"] = (
        [text_or_empty(v) for v in df["description_ja"]] if "description_ja" in df else ""
    )
    shown["memberships"] = [
        "; ".join(vocab_label("membership", m, lang) for m in v) for v in listed("memberships")
    ]
    order = [
        "id",
        "name_en",
        "name_ja",
        "country",
        "country_code",
        "place",
        "org_type",
        "membership",
        "memberships",
        "roles",
        "offers",
        "offer_ids",
        "needs",
        "need_ids",
        "capabilities",
        "capability_ids",
        "aliases",
        "website",
        "confidence",
        "source_date",
        "description",
        "description_ja",
        "evidence",
        "source_urls",
    ]
    return shown[order].rename(columns=headers(lang))
