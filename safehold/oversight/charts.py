"""Server-rendered SVG line charts (no script). Every chart is shown beside a table of the same data."""

from __future__ import annotations

import datetime as dt

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT, PAD_L, PAD_B, PAD_T, PAD_R = 560, 220, 44, 36, 12, 12


def line_chart(
    *, title: str, points: list[tuple[dt.date, float | None]], unit: str = "percent", chart_id: str = "chart"
) -> SafeString:
    """A line of monthly values; gaps (None) break the line. ``title`` names the chart for assistive tech;
    ``chart_id`` keeps ids unique when a page has more than one chart."""
    values = [v for _, v in points if v is not None]
    top = 100.0 if unit == "percent" else max([*values, 1.0]) * 1.2
    inner_w, inner_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B
    step = inner_w / max(len(points) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return PAD_L + i * step, PAD_T + inner_h - (v / top) * inner_h if top else PAD_T + inner_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="oversight-chart" '
        f'role="img" aria-labelledby="{chart_id}-title"><title id="{chart_id}-title">{escape(title)}</title>',
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


def stacked_bar_chart(
    *,
    title: str,
    months: list[dt.date],
    series: list[tuple[str, str, list[int]]],
    chart_id: str = "bars",
) -> SafeString:
    """One bar per month, stacked by series (``(label, colour, counts per month)``), with a legend.
    Counts only; the page shows the same numbers in a table beside the chart."""
    totals = [sum(values[i] for _, _, values in series) for i in range(len(months))]
    top = max([*totals, 1])
    legend_h = 18 * ((len(series) + 1) // 2)
    height = HEIGHT + legend_h
    inner_w, inner_h = WIDTH - PAD_L - PAD_R, HEIGHT - PAD_T - PAD_B
    slot = inner_w / max(len(months), 1)
    bar_w = slot * 0.6
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" class="oversight-chart" '
        f'role="img" aria-labelledby="{chart_id}-title"><title id="{chart_id}-title">{escape(title)}</title>',
        f'<line x1="{PAD_L}" y1="{PAD_T + inner_h}" x2="{WIDTH - PAD_R}" y2="{PAD_T + inner_h}" stroke="#505a5f"/>',
        f'<line x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" y2="{PAD_T + inner_h}" stroke="#505a5f"/>',
    ]
    for frac in (0, 0.5, 1):
        y = PAD_T + inner_h - frac * inner_h
        parts.append(f'<text x="{PAD_L - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12">{top * frac:.0f}</text>')
    for i, month in enumerate(months):
        x = PAD_L + i * slot + (slot - bar_w) / 2
        base = float(PAD_T + inner_h)
        for _, colour, values in series:
            h = values[i] / top * inner_h
            if h > 0:
                base -= h
                parts.append(
                    f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{escape(colour)}"/>'
                )
        if i % 2 == 0 or i == len(months) - 1:
            parts.append(
                f'<text x="{x + bar_w / 2:.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="11">'
                f"{month:%b %y}</text>"
            )
    for n, (label, colour, _) in enumerate(series):
        lx = PAD_L + (n % 2) * (inner_w / 2)
        ly = HEIGHT + 4 + (n // 2) * 18
        parts.append(f'<rect x="{lx:.1f}" y="{ly:.1f}" width="12" height="12" fill="{escape(colour)}"/>')
        parts.append(f'<text x="{lx + 18:.1f}" y="{ly + 11:.1f}" font-size="12">{escape(label)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from numbers and escaped labels only
