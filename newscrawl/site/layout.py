"""Where the site's layout prints the article view: search there before the whole page.

``Views/Shared/_Layout.cshtml`` prints every view inside ``body > div.renderBody``;
``Views/Article/Index.cshtml`` puts, at that level, the page's JSON-LD scripts
(the video's inside the ``<article>``), the breadcrumb (a list in a container
div) and the sidebar (``div.container > div.row > div.col-md-4``). A `//` step
walks the whole page (~30 us plus its tests, a few times a page); these paths
touch a few elements. Callers fall back to the whole page when they find nothing,
so a page laid out otherwise gives the same result, only slower.
"""

from __future__ import annotations

from lxml import etree
from parsel.csstranslator import css2xpath

VIEW_JSONLD_SCRIPTS = etree.XPath(
    '/html/body/div/script[@type="application/ld+json"]/text()', smart_strings=False
)
STORY_JSONLD_SCRIPTS = etree.XPath(
    'descendant::script[@type="application/ld+json"]/text()', smart_strings=False
)
VIEW_LISTS = etree.XPath("/html/body/div/div/ul")  # the breadcrumb's list among them

SIDEBAR_CSS = "div.col-md-4"
# Link regions of a page (the CSS a caller restricts links to) by where the view prints them.
VIEW_REGIONS = {
    SIDEBAR_CSS: etree.XPath(
        f"/html/body/div/div/div/{css2xpath(SIDEBAR_CSS).removeprefix('descendant-or-self::')}"
        "/descendant-or-self::a/@href",
        smart_strings=False,
    ),
}
