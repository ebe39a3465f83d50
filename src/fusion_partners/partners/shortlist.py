"""Shortlist entries of the partner finder: what is kept per candidate, its identity, and the
shortlist as a table for the screen and for CSV/XLSX export."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import fields
from typing import Any

import pandas as pd

from fusion_partners.explore.export import about_rows
from fusion_partners.i18n import format_number, t
from fusion_partners.i18n.countries import country_name
from fusion_partners.i18n.labels import display_name, vocab_label
from fusion_partners.i18n.markup import plain_text
from fusion_partners.partners.query import DEFAULT_WEIGHTS, PartnerQuery, Weights, display_score
from fusion_partners.partners.reasons import cap_phrase, known_text, short_name
from fusion_partners.partners.table import SCORE_PARTS, Context, list_items

SHORTLIST_FIELDS: tuple[str, ...] = (
    "start",
    "start_name_en",
    "start_name_ja",
    "start_sources",
    "needs",
    "kind",
    "id",
    "name_en",
    "name_ja",
    "country",
    "org_type",
    "confidence",
    *SCORE_PARTS,
    "weights",
    "matches",
    "shared_leaves",
    "mutual_partners",
    "links",
    "sources",
)
"""Keys of a shortlist entry (a plain dict, so it can live in session state)."""


def shortlist_entry(
    row: Mapping[str, Any], query: PartnerQuery, start: Mapping[str, Any] | None
) -> dict[str, Any]:
    """A shortlist entry from one suggestion row and the query that produced it.

    The reason is stored as its matches, not as text, so it is rendered in whatever
    language the shortlist is shown or exported in. ``weights`` records the weights the
    score was computed with (``{name: value}``), so scores from different settings are
    never shown side by side without saying so.
    """
    return {
        "start": query.start,
        "start_name_en": (start or {}).get("name_en") or "",
        "start_name_ja": (start or {}).get("name_ja") or "",
        "start_sources": (start or {}).get("source_urls") or "",
        "needs": list(query.needs),
        "kind": query.kind,
        "id": row["id"],
        "name_en": row["name_en"],
        "name_ja": row["name_ja"] if isinstance(row["name_ja"], str) else "",
        "country": row["country"],
        "org_type": row["org_type"],
        "confidence": row["confidence"],
        "score": float(row["score"]),
        "match_points": float(row["match_points"]),
        "link_points": float(row.get("link_points") or 0.0),
        "network_points": float(row.get("network_points") or 0.0),
        "shared_points": float(row.get("shared_points") or 0.0),
        "mutual_points": float(row.get("mutual_points") or 0.0),
        "confidence_points": float(row["confidence_points"]),
        "membership_points": float(row["membership_points"]),
        "weights": {f.name: float(getattr(query.weights, f.name)) for f in fields(Weights)},
        "matches": [dict(m) for m in row["matches"]],
        "shared_leaves": [str(x) for x in list_items(row.get("shared_leaves"))],
        "mutual_partners": [dict(x) for x in list_items(row.get("mutual_partners"))],
        "links": [dict(x) for x in links] if isinstance(links := row.get("links"), list) else [],
        "sources": row["source_urls"] or "",
    }


def shortlist_key(entry: Mapping[str, Any]) -> str:
    """Identity of a shortlist entry: start (or needs), kind and candidate (not the weights:
    the same pair added again with other weights replaces the entry)."""
    start = entry["start"] or "+".join(entry["needs"])
    return f"{start}|{entry['kind']}|{entry['id']}"


WEIGHT_COLUMNS: dict[str, str] = {f"w_{f.name}": f.name for f in fields(Weights)}
"""Shortlist columns holding the weights an entry was scored with → :class:`Weights` field."""

SHORTLIST_COLUMNS: tuple[str, ...] = (
    "start",
    "start_id",
    "start_name_ja",
    "candidate",
    "candidate_id",
    "candidate_name_ja",
    "country",
    "org_type",
    "kind",
    *SCORE_PARTS,
    "weights",
    *WEIGHT_COLUMNS,
    "reason",
    "rule",
    "known",
    "confidence",
    "sources",
    "start_sources",
    "status",
    "note",
)
"""Columns of :func:`shortlist_frame` (headers: catalogue ``partners.col.<column>``)."""

SHORTLIST_EXPORT_COLUMNS: tuple[str, ...] = tuple(c for c in SHORTLIST_COLUMNS if c != "weights")
"""Columns of the CSV/XLSX export: each weight in its own numeric column instead of ``weights``."""


def weights_text(weights: Mapping[str, float] | None, lang: str) -> str:
    """The weights of a shortlist entry in words, e.g. ``match 2 · confidence 0.3 · …``
    (``""`` for an entry recorded without weights)."""
    if not weights:
        return ""
    return t("partners.weights_sep", lang).join(
        t(
            "partners.weights_item",
            lang,
            name=t(f"partners.weight_short.{f.name}", lang),
            value=format_number(float(weights.get(f.name, getattr(DEFAULT_WEIGHTS, f.name))), lang),
        )
        for f in fields(Weights)
    )


def mixed_weights(entries: Sequence[Mapping[str, Any]]) -> bool:
    """True when the entries' scores were computed with different weights."""
    return len({tuple(sorted((e.get("weights") or {}).items())) for e in entries}) > 1


def shortlist_frame(
    entries: Sequence[Mapping[str, Any]], ctx: Context, *, headers: bool = False
) -> pd.DataFrame:
    """The shortlist as a table (for display, and with ``headers=True`` for CSV/XLSX export).

    Columns :data:`SHORTLIST_COLUMNS`: the start (organisation name in ``ctx.lang``, or the
    needed capabilities), its id and Japanese name, the candidate's name, id and Japanese
    name, country, type, kind, score and its three parts, the weights the score was computed
    with (in words, and one column per weight), the one-line reason, the matched rule, the
    evidence confidence, and the source URLs of the candidate and of the start. Scores are
    rounded for the screen (:func:`display_score`); with ``headers=True`` (export) they keep
    full precision, and the frame keeps
    :data:`SHORTLIST_EXPORT_COLUMNS` and renames them to catalogue headers in ``ctx.lang``.
    """
    lang = ctx.lang
    rows = []
    for e in entries:
        start_name = (
            display_name(e["start_name_en"], e["start_name_ja"], lang) if e["start"] else ""
        )
        short = short_name(start_name) if start_name else ""
        start_label = start_name or t("partners.list_sep", lang).join(
            cap_phrase(s, ctx.taxonomy, lang) for s in e["needs"]
        )
        weights = e.get("weights") or {}
        rows.append(
            {
                "start": start_label,
                "start_id": e["start"],
                "start_name_ja": e["start_name_ja"] or "",
                "candidate": display_name(e["name_en"], e["name_ja"], lang),
                "candidate_id": e["id"],
                "candidate_name_ja": e["name_ja"] or "",
                "country": country_name(e["country"], lang),
                "org_type": vocab_label("org_type", e["org_type"], lang),
                "kind": t(f"partners.kind.{e['kind']}", lang),
                "score": float(e["score"]),
                "match_points": float(e["match_points"]),
                "link_points": float(e.get("link_points") or 0.0),
                "network_points": float(e.get("network_points") or 0.0),
                "shared_points": float(e.get("shared_points") or 0.0),
                "mutual_points": float(e.get("mutual_points") or 0.0),
                "confidence_points": float(e["confidence_points"]),
                "membership_points": float(e["membership_points"]),
                "weights": weights_text(weights, lang),
                **{col: weights.get(name, math.nan) for col, name in WEIGHT_COLUMNS.items()},
                # on screen one line with "(+N more)"; the export spells out every matched rule.
                # An entry read back from an exported file has no matches, only the text.
                "reason": ctx.row_reason(e, full=headers, start_name=short)
                if e["matches"]
                else e.get("reason_text", ""),
                "rule": (ctx.rules(e["matches"]) if headers else ctx.rule(e["matches"]))
                if e["matches"]
                else e.get("rule_text", ""),
                "known": known_text(e.get("links") or [], lang) or e.get("known_text", ""),
                "confidence": vocab_label("confidence", e["confidence"], lang),
                "sources": e["sources"],
                "start_sources": e["start_sources"],
                "status": t(f"shortlists.status.{e['status']}", lang) if e.get("status") else "",
                "note": e.get("note", ""),
            }
        )
    frame = pd.DataFrame(rows, columns=list(SHORTLIST_COLUMNS))
    for col in WEIGHT_COLUMNS:
        frame[col] = frame[col].astype(float)
    if not headers:
        for col in SCORE_PARTS:
            frame[col] = [display_score(v) for v in frame[col]]
    if headers:
        frame = frame[list(SHORTLIST_EXPORT_COLUMNS)].rename(
            columns={c: t(f"partners.col.{c}", lang) for c in SHORTLIST_EXPORT_COLUMNS}
        )
    return frame


def shortlist_about(n_rows: int, data_as_of: str, lang: str) -> list[tuple[str, object]]:
    """The "About" sheet of the shortlist export (:func:`fusion_partners.explore.export.about_rows`,
    as for Explore), with the scoring formula as plain text (the page shows it as Markdown; a
    spreadsheet cell would show the ``**`` markers)."""
    return about_rows(
        t("app.title", lang) + " — " + t("nav.partners", lang),
        n_rows,
        data_as_of,
        lang,
        [(t("partners.about.model", lang), plain_text(t("partners.weights_formula", lang)))],
    )
