"""Distributed mode (NEWSCRAWL_REDIS_URL): scrapy-redis frontier against a real redis-server.

One worker across two runs; three identical workers at once (the union of their
feeds is the truth: no article and no story twice, the work shared, the
frontier seeded once); a worker killed with SIGKILL mid-crawl (the others
finish; its rerun recovers its feed, releases its claims and fetches the rest).
"""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import time
from collections import Counter
from typing import TYPE_CHECKING

import pytest

from newscrawl.distributed.admin import main, status
from newscrawl.pipelines.feedrecovery import read_part
from newscrawl.site.urls import parse_article_url
from replica.app import ReplicaApp
from replica.check import check_feed, read_feeds
from replica.demo import crawl_command
from tests.conftest import ROOT, child_env, start_replica, stop_replica

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

    from replica.corpus import Corpus

pytestmark = pytest.mark.slow


def worker(base_url: str, redis_url: str, feeds: Path, name: str | None) -> subprocess.Popen[str]:
    command = crawl_command(
        base_url,
        "-s", f"NEWSCRAWL_REDIS_URL={redis_url}",
        "-s", f"NEWSCRAWL_FEED_DIR={feeds}",
        "-s", "NEWSCRAWL_REDIS_IDLE_SECONDS=2",
        # Paced as a polite crawl is (100 requests a second at most), not by how fast each worker
        # gets a core: the first worker must not take the site alone before the others start.
        "-s", "DOWNLOAD_DELAY=0.01",
        *(["-s", f"NEWSCRAWL_WORKER_ID={name}"] if name else []),
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
            served = len(replica.requests())
            _, err = (p := worker(replica.base_url, url, tmp_path / "feeds", "w1")).communicate(timeout=300)
            assert p.returncode == 0, err[-2000:]
            assert "scrapy_redis.scheduler.Scheduler" in err and "test-secret" not in err
        second = [path for _, path, _ in replica.requests()[served:]]
    finally:
        stop_replica(replica)
    # the second run is incremental: no article fetched, every listing stops after its first page
    assert not [path for path in second if path.startswith("/article/")]
    assert not [p for p in second if "page=" in p and "page=1" not in p], second
    assert not [p for p in second if p.startswith("/api/") and not p.endswith("/1")], second
    feeds = sorted((tmp_path / "feeds").rglob("*.jsonl"))
    assert len(feeds) == 1 and feeds[0].name.endswith("-w1.jsonl")  # the second run: nothing new
    report = check_feed(read_feeds(feeds), ReplicaApp(300, 21).corpus, replica.base_url)
    assert report.ok, report.summary()
    progress = status(url)
    assert progress["workers"] == {} and progress["queue"] == 0 and progress["claims_uncommitted"] == 0
    assert progress["articles_settled"] >= report.exported  # exported and dropped ids
    assert main(["reset", "--redis-url", url]) == 0
    assert status(url)["articles_settled"] == 0


def reap(workers: Iterable[subprocess.Popen[str]]) -> None:
    """A failed assertion must not leave workers running."""
    for p in workers:
        if p.poll() is None:
            p.kill()
            p.communicate()


def fetched_twice(requests: list[tuple[int, str, str]], corpus: Corpus) -> list[int]:
    """Article ids served more than once, whatever the URL form (truncated pages are re-requested on purpose)."""
    fetched = Counter(
        ref.article_id
        for status, p, _ in requests
        if status == 200 and (ref := parse_article_url("http://h" + p)) is not None
    )
    truncated = {m.article_id for m in corpus.metas if m.case == "truncated_html"}
    return [i for i, n in fetched.items() if n > 1 and i not in truncated]


def test_three_identical_workers_share_the_frontier(redis_url: str, tmp_path: Path) -> None:
    url = f"{redis_url.rsplit('/', 1)[0]}/2"
    replica = start_replica(tmp_path, 1500, 22)
    workers: list[subprocess.Popen[str]] = []
    try:
        workers = [worker(replica.base_url, url, tmp_path / "feeds", None) for _ in range(3)]
        errs = []
        for p in workers:
            _, err = p.communicate(timeout=300)  # each exits by itself once the queue stays empty
            assert p.returncode == 0, err[-2000:]
            errs.append(err)
        requests = replica.requests()
    finally:
        reap(workers)
        stop_replica(replica)
    assert sum("starts a new crawl" in err for err in errs) == 1
    assert sum("joins a running crawl" in err for err in errs) == 2
    feeds = sorted((tmp_path / "feeds").rglob("*.jsonl"))
    host = socket.gethostname()
    # ids from the registry, <host>-<n>; workers may start in different seconds: compare names only
    assert sorted(f.name.rsplit(f"-{host}-", 1)[1] for f in feeds) == ["1.jsonl", "2.jsonl", "3.jsonl"]
    shares = [len(read_feeds([f])) for f in feeds]
    # The work was shared: each worker > 10%. (An idle worker that waited for Scrapy's 5-second
    # heartbeat got ~2% while the others' pages were still finding links.)
    assert min(shares) > sum(shares) / 10, shares
    corpus = ReplicaApp(1500, 22).corpus
    report = check_feed(read_feeds(feeds), corpus, replica.base_url, ordered=False)
    assert report.ok, report.summary()  # no article id twice, no story twice, nothing missing
    assert fetched_twice(requests, corpus) == []  # each article fetched by one worker only
    assert sum(1 for _, p, _ in requests if p == "/") == 1  # the frontier was seeded once
    # the archive API paged through once across the workers, to its end
    pages = Counter(p for _, p, _ in requests if p.startswith("/api/Search/GetAllNews/"))
    approved = sum(corpus.approved(i) for i in range(corpus.size))
    assert pages and set(pages.values()) == {1} and len(pages) == -(-approved // 20) + 1


def test_three_workers_share_the_id_walk(redis_url: str, tmp_path: Path) -> None:
    url = f"{redis_url.rsplit('/', 1)[0]}/4"
    replica = start_replica(tmp_path, 1000, 24, "--archive-api", "off")
    workers: list[subprocess.Popen[str]] = []
    try:
        workers = [worker(replica.base_url, url, tmp_path / "feeds", None) for _ in range(3)]
        for p in workers:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err[-2000:]
        requests = replica.requests()
    finally:
        reap(workers)
        stop_replica(replica)
    corpus = ReplicaApp(1000, 24).corpus
    feeds = sorted((tmp_path / "feeds").rglob("*.jsonl"))
    report = check_feed(read_feeds(feeds), corpus, replica.base_url, ordered=False)
    assert report.ok, report.summary()
    assert fetched_twice(requests, corpus) == []
    probed = Counter(int(p.rsplit("/", 1)[1]) for s, p, _ in requests if re.fullmatch(r"/article/\d+", p))
    missing = Counter(
        int(p.rsplit("/", 1)[1]) for s, p, _ in requests if re.fullmatch(r"/article/\d+", p) and s == 500
    )
    assert probed and missing  # the walk ran, through the shared queue
    assert max(missing.values()) <= 2  # each missing id probed by one worker: once, plus one retry
    assert sum(1 for _, p, _ in requests if p == "/api/Search/GetAllNews/1") == 1  # tried once, then ids


def test_a_worker_killed_mid_crawl(redis_url: str, tmp_path: Path) -> None:
    url = f"{redis_url.rsplit('/', 1)[0]}/3"
    feeds = tmp_path / "feeds"
    replica = start_replica(tmp_path, 1500, 23)
    workers: dict[str, subprocess.Popen[str]] = {}
    try:
        workers = {name: worker(replica.base_url, url, feeds, name) for name in ("w1", "w2", "w3")}
        deadline = time.monotonic() + 120
        while not any(p.stat().st_size > 20_000 for p in feeds.rglob("*-w2.jsonl.part")):
            assert time.monotonic() < deadline and workers["w2"].poll() is None, "w2 never got going"
            time.sleep(0.05)
        workers["w2"].send_signal(signal.SIGKILL)
        workers["w2"].communicate(timeout=30)  # reaps it and closes its pipes
        for name in ("w1", "w3"):
            _, err = workers[name].communicate(timeout=300)  # the others finish on their own
            assert workers[name].returncode == 0, err[-2000:]
        parts = list(feeds.rglob("*-w2.jsonl.part"))
        assert parts  # the killed worker's feed is not published
        corpus = ReplicaApp(1500, 23).corpus
        # What the others published and what the killed worker's .part holds: nothing twice, and
        # only what it had claimed but not written yet may be missing until its rerun. (Published
        # feeds alone can lack a story's first version, which the killed worker holds.)
        held = [line for part in parts for line in read_part(part)[0]]
        published = read_feeds(feeds.rglob("*.jsonl"))
        before = check_feed(published + held, corpus, replica.base_url, ordered=False)
        assert not before.repeated_ids and all(e.endswith(" missing") for e in before.story_errors)
        _, err = (rerun := worker(replica.base_url, url, feeds, "w2")).communicate(timeout=300)
        assert rerun.returncode == 0, err[-2000:]
    finally:
        reap(workers.values())
        stop_replica(replica)
    assert "Recovered" in err and "starts a new crawl" in err and "did not finish" in err
    assert not list(feeds.rglob("*.part"))
    report = check_feed(read_feeds(sorted(feeds.rglob("*.jsonl"))), corpus, replica.base_url, ordered=False)
    assert report.ok, report.summary()  # nothing missing, nothing twice
