"""URL identity on devdiscourse: an article is its numeric id.

The server reads only the leading digits of the last path segment of
``/article/{label}/{id}-{slug}``, so the same article answers under any slug,
any label, with tracking parameters and fragments. These helpers give one form
per article and a request fingerprint that is the id itself, so the scheduler
fetches each article once. Every other URL keeps Scrapy's fingerprint, which
canonicalises with w3lib.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapy.utils.request import fingerprint as scrapy_fingerprint

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

# /article/{label}/{id}-{slug}, and /article/{id} (digits only: the site's by-id route).
_ARTICLE_PATH_RE = re.compile(r"^/article/(?:([^/]+)/)?(\d+)(?:-([^/]*))?/?$", re.IGNORECASE)

# The path of an absolute (scheme://host/...) or root-relative URL, for the common case;
# anything else (whitespace, control characters, odd forms) goes through urlsplit.
_URL_PATH_RE = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^/?#]*(/[^?#]*)|(/(?!/)[^?#]*)")

_HTTP_ORIGIN_RE = re.compile(r"(https?)(://[^/?#\\]*)", re.IGNORECASE)
# A lower-case http(s) URL with a host and nothing urljoin would rewrite: no query, fragment,
# params, brackets, backslash or blank (see join_url).
_PLAIN_ABSOLUTE_RE = re.compile(r"https?://[^/?#;\[\]\\\s]+(?:/[^?#;\[\]\\\s]*)?\Z")

# A label the server answers with a redirect to the article's real label.
REDIRECTING_LABELS = frozenset({"agency-wire"})


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """The parts of an article URL."""

    label: str  # "" for the by-id form /article/{id}
    article_id: int
    slug: str


def url_path(url: str) -> str:
    """``urlsplit(url).path``, without building the split result when a pattern suffices.

    A page has two dozen article links and every one is looked at (a tenth of the link
    following's CPU was ``urlsplit``).

    >>> url_path("https://www.devdiscourse.com/article/business/1-a?x=1#y")
    '/article/business/1-a'
    >>> url_path("/article/1-a#top"), url_path("//cdn.example/x"), url_path("http://h:1")
    ('/article/1-a', '/x', '')
    >>> url_path(" /article/1-a\\n") == urlsplit(" /article/1-a\\n").path
    True
    """
    if url.isprintable():
        match = _URL_PATH_RE.match(url)
        if match is not None:
            return match.group(1) or match.group(2) or ""
    return urlsplit(url).path


def join_url(base: str, href: str) -> str:
    """``urljoin(base, href)``; a plain root-relative ``href`` is the base's origin plus it.

    The site's images (``/img?imageUrl=...``) and links are root-relative; ``urljoin``
    splits both URLs to learn that (a third of the image field's CPU).

    >>> join_url("http://h:1/article/x/1-a?q=1", "/img?imageUrl=https://cdn/x.jpg")
    'http://h:1/img?imageUrl=https://cdn/x.jpg'
    >>> join_url("http://h:1/a/b", "c"), join_url("http://h:1/a/b", "/x/../y")
    ('http://h:1/a/c', 'http://h:1/y')
    >>> join_url("http://h:1/a/b", "https://www.devdiscourse.com/article/x/1-a")
    'https://www.devdiscourse.com/article/x/1-a'
    """
    # urljoin gives back an absolute http(s) URL as it is (another scheme than the base's) or
    # rebuilt from its parts (the same scheme), which is the same text when there is no query,
    # fragment or params to normalise and nothing to strip or reject.
    if (
        _PLAIN_ABSOLUTE_RE.match(href)
        and href.isprintable()
        and href.isascii()
        and _HTTP_ORIGIN_RE.match(base)
        and base.isprintable()
        and not set(base) & set("[]")
    ):
        return href
    if href[:1] == "/" and href[1:2] != "/" and href.isprintable():
        before_fragment, hash_mark, fragment = href.partition("#")
        path, question_mark, query = before_fragment.partition("?")
        plain = not (set(path) & set(";\\") or "/." in path or "//" in path)  # nothing to normalise
        dropped = (question_mark and not query) or (hash_mark and not fragment)  # urljoin drops "?", "#"
        origin = _HTTP_ORIGIN_RE.match(base)
        if plain and not dropped and origin is not None and base.isprintable():
            return origin.group(1).lower() + origin.group(2) + href
    return urljoin(base, href)


@lru_cache(maxsize=8192)
def parse_article_url(url: str) -> ArticleRef | None:
    """The label, id and slug of an article URL, or ``None`` for other URLs.

    Cached: the sidebars link the same articles from page after page (a crawl looks at
    ~19 article links a page, mostly seen before); an ``ArticleRef`` is immutable.

    >>> parse_article_url("https://www.devdiscourse.com/article/business/123-a-b?utm_source=x#c")
    ArticleRef(label='business', article_id=123, slug='a-b')
    >>> parse_article_url("https://www.devdiscourse.com/article/3970512")
    ArticleRef(label='', article_id=3970512, slug='')
    >>> parse_article_url("https://www.devdiscourse.com/stories/business") is None
    True
    """
    match = _ARTICLE_PATH_RE.match(url_path(url))
    if match is None:
        return None
    label, article_id, slug = match.groups()
    return ArticleRef(label=(label or "").lower(), article_id=int(article_id), slug=slug or "")


def canonical_article_url(url: str) -> str | None:
    """One form of an article URL: lower-case label, no query, no fragment.

    >>> canonical_article_url("http://127.0.0.1:8000/article/Health/42-x-y?utm_source=tw#top")
    'http://127.0.0.1:8000/article/health/42-x-y'
    >>> canonical_article_url("http://127.0.0.1:8000/stories/health") is None
    True
    """
    ref = parse_article_url(url)
    if ref is None:
        return None
    parts = urlsplit(url)
    if not ref.label:
        path = f"/article/{ref.article_id}"
    else:
        path = f"/article/{ref.label}/{ref.article_id}" + (f"-{ref.slug}" if ref.slug else "")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, "", ""))


class ArticleIdFingerprinter:
    """Request fingerprints in which an article is its numeric id.

    Every other request keeps Scrapy's default fingerprint (canonical URL,
    method, body). Links through a redirecting label (``agency-wire``) keep a
    URL fingerprint, so the redirect they answer with can still be followed
    once to the article's real URL, which then takes the id fingerprint.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls()

    def fingerprint(self, request: Request) -> bytes:
        ref = parse_article_url(request.url)
        if ref is None or ref.label in REDIRECTING_LABELS or request.method != "GET":
            return scrapy_fingerprint(request)
        host = urlsplit(request.url).netloc.lower()
        return hashlib.sha1(f"article:{host}:{ref.article_id}".encode()).digest()


__all__ = [
    "ArticleIdFingerprinter",
    "ArticleRef",
    "canonical_article_url",
    "join_url",
    "parse_article_url",
    "url_path",
]
