"""The partner-finder model: kinds of collaboration, weights, parameters, reasons, URL state.

Who should a business developer talk to in the other country, and why? For a *start*
(an organisation, or a set of capabilities the user needs) and a *kind* of collaboration,
every organisation in the target countries gets a score::

    score = w_match × match + w_confidence × (confidence_rank − 1) / 2 + w_membership × member

* ``match`` depends on the kind (below); a candidate with ``match = 0`` is not suggested.
* ``confidence_rank`` is 3/2/1 for high/medium/low evidence, so the middle term is 0…w_confidence.
* ``member`` is 1 when a source states a council membership (J-Fusion or The Fusion Cluster).

Kinds (the four the J-Fusion / Fusion Cluster memorandum sets out to promote):

* ``joint_research`` — shared capabilities weighted by rarity:
  ``match = Σ idf(c) ** rarity`` over capabilities ``c`` both sides hold, with
  ``idf(c) = ln(N / n(c))`` (inverse document frequency; Spärck Jones 1972, "A statistical
  interpretation of term specificity and its application in retrieval", J. Documentation
  28(1); Manning, Raghavan & Schütze 2008, *Introduction to Information Retrieval* §6.2.1),
  ``N`` = organisations in the database, ``n(c)`` = those holding ``c``. Both sides must be
  research-capable (:data:`RESEARCH_TYPES` or :data:`RESEARCH_CAPABILITIES`; not one of
  :data:`NOT_RESEARCH_TYPES`; a :data:`FUNDER_TYPES` body only as a fusion developer).
* ``supply_chain``, ``demonstration``, ``innovation`` — rules from ``data/supply_map.csv``
  (:mod:`fusion_partners.data.supply_map`). A rule matches where the start is on its demand side
  and the candidate on its supply side (*forward*), or the reverse (*reverse*). With the
  matched rule weights sorted strongest first, ``match = Σ weight_i × breadth ** (i − 1)``:
  each further rule counts ``breadth`` times as much as the one before (a geometric
  discount, as in discounted cumulative gain — Järvelin & Kekäläinen 2002, ACM TOIS 20(4)),
  so a partner matching several needs ranks higher without generalists swamping specialists.

In capability mode (no start organisation) ``match = Σ idf(c) ** rarity`` over the needed
capabilities the candidate holds; joint research keeps research-capable candidates, the
rule-based kinds keep candidates that play a part in a rule of the kind through a needed
capability or their type (the role is named in the reason).

The SQL lives in :mod:`fusion_partners.partners.sql`; this module holds the parameters
(frozen dataclasses, hashable for caching), the defaults and the reasons, which are built
from message-catalogue templates so they read naturally in English and Japanese.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pandas as pd

from fusion_partners.data.partner_rules import KINDS, SERVICE_LEAVES
from fusion_partners.data.roster import CONFIDENCES
from fusion_partners.explore.export import about_rows
from fusion_partners.explore.filters import Filters
from fusion_partners.explore.url import ParamSource, reader
from fusion_partners.i18n import format_number, has, t, t_md, tn_md
from fusion_partners.i18n.countries import country_label, country_name
from fusion_partners.i18n.labels import Taxonomy, display_name, profile_link, vocab_label
from fusion_partners.i18n.markup import shorten

FOCUS_COUNTRIES: tuple[str, ...] = ("JP", "GB")
"""The two countries the product pairs (ISO 3166-1 alpha-2)."""
RESEARCH_TYPES: tuple[str, ...] = ("university", "research_institute", "startup")
"""Organisation types counted as research-capable (fusion startups are R&D companies)."""
RESEARCH_CAPABILITIES: tuple[str, ...] = (
    "research_academia",
    "fusion_developer_mcf",
    "fusion_developer_icf",
    "fusion_developer_alt",
)
"""Capabilities that make any organisation research-capable (developers do fusion R&D)."""
DEVELOPER_CAPABILITIES: tuple[str, ...] = (
    "fusion_developer_mcf",
    "fusion_developer_icf",
    "fusion_developer_alt",
)
"""Capabilities of organisations that build fusion devices (they run research programmes)."""
FUNDER_TYPES: tuple[str, ...] = ("public_body",)
"""Types research-capable only as fusion developers (UKAEA): ministries, councils and funding
agencies tagged with research fund or steer it (MEXT, JST, EPSRC, UKRI, the AEC) and are not
offered as joint-research partners."""
NOT_RESEARCH_TYPES: tuple[str, ...] = ("association", "investor")
"""Types never offered as joint-research partners even when tagged with research: a learned
society or an industry body convenes researchers but does not run joint projects itself, and
an investor funds research rather than doing it."""
CONFIDENCE_ORDER: tuple[str, ...] = ("low", "medium", "high")
KNOWN_MODES: tuple[str, ...] = ("mix", "first", "hide")
"""How documented partners of the start are shown (see :class:`PartnerQuery`)."""
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
MAX_NEEDS = 12
SCORE_DECIMALS = 2
"""Decimals of every score shown on screen (exports keep full precision)."""
SCORE_FORMAT = f"%.{SCORE_DECIMALS}f"
"""printf format of score columns in tables (``st.column_config.NumberColumn(format=...)``)."""


def display_score(value: float) -> float:
    """A score (or score part) as shown on screen: :data:`SCORE_DECIMALS` decimals, halves
    rounded up as written (2.175 → 2.18, where binary rounding would give 2.17), so the
    same score reads the same in every table and chart."""
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return number
    step = Decimal(1).scaleb(-SCORE_DECIMALS)
    return float(Decimal(repr(number)).quantize(step, rounding=ROUND_HALF_UP))


def format_score(value: float, lang: str) -> str:
    """A score as text for the screen (hover labels, sentences): :func:`display_score` with
    exactly :data:`SCORE_DECIMALS` decimals, in ``lang``'s number format."""
    return format_number(display_score(value), lang, "#,##0." + "0" * SCORE_DECIMALS)


@dataclass(frozen=True)
class Weights:
    """Weights of the score terms (see the module docstring). Hashable.

    Defaults and why:

    * ``match = 1.0`` — the match is the reason to talk; everything else only breaks near-ties.
    * ``confidence = 0.3`` — prefer well-evidenced records, but a high-confidence record
      should not outrank a clearly better match (at most 0.3 points; one shared rare
      capability is worth 2–4, a core supply rule 1.0).
    * ``membership = 0.2`` — council members signed up to the partnership programme, but
      memberships are sparsely sourced (The Fusion Cluster's directory is not public), so a
      large bonus would mostly favour Japanese organisations.
    * ``rarity = 1.0`` — plain IDF; 0 counts shared capabilities equally, 2 stresses rare ones.
    * ``breadth = 0.5`` — the second matched rule adds half its weight, the third a quarter:
      a firm matching two weak rules (0.7 + 0.5 × 0.5 = 0.95) stays below one matching a
      core need (1.0); 1 is a plain sum, 0 keeps only the strongest rule.
    * ``link = 1.0`` — a documented collaboration with the start (``data/links.csv``) adds
      this much: already working together is strong evidence, worth about one shared
      leaf of average rarity; 0 ranks known partners like anyone else.
    """

    match: float = 1.0
    confidence: float = 0.3
    membership: float = 0.2
    rarity: float = 1.0
    breadth: float = 0.5
    link: float = 1.0
    network: float = 1.0

    def __post_init__(self) -> None:
        for f in fields(self):
            low, high = WEIGHT_LIMITS[f.name]
            value = getattr(self, f.name)
            try:
                value = float(value)
            except (TypeError, ValueError):
                value = f.default
            if math.isnan(value):
                value = f.default
            object.__setattr__(self, f.name, round(min(max(value, low), high), 3))


WEIGHT_LIMITS: dict[str, tuple[float, float]] = {
    "match": (0.0, 5.0),
    "confidence": (0.0, 5.0),
    "membership": (0.0, 5.0),
    "rarity": (0.0, 3.0),
    "breadth": (0.0, 1.0),
    "link": (0.0, 5.0),
    "network": (0.0, 5.0),
}
"""Allowed range per weight; values outside are clamped."""
DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class PartnerFilters:
    """Restrictions on the candidates. Empty tuples mean "no restriction", except
    ``countries``: empty means the default target, the other focus country (JP ↔ GB)."""

    countries: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    memberships: tuple[str, ...] = ()
    min_confidence: str = "low"

    def __post_init__(self) -> None:
        for name in ("countries", "org_types", "memberships"):
            value = getattr(self, name)
            value = [value] if isinstance(value, str) else list(value or ())
            object.__setattr__(self, name, tuple(sorted({str(v) for v in value if str(v)})))
        if self.min_confidence not in CONFIDENCE_ORDER:
            object.__setattr__(self, "min_confidence", "low")

    def confidences(self) -> tuple[str, ...]:
        """Confidence levels at or above ``min_confidence``."""
        return CONFIDENCE_ORDER[CONFIDENCE_ORDER.index(self.min_confidence) :]


@dataclass(frozen=True)
class PartnerQuery:
    """One partner-finder question. Hashable, so it can key caches.

    Attributes:
        start: the starting organisation's id, or ``""`` in capability mode.
        needs: capability slugs the user needs (capability mode; ignored when ``start``).
        kind: one of :data:`KINDS`.
        filters: candidate restrictions.
        weights: score weights.
        limit: maximum rows returned (1…:data:`MAX_LIMIT`).
        known: documented partners of the start (``data/links.csv``): ``mix`` (ranked with
            the rest, the link term added), ``first`` (listed before everyone else) or
            ``hide`` (left out).
        ignore_links_with: ids whose documented links with the start are ignored (the
            evaluation's leave-one-out; ``*`` ignores every link).
    """

    start: str = ""
    needs: tuple[str, ...] = ()
    kind: str = "supply_chain"
    filters: PartnerFilters = field(default_factory=PartnerFilters)
    weights: Weights = field(default_factory=Weights)
    limit: int = DEFAULT_LIMIT
    known: str = "mix"
    ignore_links_with: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", (self.start or "").strip())
        if self.known not in KNOWN_MODES:
            object.__setattr__(self, "known", "mix")
        ignore = (
            [self.ignore_links_with]
            if isinstance(self.ignore_links_with, str)
            else self.ignore_links_with
        )
        object.__setattr__(
            self, "ignore_links_with", tuple(sorted({str(i) for i in ignore or () if i}))
        )
        needs = [self.needs] if isinstance(self.needs, str) else list(self.needs or ())
        ordered: list[str] = []
        for slug in needs:
            if slug and slug not in ordered:
                ordered.append(str(slug))
        object.__setattr__(self, "needs", tuple(sorted(ordered[:MAX_NEEDS])))
        if self.kind not in KINDS:
            object.__setattr__(self, "kind", "supply_chain")
        object.__setattr__(self, "limit", int(min(max(int(self.limit), 1), MAX_LIMIT)))

    @property
    def mode(self) -> str:
        """``"organisation"``, ``"capabilities"`` or ``"none"`` (nothing to start from)."""
        if self.start:
            return "organisation"
        return "capabilities" if self.needs else "none"


def target_countries(start_country: str | None, filters: PartnerFilters) -> tuple[str, ...]:
    """Countries searched: the chosen ones, else the other focus country.

    JP → ``("GB",)``, GB → ``("JP",)``; a start from a third country, or capability mode
    (``start_country`` None), → ``("JP", "GB")``.
    """
    if filters.countries:
        return filters.countries
    if start_country in FOCUS_COUNTRIES:
        return tuple(c for c in FOCUS_COUNTRIES if c != start_country)
    return FOCUS_COUNTRIES


def candidate_filters(query: PartnerQuery, start_country: str | None) -> Filters:
    """The :class:`~fusion_partners.explore.filters.Filters` a candidate must pass (for ``filters.where``)."""
    f = query.filters
    return Filters(
        countries=target_countries(start_country, f),
        org_types=f.org_types,
        memberships=f.memberships,
        confidences=f.confidences() if f.min_confidence != "low" else (),
    )


def fitting_kind(org_type: str, capabilities: Sequence[str], roles: Sequence[str] = ()) -> str:
    """The kind of collaboration that suits an organisation best, as a starting default.

    By role where roles are recorded: councils, ministries, regulators and funders →
    counterparts; investors and trading houses → innovation; site hosts and utilities →
    demonstration; research-only organisations → joint research; others (developers,
    suppliers, integrators) → supply chain. Without roles, by type and capability groups:
    universities and research institutes → joint research; investors, and companies whose
    only groups are trading/finance → innovation; builders, utilities, regulators and public
    bodies → demonstration; the rest → supply chain.
    """
    r = set(roles)
    if r:
        if r & {"council_association", "ministry", "regulator", "funding_agency"}:
            return "counterparts"
        if r & {"investor", "trading_house"} and not r & {
            "manufacturer_supplier",
            "fusion_developer",
        }:
            return "innovation"
        if r & {"site_host", "utility_operator"} and not r & {
            "manufacturer_supplier",
            "fusion_developer",
        }:
            return "demonstration"
        if r <= {"research_partner", "training_provider", "test_facility"}:
            return "joint_research"
        return "supply_chain"
    caps = set(capabilities)
    if org_type in ("university", "research_institute"):
        return "joint_research"
    if org_type == "investor" or (caps and caps <= {"trading_finance", "consulting_legal"}):
        return "innovation"
    if org_type == "public_body" or (
        caps
        and caps
        <= {
            "construction_civil",
            "energy_utilities",
            "nuclear_safety_regulation",
            "consulting_legal",
            "skills_training",
            "trading_finance",
        }
    ):
        return "demonstration"
    return "supply_chain"


# --- URL state -------------------------------------------------------------------------

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


def link_notices(parsed: ParsedQuery, lang: str) -> list[str]:
    """Markdown-safe messages for the values of a link that were not used as given
    (``parsed.out_of_range`` and ``parsed.ignored``; ``rejected`` has the app-wide notice).

    Link values are shortened and escaped, so a crafted link can neither draw Markdown nor
    fill the screen.
    """
    messages = []
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
                    value=shorten(value, 40),
                    low=format_number(low, lang),
                    high=format_number(high, lang),
                    default=format_number(getattr(DEFAULT_WEIGHTS, name), lang),
                )
            )
        messages.append(
            tn_md(
                "partners.url.weight_range",
                len(parsed.out_of_range),
                lang,
                values=t("partners.list_sep", lang).join(items),
            )
        )
    for param, value, reason in parsed.ignored[:8]:
        messages.append(t_md(f"partners.url.{reason}", lang, value=f"{param}={shorten(value, 40)}"))
    return messages


# --- reasons -----------------------------------------------------------------------------
# A suggestion row carries ``matches``: a list of dicts with keys rule_id, kind, direction,
# demand, demand_types, supply, supply_types, weight. Directions:
#   forward      the start needs (demand) what the candidate offers (supply)
#   reverse      the candidate needs what the start offers
#   shared       joint research: both hold ``demand`` (= ``supply``)
#   held         capability mode: the candidate holds the needed capability ``demand``
#   role_demand  capability mode: the candidate's part in a rule (demand or supply side)
#   role_supply

SCORING_DIRECTIONS = ("forward", "reverse", "shared", "held")


def cap_phrase(slug: str, taxonomy: Taxonomy, lang: str) -> str:
    """Short phrase for a capability inside a sentence (catalogue ``partners.cap.<slug>``,
    falling back to the taxonomy label for slugs the catalogue does not know)."""
    key = f"partners.cap.{slug}"
    if has(key, lang) or has(key):
        return t(key, lang)
    label = taxonomy.label(slug, lang)
    if lang != "ja" and len(label) > 1 and label[1].islower():
        label = (
            label[:1].lower() + label[1:]
        )  # "blanket design", not "Blanket design", inside a sentence
    return label


def role_phrase(
    slug: str, types: Sequence[str], taxonomy: Taxonomy, lang: str, *, article: bool = False
) -> str:
    """A rule side in words: ``investor``, ``company in precision manufacturing``,
    ``superconducting magnets and conductor``.

    With ``article=True`` a side naming organisation types reads as one organisation of
    them, with the indefinite article its first type takes in ``lang`` (catalogue
    ``partners.role.type_a.<type>``: "an investor", "a company in precision manufacturing";
    Japanese has none); a capability alone stays as it is ("construction and civil
    engineering").
    """
    words = [
        t(f"partners.role.type{'_a' if article and i == 0 else ''}.{ty}", lang)
        for i, ty in enumerate(types)
    ]
    type_words = t("partners.role.sep", lang).join(words)
    if slug == "*":
        return type_words
    phrase = cap_phrase(slug, taxonomy, lang)
    return t("partners.role.with_types", lang, role=phrase, types=type_words) if types else phrase


def possessive(name: str, lang: str) -> str:
    """``name`` as the owner of what follows: ``Tokamak Energy's``, ``Oxford Early
    Investments'`` (a name ending in s takes only the apostrophe), ``フジクラの``."""
    if lang == "ja":
        return f"{name}の"
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


_JA_FORM = re.compile(r"^(株式会社|有限会社|合同会社)\s*|\s*(株式会社|有限会社|合同会社)$")
_EN_FORM = re.compile(
    r"(?<!&)\s+Co\.,?\s*Ltd\.?$|,?\s+(Ltd\.?|Limited|plc|PLC|Inc\.?|LLC|KK|K\.K\.)$"
)


def short_name(name: str) -> str:
    """A name without its corporate form, for reasons: ``Tokamak Energy Ltd`` → ``Tokamak
    Energy``, ``株式会社フジクラ`` → ``フジクラ``, ``Mitsui & Co., Ltd.`` → ``Mitsui & Co.``.

    Display only (stored names never change); a name that would become empty is kept.
    """
    short = _EN_FORM.sub("", _JA_FORM.sub("", name.strip())).strip()
    return short or name


_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def reason_name(name_en: Any, name_ja: Any, aliases: Any, lang: str) -> str:
    """The name a reason uses for the start: its display name without corporate form, or,
    when that is long (over 30 characters), its shortest alias written in the interface's
    script (``QST`` for National Institutes for Quantum Science and Technology (QST))."""
    name = short_name(display_name(name_en, name_ja, lang))
    if len(name) <= 30:
        return name
    options = [
        str(a)
        for a in (list(aliases) if aliases is not None and not isinstance(aliases, float) else [])
        if len(str(a)) >= 2 and bool(_JAPANESE.search(str(a))) == (lang == "ja")
    ]
    inside = [a for a in options if a in name]  # the name's own acronym: "… (UKAEA)"
    return min(inside or options, key=len) if options else name


def sentence_case(text: str) -> str:
    """``text`` with its first character upper-cased (no effect on Japanese)."""
    return text[:1].upper() + text[1:]


def _as_list(value: Any) -> list:
    if value is None:
        return []
    if isinstance(value, float) and math.isnan(value):
        return []
    return list(value)


def clause(
    match: Mapping[str, Any],
    start_name: str,
    taxonomy: Taxonomy,
    lang: str,
    n_orgs: Mapping[str, int] | None = None,
    total: int | None = None,
) -> str:
    """One matched rule or capability as a sentence in ``lang``.

    Args:
        match: one element of a suggestion's ``matches``.
        start_name: the start organisation's display name (unused in capability mode).
        n_orgs, total: capability → organisations holding it, and all organisations (for
            the rarity note of joint research); optional.

    The sentence describes the candidate (the row it is shown on) without naming it:
    "Supplies HTS magnets, which Tokamak Energy needs for magnetic-confinement fusion".
    """
    direction = match["direction"]
    kind = match["kind"]
    demand_types, supply_types = (
        _as_list(match.get("demand_types")),
        _as_list(match.get("supply_types")),
    )
    demand = role_phrase(match["demand"], demand_types, taxonomy, lang)
    supply = role_phrase(match["supply"], supply_types, taxonomy, lang)
    sides = {  # the sides as one organisation ("an investor"), for templates that need it
        "demand_a": role_phrase(match["demand"], demand_types, taxonomy, lang, article=True),
        "supply_a": role_phrase(match["supply"], supply_types, taxonomy, lang, article=True),
    }
    if direction == "shared":
        n = (n_orgs or {}).get(match["demand"])
        if n is not None and total:
            return t(
                "partners.reason.shared_rare",
                lang,
                cap=demand,
                n=format_number(n, lang),
                total=format_number(total, lang),
            )
        return t("partners.reason.shared", lang, cap=demand)
    if direction == "held":
        return t("partners.reason.held", lang, cap=demand)
    if direction in ("role_demand", "role_supply"):
        side = "demand" if direction == "role_demand" else "supply"
        return t(f"partners.reason.role.{kind}.{side}", lang, demand=demand, supply=supply, **sides)
    return t(
        f"partners.reason.{kind}.{direction}",
        lang,
        start=start_name,
        demand=demand,
        supply=supply,
        **sides,
    )


MODEL_DIRECTIONS: tuple[str, ...] = (
    "buys",
    "buys_implied",
    "buys_near",
    "sells",
    "sells_implied",
    "shared_topic",
    "complements",
    "complemented",
    "related",
    "plant_needs",
    "hosts",
    "plant_technology",
    "plant_technology_for",
    "capital",
    "makes",
    "backed",
    "capital_for",
    "makes_for",
    "like_backed",
    "counterpart",
    "counterpart_near",
    "shared_work",
    "specialist",
    "builder",
    "co_integrator",
    "integrator_for",
    "builder_for",
    "venture",
    "venture_for",
)
"""Directions of the partner model's matches in organisation mode
(:mod:`fusion_partners.partners.scoring_sql`); each has its sentence,
``partners.reason.<kind>.<direction>``, naming who buys and who supplies."""
MAKES_DIRECTIONS: tuple[str, ...] = (
    "makes",
    "makes_for",
    "venture",
    "venture_for",
    "plant_technology",
    "plant_technology_for",
)
"""Directions whose sentence says a side *makes* the leaves; with a service leaf
(:data:`~fusion_partners.data.partner_rules.SERVICE_LEAVES`) the sentence ``<key>_service`` says
*provides* instead."""
_ROLE_DIRECTIONS = ("counterpart", "counterpart_near")
"""Directions whose ``demand`` is a role, not a capability leaf."""
REASON_ITEMS = 3
"""Leaves named per clause on screen (the rest counted); exports name all."""


def _model_reason(
    matches: Sequence[Mapping[str, Any]],
    start_name: str,
    taxonomy: Taxonomy,
    lang: str,
    *,
    full: bool,
) -> str:
    """The reason of an organisation-mode suggestion: one clause per principle that matched
    (strongest first), each naming its leaves — "Supplies HTS conductor, which Tokamak Energy
    needs; needs magnet coils, which Tokamak Energy supplies"."""
    by_direction: dict[str, list[str]] = {}
    named: set[str] = set()
    for m in matches:
        side = (
            m["supply"]
            if m["direction"]
            in ("buys", "buys_near", "makes", "specialist", "backed", "related", "counterpart_near")
            else m["demand"]
        )
        if side in named and m["direction"].endswith(("_near", "_implied")):
            continue  # already named by a stronger clause
        named.add(side)
        items = by_direction.setdefault(m["direction"], [])
        if side not in items:
            items.append(side)
    clauses: list[str] = []
    sep = t("partners.list_sep", lang)
    for direction, items in by_direction.items():
        kind = matches[0]["kind"]
        shown = items if full else items[:REASON_ITEMS]
        if direction in _ROLE_DIRECTIONS:
            labels = [vocab_label("role", r, lang) for r in shown]
            if lang != "ja":  # "also a council or association" inside a sentence
                labels = [
                    x[:1].lower() + x[1:] if len(x) > 1 and x[1].islower() else x for x in labels
                ]
            words = sep.join(labels)
        else:
            words = sep.join(cap_phrase(x, taxonomy, lang) for x in shown)
        key = f"partners.reason.{kind}.{direction}"
        if direction in MAKES_DIRECTIONS and any(x in SERVICE_LEAVES for x in shown):
            key += "_service"  # "provides divertor design", never "makes divertor design"
        text = t(
            key, lang, start=start_name, start_poss_plain=possessive(start_name, lang), caps=words
        )
        if len(items) > len(shown):
            text += t("partners.reason.more", lang, n=len(items) - len(shown))
        keep = lang == "ja" or not clauses or (start_name and text.startswith(start_name))
        clauses.append(text if keep else text[:1].lower() + text[1:])
        if not full and len(clauses) == 2:
            rest = len(by_direction) - 2
            if rest > 0:
                clauses[-1] += t("partners.reason.more", lang, n=rest)
            break
    return sentence_case(t("partners.clause_sep", lang).join(clauses))


def known_text(links: Sequence[Mapping[str, Any]] | None, lang: str) -> str:
    """ "Already working together" with the documented links' relation and year (newest
    first): ``Investment (2023); supply contract (2022)``; ``""`` when there is none."""
    parts = []
    for link in links or []:
        rel = vocab_label("relation", str(link.get("relation")), lang)
        year = link.get("year")
        if year is None or (isinstance(year, float) and math.isnan(year)):
            parts.append(t("partners.known.item", lang, relation=rel))
        else:
            parts.append(t("partners.known.item_year", lang, relation=rel, year=int(year)))
    return (
        t("partners.known", lang, links=t("partners.list_sep", lang).join(parts)) if parts else ""
    )


def reason(
    matches: Sequence[Mapping[str, Any]],
    start_name: str,
    taxonomy: Taxonomy,
    lang: str,
    n_orgs: Mapping[str, int] | None = None,
    total: int | None = None,
    *,
    full: bool = False,
) -> str:
    """The one-line reason of a suggestion: its strongest match, the others counted.

    Organisation mode names each principle that matched with its leaves (who buys and who
    supplies; :func:`_model_reason`). Capability mode names every held capability in one
    clause (rarest first); rule-based matches give the strongest rule and "(+N more)", or
    with ``full=True`` (exports) every matched rule's clause, strongest first.
    """
    matches = list(matches)
    if not matches:
        return ""
    if matches[0]["direction"] in MODEL_DIRECTIONS:
        return _model_reason(matches, start_name, taxonomy, lang, full=full)
    scoring = [m for m in matches if m["direction"] in SCORING_DIRECTIONS]
    roles = [m for m in matches if m["direction"] not in SCORING_DIRECTIONS]
    if scoring and scoring[0]["direction"] in ("shared", "held"):
        caps = t("partners.list_sep", lang).join(
            cap_phrase(m["demand"], taxonomy, lang) for m in scoring
        )
        first = scoring[0]
        key = (
            "partners.reason.shared_list"
            if first["direction"] == "shared"
            else "partners.reason.held"
        )
        text = t(key, lang, cap=caps)
        if first["direction"] == "shared" and n_orgs and total and first["demand"] in n_orgs:
            n, of = format_number(n_orgs[first["demand"]], lang), format_number(total, lang)
            if (
                len(scoring) == 1
            ):  # one shared capability: "the rarest" would compare it with nothing
                text += t("partners.reason.held_by", lang, n=n, total=of)
            else:
                text += t(
                    "partners.reason.rarest",
                    lang,
                    cap=cap_phrase(first["demand"], taxonomy, lang),
                    n=n,
                    total=of,
                )
        if first["kind"] == "joint_research" and first["direction"] == "held":
            text += t("partners.reason.research_capable", lang)
        if roles:
            text += t("partners.clause_sep", lang) + clause(roles[0], start_name, taxonomy, lang)
        return sentence_case(text)
    if full:
        return t("partners.clause_sep", lang).join(
            sentence_case(clause(m, start_name, taxonomy, lang)) for m in scoring
        )
    text = clause(scoring[0], start_name, taxonomy, lang)
    if len(scoring) > 1:
        text += t("partners.reason.more", lang, n=len(scoring) - 1)
    return sentence_case(text)


def rule_label(match: Mapping[str, Any], taxonomy: Taxonomy, lang: str) -> str:
    """The rule that matched, short: ``Supply chain: tokamak developer → HTS magnets``."""
    kind = t(f"partners.kind.{match['kind']}", lang)
    if match["direction"] in MODEL_DIRECTIONS:
        return t(
            "partners.rule.model",
            lang,
            kind=kind,
            rule=t(f"partners.rule.{match['direction']}", lang),
        )
    if match["direction"] in ("shared", "held"):
        return t(f"partners.rule.{match['direction']}", lang, kind=kind)
    demand = role_phrase(match["demand"], _as_list(match.get("demand_types")), taxonomy, lang)
    supply = role_phrase(match["supply"], _as_list(match.get("supply_types")), taxonomy, lang)
    return t("partners.rule.map", lang, kind=kind, demand=demand, supply=supply)


def capabilities_of(matches: Sequence[Mapping[str, Any]]) -> list[str]:
    """Capability slugs named by ``matches`` (``*`` left out), in order, without repeats."""
    out: list[str] = []
    for m in matches:
        for slug in (m["demand"], m["supply"]):
            if slug != "*" and slug not in out:
                out.append(slug)
    return out


# --- tables for display and export ------------------------------------------------------


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
    "confidence_points",
    "membership_points",
)
"""The score and its parts, as columns of a suggestion (capability mode has no link or track
record: 0)."""


def suggestion_frame(df: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Rows of :func:`partners.sql.suggestions` as readable values for the results table.

    Returns a DataFrame with columns ``id``, ``rank``, ``tie`` (``=`` when the row ties with
    another on every ranking key), ``name``, ``country``, ``org_type``, the score and its
    parts (:data:`SCORE_PARTS`), ``known`` (documented collaborations with the start),
    ``reason``, ``rule``, ``capabilities`` (labels), ``profile`` (relative link); index 0..n-1.
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
    out["known"] = [known_text(v, lang) for v in df["links"]] if "links" in df else ""
    out["reason"] = [
        ctx.reason(m) or (t("partners.reason.documented_only", lang) if len(k) else "")
        for m, k in zip(
            df["matches"], df["links"] if "links" in df else [[]] * len(df), strict=True
        )
    ]
    out["rule"] = [ctx.rule(m) for m in df["matches"]]
    out["capabilities"] = [ctx.taxonomy.labels(list(c), lang) for c in df["capabilities"]]
    out["profile"] = [profile_link(i, lang) for i in df["id"]]
    return out


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
        "confidence_points": float(row["confidence_points"]),
        "membership_points": float(row["membership_points"]),
        "weights": {f.name: float(getattr(query.weights, f.name)) for f in fields(Weights)},
        "matches": [dict(m) for m in row["matches"]],
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
                "confidence_points": float(e["confidence_points"]),
                "membership_points": float(e["membership_points"]),
                "weights": weights_text(weights, lang),
                **{col: weights.get(name, math.nan) for col, name in WEIGHT_COLUMNS.items()},
                # on screen one line with "(+N more)"; the export spells out every matched rule.
                # An entry read back from an exported file has no matches, only the text.
                "reason": ctx.reason(e["matches"], short, full=headers)
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
    as for Explore), with the scoring formula."""
    return about_rows(
        t("app.title", lang) + " — " + t("nav.partners", lang),
        n_rows,
        data_as_of,
        lang,
        [(t("partners.about.model", lang), t("partners.weights_formula", lang))],
    )
