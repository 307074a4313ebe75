"""Hostile and misbehaving clients against the real backend: each abuse is refused as the protocol says,
and the server goes on serving everybody else (``assert_still_serving`` after every abuse)."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import subprocess
import sys
import time
import uuid
from typing import Any

import pytest
import pytest_asyncio
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.typing import Subprotocol

from desktop.server.accounts import widget_signature
from desktop.server.seeding import DEMO_WIDGET_SECRET
from tests.integration.backend import BackendProcess

SHOP, PASSWORD = "demo", "demo123"
SUBPROTOCOLS = [Subprotocol("shopdesk.v1")]
MIB = 1_048_576
CLIENT = {"name": "hostile-tests", "version": "1"}
Frame = dict[str, Any]
_OPEN: list[Conn] = []


@pytest_asyncio.fixture(autouse=True)
async def close_connections(backend: BackendProcess) -> Any:
    """Close every connection a test opened, also when it fails half-way (before the backend stops)."""
    yield
    while _OPEN:
        await _OPEN.pop().close()


class Conn:
    """A raw JSON websocket connection: send anything, match replies by ``re``, queue the rest."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.replies: dict[str, asyncio.Future[Frame]] = {}
        self.orphans: asyncio.Queue[Frame] = asyncio.Queue()  # replies without a known ``re``
        self.events: asyncio.Queue[Frame] = asyncio.Queue()
        self.id: str = ""  # agent or customer id after hello
        self.reader = asyncio.create_task(self._read())
        _OPEN.append(self)

    @classmethod
    async def open(cls, url: str) -> Conn:
        return cls(await connect(url, subprotocols=SUBPROTOCOLS, open_timeout=10, max_size=MIB))

    async def _read(self) -> None:
        with contextlib.suppress(ConnectionClosed):
            async for raw in self.ws:
                frame = json.loads(raw)
                assert isinstance(frame, dict) and isinstance(frame.get("type"), str), raw
                if frame["type"] in ("ok", "error"):
                    future = self.replies.pop(frame.get("re") or "", None)
                    if future is None:
                        self.orphans.put_nowait(frame)
                    else:
                        future.set_result(frame)
                else:
                    self.events.put_nowait(frame)
        for future in self.replies.values():
            if not future.done():
                future.set_exception(ConnectionError("closed"))

    async def send_raw(self, raw: str | bytes) -> None:
        await self.ws.send(raw)

    async def call(self, rtype: str, data: Frame | None = None, *, rid: str | None = None) -> Frame:
        """Send a request; its reply frame (``ok`` or ``error``)."""
        rid = rid or f"h{next(self.ids)}"
        future = asyncio.get_running_loop().create_future()
        self.replies[rid] = future
        await self.ws.send(json.dumps({"type": rtype, "id": rid, "data": data or {}}))
        return await asyncio.wait_for(future, 10)

    async def ok(self, rtype: str, data: Frame | None = None) -> Frame:
        reply = await self.call(rtype, data)
        assert reply["type"] == "ok", reply
        result: Frame = reply.get("data", {})
        return result

    async def error(self, rtype: str, data: Frame | None = None) -> str:
        reply = await self.call(rtype, data)
        assert reply["type"] == "error", reply
        return str(reply["data"]["code"])

    async def orphan(self, timeout: float = 5) -> Frame:
        return await asyncio.wait_for(self.orphans.get(), timeout)

    async def event(self, etype: str, timeout: float = 10, **match: Any) -> Frame:
        async with asyncio.timeout(timeout):
            while True:
                event = await self.events.get()
                if event["type"] == etype and all(event["data"].get(k) == v for k, v in match.items()):
                    return event

    def pending_events(self) -> list[Frame]:
        out = []
        while not self.events.empty():
            out.append(self.events.get_nowait())
        return out

    async def close_code(self, timeout: float = 5) -> int | None:
        """Wait for the server to close the connection; the close code it sent."""
        await asyncio.wait_for(asyncio.shield(self.reader), timeout)
        return self.ws.close_code

    async def close(self) -> None:
        await self.ws.close()
        with contextlib.suppress(Exception):
            await self.reader


async def agent(url: str, username: str) -> Conn:
    conn = await Conn.open(url)
    token = (await conn.ok("login", {"shop": SHOP, "username": username, "password": PASSWORD}))["token"]
    hello = await conn.ok("hello", {"role": "agent", "token": token, "client": CLIENT})
    conn.id = hello["me"]["id"]
    return conn


async def buyer(url: str, external_id: str | None = None) -> Conn:
    conn = await Conn.open(url)
    data: Frame = {"shop": SHOP}
    if external_id is not None:
        data |= {
            "external_id": external_id,
            "signature": widget_signature(DEMO_WIDGET_SECRET, SHOP, external_id),
        }
    reg = await conn.ok("customer.register", data)
    await conn.ok("hello", {"role": "customer", "token": reg["token"], "client": CLIENT})
    conn.id = reg["customer_id"]
    return conn


def text(words: str, conversation_id: str | None = None) -> Frame:
    data: Frame = {"client_msg_id": str(uuid.uuid4()), "kind": "text", "body": {"text": words}}
    if conversation_id is not None:
        data["conversation_id"] = conversation_id
    return data


async def history(conn: Conn, conversation_id: str) -> list[Frame]:
    messages: list[Frame] = (await conn.ok("history.fetch", {"conversation_id": conversation_id}))["messages"]
    return messages


async def assert_still_serving(url: str, *listening_agents: Conn) -> None:
    """A fresh, well-behaved agent syncs, and a new buyer's message reaches an agent (it or a listener)."""
    fresh = await agent(url, "agent5")
    try:
        snapshot = await fresh.ok("sync.snapshot")
        assert isinstance(snapshot["conversations"], list) and snapshot["agents"]
        await fresh.ok("presence.set", {"status": "online"})
        shopper = await buyer(url)
        try:
            sent = (await shopper.ok("message.send", text("还在营业吗？")))["message"]
            waiters = [
                asyncio.create_task(a.event("message.created", message=sent))
                for a in (fresh, *listening_agents)
            ]
            done, pending = await asyncio.wait(waiters, timeout=10, return_when=asyncio.FIRST_COMPLETED)
            for task in pending:
                task.cancel()
            assert done, "the buyer's message reached no agent"
            assert next(iter(done)).result()["data"]["message"]["id"] == sent["id"]
        finally:
            await shopper.close()
    finally:
        await fresh.close()


# ------------------------------------------------------------------------------------- malformed frames


async def test_not_json_is_bad_request_without_re_and_the_connection_stays_open(
    backend: BackendProcess,
) -> None:
    conn = await Conn.open(backend.url)
    for raw in ("this is not json", "{", "[1, 2]", '"a string"', "42", "null", b"\xff\xfe not utf-8"):
        await conn.send_raw(raw)
        error = await conn.orphan()
        assert error["type"] == "error" and error["data"]["code"] == "bad_request", (raw, error)
        assert "re" not in error, (raw, error)
    # Still open and usable: log in and start a session on the same connection.
    token = (await conn.ok("login", {"shop": SHOP, "username": "agent1", "password": PASSWORD}))["token"]
    await conn.ok("hello", {"role": "agent", "token": token, "client": CLIENT})
    await conn.ok("sync.snapshot")
    await assert_still_serving(backend.url, conn)
    await conn.close()


async def test_frame_without_type_is_bad_request(backend: BackendProcess) -> None:
    conn = await agent(backend.url, "agent1")
    await conn.send_raw(json.dumps({"id": "x1", "data": {}}))
    error = await conn.orphan()  # replies are matched only for ids sent through call()
    assert error["type"] == "error" and error["data"]["code"] == "bad_request"
    assert "re" not in error  # docs §2.1: without a `type` a frame is not a request, whatever its `id`
    frames: list[Frame] = [{"data": {}}, {"type": 5, "id": "x2"}, {"type": None, "id": "x3"}]
    for frame in frames:
        await conn.send_raw(json.dumps(frame))
        error = await conn.orphan()
        assert error["type"] == "error" and error["data"]["code"] == "bad_request", (frame, error)
        assert "re" not in error, (frame, error)
    await conn.ok("sync.snapshot")  # the connection stays open
    await assert_still_serving(backend.url, conn)
    await conn.close()


async def test_unknown_type_is_unsupported_with_re(backend: BackendProcess) -> None:
    conn = await agent(backend.url, "agent1")
    reply = await conn.call("warehouse.restock", {"sku": "x"}, rid="u-1")
    assert reply == {**reply, "type": "error", "re": "u-1"} and reply["data"]["code"] == "unsupported"
    # A server-only type sent by a client is refused the same way.
    reply = await conn.call("message.created", {"message": {}}, rid="u-2")
    assert reply == {**reply, "type": "error", "re": "u-2"} and reply["data"]["code"] == "unsupported"
    await conn.ok("sync.snapshot")
    await assert_still_serving(backend.url, conn)
    await conn.close()


async def test_frame_over_one_mib_closes_with_1009(backend: BackendProcess) -> None:
    conn = await agent(backend.url, "agent1")
    # Exactly 1 MiB is allowed (unknown fields are ignored, so padding makes a valid request).
    head = {"type": "sync.snapshot", "id": "big-1", "data": {}, "pad": ""}
    padding = MIB - len(json.dumps(head).encode())
    exact = json.dumps({**head, "pad": "x" * padding})
    assert len(exact.encode()) == MIB
    future = asyncio.get_running_loop().create_future()
    conn.replies["big-1"] = future
    await conn.send_raw(exact)
    assert (await asyncio.wait_for(future, 10))["type"] == "ok"
    # One byte more closes the connection with 1009.
    await conn.send_raw(json.dumps({**head, "id": "big-2", "pad": "x" * (padding + 1)}))
    assert await conn.close_code() == 1009
    await assert_still_serving(backend.url)


async def test_no_hello_within_10_s_closes_with_4002(backend: BackendProcess) -> None:
    started = time.monotonic()
    idle = await Conn.open(backend.url)
    # Meanwhile the server serves everybody else, and a login does not extend the deadline.
    await idle.ok("login", {"shop": SHOP, "username": "agent2", "password": PASSWORD})
    await assert_still_serving(backend.url)
    code = await idle.close_code(timeout=15)
    elapsed = time.monotonic() - started
    assert code == 4002
    assert 9 <= elapsed < 13, elapsed
    await assert_still_serving(backend.url)


async def test_wrong_token_in_hello_is_unauthorized_and_closes_with_4001(backend: BackendProcess) -> None:
    conn = await Conn.open(backend.url)
    reply = await conn.call(
        "hello", {"role": "agent", "token": "sdt_not-a-real-token", "client": CLIENT}, rid="hello-1"
    )
    assert reply["type"] == "error" and reply["re"] == "hello-1" and reply["data"]["code"] == "unauthorized"
    assert await conn.close_code() == 4001
    # A real agent token presented for the customer role is refused the same way.
    login = await Conn.open(backend.url)
    token = (await login.ok("login", {"shop": SHOP, "username": "agent1", "password": PASSWORD}))["token"]
    reply = await login.call("hello", {"role": "customer", "token": token, "client": CLIENT})
    assert reply["type"] == "error" and reply["data"]["code"] == "unauthorized"
    assert await login.close_code() == 4001
    await assert_still_serving(backend.url)


async def test_ten_protocol_errors_within_a_minute_close_with_4003(backend: BackendProcess) -> None:
    conn = await agent(backend.url, "agent1")
    for n in range(9):
        await conn.send_raw("garbage" if n % 2 else json.dumps({"type": "no.such.thing", "id": f"e{n}"}))
        assert (await conn.orphan())["type"] == "error"
    # Nine errors: still open; ordinary refusals (not_found) are answers, not protocol errors.
    await conn.ok("sync.snapshot")
    for _ in range(3):
        assert await conn.error("history.fetch", {"conversation_id": "cv-nope"}) == "not_found"
    await conn.send_raw("the tenth")
    assert await conn.close_code() == 4003
    await assert_still_serving(backend.url)


# ----------------------------------------------------------------------------------- session start


async def test_requests_before_hello_are_unauthorized_and_change_nothing(backend: BackendProcess) -> None:
    owner = await agent(backend.url, "agent1")
    shopper = await buyer(backend.url, "c0010")
    sent = (await shopper.ok("message.send", text("我的快递到哪了？")))["message"]
    conv = sent["conversation_id"]
    await owner.event("conversation.assigned")
    before = await history(owner, conv)

    anonymous = await Conn.open(backend.url)
    attempts: list[tuple[str, Frame]] = [
        ("message.send", text("我是冒充的", conv)),
        ("conversation.close", {"conversation_id": conv}),
        ("conversation.transfer", {"conversation_id": conv, "to_agent_id": "a-demo-agent2"}),
        ("history.fetch", {"conversation_id": conv}),
        ("customer.get", {"customer_id": "c0010"}),
        ("sync.snapshot", {}),
    ]
    for rtype, data in attempts:
        reply = await anonymous.call(rtype, data, rid=f"pre-{rtype}")
        assert reply["type"] == "error" and reply["re"] == f"pre-{rtype}", reply
        assert reply["data"]["code"] == "unauthorized", reply
    # The connection may still start properly, and nothing was written.
    token = (await anonymous.ok("login", {"shop": SHOP, "username": "agent2", "password": PASSWORD}))["token"]
    await anonymous.ok("hello", {"role": "agent", "token": token, "client": CLIENT})
    assert await history(owner, conv) == before
    snapshot = await owner.ok("sync.snapshot")
    [mine] = [c for c in snapshot["conversations"] if c["id"] == conv]
    assert (mine["status"], mine["assignee_id"]) == ("active", owner.id)
    await asyncio.sleep(0.3)
    assert [
        e
        for e in shopper.pending_events()
        if e["type"] == "message.created" and e["data"]["message"]["id"] != sent["id"]
    ] == []
    await assert_still_serving(backend.url, owner, anonymous)
    for conn in (owner, shopper, anonymous):
        await conn.close()


async def test_customer_register_with_a_bad_signature_is_unauthorized(backend: BackendProcess) -> None:
    conn = await Conn.open(backend.url)
    good = widget_signature(DEMO_WIDGET_SECRET, SHOP, "c0020")
    wrong_secret = widget_signature("not-the-secret", SHOP, "c0020")
    for data in (
        {"shop": SHOP, "external_id": "c0020", "signature": "0" * 64},
        {"shop": SHOP, "external_id": "c0020", "signature": wrong_secret},
        {"shop": SHOP, "external_id": "c0021", "signature": good},  # another buyer's signature
        {"shop": SHOP, "external_id": "c0020", "signature": good.upper()},
        {"shop": SHOP, "external_id": "c0020"},  # none at all
    ):
        assert await conn.error("customer.register", data) == "unauthorized", data
    # The right signature works on the same connection, and gives that buyer's id.
    reg = await conn.ok("customer.register", {"shop": SHOP, "external_id": "c0020", "signature": good})
    assert reg["customer_id"] == "c0020"
    await conn.close()
    await assert_still_serving(backend.url)


# ------------------------------------------------------------------------------------ authorization


async def test_a_buyer_cannot_reach_another_buyers_conversation(backend: BackendProcess) -> None:
    owner = await agent(backend.url, "agent1")
    victim = await buyer(backend.url, "c0001")
    sent = (await victim.ok("message.send", text("我的收货地址是…")))["message"]
    conv = sent["conversation_id"]
    await owner.event("conversation.assigned")
    reply = (await owner.ok("message.send", text("收到，帮您查一下", conv)))["message"]
    before = await history(owner, conv)
    assert [m["id"] for m in before][-2:] == [sent["id"], reply["id"]]

    snoop = await buyer(backend.url, "c0002")
    assert await snoop.error("history.fetch", {"conversation_id": conv}) in ("not_found", "forbidden")
    assert await snoop.error(
        "history.fetch", {"conversation_id": conv, "before_message_id": reply["id"], "limit": 1}
    ) in ("not_found", "forbidden")
    assert await snoop.error("message.send", text("插一句", conv)) in ("not_found", "forbidden")
    await snoop.send_raw(json.dumps({"type": "typing", "data": {"conversation_id": conv}}))
    snoop_snapshot = await snoop.ok("sync.snapshot")
    assert conv not in [c["id"] for c in snoop_snapshot["conversations"]]

    # Rating: even once the conversation is closed and a rating invited, only its own buyer may rate.
    await owner.ok("conversation.close", {"conversation_id": conv})
    await owner.ok("rating.invite", {"conversation_id": conv})
    await victim.event("rating.requested", conversation_id=conv)
    rating = {"conversation_id": conv, "score": 1, "comment": "差评"}
    assert await snoop.error("rating.submit", rating) in ("not_found", "forbidden")

    # Nothing changed: the history is the same plus the close notice, no rating reached the agent,
    # the snoop's typing reached nobody, and the real buyer can still rate.
    after = await history(owner, conv)
    assert after[: len(before)] == before
    assert [(m["sender"]["role"], m["kind"]) for m in after[len(before) :]] == [("system", "system")]
    await asyncio.sleep(0.3)
    leaked = [e for e in owner.pending_events() if e["type"] in ("rating.received", "typing")]
    assert leaked == []
    await victim.ok("rating.submit", {"conversation_id": conv, "score": 5})
    received = await owner.event("rating.received", conversation_id=conv)
    assert received["data"]["score"] == 5
    await assert_still_serving(backend.url, owner)
    for conn in (owner, victim, snoop):
        await conn.close()


async def test_an_agent_cannot_write_into_another_agents_conversation(backend: BackendProcess) -> None:
    owner = await agent(backend.url, "agent1")
    shopper = await buyer(backend.url, "c0003")
    sent = (await shopper.ok("message.send", text("能便宜点吗？")))["message"]
    conv = sent["conversation_id"]
    assigned = await owner.event("conversation.assigned")
    assert assigned["data"]["conversation"]["id"] == conv
    intruder = await agent(backend.url, "agent2")
    before = await history(owner, conv)

    assert await intruder.error("message.send", text("我来抢单", conv)) == "forbidden"
    assert await intruder.error("conversation.close", {"conversation_id": conv}) == "forbidden"
    for target in (intruder.id, "a-demo-agent3", owner.id):
        transfer = {"conversation_id": conv, "to_agent_id": target, "note": "给我"}
        assert await intruder.error("conversation.transfer", transfer) == "forbidden"
    assert (
        await intruder.error("conversation.read", {"conversation_id": conv, "up_to_message_id": sent["id"]})
        == "forbidden"
    )
    assert await intruder.error("rating.invite", {"conversation_id": conv}) == "forbidden"
    assert await intruder.error("conversation.accept", {"conversation_id": conv}) == "conflict"
    await intruder.send_raw(json.dumps({"type": "typing", "data": {"conversation_id": conv}}))

    # Nothing written: same history, still the owner's and active, the buyer saw nothing from the intruder.
    assert await history(owner, conv) == before
    [row] = [c for c in (await owner.ok("sync.snapshot"))["conversations"] if c["id"] == conv]
    assert (row["status"], row["assignee_id"]) == ("active", owner.id)
    await asyncio.sleep(0.3)
    seen = shopper.pending_events()
    assert [e for e in seen if e["type"] in ("message.created", "typing")] == [
        e for e in seen if e["type"] == "message.created" and e["data"]["message"]["id"] == sent["id"]
    ]
    # The owner still can.
    await owner.ok("message.send", text("亲，已经是最低价了", conv))
    await assert_still_serving(backend.url, owner, intruder)
    for conn in (owner, shopper, intruder):
        await conn.close()


async def test_a_buyer_cannot_send_agent_requests(backend: BackendProcess) -> None:
    shopper = await buyer(backend.url, "c0004")
    sent = (await shopper.ok("message.send", text("有人吗？")))["message"]  # no agent online: it waits
    conv = sent["conversation_id"]
    me = shopper.id
    refused = [
        ("customer.get", {"customer_id": me}),
        ("customer.get", {"customer_id": "c0005"}),
        ("orders.list", {"customer_id": me}),
        ("orders.list", {"customer_id": "c0005"}),
        ("conversation.accept", {"conversation_id": conv}),
        ("conversation.close", {"conversation_id": conv}),
        ("conversation.transfer", {"conversation_id": conv, "to_agent_id": "a-demo-agent1"}),
        ("conversation.read", {"conversation_id": conv, "up_to_message_id": sent["id"]}),
        ("customer.update", {"customer_id": me, "tags": ["VIP"], "note": "免单"}),
        ("presence.set", {"status": "online"}),
        ("rating.invite", {"conversation_id": conv}),
        ("stats.get", {"since": 0}),
        ("quick_replies.upsert", {"quick_reply": {"scope": "personal", "group": "g", "text": "t"}}),
    ]
    for rtype, data in refused:
        assert await shopper.error(rtype, data) == "forbidden", rtype
    # docs §5.10: system messages are the server's; a client's `kind: "system"` is `bad_request`.
    assert await shopper.error("message.send", {**text("x"), "kind": "system"}) == "bad_request"

    snapshot = await shopper.ok("sync.snapshot")
    [row] = [c for c in snapshot["conversations"] if c["id"] == conv]
    assert row["status"] == "waiting" and row.get("assignee_id") is None
    boss = await agent(backend.url, "agent1")
    customer = (await boss.ok("customer.get", {"customer_id": me}))["customer"]
    assert "VIP" not in customer.get("tags", []) and customer.get("note", "") != "免单"
    await boss.close()
    await assert_still_serving(backend.url)
    await shopper.close()


async def test_another_shops_agent_sees_nothing_of_this_shop(backend: BackendProcess) -> None:
    created = admin(backend, "shop-create", "rival", "隔壁店")
    rival_secret = created.rsplit(":", 1)[1].strip()
    admin(backend, "agent-add", "rival", "spy", "卧底", "--password-stdin", stdin="spy-password\n")
    owner = await agent(backend.url, "agent1")
    shopper = await buyer(backend.url, "c0006")
    sent = (await shopper.ok("message.send", text("我要退货")))["message"]
    conv = sent["conversation_id"]
    await owner.event("conversation.assigned")
    before = await history(owner, conv)

    spy = await Conn.open(backend.url)
    wrong_shop = {"shop": SHOP, "username": "spy", "password": "spy-password"}
    assert await spy.error("login", wrong_shop) == "unauthorized"
    token = (await spy.ok("login", {"shop": "rival", "username": "spy", "password": "spy-password"}))["token"]
    await spy.ok("hello", {"role": "agent", "token": token, "client": CLIENT})
    snapshot = await spy.ok("sync.snapshot")
    assert snapshot["conversations"] == [] and [a["id"] for a in snapshot["agents"]] == ["a-rival-spy"]
    assert snapshot.get("quick_replies", []) == []
    for rtype, data in [
        ("history.fetch", {"conversation_id": conv}),
        ("conversation.accept", {"conversation_id": conv}),
        ("conversation.close", {"conversation_id": conv}),
        ("message.send", text("来我们店买", conv)),
        ("customer.get", {"customer_id": shopper.id}),
        ("orders.list", {"customer_id": shopper.id}),
        ("customer.update", {"customer_id": shopper.id, "note": "挖走"}),
    ]:
        assert await spy.error(rtype, data) in ("not_found", "forbidden"), rtype
    # The demo secret does not sign for the rival shop; the rival's own one gets a new, empty profile there.
    rival_buyer = await Conn.open(backend.url)
    demo_signed = widget_signature(DEMO_WIDGET_SECRET, "rival", "c0006")
    data = {"shop": "rival", "external_id": "c0006", "signature": demo_signed}
    assert await rival_buyer.error("customer.register", data) == "unauthorized"
    data["signature"] = widget_signature(rival_secret, "rival", "c0006")
    reg = await rival_buyer.ok("customer.register", data)
    assert reg["customer_id"] != shopper.id
    await rival_buyer.ok("hello", {"role": "customer", "token": reg["token"], "client": CLIENT})
    assert (await rival_buyer.ok("sync.snapshot"))["conversations"] == []
    assert await rival_buyer.error("history.fetch", {"conversation_id": conv}) == "not_found"
    assert await history(owner, conv) == before
    await assert_still_serving(backend.url, owner)


def admin(backend: BackendProcess, *args: str, stdin: str = "") -> str:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "admin", "--db", str(backend.db_path), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


# ------------------------------------------------------------------------------------ rate limiting


async def test_a_burst_is_rate_limited_and_the_connection_survives(backend: BackendProcess) -> None:
    conn = await buyer(backend.url)
    burst = 400
    futures = []
    for n in range(burst):
        rid = f"b{n}"
        future = asyncio.get_running_loop().create_future()
        conn.replies[rid] = future
        futures.append(future)
        await conn.send_raw(json.dumps({"type": "sync.snapshot", "id": rid, "data": {}}))
    replies = await asyncio.wait_for(asyncio.gather(*futures), 30)
    limited = [r for r in replies if r["type"] == "error"]
    assert {r["data"]["code"] for r in limited} == {"rate_limited"}
    assert 0 < len(limited) < burst
    assert all(
        isinstance(r["data"].get("retry_after_ms"), int) and r["data"]["retry_after_ms"] > 0 for r in limited
    )
    assert sum(r["type"] == "ok" for r in replies) >= 30
    # Rate-limited requests are not protocol errors: the connection stays open, and after the wait it works.
    wait_ms = max(r["data"]["retry_after_ms"] for r in limited)
    await asyncio.sleep(wait_ms / 1000 + 0.1)
    await conn.ok("sync.snapshot")
    await conn.ok("message.send", text("刚才手滑了"))
    assert conn.ws.close_code is None
    await assert_still_serving(backend.url)
    await conn.close()


# ---------------------------------------------------------------------------------------- handshake


async def test_handshake_without_the_subprotocol_is_refused(backend: BackendProcess) -> None:
    for offered in (None, [Subprotocol("shopdesk.v2")], [Subprotocol("chat")]):
        with pytest.raises(InvalidStatus) as refused:
            await connect(backend.url, subprotocols=offered, open_timeout=10)
        assert refused.value.response.status_code == 400
    await assert_still_serving(backend.url)
