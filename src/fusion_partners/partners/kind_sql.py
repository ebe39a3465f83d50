"""The partner model's statement for each kind of collaboration, in organisation mode.

Each body defines ``hits`` from the CTEs ``s`` (the start), ``lv`` (leaves with their idf) and
``c`` (the candidates) that :func:`fusion_partners.partners.scoring_sql.hits_sql` puts before
it; ``{cross_sr_rc}`` and ``{cross_s_c}`` are filled there too. The rules and their reasons:
:mod:`fusion_partners.data.partner_rules` and ``docs/partner-finder.md``.
"""

from __future__ import annotations

_SUPPLY = """
    sn AS (SELECT unnest(s.needs) AS leaf, 1.0 AS w FROM s
           UNION ALL SELECT unnest(list_distinct(s.implied_needs)), $implied FROM s),
    so AS (SELECT unnest(s.offers) AS leaf FROM s),
    cn AS (SELECT f.org_id, f.leaf, CASE WHEN f.facet = 'need' THEN 1.0 ELSE $implied END AS w
           FROM organisation_facets f WHERE f.facet IN ('need', 'implied')),
    hits AS (
        SELECT c.id AS cand, sn.w * pow(lv.idf, $rarity) AS weight, sn.w * lv.idf AS sort_key,
               CASE WHEN sn.w = 1.0 THEN 'buys' ELSE 'buys_implied' END AS direction,
               sn.leaf AS demand, sn.leaf AS supply
        FROM sn JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = sn.leaf
        JOIN lv ON lv.slug = sn.leaf JOIN c ON c.id = f.org_id
        WHERE NOT list_contains($excluded, sn.leaf) AND c.seller
          AND (sn.w = 1.0 OR NOT (c.role_mask & $m_fusion_developer) <> 0)
          AND (NOT list_contains($place_tied, sn.leaf) OR c.country = (SELECT country FROM s))
        UNION ALL
        SELECT c.id, max(sn.w * $near * pow(lv.idf, $rarity)), max(sn.w * $near * lv.idf), 'buys_near', sn.leaf,
               arg_max(f.leaf, lv.idf)
        FROM sn JOIN lv ln ON ln.slug = sn.leaf
        JOIN lv ON lv.parent = ln.parent AND lv.slug <> ln.slug
        JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = lv.slug
        JOIN c ON c.id = f.org_id
        WHERE NOT list_contains($excluded, sn.leaf) AND NOT list_contains($excluded, lv.slug)
          AND NOT list_contains($no_near, sn.leaf) AND NOT list_contains($no_near, lv.slug)
          AND (NOT list_contains($place_tied, sn.leaf) OR c.country = (SELECT country FROM s))
          AND c.seller AND NOT list_contains(c.offers, sn.leaf) AND NOT (c.role_mask & $m_fusion_developer) <> 0
          AND NOT list_contains((SELECT offers FROM s), lv.slug)
          AND lv.slug NOT IN (SELECT leaf FROM sn)  -- a leaf the start needs itself is an exact match, not a near one
        GROUP BY c.id, sn.leaf, sn.w
        UNION ALL
        SELECT c.id, cn.w * pow(lv.idf, $rarity), cn.w * lv.idf,
               CASE WHEN cn.w = 1.0 THEN 'sells' ELSE 'sells_implied' END, so.leaf, so.leaf
        FROM s, so JOIN cn ON cn.leaf = so.leaf
        JOIN lv ON lv.slug = so.leaf JOIN c ON c.id = cn.org_id
        WHERE s.supplier AND s.org_type = ANY($company_types) AND NOT list_contains($excluded, so.leaf)
          AND (NOT list_contains($place_tied, so.leaf) OR c.country = s.country)

    )
"""

# A shared fusion concept counts fully between two organisations that both run plasma
# experiments (two tokamak laboratories); otherwise it is a field, weighed like a catch-all topic.
_SHARED_U = (
    "(CASE WHEN list_contains($developer_leaves, so.leaf) AND list_contains(sr.offers, 'plasma_experiments')"
    " AND list_contains(rc.offers, 'plasma_experiments') THEN 1.0 ELSE um.u END)"
)

_RESEARCH = """
    sr AS (SELECT s.id, s.country, s.org_type, s.roles, s.role_mask, s.offers, s.needs, s.implied_needs, s.supplier, s.mag, s.icf,
                  s.research AND s.org_type = ANY($research_types) AS research,
                  s.org_type = ANY($company_types)
                      AND (s.research OR (s.role_mask & $m_rnd) <> 0) AS rnd
           FROM s),
    so AS (SELECT unnest(sr.offers) AS leaf FROM sr WHERE sr.research OR sr.rnd),
    sn AS (SELECT unnest(sr.needs) AS leaf, 1.0 AS w FROM sr WHERE sr.research OR sr.rnd
           UNION ALL
           SELECT unnest(list_distinct(sr.implied_needs)), $implied FROM sr WHERE sr.research OR sr.rnd),
    rc AS (
        SELECT c.*, (c.role_mask & $m_research) <> 0 AND c.org_type = ANY($research_types) AS research,
               CASE WHEN (c.role_mask & $m_research) <> 0 AND c.org_type = ANY($research_types)
                         AND (SELECT research FROM sr) THEN 1.0 ELSE $rnd END AS f
        FROM c
        WHERE ((c.role_mask & $m_research) <> 0 AND c.org_type = ANY($research_types)
               AND (SELECT research OR rnd FROM sr))
           OR (c.org_type = ANY($company_types) AND ((c.role_mask & $m_research) <> 0
               OR (c.role_mask & $m_rnd) <> 0) AND (SELECT research FROM sr))
    ),
    um AS (SELECT slug, CASE WHEN list_contains($umbrella_leaves, slug) THEN $umbrella ELSE 1.0 END AS u
           FROM capability_leaves),
    hits AS (
        SELECT rc.id AS cand, {shared_u} * rc.f * pow(lv.idf, $rarity) AS weight, {shared_u} * rc.f * lv.idf AS sort_key,
               'shared_topic' AS direction, so.leaf AS demand, so.leaf AS supply
        FROM so JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = so.leaf
        JOIN lv ON lv.slug = so.leaf JOIN um ON um.slug = so.leaf JOIN rc ON rc.id = f.org_id, sr
        WHERE NOT list_contains($excluded, so.leaf)
          AND NOT (list_contains($family_generic, so.leaf) AND {cross_sr_rc})
        UNION ALL
        SELECT rc.id, sn.w * rc.f * $complement * pow(lv.idf, $rarity), sn.w * rc.f * $complement * lv.idf,
               CASE WHEN sn.w = 1.0 THEN 'complements' ELSE 'complements_implied' END, sn.leaf, sn.leaf
        FROM sn JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = sn.leaf
        JOIN lv ON lv.slug = sn.leaf JOIN rc ON rc.id = f.org_id, sr
        WHERE NOT list_contains($excluded, sn.leaf) AND NOT list_contains(rc.needs, sn.leaf)
          AND NOT (list_contains($family_generic, sn.leaf) AND {cross_sr_rc})
        UNION ALL
        SELECT rc.id, CASE WHEN f.facet = 'need' THEN 1.0 ELSE $implied END * rc.f * $complement * pow(lv.idf, $rarity),
               CASE WHEN f.facet = 'need' THEN 1.0 ELSE $implied END * rc.f * $complement * lv.idf,
               CASE WHEN f.facet = 'need' THEN 'complemented' ELSE 'complemented_implied' END, so.leaf, so.leaf
        FROM so JOIN organisation_facets f ON f.facet IN ('need', 'implied') AND f.leaf = so.leaf
        JOIN lv ON lv.slug = so.leaf JOIN rc ON rc.id = f.org_id, sr
        WHERE NOT list_contains($excluded, so.leaf) AND NOT list_contains(rc.offers, so.leaf)
          AND NOT (list_contains($family_generic, so.leaf) AND {cross_sr_rc})
        UNION ALL
        SELECT rc.id, max($near * pow(lv.idf, $rarity)), max($near * lv.idf), 'related', so.leaf, arg_max(f.leaf, lv.idf)
        FROM so JOIN lv lo ON lo.slug = so.leaf
        JOIN lv ON lv.parent = lo.parent AND lv.slug <> lo.slug
        JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = lv.slug
        JOIN rc ON rc.id = f.org_id, sr
        WHERE (rc.research OR sr.research) AND NOT {cross_sr_rc}
          AND NOT list_contains($excluded, so.leaf) AND NOT list_contains($excluded, lv.slug)
          AND NOT list_contains($no_near, so.leaf) AND NOT list_contains($no_near, lv.slug)
          AND NOT list_contains(rc.offers, so.leaf) AND NOT list_contains(sr.offers, lv.slug)
        GROUP BY rc.id, so.leaf
        UNION ALL
        SELECT rc.id, max($near * pow(lv.idf, $rarity)), max($near * lv.idf), 'related', aff.a, arg_max(aff.b, lv.idf)
        FROM so JOIN (SELECT unnest($aff_a) AS a, unnest($aff_b) AS b
                      UNION ALL SELECT unnest($aff_b), unnest($aff_a)) aff ON aff.a = so.leaf
        JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = aff.b
        JOIN lv ON lv.slug = aff.b JOIN rc ON rc.id = f.org_id, sr
        WHERE (rc.research OR sr.research) AND NOT {cross_sr_rc}
        GROUP BY rc.id, aff.a
    )
"""

_DEMONSTRATION = """
    dl AS (SELECT unnest($demo_leaves) AS leaf, unnest($demo_weights) AS w),
    dn AS (SELECT dl.* FROM dl, s WHERE list_contains(s.needs, dl.leaf) OR (s.role_mask & $m_fusion_developer) <> 0),
    hits AS (
        SELECT c.id AS cand, dn.w AS weight, dn.w AS sort_key, 'plant_needs' AS direction,
               dn.leaf AS demand, dn.leaf AS supply
        FROM dn JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = dn.leaf
        JOIN c ON c.id = f.org_id, s
        WHERE (NOT list_contains($place_tied, dn.leaf) OR c.country = s.country)
          AND NOT (list_contains($family_generic, dn.leaf) AND {cross_s_c})
          AND (c.role_mask & $m_demo) <> 0
          AND (NOT list_contains($company_leaves, dn.leaf) OR c.org_type = ANY($company_types))
        UNION ALL
        SELECT c.id, dl.w * CASE WHEN list_contains(c.needs, dl.leaf) THEN 1.0 ELSE 0.7 END,
               dl.w, 'hosts', dl.leaf, dl.leaf
        FROM s, dl JOIN c ON (c.role_mask & $m_fusion_developer) <> 0
        WHERE list_contains(s.offers, dl.leaf) AND (s.role_mask & $m_demo) <> 0
          AND NOT (s.role_mask & $m_fusion_developer) <> 0
          AND (NOT list_contains($place_tied, dl.leaf) OR c.country = s.country)
          AND NOT (list_contains($family_generic, dl.leaf) AND {cross_s_c})
        UNION ALL
        SELECT c.id, $complement * pow(lv.idf, $rarity), $complement * lv.idf, 'plant_technology', n.leaf, n.leaf
        FROM s, (SELECT unnest(s.needs) AS leaf FROM s) n
        JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = n.leaf
        JOIN lv ON lv.slug = n.leaf JOIN c ON c.id = f.org_id
        WHERE (s.role_mask & $m_fusion_developer) <> 0 AND c.seller
          AND NOT list_contains($excluded, n.leaf) AND NOT list_contains($demo_leaves, n.leaf)
          AND list_contains($plant_leaves, n.leaf)
        UNION ALL
        SELECT c.id, $complement * pow(lv.idf, $rarity), $complement * lv.idf, 'plant_technology_for', x.leaf, x.leaf
        FROM s, (SELECT unnest(s.offers) AS leaf FROM s) x
        JOIN organisation_facets f ON f.facet = 'need' AND f.leaf = x.leaf
        JOIN lv ON lv.slug = x.leaf JOIN c ON c.id = f.org_id
        WHERE (s.role_mask & $m_supplier) <> 0 AND s.org_type = ANY($company_types)
          AND (c.role_mask & $m_fusion_developer) <> 0
          AND NOT list_contains($excluded, x.leaf) AND NOT list_contains($demo_leaves, x.leaf)
          AND list_contains($plant_leaves, x.leaf)
    )
"""

_STARTLIKE = (
    "({x}.org_type = ANY($company_types) AND (({x}.role_mask & $m_fusion_developer) <> 0 "
    "OR {x}.org_type = ANY($startup_types) OR list_contains({x}.needs, 'equity_investment')))"
)
# Who offers capital *alone* (the capital terms): investors and trading houses. A manufacturer's
# stake comes with what it makes, so it meets a startup through the technology terms only; an
# association's fund (a professional body's) backs its own members' ventures: never capital.
_CAPITAL = (
    "({x}.org_type <> 'association' AND (({x}.role_mask & $m_trading_house) <> 0 OR ((({x}.role_mask & $m_investor) <> 0 "
    "OR list_contains({x}.offers, 'equity_investment')) AND NOT ({x}.role_mask & $m_manufacturer_supplier) <> 0)))"
)
_CORPORATE = (
    "({x}.org_type = 'company' AND ({x}.role_mask & $m_manufacturer_supplier) <> 0 "
    "AND ({x}.role_mask & $m_investor) <> 0)"
)

_INNOVATION = f"""
    inv AS (
        SELECT l.org_a AS investor, l.org_b AS company,  -- links.py: org_a invested in org_b
               a.country <> b.country AS abroad
        FROM links l JOIN organisations a ON a.id = l.org_a JOIN organisations b ON b.id = l.org_b
        WHERE l.relation = 'investment'
          AND NOT (l.org_a = $start AND list_contains($ignore, l.org_b))
          AND NOT (l.org_b = $start AND list_contains($ignore, l.org_a))
    ),
    pl AS (SELECT DISTINCT inv.investor, inv.company, f.leaf  -- the portfolio's offers
           FROM inv JOIN organisation_facets f ON f.org_id = inv.company AND f.facet = 'offer'),
    devs AS (SELECT id FROM organisations WHERE (role_mask & $m_fusion_developer) <> 0
             AND id IN (SELECT company FROM inv)),
    domestic AS (  -- funds whose documented investments all stayed in their own country,
                   -- and investors with a regional remit (an angel network, a regional fund)
        SELECT inv.investor AS id FROM inv JOIN organisations o ON o.id = inv.investor
        WHERE o.org_type = ANY($investor_types) GROUP BY inv.investor HAVING NOT bool_or(inv.abroad)
        UNION SELECT id FROM c WHERE c.regional UNION SELECT id FROM s WHERE s.regional
    ),
    hits AS (
        SELECT c.id AS cand, $capital AS weight, 0.0 AS sort_key, 'capital' AS direction,
               'equity_investment' AS demand, 'equity_investment' AS supply
        FROM s, c WHERE {_STARTLIKE.format(x="s")} AND {_CAPITAL.format(x="c")}
          AND NOT (c.country <> s.country AND c.id IN (SELECT id FROM domestic))
        UNION ALL
        SELECT c.id, pow(lv.idf, $rarity), lv.idf, 'makes', f.leaf, f.leaf
        FROM s, (SELECT unnest(s.needs) AS leaf FROM s) n
        JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = n.leaf
        JOIN lv ON lv.slug = f.leaf JOIN c ON c.id = f.org_id
        WHERE {_STARTLIKE.format(x="s")} AND {_CORPORATE.format(x="c")} AND NOT list_contains($excluded, f.leaf)
        UNION ALL
        SELECT DISTINCT c.id, $portfolio * pow(lv.idf, $rarity), $portfolio * lv.idf, 'backed', pl.leaf, pl.leaf
        FROM s, (SELECT unnest(s.offers) AS leaf FROM s) x
        JOIN pl ON pl.leaf = x.leaf JOIN lv ON lv.slug = pl.leaf JOIN c ON c.id = pl.investor
        WHERE {_STARTLIKE.format(x="s")} AND NOT list_contains($excluded, pl.leaf) AND pl.company <> s.id
          AND NOT (c.country <> s.country AND c.id IN (SELECT id FROM domestic))
          -- a stake in a rival developer is appetite for fusion (the capital term), not technology fit
          AND NOT ((s.role_mask & $m_fusion_developer) <> 0 AND pl.company IN (SELECT id FROM devs))
        UNION ALL
        SELECT c.id, $capital, 0.0, 'capital_for', 'equity_investment', 'equity_investment'
        FROM s, c WHERE {_CAPITAL.format(x="s")} AND {_STARTLIKE.format(x="c")}
          AND (list_contains(c.needs, 'equity_investment') OR c.org_type = ANY($startup_types))
          AND NOT (c.country <> s.country AND s.id IN (SELECT id FROM domestic))
        UNION ALL
        SELECT c.id, pow(lv.idf, $rarity), lv.idf, 'makes_for', f.leaf, f.leaf
        FROM s, (SELECT unnest(s.offers) AS leaf FROM s) x
        JOIN organisation_facets f ON f.facet = 'need' AND f.leaf = x.leaf
        JOIN lv ON lv.slug = f.leaf JOIN c ON c.id = f.org_id
        WHERE {_CORPORATE.format(x="s")} AND {_STARTLIKE.format(x="c")} AND NOT list_contains($excluded, f.leaf)
        UNION ALL
        SELECT DISTINCT c.id, $portfolio * pow(lv.idf, $rarity), $portfolio * lv.idf, 'like_backed', f.leaf, f.leaf
        FROM s, pl JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = pl.leaf
        JOIN lv ON lv.slug = f.leaf JOIN c ON c.id = f.org_id
        WHERE pl.investor = s.id AND pl.company <> c.id AND {_STARTLIKE.format(x="c")}
          AND NOT (c.country <> s.country AND s.id IN (SELECT id FROM domestic))
          AND NOT ((c.role_mask & $m_fusion_developer) <> 0 AND pl.company IN (SELECT id FROM devs))
          AND NOT list_contains($excluded, f.leaf)
    )
"""  # noqa: S608 (fixed fragments; values are bound)

_ROLES_OF = (
    "list_concat({x}.roles, CASE WHEN ({x}.org_type = 'public_body' AND ({x}.role_mask & $m_research) <> 0) "
    "OR ({x}.org_type = 'research_institute' AND ({x}.role_mask & $m_research) <> 0 "
    "AND NOT ({x}.role_mask & $m_manufacturer_supplier) <> 0) "
    "THEN ['national_laboratory'] ELSE []::VARCHAR[] END)"
)
_PRIMARY = "({x}.roles[1] = {r} OR {r} = 'national_laboratory')"
_INDUSTRY = "({x}.org_type = 'association' AND list_contains({x}.offers, $industry_leaf))"
# A fusion programme: a fusion developer, or an organisation offering a leaf of a concept family
_FUSION = (
    "(({x}.role_mask & $m_fusion_developer) <> 0 OR list_has_any({x}.offers, $fam_magnetic) "
    "OR list_has_any({x}.offers, $fam_inertial))"
)

_COUNTERPARTS = f"""
    sr AS (SELECT unnest(list_intersect({_ROLES_OF.format(x="s")}, $counterpart_roles)) AS role FROM s),
    rw AS (  -- the role matches; shared work below counts in proportion to the strongest
        SELECT c.id AS cand,
               $counterpart * CASE WHEN {_PRIMARY.format(x="s", r="sr.role")} AND {_PRIMARY.format(x="c", r="sr.role")}
                                   THEN 1.0 ELSE $complement END
                 * CASE WHEN sr.role = 'council_association'
                             AND {_INDUSTRY.format(x="s")} <> {_INDUSTRY.format(x="c")} THEN $complement
                        WHEN sr.role = 'national_laboratory'
                             AND {_FUSION.format(x="s")} <> {_FUSION.format(x="c")} THEN $complement
                        WHEN sr.role = 'national_laboratory' AND {{cross_s_c}} THEN $cross_family
                        ELSE 1.0 END AS weight,
               $counterpart AS sort_key, 'counterpart' AS direction, sr.role AS demand, sr.role AS supply
        FROM sr JOIN c ON list_contains({_ROLES_OF.format(x="c")}, sr.role), s
        WHERE c.regional = s.regional  -- same level of government (roster.REMITS)
        UNION ALL
        SELECT c.id, $complement * $counterpart, $complement * $counterpart, 'counterpart_near', sr.role, x.role
        FROM sr JOIN (SELECT unnest($near_a) AS a, unnest($near_b) AS b
                      UNION ALL SELECT unnest($near_b), unnest($near_a)) p ON p.a = sr.role
        JOIN c ON list_contains({_ROLES_OF.format(x="c")}, p.b),
        LATERAL (SELECT p.b AS role) x
        WHERE NOT list_contains({_ROLES_OF.format(x="c")}, sr.role) AND c.regional = (SELECT regional FROM s)
    ),
    hits AS (
        SELECT * FROM rw
        UNION ALL
        SELECT c.id, r.f * pow(lv.idf, $rarity), r.f * lv.idf, 'shared_work', f.leaf, f.leaf
        FROM s, (SELECT unnest(s.offers) AS leaf FROM s) x
        JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = x.leaf
        JOIN lv ON lv.slug = f.leaf JOIN c ON c.id = f.org_id
        JOIN (SELECT cand, max(weight) / $counterpart AS f FROM rw WHERE direction = 'counterpart' GROUP BY cand) r
          ON r.cand = c.id
        WHERE c.regional = s.regional
          AND NOT list_contains($role_leaves, f.leaf) AND NOT list_contains($not_shared_work, f.leaf)
          AND NOT (list_contains($family_generic, f.leaf) AND {{cross_s_c}})
    )
"""  # noqa: S608 (fixed fragments; values are bound)

_CONTRACTOR = "(list_contains({x}.offers, 'construction_civil_works') AND list_has_all($contractor_leaves, {x}.offers))"
"""A construction contractor (:data:`fusion_partners.data.partner_rules.PROJECT_LEAVES`)."""

_TEAMING = """
    hits AS (
        SELECT c.id AS cand, pow(lv.idf, $rarity) AS weight, lv.idf AS sort_key, 'specialist' AS direction,
               f.leaf AS demand, f.leaf AS supply
        FROM s, organisation_facets f JOIN lv ON lv.slug = f.leaf JOIN c ON c.id = f.org_id
        WHERE f.facet = 'offer' AND (s.role_mask & $m_engineering_integrator) <> 0
          AND s.org_type = ANY($company_types) AND c.org_type = ANY($company_types)
          AND (c.role_mask & $m_manufacturer_supplier) <> 0
          AND NOT list_contains($excluded, f.leaf) AND NOT list_contains(s.offers, f.leaf)
          -- a construction contractor's consortium is a building project team: no machine part
          AND (NOT {contractor_s} OR list_contains($project_leaves, f.leaf))
          AND NOT list_contains($material_leaves, f.leaf)  -- materials go to component makers
        UNION ALL
        SELECT c.id, $builder, $builder, 'builder', 'construction_civil_works', 'construction_civil_works'
        FROM s, c WHERE (s.role_mask & $m_engineering_integrator) <> 0 AND s.org_type = ANY($company_types)
          AND list_contains(c.offers, 'construction_civil_works') AND c.org_type = ANY($company_types)
        UNION ALL
        SELECT c.id, $peer, $peer, 'co_integrator', 'engineering_integration', 'engineering_integration'
        FROM s, c WHERE (s.role_mask & $m_engineering_integrator) <> 0 AND (c.role_mask & $m_engineering_integrator) <> 0
          AND s.org_type = ANY($company_types) AND c.org_type = ANY($company_types)
        UNION ALL
        SELECT c.id, $complement * pow(lv.idf, $rarity), $complement * lv.idf, 'co_supplier', f.leaf, f.leaf
        FROM s, (SELECT unnest(s.offers) AS leaf FROM s) x
        JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = x.leaf
        JOIN lv ON lv.slug = f.leaf JOIN c ON c.id = f.org_id
        WHERE (s.role_mask & $m_manufacturer_supplier) <> 0 AND (c.role_mask & $m_manufacturer_supplier) <> 0
          AND s.org_type = ANY($company_types) AND c.org_type = ANY($company_types)
          AND NOT (s.role_mask & $m_fusion_developer) <> 0 AND NOT (c.role_mask & $m_fusion_developer) <> 0
          AND NOT list_contains($excluded, f.leaf) AND NOT list_contains($same_trade_excluded, f.leaf)
        UNION ALL
        SELECT c.id, pow(lv.idf, $rarity), lv.idf, 'integrator_for', x.leaf, x.leaf
        FROM s, (SELECT unnest(s.offers) AS leaf FROM s) x JOIN lv ON lv.slug = x.leaf, c
        WHERE (s.role_mask & $m_manufacturer_supplier) <> 0 AND NOT (s.role_mask & $m_engineering_integrator) <> 0
          AND (c.role_mask & $m_engineering_integrator) <> 0 AND NOT list_contains($excluded, x.leaf)
          AND NOT list_contains(c.offers, x.leaf) AND list_contains(c.offers, 'engineering_integration')
          AND NOT list_contains($material_leaves, x.leaf)  -- materials go to component makers
          AND s.org_type = ANY($company_types) AND c.org_type = ANY($company_types)
          -- a construction contractor integrates the firms of a building project's trades (a design
          -- consultancy, a project manager), not a machine part's maker that also offers design
          AND (NOT {contractor_c} OR (list_contains($project_leaves, x.leaf)
                                      AND list_has_all($contractor_leaves, s.offers)))
        UNION ALL
        SELECT c.id, $builder, $builder, 'builder_for', 'construction_civil_works', 'construction_civil_works'
        FROM s, c WHERE list_contains(s.offers, 'construction_civil_works')
          AND NOT (s.role_mask & $m_engineering_integrator) <> 0 AND (c.role_mask & $m_engineering_integrator) <> 0
          AND s.org_type = ANY($company_types) AND c.org_type = ANY($company_types)
        UNION ALL
        SELECT c.id, $complement * pow(lv.idf, $rarity), $complement * lv.idf, 'venture', f.leaf, f.leaf
        FROM s, (SELECT unnest(s.needs) AS leaf FROM s) n
        JOIN organisation_facets f ON f.facet = 'offer' AND f.leaf = n.leaf
        JOIN lv ON lv.slug = f.leaf JOIN c ON c.id = f.org_id
        WHERE (s.role_mask & $m_fusion_developer) <> 0 AND (c.role_mask & $m_manufacturer_supplier) <> 0
          AND s.org_type = ANY($company_types) AND c.org_type = ANY($company_types)
          AND NOT (c.role_mask & $m_fusion_developer) <> 0 AND NOT list_contains($excluded, f.leaf)
        UNION ALL
        SELECT c.id, $complement * pow(lv.idf, $rarity), $complement * lv.idf, 'venture_for', f.leaf, f.leaf
        FROM s, (SELECT unnest(s.offers) AS leaf FROM s) x
        JOIN organisation_facets f ON f.facet = 'need' AND f.leaf = x.leaf
        JOIN lv ON lv.slug = f.leaf JOIN c ON c.id = f.org_id
        WHERE (s.role_mask & $m_manufacturer_supplier) <> 0 AND (c.role_mask & $m_fusion_developer) <> 0
          AND s.org_type = ANY($company_types) AND c.org_type = ANY($company_types)
          AND NOT (s.role_mask & $m_fusion_developer) <> 0 AND NOT list_contains($excluded, f.leaf)
    )
"""

BODIES: dict[str, str] = {
    "supply_chain": _SUPPLY,
    "joint_research": _RESEARCH.replace("{shared_u}", _SHARED_U),
    "demonstration": _DEMONSTRATION,
    "innovation": _INNOVATION,
    "counterparts": _COUNTERPARTS,
    "teaming": _TEAMING.replace("{contractor_s}", _CONTRACTOR.format(x="s")).replace(
        "{contractor_c}", _CONTRACTOR.format(x="c")
    ),
}
