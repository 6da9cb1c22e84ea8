"""newscrawl: a Scrapy crawler for devdiscourse.com news articles."""

from __future__ import annotations

__version__ = "0.1.0"
