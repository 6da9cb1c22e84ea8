"""Field coverage of extracted items: the share of items with each field non-empty.

The spider counts (``newscrawl/coverage/<field>`` over ``newscrawl/coverage/_items``);
the Field coverage monitor and the report judge and show it.
"""

from __future__ import annotations

from typing import Any

from newscrawl.health.stats import COVERAGE_ITEMS, COVERAGE_PREFIX


def field_coverage(stats: dict[str, Any]) -> dict[str, float]:
    """Share of extracted items with each field non-empty."""
    items = stats.get(COVERAGE_ITEMS, 0)
    if not items:
        return {}
    return {
        key[len(COVERAGE_PREFIX) :]: value / items
        for key, value in stats.items()
        if key.startswith(COVERAGE_PREFIX) and key != COVERAGE_ITEMS
    }


def coverage_failures(stats: dict[str, Any], thresholds: dict[str, float]) -> list[str]:
    """Fields below their threshold, as ``"body 0.0% < 98%"``.

    >>> coverage_failures({COVERAGE_ITEMS: 10, COVERAGE_PREFIX + "title": 10}, {"title": 1.0, "body": 0.98})
    ['body 0.0% < 98%']
    """
    coverage = field_coverage(stats)
    return [
        f"{name} {coverage.get(name, 0.0):.1%} < {minimum:.0%}"
        for name, minimum in thresholds.items()
        if coverage.get(name, 0.0) < minimum
    ]
