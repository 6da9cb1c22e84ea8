"""HTML, JSON and XML of the replica, element for element after the 2026 site's code.

Our own templates, written from what the site's code at HEAD renders
(``Views/Article/Index.cshtml``, ``Views/Shared/_Layout.cshtml``,
``Views/Home/getNewsItems.cshtml``, ``Controllers/RSSController.cs``,
``Controllers/API/SearchApiController.cs``; see ``docs/SITE.md``): the head
meta, the two JSON-LD blocks (the NewsArticle one never valid JSON: its
``description`` is written without quotes), ``ul.article-breadcrumb``, the
``div.metadata`` byline, the ``/img?imageUrl=`` figure, the country list, the
Key Takeaways card (non-bots), ``section.article-cont``, the tag list and the
sidebar blocks; listing cards; the archive and sector JSON APIs; the Google
News sitemap that declares ``utf-16`` on UTF-8 bytes. Like Razor, values are
HTML-encoded (``+`` as ``&#x2B;``, non-ASCII as ``&#x..;``), inside JSON-LD
too, while the body is stored HTML written out raw.
"""

from __future__ import annotations

import html
import json
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from replica import words

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from replica.corpus import Article

IST = timezone(timedelta(hours=5, minutes=30))
SITE_URL = "https://www.devdiscourse.com"  # what the site's templates hard-code
SYNDICATED_DISCLAIMER = (
    "(This story has not been edited by Devdiscourse staff and is auto-generated from a syndicated feed.)"
)
DESK_DISCLAIMER = "(With inputs from agencies.)"
# Where the body sits: "v1" as on the site; "v2" a redesign that moves it (for health tests).
LAYOUTS = ("v1", "v2")
BODY_OPEN = {"v1": '<section class="article-cont">', "v2": '<div class="story-body" itemprop="articleBody">'}
BODY_CLOSE = {"v1": "</section>", "v2": "</div>"}
MIN_VALUE_DATE = "0001-01-01T00:00:00+05:30"  # .NET DateTime.MinValue, seen on broken pages
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
_FIRST_PARAGRAPH_RE = re.compile(r"<p>\s*(.+?)\s*</p>")
_NOT_DESCRIPTION_RE = re.compile(r"[^A-Za-z0-9\s-]")


def enc(text: str) -> str:
    """Razor's HTML encoding: markup characters, ``+``, and everything non-ASCII.

    >>> enc("Café +05:30 & 'x'")
    'Caf&#xE9; &#x2B;05:30 &amp; &#x27;x&#x27;'
    """
    escaped = html.escape(text).replace("+", "&#x2B;")
    return _NON_ASCII_RE.sub(lambda m: f"&#x{ord(m.group()):X};", escaped)


def raw(text: str) -> str:
    """Stored body HTML: markup characters escaped, UTF-8 kept."""
    return html.escape(text, quote=False)


def ist_iso(moment: datetime) -> str:
    return moment.astimezone(IST).strftime("%Y-%m-%dT%H:%M:%S+05:30")


def ist_byline(moment: datetime) -> str:
    return moment.astimezone(IST).strftime("%d-%m-%Y %H:%M")


def utc_json(moment: datetime) -> str:
    """A UTC time as the JSON APIs print it: no zone suffix."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def label_title(label: str) -> str:
    return label.title()


def time_ago(moment: datetime, now: datetime) -> str:
    """The cards' ``TimeAgo()``: "About 3 hours ago", "Yesterday", "05 January 2020"."""
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 3600:
        minutes = max(1, seconds // 60)
        return f"About {minutes} minute{'s' if minutes != 1 else ''} ago"
    if seconds < 86400:
        hours = seconds // 3600
        return f"About {hours} hour{'s' if hours != 1 else ''} ago"
    if seconds < 2 * 86400:
        return "Yesterday"
    return moment.astimezone(IST).strftime("%d %B %Y")


def city_text(city: str) -> str:
    """The byline's dateline, title-cased as the template does."""
    if "washington" in city.lower():
        return "Washington DC"
    return city.lower().title()


def description_of(article: Article) -> str:
    return article.subtitle or f"Read more about {article.title} on Devdiscourse"


def page_image(article: Article) -> str:
    """The template's ``newsImage``: the stored image through ``/img?imageUrl=`` (relative)."""
    stored = article.stored_image_url or ""
    if "devdiscourse.blob.core.windows.net" in stored:
        return f"/img?imageUrl={stored}&width=920"
    return f"/img?imageUrl={SITE_URL}{stored}&width=920"


def article_guid(article: Article) -> str:
    """The record's Guid key (``id`` in the archive API), stable per article."""
    return str(uuid.UUID(bytes=article.article_id.to_bytes(16, "big")))


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
        f'<li><a href="{path}">{enc(name)}</a></li>' for name, path in words.BYLINE_LINKS.items()
    )
    editions = "".join(f'<li><a href="/{slug}">{enc(name)}</a></li>' for slug, name in words.EDITIONS.items())
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
        f'<div class="media"><a href="{a.path}" class="text-decoration">'
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
        '<section class="clearfix m-t-10"> <h2 class="section-title3">'
        f" <span>OPINION / BLOG / INTERVIEW</span> </h2> {opinion}</section>"
        '<section class="m-t-10" id="video_section"> <h2 class="section-title3"> <span>DevShots</span>'
        " </h2> </section>"
        '<section class="clearfix m-t-10"> <h2 class="section-title3"> <span>Latest News</span>'
        f' </h2> <ul class="ar-ul">{_article_links(latest)}</ul></section></div>'
    )


def _stored_body(article: Article) -> str:
    """The article's stored HTML (``Description``): paragraphs, some inline markup."""
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
    return "".join(f"<p>{p}</p>\n" for p in paragraphs)


def _body(article: Article, bot: bool) -> str:
    out = _stored_body(article)
    if not bot:
        if article.syndicated:
            out += f"<p>{SYNDICATED_DISCLAIMER}</p>\n"
        elif article.meta.agency == "Devdiscourse News Desk":
            out += f"<p>{DESK_DISCLAIMER}</p>\n"
    return out


def _jsonld_description(stored_html: str) -> str:
    """``GetFirstParagraph``: the first ``<p>``'s inner HTML cut to ``[A-Za-z0-9\\s-]``."""
    text = stored_html.replace("&nbsp;", " ")
    match = _FIRST_PARAGRAPH_RE.search(text)
    return _NOT_DESCRIPTION_RE.sub("", match.group(1) if match else text)


def _jsonld(article: Article, base: str, canonical: str, published: str, modified: str) -> str:
    """The two JSON-LD blocks; the first is never valid JSON (unquoted description)."""
    meta = article.meta
    headline = f"{article.title} | {label_title(meta.label)}"
    if article.opinion:
        headline = "Opinion: " + headline
    author = article.author or meta.agency
    news = (
        '<script type="application/ld+json">\n    {\n    "@context": "http://schema.org",\n'
        '    "@type": "NewsArticle",\n    "mainEntityOfPage":{\n    "@type":"WebPage",\n'
        f'    "@id":"{enc(canonical)}"\n    }},\n    "headline": "{enc(headline)}",\n    "image": {{\n'
        '    "@context": "http://schema.org", "@type": "ImageObject", "width": "100px", "height": "100px",'
        f' "url": "{enc(page_image(article))}"\n    }},\n'
        f'    "datePublished": "{enc(published)}",\n'
        + ("" if article.case == "no_updated_time" else f'    "dateModified": "{enc(modified)}",\n')
        + f'    "author": {{\n    "@type": "Person",\n    "name": "{enc(author)}"\n    }},\n'
        '    "publisher": {\n    "@type": "Organization",\n    "name": "Devdiscourse",\n'
        '    "logo": {\n    "@type": "ImageObject",\n'
        f'    "url": "{SITE_URL}/AdminFiles/Logo/devdiscourse_news.png"\n    }}\n    }},\n'
        f'    "description": {_jsonld_description(_stored_body(article))}\n    }}\n</script>\n'
    )
    crumbs: list[dict[str, Any]] = [
        {"name": "Home", "item": base},
        {"name": "News", "item": f"{base}/news"}
        if meta.kind != "blog"
        else {"name": "Opinion" if article.opinion else "Blog", "item": f"{base}/blogs"},
        {"name": words.SECTOR_NAMES[meta.sector], "item": f"{base}/news/{meta.sector}"},
    ]
    items = "".join(
        f'{{"@type": "ListItem", "position": {n}, "name": "{enc(c["name"])}", "item": "{enc(c["item"])}"}},'
        for n, c in enumerate(crumbs, 1)
    )
    # The title's quotes become \" and then &quot;: "\&quot;" is no valid JSON escape either.
    last = enc(article.title.replace('"', '\\"'))
    breadcrumb = (
        '<script type="application/ld+json">\n{"@context": "https://schema.org", "@type": "BreadcrumbList",'
        f' "itemListElement": [{items}{{"@type": "ListItem", "position": 4, "name": "{last}"}}]}}\n</script>\n'
    )
    out = news + breadcrumb
    if meta.kind == "video":
        out += (
            '<script type="application/ld+json">\n{"@context":"https://schema.org/","@type":"VideoObject",'
            f'"name":"{enc(headline)}","@id":"{enc(canonical)}","datePublished":"{enc(published)}",'
            f'"description":{_jsonld_description(_stored_body(article))},'
            f'"thumbnailURL":"{enc(page_image(article))}&amp;height=518&amp;mode=crop&amp;anchor=center&amp;format=jpeg",'
            f'"uploadDate":"{enc(published)}","contentUrl":"/AdminFiles/Videos/{meta.article_id}.mp4",'
            '"author":{"@type":"Person","name":"Devdiscourse News Desk"}}\n</script>\n'
        )
    return out


def _byline(article: Article) -> str:
    meta = article.meta
    divider = '<span class="list-divider"> | </span>'
    out = '<div class="metadata clearfix m-b-10 m-t-10">\n'
    if meta.kind != "blog":
        out += f'<span><a href="{words.BYLINE_LINKS.get(meta.agency, "#")}">{enc(meta.agency)}</a></span>{divider}'
    elif article.author:
        avatar = f"/img?imageUrl={SITE_URL}/AdminFiles/Logo/img_avatar.png&width=30&height=30&mode=crop"
        out += (
            f'<a href="/Home/AuthorArticles?fl={enc(article.author)}">'
            f'<img class="img-circle author-avatar" src="{enc(avatar)}" alt="{enc(article.author)}" />'
            f"{enc(article.author)}\n</a> {divider}"
        )
    if article.city:
        out += f'<span class="text-capitalize">{enc(city_text(article.city))}</span>{divider}'
    if article.case == "malformed_time":
        times = "Updated: 3l-O1-2O20 2x:59 IST | Created: 1?-0l-2020 25:61 IST"
    elif article.updated is None:
        times = f"Created: {ist_byline(meta.published)} IST"
    else:
        times = f"Updated: {ist_byline(article.updated)} IST | Created: {ist_byline(meta.published)} IST"
    return out + f"<span>{times}</span>\n</div>"


def _figure(article: Article, base: str) -> str:
    meta = article.meta
    image = enc(page_image(article))
    if meta.kind == "video":
        return (
            '<video id="my-video" class="video-js center-block" controls preload="auto"'
            f' width="640" height="360" poster="{image}&amp;format=jpeg">'
            f'<source src="/api/MediaStream/GetVideoContent/{meta.article_id}" type="video/mp4" />'
            "</video>"
        )
    stored = article.stored_image_url
    if stored is None:
        return (
            f'<figure class="hidden figure"> <img src="{SITE_URL}/images/newstheme.jpg"'
            f' class="img-responsive m-b-10" alt="{enc(article.title)}" />'
            f' <figcaption class="fig-caption">{enc(article.title)}</figcaption> </figure>'
        )
    caption = enc(article.caption or "")
    if article.credit:
        caption += f" Image Credit: {enc(article.credit)}"
    return (
        f'<figure class="figure"> <picture> <source srcset="{image}&amp;format=webp"'
        f' type="image/webp"> <source srcset="{image}&amp;format=jpeg" type="image/jpeg">'
        f' <img data-src="{enc(stored)}" src="{enc(stored)}"'
        f' class="img-responsive lazyload" alt="{enc(article.title)}" /> </picture>'
        f' <figcaption class="fig-caption">{caption}</figcaption> </figure>'
    )


ADVERTISEMENT = '<div class="advertisement-area"> <div class="advertisement-title">Advertisement</div></div>'
AI_CARD = (
    '<div class="article-ai-card" id="articleAiCard" style="display:none;">'
    '<div class="article-ai-header"><div style="display:flex;align-items:center;gap:8px;">'
    '<h3 class="article-ai-title">Key Takeaways</h3><span class="article-ai-badge">AI Summary</span>'
    '</div></div><div class="article-ai-body" id="articleAiBody"><div class="article-ai-loading">'
    '<span class="article-ai-dot"></span><span style="margin-left:8px;">Analyzing article...</span>'
    '</div></div><div class="article-ai-footer" id="articleAiFooter" style="display:none;">'
    '<span class="article-ai-ts">Updated just now</span></div></div>'
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
    also_read: Sequence[Article] = (),
) -> bytes:
    """One article page as the site serves it to this client."""
    meta = article.meta
    canonical = base + article.path
    image = enc(page_image(article))
    title = f"{article.title} | {label_title(meta.label)}"
    keywords = enc(", ".join(article.tags[:15]))
    description = enc(description_of(article))
    published = MIN_VALUE_DATE if article.case == "malformed_time" else ist_iso(meta.published)
    modified = published if article.updated is None else ist_iso(article.updated)
    dates = f'<meta itemprop="datePublished" content="{enc(published)}">\n'
    if article.case != "no_updated_time":
        dates += f'<meta itemprop="dateModified" content="{enc(modified)}">\n'
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
        f'<meta itemprop="image" content="{image}&amp;format=jpeg" />\n'
        '<meta name="twitter:card" content="summary_large_image" />\n'
        f'<meta property="og:url" content="{canonical}" />\n'
        '<meta property="og:type" content="article" />\n'
        f'<meta property="og:title" content="{enc(title)}" />\n'
        f'<meta property="og:description" content="{description}" />\n'
        f'<meta property="og:image" itemprop="image" content="{image}&amp;format=jpeg" />\n'
        '<meta property="og:site_name" content="Devdiscourse" />\n'
        f'<meta name="article:author" content="{enc(meta.agency)}" />\n'
        f"{dates}"
    )
    if amp:
        body = (
            f'<article class="amp"><h1 class="title">{enc(article.title)}</h1>'
            f'<div class="meta">{enc(meta.agency)}</div>'
            f'<section class="article-cont">{_body(article, bot=True)}</section></article>'
        )
        return _page(head, body, base)
    crumb_2 = "News" if meta.kind != "blog" else ("Opinion" if article.opinion else "Blog")
    crumb_2_href = "/news" if meta.kind != "blog" else "/blogs"
    breadcrumb = (
        '<ul class="article-breadcrumb" itemscope itemtype="http://schema.org/BreadcrumbList">'
        '<li itemprop="itemListElement" itemscope="" itemtype="http://schema.org/ListItem">'
        ' <a href="/" target="_top" itemprop="item"><span itemprop="name">Home</span></a>'
        ' <meta itemprop="position" content="1" /> </li>'
        '<li itemprop="itemListElement" itemscope="" itemtype="http://schema.org/ListItem">'
        f' <a href="{crumb_2_href}" target="_top" itemprop="item"><span itemprop="name">{crumb_2}'
        '</span></a> <meta itemprop="position" content="2" /> </li>'
        '<li itemprop="itemListElement" itemscope="" itemtype="http://schema.org/ListItem">'
        f' <a href="/news/{meta.sector}" target="_top" itemprop="item"><span itemprop="name">'
        f'{enc(words.SECTOR_NAMES[meta.sector])}</span></a> <meta itemprop="position" content="3" /> </li>'
        '<li><span class="bc-current">Article</span></li></ul>'
    )
    subtitle = f'<h2 class="sub-title">{enc(article.subtitle)}</h2> ' if article.subtitle else ""
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
            f'<li> <a href="/news?tag={enc(t.replace(" ", "+"))}" class="tag">{enc(t)}</a>\n</li>'
            for t in article.tags[:20]
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
    also = ""
    if also_read:
        also = (
            '<div class="also-container"><h3 class="ar-title">ALSO READ</h3>'
            f'<ul class="ar-ul">{_article_links(also_read)}</ul></div>'
        )
    jsonld = "" if article.case == "no_jsonld" else _jsonld(article, base, canonical, published, modified)
    body = (
        f"{jsonld}"
        f'<div class="container full-width">{"" if bot else ADVERTISEMENT}</div><div class="container">'
        f"{breadcrumb}"
        '<div class="row"><div class="col-md-8"><article>\n'
        f'<h1 class="title">{enc(article.title)}</h1> {subtitle}'
        f"{_byline(article)}{_figure(article, base)}"
        f'<section class="left-section clearfix">{countries}{share}</section>'
        f' <hr class="seperator m-b-20" />\n{"" if bot else AI_CARD}\n{BODY_OPEN[layout]}\n'
        f"{_body(article, bot)}{BODY_CLOSE[layout]}\n{tags}{first_published}{also}"
        '<button class="btn btn-default btn-lg m-b-20 m-t-20 btn-block"> POST / READ COMMENTS </button>'
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
        country = article.countries[0] if article.countries else "Global"
        stored = article.stored_image_url or ""
        out.append(
            f'<a href="{href}" class="text-decoration">\n'
            '<div class="m-b-30 col-md-12"><div class="row"><div class="col-md-5 col-sm-4">'
            f'<div class="bg-gray cover-img lazy" data-src="{SITE_URL}/img?imageUrl={enc(stored)}'
            '&amp;width=295&amp;height=160&amp;mode=crop&amp;format=jpeg"></div></div>'
            '<div class="col-md-7 col-sm-8 p-l-0">'
            f'<div class="text-uppercase country-sub">{enc(country)}</div>'
            f'<h3 class="title-sub">{enc(article.title)}</h3>'
            f'<h5 class="no-margin font-oswald fg-black">{time_ago(article.modified, now)}</h5>'
            "</div></div></div>\n</a>\n"
        )
    return "".join(out)


def render_listing(name: str, cards: str, base: str, canonical_path: str, script: str = "") -> bytes:
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
        '<div class="text-center"><img src="/images/loader.gif" id="loading" alt="loading" /></div>'
        f"</div>{script}"
    )
    return _page(head, body, base)


def render_home(latest: Sequence[Article], base: str, edition: str | None, live: str | None = None) -> bytes:
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
    live_link = f'<a href="{live}" class="live-link"><em class="live">LIVE</em></a>' if live else ""
    body = (
        f'<div class="container">{live_link}<div class="row">{top}</div>'
        '<section class="clearfix m-t-10"> <h2 class="section-title3"> <span>Latest News</span>'
        f' </h2> <ul class="ar-ul">{_article_links(latest)}</ul></section></div>'
    )
    return _page(head, body, base)


def render_not_found(base: str) -> bytes:
    head = "<title>Page not found | Devdiscourse</title>"
    return _page(head, '<div class="container"><h1>404 - Page not found</h1></div>', base)


def render_error(base: str) -> bytes:
    """What the error handler route answers (it has no action): a bare 500 page."""
    return b"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>An error occurred.</h1></body></html>"


# -- JSON APIs ---------------------------------------------------------------
def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def render_archive_page(articles: Iterable[Article]) -> bytes:
    """``/api/Search/GetAllNews/{page}``: camelCase ``LatestNewsView`` rows."""
    return _json(
        [
            {
                "id": article_guid(a),
                "title": a.title,
                "createdOn": utc_json(a.meta.published),
                "imageUrl": a.stored_image_url,
                "newId": a.article_id,
                "label": a.meta.label,
                "country": ",".join(a.countries) or None,
            }
            for a in articles
        ]
    )


def render_sector_page(articles: Iterable[Article]) -> bytes:
    """``/api/Search/GetSectorNews/{sector}/{region}/{page}``: ``NewsViewModel`` rows."""
    return _json(
        [
            {
                "title": a.title,
                "createdOn": utc_json(a.modified),  # the API puts ModifiedOn here
                "imageUrl": a.stored_image_url,
                "subtitle": a.subtitle,
                "country": ",".join(a.countries) or None,
                "newsId": a.article_id,
                "sector": "Blog" if a.meta.kind == "blog" else "News",
                "subType": None,
                "label": a.meta.label,
                "ranking": 0,
            }
            for a in articles
        ]
    )


def sector_script(sector_id: int, region: str) -> str:
    """The sector page's infinite scroll: the JSON API's sector id and region."""
    return (
        "<script>\n"
        f"            var region = '{enc(region)}';\n            var sector = '{sector_id}';\n"
        "            var page = 0;\n"
        "            function loadNewsData() { $.ajax({ type: 'GET', url: '/api/Search/GetSectorNews/'"
        " + sector + '/' + region + '/' + page }); }\n</script>"
    )


# -- machine-readable --------------------------------------------------------
def render_robots(base: str) -> bytes:
    """A robots.txt for ``serve --robots`` (the site's code has none)."""
    return (
        b"User-agent: *\n"
        b"Disallow: /Account/\n"
        b"Disallow: /admin/\n"
        b"Disallow: /Home/AdvancedSearch\n"
        b"Disallow: /news-analysis\n"
        b"Disallow: /Home/GetBlogItems\n"
        b"Disallow: /*?amp\n"
    )


def render_sitemap(base: str, paths: Iterable[str]) -> bytes:
    urls = "".join(f"<url><loc>{base}{p}</loc><changefreq>hourly</changefreq></url>" for p in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    ).encode()


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def render_news_sitemap(base: str, articles: Iterable[Article]) -> bytes:
    """``/RSS/GoogleNews``: declares utf-16 (a StringBuilder's writer) but the bytes are UTF-8."""
    out = [
        '<?xml version="1.0" encoding="utf-16"?>\n'
        '<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'
        ' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    ]
    for a in articles:
        keywords = ", ".join(list(dict.fromkeys(a.tags))[:10])
        image = a.stored_image_url or ""
        image_url = f"{SITE_URL}/img?imageUrl={image if 'blob.core' in image else SITE_URL + image}&width=960"
        out.append(
            "  <url>\n"
            f"    <loc>{base}{a.path}</loc>\n"
            "    <news:news>\n      <news:publication>\n        <news:name>Devdiscourse</news:name>\n"
            "        <news:language>en</news:language>\n      </news:publication>\n"
            f"      <news:publication_date>{ist_iso(a.meta.published)}</news:publication_date>\n"
            f"      <news:title>{_cdata(a.title)}</news:title>\n"
            f"      <news:keywords>{html.escape(keywords, quote=False)}</news:keywords>\n"
            "    </news:news>\n"
            f"    <lastmod>{ist_iso(a.modified)}</lastmod>\n"
            f"    <image:image>\n      <image:loc>{_cdata(image_url)}</image:loc>\n    </image:image>\n"
            "  </url>\n"
        )
    out.append("</urlset>")
    return "".join(out).encode()
