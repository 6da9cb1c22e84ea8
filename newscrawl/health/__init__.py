"""Whether a run went well, and how it is told.

* :mod:`~.stats`: every stat name (no other module spells one);
* :mod:`~.monitors`: the Spidermon suite run when the spider closes, with
  :mod:`~.coverage` (field coverage) and :mod:`~.actions` (record the
  verdicts, write the report);
* :mod:`~.report`: the per-run HTML report; :mod:`~.exportstats` counts
  what its charts draw;
* :mod:`~.verdict`: the run's health from its stats, the cron exit status.
"""
