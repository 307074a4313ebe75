"""A shopdesk.v1 client written from docs/protocol.md alone, talking to the real backend.

Nothing here imports ``desktop`` (not even ``desktop.protocol``): the client is plain ``json`` over
``websockets`` and follows only what the document says, so a gap in the document shows up as a failure here.
The demo shop's data (shop ``demo``, ``agent1``..``agent5`` / ``demo123``, buyers ``c0001``..``c0200``, widget
secret ``demo-widget-secret``) is test data, not protocol, and is taken from the test harness.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import itertools
import json
import time
import uuid
from typing import Any

import pytest_asyncio
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from tests.integration.backend import BackendProcess

SUBPROTOCOL = "shopdesk.v1"  # docs §1
MAX_FRAME_BYTES = 1_048_576  # docs §1
EPHEMERAL = frozenset({"typing", "presence.changed"})  # docs §4.1
SHOP, PASSWORD, WIDGET_SECRET = "demo", "demo123", "demo-widget-secret"
CLIENT_INFO = {"name": "docs-client", "version": "1.0"}
Frame = dict[str, Any]
_OPEN: list[JsonClient] = []


@pytest_asyncio.fixture(autouse=True)
async def close_clients(backend: BackendProcess) -> Any:
    """Close what a test left open (it failed half-way) before the backend stops."""
    yield
    while _OPEN:
        client = _OPEN.pop()
        await client.ws.close()
        with contextlib.suppress(BaseException):
            await client.reader


class ServerError(Exception):
    def __init__(self, frame: Frame) -> None:
        data = frame.get("data") or {}
        super().__init__(f"{data.get('code')}: {data.get('message')}")
        self.code = data.get("code")
        self.data = data


class JsonClient:
    """Requests with ids ``c1``, ``c2``, … matched to replies by ``re``; events queued and seq-checked."""

    def __init__(self, ws: Any, name: str) -> None:
        self.ws, self.name = ws, name
        self.ids = itertools.count(1)
        self.pending: dict[str, tuple[str, asyncio.Future[Frame]]] = {}
        self.events: asyncio.Queue[Frame] = asyncio.Queue()
        self.frames: list[Frame] = []  # every frame received, in order
        self.problems: list[str] = []  # protocol violations seen by the reader
        self.last_seq: int | None = None  # set when the hello reply arrives
        self.since: int | None = None
        self.reader = asyncio.create_task(self._read())
        _OPEN.append(self)

    @classmethod
    async def open(cls, url: str, name: str) -> JsonClient:
        ws = await connect(
            url, subprotocols=[Subprotocol(SUBPROTOCOL)], max_size=MAX_FRAME_BYTES, open_timeout=10
        )
        assert ws.subprotocol == SUBPROTOCOL
        return cls(ws, name)

    async def send(self, frame: Frame) -> None:
        text = json.dumps(frame, ensure_ascii=False)
        assert len(text.encode()) <= MAX_FRAME_BYTES
        await self.ws.send(text)

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                if not isinstance(raw, str):
                    self.problems.append(f"binary frame {raw!r:.80}")
                    continue
                frame = json.loads(raw)
                if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
                    self.problems.append(f"not an object with a string type: {raw:.200}")
                    continue
                self.frames.append(frame)
                if frame["type"] in ("ok", "error"):
                    self._reply(frame)
                else:
                    self._check_event(frame)
                    self.events.put_nowait(frame)
        except ConnectionClosed:
            pass
        finally:
            for _, future in self.pending.values():
                if not future.done():
                    future.set_exception(ConnectionError(f"{self.name}: connection closed"))

    def _reply(self, frame: Frame) -> None:
        entry = self.pending.pop(str(frame.get("re")), None)
        if entry is None:
            self.problems.append(f"reply nobody asked for: {frame}")
            return
        kind, future = entry
        if kind == "hello" and frame["type"] == "ok":  # set here: the events after the ok may be read first
            data = frame["data"]
            resumed = self.since is not None and not data.get("resync", False)
            self.last_seq = self.since if resumed else data["seq"]
        future.set_result(frame)

    def _check_event(self, frame: Frame) -> None:
        if not isinstance(frame.get("ts"), int) or isinstance(frame.get("ts"), bool):
            self.problems.append(f"event without integer ts: {frame}")
        if not isinstance(frame.get("data"), dict):
            self.problems.append(f"event without data object: {frame}")
        seq = frame.get("seq")
        if frame["type"] in EPHEMERAL:
            if seq is not None:
                self.problems.append(f"ephemeral event with seq: {frame}")
        elif self.last_seq is None:
            self.problems.append(f"numbered event before the hello reply: {frame}")
        elif seq != self.last_seq + 1:
            self.problems.append(f"seq {seq} after {self.last_seq} (expected +1): {frame}")
        else:
            self.last_seq = seq

    async def request(self, rtype: str, data: Frame | None = None, *, timeout: float = 10) -> Frame:
        """Send a request; the ``data`` of its ``ok``, or ServerError for its ``error``."""
        rid = f"c{next(self.ids)}"
        future: asyncio.Future[Frame] = asyncio.get_running_loop().create_future()
        self.pending[rid] = (rtype, future)
        await self.send({"type": rtype, "id": rid, "data": data or {}})
        reply = await asyncio.wait_for(future, timeout)
        assert reply["re"] == rid
        if reply["type"] == "error":
            raise ServerError(reply)
        data_ = reply.get("data", {})
        assert isinstance(data_, dict), reply
        return data_

    async def hello(self, role: str, token: str, since: int | None = None) -> Frame:
        self.since = since
        data: Frame = {"role": role, "token": token, "client": CLIENT_INFO}
        if since is not None:
            data["resume"] = {"since": since}
        return await self.request("hello", data)

    async def recv(self, etype: str, timeout: float = 10, **match: Any) -> Frame:
        """The next event of ``etype`` whose data has the given top-level values (others are skipped)."""
        async with asyncio.timeout(timeout):
            while True:
                event = await self.events.get()
                self.assert_clean()
                if event["type"] == etype and all(event["data"].get(k) == v for k, v in match.items()):
                    return event

    def drain(self) -> list[Frame]:
        out = []
        while not self.events.empty():
            out.append(self.events.get_nowait())
        return out

    def assert_clean(self) -> None:
        assert not self.problems, f"{self.name}: {self.problems}"

    async def close(self) -> None:
        await self.ws.close()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader
        self.assert_clean()


def text_msg(text: str, conversation_id: str | None = None) -> Frame:
    data: Frame = {"client_msg_id": str(uuid.uuid4()), "kind": "text", "body": {"text": text}}
    if conversation_id is not None:
        data["conversation_id"] = conversation_id
    return data


def signature(shop: str, external_id: str) -> str:  # docs §5.2
    return hmac.new(WIDGET_SECRET.encode(), f"{shop}:{external_id}".encode(), hashlib.sha256).hexdigest()


async def open_agent(url: str, username: str) -> tuple[JsonClient, str, Frame]:
    client = await JsonClient.open(url, username)
    token = (await client.request("login", {"shop": SHOP, "username": username, "password": PASSWORD}))[
        "token"
    ]
    return client, token, await client.hello("agent", token)


async def test_full_scenario_with_a_client_written_from_the_docs(backend: BackendProcess) -> None:
    started = int(time.time() * 1000) - 1000
    agent, agent_token, agent_hello = await open_agent(backend.url, "agent5")
    assert agent_hello["me"]["role"] == "agent" and agent_hello["seq"] >= 0
    await agent.request("presence.set", {"status": "online"})

    buyer = await JsonClient.open(backend.url, "buyer")
    reg = await buyer.request(
        "customer.register", {"shop": SHOP, "external_id": "c0001", "signature": signature(SHOP, "c0001")}
    )
    buyer_token, customer_id = reg["token"], reg["customer_id"]
    buyer_hello = await buyer.hello("customer", buyer_token)
    assert buyer_hello["me"] == {**buyer_hello["me"], "role": "customer", "id": customer_id}

    # The buyer writes; the agent is assigned the conversation and sees the message.
    sent = (await buyer.request("message.send", text_msg("请问这件有M码吗？")))["message"]
    conv = sent["conversation_id"]
    assert sent["sender"] == {"role": "customer", "id": customer_id} and sent["body"] == {
        "text": "请问这件有M码吗？"
    }
    await buyer.recv("message.created", message=sent)  # the sender's own stream has it too (§5.10)
    assigned = await agent.recv("conversation.assigned")
    assert assigned["data"]["conversation"]["id"] == conv
    assert assigned["data"]["conversation"]["assignee_id"] == agent_hello["me"]["id"]
    await agent.recv("message.created", message=sent)
    assert assigned["seq"] > agent_hello["seq"]

    # The agent answers; the buyer gets it; the agent marks the buyer's message read.
    reply = (await agent.request("message.send", text_msg("有的亲，M码现货～", conv)))["message"]
    assert reply["sender"] == {"role": "agent", "id": agent_hello["me"]["id"]}
    await buyer.recv("message.created", message=reply)
    await agent.recv("message.created", message=reply)
    assert (
        await agent.request("conversation.read", {"conversation_id": conv, "up_to_message_id": sent["id"]})
        == {}
    )
    read = await agent.recv("message.read", conversation_id=conv)
    assert read["data"]["up_to_message_id"] == sent["id"]
    assert read["data"]["reader"] == {"role": "agent", "id": agent_hello["me"]["id"]}

    # Customer profile (masked) and orders (newest first).
    customer = (await agent.request("customer.get", {"customer_id": customer_id}))["customer"]
    assert customer["id"] == customer_id and "*" in customer["phone_masked"]
    orders = (await agent.request("orders.list", {"customer_id": customer_id}))["orders"]
    assert len(orders) == customer.get("orders_count", 0)
    assert [o["created_at"] for o in orders] == sorted((o["created_at"] for o in orders), reverse=True)
    for order in orders:
        assert isinstance(order["total_cents"], int) and order["items"] and order["status"]

    # History, one message per page, newest first page, each page oldest-first.
    full = await agent.request("history.fetch", {"conversation_id": conv, "limit": 200})
    assert full["more"] is False and [m["id"] for m in full["messages"]][-2:] == [sent["id"], reply["id"]]
    pages: list[Frame] = []
    before: str | None = None
    while True:
        query: Frame = {"conversation_id": conv, "limit": 1}
        if before is not None:
            query["before_message_id"] = before
        page = await agent.request("history.fetch", query)
        assert len(page["messages"]) == 1
        pages.insert(0, page["messages"][0])
        before = page["messages"][0]["id"]
        if not page["more"]:
            break
        assert len(pages) < 50
    assert pages == full["messages"] and len(pages) >= 2

    # Typing: ephemeral, no seq (the reader checks), routed to the other side.
    await buyer.send({"type": "typing", "data": {}})
    typing = await agent.recv("typing", conversation_id=conv)
    assert typing["data"]["from"] == {"role": "customer", "id": customer_id} and "seq" not in typing

    # Close, invite a rating, the buyer rates, the agent hears about it.
    closed = await agent.request("conversation.close", {"conversation_id": conv, "reason": "问题已解决"})
    assert closed["conversation"]["status"] == "closed"
    updated = await buyer.recv("conversation.updated")
    while updated["data"]["conversation"]["status"] != "closed":
        updated = await buyer.recv("conversation.updated")
    assert await agent.request("rating.invite", {"conversation_id": conv}) == {}
    await buyer.recv("rating.requested", conversation_id=conv)
    await buyer.request("rating.submit", {"conversation_id": conv, "score": 5, "comment": "客服很耐心"})
    rated = await agent.recv("rating.received", conversation_id=conv)
    assert (rated["data"]["score"], rated["data"].get("comment")) == (5, "客服很耐心")
    stats = await agent.request("stats.get", {"since": started})
    assert stats["since"] == started
    assert stats.get("conversations_closed", 0) >= 1 and stats.get("messages_sent", 0) >= 1
    assert stats.get("ratings_count", 0) >= 1 and stats.get("ratings_avg") == 5

    # ShopDesk additions: suspend (§5.5) and the team with status and load (§5.20); customers may not list.
    me_id = agent_hello["me"]["id"]
    await agent.request("presence.set", {"status": "online", "suspended": True})
    await agent.recv("presence.changed", agent_id=me_id, suspended=True)  # §6.11: the agent itself too
    team = {a["id"]: a for a in (await agent.request("agents.list"))["agents"]}
    assert team[me_id]["status"] == "online" and team[me_id].get("suspended") is True
    assert team[me_id]["active_count"] == 0 and team[me_id]["max_concurrent"] >= 1
    await agent.request("presence.set", {"status": "online"})
    back = await agent.recv("presence.changed", agent_id=me_id, status="online")
    assert back["data"].get("suspended", False) is False
    try:
        await buyer.request("agents.list")
    except ServerError as exc:
        assert exc.code == "forbidden"
    else:
        raise AssertionError("a customer was given the agents")

    # A second conversation for the reconnect checks.
    second = (await buyer.request("message.send", text_msg("还有一个问题")))["message"]
    conv2 = second["conversation_id"]
    assert conv2 != conv
    await agent.recv("conversation.assigned")
    await agent.recv("message.created", message=second)
    await buyer.recv("message.created", message=second)

    # The buyer drops; the agent writes twice; the buyer resumes and gets exactly the missed events, in order.
    await asyncio.sleep(0.2)
    buyer_since = buyer.last_seq
    assert buyer_since is not None
    await buyer.close()
    missed = [(await agent.request("message.send", text_msg(f"第{i}条", conv2)))["message"] for i in (1, 2)]
    buyer = await JsonClient.open(backend.url, "buyer-again")
    resumed = await buyer.hello("customer", buyer_token, since=buyer_since)
    await _check_replay(buyer, buyer_since, resumed, missed)
    later = (await agent.request("message.send", text_msg("第3条", conv2)))["message"]
    live = await buyer.recv("message.created", message=later)
    assert live["seq"] > resumed["seq"]

    # The agent drops; the buyer writes twice; the agent resumes the same way.
    await asyncio.sleep(0.2)
    agent_since = agent.last_seq
    assert agent_since is not None
    await agent.close()
    missed = [(await buyer.request("message.send", text_msg(f"在吗{i}")))["message"] for i in (1, 2)]
    assert {m["conversation_id"] for m in missed} == {conv2}
    agent = await JsonClient.open(backend.url, "agent-again")
    resumed = await agent.hello("agent", agent_token, since=agent_since)
    await _check_replay(agent, agent_since, resumed, missed)

    await asyncio.sleep(0.2)
    for client in (agent, buyer):
        client.drain()  # later live events (e.g. the buyer's own sends): seq-checked by the reader
        await client.close()
        assert all(isinstance(f, dict) and isinstance(f.get("type"), str) for f in client.frames)


async def _check_replay(client: JsonClient, since: int, hello_ok: Frame, missed: list[Frame]) -> None:
    """After ``hello`` + ``resume.since``: each event since+1..ok.seq once, in order, with the missed ones."""
    assert hello_ok.get("resync", False) is False
    assert hello_ok["seq"] >= since + len(missed), (since, hello_ok["seq"])
    replayed: list[Frame] = []
    async with asyncio.timeout(10):
        while not replayed or replayed[-1].get("seq") != hello_ok["seq"]:
            event = await client.events.get()
            client.assert_clean()
            if event["type"] not in EPHEMERAL:
                replayed.append(event)
    assert [e["seq"] for e in replayed] == list(range(since + 1, hello_ok["seq"] + 1))
    created = [e["data"]["message"]["id"] for e in replayed if e["type"] == "message.created"]
    assert created == [m["id"] for m in missed]
    # Exactly once: a round trip later, nothing more has arrived (the reader also rejects any repeated seq).
    await client.request("sync.snapshot")
    await asyncio.sleep(0.2)
    client.assert_clean()
    assert [e for e in client.drain() if e["type"] not in EPHEMERAL] == []
