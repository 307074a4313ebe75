"""The reference backend end to end: routing, queue, transfer, rating, idempotency, resume, resync."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.server.peer import Peer, RequestError
from tests.integration.backend import BackendProcess
from tests.integration.shop import admin, agent, agent_token, buyer, history, say


async def test_routing_queue_accept_transfer_close_and_rating(backend: BackendProcess) -> None:
    admin(backend.db_path, "agent-max", "demo", "agent1", "1")
    admin(backend.db_path, "agent-max", "demo", "agent2", "1")
    a1, a2 = await agent(backend.url, "agent1"), await agent(backend.url, "agent2")
    b1, _ = await buyer(backend.url, "c0001")
    b2, _ = await buyer(backend.url, "c0002")
    b3, _ = await buyer(backend.url, "c0003")

    # Routing: each free agent gets one; the third buyer waits in the queue.
    first = await say(b1, "请问这款有M码吗？")
    got1 = await a1.next_event(f.ConversationAssigned)
    assert got1.data.conversation.id == first.message.conversation_id
    second = await say(b2, "什么时候发货？")
    got2 = await a2.next_event(f.ConversationAssigned)
    assert got2.data.conversation.id == second.message.conversation_id
    third = await say(b3, "在吗？我要退款")
    for peer in (a1, a2):
        queued = await peer.next_event(f.QueueUpdated)
        assert queued.data.waiting == 1
    snapshot = await a1.request(f.SyncSnapshot(id=""), p.SnapshotOk)
    waiting = [c for c in snapshot.conversations if c.status == "waiting"]
    assert [c.id for c in waiting] == [third.message.conversation_id]
    assert waiting[0].customer_nickname

    # Accept from the queue (an agent may take more than their maximum by hand).
    accepted = await a1.request(
        f.ConversationAccept(id="", data=p.ConversationRef(conversation_id=third.message.conversation_id)),
        p.ConversationData,
    )
    assert accepted.conversation.assignee_id == snapshot.agents[0].id
    assert (await a2.next_event(f.QueueUpdated)).data.waiting == 0
    with pytest.raises(RequestError) as taken:
        await a2.request(
            f.ConversationAccept(
                id="", data=p.ConversationRef(conversation_id=third.message.conversation_id)
            ),
            p.ConversationData,
        )
    assert taken.value.code == "conflict"

    # Transfer keeps the history, and the old agent can no longer write.
    conv1 = first.message.conversation_id
    await say(a1, "亲，M码有货的～", conv1)
    agents = {a.name: a.id for a in snapshot.agents}
    transfer = p.TransferData(conversation_id=conv1, to_agent_id=agents["客服阿杰"], note="买家要开发票")
    await a1.request(f.ConversationTransfer(id="", data=transfer), p.ConversationData)
    handed = await a2.next_event(f.ConversationAssigned)
    assert handed.data.conversation.id == conv1 and handed.data.note == "买家要开发票"
    texts = await history(a2, conv1)
    assert texts[:2] == ["请问这款有M码吗？", "亲，M码有货的～"]
    assert "转接" in texts[2]
    with pytest.raises(RequestError) as denied:
        await say(a1, "我还在", conv1)
    assert denied.value.code == "forbidden"

    # Close, rating invitation, the buyer's rating, and the agent's stats.
    await say(a2, "发票已经登记好了", conv1)
    await a2.request(f.ConversationClose(id="", data=p.CloseData(conversation_id=conv1)), p.ConversationData)
    await a2.request(f.RatingInvite(id="", data=p.ConversationRef(conversation_id=conv1)), p.Empty)
    invited = await b1.next_event(f.RatingRequested)
    assert invited.data.conversation_id == conv1
    rating = p.RatingSubmitData(conversation_id=conv1, score=5, comment="很耐心")
    await b1.request(f.RatingSubmit(id="", data=rating), p.Empty)
    rated = await a2.next_event(f.RatingReceived)
    assert (rated.data.score, rated.data.comment) == (5, "很耐心")
    stats = await a2.request(f.StatsGet(id="", data=p.StatsData(since=0)), p.StatsOk)
    assert stats.conversations_closed == 1
    assert stats.ratings_count == 1 and stats.ratings_avg == 5.0
    assert stats.messages_sent == 1
    with pytest.raises(RequestError) as twice:
        await b1.request(
            f.RatingSubmit(id="", data=p.RatingSubmitData(conversation_id=conv1, score=1)), p.Empty
        )
    assert twice.value.code == "conflict"
    for peer in (a1, a2, b1, b2, b3):
        await peer.close()


async def test_same_client_msg_id_three_times_on_two_connections_is_one_message(
    backend: BackendProcess,
) -> None:
    a1 = await agent(backend.url, "agent1")
    b1, token = await buyer(backend.url, "c0010")
    sent = [await say(b1, "订单什么时候发？", cmid="dup-1"), await say(b1, "订单什么时候发？", cmid="dup-1")]
    await b1.close()
    again = await Peer.open(backend.url)
    await again.hello("customer", token)
    sent.append(await say(again, "订单什么时候发？", cmid="dup-1"))
    assert len({s.message.id for s in sent}) == 1
    assert await history(again, sent[0].message.conversation_id) == ["订单什么时候发？"]
    with sqlite3.connect(backend.db_path) as db:
        assert db.execute("SELECT COUNT(*) FROM messages WHERE client_msg_id = 'dup-1'").fetchone() == (1,)
    await again.close()
    await a1.close()


async def test_resume_replays_exactly_the_missed_events_in_order(backend: BackendProcess) -> None:
    token = await agent_token(backend.url, "agent1")
    a1 = await Peer.open(backend.url)
    await a1.hello("agent", token)
    b1, _ = await buyer(backend.url, "c0020")
    first = await say(b1, "你好")
    await a1.next_event(f.ConversationUpdated)
    since = a1.last_seq
    await a1.close()

    for text in ("第一句", "第二句", "第三句"):  # while the agent is away
        await say(b1, text, first.message.conversation_id)
    back = await Peer.open(backend.url)
    hello = await back.hello("agent", token, since=since)
    assert not hello.resync
    replayed: list[f.AnyEvent] = []
    while len(replayed) < hello.seq - since:
        replayed.append(await back.next_event(timeout=5))
    assert [e.seq for e in replayed if e.seq is not None] == list(range(since + 1, hello.seq + 1))
    texts = [e.data.message.body["text"] for e in replayed if isinstance(e, f.MessageCreated)]
    assert texts == ["第一句", "第二句", "第三句"]
    await say(b1, "还有一句", first.message.conversation_id)
    live = await back.next_event(f.MessageCreated)
    assert live.seq is not None and live.seq > hello.seq
    await back.close()
    await b1.close()


async def test_resume_older_than_the_retention_asks_for_resync(backend: BackendProcess) -> None:
    token = await agent_token(backend.url, "agent1")
    a1 = await Peer.open(backend.url)
    await a1.hello("agent", token)
    b1, _ = await buyer(backend.url, "c0030")
    for n in range(6):
        await say(b1, f"消息{n}")
    await a1.close()
    await b1.close()
    backend.stop()
    backend.extra = ["--keep-events", "3"]  # the restart prunes to the last three events per recipient
    backend.seed = False
    backend.start()
    back = await Peer.open(backend.url)
    old = await back.hello("agent", token, since=1)
    assert old.resync
    await back.close()
    fresh = await Peer.open(backend.url)
    recent = await fresh.hello("agent", token, since=old.seq - 2)
    assert not recent.resync
    snapshot = await fresh.request(f.SyncSnapshot(id=""), p.SnapshotOk)
    assert snapshot.seq == old.seq and snapshot.conversations
    await fresh.close()
