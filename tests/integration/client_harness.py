"""An AgentClient wired to a real backend, with helpers to wait for what it stores."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from desktop.client.backoff import Backoff
from desktop.client.connection import AgentClient, login
from desktop.client.credentials import Account
from desktop.client.endpoint import resolve
from desktop.client.status import LinkState, LinkStatus
from desktop.store import LocalStore, store_path


async def wait_for(condition: Callable[[], bool], timeout: float = 15.0, step: float = 0.02) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(step)


async def start_client(
    url: str,
    data_dir: Path,
    username: str = "agent1",
    *,
    request_timeout_ms: int = 15_000,
    password: str = "demo123",
) -> AgentClient:
    account = Account(url, "demo", username)
    endpoint = resolve(url)
    token = await login(endpoint, account, password, remember=True)
    store = LocalStore.open(store_path(url, "demo", username, data_dir))
    client = AgentClient(
        account,
        endpoint,
        store,
        token,
        backoff=Backoff(first_s=0.05, cap_s=0.5),
        request_timeout_ms=request_timeout_ms,
    )
    statuses: list[LinkStatus] = []
    client.on_status.append(statuses.append)
    client.statuses = statuses  # type: ignore[attr-defined]
    client.start()
    await wait_for(lambda: client.status.state is LinkState.ONLINE)
    return client


async def stop_client(client: AgentClient) -> None:
    await client.stop()
    client.store.close()
