"""bench/workbench.py measures start-up, memory, chat switching and a live burst, and reports what it
promises (no speed or size is asserted: only that every measurement ran and its numbers make sense).

One tiny run of everything through the command line (child processes, a real backend, a load generator),
plus the helpers that need no process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import workbench as bench
from desktop.store import LocalStore

TINY_ARGV = ["--quick", "--runs", "1", "--repeats", "3", "--duration", "1.5", "--burst-buyers", "4"]


def check_start(start: dict[str, Any]) -> None:
    assert start.keys() >= {"median_s", "runs_s", "marks_ms", "ratio", "goal_ratio", "goal_s", "goal_met"}
    assert start["runs"] == 1
    medians = start["median_s"]
    assert medians.keys() == {"python", "bare", "workbench", "workbench_client_started"}
    assert all(value > 0 for value in medians.values())
    assert start["ratio"] == pytest.approx(medians["workbench"] / medians["bare"], abs=0.01)
    marks = start["marks_ms"]["workbench"]
    assert 0 < marks["module"] <= marks["main_window_imported"] <= marks["shown"] <= marks["interactive"]
    # the workbench child really opened the prepared cache: its list holds the cached chats
    assert start["children"]["workbench"]["conversations"] == bench.QUICK.start_conversations
    assert start["children"]["workbench"]["rows"] > 0
    assert start["children"]["workbench_client_started"]["link"] != "ONLINE"  # nobody listens there


def check_rss(rss: dict[str, Any]) -> None:
    assert rss["bare"]["rss_mb"] > 0
    for key in ("workbench", "workbench_all_panes"):
        run = rss[key]
        assert run["opened"] == bench.QUICK.rss_open
        assert 0 < run["window"]["rss_mb"] <= run["hwm_mb"]
        assert run["panes_alive"] == run["panes_cached"] <= run["pane_cache"]
    assert rss["workbench"]["pane_cache"] == 8
    assert rss["workbench_all_panes"]["panes_cached"] == bench.QUICK.rss_open
    assert rss["rss_mb"] == rss["workbench"]["rss_mb"]


def check_switch(switch: dict[str, Any]) -> None:
    keys = ("prewarmed", "first_open", "switch_back", "first_open_other", "switch_back_other")
    for key in (*keys, "bare_first_open", "bare_switch"):
        stats = switch[key]
        assert stats["n"] == 3
        assert 0 < stats["p50_ms"] <= stats["p95_ms"] <= stats["max_ms"]
    assert switch["rows_loaded"] > 0
    assert switch["p95_ms"] == max(switch["prewarmed"]["p95_ms"], switch["switch_back"]["p95_ms"])
    assert switch["cold_p95_ms"] == switch["first_open"]["p95_ms"]


def check_burst(burst: dict[str, Any]) -> None:
    assert burst["buyers"] == 4
    assert burst["sent"] == 150  # 100 msg/s for 1.5 s
    assert burst["acked"] == burst["sent"]
    assert burst["errors"] == 0
    assert burst["stored_customer_messages"] == burst["acked"]  # the whole burst reached the window
    assert burst["client"]["store_messages"] >= burst["acked"]
    assert burst["open_chats"] == bench.QUICK.burst_open
    for key in ("stalls", "idle_stalls", "bare_stalls"):
        assert burst[key]["ticks"] > 10
        assert burst[key]["max_stall_ms"] >= 0
    assert burst["max_stall_ms"] == burst["stalls"]["max_stall_ms"]


@pytest.mark.slow
@pytest.mark.integration
def test_tiny_run_of_everything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*TINY_ARGV, "--cache-dir", str(tmp_path / "cache"), "--workdir", str(tmp_path), "--json-only"]
    assert bench.main(argv) == 0
    out, err = capsys.readouterr()
    assert err == ""
    report = json.loads(out)
    assert report.keys() >= {"benchmark", "config", "start", "rss", "switch", "burst", "goals_met", "python"}
    assert set(report["goals_met"]) == set(bench.MEASUREMENTS)
    assert all(isinstance(report[name]["goal_met"], bool) for name in bench.MEASUREMENTS)
    check_start(report["start"])
    check_rss(report["rss"])
    check_switch(report["switch"])
    check_burst(report["burst"])
    assert [p.name for p in tmp_path.iterdir()] == ["cache"]  # the run's temporary folder is gone
    table = bench.format_table(report)
    for words in ("start to interactive", "memory", "switch to a", "burst", "goal"):
        assert words in table


def test_caches_are_built_once_and_deterministic(tmp_path: Path) -> None:
    first, info = bench.cached_store(tmp_path / "a", 4, 10, big=30, seed=3, mixed=True)
    again, info_again = bench.cached_store(tmp_path / "a", 4, 10, big=30, seed=3, mixed=True)
    other, _ = bench.cached_store(tmp_path / "b", 4, 10, big=30, seed=3, mixed=True)
    assert first == again
    assert (info["reused"], info_again["reused"]) == (False, True)
    assert info["messages"] == 30 + 3 * 10
    with LocalStore.open(first) as a, LocalStore.open(other) as b:
        assert a.conversations() == b.conversations()
        assert len(a.messages(bench.conversation_id(0), limit=100)) == 30
        conv = a.conversation(bench.conversation_id(1))
        assert conv is not None
        assert conv.last_message is not None
        assert conv.customer_nickname
        assert a.customer(conv.customer_id) is not None
        assert a.quick_replies()


def test_stall_summary_and_percentiles() -> None:
    stalls = bench.stall_summary([5.0] * 98 + [12.0, 60.0])
    assert stalls["ticks"] == 101
    assert stalls["max_stall_ms"] == 55.0
    assert stalls["p99_gap_ms"] == 12.0
    assert stalls["gaps_over_50_ms"] == 1
    assert bench.stall_summary([])["max_stall_ms"] is None
    assert bench.summary_ms([0.001, 0.002, 0.003]) == {"n": 3, "p50_ms": 2.0, "p95_ms": 3.0, "max_ms": 3.0}
