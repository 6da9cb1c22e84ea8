"""Cron on the news sitemap: new articles and editors' updates in a handful of requests.

Run 1 is a backfill of the replica at 430 articles; run 2 sees it at 460: 30
articles published since, and (seed 7) five older ones that editors changed,
which the sitemap lists with a later ``lastmod``. Each test starts its own
replica so that the access log is its own.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from typing import TYPE_CHECKING

import duckdb
import pytest

from newscrawl.cron import EXIT_OK, EXIT_UNHEALTHY
from replica.check import check_feed, read_feeds
from replica.corpus import DROPPED_CASES, Corpus
from replica.demo import as_args, workdir_settings
from replica.truth import expected_item, truth_records
from tests.conftest import ROOT, child_env, start_replica, stop_replica

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Replica

pytestmark = pytest.mark.slow

SEED, BEFORE, AFTER = 7, 430, 460


def cron(replica: Replica, tmp: Path, *args: str, **settings: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newscrawl.cron", "--base-url", replica.base_url, *args,
         *as_args({**workdir_settings(tmp), **settings})],
        cwd=ROOT, env=child_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def run(replica: Replica, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    process = cron(replica, tmp, *args)
    out, err = process.communicate(timeout=300)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def feeds(tmp: Path) -> list[Path]:
    return sorted((tmp / "feeds" / "devdiscourse").glob("*.jsonl"))


def expected_changes() -> tuple[set[int], set[int]]:
    """(ids new since BEFORE that a crawl exports, ids exported at BEFORE that editors changed since)."""
    before, after = Corpus(BEFORE, SEED), Corpus(AFTER, SEED)
    exported_before = {
        m.article_id for m in before.metas if before.approved(m.index) and m.case not in DROPPED_CASES
    }
    new = {m.article_id for m in after.metas if after.approved(m.index) and m.case not in DROPPED_CASES}
    new -= exported_before
    edited = {
        m.article_id
        for m in before.metas
        if m.article_id in exported_before
        and after.article(m.index).version > before.article(m.index).version
    }
    return new, edited


def backfill(tmp: Path, *extra: str) -> int:
    """Run 1 on a fresh replica of BEFORE articles; the replica's port, for run 2."""
    replica = start_replica(tmp, BEFORE, SEED, *extra)
    try:
        first = run(replica, tmp)
        assert first.returncode == EXIT_OK, first.stderr[-2000:]
        assert "path listings" in first.stdout
        return int(replica.base_url.rsplit(":", 1)[1])
    finally:
        stop_replica(replica)


def test_nothing_new_costs_a_handful_of_requests(tmp_path: Path) -> None:
    port = backfill(tmp_path)
    replica = start_replica(tmp_path, BEFORE, SEED, "--port", str(port))
    try:
        already = len(replica.requests())  # the access log of run 1's replica
        second = run(replica, tmp_path)
        served = [p for _, p, _ in replica.requests()[already:]]
        already = len(replica.requests())
        netted = run(replica, tmp_path, "-s", "NEWSCRAWL_LISTINGS_EVERY_MINUTES=0")  # the net is due
        net = [p for _, p, _ in replica.requests()[already:]]
    finally:
        stop_replica(replica)
    assert netted.returncode == EXIT_OK and "path sitemap+listings" in netted.stdout
    assert net[:2] == ["/robots.txt", "/RSS/GoogleNews"] and "/api/Search/GetAllNews/1" in net
    assert len([p for p in net if p.startswith("/Home/GetNewsItems?") and p.endswith("page=1")]) == 14
    assert len(net) == 17  # each label listing's newest page and the archive's: nothing new, no paging
    assert second.returncode == EXIT_OK, second.stderr[-2000:]
    assert "0 items exported" in second.stdout and "path sitemap" in second.stdout
    assert served == ["/robots.txt", "/RSS/GoogleNews"]
    assert len(feeds(tmp_path)) == 1


def test_new_and_edited_articles_are_exported_as_lines_and_versions(tmp_path: Path) -> None:
    new, edited = expected_changes()
    assert len(new) == 30 and len(edited) == 5  # 30 published since, 5 older ones edited since
    port = backfill(tmp_path)
    replica = start_replica(tmp_path, AFTER, SEED, "--port", str(port))
    try:
        second = run(replica, tmp_path)
        served = replica.requests()
        third = run(replica, tmp_path)  # the same site again: nothing new, nothing changed
    finally:
        stop_replica(replica)
    assert second.returncode == EXIT_OK, second.stderr[-2000:]
    assert f"({len(new)} new, 5 updated)" in second.stdout and "path sitemap" in second.stdout
    first_feed, update_feed = feeds(tmp_path)
    lines = read_feeds([update_feed])
    assert {i["article_id"] for i in lines if i["version"] == 1} == new
    assert {i["article_id"] for i in lines if i["version"] == 2} == edited
    assert len(lines) == len(new) + 5
    before = {i["article_id"]: i for i in read_feeds([first_feed])}
    for line in lines:
        if line["version"] == 2:  # same article, same url, a later updated_at, a longer body
            old = before[line["article_id"]]
            assert (line["url"], old["version"]) == (old["url"], 1)
            assert line["updated_at"] > old["updated_at"] and line["body"].startswith(old["body"])
    report = check_feed(read_feeds(feeds(tmp_path)), Corpus(AFTER, SEED), replica.base_url)
    assert report.ok, report.summary()
    article_pages = [p for _, p, _ in served if p.startswith("/article/")]
    assert (
        len(served) <= len(article_pages) + 4 and len(article_pages) <= len(new) + 5 + 3
    )  # + retries of a cut page
    assert third.returncode == EXIT_OK and "0 items exported" in third.stdout
    assert len(feeds(tmp_path)) == 2
    assert_dataset_matches_truth(tmp_path / "dataset", Corpus(AFTER, SEED), replica.base_url, feeds(tmp_path))


def assert_dataset_matches_truth(
    dataset: Path, corpus: Corpus, base_url: str, feed_files: list[Path]
) -> None:
    """What cron kept in the analysts' dataset: every line, each article's newest version, one row
    per story with its newest revision, and story counts by IST day as the truth has them."""
    lines = read_feeds(feed_files)
    records = list(truth_records(corpus, base_url))
    story_of = {i: r for r in records for i in [r["article_id"], *r["duplicate_ids"], *r["revision_ids"]]}
    with duckdb.connect(str(dataset / "newscrawl.duckdb"), read_only=True) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone() == (len(lines),)
        newest = {i["article_id"]: i["version"] for i in sorted(lines, key=lambda i: i["version"])}
        latest = dict(db.execute("SELECT article_id, version FROM latest").fetchall())
        assert latest == newest
        stories = db.execute("SELECT story_id, article_id, versions FROM stories").fetchall()
        by_day = dict(db.execute(
            "SELECT published_date_ist::VARCHAR, count(*) FROM articles"
            " WHERE article_id = story_id AND version = 1 GROUP BY 1"
        ).fetchall())  # fmt: skip
        shifted = db.execute(
            "SELECT count(*) FROM articles WHERE CAST(published_at AS DATE) <> published_date_ist"
        ).fetchone()
    assert len(stories) == len(records)  # one row per story of the site
    for story_id, article_id, versions in stories:
        record = story_of[story_id]
        assert story_of[article_id] is record
        if record["revision_ids"]:
            assert article_id == record["revision_ids"][-1]  # the newest revision
        assert versions == sum(1 for i in lines if story_of[i["article_id"]] is record)
    expected = Counter(
        expected_item(corpus.article(corpus.index_of(story_id)), base_url)["published_date_ist"] or None
        for story_id, _, _ in stories
    )
    assert by_day == {str(day) if day else None: n for day, n in expected.items()}
    assert (
        shifted is not None and shifted[0] > 0
    )  # the IST-day trap is in this data: the day column avoids it


def test_a_broken_sitemap_falls_back_to_the_listings_and_finds_the_same(tmp_path: Path) -> None:
    new, edited = expected_changes()
    port = backfill(tmp_path)
    replica = start_replica(tmp_path, AFTER, SEED, "--port", str(port), "--break", "sitemap")
    try:
        second = run(replica, tmp_path)
    finally:
        stop_replica(replica)
    assert second.returncode == EXIT_UNHEALTHY  # the broken channel is flagged ...
    assert "channel broken: sitemap" in second.stderr.strip().splitlines()[-1]
    log = sorted((tmp_path / "logs").glob("*.log"))[-1].read_text(encoding="utf-8")
    assert "News sitemap unusable (/RSS/GoogleNews does not parse" in log
    assert "'newscrawl/run/path': 'fallback'" in log
    lines = read_feeds(feeds(tmp_path)[1:])  # ... and the run found what the sitemap would have
    assert {i["article_id"] for i in lines if i["version"] == 1} == new
    assert {i["article_id"] for i in lines if i["version"] == 2} == edited


def test_kill_9_during_an_update_run_leaves_one_line_per_version(tmp_path: Path) -> None:
    port = backfill(tmp_path)
    replica = start_replica(tmp_path, AFTER, SEED, "--port", str(port))
    try:
        slow = {
            "NEWSCRAWL_FEED_SYNC_ITEMS": "1",
            "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
            "DOWNLOAD_DELAY": "0.15",
        }
        process = cron(replica, tmp_path, **slow)
        deadline = time.monotonic() + 120
        while not any(b'"version": 2' in p.read_bytes() for p in (tmp_path / "feeds").rglob("*.part")):
            assert process.poll() is None and time.monotonic() < deadline, "the run ended before an update"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.communicate()
        rerun = run(replica, tmp_path)
    finally:
        stop_replica(replica)
    assert rerun.returncode == EXIT_OK, rerun.stderr[-2000:]
    items = read_feeds(feeds(tmp_path))
    versions = Counter((i["article_id"], i["version"]) for i in items)
    assert max(versions.values()) == 1  # no version of any article twice
    assert sum(1 for (_, v) in versions if v == 2) == 5
    report = check_feed(items, Corpus(AFTER, SEED), replica.base_url)
    assert report.ok, report.summary()
