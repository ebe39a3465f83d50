"""Analysis behind the Insights charts: the capability gap rule, map grouping, link network.

Pure functions over the DataFrames of :mod:`fusion_partners.queries.insights`; no plotting
(the figures are in :mod:`fusion_partners.insights.heatmap` and the other chart modules)
and no Streamlit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fusion_partners.data.places import DRAWN
from fusion_partners.i18n.labels import Taxonomy

FOCUS: tuple[str, str] = ("JP", "GB")

GAP_MIN_ORGS = 3
"""A side is *strong* in a capability only with at least this many organisations holding it."""
GAP_RATIO = 2.0
"""... and a share of its organisations at least this many times the other side's share."""


def capability_gaps(
    counts: pd.DataFrame, totals: dict[str, int], taxonomy: Taxonomy
) -> pd.DataFrame:
    """Per capability: organisations and shares in Japan and the UK, and the gap mark.

    Gap rule (documented in docs/insights.md and drawn into the chart): a capability is marked
    ``JP`` (Japan could supply the UK) when at least :data:`GAP_MIN_ORGS` Japanese
    organisations hold it **and** the share of Japanese organisations holding it is at least
    :data:`GAP_RATIO` times the UK share (a UK share of 0 always qualifies); ``GB`` the other
    way round; otherwise ``""``. Shares, not counts, are compared because the two rosters
    differ in size (190 UK, 120 Japanese organisations in the shipped data). An empty cell
    means "no organisation recorded", not "cannot be done" (see the coverage chart).

    Args:
        counts: ``slug``, ``country``, ``n`` rows (distinct organisations) for JP and GB.
        totals: organisations per country in the same filtered set.
        taxonomy: gives the row order (taxonomy order), groups and labels.

    Returns:
        One row per taxonomy capability: ``slug``, ``group`` (English group key),
        ``jp_n``, ``gb_n`` (int), ``jp_share``, ``gb_share`` (0–1 floats; 0 when the side has
        no organisations), ``gap`` (``"JP"``, ``"GB"`` or ``""``).
    """
    n = {(r.slug, r.country): int(r.n) for r in counts.itertuples(index=False)}
    jp_total, gb_total = totals.get("JP", 0), totals.get("GB", 0)
    rows = []
    for group_key, _, slugs in taxonomy.groups("en"):
        for slug in slugs:
            jp, gb = n.get((slug, "JP"), 0), n.get((slug, "GB"), 0)
            jp_share = jp / jp_total if jp_total else 0.0
            gb_share = gb / gb_total if gb_total else 0.0
            rows.append(
                {
                    "slug": slug,
                    "group": group_key,
                    "jp_n": jp,
                    "gb_n": gb,
                    "jp_share": jp_share,
                    "gb_share": gb_share,
                    "gap": gap_side(jp, gb, jp_share, gb_share, jp_total, gb_total),
                }
            )
    return pd.DataFrame(
        rows, columns=["slug", "group", "jp_n", "gb_n", "jp_share", "gb_share", "gap"]
    )


def gap_side(
    jp: int, gb: int, jp_share: float, gb_share: float, jp_total: int, gb_total: int
) -> str:
    """The side that is strong where the other is thin (see :func:`capability_gaps`), or ``""``.

    Both countries must have organisations in the set: with one side absent there is no
    comparison to make.
    """
    if not jp_total or not gb_total:
        return ""
    if jp >= GAP_MIN_ORGS and jp_share >= GAP_RATIO * gb_share:
        return "JP"
    if gb >= GAP_MIN_ORGS and gb_share >= GAP_RATIO * jp_share:
        return "GB"
    return ""


@dataclass(frozen=True)
class PlaceSummary:
    """What the map can and cannot draw, counted honestly.

    Attributes:
        total: organisations in the filtered set.
        drawn: organisations drawn on the Japan and UK panels.
        no_place: organisations with no recorded place.
        region_only: organisations whose place names only a region (not drawn).
        not_reviewed: organisations whose place is not yet in ``places.csv`` (not drawn).
        elsewhere: organisations placed outside Japan and the UK (not drawn).
    """

    total: int
    drawn: int
    no_place: int
    region_only: int
    not_reviewed: int
    elsewhere: int


def place_status(df: pd.DataFrame) -> pd.Series:
    """Per row of :func:`queries.insights.organisation_places`: ``no_place`` (no place, or only
    spaces), ``not_reviewed`` (no precision: the place is not in ``places.csv``),
    ``region_only`` (a precision not in :data:`places.DRAWN`), else ``drawn`` for Japan and
    the UK and ``elsewhere`` for other countries. Vectorised (a roster of 100,000 takes
    milliseconds); same index as ``df``."""
    if df.empty:
        return pd.Series([], dtype=object)
    place = df["place"].astype("string")
    precision = df["precision"].astype("string")
    no_place = (place.isna() | (place.str.strip() == "")).fillna(True).to_numpy(bool)
    not_reviewed = precision.isna().to_numpy(bool)
    region_only = (~precision.isin(list(DRAWN))).fillna(True).to_numpy(bool)
    focus = df["country"].isin(list(FOCUS)).to_numpy(bool)
    status = np.select(
        [no_place, not_reviewed, region_only, focus],
        ["no_place", "not_reviewed", "region_only", "drawn"],
        "elsewhere",
    )
    return pd.Series(status, index=df.index, dtype=object)


def summarise_places(df: pd.DataFrame) -> PlaceSummary:
    """Counts of :class:`PlaceSummary` for the rows of ``organisation_places``."""
    status = place_status(df).value_counts()
    return PlaceSummary(
        total=len(df),
        drawn=int(status.get("drawn", 0)),
        no_place=int(status.get("no_place", 0)),
        region_only=int(status.get("region_only", 0)),
        not_reviewed=int(status.get("not_reviewed", 0)),
        elsewhere=int(status.get("elsewhere", 0)),
    )


def map_points(df: pd.DataFrame) -> pd.DataFrame:
    """Drawn organisations grouped by point (one marker per town).

    Returns:
        Columns ``country``, ``latitude``, ``longitude``, ``town`` (gazetteer name), ``n``,
        ``ids`` (list, by name), ordered by ``n`` descending then town.
    """
    cols = ["country", "latitude", "longitude", "town", "n", "ids"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    drawn = df[place_status(df) == "drawn"]
    if drawn.empty:
        return pd.DataFrame(columns=cols)
    grouped = (
        drawn.assign(town=drawn["gazetteer_name"].fillna(""))
        .groupby(["country", "latitude", "longitude", "town"], as_index=False)
        .agg(n=("id", "size"), ids=("id", list))
    )
    return grouped.sort_values(["n", "town"], ascending=[False, True]).reset_index(drop=True)[cols]


@dataclass(frozen=True)
class LinkScope:
    """Which organisations a bounded candidate-link query paired
    (:func:`partners.links_sql.candidate_link_scope`).

    Attributes:
        ends: per country (JP, GB), organisations matching the filters that can have a link.
        paired: per country, how many of them were paired (those with the highest possible
            link score).
        best_left_out: the highest possible link score of an organisation left out, ``None``
            when none was.
    """

    ends: tuple[tuple[str, int], ...]
    paired: tuple[tuple[str, int], ...]
    best_left_out: float | None

    @classmethod
    def from_query(cls, scope: dict[str, tuple[int, int, float | None]]) -> LinkScope:
        """From ``{country: (ends, paired, best_left_out)}``."""
        bests = [b for _, _, b in scope.values() if b is not None]
        return cls(
            tuple((c, v[0]) for c, v in sorted(scope.items())),
            tuple((c, v[1]) for c, v in sorted(scope.items())),
            max(bests) if bests else None,
        )

    @property
    def complete(self) -> bool:
        """Whether every organisation that can have a link was paired."""
        return self.best_left_out is None and self.ends == self.paired

    def exact(self, scores: pd.Series) -> bool:
        """Whether links with these ``scores`` are certainly the strongest of the whole roster
        and scored in full: each scores above ``best_left_out``."""
        return self.best_left_out is None or (
            len(scores) > 0 and float(scores.min()) > self.best_left_out
        )


@dataclass(frozen=True)
class LinkNetwork:
    """The candidate-link network as drawn.

    Attributes:
        edges: the links shown (``source_id``, ``target_id``, ``score``, ``capabilities``).
        nodes: ``id``, ``country``, ``x``, ``y``, ``links`` (links shown), ``betweenness``
            (0–1), ``bridge`` (bool), plus the name columns passed in.
        total_links: candidate links before the cap.
        kind: the partner-finder kind the links come from (``""`` when unknown).
        scope: which organisations were paired, when the query was bounded (``None``: all).
        exact: whether the links shown are certainly the strongest (always with ``scope``
            ``None`` or complete).
    """

    edges: pd.DataFrame
    nodes: pd.DataFrame
    total_links: int
    kind: str = ""
    scope: LinkScope | None = None
    exact: bool = True

    @property
    def sampled(self) -> bool:
        """Whether some organisations that could have links were not paired."""
        return self.scope is not None and not self.scope.complete


MAX_LINKS = 60
"""Links drawn in the network (the strongest); more would be unreadable on a slide."""
MAX_BRIDGES = 6
LAYOUT_SEED = 7


def link_network(
    links: pd.DataFrame,
    nodes: pd.DataFrame,
    max_links: int = MAX_LINKS,
    seed: int = LAYOUT_SEED,
    kind: str = "",
    scope: LinkScope | None = None,
) -> LinkNetwork:
    """Build, lay out and measure the network of the ``max_links`` strongest links.

    Layout: :func:`packed_layout` (NetworkX ``spring_layout``, Fruchterman–Reingold, per
    connected group, fixed ``seed``), so the same data always gives the same picture. Bridges: the
    organisations with the highest betweenness centrality (Brandes 2001, NetworkX
    ``betweenness_centrality``, normalised), at most :data:`MAX_BRIDGES`, only those above 0.

    Args:
        links: output of :func:`partners.links_sql.candidate_links` (``source_id``,
            ``target_id``, ``score``, ``capabilities``, optional ``kind``), highest score first.
        nodes: ``id``, ``country`` and name columns of the organisations (at least those of
            the links; others are ignored).
        kind: the partner-finder kind of the links (else read from their ``kind`` column).
        scope: which organisations the links were sought among (bounded queries).

    Returns:
        A :class:`LinkNetwork` (empty frames when there are no links).
    """
    import networkx as nx

    if not kind and "kind" in links.columns and len(links):
        kind = str(links["kind"].iloc[0])
    edges = links.sort_values(["score", "source_id", "target_id"], ascending=[False, True, True])
    edges = edges.head(max_links).reset_index(drop=True)
    node_cols = [*nodes.columns, "x", "y", "links", "betweenness", "bridge"]
    exact = scope is None or scope.exact(edges["score"])
    if edges.empty:
        return LinkNetwork(edges, pd.DataFrame(columns=node_cols), len(links), kind, scope, exact)
    graph = nx.Graph()
    for e in edges.itertuples(index=False):
        graph.add_edge(
            e.source_id, e.target_id, score=float(e.score), distance=1.0 / max(float(e.score), 1e-9)
        )
    pos = packed_layout(graph, seed)
    between = nx.betweenness_centrality(graph, normalized=True, weight="distance")
    info = nodes.set_index("id")
    ids = sorted(graph.nodes)
    out = pd.DataFrame({"id": ids})
    for col in nodes.columns:
        if col != "id":
            out[col] = [info[col].get(i) if i in info.index else None for i in ids]
    out["x"] = [float(pos[i][0]) for i in ids]
    out["y"] = [float(pos[i][1]) for i in ids]
    out["links"] = [int(graph.degree(i)) for i in ids]
    out["betweenness"] = [float(between[i]) for i in ids]
    ranked = out[out["betweenness"] > 0].sort_values(
        ["betweenness", "links", "id"], ascending=[False, False, True]
    )
    bridges = set(ranked.head(MAX_BRIDGES)["id"])
    out["bridge"] = out["id"].isin(bridges)
    return LinkNetwork(edges, out, len(links), kind, scope, exact)


def packed_layout(graph, seed: int = LAYOUT_SEED) -> dict[str, tuple[float, float]]:
    """Positions for ``graph`` (a NetworkX graph): each connected group laid out on its own
    with ``spring_layout`` (fixed ``seed``, link ``score`` as weight, size ∝ √nodes), then the
    groups packed in rows, largest first, so separate groups do not drift to the edges.
    """
    import networkx as nx

    comps = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    laid: list[dict[str, tuple[float, float]]] = []
    for comp in comps:
        sub = graph.subgraph(comp)
        if len(comp) == 1:
            laid.append({next(iter(comp)): (0.0, 0.0)})
            continue
        pos = nx.spring_layout(
            sub, seed=seed, weight="score", scale=math.sqrt(len(comp)), center=(0, 0)
        )
        laid.append({k: (float(v[0]), float(v[1])) for k, v in pos.items()})
    width_limit = max(2.6 * math.sqrt(len(comps[0])) * 2, 6.0) if comps else 6.0
    out: dict[str, tuple[float, float]] = {}
    x_cursor, y_cursor, row_height, pad = 0.0, 0.0, 0.0, 0.8
    for pos in laid:
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        w, h = max(xs) - min(xs) + pad, max(ys) - min(ys) + pad
        if x_cursor > 0 and x_cursor + w > width_limit:
            x_cursor, y_cursor, row_height = 0.0, y_cursor - row_height, 0.0
        for node, (x, y) in pos.items():
            out[node] = (x - min(xs) + x_cursor, y - max(ys) + y_cursor)
        x_cursor += w
        row_height = max(row_height, h)
    return out
