"""Inline SVG charts for the HTML pages (a run's report, the run history): no script, no library."""

from __future__ import annotations

import html


def bar_chart(title: str, data: list[tuple[str, int]], width: int = 720, height: int = 240) -> str:
    """An inline SVG bar chart of (label, value) pairs."""
    esc = html.escape
    top, bottom, left = 30, 70, 110
    plot_h, plot_w = height - top - bottom, width - left - 10
    peak = max((v for _, v in data), default=0) or 1
    step = plot_w / max(len(data), 1)
    bars = []
    for i, (label, value) in enumerate(data):
        h = plot_h * value / peak
        x = left + i * step
        bars.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{top + plot_h - h:.1f}" width="{step * 0.8:.1f}" height="{h:.1f}"'
            f' fill="#ff7b00"><title>{esc(label)}: {value}</title></rect>'
            f'<text x="{x + step / 2:.1f}" y="{top + plot_h - h - 3:.1f}" font-size="10" text-anchor="middle">{value}</text>'
            f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 12}" font-size="10" text-anchor="end"'
            f' transform="rotate(-40 {x + step / 2:.1f} {top + plot_h + 12})">{esc(label)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img"'
        f' aria-label="{esc(title)}"><text x="{left}" y="18" font-size="14" font-weight="bold">{esc(title)}</text>'
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#555"/>'
        f"{''.join(bars)}</svg>"
    )
