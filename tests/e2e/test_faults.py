"""Hostile conditions: the replica's fault modes against the real crawler."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from replica.app import ReplicaApp
from replica.check import check_feed, read_feeds
from replica.corpus import DROPPED_CASES
from replica.demo import as_args, crawl_command, workdir_settings
from replica.faults import FaultPlan
from replica.truth import truth_records
from tests.conftest import ROOT, Replica, child_env, start_replica, stop_replica

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow
SEED = 11
ARTICLES = 300
CRAWL_SETTINGS = ("DOWNLOAD_TIMEOUT=1", "DOWNLOAD_MAXSIZE=1000000", "RETRY_TIMES=4")


def crawl(base_url: str, tmp: Path) -> tuple[str, list[dict]]:  # type: ignore[type-arg]
    args = ["-s", f"NEWSCRAWL_FEED_DIR={tmp / 'feeds'}", "-s", "NEWSCRAWL_STATE_URI=memory:"]
    for setting in CRAWL_SETTINGS:
        args += ["-s", setting]
    result = subprocess.run(
        crawl_command(base_url, *args),
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr, read_feeds(sorted((tmp / "feeds").rglob("*.jsonl")))


def stat(log: str, name: str) -> int:
    marker = f"'{name}': "
    if marker not in log:
        return 0
    return int(log.split(marker, 1)[1].split(",", 1)[0].split("}", 1)[0])


def test_transient_faults_at_10_percent_keep_full_recall(tmp_path: Path) -> None:
    spec = "5xx=0.03,429=0.02,slow=0.02,drop=0.02,truncate=0.01,slow_seconds=2"
    replica = start_replica(tmp_path, ARTICLES, SEED, "--faults", spec)
    try:
        log, items = crawl(replica.base_url, tmp_path)
    finally:
        stop_replica(replica)
    report = check_feed(items, ReplicaApp(ARTICLES, SEED).corpus, replica.base_url)
    assert report.ok, report.summary()
    plan = FaultPlan.parse(spec, SEED)
    app = ReplicaApp(ARTICLES, SEED)
    planned = [plan.kind_for(app.corpus.article(i).path) for i in range(ARTICLES)]
    assert planned.count("429") and planned.count("slow") and planned.count("drop")  # they did happen
    # each fault kind was met and retried (a page met first through a 301 alias takes it there)
    assert stat(log, "newscrawl/retry_after/waits") > 0
    assert stat(log, "retry/reason_count/scrapy.exceptions.DownloadTimeoutError") > 0
    assert stat(log, "retry/reason_count/scrapy.exceptions.ResponseDataLossError") > 0
    assert stat(log, "retry/reason_count/truncated_page") > 0
    assert "newscrawl/failed/" not in log


def test_permanent_faults_end_in_exact_counted_outcomes(tmp_path: Path) -> None:
    spec = "loop=0.02,offsite=0.02,big=0.02,ctype=0.02,badbytes=0.02,cp1252=0.03,badfragment=0.2,big_bytes=1500000"
    replica = start_replica(tmp_path, ARTICLES, SEED, "--faults", spec)
    try:
        log, items = crawl(replica.base_url, tmp_path)
        requests = replica.requests()
    finally:
        stop_replica(replica)
    app = ReplicaApp(ARTICLES, SEED)
    plan = FaultPlan.parse(spec, SEED)
    kinds = {
        app.corpus.metas[i].article_id: plan.kind_for(app.corpus.article(i).path) for i in range(ARTICLES)
    }
    dropped_anyway = {m.article_id for m in app.corpus.metas if m.case in DROPPED_CASES}

    def count(kind: str) -> int:
        return sum(1 for i, k in kinds.items() if k == kind)

    assert count("loop") and count("offsite") and count("big") and count("badbytes") and count("cp1252")
    # one article can be met through two links (its labelled URL and the agency-wire alias)
    looped = {int(m) for m in re.findall(r"Failed \S+/loop/(\d+)/\d+: redirect_loop", log)}
    assert looped == {i for i, k in kinds.items() if k == "loop"}
    assert stat(log, "newscrawl/failed/redirect_loop") == len(re.findall(r": redirect_loop \(", log))
    for reason, kind in (("offsite_redirect", "offsite"), ("too_large", "big")):
        failed = {int(m) for m in re.findall(rf"Failed \S+/article/[^/]+/(\d+)\S*: {reason}", log)}
        assert failed == {i for i, k in kinds.items() if k == kind}, reason
        assert stat(log, f"newscrawl/failed/{reason}") == len(re.findall(rf": {reason} \(", log))
    bad_bytes = sum(1 for i, k in kinds.items() if k == "badbytes" and i not in dropped_anyway)
    assert stat(log, "newscrawl/dropped/invalid_bytes") == bad_bytes
    assert not [p for _, p, _ in requests if "offsite.invalid" in p]
    # Everything else arrives intact: odd encodings and content types decode right.
    lost = {i for i, k in kinds.items() if k in ("loop", "offsite", "big", "badbytes")}
    report = check_feed(items, app.corpus, replica.base_url)
    assert not report.field_errors and not report.repeated_ids and not report.unexpected_ids
    expected_missing = []
    for record in truth_records(app.corpus, replica.base_url):
        ids = {record["article_id"], *record["duplicate_ids"], *record["revision_ids"]}
        if ids <= lost | dropped_anyway:
            expected_missing.append(record["article_id"])
    assert sorted(report.missing) == sorted(expected_missing)
    assert "\ufffd" not in "".join(i["body"] for i in items)
    exported = {i["article_id"] for i in items}
    assert {i for i, k in kinds.items() if k in ("ctype", "cp1252")} - dropped_anyway <= exported


def test_soak_five_cron_runs_on_a_growing_faulty_site(tmp_path: Path) -> None:
    """Bounded soak: 5 cron runs, the site growing 20 articles a run, 10% transient faults."""
    import sqlite3
    import sys
    from urllib.parse import urlsplit

    from replica.demo import as_args, workdir_settings

    spec = "5xx=0.03,429=0.02,slow=0.02,drop=0.02,truncate=0.01,slow_seconds=2"
    args = as_args({**workdir_settings(tmp_path), "DOWNLOAD_TIMEOUT": "1", "RETRY_TIMES": "4"})
    port = None
    sizes = [300, 320, 340, 360, 380]
    for size in sizes:
        extra = ("--faults", spec) + (("--port", str(port)) if port else ())
        replica = start_replica(tmp_path, size, SEED, *extra)
        port = urlsplit(replica.url).port
        try:
            result = subprocess.run(
                [sys.executable, "-m", "newscrawl.cron", "--base-url", replica.base_url, *args],
                cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=120, check=False,
            )  # fmt: skip
        finally:
            stop_replica(replica)
        assert result.returncode == 0, (size, result.stdout, result.stderr[-2000:])
    feeds = sorted((tmp_path / "feeds").rglob("*.jsonl"))
    assert not list((tmp_path / "feeds").rglob("*.part"))
    items = read_feeds(feeds)
    report = check_feed(items, ReplicaApp(sizes[-1], SEED).corpus, replica.base_url)
    assert report.ok, report.summary()
    db = sqlite3.connect(tmp_path / "state.sqlite")
    exported = {row[0] for row in db.execute("SELECT article_id FROM articles WHERE status = 1")}
    runs = db.execute("SELECT finish_reason, exit_status FROM runs ORDER BY run_id").fetchall()
    db.close()
    assert exported == {i["article_id"] for i in items}
    assert runs == [("finished", 0)] * len(sizes)


def test_a_full_disk_stops_the_run_and_the_next_run_publishes_everything_once(
    replica: Replica, tmp_path: Path
) -> None:
    """The feed folder on a 300 kB tmpfs: the first failed write ends the run (no more requests
    than were in flight), and after room is made the next run publishes every story once."""
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(feeds)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        settings = {
            **workdir_settings(tmp_path),
            "NEWSCRAWL_FEED_DIR": str(feeds),
            "NEWSCRAWL_DATASET_DIR": "",
        }
        command = [sys.executable, "-m", "newscrawl.cron", "--base-url", replica.base_url, *as_args(settings)]
        before = len(replica.requests())
        first = subprocess.run(
            command, cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=300, check=False
        )
        assert first.returncode == 1, first.stderr[-2000:]
        assert "feed_write_failed" in first.stderr  # the verdict names the finish reason
        (log_file,) = (tmp_path / "logs").glob("*.log")
        log = log_file.read_text("utf-8")
        errors = [line for line in log.splitlines() if " ERROR: " in line and "[Spidermon]" not in line]
        assert len(errors) == 1, errors  # the failed write, said once; no error per later item
        assert "No space left on device" in log
        asked = len(replica.requests()) - before
        subprocess.run(["mount", "-o", "remount,size=64m", str(feeds)], check=True)
        second = subprocess.run(
            command, cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=300, check=False
        )
        assert second.returncode == 0, second.stderr[-2000:]
        full = len(replica.requests()) - before - asked
        assert asked < full, (asked, full)  # the first run stopped short of the whole site ...
        at_failure, at_close = (
            stat(log, "newscrawl/feed/write_failed_at_request"),
            stat(log, "downloader/request_count"),
        )
        assert (
            0 < at_failure <= at_close <= at_failure + 32
        )  # ... and after the failure only what was in flight
        items = read_feeds(sorted(feeds.glob("devdiscourse/*.jsonl")))
        report = check_feed(items, replica.app().corpus, replica.base_url)
        assert report.ok, report.summary()  # every story once, across the failed run and its rerun
        assert not list(feeds.glob("devdiscourse/*.part"))
    finally:
        subprocess.run(["umount", str(feeds)], check=False)
