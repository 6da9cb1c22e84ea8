"""From an article page to an :class:`ArticleItem`, one small method a field.

Each field takes structured data first (head meta, JSON-LD), then falls back to
the visible page, so a field survives when one source is missing or hidden:
the site hides the disclaimer and the tag list from User-Agents containing
"bot", and omits JSON-LD on some pages. The page is parsed once (Scrapy's
selector over one lxml tree); JSON-LD is decoded once.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from lxml import etree
from parsel.csstranslator import css2xpath
from scrapy.utils.response import get_base_url

from newscrawl.site.headlines import split_wire_prefixes
from newscrawl.site.jsonld import parse_jsonld
from newscrawl.site.layout import STORY_JSONLD_SCRIPTS, VIEW_JSONLD_SCRIPTS, VIEW_LISTS
from newscrawl.site.loaders import ArticleLoader, clean_text, split_caption, strip_label_suffix
from newscrawl.site.routes import WIRE_AGENCIES
from newscrawl.site.timeparse import format_ist, format_ist_date, format_utc, parse_site_time
from newscrawl.site.urls import REDIRECTING_LABELS, canonical_article_url, join_url, parse_article_url

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.http import TextResponse

    from newscrawl.items import ArticleItem

logger = logging.getLogger(__name__)

SYNDICATION_MARK = "auto-generated from a syndicated feed"
EARLIEST_PLAUSIBLE = datetime(1995, 1, 1, tzinfo=UTC)  # before the site existed
BLOG_CRUMBS = frozenset({"blog", "blogs", "opinion", "interview"})


def css(selector: str) -> etree.XPath:
    """A CSS selector (with parsel's ``::text`` and ``::attr()``) compiled once to an lxml XPath.

    Evaluated on the page's tree (or an element of it), it gives elements or strings
    with no parsel Selector around each match: what the selectors cost is the search.
    """
    return etree.XPath(css2xpath(selector), smart_strings=False)


def first(values: list[Any]) -> Any:
    return values[0] if values else None


# Selectors of the 2026 page, named and compiled once; the pre-2024 markup where it differed.
JSONLD_SCRIPTS = etree.XPath('//script[@type="application/ld+json"]/text()', smart_strings=False)
# /html/head, not //head: the parser always puts the head there, and a `//` step walks the
# whole document (~40 µs a page each, against ~5 for the path).
HEAD_META = etree.XPath("/html/head/meta[@content]")
CANONICAL = etree.XPath('/html/head/link[@rel="canonical"]/@href', smart_strings=False)
TITLE_TEXT = css("article h1.title ::text")
SUBTITLE_TEXT = css("article h2.sub-title ::text")
BODY_PARAGRAPHS = css("section.article-cont p")
BYLINE = css("div.metadata")  # [cb46aee]
OLD_BYLINE = css("div.m-b-10.m-t-10")  # before: an unnamed div
BYLINE_TEXTS = css("span::text")  # in the byline: "Updated: ... | Created: ..."
BYLINE_SOURCE = etree.XPath("./span/a/text()", smart_strings=False)
BYLINE_AUTHOR = css('a[href*="AuthorArticles"]::text')
BYLINE_DATELINE = css("span.text-capitalize::text")
AGENCY_BADGE = css("span.badge.tag::text")
COUNTRIES = css("section.left-section li.fg-orange::text")
TAG_LINKS = css("a.tag::text")
FIGURE = etree.XPath(
    'descendant-or-self::figure[contains(concat(" ", @class, " "), " figure ") and not(contains(concat(" ", @class, " "), " hidden "))]'
)
FIGURE_IMAGE = css("img::attr(src)")
FIGURE_CAPTION = css("figcaption ::text")
VIDEO_PLAYER = css("video#my-video, video.video-js")
CRUMB = css(
    'ul.article-breadcrumb li:nth-child(2) [itemprop="name"]::text, ul.breadcrumb li:nth-child(2) [itemprop="name"]::text'
)
BLOG_MARK = "FIRST PUBLISHED IN"  # the blog template's footer
BLOG_FOOTER = etree.XPath(f'descendant-or-self::li[contains(., "{BLOG_MARK}")]')


def all_in(path: etree.XPath, elements: list[Any]) -> list[Any]:
    """``path`` evaluated in each of ``elements``, the results in order."""
    return [found for element in elements for found in path(element)]


def text_content(element: Any) -> str:
    """Every text node under an element, in order (what ``::text`` of all descendants joins to).

    >>> from lxml import html
    >>> text_content(html.fromstring("<p>Oil <b>rose</b> 3%<!-- ad --> on <i>Monday</i>.</p>"))
    'Oil rose 3% on Monday.'
    """
    return str(etree.tostring(element, method="text", encoding="unicode", with_tail=False))


@dataclass(frozen=True, slots=True)
class Problem:
    """A field the page has but extraction could not read (``newscrawl/extract/<field>_invalid``).

    >>> str(Problem("published_at", "unparsed ['1?-0l-2020']"))
    "published_at: unparsed ['1?-0l-2020']"
    """

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass
class Extraction:
    """The item and what went wrong on the way (for stats and logs)."""

    item: ArticleItem
    problems: list[Problem] = field(default_factory=list)


class ArticlePage:
    """One article page; ``extract()`` builds the item field by field."""

    def __init__(self, response: TextResponse, now: datetime | None = None) -> None:
        self.response = response
        self.now = now or datetime.now(UTC)
        self.loader = ArticleLoader()  # values come from the named selectors below
        self.root = response.selector.root  # the lxml tree, parsed once
        self.problems: list[Problem] = []

    def add(self, name: str, value: Any) -> None:
        """Offer a value (or a list of them) to the loader; absent sources cost nothing."""
        if value is not None and value not in ("", []):
            self.loader.add_value(name, value)

    def add_first(self, name: str, *sources: Callable[[], Any]) -> None:
        """Offer a single-valued field's sources in order of trust, each read only if needed.

        The field's output (``TakeFirst``) is the first value its input processor keeps, so
        once one is kept the sources after it cannot change the item: they are not read
        (the visible page's fallbacks are selector searches) nor processed.
        """
        for source in sources:
            self.add(name, source())
            if any(kept is not None and kept != "" for kept in self.loader.get_collected_values(name)):
                return

    # -- sources -------------------------------------------------------------
    @cached_property
    def story(self) -> Any:
        """The page's first ``<article>``, where the story's own markup is; the page without one.

        In the site's code only the article templates (desktop, mobile, AMP) print an
        ``<article>``, and everything the fields below read is inside it but the head,
        the breadcrumb and JSON-LD. Searching it rather than the page skips the header,
        sidebars and footer: the class tests are most of what a selector costs.
        """
        return next(self.root.iter("article"), self.root)

    @cached_property
    def _jsonld_objects(self) -> list[dict[str, Any]]:
        """Every JSON-LD object, the site's known breakage repaired (never a problem)."""
        objects: list[dict[str, Any]] = []
        for script in self._jsonld_scripts():
            if "NewsArticle" not in script and "VideoObject" not in script:
                continue  # the BreadcrumbList and others: nothing a field reads
            try:
                found, _ = parse_jsonld(script)
            except ValueError as exc:
                self.problems.append(Problem("jsonld", str(exc)))
                continue
            objects.extend(found)
        return objects

    def _jsonld_scripts(self) -> list[str]:
        """The JSON-LD scripts where the article view prints them, else anywhere on the page."""
        scripts: list[str] = VIEW_JSONLD_SCRIPTS(self.root)
        if self.story is not self.root:
            scripts += STORY_JSONLD_SCRIPTS(self.story)
        if any("NewsArticle" in script or "VideoObject" in script for script in scripts):
            return scripts
        found: list[str] = JSONLD_SCRIPTS(self.root)
        return found

    @cached_property
    def crumb(self) -> str | None:
        """The breadcrumb's second step ("News", or a blog's kind), where the view prints it, else anywhere."""
        found = all_in(CRUMB, VIEW_LISTS(self.root)) or CRUMB(self.root)
        return clean_text(first(found))

    @cached_property
    def jsonld(self) -> dict[str, Any]:
        """The page's NewsArticle (or OpinionNewsArticle), ``{}`` when absent."""
        for obj in self._jsonld_objects:
            if str(obj.get("@type", "")).endswith("NewsArticle"):
                return obj
        return {}

    def ld(self, *path: str) -> str | None:
        """A JSON-LD string (HTML-encoded on this site) by key path."""
        value: Any = self.jsonld
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return value if isinstance(value, str) else None

    @cached_property
    def _head_meta(self) -> dict[tuple[str, str], str]:
        """Every head ``<meta>`` by (attribute, value), read in one pass; first wins."""
        found: dict[tuple[str, str], str] = {}
        for meta in HEAD_META(self.root):
            content = meta.get("content")
            for attr in ("name", "property", "itemprop"):
                value = meta.get(attr)
                if value is not None:
                    found.setdefault((attr, value), content)
        return found

    def meta(self, attr: str, name: str) -> str | None:
        return self._head_meta.get((attr, name))

    @cached_property
    def base_url(self) -> str:
        return get_base_url(self.response)  # the page's <base href>, else its URL

    def urljoin(self, href: str) -> str:
        """``response.urljoin(href)``."""
        return join_url(self.base_url, href)

    @cached_property
    def ref_url(self) -> str:
        """The article's canonical URL: the page's own, if it names this article."""
        own = parse_article_url(self.response.url)
        for source in (
            lambda: next(iter(CANONICAL(self.root)), None),
            lambda: self.ld("mainEntityOfPage", "@id"),
            lambda: self.meta("property", "og:url"),
        ):
            candidate = source()
            if not candidate:
                continue
            ref = parse_article_url(candidate)
            if ref and own and ref.article_id == own.article_id and ref.label not in REDIRECTING_LABELS:
                return canonical_article_url(self.urljoin(candidate)) or candidate
        return canonical_article_url(self.response.url) or self.response.url

    @cached_property
    def byline(self) -> list[Any]:
        """The byline: source, dateline and times (its elements)."""
        found: list[Any] = BYLINE(self.story) or OLD_BYLINE(self.story)
        return found

    @cached_property
    def byline_times(self) -> dict[str, str]:
        """``Updated``/``Created`` texts of the byline."""
        text = " ".join(all_in(BYLINE_TEXTS, self.byline))
        out = {}
        for part in text.split("|"):
            key, sep, value = part.partition(":")
            if sep and key.strip().lower() in ("updated", "created"):
                out[key.strip().lower()] = value.strip()
        return out

    # -- fields --------------------------------------------------------------
    def url(self) -> None:
        self.add("url", self.ref_url)

    def article_id(self) -> None:
        ref = parse_article_url(self.ref_url)
        self.add("article_id", ref.article_id if ref else None)

    def label(self) -> None:
        ref = parse_article_url(self.ref_url)
        if ref and ref.label not in REDIRECTING_LABELS:
            self.add("label", ref.label)

    def title(self) -> None:
        label = self.loader.get_output_value("label")

        def headline(raw: str | None) -> str | None:
            return strip_label_suffix(clean_text(raw) or "", label) if raw else None

        self.add_first(
            "title",
            lambda: headline(self.meta("property", "og:title")),
            lambda: headline(self.ld("headline")),
            lambda: "".join(TITLE_TEXT(self.story)),
        )

    def subtitle(self) -> None:
        description = clean_text(self.meta("name", "description"))
        if description and description.startswith("Read more about "):
            description = None
        self.add_first("subtitle", lambda: description, lambda: "".join(SUBTITLE_TEXT(self.story)))

    def description(self) -> None:
        self.add_first(
            "description",
            lambda: self.meta("name", "description"),
            lambda: self.meta("property", "og:description"),
        )

    def body(self) -> None:
        # One selector for the paragraphs, then each one's text straight from lxml: a selector
        # per paragraph (a dozen or more a page) was a third of the page's selector calls.
        self.add("body", [text_content(p) for p in BODY_PARAGRAPHS(self.story)])

    def agency(self) -> None:
        self.add_first(
            "agency",
            lambda: self.meta("name", "article:author"),
            lambda: self.ld("author", "name") if self.content_type != "blog" else None,
            lambda: first(all_in(BYLINE_SOURCE, self.byline)),
            lambda: AGENCY_BADGE(self.story),
        )

    def author(self) -> None:
        if self.content_type != "blog":
            return
        name = clean_text(self.ld("author", "name"))
        if name and name == self.loader.get_output_value("agency"):
            name = None
        self.add_first("author", lambda: name, lambda: "".join(all_in(BYLINE_AUTHOR, self.byline)))

    def dateline(self) -> None:
        self.add("dateline", first(all_in(BYLINE_DATELINE, self.byline)))

    def countries(self) -> None:
        self.add("countries", COUNTRIES(self.story))

    def tags(self) -> None:
        for source in (self.meta("name", "keywords"), self.meta("name", "news_keywords")):
            if source and source.strip():
                self.add("tags", source)
                return
        self.add("tags", ", ".join(TAG_LINKS(self.story)))

    def image(self) -> None:
        # og:image and the JSON-LD image are relative (/img?imageUrl=...) on the 2026 site.
        figure = FIGURE(self.story)

        def absolute(source: str | None) -> str | None:
            return self.urljoin(source.strip()) if source else None

        self.add_first(
            "image_url",
            lambda: absolute(self.ld("image", "url")),
            lambda: absolute(self.meta("property", "og:image")),
            lambda: absolute(first(all_in(FIGURE_IMAGE, figure))),
        )
        caption_text = clean_text(" ".join(all_in(FIGURE_CAPTION, figure)))
        if caption_text and self.loader.get_output_value("image_url"):
            caption, credit = split_caption(caption_text)
            self.add("image_caption", caption)
            self.add("image_credit", credit)

    def _time(self, name: str, sources: list[str | None]) -> datetime | None:
        texts = [html.unescape(s) for s in sources if s and s.strip()]
        for text in texts:
            moment = parse_site_time(text)
            if moment is not None and EARLIEST_PLAUSIBLE <= moment <= self.now + timedelta(days=2):
                return moment
        if texts:
            self.problems.append(Problem(name, f"unparsed {texts!r}"))
        return None

    def dates(self) -> None:
        times = self.byline_times
        published = self._time(
            "published_at",
            [self.meta("itemprop", "datePublished"), self.ld("datePublished"), times.get("created")],
        )
        updated = self._time(
            "updated_at",
            [self.meta("itemprop", "dateModified"), self.ld("dateModified"), times.get("updated")],
        )
        self.add("published_at", format_utc(published))
        self.add("published_at_ist", format_ist(published))
        self.add("published_date_ist", format_ist_date(published))
        self.add("updated_at", format_utc(updated))
        self.add("updated_at_ist", format_ist(updated))

    @cached_property
    def content_type(self) -> str:
        if any(o.get("@type") == "VideoObject" for o in self._jsonld_objects):
            return "video"
        if b"<video" in self.response.body and VIDEO_PLAYER(self.story):  # bytes first: cheap
            return "video"
        if self.jsonld.get("@type") == "OpinionNewsArticle":
            return "blog"
        crumb = self.crumb
        if crumb and crumb.lower() in BLOG_CRUMBS:
            return "blog"
        if BLOG_MARK.encode() in self.response.body and BLOG_FOOTER(self.story):  # bytes first: cheap
            return "blog"
        return "news"

    def derived(self, item: ArticleItem) -> None:
        """Fields computed from the loaded ones, set on the item: there is no source to choose."""
        item.content_type = self.content_type
        item.syndicated = (item.agency in WIRE_AGENCIES and self.content_type != "blog") or (
            SYNDICATION_MARK in self.response.text
        )
        item.word_count = len(item.body.split()) if item.body else 0
        # 0 without a wire prefix: the original sorts before UPDATE 1, 2, ...
        item.wire_revision = split_wire_prefixes(item.title).revision if item.title else 0
        item.story_id = item.article_id  # its own story until dedupe says
        item.version = 1  # the first export; the dedupe pipeline numbers later ones
        item.crawled_at = format_utc(self.now)

    def extract(self) -> Extraction:
        for step in (
            self.url, self.article_id, self.label, self.title, self.subtitle, self.description,
            self.body, self.agency, self.author, self.dateline, self.countries, self.tags,
            self.image, self.dates,
        ):  # fmt: skip
            step()
        item: ArticleItem = self.loader.load_item()
        self.derived(item)
        return Extraction(item=item, problems=self.problems)


def extract_article(response: TextResponse, now: datetime | None = None) -> Extraction:
    """The item of one article page (no I/O)."""
    return ArticlePage(response, now).extract()
