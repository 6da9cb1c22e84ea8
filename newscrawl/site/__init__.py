"""What newscrawl knows of devdiscourse.com, apart from Scrapy's machinery.

* :mod:`~newscrawl.site.routes`: the taxonomy (labels, sectors, editions) and
  the 2026 routes the crawl asks for;
* :mod:`~newscrawl.site.urls`: article URL identity (the numeric id) and the
  request fingerprinter built on it;
* :mod:`~newscrawl.site.indexes`: parsers of the site's indexes (the news
  sitemap, the archive and sector JSON APIs);
* :mod:`~newscrawl.site.extract`, :mod:`~newscrawl.site.loaders`,
  :mod:`~newscrawl.site.jsonld`: an article page to an item;
* :mod:`~newscrawl.site.layout`: where the site's layout prints the article
  view (searched before the whole page);
* :mod:`~newscrawl.site.timeparse`, :mod:`~newscrawl.site.headlines`: the
  site's times and wire headlines.

Nothing here imports Scrapy's engine or the run's state: these modules are
pure functions over pages and strings, tested with golden files.
"""
