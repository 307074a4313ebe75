"""Client security: no token or password left anywhere on disk, in logs or the environment; TLS trust rules;
hostile server frames are logged and survived."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path

import pytest
import trustme
from websockets.asyncio.server import ServerConnection, serve

from desktop import logs, paths
from desktop.client.backoff import Backoff
from desktop.client.connection import AgentClient, LoginError, login
from desktop.client.credentials import Account, load_token
from desktop.client.endpoint import EndpointError, resolve
from desktop.client.status import LinkState
from desktop.protocol import codec, samples
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.store import LocalStore, store_path
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import start_client, stop_client, wait_for
from tests.integration.shop import buyer, say


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


async def test_no_secret_is_written_anywhere(backend: BackendProcess, shopdesk_home: Path) -> None:
    log_file = logs.setup_logging("DEBUG", console=False)
    try:
        client = await start_client(backend.url, paths.data_dir())
        token = load_token(Account(backend.url, "demo", "agent1"))
        assert token
        logging.getLogger("desktop.test").info("session token=%s password=%s", token, "demo123")
        shopper, _ = await buyer(backend.url, "c0090")
        sent = await say(shopper, "在吗？")
        await wait_for(lambda: client.store.message(sent.message.id) is not None)
        client.send_text(sent.message.conversation_id, "在的亲")
        await wait_for(lambda: client.store.outbox() == [])
        await shopper.close()
        await stop_client(client)
    finally:
        for handler in logging.getLogger().handlers:
            handler.flush()
    files = _files_under(shopdesk_home)
    assert log_file in files and any(
        p.suffix == ".sqlite3" or "store" in p.name or p.suffix == ".db" for p in files
    )
    for path in files:
        data = path.read_bytes()
        assert token.encode() not in data, path
        assert b"demo123" not in data, path
    assert all(token not in value and "demo123" not in value for value in os.environ.values())
    logs.reset_logging()


async def test_ws_to_a_remote_host_is_refused_before_connecting() -> None:
    with pytest.raises(EndpointError) as refused:
        resolve("ws://shop.example.com:8765")
    assert "wss://" in str(refused.value)


async def test_a_self_signed_certificate_is_refused_unless_its_ca_is_configured(tmp_path: Path) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert_file, key_file, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.private_key_pem.write_to_path(str(key_file))
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    ca.cert_pem.write_to_path(str(ca_file))
    server = BackendProcess(tmp_path / "tls.db", extra=["--cert", str(cert_file), "--key", str(key_file)])
    url = server.start(plain=False)
    try:
        account = Account(url, "demo", "agent1")
        with pytest.raises(LoginError) as untrusted:
            await login(resolve(url), account, "demo123", remember=False)
        assert untrusted.value.reason == "certificate"
        token = await login(resolve(url, ca_file=ca_file), account, "demo123", remember=False)
        assert token
    finally:
        server.stop()


async def _hostile_server(ws: ServerConnection) -> None:
    """Accepts any token, then sends garbage, an unknown event, a bad seq event, and finally good events."""
    hello = codec.decode_client_frame(await ws.recv())
    assert isinstance(hello, f.Hello)
    await ws.send(codec.encode(codec.ok(hello.id, p.HelloOk(session="s", me=samples.ME, seq=0))).decode())
    snapshot = codec.decode_client_frame(await ws.recv())
    assert isinstance(snapshot, f.SyncSnapshot)
    await ws.send(codec.encode(codec.ok(snapshot.id, p.SnapshotOk(seq=0, conversations=[]))).decode())
    for junk in (
        "not json",
        "[1,2]",
        '{"no":"type"}',
        '{"type":"brand.new.event","seq":1,"ts":1,"data":{}}',
        '{"type":"message.created","seq":1,"ts":1,"data":{"message":{"id":5}}}',
        json.dumps({"type": "ok", "re": "nobody", "data": {}}),
    ):
        await ws.send(junk)
    good = f.MessageCreated(seq=1, ts=1, data=p.MessageData(message=samples.MESSAGE))
    await ws.send(codec.encode(good).decode())
    await asyncio.sleep(5)


async def test_hostile_server_frames_are_logged_and_the_session_survives(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="desktop.client")
    async with serve(_hostile_server, "127.0.0.1", 0, subprotocols=["shopdesk.v1"]) as server:  # type: ignore[list-item]
        port = server.sockets[0].getsockname()[1]
        url = f"ws://127.0.0.1:{port}"
        store = LocalStore.open(store_path(url, "demo", "agent1", tmp_path))
        client = AgentClient(
            Account(url, "demo", "agent1"),
            resolve(url),
            store,
            "any-token",
            backoff=Backoff(first_s=5, cap_s=5),
        )
        client.start()
        try:
            await wait_for(lambda: store.message(samples.MESSAGE.id) is not None)
            assert client.status.state is LinkState.ONLINE
        finally:
            await client.stop()
            store.close()
    warnings = [r.getMessage() for r in caplog.records if r.name.startswith("desktop.client")]
    assert sum("ignored a frame" in w for w in warnings) >= 5, warnings
