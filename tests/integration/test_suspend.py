"""Suspend (挂起) and agents.list on the real backend: who gets routed chats, who sees what, who may ask."""

from __future__ import annotations

import pytest

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import Agent, AgentStatus
from desktop.server.peer import Peer, RequestError, agent_peer
from tests.integration.backend import BackendProcess
from tests.integration.shop import PASSWORD, SHOP, buyer, say


async def _agent(url: str, username: str) -> tuple[Peer, str]:
    peer, hello = await agent_peer(url, SHOP, username, PASSWORD)
    return peer, hello.me.id


async def _presence(peer: Peer, status: AgentStatus, *, suspended: bool = False) -> None:
    data = p.PresenceSetData(status=status, suspended=suspended)
    await peer.request(f.PresenceSet(id="", data=data), p.Empty)


async def _agents(peer: Peer) -> dict[str, Agent]:
    listed = await peer.request(f.AgentsList(id=""), p.AgentsOk)
    return {a.id: a for a in listed.agents}


async def _seen(peer: Peer) -> list[f.AnyEvent]:
    """Every event sent to ``peer`` so far (a round trip first: the server's queue to it is in order)."""
    await peer.request(f.SyncSnapshot(id=""), p.SnapshotOk)
    events = []
    while not peer.events.empty():
        events.append(peer.events.get_nowait())
    return events


async def _presence_of(peer: Peer, agent_id: str, status: AgentStatus) -> p.PresenceChangedData:
    """The next presence.changed about ``agent_id`` with ``status`` (earlier ones skipped)."""
    while True:
        event = await peer.next_event(f.PresenceChanged)
        assert event.seq is None
        if event.data.agent_id == agent_id and event.data.status == status:
            data: p.PresenceChangedData = event.data
            return data


async def _assigned(peer: Peer) -> str:
    event = await peer.next_event(f.ConversationAssigned)
    conv_id: str = event.data.conversation.id
    return conv_id


async def test_suspended_agents_get_no_routed_chats_and_unsuspending_drains_the_queue(
    backend: BackendProcess,
) -> None:
    (a1, id1), (a2, id2) = await _agent(backend.url, "agent1"), await _agent(backend.url, "agent2")
    await _presence(a1, "online", suspended=True)
    changed = await _presence_of(a2, id1, "online")
    while not changed.suspended:  # first agent1 coming online, then suspending
        changed = await _presence_of(a2, id1, "online")

    shoppers = []
    for n in range(3):  # agent1 is suspended: agent2 gets every new buyer
        shopper, _ = await buyer(backend.url, f"c02{n:02d}")
        sent = await say(shopper, "在吗？")
        assert await _assigned(a2) == sent.message.conversation_id
        shoppers.append(shopper)
    assert not [e for e in await _seen(a1) if isinstance(e, f.ConversationAssigned)]

    await _presence(a2, "away")  # nobody routable now: the next buyer waits in the queue
    late, _ = await buyer(backend.url, "c0299")
    waiting = (await say(late, "有人吗？")).message.conversation_id
    queued = await a1.next_event(f.QueueUpdated)
    assert queued.data.waiting == 1
    snapshot = await a1.request(f.SyncSnapshot(id=""), p.SnapshotOk)
    assert {c.id: c.status for c in snapshot.conversations}[waiting] == "waiting"
    assert not [e for e in await _seen(a2) if isinstance(e, f.ConversationAssigned)]

    await _presence(a1, "online")  # routable again: the waiting buyer is handed to agent1 at once
    assert await _assigned(a1) == waiting
    assert (await a1.next_event(f.QueueUpdated)).data.waiting == 0
    unsuspended = await _presence_of(a2, id1, "online")
    assert unsuspended.suspended is False
    team = await _agents(a2)
    assert (team[id1].suspended, team[id1].active_count) == (False, 1)
    assert (team[id2].status, team[id2].active_count) == ("away", 3)
    for peer in (*shoppers, late, a1, a2):
        await peer.close()


async def test_a_suspended_agent_can_accept_from_the_queue_and_receive_a_transfer(
    backend: BackendProcess,
) -> None:
    (a1, id1), (a2, id2) = await _agent(backend.url, "agent1"), await _agent(backend.url, "agent2")
    await _presence(a1, "online", suspended=True)
    await _presence(a2, "busy")
    first, _ = await buyer(backend.url, "c0301")
    queued = (await say(first, "想问下发货时间")).message.conversation_id
    accepted = await a1.request(
        f.ConversationAccept(id="", data=p.ConversationRef(conversation_id=queued)), p.ConversationData
    )
    assert (accepted.conversation.status, accepted.conversation.assignee_id) == ("active", id1)
    assert await _assigned(a1) == queued

    second, _ = await buyer(backend.url, "c0302")
    handed = (await say(second, "要开发票")).message.conversation_id
    await a2.request(
        f.ConversationAccept(id="", data=p.ConversationRef(conversation_id=handed)), p.ConversationData
    )
    transfer = p.TransferData(conversation_id=handed, to_agent_id=id1, note="买家要开发票")
    moved = await a2.request(f.ConversationTransfer(id="", data=transfer), p.ConversationData)
    assert moved.conversation.assignee_id == id1
    event = await a1.next_event(f.ConversationAssigned)
    assert (event.data.conversation.id, event.data.note) == (handed, "买家要开发票")

    team = await _agents(a1)  # still suspended, now with two chats; active_count follows every move
    assert (team[id1].status, team[id1].suspended, team[id1].active_count) == ("online", True, 2)
    assert (team[id2].status, team[id2].suspended, team[id2].active_count) == ("busy", False, 0)
    close = p.CloseData(conversation_id=queued, reason="已解决")
    await a1.request(f.ConversationClose(id="", data=close), p.ConversationData)
    assert (await _agents(a2))[id1].active_count == 1

    third, _ = await buyer(backend.url, "c0303")  # closing made room, but suspended still means not routed
    await say(third, "你好")
    assert not [e for e in await _seen(a1) if isinstance(e, f.ConversationAssigned)]
    for peer in (first, second, third, a1, a2):
        await peer.close()


async def test_snapshot_and_agents_list_show_suspended_and_a_disconnect_resets_it(
    backend: BackendProcess,
) -> None:
    (a1, id1), (a2, id2) = await _agent(backend.url, "agent1"), await _agent(backend.url, "agent2")
    await _presence(a1, "online", suspended=True)
    snapshot = await a2.request(f.SyncSnapshot(id=""), p.SnapshotOk)
    in_snapshot = {a.id: a for a in snapshot.agents}
    listed = await _agents(a2)
    assert set(listed) == set(in_snapshot) and len(listed) == 5  # the whole team, the caller included
    for team in (in_snapshot, listed):
        assert (team[id1].status, team[id1].suspended) == ("online", True)
        assert (team[id2].status, team[id2].suspended) == ("online", False)
        assert (team[id1].max_concurrent, team[id2].max_concurrent) == (6, 8)
        assert all(a.status == "offline" and not a.suspended for i, a in team.items() if i not in (id1, id2))

    shopper, _ = await buyer(backend.url, "c0401")
    conv = (await say(shopper, "你好")).message.conversation_id
    assert await _assigned(a2) == conv
    assert [(await _agents(a1))[i].active_count for i in (id1, id2)] == [0, 1]

    await a1.close()  # the last connection ends: offline, and no longer suspended
    gone = await _presence_of(a2, id1, "offline")
    assert gone.suspended is False
    offline = (await _agents(a2))[id1]
    assert (offline.status, offline.suspended) == ("offline", False)
    a1, _ = await _agent(backend.url, "agent1")
    back = await _presence_of(a2, id1, "online")
    assert back.suspended is False
    assert (await _agents(a2))[id1].suspended is False
    await _presence(a2, "busy")
    other, _ = await buyer(backend.url, "c0402")  # agent1 is routable again after logging back in
    routed = (await say(other, "在吗")).message.conversation_id
    assert await _assigned(a1) == routed
    for peer in (shopper, other, a1, a2):
        await peer.close()


async def test_a_customer_may_not_list_agents_and_the_server_keeps_serving(backend: BackendProcess) -> None:
    a1, id1 = await _agent(backend.url, "agent1")
    shopper, _ = await buyer(backend.url, "c0501")
    with pytest.raises(RequestError) as info:
        await shopper.request(f.AgentsList(id=""), p.AgentsOk)
    assert info.value.code == "forbidden"
    sent = await say(shopper, "还在吗？")  # the same connection goes on
    assert await _assigned(a1) == sent.message.conversation_id
    assert (await _agents(a1))[id1].active_count == 1
    for peer in (shopper, a1):
        await peer.close()
