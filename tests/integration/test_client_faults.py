"""Randomised, seeded fault runs: the agent client never loses or doubles a message.

Each run puts a fault-injecting proxy between the agent client and the real backend, then mixes bursts in
both directions with faults: the connection cut mid-frame (either direction), replies delayed past the
request time-out, and the backend killed with -9 and restarted on the same database. After healing:
every buyer message is in the agent's cache exactly once, every message the agent sent is on the server
exactly once, and the outbox is empty. ``bench/client_faults.py`` runs hundreds of these.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from desktop.client.connection import AgentClient
from desktop.client.status import LinkState
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.server.peer import Peer, RequestError
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import start_client, stop_client, wait_for
from tests.integration.faulty_proxy import FaultyProxy
from tests.integration.shop import admin, buyer

RUNS = 20
REQUEST_TIMEOUT_MS = 700
NETWORK = (ConnectionError, ConnectionClosed, TimeoutError, OSError)


@dataclass
class Buyer:
    """A buyer that re-sends with the same client_msg_id until acknowledged, reconnecting as needed."""

    url: str
    ident: str
    peer: Peer | None = None
    token: str = ""
    conversation_id: str = ""
    acked: dict[str, str] = field(default_factory=dict)  # client_msg_id -> message id

    async def connect(self) -> None:
        if self.token:
            self.peer = await Peer.open(self.url)
            await self.peer.hello("customer", self.token)
        else:
            self.peer, self.token = await buyer(self.url, self.ident)

    async def say(self, text: str) -> None:
        cmid = str(uuid.uuid4())
        data = p.MessageSendData(client_msg_id=cmid, kind="text", body={"text": text})
        for _ in range(200):
            try:
                if self.peer is None or self.peer.closed.is_set():
                    await self.connect()
                assert self.peer is not None
                reply = await self.peer.request(f.MessageSend(id="", data=data), p.MessageData, timeout=3)
                self.acked[cmid] = reply.message.id
                self.conversation_id = reply.message.conversation_id
                return
            except (*NETWORK, RequestError):
                self.peer = None
                await asyncio.sleep(0.1)
        raise AssertionError(f"buyer {self.ident} could not send for 20 s")

    async def close(self) -> None:
        if self.peer is not None:
            await self.peer.close()


@pytest.fixture(scope="module")
def shared_backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BackendProcess]:
    server = BackendProcess(tmp_path_factory.mktemp("faults") / "shop.db", extra=["--rate", "100000"])
    server.start()
    admin(server.db_path, "agent-max", "demo", "agent1", "100")
    yield server
    server.stop()


async def _restart(backend: BackendProcess) -> None:
    await asyncio.to_thread(backend.kill)
    await asyncio.sleep(0.05)
    await asyncio.to_thread(backend.start)


async def _fault(rng: random.Random, proxy: FaultyProxy, backend: BackendProcess) -> str:
    kind = rng.choice(["cut_down", "cut_up", "delay", "kill", "none"])
    if kind == "cut_down":
        proxy.cut_soon(rng, down=True)
    elif kind == "cut_up":
        proxy.cut_soon(rng, down=False)
    elif kind == "delay":
        proxy.faults.delay_down_s = REQUEST_TIMEOUT_MS / 1000 * rng.uniform(1.2, 2.0)
    elif kind == "kill":
        await _restart(backend)
    return kind


async def _agent_burst(
    client: AgentClient, rng: random.Random, conversations: list[str], sent: list[str]
) -> None:
    for _ in range(rng.randint(3, 12)):
        conv = rng.choice(conversations)
        sent.append(client.send_text(conv, f"亲，收到～{rng.randint(0, 10**6)}"))
        if rng.random() < 0.3:
            await asyncio.sleep(rng.uniform(0, 0.05))


async def _buyer_burst(shopper: Buyer, rng: random.Random) -> None:
    for _ in range(rng.randint(2, 8)):
        await shopper.say(f"请问什么时候发货？{rng.randint(0, 10**6)}")


def _server_counts(db_path: Path, cmids: list[str]) -> dict[str, int]:
    with sqlite3.connect(db_path) as db:
        rows = db.execute(
            f"SELECT client_msg_id, COUNT(*) FROM messages WHERE sender_role = 'agent' AND client_msg_id IN"
            f" ({','.join('?' * len(cmids))}) GROUP BY client_msg_id",
            cmids,
        ).fetchall()
    return dict(rows)


@pytest.mark.parametrize("seed", range(RUNS))
async def test_no_message_is_lost_or_doubled_under_faults(
    shared_backend: BackendProcess, tmp_path: Path, seed: int
) -> None:
    backend, rng = shared_backend, random.Random(seed)
    proxy = FaultyProxy(backend.port)
    await proxy.start()
    client = await start_client(proxy.url, tmp_path, request_timeout_ms=REQUEST_TIMEOUT_MS)
    shoppers = [Buyer(backend.url, f"c{1 + (seed * 3 + n) % 200:04d}") for n in range(2)]
    sent: list[str] = []
    faults: list[str] = []
    try:
        for shopper in shoppers:
            await shopper.say("你好，在吗？")
        conversations = [s.conversation_id for s in shoppers]
        await wait_for(lambda: all(client.store.conversation(c) is not None for c in conversations))
        for _ in range(rng.randint(3, 6)):
            faults.append(await _fault(rng, proxy, backend))
            await asyncio.gather(
                _agent_burst(client, rng, conversations, sent), *(_buyer_burst(s, rng) for s in shoppers)
            )
            await asyncio.sleep(rng.uniform(0, 0.3))
            proxy.faults.delay_down_s = 0.0

        # Heal: no more faults; everything must settle.
        proxy.faults.cut_down_after = proxy.faults.cut_up_after = None
        client.retry_now()
        buyer_ids = {mid for s in shoppers for mid in s.acked.values()}
        await wait_for(lambda: client.store.outbox() == [], timeout=30)
        await wait_for(lambda: all(client.store.message(m) is not None for m in buyer_ids), timeout=30)
        reconnects = sum(st.state is LinkState.RECONNECTING for st in client.statuses)  # type: ignore[attr-defined]
    finally:
        await stop_client(client)
        await proxy.stop()
        for shopper in shoppers:
            await shopper.close()

    # The faults really happened: a kill or a cut (armed cuts fire on the next bytes) costs the connection.
    if "kill" in faults or proxy.cuts:
        assert reconnects >= 1, (faults, proxy.cuts)

    # Every message the agent sent is on the server exactly once.
    assert _server_counts(backend.db_path, sent) == dict.fromkeys(sent, 1), faults
    # Every buyer message is in the cache exactly once (and nothing in the cache twice).
    from desktop.store import LocalStore

    store = LocalStore.open(client.store.path)
    try:
        cached = [m for c in conversations for m in store.messages(c, limit=10_000)]
        ids = [m.id for m in cached]
        assert len(ids) == len(set(ids)), faults
        assert buyer_ids <= set(ids), faults
        assert store.outbox() == [] and store.failed_messages() == []
    finally:
        store.close()
