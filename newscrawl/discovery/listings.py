"""The card listings the site pages: every label's, PTI's and the desk's, the blogs'."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from newscrawl.site.routes import (
    BLOG_FRAGMENT_PATH,
    GLOBAL_EDITION,
    LABEL_FRAGMENT_PATH,
    LABELS,
    SOURCE_LISTINGS,
)


@dataclass(frozen=True, slots=True)
class Listing:
    """A listing the site pages as HTML cards: its name and the URL of page N."""

    name: str
    path: str
    params: tuple[tuple[str, str], ...]  # without page

    def url(self, base_url: str, page: int) -> str:
        return f"{base_url}{self.path}?{urlencode((*self.params, ('page', str(page))))}"


def html_listings(labels: tuple[str, ...] | None) -> list[Listing]:
    """The card listings to page: every label's (10 days), PTI's and the desk's, the blogs'.

    >>> [listing.url("http://h", 2) for listing in html_listings(("health",))]
    ['http://h/Home/GetNewsItems?label=health&region=Global+Edition&page=2']
    """
    out = [
        Listing(f"label:{label}", LABEL_FRAGMENT_PATH, (("label", label), ("region", GLOBAL_EDITION)))
        for label in (labels if labels is not None else LABELS)
    ]
    if labels is None:
        out += [Listing(path.strip("/"), path, ()) for path in SOURCE_LISTINGS]
        out.append(Listing("blogs", BLOG_FRAGMENT_PATH, (("type", ""), ("region", GLOBAL_EDITION))))
    return out
