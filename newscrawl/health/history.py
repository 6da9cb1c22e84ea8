"""The run history: past runs from the state's run records, as a table and as a page of trends.

Pure: run records (dicts as the stores keep them: SQLite rows, or the strings
of a Redis hash) in, rows or HTML out. ``newscrawl runs`` prints the table; the
cron entry point writes :func:`render_history` to ``<NEWSCRAWL_LOG_DIR>/index.html``
after each run, linking each run's report and log where they are.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newscrawl.files import run_stamp
from newscrawl.health.charts import bar_chart
from newscrawl.site.timeparse import format_utc, parse_iso

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

COLUMNS = ("run", "started (UTC)", "duration", "result", "exported", "updated", "dropped", "requests", "feed")


def _int(value: Any) -> int | None:
    """Redis keeps every field as text, an unset one as ``""``.

    >>> _int("12"), _int(""), _int(None), _int(3)
    (12, None, None, 3)
    """
    if value is None or value == "":
        return None
    return int(value)


def _time(value: Any) -> datetime | None:
    return parse_iso(value) if value else None


@dataclass(frozen=True)
class RunRecord:
    run_id: int
    started: datetime
    finished: datetime | None
    finish_reason: str | None
    exit_status: int | None
    exported: int
    updated: int
    dropped: int
    requests: int
    feed: str | None
    newest_published: datetime | None
    lag_p50: int | None
    lag_p95: int | None
    reason: str | None

    @classmethod
    def of(cls, raw: dict[str, Any]) -> RunRecord:
        return cls(
            run_id=int(raw["run_id"]),
            started=_time(raw["started"]) or datetime.min.replace(tzinfo=UTC),
            finished=_time(raw.get("finished")),
            finish_reason=raw.get("finish_reason") or None,
            exit_status=_int(raw.get("exit_status")),
            exported=_int(raw.get("items")) or 0,
            updated=_int(raw.get("updated")) or 0,
            dropped=_int(raw.get("dropped")) or 0,
            requests=_int(raw.get("requests")) or 0,
            feed=raw.get("feed") or None,
            newest_published=_time(raw.get("newest_published")),
            lag_p50=_int(raw.get("lag_p50")),
            lag_p95=_int(raw.get("lag_p95")),
            reason=raw.get("reason") or None,
        )

    @property
    def seconds(self) -> int | None:
        return round((self.finished - self.started).total_seconds()) if self.finished else None

    @property
    def result(self) -> str:
        """
        >>> RunRecord.of({"run_id": 1, "started": "2026-05-01T10:00:00Z"}).result
        'did not finish'
        >>> RunRecord.of({"run_id": 1, "started": "2026-05-01T10:00:00Z", "finished": "2026-05-01T10:01:00Z",
        ...               "finish_reason": "finished", "exit_status": 0}).result
        'healthy'
        """
        if self.finished is None:
            return "did not finish"
        if self.exit_status is None:
            return self.finish_reason or "?"
        if self.exit_status == 0:
            return "healthy"
        return "unhealthy" if self.finish_reason == "finished" else f"unhealthy ({self.finish_reason})"

    @property
    def newest_age_hours(self) -> float | None:
        """How old the newest article exported was when the run ended."""
        if self.finished is None or self.newest_published is None:
            return None
        return (self.finished - self.newest_published).total_seconds() / 3600

    def as_json(self) -> dict[str, Any]:
        utc = format_utc
        return {
            "run_id": self.run_id,
            "started": utc(self.started),
            "finished": utc(self.finished),
            "seconds": self.seconds,
            "result": self.result,
            "exported": self.exported,
            "updated": self.updated,
            "dropped": self.dropped,
            "requests": self.requests,
            "feed": self.feed,
            "newest_published": utc(self.newest_published),
            "lag_p50_seconds": self.lag_p50,
            "lag_p95_seconds": self.lag_p95,
            "reason": self.reason,
        }

    @property
    def stamp(self) -> str:
        """The run's start as its log and report are named."""
        return run_stamp(self.started)


def duration_text(seconds: int | None) -> str:
    """
    >>> duration_text(396), duration_text(42), duration_text(None)
    ('6m36s', '42s', '-')
    """
    if seconds is None:
        return "-"
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def shorten(text: str, width: int) -> str:
    """
    >>> shorten("a" * 10, 6)
    'aaaaa…'
    """
    return text if len(text) <= width else text[: width - 1] + "…"


def table_rows(runs: Sequence[RunRecord]) -> list[tuple[str, ...]]:
    return [
        (
            str(r.run_id),
            r.started.strftime("%Y-%m-%d %H:%M:%S"),
            duration_text(r.seconds),
            r.result,
            str(r.exported),
            str(r.updated),
            str(r.dropped),
            str(r.requests),
            r.feed or "-",
        )
        for r in runs
    ]


def format_table(rows: Sequence[Sequence[str]], header: Sequence[str] = COLUMNS) -> str:
    """Plain text columns, the widest cell setting each width.

    >>> print(format_table([("1", "ok")], ("run", "result")))
    run  result
    1    ok
    """
    widths = [max(len(str(c)) for c in column) for column in zip(header, *rows, strict=True)]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in [header, *rows]
    ]
    return "\n".join(lines)


def render_history(runs: Sequence[RunRecord], link: Callable[[RunRecord, str], str | None]) -> str:
    """The history page, oldest run first in the charts; ``link(run, ".log")`` names a run's file, or None."""
    esc = html.escape
    oldest_first = list(reversed(runs))

    def series(value: Callable[[RunRecord], float | None]) -> list[tuple[str, int]]:
        return [(f"#{r.run_id}", round(value(r) or 0)) for r in oldest_first]

    charts = [
        bar_chart("Articles exported per run", series(lambda r: r.exported)),
        bar_chart("Requests per run", series(lambda r: r.requests)),
        bar_chart("Duration per run (seconds)", series(lambda r: r.seconds)),
        bar_chart("Unhealthy runs (1 = unhealthy or unfinished)", series(lambda r: r.result != "healthy")),
        bar_chart("Newest article's age at the run's end (hours)", series(lambda r: r.newest_age_hours)),
        bar_chart("Publish-to-feed lag p50 (minutes)", series(lambda r: (r.lag_p50 or 0) / 60)),
        bar_chart("Publish-to-feed lag p95 (minutes)", series(lambda r: (r.lag_p95 or 0) / 60)),
    ]
    rows = []
    for run, cells in zip(runs, table_rows(runs), strict=True):
        links = " ".join(
            f'<a href="{esc(target)}">{label}</a>'
            for label, suffix in (("report", ".html"), ("log", ".log"))
            if (target := link(run, suffix)) is not None
        )
        css = "" if run.result == "healthy" else ' class="bad"'
        rows.append(
            f"<tr{css}>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + f"<td>{links}</td>"
            f'<td title="{esc(run.reason or "")}">{esc(shorten(run.reason or "", 160))}</td></tr>'
        )
    header = "".join(f"<th>{esc(c)}</th>" for c in (*COLUMNS, "files", "verdict"))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newscrawl run history</title>
<style>
body {{ font-family: sans-serif; margin: 24px; color: #222; }}
table {{ border-collapse: collapse; margin: 8px 0 20px; }}
td, th {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; font-size: 13px; }}
th {{ background: #f3f3f3; }} tr.bad td {{ background: #fde2e1; }}
</style></head><body>
<h1>newscrawl run history</h1>
<p>{len(runs)} most recent runs, newest first in the table, oldest first in the charts.</p>
<table><tr>{header}</tr>{"".join(rows)}</table>
<h2>Trends</h2>
{"".join(charts)}
</body></html>
"""
