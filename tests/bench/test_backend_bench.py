"""bench/backend.py drives a real backend and reports what it promises (no speed is asserted).

A tiny configuration (5 agents, 20 buyers, 50 msg/s, 2 s) runs once in this process through the module's
functions and once through the command line with two generator processes.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bench import backend as bench

pytestmark = [pytest.mark.integration, pytest.mark.slow]

TINY = bench.Config(agents=5, buyers=20, rate=50.0, duration=2.0, warmup=0.5, seed=7)

REPORT_KEYS = {
    "benchmark", "agents", "buyers", "generators", "target_rate", "duration_s", "warmup_s", "reply_every",
    "connect", "sent", "acked", "delivered", "sent_per_s", "acked_per_s", "buyer_acked_per_s",
    "agent_acked_per_s", "latency_ms", "errors", "errors_by_code", "rate_limited", "disconnects", "unacked",
    "drained", "schedule_lag_ms", "server", "generator_cpu_pct", "machine_cpu_pct", "goal_p99_ms",
    "goal_met", "fd_limit", "buyer_to_agent_by_second", "python", "websockets", "elapsed_s",
}  # fmt: skip
LATENCY_KEYS = {"n", "p50", "p90", "p99", "max", "mean"}


def check_report(report: dict[str, Any], config: bench.Config) -> None:
    assert report.keys() >= REPORT_KEYS
    assert json.loads(json.dumps(report)) == report
    assert report["connect"]["agents"]["connected"] == config.agents
    assert report["connect"]["buyers"]["connected"] == config.buyers
    assert report["connect"]["buyers"]["assigned"] == config.buyers
    # Every buyer message of the window reached an agent, every agent answer reached its buyer.
    sent, acked, delivered = report["sent"], report["acked"], report["delivered"]
    assert sent["buyer"] > 0
    assert sent["agent"] > 0
    assert acked == sent
    assert delivered == {"buyer_to_agent": sent["buyer"], "agent_to_buyer": sent["agent"]}
    assert report["errors"] == 0
    assert report["unacked"] == 0
    for key in ("buyer_to_agent", "agent_to_buyer", "ack"):
        latency = report["latency_ms"][key]
        assert latency.keys() == LATENCY_KEYS
        assert 0 < latency["p50"] <= latency["p99"] <= latency["max"]
    server = report["server"]
    assert server["cpu_pct"] is not None
    assert server["cpu_pct"] >= 0
    assert server["rss_mib"] > 0
    assert len(report["generator_cpu_pct"]) == config.generators


def test_tiny_run_in_this_process(tmp_path: Path) -> None:
    report = bench.run_benchmark(TINY, workdir=tmp_path)
    check_report(report, TINY)
    assert report["generators"] == 1
    assert not list(tmp_path.iterdir())  # the temporary database is gone
    assert "buyer -> agent" in bench.format_table(report)


def test_command_line_with_two_generator_processes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--agents", "5", "--buyers", "20", "--rate", "50", "--duration", "2", "--warmup", "0.5",
            "--generators", "2", "--seed", "7", "--workdir", str(tmp_path), "--json-only"]  # fmt: skip
    assert bench.main(argv) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    check_report(report, replace(TINY, generators=2))
    assert err == ""


def test_percentiles_use_nearest_rank() -> None:
    stats = bench.percentiles(list(range(1_000, 101_000, 1_000)))  # 1..100 ms
    assert stats == {"n": 100, "p50": 50.0, "p90": 90.0, "p99": 99.0, "max": 100.0, "mean": 50.5}
    assert bench.percentiles([])["p99"] is None


def test_split_deals_agents_buyers_and_rate() -> None:
    config = replace(TINY, generators=3)
    names = [f"bench{i:04d}" for i in range(1, 6)]
    specs = bench.split(config, "ws://127.0.0.1:1", names)
    assert sorted(n for s in specs for n in s.agents) == names
    assert sorted(b for s in specs for b in s.buyers) == list(range(1, 21))
    assert sum(s.rate for s in specs) == pytest.approx(TINY.rate)


def test_proc_readers_see_this_process() -> None:
    assert bench.cpu_seconds(os.getpid()) > 0
    assert bench.memory_kib(os.getpid())["VmRSS"] > 0
    assert bench.task_state(os.getpid()) == "R"
    limits = bench.raise_fd_limit(64)
    assert limits["soft"] >= 64
