"""Every frame of shopdesk.v1 as a typed struct, and the unions each side decodes.

A frame is ``{"type", "id"?, "re"?, "seq"?, "ts"?, "data"}``. Requests carry an ``id``, replies (``ok`` and
``error``) a ``re``, server events a ``ts`` and, when they change state, a ``seq``.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, TypeAlias

import msgspec

from desktop.protocol import payloads as p
from desktop.protocol.objects import Id


class Frame(msgspec.Struct, tag_field="type", kw_only=True, omit_defaults=True):
    """Base of every frame."""


class Request(Frame, kw_only=True):
    """A request: answered by exactly one ``ok`` or ``error`` with ``re`` equal to its ``id``."""

    id: Id
    reply_type: ClassVar[type[msgspec.Struct]] = p.Empty


class Event(Frame, kw_only=True):
    """A server event. ``seq`` is set on events that change state, absent on ephemeral ones."""

    seq: Annotated[int, msgspec.Meta(ge=1)] | None = None
    ts: Annotated[int, msgspec.Meta(ge=0)]


# --- replies, both directions ---------------------------------------------------------------------------


class Ok(Frame, tag="ok", kw_only=True):
    """Success reply. ``data`` stays raw JSON until the matching request says which reply type it is."""

    re: Id
    data: msgspec.Raw = msgspec.field(default_factory=lambda: msgspec.Raw(b"{}"))

    def __post_init__(self) -> None:
        view = memoryview(self.data)
        head = bytes(view[:16]).lstrip() or bytes(view).lstrip()  # decoded Raw starts at the value itself
        if head[:1] != b"{":
            raise ValueError("ok data must be a JSON object")


class Error(Frame, tag="error", kw_only=True):
    """Failure reply; without ``re`` when the offending frame had no readable ``id``."""

    re: Id | None = None
    data: p.ErrorData


# --- requests from clients ------------------------------------------------------------------------------


class Login(Request, tag="login", kw_only=True):
    data: p.LoginData
    reply_type = p.LoginOk


class CustomerRegister(Request, tag="customer.register", kw_only=True):
    data: p.RegisterData
    reply_type = p.RegisterOk


class Hello(Request, tag="hello", kw_only=True):
    data: p.HelloData
    reply_type = p.HelloOk


class SyncSnapshot(Request, tag="sync.snapshot", kw_only=True):
    data: p.Empty = msgspec.field(default_factory=p.Empty)
    reply_type = p.SnapshotOk


class PresenceSet(Request, tag="presence.set", kw_only=True):
    data: p.PresenceSetData


class ConversationAccept(Request, tag="conversation.accept", kw_only=True):
    data: p.ConversationRef
    reply_type = p.ConversationData


class ConversationTransfer(Request, tag="conversation.transfer", kw_only=True):
    data: p.TransferData
    reply_type = p.ConversationData


class ConversationClose(Request, tag="conversation.close", kw_only=True):
    data: p.CloseData
    reply_type = p.ConversationData


class ConversationRead(Request, tag="conversation.read", kw_only=True):
    data: p.ReadData


class MessageSend(Request, tag="message.send", kw_only=True):
    data: p.MessageSendData
    reply_type = p.MessageData


class HistoryFetch(Request, tag="history.fetch", kw_only=True):
    data: p.HistoryFetchData
    reply_type = p.HistoryOk


class CustomerGet(Request, tag="customer.get", kw_only=True):
    data: p.CustomerRef
    reply_type = p.CustomerData


class CustomerUpdate(Request, tag="customer.update", kw_only=True):
    data: p.CustomerUpdateData
    reply_type = p.CustomerData


class OrdersList(Request, tag="orders.list", kw_only=True):
    data: p.CustomerRef
    reply_type = p.OrdersOk


class QuickRepliesUpsert(Request, tag="quick_replies.upsert", kw_only=True):
    data: p.QuickReplyUpsertData
    reply_type = p.QuickReplyOk


class QuickRepliesDelete(Request, tag="quick_replies.delete", kw_only=True):
    data: p.IdRef


class RatingInvite(Request, tag="rating.invite", kw_only=True):
    data: p.ConversationRef


class RatingSubmit(Request, tag="rating.submit", kw_only=True):
    data: p.RatingSubmitData


class StatsGet(Request, tag="stats.get", kw_only=True):
    """Optional addition: an agent's own KPIs (see StatsOk)."""

    data: p.StatsData
    reply_type = p.StatsOk


class AgentsList(Request, tag="agents.list", kw_only=True):
    """Optional addition: the shop's agents with status, suspended and load (for a transfer picker)."""

    data: p.Empty = msgspec.field(default_factory=p.Empty)
    reply_type = p.AgentsOk


class TypingSend(Frame, tag="typing", kw_only=True):
    """Client → server typing notice: fire and forget, no ``id``, no reply."""

    data: p.TypingData = msgspec.field(default_factory=p.TypingData)


# --- events from the server -----------------------------------------------------------------------------


class ConversationAssigned(Event, tag="conversation.assigned", kw_only=True):
    data: p.ConversationData


class ConversationUpdated(Event, tag="conversation.updated", kw_only=True):
    data: p.ConversationData


class MessageCreated(Event, tag="message.created", kw_only=True):
    data: p.MessageData


class MessageRead(Event, tag="message.read", kw_only=True):
    data: p.MessageReadData


class CustomerUpdated(Event, tag="customer.updated", kw_only=True):
    data: p.CustomerData


class QuickRepliesChanged(Event, tag="quick_replies.changed", kw_only=True):
    data: p.QuickRepliesChangedData


class QueueUpdated(Event, tag="queue.updated", kw_only=True):
    data: p.QueueUpdatedData


class RatingReceived(Event, tag="rating.received", kw_only=True):
    data: p.RatingReceivedData


class RatingRequested(Event, tag="rating.requested", kw_only=True):
    data: p.ConversationRef


class TypingEvent(Event, tag="typing", kw_only=True):
    data: p.TypingEventData


class PresenceChanged(Event, tag="presence.changed", kw_only=True):
    data: p.PresenceChangedData


AnyRequest: TypeAlias = (
    Login
    | CustomerRegister
    | Hello
    | SyncSnapshot
    | PresenceSet
    | ConversationAccept
    | ConversationTransfer
    | ConversationClose
    | ConversationRead
    | MessageSend
    | HistoryFetch
    | CustomerGet
    | CustomerUpdate
    | OrdersList
    | QuickRepliesUpsert
    | QuickRepliesDelete
    | RatingInvite
    | RatingSubmit
    | StatsGet
    | AgentsList
)
AnyEvent: TypeAlias = (
    ConversationAssigned
    | ConversationUpdated
    | MessageCreated
    | MessageRead
    | CustomerUpdated
    | QuickRepliesChanged
    | QueueUpdated
    | RatingReceived
    | RatingRequested
    | TypingEvent
    | PresenceChanged
)
# What a server decodes (sent by agents and customers) and what a client decodes (sent by the server).
ClientFrame: TypeAlias = AnyRequest | TypingSend | Ok | Error
ServerFrame: TypeAlias = AnyEvent | Ok | Error

REQUEST_TYPES: tuple[type[Request], ...] = (
    Login,
    CustomerRegister,
    Hello,
    SyncSnapshot,
    PresenceSet,
    ConversationAccept,
    ConversationTransfer,
    ConversationClose,
    ConversationRead,
    MessageSend,
    HistoryFetch,
    CustomerGet,
    CustomerUpdate,
    OrdersList,
    QuickRepliesUpsert,
    QuickRepliesDelete,
    RatingInvite,
    RatingSubmit,
    StatsGet,
    AgentsList,
)
EVENT_TYPES: tuple[type[Event], ...] = (
    ConversationAssigned,
    ConversationUpdated,
    MessageCreated,
    MessageRead,
    CustomerUpdated,
    QuickRepliesChanged,
    QueueUpdated,
    RatingReceived,
    RatingRequested,
    TypingEvent,
    PresenceChanged,
)
CLIENT_FRAME_TYPES: tuple[type[Frame], ...] = (*REQUEST_TYPES, TypingSend, Ok, Error)
SERVER_FRAME_TYPES: tuple[type[Frame], ...] = (*EVENT_TYPES, Ok, Error)


def type_name(frame_type: type[Frame]) -> str:
    """The wire ``type`` of a frame class."""
    tag = frame_type.__struct_config__.tag
    assert isinstance(tag, str)
    return tag


REQUEST_BY_NAME: dict[str, type[Request]] = {type_name(t): t for t in REQUEST_TYPES}
EVENT_BY_NAME: dict[str, type[Event]] = {type_name(t): t for t in EVENT_TYPES}
# Events that are not stored and carry no seq.
EPHEMERAL_EVENTS: frozenset[str] = frozenset({"typing", "presence.changed"})
