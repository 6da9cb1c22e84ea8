"""The replica over real HTTP: page families, site behaviours, determinism, truth."""

from __future__ import annotations

import http.client
import json
import time
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import timedelta
from urllib.parse import quote_plus, urlsplit

import pytest
from parsel import Selector

from replica.app import (
    LABEL_WINDOW,
    LISTINGS,
    PAGE_SIZE,
    SECTOR_PAGE_SIZE,
    ReplicaApp,
    regional_edition,
)
from replica.corpus import APPROVAL_DELAY, CASES, DROPPED_CASES, Corpus
from replica.pages import SYNDICATED_DISCLAIMER, ist_byline
from replica.truth import expected_drops, truth_records
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
    for path in ("/", "/sitemap.xml", "/stories/business"):
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
    assert {"/stories/business", "/news/health", "/pti-stories", "/south-asia", "/rss/website"} <= hrefs


def _page_through(replica: Replica, path: str, query: str = "") -> list[str]:
    """Every card href of a listing, paging with ``page=N`` until a page is empty."""
    hrefs: list[str] = []
    page = 1
    while True:
        status, _, body = get(replica, f"{path}?{query}page={page}")
        assert status == 200
        cards = Selector(text=body.decode() or "<html/>").css("a.text-decoration")
        if not cards:
            return hrefs
        assert len(cards) <= PAGE_SIZE
        hrefs += [c.attrib["href"] for c in cards]
        page += 1


def test_label_listings_need_a_region_and_reach_back_ten_days(
    replica: Replica, replica_app: ReplicaApp
) -> None:
    fragment = "/Home/GetNewsItems"
    assert get(replica, f"{fragment}?label=business&region=&page=1")[2] == b""  # exact region
    hrefs = _page_through(replica, fragment, "label=business&region=Global+Edition&")
    assert hrefs and len(hrefs) == len(replica_app.entries(LISTINGS["label:business"]))
    corpus = replica_app.corpus
    cutoff = replica_app.today - LABEL_WINDOW
    shown = [corpus.metas[i] for i, _ in replica_app.entries(LISTINGS["label:business"])]
    assert all(m.published > cutoff for m in shown)
    older = [m for m in corpus.metas if m.label == "business" and m.published <= cutoff]
    assert older, "the replica must hold articles older than the listings' window"
    card = Selector(text=get(replica, f"{fragment}?label=business&region=Global+Edition&page=1")[2].decode())
    assert card.css("h3.title-sub::text").get() and card.css("div.country-sub::text").get()
    assert card.css("h5::text").re_first(r"About \d+ (?:minute|hour)s? ago|Yesterday|\d\d \w+ \d{4}")
    region = regional_edition(shown[0])
    regional = _page_through(replica, fragment, f"label=business&region={quote_plus(region)}&")
    assert 0 < len(regional) < len(hrefs) and regional[0] == hrefs[0]


def test_source_listings_blogs_and_sector_api(replica: Replica, replica_app: ReplicaApp) -> None:
    for path in ("/pti-stories", "/devdiscourse-stories"):
        assert len(_page_through(replica, path)) == len(replica_app.entries(LISTINGS[path]))
    blogs = _page_through(replica, "/Home/GetBlogItems", "type=&region=Global+Edition&")
    assert len(blogs) == len(replica_app.entries(LISTINGS["blogs"])) > 0
    _, _, body = get(replica, "/news/health")
    script = Selector(text=body.decode()).css("script::text").get() or ""
    assert "var sector = '9'" in script and "var region = 'Global Edition'" in script
    ids, page = [], 1
    while rows := json.loads(get(replica, f"/api/Search/GetSectorNews/9/Global%20Edition/{page}")[2]):
        assert len(rows) <= SECTOR_PAGE_SIZE
        assert {"title", "createdOn", "newsId", "label", "sector"} <= set(rows[0])
        ids += [r["newsId"] for r in rows]
        page += 1
    corpus = replica_app.corpus
    assert ids == [corpus.metas[i].article_id for i, _ in replica_app.entries(LISTINGS["sector:9"])]


def test_archive_api_lists_every_approved_article_newest_first(
    replica: Replica, replica_app: ReplicaApp
) -> None:
    ids, created, page = [], [], 1
    while rows := json.loads(get(replica, f"/api/Search/GetAllNews/{page}")[2]):
        assert len(rows) <= PAGE_SIZE
        assert set(rows[0]) == {"id", "title", "createdOn", "imageUrl", "newId", "label", "country"}
        ids += [r["newId"] for r in rows]
        created += [r["createdOn"] for r in rows]
        page += 1
    corpus = replica_app.corpus
    assert ids == [m.article_id for m in reversed(corpus.metas) if corpus.approved(m.index)]
    assert created == sorted(created, reverse=True) and not created[0].endswith("Z")
    off = ReplicaApp(50, 1, archive_api=False)
    assert off.handle("/api/Search/GetAllNews/1", "", True, "h:1").status == 404


def test_every_article_is_reachable_from_the_archive_but_not_from_listings() -> None:
    big = ReplicaApp(3000, 1)  # 125 days: past the sector listings' 90
    listed_big = set()
    for listing in LISTINGS.values():
        listed_big.update(i for i, _ in big.entries(listing))
    assert len(listed_big) < 0.8 * 3000
    rows, page = [], 1
    while chunk := json.loads(big.handle(f"/api/Search/GetAllNews/{page}", "", True, "h:1").body):
        rows += chunk
        page += 1
    assert len(rows) == sum(big.corpus.approved(i) for i in range(3000))


def test_article_page_matches_the_2026_template(replica: Replica, replica_app: ReplicaApp) -> None:
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
    assert page.css('meta[name="article:author"]::attr(content)').get() == "PTI"
    assert page.css('meta[itemprop="datePublished"]::attr(content)').get() == "2020-01-17T00:47:00+05:30"
    assert page.css('meta[itemprop="dateModified"]::attr(content)').get() == "2020-01-17T00:59:00+05:30"
    og_image = page.css('meta[property="og:image"]::attr(content)').get()
    assert og_image == f"/img?imageUrl={article.image_url}&width=920&format=jpeg"  # relative
    scripts = page.css('script[type="application/ld+json"]::text').getall()
    assert len(scripts) == 2
    with pytest.raises(json.JSONDecodeError):
        json.loads(scripts[0])  # the unquoted description, as on the site
    assert '"datePublished": "2020-01-17T00:47:00&#x2B;05:30"' in scripts[0]  # Razor-encoded
    assert '"description": An Iraqi government spokesman denied' in scripts[0]
    assert json.loads(scripts[1])["@type"] == "BreadcrumbList"
    crumbs = page.css("ul.article-breadcrumb li")
    assert crumbs and page.css("ul.article-breadcrumb span.bc-current::text").get() == "Article"
    assert page.css("article h1.title::text").get() == article.title
    byline = " ".join(page.css("div.metadata ::text").getall())
    assert "Updated: 17-01-2020 00:59 IST | Created: 17-01-2020 00:47 IST" in byline
    assert page.css("div.metadata > span > a::attr(href)").get() == "/pti-stories"
    assert page.css("figure.figure figcaption::text").get() == "Representative image Image Credit: Pixabay"
    assert page.css("figure.figure img::attr(src)").get() == article.image_url
    assert page.css("figure.figure source::attr(srcset)").get().startswith("/img?imageUrl=")
    assert page.css("li.fg-orange::text").getall() == ["Iraq"]
    paragraphs = page.css("section.article-cont p::text").getall()
    assert paragraphs[0].startswith("An Iraqi government spokesman")
    assert SYNDICATED_DISCLAIMER in paragraphs
    assert page.css("#articleAiCard h3::text").get() == "Key Takeaways"
    assert page.css("a.tag::text").getall() == list(article.tags)
    sidebar = page.css("h2.section-title3 span::text").getall()
    assert sidebar == ["TRENDING", "OPINION / BLOG / INTERVIEW", "DevShots", "Latest News"]


def test_older_records_keep_resizer_image_urls() -> None:
    app = ReplicaApp(400, 2)
    forms = Counter(m.image_form for m in app.corpus.metas)
    assert forms["remote.axd"] and forms["experiment"] and forms["blob"] > forms["remote.axd"]
    article = next(
        app.corpus.article(m.index)
        for m in app.corpus.metas
        if m.image_form == "remote.axd" and app.corpus.article(m.index).image_url and m.kind == "news"
    )
    page = Selector(text=app.handle(article.path, "", False, "h:1").body.decode())
    assert page.css("figure.figure img::attr(src)").get() == f"/remote.axd?{article.image_url}"
    og = page.css('meta[property="og:image"]::attr(content)').get()
    assert og == f"/img?imageUrl=/remote.axd?{article.image_url}&width=920&format=jpeg"


def test_any_slug_label_or_bare_id_serves_the_same_article(replica: Replica, replica_app: ReplicaApp) -> None:
    article = replica_app.corpus.article(120)
    _, _, canonical = get(replica, article.path)
    for variant in (
        f"/article/{article.meta.label}/{article.article_id}-some-other-slug",
        f"/article/{article.meta.label}/{article.article_id}",
        f"/article/health/{article.article_id}-x?utm_source=tw",
        f"/article/{article.article_id}",  # the by-id route: 200, no redirect
    ):
        status, _, body = get(replica, variant)
        assert status == 200 and body == canonical, variant


def test_missing_ids_answer_500_and_agency_wire_redirects(replica: Replica, replica_app: ReplicaApp) -> None:
    corpus = replica_app.corpus
    ids = {m.article_id for m in corpus.metas}
    gaps = [i for i in range(corpus.metas[0].article_id, corpus.newest_id) if i not in ids]
    assert len(gaps) > corpus.size // 10  # not every id is an article
    assert get(replica, f"/article/business/{gaps[0]}-gone")[0] == 500
    assert get(replica, f"/article/{gaps[1]}")[0] == 500
    assert get(replica, "/no/such/page")[0] == 404
    four_oh_four = ReplicaApp(50, 1, missing_status=404)
    assert four_oh_four.handle(f"/article/{gaps[0]}", "", True, "h:1").status == 404
    article = corpus.article(5)
    status, headers, _ = get(replica, f"/article/agency-wire/{article.article_id}-x?utm_source=a")
    assert status == 301
    assert headers["location"] == article.path  # relative, query dropped


def test_late_approved_ids_are_missing_until_approved() -> None:
    late = next(i for i, case in CASES.items() if case == "late_approval")
    before, after = ReplicaApp(late + 3, 4), ReplicaApp(late + 1 + APPROVAL_DELAY, 4)
    article_id = before.corpus.metas[late].article_id
    assert before.handle(f"/article/{article_id}", "", True, "h:1").status == 500
    assert article_id not in json.loads(before.handle("/api/Search/GetAllNews/1", "", True, "h:1").body)
    assert after.handle(f"/article/{article_id}", "", True, "h:1").status == 200
    rows = json.loads(after.handle("/api/Search/GetAllNews/1", "", True, "h:1").body)
    assert article_id in [r["newId"] for r in rows]


@pytest.mark.parametrize(
    "path", ["/reuters-stories", "/ians-stories", "/ani-stories", "/un-news", "/pr-newswire", "/rss/website"]
)
def test_routes_the_site_does_not_have_answer_404(replica: Replica, path: str) -> None:
    assert get(replica, path)[0] == 404


def test_bot_user_agents_get_no_disclaimer_card_or_tags(replica: Replica, replica_app: ReplicaApp) -> None:
    article = replica_app.corpus.article(42)
    _, _, human = get(replica, article.path)
    _, _, bot = get(replica, article.path, ua=BOT_UA)
    _, _, bot_lower = get(replica, article.path, ua="somecrawler-bot/1.0")
    assert bot == bot_lower
    human_page, bot_page = Selector(text=human.decode()), Selector(text=bot.decode())
    assert human_page.css("a.tag") and not bot_page.css("a.tag")
    assert human_page.css("#articleAiCard") and not bot_page.css("#articleAiCard")
    assert SYNDICATED_DISCLAIMER.encode() in human and SYNDICATED_DISCLAIMER.encode() not in bot
    assert bot_page.css('meta[name="keywords"]::attr(content)').get() == ", ".join(article.tags)
    head = human.split(b"</head>")[0]
    assert head == bot.split(b"</head>")[0]  # the head is the same for every client


def test_amp_variant(replica: Replica, replica_app: ReplicaApp) -> None:
    article = replica_app.corpus.article(42)
    status, _, body = get(replica, article.path + "?amp")
    _, _, canonical = get(replica, article.path)
    assert status == 200 and body != canonical
    page = Selector(text=body.decode())
    assert page.css('link[rel="canonical"]::attr(href)').get() == replica.base_url + article.path


def test_no_robots_txt_static_sitemap_and_news_sitemap(replica: Replica, replica_app: ReplicaApp) -> None:
    assert get(replica, "/robots.txt")[0] == 404  # the site's code has none
    assert ReplicaApp(10, 1, robots=True).handle("/robots.txt", "", True, "h:1").status == 200
    ns = {
        "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
        "n": "http://www.google.com/schemas/sitemap-news/0.9",
    }
    sitemap = ET.fromstring(get(replica, "/sitemap.xml")[2])
    locs = [e.text for e in sitemap.findall("s:url/s:loc", ns)]
    assert len(locs) == 37 and f"{replica.base_url}/stories/business" in locs
    assert not [loc for loc in locs if "/article/" in (loc or "")]
    status, _, raw = get(replica, "/RSS/GoogleNews")
    assert status == 200 and raw.startswith(b'<?xml version="1.0" encoding="utf-16"?>')
    raw.decode("utf-8")  # the bytes are UTF-8 whatever the declaration says
    with pytest.raises(ET.ParseError):
        ET.fromstring(raw)  # a strict parser believes the declaration
    news = ET.fromstring(raw.split(b"?>", 1)[1])
    urls = news.findall("s:url", ns)
    expected = replica_app.news_sitemap_articles()
    assert 0 < len(urls) == len(expected) <= 500
    assert [u.findtext("s:loc", namespaces=ns) for u in urls] == [replica.base_url + a.path for a in expected]
    lastmods = [u.findtext("s:lastmod", namespaces=ns) or "" for u in urls]
    assert lastmods == sorted(lastmods, reverse=True) and lastmods[0].endswith("+05:30")
    assert urls[0].findtext("n:news/n:title", namespaces=ns) == expected[0].title
    recent = replica_app.today - timedelta(days=2) + timedelta(hours=12)
    pinned = [a for a in expected if a.meta.published <= recent]
    assert [a.meta.index for a in pinned] == [1, 0] or [a.meta.index for a in pinned] == [0, 1]


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
    changed = 0
    for i in range(500):
        if not small.corpus.approved(i):
            continue  # not published yet at 500: a missing id, an article at 530
        if small.corpus.article(i).version != grown.corpus.article(i).version:
            changed += 1  # editors updated it meanwhile
            continue
        path = small.corpus.article(i).path
        assert small.handle(path, "", False, "h:1").body == grown.handle(path, "", False, "h:1").body, i
    assert 0 < changed <= 20  # only the newest articles: edits come within hours
    old_newest = small.corpus.metas[-1]
    for meta in grown.corpus.metas[500:]:
        assert meta.article_id > old_newest.article_id and meta.published > old_newest.published
    newest_label = grown.corpus.metas[-1].label
    top = grown.entries(LISTINGS[f"label:{newest_label}"])[0][0]
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
            byline = "".join(page.css("div.metadata ::text").getall())
            assert f"Created: {ist_byline(corpus.metas[i].published)} IST" in byline
    approved = {m.article_id for m in corpus.metas if corpus.approved(m.index)}
    assert ids_in_truth | set(dropped) == approved
    resyndicated = [r for r in records if r["duplicate_ids"]]
    revised = [r for r in records if len(r["revision_ids"]) == 3]
    recurring = [r for r in records if r["title"] == "Reuters World News Summary"]
    assert len(resyndicated) == 3 and len(revised) == 3 and len(recurring) == 6


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


def test_live_blogs_have_their_own_ids_template_and_sitemap(
    replica: Replica, replica_app: ReplicaApp
) -> None:
    blogs = replica_app.live_blogs
    assert blogs and all(b.live_id < 10_000 for b in blogs)  # a separate, small id space
    newest = blogs[-1]
    home = Selector(text=get(replica, "/")[2].decode())
    assert home.css("a.live-link::attr(href)").get() == newest.path
    status, _, body = get(replica, newest.path)
    page = Selector(text=body.decode())
    assert status == 200 and page.css("em.live::text").get() == "LIVE"
    assert page.css("h1.title::text").get().strip() == newest.title
    assert page.css("h2.subtitle::text").get().strip() == newest.subtitle
    assert not page.css('script[type="application/ld+json"]') and not page.css('link[rel="amphtml"]')
    assert f"Updated: {ist_byline(newest.modified)} IST" in " ".join(
        page.css("div.news-meta ::text").getall()
    )
    assert len(page.css("section.article-cont div.live-post")) == len(newest.posts)
    assert get(replica, f"/live-discourse/{newest.live_id}")[0] == 200
    assert get(replica, "/live-discourse/8999-gone")[0] == 404  # real 404s here, not 500
    status, _, raw = get(replica, "/RSS/Livediscourse")
    assert status == 200 and raw.startswith(b'<?xml version="1.0" encoding="utf-16"?>')
    locs = [
        e.text or ""
        for e in ET.fromstring(raw.split(b"?>", 1)[1]).iter(
            "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"
        )
    ]
    assert locs and all("/live-discourse/" in loc and "#post_" in loc for loc in locs)
