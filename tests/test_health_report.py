"""The run report, field coverage and the verdict, from stats alone."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from newscrawl.health.charts import bar_chart
from newscrawl.health.coverage import coverage_failures
from newscrawl.health.report import render_report
from newscrawl.health.stats import COVERAGE_ITEMS, COVERAGE_PREFIX
from newscrawl.health.verdict import judge


def test_coverage_failures_name_fields() -> None:
    stats = {COVERAGE_ITEMS: 100, COVERAGE_PREFIX + "title": 100, COVERAGE_PREFIX + "agency": 90}
    assert coverage_failures(stats, {"title": 1.0, "agency": 0.95, "body": 0.98}) == [
        "agency 90.0% < 95%",
        "body 0.0% < 98%",
    ]


def test_report_renders_verdicts_coverage_and_charts() -> None:
    stats = {
        "finish_reason": "finished",
        COVERAGE_ITEMS: 10,
        COVERAGE_PREFIX + "title": 10,
        "newscrawl/exported/label/business": 7,
        "newscrawl/exported/hour/05": 7,
        "newscrawl/dropped/missing_body": 3,
        "dedupe/revisions_exported": 2,  # exports, not a problem: not in the drops table
    }
    results = [
        {
            "monitor": "Extraction",
            "check": "x",
            "description": "d",
            "status": "FAIL",
            "message": "no <items>",
        },
        {"monitor": "Finish", "check": "y", "description": "d", "status": "OK", "message": ""},
        {
            "monitor": "Field coverage",
            "check": "z",
            "description": "d",
            "status": "SKIPPED",
            "message": "few",
        },
    ]
    page = render_report(stats, results, {"title": 1.0, "body": 0.98}, min_items=5)
    assert "1 of 2 checks failed (1 not judged: too little to judge)" in page
    assert "<td>not judged</td>" in page and "SKIPPED" not in page
    assert "no &lt;items&gt;" in page  # escaped
    assert "<td>newscrawl/dropped/missing_body</td>" in page and "revisions_exported" not in page
    assert '<tr class="bad"><td>body</td>' in page and '<tr class="good"><td>title</td>' in page
    assert page.count("<svg") == 2 and "business: 7" in page


def test_coverage_below_the_minimum_is_not_judged_not_red() -> None:
    stats = {"finish_reason": "finished", COVERAGE_ITEMS: 0}  # a run with nothing new
    page = render_report(stats, [], {"title": 1.0, "body": 0.98}, min_items=50)
    assert "Not judged: 0 extracted items, fewer than NEWSCRAWL_COVERAGE_MIN_ITEMS (50)" in page
    assert '<tr class="bad"><td>body</td>' not in page and '<tr class=""><td>body</td>' in page


def test_bar_chart_scales_to_the_peak() -> None:
    svg = bar_chart("t", [("a", 1), ("b", 4)])
    heights = [float(h) for h in __import__("re").findall(r'height="([\d.]+)" fill', svg)]
    assert heights[1] == pytest.approx(4 * heights[0])


def test_cron_verdict_comes_from_the_monitors() -> None:
    healthy = {"newscrawl/monitors/failed": [], "newscrawl/monitors/passed": 6, "item_scraped_count": 2}
    assert judge(healthy, Settings()).healthy
    failed = {"newscrawl/monitors/failed": ["Extraction: none"], "newscrawl/monitors/passed": 5}
    verdict = judge(failed, Settings())
    assert not verdict.healthy and "Extraction: none" in verdict.reason
