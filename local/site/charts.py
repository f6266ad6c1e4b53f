"""Charts as inline SVG, drawn here: the pages open from disk with no script or font to fetch.

Every chart is an <svg class="chart"> with a <title>, one element of class `mark` per value
drawn (a bar or a point), and each mark's own <title> (its label and value) as its tooltip.
A chart with nothing to draw says so in words instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 28, 28
COLOURS = ("#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#d53f8c", "#319795", "#718096", "#b7791f")


def _number(value: float) -> str:
    return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"


def _frame(title: str, body: list[str], legend: Sequence[str]) -> str:
    keys = "".join(
        f'<span class="key"><span style="color:{COLOURS[i % len(COLOURS)]}">&#9632;</span> {escape(name)}</span> '
        for i, name in enumerate(legend)
    )
    svg = (
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}">'
        f"<title>{escape(title)}</title>"
        f'<text x="{LEFT}" y="16" class="chart-title">{escape(title)}</text>' + "".join(body) + "</svg>"
    )
    return f'<figure class="chart-box">{svg}<figcaption>{keys if len(legend) > 1 else ""}</figcaption></figure>'


def _empty(title: str) -> str:
    return f'<p class="chart-empty">{escape(title)}: nothing to draw yet.</p>'


def _labels(labels: Sequence[object]) -> list[str]:
    return ["(none)" if label is None else str(label) for label in labels]


def _axis(low: float, high: float) -> tuple[list[str], float, float]:
    """The y axis from `low` (0 or below) to `high`, with its gridlines; (svg, low, span)."""
    span = (high - low) or 1.0
    lines = []
    for step in range(5):
        value = low + span * step / 4
        y = TOP + (HEIGHT - TOP - BOTTOM) * (1 - step / 4)
        lines.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        lines.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" class="tick" text-anchor="end">{_number(value)}</text>')
    return lines, low, span


def _y(value: float, low: float, span: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (value - low) / span)


def bar_chart(
    title: str, labels: Sequence[object], series: Mapping[str, Sequence[float]], stacked: bool = False
) -> str:
    """Bars per label, one per series side by side (or stacked)."""
    if not labels or not series:
        return _empty(title)
    labels = _labels(labels)
    columns = list(zip(*series.values(), strict=True))
    totals = [sum(v for v in column if v > 0) for column in columns] if stacked else [max(c) for c in columns]
    lows = [sum(v for v in column if v < 0) for column in columns] if stacked else [min(c) for c in columns]
    body, low, span = _axis(min(0.0, *lows), max(0.0, *totals))
    slot = (WIDTH - LEFT - RIGHT) / len(labels)
    width = slot * 0.8 / (1 if stacked else len(series))
    for i, (label, column) in enumerate(zip(labels, columns, strict=True)):
        base = 0.0
        for j, (name, value) in enumerate(zip(series, column, strict=True)):
            x = LEFT + slot * i + slot * 0.1 + (0 if stacked else width * j)
            start, end = (base, base + value) if stacked else (0.0, value)
            top, bottom = sorted((_y(start, low, span), _y(end, low, span)))
            tip = f"{label} {name}: {_number(value)}" if len(series) > 1 else f"{label}: {_number(value)}"
            height = max(bottom - top, 0.5)  # a zero still shows as a line
            body.append(
                f'<rect class="mark" x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}"'
                f' fill="{COLOURS[j % len(COLOURS)]}"><title>{escape(tip)}</title></rect>'
            )
            base = end if stacked else base
        if len(labels) <= 16 or i % max(1, len(labels) // 12) == 0:
            body.append(
                f'<text x="{LEFT + slot * (i + 0.5):.1f}" y="{HEIGHT - BOTTOM + 14}" class="tick" '
                f'text-anchor="middle">{escape(label[:14])}</text>'
            )
    return _frame(title, body, list(series))


def line_chart(title: str, labels: Sequence[object], series: Mapping[str, Sequence[float | None]]) -> str:
    """A line per series over the labels (gaps where a value is None), a point per value."""
    values = [v for line in series.values() for v in line if v is not None]
    if not labels or not values:
        return _empty(title)
    labels = _labels(labels)
    body, low, span = _axis(min(0.0, *values), max(0.0, *values))
    step = (WIDTH - LEFT - RIGHT) / max(1, len(labels) - 1) if len(labels) > 1 else 0.0
    for j, (name, line) in enumerate(series.items()):
        colour = COLOURS[j % len(COLOURS)]
        points = [(LEFT + step * i, _y(v, low, span), labels[i], v) for i, v in enumerate(line) if v is not None]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y, label, value in points:
            body.append(
                f'<circle class="mark" cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}">'
                f"<title>{escape(f'{label} {name}: {_number(value)}')}</title></circle>"
            )
    for i, label in enumerate(labels):
        if len(labels) <= 12 or i % max(1, len(labels) // 10) == 0:
            x = LEFT + step * i
            body.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 14}" class="tick" text-anchor="middle">{escape(label)}</text>'
            )
    return _frame(title, body, list(series))
