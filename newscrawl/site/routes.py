"""What is known of devdiscourse.com's taxonomy and routes (the 2026 site).

From the site's own code (``nitinr89/DevDiscourse`` at ``e196e8f``, summarised
in ``docs/SITE.md``). The spider crawls by these; the replica serves them.
Neither depends on the other: both follow the site.
"""

from __future__ import annotations

DEFAULT_BASE_URL = "https://www.devdiscourse.com"

LABELS = (
    "headlines", "business", "technology", "entertainment", "education", "sports-games",
    "science-environment", "health", "politics", "law-order", "lifestyle", "national",
    "international", "other",
)  # fmt: skip

SECTORS = (
    "agro-forestry", "art-culture", "technology", "economy-business", "education",
    "energy-extractives", "politics", "law-governance", "health", "science-environment",
    "socialgender", "sports", "transport", "urban-development", "wash",
)  # fmt: skip

# Where an article's byline links its source. Only PTI's and the desk's pages exist:
# the others answer 404 (no route), so the spider never requests them.
BYLINE_LINKS = {
    "PTI": "/pti-stories",
    "Reuters": "/reuters-stories",
    "IANS": "/ians-stories",
    "ANI": "/ani-stories",
    "Devdiscourse News Desk": "/devdiscourse-stories",
    "UN News": "/un-news",
    "PR Newswire": "/pr-newswire",
}
# Source listings that exist, paged with ``?page=N``: PTI (30 days), the desk (no window).
SOURCE_LISTINGS = ("/pti-stories", "/devdiscourse-stories")
# Agencies whose stories carry the "auto-generated from a syndicated feed" disclaimer.
WIRE_AGENCIES = frozenset({"PTI", "Reuters", "IANS", "ANI"})

# Editions (cookie ``Edition``; the listings' ``region``). Bots get the global one.
GLOBAL_EDITION = "Global Edition"
EDITIONS = {
    "south-asia": "South Asia", "south-east-asia": "East and South East Asia",
    "europe-central-asia": "Europe and Central Asia", "central-africa": "Central Africa",
    "east-africa": "East Africa", "southern-africa": "Southern Africa", "west-africa": "West Africa",
    "middle-east-north-africa": "Middle East and North Africa",
    "latin-america": "Latin America and Caribbean", "north-america": "North America",
    "pacific": "Pacific",
}  # fmt: skip

# Routes (SITE.md sections 1, 3 and 4).
LABEL_FRAGMENT_PATH = "/Home/GetNewsItems"  # ?label=&region=&page=: HTML cards, 10 days
BLOG_FRAGMENT_PATH = "/Home/GetBlogItems"  # ?page=&type=&region=: HTML cards, 60 months
SECTOR_API_PATH = "/api/Search/GetSectorNews/{sector}/{region}/{page}"  # JSON, 10 a page, 90 days
ARCHIVE_API_PATH = "/api/Search/GetAllNews/{page}"  # JSON, 20 a page, the whole archive
ARTICLE_BY_ID_PATH = "/article/{id}"  # 200 for an article; a missing id answers 500 (or 404)
NEWS_SITEMAP_PATH = "/RSS/GoogleNews"  # the last ~2 days, utf-16 declared on UTF-8 bytes
NEWS_SITEMAP_MAX = 500  # rows the sitemap holds at most (newest ModifiedOn first)
ARCHIVE_PAGE_SIZE = 20
