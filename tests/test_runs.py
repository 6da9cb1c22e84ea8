"""Run history: ``newscrawl runs`` from the state's run records, and the trends page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newscrawl.health.history import RunRecord, render_history
from newscrawl.runs import main
from newscrawl.state.sqlite import SQLiteSeenState

if TYPE_CHECKING:
    from pathlib import Path


def state_with_runs(path: Path) -> str:
    state = SQLiteSeenState(path)
    first = state.start_run("2026-05-01T10:00:00Z")
    state.finish_run(
        first, finished="2026-05-01T10:06:36Z", finish_reason="finished", exit_status=0, items=289, updated=0,
        dropped=7, requests=433, feed="feeds/devdiscourse/2026-05-01T10-00-00Z.jsonl",
        newest_published="2026-05-01T09:40:00Z", lag_p50=1800, lag_p95=5400, reason="healthy: ...",
    )  # fmt: skip
    second = state.start_run("2026-05-01T10:30:00Z")
    state.finish_run(
        second, finished="2026-05-01T10:30:02Z", finish_reason="shutdown", exit_status=1, items=0, requests=2,
        reason="unhealthy: finish reason 'shutdown', not 'finished'",
    )  # fmt: skip
    state.start_run("2026-05-01T11:00:00Z")  # killed: never finished
    state.close()
    return f"sqlite:///{path}"


def test_runs_lists_past_runs_newest_first(tmp_path: Path, capsys: Any) -> None:
    uri = state_with_runs(tmp_path / "state.sqlite")
    assert main(["-s", f"NEWSCRAWL_STATE_URI={uri}"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["run", "started", "(UTC)", "duration", "result", "exported", "updated",
                                "dropped", "requests", "feed"]  # fmt: skip
    assert lines[1].split()[:4] == ["3", "2026-05-01", "11:00:00", "-"] and "did not finish" in lines[1]
    assert "unhealthy (shutdown)" in lines[2]
    assert lines[3].split() == ["1", "2026-05-01", "10:00:00", "6m36s", "healthy", "289", "0", "7", "433",
                                "feeds/devdiscourse/2026-05-01T10-00-00Z.jsonl"]  # fmt: skip


def test_runs_as_json_and_as_the_history_page(tmp_path: Path, capsys: Any) -> None:
    uri = state_with_runs(tmp_path / "state.sqlite")
    assert main(["--json", "--limit", "1", "-s", f"NEWSCRAWL_STATE_URI={uri}"]) == 0
    assert '"result": "did not finish"' in capsys.readouterr().out
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "2026-05-01T10-00-00Z.html").write_text("report")
    page = tmp_path / "logs" / "index.html"
    assert (
        main(["--html", str(page), "-s", f"NEWSCRAWL_STATE_URI={uri}", "-s", f"NEWSCRAWL_LOG_DIR={logs}"])
        == 0
    )
    html = page.read_text("utf-8")
    assert '<a href="2026-05-01T10-00-00Z.html">report</a>' in html  # the report that exists, linked
    assert "2026-05-01T10-30-00Z.html" not in html  # one that does not: no dead link
    assert html.count("<svg") == 7 and "Publish-to-feed lag p95 (minutes)" in html


def test_runs_refuses_in_one_line(tmp_path: Path, capsys: Any) -> None:
    damaged = tmp_path / "damaged.sqlite"
    damaged.write_bytes(b"not a database " * 100)
    for uri, message in (
        ("memory:", "a memory state keeps no run history"),
        (f"sqlite:///{damaged}", "is not a newscrawl state database"),
        ("postgres://x", "unknown scheme 'postgres'"),
    ):
        assert main(["-s", f"NEWSCRAWL_STATE_URI={uri}"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err


def test_no_state_file_yet_is_no_runs_and_creates_nothing(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "none" / "state.sqlite"
    assert main(["-s", f"NEWSCRAWL_STATE_URI=sqlite:///{path}"]) == 0
    assert "no runs recorded yet" in capsys.readouterr().out and not path.parent.exists()


def test_history_charts_run_oldest_first_and_mark_failures() -> None:
    runs = [
        RunRecord.of({"run_id": 2, "started": "2026-05-01T11:00:00Z", "finished": "2026-05-01T11:00:05Z",
                      "finish_reason": "shutdown", "exit_status": 1, "items": 0}),
        RunRecord.of({"run_id": 1, "started": "2026-05-01T10:00:00Z", "finished": "2026-05-01T10:01:00Z",
                      "finish_reason": "finished", "exit_status": 0, "items": 40}),
    ]  # fmt: skip
    page = render_history(runs, lambda run, suffix: None)
    exports = page.split("Articles exported per run", 1)[1].split("</svg>", 1)[0]
    assert exports.index("#1") < exports.index("#2")  # charts: oldest first
    assert page.count('<tr class="bad">') == 1
