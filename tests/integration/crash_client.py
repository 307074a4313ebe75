"""Crash-test client: online, then (on a line from stdin) queue one message and wait to be killed."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from desktop.client.connection import AgentClient
from desktop.client.credentials import Account
from desktop.client.endpoint import resolve
from desktop.client.status import LinkState
from desktop.store import LocalStore, store_path


async def main(
    server_url: str, via_url: str, data_dir: str, token: str, conversation_id: str, text: str
) -> None:
    """Keeps its cache where a client of ``server_url`` does, but connects through ``via_url`` (the proxy)."""
    store = LocalStore.open(store_path(server_url, "demo", "agent1", Path(data_dir)))
    client = AgentClient(Account(server_url, "demo", "agent1"), resolve(via_url), store, token)
    client.start()
    while client.status.state is not LinkState.ONLINE:
        await asyncio.sleep(0.01)
    print("ONLINE", flush=True)
    await asyncio.to_thread(sys.stdin.readline)  # the test arms its fault, then says go
    cmid = client.send_text(conversation_id, text)
    print(f"QUEUED {cmid}", flush=True)
    await asyncio.sleep(60)  # the test kills us before this ends


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:7]))
