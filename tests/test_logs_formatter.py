"""Scrapy's per-page DEBUG messages are made only when the log writes them; drops stay one line."""

from __future__ import annotations

import logging

import pytest
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Request
from scrapy.utils.misc import build_from_crawler, load_object

from newscrawl.logs.formatter import NewscrawlLogFormatter
from tests.helpers import project_crawler


def formatter(**settings: object) -> NewscrawlLogFormatter:
    crawler = project_crawler(dict(settings))
    made = build_from_crawler(load_object(crawler.settings["LOG_FORMATTER"]), crawler)
    assert isinstance(made, NewscrawlLogFormatter)
    return made


@pytest.mark.parametrize(
    ("settings", "made"),
    [
        ({}, False),  # the project's LOG_LEVEL: INFO
        ({"LOG_LEVEL": "DEBUG"}, True),
        ({"LOG_LEVEL": logging.DEBUG}, True),
        ({"LOG_LEVEL": "WARNING"}, False),
        ({"LOG_LEVEL": "DEBUG", "LOG_ENABLED": False}, False),
    ],
)
def test_crawled_and_scraped_messages_only_when_debug_is_written(
    settings: dict[str, object], made: bool
) -> None:
    fmt = formatter(**settings)
    request = Request("http://h/article/x/1")
    response = HtmlResponse(request.url, body=b"<html></html>", request=request)
    crawled = fmt.crawled(request, response, None)  # type: ignore[arg-type]
    scraped = fmt.scraped({"a": 1}, response, None)  # type: ignore[arg-type]
    assert (crawled is not None, scraped is not None) == (made, made)
    if made:
        assert crawled is not None and crawled["level"] == logging.DEBUG and "Crawled" in crawled["msg"]


def test_a_dropped_item_is_one_line_without_the_item() -> None:
    result = formatter().dropped({"body": "x" * 10_000}, DropItem("missing body"), None, None)  # type: ignore[arg-type]
    assert result["level"] == logging.WARNING and result["msg"] % result["args"] == "Dropped: missing body"
