"""The devdiscourse spider: every article of the site, each fetched once.

Start pages are the home page and every label, sector and agency listing.
Listings are paged through the site's infinite-scroll fragments until one
comes back empty; the home page's "Latest News" and every article's sidebar
add the newest articles. Article requests are canonical URLs and carry an
id fingerprint (:class:`newscrawl.urls.ArticleIdFingerprinter`), so other
slugs, labels, tracking parameters and fragments of one article are fetched
once. Offsite links, ``?amp`` variants and ``javascript:`` or share links are
never followed; robots.txt is Scrapy's to obey.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import scrapy
from itemadapter import ItemAdapter
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer
from twisted.internet.error import ConnectionLost, ConnectionRefusedError, DNSLookupError, TCPTimedOutError
from twisted.web._newclient import ResponseFailed

from newscrawl.extract import extract_article
from newscrawl.middlewares import CARDS_META, KNOWN_PAGES_META, LISTING_META
from newscrawl.run import RunState
from newscrawl.site import AGENCY_PAGES, DEFAULT_BASE_URL, LABELS, OTHER_LISTINGS, SECTORS
from newscrawl.urls import canonical_article_url, parse_article_url

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from twisted.python.failure import Failure

    from newscrawl.items import ArticleItem

logger = logging.getLogger(__name__)

AGENCY_LISTINGS = tuple(AGENCY_PAGES.values())
FRAGMENT_PATH = "/Home/GetNewsItems"
MODES = ("incremental", "full")  # full: page every listing to its end
ARTICLE_PRIORITY = 10  # drain found articles before paging further


def validate_base_url(value: str) -> str:
    """The site root to crawl, normalised; ``ValueError`` names what is wrong.

    >>> validate_base_url("http://127.0.0.1:8080")
    'http://127.0.0.1:8080'
    >>> validate_base_url("ftp://example.com")
    Traceback (most recent call last):
    ...
    ValueError: base_url must be an http(s) URL with a host, got 'ftp://example.com'
    """
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"base_url must be an http(s) URL with a host, got {value!r}")
    return f"{parts.scheme}://{parts.netloc}".lower()


class SpiderArgumentError(ValueError):
    """A ``-a`` argument the spider cannot work with."""


def validate_mode(value: str) -> str:
    """
    >>> validate_mode("full")
    'full'
    """
    if value not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {value!r}")
    return value


def parse_labels(value: str | None) -> tuple[str, ...] | None:
    """``-a labels=business,health`` to a tuple; unknown labels are an error.

    >>> parse_labels("business, Health")
    ('business', 'health')
    >>> parse_labels("sport")
    Traceback (most recent call last):
    ...
    ValueError: unknown label 'sport'; known labels: headlines, business, technology, entertainment, education, sports-games, science-environment, health, politics, law-order, lifestyle, national, international, other
    """
    if value is None or not value.strip():
        return None
    labels = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    for label in labels:
        if label not in LABELS:
            raise ValueError(f"unknown label {label!r}; known labels: {', '.join(LABELS)}")
    return labels


def fragment_params(listing_path: str, page: int) -> dict[str, str] | None:
    """Query of the infinite-scroll fragment for a listing page (GUESS per SITE.md).

    Label listings page by ``label=``, sector listings by ``sector=``, every
    other listing by ``cat=`` (its last path segment).

    >>> fragment_params("/stories/business", 2)["label"]
    'business'
    >>> fragment_params("/news/health", 3)["sector"]
    'health'
    >>> fragment_params("/pti-stories", 2)["cat"]
    'pti-stories'
    """
    params = {"sector": "", "region": "", "country": "", "tag": "", "page": str(page), "cat": "", "label": ""}
    segments = [s for s in listing_path.split("/") if s]
    if not segments:
        return None
    if segments[0] == "stories" and len(segments) == 2:
        params["label"] = segments[1]
    elif segments[0] == "news" and len(segments) == 2:
        params["sector"] = segments[1]
    else:
        params["cat"] = segments[-1]
    return params


def failure_reason(failure: Failure) -> str:
    """A short, stable name for why a request failed (``newscrawl/failed/<reason>``)."""
    error = failure.value
    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    if isinstance(error, IgnoreRequest):
        message = str(error)
        if "max redirections" in message:
            return "redirect_loop"
        if "offsite" in message.lower():
            return "offsite_redirect"
        if "robots.txt" in message:
            return "robots_forbidden"
        return "ignored"
    if isinstance(error, DownloadCancelledError):
        return "too_large"
    if isinstance(error, (DownloadTimeoutError, TimeoutError, defer.TimeoutError, TCPTimedOutError)):
        return "timeout"
    if isinstance(error, (ResponseDataLossError, ResponseFailed, ConnectionLost, DownloadFailedError)):
        return "connection_lost"
    if isinstance(error, (DNSLookupError, CannotResolveHostError)):
        return "dns"
    if isinstance(error, (ConnectionRefusedError, DownloadConnectionRefusedError)):
        return "connection_refused"
    return type(error).__name__


class DevdiscourseSpider(scrapy.Spider):
    name = "devdiscourse"

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        labels: str | None = None,
        mode: str = "incremental",
        reset: str = "0",
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        try:
            self.base_url = validate_base_url(base_url)
            self.labels = parse_labels(labels)
            self.mode = validate_mode(mode)
        except ValueError as exc:
            # Before any request; `scrapy crawl` exits 1 (a failed bootstrap).
            logger.error("Bad spider argument: %s", exc)
            raise SpiderArgumentError(str(exc)) from None
        self.reset = reset
        parts = urlsplit(self.base_url)
        self.allowed_domains = [parts.hostname or ""]
        self.article_links = LinkExtractor(
            allow=(r"/article/[^/]+/\d+",),
            allow_domains=(parts.netloc,),  # compared with host:port
            deny=(r"[?&]amp(?:[=&]|$)",),
            tags=("a",),
            attrs=("href",),
        )

    # -- start ---------------------------------------------------------------
    def listing_paths(self) -> list[str]:
        if self.labels is not None:
            return [f"/stories/{label}" for label in self.labels]
        return [
            *(f"/stories/{label}" for label in LABELS),
            *(f"/news/{sector}" for sector in SECTORS),
            *AGENCY_LISTINGS,
            *OTHER_LISTINGS,
        ]

    async def start(self) -> AsyncIterator[Any]:
        if not self.settings.getbool("NEWSCRAWL_SEED_FRONTIER", True):
            # Distributed: the worker that started this crawl seeded the shared queue.
            logger.info("Joining a running crawl: taking requests from the shared queue")
            return
        # Entry pages and listing pages are fetched on every run: never dupe-filtered
        # (a persisted dupefilter, JOBDIR's or the shared Redis one, would skip them).
        yield scrapy.Request(
            self.base_url + "/", callback=self.parse_home, errback=self.on_error, dont_filter=True
        )
        for path in self.listing_paths():
            yield scrapy.Request(
                self.base_url + path,
                callback=self.parse_listing,
                errback=self.on_error,
                cb_kwargs={"listing": path, "page": 1},
                dont_filter=True,
            )

    # -- following -----------------------------------------------------------
    def follow_articles(
        self, response: TextResponse, restrict_css: str | None = None
    ) -> Iterator[scrapy.Request]:
        selector = response.css(restrict_css) if restrict_css else response
        seen: set[str] = set()
        for href in selector.css("a::attr(href)").getall():
            if "/article/" not in href:  # cheap test first: most links are navigation
                continue
            url = response.urljoin(href)
            if not self.article_links.matches(url):
                continue
            canonical = canonical_article_url(url)
            ref = parse_article_url(url)
            if canonical is None or ref is None or canonical in seen:
                continue
            if self.labels is not None and ref.label not in self.labels and ref.label != "agency-wire":
                continue
            seen.add(canonical)
            yield scrapy.Request(
                canonical, callback=self.parse_article, errback=self.on_error, priority=ARTICLE_PRIORITY
            )

    def parse_home(self, response: Response) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            return
        yield from self.follow_articles(response)

    def parse_listing(self, response: Response, listing: str, page: int) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("newscrawl/listing/not_text")
            return
        cards = response.css("a.text-decoration")
        requests = list(self.follow_articles(response, "a.text-decoration" if cards else None))
        self.crawler.stats.inc_value("newscrawl/listing/pages")
        yield from requests
        if not cards:
            return  # an empty fragment: the end of this listing
        params = fragment_params(listing, page + 1)
        if params is None:
            return
        card_ids = [ref.article_id for r in requests if (ref := parse_article_url(r.url))]
        # Last, so the incremental middleware has seen this page's articles.
        yield scrapy.Request(
            f"{self.base_url}{FRAGMENT_PATH}?{urlencode(params)}",
            callback=self.parse_listing,
            errback=self.on_error,
            cb_kwargs={"listing": listing, "page": page + 1},
            dont_filter=True,
            meta={LISTING_META: listing, CARDS_META: card_ids, **self.streak_meta(response)},
        )

    @staticmethod
    def streak_meta(response: Response) -> dict[str, Any]:
        streak = response.meta.get(KNOWN_PAGES_META)
        return {} if streak is None else {KNOWN_PAGES_META: streak}

    def count_coverage(self, item: ArticleItem) -> None:
        """Non-empty fields of every extracted item (``newscrawl/coverage/*``), for the monitors."""
        stats = self.crawler.stats
        stats.inc_value("newscrawl/coverage/_items")
        for name, value in ItemAdapter(item).items():
            if value not in (None, "", []):
                stats.inc_value(f"newscrawl/coverage/{name}")

    def on_error(self, failure: Failure) -> None:
        """A request that failed for good (after retries): counted and logged by reason."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        reason = failure_reason(failure)
        if reason == "robots_forbidden":  # policy, not failure
            self.crawler.stats.inc_value("newscrawl/skipped/robots_forbidden")
            self.logger.debug("Skipped %s: forbidden by robots.txt", url)
            return
        self.crawler.stats.inc_value(f"newscrawl/failed/{reason}")
        self.logger.warning("Failed %s: %s (%s)", url, reason, failure.getErrorMessage())

    def drop_page(self, response: Response, reason: str, why: str) -> None:
        self.crawler.stats.inc_value(f"newscrawl/dropped/{reason}")
        self.logger.warning("Dropped %s: %s", response.url, why)
        ref = parse_article_url(response.url)
        RunState.of(self.crawler).dropped(ref.article_id if ref else None, reason)

    def parse_article(self, response: Response) -> Iterator[Any]:
        stats = self.crawler.stats
        stats.inc_value("newscrawl/articles/fetched")
        if not isinstance(response, TextResponse):
            self.drop_page(response, "not_html", f"not an HTML page ({type(response).__name__})")
            return
        if b"</html>" not in response.body[-512:].lower():
            attempts = response.meta.get("newscrawl_truncated", 0)
            if attempts < self.settings.getint("NEWSCRAWL_TRUNCATED_RETRIES", 2):
                stats.inc_value("newscrawl/retried/truncated")
                request = getattr(response, "request", None)  # absent on hand-made responses
                retry = request.replace(dont_filter=True) if request is not None else None
                if retry is not None:
                    retry.meta["newscrawl_truncated"] = attempts + 1
                    yield retry
                    return
            self.drop_page(
                response, "truncated", f"truncated page (no closing </html>, {attempts + 1} tries)"
            )
            return
        extraction = extract_article(response)
        for problem in extraction.problems:
            field = problem.split(":", 1)[0]
            stats.inc_value(f"newscrawl/extract/{field}_invalid")
            self.logger.warning("%s: %s", response.url, problem)
        item = extraction.item
        if any("\ufffd" in (value or "") for value in (item.title, item.body)):
            self.drop_page(response, "invalid_bytes", "bytes that are not valid in the page's encoding")
            return
        self.count_coverage(item)
        if self.labels is None or item.label in self.labels:
            yield item
        yield from self.follow_articles(response, "div.col-md-4")
