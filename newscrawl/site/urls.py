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
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from scrapy.utils.request import fingerprint as scrapy_fingerprint

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler

# /article/{label}/{id}-{slug}, and /article/{id} (digits only: the site's by-id route).
_ARTICLE_PATH_RE = re.compile(r"^/article/(?:([^/]+)/)?(\d+)(?:-([^/]*))?/?$", re.IGNORECASE)

# A label the server answers with a redirect to the article's real label.
REDIRECTING_LABELS = frozenset({"agency-wire"})


@dataclass(frozen=True, slots=True)
class ArticleRef:
    """The parts of an article URL."""

    label: str  # "" for the by-id form /article/{id}
    article_id: int
    slug: str


def parse_article_url(url: str) -> ArticleRef | None:
    """The label, id and slug of an article URL, or ``None`` for other URLs.

    >>> parse_article_url("https://www.devdiscourse.com/article/business/123-a-b?utm_source=x#c")
    ArticleRef(label='business', article_id=123, slug='a-b')
    >>> parse_article_url("https://www.devdiscourse.com/article/3970512")
    ArticleRef(label='', article_id=3970512, slug='')
    >>> parse_article_url("https://www.devdiscourse.com/stories/business") is None
    True
    """
    parts = urlsplit(url)
    match = _ARTICLE_PATH_RE.match(parts.path)
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
    "parse_article_url",
]
