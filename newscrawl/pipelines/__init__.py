"""Item pipelines, in the order items pass them (see ``ITEM_PIPELINES``).

* :mod:`~.validation`: required fields, then the feed's JSON Schema;
* :mod:`~.dedupe`: by article id, by headline and body, revision-aware;
* :mod:`~.feed`: the run's JSON Lines feed, fsynced in batches, published by
  rename; :mod:`~.feedrecovery` publishes what a killed run left.
"""
