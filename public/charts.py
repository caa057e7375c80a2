"""Geometry of the progression chart: numbers in, SVG coordinates out, no drawing rules elsewhere.

The template draws what this returns with SVG presentation attributes only (no style), so the
chart needs neither JavaScript nor inline styles and renders the same on every device.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 480
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40

# Dark enough for 3:1 against white (WCAG 1.4.11), told apart by dash pattern as well as hue.
COLOURS = ("#0b57a4", "#b4121b", "#1b7a3d", "#6a3d9a", "#1a1a1a", "#8a4b08")
DASHES = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 5")


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Line:
    label: str
    colour: str
    dash: str
    points: str
    dots: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    lines: tuple[Line, ...]

    @property
    def plot_right(self) -> int:
        return self.width - self.right

    @property
    def label_left(self) -> int:
        """Where the y-axis labels end, just left of the plot."""
        return self.left - 6

    @property
    def label_baseline(self) -> int:
        """The baseline of the round numbers, under the plot."""
        return self.height - self.bottom + 18


def nice_step(span: Decimal, most_ticks: int = 6) -> Decimal:
    """A step of 1, 2 or 5 times a power of ten giving at most ``most_ticks`` intervals."""
    if span <= 0:
        return Decimal(1)
    raw = span / most_ticks
    power = Decimal(10) ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if power * factor >= raw:
            return max(power * factor, Decimal(1))
    return power * 10  # pragma: no cover - the loop always returns


def progression_chart(
    rounds: Sequence[int], series: Sequence[tuple[str, Sequence[Decimal]]]
) -> Chart:
    """Each series (label, points after each round) as a polyline over ``rounds``."""
    values = [v for _, points in series for v in points] or [Decimal(0)]
    low, high = min(min(values), Decimal(0)), max(max(values), Decimal(1))
    step = nice_step(high - low)
    low = step * math.floor(low / step)
    high = step * math.ceil(high / step)

    def x(index: int) -> float:
        span = max(len(rounds) - 1, 1)
        return round(LEFT + (WIDTH - LEFT - RIGHT) * index / span, 1)

    def y(value: Decimal) -> float:
        return round(TOP + float((high - value) / (high - low)) * (HEIGHT - TOP - BOTTOM), 1)

    levels = [low + step * n for n in range(int((high - low) / step) + 1)]
    y_ticks = tuple(Tick(y(level), str(int(level))) for level in levels)
    x_ticks = tuple(Tick(x(i), str(r)) for i, r in enumerate(rounds))
    lines = tuple(
        _line(n, label, [(x(i), y(v)) for i, v in enumerate(points)])
        for n, (label, points) in enumerate(series)
    )
    return Chart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, x_ticks, y_ticks, lines)


def _line(n: int, label: str, dots: list[tuple[float, float]]) -> Line:
    points = " ".join(f"{px:g},{py:g}" for px, py in dots)
    return Line(label, COLOURS[n % len(COLOURS)], DASHES[n % len(DASHES)], points, tuple(dots))


@dataclass(frozen=True)
class EndLabel:
    x: float
    y: float
    text: str
    colour: str


def lap_chart(positions: Sequence[tuple[str, Sequence[int]]]) -> tuple[Chart, tuple[EndLabel, ...]]:
    """Each car's position after each lap (label, positions) as a polyline: position 1 at the
    top, laps along; each line named at its end (the legend of a full grid would not fit)."""
    laps = max((len(places) for _, places in positions), default=1)
    cars = max((max(places) for _, places in positions if places), default=1)
    width, right = 640, 40

    def x(lap: int) -> float:
        return round(LEFT + (width - LEFT - right) * (lap - 1) / max(laps - 1, 1), 1)

    def y(place: int) -> float:
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (place - 1) / max(cars - 1, 1), 1)

    step = int(nice_step(Decimal(laps), 8))
    x_ticks = tuple(Tick(x(lap), str(lap)) for lap in [1, *range(step, laps + 1, step)])
    y_step = int(nice_step(Decimal(cars), 6))
    y_ticks = tuple(Tick(y(place), str(place)) for place in [1, *range(y_step, cars + 1, y_step)])
    lines = tuple(
        _line(n, label, [(x(lap), y(place)) for lap, place in enumerate(places, start=1)])
        for n, (label, places) in enumerate(positions)
    )
    labels = tuple(
        EndLabel(line.dots[-1][0] + 4, line.dots[-1][1], line.label, line.colour)
        for line in lines
        if line.dots
    )
    chart = Chart(width, HEIGHT, LEFT, right, TOP, BOTTOM, x_ticks, y_ticks, lines)
    return chart, labels
