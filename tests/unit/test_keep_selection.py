"""Every keyed selectbox, multiselect or radio with labels of its own formats them through
``common.keep_selection``, so its selection survives the language switch (see
docs/japanese.md, "Switching language keeps every selection")."""

from __future__ import annotations

import ast
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SOURCES = [
    *(PROJECT / "src" / "fusion_partners" / "ui").glob("*.py"),
    *(PROJECT / "pages").glob("*.py"),
    PROJECT / "app.py",
]
LABELLED_BY_TEXT = {"selectbox", "multiselect", "radio"}
"""Widgets whose selection the browser keeps as label text (segmented controls and pills
resend changed labels themselves)."""


def _keyed_labelled_widgets() -> list[tuple[str, int, ast.Call]]:
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in LABELLED_BY_TEXT
            ):
                names = {k.arg for k in node.keywords}
                if {"key", "format_func"} <= names:
                    found.append((path.relative_to(PROJECT).as_posix(), node.lineno, node))
    return found


def test_keyed_widgets_with_labels_keep_their_selection_across_a_language_switch():
    widgets = _keyed_labelled_widgets()
    assert len(widgets) >= 15, widgets  # the scan finds them (partner finder, import, ...)
    unguarded = []
    for path, line, call in widgets:
        fmt = next(k.value for k in call.keywords if k.arg == "format_func")
        guarded = (
            isinstance(fmt, ast.Call)
            and isinstance(fmt.func, ast.Name | ast.Attribute)
            and (fmt.func.id if isinstance(fmt.func, ast.Name) else fmt.func.attr)
            == "keep_selection"
        )
        if not guarded:
            unguarded.append(f"{path}:{line}")
    assert not unguarded, f"format_func not through common.keep_selection: {unguarded}"


def _widgets_in_forms() -> list[tuple[str, int, ast.Call]]:
    """Every ``st.<widget>(...)`` call inside a ``with st.form(...)`` block."""
    found = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.With) or not any(
                isinstance(item.context_expr, ast.Call)
                and isinstance(item.context_expr.func, ast.Attribute)
                and item.context_expr.func.attr == "form"
                for item in node.items
            ):
                continue
            for inner in (n for stmt in node.body for n in ast.walk(stmt)):
                if (
                    isinstance(inner, ast.Call)
                    and isinstance(inner.func, ast.Attribute)
                    and inner.func.attr != "form_submit_button"
                    and inner.func.attr.endswith(("input", "area", *LABELLED_BY_TEXT))
                ):
                    found.append((path.relative_to(PROJECT).as_posix(), inner.lineno, inner))
    return found


def test_what_is_typed_in_a_form_survives_a_language_switch():
    # A widget without a key is identified by its label, so the language switch makes it a
    # new, empty widget, and the browser drops what was typed in it (docs/japanese.md).
    # A choice with labels waits in the form as label text that keep_selection cannot
    # relabel, so after a switch the form showed one choice and sent another: choices are
    # made outside the form.
    widgets = _widgets_in_forms()
    assert len(widgets) >= 15, widgets  # the scan finds them (corrections, introductions, ...)
    unkeyed = [f"{p}:{n}" for p, n, c in widgets if "key" not in {k.arg for k in c.keywords}]
    assert not unkeyed, f"form widgets without a key: {unkeyed}"
    choices = [f"{p}:{n}" for p, n, c in widgets if c.func.attr in LABELLED_BY_TEXT]
    assert not choices, f"choices with labels inside a form: {choices}"
