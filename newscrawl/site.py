"""What is known of devdiscourse.com's taxonomy (from the project's SITE.md notes).

The spider crawls by these; the replica serves them. Neither depends on the
other: both follow the site.
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

# Agency -> its listing page (the byline links to it).
AGENCY_PAGES = {
    "PTI": "/pti-stories",
    "Reuters": "/reuters-stories",
    "IANS": "/ians-stories",
    "ANI": "/ani-stories",
    "Devdiscourse News Desk": "/devdiscourse-stories",
    "UN News": "/un-news",
    "PR Newswire": "/pr-newswire",
}
# Agencies whose stories carry the "auto-generated from a syndicated feed" disclaimer.
WIRE_AGENCIES = frozenset({"PTI", "Reuters", "IANS", "ANI"})

OTHER_LISTINGS = ("/news-analysis", "/blogs", "/blogs/interview", "/press-release")

EDITIONS = (
    "south-asia", "south-east-asia", "europe-central-asia", "central-africa", "east-africa",
    "southern-africa", "west-africa", "middle-east-north-africa", "latin-america",
    "north-america", "pacific",
)  # fmt: skip
