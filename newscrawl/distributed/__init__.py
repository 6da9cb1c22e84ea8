"""Several workers on one shared frontier (scrapy-redis): see :mod:`newscrawl.distributed.addon`."""
