"""One seeded fault run: the agent client behind a fault-injecting proxy, against the real backend.

Shared by ``tests/integration/test_client_faults.py`` (which asserts on the :class:`RunReport`) and
``bench/client_faults.py`` (which runs hundreds and collects :meth:`RunReport.violations`).

A run puts a :class:`FaultyProxy` between a fresh agent client (its own cache in ``data_dir``) and the
backend, has two buyers open a conversation each, then 3–6 times: picks a fault (the connection cut
mid-frame either way, replies delayed past the request time-out, the backend killed with -9 and restarted
on the same database, or none), and sends a burst in both directions (buyers re-send with the same
``client_msg_id`` until acknowledged). Then it heals (no more faults), waits until the outbox is empty and
every acknowledged buyer message is cached, stops the client and records what the server and the cache
hold. The seed fixes the number of rounds and the first fault only: the bursts run concurrently and share
one ``random.Random``, so later draws depend on how they interleave.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.exceptions import ConnectionClosed

from desktop.client.connection import AgentClient
from desktop.client.status import LinkState
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.server.peer import Peer, RequestError
from desktop.store import LocalStore
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import start_client, stop_client, wait_for
from tests.integration.faulty_proxy import FaultyProxy
from tests.integration.shop import buyer

REQUEST_TIMEOUT_MS = 700
NETWORK = (ConnectionError, ConnectionClosed, TimeoutError, OSError)
FAULT_KINDS = ("cut_down", "cut_up", "delay", "kill", "none")


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


@dataclass
class RunReport:
    """What one run did and what it found; filled in as the run goes (``phase`` says how far it got)."""

    seed: int
    phase: str = "connect"  # connect → greet → faults → heal → check → done
    faults: list[str] = field(default_factory=list)  # the fault of each round, in order
    cuts: int = 0  # armed cuts that fired (a cut fires on the next bytes through the proxy)
    reconnects: int = 0  # RECONNECTING statuses the client went through
    conversations: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # client_msg_ids of the agent's messages
    buyer_ids: set[str] = field(default_factory=set)  # server ids of the buyer messages acknowledged
    server_counts: dict[str, int] = field(default_factory=dict)  # agent client_msg_id -> rows on the server
    cached_ids: list[str] = field(default_factory=list)  # message ids in the cache, per row
    outbox: list[str] = field(default_factory=list)  # client_msg_ids still pending after the run
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (client_msg_id, code, text)
    missing_at_stop: list[str] = field(default_factory=list)  # acknowledged buyer messages not cached
    outbox_at_stop: list[str] = field(default_factory=list)  # the outbox when the client was stopped
    duration_s: float = 0.0

    def violations(self) -> list[str]:
        """The invariants the test asserts, as messages (empty when the run was clean)."""
        found: list[str] = []
        if ("kill" in self.faults or self.cuts) and self.reconnects < 1:
            found.append(f"faults without a reconnect: {self.faults}, {self.cuts} cut(s)")
        expected = dict.fromkeys(self.sent, 1)
        if self.server_counts != expected:
            lost = sorted(c for c in expected if c not in self.server_counts)
            doubled = {c: n for c, n in sorted(self.server_counts.items()) if n != 1}
            unknown = sorted(c for c in self.server_counts if c not in expected)
            found.append(
                f"agent messages on the server not exactly once: {len(lost)} of {len(self.sent)} lost"
                f" {abbreviate(lost)}, doubled {doubled}, unexpected {abbreviate(unknown)}"
            )
        doubles = sorted({i for i in self.cached_ids if self.cached_ids.count(i) > 1})
        if doubles:
            found.append(f"messages cached more than once: {abbreviate(doubles)}")
        missing = sorted(self.buyer_ids - set(self.cached_ids))
        if missing:
            found.append(
                f"buyer messages not cached: {len(missing)} of {len(self.buyer_ids)} {abbreviate(missing)}"
            )
        if self.outbox:
            found.append(f"outbox not empty: {len(self.outbox)} {abbreviate(self.outbox)}")
        if self.failed:
            found.append(f"failed messages: {len(self.failed)} {abbreviate(self.failed)}")
        return found


def abbreviate(items: list[Any], shown: int = 5) -> str:
    """The first few items of a list, for a message that stays readable."""
    more = f", … {len(items) - shown} more" if len(items) > shown else ""
    return f"[{', '.join(map(repr, items[:shown]))}{more}]"


async def _restart(backend: BackendProcess) -> None:
    await asyncio.to_thread(backend.kill)
    await asyncio.sleep(0.05)
    await asyncio.to_thread(backend.start)


async def _fault(rng: random.Random, proxy: FaultyProxy, backend: BackendProcess) -> str:
    kind = rng.choice(FAULT_KINDS)
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


async def run_fault_scenario(
    backend: BackendProcess, data_dir: Path, seed: int, *, report: RunReport | None = None
) -> RunReport:
    """One run with ``random.Random(seed)``; returns what it saw without judging it (see ``violations``).

    Exceptions (a wait that timed out, a buyer that could not send, the backend not restarting) propagate,
    with a note naming the seed, the phase and the faults so far. Pass ``report`` to keep what was recorded
    up to such an exception.
    """
    started = time.perf_counter()
    report = report if report is not None else RunReport(seed)
    rng = random.Random(seed)
    proxy = FaultyProxy(backend.port)
    await proxy.start()
    client = await start_client(proxy.url, data_dir, request_timeout_ms=REQUEST_TIMEOUT_MS)
    shoppers = [Buyer(backend.url, f"c{1 + (seed * 3 + n) % 200:04d}") for n in range(2)]
    sent, faults = report.sent, report.faults
    try:
        report.phase = "greet"
        for shopper in shoppers:
            await shopper.say("你好，在吗？")
        conversations = report.conversations = [s.conversation_id for s in shoppers]
        await wait_for(lambda: all(client.store.conversation(c) is not None for c in conversations))
        report.phase = "faults"
        for _ in range(rng.randint(3, 6)):
            faults.append(await _fault(rng, proxy, backend))
            await asyncio.gather(
                _agent_burst(client, rng, conversations, sent), *(_buyer_burst(s, rng) for s in shoppers)
            )
            await asyncio.sleep(rng.uniform(0, 0.3))
            proxy.faults.delay_down_s = 0.0

        # Heal: no more faults; everything must settle.
        report.phase = "heal"
        proxy.faults.cut_down_after = proxy.faults.cut_up_after = None
        client.retry_now()
        buyer_ids = report.buyer_ids = {mid for s in shoppers for mid in s.acked.values()}
        await wait_for(lambda: client.store.outbox() == [], timeout=30)
        await wait_for(lambda: all(client.store.message(m) is not None for m in buyer_ids), timeout=30)
    except BaseException as exc:
        exc.add_note(f"fault run seed {seed}: in phase {report.phase}, faults {faults}, {proxy.cuts} cut(s)")
        raise
    finally:
        report.cuts = proxy.cuts
        report.reconnects = sum(st.state is LinkState.RECONNECTING for st in client.statuses)  # type: ignore[attr-defined]
        acked = {mid for s in shoppers for mid in s.acked.values()}
        report.missing_at_stop = sorted(m for m in acked if client.store.message(m) is None)
        report.outbox_at_stop = [d.client_msg_id for d in client.store.outbox()]
        await stop_client(client)
        await proxy.stop()
        for shopper in shoppers:
            await shopper.close()
        report.duration_s = time.perf_counter() - started

    report.phase = "check"
    report.server_counts = _server_counts(backend.db_path, sent)
    store = LocalStore.open(client.store.path)
    try:
        report.cached_ids = [m.id for c in conversations for m in store.messages(c, limit=10_000)]
        report.outbox = [d.client_msg_id for d in store.outbox()]
        report.failed = [(d.client_msg_id, code, text) for d, code, text in store.failed_messages()]
    finally:
        store.close()
    report.phase = "done"
    report.duration_s = time.perf_counter() - started
    return report
