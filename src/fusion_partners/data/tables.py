"""The Arrow tables the build loads into DuckDB, one per table of ``schema.sql``, derived
from validated curated data (:class:`~fusion_partners.data.load.Curated`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pyarrow as pa

from fusion_partners.data.load import HISTORY_COLUMNS, IMPORT_COLUMNS, Curated
from fusion_partners.data.memberships import membership_sets
from fusion_partners.data.partner_rules import family_mask, implied_needs
from fusion_partners.data.roster import (
    CONFIDENCE_RANK,
    ROLES,
    parse_source_date,
    role_mask,
    split_list,
)
from fusion_partners.data.search_index import search_fields
from fusion_partners.search.reading import japanese_sort_key
from fusion_partners.search.terms import search_key


def organisation_table(curated: Curated) -> pa.Table:
    """Arrow table of organisations with the derived columns of ``schema.sql``.

    A record's capability groups are those of its ``capabilities`` column plus the groups of
    its offers, so a leaf offered always shows under its group. ``membership`` holds the first
    of the record's memberships (J-Fusion before The Fusion Cluster), ``memberships`` all.
    """
    order = {r["slug"]: i for i, r in enumerate(curated.taxonomy)}  # also the capability's bit
    leaf_order = {r["slug"]: i for i, r in enumerate(curated.leaves)}
    parent = {r["slug"]: r["parent"] for r in curated.leaves}
    sets = membership_sets(curated.organisations, curated.memberships)
    cols: dict[str, list] = {
        name: []
        for name in (
            "id",
            "name_en",
            "name_ja",
            "country",
            "prefecture_or_city",
            "org_type",
            "membership",
            "membership_class",
            "website",
            "capabilities",
            "cap_mask",
            "role_mask",
            "family_mask",
            "description_en",
            "evidence",
            "source_urls",
            "source_date",
            "source_date_start",
            "confidence",
            "confidence_rank",
            "rosters",
            "name_keys",
            "search_text",
            "sort_ja",
            "roles",
            "offers",
            "needs",
            "implied_needs",
            "aliases",
            "description_ja",
            "facet_basis",
            "remit",
            "successor",
            "memberships",
        )
    }
    for org in curated.organisations:
        offers = sorted(split_list(org.get("offers", "")), key=lambda s: leaf_order.get(s, 999))
        needs = sorted(split_list(org.get("needs", "")), key=lambda s: leaf_order.get(s, 999))
        caps = split_list(org["capabilities"])
        caps = sorted(
            dict.fromkeys([*caps, *(parent[o] for o in offers if o in parent)]),
            key=lambda s: order.get(s, 999),
        )
        councils = [m.council for m in sets.get(org["id"], [])]
        name_keys, search_text = search_fields(org)
        values = {
            **{
                k: (org.get(k) or None)
                for k in (
                    "id",
                    "name_en",
                    "name_ja",
                    "country",
                    "prefecture_or_city",
                    "org_type",
                    "membership_class",
                    "website",
                    "description_en",
                    "evidence",
                    "source_date",
                    "confidence",
                    "description_ja",
                    "facet_basis",
                )
            },
            "remit": org.get("remit", "").strip() or "national",
            "successor": org.get("successor", "").strip() or None,
            "membership": councils[0] if councils else "other",
            "memberships": councils,
            "roles": split_list(org.get("roles", "")),
            "offers": offers,
            "needs": needs,
            "implied_needs": implied_needs(split_list(org.get("roles", "")), offers, needs, parent),
            "aliases": split_list(org.get("aliases", "")),
            "capabilities": caps,
            "cap_mask": sum(1 << order[c] for c in caps if c in order),
            "role_mask": role_mask([r for r in split_list(org.get("roles", "")) if r in ROLES]),
            "family_mask": family_mask(offers),
            "source_urls": " ".join(split_list(org["source_urls"], None)),
            "source_date_start": parse_source_date(org.get("source_date", "")),
            "confidence_rank": CONFIDENCE_RANK[org["confidence"]],
            "rosters": split_list(org.get("rosters", "")),
            "name_keys": name_keys,
            "search_text": search_text,
            "sort_ja": japanese_sort_key(org.get("name_ja"), org.get("name_en")),  # → name_rank_ja
        }
        for k, v in values.items():
            cols[k].append(v)
    types = {
        "capabilities": pa.list_(pa.string()),
        "rosters": pa.list_(pa.string()),
        "name_keys": pa.list_(pa.string()),
        **{
            k: pa.list_(pa.string())
            for k in ("roles", "offers", "needs", "implied_needs", "aliases", "memberships")
        },
        "source_date_start": pa.date32(),
        "confidence_rank": pa.int8(),
        "cap_mask": pa.int64(),
        "role_mask": pa.int64(),
        "family_mask": pa.int32(),
    }
    return pa.table({k: pa.array(v, type=types.get(k, pa.string())) for k, v in cols.items()})


def taxonomy_table(curated: Curated) -> pa.Table:
    """Rows of ``capabilities`` (the groups of ``capabilities.csv``): labels, group and
    sort order, the bit of ``cap_mask`` and the label search key."""
    groups: list[str] = []
    for r in curated.taxonomy:
        if r["group"] not in groups:
            groups.append(r["group"])
    return pa.table(
        {
            "slug": [r["slug"] for r in curated.taxonomy],
            "group_en": [r["group"] for r in curated.taxonomy],
            "group_ja": [r["group_ja"] for r in curated.taxonomy],
            "label_en": [r["label_en"] for r in curated.taxonomy],
            "label_ja": [r["label_ja"] for r in curated.taxonomy],
            "group_order": pa.array(
                [groups.index(r["group"]) for r in curated.taxonomy], pa.int32()
            ),
            "sort_order": pa.array(list(range(len(curated.taxonomy))), pa.int32()),
            "bit": pa.array(list(range(len(curated.taxonomy))), pa.int32()),
            "label_key": [
                f"{search_key(r['label_en'])}\n{search_key(r['label_ja'])}"
                for r in curated.taxonomy
            ],
        }
    )


def leaves_table(curated: Curated) -> pa.Table:
    """The capability leaves, in file order (``sort_order``), for ``capability_leaves``, with
    the search key of their labels (as :func:`taxonomy_table`'s)."""
    rows = curated.leaves
    return pa.table(
        {
            **{
                c: pa.array([r[c] for r in rows], pa.string())
                for c in (
                    "slug",
                    "parent",
                    "label_en",
                    "label_ja",
                    "definition_en",
                    "definition_ja",
                )
            },
            "sort_order": pa.array(list(range(len(rows))), pa.int32()),
            "label_key": [
                f"{search_key(r['label_en'])}\n{search_key(r['label_ja'])}" for r in rows
            ],
        }
    )


def links_table(curated: Curated) -> pa.Table:
    """Rows of ``links`` (documented collaborations), numbered from 1."""
    links = curated.links
    return pa.table(
        {
            "link_id": pa.array(list(range(1, len(links) + 1)), pa.int32()),
            "org_a": pa.array([k.org_a for k in links], pa.string()),
            "org_b": pa.array([k.org_b for k in links], pa.string()),
            "relation": pa.array([k.relation for k in links], pa.string()),
            "year": pa.array([k.year for k in links], pa.int32()),
            "what": pa.array([k.what for k in links], pa.string()),
            "source_urls": pa.array([list(k.source_urls) for k in links], pa.list_(pa.string())),
        }
    )


def memberships_table(curated: Curated) -> pa.Table:
    """Rows of ``memberships``: each organisation's council memberships with their sources."""
    rows = [
        m for ms in membership_sets(curated.organisations, curated.memberships).values() for m in ms
    ]
    return pa.table(
        {
            "org_id": pa.array([m.org_id for m in rows], pa.string()),
            "council": pa.array([m.council for m in rows], pa.string()),
            "membership_class": pa.array([m.membership_class or None for m in rows], pa.string()),
            "source_urls": pa.array([list(m.source_urls) for m in rows], pa.list_(pa.string())),
            "date": pa.array([m.date or None for m in rows], pa.string()),
            "evidence": pa.array([m.evidence or None for m in rows], pa.string()),
        }
    )


def sources_table(curated: Curated) -> pa.Table:
    """Rows of ``sources``: each organisation's source URLs in order, with the host."""
    org_ids, positions, urls, hosts = [], [], [], []
    for org in curated.organisations:
        for i, url in enumerate(split_list(org["source_urls"], None), start=1):
            org_ids.append(org["id"])
            positions.append(i)
            urls.append(url)
            hosts.append(urlsplit(url).hostname or url)
    return pa.table(
        {
            "org_id": org_ids,
            "position": pa.array(positions, pa.int32()),
            "url": urls,
            "host": hosts,
        }
    )


def log_tables(curated: Curated) -> tuple[pa.Table, pa.Table]:
    """Rows of ``imports`` (the import log) and ``record_history`` (earlier values)."""
    imports = {c: [r.get(c) or None for r in curated.imports] for c in IMPORT_COLUMNS}
    for c in ("rows_added", "rows_updated"):
        imports[c] = pa.array([int(v or 0) for v in imports[c]], pa.int32())
    for c in ("file_name", "content_hash", "imported_at", "imported_by", "status"):
        imports[c] = [v or "" for v in imports[c]]
    history = {c: [r.get(c) or None for r in curated.history] for c in HISTORY_COLUMNS}
    history["changed"] = pa.array(
        [split_list(r.get("changed", "")) for r in curated.history], pa.list_(pa.string())
    )
    typed = {
        k: v if isinstance(v, pa.Array) else pa.array(v, pa.string()) for k, v in imports.items()
    }
    typed_h = {
        k: v if isinstance(v, pa.Array) else pa.array(v, pa.string()) for k, v in history.items()
    }
    return pa.table(typed), pa.table(typed_h)


def places_table(curated: Curated) -> pa.Table:
    """Rows of ``places`` (coordinates of a country's places, from ``places.csv``)."""

    def num(text: str) -> float | None:
        return float(text) if text else None

    return pa.table(
        {
            "country": pa.array([r["country"] for r in curated.places], pa.string()),
            "place": pa.array([r["place"] for r in curated.places], pa.string()),
            "latitude": pa.array([num(r["latitude"]) for r in curated.places], pa.float64()),
            "longitude": pa.array([num(r["longitude"]) for r in curated.places], pa.float64()),
            "precision": pa.array([r["precision"] for r in curated.places], pa.string()),
            "gazetteer_name": pa.array(
                [r["gazetteer_name"] or None for r in curated.places], pa.string()
            ),
            "geonames_id": pa.array(
                [r["geonames_id"] or None for r in curated.places], pa.string()
            ),
            "source": pa.array([r["source"] or None for r in curated.places], pa.string()),
            "note": pa.array([r["note"] or None for r in curated.places], pa.string()),
        }
    )


def rules_table(curated: Curated) -> pa.Table:
    """Rows of ``partner_rules`` (the valid rows of ``supply_map.csv``)."""
    rules = curated.rules
    return pa.table(
        {
            "rule_id": pa.array([r.rule_id for r in rules], pa.int32()),
            "kind": pa.array([r.kind for r in rules], pa.string()),
            "demand": pa.array([r.demand for r in rules], pa.string()),
            "demand_types": pa.array([list(r.demand_types) for r in rules], pa.list_(pa.string())),
            "supply": pa.array([r.supply for r in rules], pa.string()),
            "supply_types": pa.array([list(r.supply_types) for r in rules], pa.list_(pa.string())),
            "weight": pa.array([r.weight for r in rules], pa.float64()),
            "rationale": pa.array([r.rationale for r in rules], pa.string()),
            "rationale_ja": pa.array([r.rationale_ja for r in rules], pa.string()),
        }
    )
