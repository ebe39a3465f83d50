"""Partner suggestions as a table for the screen: readable values, the score and its parts,
and the context reasons need (taxonomy, language, start name, rarity counts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from fusion_partners.i18n import format_number, t
from fusion_partners.i18n.countries import country_label
from fusion_partners.i18n.labels import Taxonomy, display_name, profile_link, vocab_label
from fusion_partners.partners.query import display_score
from fusion_partners.partners.reasons import (
    SCORING_DIRECTIONS,
    known_text,
    mutual_partners_text,
    reason,
    rule_label,
    shared_work_text,
    units_text,
)


def list_items(value: Any) -> list[Any]:
    """A list-like column value of a suggestion (list, tuple, array) as a list; ``[]`` for a
    missing value (None, NaN) or a scalar."""
    if value is None or isinstance(value, str | float | int):
        return []
    return list(value)


@dataclass(frozen=True)
class Context:
    """What reasons need besides a row: taxonomy, language, start name and rarity counts."""

    taxonomy: Taxonomy
    lang: str
    start_name: str = ""
    n_orgs: Mapping[str, int] = field(default_factory=dict)
    total: int | None = None

    def reason(
        self,
        matches: Sequence[Mapping[str, Any]],
        start_name: str | None = None,
        *,
        full: bool = False,
    ) -> str:
        name = self.start_name if start_name is None else start_name
        return reason(matches, name, self.taxonomy, self.lang, self.n_orgs, self.total, full=full)

    def row_reason(
        self, row: Mapping[str, Any], *, full: bool = False, start_name: str | None = None
    ) -> str:
        """The reason of one suggestion (a row of
        :func:`fusion_partners.partners.sql.suggestions`) as the page, the exports and the
        command line show it: the match's reason ("documented collaboration" for a known
        partner scored by its link alone), then the shared-work and mutual-partner clauses
        when those terms scored. The results table, the pair view and the command line all
        use it, so a pair reads the same everywhere (shortlists too, for entries that stored
        the shared leaves and mutual partners). ``full``: every item, not the first few;
        ``start_name``: the start as named in the text (default: the context's)."""
        lang = self.lang
        links = row.get("links")
        clauses = [
            self.reason(row["matches"], start_name, full=full)
            or (t("partners.reason.documented_only", lang) if list_items(links) else "")
        ]
        leaves = list_items(row.get("shared_leaves"))
        if leaves and (row.get("shared_points") or 0) > 0:
            clauses.append(shared_work_text(leaves, self.taxonomy, lang, full=full))
        via = list_items(row.get("mutual_partners"))
        if via and (row.get("mutual_points") or 0) > 0:
            clauses.append(mutual_partners_text(via, lang, full=full))
        clauses.append(units_text(list_items(row.get("units")), lang))
        return t("partners.clause_sep", lang).join(c for c in clauses if c)

    def rules(self, matches: Sequence[Mapping[str, Any]]) -> str:
        """Every matched rule's label, strongest first (for exports)."""
        return t("partners.clause_sep", self.lang).join(
            dict.fromkeys(rule_label(m, self.taxonomy, self.lang) for m in matches)
        )

    def rule(self, matches: Sequence[Mapping[str, Any]]) -> str:
        """The rule behind the reason: the candidate's role in the map when there is one
        (capability mode), else its strongest match."""
        if not matches:
            return ""
        roles = [m for m in matches if m["direction"] not in SCORING_DIRECTIONS]
        return rule_label(roles[0] if roles else matches[0], self.taxonomy, self.lang)


SCORE_PARTS: tuple[str, ...] = (
    "score",
    "match_points",
    "link_points",
    "network_points",
    "shared_points",
    "mutual_points",
    "confidence_points",
    "membership_points",
)
"""The score and its parts, as columns of a suggestion (capability mode has no link, track
record, shared work or mutual partners: 0). The results table shows them side by side in this
order, the score first, so the parts can be seen to add up to it."""

TIE_BREAKS: tuple[tuple[str, str], ...] = (
    ("score", "score"),
    ("top", "match"),
    ("confidence_rank", "evidence"),
    ("n_sources", "sources"),
)
"""The ranking keys, in order, as (column of a suggestion, code of
:func:`ahead_on`): the score (to 6 decimals, more than the table shows), then in organisation
mode the strongest single match, evidence confidence and the number of sources (the keys
of :mod:`fusion_partners.partners.organisation_sql`). Capability mode ranks by the score
alone, and its rows lack the other keys."""


def ahead_on(
    upper: Mapping[str, Any], lower: Mapping[str, Any], *, known_first: bool = False
) -> str:
    """Why ``upper`` ranks above ``lower``, the row after it, although both show the same
    score: the first ranking key it is ahead on — ``"known"`` (a documented partner listed
    first, with ``known_first``), ``"score"`` (the score before rounding), ``"match"`` (a
    stronger single match), ``"evidence"`` (better evidence) or ``"sources"`` (more sources).
    ``""`` when the rows share a rank (tied on every key: marked ``=``) or show different
    scores (then the score says why)."""
    if int(lower["rank"]) <= int(upper["rank"]):
        return ""
    if display_score(upper["score"]) != display_score(lower["score"]):
        return ""
    if known_first and bool(upper.get("known")) != bool(lower.get("known")):
        return "known" if upper.get("known") else ""
    for column, code in TIE_BREAKS:
        if column in upper and column in lower and upper[column] != lower[column]:
            return code if upper[column] > lower[column] else ""
    return ""


def _more_decimals(a: float, b: float) -> tuple[str, str]:
    """Two scores written with the fewest decimals (3 to 6) that tell them apart."""
    for decimals in range(3, 7):
        x, y = f"{a:.{decimals}f}", f"{b:.{decimals}f}"
        if x != y:
            return x, y
    return x, y


def ahead_text(
    upper: Mapping[str, Any], lower: Mapping[str, Any], lang: str, *, known_first: bool = False
) -> str:
    """:func:`ahead_on` in words, with the two values where they mean something to a reader
    ("more sources (4 vs 2)"); ``""`` when there is nothing to say."""
    code = ahead_on(upper, lower, known_first=known_first)
    if code == "score":
        a, b = _more_decimals(float(upper["score"]), float(lower["score"]))
        return t("partners.ahead.score", lang, upper=a, lower=b)
    if code == "evidence":
        return t(
            "partners.ahead.evidence",
            lang,
            upper=vocab_label("confidence", upper["confidence"], lang),
            lower=vocab_label("confidence", lower["confidence"], lang),
        )
    if code == "sources":
        return t(
            "partners.ahead.sources",
            lang,
            upper=format_number(int(upper["n_sources"]), lang),
            lower=format_number(int(lower["n_sources"]), lang),
        )
    return t(f"partners.ahead.{code}", lang) if code else ""


def suggestion_frame(df: pd.DataFrame, ctx: Context, *, known_first: bool = False) -> pd.DataFrame:
    """Rows of :func:`fusion_partners.partners.sql.suggestions` as readable values for the results table.

    Returns a DataFrame with columns ``id``, ``rank``, ``tie`` (``=`` when the row ties with
    another on every ranking key), ``ahead`` (why a row ranks above the next although both
    show the same score: :func:`ahead_text`; ``known_first``: the rows were ranked with
    documented partners first), ``name``, ``country``, ``org_type``, the score and its
    parts (:data:`SCORE_PARTS`), ``known`` (documented collaborations with the start),
    ``reason``, ``rule``, ``capabilities`` (the labels in one string, joined by
    ``partners.cap_label_sep``, which no label contains: " · ", 「、」), ``profile`` (relative
    link); index 0..n-1.
    """
    lang = ctx.lang
    out = pd.DataFrame(index=range(len(df)))
    out["id"] = df["id"].tolist()
    out["rank"] = [int(r) for r in df["rank"]]
    out["name"] = [
        display_name(a, b, lang) for a, b in zip(df["name_en"], df["name_ja"], strict=True)
    ]
    out["country"] = [country_label(c, lang) for c in df["country"]]
    out["org_type"] = [vocab_label("org_type", v, lang) for v in df["org_type"]]
    for col in SCORE_PARTS:
        out[col] = [display_score(v) for v in df[col]] if col in df else 0.0
    out["tie"] = ["=" if bool(v) else "" for v in df["tied"]] if "tied" in df else ""
    records = df.to_dict("records")
    out["ahead"] = [
        ahead_text(upper, lower, lang, known_first=known_first)
        for upper, lower in zip(records, records[1:], strict=False)
    ] + [""] * min(len(records), 1)
    out["known"] = [known_text(v, lang) for v in df["links"]] if "links" in df else ""
    out["reason"] = [ctx.row_reason(r) for r in records]
    out["rule"] = [ctx.rule(m) for m in df["matches"]]
    sep = t("partners.cap_label_sep", lang)  # labels hold commas: "… (tokamak, stellarator, …)"
    out["capabilities"] = [sep.join(ctx.taxonomy.labels(list(c), lang)) for c in df["capabilities"]]
    out["profile"] = [profile_link(i, lang) for i in df["id"]]
    return out
