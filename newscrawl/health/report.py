"""The per-run HTML report: verdicts, counts, channels, field coverage, inline SVG charts.

Pure: stats and monitor results in, one self-contained page out; written by
:class:`newscrawl.health.actions.WriteHtmlReport`.
"""

from __future__ import annotations

import html
from typing import Any

from spidermon import settings as spidermon_settings

from newscrawl.discovery.channels import CHANNELS
from newscrawl.health import stats as names
from newscrawl.health.charts import bar_chart
from newscrawl.health.coverage import field_coverage

FAILED_STATUSES = frozenset(spidermon_settings.MONITOR.STATUSES.ERROR)  # "FAIL", "ERROR"
SKIPPED = spidermon_settings.MONITOR.STATUS.SKIPPED
PROBLEM_PREFIXES = (names.DROPPED_PREFIX, names.DEDUPE_PREFIX, names.EXTRACT_PREFIX, names.FAILED_PREFIX)


def _rows(pairs: list[tuple[str, Any]]) -> str:
    return "".join(f"<tr><td>{html.escape(str(k))}</td><td>{html.escape(str(v))}</td></tr>" for k, v in pairs)


def channel_rows(stats: dict[str, Any]) -> str:
    """One table row per discovery channel: requests, listed, exported first, breaks.

    >>> "<td>sitemap</td><td>3</td>" in channel_rows({names.channel("sitemap", "requests"): 3})
    True
    """
    rows = []
    for channel in CHANNELS:
        values = [
            stats.get(names.channel(channel, name), 0)
            for name in ("requests", "listed", "exported", "broken")
        ]
        css = ' class="bad"' if values[3] else ""
        rows.append(f"<tr{css}><td>{channel}</td>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>")
    return "".join(rows)


def status_text(status: str) -> str:
    """A monitor's status as the report says it: a skipped check was not judged (too little to judge).

    >>> status_text("SKIPPED"), status_text("FAIL")
    ('not judged', 'FAIL')
    """
    return "not judged" if status == SKIPPED else status


def check_text(result: dict[str, Any]) -> str:
    """The check's own name where it has one (ours do), else its monitor's description (Spidermon's).

    >>> check_text({"check": "No discovery channel broke", "description": "Every channel ..."})
    'No discovery channel broke'
    >>> check_text({"check": "test_stat_monitor", "description": "Check for errors."})
    'Check for errors.'
    """
    check = str(result["check"])
    return str(result["description"]).strip() if check.startswith("test_") else check


def moment(value: Any) -> str:
    """
    >>> from datetime import datetime, UTC
    >>> moment(datetime(2026, 5, 1, 10, 0, 0, 681664, tzinfo=UTC))
    '2026-05-01 10:00:00 UTC'
    """
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if hasattr(value, "strftime") else str(value)


def duration(stats: dict[str, Any]) -> str:
    """
    >>> from datetime import datetime
    >>> duration({"start_time": datetime(2026, 5, 1, 10), "finish_time": datetime(2026, 5, 1, 10, 6, 36)})
    '6 min 36 s'
    """
    started, finished = stats.get(names.START_TIME), stats.get(names.FINISH_TIME)
    if started is None or finished is None:
        return "?"
    seconds = round((finished - started).total_seconds())
    return f"{seconds // 60} min {seconds % 60} s" if seconds >= 60 else f"{seconds} s"


def render_report(
    stats: dict[str, Any], results: list[dict[str, Any]], thresholds: dict[str, float], min_items: int = 0
) -> str:
    """The whole report page (pure: stats and verdicts in, HTML out)."""
    esc = html.escape
    failed = [r for r in results if r["status"] in FAILED_STATUSES]
    judged = [r for r in results if r["status"] != SKIPPED]
    unjudged = len(results) - len(judged)
    aside = f" ({unjudged} not judged: too little to judge)" if unjudged else ""
    verdict = (
        f'<p class="bad">{len(failed)} of {len(judged)} checks failed{aside}</p>'
        if failed
        else f'<p class="good">All {len(judged)} checks passed{aside}</p>'
    )
    monitor_rows = "".join(
        f'<tr class="{"bad" if r in failed else "good" if r in judged else ""}"><td>{esc(r["monitor"])}</td>'
        f"<td>{esc(check_text(r))}</td><td>{esc(status_text(r['status']))}</td><td>{esc(r['message'])}</td></tr>"
        for r in results
    )
    counts = [
        ("site", stats.get(names.RUN_BASE_URL, "?")),
        ("worker", stats.get(names.RUN_WORKER) or "(single process)"),
        ("duration", duration(stats)),
        ("finish reason", stats.get(names.FINISH_REASON)),
        ("path", f"{stats.get(names.RUN_PATH, '?')} ({stats.get(names.RUN_PATH_WHY, '')})"),
        ("requests", stats.get(names.REQUESTS, 0)),
        ("pages downloaded", stats.get(names.RESPONSES, 0)),
        ("article pages fetched", stats.get(names.ARTICLES_FETCHED, 0)),
        ("listing pages", stats.get(names.LISTING_PAGES, 0)),
        ("items exported", stats.get(names.ITEMS_SCRAPED, 0)),
        ("new articles", stats.get(names.EXPORTED_NEW, 0)),
        ("updated articles (editors' updates, exported again)", stats.get(names.EXPORTED_UPDATED, 0)),
        ("pages fetched again, unchanged", stats.get(names.dedupe("unchanged"), 0)),
        ("items dropped", stats.get(names.ITEMS_DROPPED, 0)),
        ("known articles skipped", stats.get(names.SKIPPED_KNOWN, 0)),
        ("listings stopped early", stats.get(names.LISTINGS_STOPPED, 0)),
        ("retries", stats.get(names.RETRIES, 0)),
        ("errors logged", stats.get(names.ERRORS_LOGGED, 0)),
        ("feed", stats.get(names.FEED_PATH, "(none)")),
    ]
    drops = sorted(
        (k, v)
        for k, v in stats.items()
        if k.startswith(PROBLEM_PREFIXES) and k != names.REVISIONS_EXPORTED  # that one counts exports
    )
    coverage = field_coverage(stats)
    items = stats.get(names.COVERAGE_ITEMS, 0)
    judge_coverage = items >= max(1, min_items)
    coverage_rows = "".join(
        f'<tr class="{("bad" if coverage.get(f, 0) < t else "good") if judge_coverage else ""}"><td>{esc(f)}</td>'
        f"<td>{coverage.get(f, 0):.1%}</td><td>{t:.0%}</td></tr>"
        for f, t in thresholds.items()
    )
    coverage_note = (
        ""
        if judge_coverage
        else f"<p>Not judged: {items} extracted items, fewer than NEWSCRAWL_COVERAGE_MIN_ITEMS ({min_items}).</p>"
    )
    by_label = sorted(
        (
            (k[len(names.EXPORTED_LABEL_PREFIX) :], v)
            for k, v in stats.items()
            if k.startswith(names.EXPORTED_LABEL_PREFIX)
        ),
        key=lambda kv: -kv[1],
    )
    by_hour = [(f"{h:02d}", stats.get(f"{names.EXPORTED_HOUR_PREFIX}{h:02d}", 0)) for h in range(24)]
    channels = channel_rows(stats)
    started, finished = stats.get(names.START_TIME), stats.get(names.FINISH_TIME)
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
<p>Started {esc(moment(started))}, finished {esc(moment(finished))}.</p>
{verdict}
<h2>Monitors</h2>
<table><tr><th>monitor</th><th>check</th><th>result</th><th>reason</th></tr>{monitor_rows}</table>
<h2>Counts</h2>
<table>{_rows(counts)}</table>
<h2>Discovery channels</h2>
<p>Archive: {esc(str(stats.get(names.ARCHIVE_HOW, "not asked for")))}.
Articles the channels listed but never fetched: {esc(str(stats.get(names.COMPLETENESS_UNREACHED, "not judged")))}.</p>
<table><tr><th>channel</th><th>requests</th><th>articles listed</th><th>exported (found first)</th><th>broken</th></tr>
{channels}</table>
<h2>Drops and problems by reason</h2>
<table>{_rows(drops) or "<tr><td>none</td></tr>"}</table>
<h2>Field coverage ({items} extracted items)</h2>
{coverage_note}<table><tr><th>field</th><th>coverage</th><th>threshold</th></tr>{coverage_rows}</table>
<h2>Exported articles</h2>
{bar_chart("Exported articles by label", by_label)}
{bar_chart("Exported articles by hour of publication (UTC)", by_hour)}
</body></html>
"""
