"""The objects of shopdesk.v1 (messages, conversations, customers, orders, quick replies, agents)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeAlias

import msgspec

from desktop.protocol import limits

Id = Annotated[str, msgspec.Meta(min_length=1, max_length=limits.MAX_ID_CHARS)]
Millis = Annotated[int, msgspec.Meta(ge=0)]
Count = Annotated[int, msgspec.Meta(ge=0)]
Cents = Annotated[int, msgspec.Meta(ge=0)]
Name = Annotated[str, msgspec.Meta(max_length=limits.MAX_NAME_CHARS)]
Text = Annotated[str, msgspec.Meta(min_length=1, max_length=limits.MAX_TEXT_CHARS)]
Note = Annotated[str, msgspec.Meta(max_length=limits.MAX_NOTE_CHARS)]
Tags = Annotated[list[Name], msgspec.Meta(max_length=limits.MAX_TAGS)]

Role = Literal["customer", "agent", "system"]
MessageKind = Literal["text", "image", "product", "order", "system"]
SendKind = Literal[
    "text", "image", "product", "order"
]  # what clients may send: system messages are the server's
ConversationStatus = Literal["waiting", "active", "closed"]
OrderStatus = Literal["unpaid", "paid", "shipped", "delivered", "refunding", "refunded", "closed"]
AgentStatus = Literal["online", "busy", "away", "offline"]
QuickReplyScope = Literal["team", "personal"]
ImageMime = Literal["image/png", "image/jpeg", "image/gif", "image/webp"]


class Object(msgspec.Struct, kw_only=True, omit_defaults=True, forbid_unknown_fields=False):
    """Base of every protocol object: keyword-only, optional fields left out when unset."""


class Party(Object, kw_only=True):
    """Who did something: a customer, an agent or the system."""

    role: Role
    id: Id


_B64_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def base64_size(text: str) -> int:
    """The decoded size of strict, padded base64 text, checked without decoding it (5x faster)."""
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        raise ValueError("data_b64 is not base64 (non-ASCII characters)") from None
    data = raw.rstrip(b"=")
    padding = len(raw) - len(data)
    if len(raw) % 4 or padding > 2 or data.translate(None, _B64_ALPHABET):
        raise ValueError("data_b64 is not strict, padded base64")
    return len(raw) // 4 * 3 - padding


# --- message bodies, one per message kind ---------------------------------------------------------------


class TextBody(Object, kw_only=True):
    text: Text


class ImageBody(Object, kw_only=True):
    mime: ImageMime
    data_b64: Annotated[str, msgspec.Meta(min_length=4, max_length=limits.MAX_IMAGE_B64_CHARS)]
    width: Annotated[int, msgspec.Meta(ge=1, le=16384)]
    height: Annotated[int, msgspec.Meta(ge=1, le=16384)]

    def __post_init__(self) -> None:
        size = base64_size(self.data_b64)
        if size > limits.MAX_IMAGE_BYTES:
            raise ValueError(f"too_large: image is {size} bytes, limit {limits.MAX_IMAGE_BYTES}")


class ProductBody(Object, kw_only=True):
    product_id: Id
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    price_cents: Cents
    image_url: Annotated[str, msgspec.Meta(max_length=2048)] | None = None


class OrderBody(Object, kw_only=True):
    order_id: Id


class SystemBody(Object, kw_only=True):
    text: Text


Body: TypeAlias = TextBody | ImageBody | ProductBody | OrderBody | SystemBody
BODY_TYPES: dict[str, type[Body]] = {
    "text": TextBody,
    "image": ImageBody,
    "product": ProductBody,
    "order": OrderBody,
    "system": SystemBody,
}


def parse_body(kind: str, body: dict[str, Any]) -> Body:
    """Validate ``body`` for message ``kind`` and return it typed (raises msgspec.ValidationError)."""
    body_type = BODY_TYPES.get(kind)
    if body_type is None:
        raise msgspec.ValidationError(f"unknown message kind {kind!r}")
    try:
        return msgspec.convert(body, body_type)
    except msgspec.ValidationError as exc:
        raise msgspec.ValidationError(f"{kind} body: {exc}") from None


class Message(Object, kw_only=True):
    id: Id
    conversation_id: Id
    client_msg_id: Id | None = None
    sender: Party
    kind: MessageKind
    body: dict[str, Any]
    created_at: Millis

    def __post_init__(self) -> None:
        parse_body(self.kind, self.body)

    def content(self) -> Body:
        """The body as its typed struct."""
        return parse_body(self.kind, self.body)


class Conversation(Object, kw_only=True):
    id: Id
    customer_id: Id
    status: ConversationStatus
    assignee_id: Id | None = None
    last_message: Message | None = None
    unread: Count = 0
    waiting_since: Millis | None = None
    created_at: Millis
    # Optional addition to shopdesk.v1: the customer's nickname, so a list can be drawn before customer.get.
    customer_nickname: Name | None = None


class Customer(Object, kw_only=True):
    id: Id
    nickname: Name
    avatar_url: Annotated[str, msgspec.Meta(max_length=2048)] | None = None
    level: Name = ""
    tags: Tags = msgspec.field(default_factory=list)
    note: Note = ""
    phone_masked: Name = ""
    address_masked: Annotated[str, msgspec.Meta(max_length=200)] = ""
    orders_count: Count = 0
    total_spent_cents: Cents = 0
    first_seen: Millis
    last_seen: Millis


class OrderItem(Object, kw_only=True):
    product_id: Id
    title: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    qty: Annotated[int, msgspec.Meta(ge=1)]
    price_cents: Cents


class Order(Object, kw_only=True):
    id: Id
    status: OrderStatus
    items: list[OrderItem]
    total_cents: Cents
    created_at: Millis
    tracking_no: Name | None = None


class QuickReplyDraft(Object, kw_only=True):
    """A quick reply as sent in ``quick_replies.upsert``: no ``id`` means a new one."""

    id: Id | None = None
    scope: QuickReplyScope
    group: Name
    shortcut: Annotated[str, msgspec.Meta(max_length=32)] = ""
    text: Text


class QuickReply(Object, kw_only=True):
    id: Id
    scope: QuickReplyScope
    group: Name
    shortcut: Annotated[str, msgspec.Meta(max_length=32)] = ""
    text: Text
    updated_at: Millis


class Agent(Object, kw_only=True):
    id: Id
    name: Name
    status: AgentStatus
    max_concurrent: Count
    active_count: Count
    # Optional addition to shopdesk.v1: online but taking no new routed conversations (挂起); only ever
    # true with status "online". A peer that does not know it sees an online agent.
    suspended: bool = False


class Me(Object, kw_only=True):
    """Who the session belongs to (the ``me`` of the ``hello`` reply)."""

    role: Literal["agent", "customer"]
    id: Id
    name: Name
    shop: Name | None = None
