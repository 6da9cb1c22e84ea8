"""The site's indexes: the news sitemap as the site serves it."""

from __future__ import annotations

import pytest
from scrapy.utils.sitemap import Sitemap

from newscrawl.site.indexes import parse_news_sitemap
from replica.app import ReplicaApp

ARTICLES, SEED = 300, 7


def test_news_sitemap_needs_its_declaration_dropped() -> None:
    app = ReplicaApp(ARTICLES, SEED)
    body = app.handle("/RSS/GoogleNews", "", True, "h:1").body
    with pytest.raises(StopIteration):
        list(Sitemap(body))  # Scrapy's reader believes encoding="utf-16" and reads nothing
    entries = parse_news_sitemap(body)
    assert [e.loc for e in entries] == [f"http://h:1{a.path}" for a in app.news_sitemap_articles()]
    assert all(e.lastmod and e.lastmod.endswith("+05:30") for e in entries)
