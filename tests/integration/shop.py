"""Helpers for integration tests: demo agents and buyers talking to the real backend."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.server.accounts import widget_signature
from desktop.server.peer import Peer, agent_peer
from desktop.server.seeding import DEMO_WIDGET_SECRET

SHOP = "demo"
PASSWORD = "demo123"


async def agent(url: str, username: str) -> Peer:
    peer, _ = await agent_peer(url, SHOP, username, PASSWORD)
    return peer


async def agent_token(url: str, username: str) -> str:
    """A token from a login on a connection of its own."""
    peer = await Peer.open(url)
    token = await peer.login(SHOP, username, PASSWORD)
    await peer.close()
    return token


async def buyer(url: str, buyer_id: str) -> tuple[Peer, str]:
    """A demo buyer (signed with the demo widget secret); returns the peer and its token."""
    peer = await Peer.open(url)
    reg = await peer.register(
        SHOP, external_id=buyer_id, signature=widget_signature(DEMO_WIDGET_SECRET, SHOP, buyer_id)
    )
    await peer.hello("customer", reg.token)
    return peer, reg.token


async def say(
    peer: Peer, text: str, conversation_id: str | None = None, cmid: str | None = None
) -> p.MessageData:
    data = p.MessageSendData(
        conversation_id=conversation_id,
        client_msg_id=cmid or str(uuid.uuid4()),
        kind="text",
        body={"text": text},
    )
    return await peer.request(f.MessageSend(id="", data=data), p.MessageData)


async def history(peer: Peer, conversation_id: str, limit: int = 200) -> list[str]:
    data = p.HistoryFetchData(conversation_id=conversation_id, limit=limit)
    page = await peer.request(f.HistoryFetch(id="", data=data), p.HistoryOk)
    return [m.body.get("text", "") for m in page.messages]


def admin(db: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "admin", "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout
