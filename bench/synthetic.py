"""Synthetic organisation rosters for benchmarks (fictional names, ``.example`` sources).

    from bench.synthetic import synthetic_organisations, synthetic_database
    rows = synthetic_organisations(10_000, seed=1)          # rows in organisations.csv format
    synthetic_database(100_000, Path("syn.duckdb"))         # through build.write_database

Distributions are measured from the curated roster (``data/organisations.csv``) when it is
present, so a synthetic roster looks like a larger version of the real one:

* country: JP, GB and the rest in the real shares (about 35 / 55 / 10 %); other countries
  drawn from those seen in the roster;
* organisation type: the real mix within each of JP, GB and "other";
* capabilities (1–6 per organisation): each capability of the real taxonomy is held with
  its frequency within the organisation's type in the roster (97 % of universities hold
  research and academia, every investor trading and finance, ...; a capability never seen
  for a type gets a small chance); a row that drew none gets the likeliest draw, one that
  drew more than six keeps six. The overall mix (about half with one capability) follows;
* membership: J-Fusion for the real share of Japanese organisations (some of them
  founders), The Fusion Cluster for the real share of UK ones;
* confidence: the real high / medium / low mix; source dates between 2019 and 2026.

Names are invented from word lists: English names and ids are unique (a serial number is
part of the name); Japanese names (Japanese organisations only, as in the roster) come from
a vocabulary of about 2,400 so the build's romanisation cache stays effective. Every row
cites ``https://newsN.example/...`` URLs. Nothing here describes a real organisation.

Without the curated roster (an installed package, say) built-in shares close to the
2026 roster are used. Generation is vectorised with NumPy: a million rows take well under a
minute; building the database from them takes a few minutes (see ``synthetic_database``).
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fusion_partners.data.build import SCHEMA_FILE, write_database
from fusion_partners.data.links import Link
from fusion_partners.data.load import Curated
from fusion_partners.data.roster import ORG_TYPES, group_rows, read_csv_rows

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"

_PLACES = [
    "Northfield",
    "Ashby",
    "Kestrel",
    "Harrow Vale",
    "Brackenridge",
    "Coldharbour",
    "Elmsworth",
    "Fenwick",
    "Greystone",
    "Hollins",
    "Ironbridge",
    "Juniper",
    "Kingsmere",
    "Larkhill",
    "Marlow Cross",
    "Netherby",
    "Oakhurst",
    "Pendle",
    "Quarry Bank",
    "Redcliffe",
    "Saltmarsh",
    "Thornbury",
    "Upfield",
    "Westerleigh",
    "Yarrow",
    "Ambleside",
    "Birchmoor",
    "Castleton",
    "Dunmore",
    "Eastgate",
]
_STEMS = {
    "fusion_developer_mcf": "Tokamak",
    "fusion_developer_icf": "Laser Fusion",
    "fusion_developer_alt": "Pulsed Fusion",
    "magnets_superconductors": "Magnetics",
    "plasma_heating": "Microwave Systems",
    "diagnostics_instrumentation": "Instruments",
    "plasma_facing_components": "Divertor Works",
    "blanket_breeding": "Lithium Technologies",
    "tritium_fuel_cycle": "Tritium Systems",
    "isotopes_fuel_supply": "Isotopes",
    "materials": "Materials",
    "vacuum_cryogenics": "Cryogenics",
    "remote_handling_robotics": "Robotics",
    "power_electronics_electrical": "Power Electronics",
    "lasers_optics": "Photonics",
    "neutronics_radiation": "Shielding",
    "precision_manufacturing": "Precision",
    "additive_manufacturing": "Additive",
    "engineering_design": "Engineering",
    "construction_civil": "Construction",
    "testing_facilities": "Test Centre",
    "simulation_software_ai": "Simulation",
    "nuclear_safety_regulation": "Safety",
    "energy_utilities": "Power",
    "trading_finance": "Capital",
    "consulting_legal": "Advisory",
    "skills_training": "Skills",
    "research_academia": "Research",
}
_FORMS = {
    "company": ("Ltd", "plc", "Group"),
    "startup": ("Ltd", "Technologies Ltd"),
    "university": ("University",),
    "research_institute": ("Institute",),
    "public_body": ("Council", "Authority"),
    "investor": ("Ventures", "Partners"),
    "association": ("Association",),
    "other": ("Centre",),
}
_PLACES_JA = [
    "北野",
    "朝日",
    "若葉",
    "青葉",
    "白浜",
    "桜台",
    "緑川",
    "東雲",
    "西原",
    "南風",
    "高嶺",
    "星野",
    "光が丘",
    "港南",
    "湊",
    "富岳",
    "瑞穂",
    "大和",
    "筑波",
    "那珂",
    "六ヶ所",
    "敦賀",
    "浜岡",
    "玄海",
    "常陸",
    "羽衣",
    "稲穂",
    "千種",
    "葛城",
    "天城",
    "飛鳥",
    "吉野",
    "石狩",
    "十勝",
    "出雲",
    "石見",
    "讃岐",
    "伊予",
    "土佐",
    "日向",
    "薩摩",
    "琉球",
    "加賀",
    "越前",
    "信濃",
    "甲斐",
    "駿河",
    "遠江",
    "三河",
    "尾張",
    "美濃",
    "近江",
    "丹波",
    "播磨",
    "備前",
    "安芸",
    "周防",
    "長門",
    "筑前",
    "肥後",
]
_STEMS_JA = [
    "磁石技研",
    "線材",
    "電子",
    "重工",
    "精機",
    "真空",
    "冷熱",
    "工業",
    "製作所",
    "エンジニアリング",
    "マテリアル",
    "化学",
    "電機",
    "光学",
    "計測",
    "建設",
    "電力",
    "商事",
    "キャピタル",
    "総研",
    "技術研究所",
    "ロボティクス",
    "フュージョン",
    "プラズマ",
    "レーザー",
    "パワー",
    "システムズ",
    "テクノロジーズ",
    "サイエンス",
    "イノベーション",
    "インダストリー",
    "ファクトリー",
    "ラボ",
    "ソリューションズ",
    "ネットワーク",
    "ホールディングス",
    "アドバンス",
    "ダイナミクス",
    "デザイン",
    "ワークス",
]
_FORMS_JA = {
    "company": "株式会社",
    "startup": "株式会社",
    "university": "大学",
    "research_institute": "研究所",
    "public_body": "市",
    "investor": "投資株式会社",
    "association": "協会",
    "other": "センター",
}
_DEFAULT_SHARES = {  # close to the 2026 curated roster, used when it is absent
    "country": {"JP": 120, "GB": 190, "US": 15, "FR": 4, "CA": 4, "DE": 2, "IT": 2, "ES": 2},
    "confidence": {"high": 150, "medium": 175, "low": 20},
}


@dataclass(frozen=True)
class Profile:
    """Distributions a synthetic roster is drawn from (see the module docstring)."""

    countries: dict[str, int]
    types_by_group: dict[str, dict[str, int]]
    caps_by_type: dict[str, dict[str, int]]
    type_sizes: dict[str, int]
    confidence: dict[str, int]
    j_fusion_share: float
    cluster_share: float
    founder_share: float
    facets_by_type: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict)
    """Curated (roles, offers, needs, remit) per organisation type, resampled as they are, so
    their joint distribution per type is the curated one."""
    links_per_org: float = 0.0
    relations: dict[str, int] = field(default_factory=dict)
    jpuk_link_share: float = 0.0


def _group(country: str) -> str:
    return country if country in ("JP", "GB") else "other"


def taxonomy_rows(data_dir: Path = DATA) -> list[dict[str, str]]:
    """The capability taxonomy rows (``capabilities.csv``)."""
    return group_rows(read_csv_rows(data_dir / "capabilities.csv")[1])


def measure_profile(data_dir: Path = DATA) -> Profile:
    """Distributions measured from ``data_dir/organisations.csv`` (defaults when it is absent)."""
    slugs = [r["slug"] for r in taxonomy_rows(data_dir)]
    path = data_dir / "organisations.csv"
    rows = [r for r in read_csv_rows(path)[1] if r] if path.exists() else []
    if not rows:
        uniform = {t: {s: 1 for s in slugs} for t in ORG_TYPES}
        return Profile(
            _DEFAULT_SHARES["country"],
            {
                g: {
                    "company": 5,
                    "startup": 1,
                    "university": 1,
                    "investor": 1,
                    "public_body": 1,
                    "research_institute": 1,
                }
                for g in ("JP", "GB", "other")
            },
            uniform,
            {t: 60 for t in ORG_TYPES},
            _DEFAULT_SHARES["confidence"],
            0.18,
            0.005,
            0.5,
        )
    countries = Counter(r["country"] for r in rows)
    types: dict[str, Counter] = {g: Counter() for g in ("JP", "GB", "other")}
    caps: dict[str, Counter] = {t: Counter({s: 0 for s in slugs}) for t in ORG_TYPES}
    for r in rows:
        types[_group(r["country"])][r["org_type"]] += 1
        held = [c for c in r["capabilities"].split(";") if c]
        caps[r["org_type"]].update(c for c in held if c in caps[r["org_type"]])
    jp = [r for r in rows if r["country"] == "JP"]
    gb = [r for r in rows if r["country"] == "GB"]
    members = [r for r in jp if r["membership"] == "j_fusion"]
    facets: dict[str, list[tuple[str, str, str, str]]] = {}
    for r in rows:
        if r.get("offers"):
            facets.setdefault(r["org_type"], []).append(
                (r.get("roles", ""), r["offers"], r.get("needs", ""), r.get("remit", ""))
            )
    links = (
        [r for r in read_csv_rows(data_dir / "links.csv")[1] if r]
        if (data_dir / "links.csv").exists()
        else []
    )
    country_of = {r["id"]: r["country"] for r in rows}
    jpuk = sum(
        {country_of.get(x["org_a"]), country_of.get(x["org_b"])} == {"JP", "GB"} for x in links
    )
    return Profile(
        countries=dict(countries),
        types_by_group={g: dict(c) for g, c in types.items()},
        caps_by_type={t: dict(c) for t, c in caps.items()},
        type_sizes=dict(Counter(r["org_type"] for r in rows)),
        confidence=dict(Counter(r["confidence"] for r in rows)),
        j_fusion_share=len(members) / max(len(jp), 1),
        cluster_share=max(
            sum(r["membership"] == "fusion_cluster" for r in gb) / max(len(gb), 1), 0.005
        ),
        founder_share=sum(r["membership_class"] == "founder" for r in members)
        / max(len(members), 1),
        facets_by_type=facets,
        links_per_org=len(links) / max(len(rows), 1),
        relations=dict(Counter(x["relation"] for x in links)),
        jpuk_link_share=jpuk / max(len(links), 1),
    )


def _draw(rng: np.random.Generator, shares: dict, n: int) -> np.ndarray:
    keys = list(shares)
    p = np.array([shares[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def synthetic_organisations(
    n: int, seed: int = 0, *, data_dir: Path = DATA
) -> list[dict[str, str]]:
    """``n`` fictional organisations as rows of the curated ``organisations.csv`` format.

    Args:
        n: number of rows (≥ 0).
        seed: random seed; the same ``(n, seed, data)`` always gives the same rows.
        data_dir: folder with ``capabilities.csv`` (required) and ``organisations.csv``
            (optional, the source of the distributions).

    Returns:
        A list of dicts with every column of ``organisations.csv`` (all values strings);
        ids are ``syn-0000001``-style and unique.
    """
    rng = np.random.default_rng(seed)
    profile = measure_profile(data_dir)
    country = _draw(rng, profile.countries, n)
    group = np.where(np.isin(country, ["JP", "GB"]), country, "other")
    org_type = np.empty(n, dtype=object)
    for g, shares in profile.types_by_group.items():
        mask = group == g
        if mask.any() and shares:
            org_type[mask] = _draw(rng, shares, int(mask.sum()))
    org_type[org_type == None] = "company"  # noqa: E711 - groups absent from the profile
    caps = np.empty(n, dtype=object)
    for ty in sorted(
        set(org_type)
    ):  # a fixed order: the same seed gives the same rows in every process
        idx = np.flatnonzero(org_type == ty)
        counts = profile.caps_by_type.get(ty) or profile.caps_by_type["company"]
        slugs = np.array(list(counts), dtype=object)
        held_by = np.array([counts[s] for s in slugs], dtype=float)
        p = np.clip((held_by + 0.02) / max(profile.type_sizes.get(ty, 1), 1), 0.0005, 0.98)
        draws = rng.random((len(idx), len(slugs)))
        chosen = draws < p[None, :]
        # rank each row's capabilities by how far under its probability the draw fell, so
        # "none drawn" falls back to the likeliest capability and ">6" keeps the surest six
        margin = p[None, :] - draws
        order = np.argsort(-margin, axis=1)
        for row, i in enumerate(idx):
            k = int(min(max(chosen[row].sum(), 1), 6))
            caps[i] = ";".join(slugs[order[row, :k]])
    confidence = _draw(rng, profile.confidence, n)
    u = rng.random(n)
    membership = np.where(
        (country == "JP") & (u < profile.j_fusion_share),
        "j_fusion",
        np.where((country == "GB") & (u < profile.cluster_share), "fusion_cluster", "other"),
    )
    founder = (membership == "j_fusion") & (rng.random(n) < profile.founder_share)
    place = rng.integers(0, len(_PLACES), n)
    place_ja = rng.integers(0, len(_PLACES_JA), n)
    stem_ja = rng.integers(0, len(_STEMS_JA), n)
    form_pick = rng.integers(0, 3, n)
    year = rng.integers(2019, 2027, n)
    month = rng.integers(1, 13, n)
    dated = rng.random(n) < 0.75
    has_site = rng.random(n) < 0.4
    facet_pick = rng.random(n)
    rows: list[dict[str, str]] = []
    for i in range(n):
        oid = f"syn-{i + 1:07d}"
        first = caps[i].split(";", 1)[0]
        forms = _FORMS[org_type[i]]
        name_en = (
            f"{_PLACES[place[i]]} {_STEMS[first]} {i + 1:07d} {forms[form_pick[i] % len(forms)]}"
        )
        name_ja = ""
        if country[i] == "JP":
            name_ja = f"{_PLACES_JA[place_ja[i]]}{_STEMS_JA[stem_ja[i]]}{_FORMS_JA[org_type[i]]}"
        rows.append(
            {
                "id": oid,
                "name_en": name_en,
                "name_ja": name_ja,
                "country": str(country[i]),
                "prefecture_or_city": "",
                "org_type": str(org_type[i]),
                "membership": str(membership[i]),
                "membership_class": "founder" if founder[i] else "",
                "website": f"https://{oid}.example/" if has_site[i] else "",
                "capabilities": caps[i],
                "description_en": f"Synthetic {org_type[i]} working on {first.replace('_', ' ')}.",
                "source_urls": f"https://news{i % 97}.example/{oid}",
                "evidence": "synthetic benchmark record",
                "source_date": f"{year[i]}-{month[i]:02d}" if dated[i] else "",
                "confidence": str(confidence[i]),
                "rosters": "synthetic",
                **_facets(profile, str(org_type[i]), float(facet_pick[i]), str(country[i])),
            }
        )
    return rows


def _facets(profile: Profile, org_type: str, u: float, country: str) -> dict[str, str]:
    """Roles, offers, needs and remit of a curated organisation of the same type (chosen by ``u``),
    with a fictional Japanese description."""
    pool = (
        profile.facets_by_type.get(org_type)
        or profile.facets_by_type.get("company")
        or [("", "", "", "")]
    )
    roles, offers, needs, remit = pool[min(int(u * len(pool)), len(pool) - 1)]
    return {
        "roles": roles,
        "offers": offers,
        "needs": needs,
        "aliases": "",
        "description_ja": f"ベンチマーク用の架空の組織（{country}）。",
        "facet_basis": "synthetic: resampled",
        "remit": remit,
        "successor": "",
    }


def synthetic_links(
    rows: Sequence[dict[str, str]], seed: int = 0, *, data_dir: Path = DATA
) -> list[Link]:
    """Documented-collaboration rows for synthetic organisations, with the curated roster's
    links per organisation, relation mix and share of Japan–UK pairs.

    Returns:
        :class:`~fusion_partners.data.links.Link` objects (no self-links, no repeated pair and relation).
    """
    profile = measure_profile(data_dir)
    rng = np.random.default_rng(seed + 1)
    n = int(round(len(rows) * profile.links_per_org))
    if n == 0 or len(rows) < 2:
        return []
    countries = np.array([r["country"] for r in rows], dtype=object)
    jp, gb = np.flatnonzero(countries == "JP"), np.flatnonzero(countries == "GB")
    relation = _draw(rng, profile.relations or {"joint_research": 1}, n)
    cross = rng.random(n) < profile.jpuk_link_share
    a = rng.integers(0, len(rows), n)
    same = {c: np.flatnonzero(countries == c) for c in set(countries)}
    b = np.array(
        [same[countries[x]][rng.integers(0, len(same[countries[x]]))] for x in a]
    )  # domestic
    if len(jp) and len(gb):
        a = np.where(cross, jp[rng.integers(0, len(jp), n)], a)
        b = np.where(cross, gb[rng.integers(0, len(gb), n)], b)
    seen: set[tuple[int, int, str]] = set()
    out: list[Link] = []
    for i in range(n):
        x, y = int(min(a[i], b[i])), int(max(a[i], b[i]))
        if x == y or (x, y, relation[i]) in seen:
            continue
        seen.add((x, y, relation[i]))
        out.append(
            Link(
                rows[x]["id"],
                rows[y]["id"],
                str(relation[i]),
                2024,
                "synthetic link",
                (f"https://links.example/{i}",),
                i + 2,
            )
        )
    return out


def write_roster(rows: Sequence[dict[str, str]], path: Path) -> None:
    """Write rows as a UTF-8 ``organisations.csv`` (for inspecting or importing a roster)."""
    from fusion_partners.data.roster import ORGANISATION_COLUMNS

    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(ORGANISATION_COLUMNS), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def synthetic_database(n: int, db_path: Path, seed: int = 0, *, data_dir: Path = DATA) -> Curated:
    """Build a DuckDB database of ``n`` synthetic organisations through ``build.write_database``.

    The taxonomy, schema and partner map (``supply_map.csv``) come from ``data_dir``; rows
    are not re-validated (they are generated valid; ``tests/db/test_synthetic.py`` checks a
    sample with the roster validator). Measured on the 2-core benchmark machine: 100k rows
    in about half a minute, 1M in a few minutes.

    Returns:
        The :class:`~fusion_partners.data.load.Curated` data that was written.
    """
    from fusion_partners.data.load import load_curated

    real = load_curated(data_dir)
    rows = synthetic_organisations(n, seed, data_dir=data_dir)
    curated = Curated(
        rows,
        real.taxonomy,
        [],
        rules=real.rules,
        leaves=real.leaves,
        links=synthetic_links(rows, seed, data_dir=data_dir),
    )
    write_database(curated, (data_dir / SCHEMA_FILE).read_text(encoding="utf-8"), db_path)
    return curated
