"""Benchmark floor: the same crawl as ``devdiscourse`` (same pages, same links) with no extraction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newscrawl.spiders.devdiscourse import DevdiscourseSpider

if TYPE_CHECKING:
    from collections.abc import Iterator

    from scrapy.http import Response


class BareSpider(DevdiscourseSpider):
    name = "bench_bare"
    custom_settings = {  # noqa: RUF012
        "ITEM_PIPELINES": {},
        "SPIDERMON_ENABLED": False,
        "EXTENSIONS": {"newscrawl.health.exportstats.ExportStats": None},
    }

    def parse_article(self, response: Response) -> Iterator[Any]:
        yield from self.follow_articles(response, "sidebar", "div.col-md-4")  # type: ignore[arg-type]
