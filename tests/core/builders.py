"""Builders of valid protocol objects for the core tests: only the fields a test cares about."""

from __future__ import annotations

from desktop.protocol.objects import (
    Conversation,
    ConversationStatus,
    Message,
    Party,
    QuickReply,
    QuickReplyScope,
    Role,
)


def message(
    msg_id: str,
    conv_id: str = "cv-1",
    *,
    role: Role = "customer",
    sender: str = "u-1",
    at: int = 0,
    text: str = "在吗",
) -> Message:
    return Message(
        id=msg_id,
        conversation_id=conv_id,
        sender=Party(role=role, id=sender),
        kind="system" if role == "system" else "text",
        body={"text": text},
        created_at=at,
    )


def conversation(
    conv_id: str = "cv-1",
    *,
    status: ConversationStatus = "active",
    waiting_since: int | None = None,
    unread: int = 0,
    created_at: int = 0,
    last_at: int | None = None,
    text: str = "在吗",
    nickname: str | None = None,
    customer_id: str = "u-1",
) -> Conversation:
    last = (
        None
        if last_at is None
        else message(f"m-{conv_id}", conv_id, sender=customer_id, at=last_at, text=text)
    )
    return Conversation(
        id=conv_id,
        customer_id=customer_id,
        status=status,
        assignee_id=None if status == "waiting" else "a-1",
        last_message=last,
        unread=unread,
        waiting_since=waiting_since,
        created_at=created_at,
        customer_nickname=nickname,
    )


def quick_reply(
    reply_id: str, text: str, *, group: str = "常用", shortcut: str = "", scope: QuickReplyScope = "team"
) -> QuickReply:
    return QuickReply(id=reply_id, scope=scope, group=group, shortcut=shortcut, text=text, updated_at=0)
