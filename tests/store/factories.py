"""Small builders of protocol objects and events for the store tests."""

from __future__ import annotations

from typing import Any

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import (
    Agent,
    AgentStatus,
    Conversation,
    ConversationStatus,
    Customer,
    Message,
    MessageKind,
    Party,
    QuickReply,
    Role,
)

T0 = 1_764_000_000_000  # ms


def msg(
    message_id: str,
    text: str = "你好",
    *,
    conversation_id: str = "c1",
    at: int = T0,
    kind: MessageKind = "text",
    body: dict[str, Any] | None = None,
    client_msg_id: str | None = None,
    role: Role = "customer",
) -> Message:
    return Message(
        id=message_id,
        conversation_id=conversation_id,
        client_msg_id=client_msg_id,
        sender=Party(role=role, id="a-1" if role == "agent" else "u-1"),
        kind=kind,
        body=body if body is not None else {"text": text},
        created_at=at,
    )


def conv(
    conversation_id: str = "c1",
    *,
    status: ConversationStatus = "active",
    unread: int = 0,
    last: Message | None = None,
    created_at: int = T0,
    customer_id: str = "u-1",
) -> Conversation:
    return Conversation(
        id=conversation_id,
        customer_id=customer_id,
        status=status,
        assignee_id=None if status == "waiting" else "a-1",
        last_message=last,
        unread=unread,
        created_at=created_at,
        customer_nickname="小鹿乱撞",
    )


def customer(customer_id: str = "u-1", *, note: str = "") -> Customer:
    return Customer(id=customer_id, nickname="小鹿乱撞", note=note, first_seen=T0, last_seen=T0)


def agent(agent_id: str = "a-1", status: AgentStatus = "online") -> Agent:
    return Agent(id=agent_id, name=f"客服{agent_id}", status=status, max_concurrent=8, active_count=0)


def quick_reply(reply_id: str, text: str = "亲，您好") -> QuickReply:
    return QuickReply(id=reply_id, scope="team", group="常用", text=text, updated_at=T0)


def created(seq: int | None, message: Message) -> f.MessageCreated:
    return f.MessageCreated(seq=seq, ts=message.created_at, data=p.MessageData(message=message))


def updated(seq: int | None, conversation: Conversation) -> f.ConversationUpdated:
    return f.ConversationUpdated(seq=seq, ts=T0, data=p.ConversationData(conversation=conversation))


def assigned(seq: int, conversation: Conversation) -> f.ConversationAssigned:
    return f.ConversationAssigned(seq=seq, ts=T0, data=p.ConversationData(conversation=conversation))


def customer_updated(seq: int, c: Customer) -> f.CustomerUpdated:
    return f.CustomerUpdated(seq=seq, ts=T0, data=p.CustomerData(customer=c))


def queue(seq: int, waiting: int) -> f.QueueUpdated:
    return f.QueueUpdated(seq=seq, ts=T0, data=p.QueueUpdatedData(waiting=waiting))


def typing(conversation_id: str = "c1") -> f.TypingEvent:
    data = p.TypingEventData(conversation_id=conversation_id, from_=Party(role="customer", id="u-1"))
    return f.TypingEvent(ts=T0, data=data)


def presence(agent_id: str, status: AgentStatus, *, suspended: bool = False) -> f.PresenceChanged:
    data = p.PresenceChangedData(agent_id=agent_id, status=status, suspended=suspended)
    return f.PresenceChanged(ts=T0, data=data)


def send(client_msg_id: str, text: str = "有的亲", conversation_id: str = "c1") -> p.MessageSendData:
    return p.MessageSendData(
        conversation_id=conversation_id, client_msg_id=client_msg_id, kind="text", body={"text": text}
    )
