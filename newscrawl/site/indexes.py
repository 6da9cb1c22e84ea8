"""Reading the site's discovery channels: the archive and sector JSON APIs, the news sitemap.

Pure functions over response bodies (no Scrapy objects), each with the
site's quirks handled where they arise: JSON times in UTC without a zone,
the Google News sitemap declaring ``utf-16`` on UTF-8 bytes (Scrapy's sitemap
reader, like any strict XML parser, rejects that, so the declaration is
dropped before it reads the bytes), the sector page's API parameters living
in its script. A body that is not what the channel promises raises
``ValueError``: the spider counts that as a broken channel.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from lxml.etree import XMLSyntaxError
from scrapy.utils.sitemap import Sitemap

IST = timezone(timedelta(hours=5, minutes=30))
_XML_DECLARATION_RE = re.compile(rb"^\s*<\?xml[^>]*\?>")
_SECTOR_VAR_RE = re.compile(r"var\s+sector\s*=\s*'([^']*)'")
_REGION_VAR_RE = re.compile(r"var\s+region\s*=\s*'([^']*)'")


@dataclass(frozen=True, slots=True)
class Listed:
    """One article a channel lists: its id, label (if said) and time (UTC, if said)."""

    article_id: int
    label: str | None = None
    created: datetime | None = None
    url: str | None = None


def parse_api_time(value: Any) -> datetime | None:
    """A JSON API time (UTC, no zone suffix, up to 7 fraction digits) as aware UTC.

    >>> parse_api_time("2026-09-01T12:36:33.1234567")
    datetime.datetime(2026, 9, 1, 12, 36, 33, 123456, tzinfo=datetime.timezone.utc)
    >>> parse_api_time("2020-01-16T19:17:00Z"), parse_api_time(None), parse_api_time("soon")
    (datetime.datetime(2020, 1, 16, 19, 17, tzinfo=datetime.timezone.utc), None, None)
    """
    if not isinstance(value, str):
        return None
    text = value.strip().removesuffix("Z")
    head, _, fraction = text.partition(".")
    try:
        moment = datetime.strptime(head, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return None
    micro = int((fraction + "000000")[:6]) if fraction.isdigit() else 0
    return moment.replace(microsecond=micro, tzinfo=UTC)


def _rows(body: bytes) -> list[dict[str, Any]]:
    try:
        data = json.loads(body)
    except ValueError:
        raise ValueError("not JSON") from None
    if not isinstance(data, list):
        raise ValueError(f"JSON {type(data).__name__}, not a list")
    return [row for row in data if isinstance(row, dict)]


def _id(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def _listed(body: bytes, id_key: str) -> list[Listed]:
    """The rows of a JSON API page that name an article id (under ``id_key``)."""
    out = []
    for row in _rows(body):
        article_id = _id(row.get(id_key))
        if article_id is not None:
            label = row.get("label")
            out.append(Listed(article_id, label if isinstance(label, str) and label else None,
                              parse_api_time(row.get("createdOn"))))  # fmt: skip
    return out


def parse_archive_page(body: bytes) -> list[Listed]:
    """``/api/Search/GetAllNews/{page}``: ``newId`` is the article id, ``createdOn`` UTC.

    >>> parse_archive_page(b'[{"id": "x", "newId": 42, "label": "health", "createdOn": "2020-01-16T19:17:00"}]')
    [Listed(article_id=42, label='health', created=datetime.datetime(2020, 1, 16, 19, 17, tzinfo=datetime.timezone.utc), url=None)]
    >>> parse_archive_page(b'<html>Not found</html>')
    Traceback (most recent call last):
    ...
    ValueError: not JSON
    """
    return _listed(body, "newId")


def parse_sector_page(body: bytes) -> list[Listed]:
    """``/api/Search/GetSectorNews/{sector}/{region}/{page}``: ``newsId`` is the article id.

    Its ``createdOn`` holds the article's ModifiedOn (the API selects that), so
    ``created`` here is when the article last changed.

    >>> parse_sector_page(b'[{"newsId": 7, "label": "business", "createdOn": "2020-01-01T00:00:00"}]')[0].created
    datetime.datetime(2020, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)
    """
    return _listed(body, "newsId")


def sector_api_params(page_text: str) -> tuple[str, str] | None:
    """(sector id, region) from a sector page's script, ``None`` when absent.

    >>> sector_api_params("var region = 'Global Edition';\\n var sector = '9';")
    ('9', 'Global Edition')
    """
    sector = _SECTOR_VAR_RE.search(page_text)
    region = _REGION_VAR_RE.search(page_text)
    if sector is None or not sector.group(1):
        return None
    return sector.group(1), region.group(1) if region else "Global Edition"


@dataclass(frozen=True, slots=True)
class SitemapEntry:
    loc: str
    lastmod: str | None


def parse_news_sitemap(body: bytes) -> list[SitemapEntry]:
    """The ``<url>`` entries of a (Google News) sitemap, whatever its XML declaration says.

    >>> body = b'<?xml version="1.0" encoding="utf-16"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://h/article/a/1-x</loc><lastmod>2026-01-01T10:00:00+05:30</lastmod></url></urlset>'
    >>> parse_news_sitemap(body)
    [SitemapEntry(loc='http://h/article/a/1-x', lastmod='2026-01-01T10:00:00+05:30')]
    >>> parse_news_sitemap(b'<html><body>Oops</body></html>')
    Traceback (most recent call last):
    ...
    ValueError: not a sitemap (root element 'html')
    """
    # The declaration names utf-16 but the bytes are UTF-8: without it, XML's default
    # (UTF-8) is right. The bytes are never decoded by hand.
    stripped = _XML_DECLARATION_RE.sub(b"", body, count=1)
    try:
        sitemap = Sitemap(stripped)
        if sitemap.type != "urlset":
            raise ValueError(f"not a sitemap (root element {sitemap.type!r})")
        return [SitemapEntry(entry["loc"], entry.get("lastmod") or None) for entry in sitemap]
    except (XMLSyntaxError, StopIteration) as exc:
        raise ValueError(f"not XML ({type(exc).__name__})") from None


def parse_since(value: str) -> datetime:
    """``-a since=YYYY-MM-DD``: the start of that day in India Standard Time, as UTC.

    >>> parse_since("2026-01-15")
    datetime.datetime(2026, 1, 14, 18, 30, tzinfo=datetime.timezone.utc)
    >>> parse_since("15/01/2026")
    Traceback (most recent call last):
    ...
    ValueError: since must be a date YYYY-MM-DD, got '15/01/2026'
    """
    try:
        day = datetime.strptime(value.strip(), "%Y-%m-%d")
    except ValueError:
        raise ValueError(f"since must be a date YYYY-MM-DD, got {value!r}") from None
    return day.replace(tzinfo=IST).astimezone(UTC)
