"""A downloader middleware: an article page cut short is fetched again.

The site (and proxies in front of it) sometimes ends a response early with a
200: the page has no closing ``</html>``. Such a page is asked for again
through Scrapy's :func:`~scrapy.downloadermiddlewares.retry.get_retry_request`
(``retry/count``, ``retry/reason_count/truncated_page``, ``retry/max_reached``)
up to ``NEWSCRAWL_TRUNCATED_RETRIES`` times; after that the response goes on
to the spider, which drops it as truncated (``newscrawl/dropped/truncated``).

Only article pages are judged: listing fragments and API answers have no
``</html>`` by design.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.http import HtmlResponse

from newscrawl.health.stats import TRUNCATED_RETRY_REASON
from newscrawl.site.urls import parse_article_url

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


def is_truncated(response: Response) -> bool:
    """Whether an HTML page ends without its closing ``</html>`` (whitespace and comments may follow).

    >>> from scrapy.http import HtmlResponse
    >>> is_truncated(HtmlResponse("http://h/", body=b"<html><body>cut"))
    True
    >>> is_truncated(HtmlResponse("http://h/", body=b"<html><body></body></html>\\n"))
    False
    """
    return isinstance(response, HtmlResponse) and b"</html>" not in response.body[-512:].lower()


class TruncatedPageMiddleware:
    def __init__(self, crawler: Crawler, max_retries: int) -> None:
        self.crawler = crawler
        self.max_retries = max_retries

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getint("NEWSCRAWL_TRUNCATED_RETRIES"))

    def process_response(
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        if response.status != 200 or not is_truncated(response) or parse_article_url(request.url) is None:
            return response
        assert self.crawler.spider is not None
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=TRUNCATED_RETRY_REASON,
            max_retry_times=self.max_retries,
            give_up_log_level=logging.DEBUG,  # the spider drops the page with a warning
        )
        return retry if retry is not None else response
