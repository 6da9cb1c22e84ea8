"""Crawl health: Spidermon monitors, the run report and the cron exit status."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from newscrawl.cron import EXIT_OK, EXIT_UNHEALTHY
from replica.demo import as_args, workdir_settings
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
    return [p.read_text(encoding="utf-8") for p in sorted((tmp / "logs").glob("*Z.html"))]  # not index.html


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
    assert "All 9 checks passed</p>" in full  # a backfill: every check had enough to judge
    # nothing new: nothing to judge coverage, validity, extraction or the archive by
    assert "All 5 checks passed (4 not judged: too little to judge)" in delta
    assert "Not judged: 0 extracted items" in delta and '<tr class="bad">' not in delta
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
    assert re.search(r"\d of \d checks failed", report)
    assert '<tr class="bad"><td>body</td><td>0.0%</td>' in report
    assert re.search(r"no valid item extracted \(missing_body: \d{3}\)", report)
