"""Routing of the replica: a request's path, query and client to a response.

Pure and deterministic (no I/O), so it is tested without a socket and served
by :mod:`newscrawl.replica.server` over real HTTP. Rendered responses are
cached, which keeps an article page well under a millisecond once built.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from newscrawl.replica import pages, words
from newscrawl.replica.corpus import BLOCK, Article, Corpus, Meta

if TYPE_CHECKING:
    from collections.abc import Callable

PAGE_SIZE = 20
HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"

_ARTICLE_RE = re.compile(r"^/article/([^/]+)/(\d+)[^/]*/?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass(frozen=True, slots=True)
class Listing:
    """A listing page and the fragment parameter that pages it."""

    path: str
    name: str
    param: str  # label | sector | cat
    value: str
    includes: Callable[[Meta], bool]


def _has(attr: str, value: str, *, blogs: bool = True) -> Callable[[Meta], bool]:
    """A listing predicate: ``meta.<attr> == value`` (optionally without blogs)."""

    def includes(meta: Meta) -> bool:
        return getattr(meta, attr) == value and (blogs or meta.kind != "blog")

    return includes


def _listings() -> dict[str, Listing]:
    out = [
        Listing(f"/stories/{label}", label.title(), "label", label, _has("label", label))
        for label in words.LABELS
    ]
    out += [
        Listing(f"/news/{sector}", name, "sector", sector, _has("sector", sector, blogs=False))
        for sector, name in words.SECTOR_NAMES.items()
    ]
    out += [
        Listing(path, agency, "cat", path.strip("/"), _has("agency", agency, blogs=False))
        for agency, path in words.AGENCY_PAGES.items()
    ]
    out += [
        Listing("/news-analysis", "News", "cat", "news-analysis", lambda m: m.kind != "blog"),
        Listing("/blogs", "Blog / Opinion", "cat", "blogs", _has("kind", "blog")),
        Listing("/blogs/interview", "Interview", "cat", "interview", _has("kind", "blog")),
        Listing("/press-release", "Press Release", "cat", "press-release", _has("agency", "PR Newswire")),
    ]
    return {listing.path: listing for listing in out}


LISTINGS = _listings()
_BY_PARAM = {(listing.param, listing.value): listing for listing in LISTINGS.values()}


def alternate_label(label: str) -> str:
    """The other label the ``two_labels`` case is linked under."""
    return words.LABELS[(words.LABELS.index(label) + 1) % len(words.LABELS)]


def is_bot(user_agent: str) -> bool:
    return "bot" in user_agent.lower()


class ReplicaApp:
    """The replica site of ``articles`` articles generated from ``seed``."""

    def __init__(self, articles: int, seed: int, layout: str = "v1") -> None:
        if layout not in pages.LAYOUTS:
            raise ValueError(f"layout must be one of {', '.join(pages.LAYOUTS)}, got {layout!r}")
        self.layout = layout
        self.corpus = Corpus(articles, seed)
        self._entries: dict[str, list[tuple[int, str]]] = {}
        self.handle = lru_cache(maxsize=4096)(self._handle)

    # -- listings ------------------------------------------------------------
    def entries(self, listing: Listing) -> list[tuple[int, str]]:
        """(index, link variant) of a listing, newest first."""
        cached = self._entries.get(listing.path)
        if cached is None:
            cached = []
            for meta in reversed(self.corpus.metas):
                if listing.includes(meta):
                    variant = "wire" if meta.case == "agency_wire_link" and listing.param == "cat" else ""
                    cached.append((meta.index, variant))
                elif (
                    meta.case == "two_labels"
                    and listing.param == "label"
                    and alternate_label(meta.label) == listing.value
                ):
                    cached.append((meta.index, "alt"))
            self._entries[listing.path] = cached
        return cached

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

    def _cards(self, listing: Listing, page: int) -> str:
        chunk = self.entries(listing)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        corpus = self.corpus
        return pages.render_cards(
            ((corpus.article(i), self.link(corpus.article(i), v)) for i, v in chunk), corpus.now
        )

    # -- articles ------------------------------------------------------------
    def _articles(self, indices: list[int]) -> list[Article]:
        return [self.corpus.article(i) for i in indices if 0 <= i < self.corpus.size]

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
            layout=self.layout,
        )

    def newest(self, count: int) -> list[Article]:
        last = self.corpus.size - 1
        return self._articles(list(range(last, max(-1, last - count), -1)))

    # -- routing -------------------------------------------------------------
    def _handle(self, path: str, query: str, bot: bool, host: str) -> Response:
        base = f"http://{host}"
        params = parse_qs(query, keep_blank_values=True)
        match = _ARTICLE_RE.match(path)
        if match is not None:
            return self._route_article(match.group(1), int(match.group(2)), "amp" in params, bot, base)
        if path in ("/", "") or path.strip("/") in words.EDITIONS:
            edition = path.strip("/") or None
            return _ok(pages.render_home(self.newest(10), base, edition))
        if path == "/robots.txt":
            return _ok(pages.render_robots(base), "text/plain; charset=utf-8")
        if path == "/sitemap.xml":
            return _ok(pages.render_sitemap(base, ["/", *LISTINGS]), XML)
        if path == "/sitemap/googlenews.xml":
            since = self.corpus.now - timedelta(days=2)
            recent = [a for a in self.newest(500) if a.meta.published >= since]
            return _ok(pages.render_news_sitemap(base, recent), XML)
        if path == "/rss/website":
            return _ok(pages.render_rss(base, self.newest(50)), "application/rss+xml; charset=utf-8")
        if path.lower() == "/home/getnewsitems":
            return self._route_fragment(params)
        listing = LISTINGS.get(path.rstrip("/") or "/")
        if listing is not None:
            return _ok(pages.render_listing(listing.name, self._cards(listing, 1), base, listing.path))
        return Response(404, ((("Content-Type", HTML),)), pages.render_not_found(base))

    def _route_article(self, label: str, article_id: int, amp: bool, bot: bool, base: str) -> Response:
        i = self.corpus.index_of(article_id)
        if i is None:
            return Response(404, (("Content-Type", HTML),), pages.render_not_found(base))
        article = self.corpus.article(i)
        if label.lower() == "agency-wire":
            location = base + article.path
            return Response(301, (("Location", location), ("Content-Type", HTML)), b"")
        return _ok(self._article_page(i, base, bot, amp))

    def _route_fragment(self, params: dict[str, list[str]]) -> Response:
        try:
            page = int(params.get("page", ["1"])[0] or "1")
        except ValueError:
            return Response(400, (("Content-Type", HTML),), b"bad page")
        for param in ("label", "sector", "cat"):
            value = params.get(param, [""])[0]
            if value:
                listing = _BY_PARAM.get((param, value))
                if listing is None or page < 1:
                    return _ok(b"")
                return _ok(self._cards(listing, page).encode())
        return _ok(b"")


def _ok(body: bytes, content_type: str = HTML) -> Response:
    return Response(200, (("Content-Type", content_type),), body)
