"""The middlewares one by one, on a crawler built as a crawl builds it (no engine, no server)."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.robotstxt import ProtegoRobotParser
from twisted.python.failure import Failure

from newscrawl.health.failures import failure_reason
from newscrawl.middlewares.incremental import (
    CARDS_META,
    KNOWN_PAGES_META,
    LISTING_META,
    REFETCH_META,
    IncrementalMiddleware,
)
from newscrawl.middlewares.offsite import OffsiteRedirect, OffsiteRedirectMiddleware
from newscrawl.middlewares.robots import ForbiddenByRobots, SharedRobotsTxtMiddleware
from newscrawl.state import version_of
from newscrawl.state.run import run_state
from tests.helpers import project_crawler

BASE = "http://h:1"


def article(article_id: int, **meta: Any) -> Request:
    return Request(f"{BASE}/article/business/{article_id}-some-slug", meta=meta)


def known_state(crawler: Any, *article_ids: int) -> None:
    """Articles earlier runs exported (the memory store is this run's: write it directly)."""
    state = run_state(crawler).state
    for article_id in article_ids:
        state.add_exported(
            *version_of(
                {"url": f"{BASE}/a/{article_id}", "article_id": article_id, "title": f"T{article_id}"}
            )
        )
    state.flush()


@pytest.fixture
def crawler() -> Any:
    return project_crawler(base_url=BASE)


# -- incremental -----------------------------------------------------------------
def test_incremental_skips_articles_earlier_runs_settled(crawler: Any) -> None:
    known_state(crawler, 7)
    middleware = IncrementalMiddleware.from_crawler(crawler)
    out = list(
        middleware.process_spider_output(None, [article(7), article(8), article(7, **{REFETCH_META: True})])
    )
    assert [r.url for r in out] == [article(8).url, article(7).url]  # the refetch of an update passes
    assert crawler.stats.get_value("incremental/skipped_known") == 1
    assert list(middleware.process_spider_output(None, [article(7)])) == []  # linked again elsewhere
    assert crawler.stats.get_value("incremental/skipped_known") == 1  # articles, not links
    assert crawler.stats.get_value("incremental/skipped_known_links") == 2


def test_incremental_stops_paging_after_a_page_of_known_articles(crawler: Any) -> None:
    known_state(crawler, 1, 2, 3)
    middleware = IncrementalMiddleware.from_crawler(crawler)
    known_page = Request(f"{BASE}/pti-stories?page=2", meta={LISTING_META: "pti", CARDS_META: [1, 2, 3]})
    new_page = Request(f"{BASE}/pti-stories?page=2", meta={LISTING_META: "pti", CARDS_META: [1, 2, 4]})
    assert list(middleware.process_spider_output(None, [known_page])) == []
    assert crawler.stats.get_value("incremental/listings_stopped") == 1
    (kept,) = middleware.process_spider_output(None, [new_page])
    assert kept.meta[KNOWN_PAGES_META] == 0


def test_incremental_pages_on_in_full_mode() -> None:
    crawler = project_crawler(base_url=BASE, mode="full")
    known_state(crawler, 1, 2)
    middleware = IncrementalMiddleware.from_crawler(crawler)
    page = Request(f"{BASE}/pti-stories?page=2", meta={LISTING_META: "pti", CARDS_META: [1, 2]})
    assert list(middleware.process_spider_output(None, [page])) == [page]


def test_incremental_is_switched_off_by_its_setting() -> None:
    with pytest.raises(NotConfigured):
        IncrementalMiddleware.from_crawler(project_crawler({"NEWSCRAWL_INCREMENTAL": False}))


# -- offsite redirects ---------------------------------------------------------------
def test_a_redirect_off_the_crawled_host_is_refused_as_its_own_type(crawler: Any) -> None:
    middleware = OffsiteRedirectMiddleware.from_crawler(crawler)
    request = article(9)
    away = Response(request.url, status=301, headers={"Location": "https://evil.example/x"}, request=request)
    with pytest.raises(OffsiteRedirect):
        middleware.process_response(request, away)
    here = Response(request.url, status=301, headers={"Location": "/article/9"}, request=request)
    assert middleware.process_response(request, here) is here
    failure = Failure(OffsiteRedirect("x"))
    assert failure_reason(failure) == "offsite_redirect"


# -- robots.txt ------------------------------------------------------------------------
def test_a_request_robots_txt_forbids_is_refused_as_its_own_type(crawler: Any) -> None:
    middleware = SharedRobotsTxtMiddleware.from_crawler(crawler)
    parser = ProtegoRobotParser.from_crawler(crawler, b"User-agent: *\nDisallow: /article/\n")
    with pytest.raises(ForbiddenByRobots) as raised:
        middleware.process_request_2(parser, article(3))
    assert isinstance(raised.value, IgnoreRequest)  # Scrapy's handling of ignored requests holds
    assert failure_reason(Failure(raised.value)) == "robots_forbidden"
    middleware.process_request_2(parser, Request(f"{BASE}/pti-stories?page=1"))  # allowed: no error


# -- failure reasons -----------------------------------------------------------------
def test_a_redirect_loop_is_told_by_the_requests_redirect_count() -> None:
    request = article(4, redirect_times=20)
    failure = Failure(IgnoreRequest("whatever the message says"))
    failure.request = request  # type: ignore[attr-defined]  # as Scrapy's errback gets it
    assert failure_reason(failure, max_redirects=20) == "redirect_loop"
    failure.request = article(5)  # type: ignore[attr-defined]
    assert failure_reason(failure, max_redirects=20) == "ignored"


def test_http_errors_are_named_by_status() -> None:
    from scrapy.spidermiddlewares.httperror import HttpError

    response = HtmlResponse(article(1).url, status=503)
    assert failure_reason(Failure(HttpError(response))) == "http_503"
