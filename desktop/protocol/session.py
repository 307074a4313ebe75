"""The client side of a shopdesk.v1 session as a state machine without I/O.

Feed it what happens (``connection_made``, ``receive``, ``tick``, ``connection_lost``) and what the user wants
(``request``, ``send_message``); collect what to write with :meth:`data_to_send` and what happened with
:meth:`events_received`. Time is a number of milliseconds passed in by the caller; nothing here reads a clock.

Rules it enforces:
- ``hello`` carries ``resume.since`` = the last ``seq`` applied; a fresh client or ``resync: true``
  reloads with ``sync.snapshot``; events that arrive while it is pending are applied after it if newer.
- Events with a ``seq`` already applied are dropped; a jump in ``seq`` is a gap: the session stops reading and
  asks for a reconnect with resume.
- Every request gets one outcome: a reply, an error, a time-out, or the loss of the connection.
- ``message.send`` goes through the outbox: kept until its ``ok``, re-sent unchanged (same
  ``client_msg_id``) after each reconnect, dropped only on ``ok`` or a permanent error.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal, TypeAlias

import msgspec

from desktop.protocol import codec
from desktop.protocol.errors import TRANSIENT_CODES, ProtocolError
from desktop.protocol.frames import (
    EPHEMERAL_EVENTS,
    AnyEvent,
    CustomerRegister,
    Error,
    Hello,
    Login,
    MessageSend,
    Ok,
    Request,
    SyncSnapshot,
    type_name,
)
from desktop.protocol.objects import Message
from desktop.protocol.payloads import (
    ClientInfo,
    HelloData,
    HelloOk,
    MessageData,
    MessageSendData,
    Resume,
    SnapshotOk,
)

DEFAULT_REQUEST_TIMEOUT_MS = 15_000
MAX_LATE_REPLIES = 1000  # timed-out message.send requests remembered per connection
MAX_TRANSIENT_FAILURES = 5  # a message refused this often with a transient error is shown as failed
TIMEOUT = "timeout"  # local failure code: no reply in time (not a wire code)
CONNECTION_LOST = "unavailable"  # local failure code used when the connection drops with the request pending


class State(enum.Enum):
    IDLE = "idle"  # no connection
    CONNECTED = "connected"  # socket open, hello not sent yet (login / customer.register allowed)
    HELLO = "hello"  # hello sent, waiting for its reply
    SYNCING = "syncing"  # sync.snapshot sent, waiting for it
    OPEN = "open"  # ready: requests and the outbox flow
    CLOSED = "closed"  # this connection is done (gap, auth failure, lost): call connection_made again


# --- what the session reports ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ready:
    """The session is open; ``hello`` is the server's reply."""

    hello: HelloOk


@dataclass(frozen=True, slots=True)
class SnapshotLoaded:
    """Local state must be replaced by this snapshot (first start or ``resync``)."""

    snapshot: SnapshotOk


@dataclass(frozen=True, slots=True)
class EventReceived:
    """A server event to apply, in order; stored ones carry their ``seq``."""

    event: AnyEvent


@dataclass(frozen=True, slots=True)
class ReplyReceived:
    request_id: str
    request_type: str
    data: msgspec.Struct


@dataclass(frozen=True, slots=True)
class RequestFailed:
    """A request ended without success: a server ``error``, a time-out or a lost connection."""

    request_id: str
    request_type: str
    code: str
    message: str
    retriable: bool


@dataclass(frozen=True, slots=True)
class MessageAcked:
    """The server has the message: remove it from the persistent outbox."""

    client_msg_id: str
    message: Message


@dataclass(frozen=True, slots=True)
class MessageFailed:
    """The server refused the message for good: show it as failed (the user may retry)."""

    client_msg_id: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ReconnectNeeded:
    """Close this connection and open a new one; ``since`` is what ``resume.since`` will carry."""

    reason: str
    since: int | None


@dataclass(frozen=True, slots=True)
class AuthFailed:
    """The server refused the token: the user must log in again."""

    message: str


@dataclass(frozen=True, slots=True)
class ProtocolViolation:
    """The server sent something the protocol does not allow; it was ignored."""

    error: ProtocolError


SessionEvent: TypeAlias = (
    Ready
    | SnapshotLoaded
    | EventReceived
    | ReplyReceived
    | RequestFailed
    | MessageAcked
    | MessageFailed
    | ReconnectNeeded
    | AuthFailed
    | ProtocolViolation
)


@dataclass(slots=True)
class _Pending:
    request_type: str
    reply_type: type[msgspec.Struct]
    deadline_ms: int
    client_msg_id: str | None = None


@dataclass(slots=True)
class _Counters:
    duplicates_ignored: int = 0
    gaps: int = 0
    resends: int = 0


_PRE_HELLO = frozenset({type_name(Login), type_name(CustomerRegister)})


class ClientSession:
    """One client's view of its shopdesk.v1 session, across any number of connections."""

    def __init__(
        self,
        *,
        role: Literal["agent", "customer"],
        client_name: str,
        client_version: str,
        last_seq: int | None = None,
        outbox: tuple[MessageSendData, ...] | list[MessageSendData] = (),
        request_timeout_ms: int = DEFAULT_REQUEST_TIMEOUT_MS,
    ) -> None:
        self.role: Literal["agent", "customer"] = role
        self.client = ClientInfo(name=client_name, version=client_version)
        self.request_timeout_ms = request_timeout_ms
        self.state = State.IDLE
        self.counters = _Counters()
        self.hello: HelloOk | None = None
        self._last_seq = last_seq
        self._outbox: OrderedDict[str, MessageSendData] = OrderedDict((m.client_msg_id, m) for m in outbox)
        self._in_flight: dict[str, str] = {}  # client_msg_id -> request id on this connection
        self._refusals: dict[str, int] = {}  # client_msg_id -> transient errors so far
        self._late: dict[str, _Pending] = {}  # timed-out message.send requests whose ok may still arrive
        self._pending: dict[str, _Pending] = {}
        self._held: list[AnyEvent] = []  # seq events that arrived before the session was ready for them
        self._next_id = 0
        self._out: list[bytes] = []
        self._events: list[SessionEvent] = []

    # --- state ----------------------------------------------------------------------------------------

    @property
    def last_seq(self) -> int | None:
        """The last ``seq`` applied (what ``resume.since`` carries)."""
        return self._last_seq

    @property
    def outbox(self) -> list[MessageSendData]:
        """Messages sent by the user and not yet acknowledged, oldest first."""
        return list(self._outbox.values())

    def next_deadline(self) -> int | None:
        """When :meth:`tick` should next be called, or None when nothing is waiting."""
        return min((p.deadline_ms for p in self._pending.values()), default=None)

    def data_to_send(self) -> list[bytes]:
        """Frames to write to the socket, in order (each is one text frame)."""
        out, self._out = self._out, []
        return out

    def events_received(self) -> list[SessionEvent]:
        """What happened since the last call, in order."""
        events, self._events = self._events, []
        return events

    # --- inputs from the I/O layer --------------------------------------------------------------------

    def connection_made(self) -> None:
        """A new connection is open (before ``hello``): reset everything that belonged to the old one."""
        self._abort_pending("connection replaced")
        self._late.clear()
        self._held.clear()
        self.state = State.CONNECTED

    def start(self, token: str, now_ms: int) -> str:
        """Send ``hello`` with ``token`` (and ``resume.since`` when some state is already applied)."""
        if self.state is not State.CONNECTED:
            raise RuntimeError(f"hello needs a fresh connection, session is {self.state.value}")
        resume = None if self._last_seq is None else Resume(since=self._last_seq)
        data = HelloData(role=self.role, token=token, client=self.client, resume=resume)
        self.state = State.HELLO
        return self._send(Hello(id="", data=data), now_ms)

    def receive(self, data: bytes | str, now_ms: int) -> None:
        """One text frame from the server."""
        if self.state in (State.IDLE, State.CLOSED):
            return  # a late frame from a connection we have given up on
        try:
            frame = codec.decode_server_frame(data)
        except ProtocolError as exc:
            self._events.append(ProtocolViolation(exc))
            return
        if isinstance(frame, Ok | Error):
            self._on_reply(frame, now_ms)
        else:
            self._on_event(frame)

    def tick(self, now_ms: int) -> None:
        """Fail the requests whose time is up."""
        expired = [rid for rid, p in self._pending.items() if p.deadline_ms <= now_ms]
        for rid in expired:
            pending = self._pending.pop(rid)
            if pending.client_msg_id is not None:  # its ok may still come: it will count then
                self._late[rid] = pending
                while len(self._late) > MAX_LATE_REPLIES:
                    del self._late[next(iter(self._late))]
            self._fail(rid, pending, TIMEOUT, "no reply in time", retriable=True)
            if pending.request_type in (type_name(Hello), type_name(SyncSnapshot)):
                self._reconnect(f"{pending.request_type} timed out")

    def connection_lost(self) -> None:
        """The connection is gone: pending requests fail, the outbox waits for the next connection."""
        self._abort_pending("connection lost")
        self._held.clear()
        self.state = State.IDLE

    # --- inputs from the user -------------------------------------------------------------------------

    def request(self, frame: Request, now_ms: int) -> str:
        """Send a request; its ``id`` is assigned here and returned. Messages use :meth:`send_message`."""
        if isinstance(frame, MessageSend | Hello):
            raise TypeError("use send_message() for message.send and start() for hello")
        name = type_name(type(frame))
        allowed = self.state is State.OPEN or (self.state is State.CONNECTED and name in _PRE_HELLO)
        if not allowed:
            rid = self._new_id()
            self._events.append(RequestFailed(rid, name, CONNECTION_LOST, "not connected", retriable=True))
            return rid
        return self._send(frame, now_ms)

    def send_message(self, data: MessageSendData, now_ms: int) -> None:
        """Queue a message in the outbox and send it now if the session is open (idempotent per id)."""
        self._outbox.setdefault(data.client_msg_id, data)
        if self.state is State.OPEN and data.client_msg_id not in self._in_flight:
            self._send_outbox_entry(self._outbox[data.client_msg_id], now_ms)

    def flush_outbox(self, now_ms: int) -> None:
        """Send every outbox entry not already waiting for its reply, oldest first."""
        if self.state is not State.OPEN:
            return
        for entry in list(self._outbox.values()):
            if entry.client_msg_id not in self._in_flight:
                self._send_outbox_entry(entry, now_ms)

    # --- internals ------------------------------------------------------------------------------------

    def _new_id(self) -> str:
        self._next_id += 1
        return f"c{self._next_id}"

    def _send(self, frame: Request, now_ms: int, client_msg_id: str | None = None) -> str:
        rid = self._new_id()
        frame = msgspec.structs.replace(frame, id=rid)
        self._out.append(codec.encode(frame))
        deadline = now_ms + self.request_timeout_ms
        self._pending[rid] = _Pending(type_name(type(frame)), frame.reply_type, deadline, client_msg_id)
        return rid

    def _send_outbox_entry(self, entry: MessageSendData, now_ms: int) -> None:
        try:
            rid = self._send(MessageSend(id="", data=entry), now_ms, entry.client_msg_id)
        except ProtocolError as exc:  # cannot ever be sent as it is: fail it rather than block the outbox
            del self._outbox[entry.client_msg_id]
            self._events.append(MessageFailed(entry.client_msg_id, exc.code, exc.message))
            return
        self._in_flight[entry.client_msg_id] = rid

    def _abort_pending(self, why: str) -> None:
        pending, self._pending = self._pending, {}
        for rid, p in pending.items():
            self._fail(rid, p, CONNECTION_LOST, why, retriable=True)
        self._in_flight.clear()

    def _fail(self, rid: str, pending: _Pending, code: str, message: str, *, retriable: bool) -> None:
        if pending.client_msg_id is not None:
            self._in_flight.pop(pending.client_msg_id, None)
            if not retriable and self._outbox.pop(pending.client_msg_id, None) is not None:
                self._refusals.pop(pending.client_msg_id, None)
                self._events.append(MessageFailed(pending.client_msg_id, code, message))
                return
        self._events.append(RequestFailed(rid, pending.request_type, code, message, retriable))

    def _reconnect(self, reason: str) -> None:
        self.state = State.CLOSED
        self._events.append(ReconnectNeeded(reason, self._last_seq))

    def _on_reply(self, frame: Ok | Error, now_ms: int) -> None:
        pending = self._pending.pop(frame.re, None) if frame.re is not None else None
        if pending is None and frame.re in self._late and isinstance(frame, Ok):
            late = self._late.pop(frame.re)
            if late.client_msg_id in self._outbox and late.client_msg_id not in self._in_flight:
                pending = late  # a message.send answered after its time-out: still the server's word
        if pending is None:
            if isinstance(frame, Error):  # an error about something we sent that had no readable id
                exc = ProtocolError(frame.data.code, f"server reported: {frame.data.message}")
            else:
                exc = ProtocolError("bad_request", f"reply to unknown request {frame.re!r}")
            self._events.append(ProtocolViolation(exc))
            return
        rid = frame.re
        assert rid is not None
        if isinstance(frame, Error):
            self._on_error(rid, pending, frame)
            return
        try:
            data = codec.decode_reply(frame, pending.reply_type)
        except ProtocolError as exc:
            self._events.append(ProtocolViolation(exc))
            self._fail(rid, pending, exc.code, exc.message, retriable=True)
            if pending.request_type in (type_name(Hello), type_name(SyncSnapshot)):
                self._reconnect(f"unreadable reply to {pending.request_type}")
            return
        if isinstance(data, HelloOk):
            self._on_hello(data, now_ms)
        elif isinstance(data, SnapshotOk):
            self._on_snapshot(data, now_ms)
        elif isinstance(data, MessageData) and pending.client_msg_id is not None:
            self._in_flight.pop(pending.client_msg_id, None)
            self._outbox.pop(pending.client_msg_id, None)
            self._refusals.pop(pending.client_msg_id, None)
            self._events.append(MessageAcked(pending.client_msg_id, data.message))
        else:
            self._events.append(ReplyReceived(rid, pending.request_type, data))

    def _on_error(self, rid: str, pending: _Pending, frame: Error) -> None:
        code, message = frame.data.code, frame.data.message
        if pending.request_type == type_name(Hello):
            self.state = State.CLOSED
            if code == "unauthorized":
                self._events.append(AuthFailed(message))
            else:
                self._events.append(ReconnectNeeded(f"hello refused: {code}: {message}", self._last_seq))
            return
        if pending.request_type == type_name(SyncSnapshot):
            self._reconnect(f"sync.snapshot refused: {code}: {message}")
            return
        retriable = code in TRANSIENT_CODES
        if retriable and pending.client_msg_id is not None:
            refusals = self._refusals.get(pending.client_msg_id, 0) + 1
            self._refusals[pending.client_msg_id] = refusals
            retriable = refusals < MAX_TRANSIENT_FAILURES
        self._fail(rid, pending, code, message, retriable=retriable)

    def _on_hello(self, hello: HelloOk, now_ms: int) -> None:
        self.hello = hello
        behind_us = self._last_seq is not None and hello.seq < self._last_seq
        if hello.resync or self._last_seq is None or behind_us:
            self.state = State.SYNCING
            self._send(SyncSnapshot(id=""), now_ms)
            return
        self._open(hello, now_ms)

    def _on_snapshot(self, snapshot: SnapshotOk, now_ms: int) -> None:
        self._last_seq = snapshot.seq
        self._events.append(SnapshotLoaded(snapshot))
        assert self.hello is not None
        self._open(self.hello, now_ms)

    def _open(self, hello: HelloOk, now_ms: int) -> None:
        self.state = State.OPEN
        self._events.append(Ready(hello))
        held, self._held = self._held, []
        for event in held:
            self._on_event(event)
            if self.state is not State.OPEN:
                return
        self.counters.resends += sum(1 for m in self._outbox if m not in self._in_flight)
        self.flush_outbox(now_ms)

    def _on_event(self, event: AnyEvent) -> None:
        name = type_name(type(event))
        if name in EPHEMERAL_EVENTS:  # never stored: a seq on one would mean nothing
            self._events.append(EventReceived(event))
            return
        if event.seq is None:
            self._events.append(ProtocolViolation(ProtocolError("bad_request", f"{name} without seq")))
            self._events.append(EventReceived(event))
            return
        if self.state is not State.OPEN:
            self._held.append(event)
            return
        last = self._last_seq if self._last_seq is not None else event.seq - 1
        if event.seq <= last:
            self.counters.duplicates_ignored += 1
            return
        if event.seq > last + 1:
            self.counters.gaps += 1
            self._reconnect(f"seq gap: expected {last + 1}, got {event.seq}")
            return
        self._last_seq = event.seq
        self._events.append(EventReceived(event))
