"""Server-rendered SVG line charts (no script). Every chart is shown beside a table of the same data."""

from __future__ import annotations

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD_L, PAD_B, PAD_T, PAD_R = 560, 220, 44, 36, 12, 12


def line_chart(*, title: str, points: list[tuple[dt.date, float | None]], unit: str = "percent") -> SafeString:
    """A line of monthly values; gaps (None) break the line. ``title`` names the chart for assistive tech."""
    values = [v for _, v in points if v is not None]
    top = 100.0 if unit == "percent" else max([*values, 1.0]) * 1.2
    inner_w, inner_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B
    step = inner_w / max(len(points) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return PAD_L + i * step, PAD_T + inner_h - (v / top) * inner_h if top else PAD_T + inner_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="oversight-chart" '
        f'role="img" aria-labelledby="chart-title"><title id="chart-title">{escape(title)}</title>',
        f'<line x1="{PAD_L}" y1="{PAD_T + inner_h}" x2="{WIDTH - PAD_R}" y2="{PAD_T + inner_h}" stroke="#505a5f"/>',
        f'<line x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" y2="{PAD_T + inner_h}" stroke="#505a5f"/>',
    ]
    for frac in (0, 0.5, 1):
        y = PAD_T + inner_h - frac * inner_h
        label = f"{top * frac:.0f}{'%' if unit == 'percent' else ''}"
        parts.append(f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12">{label}</text>')
    segment: list[str] = []
    for i, (month, v) in enumerate(points):
        if i % 2 == 0 or i == len(points) - 1:
            parts.append(
                f'<text x="{PAD_L + i * step:.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11">'
                f"{month:%b %y}</text>"
            )
        if v is None:
            if len(segment) > 1:
                parts.append(f'<polyline fill="none" stroke="#1d70b8" stroke-width="3" points="{" ".join(segment)}"/>')
            segment = []
            continue
        x, y = xy(i, v)
        segment.append(f"{x:.1f},{y:.1f}")
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="#1d70b8"/>')
    if len(segment) > 1:
        parts.append(f'<polyline fill="none" stroke="#1d70b8" stroke-width="3" points="{" ".join(segment)}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from numbers and an escaped title only
