"""The partner finder's question: kinds of collaboration, weights, candidate filters, limits.

Who should a business developer talk to in the other country, and why? For a *start*
(an organisation, or a set of capabilities the user needs) and a *kind* of collaboration,
every organisation in the target countries gets a score::

    score = w_match × match + w_link × known + w_network × track_record
            + w_shared × shared_work + w_mutual × mutual_partners
            + w_confidence × (confidence_rank − 1) / 2 + w_membership × member

* ``match`` depends on the kind (below); a candidate with ``match = 0`` is not suggested.
* ``confidence_rank`` is 3/2/1 for high/medium/low evidence, so the middle term is 0…w_confidence.
* ``member`` is 1 when a source states a council membership (J-Fusion or The Fusion Cluster).
* ``known``, ``track_record``, ``shared_work`` and ``mutual_partners``: see :class:`Weights`
  (organisation mode only).

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

This module holds the parameters (frozen dataclasses, hashable for caching) and their
defaults. The SQL is in :mod:`fusion_partners.partners.sql` (organisation mode:
:mod:`~fusion_partners.partners.organisation_sql`; capability mode:
:mod:`~fusion_partners.partners.capabilities_sql`); the URL state in
:mod:`~fusion_partners.partners.url`; the reasons in :mod:`~fusion_partners.partners.reasons`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal

from fusion_partners.data.partner_rules import KINDS
from fusion_partners.explore.filters import Filters
from fusion_partners.i18n import format_number

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
    * ``network = 1.0`` — documented collaborations with other organisations in the start's
      country, ``min(n, 3) / 3``: one who already works with your country is easier to approach.
      Its points never exceed the candidate's match points (a track record makes a good match
      easier to act on; it does not make a weak one good).
    * ``shared = 0.3`` — shared work, ``Σ idf(leaf) ** rarity`` over the specific technical
      leaves both organisations offer that the match does not already count (not money, policy,
      networks, sites, licensing, education, fusion concepts, catch-all topics, facilities or
      family-dependent plasma topics: :data:`fusion_partners.data.partner_rules.SHARED_WORK_EXCLUDED`),
      at most half the match points, and nothing between two sellers in a supply chain
      (rivals), so it reorders but never outweighs the reason to talk: organisations doing the
      same work tend to know and work with each other (homophily; McPherson, Smith-Lovin &
      Cook 2001, Annu. Rev. Sociol. 27). It only reorders the candidates the kind's rules
      admit, and is not applied in joint research and counterparts, whose match already counts
      the leaves both offer.
      Shared needs do not count: two developers needing the same magnets are rivals for a
      supplier, not partners. See ``docs/partner-finder.md`` for what it changed.
    * ``mutual = 1.0`` — mutual partners: ``Σ 1 / ln(degree(z))`` over the organisations ``z``
      that have a documented collaboration (``data/links.csv``) with both the start and the
      candidate, ``degree(z)`` being how many documented partners ``z`` has (at least 2). This
      is the Adamic–Adar index of link prediction (Adamic & Adar 2003, Social Networks 25(3);
      Liben-Nowell & Kleinberg 2007, JASIST 58(7)): organisations that work with the same
      partner tend to end up working together (triadic closure), and a partner shared with few
      others says more than a hub everyone works with. One mutual partner with two partners in
      all is worth 1.44, one with ten 0.43. It is also a route to an introduction, so the
      reason names the mutual partners. It only reorders the candidates the kind's rules admit.
      ``ignore_links_with`` applies: the start's ignored links make no mutual partner.
    """

    match: float = 1.0
    confidence: float = 0.3
    membership: float = 0.2
    rarity: float = 1.0
    breadth: float = 0.5
    link: float = 1.0
    network: float = 1.0
    shared: float = 0.3
    mutual: float = 1.0

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
    "shared": (0.0, 5.0),
    "mutual": (0.0, 5.0),
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


def kind_for_new_start(
    before: str, on_kind: bool, roles: Mapping[str, bool], chosen: str | None, suits: str
) -> tuple[str, str]:
    """The kind of collaboration after the start changed, and why: ``(kind, why)``.

    ``before`` is the kind on screen, ``on_kind`` whether the user was on it (the page had
    a start, or the user picked the kind), ``roles`` what the new start takes part in
    (:func:`fusion_partners.partners.sql.start_roles`: a candidate of that kind in some
    country), ``chosen`` the kind the user chose for the new start before, ``suits`` the kind
    that suits it (:func:`fitting_kind`).

    The kind the user is on stays when the new start takes part in it (``why`` is
    ``"kept"``); otherwise the kind chosen for the start before (``"chosen"``), the kind that
    suits it (``"suits"``) or the first kind it takes part in (``"only"``), each only if
    the start takes part in it; the kind that suits it when it takes part in none.
    """
    if on_kind and roles.get(before):
        return before, "kept"
    if chosen in KINDS and roles.get(chosen):
        return chosen, "chosen"
    if roles.get(suits) or not any(roles.values()):
        return suits, "suits"
    return next(k for k in KINDS if roles.get(k)), "only"
