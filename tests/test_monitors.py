"""Crawl health: Spidermon monitors, the run report and the cron exit status."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
from scrapy.settings import Settings

from newscrawl.cron import EXIT_OK, EXIT_UNHEALTHY
from newscrawl.demo import as_args, workdir_settings
from newscrawl.health import judge
from newscrawl.monitors import COVERAGE_ITEMS, COVERAGE_PREFIX, coverage_failures
from newscrawl.report import bar_chart, render_report
from tests.conftest import ROOT, child_env, start_replica, stop_replica

if TYPE_CHECKING:
    from pathlib import Path


def cron(base_url: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    args = as_args(workdir_settings(tmp))
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.cron", "--base-url", base_url, *args],
        cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def reports(tmp: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((tmp / "logs").glob("*.html"))]


@pytest.mark.slow
def test_normal_run_and_delta_with_nothing_new_pass(tmp_path: Path) -> None:
    replica = start_replica(tmp_path, 300, 4)
    try:
        first = cron(replica.base_url, tmp_path)
        assert first.returncode == EXIT_OK, first.stderr[-2000:]
        assert first.stdout.startswith("newscrawl.cron: healthy:")
        second = cron(replica.base_url, tmp_path)
        assert second.returncode == EXIT_OK, second.stderr[-2000:]
        assert "healthy: 0 items exported" in second.stdout
    finally:
        stop_replica(replica)
    full, delta = reports(tmp_path)
    assert "All 9 monitors passed" in full and "All 9 monitors passed" in delta
    assert "Exported articles by label" in full and "<svg" in full
    assert ">business<" in full  # a label bar


@pytest.mark.slow
def test_changed_layout_fails_the_monitors_and_the_cron_run(tmp_path: Path) -> None:
    replica = start_replica(tmp_path, 300, 4, "--layout", "v2")
    try:
        result = cron(replica.base_url, tmp_path)
    finally:
        stop_replica(replica)
    assert result.returncode == EXIT_UNHEALTHY
    (line,) = result.stderr.strip().splitlines()[-1:]
    assert line.startswith("newscrawl.cron: unhealthy:") and "body 0.0% < 98%" in line
    (report,) = reports(tmp_path)
    assert "monitors failed" in report
    assert '<tr class="bad"><td>body</td><td>0.0%</td>' in report
    assert re.search(r"no valid item extracted \(missing_body: \d{3}\)", report)


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
    ]
    page = render_report(stats, results, {"title": 1.0, "body": 0.98})
    assert "1 of 2 monitors failed" in page
    assert "no &lt;items&gt;" in page  # escaped
    assert '<tr class="bad"><td>body</td>' in page and '<tr class="good"><td>title</td>' in page
    assert page.count("<svg") == 2 and "business: 7" in page


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
