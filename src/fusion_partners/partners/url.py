"""The partner finder's URL state: parameters written for a query and read back from a link.

Pure: no Streamlit and no Markdown. A link value that is not used as given is reported as a
:class:`Notice` (a message key and its values, plain text); the page escapes it for display.
The widgets that read and write ``st.query_params`` are in :mod:`fusion_partners.ui`.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from fusion_partners.data.partner_rules import KINDS
from fusion_partners.data.roster import CONFIDENCES
from fusion_partners.explore.url import ParamSource, reader
from fusion_partners.i18n import format_number, plural_key, t
from fusion_partners.i18n.markup import shorten
from fusion_partners.partners.query import (
    DEFAULT_WEIGHTS,
    KNOWN_MODES,
    WEIGHT_LIMITS,
    PartnerFilters,
    PartnerQuery,
)

URL_PARAMS: tuple[str, ...] = (
    "org",
    "need",
    "kind",
    "country",
    "type",
    "membership",
    "min_conf",
    "known",
    "w_match",
    "w_conf",
    "w_member",
    "w_rarity",
    "w_breadth",
    "w_link",
    "w_network",
    "w_shared",
    "w_mutual",
    "with",
)
"""Query parameters of the partner finder page (``with`` = the organisation compared in the pair view)."""
_WEIGHT_PARAMS = {
    "w_match": "match",
    "w_conf": "confidence",
    "w_member": "membership",
    "w_rarity": "rarity",
    "w_breadth": "breadth",
    "w_link": "link",
    "w_network": "network",
    "w_shared": "shared",
    "w_mutual": "mutual",
}


def to_params(query: PartnerQuery, pair_with: str = "") -> dict[str, list[str] | str]:
    """URL parameters reproducing ``query`` (defaults are left out)."""
    params: dict[str, list[str] | str] = {}
    if query.start:
        params["org"] = query.start
    elif query.needs:
        params["need"] = list(query.needs)
    params["kind"] = query.kind
    f = query.filters
    for param, values in (
        ("country", f.countries),
        ("type", f.org_types),
        ("membership", f.memberships),
    ):
        if values:
            params[param] = list(values)
    if f.min_confidence != "low":
        params["min_conf"] = f.min_confidence
    if query.known != "mix":
        params["known"] = query.known
    for param, name in _WEIGHT_PARAMS.items():
        value = getattr(query.weights, name)
        if value != getattr(DEFAULT_WEIGHTS, name):
            params[param] = f"{value:g}"
    if pair_with and query.start:  # the pair view compares a candidate with the start
        params["with"] = pair_with
    return params


def query_key(query: PartnerQuery, *context: str) -> str:
    """A short digest of ``query`` that is stable across reruns and processes.

    Widgets whose state refers to rows of a result (the candidates table's row ticks) are
    keyed with it, so that the state belongs to one question: a changed start, need, kind,
    candidate filter, weight or limit — or other ``context`` such as the data's build time —
    gives a new key, and ticks made for the old list never point at rows of the new one.
    """
    payload = json.dumps(
        [to_params(query), query.limit, *context], sort_keys=True, ensure_ascii=False
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def rows_key(keys: Sequence[str]) -> str:
    """A short digest of row identities (e.g. shortlist keys, in table order), for keying a
    table whose row ticks must not survive a change of its rows."""
    return hashlib.sha256("\n".join(keys).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class ParsedQuery:
    """A query read from a URL: the valid part, what was dropped and why, and the pair partner.

    Attributes:
        query: the valid part.
        rejected: ``(param, value)`` pairs naming something that is not in the current data
            (an unknown organisation, capability, country, type, membership, kind or
            confidence).
        out_of_range: ``(param, value)`` pairs of weights that are not a number in their
            allowed range (:data:`WEIGHT_LIMITS`); the default weight was used.
        ignored: ``(param, value, reason)`` triples of valid values the query cannot use:
            ``need_with_org`` (capabilities next to a starting organisation, which wins),
            ``with_is_start`` (the pair view with the start itself), ``with_without_start``
            (the pair view needs a starting organisation).
        pair_with: the organisation compared in the pair view, or ``""``.
    """

    query: PartnerQuery
    rejected: tuple[tuple[str, str], ...] = ()
    pair_with: str = ""
    out_of_range: tuple[tuple[str, str], ...] = ()
    ignored: tuple[tuple[str, str, str], ...] = ()


def from_params(
    get_all: ParamSource,
    valid: Mapping[str, Collection[str]],
) -> ParsedQuery:
    """Read a :class:`PartnerQuery` from URL parameters, dropping (and listing) bad values.

    Args:
        get_all: ``st.query_params.get_all`` or a mapping ``{param: value or [values]}``.
        valid: allowed values for ``org`` (organisation ids), ``capability``, ``country``,
            ``org_type`` and ``membership``.

    Never raises: an unknown organisation, capability, kind, country, type, membership or
    confidence is left out and reported in ``rejected``; a weight that is not a number in its
    allowed range in ``out_of_range`` (the default is used); capabilities next to an
    organisation, and a pair view with the start itself or without a start, in ``ignored``.
    """
    get_all = reader(get_all)
    rejected: list[tuple[str, str]] = []

    def values(param: str) -> list[str]:
        out: list[str] = []
        for raw in get_all(param):
            out += [p.strip() for p in str(raw).split(",") if p.strip()]
        return out

    def pick(param: str, allowed: Collection[str], canon=lambda v: v) -> list[str]:
        kept = []
        for value in values(param):
            if canon(value) in allowed:
                kept.append(canon(value))
            else:
                rejected.append((param, value))
        return kept

    orgs = pick("org", valid.get("org", ()))
    needs = pick("need", valid.get("capability", ()), lambda v: v.lower().replace("-", "_"))
    kinds = values("kind")
    kind = "supply_chain"
    if kinds:
        candidate = kinds[-1].lower().replace("-", "_")
        if candidate in KINDS:
            kind = candidate
        else:
            rejected.append(("kind", kinds[-1]))
    countries = pick("country", valid.get("country", ()), str.upper)
    types = pick("type", valid.get("org_type", ()), lambda v: v.lower().replace("-", "_"))
    memberships = pick(
        "membership", valid.get("membership", ()), lambda v: v.lower().replace("-", "_")
    )

    def choice(param: str, allowed: Collection[str], default: str) -> str:
        """The last value of a single-valued parameter, lower-cased; the default when absent or
        not allowed (and then reported)."""
        for value in values(param)[-1:]:
            if value.lower() in allowed:
                return value.lower()
            rejected.append((param, value))
        return default

    min_conf = choice("min_conf", CONFIDENCES, "low")
    weights: dict[str, float] = {}
    out_of_range: list[tuple[str, str]] = []
    for param, name in _WEIGHT_PARAMS.items():
        for value in values(param)[-1:]:
            try:
                number = float(value)
            except ValueError:
                number = float("nan")
            low, high = WEIGHT_LIMITS[name]
            if math.isnan(number) or not low <= number <= high:
                out_of_range.append((param, value))
            else:
                weights[name] = number
    known = choice("known", KNOWN_MODES, "mix")
    pair = pick("with", valid.get("org", ()))
    start = orgs[-1] if orgs else ""
    ignored: list[tuple[str, str, str]] = []
    if start:
        ignored += [("need", value, "need_with_org") for value in needs]
    pair_with = pair[-1] if pair else ""
    if pair_with and pair_with == start:
        ignored.append(("with", pair_with, "with_is_start"))
        pair_with = ""
    elif pair_with and not start:
        ignored.append(("with", pair_with, "with_without_start"))
        pair_with = ""
    query = PartnerQuery(
        start=start,
        needs=tuple(needs) if not start else (),
        kind=kind,
        filters=PartnerFilters(tuple(countries), tuple(types), tuple(memberships), min_conf),
        weights=replace(DEFAULT_WEIGHTS, **weights),
        known=known,
    )
    return ParsedQuery(query, tuple(rejected), pair_with, tuple(out_of_range), tuple(ignored))


@dataclass(frozen=True)
class Notice:
    """A message about a link value that was not used as given, as data.

    Attributes:
        key: the message's catalogue key (its singular or plural form already chosen).
        values: the message's values, plain text (link values shortened, never escaped).
    """

    key: str
    values: Mapping[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        """The message as plain text in ``lang`` (no Markdown)."""
        return t(self.key, lang, **self.values)


def link_notices(parsed: ParsedQuery, lang: str) -> list[Notice]:
    """Messages for the values of a link that were not used as given
    (``parsed.out_of_range`` and ``parsed.ignored``; ``rejected`` has the app-wide notice),
    at most eight of each.

    Link values are shortened to 40 characters, so a crafted link cannot fill the screen;
    the values are plain text, to be escaped where they are shown as Markdown.
    """
    notices = []
    if parsed.out_of_range:
        items = []
        for param, value in parsed.out_of_range[:8]:
            name = _WEIGHT_PARAMS[param]
            low, high = WEIGHT_LIMITS[name]
            items.append(
                t(
                    "partners.url.weight_item",
                    lang,
                    param=param,
                    label=t(f"partners.weight.{name}", lang),
                    value=shorten(value, 40),
                    low=format_number(low, lang),
                    high=format_number(high, lang),
                    default=format_number(getattr(DEFAULT_WEIGHTS, name), lang),
                )
            )
        notices.append(
            Notice(
                plural_key("partners.url.weight_range", len(parsed.out_of_range), lang),
                {"values": t("partners.list_sep", lang).join(items)},
            )
        )
    for param, value, reason in parsed.ignored[:8]:
        notices.append(Notice(f"partners.url.{reason}", {"value": f"{param}={shorten(value, 40)}"}))
    return notices
