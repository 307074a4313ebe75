"""The shop's agents and quick replies in the cache (functions on a connection; the caller commits).

Both come whole with every snapshot, in the server's order; ``quick_replies.changed`` then adds, replaces
(keeping the place in the list) or deletes one reply at a time.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import msgspec

from desktop.protocol.objects import Agent, QuickReply

_encode = msgspec.json.Encoder().encode
_decode_agent = msgspec.json.Decoder(Agent).decode
_decode_quick_reply = msgspec.json.Decoder(QuickReply).decode


def replace_agents(conn: sqlite3.Connection, agents: Sequence[Agent]) -> None:
    conn.execute("DELETE FROM agents")
    conn.executemany(
        "INSERT OR REPLACE INTO agents (id, position, data) VALUES (?, ?, ?)",
        [(agent.id, position, _encode(agent)) for position, agent in enumerate(agents)],
    )


def agents(conn: sqlite3.Connection) -> list[Agent]:
    rows = conn.execute("SELECT data FROM agents ORDER BY position").fetchall()
    return [_decode_agent(data) for (data,) in rows]


def replace_quick_replies(conn: sqlite3.Connection, replies: Sequence[QuickReply]) -> None:
    conn.execute("DELETE FROM quick_replies")
    conn.executemany(
        "INSERT OR REPLACE INTO quick_replies (id, position, data) VALUES (?, ?, ?)",
        [(reply.id, position, _encode(reply)) for position, reply in enumerate(replies)],
    )


def put_quick_reply(conn: sqlite3.Connection, reply: QuickReply) -> None:
    """Replace a quick reply where it is in the list, or add a new one at the end."""
    conn.execute(
        "INSERT INTO quick_replies (id, position, data) "
        "VALUES (?, (SELECT coalesce(max(position) + 1, 0) FROM quick_replies), ?) "
        "ON CONFLICT (id) DO UPDATE SET data = excluded.data",
        (reply.id, _encode(reply)),
    )


def delete_quick_reply(conn: sqlite3.Connection, reply_id: str) -> None:
    conn.execute("DELETE FROM quick_replies WHERE id = ?", (reply_id,))


def quick_replies(conn: sqlite3.Connection) -> list[QuickReply]:
    rows = conn.execute("SELECT data FROM quick_replies ORDER BY position").fetchall()
    return [_decode_quick_reply(data) for (data,) in rows]
