"""Distributed mode (NEWSCRAWL_REDIS_URL): scrapy-redis frontier against a real redis-server.

What is tested here is what works so far: one worker in distributed mode, its
state and frontier in Redis, across two runs; and three workers at once sharing
the frontier, each article fetched and exported once, every story present.
Atomic story-level dedupe across workers is not done yet (see the README).
"""

from __future__ import annotations

import subprocess
from collections import Counter
from typing import TYPE_CHECKING

import pytest

from newscrawl.demo import crawl_command
from newscrawl.replica.app import ReplicaApp
from newscrawl.replica.check import check_feed, read_feeds
from tests.conftest import ROOT, child_env, start_replica, stop_replica

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow


def worker(base_url: str, redis_url: str, feeds: Path, name: str) -> subprocess.Popen[str]:
    command = crawl_command(
        base_url,
        "-s", f"NEWSCRAWL_REDIS_URL={redis_url}",
        "-s", f"NEWSCRAWL_FEED_DIR={feeds}",
        "-s", f"NEWSCRAWL_WORKER_ID={name}",
        "-s", "NEWSCRAWL_REDIS_IDLE_SECONDS=2",
    )  # fmt: skip
    env = child_env()
    env.pop("NEWSCRAWL_STATE_URI", None)  # distributed mode keeps the state in the same Redis
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_one_worker_in_distributed_mode_twice(redis_url: str, tmp_path: Path) -> None:
    url = f"{redis_url.rsplit('/', 1)[0]}/1"
    replica = start_replica(tmp_path, 300, 21)
    try:
        for _ in range(2):
            _, err = (p := worker(replica.base_url, url, tmp_path / "feeds", "w1")).communicate(timeout=300)
            assert p.returncode == 0, err[-2000:]
            assert "scrapy_redis.scheduler.Scheduler" in err and "test-secret" not in err
    finally:
        stop_replica(replica)
    feeds = sorted((tmp_path / "feeds").rglob("*.jsonl"))
    assert len(feeds) == 1 and feeds[0].name.endswith("-w1.jsonl")  # the second run: nothing new
    report = check_feed(read_feeds(feeds), ReplicaApp(300, 21).corpus, replica.base_url)
    assert report.ok, report.summary()


def test_three_workers_share_the_frontier(redis_url: str, tmp_path: Path) -> None:
    url = f"{redis_url.rsplit('/', 1)[0]}/2"
    replica = start_replica(tmp_path, 1500, 22)
    try:
        workers = [worker(replica.base_url, url, tmp_path / "feeds", f"w{i}") for i in range(3)]
        for p in workers:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err[-2000:]
        requests = replica.requests()
    finally:
        stop_replica(replica)
    feeds = sorted((tmp_path / "feeds").rglob("*.jsonl"))
    # workers may start in different seconds: compare names, not the order of stamps
    assert sorted(f.name.rsplit("-", 1)[1] for f in feeds) == ["w0.jsonl", "w1.jsonl", "w2.jsonl"]
    shares = [len(read_feeds([f])) for f in feeds]
    assert min(shares) > sum(shares) / 20, shares  # the work was shared (each > 5%)
    items = read_feeds(feeds)
    report = check_feed(items, ReplicaApp(1500, 22).corpus, replica.base_url)
    assert not report.repeated_ids and not report.unexpected_ids and not report.field_errors
    assert not report.missing, report.summary()
    fetched = Counter(p for _, p, _ in requests if p.startswith("/article/") and "agency-wire" not in p)
    truncated = {m.article_id for m in ReplicaApp(1500, 22).corpus.metas if m.case == "truncated_html"}
    again = [p for p, n in fetched.items() if n > 1 and int(p.split("/")[3].split("-")[0]) not in truncated]
    assert again == []  # each article fetched by one worker only
