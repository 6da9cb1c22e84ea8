"""End to end: the real spider and pipelines crawl the replica over HTTP."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from replica.check import check_feed, read_feeds
from replica.demo import crawl_command
from tests.conftest import ROOT, Replica, child_env, start_replica, stop_replica

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.slow

ARTICLE_RE = re.compile(r"^/article/([^/]+)/(\d+)")


@dataclass
class Crawl:
    returncode: int
    log: str
    feeds: list[Path]


def run_crawl(replica: Replica, tmp: Path, *args: str, base_url: str | None = None) -> Crawl:
    feed_dir = tmp / "feeds"
    state = f"sqlite:///{tmp / 'state.sqlite'}"
    command = crawl_command(
        base_url or replica.base_url,
        "-s",
        f"NEWSCRAWL_FEED_DIR={feed_dir}",
        "-s",
        f"NEWSCRAWL_STATE_URI={state}",
        *args,
    )
    result = subprocess.run(
        command, cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=300, check=False
    )
    return Crawl(result.returncode, result.stderr, sorted(feed_dir.glob("devdiscourse/*.jsonl")))


@pytest.fixture(scope="module")
def full_crawl(replica: Replica, tmp_path_factory: pytest.TempPathFactory) -> Crawl:
    already = len(replica.requests())
    crawl = run_crawl(replica, tmp_path_factory.mktemp("crawl"))
    crawl.requests = replica.requests()[already:]  # type: ignore[attr-defined]
    return crawl


def test_crawl_finishes_cleanly(full_crawl: Crawl) -> None:
    assert full_crawl.returncode == 0, full_crawl.log[-3000:]
    assert "'finish_reason': 'finished'" in full_crawl.log
    assert "Traceback" not in full_crawl.log and " ERROR: " not in full_crawl.log
    assert len(full_crawl.feeds) == 1


def test_feed_matches_the_truth(full_crawl: Crawl, replica: Replica) -> None:
    items = read_feeds(full_crawl.feeds)
    report = check_feed(items, replica.app().corpus, replica.base_url)
    assert report.ok, report.summary()
    assert report.stories > 250


def test_feed_lines_are_valid_against_the_schema(full_crawl: Crawl) -> None:
    from newscrawl.pipelines.validation import schema_errors

    for item in read_feeds(full_crawl.feeds):
        assert not schema_errors(item), item["url"]


def test_no_article_is_fetched_twice(full_crawl: Crawl, replica: Replica) -> None:
    fetched = Counter()
    for status, path, _ in full_crawl.requests:  # type: ignore[attr-defined]
        match = ARTICLE_RE.match(path)
        if match and status == 200:
            fetched[int(match.group(2))] += 1
    assert fetched, "no article requests seen"
    corpus = replica.app().corpus
    truncated = {m.article_id for m in corpus.metas if m.case == "truncated_html"}
    # a cut page is asked for again (NEWSCRAWL_TRUNCATED_RETRIES=2) before it is dropped
    assert {i: n for i, n in fetched.items() if i in truncated} == dict.fromkeys(truncated, 3)
    assert [i for i, n in fetched.items() if n > 1 and i not in truncated] == []
    assert set(fetched) == {m.article_id for m in corpus.metas if corpus.approved(m.index)}


def test_links_to_articles_asked_for_already_are_not_yielded(full_crawl: Crawl) -> None:
    """Sidebars link each article a dozen times; the dupefilter sees almost none of those links."""

    def stat(name: str) -> int:
        found = re.search(rf"'{re.escape(name)}': (\d+)", full_crawl.log)
        return int(found.group(1)) if found else 0

    pages = stat("downloader/request_count")
    assert stat("newscrawl/links/asked_already") > 5 * pages  # the repeats were there to skip
    # What still reaches the dupefilter: listings' links to articles whose request is still on
    # its way to the scheduler (31 of 432 pages here). When only scheduled requests were held
    # back, a page's links repeated the requests pages just before it yielded: 82 here, 3,263
    # in a crawl of 3,000 articles.
    assert stat("dupefilter/filtered") < pages / 8, full_crawl.log[-3000:]


def test_robots_txt_is_obeyed(tmp_path: Path) -> None:
    # The site's code has no robots.txt (404 is allowed-all); should one appear, it is obeyed.
    replica = start_replica(tmp_path, 120, 3, "--robots")
    try:
        crawl = run_crawl(replica, tmp_path)
        paths = [path for _, path, _ in replica.requests()]
    finally:
        stop_replica(replica)
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert paths[0] == "/robots.txt"
    assert not [p for p in paths if p.startswith(("/Home/GetBlogItems", "/Account/", "/admin/"))]
    assert not [p for p in paths if "?amp" in p]
    assert "'robotstxt/forbidden': 1" in crawl.log


def test_discovery_channels_are_counted_and_the_archive_covered(full_crawl: Crawl) -> None:
    log = full_crawl.log
    for channel in ("sitemap", "archive_api", "listing", "home", "sidebar"):
        assert f"'newscrawl/channel/{channel}/requests':" in log, channel
    assert "'newscrawl/archive/complete': 1" in log and "'newscrawl/completeness/unreached': 0" in log
    paths = {path.split("?")[0] for _, path, _ in full_crawl.requests}  # type: ignore[attr-defined]
    assert {"/RSS/GoogleNews", "/api/Search/GetAllNews/1", "/Home/GetNewsItems", "/pti-stories"} <= paths
    # Nothing the site has no route for: agency pages other than PTI's and the desk's, the RSS feed.
    gone = ("/reuters-stories", "/ians-stories", "/ani-stories", "/un-news", "/pr-newswire", "/rss/website")
    assert not paths & set(gone)
    assert not [p for p in paths if p.startswith("/news-source/")]
    # Live blogs (another id space and template, not news-wire articles) are left out.
    assert not [p for p in paths if p.lower().startswith(("/live-discourse", "/rss/livediscourse"))]


def test_user_agent_is_descriptive(full_crawl: Crawl) -> None:
    agents = {agent for _, _, agent in full_crawl.requests}  # type: ignore[attr-defined]
    assert len(agents) == 1
    (agent,) = agents
    assert agent.startswith("newscrawl/") and "+http" in agent


def test_labels_argument_limits_the_crawl(replica: Replica, tmp_path: Path) -> None:
    crawl = run_crawl(replica, tmp_path, "-a", "labels=business,health")
    assert crawl.returncode == 0, crawl.log[-2000:]
    items = read_feeds(crawl.feeds)
    assert items and {i["label"] for i in items} == {"business", "health"}
    expected = {m.article_id for m in replica.app().corpus.metas if m.label in ("business", "health")}
    assert {i["article_id"] for i in items} <= expected


@pytest.mark.parametrize("bad", ["ftp://example.com", "not a url", "http://"])
def test_bad_base_url_fails_before_any_request(replica: Replica, tmp_path: Path, bad: str) -> None:
    before = len(replica.requests())
    crawl = run_crawl(replica, tmp_path, base_url=bad)
    assert crawl.returncode == 2  # one line, the usage exit status: no traceback, no crawler
    assert crawl.log.strip().splitlines() == [
        f"scrapy crawl devdiscourse: base_url must be an http(s) URL with a host, got {bad!r}"
    ]
    assert len(replica.requests()) == before and not crawl.feeds


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("-a", "labels=business,sport"), "unknown label 'sport'"),
        (("-a", "lables=business"), "unknown spider argument 'lables'"),
        (("-a", "mode=sometimes"), "mode must be one of incremental, full"),
        (("-s", "NEWSCRAWL_STATE_URI=postgres://db/x"), "unknown scheme 'postgres'"),
        (
            ("-s", "NEWSCRAWL_FEED_DIR=/proc/newscrawl"),
            "NEWSCRAWL_FEED_DIR '/proc/newscrawl' is not a writable directory",
        ),
    ],
)
def test_bad_arguments_and_settings_fail_at_start(
    replica: Replica, tmp_path: Path, args: tuple[str, str], message: str
) -> None:
    before = len(replica.requests())
    crawl = run_crawl(replica, tmp_path, *args)
    assert crawl.returncode == 2 and message in crawl.log
    assert len(crawl.log.strip().splitlines()) == 1, crawl.log  # one line, no traceback
    assert len(replica.requests()) == before and not crawl.feeds


def test_scrapy_feed_exports_still_work(replica: Replica, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    crawl = run_crawl(replica, tmp_path, "-a", "labels=health", "-O", str(out))
    assert crawl.returncode == 0
    assert read_feeds([out]) == read_feeds(crawl.feeds)


def test_scrapy_parse_prints_the_item_as_the_readme_says(replica: Replica, tmp_path: Path) -> None:
    """`scrapy parse URL`, no other flag; the state it would use is left alone."""
    article = replica.app().corpus.article(42)
    state = tmp_path / "state.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "parse", replica.base_url + article.path],
        cwd=ROOT, env=child_env(NEWSCRAWL_STATE_URI=f"sqlite:///{state}"), capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Iraq denies resuming joint ops with US-led coalition" in result.stdout
    assert "'published_at': '2020-01-16T19:17:00Z'" in result.stdout
    assert not state.exists()  # a throwaway state: no run record in the real one


def test_scrapy_check_runs_the_article_contracts_against_the_demo_replica(tmp_path: Path) -> None:
    demo = start_replica(tmp_path, 2000, 1)  # the site `make demo` crawls: the contracts name its pages
    try:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "check", "devdiscourse", "-a", f"base_url={demo.base_url}"],
            cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    finally:
        stop_replica(demo)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Ran 2 contracts" in result.stderr and "OK" in result.stderr


def test_credentials_in_url_settings_never_reach_the_log(replica: Replica, tmp_path: Path) -> None:
    agent = "USER_AGENT=newscrawl-test (+https://ops:s3cret-pw@example.org/contact)"  # Scrapy logs it
    crawl = run_crawl(replica, tmp_path, "-a", "labels=health", "-s", agent, "-s", "LOG_LEVEL=DEBUG")
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert "s3cret-pw" not in crawl.log
    assert "https://ops:***@example.org/contact" in crawl.log  # the overridden settings line, masked


def test_cron_rejects_bad_input_in_one_line(tmp_path: Path) -> None:
    damaged = tmp_path / "state.sqlite"
    damaged.write_bytes(b"not a database, whatever it was " * 64)
    for args, message in (
        (["-s", f"NEWSCRAWL_STATE_URI=sqlite:///{damaged}"], f"{damaged} is not a newscrawl state database"),
        (
            ["-s", "NEWSCRAWL_DATASET_DIR=/proc/x"],
            "NEWSCRAWL_DATASET_DIR '/proc/x' is not a writable directory",
        ),
        (["--base-url", "ftp://x"], "base_url must be an http(s) URL"),
        (["-a", "labels=nope"], "unknown label 'nope'"),
        (["-a", "lables=health"], "unknown spider argument 'lables'; known: base_url, labels"),
        (["-s", "NEWSCRAWL_STATE_URI=mysql://x"], "unknown scheme 'mysql'"),
        (["-s", "NEWSCRAWL_FEED_DIR=/proc/x"], "NEWSCRAWL_FEED_DIR '/proc/x' is not a writable directory"),
        (["-a", "since=yesterday"], "since must be a date YYYY-MM-DD, got 'yesterday'"),
        (["-a", "archive=sitemap"], "archive must be one of auto, api, ids, none"),
        (["-a", "floor_id=-3"], "floor_id must be a positive whole number"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "newscrawl.cron", *args, "-s", f"NEWSCRAWL_LOCK_FILE={tmp_path / 'lock'}",
             "-s", f"NEWSCRAWL_LOG_DIR={tmp_path / 'logs'}"],
            cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and message in result.stderr
        assert not (tmp_path / "lock").exists()


def test_cron_with_an_unusable_lock_file_says_so_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "newscrawl.cron", "-s", "NEWSCRAWL_LOCK_FILE=/proc/newscrawl/cron.lock",
         "-s", f"NEWSCRAWL_LOG_DIR={tmp_path / 'logs'}", "-s", f"NEWSCRAWL_FEED_DIR={tmp_path / 'feeds'}"],
        cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "NEWSCRAWL_LOCK_FILE '/proc/newscrawl/cron.lock' cannot be used" in result.stderr


def test_cron_with_memory_state_reports_its_verdict(replica: Replica, tmp_path: Path) -> None:
    from replica.demo import as_args, workdir_settings

    settings = {**workdir_settings(tmp_path), "NEWSCRAWL_STATE_URI": "memory:"}
    result = subprocess.run(
        [sys.executable, "-m", "newscrawl.cron", "--base-url", replica.base_url, "-a", "labels=health",
         *as_args(settings)],
        cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("newscrawl.cron: healthy:")
