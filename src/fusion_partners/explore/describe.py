"""The active filters in words: one phrase per filter for the page and exports, a slug for file names."""

from __future__ import annotations

import re
from collections.abc import Sequence

from fusion_partners.explore.filters import Filters
from fusion_partners.i18n import t
from fusion_partners.i18n.countries import country_name
from fusion_partners.i18n.labels import Taxonomy, vocab_label
from fusion_partners.i18n.markup import echo


def describe_filters(
    filters: Filters, taxonomy: Taxonomy, lang: str = "en", *, query_limit: int | None = 60
) -> list[str]:
    """The active filters in plain words, one phrase per filter, in sidebar order.

    Example (English): ``["Country: Japan or United Kingdom", "Search: “magnet”"]``. The search
    text is quoted through :func:`markup.echo`, cut to ``query_limit`` characters (``None``:
    whole, as in the export's record of the filters).
    """
    sep_or = t("filters.or", lang)
    sep_and = t("filters.and", lang)

    def join(values: Sequence[str], sep: str) -> str:
        return sep.join(values)

    parts: list[str] = []

    def vocabulary(key: str, vocab: str, values: Sequence[str]) -> None:
        if values:
            labels = [vocab_label(vocab, v, lang) for v in values]
            parts.append(t(f"filters.desc.{key}", lang, values=join(labels, sep_or)))

    def leaves(key: str, values: Sequence[str], mode: str) -> None:
        if values:
            sep = sep_and if mode == "all" else sep_or
            parts.append(
                t(f"filters.desc.{key}", lang, values=join(taxonomy.labels(values, lang), sep))
            )

    if filters.countries:
        # Japan and the UK first (the pair the product is about), then the rest by code
        shown = sorted(filters.countries, key=lambda c: ({"JP": 0, "GB": 1}.get(c, 2), c))
        parts.append(
            t(
                "filters.desc.country",
                lang,
                values=join([country_name(c, lang) for c in shown], sep_or),
            )
        )
    vocabulary("membership", "membership", filters.memberships)
    vocabulary("org_type", "org_type", filters.org_types)
    capability_key = "capability_all" if filters.capability_mode == "all" else "capability_any"
    leaves(capability_key, filters.capabilities, filters.capability_mode)
    vocabulary("confidence", "confidence", filters.confidences)
    vocabulary("roles", "role", filters.roles)
    leaves("offers", filters.offers, filters.offer_mode)
    leaves("needs", filters.needs, filters.need_mode)
    if filters.query:
        parts.append(t("filters.desc.query", lang, query=echo(filters.query, query_limit)))
    return parts


def filters_slug(filters: Filters) -> str:
    """Short ASCII summary of filters for file names, e.g. ``JP-GB_magnets-superconductors``.

    Free-text search is reduced to ASCII letters and digits (or ``search``); the result
    is at most 80 characters and ``all`` when no filter is active.
    """
    pieces: list[str] = []
    pieces += list(filters.countries)
    pieces += [m.replace("_", "-") for m in filters.memberships]
    pieces += [m.replace("_", "-") for m in filters.org_types]
    pieces += [c.replace("_", "-") for c in filters.capabilities]
    pieces += [f"conf-{c}" for c in filters.confidences]
    pieces += [r.replace("_", "-") for r in filters.roles]
    pieces += [f"offers-{x.replace('_', '-')}" for x in filters.offers]
    pieces += [f"needs-{x.replace('_', '-')}" for x in filters.needs]
    if filters.query:
        ascii_q = re.sub(r"[^A-Za-z0-9]+", "-", filters.query).strip("-").lower()
        pieces.append(f"q-{ascii_q or 'search'}")
    slug = "_".join(pieces) or "all"
    return slug[:80].rstrip("-_")
