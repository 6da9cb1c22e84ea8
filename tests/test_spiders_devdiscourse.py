"""The spider's callbacks, driven by hand on a crawler built as a crawl builds it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.helpers import project_spider

if TYPE_CHECKING:
    from pathlib import Path


def test_a_full_sitemap_that_starts_after_the_last_run_falls_back(tmp_path: Path) -> None:
    """500 rows (the sitemap's cap), all changed after the last run began: a gap may lie below."""
    from scrapy import Request
    from scrapy.http import XmlResponse

    from newscrawl.spiders.devdiscourse import PLAN_META

    spider = project_spider(base_url="http://h:1")
    crawler = spider.crawler
    rows = "".join(
        f"<url><loc>http://h:1/article/business/{3_000_000 + n}-x</loc><lastmod>2026-05-02T1{n % 10}:00:00+05:30"
        "</lastmod></url>"
        for n in range(500)
    )
    body = f'<?xml version="1.0" encoding="utf-16"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'

    def parse(last_started: str) -> list[str]:
        crawler.stats.set_value("newscrawl/run/fallback", None)  # type: ignore[union-attr]
        request = Request("http://h:1/RSS/GoogleNews", meta={PLAN_META: ("sitemap", last_started)})
        response = XmlResponse(request.url, body=body.encode(), request=request)
        return [r.url for r in spider.parse_news_sitemap(response)]

    gap = parse("2026-05-01T00:00:00Z")  # the last run began a day before the oldest row
    assert len([u for u in gap if "/article/" in u]) == 500
    assert "http://h:1/api/Search/GetAllNews/1" in gap and "http://h:1/pti-stories?page=1" in gap
    assert crawler.stats.get_value("newscrawl/run/path") == "fallback"  # type: ignore[union-attr]
    covered = parse("2026-05-02T12:00:00Z")  # the sitemap reaches back past the last run
    assert not [u for u in covered if "/article/" not in u]


def test_no_generator_callback_returns_a_value() -> None:
    """Scrapy's per-response check (``WARN_ON_GENERATOR_RETURN_VALUE``, off in settings), run once here.

    A generator callback's ``return value`` is silently lost; every method of the spider is
    checked, with Scrapy's own function, so a new callback is covered without listing it.
    """
    import inspect

    from scrapy.utils.misc import is_generator_with_return_value

    from newscrawl.spiders.devdiscourse import DevdiscourseSpider

    generators = [
        name
        for name, member in inspect.getmembers(DevdiscourseSpider, inspect.isfunction)
        if inspect.isgeneratorfunction(member)
    ]
    assert {"parse_article", "parse_listing", "parse_news_sitemap"} <= set(generators)
    assert [
        name for name in generators if is_generator_with_return_value(getattr(DevdiscourseSpider, name))
    ] == []

    def returns_a_value() -> Any:  # the check can fail: a generator that returns a value
        yield 1
        return 2

    assert is_generator_with_return_value(returns_a_value)


def test_the_stats_collector_is_scrapys_without_the_per_read_shim() -> None:
    from scrapy.statscollectors import MemoryStatsCollector, StatsCollector

    from newscrawl.health.collector import RunStatsCollector

    stats = project_spider(base_url="http://h:1").crawler.stats
    assert isinstance(stats, RunStatsCollector) and isinstance(stats, MemoryStatsCollector)
    assert type(stats).__getattribute__ is object.__getattribute__
    assert StatsCollector.__getattribute__ is not object.__getattribute__  # Scrapy still has it
    stats.inc_value("a/b")
    stats.inc_value("a/b", 2)
    stats.max_value("m", 3)
    stats.max_value("m", 1)
    assert (stats.get_value("a/b"), stats.get_value("m")) == (3, 3)
