"""The true floor: Scrapy fetching a given list of URLs with the project's settings, parsing nothing.

    scrapy runspider bench/floor_spider.py -a urls=FILE

``FILE`` holds the URLs the full crawl fetched (one per line, from the
replica's access log), so the floor does the same network work through the
same downloader and spider middlewares and extensions, and nothing else: no
HTML parsed, no link followed, no item.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import scrapy

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from scrapy.http import Response


class FloorSpider(scrapy.Spider):
    name = "bench_floor"
    custom_settings = {  # noqa: RUF012
        "ITEM_PIPELINES": {},
        "SPIDERMON_ENABLED": False,
    }

    def __init__(self, urls: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = Path(urls)

    async def start(self) -> AsyncIterator[Any]:
        with self.urls.open(encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    yield scrapy.Request(
                        line.strip(), callback=self.fetched, errback=self.failed, dont_filter=True
                    )

    def fetched(self, response: Response) -> None:
        """Nothing: the body arrived, that is all the floor does."""

    def failed(self, failure: Any) -> None:
        """A missing id's 500, as in the full crawl: nothing either."""
