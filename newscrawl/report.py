"""The per-run HTML report and the stats it draws on.

* :class:`ExportStats` (an extension) counts exported articles by label and by
  hour of publication (UTC) into the stats.
* :class:`RecordMonitorResults` (a Spidermon action) stores the monitor
  verdicts in the stats: ``newscrawl/monitors/passed`` and
  ``newscrawl/monitors/failed`` (one "Monitor: reason" line each).
* :class:`WriteHtmlReport` (a Spidermon action) writes a self-contained HTML
  page next to the run's log (``LOG_FILE`` with ``.html``), or to
  ``NEWSCRAWL_REPORT_FILE``: verdicts, counts, field coverage, and inline SVG
  charts.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from spidermon import settings as spidermon_settings
from spidermon.core.actions import Action

from newscrawl.channels import CHANNELS
from newscrawl.channels import PREFIX as CHANNEL_PREFIX

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

FAILED_STATUSES = frozenset(spidermon_settings.MONITOR.STATUSES.ERROR)  # "FAIL", "ERROR"
RESULTS_ATTRIBUTE = "_newscrawl_monitor_results"
LABEL_PREFIX = "newscrawl/exported/label/"
HOUR_PREFIX = "newscrawl/exported/hour/"


class ExportStats:
    """Counts exported articles by label and by publication hour (UTC)."""

    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def item_scraped(self, item: Any) -> None:
        adapter = ItemAdapter(item)
        self.stats.inc_value(LABEL_PREFIX + str(adapter.get("label") or "(none)"))
        published = adapter.get("published_at")
        self.stats.inc_value(HOUR_PREFIX + (published[11:13] if published else "--"))


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
        crawler.stats.set_value("newscrawl/monitors/passed", len(results) - len(failed))
        crawler.stats.set_value("newscrawl/monitors/failed", failed)
        setattr(crawler, RESULTS_ATTRIBUTE, results)


def report_path(settings: Any, started: datetime) -> Path:
    explicit = settings.get("NEWSCRAWL_REPORT_FILE")
    if explicit:
        return Path(explicit)
    log_file = settings.get("LOG_FILE")
    if log_file:
        return Path(log_file).with_suffix(".html")
    return Path(settings.get("NEWSCRAWL_LOG_DIR", "logs")) / f"{started:%Y-%m-%dT%H-%M-%SZ}.html"


class WriteHtmlReport(Action):
    def run_action(self) -> None:
        crawler = self.data.crawler
        stats = dict(crawler.stats.get_stats())
        started = stats.get("start_time") or datetime.now(UTC)
        path = report_path(crawler.settings, started)
        path.parent.mkdir(parents=True, exist_ok=True)
        results = getattr(crawler, RESULTS_ATTRIBUTE, [])
        thresholds = {k: float(v) for k, v in crawler.settings.getdict("NEWSCRAWL_FIELD_COVERAGE").items()}
        path.write_text(render_report(stats, results, thresholds), encoding="utf-8")
        crawler.stats.set_value("newscrawl/report/path", str(path))


# -- rendering -------------------------------------------------------------------
def bar_chart(title: str, data: list[tuple[str, int]], width: int = 720, height: int = 240) -> str:
    """An inline SVG bar chart of (label, value) pairs."""
    esc = html.escape
    top, bottom, left = 30, 70, 110
    plot_h, plot_w = height - top - bottom, width - left - 10
    peak = max((v for _, v in data), default=0) or 1
    step = plot_w / max(len(data), 1)
    bars = []
    for i, (label, value) in enumerate(data):
        h = plot_h * value / peak
        x = left + i * step
        bars.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{top + plot_h - h:.1f}" width="{step * 0.8:.1f}" height="{h:.1f}"'
            f' fill="#ff7b00"><title>{esc(label)}: {value}</title></rect>'
            f'<text x="{x + step / 2:.1f}" y="{top + plot_h - h - 3:.1f}" font-size="10" text-anchor="middle">{value}</text>'
            f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 12}" font-size="10" text-anchor="end"'
            f' transform="rotate(-40 {x + step / 2:.1f} {top + plot_h + 12})">{esc(label)}</text>'
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img"'
        f' aria-label="{esc(title)}"><text x="{left}" y="18" font-size="14" font-weight="bold">{esc(title)}</text>'
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#555"/>'
        f"{''.join(bars)}</svg>"
    )


def _rows(pairs: list[tuple[str, Any]]) -> str:
    return "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>" for k, v in pairs)


def channel_rows(stats: dict[str, Any]) -> str:
    """One table row per discovery channel: requests, listed, exported first, breaks.

    >>> "<td>sitemap</td><td>3</td>" in channel_rows({"newscrawl/channel/sitemap/requests": 3})
    True
    """
    rows = []
    for channel in CHANNELS:
        values = [
            stats.get(f"{CHANNEL_PREFIX}{channel}/{name}", 0)
            for name in ("requests", "listed", "exported", "broken")
        ]
        css = ' class="bad"' if values[3] else ""
        rows.append(f"<tr{css}><td>{channel}</td>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>")
    return "".join(rows)


def render_report(stats: dict[str, Any], results: list[dict[str, Any]], thresholds: dict[str, float]) -> str:
    """The whole report page (pure: stats and verdicts in, HTML out)."""
    from newscrawl.monitors import COVERAGE_ITEMS, field_coverage

    esc = html.escape
    failed = [r for r in results if r["status"] in FAILED_STATUSES]
    verdict = (
        f'<p class="bad">{len(failed)} of {len(results)} monitors failed</p>'
        if failed
        else f'<p class="good">All {len(results)} monitors passed</p>'
    )
    monitor_rows = "".join(
        f'<tr class="{"bad" if r in failed else "good"}"><td>{esc(r["monitor"])}</td><td>{esc(r["description"])}</td>'
        f"<td>{esc(r['status'])}</td><td>{esc(r['message'])}</td></tr>"
        for r in results
    )
    counts = [
        ("finish reason", stats.get("finish_reason")),
        ("path", f"{stats.get('newscrawl/run/path', '?')} ({stats.get('newscrawl/run/path_why', '')})"),
        ("requests", stats.get("downloader/request_count", 0)),
        ("pages downloaded", stats.get("response_received_count", 0)),
        ("article pages fetched", stats.get("newscrawl/articles/fetched", 0)),
        ("listing pages", stats.get("newscrawl/listing/pages", 0)),
        ("items exported", stats.get("item_scraped_count", 0)),
        ("new articles", stats.get("newscrawl/exported/new", 0)),
        ("updated articles (editors' updates, exported again)", stats.get("newscrawl/exported/updated", 0)),
        ("pages fetched again, unchanged", stats.get("dedupe/unchanged", 0)),
        ("items dropped", stats.get("item_dropped_count", 0)),
        ("known articles skipped", stats.get("incremental/skipped_known", 0)),
        ("listings stopped early", stats.get("incremental/listings_stopped", 0)),
        ("retries", stats.get("retry/count", 0)),
        ("errors logged", stats.get("log_count/ERROR", 0)),
        ("feed", stats.get("newscrawl/feed/path", "(none)")),
    ]
    drops = sorted(
        (k, v)
        for k, v in stats.items()
        if k.startswith(("newscrawl/dropped/", "dedupe/", "newscrawl/extract/", "newscrawl/failed/"))
    )
    coverage = field_coverage(stats)
    coverage_rows = "".join(
        f'<tr class="{"bad" if coverage.get(f, 0) < t else "good"}"><td>{esc(f)}</td>'
        f"<td>{coverage.get(f, 0):.1%}</td><td>{t:.0%}</td></tr>"
        for f, t in thresholds.items()
    )
    by_label = sorted(
        ((k[len(LABEL_PREFIX) :], v) for k, v in stats.items() if k.startswith(LABEL_PREFIX)),
        key=lambda kv: -kv[1],
    )
    by_hour = [(f"{h:02d}", stats.get(f"{HOUR_PREFIX}{h:02d}", 0)) for h in range(24)]
    channels = channel_rows(stats)
    started, finished = stats.get("start_time"), stats.get("finish_time")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newscrawl run report {esc(str(started))}</title>
<style>
body {{ font-family: sans-serif; margin: 24px; color: #222; max-width: 980px; }}
table {{ border-collapse: collapse; margin: 8px 0 20px; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; font-size: 14px; }}
th {{ background: #f3f3f3; }}
tr.bad td {{ background: #fde2e1; }} p.bad {{ color: #b00020; font-weight: bold; font-size: 18px; }}
p.good {{ color: #1b7f3b; font-weight: bold; font-size: 18px; }}
</style></head><body>
<h1>newscrawl run report</h1>
<p>Started {esc(str(started))} UTC, finished {esc(str(finished))} UTC.</p>
{verdict}
<h2>Monitors</h2>
<table><tr><th>monitor</th><th>check</th><th>status</th><th>reason</th></tr>{monitor_rows}</table>
<h2>Counts</h2>
<table>{_rows(counts)}</table>
<h2>Discovery channels</h2>
<p>Archive: {esc(str(stats.get("newscrawl/archive/how", "not asked for")))}.
Articles the channels listed but never fetched: {esc(str(stats.get("newscrawl/completeness/unreached", "not judged")))}.</p>
<table><tr><th>channel</th><th>requests</th><th>articles listed</th><th>exported (found first)</th><th>broken</th></tr>
{channels}</table>
<h2>Drops and problems by reason</h2>
<table>{_rows(drops) or "<tr><td>none</td></tr>"}</table>
<h2>Field coverage ({stats.get(COVERAGE_ITEMS, 0)} extracted items)</h2>
<table><tr><th>field</th><th>coverage</th><th>threshold</th></tr>{coverage_rows}</table>
<h2>Exported articles</h2>
{bar_chart("Exported articles by label", by_label)}
{bar_chart("Exported articles by hour of publication (UTC)", by_hour)}
</body></html>
"""
