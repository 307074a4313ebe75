"""bench/search.py builds a cache, searches, ingests and syncs, and reports what it promises (no speed is
asserted)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from bench import search as bench
from desktop.store import LocalStore, SearchIndex

REPORT_KEYS = {
    "benchmark",
    "messages",
    "build",
    "search",
    "ingest",
    "history",
    "history_bulk",
    "python",
    "sqlite",
}


def test_messages_are_deterministic_and_varied() -> None:
    first = list(bench.history_messages(300, seed=3))
    assert first == list(bench.history_messages(300, seed=3))
    assert first != list(bench.history_messages(300, seed=4))
    assert {m.kind for m in first} >= {"text", "product"}
    assert all(a.created_at <= b.created_at for a, b in itertools.pairwise(first))
    assert len({m.id for m in first}) == 300


def test_percentile() -> None:
    values = [float(n) for n in range(1, 101)]
    assert bench.percentile(values, 50) == 50
    assert bench.percentile(values, 99) == 99
    assert bench.percentile(values, 100) == 100
    assert bench.percentile([7.0], 95) == 7


def test_small_run_reports_every_key(tmp_path: Path) -> None:
    path = tmp_path / "bench.sqlite3"
    report = bench.run_benchmark(path, 1_500, seed=1, reps=2, ingest_s=0.6, history=600)
    assert report.keys() >= REPORT_KEYS
    assert report["build"]["messages"] == 1_500
    assert report["search"]["groups"].keys() >= {
        "1-common",
        "2-common",
        "3-common",
        "5-common",
        "conversation",
    }
    assert all(row["hits"] <= bench.LIMIT for row in report["search"]["queries"])
    assert isinstance(report["search"]["goal_met"], bool)
    assert report["ingest"]["messages"] > 0
    assert report["history"]["messages"] == report["history_bulk"]["messages"] == 600
    assert json.loads(json.dumps(report)) == report
    assert "apply_events" in bench.format_table(report)
    with LocalStore.open(path) as store, SearchIndex.open(path) as index:
        assert index.search("亲", limit=5)
        assert store.last_seq() is not None


def test_command_line_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--quick", "--messages", "800", "--json-only"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["messages"] == 800
    assert err == ""
