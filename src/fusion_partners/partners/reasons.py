"""Reasons of partner suggestions: why a candidate suits the start, in one line.

A suggestion row carries ``matches``: a list of dicts with keys rule_id, kind, direction,
demand, demand_types, supply, supply_types, weight. Directions:

* ``forward``: the start needs (demand) what the candidate offers (supply);
* ``reverse``: the candidate needs what the start offers;
* ``shared``: joint research, both hold ``demand`` (= ``supply``);
* ``held``: capability mode, the candidate holds the needed capability ``demand``;
* ``role_demand``, ``role_supply``: capability mode, the candidate's part in a rule (demand
  or supply side);
* :data:`MODEL_DIRECTIONS`: the organisation-mode partner model
  (:mod:`fusion_partners.partners.scoring_sql`).

Sentences come from message-catalogue templates (``partners.reason.*``), so they read
naturally in English and Japanese. They are plain text (no Markdown); the page escapes them
where it shows Markdown.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fusion_partners.data.partner_rules import SERVICE_LEAVES
from fusion_partners.i18n import format_number, has, t
from fusion_partners.i18n.labels import Taxonomy, display_name, vocab_label
from fusion_partners.search.text import legal_form_patterns

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


_JA_FORMS = "|".join(legal_form_patterns("display", japanese=True))
_JA_FORM = re.compile(rf"^({_JA_FORMS})\s*|\s*({_JA_FORMS})$")
_EN_FORM = re.compile(  # "& Co." is part of a name: "Mitsui & Co., Ltd." → "Mitsui & Co."
    r"(?<!&),?\s+(" + "|".join(legal_form_patterns("display", japanese=False)) + r")$",
    re.IGNORECASE,
)


def short_name(name: str) -> str:
    """A name without its legal form, for reasons: ``Tokamak Energy Ltd`` → ``Tokamak
    Energy``, ``株式会社フジクラ`` → ``フジクラ``, ``Mitsui & Co., Ltd.`` → ``Mitsui & Co.``.

    The forms dropped are those :data:`fusion_partners.search.text.LEGAL_FORMS` marks
    ``display``, at the start or end of a Japanese name and at the end of a Latin one.
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
    "complements_implied",
    "complemented",
    "complemented_implied",
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
    "co_supplier",
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
                clauses[-1] += t("partners.reason.more_reasons", lang, n=rest)
            break
    return sentence_case(t("partners.clause_sep", lang).join(clauses))


def shared_work_text(
    leaves: Sequence[str], taxonomy: Taxonomy, lang: str, *, full: bool = False
) -> str:
    """The clause naming the shared-work term's leaves (``shared_leaves`` of a suggestion,
    rarest first): "both also offer plasma diagnostics, neutral beams"; ``""`` when empty.
    At most :data:`REASON_ITEMS` leaves unless ``full``, then "(+N more)"."""
    if not leaves:
        return ""
    shown = list(leaves) if full else list(leaves)[:REASON_ITEMS]
    words = t("partners.list_sep", lang).join(cap_phrase(x, taxonomy, lang) for x in shown)
    text = t("partners.reason.shared_work_term", lang, caps=words)
    if len(leaves) > len(shown):
        text += t("partners.reason.more", lang, n=len(leaves) - len(shown))
    return text


def mutual_partners_text(
    partners: Sequence[Mapping[str, Any]] | None, lang: str, *, full: bool = False
) -> str:
    """The clause naming the mutual-partners term's organisations (``mutual_partners`` of a
    suggestion: dicts with ``name_en`` / ``name_ja``, those with the fewest partners first):
    "both work with Sellafield Ltd"; ``""`` when there is none. At most
    :data:`REASON_ITEMS` names unless ``full``, then "(+N more)"."""
    items = list(partners or [])
    if not items:
        return ""
    shown = items if full else items[:REASON_ITEMS]
    names = t("partners.list_sep", lang).join(
        display_name(p.get("name_en"), p.get("name_ja"), lang) for p in shown
    )
    text = t("partners.reason.mutual_term", lang, names=names)
    if len(items) > len(shown):
        text += t("partners.reason.more", lang, n=len(items) - len(shown))
    return text


def units_text(units: Sequence[Mapping[str, Any]] | None, lang: str) -> str:
    """The clause naming the units folded into a parent's row (``units`` of a suggestion:
    dicts with ``name_en`` / ``name_ja``): "including its unit TE Magnetics (Tokamak Energy)";
    ``""`` when there is none. A unit and its parent that are both candidates are one row, the
    parent's (:mod:`fusion_partners.data.units`); without this clause the unit seemed missing."""
    items = list(units or [])
    if not items:
        return ""
    names = t("partners.list_sep", lang).join(
        display_name(u.get("name_en"), u.get("name_ja"), lang) for u in items
    )
    return t("partners.reason.units_term", lang, names=names)


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
