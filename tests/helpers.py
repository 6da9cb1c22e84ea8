"""Crawlers for unit tests, built as a crawl builds them (Scrapy's ``get_crawler`` style).

:func:`project_crawler` gives a crawler with the project's own settings
(``newscrawl/settings.py``, so every default is the one a crawl uses), the
spider created with its ``-a`` arguments, and the add-ons, stats and
extensions built, the run's state among them, but no engine: components are
created from it with ``from_crawler`` and driven by hand.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from scrapy.crawler import AsyncCrawlerRunner, CrawlerRunner
from scrapy.settings import Settings
from scrapy.utils.reactor import is_reactor_installed
from scrapy.utils.test import get_reactor_settings

from newscrawl.items import ArticleItem
from newscrawl.site.headlines import split_wire_prefixes
from newscrawl.spiders.devdiscourse import DevdiscourseSpider

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

# A unit test's crawler keeps nothing: no state file, no feed, no report.
UNIT_SETTINGS = {
    "NEWSCRAWL_STATE_URI": "memory:",
    "NEWSCRAWL_FEED_ENABLED": False,
    "SPIDERMON_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
}


def project_settings(**overrides: Any) -> dict[str, Any]:
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    return {**dict(settings), **get_reactor_settings(), **UNIT_SETTINGS, **overrides}


def project_crawler(settings: dict[str, Any] | None = None, **spider_args: Any) -> Crawler:
    """A crawler as a crawl has it before the engine starts; the spider is ``crawler.spider``."""
    values = project_settings(**(settings or {}))
    runner = CrawlerRunner(values) if is_reactor_installed() else AsyncCrawlerRunner(values)
    crawler = runner.create_crawler(DevdiscourseSpider)
    crawler.spider = crawler._create_spider(**spider_args)
    crawler._apply_settings()
    assert crawler.stats is not None
    crawler.stats.open_spider()
    return crawler


def project_spider(settings: dict[str, Any] | None = None, **spider_args: Any) -> DevdiscourseSpider:
    spider = project_crawler(settings, **spider_args).spider
    assert isinstance(spider, DevdiscourseSpider)
    return spider


BODY_A = " ".join(f"Officials in city {i} approved the water plan on day {i}." for i in range(30))
BODY_B = " ".join(f"Researchers tested crop insurance scheme number {i} this week." for i in range(30))


def article_item(
    article_id: int, title: str, body: str = BODY_A, published: str = "2024-05-01T10:00:00Z", **kw: Any
) -> ArticleItem:
    """An item as extraction yields it (``version`` 1: the dedupe pipeline numbers later exports)."""
    return ArticleItem(
        url=f"https://www.devdiscourse.com/article/business/{article_id}-x",
        article_id=article_id,
        label="business",
        title=title,
        body=body,
        published_at=published,
        published_at_ist=None,
        word_count=len(body.split()),
        content_type="news",
        syndicated=True,
        **{"version": 1, "story_id": article_id, "wire_revision": split_wire_prefixes(title).revision, **kw},
    )


def feed_line(article_id: int, title: str = "Oil rises") -> bytes:
    """One JSON line of a feed, as a killed run may have left it."""
    item = {"url": f"https://x/article/business/{article_id}-x", "article_id": article_id, "title": title,
            "body": "one two three four", "published_at": "2024-01-01T00:00:00Z"}  # fmt: skip
    return (json.dumps(item) + "\n").encode()
