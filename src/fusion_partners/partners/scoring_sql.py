"""SQL of the partner model in organisation mode (rules: :mod:`fusion_partners.data.partner_rules`;
the statement of each kind: :mod:`fusion_partners.partners.kind_sql`).

:func:`hits_sql` returns, for one kind, the ``WITH`` part that defines ``hits``: one narrow
row per (candidate, matched leaf or role) with the candidate filters already applied::

    cand, weight, sort_key, direction, demand, supply

``weight`` enters the match, ``sort_key`` orders a candidate's matches (strongest first),
``direction`` names the principle that matched (it selects the reason's sentence), ``demand``
and ``supply`` are the leaves (or roles) on the needing and the supplying side. Everything
is joined through ``organisation_facets`` (one row per offer or need), so only candidates
that can match are touched. Values are bound as ``$parameters``; the only composed text is
the candidate WHERE clause (``{where}``) from :func:`fusion_partners.explore.filters.where`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fusion_partners.data import partner_rules as pm
from fusion_partners.data.roster import role_mask
from fusion_partners.partners.kind_sql import BODIES

_START = """
    s AS (
        SELECT o.id, o.country, o.org_type, o.roles, o.role_mask, o.offers, o.needs, o.implied_needs,
               (o.role_mask & $m_supplier) <> 0 AS supplier,
               (o.role_mask & $m_research) <> 0 AS research,
               (o.family_mask & 1) <> 0 AS mag, (o.family_mask & 2) <> 0 AS icf,
               o.remit = 'regional' AS regional
        FROM organisations o WHERE o.id = $start
    ),
    lv AS (SELECT slug, parent, coalesce(idf, 0.0) AS idf FROM capability_leaves),
    c AS (SELECT o.id, o.country, o.org_type, o.roles, o.role_mask, o.family_mask, o.offers, o.needs,  -- the columns the rules read
                 (o.role_mask & $m_supplier) <> 0 AND list_contains($company_types, o.org_type) AS seller,
                 o.remit = 'regional' AS regional
          FROM organisations o WHERE o.id <> $start AND o.successor IS NULL AND {where}),
"""

COMPANY_LEAVES: tuple[str, ...] = (
    "engineering_integration",
    "construction_civil_works",
    "safety_case_services",
    "plant_operations",
    "grid_connection",
)
"""Demonstration roles only companies take on commercially (a national laboratory or agency is
not a plant's builder, integrator or operator for someone else)."""

DEMO_ROLES: tuple[str, ...] = (
    "site_host",
    "regulator",
    "engineering_integrator",
    "manufacturer_supplier",
    "utility_operator",
    "test_facility",
)
"""Roles that can take part in building, hosting, licensing or running a demonstration plant."""


_ROLE_SETS: dict[str, tuple[str, ...]] = {
    "supplier": pm.SUPPLIER_ROLES,
    "research": pm.RESEARCH_ROLES,
    "rnd": pm.RND_ROLES,
    "investor": pm.INVESTOR_ROLES,
    "demo": DEMO_ROLES,
    **{
        role: (role,)
        for role in (
            "fusion_developer",
            "manufacturer_supplier",
            "engineering_integrator",
            "trading_house",
        )
    },
}
"""The role sets the statements test as ``(x.role_mask & $m_<name>) <> 0`` (any of them)."""


@dataclass(frozen=True)
class Start:
    """The start organisation's row as far as the statement's start-side conditions read it
    (``organisations.org_type``, ``roles``, ``offers``, ``needs``)."""

    org_type: str
    roles: tuple[str, ...]
    offers: tuple[str, ...]
    needs: tuple[str, ...]

    def has(self, *roles: str) -> bool:
        """The start plays any of ``roles``."""
        return any(r in self.roles for r in roles)

    @property
    def company(self) -> bool:
        """Its type is one of :data:`~fusion_partners.data.partner_rules.COMPANY_TYPES`."""
        return self.org_type in pm.COMPANY_TYPES


Guard = Callable[[Start], bool] | None


def _research_or_rnd(s: Start) -> bool:
    research = s.has(*pm.RESEARCH_ROLES) and s.org_type in pm.RESEARCH_TYPES
    return research or (s.company and s.has(*pm.RESEARCH_ROLES, *pm.RND_ROLES))


def _startlike(s: Start) -> bool:
    return s.company and (
        s.has("fusion_developer")
        or s.org_type in pm.STARTUP_TYPES
        or "equity_investment" in s.needs
    )


def _capital(s: Start) -> bool:
    return s.has("trading_house") or (
        (s.has(*pm.INVESTOR_ROLES) or "equity_investment" in s.offers)
        and not s.has("manufacturer_supplier")
    )


def _corporate(s: Start) -> bool:
    return s.org_type == "company" and s.has("manufacturer_supplier") and s.has(*pm.INVESTOR_ROLES)


def _integrator(s: Start) -> bool:
    return s.company and s.has("engineering_integrator")


BRANCH_GUARDS: dict[str, tuple[Guard, ...]] = {
    "supply_chain": (None, None, lambda s: s.company and s.has(*pm.SUPPLIER_ROLES)),
    "joint_research": (_research_or_rnd,) * 5,
    "demonstration": (
        None,
        lambda s: s.has(*DEMO_ROLES) and not s.has("fusion_developer"),
        lambda s: s.has("fusion_developer"),
        lambda s: s.company and s.has(*pm.SUPPLIER_ROLES),
    ),
    "innovation": (_startlike, _startlike, _startlike, _capital, _corporate, None),
    "counterparts": (None, None),
    "teaming": (
        _integrator,
        _integrator,
        _integrator,
        lambda s: s.company and s.has("manufacturer_supplier") and not s.has("fusion_developer"),
        lambda s: (
            s.company and s.has("manufacturer_supplier") and not s.has("engineering_integrator")
        ),
        lambda s: (
            s.company
            and "construction_civil_works" in s.offers
            and not s.has("engineering_integrator")
        ),
        lambda s: s.company and s.has("fusion_developer"),
        lambda s: s.company and s.has("manufacturer_supplier") and not s.has("fusion_developer"),
    ),
}
"""Per kind, one guard per ``UNION ALL`` branch of ``hits`` (in order): a condition on the start
that the branch's own start-side SQL condition implies (None: no guard). When a guard is false
the branch cannot match and is left out of the statement (less to plan and to run); the SQL
conditions stay in the branches that are kept."""

_BRANCH = "\n        UNION ALL\n"
_HITS_COLUMNS = (
    "h.cand::VARCHAR AS cand, h.weight::DOUBLE AS weight, h.sort_key::DOUBLE AS sort_key, "
    "h.direction::VARCHAR AS direction, h.demand::VARCHAR AS demand, h.supply::VARCHAR AS supply"
)


def _specialised(kind: str, start: Start) -> str:
    """``BODIES[kind]`` with the ``hits`` branches the start cannot take part in left out (the
    kept ones typed and named as the whole union would be)."""
    head, _, rest = BODIES[kind].partition("    hits AS (\n")
    branches_text, _, tail = rest.rpartition("\n    )")
    branches = branches_text.split(_BRANCH)
    guards = BRANCH_GUARDS[kind]
    if len(branches) != len(guards):  # pragma: no cover (a body and its guards out of step)
        raise ValueError(f"{kind}: {len(branches)} branches, {len(guards)} guards")
    kept = [b for b, g in zip(branches, guards, strict=True) if g is None or g(start)]
    if len(kept) == len(branches):
        return BODIES[kind]
    if not kept:
        kept = ["SELECT NULL, NULL, NULL, NULL, NULL, NULL WHERE FALSE"]
    union = _BRANCH.join(kept)
    return (
        f"{head}    hits AS (SELECT {_HITS_COLUMNS} FROM (\n{union}\n"  # noqa: S608 (fixed fragments)
        f"    ) h(cand, weight, sort_key, direction, demand, supply)){tail}"
    )


def hits_sql(kind: str, start: Start | None = None) -> str:
    """The ``WITH`` body (without ``WITH``) defining ``s``, ``lv``, ``c`` and ``hits`` for ``kind``
    in organisation mode; ``{where}`` is left for the candidate filter clause. With ``start``
    (the start's row) the branches of ``hits`` it cannot take part in are left out
    (:data:`BRANCH_GUARDS`); the result is the same.

    Raises:
        KeyError: for an unknown kind.
    """
    body = BODIES[kind] if start is None else _specialised(kind, start)
    return (
        (_START + body)
        .replace("{cross_sr_rc}", _cross("sr", "rc"))
        .replace("{cross_s_c}", _cross("s", "c"))
    )


def _cross(a: str, b: str) -> str:
    """SQL: ``a`` (with ``mag``/``icf`` columns) and ``b`` (with ``family_mask``) belong to
    different concept families (:func:`fusion_partners.data.partner_rules.family_mask`, computed
    by the build), each to one."""
    mb, ib = f"(({b}.family_mask & 1) <> 0)", f"(({b}.family_mask & 2) <> 0)"
    return f"(({a}.mag OR {a}.icf) AND ({mb} OR {ib}) AND NOT (({a}.mag AND {mb}) OR ({a}.icf AND {ib})))"


def hits_params(kind: str, rarity: float) -> dict[str, Any]:
    """The bound values the statement of :func:`hits_sql` uses (besides ``start`` and the
    filter clause's own)."""
    excluded = (
        pm.RESEARCH_EXCLUDED
        if kind == "joint_research"
        else (
            (*pm.RESEARCH_EXCLUDED, *pm.DEVELOPER_LEAVES)
            if kind == "innovation"
            else pm.SUPPLY_EXCLUDED
        )
    )
    return {
        "rarity": rarity,
        **{f"m_{name}": role_mask(roles) for name, roles in _ROLE_SETS.items()},
        "supplier_roles": list(pm.SUPPLIER_ROLES),
        "research_roles": list(pm.RESEARCH_ROLES),
        "investor_roles": list(pm.INVESTOR_ROLES),
        "startup_types": list(pm.STARTUP_TYPES),
        "counterpart_roles": list(pm.COUNTERPART_ROLES),
        "excluded": list(excluded),
        "plant_leaves": list(pm.PLANT_LEAVES),
        "demo_leaves": list(pm.DEMONSTRATION_LEAVES),
        "demo_weights": list(pm.DEMONSTRATION_LEAVES.values()),
        "demo_roles": list(DEMO_ROLES),
        "place_tied": list(pm.PLACE_TIED_LEAVES),
        "no_near": list(pm.NO_NEAR_LEAVES),
        "not_shared_work": list(pm.NOT_SHARED_WORK),
        "same_trade_excluded": list(pm.SAME_TRADE_EXCLUDED),
        "project_leaves": list(pm.PROJECT_LEAVES),
        "material_leaves": list(pm.MATERIAL_LEAVES),
        "contractor_leaves": [
            *pm.PROJECT_LEAVES,
            "engineering_integration",
            "construction_civil_works",
        ],
        "near": pm.NEAR,
        "complement": pm.COMPLEMENT,
        "portfolio": pm.PORTFOLIO,
        "capital": pm.CAPITAL,
        "builder": pm.TEAMING_BUILDER,
        "peer": pm.TEAMING_PEER,
        "counterpart": pm.COUNTERPART,
        "rnd_roles": list(pm.RND_ROLES),
        "company_types": list(pm.COMPANY_TYPES),
        "research_types": list(pm.RESEARCH_TYPES),
        "umbrella_leaves": list(pm.UMBRELLA_LEAVES),
        "developer_leaves": list(pm.DEVELOPER_LEAVES),
        "umbrella": pm.UMBRELLA,
        "company_leaves": list(COMPANY_LEAVES),
        "near_a": [a for a, _ in pm.NEAR_COUNTERPARTS],
        "near_b": [b for _, b in pm.NEAR_COUNTERPARTS],
        "rnd": pm.RND,
        "fam_magnetic": list(pm.CONCEPT_FAMILIES["magnetic"]),
        "fam_inertial": list(pm.CONCEPT_FAMILIES["inertial"]),
        "family_generic": list(pm.FAMILY_GENERIC_LEAVES),
        "cross_family": pm.CROSS_FAMILY,
        "industry_leaf": pm.INDUSTRY_COUNCIL_LEAF,
        "role_leaves": sorted({x for xs in pm.ROLE_LEAVES.values() for x in xs}),
        "investor_types": list(pm.INVESTOR_TYPES),
        "implied": pm.IMPLIED,
        "aff_a": [a for a, bs in pm.RESEARCH_AFFINITY.items() for _ in bs],
        "aff_b": [b for bs in pm.RESEARCH_AFFINITY.values() for b in bs],
    }
