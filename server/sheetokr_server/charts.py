"""Line charts as plain geometry for inline SVG: series in, paths, dots and axis ticks out.

The dashboard draws every chart on the server (no chart library, nothing from a CDN); the
template `_charts.html` turns a `Chart` into SVG markup, escaping every label. Pure.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

LEFT, RIGHT, TOP, BOTTOM = 44, 12, 10, 24


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[float, float, str]]  # (x, y, tooltip)
    emphasis: bool = False
    dashed: bool = False  # a reference, such as expected progress


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    title: str


@dataclass(frozen=True)
class Line:
    name: str
    colour: int  # index into the palette of the stylesheet (c0..c7)
    path: str
    dots: list[Dot]
    emphasis: bool
    dashed: bool = False


@dataclass
class Chart:
    width: int
    height: int
    lines: list[Line] = field(default_factory=list)
    y_ticks: list[tuple[float, str]] = field(default_factory=list)
    x_ticks: list[tuple[float, str]] = field(default_factory=list)
    guides: list[tuple[float, str]] = field(default_factory=list)  # dashed lines: (y, label)
    label: str = ""

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return self.width - RIGHT

    @property
    def top(self) -> int:
        return TOP

    @property
    def bottom(self) -> int:
        return self.height - BOTTOM


def _scale(lo: float, hi: float, a: float, b: float) -> Callable[[float], float]:
    span = hi - lo or 1.0
    return lambda v: round(a + (v - lo) / span * (b - a), 1)


def line_chart(
    series: Sequence[Series],
    *,
    y_range: tuple[float, float],
    y_format: Callable[[float], str],
    x_format: Callable[[float], str],
    width: int = 640,
    height: int = 220,
    guides: Sequence[tuple[float, str]] = (),
    label: str = "",
    y_steps: int = 4,
) -> Chart:
    """Lay out `series` on one pair of axes; x values are any increasing numbers (days, times)."""
    chart = Chart(width, height, label=label)
    xs = [p[0] for s in series for p in s.points]
    if not xs:
        return chart
    x_lo, x_hi = min(xs), max(xs)
    if x_hi - x_lo < 1 / 24:  # under an hour: centre the points in a one-hour span
        middle = (x_lo + x_hi) / 2
        x_lo, x_hi = middle - 1 / 48, middle + 1 / 48
    y_lo, y_hi = y_range
    fx = _scale(x_lo, x_hi, chart.left, chart.right)
    fy = _scale(y_lo, y_hi, chart.bottom, chart.top)
    for i, s in enumerate(series):
        dots = [Dot(fx(x), fy(min(max(y, y_lo), y_hi)), tip) for x, y, tip in s.points]
        path = " ".join(f"{'M' if j == 0 else 'L'}{d.x},{d.y}" for j, d in enumerate(dots))
        if s.dashed:
            dots = [Dot(d.x, d.y, "") for d in dots]
        chart.lines.append(Line(s.name, i % 8, path, dots, s.emphasis, s.dashed))
    for k in range(y_steps + 1):
        value = y_lo + (y_hi - y_lo) * k / y_steps
        chart.y_ticks.append((fy(value), y_format(value)))
    ticks = 4 if width >= 560 else 2
    for k in range(ticks + 1):
        value = x_lo + (x_hi - x_lo) * k / ticks
        chart.x_ticks.append((fx(value), x_format(value)))
    chart.guides = [(fy(y), text) for y, text in guides if y_lo <= y <= y_hi]
    return chart


def day_number(d: dt.date | dt.datetime) -> float:
    """A date or time as a day count, so charts can space points by real time."""
    if isinstance(d, dt.datetime):
        return d.timestamp() / 86400.0
    return float(d.toordinal() - dt.date(1970, 1, 1).toordinal())


def day_label(x: float, with_time: bool = False) -> str:
    moment = dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(days=x)
    return moment.strftime("%Y-%m-%d %H:%M") if with_time else moment.date().isoformat()


def nice_range(values: Sequence[float], steps: int = 3) -> tuple[float, float, int]:
    """A y range on round numbers (1, 2, 2.5 or 5 times a power of ten) that holds every value,
    starting at 0 when the values are positive and not far from it; and its number of steps."""
    lo, hi = min(values), max(values)
    if lo >= 0 and lo <= hi * 0.5:
        lo = 0.0
    if lo == hi:
        lo, hi = (lo - 1, hi + 1) if lo else (0.0, 1.0)
    raw = (hi - lo) / steps
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * 0.999)
    bottom = math.floor(lo / step + 1e-9) * step
    top = math.ceil(hi / step - 1e-9) * step
    return bottom, top, max(1, round((top - bottom) / step))
