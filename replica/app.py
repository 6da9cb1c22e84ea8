"""Routing of the replica: a request's path, query and client to a response.

Pure and deterministic (no I/O), so it is tested without a socket and served
by :mod:`replica.server` over real HTTP. Rendered responses are
cached, which keeps an article page well under a millisecond once built.

The routes are the 2026 site's (``docs/SITE.md`` sections 1-4), windows
included: the site's clock is :attr:`Corpus.now` (shortly after the newest
article), so "the last 10 days" is the same for the same ``--articles`` and
``--seed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote

from newscrawl.site.routes import GLOBAL_EDITION
from replica import live, pages, words
from replica.corpus import BLOCK, Article, Corpus, Meta

if TYPE_CHECKING:
    from collections.abc import Callable

PAGE_SIZE = 20  # label, source and blog listings; the archive API
SECTOR_PAGE_SIZE = 10
NEWS_SITEMAP_MAX = 500
HTML = "text/html; charset=utf-8"
XML = "text/xml; charset=utf-8"
JSON = "application/json; charset=utf-8"
# Label listings (and PTI's, the sectors', the blogs') show articles created after these.
LABEL_WINDOW = timedelta(days=10)
PTI_WINDOW = timedelta(days=30)
SECTOR_WINDOW = timedelta(days=90)
BLOG_WINDOW = timedelta(days=60 * 30)
NEWS_SITEMAP_WINDOW = timedelta(days=2) - timedelta(hours=12)  # Today - 2 days + 12 hours
# Two old articles the sitemap query always adds (ids 809210 and 806669 on the site).
PINNED_IN_SITEMAP = (0, 1)
MISSING_STATUSES = (500, 404)
BREAKABLE = ("sitemap", "listings")  # serve --break: channels that stop answering as the site does
EDITION_NAMES = tuple(words.EDITIONS.values())

_ARTICLE_RE = re.compile(r"^/article/(?:([^/]+)/)?(\d+)[^/]*/?$", re.IGNORECASE)
_LIVE_RE = re.compile(r"^/live-discourse/(\d+)[^/]*/?$", re.IGNORECASE)
_ARCHIVE_RE = re.compile(r"^/api/search/getallnews/(-?\d+)/?$", re.IGNORECASE)
_SECTOR_API_RE = re.compile(r"^/api/search/getsectornews/([^/]+)/([^/]+)/(-?\d+)/?$", re.IGNORECASE)
# Fixed section pages of /sitemap.xml (37, no articles).
SECTION_PAGES = (
    "/", "/news", "/blogs", "/blogs/interview", "/pti-stories", "/devdiscourse-stories",
    "/live-discourse", "/top-stories",
    *(f"/stories/{label}" for label in words.LABELS),
    *(f"/news/{sector}" for sector in words.SECTORS),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True, slots=True)
class Listing:
    """Articles a listing shows, newest first, within its window."""

    key: str
    includes: Callable[[Meta], bool]
    window: timedelta | None
    wire_links: bool = False  # links the agency_wire_link case through /article/agency-wire/


def _has(attr: str, value: str, *, blogs: bool = True) -> Callable[[Meta], bool]:
    """A listing predicate: ``meta.<attr> == value`` (optionally without blogs)."""

    def includes(meta: Meta) -> bool:
        return getattr(meta, attr) == value and (blogs or meta.kind != "blog")

    return includes


def _listings() -> dict[str, Listing]:
    out = [Listing(f"label:{label}", _has("label", label), LABEL_WINDOW) for label in words.LABELS]
    out += [
        Listing(f"sector:{n}", _has("sector", sector, blogs=False), SECTOR_WINDOW)
        for n, sector in enumerate(words.SECTORS, 1)
    ]
    out += [
        Listing("/pti-stories", _has("agency", "PTI", blogs=False), PTI_WINDOW, wire_links=True),
        Listing(
            "/devdiscourse-stories",
            _has("agency", "Devdiscourse News Desk", blogs=False),
            None,
            wire_links=True,
        ),
        Listing("blogs", _has("kind", "blog"), BLOG_WINDOW),
    ]
    return {listing.key: listing for listing in out}


LISTINGS = _listings()


def alternate_label(label: str) -> str:
    """The other label the ``two_labels`` case is linked under."""
    return words.LABELS[(words.LABELS.index(label) + 1) % len(words.LABELS)]


def is_bot(user_agent: str) -> bool:
    return "bot" in user_agent.lower()


def regional_edition(meta: Meta) -> str:
    """The one regional edition (besides Global) that ranks an article."""
    return EDITION_NAMES[meta.article_id % len(EDITION_NAMES)]


class ReplicaApp:
    """The replica site of ``articles`` articles generated from ``seed``.

    ``archive_api=False`` makes ``/api/Search/GetAllNews`` answer 404 (a crawl's
    fallback is then the id walk); ``missing_status`` is what a missing or
    unapproved article id answers (500 as the live code most likely does, or
    404); ``robots`` serves a robots.txt (the site's code has none); ``broken``
    channels answer 200 with what a redesign or an outage might serve instead
    (``sitemap``: an HTML error page; ``listings``: card pages whose cards lost
    their markup).
    """

    def __init__(
        self,
        articles: int,
        seed: int,
        layout: str = "v1",
        *,
        archive_api: bool = True,
        missing_status: int = 500,
        robots: bool = False,
        broken: frozenset[str] = frozenset(),
    ) -> None:
        if layout not in pages.LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(pages.LAYOUTS)}, got {layout!r}")
        if missing_status not in MISSING_STATUSES:
            raise ValueError(f"missing_status must be 500 or 404, got {missing_status}")
        self.layout = layout
        self.archive_api = archive_api
        self.missing_status = missing_status
        self.robots = robots
        unknown = set(broken) - set(BREAKABLE)
        if unknown:
            raise ValueError(f"can break only {', '.join(BREAKABLE)}, got {', '.join(sorted(unknown))}")
        self.broken = broken
        self.corpus = Corpus(articles, seed)
        self._entries: dict[str, list[tuple[int, str]]] = {}
        self._live: list[live.LiveBlog] | None = None
        self.handle = lru_cache(maxsize=4096)(self._handle)

    @property
    def live_blogs(self) -> list[live.LiveBlog]:
        if self._live is None:
            self._live = live.live_blogs(self.corpus)
        return self._live

    @property
    def now(self) -> datetime:
        return self.corpus.now

    @property
    def today(self) -> datetime:
        """The server's ``DateTime.Today`` (midnight of its clock)."""
        return self.now.replace(hour=0, minute=0, second=0, microsecond=0)

    # -- listings ------------------------------------------------------------
    def entries(self, listing: Listing) -> list[tuple[int, str]]:
        """(index, link variant) of a listing, newest first, window applied."""
        cached = self._entries.get(listing.key)
        if cached is None:
            cached = []
            cutoff = None if listing.window is None else self.today - listing.window
            label = listing.key.removeprefix("label:") if listing.key.startswith("label:") else None
            for meta in reversed(self.corpus.metas):
                if cutoff is not None and meta.published <= cutoff:
                    break
                if not self.corpus.approved(meta.index):
                    continue
                if listing.includes(meta):
                    variant = "wire" if meta.case == "agency_wire_link" and listing.wire_links else ""
                    cached.append((meta.index, variant))
                elif meta.case == "two_labels" and label is not None and alternate_label(meta.label) == label:
                    cached.append((meta.index, "alt"))
            self._entries[listing.key] = cached
        return cached

    def page_of(self, listing: Listing, page: int, size: int = PAGE_SIZE) -> list[tuple[int, str]]:
        if page < 1:
            return []
        return self.entries(listing)[(page - 1) * size : page * size]

    def link(self, article: Article, variant: str) -> str:
        if variant == "alt":
            words_of_slug = article.slug.split("-")[:4]
            label = alternate_label(article.meta.label)
            return (
                f"/article/{label}/{article.article_id}-{'-'.join(words_of_slug)}"
                "?utm_source=newsletter&amp;utm_medium=email#comments"
            )
        if variant == "wire":
            return f"/article/agency-wire/{article.article_id}-{article.slug}"
        return article.path

    def _cards(self, chunk: list[tuple[int, str]]) -> str:
        corpus = self.corpus
        cards = pages.render_cards(
            ((corpus.article(i), self.link(corpus.article(i), v)) for i, v in chunk), self.now
        )
        if "listings" in self.broken:  # a redesign: the cards are no longer links of that class
            cards = cards.replace('class="text-decoration"', 'class="news-card"').replace(
                "<a href=", "<a data-href="
            )
        return cards

    # -- articles ------------------------------------------------------------
    def _articles(self, indices: list[int]) -> list[Article]:
        """Articles for a page's links. Never the late-approved one, even once approved:
        an older page must not change when it is (the growth contract)."""
        corpus = self.corpus
        return [
            corpus.article(i)
            for i in indices
            if 0 <= i < corpus.size and corpus.metas[i].case != "late_approval"
        ]

    def _article_page(self, i: int, base: str, bot: bool, amp: bool) -> bytes:
        blogs = [m.index for m in self.corpus.metas[max(0, i - BLOCK) : i] if m.kind == "blog"]
        return pages.render_article(
            self.corpus.article(i),
            base,
            bot=bot,
            amp=amp,
            latest=self._articles([i - k for k in range(1, 6)]),
            trending=self._articles([i - 7, i - 11, i - 13, i - 17]),
            blogs=self._articles(blogs[-3:][::-1]),
            also_read=self._articles([i - 2, i - 3]),
            layout=self.layout,
        )

    def newest_live(self) -> live.LiveBlog | None:
        return self.live_blogs[-1] if self.live_blogs else None

    def newest(self, count: int) -> list[Article]:
        """The newest approved articles (the home page's Latest News)."""
        corpus = self.corpus
        newest = (i for i in range(corpus.size - 1, -1, -1) if corpus.approved(i))
        return [corpus.article(i) for _, i in zip(range(count), newest, strict=False)]

    def news_sitemap_articles(self) -> list[Article]:
        """The news sitemap's rows: created in about the last 2 days, newest ModifiedOn first."""
        cutoff = self.today - NEWS_SITEMAP_WINDOW
        recent = []
        for meta in reversed(self.corpus.metas):
            if meta.published <= cutoff:
                break
            recent.append(meta.index)
        pinned = [i for i in PINNED_IN_SITEMAP if i < self.corpus.size and i not in recent]
        corpus = self.corpus
        articles = [corpus.article(i) for i in recent + pinned if corpus.approved(i)]
        articles.sort(key=lambda a: a.modified, reverse=True)
        return articles[:NEWS_SITEMAP_MAX]

    # -- routing -------------------------------------------------------------
    def _handle(self, path: str, query: str, bot: bool, host: str) -> Response:
        base = f"http://{host}"
        params = parse_qs(query, keep_blank_values=True)
        lower = path.lower().rstrip("/") or "/"
        match = _ARTICLE_RE.match(path)
        if match is not None:
            label = match.group(1)
            return self._route_article(label, int(match.group(2)), "amp" in params, bot, base)
        if lower == "/" or lower.strip("/") in words.EDITIONS:
            edition = lower.strip("/") or None
            newest_live = self.newest_live()
            return _ok(
                pages.render_home(self.newest(10), base, edition, newest_live.path if newest_live else None)
            )
        if lower == "/robots.txt" and self.robots:
            return _ok(pages.render_robots(base), "text/plain; charset=utf-8")
        if lower == "/sitemap.xml":
            return _ok(pages.render_sitemap(base, SECTION_PAGES), XML)
        if lower == "/rss/googlenews":
            if "sitemap" in self.broken:
                return _ok(pages.render_error(base))
            return _ok(pages.render_news_sitemap(base, self.news_sitemap_articles()), XML)
        if lower == "/rss/livediscourse":
            since = self.today - NEWS_SITEMAP_WINDOW
            return _ok(live.render_live_sitemap(base, self.live_blogs, since), XML)
        if (live_match := _LIVE_RE.match(path)) is not None:
            blog = {b.live_id: b for b in self.live_blogs}.get(int(live_match.group(1)))
            if blog is None:  # a real 404 in this id space
                return Response(404, (("Content-Type", HTML),), pages.render_not_found(base))
            return _ok(live.render_live_blog(blog, base))
        if lower == "/home/getnewsitems":
            return self._route_label_fragment(params)
        if lower == "/home/getblogitems":
            return _ok(self._cards(self.page_of(LISTINGS["blogs"], _page_param(params))).encode())
        if (archive := _ARCHIVE_RE.match(path)) is not None:
            return self._route_archive(int(archive.group(1)), base)
        if (sector_api := _SECTOR_API_RE.match(path)) is not None:
            return self._route_sector_api(*sector_api.groups())
        return self._route_listing_page(lower, params, base)

    def _missing(self, base: str) -> Response:
        if self.missing_status == 404:
            return Response(404, (("Content-Type", HTML),), pages.render_not_found(base))
        return Response(500, (("Content-Type", HTML),), pages.render_error(base))

    def _route_article(self, label: str | None, article_id: int, amp: bool, bot: bool, base: str) -> Response:
        i = self.corpus.index_of(article_id)
        if i is None or not self.corpus.approved(i):
            return self._missing(base)
        article = self.corpus.article(i)
        if label is not None and label.lower() == "agency-wire" and not amp:
            # Relative Location, query dropped (RedirectToRoutePermanent).
            return Response(301, (("Location", article.path), ("Content-Type", HTML)), b"")
        return _ok(self._article_page(i, base, bot, amp))

    def _route_label_fragment(self, params: dict[str, list[str]]) -> Response:
        label = params.get("label", [""])[0]
        region = params.get("region", [""])[0]
        listing = LISTINGS.get(f"label:{label}")
        if listing is None or region not in (GLOBAL_EDITION, *EDITION_NAMES):
            return _ok(b"")  # exact label and region: nothing matches
        entries = self.entries(listing)
        if region != GLOBAL_EDITION:
            metas = self.corpus.metas
            entries = [(i, v) for i, v in entries if regional_edition(metas[i]) == region]
        page = _page_param(params)
        chunk = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE] if page >= 1 else []
        return _ok(self._cards(chunk).encode())

    def _route_archive(self, page: int, base: str) -> Response:
        if not self.archive_api:
            return Response(404, (("Content-Type", HTML),), pages.render_not_found(base))
        if page < 1:
            return _ok(b"[]", JSON)
        size = self.corpus.size
        indices = [i for i in range(size - 1, -1, -1) if self.corpus.approved(i)]
        chunk = indices[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        return _ok(pages.render_archive_page(self.corpus.article(i) for i in chunk), JSON)

    def _route_sector_api(self, sector: str, region: str, page: str) -> Response:
        listing = LISTINGS.get(f"sector:{sector}")
        if listing is None or unquote(region) != GLOBAL_EDITION:
            return _ok(b"[]", JSON)
        chunk = self.page_of(listing, int(page), SECTOR_PAGE_SIZE)
        return _ok(pages.render_sector_page(self.corpus.article(i) for i, _ in chunk), JSON)

    def _route_listing_page(self, path: str, params: dict[str, list[str]], base: str) -> Response:
        segments = path.strip("/").split("/")
        if path in ("/pti-stories", "/devdiscourse-stories"):
            listing = LISTINGS[path]
            name = "PTI" if path == "/pti-stories" else "Devdiscourse News Desk"
            cards = self._cards(self.page_of(listing, _page_param(params)))
            return _ok(pages.render_listing(name, cards, base, path))
        if len(segments) == 2 and segments[0] == "stories" and f"label:{segments[1]}" in LISTINGS:
            cards = self._cards(self.page_of(LISTINGS[f"label:{segments[1]}"], 1))
            return _ok(pages.render_listing(segments[1].title(), cards, base, path))
        if len(segments) == 2 and segments[0] == "news" and segments[1] in words.SECTORS:
            sector_id = words.SECTORS.index(segments[1]) + 1
            script = pages.sector_script(sector_id, GLOBAL_EDITION)
            name = words.SECTOR_NAMES[segments[1]]
            return _ok(pages.render_listing(name, "", base, path, script))
        if path in ("/blogs", "/blogs/interview"):
            cards = self._cards(self.page_of(LISTINGS["blogs"], 1))
            return _ok(pages.render_listing("Blog / Opinion", cards, base, path))
        return Response(404, (("Content-Type", HTML),), pages.render_not_found(base))


def _page_param(params: dict[str, list[str]]) -> int:
    try:
        return int(params.get("page", ["1"])[0] or "1")
    except ValueError:
        return 0


def _ok(body: bytes, content_type: str = HTML) -> Response:
    return Response(200, (("Content-Type", content_type),), body)
