"""The devdiscourse spider: every article of the site, each fetched once.

The 2026 site's listings reach back days, not years, so the crawl finds
articles through several discovery channels (``newscrawl.discovery.channels``):

* the **news sitemap** (``/RSS/GoogleNews``): every article of about the last
  two days, in one request;
* the **archive**: the JSON API ``/api/Search/GetAllNews/{page}`` paged to its
  end (newest first, so an incremental run stops after a page of known ids,
  and ``-a since=YYYY-MM-DD`` stops at that day); when the API is missing or
  broken, the **id walk** (``newscrawl.discovery.idwalk``) probes ``/article/{id}``
  downward from the newest id seen (``-a archive=auto|api|ids|none``);
* the **listings** as the site has them: every label's cards (10 days, with
  the bots' ``Global Edition`` region), PTI's (30 days) and the desk's, the
  blogs', and each sector's JSON API (90 days);
* the **home page** and every article's **sidebar**.

Article requests carry an id fingerprint (:class:`newscrawl.site.urls.ArticleIdFingerprinter`),
so an article any number of channels show is fetched once. Offsite links,
``?amp`` variants and ``javascript:`` or share links are never followed, the
routes the site does not have (``/reuters-stories``, ``/rss/website``, ...)
never requested; robots.txt is Scrapy's to obey.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import timedelta
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote, urlsplit

import scrapy
from lxml import etree
from parsel.csstranslator import css2xpath
from scrapy import signals
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError

from newscrawl.discovery.channels import (
    ARCHIVE_API,
    CHANNEL_META,
    HOME,
    ID_WALK,
    LISTING,
    MISSING_ID_STATUSES,
    PROBE_META,
    SIDEBAR,
    SITEMAP,
    ChannelStats,
    channel_stats,
)
from newscrawl.discovery.idbits import IdBits
from newscrawl.discovery.idwalk import Chain, WalkRules, next_step
from newscrawl.discovery.listings import Listing, html_listings
from newscrawl.discovery.plan import FALLBACK, SITEMAP_AND_LISTINGS, SITEMAP_ONLY, Plan, plan_run
from newscrawl.health import stats as names
from newscrawl.health.failures import ROBOTS_FORBIDDEN, failure_reason
from newscrawl.health.outcomes import PageOutcomes
from newscrawl.items import ArticleItem
from newscrawl.middlewares.incremental import (
    ARTICLE_ID_META,
    CARDS_META,
    KNOWN_PAGES_META,
    LISTING_META,
    REFETCH_META,
)
from newscrawl.middlewares.truncated import is_truncated
from newscrawl.site.extract import extract_article
from newscrawl.site.indexes import (
    parse_archive_page,
    parse_news_sitemap,
    parse_sector_page,
    parse_since,
    sector_api_params,
)
from newscrawl.site.layout import SIDEBAR_CSS, VIEW_REGIONS
from newscrawl.site.routes import (
    ARCHIVE_API_PATH,
    ARTICLE_BY_ID_PATH,
    DEFAULT_BASE_URL,
    LABELS,
    NEWS_SITEMAP_MAX,
    NEWS_SITEMAP_PATH,
    SECTOR_API_PATH,
    SECTORS,
)
from newscrawl.site.timeparse import format_utc, parse_iso
from newscrawl.site.urls import ArticleRef, parse_article_url
from newscrawl.spiders.arguments import (
    SpiderArgumentError,
    check_argument_names,
    parse_floor,
    parse_labels,
    validate_archive,
    validate_base_url,
    validate_mode,
)
from newscrawl.state.run import RunState, run_state

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Iterator
    from typing import Self

    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

AMP_RE = re.compile(r"[?&]amp(?:[=&]|$)")  # the AMP variant of a page: never followed


def release_tree(response: Response) -> None:
    """Let a parsed page go as soon as its callback is done with it.

    Scrapy's selector and its response refer to each other, so a page's lxml tree
    (a megabyte or two) waited for Python's cyclic collector; with few other
    allocations (CONCURRENT_ITEMS=1) that came seldom and peak RSS rose by half.
    """
    if isinstance(response, TextResponse):
        response._cached_selector = None  # rebuilt on demand if anything asks again


@lru_cache(maxsize=16)
def link_hrefs(restrict_css: str | None) -> etree.XPath:
    """The ``href`` of every link (inside ``restrict_css``), compiled once per region."""
    if not restrict_css:
        return etree.XPath("//a/@href", smart_strings=False)
    # descendant-or-self: the region may be the links themselves (a listing's cards)
    return etree.XPath(f"{css2xpath(restrict_css)}/descendant-or-self::a/@href", smart_strings=False)


ARTICLE_PRIORITY = 10  # drain found articles before paging further
SAFETY_NET_META = "newscrawl_safety_net"  # on the fast path's archive pages: the ids the sitemap listed
PLAN_META = "newscrawl_plan"  # on the sitemap request: (path, the last finished run's start, UTC)


def probed_ref(request: scrapy.Request) -> ArticleRef | None:
    """The article a request asked for: its first URL, before any redirect."""
    redirected_from = request.meta.get("redirect_urls")
    return parse_article_url(redirected_from[0] if redirected_from else request.url)


class DevdiscourseSpider(scrapy.Spider):
    name = "devdiscourse"

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        labels: str | None = None,
        mode: str = "incremental",
        reset: str = "0",
        since: str | None = None,
        archive: str = "auto",
        floor_id: str = "1",
        **kwargs: Any,
    ):
        super().__init__(**kwargs)
        try:
            check_argument_names(kwargs)
            self.base_url = validate_base_url(base_url)
            self.labels = parse_labels(labels)
            self.mode = validate_mode(mode)
            self.since = parse_since(since) if since else None
            self.since_utc = format_utc(self.since)  # the feed's form, to compare with published_at
            self.archive = validate_archive(archive)
            self.floor_id = parse_floor(floor_id)
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
            deny=(AMP_RE.pattern,),
            tags=("a",),
            attrs=("href",),
        )
        self.newest_seen = 0  # the highest article id any channel showed: where the id walk starts
        self.requested = IdBits()  # every article request the engine scheduled: a repeat is not asked again
        # Every article a page's links made a request for, scheduled yet or not: a page's
        # callback runs while requests that pages before it yielded still wait for the
        # spider middlewares, so ``requested`` alone let one repeat a page through.
        self.followed = IdBits()
        # The highest id seen published before -a since: ids rise with time, so the walk
        # needs nothing at or below it (a floor that rises as the crawl learns).
        self.before_since = 0
        self.walk_top = 0
        self.walk_lowest = 0
        self.chains_running = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.on_request_scheduled, signal=signals.request_scheduled)
        return spider

    @cached_property
    def channels(self) -> ChannelStats:
        """The crawl's channel bookkeeping, looked up once (it is asked on every page)."""
        return channel_stats(self.crawler)

    @cached_property
    def run(self) -> RunState:
        """The run's state (an extension, built before the engine)."""
        return run_state(self.crawler)

    @cached_property
    def outcomes(self) -> PageOutcomes:
        """What became of each page: counted and logged in one place."""
        return PageOutcomes(self.crawler, self.run, self.logger)

    @cached_property
    def walk_rules(self) -> WalkRules:
        settings = self.settings
        stop_on_known = self.mode == "incremental" and not self.run.fill_gaps
        return WalkRules(
            floor=self.floor_id,
            max_misses=max(1, settings.getint("NEWSCRAWL_ID_WALK_MAX_MISSES")),
            stop_after_known=max(1, settings.getint("NEWSCRAWL_ID_WALK_STOP_AFTER_KNOWN"))
            if stop_on_known
            else None,
        )

    # -- start ---------------------------------------------------------------
    @cached_property
    def plan(self) -> Plan:
        """The news sitemap alone (the cron fast path) or every listing (``newscrawl.discovery.plan``)."""
        run = self.run
        settings = self.settings
        return plan_run(
            run.state.last_runs(20),
            run.started,
            full=self.mode == "full" or run.fill_gaps or run.reset,
            fast_path=settings.getbool("NEWSCRAWL_SITEMAP_FAST_PATH"),
            max_gap=timedelta(hours=settings.getfloat("NEWSCRAWL_SITEMAP_MAX_GAP_HOURS")),
            listings_every=timedelta(minutes=settings.getfloat("NEWSCRAWL_LISTINGS_EVERY_MINUTES")),
        )

    def set_path(self, path: str, why: str) -> None:
        self.crawler.stats.set_value(names.RUN_PATH, path)
        self.crawler.stats.set_value(names.RUN_PATH_WHY, why)
        self.run.set_path(path)
        logger.info("Crawl path: %s (%s)", path, why)

    async def start(self) -> AsyncIterator[Any]:
        self.crawler.stats.set_value(names.RUN_BASE_URL, self.base_url)
        if not self.run.seeds_frontier:
            # Distributed: the worker that started this crawl seeded the shared queue.
            logger.info("Joining a running crawl: taking requests from the shared queue")
            return
        plan = self.plan
        self.set_path(plan.path, plan.why)
        # Entry pages and listing pages are fetched on every run: never dupe-filtered
        # (a persisted dupefilter, JOBDIR's or the shared Redis one, would skip them).
        # The plan travels with the sitemap request: with several workers, another may parse it.
        yield self.page_request(
            NEWS_SITEMAP_PATH,
            self.parse_news_sitemap,
            SITEMAP,
            errback=self.sitemap_failed,
            meta={PLAN_META: (plan.path, plan.last_started)},
        )
        if plan.fast:
            # The safety net (see parse_news_sitemap for the archive API's part of it).
            if plan.path == SITEMAP_AND_LISTINGS:  # each label listing's newest page
                for listing in html_listings(self.labels)[: len(self.labels or LABELS)]:
                    yield self.listing_request(listing, 1)
            return
        for request in self.archive_requests():
            yield request
        for request in self.listing_requests():
            yield request

    def archive_requests(self, meta: dict[str, Any] | None = None) -> Iterator[scrapy.Request]:
        if self.archive in ("auto", "api"):
            yield self.archive_request(1, meta)
        elif self.archive == "ids":
            yield self.page_request("/", self.begin_id_walk, ID_WALK, errback=self.begin_id_walk_failed)

    def listing_requests(self, *, labels: bool = True) -> Iterator[scrapy.Request]:
        """The home page and every listing: what a run without the fast path asks first."""
        yield self.page_request("/", self.parse_home, HOME)
        for listing in html_listings(self.labels):
            if labels or not listing.name.startswith("label:"):
                yield self.listing_request(listing, 1)
        if self.labels is None:
            for sector in SECTORS:
                yield self.page_request(f"/news/{sector}", self.parse_sector_page, LISTING)

    def fall_back(self, path: str | None, why: str) -> Iterator[scrapy.Request]:
        """The fast path's sitemap is unusable: this run pages the listings instead."""
        fast = path in (SITEMAP_ONLY, SITEMAP_AND_LISTINGS)
        if not fast or self.crawler.stats.get_value(names.RUN_FALLBACK):
            return
        self.crawler.stats.set_value(names.RUN_FALLBACK, why)
        logger.warning("News sitemap unusable (%s): this run pages the listings instead", why)
        self.set_path(FALLBACK, why)
        yield from self.archive_requests()
        # The safety net already asked for each label listing's newest page: not twice.
        yield from self.listing_requests(labels=path == SITEMAP_ONLY)

    # -- requests ------------------------------------------------------------
    def page_request(
        self,
        path: str,
        callback: Callable[..., Any],
        channel: str,
        *,
        errback: Callable[[Failure], Any] | None = None,
        meta: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> scrapy.Request:
        """A request for a page that is not an article (entry, listing, API): never filtered."""
        return scrapy.Request(
            path if path.startswith("http") else self.base_url + path,
            callback=callback,
            errback=errback or self.on_error,
            dont_filter=True,
            meta={CHANNEL_META: channel, **(meta or {})},
            **kwargs,
        )

    def listing_request(
        self, listing: Listing, page: int, meta: dict[str, Any] | None = None
    ) -> scrapy.Request:
        # The fragments are what the pages' infinite scroll asks for, as XHR (the blogs'
        # window is 60 months for an XHR, 24 otherwise); the source listings are pages.
        headers = {"X-Requested-With": "XMLHttpRequest"} if listing.path.startswith("/Home/") else {}
        return self.page_request(
            listing.url(self.base_url, page),
            self.parse_listing,
            LISTING,
            cb_kwargs={"listing": listing, "page": page},
            meta=meta,
            headers=headers,
        )

    def archive_request(self, page: int, meta: dict[str, Any] | None = None) -> scrapy.Request:
        return self.page_request(
            ARCHIVE_API_PATH.format(page=page),
            self.parse_archive,
            ARCHIVE_API,
            errback=self.archive_failed,
            cb_kwargs={"page": page},
            meta=meta,
        )

    def article_request(self, ref: ArticleRef, channel: str, *, refetch: bool = False) -> scrapy.Request:
        """One article, on this crawl's host whatever host the channel named.

        ``refetch``: an article exported before whose page changed since (its
        ``lastmod``): asked for again, past the incremental middleware.
        """
        path = f"/article/{ref.label}/{ref.article_id}" if ref.label else f"/article/{ref.article_id}"
        if ref.slug:
            path += f"-{ref.slug}"
        self.newest_seen = max(self.newest_seen, ref.article_id)
        meta: dict[str, Any] = {CHANNEL_META: channel, ARTICLE_ID_META: ref.article_id}
        if refetch:
            meta[REFETCH_META] = True
        return scrapy.Request(
            self.base_url + path,
            callback=self.parse_article,
            errback=self.on_error,
            priority=ARTICLE_PRIORITY,
            meta=meta,
        )

    def listed_requests(
        self, channel: str, refs: list[tuple[ArticleRef, str | None]]
    ) -> Iterator[scrapy.Request]:
        """Requests for the articles a channel lists, with their ``lastmod`` (UTC) where it says one.

        An article exported before is asked for again when its lastmod is later
        than its last export's ``updated_at`` (an editors' update); otherwise the
        incremental middleware skips what earlier runs settled.
        """
        self.channels.listed(channel, (ref.article_id for ref, _ in refs))
        run = self.run
        dated = [ref.article_id for ref, modified in refs if modified is not None]
        known = run.known_before_run(dated) if dated else set()
        records = run.article_records(known) if known else {}
        for ref, modified in refs:
            if self.asked_already(ref):
                continue
            record = records.get(ref.article_id)
            last = record.modified if record is not None else None
            # By the minute: a byline-only time has no seconds, the sitemap's lastmod has.
            if last is not None and modified is not None and modified[:16] > last[:16]:
                self.crawler.stats.inc_value(names.REFETCHED_MODIFIED)
                yield self.article_request(ref, channel, refetch=True)
            else:
                yield self.article_request(ref, channel)

    def wanted(self, ref: ArticleRef | None) -> bool:
        """Whether an article a channel shows is one this crawl exports (``-a labels``)."""
        if ref is None:
            return False
        return self.labels is None or not ref.label or ref.label in self.labels or ref.label == "agency-wire"

    def next_page_meta(self, listing: str, ids: list[int], response: Response) -> dict[str, Any]:
        """What the incremental middleware needs to stop paging once pages hold nothing new."""
        meta: dict[str, Any] = {LISTING_META: listing, CARDS_META: ids}
        streak = response.meta.get(KNOWN_PAGES_META) if response.request is not None else None
        if streak is not None:
            meta[KNOWN_PAGES_META] = streak
        return meta

    # -- following -----------------------------------------------------------
    def article_refs(self, response: TextResponse, restrict_css: str | None = None) -> list[ArticleRef]:
        """The articles a page links to that this crawl wants, each once, in page order.

        The link rules are ``article_links`` (a LinkExtractor's: the article path, this
        crawl's host, no ``?amp``); a site-relative link, most of them, is on this host
        by construction and is not parsed again to learn so.
        """
        seen: set[int] = set()
        refs = []
        root = response.selector.root
        in_view = VIEW_REGIONS.get(restrict_css) if restrict_css else None
        hrefs = (in_view(root) if in_view is not None else None) or link_hrefs(restrict_css)(root)
        for href in hrefs:
            if "/article/" not in href:  # cheap test first: most links are navigation
                continue
            if href.startswith("/") and not href.startswith("//"):
                if AMP_RE.search(href):
                    continue
                ref = parse_article_url(href)  # the path is all it reads: no need to join the host
            else:
                url = response.urljoin(href)
                if not self.article_links.matches(url):
                    continue
                ref = parse_article_url(url)
            if ref is None or ref.article_id in seen or not self.wanted(ref):
                continue
            seen.add(ref.article_id)
            refs.append(ref)
        return refs

    def asked_already(self, ref: ArticleRef) -> bool:
        """Whether this crawl has scheduled a request for the article: a repeat is not yielded.

        The dupefilter would drop it (an article is its id), but only after a Request
        object, the spider middlewares, a fingerprint and a lookup: a dozen times per
        article page, for the sidebars' links to articles already asked for.
        """
        if ref.article_id in self.requested:
            self.crawler.stats.inc_value(names.LINKS_ASKED_ALREADY)
            return True
        return False

    def follow_articles(
        self, response: TextResponse, channel: str, restrict_css: str | None = None
    ) -> Iterator[scrapy.Request]:
        """Requests for the articles a page links to, each article once a crawl.

        A link never makes a refetch, so an article one link asked for (even one the
        incremental middleware then drops as settled) is not asked for by the next: its
        request would meet the same end. Only ``requested`` (what the engine took) holds
        back the listings' requests, which may be refetches.
        """
        followed = self.followed
        repeats = 0  # counted once a page: most of a sidebar's links are repeats
        for ref in self.article_refs(response, restrict_css):
            if ref.article_id in followed:
                repeats += 1
            elif not self.asked_already(ref):
                followed.add(ref.article_id)
                yield self.article_request(ref, channel)
        if repeats:
            self.crawler.stats.inc_value(names.LINKS_ASKED_ALREADY, repeats)

    def parse_home(self, response: Response) -> Iterator[scrapy.Request]:
        if isinstance(response, TextResponse):
            yield from self.follow_articles(response, HOME)

    def parse_news_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """``/RSS/GoogleNews``: every article of about the last two days, in one request."""
        path, last_started = response.meta.get(PLAN_META) or (None, None)
        try:
            entries = parse_news_sitemap(response.body)
        except ValueError as exc:
            why = f"{NEWS_SITEMAP_PATH} does not parse: {exc}"
            self.channels.broken(SITEMAP, why)
            yield from self.fall_back(path, why)
            return
        if not entries:
            self.crawler.stats.inc_value(names.SITEMAP_EMPTY)
            logger.info("%s lists no article", NEWS_SITEMAP_PATH)
            yield from self.fall_back(path, f"{NEWS_SITEMAP_PATH} lists no article")
        refs = []
        for entry in entries:
            ref = parse_article_url(entry.loc)
            if ref is not None and self.wanted(ref):
                refs.append((ref, format_utc(parse_iso(entry.lastmod)) if entry.lastmod else None))
        yield from self.listed_requests(SITEMAP, refs)
        oldest = min((m for _, m in refs if m), default=None)
        if len(entries) >= NEWS_SITEMAP_MAX and last_started and oldest and oldest > last_started:
            # Full, and its oldest entry is newer than the last run: there may be a gap below it.
            yield from self.fall_back(path, f"{NEWS_SITEMAP_PATH} is full and starts after the last run")
        elif entries and path == SITEMAP_AND_LISTINGS and self.archive in ("auto", "api"):
            # The safety net, with the listings' newest pages: the archive's newest page, paged
            # on only while it shows articles that neither the sitemap nor an earlier run brought.
            yield self.archive_request(1, {SAFETY_NET_META: [ref.article_id for ref, _ in refs]})

    def sitemap_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        self.on_error(failure)
        request = getattr(failure, "request", None)
        path = (request.meta.get(PLAN_META) or (None, None))[0] if request is not None else None
        yield from self.fall_back(path, f"{NEWS_SITEMAP_PATH}: {self.failure_reason(failure)}")

    def parse_listing(self, response: Response, listing: Listing, page: int) -> Iterator[scrapy.Request]:
        """A page of listing cards; the next page follows until a page comes back empty."""
        stats = self.crawler.stats
        if not isinstance(response, TextResponse):
            stats.inc_value(names.LISTING_NOT_TEXT)
            return
        stats.inc_value(names.LISTING_PAGES)
        cards = response.css("a.text-decoration")
        refs = self.article_refs(response, "a.text-decoration" if cards else None)
        ids = [ref.article_id for ref in refs]  # every card: what the incremental middleware judges
        self.channels.listed(LISTING, ids)
        for ref in refs:
            if not self.asked_already(ref):
                yield self.article_request(ref, LISTING)
        release_tree(response)
        if not cards:
            if page == 1 and response.body.strip() and b"<html" not in response.body[:200].lower():
                self.channels.broken(LISTING, f"{listing.name}: its first page has no cards")
            return  # an empty page: the end of this listing (or of its window)
        # Last, so the incremental middleware has seen this page's articles.
        yield self.listing_request(listing, page + 1, self.next_page_meta(listing.name, ids, response))

    def parse_sector_page(self, response: Response) -> Iterator[scrapy.Request]:
        """A sector page: its script names the JSON API's sector id and region."""
        params = sector_api_params(response.text) if isinstance(response, TextResponse) else None
        if params is None:
            self.channels.broken(LISTING, f"{urlsplit(response.url).path}: no sector id in its script")
            return
        yield self.sector_request(*params, page=1)

    def sector_request(
        self, sector: str, region: str, page: int, meta: dict[str, Any] | None = None
    ) -> scrapy.Request:
        path = SECTOR_API_PATH.format(sector=quote(sector), region=quote(region), page=page)
        return self.page_request(
            path, self.parse_sector_api, LISTING, meta=meta,
            cb_kwargs={"sector": sector, "region": region, "page": page},
        )  # fmt: skip

    def parse_sector_api(
        self, response: Response, sector: str, region: str, page: int
    ) -> Iterator[scrapy.Request]:
        try:
            entries = parse_sector_page(response.body)
        except ValueError as exc:
            self.channels.broken(LISTING, f"sector {sector} API page {page}: {exc}")
            return
        # The sector API's createdOn is the article's ModifiedOn: editors' updates show there too.
        refs = [(ArticleRef(e.label or "", e.article_id, ""), format_utc(e.created)) for e in entries]
        yield from self.listed_requests(
            LISTING, [(ref, modified) for ref, modified in refs if self.wanted(ref)]
        )
        if entries:
            ids = [ref.article_id for ref, _ in refs if self.wanted(ref)]
            yield self.sector_request(
                sector, region, page + 1, self.next_page_meta(f"sector:{sector}", ids, response)
            )

    # -- the archive -----------------------------------------------------------
    def parse_archive(self, response: Response, page: int) -> Iterator[scrapy.Request]:
        """``/api/Search/GetAllNews/{page}``: 20 articles a page, newest first, to the end."""
        try:
            entries = parse_archive_page(response.body)
        except ValueError as exc:
            yield from self.archive_broken(page, f"{urlsplit(response.url).path} answered {exc}")
            return
        if page == 1 and not entries:  # the archive is never empty: the API answers wrongly
            yield from self.archive_broken(page, f"{urlsplit(response.url).path} lists no article")
            return
        if page == 1:
            self.channels.archive(True, "archive API")
        since = self.since
        wanted = [e for e in entries if since is None or e.created is None or e.created >= since]
        older = [
            e.article_id for e in entries if since is not None and e.created is not None and e.created < since
        ]
        self.before_since = max([self.before_since, *older])
        refs = [ref for e in wanted if self.wanted(ref := ArticleRef(e.label or "", e.article_id, ""))]
        self.channels.listed(ARCHIVE_API, (r.article_id for r in refs))
        for ref in refs:
            if not self.asked_already(ref):
                yield self.article_request(ref, ARCHIVE_API)
        if not entries:
            logger.info("Archive API paged to its end (%d pages)", page - 1)
            return
        if len(wanted) < len(entries):
            self.channels.archive(True, f"archive API down to {self.since:%Y-%m-%d %H:%M} UTC")
            logger.info("Archive API paged back to since=%s (page %d)", self.since, page)
            return
        ids = [r.article_id for r in refs]  # what this crawl wants (-a labels): what "new" means
        sitemap_ids = response.meta.get(SAFETY_NET_META)
        if sitemap_ids is not None:
            unseen = set(ids) - set(sitemap_ids)
            if not unseen or self.run.known_before_run(unseen) == unseen:
                return  # everything here came through the sitemap or an earlier run
            self.crawler.stats.inc_value(names.SAFETY_NET_FOUND, len(unseen))
            yield self.archive_request(page + 1, {SAFETY_NET_META: sitemap_ids})
            return
        yield self.archive_request(page + 1, self.next_page_meta("archive", ids, response))

    def archive_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        request = failure.request  # type: ignore[attr-defined]
        page = request.cb_kwargs.get("page", 0)
        yield from self.archive_broken(page, f"{urlsplit(request.url).path}: {self.failure_reason(failure)}")

    def archive_broken(self, page: int, why: str) -> Iterator[scrapy.Request]:
        self.channels.broken(ARCHIVE_API, why)
        if page == 1 and self.archive == "auto":
            logger.warning("Archive API unavailable: walking article ids down from the newest seen instead")
            yield self.page_request("/", self.begin_id_walk, ID_WALK, errback=self.begin_id_walk_failed)
        else:
            self.channels.archive(False, f"archive API broke at page {page}: {why}")

    # -- the id walk (see newscrawl.discovery.idwalk) -------------------------------------
    def begin_id_walk(self, response: Response) -> Iterator[scrapy.Request]:
        if isinstance(response, TextResponse):
            for href in response.css("a::attr(href)").getall():
                if (ref := parse_article_url(response.urljoin(href))) is not None:
                    self.newest_seen = max(self.newest_seen, ref.article_id)
        yield from self.start_chains()

    def begin_id_walk_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        yield from self.start_chains()

    def start_chains(self) -> Iterator[scrapy.Request]:
        top = self.newest_seen
        if top < self.floor_id:
            self.channels.broken(ID_WALK, "no article id seen to start the walk from")
            self.channels.archive(False, "id walk could not start")
            return
        chains = max(1, self.settings.getint("NEWSCRAWL_ID_WALK_CHAINS"))
        stats = self.crawler.stats
        stats.set_value(names.ID_WALK_TOP, top)
        stats.inc_value(names.ID_WALK_CHAINS_STARTED, chains)
        self.walk_top = self.walk_lowest = top
        self.chains_running += chains
        self.channels.archive(False, f"id walk from {top}: unfinished")
        logger.info("Id walk: %d chains down from id %d to the floor %d", chains, top, self.floor_id)
        for k in range(chains):
            yield from self.walk_from(top - k, Chain(stride=chains))

    def walk_from(self, start: int, chain: Chain) -> Iterator[scrapy.Request]:
        run = self.run
        rules = self.walk_rules
        if self.before_since >= rules.floor:
            rules = replace(rules, floor=self.before_since + 1)
        step = next_step(start, chain, rules, run.known_before_run, run.known_missing)
        if step.skipped_missing:
            self.crawler.stats.inc_value(names.ID_WALK_SKIPPED_MISSING, step.skipped_missing)
        self.remember_missing(step.remember)
        if step.article_id is None:
            ended = step.ended or "?"
            if step.chain.pending:  # the run of misses that ended the chain: not remembered
                self.crawler.stats.inc_value(names.ID_WALK_MISSES_NOT_REMEMBERED, len(step.chain.pending))
            self.chain_ended("since" if ended == "floor" and rules.floor > self.floor_id else ended)
            return
        self.walk_lowest = min(self.walk_lowest, step.article_id)
        yield scrapy.Request(
            self.base_url + ARTICLE_BY_ID_PATH.format(id=step.article_id),
            callback=self.parse_article,
            errback=self.on_probe_error,
            priority=ARTICLE_PRIORITY,
            meta={
                CHANNEL_META: ID_WALK,
                ARTICLE_ID_META: step.article_id,
                PROBE_META: step.chain.as_meta(),
                "max_retry_times": 1,  # a missing id answers 500: one retry tells it from a blip
                "give_up_log_level": logging.DEBUG,  # a missing id is the walk's normal answer
            },
        )

    def chain_ended(self, reason: str) -> None:
        self.crawler.stats.inc_value(names.id_walk_chain_ended(reason))
        self.chains_running -= 1
        if self.chains_running == 0:
            self.channels.archive(True, f"id walk from {self.walk_top} down to {self.walk_lowest}")
            logger.info("Id walk done: ids %d down to %d", self.walk_top, self.walk_lowest)

    def continue_walk(self, request: scrapy.Request, chain: Chain) -> Iterator[scrapy.Request]:
        ref = probed_ref(request)
        if ref is not None:
            yield from self.walk_from(ref.article_id - chain.stride, chain)
        else:
            self.chain_ended("lost")

    def remember_missing(self, article_ids: tuple[int, ...]) -> None:
        for article_id in article_ids:
            self.run.missing(article_id)

    def on_probe_error(self, failure: Failure) -> Iterator[scrapy.Request]:
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]
        chain = Chain.from_meta(request.meta[PROBE_META])
        ref = probed_ref(request)
        error = failure.value
        if isinstance(error, HttpError) and error.response.status in MISSING_ID_STATUSES and ref is not None:
            self.channels.reached(ref.article_id)
            self.crawler.stats.inc_value(names.ID_WALK_MISSING)
            chain = chain.missed(ref.article_id)  # remembered once an article shows below it
        else:
            self.on_error(failure)
        yield from self.continue_walk(request, chain)

    def on_request_scheduled(self, request: scrapy.Request, spider: Any = None) -> None:
        """An article request got past the spider middlewares: this crawl has asked for it.

        Not at creation: a request the incremental middleware drops (known before this
        run) must not hide a later refetch of the same article (its page changed).
        """
        article_id = request.meta.get(ARTICLE_ID_META)
        if article_id is not None:
            self.requested.add(article_id)

    def on_request_dropped(self, request: scrapy.Request, spider: Any = None) -> None:
        """A probe the dupefilter dropped: another channel requested that article; walk on."""
        probe = request.meta.get(PROBE_META)
        engine = self.crawler.engine
        if probe is None or engine is None:
            return
        chain = Chain.from_meta(probe)
        self.remember_missing(chain.pending)  # an article below them: they were gaps
        from twisted.internet import reactor as _reactor  # installed by now; never at import

        reactor = cast("Any", _reactor)
        for follow in self.continue_walk(request, replace(chain, misses=0, pending=())):
            # Later, not inside this signal: the scheduler may drop that one too, and so on.
            reactor.callLater(0, engine.crawl, follow)

    # -- articles ------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[Any]:
        """An article page: its item, its sidebar's articles, and the id walk's next probe.

        Contracts (``scrapy check devdiscourse -a base_url=URL``) against the bundled
        replica's demo site (``python -m replica serve --articles 2000 --seed 1``):

        @article_path /article/1000001
        @returns items 1 1
        @scrapes url article_id story_id title body published_at published_date_ist label agency
        """
        ref = parse_article_url(response.url)
        self.channels.reached(ref.article_id if ref else None)
        published: str | None = None
        for output in self.article_outputs(response):
            if isinstance(output, ArticleItem):
                published = output.published_at
            yield output
        release_tree(response)
        # Ids rise with time: an article older than -a since, whichever channel brought it (the
        # walk's own probes are mostly dropped as already asked for), is a floor for the walk.
        if (
            ref is not None
            and self.since_utc is not None
            and published is not None
            and published < self.since_utc
        ):
            self.before_since = max(self.before_since, ref.article_id)
        probe = response.meta.get(PROBE_META) if response.request is not None else None
        origin = probed_ref(response.request) if probe is not None and response.request is not None else None
        if probe is None or origin is None:
            return
        chain = Chain.from_meta(probe)
        self.remember_missing(chain.pending)  # an article below them: they were gaps
        yield from self.walk_from(origin.article_id - chain.stride, Chain(stride=chain.stride))

    def article_outputs(self, response: Response) -> Iterator[Any]:
        self.outcomes.fetched()
        if not isinstance(response, TextResponse):
            self.outcomes.dropped(response, "not_html", f"not an HTML page ({type(response).__name__})")
            return
        if is_truncated(response):  # TruncatedPageMiddleware asked again as often as it may
            tries = response.meta.get("retry_times", 0) + 1
            self.outcomes.dropped(
                response, "truncated", f"truncated page (no closing </html>, {tries} tries)"
            )
            return
        extraction = extract_article(response)
        item = extraction.item
        if any("\ufffd" in (value or "") for value in (item.title, item.body)):
            self.outcomes.dropped(
                response, "invalid_bytes", "bytes that are not valid in the page's encoding"
            )
            return
        self.outcomes.extracted(response, item, extraction.problems)
        if self.labels is None or item.label in self.labels:
            yield item
        yield from self.follow_articles(response, SIDEBAR, SIDEBAR_CSS)

    def failure_reason(self, failure: Failure) -> str:
        return failure_reason(failure, self.settings.getint("REDIRECT_MAX_TIMES"))

    def on_error(self, failure: Failure) -> None:
        """A request that failed for good (after retries): counted and logged by reason."""
        request = getattr(failure, "request", None)
        url = request.url if request is not None else "?"
        reason = self.failure_reason(failure)
        ref = probed_ref(request) if request is not None else None
        if reason == ROBOTS_FORBIDDEN:  # policy, not failure
            self.channels.failed(ref.article_id if ref else None)  # accounted for, not lost
            self.crawler.stats.inc_value(names.SKIPPED_ROBOTS)
            self.logger.debug("Skipped %s: forbidden by robots.txt", url)
            return
        self.crawler.stats.inc_value(names.failed(reason))
        if ref is not None:
            self.channels.failed(ref.article_id)
            self.logger.warning("Failed %s: %s (%s)", url, reason, failure.getErrorMessage())
            return
        channel = request.meta.get(CHANNEL_META) if request is not None else None
        if channel in (SITEMAP, LISTING, ARCHIVE_API):
            self.channels.broken(channel, f"{urlsplit(url).path}: {reason}")
        else:
            self.logger.warning("Failed %s: %s (%s)", url, reason, failure.getErrorMessage())
