"""A training function's cost plot: the cost after 0, 1, 2, … epochs, the student's beside the reference's,
as the geometry of an SVG chart (axes with round ticks, one line per curve, the legend). The student page
draws it, and so does a result's notebook fragment (grader/report/fragment.py)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader.messages import table

# Cost plot geometry, in SVG user units. Shown at up to 40rem wide, its text reads at about the page's
# size; on a phone it scales down with the chart.
_CURVE_WIDTH = 560
_CURVE_HEIGHT = 330
_CURVE_LEFT = 96
_CURVE_RIGHT = 18
_CURVE_TOP = 44
_CURVE_BOTTOM = 272
_Y_TICKS = 5
_MAX_X_TICKS = 10
_X_STEPS = (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000, 10**9)
# Points are marked while they stay apart; a long curve is a line.
_MAX_MARKERS = 40
_LEGEND_SPACING = 200


@dataclass(frozen=True)
class _Line:
    """One curve of the cost plot: its polylines (a cost that blew up breaks the line), its points and
    its legend entry, in SVG user units."""

    label: str
    css: str
    segments: tuple[str, ...]
    markers: tuple[tuple[float, float], ...]
    legend_x: float
    summary: str


@dataclass(frozen=True)
class _AxisTick:
    position: float
    label: str


@dataclass(frozen=True)
class Curve:
    """The cost after 0, 1, 2, … epochs, the student's beside the reference's, as an SVG chart.

    ``lines`` are drawn in order: the student's (wide, solid) first, then the reference's (thin,
    dashed) over it, so the reference stays visible where the two agree.
    """

    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: tuple[_AxisTick, ...]
    y_ticks: tuple[_AxisTick, ...]
    x_title: str
    y_title: str
    x_title_y: float
    y_title_x: float
    middle_x: float
    middle_y: float
    tick_label_y: float
    legend_y: float
    lines: tuple[_Line, ...]
    steps: int


def cost_plot(curve: Mapping[str, Sequence[float]] | None, lang: str) -> Curve | None:
    """A training function's cost plot as the student page draws it (axes, ticks, the student's line and
    the reference's, their legend), in ``lang``: for other renderers of a result (the notebook check)."""
    return curve_chart(curve, table("page", lang))


def curve_chart(curve: Mapping[str, Sequence[float]] | None, strings: Mapping[str, str]) -> Curve | None:
    """The cost plot of a result's ``curve`` (``{"student": […], "reference": […]}``) with the page's words
    ``strings``, or ``None`` when there is nothing to draw (no curve, no finite cost, a single point)."""
    if not curve:
        return None
    finite = [v for values in curve.values() for v in values if math.isfinite(v)]
    steps = max((len(v) for v in curve.values()), default=0) - 1
    if not finite or steps < 1:
        return None
    # The axis spans the costs seen (not 0..max): small but real decreases stay visible.
    y_ticks = _nice_ticks(min(finite), max(finite))
    low, high = y_ticks[0], y_ticks[-1]
    x_step = next(s for s in _X_STEPS if steps / s <= _MAX_X_TICKS)
    left, right, top, bottom = _CURVE_LEFT, _CURVE_WIDTH - _CURVE_RIGHT, _CURVE_TOP, _CURVE_BOTTOM

    def x(i: float) -> float:
        return round(left + (right - left) * i / steps, 2)

    def y(value: float) -> float:
        return round(bottom - (bottom - top) * (value - low) / (high - low), 2)

    lines = []
    # The student's line first, so that the reference's, drawn over it, shows where they agree.
    for n, (key, css) in enumerate((("student", "you"), ("reference", "ref"))):
        values = curve.get(key)
        if not values:
            continue
        segments: list[list[str]] = [[]]
        markers = []
        for i, value in enumerate(values):
            if not math.isfinite(value):
                segments.append([])
                continue
            segments[-1].append(f"{x(i)},{y(value)}")
            markers.append((x(i), y(value)))
        label = strings[f"curve_{key}"]
        lines.append(
            _Line(
                label=label,
                css=css,
                segments=tuple(" ".join(points) for points in segments if len(points) > 1),
                markers=tuple(markers) if len(values) <= _MAX_MARKERS else (),
                legend_x=left + n * _LEGEND_SPACING,
                summary=strings["curve_line"].format(
                    label=label,
                    first=_cost_text(values[0]),
                    last=_cost_text(values[-1]),
                    steps=len(values) - 1,
                ),
            )
        )
    decimals = _tick_decimals(y_ticks)
    return Curve(
        width=_CURVE_WIDTH,
        height=_CURVE_HEIGHT,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        x_ticks=tuple(_AxisTick(x(i), str(i)) for i in range(0, steps + 1, x_step)),
        y_ticks=tuple(_AxisTick(y(value), _tick_text(value, decimals)) for value in y_ticks),
        x_title=strings["curve_epoch"],
        y_title=strings["curve_cost"],
        x_title_y=_CURVE_HEIGHT - 8,
        y_title_x=16,
        middle_x=round((left + right) / 2, 2),
        middle_y=round((top + bottom) / 2, 2),
        tick_label_y=bottom + 22,
        legend_y=20,
        lines=tuple(lines),
        steps=steps,
    )


def _nice_ticks(low: float, high: float) -> list[float]:
    """Round values from at or below ``low`` to at or above ``high``, 1, 2, 2.5 or 5 times a power of ten
    apart, about five of them."""
    if high <= low:
        pad = abs(high) * 0.05 or 1.0
        low, high = low - pad, high + pad
    raw = (high - low) / (_Y_TICKS - 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    first = math.floor(low / step + 1e-9) * step
    count = math.ceil((high - first) / step - 1e-9)
    return [first + i * step for i in range(count + 1)]


def _tick_decimals(ticks: Sequence[float]) -> int | None:
    """The fewest decimals that write every tick exactly (0.625, not 0.62), or ``None`` when the values
    call for an exponent."""
    step = ticks[1] - ticks[0]
    largest = max(abs(t) for t in ticks)
    if largest >= 1e6 or step < 1e-6:
        return None
    for decimals in range(0, 8):
        if all(abs(round(t, decimals) - t) < step * 1e-6 for t in ticks):
            return decimals
    return None


def _tick_text(value: float, decimals: int | None) -> str:
    text = f"{value:.3g}" if decimals is None else f"{value:.{decimals}f}"
    return "0" if text.lstrip("-").strip("0.") == "" else text


def _cost_text(value: float) -> str:
    return f"{value:.4g}" if math.isfinite(value) else "—"
