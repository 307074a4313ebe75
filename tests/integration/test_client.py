"""The agent client against the real backend: login, keyring, live sync into the cache, sending, refusals."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest

from desktop.client.connection import AgentClient, LoginError, login
from desktop.client.credentials import SERVICE, Account, load_token
from desktop.client.endpoint import resolve
from desktop.client.status import LinkState
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.store import LocalStore, store_path
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import start_client, stop_client, wait_for
from tests.integration.shop import buyer, say


async def test_login_sync_receive_and_send(backend: BackendProcess, tmp_path: Path) -> None:
    client = await start_client(backend.url, tmp_path)
    assert load_token(Account(backend.url, "demo", "agent1"))  # remembered in the keyring
    assert client.store.last_seq() is not None  # a fresh client loaded a snapshot
    assert len(client.store.quick_replies()) >= 60

    shopper, _ = await buyer(backend.url, "c0005")
    first = await say(shopper, "你好，请问有优惠券吗？")
    conv = first.message.conversation_id
    await wait_for(lambda: client.store.message(first.message.id) is not None)
    assert client.store.conversation(conv) is not None

    outbox: list[str] = []
    client.on_outbox.append(lambda change: outbox.append(f"{change.client_msg_id} {change.state}"))
    cmid = client.send_text(conv, "亲，店铺首页可以领满199减20的券哦～")
    assert outbox == [f"{cmid} pending"]  # shown as pending at once
    await client.flushed()
    assert [m.client_msg_id for m in client.store.outbox()] == [cmid] or outbox[-1] == f"{cmid} sent"
    got = await shopper.next_event(f.MessageCreated)
    while got.data.message.sender.role != "agent":
        got = await shopper.next_event(f.MessageCreated)
    assert got.data.message.body == {"text": "亲，店铺首页可以领满199减20的券哦～"}
    await wait_for(lambda: client.store.outbox() == [] and outbox[-1] == f"{cmid} sent")
    texts = [m.body.get("text") for m in client.store.messages(conv)]
    assert texts == ["你好，请问有优惠券吗？", "亲，店铺首页可以领满199减20的券哦～"]

    customer = await client.request(
        f.CustomerGet(id="", data=p.CustomerRef(customer_id="c0005")), p.CustomerData
    )
    assert "*" in customer.customer.phone_masked
    await shopper.close()
    await stop_client(client)
    assert client.status.state is LinkState.OFFLINE


async def test_cache_survives_a_restart_and_resumes(backend: BackendProcess, tmp_path: Path) -> None:
    client = await start_client(backend.url, tmp_path)
    shopper, _ = await buyer(backend.url, "c0006")
    first = await say(shopper, "在吗")
    await wait_for(lambda: client.store.message(first.message.id) is not None)
    seq_before = client.store.last_seq()
    await stop_client(client)

    later = await say(shopper, "我想改一下收货地址", first.message.conversation_id)  # while the agent is away
    again = await start_client(backend.url, tmp_path)
    await wait_for(lambda: again.store.message(later.message.id) is not None)
    last = again.store.last_seq()
    assert seq_before is not None and last is not None and last > seq_before
    assert [m.id for m in again.store.messages(first.message.conversation_id)] == [
        first.message.id,
        later.message.id,
    ]
    await shopper.close()
    await stop_client(again)


async def test_wrong_password_and_refused_token(backend: BackendProcess, tmp_path: Path) -> None:
    account = Account(backend.url, "demo", "agent2")
    with pytest.raises(LoginError) as wrong:
        await login(resolve(backend.url), account, "not-the-password", remember=True)
    assert wrong.value.reason == "credentials"
    assert load_token(account) is None

    keyring.set_password(SERVICE, account.entry, "stale-token")
    store = LocalStore.open(store_path(backend.url, "demo", "agent2", tmp_path))
    client = AgentClient(account, resolve(backend.url), store, "stale-token")
    client.start()
    await wait_for(lambda: client.status.state is LinkState.AUTH_FAILED)
    assert load_token(account) is None  # the refused token is forgotten: the user logs in again
    await client.stop()
    await client.stop()  # a second stop (the window, then the session closing) is a no-op
    assert client.status.state is LinkState.OFFLINE
    store.close()


async def test_unreachable_server_is_reported_as_such(tmp_path: Path) -> None:
    with pytest.raises(LoginError) as failed:
        await login(
            resolve("ws://127.0.0.1:9"), Account("ws://127.0.0.1:9", "demo", "a"), "x", remember=False
        )
    assert failed.value.reason == "unreachable"


async def test_older_history_is_fetched_on_demand_and_kept(backend: BackendProcess, tmp_path: Path) -> None:
    shopper, _ = await buyer(backend.url, "c0007")
    first = await say(shopper, "第0句")
    conv = first.message.conversation_id
    for n in range(1, 12):
        await say(shopper, f"第{n}句", conv)
    client = await start_client(backend.url, tmp_path)  # a fresh cache: only the snapshot's last message
    await wait_for(lambda: client.store.conversation(conv) is not None)
    pages = []
    more = True
    while more:
        added, more = await client.load_older(conv, limit=5)
        pages.append(added)
    texts = [m.body["text"] for m in client.store.messages(conv, limit=100)]
    assert texts == [f"第{n}句" for n in range(12)]
    assert sum(pages) == 11 and pages[-1] <= 5  # the last message came with the snapshot
    await stop_client(client)
    offline = LocalStore.open(store_path(backend.url, "demo", "agent1", tmp_path))
    assert len(offline.messages(conv, limit=100)) == 12  # kept: readable offline
    offline.close()
    await shopper.close()


async def test_a_client_too_far_behind_reloads_with_a_snapshot(tmp_path: Path) -> None:
    server = BackendProcess(tmp_path / "shop.db", extra=["--keep-events", "3"])
    server.start()
    try:
        client = await start_client(server.url, tmp_path)
        await stop_client(client)
        shopper, _ = await buyer(server.url, "c0008")
        first = await say(shopper, "你好")
        for n in range(6):
            await say(shopper, f"消息{n}", first.message.conversation_id)
        await shopper.close()
        server.stop()
        server.seed = False
        server.start()  # the restart prunes the log to three events per recipient: the client's since is gone
        again = await start_client(server.url, tmp_path)
        await wait_for(lambda: again.store.conversation(first.message.conversation_id) is not None)
        snapshots = [st for st in again.statuses if st.state is LinkState.ONLINE]  # type: ignore[attr-defined]
        assert snapshots and again.store.last_seq() is not None
        await stop_client(again)
    finally:
        server.stop()
