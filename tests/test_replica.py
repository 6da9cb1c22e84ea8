"""The replica over real HTTP: page families, site behaviours, determinism, truth."""

from __future__ import annotations

import http.client
import json
import time
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from parsel import Selector

from newscrawl.replica.app import LISTINGS, PAGE_SIZE, ReplicaApp
from newscrawl.replica.corpus import CASES, DROPPED_CASES, Corpus
from newscrawl.replica.pages import SYNDICATED_DISCLAIMER, ist_byline
from newscrawl.replica.truth import expected_drops, truth_records
from tests.conftest import Replica, start_replica, stop_replica

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
BOT_UA = "Mozilla/5.0 (compatible; Googlebot/2.1)"


def get(replica: Replica, path: str, ua: str = BROWSER_UA) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(replica.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    conn.request("GET", path, headers={"User-Agent": ua})
    response = conn.getresponse()
    body = response.read()
    headers = {k.lower(): v for k, v in response.getheaders()}
    conn.close()
    return response.status, headers, body


def test_banner_and_keep_alive(replica: Replica) -> None:
    assert replica.url.startswith("http://127.0.0.1:") and replica.url.endswith("/")
    parts = urlsplit(replica.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    for path in ("/", "/robots.txt", "/stories/business"):
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        assert response.status == 200
        assert response.getheader("connection", "").lower() != "close"
    conn.close()


def test_home_has_nav_and_latest_news(replica: Replica, replica_app: ReplicaApp) -> None:
    status, headers, body = get(replica, "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = Selector(text=body.decode())
    latest = page.css("ul.ar-ul li.also-title h3 a::attr(href)").getall()
    newest = replica_app.newest(10)
    assert latest == [a.path for a in newest]
    hrefs = set(page.css("a::attr(href)").getall())
    assert {"/stories/business", "/news/health", "/pti-stories", "/south-asia"} <= hrefs


@pytest.mark.parametrize("path", ["/stories/business", "/news/health", "/reuters-stories", "/blogs"])
def test_listings_page_through_fragments_to_the_end(
    replica: Replica, replica_app: ReplicaApp, path: str
) -> None:
    status, _, body = get(replica, path)
    assert status == 200
    first = Selector(text=body.decode()).css("a.text-decoration")
    assert 0 < len(first) <= PAGE_SIZE
    card = first[0]
    assert card.css("h3.title-sub::text").get()
    assert card.css("div.country-sub::text").get()
    assert card.css("h5::text").re_first(r"\d+ (?:minute|hour|day)s? ago|just now")
    segments = path.strip("/").split("/")
    key = {"stories": "label", "news": "sector"}.get(segments[0], "cat") if len(segments) == 2 else "cat"
    value = segments[-1]
    seen = {c.attrib["href"] for c in first}
    page = 2
    while True:
        query = f"sector=&region=&country=&tag=&page={page}&cat=&label="
        query = query.replace(f"{key}=", f"{key}={value}", 1)
        status, _, body = get(replica, f"/Home/GetNewsItems?{query}")
        assert status == 200
        cards = Selector(text=body.decode() or "<html/>").css("a.text-decoration")
        if not cards:
            break
        seen.update(c.attrib["href"] for c in cards)
        page += 1
    assert len(seen) == len(replica_app.entries(LISTINGS[path]))


def test_every_article_is_reachable_from_a_listing(replica_app: ReplicaApp) -> None:
    reachable = set()
    for listing in LISTINGS.values():
        if listing.path == "/news-analysis":
            continue  # disallowed by robots.txt: must not be needed
        reachable.update(i for i, _ in replica_app.entries(listing))
    assert reachable == set(range(replica_app.corpus.size))


def test_article_page_matches_the_template(replica: Replica, replica_app: ReplicaApp) -> None:
    article = replica_app.corpus.article(42)  # the seed story
    status, _, body = get(replica, article.path)
    assert status == 200
    page = Selector(text=body.decode())
    canonical = replica.base_url + article.path
    assert (
        page.css("title::text").get()
        == "Iraq denies resuming joint ops with US-led coalition | International"
    )
    assert page.css('link[rel="canonical"]::attr(href)').get() == canonical
    assert page.css('link[rel="amphtml"]::attr(href)').get() == canonical + "?amp"
    assert page.css('meta[property="og:type"]::attr(content)').get() == "article"
    assert page.css('meta[name="article:author"]::attr(content)').get() == "PTI"
    assert page.css('meta[itemprop="datePublished"]::attr(content)').get() == "2020-01-17T00:47:00+05:30"
    assert page.css('meta[itemprop="dateModified"]::attr(content)').get() == "2020-01-17T00:59:00+05:30"
    ld = json.loads(page.css('script[type="application/ld+json"]::text').get())
    assert ld["@type"] == "NewsArticle" and ld["mainEntityOfPage"]["@id"] == canonical
    assert page.css("ul.breadcrumb li").getall()
    assert page.css("article h1.title::text").get() == article.title
    byline = " ".join(page.css("div.m-b-10.m-t-10 ::text").getall())
    assert "Updated: 17-01-2020 00:59 IST | Created: 17-01-2020 00:47 IST" in byline
    assert page.css("figure.figure figcaption::text").get() == "Representative image Image Credit: Pixabay"
    assert page.css("li.fg-orange::text").getall() == ["Iraq"]
    paragraphs = page.css("section.article-cont p::text").getall()
    assert paragraphs[0].startswith("An Iraqi government spokesman")
    assert SYNDICATED_DISCLAIMER in paragraphs
    assert page.css("a.tag::text").getall() == list(article.tags)
    sidebar = page.css("h2.section-title3 span::text").getall()
    assert sidebar == ["TRENDING", "Latest News", "OPINION / BLOG / INTERVIEW"]


def test_any_slug_and_label_serve_the_same_article(replica: Replica, replica_app: ReplicaApp) -> None:
    article = replica_app.corpus.article(120)
    _, _, canonical = get(replica, article.path)
    for variant in (
        f"/article/{article.meta.label}/{article.article_id}-some-other-slug",
        f"/article/{article.meta.label}/{article.article_id}",
        f"/article/health/{article.article_id}-x?utm_source=tw",
    ):
        status, _, body = get(replica, variant)
        assert status == 200 and body == canonical, variant


def test_unknown_id_is_404_and_agency_wire_redirects(replica: Replica, replica_app: ReplicaApp) -> None:
    ids = {m.article_id for m in replica_app.corpus.metas}
    missing = next(i for i in range(1_000_001, 1_000_100) if i not in ids)
    assert get(replica, f"/article/business/{missing}-gone")[0] == 404
    assert get(replica, "/article/business/99-x")[0] == 404
    assert get(replica, "/no/such/page")[0] == 404
    article = replica_app.corpus.article(5)
    status, headers, _ = get(replica, f"/article/agency-wire/{article.article_id}-x")
    assert status == 301
    assert headers["location"] == replica.base_url + article.path


def test_bot_user_agents_get_no_disclaimer_and_no_tags(replica: Replica, replica_app: ReplicaApp) -> None:
    article = replica_app.corpus.article(42)
    _, _, human = get(replica, article.path)
    _, _, bot = get(replica, article.path, ua=BOT_UA)
    _, _, bot_lower = get(replica, article.path, ua="somecrawler-bot/1.0")
    assert bot == bot_lower
    human_page, bot_page = Selector(text=human.decode()), Selector(text=bot.decode())
    assert human_page.css("a.tag") and not bot_page.css("a.tag")
    assert SYNDICATED_DISCLAIMER.encode() in human and SYNDICATED_DISCLAIMER.encode() not in bot
    assert bot_page.css('meta[name="keywords"]::attr(content)').get() == ", ".join(article.tags)


def test_amp_variant(replica: Replica, replica_app: ReplicaApp) -> None:
    article = replica_app.corpus.article(42)
    status, _, body = get(replica, article.path + "?amp")
    _, _, canonical = get(replica, article.path)
    assert status == 200 and body != canonical
    page = Selector(text=body.decode())
    assert page.css('link[rel="canonical"]::attr(href)').get() == replica.base_url + article.path


def test_robots_sitemaps_and_rss(replica: Replica, replica_app: ReplicaApp) -> None:
    status, _, robots = get(replica, "/robots.txt")
    assert status == 200
    text = robots.decode()
    assert "Disallow: /news-analysis" in text
    assert f"Sitemap: {replica.base_url}/sitemap.xml" in text
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "n": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    sitemap = ET.fromstring(get(replica, "/sitemap.xml")[2])
    locs = [e.text for e in sitemap.findall("s:url/s:loc", ns)]
    assert f"{replica.base_url}/stories/business" in locs
    news = ET.fromstring(get(replica, "/sitemap/googlenews.xml")[2])
    urls = news.findall("s:url", ns)
    assert 0 < len(urls) <= 500
    since = replica_app.corpus.now - timedelta(days=2)
    newest = [a for a in replica_app.newest(500) if a.meta.published >= since]
    assert [u.find("s:loc", ns).text for u in urls] == [replica.base_url + a.path for a in newest]  # type: ignore[union-attr]
    rss = ET.fromstring(get(replica, "/rss/website")[2])
    items = rss.findall("channel/item")
    assert len(items) == 50
    assert items[0].findtext("link") == replica.base_url + replica_app.newest(1)[0].path


def test_server_pages_equal_in_process_pages(replica: Replica, replica_app: ReplicaApp) -> None:
    host = urlsplit(replica.url).netloc
    for path in ("/", "/stories/health", replica_app.corpus.article(77).path):
        assert get(replica, path)[2] == replica_app.handle(path, "", False, host).body


def test_same_size_and_seed_give_identical_pages() -> None:
    a, b = ReplicaApp(250, 3), ReplicaApp(250, 3)
    other_seed = ReplicaApp(250, 4)
    for i in range(0, 250, 7):
        path = a.corpus.article(i).path
        assert a.handle(path, "", False, "h:1").body == b.handle(path, "", False, "h:1").body
    path = a.corpus.article(100).path
    assert a.handle(path, "", False, "h:1").body != other_seed.handle(path, "", False, "h:1").body


def test_growth_adds_newer_articles_and_leaves_old_pages_unchanged() -> None:
    small, grown = ReplicaApp(500, 11), ReplicaApp(530, 11)
    for i in range(500):
        path = small.corpus.article(i).path
        assert small.handle(path, "", False, "h:1").body == grown.handle(path, "", False, "h:1").body, i
    old_newest = small.corpus.metas[-1]
    for meta in grown.corpus.metas[500:]:
        assert meta.article_id > old_newest.article_id and meta.published > old_newest.published
    newest_label = grown.corpus.metas[-1].label
    top = grown.entries(LISTINGS[f"/stories/{newest_label}"])[0][0]
    assert top == 529


def test_every_case_is_present_at_200_articles() -> None:
    corpus = Corpus(200, 5)
    counts = Counter(m.case for m in corpus.metas if m.case)
    for case in CASES.values():
        assert counts[case] >= 2, case
    assert counts["seed"] == 1


def test_truth_is_consistent_with_the_pages(replica_app: ReplicaApp) -> None:
    corpus = replica_app.corpus
    records = list(truth_records(corpus, "http://h:1"))
    assert records
    dropped = expected_drops(corpus)
    assert set(dropped.values()) == set(DROPPED_CASES.values())
    ids_in_truth = set()
    for record in records:
        ids_in_truth.update([record["article_id"], *record["duplicate_ids"], *record["revision_ids"]])
        i = corpus.index_of(record["article_id"])
        assert i is not None
        body = replica_app.handle(corpus.article(i).path, "", False, "h:1").body.decode()
        page = Selector(text=body)
        assert page.css('link[rel="canonical"]::attr(href)').get() == record["url"]
        assert page.css("article h1.title::text").get() == record["title"]
        if record["published_at_ist"]:
            byline = "".join(page.css("div.m-b-10.m-t-10 ::text").getall())
            assert f"Created: {ist_byline(corpus.metas[i].published)} IST" in byline
    all_ids = {m.article_id for m in corpus.metas}
    assert ids_in_truth | set(dropped) == all_ids
    resyndicated = [r for r in records if r["duplicate_ids"]]
    revised = [r for r in records if len(r["revision_ids"]) == 3]
    recurring = [r for r in records if r["title"] == "Reuters World News Summary"]
    assert len(resyndicated) == 3 and len(revised) == 3 and len(recurring) == 3


@pytest.mark.slow
def test_a_100000_article_site_starts_quickly(tmp_path) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    server = start_replica(tmp_path, 100_000, 1)
    elapsed = time.monotonic() - started
    try:
        status, _, body = get(server, "/")
        assert status == 200
        latest = Selector(text=body.decode()).css("ul.ar-ul li.also-title h3 a::attr(href)").get()
        assert latest is not None
        assert get(server, latest)[0] == 200
    finally:
        assert stop_replica(server) == 0
    print(f"100,000-article replica started in {elapsed:.2f}s")
