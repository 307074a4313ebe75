"""bench/protocol.py builds a stream that decodes and reports what it promises (no speed is asserted)."""

from __future__ import annotations

import json

import pytest

from bench import protocol as bench
from desktop.protocol import codec
from desktop.protocol import frames as f

FRAMES = 300

REPORT_KEYS = {
    "frames", "bytes", "rounds", "stat", "decode_fps", "decode_mbps", "json_loads_fps", "json_loads_mbps",
    "ratio", "ratio_median", "goal", "goal_met", "decode_full_fps", "ratio_full", "client", "encode",
    "per_kind", "python", "msgspec",
}  # fmt: skip


@pytest.fixture(scope="module")
def server() -> bench.Stream:
    return bench.build_server_stream(FRAMES, seed=7)


@pytest.fixture(scope="module")
def client() -> bench.Stream:
    return bench.build_client_stream(FRAMES, seed=7)


def test_every_server_frame_decodes_to_what_was_encoded(server: bench.Stream) -> None:
    assert len(server.wire) == len(server.frames) == len(server.kinds) == FRAMES
    assert {"message.created/text", "message.created/image", "ok/history", "typing"} <= set(server.kinds)
    for data, frame, reply_type in zip(server.wire, server.frames, server.reply_types, strict=True):
        decoded = codec.decode_server_frame(data)
        assert decoded == frame
        if reply_type is not None:
            assert isinstance(decoded, f.Ok)
            codec.decode_reply(decoded, reply_type)


def test_every_client_frame_decodes_to_what_was_encoded(client: bench.Stream) -> None:
    assert "message.send/text" in client.kinds
    for data, frame in zip(client.wire, client.frames, strict=True):
        assert codec.decode_client_frame(data) == frame


def test_stream_is_deterministic(server: bench.Stream) -> None:
    assert bench.build_server_stream(FRAMES, seed=7).wire == server.wire
    assert bench.build_server_stream(FRAMES, seed=8).wire != server.wire


def test_one_round_reports_every_key(server: bench.Stream, client: bench.Stream) -> None:
    report = bench.run_benchmark(server, client, rounds=1)
    assert report.keys() >= REPORT_KEYS
    assert report["frames"] == FRAMES
    assert isinstance(report["ratio"], float)
    assert report["ratio"] > 0
    assert isinstance(report["goal_met"], bool)
    assert set(report["per_kind"]) == set(server.kinds)
    assert json.loads(json.dumps(report)) == report
    assert "decode_server_frame" in bench.format_table(report)


def test_command_line_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--frames", "50", "--rounds", "1", "--json-only", "--no-per-kind"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["frames"] == 50
    assert report["rounds"] == 1
    assert "per_kind" not in report
    assert err == ""
