"""HTML and XML of the replica, element for element after the site's templates.

Our own templates, written from what SITE.md records of the real markup
(`Views/Article/Index.cshtml`, `Views/Shared/_Layout.cshtml`,
`Views/Home/getNewsItems.cshtml`, `Views/Shared/Components/LatestNews`):
the head meta, the JSON-LD, the breadcrumb, the byline, the figure, the
country list, ``section.article-cont``, the tag list and the sidebar blocks.
Like Razor, fields are HTML-encoded with non-ASCII characters as numeric
references (also inside the JSON-LD, as the site does), while the body is
stored HTML written out raw.
"""

from __future__ import annotations

import html
import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import TYPE_CHECKING

from newscrawl.replica import words

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from newscrawl.replica.corpus import Article

IST = timezone(timedelta(hours=5, minutes=30))
SYNDICATED_DISCLAIMER = (
    "(This story has not been edited by Devdiscourse staff and is auto-generated from a syndicated feed.)"
)
DESK_DISCLAIMER = "(With inputs from agencies.)"
# Where the body sits: "v1" as on the site; "v2" a redesign that moves it (for health tests).
LAYOUTS = ("v1", "v2")
BODY_OPEN = {"v1": '<section class="article-cont">', "v2": '<div class="story-body" itemprop="articleBody">'}
BODY_CLOSE = {"v1": "</section>", "v2": "</div>"}
MIN_VALUE_DATE = "0001-01-01T00:00:00+05:30"  # .NET DateTime.MinValue, seen on broken pages


def enc(text: str) -> str:
    """Razor's HTML encoding: markup characters and everything non-ASCII."""
    return html.escape(text).encode("ascii", "xmlcharrefreplace").decode("ascii")


def raw(text: str) -> str:
    """Stored body HTML: markup characters escaped, UTF-8 kept."""
    return html.escape(text, quote=False)


def ist_iso(moment: datetime) -> str:
    return moment.astimezone(IST).strftime("%Y-%m-%dT%H:%M:%S+05:30")


def ist_byline(moment: datetime) -> str:
    return moment.astimezone(IST).strftime("%d-%m-%Y %H:%M")


def label_title(label: str) -> str:
    return label.title()


def time_ago(moment: datetime, now: datetime) -> str:
    seconds = max(0, int((now - moment).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def city_text(city: str) -> str:
    """The byline's dateline, title-cased as the template does."""
    if "washington" in city.lower():
        return "Washington DC"
    return city.lower().title()


def description_of(article: Article) -> str:
    return article.subtitle or f"Read more about {article.title} on Devdiscourse"


# -- layout ------------------------------------------------------------------
def _nav(base: str) -> str:
    sectors = "".join(
        f'<li> <a href="/news/{slug}" title="{enc(name)}">{enc(name)}</a> </li>'
        for slug, name in words.SECTOR_NAMES.items()
    )
    return (
        '<div class="bg-white header-cont"><div class="container"><div class="row">'
        '<div class="col-md-3 col-sm-3 col-xs-4"><img src="/AdminFiles/Logo/devdiscourse_logo.svg"'
        ' title="Devdiscourse" alt="International Development News" class="img-responsive"'
        ' id="logoContainer" /></div>'
        '<div class="col-md-1 col-sm-2 col-xs-2 cp-0 p-t-10"><ul class="list-inline text-center">'
        '<li class="p-t-5"> <a href="/Home/AdvancedSearch" title="Search">Search</a> </li>'
        '<li> <a href="/Account/Login" rel="nofollow">Login</a> </li></ul></div>'
        '<div class="col-md-8 text-center header-center">'
        '<ul class="list-inline header-list font-sans-serif hidden-sm hidden-xs">'
        '<li> <a href="/about" title="About">About</a> </li>'
        '<li> <a href="/aboutus#meet" title="Contact Us">Contact Us</a> </li></ul>'
        '<ul class="list-inline header-list main-nav">'
        '<li class="item"> <a href="/" title="South Asia" class="linkBtn active">'
        '<span class="fa fa-home"></span></a> </li>'
        '<li class="item"> <a href="/news-analysis" class="linkBtn" title="News">NEWS</a> </li>'
        '<li class="item"> <a href="/blogs" class="linkBtn" title="Analysis / Blog / Opinion">'
        "BLOG / OPINION</a> </li>"
        '<li class="item"> <a href="/blogs/interview" class="linkBtn" title="Interview">'
        "INTERVIEW</a> </li>"
        '<li class="item"> <a href="/press-release" class="linkBtn" title="Press Release">'
        "SUBMIT PRESS RELEASE</a> </li></ul></div></div></div>"
        f'<div id="NewsSector"><nav class="container-fluid text-center m-t-10">'
        f'<ul class="scrollmenu no-margin">{sectors}</ul></nav></div></div>'
    )


def _footer(base: str) -> str:
    labels = "".join(
        f'<li><a href="/stories/{label}">{label_title(label)}</a></li>' for label in words.LABELS
    )
    agencies = "".join(
        f'<li><a href="{path}">{enc(name)}</a></li>' for name, path in words.AGENCY_PAGES.items()
    )
    editions = "".join(
        f'<li><a href="/{slug}">{slug.replace("-", " ").title()}</a></li>' for slug in words.EDITIONS
    )
    return (
        '<footer class="footer"><div class="container"><div class="row">'
        f'<div class="col-md-3"><h4>STORIES</h4><ul class="list-unstyled">{labels}</ul></div>'
        f'<div class="col-md-3"><h4>AGENCIES</h4><ul class="list-unstyled">{agencies}</ul></div>'
        f'<div class="col-md-3"><h4>EDITIONS</h4><ul class="list-unstyled">{editions}</ul></div>'
        '<div class="col-md-3"><h4>OTHER LINKS</h4><ul class="list-unstyled">'
        '<li><a href="/rss/website">RSS</a></li>'
        '<li><a href="https://www.facebook.com/devdiscourse" rel="noreferrer">Facebook</a></li>'
        '<li><a href="https://twitter.com/dev_discourse" rel="noreferrer">Twitter</a></li>'
        '<li><a href="javascript:void(0);" onclick="subscribe()">Subscribe</a></li>'
        "</ul></div></div>"
        '<p>Email: info@devdiscourse.com</p><p><a href="https://www.visionri.com">VisionRI</a>'
        ' | <a href="/disclaimer">Disclaimer</a> | <a href="/terms">Terms of use</a>'
        ' | <a href="/privacy">Privacy Policy</a></p><p>&#169; Copyright 2020</p>'
        "</div></footer>"
    )


def _page(head: str, body: str, base: str) -> bytes:
    return (
        '<!DOCTYPE html>\n<html lang="en" dir="ltr">\n'
        '<head prefix="og: http://ogp.me/ns# fb: http://ogp.me/ns/fb#">\n'
        f"{head}\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1.0" />\n'
        '<link rel="alternate" type="application/rss+xml" title="Devdiscourse News"'
        f' href="{base}/rss/website">\n'
        "</head>\n<body>\n"
        f'{_nav(base)}\n<div class="renderBody">\n{body}\n</div>\n{_footer(base)}\n'
        "</body>\n</html>\n"
    ).encode()


# -- article -----------------------------------------------------------------
def _article_links(articles: Iterable[Article]) -> str:
    return "".join(
        '<li class="also-title"><h3 class="f-18 no-margin font-normal l-h">'
        f'<a href="{a.path}" class="text-decoration">{enc(a.title)}</a></h3></li>'
        for a in articles
    )


def _sidebar(latest: Sequence[Article], trending: Sequence[Article], blogs: Sequence[Article]) -> str:
    trend = "".join(
        f'<div class="m-b-10"><a href="{a.path}" class="text-decoration">'
        f'<div class="trend-title">{enc(a.title)}</div></a></div>'
        for a in trending
    )
    opinion = "".join(
        f'<div class="m-b-10"><a href="{a.path}"><h3 class="trend-title">{enc(a.title)}</h3>'
        f"<p>{enc(a.paragraphs[0][:150] if a.paragraphs else '')}...</p></a></div>"
        for a in blogs
    )
    return (
        '<div class="col-md-4"><div class="advertisement-area">'
        '<div class="advertisement-title">Advertisement</div></div>'
        '<section class="clearfix m-t-10"> <h2 class="section-title3"> <span>TRENDING</span> </h2>'
        f"{trend}</section>"
        '<section class="clearfix m-t-10"> <h2 class="section-title3"> <span>Latest News</span>'
        f' </h2> <ul class="ar-ul">{_article_links(latest)}</ul></section>'
        '<section class="clearfix m-t-10"> <h2 class="section-title3">'
        f" <span>OPINION / BLOG / INTERVIEW</span> </h2> {opinion}</section></div>"
    )


def _body_paragraphs(article: Article, bot: bool) -> str:
    if article.case == "html_entities":
        paragraphs = [enc(p) for p in article.paragraphs]
    else:
        paragraphs = [raw(p) for p in article.paragraphs]
    if article.rich_markup and len(paragraphs) > 1:
        head, _, last = paragraphs[1].rpartition(" ")
        tag = article.tags[0] if article.tags else "news"
        paragraphs[1] = f'{head} <a href="/news?tag={enc(tag)}">{last}</a>'
        first, _, rest = paragraphs[0].partition(" ")
        paragraphs[0] = f"<strong>{first}</strong> {rest}"
    out = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    if not bot:
        if article.syndicated:
            out += f"<p>{SYNDICATED_DISCLAIMER}</p>\n"
        elif article.meta.agency == "Devdiscourse News Desk":
            out += f"<p>{DESK_DISCLAIMER}</p>\n"
        out += (
            '<p> Download The Devdiscourse <a href="https://play.google.com/store/apps/details?'
            'id=com.visionri.devdiscourse" rel="noopener" target="_blank">News App</a>'
            " for Latest News.</p>\n"
        )
    return out


def _jsonld(article: Article, canonical: str, page_image: str) -> str:
    meta = article.meta
    headline = f"{article.title} | {label_title(meta.label)}"
    if article.opinion:
        headline = "Opinion: " + headline
    first = article.paragraphs[0] if article.paragraphs else ""
    data: dict[str, object] = {
        "@context": "http://schema.org",
        "@type": "OpinionNewsArticle" if article.opinion else "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "headline": enc(headline),
        "image": {"@context": "http://schema.org", "@type": "ImageObject", "width": "100px",
                  "height": "100px", "url": page_image},
        "datePublished": ist_iso(meta.published),
    }  # fmt: skip
    if article.case == "malformed_time":
        data["datePublished"] = MIN_VALUE_DATE
    if article.updated is not None:
        data["dateModified"] = ist_iso(article.updated)
    elif article.case != "no_updated_time":
        data["dateModified"] = data["datePublished"]
    data["author"] = {"@type": "Person", "name": enc(article.author or meta.agency)}
    data["publisher"] = {
        "@type": "Organization",
        "name": "Devdiscourse",
        "logo": {"@type": "ImageObject", "url": "/AdminFiles/Logo/devdiscourse_news.png"},
    }
    data["description"] = "".join(ch for ch in first if ch.isalnum() or ch in " -")[:300]
    out = f'<script type="application/ld+json">{json.dumps(data, indent=1)}</script>\n'
    if meta.kind == "video":
        video = {
            "@context": "https://schema.org/",
            "@type": "VideoObject",
            "name": enc(headline),
            "@id": canonical,
            "datePublished": ist_iso(meta.published),
            "thumbnailURL": page_image + "&height=518&mode=crop&anchor=center&format=jpeg",
            "uploadDate": ist_iso(meta.published),
            "contentUrl": f"/AdminFiles/Videos/{meta.article_id}.mp4",
            "author": {"@type": "Person", "name": "Devdiscourse News Desk"},
        }
        out += f'<script type="application/ld+json">{json.dumps(video)}</script>\n'
    return out


def _byline(article: Article) -> str:
    meta = article.meta
    parts = []
    if meta.kind == "blog" and article.author:
        parts.append(
            f'<a href="/Home/AuthorArticles?fl={enc(article.author)}">'
            f'<img class="img-circle author-avatar" src="/AdminFiles/Logo/img_avatar.png"'
            f' alt="{enc(article.author)}" />{enc(article.author)}</a>'
        )
    elif meta.kind != "blog":
        page = words.AGENCY_PAGES.get(meta.agency, f"/news-source/{meta.agency}")
        parts.append(f'<span><a href="{page}">{enc(meta.agency)}</a></span>')
    if article.city:
        parts.append(f'<span class="text-capitalize">{enc(city_text(article.city))}</span>')
    if article.case == "malformed_time":
        times = "Updated: 3l-O1-2O20 2x:59 IST | Created: 1?-0l-2020 25:61 IST"
    elif article.updated is None:
        times = f"Created: {ist_byline(meta.published)} IST"
    else:
        times = f"Updated: {ist_byline(article.updated)} IST | Created: {ist_byline(meta.published)} IST"
    divider = '<span class="list-divider"> | </span>'
    return f'<div class="m-b-10 m-t-10">{divider.join([*parts, f"<span>{times}</span>"])}\n</div>'


def _figure(article: Article, base: str, page_image: str) -> str:
    meta = article.meta
    if meta.kind == "video":
        return (
            '<video id="my-video" class="video-js center-block" controls preload="auto"'
            f' width="640" height="360" poster="{page_image}&format=jpeg">'
            f'<source src="/api/MediaStream/GetVideoContent/{meta.article_id}" type="video/mp4" />'
            "</video>"
        )
    if article.image_url is None:
        return (
            f'<figure class="hidden figure"> <img src="{base}/images/newstheme.jpg"'
            f' class="img-responsive m-b-10" alt="{enc(article.title)}" />'
            f' <figcaption class="fig-caption">{enc(article.title)}</figcaption> </figure>'
        )
    caption = enc(article.caption or "")
    if article.credit:
        caption += f" Image Credit: {enc(article.credit)}"
    return (
        f'<figure class="figure"> <picture> <source srcset="{page_image}&amp;format=webp"'
        f' type="image/webp"> <source srcset="{page_image}&amp;format=jpeg" type="image/jpeg">'
        f' <img data-src="{article.image_url}" src="{article.image_url}"'
        f' class="img-responsive lazyload" alt="{enc(article.title)}" /> </picture>'
        f' <figcaption class="fig-caption">{caption}</figcaption> </figure>'
    )


def render_article(
    article: Article,
    base: str,
    *,
    bot: bool,
    amp: bool,
    layout: str = "v1",
    latest: Sequence[Article],
    trending: Sequence[Article],
    blogs: Sequence[Article],
) -> bytes:
    """One article page as the site serves it to this client."""
    meta = article.meta
    canonical = base + article.path
    if article.image_url is not None:
        page_image = f"{base}/remote.axd?{article.image_url}?width=920"
    else:
        page_image = f"{base}?width=920"
    title = f"{article.title} | {label_title(meta.label)}"
    keywords = enc(", ".join(article.tags[:15]))
    description = enc(description_of(article))
    published = MIN_VALUE_DATE if article.case == "malformed_time" else ist_iso(meta.published)
    dates = f'<meta itemprop="datePublished" content="{published}">\n'
    if article.updated is not None:
        dates += f'<meta itemprop="dateModified" content="{ist_iso(article.updated)}">\n'
    elif article.case == "malformed_time":
        dates += f'<meta itemprop="dateModified" content="{MIN_VALUE_DATE}">\n'
    head = (
        f"<title>{enc(title)}</title>\n"
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />\n'
        '<meta name="robots" content="index, follow, noodp, noydir" />\n'
        f'<meta name="description" content="{description}" />\n'
        f'<meta name="keywords" content="{keywords}" />\n'
        f'<link rel="amphtml" href="{canonical}?amp" />\n'
        f'<link rel="canonical" href="{canonical}" />\n'
        f'<meta name="news_keywords" content="{keywords}" />\n'
        f'<meta itemprop="name" content="{enc(title)}" />\n'
        f'<meta itemprop="description" content="{description}" />\n'
        f'<meta itemprop="image" content="{page_image}&amp;format=jpeg" />\n'
        '<meta name="twitter:card" content="summary_large_image" />\n'
        f'<meta property="og:url" content="{canonical}" />\n'
        '<meta property="og:type" content="article" />\n'
        f'<meta property="og:title" content="{enc(title)}" />\n'
        f'<meta property="og:description" content="{description}" />\n'
        f'<meta property="og:image" itemprop="image" content="{page_image}&amp;format=jpeg" />\n'
        '<meta property="og:site_name" content="Devdiscourse" />\n'
        f'<meta name="article:author" content="{enc(meta.agency)}" />\n'
        f"{dates}"
    )
    if amp:
        body = (
            f'<article class="amp"><h1 class="title">{enc(article.title)}</h1>'
            f'<section class="article-cont">{_body_paragraphs(article, bot=True)}</section></article>'
        )
        return _page(head, body, base)
    crumb_2 = "News" if meta.kind != "blog" else ("Opinion" if article.opinion else "Blog")
    crumb_2_href = "/news" if meta.kind != "blog" else "/blogs"
    sector_name = words.SECTOR_NAMES[meta.sector]
    breadcrumb = (
        '<ul class="breadcrumb breadcrumb_new m-t-20" itemscope'
        ' itemtype="http://schema.org/BreadcrumbList">'
        '<li itemprop="itemListElement" itemscope="" itemtype="http://schema.org/ListItem">'
        ' <a href="/" target="_top" itemprop="item"><span itemprop="name">Home</span></a>'
        ' <meta itemprop="position" content="1" /> </li>'
        '<li itemprop="itemListElement" itemscope="" itemtype="http://schema.org/ListItem">'
        f' <a href="{crumb_2_href}" target="_top" itemprop="item"><span itemprop="name">{crumb_2}'
        '</span></a> <meta itemprop="position" content="2" /> </li>'
        '<li itemprop="itemListElement" itemscope="" itemtype="http://schema.org/ListItem">'
        f' <a href="/news/{meta.sector}" target="_top" itemprop="item"><span itemprop="name">'
        f'{enc(sector_name)}</span></a> <meta itemprop="position" content="3" /> </li>'
        '<li class="active">Article</li></ul>'
    )
    subtitle = f'<h2 class="sub-title">{enc(article.subtitle)}</h2>' if article.subtitle else ""
    countries = ""
    if article.countries:
        items = "".join(f'<li class="fg-orange">{enc(c)}</li>' for c in article.countries)
        countries = f'<ul class="list-inline no-margin pull-left l-h-28"><li>Country:</li>{items}</ul>'
    share = (
        '<ul class="list-inline no-margin share-button-list"><li class="l-h-28">SHARE</li>'
        '<li> <a class="social-btn" aria-label="Share on Facebook" href="javascript:void(0);"'
        f" onclick=\"window.open('https://www.facebook.com/sharer/sharer.php?u={canonical}')\">"
        '<span class="fa fa-facebook fb"></span></a> </li>'
        '<li> <a class="social-btn" aria-label="Share on Twitter" href="javascript:void(0);"'
        f" onclick=\"window.open('http://twitter.com/share?url={canonical}')\">"
        '<span class="fa fa-twitter tw"></span></a> </li></ul>'
    )
    tags = ""
    if article.tags and not bot:
        links = "".join(
            f'<li> <a href="/news?tag={enc(article.title)}" class="tag">{enc(t)}</a>\n</li>'
            for t in article.tags
        )
        tags = (
            '<section>\n<ul class="list-inline">\n<li class="f-18">READ MORE ON:</li>\n'
            f"{links}</ul>\n</section>\n"
        )
    first_published = ""
    if meta.kind == "blog":
        first_published = (
            '<section class="m-t-30"><ul class="list-inline"> <li class="f-18">FIRST PUBLISHED IN:'
            f'</li><li> <span class="badge tag" style="color:#fff">{enc(meta.agency)}</span> </li>'
            "</ul></section>"
        )
    jsonld = "" if article.case == "no_jsonld" else _jsonld(article, canonical, page_image)
    body = (
        f"{jsonld}"
        '<div class="container full-width mt-minus-30"></div><div class="container">'
        f"{breadcrumb}"
        '<div class="row"><div class="col-md-8"><article>\n'
        f'<h1 class="title">{enc(article.title)}</h1> {subtitle}<hr class="seperator" />\n'
        f"{_byline(article)}{_figure(article, base, page_image)}"
        f'<section class="left-section clearfix">{countries}{share}</section>'
        f' <hr class="seperator m-b-20" /> {BODY_OPEN[layout]}\n'
        f"{_body_paragraphs(article, bot)}{BODY_CLOSE[layout]}\n{tags}{first_published}"
        '<button class="btn btn-default btn-lg btn-block"> POST / READ COMMENTS </button>'
        "</article></div>"
        f"{_sidebar(latest, trending, blogs)}</div></div>"
    )
    page = _page(head, body, base)
    if article.case == "truncated_html":
        cut = page.index(b"</p>", page.index(BODY_OPEN[layout].encode())) + 20
        page = page[:cut]
    return page


# -- listings ----------------------------------------------------------------
def render_cards(entries: Iterable[tuple[Article, str]], now: datetime) -> str:
    """Listing cards (``getNewsItems``): (article, href) per card."""
    out = []
    for article, href in entries:
        meta = article.meta
        country = article.countries[0] if article.countries else "Global"
        out.append(
            f'<a href="{href}" class="text-decoration">\n'
            '<div class="m-b-30 col-md-12"><div class="row"><div class="col-md-5 col-sm-4">'
            f'<div class="bg-gray cover-img lazy" data-src="/images/{meta.article_id}.jpg'
            '?width=295&amp;height=160&amp;mode=crop&amp;format=jpeg"></div></div>'
            '<div class="col-md-7 col-sm-8 p-l-0">'
            f'<div class="text-uppercase country-sub">{enc(country)}</div>'
            f'<h3 class="title-sub">{enc(article.title)}</h3>'
            f'<h5 class="no-margin font-oswald fg-black">{time_ago(meta.published, now)}</h5>'
            "</div></div></div>\n</a>\n"
        )
    return "".join(out)


def render_listing(name: str, cards: str, base: str, canonical_path: str) -> bytes:
    head = (
        f"<title>{enc(name)} | Devdiscourse</title>\n"
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />\n'
        f'<meta name="description" content="Latest {enc(name)} news on Devdiscourse" />\n'
        f'<link rel="canonical" href="{base}{canonical_path}" />\n'
        '<meta property="og:type" content="website" />'
    )
    body = (
        f'<div class="container"><h1 class="section-title">{enc(name)}</h1>'
        f'<div id="newsContainer" class="row">\n{cards}</div>'
        '<div class="text-center"><img src="/images/loader.gif" id="loader" alt="loading" /></div>'
        "</div>"
    )
    return _page(head, body, base)


def render_home(latest: Sequence[Article], base: str, edition: str | None) -> bytes:
    head = (
        "<title>Devdiscourse: International Development News</title>\n"
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />\n'
        '<meta name="description" content="Development news from around the world" />\n'
        f'<link rel="canonical" href="{base}/{edition or ""}" />\n'
        '<meta property="og:type" content="website" />'
    )
    top = "".join(
        f'<div class="col-md-6"><a href="{a.path}" class="text-decoration">'
        f'<h3 class="title-sub">{enc(a.title)}</h3></a></div>'
        for a in latest[:4]
    )
    body = (
        f'<div class="container"><div class="row">{top}</div>'
        '<section class="clearfix m-t-10"> <h2 class="section-title3"> <span>Latest News</span>'
        f' </h2> <ul class="ar-ul">{_article_links(latest)}</ul></section></div>'
    )
    return _page(head, body, base)


def render_not_found(base: str) -> bytes:
    head = "<title>Page not found | Devdiscourse</title>"
    return _page(head, '<div class="container"><h1>404 - Page not found</h1></div>', base)


# -- machine-readable --------------------------------------------------------
def render_robots(base: str) -> bytes:
    return (
        "User-agent: *\n"
        "Disallow: /Account/\n"
        "Disallow: /admin/\n"
        "Disallow: /Home/AdvancedSearch\n"
        "Disallow: /news-analysis\n"
        "Disallow: /*?amp\n"
        "\n"
        f"Sitemap: {base}/sitemap.xml\n"
        f"Sitemap: {base}/sitemap/googlenews.xml\n"
    ).encode()


def render_sitemap(base: str, paths: Iterable[str]) -> bytes:
    urls = "".join(f"<url><loc>{base}{p}</loc><changefreq>hourly</changefreq></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    ).encode()


def render_news_sitemap(base: str, articles: Iterable[Article]) -> bytes:
    urls = "".join(
        f"<url><loc>{base}{a.path}</loc><news:news><news:publication><news:name>Devdiscourse"
        "</news:name><news:language>en</news:language></news:publication>"
        f"<news:publication_date>{ist_iso(a.meta.published)}</news:publication_date>"
        f"<news:title>{html.escape(a.title)}</news:title>"
        f"<news:keywords>{html.escape(', '.join(a.tags))}</news:keywords></news:news></url>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"{urls}</urlset>\n"
    ).encode()


def render_rss(base: str, articles: Iterable[Article]) -> bytes:
    items = "".join(
        f"<item><title>{html.escape(a.title)}</title><link>{base}{a.path}</link>"
        f'<guid isPermaLink="true">{base}{a.path}</guid>'
        f"<pubDate>{format_datetime(a.meta.published)}</pubDate>"
        f"<description>{html.escape(description_of(a))}</description></item>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
        f"<title>Devdiscourse News</title><link>{base}/</link>"
        f"<description>International development news</description>{items}</channel></rss>\n"
    ).encode()
