"""The buyer simulator and the auto agents against the real backend process, and ``shopdesk demo``."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, cast

from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from desktop.protocol import SUBPROTOCOL, limits
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import Conversation
from desktop.server.auto_agent import AutoAgentStats, run_auto_agents
from desktop.server.demo_seed import DEMO_PASSWORD, DemoBuyer, build_demo_shop
from desktop.server.peer import Peer, RequestError, agent_peer
from desktop.server.peer_tools import next_event
from desktop.server.simulator import DEMO_DATA_SEED, SentMessage, SimulatorStats, simulate
from tests.integration.backend import BackendProcess

# Fast enough for a test: buyers think at 2 % of human speed, agents answer within 0.15 s and wrap up a
# conversation after half a second of silence.
FAST_AGENTS: dict[str, Any] = {"reply_delay_s": (0.05, 0.15), "idle_close_s": 0.5}
# An 11-digit mainland mobile number, not part of a longer number or an id (timestamps, order numbers and
# hex ids contain such digit runs).
PHONE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")


def customer_messages(db_path: Path) -> list[sqlite3.Row]:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        return db.execute(
            "SELECT sender_id, client_msg_id, conversation_id, kind, body FROM messages"
            " WHERE sender_role = 'customer'"
        ).fetchall()


def landed_ratings(db_path: Path) -> int:
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as db:
        count: int = db.execute("SELECT COUNT(*) FROM ratings WHERE score IS NOT NULL").fetchone()[0]
        return count


def assert_each_acknowledged_message_stored_once(journal: list[SentMessage], db_path: Path) -> None:
    rows = customer_messages(db_path)
    stored = Counter((r["sender_id"], r["client_msg_id"]) for r in rows)
    by_key = {(r["sender_id"], r["client_msg_id"]): r for r in rows}
    sent = {(m.customer_id, m.client_msg_id) for m in journal}
    assert len(sent) == len(journal), "client_msg_ids must be unique"
    for message in journal:
        key = (message.customer_id, message.client_msg_id)
        if message.acked:
            assert stored[key] == 1, message
            row = by_key[key]
            assert (row["kind"], json.loads(row["body"])) == (message.kind, message.body)
            assert row["conversation_id"] == message.conversation_id
        else:  # cut off before its ok: stored at most once
            assert stored[key] <= 1, message
    assert set(stored) <= sent, "the server holds buyer messages the simulator never sent"


async def with_auto_agents(
    url: str, count: int, **simulation: Any
) -> tuple[SimulatorStats, list[AutoAgentStats]]:
    stop = asyncio.Event()
    agents = asyncio.create_task(run_auto_agents(url, count, stop, seed=7, **FAST_AGENTS))
    try:
        stats = await simulate(url, **simulation)
    finally:
        stop.set()
        agent_stats = await agents
    return stats, agent_stats


async def test_buyers_chat_with_auto_agents_and_every_line_lands_exactly_once(
    backend: BackendProcess,
) -> None:
    journal: list[SentMessage] = []
    stats, agents = await with_auto_agents(
        backend.url,
        2,
        buyers=10,
        rate=5,
        seed=11,
        duration=4,
        pace=0.02,
        reply_timeout_s=5,
        journal=journal,
    )

    assert stats.errors == 0, stats
    assert stats.conversations_started >= 3, stats
    acknowledged = [m for m in journal if m.acked]
    assert len(acknowledged) == stats.buyer_messages_sent >= stats.conversations_started
    assert_each_acknowledged_message_stored_once(journal, backend.db_path)
    # Signed demo buyers: the server knows them by their demo ids.
    assert {m.customer_id for m in journal} <= {b.id for b in build_demo_shop(DEMO_DATA_SEED).buyers}

    assert stats.agent_replies_received > 0
    assert sum(a.replies_sent for a in agents) >= stats.agent_replies_received
    assert all(a.conversations_taken > 0 and a.errors == 0 for a in agents), agents
    assert sum(a.conversations_closed for a in agents) > 0
    assert stats.ratings_given > 0, stats
    assert landed_ratings(backend.db_path) >= stats.ratings_given
    assert json.loads(stats.to_json())["ratings_given"] == stats.ratings_given


async def test_simulator_and_auto_agents_survive_a_backend_restart(backend: BackendProcess) -> None:
    journal: list[SentMessage] = []
    stop = asyncio.Event()
    agents = asyncio.create_task(run_auto_agents(backend.url, 2, stop, seed=3, **FAST_AGENTS))
    simulation = asyncio.create_task(
        simulate(
            backend.url, buyers=8, rate=4, seed=5, duration=8, pace=0.05, reply_timeout_s=8, journal=journal
        )
    )
    async with asyncio.timeout(15):
        while sum(m.acked for m in journal) < 3:  # buyers are chatting
            await asyncio.sleep(0.05)
    before_kill = sum(m.acked for m in journal)
    await asyncio.to_thread(backend.kill)
    await asyncio.sleep(0.5)
    await asyncio.to_thread(backend.start)  # same database, same port
    stats = await simulation
    stop.set()
    agent_stats = await agents

    assert stats.errors > 0 and stats.reconnects > 0, stats
    assert sum(m.acked for m in journal) > before_kill, "buyers went on after the restart"
    assert stats.buyer_messages_sent == sum(m.acked for m in journal)
    assert_each_acknowledged_message_stored_once(journal, backend.db_path)
    assert all(a.reconnects > 0 for a in agent_stats), agent_stats
    assert sum(a.replies_sent for a in agent_stats) > 0


# --- shopdesk demo ---------------------------------------------------------------------------------------


class _Output:
    """A subprocess's merged stdout/stderr, read on a thread."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._proc = proc
        self._thread = threading.Thread(target=self._pump, daemon=True)
        self._thread.start()

    def _pump(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self.lines.append(line)

    def text(self) -> str:
        return "".join(self.lines)

    def close(self) -> None:
        """After the process ended: read the rest and close the pipe."""
        self._thread.join(timeout=5)
        assert self._proc.stdout is not None
        self._proc.stdout.close()

    async def wait_for(self, pattern: str, timeout: float) -> re.Match[str]:
        async with asyncio.timeout(timeout):
            while True:
                match = re.search(pattern, "".join(self.lines))
                if match is not None:
                    return match
                assert self._proc.poll() is None, "".join(self.lines)
                await asyncio.sleep(0.05)


async def test_demo_command_serves_buyers_and_stops_cleanly_on_ctrl_c() -> None:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "desktop",
            "demo",
            "--headless",  # the backend, buyers and auto agents only (the window has its own test)
            "--port",
            "0",
            "--buyers",
            "5",
            "--rate",
            "3",
            "--seed",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    output = _Output(proc)
    try:
        url = (await output.wait_for(r"listening on (ws://\S+)", 30)).group(1)
        database = Path((await output.wait_for(r"database: (\S+) \(temporary", 5)).group(1))
        await output.wait_for(r"agent3", 5)  # the banner may arrive in more than one piece
        assert DEMO_PASSWORD in output.text()
        peer, _ = await agent_peer(url, "demo", "agent3", DEMO_PASSWORD)
        snapshot = await peer.request(f.SyncSnapshot(id=""), p.SnapshotOk)
        seen = bool(snapshot.conversations)
        async with asyncio.timeout(15):
            while not seen:
                event = await peer.next_event(timeout=15)
                seen = isinstance(event, f.ConversationAssigned | f.ConversationUpdated) or (
                    isinstance(event, f.QueueUpdated) and event.data.waiting > 0
                )
        await peer.close()
        assert database.exists()
        proc.send_signal(signal.SIGINT)
        code = await asyncio.to_thread(proc.wait, 30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        output.close()
    text = output.text()
    assert code == 0, text
    assert "Traceback" not in text, text
    assert "demo stopped" in text, text
    assert not database.parent.exists(), "the temporary database outlived the demo"


# --- what agents may see -----------------------------------------------------------------------------------


class _Tap:
    """Wraps a client connection and keeps every text frame it receives, before anything decodes it."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.frames: list[str] = []

    def __aiter__(self) -> AsyncIterator[str | bytes]:
        return self._frames()

    async def _frames(self) -> AsyncIterator[str | bytes]:
        async for raw in self.ws:
            self.frames.append(raw if isinstance(raw, str) else raw.decode())
            yield raw

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ws, name)


async def test_no_unmasked_phone_or_address_ever_reaches_an_agent(backend: BackendProcess) -> None:
    ws = await connect(backend.url, subprotocols=[Subprotocol(SUBPROTOCOL)], max_size=limits.MAX_FRAME_BYTES)
    tap = _Tap(ws)
    agent = Peer(cast(ClientConnection, tap))
    token = await agent.login("demo", "agent1", DEMO_PASSWORD)
    await agent.hello("agent", token)
    await agent.request(f.SyncSnapshot(id=""), p.SnapshotOk)

    journal: list[SentMessage] = []
    simulation = asyncio.create_task(
        simulate(
            backend.url, buyers=8, rate=4, seed=2, duration=5, pace=0.05, reply_timeout_s=3, journal=journal
        )
    )
    conversations: set[str] = set()
    profiles: list[p.CustomerData] = []
    orders: list[p.OrdersOk] = []

    async def look_at(conversation: Conversation) -> None:
        if conversation.status == "waiting":
            try:
                await agent.request(
                    f.ConversationAccept(id="", data=p.ConversationRef(conversation_id=conversation.id)),
                    p.ConversationData,
                )
            except RequestError as exc:
                assert exc.code == "conflict"
        if conversation.id not in conversations:
            conversations.add(conversation.id)
            ref = p.CustomerRef(customer_id=conversation.customer_id)
            profiles.append(await agent.request(f.CustomerGet(id="", data=ref), p.CustomerData))
            orders.append(await agent.request(f.OrdersList(id="", data=ref), p.OrdersOk))

    while not simulation.done():
        event = await next_event(agent, 0.1)
        if isinstance(event, f.ConversationAssigned | f.ConversationUpdated):
            await look_at(event.data.conversation)
    await simulation
    for conversation_id in conversations:
        await agent.request(
            f.HistoryFetch(id="", data=p.HistoryFetchData(conversation_id=conversation_id, limit=200)),
            p.HistoryOk,
        )
    await agent.request(f.SyncSnapshot(id=""), p.SnapshotOk)
    await agent.close()

    # The agent did see real profiles with (masked) contact details and orders.
    assert len(profiles) >= 3
    assert any(re.fullmatch(r"1[3-9][0-9]\*{4}[0-9]{4}", c.customer.phone_masked) for c in profiles)
    assert any(c.customer.address_masked.endswith("****") for c in profiles)
    assert any(o.orders for o in orders)

    # The backend was seeded with the demo data of rng seed 0 (seeding.seed_database's default).
    shop = build_demo_shop(DEMO_DATA_SEED)
    details = [b.address_full.removeprefix(b.address_masked.removesuffix("****")) for b in shop.buyers]
    typed_by_buyers = {
        number for m in journal if m.kind == "text" for number in PHONE.findall(str(m.body.get("text", "")))
    }
    assert len(tap.frames) > 50
    for raw in tap.frames:
        text = json.dumps(json.loads(raw), ensure_ascii=False)  # undo any \\u escapes
        for buyer, detail in zip(shop.buyers, details, strict=True):
            assert buyer.phone_full not in text, f"{buyer.id}'s phone number reached an agent: {text}"
            assert buyer.address_full not in text, f"{buyer.id}'s address reached an agent: {text}"
            assert detail not in text, f"{buyer.id}'s street address reached an agent: {text}"
        # A buyer may type a (new) phone number into the chat; nothing else may carry one.
        leaked = set(PHONE.findall(text)) - typed_by_buyers
        assert not leaked, f"unmasked phone number(s) {leaked} in a frame to an agent: {text}"


def street_of(buyer: DemoBuyer) -> str:
    """The street and house number of a demo buyer's address (``建设路943号``): never for agents' eyes."""
    region = buyer.address_masked.removesuffix("****")
    detail = buyer.address_full.removeprefix(region)
    return detail[: detail.index("号") + 1]


async def test_no_masked_address_shows_a_street_address(backend: BackendProcess) -> None:
    shop = build_demo_shop(DEMO_DATA_SEED)
    # Two connections, so that 200 look-ups stay within each one's burst allowance.
    peers = [(await agent_peer(backend.url, "demo", name, DEMO_PASSWORD))[0] for name in ("agent1", "agent2")]
    leaks = []
    for number, buyer in enumerate(shop.buyers):
        ref = p.CustomerRef(customer_id=buyer.id)
        customer = (await peers[number % 2].request(f.CustomerGet(id="", data=ref), p.CustomerData)).customer
        assert customer.phone_masked == buyer.phone_masked
        if street_of(buyer) in customer.address_masked:
            leaks.append((buyer.id, customer.address_masked))
    for peer in peers:
        await peer.close()
    assert not leaks, leaks
