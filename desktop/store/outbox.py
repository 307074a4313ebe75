"""The persistent outbox: what the user sent and the server has not acknowledged yet.

A message is written here first (``pending``), before it is handed to the session, and stays until the
server's ``ok`` (then it leaves the outbox and its stored message takes its place, in one transaction) or
a permanent refusal (then it is ``failed``: not re-sent, kept so that the user can retry or discard it).
On start the session's outbox is rebuilt from :func:`pending`, oldest first, so nothing typed is lost to a
crash or a restart, and the server's idempotency on ``client_msg_id`` makes re-sending safe.

Functions on a connection; the caller commits.
"""

from __future__ import annotations

import sqlite3

import msgspec

from desktop.protocol.payloads import MessageSendData

PENDING = "pending"
FAILED = "failed"

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(MessageSendData).decode

_NEXT_POSITION = "(SELECT coalesce(max(position) + 1, 0) FROM outbox)"


def add(conn: sqlite3.Connection, data: MessageSendData, now_ms: int) -> bool:
    """Queue ``data`` at the end; False (nothing changed) if its ``client_msg_id`` is already here."""
    cursor = conn.execute(
        "INSERT OR IGNORE INTO outbox (client_msg_id, position, conversation_id, state, created_at, data) "
        f"VALUES (?, {_NEXT_POSITION}, ?, ?, ?, ?)",
        (data.client_msg_id, data.conversation_id, PENDING, now_ms, _encode(data)),
    )
    return cursor.rowcount > 0


def pending(conn: sqlite3.Connection) -> list[MessageSendData]:
    """Messages waiting for the server's ``ok``, oldest first."""
    rows = conn.execute("SELECT data FROM outbox WHERE state = ? ORDER BY position", (PENDING,)).fetchall()
    return [_decode(data) for (data,) in rows]


def remove(conn: sqlite3.Connection, client_msg_id: str) -> bool:
    """Take an entry out, whatever its state (acknowledged, or discarded by the user)."""
    return conn.execute("DELETE FROM outbox WHERE client_msg_id = ?", (client_msg_id,)).rowcount > 0


def fail(conn: sqlite3.Connection, client_msg_id: str, code: str, text: str) -> bool:
    """Mark an entry failed (refused for good) with the server's code and message; False if unknown."""
    cursor = conn.execute(
        "UPDATE outbox SET state = ?, error_code = ?, error_text = ? WHERE client_msg_id = ?",
        (FAILED, code, text, client_msg_id),
    )
    return cursor.rowcount > 0


def failed(conn: sqlite3.Connection) -> list[tuple[MessageSendData, str, str]]:
    """Failed messages with the error code and message they failed with, oldest first."""
    rows = conn.execute(
        "SELECT data, error_code, error_text FROM outbox WHERE state = ? ORDER BY position", (FAILED,)
    ).fetchall()
    return [(_decode(data), str(code or ""), str(text or "")) for data, code, text in rows]


def retry(conn: sqlite3.Connection, client_msg_id: str) -> MessageSendData | None:
    """Make a failed message pending again, as the newest entry; None if it is not a failed one.

    The ``client_msg_id`` stays the same: if the first attempt did reach the server after all, the retry
    is answered with the original message instead of creating a second one.
    """
    row = conn.execute(
        "SELECT data FROM outbox WHERE client_msg_id = ? AND state = ?", (client_msg_id, FAILED)
    ).fetchone()
    if row is None:
        return None
    conn.execute(
        f"UPDATE outbox SET state = ?, error_code = NULL, error_text = NULL, position = {_NEXT_POSITION} "
        "WHERE client_msg_id = ?",
        (PENDING, client_msg_id),
    )
    return _decode(row[0])
