"""The peer approach: the same crawl, trafilatura extracting each article page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import trafilatura

from newscrawl.spiders.devdiscourse import DevdiscourseSpider

if TYPE_CHECKING:
    from collections.abc import Iterator

    from scrapy.http import Response, TextResponse


class TrafilaturaSpider(DevdiscourseSpider):
    name = "bench_trafilatura"
    custom_settings = {  # noqa: RUF012
        "ITEM_PIPELINES": {},
        "SPIDERMON_ENABLED": False,
    }

    def parse_article(self, response: Response) -> Iterator[Any]:
        text_response: TextResponse = response  # type: ignore[assignment]
        result = trafilatura.bare_extraction(text_response.text, url=response.url, with_metadata=True)
        if result is not None:
            doc = result.as_dict()
            yield {k: doc.get(k) for k in ("url", "title", "author", "date", "text", "tags")}
        yield from self.follow_articles(text_response, "sidebar", "div.col-md-4")
