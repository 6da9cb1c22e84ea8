"""Vocabulary of the replica: the site's taxonomy and words for generated text.

The taxonomy is :mod:`newscrawl.site.routes` (what SITE.md lists as seen on
devdiscourse.com); the prose vocabulary is made up for plausible news text.
"""

from __future__ import annotations

from newscrawl.site import routes as site

LABELS, SECTORS, EDITIONS = site.LABELS, site.SECTORS, site.EDITIONS
BYLINE_LINKS, WIRE_AGENCIES = site.BYLINE_LINKS, site.WIRE_AGENCIES
SECTOR_NAMES = {slug: slug.replace("-", " & ").title() for slug in SECTORS}

CITIES = (
    "New Delhi", "Mumbai", "Bengaluru", "Kolkata", "Chennai", "Hyderabad", "Washington DC",
    "London", "Geneva", "Nairobi", "Lagos", "Jakarta", "Manila", "Dhaka", "Colombo",
    "Kathmandu", "Brussels", "Beijing", "Tokyo", "Sydney", "Sao Paulo", "Mexico City",
    "Cairo", "Johannesburg", "Los Angeles", "Paris", "Berlin", "Islamabad", "Kabul",
)  # fmt: skip

COUNTRIES = (
    "India", "United States", "United Kingdom", "China", "Japan", "Kenya", "Nigeria",
    "Indonesia", "Philippines", "Bangladesh", "Sri Lanka", "Nepal", "Belgium", "Australia",
    "Brazil", "Mexico", "Egypt", "South Africa", "France", "Germany", "Pakistan",
    "Afghanistan", "Iraq", "Switzerland",
)  # fmt: skip

AUTHORS = (
    "Ananya Sharma", "Rahul Verma", "Meera Iyer", "Daniel Okafor", "Sofia Martins",
    "Kavita Rao", "Arjun Mehta", "Grace Wanjiru",
)  # fmt: skip

CREDITS = ("Pixabay", "ANI", "Reuters", "Wikipedia", "Twitter (@UN)", "Unsplash", "Devdiscourse")
CAPTIONS = ("Representative image", "File photo", "Representative Image", "Image for illustration")

TAG_WORDS = (
    "COVID-19", "economy", "climate change", "elections", "inflation", "vaccines", "cricket",
    "trade", "education", "energy", "agriculture", "water", "startups", "RBI", "UN",
    "World Bank", "IMF", "renewables", "monsoon", "infrastructure", "healthcare", "AI",
    "space", "tourism", "railways", "budget", "exports", "gender", "poverty", "defence",
)  # fmt: skip

SUBJECTS = (
    "The government", "The ministry", "The central bank", "Officials", "The company",
    "Researchers", "The committee", "Farmers", "The council", "Local authorities",
    "Investors", "The World Bank", "The United Nations", "Health workers", "The court",
    "The opposition", "Trade unions", "The regulator", "Scientists", "The board",
)  # fmt: skip

VERBS = (
    "announced", "approved", "rejected", "reviewed", "launched", "expanded", "questioned",
    "welcomed", "proposed", "delayed", "extended", "criticised", "supported", "confirmed",
    "released", "planned", "signed", "cut", "raised", "tested",
)  # fmt: skip

ADJECTIVES = (
    "new", "major", "fresh", "national", "regional", "annual", "emergency", "digital",
    "rural", "urban", "public", "private", "global", "local", "long-term", "ambitious",
    "record", "modest", "controversial", "joint",
)  # fmt: skip

NOUNS = (
    "policy", "plan", "budget", "programme", "scheme", "agreement", "report", "project",
    "investment", "reform", "loan", "deal", "framework", "survey", "initiative", "mission",
    "package", "proposal", "strategy", "study", "network", "fund", "campaign", "system",
    "partnership", "pipeline", "facility", "corridor", "subsidy", "tariff",
)  # fmt: skip

TOPICS = (
    "water supply", "solar power", "rural roads", "school meals", "crop insurance",
    "urban housing", "public health", "digital payments", "rail freight", "flood control",
    "vaccine delivery", "small businesses", "clean cooking", "coastal fisheries",
    "electric buses", "skills training", "air quality", "food security", "broadband",
    "maternal care",
)  # fmt: skip

CONNECTORS = (
    "on Thursday", "on Monday", "this week", "after talks", "despite concerns",
    "amid protests", "ahead of the monsoon", "in a statement", "late on Friday",
    "for the first time", "following a review", "under pressure",
)  # fmt: skip

QUOTES = (
    "This is a significant step for the region",
    "We will continue to monitor the situation closely",
    "The numbers show a steady improvement",
    "More needs to be done to reach the most vulnerable",
    "We expect the first results within months",
    "The decision was taken after wide consultation",
)  # fmt: skip
