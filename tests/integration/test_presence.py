"""Agent presence: status changes reach the team, routing follows it, and --single-session replaces logins."""

from __future__ import annotations

from pathlib import Path

import pytest
from websockets.exceptions import ConnectionClosed

from desktop.protocol import CloseCode
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.server.peer import Peer
from tests.integration.backend import BackendProcess
from tests.integration.shop import agent, agent_token, buyer, say


async def test_presence_is_shared_and_routing_skips_busy_agents(backend: BackendProcess) -> None:
    a1, a2 = await agent(backend.url, "agent1"), await agent(backend.url, "agent2")
    await a2.request(f.PresenceSet(id="", data=p.PresenceSetData(status="busy")), p.Empty)
    changed = await a1.next_event(f.PresenceChanged)
    while changed.data.status != "busy":  # first the two agents coming online
        assert changed.data.status == "online"
        changed = await a1.next_event(f.PresenceChanged)
    assert changed.seq is None
    snapshot = await a1.request(f.SyncSnapshot(id=""), p.SnapshotOk)
    status = {a.name: a.status for a in snapshot.agents}
    assert status["客服阿杰"] == "busy" and status["客服小美"] == "online" and status["客服糖糖"] == "offline"

    for n in range(3):  # agent2 is busy: everything goes to agent1
        shopper, _ = await buyer(backend.url, f"c01{n:02d}")
        await say(shopper, "你好")
        assigned = await a1.next_event(f.ConversationAssigned)
        assert assigned.data.conversation.assignee_id == snapshot.agents[0].id
        await shopper.close()

    await a1.close()
    gone = await a2.next_event(f.PresenceChanged)
    while gone.data.status != "offline":
        gone = await a2.next_event(f.PresenceChanged)
    assert gone.data.agent_id == snapshot.agents[0].id
    await a2.close()


async def test_single_session_closes_the_older_login(tmp_path: Path) -> None:
    server = BackendProcess(tmp_path / "s.db", extra=["--single-session"])
    server.start()
    try:
        token = await agent_token(server.url, "agent1")
        first = await Peer.open(server.url)
        await first.hello("agent", token)
        second = await Peer.open(server.url)
        await second.hello("agent", token)
        await first.closed.wait()
        assert first.ws.close_code == CloseCode.SESSION_REPLACED
        with pytest.raises(ConnectionClosed):
            await first.ws.send("{}")
        await second.request(f.SyncSnapshot(id=""), p.SnapshotOk)
        await second.close()
    finally:
        server.stop()
