"""Conversations, read marks and ratings in the cache (functions on a connection; the caller commits).

A conversation object from the server is complete (``conversation.updated``: replace, do not merge), so it
is stored as it came, as JSON, with copies of the fields the list sorts and filters on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import msgspec

from desktop.protocol.objects import Conversation, Party
from desktop.protocol.payloads import RatingReceivedData

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(Conversation).decode
_decode_rating = msgspec.json.Decoder(RatingReceivedData).decode


def activity_at(conversation: Conversation) -> int:
    """When the conversation last changed as far as the list cares: its last message, else its creation."""
    if conversation.last_message is not None:
        return max(conversation.last_message.created_at, conversation.created_at)
    return conversation.created_at


def put(conn: sqlite3.Connection, conversation: Conversation) -> None:
    """Store (replace) a conversation and list it."""
    conn.execute(
        "INSERT INTO conversations (id, customer_id, status, activity_at, listed, data) "
        "VALUES (?, ?, ?, ?, 1, ?) "
        "ON CONFLICT (id) DO UPDATE SET customer_id = excluded.customer_id, status = excluded.status, "
        "activity_at = excluded.activity_at, listed = 1, data = excluded.data",
        (
            conversation.id,
            conversation.customer_id,
            conversation.status,
            activity_at(conversation),
            _encode(conversation),
        ),
    )


def replace_listed(conn: sqlite3.Connection, conversations: Sequence[Conversation]) -> None:
    """The snapshot's list becomes the list: others stay stored (search hits name them) but unlisted."""
    conn.execute("UPDATE conversations SET listed = 0 WHERE listed = 1")
    for conversation in conversations:
        put(conn, conversation)


def listed(conn: sqlite3.Connection) -> list[Conversation]:
    """The conversation list, most recently active first."""
    rows = conn.execute(
        "SELECT data FROM conversations WHERE listed = 1 ORDER BY activity_at DESC, id"
    ).fetchall()
    return [_decode(data) for (data,) in rows]


def of_customer(conn: sqlite3.Connection, customer_id: str, limit: int) -> list[Conversation]:
    """A customer's stored conversations (listed or not), most recently active first."""
    rows = conn.execute(
        "SELECT data FROM conversations WHERE customer_id = ? ORDER BY activity_at DESC, id LIMIT ?",
        (customer_id, limit),
    ).fetchall()
    return [_decode(data) for (data,) in rows]


def get(conn: sqlite3.Connection, conversation_id: str) -> Conversation | None:
    """Any stored conversation, listed or not (an unlisted one is as it was when last heard of)."""
    row = conn.execute("SELECT data FROM conversations WHERE id = ?", (conversation_id,)).fetchone()
    return None if row is None else _decode(row[0])


def mark_read(conn: sqlite3.Connection, conversation_id: str, reader: Party, message_id: str) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO read_marks (conversation_id, reader_role, reader_id, message_id) "
        "VALUES (?, ?, ?, ?)",
        (conversation_id, reader.role, reader.id, message_id),
    )


def read_up_to(conn: sqlite3.Connection, conversation_id: str, role: str) -> str | None:
    """The message that a reader of ``role`` (the latest one to send a read) has read up to, or None."""
    row = conn.execute(
        "SELECT message_id FROM read_marks WHERE conversation_id = ? AND reader_role = ?",
        (conversation_id, role),
    ).fetchone()
    return None if row is None else str(row[0])


def put_rating(conn: sqlite3.Connection, rating: RatingReceivedData, received_at: int) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO ratings (conversation_id, received_at, data) VALUES (?, ?, ?)",
        (rating.conversation_id, received_at, _encode(rating)),
    )


def rating(conn: sqlite3.Connection, conversation_id: str) -> RatingReceivedData | None:
    found = rating_with_time(conn, conversation_id)
    return None if found is None else found[0]


def rating_with_time(conn: sqlite3.Connection, conversation_id: str) -> tuple[RatingReceivedData, int] | None:
    """The latest rating of the conversation and when it was received (the event's ts, ms)."""
    row = conn.execute(
        "SELECT data, received_at FROM ratings WHERE conversation_id = ?", (conversation_id,)
    ).fetchone()
    return None if row is None else (_decode_rating(row[0]), int(row[1]))


def put_transfer_note(conn: sqlite3.Connection, conversation_id: str, note: str, received_at: int) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO transfer_notes (conversation_id, received_at, note) VALUES (?, ?, ?)",
        (conversation_id, received_at, note),
    )


def transfer_note(conn: sqlite3.Connection, conversation_id: str) -> tuple[str, int] | None:
    """The note left by the colleague who last transferred the conversation here, and when (ms)."""
    row = conn.execute(
        "SELECT note, received_at FROM transfer_notes WHERE conversation_id = ?", (conversation_id,)
    ).fetchone()
    return None if row is None else (str(row[0]), int(row[1]))
