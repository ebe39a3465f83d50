"""Units of other organisations ("TE Magnetics (Tokamak Energy)") and their parents, found once
by the build (table ``organisation_units``) for the partner finder's unit roll-up
(:mod:`fusion_partners.partners.organisation_sql`)."""

from __future__ import annotations

from fusion_partners.search.text import legal_form_patterns

SUBSIDIARY_NAME = r"^(.+) \((.+)\)$"
"""A unit of another organisation is recorded with its parent's name in brackets ("TE Magnetics
(Tokamak Energy)"). When the bracket is exactly another organisation's name (without its legal
form) the unit rolls up into that parent: a start is never offered its own unit or parent, and
when a unit and its parent are both candidates they are one row, the parent's, scored with the
better of the two matches and giving the unit's matches as its reasons."""

PARENT_LEGAL_FORM = (
    r"[,.]?\s+(" + "|".join(legal_form_patterns("parent", japanese=False)) + r")\.?$"
)
"""Legal forms dropped from the end of a lower-cased English name before it is compared with a
unit's bracket (DuckDB regular expression): those :data:`fusion_partners.search.text.LEGAL_FORMS`
marks ``parent``."""

UNITS_SQL = """
INSERT INTO organisation_units
SELECT u.id, p.id
FROM (SELECT id, CASE WHEN name_en LIKE '%)' THEN lower(regexp_extract(name_en, $unit_name, 2)) END AS parent_name
      FROM organisations) u
JOIN (SELECT id, regexp_replace(lower(name_en), $legal_form, '') AS name_key FROM organisations) p
  ON p.name_key = u.parent_name AND p.id <> u.id
"""
"""Fill ``organisation_units`` (parameters: :func:`units_params`): a unit's bracket, lower-cased,
equals the other organisation's lower-cased English name without its legal form (the name then
starts with the bracket, as the legal form is only ever cut from the end)."""


def units_params() -> dict[str, str]:
    """The parameters of :data:`UNITS_SQL`."""
    return {"unit_name": SUBSIDIARY_NAME, "legal_form": PARENT_LEGAL_FORM}
