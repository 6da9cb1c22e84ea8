"""Damaged pages and fallbacks: every outcome is counted and explained, never a crash."""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pytest
from itemadapter import ItemAdapter
from scrapy import Request
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse, Response

from newscrawl.items import ArticleItem
from newscrawl.middlewares.truncated import TruncatedPageMiddleware
from newscrawl.pipelines.validation import ValidationPipeline
from newscrawl.site.extract import extract_article
from newscrawl.site.layout import SIDEBAR_CSS, VIEW_JSONLD_SCRIPTS, VIEW_LISTS, VIEW_REGIONS
from replica.app import ReplicaApp
from replica.corpus import CASES
from replica.truth import expected_item
from tests.helpers import project_spider

if TYPE_CHECKING:
    from newscrawl.spiders.devdiscourse import DevdiscourseSpider

HOST = "127.0.0.1:9"
BASE = f"http://{HOST}"


@pytest.fixture(scope="module")
def app() -> ReplicaApp:
    return ReplicaApp(300, 7)


@pytest.fixture
def spider() -> DevdiscourseSpider:
    return project_spider(base_url=BASE)


def page(app: ReplicaApp, case: str, bot: bool = False, block: int = 1) -> tuple[HtmlResponse, int]:
    offset = next(o for o, c in CASES.items() if c == case)
    index = block * 100 + offset
    article = app.corpus.article(index)
    body = app.handle(article.path, "", bot, HOST).body
    return HtmlResponse(url=BASE + article.path, body=body, encoding="utf-8"), index


def parse(spider: DevdiscourseSpider, response: Response) -> list[ArticleItem]:
    return [o for o in spider.parse_article(response) if isinstance(o, ArticleItem)]


def stat(spider: DevdiscourseSpider, name: str) -> Any:
    return spider.crawler.stats.get_value(name)  # type: ignore[union-attr]


def truth(app: ReplicaApp, index: int) -> dict[str, Any]:
    return expected_item(app.corpus.article(index), BASE)


def assert_matches_truth(item: ArticleItem, expected: dict[str, Any]) -> None:
    got = ItemAdapter(item).asdict()
    wrong = {k: (got[k], v) for k, v in expected.items() if got[k] != v}
    assert not wrong


@pytest.mark.parametrize("bot", [False, True])
def test_no_updated_time_gives_null_updated_at(
    app: ReplicaApp, spider: DevdiscourseSpider, bot: bool
) -> None:
    response, index = page(app, "no_updated_time", bot)
    (item,) = parse(spider, response)
    assert item.updated_at is None and item.updated_at_ist is None
    assert item.published_at is not None
    assert stat(spider, "newscrawl/extract/updated_at_invalid") is None  # absent, not broken
    assert_matches_truth(item, truth(app, index))


def test_malformed_times_give_nulls_a_count_and_a_warning(
    app: ReplicaApp, spider: DevdiscourseSpider, caplog: pytest.LogCaptureFixture
) -> None:
    response, index = page(app, "malformed_time")
    with caplog.at_level(logging.WARNING):
        (item,) = parse(spider, response)
    assert item.published_at is None and item.updated_at is None
    assert stat(spider, "newscrawl/extract/published_at_invalid") == 1
    assert stat(spider, "newscrawl/extract/updated_at_invalid") == 1
    assert any(response.url in r.getMessage() and "unparsed" in r.getMessage() for r in caplog.records)
    assert_matches_truth(item, truth(app, index))
    # kept, not dropped, and counted by validation
    pipeline = ValidationPipeline.from_crawler(spider.crawler)
    assert pipeline.process_item(item) is item
    assert stat(spider, "newscrawl/items/published_at_null") == 1


def test_no_figure_gives_null_image_fields(app: ReplicaApp, spider: DevdiscourseSpider) -> None:
    response, index = page(app, "no_figure")
    (item,) = parse(spider, response)
    assert (item.image_url, item.image_caption, item.image_credit) == (None, None, None)
    assert_matches_truth(item, truth(app, index))


def test_empty_body_is_dropped_by_validation_with_a_reason(
    app: ReplicaApp, spider: DevdiscourseSpider
) -> None:
    response, _ = page(app, "empty_body")
    (item,) = parse(spider, response)
    assert item.body is None and item.word_count == 0
    pipeline = ValidationPipeline.from_crawler(spider.crawler)
    with pytest.raises(DropItem, match=re.escape(f"Missing body: {item.url}")):
        pipeline.process_item(item)
    assert stat(spider, "newscrawl/dropped/missing_body") == 1


@pytest.mark.parametrize("bot", [False, True])
def test_no_jsonld_falls_back_to_meta_and_page(
    app: ReplicaApp, spider: DevdiscourseSpider, bot: bool
) -> None:
    response, index = page(app, "no_jsonld", bot)
    assert b"application/ld+json" not in response.body
    (item,) = parse(spider, response)
    assert_matches_truth(item, truth(app, index))


def test_truncated_page_is_asked_for_again_then_dropped_and_counted(
    app: ReplicaApp, spider: DevdiscourseSpider, caplog: pytest.LogCaptureFixture
) -> None:
    middleware = TruncatedPageMiddleware.from_crawler(spider.crawler)
    cut, _ = page(app, "truncated_html")
    request = Request(cut.url)
    for attempt in (1, 2):  # NEWSCRAWL_TRUNCATED_RETRIES
        again = middleware.process_response(request, cut.replace(request=request))
        assert isinstance(again, Request) and again.dont_filter and again.meta["retry_times"] == attempt
        request = again
    assert stat(spider, "retry/reason_count/truncated_page") == 2
    last = cut.replace(request=request)
    assert middleware.process_response(request, last) is last  # given up: on to the spider
    assert stat(spider, "retry/max_reached") == 1
    with caplog.at_level(logging.WARNING):
        assert list(spider.parse_article(last)) == []
    assert stat(spider, "newscrawl/dropped/truncated") == 1
    assert any("3 tries" in r.getMessage() and cut.url in r.getMessage() for r in caplog.records)


def test_only_article_pages_are_judged_truncated(spider: DevdiscourseSpider) -> None:
    """Listing fragments end without </html> by design."""
    middleware = TruncatedPageMiddleware.from_crawler(spider.crawler)
    url = f"{BASE}/Home/GetNewsItems?label=health&page=1"
    fragment = HtmlResponse(url, body=b"<div><a class='text-decoration' href='/article/x/1-y'>x</a></div>")
    assert middleware.process_response(Request(url), fragment) is fragment
    assert stat(spider, "retry/count") is None


def test_500_paragraph_article_is_whole(app: ReplicaApp, spider: DevdiscourseSpider) -> None:
    response, index = page(app, "long_article")
    (item,) = parse(spider, response)
    assert item.body is not None and item.body.count("\n\n") == 499
    assert_matches_truth(item, truth(app, index))


def test_non_html_response_is_dropped_and_counted(spider: DevdiscourseSpider) -> None:
    response = Response(url=BASE + "/article/business/1000005-x", body=b"\x89PNG\r\n")
    assert list(spider.parse_article(response)) == []
    assert stat(spider, "newscrawl/dropped/not_html") == 1


@pytest.mark.parametrize(
    "markup",
    [
        b"",
        b"<html><body><p>no article here</p></body></html>",
        b"<<<>>>&&&\xff\xfe",
        b"<article><h1 class=title>",
    ],
)
def test_garbage_pages_never_crash(spider: DevdiscourseSpider, markup: bytes) -> None:
    response = HtmlResponse(url=BASE + "/article/business/1000005-x", body=markup + b"</html>")
    items = parse(spider, response)
    assert len(items) == 1
    pipeline = ValidationPipeline.from_crawler(spider.crawler)
    with pytest.raises(DropItem, match="Missing"):
        pipeline.process_item(items[0])


def strip(body: bytes, *patterns: str) -> bytes:
    text = body.decode()
    for pattern in patterns:
        text, n = re.subn(pattern, "", text, flags=re.S)
        assert n, pattern
    return text.encode()


def test_fields_survive_when_structured_sources_are_missing(app: ReplicaApp) -> None:
    article = app.corpus.article(42)
    body = app.handle(article.path, "", False, HOST).body
    bare = strip(
        body,
        r'<script type="application/ld\+json">.*?</script>',
        r'<meta name="(?:keywords|news_keywords|article:author|description)"[^>]*>',
        r'<meta (?:property="og:[a-z]+"|itemprop="[A-Za-z]+")[^>]*>',
        r'<link rel="canonical"[^>]*>',
    )
    response = HtmlResponse(url=BASE + article.path + "?utm_source=x", body=bare, encoding="utf-8")
    item = extract_article(response).item
    assert item.agency == "PTI"  # byline link
    assert item.tags == list(article.tags)  # visible tag list (not a bot)
    assert item.published_at == "2020-01-16T19:17:00Z"  # byline
    assert item.updated_at == "2020-01-16T19:29:00Z"
    assert item.url == BASE + article.path  # canonicalised request URL
    assert item.image_url == article.image_url  # figure
    assert item.title == article.title  # h1


def test_bot_page_gets_tags_and_agency_from_the_head(app: ReplicaApp) -> None:
    article = app.corpus.article(42)
    body = app.handle(article.path, "", True, HOST).body
    assert b'class="tag"' not in body
    item = extract_article(HtmlResponse(url=BASE + article.path, body=body, encoding="utf-8")).item
    assert item.tags == list(article.tags) and item.agency == "PTI" and item.syndicated is True


def test_canonical_naming_another_article_is_ignored(app: ReplicaApp) -> None:
    article = app.corpus.article(120)
    body = app.handle(article.path, "", False, HOST).body
    other = app.corpus.article(121)
    body = body.replace(f'rel="canonical" href="{BASE}{article.path}"'.encode(),
                        f'rel="canonical" href="{BASE}{other.path}"'.encode())  # fmt: skip
    item = extract_article(HtmlResponse(url=BASE + article.path, body=body, encoding="utf-8")).item
    assert item.article_id == article.article_id


@pytest.mark.parametrize("case", ["blog", "video", "no_jsonld", "no_figure", "non_ascii", "wire_update_2"])
def test_a_page_without_an_article_element_gives_the_same_item(app: ReplicaApp, case: str) -> None:
    """Fields are searched in the page's ``<article>`` (cheaper); without one, in the whole page."""
    response, _ = page(app, case)
    flat = response.replace(
        body=response.body.replace(b"<article", b"<div").replace(b"</article>", b"</div>")
    )
    assert b"<article" not in flat.body and b"<article" in response.body
    now = datetime(2026, 5, 1, tzinfo=UTC)
    story = ItemAdapter(extract_article(response, now=now).item).asdict()
    whole_page = ItemAdapter(extract_article(flat, now=now).item).asdict()
    assert {k: (v, whole_page[k]) for k, v in story.items() if whole_page[k] != v} == {}


@pytest.mark.parametrize("case", ["blog", "video", "no_jsonld", "wire_update_2"])
def test_json_ld_and_breadcrumb_are_found_outside_the_layouts_view_too(app: ReplicaApp, case: str) -> None:
    """JSON-LD and the breadcrumb are looked for where the site's layout prints the view first;
    a page laid out otherwise (here: the view one element deeper) gives the same item."""
    response, _ = page(app, case)
    deeper = response.replace(
        body=response.body.replace(b'<div class="renderBody">', b'<div class="renderBody"><section>')
    )
    # where the layout prints the view, nothing now: only the page-wide search finds them
    assert VIEW_LISTS(response.selector.root) and not VIEW_LISTS(deeper.selector.root)
    assert not VIEW_JSONLD_SCRIPTS(deeper.selector.root)
    assert bool(VIEW_JSONLD_SCRIPTS(response.selector.root)) == (case != "no_jsonld")
    now = datetime(2026, 5, 1, tzinfo=UTC)
    view = extract_article(response, now=now)
    page_wide = extract_article(deeper, now=now)
    assert page_wide.problems == view.problems
    got, want = ItemAdapter(page_wide.item).asdict(), ItemAdapter(view.item).asdict()
    assert {k: (v, got[k]) for k, v in want.items() if got[k] != v} == {}
    if case == "blog":
        assert want["content_type"] == "blog"
    if case == "video":
        assert want["content_type"] == "video"


def test_sidebar_links_are_followed_wherever_the_sidebar_is(app: ReplicaApp) -> None:
    """The sidebar is looked for where the layout prints the article view, then page-wide."""
    response, _ = page(app, "wire_update_2")
    deeper = response.replace(
        body=response.body.replace(b'<div class="renderBody">', b'<div class="renderBody"><section>')
    )
    region = VIEW_REGIONS[SIDEBAR_CSS]
    assert region(response.selector.root) and not region(deeper.selector.root)

    def followed(r: HtmlResponse) -> list[str]:
        return [o.url for o in project_spider(base_url=BASE).parse_article(r) if isinstance(o, Request)]

    urls = followed(response)
    assert len(urls) > 5 and all("/article/" in u for u in urls)
    assert followed(deeper) == urls
