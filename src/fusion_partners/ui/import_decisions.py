"""Import page, decisions in the preview: possible duplicates (merge, add, skip, same row, take
the file's values) and the country of rows that give none, a page of selectors at a time.

At most :data:`DECISIONS_PER_PAGE` selectors are sent to the browser at once. Decisions are
kept for the session by :mod:`fusion_partners.ui.import_choices`, so those on other pages
survive.
"""

from __future__ import annotations

import streamlit as st

from fusion_partners.i18n import format_number, t, t_md
from fusion_partners.i18n.countries import country_label
from fusion_partners.i18n.labels import display_name
from fusion_partners.i18n.markup import echo
from fusion_partners.importing import service
from fusion_partners.importing.service import ImportFile, Plan
from fusion_partners.ui.common import keep_selection
from fusion_partners.ui.import_choices import countries, decisions, store_country, store_decision

DECISIONS_PER_PAGE = 20
"""Possible duplicates offered for a decision at once."""


def page_start(total: int, size: int, key: str, lang: str) -> int:
    """A page number input when ``total`` needs more than one page; returns the 0-based start."""
    pages = max(1, -(-total // size))
    if pages == 1:
        return 0
    page = st.number_input(
        t("import.preview.page", lang, pages=format_number(pages, lang)),
        min_value=1,
        max_value=pages,
        value=1,
        step=1,
        key=key,
    )
    return (int(page) - 1) * size


def decide(plan: Plan, file: ImportFile, lang: str) -> None:
    """One selector per possible duplicate (a page at a time); rows that follow an earlier
    row of the file are decided with it."""
    asked = [r for r in plan.rows if r.needs_decision or (r.conflicts and not r.follows)]
    if not asked:
        return
    st.markdown(f"**{t('import.decide.title', lang)}**")
    start = page_start(len(asked), DECISIONS_PER_PAGE, "imp_dec_page", lang)
    stored = decisions(file)
    prefix = f"imp_dec_{file.table.content_hash[:12]}_"
    for r in asked[start : start + DECISIONS_PER_PAGE]:
        if (
            r.conflicts
        ):  # merged automatically: keep the record's values (default) or take the file's
            options = ["", "replace", "skip"]
        else:
            options = [
                "",
                "skip",
                "add",
                *[f"merge:{cid}" for cid, _, _ in r.candidates],
                *[f"same:{line}" for line, _, _ in r.same_as],
            ]
        names = {f"merge:{cid}": (name, score) for cid, name, score in r.candidates}
        lines = {f"same:{line}": (line, name, score) for line, name, score in r.same_as}

        def label(v: str, names=names, lines=lines, keep=bool(r.conflicts)) -> str:
            if not v:
                return t("import.decide.keep" if keep else "import.decide.undecided", lang)
            if v in ("skip", "add", "replace"):
                return t(f"import.decide.{v}", lang)
            if v in lines:
                line, name, score = lines[v]
                return t(
                    "import.decide.same", lang, line=line, name=echo(name), score=f"{score:.0f}"
                )
            name, score = names[v]
            return t("import.decide.merge", lang, name=echo(name), score=f"{score:.0f}")

        current = stored.get(r.line, "")
        key = f"{prefix}{r.line}"
        st.selectbox(
            t_md(
                "import.decide.label",
                lang,
                line=r.line,
                name=echo(display_name(r.values["name_en"], r.values["name_ja"], lang)),
            ),
            options,
            index=options.index(current) if current in options else 0,
            format_func=keep_selection(key, label),
            key=key,
            on_change=store_decision,
            args=(file.table.content_hash, r.line, key),
        )
    if len(asked) > start + DECISIONS_PER_PAGE:
        st.caption(
            t(
                "import.decide.more",
                lang,
                n=format_number(len(asked) - start - DECISIONS_PER_PAGE, lang),
            )
        )


def choose_countries(plan: Plan, file: ImportFile, lang: str) -> None:
    """One country selector per row waiting for a country (a page at a time)."""
    waiting = [r for r in plan.rows if r.status == "country"]
    if not waiting:
        return
    st.markdown(f"**{t('import.decide.country_title', lang)}**")
    start = page_start(len(waiting), DECISIONS_PER_PAGE, "imp_country_page", lang)
    stored = countries(file)
    prefix = f"imp_ctry_{file.table.content_hash[:12]}_"
    options = ["", *service.country_choices()]
    for r in waiting[start : start + DECISIONS_PER_PAGE]:
        key = f"{prefix}{r.line}"
        current = stored.get(r.line, "")
        st.selectbox(
            t_md(
                "import.decide.label",
                lang,
                line=r.line,
                name=echo(display_name(r.values["name_en"], r.values["name_ja"], lang)),
            ),
            options,
            index=options.index(current) if current in options else 0,
            format_func=keep_selection(
                key,
                lambda c: (
                    t("import.decide.country", lang, country=country_label(c, lang))
                    if c
                    else t("import.decide.undecided", lang)
                ),
            ),
            key=key,
            on_change=store_country,
            args=(file.table.content_hash, r.line, key),
        )
    if len(waiting) > start + DECISIONS_PER_PAGE:
        st.caption(
            t(
                "import.decide.more",
                lang,
                n=format_number(len(waiting) - start - DECISIONS_PER_PAGE, lang),
            )
        )
