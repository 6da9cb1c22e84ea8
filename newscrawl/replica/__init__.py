"""Offline replica of devdiscourse.com: test equipment, served over real HTTP.

No machine of this project reaches the live site, so tests, the offline demo
and the benchmarks crawl this stand-in on loopback. The crawler never depends
on it: everything it models comes from what is known of the real site.

Fidelity sources
    ``SITE.md`` of the project's research notes (URL families, markup, head
    meta, JSON-LD, bot behaviour), the public ASP.NET port of the site
    ``nitinr89/DevDiscourse`` (article, layout, listing-card and latest-news
    templates, read element by element; our templates are our own), and the
    text of one real article page, which is the seed story here.

Determinism and growth
    The same ``--articles N --seed S`` give byte-identical pages. Article ``i``
    depends only on the seed and ``i``, so growing N adds newer articles (higher
    ids, later times, at the top of listings) and leaves older article pages
    unchanged: N=500 then N=530 is 30 articles published between two runs.

Cases a crawler must get right (every block of 100 articles, so all at N>=200;
see :data:`newscrawl.replica.corpus.CASES`)
    * one article linked under two labels, with another slug, ``utm_*`` query
      and a ``#fragment`` (offset 40), and through ``/article/agency-wire/``
      which answers 301 (offset 95);
    * a PTI story re-syndicated by ANI under a new id, same headline and body
      (10 and 13): one story;
    * Reuters wire revisions ``X``, ``UPDATE 1-X``, ``UPDATE 2-X`` with new
      ids, later times and edited bodies (20, 24, 29): revisions of one story;
    * ``Reuters World News Summary`` every day with a new body (30): distinct
      stories, never merged;
    * damaged pages: no Updated time (50), malformed times with .NET
      ``0001-01-01`` meta (55), no figure (60), empty body (65, dropped), no
      JSON-LD (70), truncated HTML (75, dropped), 500 paragraphs (80);
    * titles with `` - `` (85), non-ASCII (86) and HTML entities (87).

Site behaviours
    Any slug after the id serves the article; unknown ids answer 404;
    ``?amp`` serves the AMP variant; a User-Agent containing "bot" gets no
    disclaimer and no tag list; ``/robots.txt`` disallows ``/news-analysis``,
    ``/Account/``, ``/admin/``, search and AMP; ``/sitemap.xml``,
    ``/sitemap/googlenews.xml`` (last 2 days) and ``/rss/website``. Listings
    page through ``/Home/GetNewsItems?...&page=N&label=|sector=|cat=`` with
    20 cards a page; an empty fragment ends them.

Ground truth: see :mod:`newscrawl.replica.truth`.
"""

from __future__ import annotations

from newscrawl.replica.app import ReplicaApp
from newscrawl.replica.corpus import CASES, Corpus

__all__ = ["CASES", "Corpus", "ReplicaApp"]
