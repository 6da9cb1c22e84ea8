"""How the crawl finds every article: channels, the plan of a run, the id walk.

* :mod:`~.channels`: the discovery channels, and the extension that counts
  them and judges completeness;
* :mod:`~.plan`: what a run asks first (the news sitemap, or every listing);
* :mod:`~.idwalk`: the archive walked by article id when its API is broken;
* :mod:`~.listings`: the card listings the site pages;
* :mod:`~.idbits`: a compact set of ids.

The spider (:mod:`newscrawl.spiders.devdiscourse`) wires these to requests.
"""
