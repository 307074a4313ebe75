"""The ``data`` of every request, event and reply of shopdesk.v1."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec

from desktop.protocol import limits
from desktop.protocol.errors import ErrorCode
from desktop.protocol.objects import (
    Agent,
    AgentStatus,
    Conversation,
    Count,
    Customer,
    Id,
    Me,
    Message,
    Millis,
    Name,
    Note,
    Object,
    Order,
    Party,
    QuickReply,
    QuickReplyDraft,
    SendKind,
    Tags,
    parse_body,
)

Score = Annotated[int, msgspec.Meta(ge=1, le=5)]
Comment = Annotated[str, msgspec.Meta(max_length=500)]
Secret = Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]

# --- requests -------------------------------------------------------------------------------------------


class Empty(Object, kw_only=True):
    """``{}``: a request or reply without data."""


class LoginData(Object, kw_only=True):
    shop: Name
    username: Name
    password: Secret


class RegisterData(Object, kw_only=True):
    shop: Name
    nickname: Name | None = None
    # Optional addition: a buyer the shop's own site knows, signed with the shop's widget secret
    # (hex HMAC-SHA256 of "<shop>:<external_id>"), so the visitor gets that buyer's profile and history.
    external_id: Id | None = None
    signature: Annotated[str, msgspec.Meta(max_length=128)] | None = None


class ClientInfo(Object, kw_only=True):
    name: Name
    version: Name


class Resume(Object, kw_only=True):
    since: Annotated[int, msgspec.Meta(ge=0)]


class HelloData(Object, kw_only=True):
    role: Literal["agent", "customer"]
    token: Secret
    client: ClientInfo
    resume: Resume | None = None


class PresenceSetData(Object, kw_only=True):
    status: AgentStatus
    # Optional addition: suspend (挂起) — stay online, keep the current conversations, take no new routed
    # ones (accepting from the queue and transfers in still work). Only meaningful with "online": a backend
    # stores it as false with any other status.
    suspended: bool = False


class ConversationRef(Object, kw_only=True):
    conversation_id: Id


class TransferData(Object, kw_only=True):
    conversation_id: Id
    to_agent_id: Id
    note: Note | None = None


class CloseData(Object, kw_only=True):
    conversation_id: Id
    reason: Note | None = None


class ReadData(Object, kw_only=True):
    conversation_id: Id
    up_to_message_id: Id


class MessageSendData(Object, kw_only=True):
    """``message.send``: agents name the conversation; customers may leave it out (their open one is used)."""

    conversation_id: Id | None = None
    client_msg_id: Id
    kind: SendKind
    body: dict[str, Any]

    def __post_init__(self) -> None:
        parse_body(self.kind, self.body)


class HistoryFetchData(Object, kw_only=True):
    conversation_id: Id
    before_message_id: Id | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=limits.MAX_HISTORY_LIMIT)] = limits.DEFAULT_HISTORY_LIMIT


class CustomerRef(Object, kw_only=True):
    customer_id: Id


class CustomerUpdateData(Object, kw_only=True):
    customer_id: Id
    tags: Tags | None = None
    note: Note | None = None


class QuickReplyUpsertData(Object, kw_only=True):
    quick_reply: QuickReplyDraft


class IdRef(Object, kw_only=True):
    id: Id


class RatingSubmitData(Object, kw_only=True):
    conversation_id: Id
    score: Score
    comment: Comment | None = None


class StatsData(Object, kw_only=True):
    """``stats.get`` (optional addition): the asking agent's own figures since ``since`` (ms)."""

    since: Millis


class TypingData(Object, kw_only=True):
    """``typing`` from a client; customers may leave the conversation out."""

    conversation_id: Id | None = None


# --- events ---------------------------------------------------------------------------------------------


class ConversationData(Object, kw_only=True):
    conversation: Conversation
    note: Note | None = (
        None  # optional addition: the transfer note, for the agent a conversation is handed to
    )


class MessageData(Object, kw_only=True):
    message: Message


class MessageReadData(Object, kw_only=True):
    conversation_id: Id
    up_to_message_id: Id
    reader: Party


class CustomerData(Object, kw_only=True):
    customer: Customer


class QuickRepliesChangedData(Object, kw_only=True):
    """Exactly one of ``quick_reply`` (added or changed) and ``deleted_id``."""

    quick_reply: QuickReply | None = None
    deleted_id: Id | None = None

    def __post_init__(self) -> None:
        if (self.quick_reply is None) == (self.deleted_id is None):
            raise ValueError("exactly one of quick_reply and deleted_id")


class QueueUpdatedData(Object, kw_only=True):
    waiting: Annotated[int, msgspec.Meta(ge=0)]


class RatingReceivedData(Object, kw_only=True):
    conversation_id: Id
    score: Score
    comment: Comment | None = None


class TypingEventData(Object, kw_only=True):
    conversation_id: Id
    from_: Party = msgspec.field(name="from")


class PresenceChangedData(Object, kw_only=True):
    agent_id: Id
    status: AgentStatus
    suspended: bool = False  # optional addition: see PresenceSetData.suspended


# --- replies (the data of ``ok``) -----------------------------------------------------------------------


class LoginOk(Object, kw_only=True):
    token: Secret
    expires_at: Millis


class RegisterOk(Object, kw_only=True):
    token: Secret
    customer_id: Id


class Limits(Object, kw_only=True):
    max_frame_bytes: Count = limits.MAX_FRAME_BYTES
    max_text_chars: Count = limits.MAX_TEXT_CHARS
    max_image_bytes: Count = limits.MAX_IMAGE_BYTES
    history_limit: Count = limits.MAX_HISTORY_LIMIT


class HelloOk(Object, kw_only=True):
    session: Id
    me: Me
    seq: Annotated[int, msgspec.Meta(ge=0)]
    heartbeat_s: Annotated[int, msgspec.Meta(ge=1)] = limits.HEARTBEAT_S
    limits: Limits = msgspec.field(default_factory=Limits)
    resync: bool = False


class SnapshotOk(Object, kw_only=True):
    seq: Annotated[int, msgspec.Meta(ge=0)]
    conversations: list[Conversation]
    agents: list[Agent] = msgspec.field(default_factory=list)
    quick_replies: list[QuickReply] = msgspec.field(default_factory=list)


class AgentsOk(Object, kw_only=True):
    """The reply to ``agents.list`` (optional addition): the shop's agents with their live status and load."""

    agents: list[Agent]


class HistoryOk(Object, kw_only=True):
    messages: list[Message]
    more: bool


class StatsOk(Object, kw_only=True):
    """An agent's service figures over a period (the reply to ``stats.get``)."""

    since: Millis
    conversations_closed: Count = 0
    messages_sent: Count = 0
    responses: Count = 0  # answers to a waiting buyer
    responses_within_3min: Count = 0
    first_responses: Count = 0
    first_response_avg_ms: Count | None = None
    ratings_count: Count = 0
    ratings_avg: float | None = None


class QuickReplyOk(Object, kw_only=True):
    quick_reply: QuickReply


class OrdersOk(Object, kw_only=True):
    orders: list[Order]


class ErrorData(Object, kw_only=True):
    code: ErrorCode
    message: Annotated[str, msgspec.Meta(max_length=limits.MAX_NOTE_CHARS)]
    retry_after_ms: Millis | None = None  # optional addition: a hint that comes with ``rate_limited``
