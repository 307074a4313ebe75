"""What the reference backend does for each request: checks, state changes, events, in one transaction.

Every handler runs inside ``BEGIN IMMEDIATE … COMMIT`` together with the events it emits, so an ``ok`` is only
sent for a committed change, and the events that report it are durable before anyone sees them.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import msgspec

from desktop.protocol import codec
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.errors import ErrorCode
from desktop.protocol.objects import Agent, AgentStatus, Conversation, Me, Message, MessageKind, Party
from desktop.server import views
from desktop.server.accounts import Principal
from desktop.server.db import transaction
from desktop.server.events import EventLog, Stored, agent_key, customer_key

THREE_MINUTES_MS = 180_000
CLOSED_IN_SNAPSHOT_MS = 24 * 3600 * 1000


class ServiceError(Exception):
    def __init__(self, code: ErrorCode, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code: ErrorCode = code
        self.message = message


@dataclass
class Outcome:
    """The reply to a request and what must be pushed once it is committed."""

    reply: msgspec.Struct | None = None
    stored: list[Stored] = field(default_factory=list)
    ephemeral: list[tuple[str, bytes]] = field(default_factory=list)


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(8)}"


Handler = Callable[[Principal, Any, int], msgspec.Struct | None]


class Backend:
    """The store's state and rules. Single-threaded: call it from the server's event loop only."""

    def __init__(self, conn: sqlite3.Connection, log: EventLog) -> None:
        self.conn = conn
        self.log = log
        self.connected: Counter[str] = Counter()  # agent id -> live connections
        self._stored: list[Stored] = []
        self._ephemeral: list[tuple[str, bytes]] = []
        self._last_assigned: dict[str, int] = {}
        self._handlers: dict[type[f.Request], tuple[Handler, frozenset[str]]] = {}
        agent, customer, both = (
            frozenset({"agent"}),
            frozenset({"customer"}),
            frozenset({"agent", "customer"}),
        )
        from desktop.server import handlers

        for frame_type, (fn, roles) in handlers.table(self, agent, customer, both).items():
            self._handlers[frame_type] = (fn, roles)

    # --- running requests ---------------------------------------------------------------------------

    def execute(self, who: Principal, frame: f.Request, now_ms: int) -> Outcome:
        """Run one request in a transaction of its own (raises ServiceError)."""
        work = self._work(who, frame, now_ms)
        return self.transact(work)

    def execute_many(self, requests: Sequence[tuple[Principal, f.Request, int]]) -> list[Outcome | Exception]:
        """Run requests in ONE transaction (group commit), each in a savepoint of its own.

        A request that fails is rolled back alone and gets its exception in the result; the others commit
        together. Nothing is reported before the commit, so an ``ok`` still never precedes durability.
        """
        results: list[Outcome | Exception] = []
        with transaction(self.conn):
            for who, frame, now_ms in requests:
                self._stored, self._ephemeral = [], []
                self.conn.execute("SAVEPOINT request")
                try:
                    reply = self._work(who, frame, now_ms)()
                except (
                    Exception
                ) as exc:  # ServiceError for refusals; anything else is a bug, reported as such
                    self.conn.execute("ROLLBACK TO request")
                    self.conn.execute("RELEASE request")
                    results.append(exc)
                    continue
                self.conn.execute("RELEASE request")
                results.append(Outcome(reply, self._stored, self._ephemeral))
        self._stored, self._ephemeral = [], []
        return results

    def _work(self, who: Principal, frame: f.Request, now_ms: int) -> Callable[[], msgspec.Struct | None]:
        entry = self._handlers.get(type(frame))
        if entry is None:
            raise ServiceError("unsupported", f"{f.type_name(type(frame))} is not handled here")
        handler, roles = entry
        if who.role not in roles:
            raise ServiceError("forbidden", f"{who.role}s may not send {f.type_name(type(frame))}")
        data = frame.data  # type: ignore[attr-defined]  # every request subclass declares its typed data
        return lambda: handler(who, data, now_ms)

    def transact(self, work: Callable[[], msgspec.Struct | None]) -> Outcome:
        self._stored, self._ephemeral = [], []
        try:
            with transaction(self.conn):
                reply = work()
        except BaseException:
            self._stored, self._ephemeral = [], []
            raise
        outcome = Outcome(reply, self._stored, self._ephemeral)
        self._stored, self._ephemeral = [], []
        return outcome

    def emit(self, recipient: str, event: f.Event, now_ms: int) -> None:
        self._stored.append(self.log.append(recipient, event, now_ms))

    def emit_ephemeral(self, recipient: str, event: f.Event) -> None:
        self._ephemeral.append((recipient, codec.encode(event)))

    # --- lookups --------------------------------------------------------------------------------------

    def row(self, sql: str, *args: object) -> sqlite3.Row | None:
        row: sqlite3.Row | None = self.conn.execute(sql, args).fetchone()
        return row

    def conversation_row(self, conversation_id: str, who: Principal) -> sqlite3.Row:
        row = self.row("SELECT * FROM conversations WHERE id = ?", conversation_id)
        if row is None or row["shop_id"] != who.shop_id:
            raise ServiceError("not_found", f"no conversation {conversation_id}")
        if who.role == "customer" and row["customer_id"] != who.id:
            raise ServiceError("not_found", f"no conversation {conversation_id}")
        return row

    def own_conversation(self, conversation_id: str, who: Principal) -> sqlite3.Row:
        """A conversation the agent may act in: assigned to them and not closed."""
        row = self.conversation_row(conversation_id, who)
        if row["assignee_id"] != who.id:
            raise ServiceError("forbidden", "this conversation is not assigned to you")
        if row["status"] == "closed":
            raise ServiceError("conflict", "this conversation is closed")
        return row

    def conversation(self, conversation_id: str, last_message: Message | None = None) -> Conversation:
        row = self.row("SELECT * FROM conversations WHERE id = ?", conversation_id)
        assert row is not None
        return views.conversation(self.conn, row, last_message)

    def active_counts(self, shop_id: str) -> Counter[str]:
        rows = self.conn.execute(
            "SELECT assignee_id, COUNT(*) AS n FROM conversations WHERE shop_id = ? AND status = 'active'"
            " GROUP BY assignee_id",
            (shop_id,),
        )
        return Counter({r["assignee_id"]: r["n"] for r in rows})

    def agents(self, shop_id: str) -> list[Agent]:
        counts = self.active_counts(shop_id)
        rows = self.conn.execute(
            "SELECT * FROM agents WHERE shop_id = ? AND disabled = 0 ORDER BY id", (shop_id,)
        )
        return [views.agent(r, counts[r["id"]], self.connected[r["id"]] > 0) for r in rows]

    def agent_ids(self, shop_id: str) -> list[str]:
        rows = self.conn.execute("SELECT id FROM agents WHERE shop_id = ? AND disabled = 0", (shop_id,))
        return [r["id"] for r in rows]

    def me(self, who: Principal) -> Me:
        if who.role == "agent":
            row = self.row("SELECT name FROM agents WHERE id = ?", who.id)
        else:
            row = self.row("SELECT nickname AS name FROM customers WHERE id = ?", who.id)
        name = row["name"] if row is not None else who.id
        return Me(role=who.role, id=who.id, name=name, shop=who.shop_id)

    def recipient(self, who: Principal) -> str:
        return agent_key(who.id) if who.role == "agent" else customer_key(who.id)

    # --- events about a conversation ------------------------------------------------------------------

    def conversation_changed(
        self,
        conv_id: str,
        now_ms: int,
        *,
        also_agents: tuple[str, ...] = (),
        last_message: Message | None = None,
        tell_customer: bool = True,
    ) -> None:
        """conversation.updated to everyone who follows it: customer, assignee, the queue's watchers.

        ``tell_customer=False`` for a plain new message: the customer gets the message itself, and unread
        counts and wait times are the agents' business (it saves a stored event and a frame per message).
        """
        conv = self.conversation(conv_id, last_message)
        event = f.ConversationUpdated(ts=now_ms, data=p.ConversationData(conversation=conv))
        if tell_customer:
            self.emit(customer_key(conv.customer_id), event, now_ms)
        watchers: set[str] = set(also_agents)
        if conv.assignee_id is not None:
            watchers.add(conv.assignee_id)
        if conv.status == "waiting":
            watchers.update(self.agent_ids(self.shop_of(conv_id)))
        for agent_id in sorted(watchers):
            self.emit(agent_key(agent_id), event, now_ms)

    def shop_of(self, conv_id: str) -> str:
        row = self.row("SELECT shop_id FROM conversations WHERE id = ?", conv_id)
        assert row is not None
        shop: str = row["shop_id"]
        return shop

    def queue_changed(self, shop_id: str, now_ms: int) -> None:
        row = self.row(
            "SELECT COUNT(*) AS n FROM conversations WHERE shop_id = ? AND status = 'waiting'", shop_id
        )
        waiting = row["n"] if row is not None else 0
        event = f.QueueUpdated(ts=now_ms, data=p.QueueUpdatedData(waiting=waiting))
        for agent_id in self.agent_ids(shop_id):
            self.emit(agent_key(agent_id), event, now_ms)

    def add_message(
        self,
        conv_id: str,
        sender: Party,
        kind: MessageKind,
        body: dict[str, Any],
        now_ms: int,
        client_msg_id: str | None,
    ) -> Message:
        """Store a message and tell the customer and the assignee.

        ``created_at`` strictly increases within a conversation (a millisecond later than the previous message
        when two land in the same one), so clients can order a conversation by time alone.
        """
        message_id = new_id("m")
        previous = self.row(
            "SELECT m.created_at FROM conversations c JOIN messages m ON m.id = c.last_message_id"
            " WHERE c.id = ?",
            conv_id,
        )
        if previous is not None and previous["created_at"] >= now_ms:
            now_ms = previous["created_at"] + 1
        self.conn.execute(
            "INSERT INTO messages (id, conversation_id, client_msg_id, sender_role, sender_id, kind, body,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                message_id,
                conv_id,
                client_msg_id,
                sender.role,
                sender.id,
                kind,
                json.dumps(body, ensure_ascii=False),
                now_ms,
            ),
        )
        self.conn.execute("UPDATE conversations SET last_message_id = ? WHERE id = ?", (message_id, conv_id))
        message = Message(
            id=message_id,
            conversation_id=conv_id,
            client_msg_id=client_msg_id,
            sender=sender,
            kind=kind,
            body=body,
            created_at=now_ms,
        )
        event = f.MessageCreated(ts=now_ms, data=p.MessageData(message=message))
        conv = self.row("SELECT customer_id, assignee_id FROM conversations WHERE id = ?", conv_id)
        assert conv is not None
        self.emit(customer_key(conv["customer_id"]), event, now_ms)
        if conv["assignee_id"] is not None:
            self.emit(agent_key(conv["assignee_id"]), event, now_ms)
        return message

    # --- routing --------------------------------------------------------------------------------------

    def pick_agent(self, shop_id: str, exclude: str | None = None) -> str | None:
        """The online agent with the fewest active conversations below their max (fairest on a tie).

        Suspended agents (online, 挂起) are skipped, like busy and away ones: they only get conversations
        they accept from the queue or that a colleague transfers to them.
        """
        counts = self.active_counts(shop_id)
        best: tuple[int, int, str] | None = None
        rows = self.conn.execute(
            "SELECT id, max_concurrent FROM agents WHERE shop_id = ? AND disabled = 0 AND status = 'online'"
            " AND suspended = 0",
            (shop_id,),
        )
        for r in rows:
            agent_id = r["id"]
            if (
                agent_id == exclude
                or self.connected[agent_id] <= 0
                or counts[agent_id] >= r["max_concurrent"]
            ):
                continue
            key = (counts[agent_id], self._last_assigned.get(agent_id, 0), agent_id)
            if best is None or key < best:
                best = key
        return best[2] if best is not None else None

    def assign(self, conv_id: str, agent_id: str, now_ms: int, *, note: str | None = None) -> None:
        self.conn.execute(
            "UPDATE conversations SET status = 'active', assignee_id = ?, assigned_at = ? WHERE id = ?",
            (agent_id, now_ms, conv_id),
        )
        self._last_assigned[agent_id] = now_ms
        conv = self.conversation(conv_id)
        assigned = f.ConversationAssigned(ts=now_ms, data=p.ConversationData(conversation=conv, note=note))
        self.emit(agent_key(agent_id), assigned, now_ms)

    def drain_queue(self, shop_id: str, now_ms: int) -> None:
        """Hand waiting conversations, oldest first, to agents who have room."""
        rows = self.conn.execute(
            "SELECT id FROM conversations WHERE shop_id = ? AND status = 'waiting' ORDER BY created_at, id",
            (shop_id,),
        ).fetchall()
        moved = False
        for r in rows:
            agent_id = self.pick_agent(shop_id)
            if agent_id is None:
                break
            self.assign(r["id"], agent_id, now_ms)
            self.conversation_changed(r["id"], now_ms, also_agents=tuple(self.agent_ids(shop_id)))
            moved = True
        if moved:
            self.queue_changed(shop_id, now_ms)

    def release_agent(self, agent_id: str, shop_id: str, now_ms: int) -> None:
        """Put a disabled agent's open conversations back in the queue and hand them out again."""
        rows = self.conn.execute(
            "SELECT id FROM conversations WHERE assignee_id = ? AND status = 'active'", (agent_id,)
        ).fetchall()
        for r in rows:
            self.conn.execute(
                "UPDATE conversations SET status = 'waiting', assignee_id = NULL WHERE id = ?", (r["id"],)
            )
            self.conversation_changed(r["id"], now_ms, also_agents=(agent_id,))
        if rows:
            self.queue_changed(shop_id, now_ms)
            self.drain_queue(shop_id, now_ms)

    def set_presence(
        self, agent_id: str, shop_id: str, status: AgentStatus, now_ms: int, *, suspended: bool = False
    ) -> None:
        """Store an agent's status (suspended only counts with "online"), tell the team, route if routable."""
        suspended = suspended and status == "online"
        self.conn.execute(
            "UPDATE agents SET status = ?, suspended = ? WHERE id = ?", (status, int(suspended), agent_id)
        )
        self.presence_changed(agent_id, shop_id, status, now_ms, suspended=suspended)
        if status == "online" and not suspended:
            self.drain_queue(shop_id, now_ms)

    def presence_changed(
        self, agent_id: str, shop_id: str, status: AgentStatus, now_ms: int, *, suspended: bool = False
    ) -> None:
        data = p.PresenceChangedData(agent_id=agent_id, status=status, suspended=suspended)
        event = f.PresenceChanged(ts=now_ms, data=data)
        for other in self.agent_ids(shop_id):
            self.emit_ephemeral(agent_key(other), event)
