"""``shopdesk self-test``: checks an installation can speak shopdesk.v1 and write its files.

Each check returns a short line; the command exits non-zero when any fails. It needs no network.
"""

from __future__ import annotations

import os
import platform
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop import __version__, paths
from desktop.protocol import ProtocolError, codec, samples, session
from desktop.protocol import frames as f
from desktop.protocol import payloads as p


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def _check_round_trip() -> str:
    count = 0
    for frame in samples.client_frames():
        if codec.decode_client_frame(codec.encode(frame)) != frame:
            raise AssertionError(f"client frame {f.type_name(type(frame))} changed in a round trip")
        count += 1
    for frame in samples.server_frames():
        if codec.decode_server_frame(codec.encode(frame)) != frame:
            raise AssertionError(f"server frame {f.type_name(type(frame))} changed in a round trip")
        count += 1
    return f"{count} sample frames encode and decode unchanged"


def _check_rejections() -> str:
    cases: list[tuple[bytes, str]] = [
        (b"[1, 2]", "bad_request"),
        (b'{"id": "1"}', "bad_request"),
        (b'{"type": "no.such.thing", "id": "1", "data": {}}', "unsupported"),
        (b"\xff\xfe", "bad_request"),
        (b'{"type": "sync.snapshot", "id": "1", "data": {}}' + b" " * (1024 * 1024), "too_large"),
    ]
    for raw, expected in cases:
        try:
            codec.decode_client_frame(raw)
        except ProtocolError as exc:
            if exc.code != expected:
                raise AssertionError(f"{raw[:40]!r}: got {exc.code}, expected {expected}") from None
        else:
            raise AssertionError(f"{raw[:40]!r} was accepted")
    return f"{len(cases)} malformed frames get the right error codes"


def _check_session() -> str:
    s = session.ClientSession(role="agent", client_name="shopdesk", client_version=__version__, last_seq=10)
    s.connection_made()
    hello_id = s.start("token", now_ms=0)
    s.send_message(
        p.MessageSendData(conversation_id="cv", client_msg_id="m1", kind="text", body={"text": "你好"}), 0
    )
    s.receive(codec.encode(codec.ok(hello_id, p.HelloOk(session="s", me=samples.ME, seq=12))), 1)
    sent = s.data_to_send()
    if len(sent) != 2 or not isinstance(codec.decode_client_frame(sent[1]), f.MessageSend):
        raise AssertionError("hello then the outbox should have been sent")
    event = f.QueueUpdated(seq=11, ts=0, data=p.QueueUpdatedData(waiting=1))
    s.receive(codec.encode(event), 2)
    s.receive(codec.encode(event), 3)  # duplicate
    s.receive(codec.encode(f.QueueUpdated(seq=13, ts=0, data=p.QueueUpdatedData(waiting=1))), 4)  # gap
    kinds = [type(e).__name__ for e in s.events_received()]
    if kinds != ["Ready", "EventReceived", "ReconnectNeeded"] or s.outbox[0].client_msg_id != "m1":
        raise AssertionError(f"unexpected session events {kinds}")
    return "resume, duplicate seq, gap and outbox behave as the protocol says"


def _check_writable(name: str, where: Callable[[], Path]) -> Callable[[], str]:
    def check() -> str:
        folder = where()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".selftest-", delete=True):
            pass
        return f"{name}: {folder}"

    return check


def run_checks() -> list[CheckResult]:
    checks: list[tuple[str, Callable[[], str]]] = [
        ("protocol round trip", _check_round_trip),
        ("protocol errors", _check_rejections),
        ("session rules", _check_session),
        ("config dir", _check_writable("config", paths.config_dir)),
        ("data dir", _check_writable("data", paths.data_dir)),
        ("log dir", _check_writable("logs", paths.log_dir)),
    ]
    results = []
    for name, check in checks:
        try:
            results.append(CheckResult(name, True, check()))
        except Exception as exc:  # a self-test reports every failure instead of stopping at the first
            results.append(CheckResult(name, False, f"{type(exc).__name__}: {exc}"))
    return results


def main() -> int:
    print(f"ShopDesk {__version__} · Python {platform.python_version()} · {sys.platform} · pid {os.getpid()}")
    results = run_checks()
    for result in results:
        print(f"  [{'ok' if result.ok else 'FAIL'}] {result.name}: {result.detail}")
    failed = sum(not r.ok for r in results)
    print("all checks passed" if not failed else f"{failed} check(s) failed")
    return 1 if failed else 0
