"""Discovery channels on the 2026 site: the archive API, the id walk, since/floor, broken channels.

Crawls run against replicas over real HTTP; each channel is tested where it is
the one that matters (the archive API off, the sitemap or the listings broken),
and the monitors are held to failing runs that did not reach the archive.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest

from newscrawl.cron import EXIT_OK, EXIT_UNHEALTHY
from newscrawl.site.indexes import IST
from replica.app import ReplicaApp
from replica.check import check_feed, read_feeds
from replica.demo import as_args, workdir_settings
from replica.truth import truth_records
from tests.conftest import ROOT, Replica, child_env, start_replica, stop_replica
from tests.e2e.test_crawl import run_crawl

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

ARTICLES, SEED = 300, 7
PROBE_RE = re.compile(r"^/article/(\d+)$")
KNOWN_DAMAGE = ("Dropped", "unparsed")  # the replica's damaged pages: one warning each, by design


def probes(requests: list[tuple[int, str, str]]) -> list[tuple[int, int]]:
    """(status, id) of every id-walk probe (``/article/{id}``) served."""
    return [(status, int(m.group(1))) for status, path, _ in requests if (m := PROBE_RE.match(path))]


def unexported(stories: list[dict[str, Any]], items: list[dict[str, Any]]) -> list[int]:
    """Stories of the truth none of whose articles (copies, revisions) is in the feed."""
    exported = {i["article_id"] for i in items}
    return [
        r["article_id"]
        for r in stories
        if not exported & {r["article_id"], *r["duplicate_ids"], *r["revision_ids"]}
    ]


def warnings(log: str) -> list[str]:
    return [
        line for line in log.splitlines() if " WARNING: " in line and not any(k in line for k in KNOWN_DAMAGE)
    ]


def cron(base_url: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newscrawl.cron", "--base-url", base_url, *as_args(workdir_settings(tmp)), *args],
        cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


@pytest.fixture(scope="module")
def archive_off(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    """The site with its archive API gone (404): the crawl must walk ids."""
    server = start_replica(tmp_path_factory.mktemp("archive-off"), ARTICLES, SEED, "--archive-api", "off")
    yield server
    stop_replica(server)


@pytest.mark.slow
def test_archive_api_off_walks_ids_to_the_whole_archive(archive_off: Replica, tmp_path: Path) -> None:
    before = len(archive_off.requests())
    crawl = run_crawl(archive_off, tmp_path)
    served = archive_off.requests()[before:]
    assert crawl.returncode == 0, crawl.log[-3000:]
    corpus = archive_off.app().corpus
    report = check_feed(read_feeds(crawl.feeds), corpus, archive_off.base_url)
    assert report.ok, report.summary()
    assert (
        "'newscrawl/archive/how': 'id walk from" in crawl.log
        and "'newscrawl/archive/complete': 1" in crawl.log
    )
    assert "archive_api: /api/Search/GetAllNews/1: http_404" in crawl.log
    assert [p for _, p, _ in served if p.startswith("/api/Search/GetAllNews/")] == [
        "/api/Search/GetAllNews/1"
    ]
    # a missing id answers 500: one retry at most, then it is remembered
    tries = Counter(article_id for status, article_id in probes(served) if status == 500)
    assert tries and max(tries.values()) <= 2
    assert not {i for i in tries if corpus.index_of(i) is not None and corpus.approved(corpus.index_of(i))}
    assert len(warnings(crawl.log)) <= 3, warnings(crawl.log)  # the broken channel, said once

    # Missing ids are remembered once an article shows below them: not the run of misses that
    # ended each chain at the bottom (it could have been an outage).
    with sqlite3.connect(tmp_path / "state.sqlite") as db:
        remembered = {row[0] for row in db.execute("SELECT article_id FROM missing")}
    lowest = min(m.article_id for m in corpus.metas)
    assert remembered and remembered <= set(tries) and all(i > lowest for i in remembered)
    assert not {i for i in tries if i < lowest} & remembered
    # A full re-run walks the whole range again, but never probes a remembered missing id.
    again = len(archive_off.requests())
    rerun = run_crawl(archive_off, tmp_path, "-a", "mode=full")
    assert rerun.returncode == 0, rerun.log[-3000:]
    assert not [p for p in probes(archive_off.requests()[again:]) if p[1] in remembered]
    assert "newscrawl/id_walk/skipped_missing" in rerun.log


@pytest.mark.slow
def test_since_and_floor_bound_the_archive_through_the_api_and_through_ids(
    replica: Replica, archive_off: Replica, tmp_path: Path
) -> None:
    corpus = replica.app().corpus
    since_day = corpus.metas[200].published.astimezone(IST).date()
    newer = [
        r
        for r in truth_records(corpus, replica.base_url)
        if (r["published_at_ist"] or "")[:10] >= str(since_day)  # null: a malformed time
    ]
    assert 40 < len(newer) < 150

    before = len(replica.requests())
    through_api = run_crawl(replica, tmp_path / "api", "-a", f"since={since_day}")
    api_pages = [p for _, p, _ in replica.requests()[before:] if p.startswith("/api/Search/GetAllNews/")]
    assert through_api.returncode == 0, through_api.log[-3000:]
    assert unexported(newer, read_feeds(through_api.feeds)) == []
    assert len(api_pages) <= len(newer) // 20 + 3  # stopped soon after passing that day

    before = len(archive_off.requests())
    through_ids = run_crawl(archive_off, tmp_path / "ids", "-a", f"since={since_day}")
    walked = [i for _, i in probes(archive_off.requests()[before:])]
    assert through_ids.returncode == 0, through_ids.log[-3000:]
    assert unexported(newer, read_feeds(through_ids.feeds)) == []
    assert min(walked) > corpus.metas[150].article_id  # the chains stopped after passing that day
    assert "newscrawl/id_walk/chains_ended/since" in through_ids.log

    floor = corpus.metas[250].article_id
    before = len(archive_off.requests())
    floored = run_crawl(archive_off, tmp_path / "floor", "-a", "archive=ids", "-a", f"floor_id={floor}")
    walked = [i for _, i in probes(archive_off.requests()[before:])]
    assert floored.returncode == 0 and walked and min(walked) >= floor
    exported = {i["article_id"] for i in read_feeds(floored.feeds)}
    assert {m.article_id for m in corpus.metas[250:] if corpus.approved(m.index)} - exported <= {
        m.article_id for m in corpus.metas if m.case in ("empty_body", "truncated_html")
    }


@pytest.mark.slow
def test_broken_sitemap_and_listings_are_survived_and_flagged(tmp_path: Path) -> None:
    replica = start_replica(tmp_path, ARTICLES, SEED, "--break", "sitemap,listings")
    try:
        result = cron(replica.base_url, tmp_path)
    finally:
        stop_replica(replica)
    assert result.returncode == EXIT_UNHEALTHY, result.stderr[-2000:]
    line = result.stderr.strip().splitlines()[-1]
    assert "channel broken: sitemap: /RSS/GoogleNews does not parse" in line
    assert "listing: label:" in line and "first page has no cards" in line
    feeds = sorted((tmp_path / "feeds").rglob("*.jsonl"))
    report = check_feed(read_feeds(feeds), ReplicaApp(ARTICLES, SEED).corpus, replica.base_url)
    assert report.ok, report.summary()  # the archive and the sidebars reached everything


@pytest.mark.slow
def test_a_backfill_that_did_not_reach_the_archive_is_unhealthy(archive_off: Replica, tmp_path: Path) -> None:
    result = cron(archive_off.base_url, tmp_path, "-a", "archive=api")  # no fallback to ids
    assert result.returncode == EXIT_UNHEALTHY
    (line,) = result.stderr.strip().splitlines()[-1:]
    assert line.startswith("newscrawl.cron: unhealthy:")
    assert "archive not covered: archive API broke at page 1" in line


@pytest.mark.slow
def test_articles_listed_but_never_fetched_fail_the_run(replica: Replica, tmp_path: Path) -> None:
    result = cron(replica.base_url, tmp_path, "-s", "CLOSESPIDER_ITEMCOUNT=20")
    assert result.returncode == EXIT_UNHEALTHY
    line = result.stderr.strip().splitlines()[-1]
    assert re.search(r"\d+ of \d+ articles the channels listed were never fetched \(ids \[", line), line


@pytest.mark.slow
def test_a_nothing_new_run_stays_cheap_and_healthy(replica: Replica, tmp_path: Path) -> None:
    assert cron(replica.base_url, tmp_path).returncode == EXIT_OK
    before = len(replica.requests())
    second = cron(replica.base_url, tmp_path)
    assert second.returncode == EXIT_OK, second.stderr[-2000:]
    served = [p for _, p, _ in replica.requests()[before:]]
    assert not [p for p in served if p.startswith("/article/")]
    assert len(served) < 60  # entry pages and first listing pages only
