"""bench/quick_replies.py builds realistic phrases and queries, and reports what it promises (no timing)."""

from __future__ import annotations

import json

import pytest

from bench import quick_replies as bench
from desktop.core.quick_replies import QuickReplyIndex

REPORT_KEYS = {
    "benchmark", "phrases", "keystrokes", "rounds", "stat", "limit", "index_build_ms", "search_ms",
    "search_ms_all_samples", "first_keystroke_ms", "goal_p95_ms", "goal_met", "per_kind", "sensitive",
    "sensitive_large", "python", "pypinyin", "seed",
}  # fmt: skip
PERCENTILES = {"p50", "p95", "p99", "max", "mean"}


def test_phrases_are_deterministic_and_valid() -> None:
    replies = bench.build_replies(200, seed=7)
    assert replies == bench.build_replies(200, seed=7)
    assert replies != bench.build_replies(200, seed=8)
    assert {reply.scope for reply in replies} == {"team", "personal"}
    shortcuts = [reply.shortcut for reply in replies if reply.shortcut]
    assert len(shortcuts) == len(set(shortcuts)) > 100
    assert any("{" in reply.text for reply in replies)


def test_queries_are_typed_one_character_at_a_time() -> None:
    queries = bench.build_queries(bench.build_replies(100, seed=7), seed=7)
    assert set(queries) == {"shortcut", "initials", "pinyin", "chinese"}
    strokes = bench.keystrokes({"pinyin": ["tui"], "chinese": ["退款"]})
    assert strokes == [
        ("pinyin", "t"),
        ("pinyin", "tu"),
        ("pinyin", "tui"),
        ("chinese", "退"),
        ("chinese", "退款"),
    ]


def test_every_typed_query_finds_something() -> None:
    replies = bench.build_replies(300, seed=3)
    index = QuickReplyIndex(replies)
    for kind, queries in bench.build_queries(replies, seed=3).items():
        for query in queries:
            assert index.search(query), (kind, query)


def test_one_round_reports_every_key() -> None:
    report = bench.run_benchmark(phrases=150, rounds=1, seed=5)
    assert report.keys() >= REPORT_KEYS
    assert report["phrases"] == 150
    assert set(report["search_ms"]) == PERCENTILES
    assert set(report["per_kind"]) == {"shortcut", "initials", "pinyin", "chinese"}
    assert isinstance(report["goal_met"], bool)
    assert report["sensitive"]["text_chars"] == 500
    assert report["sensitive"]["words"] == 300
    assert report["sensitive"]["hits"] >= 2
    assert json.loads(json.dumps(report)) == report
    assert "sensitive words" in bench.format_table(report)


def test_command_line_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--phrases", "80", "--rounds", "1", "--json-only"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["phrases"] == 80
    assert report["rounds"] == 1
    assert err == ""
