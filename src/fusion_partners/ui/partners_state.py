"""State of the Partner finder page: widget keys, the query read from the URL or the
session, the URL written back, and the notices about link values.

Every input is a widget keyed ``pf_*``. The URL is the shareable state: when the page opens
with parameters it did not write itself (a shared link, the profile page's "Find partners"
link), the widgets are seeded from it; when it opens with none, the last query of the session
is restored. The parameters are read and written by the pure module
:mod:`fusion_partners.partners.url`; this module only moves them in and out of Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

import pandas as pd
import streamlit as st

from fusion_partners.i18n import t_md
from fusion_partners.i18n.labels import list_field
from fusion_partners.partners.query import (
    DEFAULT_WEIGHTS,
    WEIGHT_LIMITS,
    PartnerFilters,
    PartnerQuery,
    Weights,
    fitting_kind,
)
from fusion_partners.partners.url import (
    URL_PARAMS,
    ParsedQuery,
    from_params,
    link_notices,
    to_params,
)
from fusion_partners.queries import profile as profile_queries
from fusion_partners.ui.common import rejected_notice, sync_url
from fusion_partners.ui.data import q

W_MODE, W_FIND, W_ORG, W_NEEDS, W_KIND = "pf_mode", "pf_find", "pf_org", "pf_needs", "pf_kind"
W_COUNTRY, W_TYPE, W_MEMBER, W_CONF = "pf_country", "pf_type", "pf_membership", "pf_min_conf"
W_KNOWN = "pf_known"
W_WEIGHT = "pf_w_"
PAIR, SHORTLIST, URL_SEEN, LAST, NOTICE = (
    "pf_with",
    "pf_shortlist",
    "pf_url",
    "pf_query",
    "pf_notices",
)
WEIGHT_FIXED = "pf_weights_fixed"  # {weight: (value typed, value used)} of this run
KIND_CHOSEN = "pf_kind_chosen"  # {organisation id: kind the user chose for it}
KIND_CHANGED = "pf_kind_changed"  # (start, before, after, why, cannot) a new start changed
NEEDS_FROM_TEXT = "pf_needs_from_text"  # (words typed, capabilities they named): see inputs
KIND_PICKED = "pf_kind_picked"  # the user picked a kind: a new start keeps it if it can
MODES = ("organisation", "capabilities")


def _url_now() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in URL_PARAMS if st.query_params.get_all(k)}


def _as_lists(params: Mapping[str, list[str] | str]) -> dict[str, list[str]]:
    return {k: [v] if isinstance(v, str) else list(v) for k, v in params.items() if v}


def _seed(query: PartnerQuery, pair_with: str) -> None:
    ss = st.session_state
    ss[W_MODE] = "capabilities" if query.mode == "capabilities" else "organisation"
    ss[W_ORG] = query.start or ss.get(W_ORG)
    ss[W_NEEDS] = list(query.needs)
    ss[W_KIND] = query.kind
    ss[W_COUNTRY] = list(query.filters.countries)
    ss[W_TYPE] = list(query.filters.org_types)
    ss[W_MEMBER] = list(query.filters.memberships)
    ss[W_CONF] = query.filters.min_confidence
    ss[W_KNOWN] = query.known
    for f in fields(Weights):
        ss[W_WEIGHT + f.name] = float(getattr(query.weights, f.name))
    ss[PAIR] = pair_with
    ss[W_FIND] = ""


def current_query(index: pd.DataFrame, options: Mapping[str, list[str]]) -> PartnerQuery:
    """The query of this run: seeded from the URL or the session, then read from the widgets.

    Values in a link that are not in the data are dropped and remembered for
    :func:`notices`. A link naming an organisation but no kind opens the kind that suits it
    (:func:`fusion_partners.partners.query.fitting_kind`).
    """
    ss = st.session_state
    url = _url_now()
    if url and url != ss.get(URL_SEEN):
        valid = {
            "org": set(index["id"]),
            "capability": options.get("capability", []),
            "country": options.get("country", []),
            "org_type": options.get("org_type", []),
            "membership": options.get("membership", []),
        }
        parsed = from_params(url, valid)
        query = parsed.query
        if query.start and "kind" not in url:
            org = q(profile_queries.organisation, query.start)
            query = replace(
                query,
                kind=fitting_kind(
                    org["org_type"], list(org["capabilities"]), list_field(org, "roles")
                ),
            )
        if query.start and "kind" in url:
            ss.setdefault(KIND_CHOSEN, {})[query.start] = query.kind
        _seed(query, parsed.pair_with)
        ss[NOTICE] = (parsed, url)
    elif W_KIND not in ss:
        _seed(ss.get(LAST) or PartnerQuery(), "")
    # Streamlit drops a widget's state when a run ends before drawing it (an interrupted run
    # under load, a back navigation); a weight input drawn without its key would then start at
    # 0.0 and zero the score: keep the weights of the last query instead
    last_weights = (ss.get(LAST) or PartnerQuery()).weights
    for f in fields(Weights):
        if W_WEIGHT + f.name not in ss:
            ss[W_WEIGHT + f.name] = float(getattr(last_weights, f.name))
    ss[WEIGHT_FIXED] = _weights_in_range()
    mode = ss[W_MODE] if ss.get(W_MODE) in MODES else "organisation"
    weights = Weights(**{f.name: ss.get(W_WEIGHT + f.name, f.default) for f in fields(Weights)})
    query = PartnerQuery(
        start=(ss.get(W_ORG) or "") if mode == "organisation" else "",
        needs=tuple(ss.get(W_NEEDS) or ()) if mode == "capabilities" else (),
        kind=ss.get(W_KIND) or "supply_chain",
        filters=PartnerFilters(
            tuple(ss.get(W_COUNTRY) or ()),
            tuple(ss.get(W_TYPE) or ()),
            tuple(ss.get(W_MEMBER) or ()),
            ss.get(W_CONF) or "low",
        ),
        weights=weights,
        known=ss.get(W_KNOWN) or "mix",
    )
    previous = ss.get(LAST)
    ss[LAST] = query
    start_changed = previous is not None and previous.start != query.start
    if ss.get(PAIR) and (
        not query.start or ss[PAIR] == query.start or (start_changed and url == ss.get(URL_SEEN))
    ):
        ss[PAIR] = ""  # the pair view belongs to the start it was opened from
    return query


def _weights_in_range() -> dict[str, tuple[Any, float]]:
    """Bring each weight typed in the sidebar into its allowed range (the nearest end; the
    default for what is not a number), before the inputs are drawn, so they show the value
    used. Returns ``{weight: (value typed, value used)}`` for the weights changed, which the
    sidebar says under each input (the inputs have no bounds of their own: the browser
    would refuse such a value with a note in its own language, and keep the old one)."""
    ss = st.session_state
    fixed: dict[str, tuple[Any, float]] = {}
    for f in fields(Weights):
        key = W_WEIGHT + f.name
        if key not in ss:
            continue
        typed = ss[key]
        low, high = WEIGHT_LIMITS[f.name]
        try:
            number = float(typed)
        except (TypeError, ValueError):
            number = math.nan
        if math.isnan(number):
            used = float(getattr(DEFAULT_WEIGHTS, f.name))
        elif low <= number <= high:
            continue
        else:
            used = min(max(number, low), high)
        ss[key] = used
        fixed[f.name] = (typed, used)
    return fixed


def weights_fixed() -> dict[str, tuple[Any, float]]:
    """The weights of this run that were out of range: ``{weight: (typed, used)}``."""
    return dict(st.session_state.get(WEIGHT_FIXED) or {})


def write_url(query: PartnerQuery) -> None:
    """Make the URL reproduce ``query`` (and the pair view), remembering what was written."""
    params = to_params(query, st.session_state.get(PAIR, ""))
    st.session_state[URL_SEEN] = _as_lists(params)
    sync_url(params)


def notices(lang: str) -> list[str]:
    """Messages about link values that were not used as given — not in the data, a weight
    out of its range, or ignored — shown until the page rewrites the URL (the first
    interaction)."""
    parsed, url = st.session_state.get(NOTICE, (None, None))
    if parsed is None or url != _url_now():
        return []
    messages = [rejected_notice(parsed.rejected, lang)] if parsed.rejected else []
    return messages + link_notice_markdown(parsed, lang)


def link_notice_markdown(parsed: ParsedQuery, lang: str) -> list[str]:
    """The notices of a link (:func:`fusion_partners.partners.url.link_notices`) as Markdown:
    their values escaped, so a crafted link can neither draw Markdown nor fill the screen."""
    return [t_md(notice.key, lang, **notice.values) for notice in link_notices(parsed, lang)]


def ticked(event: Any, n_rows: int) -> list[int]:
    """Row positions ticked in a table event (positions outside the table are ignored)."""
    rows = event.selection.rows if event and event.selection else []
    return [i for i in rows if 0 <= i < n_rows]
