"""Incremental cron runs: persistent state, fetch less, exactly once across kills."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from newscrawl.cron import EXIT_LOCKED, EXIT_OK
from replica.app import ReplicaApp
from replica.check import check_feed, read_feeds
from replica.demo import as_args, workdir_settings
from tests.conftest import ROOT, Replica, child_env, start_replica, stop_replica

if TYPE_CHECKING:
    from pathlib import Path

ARTICLE_RE = re.compile(r"^/article/[^/]+/(\d+)")
SEED = 3


@dataclass
class Workdir:
    root: Path

    @property
    def feeds(self) -> list[Path]:
        return sorted((self.root / "feeds" / "devdiscourse").glob("*.jsonl"))

    @property
    def parts(self) -> list[Path]:
        return sorted((self.root / "feeds").rglob("*.part"))

    def settings(self, **extra: str) -> list[str]:
        return as_args({**workdir_settings(self.root), **extra})

    def cron(self, replica: Replica, *args: str, **settings: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "newscrawl.cron", "--base-url", replica.base_url, *args, *self.settings(**settings)],
            cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    def crawl(self, replica: Replica, *args: str, **settings: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "scrapy", "crawl", "devdiscourse", "-a", f"base_url={replica.base_url}",
             *args, *self.settings(**settings)],
            cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip


def finish(process: subprocess.Popen[str], timeout: float = 300) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out, err


def article_fetches(requests: list[tuple[int, str, str]]) -> list[int]:
    return [int(m.group(1)) for _, path, _ in requests if (m := ARTICLE_RE.match(path))]


@pytest.mark.slow
def test_three_cron_runs_export_each_story_once(tmp_path: Path) -> None:
    work = Workdir(tmp_path)
    replica = start_replica(tmp_path, 300, SEED)
    port = urlsplit(replica.url).port
    try:
        code, out, err = finish(work.cron(replica))
        assert code == EXIT_OK, err[-2000:]
        assert "healthy" in out
        first = read_feeds(work.feeds)
        report = check_feed(first, ReplicaApp(300, SEED).corpus, replica.base_url)
        assert report.ok, report.summary()

        seen = len(replica.requests())
        code, out, err = finish(work.cron(replica))
        assert code == EXIT_OK, err[-2000:]
        assert len(work.feeds) == 1, "a run with nothing new wrote a feed"
        second = replica.requests()[seen:]
        assert article_fetches(second) == []
        # the news-sitemap path: robots.txt and the sitemap (the listings were paged < 1 h ago)
        assert [p for _, p, _ in second] == ["/robots.txt", "/RSS/GoogleNews"]
    finally:
        stop_replica(replica)

    grown = start_replica(tmp_path, 330, SEED, "--port", str(port))
    try:
        code, out, err = finish(work.cron(grown))
        assert code == EXIT_OK, err[-2000:]
        third_feed = work.feeds[-1]
        third = read_feeds([third_feed])
        corpus, earlier = ReplicaApp(330, SEED).corpus, ReplicaApp(300, SEED).corpus
        # New: the 30 articles published since, and any older one approved since (late_approval);
        # updated: older articles editors changed since (exported again, version 2 or 3).
        new_articles = {m.article_id for m in corpus.metas if corpus.approved(m.index)} - {
            m.article_id for m in earlier.metas if earlier.approved(m.index)
        }
        edited = {
            m.article_id
            for m in earlier.metas
            if m.case is None and corpus.article(m.index).version > earlier.article(m.index).version
        }
        assert len(new_articles) > 30 and edited
        assert third and {i["article_id"] for i in third if i["version"] == 1} <= new_articles
        assert {i["article_id"] for i in third if i["version"] > 1} == edited
        fetched = article_fetches(grown.requests())
        assert set(fetched) == new_articles | edited and len(fetched) == len(set(fetched))
        report = check_feed(read_feeds(work.feeds), corpus, grown.base_url)
        assert report.ok, report.summary()
    finally:
        stop_replica(grown)


@pytest.mark.slow
def test_overlapping_cron_run_exits_at_once_and_touches_nothing(tmp_path: Path) -> None:
    work = Workdir(tmp_path)
    replica = start_replica(tmp_path, 300, SEED)
    slow = {"CONCURRENT_REQUESTS_PER_DOMAIN": "1", "DOWNLOAD_DELAY": "0.5"}
    first = work.cron(replica, **slow)
    try:
        wait_for(
            lambda: (
                "pid" in (tmp_path / "cron.lock").read_text() if (tmp_path / "cron.lock").exists() else False
            )
        )
        wait_for(lambda: bool(list(tmp_path.glob("logs/*.log"))))  # the first run is crawling
        logs_before = sorted(tmp_path.glob("logs/*"))
        feeds_before = sorted(tmp_path.rglob("*.jsonl*"))
        started = time.monotonic()
        code, _out, err = finish(work.cron(replica), timeout=60)
        assert code == EXIT_LOCKED
        assert time.monotonic() - started < 10
        assert "another run holds" in err and f"pid {first.pid}" in err
        assert sorted(tmp_path.glob("logs/*")) == logs_before
        assert sorted(tmp_path.rglob("*.jsonl*")) == feeds_before
    finally:
        first.kill()
        first.communicate()
        stop_replica(replica)


def wait_for(predicate, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition never came"
        time.sleep(0.02)


def part_lines(work: Workdir) -> int:
    return sum(p.read_bytes().count(b"\n") for p in work.parts)


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["early", "middle", "flushing"])
def test_kill_9_loses_and_duplicates_nothing(replica: Replica, tmp_path: Path, moment: str) -> None:
    work = Workdir(tmp_path)
    settings = {
        "NEWSCRAWL_FEED_SYNC_ITEMS": "1" if moment == "flushing" else "10",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
    }
    process = work.crawl(replica, **settings)
    condition = {
        "early": lambda: work.parts,
        "middle": lambda: part_lines(work) >= 100,
        "flushing": lambda: part_lines(work) >= 180,
    }[moment]
    wait_for(condition)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert work.parts, "the kill came after the feed was published"
    killed_lines = part_lines(work)
    code, _, err = finish(work.crawl(replica))
    assert code == 0, err[-2000:]
    assert "Recovered" in err
    assert "did not finish" in err  # the rerun pages every listing: the gaps may lie deep
    assert not work.parts
    items = read_feeds(work.feeds)  # json.loads on every line: no torn line published
    report = check_feed(items, replica.app().corpus, replica.base_url)
    assert report.ok, report.summary()
    if killed_lines:  # the killed run's complete lines, published as its feed
        assert len(work.feeds) == 2
        assert len(read_feeds(work.feeds[:1])) == killed_lines
    else:
        assert len(work.feeds) == 1


@pytest.mark.slow
def test_jobdir_resume_after_ctrl_c(replica: Replica, tmp_path: Path) -> None:
    work = Workdir(tmp_path)
    jobdir = tmp_path / "job"
    settings = {"JOBDIR": str(jobdir), "CONCURRENT_REQUESTS_PER_DOMAIN": "2"}
    process = work.crawl(replica, **settings)
    wait_for(lambda: part_lines(work) >= 60)
    process.send_signal(signal.SIGINT)
    code, _, err = finish(process)
    assert "'finish_reason': 'shutdown'" in err
    assert not work.parts and len(work.feeds) == 1
    code, _, err = finish(work.crawl(replica, **settings))
    assert code == 0, err[-2000:]
    report = check_feed(read_feeds(work.feeds), replica.app().corpus, replica.base_url)
    assert report.ok, report.summary()


@pytest.mark.slow
def test_reset_and_full_mode(replica: Replica, tmp_path: Path) -> None:
    work = Workdir(tmp_path)
    assert finish(work.crawl(replica))[0] == 0
    before = len(replica.requests())
    assert finish(work.crawl(replica, "-a", "mode=full"))[0] == 0
    full = replica.requests()[before:]
    assert article_fetches(full) == []
    corpus = replica.app().corpus
    approved = sum(corpus.approved(i) for i in range(corpus.size))
    archive_pages = [p for _, p, _ in full if p.startswith("/api/Search/GetAllNews/")]
    assert len(archive_pages) == -(-approved // 20) + 1  # paged to the end: the last page is empty
    assert len(work.feeds) == 1
    assert finish(work.crawl(replica, "-a", "reset=1"))[0] == 0
    assert len(work.feeds) == 2
    # after a reset the new run alone is a complete export (revision lines vary with crawl order)
    report = check_feed(read_feeds(work.feeds[1:]), replica.app().corpus, replica.base_url)
    assert report.ok, report.summary()
