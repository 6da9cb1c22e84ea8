"""A downloader middleware: redirects that leave the crawled host are refused, as a per-URL failure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response


class OffsiteRedirect(IgnoreRequest):
    """A redirect to another host, refused (``newscrawl/failed/offsite_redirect``)."""


class OffsiteRedirectMiddleware:
    """Refuses redirects that leave the crawled host, as a per-URL failure.

    Scrapy would drop the redirected request quietly when it is scheduled
    (``offsite/filtered``); raising here reaches the request's errback, so the
    spider counts and logs it (``newscrawl/failed/offsite_redirect``).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        location = response.headers.get(b"Location")
        if 300 <= response.status < 400 and location:
            target = urlsplit(response.urljoin(location.decode("latin-1"))).hostname or ""
            allowed = getattr(self.crawler.spider, "allowed_domains", None) or []
            if allowed and not any(target == d or target.endswith("." + d) for d in allowed):
                raise OffsiteRedirect(f"offsite redirect to {target!r} refused")
        return response
