"""Presence and routing rules of the backend, without sockets: suspend (挂起), busy, away, agents.list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import AgentStatus
from desktop.server import accounts, db
from desktop.server.accounts import Principal
from desktop.server.events import EventLog
from desktop.server.service import Backend, ServiceError

SHOP = "s"
T0 = 1_764_000_000_000


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[Backend]:
    conn = db.connect(tmp_path / "backend.db")
    accounts.create_shop(conn, SHOP, "店", T0, "secret")
    for username in ("agent1", "agent2"):
        accounts.add_agent(conn, SHOP, username, username, "", T0, max_concurrent=2, password_hash="h")
    conn.execute(
        "INSERT INTO customers (id, shop_id, nickname, first_seen, last_seen)"
        " VALUES ('u-1', ?, '买家', 0, 0)",
        (SHOP,),
    )
    b = Backend(conn, EventLog(conn))
    yield b
    conn.close()


def _agent(username: str) -> Principal:
    return Principal(role="agent", id=f"a-{SHOP}-{username}", shop_id=SHOP)


def _presence(b: Backend, who: Principal, status: AgentStatus, suspended: bool = False) -> list[bytes]:
    data = p.PresenceSetData(status=status, suspended=suspended)
    outcome = b.execute(who, f.PresenceSet(id="1", data=data), T0)
    return [frame for _, frame in outcome.ephemeral]


def _stored(b: Backend, agent_id: str) -> tuple[str, int]:
    row = b.row("SELECT status, suspended FROM agents WHERE id = ?", agent_id)
    assert row is not None
    return row["status"], row["suspended"]


def _waiting(b: Backend, conv_id: str) -> None:
    b.conn.execute(
        "INSERT INTO conversations (id, shop_id, customer_id, status, created_at)"
        " VALUES (?, ?, 'u-1', 'waiting', ?)",
        (conv_id, SHOP, T0),
    )


@pytest.mark.parametrize("status", ["busy", "away", "offline"])
def test_suspended_is_stored_false_with_any_status_but_online(backend: Backend, status: AgentStatus) -> None:
    who = _agent("agent1")
    backend.connected[who.id] = 1
    frames = _presence(backend, who, status, suspended=True)
    assert _stored(backend, who.id) == (status, 0)
    assert b'"suspended"' not in frames[0]  # presence.changed says not suspended (left out: the default)
    assert backend.agents(SHOP)[0].suspended is False


def test_suspended_agents_are_not_routed_and_unsuspending_drains_the_queue(backend: Backend) -> None:
    one, two = _agent("agent1"), _agent("agent2")
    backend.connected.update({one.id: 1, two.id: 1})
    for who in (one, two):
        _presence(backend, who, "online", suspended=True)
    assert _stored(backend, one.id) == ("online", 1)
    assert backend.pick_agent(SHOP) is None
    _waiting(backend, "cv-1")
    _presence(backend, two, "online")  # back to routable: the waiting buyer goes to agent2
    row = backend.row("SELECT status, assignee_id FROM conversations WHERE id = 'cv-1'")
    assert row is not None and (row["status"], row["assignee_id"]) == ("active", two.id)
    reply = backend.execute(one, f.AgentsList(id="2"), T0).reply
    assert isinstance(reply, p.AgentsOk)
    mine, theirs = (next(a for a in reply.agents if a.id == who.id) for who in (one, two))
    assert (mine.status, mine.suspended, mine.active_count) == ("online", True, 0)
    assert (theirs.status, theirs.suspended, theirs.active_count, theirs.max_concurrent) == (
        "online",
        False,
        1,
        2,
    )


def test_a_disconnected_agent_is_listed_offline_and_not_suspended(backend: Backend) -> None:
    who = _agent("agent1")
    backend.connected[who.id] = 1
    _presence(backend, who, "online", suspended=True)
    del backend.connected[who.id]
    listed = {a.id: a for a in backend.agents(SHOP)}
    assert (listed[who.id].status, listed[who.id].suspended) == ("offline", False)


def test_customers_may_not_list_agents(backend: Backend) -> None:
    with pytest.raises(ServiceError) as info:
        backend.execute(Principal(role="customer", id="u-1", shop_id=SHOP), f.AgentsList(id="3"), T0)
    assert info.value.code == "forbidden"
