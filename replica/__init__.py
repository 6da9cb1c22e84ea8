"""Offline replica of devdiscourse.com: test equipment, served over real HTTP.

No machine of this project reaches the live site, so tests, the offline demo
and the benchmarks crawl this stand-in on loopback. The crawler never depends
on it: everything it models comes from what is known of the real site.

Fidelity sources
    The site's own code (the public ASP.NET Core repository
    ``nitinr89/DevDiscourse`` at ``e196e8f``, 2026-04-23: article, layout and
    listing templates, the archive, sector and RSS controllers; read element by
    element, our templates are our own), summarised in ``docs/SITE.md``, and the
    text of one real article page, which is the seed story here.

Determinism and growth
    The same ``--articles N --seed S`` give byte-identical pages. Article ``i``
    depends only on the seed and ``i``, so growing N adds newer articles (higher
    ids, an hour apart, at the top of listings) and leaves older article pages
    unchanged, except those whose editors' update (or late approval) the growth
    passes: N=500 then N=530 is 30 articles published between two runs, and the
    updates editors made meanwhile. The site's clock follows its newest article,
    so the listings' windows (10, 30, 90 days) and the news sitemap's two days
    are fixed for a given N.

Cases a crawler must get right (every block of 100 articles, so all at N>=200;
see :data:`replica.corpus.CASES`)
    * one article linked under two labels, with another slug, ``utm_*`` query
      and a ``#fragment`` (offset 40), and through ``/article/agency-wire/``
      which answers 301 (offset 95);
    * a PTI story re-syndicated by ANI under a new id, same headline and body
      (10 and 13): one story;
    * Reuters wire revisions ``X``, ``UPDATE 1-X``, ``UPDATE 2-X`` with new
      ids, later times and edited bodies (20, 24, 29): revisions of one story;
    * ``Reuters World News Summary`` twice a block, 24 hours apart, with new
      bodies (30, 54): distinct stories, never merged;
    * damaged pages: no Updated time (50), malformed times with .NET
      ``0001-01-01`` meta (55), no figure (60), empty body (65, dropped), no
      JSON-LD (70), truncated HTML (75, dropped), 500 paragraphs (80);
    * titles with `` - `` (85), non-ASCII (86) and HTML entities (87);
    * an article approved late (97): its id is missing (500) until the site
      has 5 more articles;
    * editors' updates on about one plain news article in two, within 15 hours.

Site behaviours (2026)
    Any slug after the id serves the article, and so does ``/article/{id}``; a
    missing or unapproved id answers 500 (``--missing-status 404``); ``?amp``
    serves the AMP variant; a User-Agent containing "bot" gets no disclaimer,
    Key Takeaways card or tag list; label listings page through
    ``/Home/GetNewsItems?label=&region=&page=`` (10 days), ``/pti-stories``
    (30 days) and ``/devdiscourse-stories`` through ``?page=N``, sectors
    through ``/api/Search/GetSectorNews`` (90 days), the whole archive through
    ``/api/Search/GetAllNews/{page}`` (``--archive-api off``: 404);
    ``/RSS/GoogleNews`` lists the last two days with ``lastmod``;
    ``/sitemap.xml`` holds section pages only; ``/rss/website``, robots.txt
    (``--robots`` serves one) and the agency pages other than PTI's and the
    desk's answer 404.

Ground truth: see :mod:`replica.truth`.
"""

from __future__ import annotations

from replica.app import ReplicaApp
from replica.corpus import CASES, Corpus

__all__ = ["CASES", "Corpus", "ReplicaApp"]
