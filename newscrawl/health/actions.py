"""Spidermon actions run after the close monitors: record the verdicts, write the report.

* :class:`RecordMonitorResults` stores the monitor verdicts in the stats:
  ``newscrawl/monitors/passed`` and ``newscrawl/monitors/failed`` (one
  "Monitor: reason" line each), what the run's verdict is read from;
* :class:`WriteHtmlReport` writes the run report
  (:func:`newscrawl.health.report.render_report`) next to the run's log
  (``LOG_FILE`` with ``.html``), or to ``NEWSCRAWL_REPORT_FILE``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spidermon.core.actions import Action

from newscrawl.files import run_stamp
from newscrawl.health import stats as names
from newscrawl.health.report import FAILED_STATUSES, render_report
from newscrawl.state.run import RunState

RESULTS_ATTRIBUTE = "_newscrawl_monitor_results"


def _message(error: str | None) -> str:
    if not error:
        return ""
    last = error.strip().splitlines()[-1]
    return last.split(": ", 1)[1] if last.startswith("AssertionError") and ": " in last else last


class RecordMonitorResults(Action):
    def run_action(self) -> None:
        crawler = self.data.crawler
        results = [
            {
                "monitor": r.monitor.monitor_name,
                "check": r.monitor.method_name,
                "description": r.monitor.monitor_description,
                "status": r.status,
                "message": _message(r.error),
            }
            for r in self.result.monitor_results
        ]
        failed = [f"{r['monitor']}: {r['message']}" for r in results if r["status"] in FAILED_STATUSES]
        crawler.stats.set_value(names.MONITORS_PASSED, len(results) - len(failed))
        crawler.stats.set_value(names.MONITORS_FAILED, failed)
        setattr(crawler, RESULTS_ATTRIBUTE, results)


def report_path(settings: Any, started: datetime, worker: str = "") -> Path:
    """``NEWSCRAWL_REPORT_FILE``, else the log's name with ``.html``, else ``<log dir>/<stamp>[-worker].html``.

    >>> from scrapy.settings import Settings
    >>> str(report_path(Settings({"NEWSCRAWL_LOG_DIR": "logs"}), datetime(2026, 5, 1, 10, tzinfo=UTC), "h-2"))
    'logs/2026-05-01T10-00-00Z-h-2.html'
    """
    explicit = settings.get("NEWSCRAWL_REPORT_FILE")
    if explicit:
        return Path(explicit)
    log_file = settings.get("LOG_FILE")
    if log_file:
        return Path(log_file).with_suffix(".html")
    tag = f"-{worker}" if worker else ""  # workers started in the same second: a report each
    return Path(settings.get("NEWSCRAWL_LOG_DIR")) / f"{run_stamp(started)}{tag}.html"


class WriteHtmlReport(Action):
    def run_action(self) -> None:
        crawler = self.data.crawler
        stats = dict(crawler.stats.get_stats())
        run = crawler.get_extension(RunState)
        started = run.started if run is not None else stats.get(names.START_TIME) or datetime.now(UTC)
        path = report_path(crawler.settings, started, run.worker_id if run is not None else "")
        path.parent.mkdir(parents=True, exist_ok=True)
        results = getattr(crawler, RESULTS_ATTRIBUTE, [])
        thresholds = {k: float(v) for k, v in crawler.settings.getdict("NEWSCRAWL_FIELD_COVERAGE").items()}
        min_items = crawler.settings.getint("NEWSCRAWL_COVERAGE_MIN_ITEMS")
        path.write_text(render_report(stats, results, thresholds, min_items), encoding="utf-8")
        crawler.stats.set_value(names.REPORT_PATH, str(path))
