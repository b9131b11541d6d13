"""Line charts as plain geometry for inline SVG: series in, paths, dots and axis ticks out.

The dashboard draws every chart on the server (no chart library, nothing from a CDN); the
template `_charts.html` turns a `Chart` into SVG markup, escaping every label. Pure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

LEFT, RIGHT, TOP, BOTTOM = 44, 12, 10, 24


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[tuple[float, float, str]]  # (x, y, tooltip)
    emphasis: bool = False


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
    if x_lo == x_hi:
        x_lo, x_hi = x_lo - 1, x_hi + 1
    y_lo, y_hi = y_range
    fx = _scale(x_lo, x_hi, chart.left, chart.right)
    fy = _scale(y_lo, y_hi, chart.bottom, chart.top)
    for i, s in enumerate(series):
        dots = [Dot(fx(x), fy(min(max(y, y_lo), y_hi)), tip) for x, y, tip in s.points]
        path = " ".join(f"{'M' if j == 0 else 'L'}{d.x},{d.y}" for j, d in enumerate(dots))
        chart.lines.append(Line(s.name, i % 8, path, dots, s.emphasis))
    for k in range(y_steps + 1):
        value = y_lo + (y_hi - y_lo) * k / y_steps
        chart.y_ticks.append((fy(value), y_format(value)))
    ticks = 4 if width >= 400 else 2
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


def value_range(values: Sequence[float]) -> tuple[float, float]:
    """A y range that holds every value with a little air, 0-based when values are positive."""
    lo, hi = min(values), max(values)
    if lo >= 0 and lo <= hi * 0.5:
        lo = 0.0
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    pad = (hi - lo) * 0.08
    return (lo if lo == 0 else lo - pad), hi + pad
