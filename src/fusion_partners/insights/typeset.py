"""Text in figures: CJK-aware line breaking and cutting to a width, and numbers, shares and
lists written as the interface language writes them.

Widths are counted in half-width columns: a CJK character counts two. Pure functions.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from fusion_partners.i18n import format_number, t


def wrap(text: str, width: int) -> str:
    """Break ``text`` into ``<br>``-separated lines of about ``width`` characters (CJK-aware)."""
    lines, line, size = [], "", 0
    for word in _tokens(text):
        w = sum(2 if ord(ch) > 0x2E80 else 1 for ch in word)
        if size + w > width and line.strip() and word not in NO_LINE_START:
            carry = ""
            while line and line[-1] in NO_LINE_END and line[:-1].strip():  # 「（ never ends a line
                carry, line = line[-1] + carry, line[:-1]
            lines.append(line.rstrip())
            line = carry + word.lstrip()
            size = sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)
        else:
            line, size = line + word, size + w
    if line.strip():
        lines.append(line.rstrip())
    # no single character left alone on the last line (開/発): take one more from the line above
    if (
        len(lines) > 1
        and len(lines[-1]) == 1
        and ord(lines[-1]) > 0x2E80
        and len(lines[-2]) > 2
        and ord(lines[-2][-1]) > 0x2E80
        and lines[-2][-1] not in NO_LINE_START
    ):
        lines[-2], lines[-1] = lines[-2][:-1], lines[-2][-1] + lines[-1]
    return "<br>".join(html.escape(x, quote=False) for x in lines)


def columns(text: str) -> int:
    """Half-width columns ``text`` takes (a CJK character counts two, as in :func:`wrap`)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


NO_LINE_START = frozenset("、。，．・：；？！）」』】〕ー")
"""Japanese punctuation that must not begin a line (kinsoku shori)."""
NO_LINE_END = frozenset("（「『【〔(")
"""Opening brackets that must not end a line."""


def is_katakana(ch: str) -> bool:
    return (
        "\u30a0" <= ch <= "\u30ff" and ch != "\u30fb"
    ) or "\uff66" <= ch <= "\uff9f"  # ・ may break


def _tokens(text: str) -> list[str]:
    """Break opportunities: after a space, around each CJK character, but not inside a run of
    katakana (a loan word such as データ or フュージョン stays on one line)."""
    out, cur = [], ""
    for ch in text:
        if is_katakana(ch):
            if cur and not is_katakana(cur[-1]):
                out.append(cur)
                cur = ""
            cur += ch
        elif ord(ch) > 0x2E80:  # other CJK: every character may break
            if cur:
                out.append(cur)
                cur = ""
            out.append(ch)
        elif ch == " ":
            out.append(cur + " ")
            cur = ""
        else:
            cur += ch
    if cur:
        out.append(cur)
    return out


def fit_width(text: str, columns: int) -> str:
    """``text`` cut with … to at most ``columns`` half-width columns (a CJK character counts two)."""
    widths = [2 if ord(ch) > 0x2E80 else 1 for ch in text]
    if sum(widths) <= columns:
        return text
    out, used = "", 0
    for ch, w in zip(text, widths, strict=True):
        if used + w > columns - 1:  # room for the …
            break
        out, used = out + ch, used + w
    return out.rstrip() + "…"


def pct(value: float, lang: str) -> str:
    """A share as a percentage: one decimal below 10 % (so 3.3 % and 1.6 % do not both read as
    whole numbers that hide a 2× difference), whole numbers above."""
    pct = value * 100
    if 0 < pct < 10:
        return format_number(round(pct, 1), lang, "#,##0.#") + "%"
    return format_number(round(pct), lang) + "%"


def number(value: int, lang: str) -> str:
    return format_number(value, lang)


def list_text(items: Sequence[str], lang: str) -> str:
    return t("insights.list_sep", lang).join(items)


def sentences(parts: Sequence[str], lang: str) -> str:
    """Sentences joined as the language writes them (a space in English, nothing in Japanese,
    whose sentences end in a full-width 。)."""
    return ("" if lang == "ja" else " ").join(p for p in parts if p)


def item(label: str, value: str, lang: str) -> str:
    """``label (value)`` with the language's brackets."""
    return t("insights.item_value", lang, label=label, value=value)
