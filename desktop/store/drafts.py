"""Unsent text per conversation, kept across restarts (functions on a connection; the caller commits)."""

from __future__ import annotations

import sqlite3


def get(conn: sqlite3.Connection, conversation_id: str) -> str:
    """The draft of a conversation, ``""`` when there is none."""
    row = conn.execute("SELECT text FROM drafts WHERE conversation_id = ?", (conversation_id,)).fetchone()
    return "" if row is None else str(row[0])


def put(conn: sqlite3.Connection, conversation_id: str, text: str) -> None:
    """Keep ``text`` as the draft; an empty text deletes the draft (whitespace is kept as typed)."""
    if text:
        conn.execute(
            "INSERT OR REPLACE INTO drafts (conversation_id, text) VALUES (?, ?)", (conversation_id, text)
        )
    else:
        conn.execute("DELETE FROM drafts WHERE conversation_id = ?", (conversation_id,))


def all_drafts(conn: sqlite3.Connection) -> dict[str, str]:
    """Every draft, by conversation id (to mark conversations with a draft in the list)."""
    return {str(cid): str(text) for cid, text in conn.execute("SELECT conversation_id, text FROM drafts")}
