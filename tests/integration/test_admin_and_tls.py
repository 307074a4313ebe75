"""Shop administration from the command line against a running backend, and TLS (wss://)."""

from __future__ import annotations

import asyncio
import json
import ssl
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import QuickReplyDraft
from desktop.server.peer import Peer, RequestError, agent_peer
from tests.integration.backend import BackendProcess, tls_backend
from tests.integration.shop import admin, agent


def _admin_fails(db: Path, *args: str, stdin: str = "") -> str:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "admin", "--db", str(db), *args],
        input=stdin,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    return done.stderr


def _admin_with_password(db: Path, password: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "admin", "--db", str(db), *args, "--password-stdin"],
        input=password + "\n",
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


async def test_agents_are_managed_from_the_command_line(backend: BackendProcess) -> None:
    db = backend.db_path
    out = admin(db, "shop-create", "tea", "茶语小铺")
    assert "widget secret" in out
    assert "exists" in _admin_fails(db, "shop-create", "tea", "again")
    _admin_with_password(db, "s3cret-pass", "agent-add", "tea", "lily", "客服莉莉", "--max-concurrent", "3")
    assert "at least" in _admin_fails(db, "agent-add", "tea", "bob", "Bob", "--password-stdin", stdin="123\n")
    assert "lily" in admin(db, "agents", "tea") and "max 3" in admin(db, "agents", "tea")

    peer, hello = await agent_peer(backend.url, "tea", "lily", "s3cret-pass")
    assert hello.me.name == "客服莉莉" and hello.me.shop == "tea"
    token = await _login(backend.url, "tea", "lily", "s3cret-pass")

    _admin_with_password(db, "new-pass-42", "agent-passwd", "tea", "lily")
    with pytest.raises(RequestError):  # the old password is gone
        await _login(backend.url, "tea", "lily", "s3cret-pass")
    assert not await _hello_accepted(backend.url, token)  # and so are tokens issued with it
    token = await _login(backend.url, "tea", "lily", "new-pass-42")

    admin(db, "agent-disable", "tea", "lily")
    assert not await _hello_accepted(backend.url, token)
    with pytest.raises(RequestError) as refused:
        await _login(backend.url, "tea", "lily", "new-pass-42")
    assert refused.value.code == "unauthorized"
    admin(db, "agent-enable", "tea", "lily")
    await _login(backend.url, "tea", "lily", "new-pass-42")
    admin(db, "agent-max", "tea", "lily", "9")
    assert "max 9" in admin(db, "agents", "tea")
    assert "no agent" in _admin_fails(db, "agent-max", "tea", "nobody", "2")
    await peer.close()


async def _login(url: str, shop: str, user: str, password: str) -> str:
    peer = await Peer.open(url)
    try:
        return await peer.login(shop, user, password)
    finally:
        await peer.close()


async def _hello_accepted(url: str, token: str) -> bool:
    peer = await Peer.open(url)
    try:
        await peer.hello("agent", token)
        return True
    except RequestError as exc:
        assert exc.code == "unauthorized"
        return False
    finally:
        await peer.close()


async def test_team_quick_replies_import_export_and_live_update(
    backend: BackendProcess, tmp_path: Path
) -> None:
    watcher = await agent(backend.url, "agent2")
    before = await watcher.request(f.SyncSnapshot(id=""), p.SnapshotOk)
    team = [q for q in before.quick_replies if q.scope == "team"]
    assert len(team) >= 60

    existing = next(q for q in team if q.shortcut)
    source = tmp_path / "phrases.csv"
    rows = [
        "group,shortcut,text",
        "大促,dc,亲，双十一当天0点开抢，记得提前加购哦～",
        f"{existing.group},{existing.shortcut},新的说法",
    ]
    source.write_text("\n".join(rows) + "\n", "utf-8")
    out = admin(backend.db_path, "qr-import", "demo", str(source))
    assert "1 team quick replies added, 1 updated" in out
    changed = [await watcher.next_event(f.QuickRepliesChanged, timeout=10) for _ in range(2)]
    assert {(c.data.quick_reply.text, c.data.quick_reply.id == existing.id) for c in changed} == {
        ("亲，双十一当天0点开抢，记得提前加购哦～", False),
        ("新的说法", True),
    }

    exported = json.loads(admin(backend.db_path, "qr-export", "demo"))
    assert {"group": "大促", "shortcut": "dc", "text": "亲，双十一当天0点开抢，记得提前加购哦～"} in exported
    csv_out = tmp_path / "out.csv"
    admin(backend.db_path, "qr-export", "demo", "--format", "csv", "--out", str(csv_out))
    assert csv_out.read_text("utf-8").startswith("group,shortcut,text\n")

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"group": "", "text": "没有分组"}]), "utf-8")
    assert "needs a non-empty group" in _admin_fails(backend.db_path, "qr-import", "demo", str(bad))

    replaced = tmp_path / "only.json"
    replaced.write_text(
        json.dumps([{"group": "问候", "shortcut": "hi", "text": "您好，有什么可以帮您？"}]), "utf-8"
    )
    admin(backend.db_path, "qr-import", "demo", str(replaced), "--replace")
    after = await watcher.request(f.SyncSnapshot(id=""), p.SnapshotOk)
    assert [q.text for q in after.quick_replies if q.scope == "team"] == ["您好，有什么可以帮您？"]
    await watcher.close()


async def test_personal_quick_replies_belong_to_their_agent(backend: BackendProcess) -> None:
    a1, a2 = await agent(backend.url, "agent1"), await agent(backend.url, "agent2")
    draft = p.QuickReplyUpsertData(
        quick_reply=QuickReplyDraft(
            scope="personal", group="我的", shortcut="zf", text="亲，{customer.nickname}，这边帮您登记了～"
        )
    )
    made = await a1.request(f.QuickRepliesUpsert(id="", data=draft), p.QuickReplyOk)
    pushed = await a1.next_event(f.QuickRepliesChanged)
    assert pushed.data.quick_reply == made.quick_reply
    with pytest.raises(RequestError) as other:
        await a2.request(f.QuickRepliesDelete(id="", data=p.IdRef(id=made.quick_reply.id)), p.Empty)
    assert other.value.code == "not_found"
    team = p.QuickReplyUpsertData(quick_reply=QuickReplyDraft(scope="team", group="x", text="团队短语"))
    with pytest.raises(RequestError) as forbidden:
        await a1.request(f.QuickRepliesUpsert(id="", data=team), p.QuickReplyOk)
    assert forbidden.value.code == "forbidden"
    await a1.request(f.QuickRepliesDelete(id="", data=p.IdRef(id=made.quick_reply.id)), p.Empty)
    gone = await a1.next_event(f.QuickRepliesChanged)
    assert gone.data.deleted_id == made.quick_reply.id
    await asyncio.gather(a1.close(), a2.close())


async def test_wss_with_a_certificate(tmp_path: Path) -> None:
    ca, server = tls_backend(tmp_path)
    try:
        url = server.start(plain=False)
        assert url.startswith("wss://")
        trusted = ssl.create_default_context()
        ca.configure_trust(trusted)
        peer, hello = await agent_peer(url, "demo", "agent1", "demo123", ssl_context=trusted)
        assert hello.me.name == "客服小美"
        await peer.close()
        with pytest.raises(ssl.SSLCertVerificationError):  # a client that does not trust the CA refuses
            await Peer.open(url, ssl_context=ssl.create_default_context())
    finally:
        server.stop()


def test_serve_refuses_to_run_without_tls_unless_plain_is_asked_for(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "desktop", "serve", "--db", str(tmp_path / "x.db"), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert "--cert and --key" in done.stderr and "--plain" in done.stderr
