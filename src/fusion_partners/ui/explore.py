"""Widgets of the Explore page: summary bar, table, empty state, downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

import pandas as pd
import streamlit as st

from fusion_partners import queries
from fusion_partners.explore.describe import describe_filters, filters_slug
from fusion_partners.explore.export import (
    about_rows,
    export_filename,
    long_cells,
    to_csv_bytes,
    to_xlsx_bytes,
)
from fusion_partners.explore.filters import DIMENSION_FIELDS, DIMENSIONS, Filters
from fusion_partners.explore.tables import column_order, export_frame, headers
from fusion_partners.i18n import format_number, t, t_md, tn
from fusion_partners.i18n.labels import Taxonomy
from fusion_partners.i18n.markup import escape_markdown as _escape
from fusion_partners.queries import organisation_batches
from fusion_partners.queries.search import matched_leaves, search_vocabulary
from fusion_partners.search.spelling import suggest
from fusion_partners.ui import filters as ui_filters
from fusion_partners.ui.data import connection, formatted_page, q

MAX_ROWS = 5000
"""Rows drawn in the table; more matches ask the user to narrow down. Downloads hold every
matching row, whatever their number (:func:`downloads`)."""
MATCHED_LEAVES_SHOWN = 5
"""Offer/need labels named in the note under the count; more are counted."""


def summary_bar(
    filters: Filters,
    matched: int,
    total: int,
    phrases: Sequence[str],
    taxonomy: Taxonomy,
    lang: str,
) -> None:
    """ "N of M organisations", the active filters in words, and one reset control."""
    # the button takes the width of its label (in Japanese too), the text the rest
    bar = st.container(horizontal=True, vertical_alignment="center", gap="medium")
    with bar.container(width="stretch"):
        st.markdown(
            t(
                "explore.count",
                lang,
                n=format_number(matched, lang),
                total=format_number(total, lang),
            )
        )
        if phrases:
            badge = t("explore.active_filters", lang, n=filters.active_count)
            st.markdown(f":blue-badge[{badge}] " + " · ".join(_escape(p) for p in phrases))
        else:
            st.caption(t("explore.no_filters", lang))
    bar.button(
        t("explore.reset", lang),
        icon=":material/filter_alt_off:",
        on_click=ui_filters.reset_filters,
        args=(taxonomy,),
        disabled=not phrases,
        key="reset_filters",
        width="content",
    )


def matched_labels_note(filters: Filters, taxonomy: Taxonomy, lang: str) -> str | None:
    """The note saying which offer/need labels (capability leaves) the search matched, so a
    row found through one is explained (``cryoplant`` → *Cryoplants, helium refrigeration and
    compressors*); at most :data:`MATCHED_LEAVES_SHOWN` labels, the rest counted. ``None``
    when there is no search or it matched no such label."""
    if not filters.query:
        return None
    slugs = q(matched_leaves, filters.query)
    if not slugs:
        return None
    opening, closing, sep = ("「", "」", "、") if lang == "ja" else ("“", "”", " · ")
    labels = sep.join(
        f"{opening}{taxonomy.label(s, lang)}{closing}" for s in slugs[:MATCHED_LEAVES_SHOWN]
    )
    if len(slugs) > MATCHED_LEAVES_SHOWN:
        labels = t(
            "search.matched_leaves_more", lang, labels=labels, n=len(slugs) - MATCHED_LEAVES_SHOWN
        )
    return t("search.matched_leaves", lang, labels=_escape(labels))


def did_you_mean(filters: Filters, lang: str) -> None:
    """For a search that finds nothing: "Did you mean" and up to five similar names, aliases
    or capability labels (:func:`spelling.suggest`) that find something with the other
    filters, as buttons; a click makes the suggestion the search. Draws nothing when there
    is no search or no suggestion."""
    if not filters.query:
        return
    options = suggest(
        filters.query,
        q(search_vocabulary),
        lambda text: q(queries.count, replace(filters, query=text)),
    )
    if not options:
        return
    with st.container(horizontal=True, vertical_alignment="center", key="did_you_mean"):
        st.markdown(t("search.did_you_mean", lang))
        for i, text in enumerate(options):
            st.button(
                _escape(text),
                key=f"did_you_mean_{i}",
                on_click=ui_filters.apply_search,
                args=(text,),
                help=t("search.suggestion_help", lang, text=text),
                icon=":material/search:",
            )


def empty_state(filters: Filters, taxonomy: Taxonomy, lang: str) -> None:
    """Explain an empty result: similar searches (:func:`did_you_mean`) and which single
    change would bring rows back."""
    st.info(t("explore.empty", lang), icon=":material/search_off:")
    did_you_mean(filters, lang)
    suggestions = []
    dims = [d for d in (*DIMENSIONS, "query") if filters.without(d) != filters]
    for dim in dims:
        relaxed = filters.without(dim)
        n = q(queries.count, relaxed)
        if n:
            removed = describe_filters(Filters(**{**_only(filters, dim)}), taxonomy, lang)
            suggestions.append(
                t_md("explore.relax", lang, what=" · ".join(removed), n=format_number(n, lang))
            )
    if filters.capability_mode == "all" and len(filters.capabilities) > 1:
        n = q(queries.count, Filters(**{**filters.__dict__, "capability_mode": "any"}))
        if n:
            suggestions.append(t("explore.relax_mode", lang, n=format_number(n, lang)))
    for line in suggestions:
        st.markdown(f"- {line}")
    if not suggestions:
        st.markdown(t("explore.relax_none", lang))


def _only(filters: Filters, dim: str) -> dict:
    """Keyword arguments for a Filters holding only ``dim`` of ``filters``."""
    attr = DIMENSION_FIELDS[dim]
    kwargs = {attr: getattr(filters, attr)}
    mode = {"capability": "capability_mode", "offer": "offer_mode", "need": "need_mode"}.get(dim)
    if mode:
        kwargs[mode] = getattr(filters, mode)
    return kwargs


def table(rows: pd.DataFrame, taxonomy: Taxonomy, lang: str) -> None:
    """The organisations table; choosing a row opens its profile."""
    shown = formatted_page(rows, taxonomy, lang)  # formatted once per result, not per rerun
    head = headers(lang)
    config = {
        "id": None,
        # not pinned: Streamlit draws pinned columns in the pale index style
        "name": st.column_config.TextColumn(head["name"], width="medium"),
        "name_en": st.column_config.TextColumn(head["name_en"], width="medium"),
        "name_ja": st.column_config.TextColumn(head["name_ja"], width="medium"),
        "country": st.column_config.TextColumn(head["country"], width=135),  # "United Kingdom"
        "place": st.column_config.TextColumn(head["place"], width="small"),
        "org_type": st.column_config.TextColumn(head["org_type"], width="small"),
        "membership": st.column_config.TextColumn(head["membership"], width="small"),
        "capabilities": st.column_config.ListColumn(head["capabilities"], width="large"),
        "website": st.column_config.LinkColumn(
            head["website"], display_text=r"https?://(?:www\.)?([^/]+).*", width="small"
        ),
        "confidence": st.column_config.TextColumn(head["confidence"], width="small"),
        "source_date": st.column_config.TextColumn(head["source_date"], width="small"),
        "profile": st.column_config.LinkColumn(
            head["profile"], display_text=t("explore.open_profile", lang), width=100
        ),
    }
    event = st.dataframe(
        shown,
        column_config=config,
        column_order=column_order(lang),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="org_table",
        width="stretch",
        height=min(36 * (len(shown) + 1) + 4, 640),
    )
    st.caption(t("explore.table_hint", lang))
    selected = event.selection.rows if event and event.selection else []
    if selected:
        org_id = shown.iloc[selected[0]]["id"]
        st.switch_page("pages/profile.py", query_params={"org": org_id, "lang": lang})


def export_about(
    filters: Filters, n_rows: int, meta: Mapping[str, str], taxonomy: Taxonomy, lang: str
) -> list[tuple[str, object]]:
    """Rows of the XLSX "About" sheet: filters, row count (a number), data date and export
    time (both ISO 8601, as in the data), source note."""
    phrases = describe_filters(
        filters, taxonomy, lang, query_limit=None
    )  # the record keeps the whole search
    filters_row = (
        t("export.about.filters", lang),
        t("export.about.filters_sep", lang).join(phrases)
        if phrases
        else t("explore.no_filters", lang),
    )
    return about_rows(t("app.title", lang), n_rows, meta.get("data_as_of", ""), lang, [filters_row])


def export_batches(
    rows: pd.DataFrame, filters: Filters, matched: int, taxonomy: Taxonomy, lang: str
):
    """The export table in batches: ``rows`` when they are every match, else every matching
    organisation read from the database batch by batch (:func:`queries.organisation_batches`),
    so the memory an export needs does not grow with the roster."""
    if matched <= len(rows):
        yield export_frame(rows, taxonomy, lang)
        return
    for batch in organisation_batches(connection(), filters, lang):
        yield export_frame(batch, taxonomy, lang)


def downloads(
    rows: pd.DataFrame,
    filters: Filters,
    taxonomy: Taxonomy,
    meta: Mapping[str, str],
    matched: int,
    lang: str,
) -> None:
    """CSV (UTF-8 with BOM) and XLSX of every matching row — the rows in the table, or all
    ``matched`` rows when the table shows only the first :data:`MAX_ROWS`, read in batches
    when a button is pressed. No rerun on click. A cell over Excel's limit is cut in the
    XLSX with a marker, and the page says so (judged on the rows shown; the XLSX's "About"
    sheet counts every cut cell); the CSV keeps the full text."""
    today = dt.date.today().isoformat()
    name = export_filename("fusion-organisations", filters_slug(filters), today, "csv")
    total = max(matched, len(rows))

    def csv_bytes() -> bytes:
        return to_csv_bytes(export_batches(rows, filters, matched, taxonomy, lang))

    def xlsx_bytes() -> bytes:
        return to_xlsx_bytes(
            export_batches(rows, filters, matched, taxonomy, lang),
            export_about(filters, total, meta, taxonomy, lang),
            data_sheet=t("export.sheet.data", lang),
            about_sheet=t("export.sheet.about", lang),
            lang=lang,
        )

    row = st.container(horizontal=True, gap="small")  # buttons as wide as their labels
    row.download_button(
        t("export.csv", lang),
        data=csv_bytes,
        file_name=name,
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="dl_csv",
        width="content",
    )
    row.download_button(
        t("export.xlsx", lang),
        data=xlsx_bytes,
        file_name=name[:-4] + ".xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/table_view:",
        key="dl_xlsx",
        width="content",
    )
    st.caption(
        t("export.hint", lang, n=format_number(len(rows), lang))
        if total <= len(rows)
        else t("export.all_rows", lang, n=format_number(total, lang))
    )
    cut = long_cells(export_frame(rows, taxonomy, lang))
    if cut:
        st.info(
            tn("export.cut_note", cut, lang, n=format_number(cut, lang)),
            icon=":material/content_cut:",
        )
