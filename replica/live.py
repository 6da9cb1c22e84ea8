"""Live blogs (Live Discourse): another id space, another template, their own sitemap.

On the site (``Controllers/.../LivediscourseController``, ``Views/Article/Mobile.cshtml``,
``RSSController.Livediscourse``) a live blog is a parent record with posts as
children, served at ``/live-discourse/{id}-{slug}`` (ids in the thousands, real
404s for unknown ones) by the mobile template: ``em.live``, ``h1.title``,
``h2.subtitle``, a ``news-meta`` byline with Updated and Created, no JSON-LD and no
amphtml. ``/RSS/Livediscourse`` lists the posts (``{parent url}#post_{id}``) in
the Google News sitemap shape, newest parent ModifiedOn first, at most 300.

Here one live blog opens beside every 50th article (offset 25) and gets a post
every 2 articles after, up to 6. The crawler leaves them out of its feed (not
news-wire articles, and their ids overlap article ids); the replica serves them
so that it answers every route the site has.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from replica import words
from replica.corpus import _digest, _paragraph, _title, slugify
from replica.pages import _cdata, _page, enc, ist_byline, ist_iso

if TYPE_CHECKING:
    from datetime import datetime

    from replica.corpus import Corpus

LIVE_EVERY, LIVE_OFFSET = 50, 25
LIVE_BASE_ID = 9_000  # live blogs' own id space
POST_BASE_ID = 100_000
POSTS_MAX, ARTICLES_PER_POST = 6, 2
MAX_IN_SITEMAP = 300


@dataclass(frozen=True)
class Post:
    post_id: int
    published: datetime
    text: str


@dataclass(frozen=True)
class LiveBlog:
    live_id: int
    title: str
    subtitle: str
    city: str
    published: datetime
    posts: tuple[Post, ...]

    @property
    def path(self) -> str:
        return f"/live-discourse/{self.live_id}-{slugify(self.title)}"

    @property
    def modified(self) -> datetime:
        return self.posts[-1].published if self.posts else self.published


def live_blogs(corpus: Corpus) -> list[LiveBlog]:
    """The live blogs of a site of this size, oldest first (each as far as its posts go)."""
    out = []
    for k, anchor in enumerate(range(LIVE_OFFSET, corpus.size, LIVE_EVERY)):
        rng = random.Random(int.from_bytes(_digest(corpus.seed, anchor), "big") ^ 0x11FE)
        start = corpus.metas[anchor].published + timedelta(minutes=5)
        shown = min(POSTS_MAX, 1 + (corpus.size - 1 - anchor) // ARTICLES_PER_POST)
        posts = tuple(
            Post(POST_BASE_ID + 10 * k + n, start + timedelta(hours=ARTICLES_PER_POST * n), _paragraph(rng))
            for n in range(shown)
        )
        title = f"LIVE: {_title(rng)}"
        out.append(
            LiveBlog(LIVE_BASE_ID + k, title, _paragraph(rng)[:120], rng.choice(words.CITIES), start, posts)
        )
    return out


def render_live_blog(blog: LiveBlog, base: str) -> bytes:
    """The mobile template's page: no JSON-LD, no amphtml, the posts newest first."""
    canonical = base + blog.path
    head = (
        f"<title>{enc(blog.title)} | Live Discourse</title>\n"
        '<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />\n'
        f'<meta name="description" content="{enc(blog.subtitle)}" />\n'
        f'<link rel="canonical" href="{canonical}" />\n'
        f'<meta property="og:url" content="{canonical}" />\n'
        '<meta property="og:type" content="article" />'
    )
    posts = "".join(
        f'<div class="live-post" id="post_{post.post_id}"><span class="post-time">{ist_byline(post.published)} IST'
        f"</span><p>{enc(post.text)}</p></div>\n"
        for post in reversed(blog.posts)
    )
    body = (
        '<div class="container"><ul class="breadcrumb breadcrumb_new"><li><a href="/">Home</a></li>'
        '<li><a href="/live-discourse">Live Blogs</a></li><li class="active">Article</li></ul>'
        '<div class="row all-row"><div class="col-xs-12 col-md-8"><div class="clearfix">'
        '<em class="live">LIVE</em><article>'
        f'<h1 class="title">{enc(blog.title)} </h1><h2 class="subtitle"> {enc(blog.subtitle)}</h2>'
        '<hr class="hrcss" /><div class="news-meta clearfix">'
        '<a href="/devdiscourse-stories/">Devdiscourse News Desk</a><span class="meta-divider"></span>'
        f'<span class="text-capitalize">{enc(blog.city.lower())}</span><div class="news-date">'
        f'<span>Updated: {ist_byline(blog.modified)} IST</span><span class="meta-divider"></span>'
        f"<span>Created: {ist_byline(blog.published)} IST</span></div></div>"
        f'<section class="article-cont">{posts}</section></article></div></div></div></div>'
    )
    return _page(head, body, base)


def render_live_sitemap(base: str, blogs: list[LiveBlog], since: datetime) -> bytes:
    """``/RSS/Livediscourse``: the posts of live blogs, as the article sitemap writes it."""
    rows = []
    for blog in sorted(blogs, key=lambda b: b.modified, reverse=True):
        for post in blog.posts:
            if post.published > since:
                rows.append((blog, post))
    out = [
        '<?xml version="1.0" encoding="utf-16"?>\n'
        '<urlset xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml" xmlns:image="http://www.google.com/schemas/sitemap-image/1.1"'
        ' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    ]
    for blog, post in rows[:MAX_IN_SITEMAP]:
        out.append(
            f"  <url>\n    <loc>{base}{blog.path}#post_{post.post_id}</loc>\n    <news:news>\n"
            "      <news:publication>\n        <news:name>Devdiscourse</news:name>\n"
            "        <news:language>en</news:language>\n      </news:publication>\n"
            f"      <news:publication_date>{ist_iso(post.published)}</news:publication_date>\n"
            f"      <news:title>{_cdata(blog.title)}</news:title>\n    </news:news>\n"
            f"    <lastmod>{ist_iso(post.published)}</lastmod>\n  </url>\n"
        )
    out.append("</urlset>")
    return "".join(out).encode()
