"""Revoking an agent (disable, password reset) ends their live sessions; their chats go back to the queue."""

from __future__ import annotations

import asyncio
import subprocess
import sys

from tests.integration.backend import BackendProcess
from tests.integration.test_hostile import (
    agent,
    buyer,
    close_connections,  # noqa: F401  (autouse: closes every Conn)
    history,
    text,
)

SHOP = "demo"


def admin(backend: BackendProcess, *args: str, stdin: str = "") -> None:
    subprocess.run(
        [sys.executable, "-m", "desktop", "admin", "--db", str(backend.db_path), *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )


async def _revoked_session_is_cut_off(backend: BackendProcess, *admin_args: str, stdin: str = "") -> None:
    fired = await agent(backend.url, "agent1")
    shopper = await buyer(backend.url, "c0030")
    sent = (await shopper.ok("message.send", text("在吗？")))["message"]
    conv = sent["conversation_id"]
    await fired.event("conversation.assigned")
    before = await history(fired, conv)

    admin(backend, *admin_args, stdin=stdin)
    await asyncio.sleep(1.5)  # the server notices other writers within a second (external_poll_s)

    # Either the connection is closed (4001) or every request is refused with `unauthorized`.
    if fired.ws.close_code is None:
        reply = await fired.call("message.send", text("我被开除了，但还能发消息", conv))
        assert reply["type"] == "error" and reply["data"]["code"] == "unauthorized", reply
        reply = await fired.call("customer.get", {"customer_id": shopper.id})
        assert reply["type"] == "error" and reply["data"]["code"] == "unauthorized", reply
    else:
        assert fired.ws.close_code == 4001
    owner_view = await agent(backend.url, "agent2")
    assert await history(owner_view, conv) == before


async def test_disabling_an_agent_ends_their_live_session(backend: BackendProcess) -> None:
    await _revoked_session_is_cut_off(backend, "agent-disable", SHOP, "agent1")


async def test_resetting_an_agents_password_ends_their_live_session(backend: BackendProcess) -> None:
    await _revoked_session_is_cut_off(
        backend, "agent-passwd", SHOP, "agent1", "--password-stdin", stdin="a-new-password\n"
    )


async def test_a_disabled_agents_conversations_go_to_a_colleague(backend: BackendProcess) -> None:
    from desktop.protocol import frames as f
    from tests.integration import shop

    leaving = await shop.agent(backend.url, "agent1")
    shopper, _ = await shop.buyer(backend.url, "c0031")
    sent = await shop.say(shopper, "我的快递到哪了？")
    await leaving.next_event(f.ConversationAssigned)
    colleague = await shop.agent(backend.url, "agent2")
    admin(backend, "agent-disable", SHOP, "agent1")
    handed = await colleague.next_event(f.ConversationAssigned, timeout=10)
    assert handed.data.conversation.id == sent.message.conversation_id
    await leaving.closed.wait()
    assert leaving.ws.close_code == 4001
    assert await shop.history(colleague, sent.message.conversation_id) == ["我的快递到哪了？"]
    await colleague.close()
    await shopper.close()


async def test_repeated_wrong_passwords_are_slowed_down_across_connections(backend: BackendProcess) -> None:
    from desktop.server.peer import Peer, RequestError

    codes = []
    for _ in range(7):  # a new connection each time: the limit is per user name, not per socket
        peer = await Peer.open(backend.url)
        try:
            await peer.login(SHOP, "agent3", "guess-123")
        except RequestError as exc:
            codes.append(exc.code)
        await peer.close()
    assert codes[:5] == ["unauthorized"] * 5
    assert codes[5:] == ["rate_limited"] * 2
    other = await Peer.open(backend.url)
    assert await other.login(SHOP, "agent4", "demo123")  # other users are not affected
    await other.close()
