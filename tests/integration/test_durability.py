"""kill -9 during a burst: what was acknowledged survives exactly once, and seq continues without a gap."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.server.peer import Peer
from tests.integration.backend import BackendProcess
from tests.integration.shop import agent_token, buyer, say

BURST = 1000
KILL_AFTER = 400
WINDOW = 32


@pytest.fixture
def fast_backend(tmp_path: Path) -> Iterator[BackendProcess]:
    server = BackendProcess(tmp_path / "shop.db", extra=["--rate", "100000"])
    server.start()
    yield server
    server.stop()


async def _burst(peer: Peer, cmids: list[str], acked: dict[str, str], on_ack: asyncio.Event | None) -> None:
    """Send with up to WINDOW requests in flight; record each ok; stop at the first failure."""
    queue: asyncio.Queue[str] = asyncio.Queue()
    for cmid in cmids:
        queue.put_nowait(cmid)

    async def worker() -> None:
        while not queue.empty():
            cmid = queue.get_nowait()
            reply = await say(peer, f"第{cmid}条：请问什么时候发货？", cmid=cmid)
            acked[cmid] = reply.message.id
            if on_ack is not None and len(acked) >= KILL_AFTER:
                on_ack.set()

    results = await asyncio.gather(*(worker() for _ in range(WINDOW)), return_exceptions=True)
    for result in results:  # a worker may only stop because the server went away
        if isinstance(result, BaseException) and not isinstance(result, ConnectionError | ConnectionClosed):
            raise result


def _event_seqs(db_path: Path) -> dict[str, tuple[int, int, int, int]]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            "SELECT recipient, COUNT(*), MIN(seq), MAX(seq) FROM events GROUP BY recipient"
        ).fetchall()
        heads = dict(db.execute("SELECT recipient, seq FROM event_seqs").fetchall())
    return {r: (n, lo, hi, heads[r]) for r, n, lo, hi in rows}


async def test_kill_9_during_a_burst_loses_nothing_acknowledged(fast_backend: BackendProcess) -> None:
    backend = fast_backend
    token = await agent_token(backend.url, "agent1")
    watcher = await Peer.open(backend.url)
    await watcher.hello("agent", token)
    shopper, buyer_token = await buyer(backend.url, "c0042")
    cmids = [f"burst-{n:04d}" for n in range(BURST)]
    acked: dict[str, str] = {}
    killed = asyncio.Event()

    async def killer() -> None:
        await killed.wait()
        await asyncio.to_thread(backend.kill)

    kill_task = asyncio.create_task(killer())
    await _burst(shopper, cmids, acked, killed)
    await kill_task
    before_restart = dict(acked)
    assert KILL_AFTER <= len(before_restart) < BURST, "the kill should land mid-burst"
    for peer in (shopper, watcher):
        await peer.close()

    backend.start()  # same database, same port
    again = await Peer.open(backend.url)
    await again.hello("customer", buyer_token)
    missing = [c for c in cmids if c not in acked]  # the client's outbox: re-sent with the same ids
    await _burst(again, missing, acked, None)
    assert len(acked) == BURST
    for cmid, message_id in before_restart.items():
        assert acked[cmid] == message_id, "an acknowledged message changed identity after the crash"

    with sqlite3.connect(backend.db_path) as db:
        rows = db.execute(
            "SELECT client_msg_id, id FROM messages WHERE sender_id = 'c0042'"
            " AND client_msg_id LIKE 'burst-%'"
        ).fetchall()
    assert len(rows) == BURST and dict(rows) == acked

    # Per recipient, stored seqs are exactly 1..head: no gap, no repeat, across the restart.
    for recipient, (count, low, high, head) in _event_seqs(backend.db_path).items():
        assert (count, low, high) == (head, 1, head), recipient

    # An agent resuming from 0 gets every event once, strictly +1.
    back = await Peer.open(backend.url)
    hello = await back.hello("agent", token, since=0)
    assert not hello.resync
    seen: list[int] = []
    while len(seen) < hello.seq:
        event = await back.next_event(timeout=10)
        if event.seq is not None:
            seen.append(event.seq)
    assert seen == list(range(1, hello.seq + 1))
    created = await back.request(f.SyncSnapshot(id=""), p.SnapshotOk)
    assert created.seq >= hello.seq
    await back.close()
    await again.close()
