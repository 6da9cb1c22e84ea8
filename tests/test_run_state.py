"""The run's state as a Scrapy extension: one owner, a lifecycle that does not depend on who asks first."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import pytest
from scrapy import signals

from newscrawl.discovery.channels import ChannelStats
from newscrawl.middlewares.incremental import IncrementalMiddleware
from newscrawl.pipelines.dedupe import DedupePipeline
from newscrawl.pipelines.validation import ValidationPipeline
from newscrawl.state import Decision, record_of, version_of
from newscrawl.state.redis import RedisSeenState
from newscrawl.state.run import RunState, run_state
from tests.helpers import project_crawler

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def item(article_id: int, title: str = "Oil prices rise") -> dict[str, Any]:
    return {
        "url": f"https://www.devdiscourse.com/article/business/{article_id}-x",
        "article_id": article_id,
        "title": title,
        "body": "Oil prices rose on Monday as traders weighed supply cuts by producers.",
        "published_at": "2026-05-01T10:00:00Z",
    }


def close(crawler: Crawler, reason: str = "finished") -> None:
    crawler.stats.set_value("finish_reason", reason)  # type: ignore[union-attr]  # CoreStats' part
    crawler.signals.send_catch_log(signals.spider_closed, spider=crawler.spider, reason=reason)


def accept(run: RunState, data: dict[str, Any]) -> Decision:
    key, version = version_of(data)
    return run.decide(key, version, record_of(data), lambda versions: Decision())


def test_every_component_finds_the_one_extension() -> None:
    crawler = project_crawler({"NEWSCRAWL_FEED_ENABLED": False}, base_url="http://h:1")
    run = crawler.get_extension(RunState)
    assert run is not None and run_state(crawler) is run
    assert IncrementalMiddleware.from_crawler(crawler).run is run
    assert DedupePipeline.from_crawler(crawler).run is run
    assert ValidationPipeline.from_crawler(crawler).run is run
    assert crawler.spider.run is run  # type: ignore[attr-defined]
    assert crawler.get_extension(ChannelStats) is not None


def test_without_the_extension_components_say_so() -> None:
    crawler = project_crawler({"EXTENSIONS": {"newscrawl.state.run.RunState": None}}, base_url="http://h:1")
    with pytest.raises(RuntimeError, match=r"RunState is not in EXTENSIONS"):
        DedupePipeline.from_crawler(crawler)


def test_an_unknown_state_scheme_fails_at_start() -> None:
    with pytest.raises(ValueError, match="unknown scheme 'postgres'"):
        project_crawler({"NEWSCRAWL_STATE_URI": "postgres://db/x"})


def test_a_run_record_opens_with_the_crawl_and_closes_with_its_verdict() -> None:
    crawler = project_crawler()
    run = run_state(crawler)
    assert run.state.last_runs(1)[0]["started"] and "finished" not in run.state.last_runs(1)[0]
    crawler.stats.set_value("item_scraped_count", 3)  # type: ignore[union-attr]
    close(crawler)
    record = run.state.last_runs(1)[0]
    assert record["finish_reason"] == "finished" and record["items"] == 3 and record["exit_status"] == 0
    assert run.verdict is not None and run.verdict.healthy


def test_an_unhealthy_run_is_recorded_as_such() -> None:
    crawler = project_crawler()
    close(crawler, "shutdown")
    run = run_state(crawler)
    assert run.verdict is not None and not run.verdict.healthy
    assert run.state.last_runs(1)[0]["exit_status"] == 1


def test_without_a_feed_writer_accepted_articles_are_committed_at_close(tmp_path: Any) -> None:
    uri = f"sqlite:///{tmp_path / 'state.sqlite'}"
    crawler = project_crawler({"NEWSCRAWL_FEED_ENABLED": False, "NEWSCRAWL_STATE_URI": uri})
    run = run_state(crawler)
    assert accept(run, item(5)).accepted
    assert run.pending and not run.feed_commits
    close(crawler)
    again = run_state(project_crawler({"NEWSCRAWL_STATE_URI": uri}))
    assert again.state.known_articles([5]) == {5}
    assert again.known_before_run([5]) == {5}


def test_with_a_feed_writer_only_durable_lines_are_committed(tmp_path: Any) -> None:
    """The feed writer owns the commit: pending articles it never synced stay unknown."""
    uri = f"sqlite:///{tmp_path / 'state.sqlite'}"
    crawler = project_crawler({"NEWSCRAWL_STATE_URI": uri})
    run = run_state(crawler)
    run.feed_commits = True  # what FeedWriterPipeline.open_spider declares
    assert accept(run, item(6)).accepted
    close(crawler)
    again = run_state(project_crawler({"NEWSCRAWL_STATE_URI": uri}))
    assert again.state.known_articles([6]) == set()


def test_claims_are_released_at_spider_opened_even_with_the_feed_writer_off(redis_url: str) -> None:
    """The issue's case: with NEWSCRAWL_FEED_ENABLED=0 nothing asked for the state before
    spider_opened, so a killed worker's claims were never released."""
    uri = f"{redis_url}?prefix=run-{uuid.uuid4().hex}"
    killed = RedisSeenState(uri, "w1")
    key, version = version_of(item(21))
    assert killed.claim(key, version, lambda versions: Decision()).accepted
    killed.db.close()  # killed: the claim is left in Redis
    crawler = project_crawler(
        {"NEWSCRAWL_STATE_URI": uri, "NEWSCRAWL_WORKER_ID": "w1", "NEWSCRAWL_FEED_ENABLED": False}
    )
    other = RedisSeenState(uri, "w2")
    assert other.known_articles([21]) == {21}  # held for w1
    crawler.signals.send_catch_log(signals.spider_opened, spider=crawler.spider)
    assert other.known_articles([21]) == set()  # released by w1's rerun
    close(crawler)
    other.close()
