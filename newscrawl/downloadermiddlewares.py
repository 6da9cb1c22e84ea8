"""Downloader middlewares: retries that honour ``Retry-After``; offsite redirects refused;
robots.txt obeyed by every request.

Scrapy's :class:`~scrapy.downloadermiddlewares.retry.RetryMiddleware` retries
429 and 503 at once; this subclass first waits what the server asked for
(``Retry-After`` in seconds or as an HTTP date), capped by
``NEWSCRAWL_RETRY_AFTER_MAX`` (default 60 s), without blocking other requests.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.robotstxt import RobotParser


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` value, ``None`` when absent or unreadable.

    >>> retry_after_seconds(b"2")
    2.0
    >>> retry_after_seconds("Wed, 21 Oct 2015 07:28:10 GMT", datetime(2015, 10, 21, 7, 28, tzinfo=UTC))
    10.0
    >>> retry_after_seconds(b"soon") is None
    True
    """
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, (moment - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    max_wait: float = 60.0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = super().from_crawler(crawler)
        middleware.max_wait = crawler.settings.getfloat("NEWSCRAWL_RETRY_AFTER_MAX", 60.0)
        return middleware

    async def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:  # type: ignore[override]
        if response.status in self.retry_http_codes and not request.meta.get("dont_retry", False):
            wait = retry_after_seconds(response.headers.get(b"Retry-After"))
            if wait:
                wait = min(wait, self.max_wait)
                assert self.crawler.stats is not None
                self.crawler.stats.inc_value("newscrawl/retry_after/waits")
                self.crawler.stats.inc_value("newscrawl/retry_after/seconds", round(wait))
                await asyncio.sleep(wait)
        return super().process_response(request, response)


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
                raise IgnoreRequest(f"offsite redirect to {target!r} refused")
        return response


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's robots.txt middleware, with the parsed file given to every waiting request.

    In Scrapy 2.19 the requests that arrive while robots.txt is downloading all
    await one Deferred; the first one's wait consumes its result, so the others
    get ``None`` and are let through unchecked: a crawl's first batch of
    requests (its start requests) ignores robots.txt. The parsed file is in the
    middleware's table by then, so it is read from there.
    """

    async def robot_parser(self, request: Request) -> RobotParser | None:
        parser = await super().robot_parser(request)
        if parser is None:
            stored = self._parsers.get(urlparse_cached(request).netloc)
            if not isinstance(stored, Deferred):
                parser = stored
        return parser
