"""Name boxes beside points that do not cover each other: for each point, the first of a list
of offsets whose box overlaps no box placed before it and stays inside the plot area (else the
offset that overlaps least). Pixels, x to the right and y downwards, as plotly's annotation
offsets (``ax``, ``ay``: the box's centre relative to the point its arrow points to).

Pure geometry: no plotly, no Streamlit.
"""

from __future__ import annotations

from collections.abc import Sequence

OFFSETS: tuple[tuple[int, int], ...] = (
    (60, -34),
    (-60, -34),
    (60, 34),
    (-60, 34),
    (0, -46),
    (0, 46),
    (100, 0),
    (-100, 0),
    (110, -70),
    (-110, -70),
    (110, 70),
    (-110, 70),
    (0, -90),
    (0, 90),
)
"""Offsets (px) tried for each box, nearest first, above before below."""


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """Area (px²) two boxes ``(left, top, right, bottom)`` share."""
    x = min(a[2], b[2]) - max(a[0], b[0])
    y = min(a[3], b[3]) - max(a[1], b[1])
    return x * y if x > 0 and y > 0 else 0.0


def _outside(box: tuple[float, float, float, float], width: float, height: float) -> float:
    """How far (px, summed over the four sides) ``box`` reaches out of ``width`` × ``height``."""
    left, top, right, bottom = box
    return max(0.0, -left) + max(0.0, right - width) + max(0.0, -top) + max(0.0, bottom - height)


def place(
    points: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float]],
    area: tuple[float, float],
    offsets: Sequence[tuple[int, int]] = OFFSETS,
) -> list[tuple[int, int]]:
    """An offset from :data:`OFFSETS` for each box, in the order given (place the most
    important first).

    Args:
        points: where each box's arrow points, px from the plot area's top left.
        sizes: each box's ``(width, height)`` in px.
        area: the plot area's ``(width, height)`` in px.
        offsets: the offsets to try, in order of preference.

    A box that cannot avoid every other takes the offset with the least overlap (an
    overreach of the area counts as that many px of width overlapping).
    """
    width, height = area
    placed: list[tuple[float, float, float, float]] = []
    out: list[tuple[int, int]] = []
    for (x, y), (w, h) in zip(points, sizes, strict=True):
        best, best_cost = offsets[0], float("inf")
        for dx, dy in offsets:
            box = (x + dx - w / 2, y + dy - h / 2, x + dx + w / 2, y + dy + h / 2)
            cost = sum(_overlap(box, other) for other in placed)
            cost += _outside(box, width, height) * h
            if cost < best_cost:
                best, best_cost = (dx, dy), cost
            if cost == 0:
                break
        dx, dy = best
        placed.append((x + dx - w / 2, y + dy - h / 2, x + dx + w / 2, y + dy + h / 2))
        out.append(best)
    return out
