"""The network chart's words: the numbered key of its organisations, the table of links,
the finding and the note on how many links are shown. Pure functions."""

from __future__ import annotations

import pandas as pd

from fusion_partners.data.links import RELATIONS
from fusion_partners.i18n import t
from fusion_partners.i18n.countries import country_name
from fusion_partners.i18n.labels import Taxonomy, display_name, vocab_label
from fusion_partners.insights.analysis import LinkNetwork
from fusion_partners.insights.style import country_colour
from fusion_partners.insights.typeset import item, list_text, number, sentences
from fusion_partners.partners.query import display_score


def network_key(net: LinkNetwork, lang: str) -> tuple[tuple[str, str, str], ...]:
    """``(number, name, colour)`` of every organisation in ``net``, numbered most links first
    (then bridging, then id), as the static network labels them."""
    order = net.nodes.sort_values(["links", "betweenness", "id"], ascending=[False, False, True])
    return tuple(
        (str(i), node_name(r, lang), country_colour(r["country"]))
        for i, (_, r) in enumerate(order.iterrows(), start=1)
    )


def node_name(row, lang: str) -> str:
    return display_name(row["name_en"], row["name_ja"], lang) or str(row.name)


def short(text: str, limit: int = 28) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def link_labels(slugs: list[str], taxonomy: Taxonomy, lang: str) -> list[str]:
    """Labels of what lies behind a link: capabilities, or the relations of documented links."""
    return [
        vocab_label("relation", s, lang) if s in RELATIONS else taxonomy.label(s, lang)
        for s in slugs
    ]


def network_table(net: LinkNetwork, taxonomy: Taxonomy, lang: str) -> pd.DataFrame:
    cols = [
        t("insights.col.jp_org", lang),
        t("insights.col.gb_org", lang),
        t("insights.col.score", lang),
        t("insights.col.shared", lang),
    ]
    if net.edges.empty:
        return pd.DataFrame(columns=cols)
    nodes = net.nodes.set_index("id")
    return pd.DataFrame(
        {
            cols[0]: [node_name(nodes.loc[i], lang) for i in net.edges["source_id"]],
            cols[1]: [node_name(nodes.loc[i], lang) for i in net.edges["target_id"]],
            cols[2]: [display_score(s) for s in net.edges["score"]],
            cols[3]: [
                list_text(link_labels(list(c), taxonomy, lang), lang)
                for c in net.edges["capabilities"]
            ],
        }
    )


def network_summary(net: LinkNetwork, taxonomy: Taxonomy, lang: str) -> str:
    nodes = net.nodes.set_index("id")
    best = net.edges.iloc[0]
    key = (
        "insights.net.summary_best_documented"
        if net.kind == "documented"
        else "insights.net.summary_best"
    )
    strongest = t(
        key,
        lang,
        a=node_name(nodes.loc[best["source_id"]], lang),
        b=node_name(nodes.loc[best["target_id"]], lang),
        caps=list_text(link_labels(list(best["capabilities"]), taxonomy, lang), lang),
    )
    bridges = net.nodes[net.nodes["bridge"]].sort_values("betweenness", ascending=False)
    if bridges.empty:
        bridge_text = t("insights.net.summary_no_bridge", lang)
    else:
        items = [
            item(
                node_name(r, lang),
                t("insights.list_sep", lang).join(
                    [country_name(r["country"], lang), number(int(r["links"]), lang)]
                ),
                lang,
            )
            for _, r in bridges.iterrows()
        ]  # every ringed bridge (at most MAX_BRIDGES)
        bridge_text = t("insights.net.summary_bridges", lang, items=list_text(items, lang))
    return sentences([strongest, bridge_text, network_note(net, lang)], lang)


def network_note(net: LinkNetwork, lang: str) -> str:
    """ "Showing the N strongest of M candidate links for <kind> ..." (subtitle and summary)."""
    if net.kind == "documented":
        return t(
            "insights.net.documented_note",
            lang,
            shown=number(len(net.edges), lang),
            total=number(net.total_links, lang),
        )
    note = t(
        "insights.net.cap_note",
        lang,
        shown=number(len(net.edges), lang),
        total=number(net.total_links, lang),
        kind=t(f"partners.kind.{net.kind or 'supply_chain'}", lang),
    )
    if (
        net.sampled and net.scope is not None
    ):  # a bounded query on a large roster says whom it paired
        ends, paired = dict(net.scope.ends), dict(net.scope.paired)
        key = "insights.net.bounded_exact" if net.exact else "insights.net.bounded_partial"
        note = sentences(
            [
                note,
                t(
                    key,
                    lang,
                    jp=number(paired.get("JP", 0), lang),
                    gb=number(paired.get("GB", 0), lang),
                    jp_total=number(ends.get("JP", 0), lang),
                    gb_total=number(ends.get("GB", 0), lang),
                ),
            ],
            lang,
        )
    return note
