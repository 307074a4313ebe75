"""bench/client_faults.py runs fault runs through its command line and reports what it promises.

Two real runs on each kind of loop (no timing is asserted), and one bench whose scenario is faked to show
that a violated invariant or an exception fails that run only, is listed with its seed, and sets exit code 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import client_faults as bench
from tests.integration.backend import BackendProcess
from tests.integration.fault_scenario import FAULT_KINDS, RunReport

pytestmark = [pytest.mark.integration, pytest.mark.slow]

REPORT_KEYS = {
    "benchmark", "runs", "seeds", "loop", "passed", "failed", "failures", "aborted", "faults", "fault_rounds",
    "cuts_fired", "reconnects", "runs_with_reconnect", "messages", "run_s", "log_records", "backend",
    "request_timeout_ms", "duration_s",
}  # fmt: skip


@pytest.mark.parametrize("loop", ["qasync", "asyncio"])
def test_two_runs_through_main(loop: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--runs", "2", "--seed", "5", "--json-only", "--workdir", str(tmp_path)]
    assert bench.main([*argv, "--plain-loop"] if loop == "asyncio" else argv) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report.keys() >= REPORT_KEYS
    assert report["loop"] == loop
    assert (report["runs"], report["seeds"], report["passed"], report["failures"]) == (2, [5, 6], 2, [])
    assert set(report["faults"]) == set(FAULT_KINDS)
    assert report["backend"].keys() == {"kills", "restarted_by_bench", "traceback_seeds"}
    assert 6 <= report["fault_rounds"] <= 12
    assert report["messages"]["agent_to_buyer"] >= 2 * 3 * 3
    assert report["messages"]["buyer_to_agent"] >= 2 * (1 + 3 * 2)
    assert err == ""
    assert not [d for d in tmp_path.iterdir() if d.name.startswith("run-")]  # passing runs leave nothing


def test_failures_are_collected_and_set_the_exit_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fake(backend: BackendProcess, data_dir: Path, seed: int, *, report: RunReport) -> RunReport:
        report.faults, report.sent = ["kill", "none"], ["a", "b"]
        if seed == 1:
            report.phase = "heal"
            raise TimeoutError
        report.server_counts = {"a": 1, "b": 2 if seed == 2 else 1}
        report.reconnects, report.phase = 1, "done"
        return report

    monkeypatch.setattr(bench, "run_fault_scenario", fake)
    assert bench.main(["--runs", "3", "--seed", "0", "--workdir", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert (report["runs"], report["passed"], report["failed"]) == (3, 1, 2)
    timed_out, doubled = report["failures"]
    assert (timed_out["seed"], timed_out["phase"]) == (1, "heal")
    assert timed_out["reason"].startswith("TimeoutError in phase heal")
    assert doubled["seed"] == 2
    assert "doubled {'b': 2}" in doubled["reason"]
    assert report["faults"]["kill"] == 3
    assert "seed 1 FAILED" in err
    assert "seed 2 FAILED" in err
    assert "passed 1/3, failed 2" in err
