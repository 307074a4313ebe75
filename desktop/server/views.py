"""Database rows as shopdesk.v1 objects. Only masked contact details ever leave through here."""

from __future__ import annotations

import json
import re
import sqlite3

import msgspec

from desktop.protocol.objects import (
    Agent,
    AgentStatus,
    Conversation,
    Customer,
    Message,
    Order,
    OrderItem,
    Party,
    QuickReply,
)

_order_items = msgspec.json.Decoder(list[OrderItem])


def mask_phone(phone: str) -> str:
    """138****5678: the first three and last four digits of a mobile number, nothing else."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 13 and digits.startswith("86"):  # +86 country code
        digits = digits[2:]
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


# Province, prefecture and county levels only: short runs without digits, each ending in its level's word.
# A street, a house number or a compound (翠苑一区, 和平小区) never survives: those come after a 街道/镇/路
# or hold digits, and the county part may not run past seven characters to find a 区 further on.
_ADMIN_LEVELS = re.compile(
    r"^(?P<province>[^\d\s]{1,7}?(?:省|自治区|特别行政区)|北京市|天津市|上海市|重庆市)?"
    r"(?P<city>[^\d\s]{1,7}?(?:市|自治州|地区|盟))?"
    r"(?P<county>[^\d\s]{1,7}?(?:区|县|市|旗))?"
)


def mask_address(address: str) -> str:
    """The province/city/county part of a Chinese address, the rest starred (never a street or number)."""
    if not address:
        return ""
    match = _ADMIN_LEVELS.match(address)
    kept = match.group(0) if match else ""
    if kept == address or any(word in kept for word in ("街道", "路", "镇", "乡", "村", "号")):
        kept = ""
    return f"{kept}****"


def message(row: sqlite3.Row) -> Message:
    return Message(
        id=row["id"],
        conversation_id=row["conversation_id"],
        client_msg_id=row["client_msg_id"],
        sender=Party(role=row["sender_role"], id=row["sender_id"]),
        kind=row["kind"],
        body=json.loads(row["body"]),
        created_at=row["created_at"],
    )


def message_by_id(conn: sqlite3.Connection, message_id: str | None) -> Message | None:
    if message_id is None:
        return None
    row = conn.execute("SELECT * FROM messages WHERE id = ?", (message_id,)).fetchone()
    return message(row) if row is not None else None


def conversation(
    conn: sqlite3.Connection, row: sqlite3.Row, last_message: Message | None = None
) -> Conversation:
    """The conversation of ``row``; ``last_message`` saves reading it back when the caller just wrote it."""
    nickname = conn.execute("SELECT nickname FROM customers WHERE id = ?", (row["customer_id"],)).fetchone()
    if last_message is None or last_message.id != row["last_message_id"]:
        last_message = message_by_id(conn, row["last_message_id"])
    return Conversation(
        id=row["id"],
        customer_id=row["customer_id"],
        status=row["status"],
        assignee_id=row["assignee_id"],
        last_message=last_message,
        unread=row["unread"],
        waiting_since=row["waiting_since"],
        created_at=row["created_at"],
        customer_nickname=nickname["nickname"] if nickname is not None else None,
    )


def customer(conn: sqlite3.Connection, row: sqlite3.Row) -> Customer:
    spend = conn.execute(
        "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN status IN ('paid','shipped','delivered','refunding')"
        " THEN total_cents ELSE 0 END), 0) AS spent FROM orders WHERE customer_id = ?",
        (row["id"],),
    ).fetchone()
    return Customer(
        id=row["id"],
        nickname=row["nickname"],
        level=row["level"],
        tags=json.loads(row["tags"]),
        note=row["note"],
        phone_masked=mask_phone(row["phone"]),
        address_masked=mask_address(row["address"]),
        orders_count=spend["n"],
        total_spent_cents=spend["spent"],
        first_seen=row["first_seen"],
        last_seen=row["last_seen"],
    )


def order(row: sqlite3.Row) -> Order:
    return Order(
        id=row["id"],
        status=row["status"],
        items=_order_items.decode(row["items"]),
        total_cents=row["total_cents"],
        created_at=row["created_at"],
        tracking_no=row["tracking_no"],
    )


def quick_reply(row: sqlite3.Row) -> QuickReply:
    return QuickReply(
        id=row["id"],
        scope=row["scope"],
        group=row["grp"],
        shortcut=row["shortcut"],
        text=row["text"],
        updated_at=row["updated_at"],
    )


def agent(row: sqlite3.Row, active_count: int, connected: bool) -> Agent:
    """An agent as colleagues see them: offline unless connected; suspended only while online."""
    status: AgentStatus = row["status"] if connected else "offline"
    return Agent(
        id=row["id"],
        name=row["name"],
        status=status,
        max_concurrent=row["max_concurrent"],
        active_count=active_count,
        suspended=status == "online" and bool(row["suspended"]),
    )
