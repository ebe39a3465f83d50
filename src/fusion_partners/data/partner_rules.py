"""The partner model's rules: which roles and capability leaves take part in each kind.

A start organisation and a candidate are matched through what each *offers* and *needs*
(capability leaves) and the *roles* they play (:data:`fusion_partners.data.roster.ROLES`). Every
rule below is a principle a fusion business developer would state, not a fix for one pair;
``docs/partner-finder.md`` gives each with its reason. The SQL that applies them lives in
:mod:`fusion_partners.partners.scoring_sql`.

Kinds and their match terms (``w`` = ``idf(leaf) ** rarity``, with ``idf(leaf) = ln(N /
n_offer(leaf))``, the inverse document frequency of the leaf among offers: Spärck Jones 1972;
Manning, Raghavan & Schütze 2008, §6.2.1 — a need few can meet makes those few more relevant):

* ``supply_chain`` — *buys*: a need of the start that the candidate offers (``w``); *sells*: an
  offer of the start that the candidate needs (``w``). The supplying side must play a
  :data:`SUPPLIER_ROLES` role, so a developer or a national laboratory is never offered as the
  supplier of what it only builds for itself. Leaves about money, policy, sites and concepts
  (:data:`SUPPLY_EXCLUDED`) never match. A leaf in the same group as a need (conductor for a
  magnet need) counts :data:`NEAR` times as much on the buying side; a customer, though, must
  need exactly what the start sells.
* ``joint_research`` — both sides :data:`RESEARCH_ROLES`; *shared*: a research leaf both offer
  (``w``); *complements*: one side needs what the other researches (``COMPLEMENT × w``);
  *related*: different leaves of one group (``NEAR × w``).
* ``demonstration`` — a developer's plant needs the :data:`DEMONSTRATION_LEAVES` (hosting,
  building and integration, operation, power, licensing, test facilities), each with a fixed
  weight; a developer needs all of them, any other start those it states. The roles in
  :data:`PLACE_TIED_LEAVES` stay in the plant's country (a Japanese prefecture does not host
  or license a UK plant); test facilities and builders may come from either country.
* ``innovation`` — startups and developers meet investors, trading houses and corporates,
  scored by technology fit: what the corporate makes that the startup needs (``w``), and what
  the investor has already backed (the offers of the companies its documented investments went
  to) that matches what the startup offers (``PORTFOLIO × w``); capital alone is worth
  :data:`CAPITAL`.
* ``counterparts`` — councils with councils, ministries with ministries, regulators with
  regulators, funders with funders, national laboratories with national laboratories
  (:data:`COUNTERPART_ROLES`; 1 per shared role), plus shared leaves (``COMPLEMENT × w``).
* ``teaming`` — engineering integrators with specialist suppliers (consortia win large
  fusion contracts): a supplier's technical offers the integrator lacks (``w``), builders
  (:data:`TEAMING_BUILDER`) and other integrators (:data:`TEAMING_PEER`).

Several matches combine as a discounted sum (strongest first, each further one multiplied
by ``breadth`` once more: Järvelin & Kekäläinen 2002, discounted cumulative gain).
"""

from __future__ import annotations

KINDS: tuple[str, ...] = (
    "joint_research",
    "supply_chain",
    "demonstration",
    "innovation",
    "counterparts",
    "teaming",
)
"""Kinds of collaboration, in display order: the memorandum's four, plus counterparts
(councils, ministries, regulators, funders, national laboratories with their counterpart) and
teaming (consortia of integrators and specialist suppliers)."""

SUPPLIER_ROLES: tuple[str, ...] = (
    "manufacturer_supplier",
    "engineering_integrator",
    "trading_house",
)
"""Roles that supply others. A fusion developer or a national laboratory without one of them
builds for itself and is not offered as a supplier."""

RESEARCH_ROLES: tuple[str, ...] = ("research_partner", "fusion_developer", "test_facility")
"""Roles that do research in partnership: universities, institutes, R&D companies,
developers and laboratories with test facilities."""

RND_ROLES: tuple[str, ...] = ("manufacturer_supplier", "engineering_integrator", "utility_operator")
"""Roles of companies that do or co-fund R&D in what they make, build or need: research-active
in those leaves, as a partner of a research organisation (two companies sharing a leaf are a
supply chain or competitors, not joint research)."""

RND = 0.7
"""Weight of a joint-research match where one side is a company doing R&D rather than a
research organisation."""

INVESTOR_ROLES: tuple[str, ...] = ("investor", "trading_house")
"""Roles that bring capital and scale-up to a startup."""

STARTUP_TYPES: tuple[str, ...] = ("startup",)

COUNTERPART_ROLES: tuple[str, ...] = (
    "council_association",
    "ministry",
    "regulator",
    "funding_agency",
    "utility_operator",
    "national_laboratory",
)
"""Roles matched with the same role in the other country. ``national_laboratory`` is derived:
a public body that does research, develops fusion or runs test facilities, or a research
institute that does research and does not sell (UKAEA, QST, NIFS, JAEA, NNL, NPL; a research
organisation selling its services, such as TWI, is a contractor, not a public counterpart).
Councils pair fully only within a sub-type (:data:`INDUSTRY_COUNCIL_LEAF`), national
laboratories only within a concept family (:data:`CROSS_FAMILY`)."""

NEAR_COUNTERPARTS: tuple[tuple[str, str], ...] = (
    ("ministry", "funding_agency"),
    ("regulator", "national_laboratory"),
)
"""Different roles that still face each other across countries (half a counterpart): a ministry
funds research through its agencies, so one country's ministry and the other's research funder
sign and run joint programmes; a regulator draws on national laboratories as its technical
support organisations (the IAEA's term: JAEA's safety research centre works for Japan's nuclear
regulator), so regulators and laboratories exchange safety research across countries."""

NON_TECHNICAL_LEAVES: tuple[str, ...] = (
    "equity_investment",
    "trading_procurement",
    "banking_insurance",
    "public_funding",
    "policy_strategy",
    "consulting_project_services",
    "legal_ip",
    "industry_network",
    "site_hosting",
    "regulation_licensing",
    "power_generation",
    "degree_education",
    "vocational_training",
)
"""Leaves about money, policy, networks, sites, licensing, power sales and education."""

DEVELOPER_LEAVES: tuple[str, ...] = (
    "tokamak_developer",
    "stellarator_helical_developer",
    "laser_fusion_developer",
    "pulsed_inertial_developer",
    "magneto_inertial_developer",
)
"""Leaves naming a fusion concept: an organisation does not buy or sell a concept."""

SHARED_WORK_CAP = 0.5
"""Shared work adds at most this share of the match points: it reorders candidates that match,
it never doubles a weak match (a review found peer laboratories lifted from 11th to 3rd of a
demonstration list by it)."""

SHARED_WORK_RIVALS: tuple[str, ...] = ("supply_chain",)
"""Kinds in which shared work between two sellers does not count: in a supply chain, two
companies selling the same thing compete for the same customers (a magnet maker is no closer a
supplier of a magnet-selling developer for it). In teaming it counts: consortia often join firms
of the same trade."""

SHARED_WORK_OWN_MATCH: tuple[str, ...] = ("joint_research", "counterparts")
"""Kinds whose match already counts the leaves both organisations offer (shared topics, shared
work between counterparts): the shared-work term is not added there, so nothing counts twice."""

SUPPLY_EXCLUDED: tuple[str, ...] = (*NON_TECHNICAL_LEAVES, *DEVELOPER_LEAVES)
"""Leaves that never make a supply-chain match (everything else does)."""

RESEARCH_EXCLUDED: tuple[str, ...] = (
    *NON_TECHNICAL_LEAVES,
    "construction_civil_works",
    "plant_operations",
    "engineering_integration",
    "design_engineering",
    "large_test_facilities",
    "irradiation_facilities",
)
"""Leaves that are not research topics (services, facilities and business roles)."""

UMBRELLA_LEAVES: tuple[str, ...] = (
    "fusion_technology_research",
    "plasma_experiments",
    *DEVELOPER_LEAVES,
)
"""Catch-all research topics: they count :data:`UMBRELLA` times a specific topic, so a
specific shared topic always ranks above them. A fusion concept (tokamaks, lasers) names a
whole field, as the catch-all topics do: two organisations both working on tokamaks share a
field, not a topic — unless both run plasma experiments (two tokamak laboratories), when the
shared concept counts fully."""

NO_NEAR_LEAVES: tuple[str, ...] = ("fission_fuel_cycle", "decommissioning_waste")
"""Leaves that are never "close to" another leaf of their group, nor another leaf close to
them: fission reactors and decommissioning share the neutronics group with shielding and
neutronics analysis, but a reactor vendor or a decommissioning contractor is no substitute for
a fusion plant's shielding, and the other way round."""

NOT_SHARED_WORK: tuple[str, ...] = ("degree_education", "vocational_training")
"""Leaves that do not make two organisations counterparts as shared work: teaching and training
go beside a laboratory's or ministry's work, they are not the work itself."""
UMBRELLA = 0.5

RESEARCH_TYPES: tuple[str, ...] = ("university", "research_institute", "public_body")
"""Types of research organisations; joint research needs one on at least one side (two
companies sharing a product are competitors or a supply chain, not research partners)."""

COMPANY_TYPES: tuple[str, ...] = ("company", "startup")
"""Types that can sell, integrate, take equity or team in a bid: a public body, university or
institute is a customer or a research partner, never a commercial supplier or a startup."""

DEMONSTRATION_LEAVES: dict[str, float] = {
    "site_hosting": 1.0,
    "regulation_licensing": 1.0,
    "construction_civil_works": 1.0,
    "engineering_integration": 1.0,
    "power_generation": 0.8,
    "plant_operations": 0.8,
    "safety_case_services": 0.8,
    "grid_connection": 0.6,
    "large_test_facilities": 0.7,
    "irradiation_facilities": 0.7,
}
"""What a demonstration plant needs, with the weight of each part (1.0 = cannot be built
without it; 0.6–0.8 = needed at a later stage or from few providers:)."""

PLACE_TIED_LEAVES: tuple[str, ...] = (
    "site_hosting",
    "regulation_licensing",
    "grid_connection",
    "construction_civil_works",
    "power_generation",
    "plant_operations",
)
"""Demonstration roles tied to a place: the provider must be in the plant's country (a Japanese
prefecture does not host or license a UK plant; builders, utilities and site operators work where
they are licensed and staffed). Engineering integration and test facilities may cross borders."""

NEAR = 0.3
"""A leaf in the same group as the one needed or researched (magnet coils for a conductor
need): related, but a weak match."""
COMPLEMENT = 0.5
"""One side needs what the other researches: half a shared topic."""
PORTFOLIO = 0.5
"""An investor's earlier investment in a company offering the same leaf: half a direct fit."""
CAPITAL = 0.5
"""Capital alone for a startup that needs it: half a core technology fit."""
TEAMING_BUILDER = 0.8
TEAMING_PEER = 0.6
COUNTERPART = 1.0

_MAGNETIC = (
    "hts_conductor",
    "lts_conductor",
    "magnet_coils",
    "gyrotrons_rf",
    "neutral_beams",
    "plasma_diagnostics",
    "control_systems",
    "pfc_armour",
    "divertor_assembly",
    "blanket_design",
    "breeder_materials",
    "tritium_processing",
    "fuelling_systems",
    "vacuum_pumps",
    "vacuum_vessel",
    "cryoplant",
    "cryostat_thermal_shield",
    "remote_handling",
    "magnet_power_supplies",
    "structural_materials",
    "shielding_materials",
    "neutronics_analysis",
    "materials_testing",
)
_INERTIAL = (
    "plasma_diagnostics",
    "control_systems",
    "fusion_targets",
    "tritium_processing",
    "fuelling_systems",
    "blanket_design",
    "breeder_materials",
    "liquid_metal_systems",
    "structural_materials",
    "shielding_materials",
    "neutronics_analysis",
    "remote_handling",
    "vacuum_pumps",
    "materials_testing",
)
CONCEPT_NEEDS: dict[str, tuple[str, ...]] = {
    "tokamak_developer": _MAGNETIC,
    "stellarator_helical_developer": _MAGNETIC,
    "laser_fusion_developer": ("high_power_lasers", "optics_photonics", *_INERTIAL),
    "pulsed_inertial_developer": ("pulsed_power", *_INERTIAL),
    "magneto_inertial_developer": (
        "pulsed_power",
        "magnet_coils",
        "magnet_power_supplies",
        "plasma_diagnostics",
        "control_systems",
        "liquid_metal_systems",
        "tritium_processing",
        "vacuum_pumps",
        "structural_materials",
        "neutronics_analysis",
    ),
    "fusion_neutron_source": (
        "tritium_processing",
        "fuel_materials_supply",
        "shielding_materials",
        "neutronics_analysis",
    ),
}
"""What a fusion concept's plant is built from: a developer of the concept needs these even
where no source states it (a tokamak needs magnets, heating, a first wall, a blanket, tritium
plant, vacuum, cryogenics and remote maintenance). They are *implied* needs, weighted
:data:`IMPLIED` against stated ones; a leaf the developer offers itself is never implied."""

IMPLIED = 0.5
"""Weight of an implied need against a stated one."""

PLANT_LEAVES: tuple[str, ...] = tuple(sorted({x for xs in CONCEPT_NEEDS.values() for x in xs}))
"""What a fusion plant is built from (every concept's components in :data:`CONCEPT_NEEDS`):
the only stated needs a demonstration plant's technology suppliers meet. A developer's other
needs (decommissioning an old machine, computing, consulting) are its business, not its
plant's: an expert review found decommissioning firms and a telecom company offered "for
UKAEA's demonstration plant"."""

SUBSTITUTES: dict[str, tuple[str, ...]] = {
    "hts_conductor": ("lts_conductor",),
    "lts_conductor": ("hts_conductor",),
}
"""Leaves a plant uses one *or* the other of: magnets are wound from high- or low-temperature
superconductor. A developer that states or makes one is not implied to need the other. Other
leaves of a group are complements, not alternatives: a tokamak heated by neutral beams still
needs gyrotrons (ITER and JT-60SA use both), and a laboratory that designs blankets still
needs breeder materials."""

SERVICE_LEAVES: tuple[str, ...] = (
    "magnet_coils",
    "divertor_assembly",
    "blanket_design",
    "materials_testing",
    "neutronics_analysis",
    "radiation_protection",
    "decommissioning_waste",
    "engineering_integration",
    "design_engineering",
    "construction_civil_works",
    "large_test_facilities",
    "irradiation_facilities",
    "inspection_qualification",
    "plasma_simulation",
    "engineering_simulation",
    "ai_data_computing",
    "safety_case_services",
    "plant_operations",
    "trading_procurement",
    "consulting_project_services",
    "tritium_processing",
    "precision_machining",
    "welding_joining",
    "heavy_fabrication",
)
"""Leaves that are (or begin with) design, analysis, testing, building or another service
("divertor design and assembly", "neutronics analysis"): a reason says a candidate *provides*
them, not that it *makes* them; only goods (HTS conductor, cryoplants) are made. A clause naming
any service leaf uses the "provides" wording."""


CONCEPT_FAMILIES: dict[str, tuple[str, ...]] = {
    "magnetic": (
        "tokamak_developer",
        "stellarator_helical_developer",
        "gyrotrons_rf",
        "neutral_beams",
    ),
    "inertial": (
        "laser_fusion_developer",
        "pulsed_inertial_developer",
        "high_power_lasers",
        "fusion_targets",
    ),
}
"""Families of fusion concepts and the offers that place an organisation in one: a developer of
the concept, or a maker or researcher of the family's driver (RF or beam heating for magnetic
confinement, drive lasers and targets for inertial). An organisation with none of them (a
materials group, a generic plasma laboratory) belongs to no family. Magneto-inertial and
pulsed-power work bridge the two and define none."""

CROSS_FAMILY = 0.5
"""Weight of a counterpart role between national laboratories of different concept families
(a laser facility and a tokamak laboratory are both national laboratories, but not each other's
counterpart in fusion)."""

FAMILY_CONCEPTS: dict[str, tuple[str, ...]] = {
    family: tuple(x for x in leaves if x in DEVELOPER_LEAVES)
    for family, leaves in CONCEPT_FAMILIES.items()
}
"""The fusion concepts of each family. An organisation working on one of them belongs to its
concept's family whatever drivers it also offers (QST's photon-science laser does not make its
tokamak programme inertial); the drivers place only organisations without a concept."""


def family_mask(offers: list[str]) -> int:
    """The concept families of an organisation as bits (1 magnetic, 2 inertial), for
    ``organisations.family_mask``: by its fusion concepts when it has one of the families'
    (:data:`FAMILY_CONCEPTS`), otherwise by the families' drivers (:data:`CONCEPT_FAMILIES`).
    0 for an organisation of neither family (a materials group)."""
    held = set(offers)
    by = (
        FAMILY_CONCEPTS
        if any(held & set(x) for x in FAMILY_CONCEPTS.values())
        else CONCEPT_FAMILIES
    )
    return sum(bit for bit, f in ((1, "magnetic"), (2, "inertial")) if held & set(by[f]))


FAMILY_GENERIC_LEAVES: tuple[str, ...] = (
    "plasma_experiments",
    "plasma_simulation",
    "plasma_diagnostics",
    "fusion_technology_research",
    "large_test_facilities",
    "irradiation_facilities",
)
"""Leaves whose meaning depends on the concept family: a laser-plasma experiment and a tokamak
plasma experiment are different science, and a laser facility is no test bed for a tokamak
plant. Between organisations of *different* families (:data:`CONCEPT_FAMILIES`) these leaves,
and the catch-all and neighbouring-topic matches built on them, never match; a specific shared
leaf (both research tritium processing) still does."""

SHARED_WORK_EXCLUDED: tuple[str, ...] = tuple(
    dict.fromkeys(
        (*NON_TECHNICAL_LEAVES, *UMBRELLA_LEAVES, *RESEARCH_EXCLUDED, *FAMILY_GENERIC_LEAVES)
    )
)
"""Leaves the shared-work term does not count: it compares specific technical work. Money,
policy, networks, sites, licensing and education say what kind of body an organisation is,
which each kind's role rules already score (counted, they raised a parliamentary group above
the fusion council itself as J-Fusion's counterpart). A fusion concept and the catch-all topics
name a field, not a work package; facilities, integration and building are roles; plasma
experiments, modelling and diagnostics mean different science in different concept families
(an expert review found peer laboratories and laser facilities lifted to the top of a tokamak
plant's demonstration list by them)."""

SAME_TRADE_EXCLUDED: tuple[str, ...] = tuple(
    dict.fromkeys(
        (
            *(x for x in NON_TECHNICAL_LEAVES if x != "consulting_project_services"),
            *UMBRELLA_LEAVES,
            *FAMILY_GENERIC_LEAVES,
            "engineering_integration",
            "construction_civil_works",
        )
    )
)
"""Leaves that do not make two suppliers firms of the same trade in teaming: money, policy,
networks, sites, licensing and education say what kind of body an organisation is; catch-all
topics and fusion concepts name a field; test and irradiation facilities are assets, not a
trade; integration and building have their own teaming terms (fellow integrator, builder).
Engineering design, consulting and project services, plant operations and the specific
technical leaves are trades: two engineering consultancies do bid together."""

PROJECT_LEAVES: tuple[str, ...] = (
    "design_engineering",
    "consulting_project_services",
    "safety_case_services",
)
"""The trades of a building project besides building itself: design engineering and
architecture, project and cost management, and the safety case. A **construction contractor**
is a company that builds (``construction_civil_works``) and offers nothing else but integration
and these trades (Kier, Balfour Beatty, Mace, VINCI): in teaming it meets other builders, design
engineers and project managers, never the maker of a machine part; and it is the integrator
only of firms of those trades (a design consultancy, a project manager), not of a machine part's
maker, whom the plant's engineering integrator brings into the bid."""

MATERIAL_LEAVES: tuple[str, ...] = (
    "hts_conductor",
    "lts_conductor",
    "structural_materials",
    "refractory_metals",
    "copper_alloys",
    "functional_materials",
    "breeder_materials",
    "shielding_materials",
    "fuel_materials_supply",
)
"""Materials and semi-finished products (conductor, steels, tungsten, copper alloys, breeder and
shielding materials, fuel). Their makers supply the makers of components (a coil winder, a
blanket maker) or a developer directly: in teaming they meet developers and firms of their own
trade, not engineering integrators, whose consortium brings component packages into a bid."""

INDUSTRY_COUNCIL_LEAF = "industry_network"
"""A council is an *industry council* when it is a membership association that runs an industry
network (J-Fusion, The Fusion Cluster, the Nuclear Industry Association); a parliamentary group,
think tank, advisory council or incubator with the council role is a *policy* council. Councils
are full counterparts only within one sub-type (:data:`COUNTERPART` × 1), across sub-types half
(× :data:`COMPLEMENT`): the memorandum pairs industry councils, not a council with a think tank."""

ROLE_LEAVES: dict[str, tuple[str, ...]] = {
    "council_association": ("industry_network", "policy_strategy"),
    "ministry": ("policy_strategy", "public_funding"),
    "funding_agency": ("public_funding",),
    "regulator": ("regulation_licensing",),
    "utility_operator": ("power_generation", "plant_operations"),
}
"""Leaves that restate a counterpart role (a funder offers public funding). Under counterparts the
role already counts them, so they are not counted again as *shared work*; shared work is the
technical work both do."""

INVESTOR_TYPES: tuple[str, ...] = ("investor",)
"""Organisation types of financial investors (funds, venture capital, banks' investment arms).
A fund invests under a mandate, and its documented investments show it: a fund whose documented
investments all went to companies of its own country is not offered as capital, or by its
portfolio, to a startup in another country (a UK regional seed fund does not back a Japanese
startup). Trading houses and corporates invest strategically across borders and are judged by
technology fit; a fund with no documented investment keeps the capital term."""

RESEARCH_AFFINITY: dict[str, tuple[str, ...]] = {
    concept: (
        "plasma_experiments",
        "plasma_simulation",
        "plasma_diagnostics",
        "fusion_technology_research",
    )
    for concept in CONCEPT_NEEDS
}
"""Research topics related to a fusion concept across groups: a developer's concept is studied
through plasma experiments, modelling, diagnostics and fusion technology research, so a
university doing these is a research partner of the developer (``related`` weight)."""


def implied_needs(
    roles: list[str], offers: list[str], needs: list[str], parent: dict[str, str] | None = None
) -> list[str]:
    """The implied needs of an organisation (see :data:`CONCEPT_NEEDS`): for a fusion
    developer, the components of the concepts it offers that it neither states as needs nor
    offers itself, nor chose a substitute for (:data:`SUBSTITUTES`): a developer that states
    HTS conductor is not implied to need LTS conductor. Empty for anyone else.

    Args:
        roles, offers, needs: the organisation's facets (leaf and role slugs).
        parent: accepted for callers that pass the leaf → group map; not used since
            alternatives are the explicit :data:`SUBSTITUTES`, not whole groups.

    Returns:
        Leaf slugs in the order of :data:`CONCEPT_NEEDS`, without repeats.
    """
    if "fusion_developer" not in roles:
        return []
    held = {*needs, *offers}
    out: list[str] = []
    for concept in offers:
        for leaf in CONCEPT_NEEDS.get(concept, ()):
            if leaf in out or leaf in held or held.intersection(SUBSTITUTES.get(leaf, ())):
                continue
            out.append(leaf)
    return out
