"""kill -9 of the client after a send is in the outbox but before its ok: after a restart it is sent once."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.protocol import frames as f
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import start_client, stop_client, wait_for
from tests.integration.faulty_proxy import FaultyProxy
from tests.integration.shop import agent_token, buyer, say

ROOT = Path(__file__).resolve().parents[2]


def _copies_on_server(db: Path, cmid: str) -> int:
    with sqlite3.connect(db) as conn:
        count: int = conn.execute(
            "SELECT COUNT(*) FROM messages WHERE client_msg_id = ?", (cmid,)
        ).fetchone()[0]
    return count


async def _line(child: subprocess.Popen[str]) -> str:
    assert child.stdout is not None
    async with asyncio.timeout(30):
        return (await asyncio.to_thread(child.stdout.readline)).strip()


@pytest.mark.parametrize("moment", ["before the frame left", "after the server stored it"])
async def test_killed_client_sends_its_outbox_once_after_restart(
    backend: BackendProcess, tmp_path: Path, moment: str
) -> None:
    proxy = FaultyProxy(backend.port)
    await proxy.start()
    shopper, _ = await buyer(backend.url, "c0077")
    first = await say(shopper, "你好，能开发票吗？")
    token = await agent_token(backend.url, "agent1")
    args = [
        backend.url,
        proxy.url,
        str(tmp_path),
        token,
        first.message.conversation_id,
        "可以的，下单时备注抬头即可",
    ]
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.integration.crash_client", *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    try:
        assert await _line(child) == "ONLINE"
        if moment == "before the frame left":
            proxy.faults.delay_up_s = 30.0  # nothing the client writes gets through
        else:
            proxy.faults.delay_down_s = 30.0  # the server hears the client, the ok never comes back
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
        queued = await _line(child)
        assert queued.startswith("QUEUED "), queued
        cmid = queued.split()[1]
        if moment == "after the server stored it":
            await wait_for(lambda: _copies_on_server(backend.db_path, cmid) == 1)
        else:
            await asyncio.sleep(0.3)
            assert _copies_on_server(backend.db_path, cmid) == 0
        child.send_signal(signal.SIGKILL)
        await asyncio.to_thread(child.wait, 10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        for pipe in (child.stdout, child.stdin):
            if pipe is not None:
                pipe.close()
        await proxy.stop()

    client = await start_client(backend.url, tmp_path)  # the same store file: its outbox holds the message
    await wait_for(lambda: client.store.outbox() == [])
    assert _copies_on_server(backend.db_path, cmid) == 1
    got = await shopper.next_event(f.MessageCreated)
    while got.data.message.client_msg_id != cmid:
        got = await shopper.next_event(f.MessageCreated)
    await stop_client(client)
    await shopper.close()
