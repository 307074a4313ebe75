"""Messages in the cache: stored once per server ``id``, indexed for search, read back in pages.

Every message gets a time key (the ``messages`` rowid, shared with both full-text tables):
``created_at << 20`` plus an arrival counter for messages of the same millisecond. Rowid order is thus
time order however late a message arrives (a history page fetched today sorts before yesterday's live
messages), and a search can walk its matches newest first and stop after ``limit`` rows. The price: FTS5
stores doclists as rowid deltas, and millisecond keys make those ~6 bytes each. A key of whole seconds
(``seconds << 10``) was measured to make both indexes a third smaller, with no faster writes, at the cost
of exact order within a second; not taken.

These functions run inside the caller's transaction; they never commit.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

import msgspec

from desktop.protocol.objects import Message
from desktop.store.text import fold, gram_tokens, message_text

KEY_SHIFT: Final = 20  # up to 2**20 messages per millisecond keep their own slot
MAX_CREATED_AT: Final = (1 << (63 - KEY_SHIFT)) - 1  # 2^43 ms: the year 2248; later times are clamped
CHUNK: Final = 500  # messages per round of set-based statements
FTS_TABLES: Final = ("message_trigrams", "message_grams")
CHARS_PER_MERGE_PAGE: Final = 72
MERGE_PAGES_MIN: Final = 8
MERGE_PAGES_MAX: Final = 1_000

_encode = msgspec.json.Encoder().encode
_decode_message = msgspec.json.Decoder(Message).decode


def time_key(created_at: int) -> int:
    """The smallest key of messages created at ``created_at`` (ms)."""
    return min(max(created_at, 0), MAX_CREATED_AT) << KEY_SHIFT


def decode(data: bytes) -> Message:
    return _decode_message(data)


@dataclass
class Inserted:
    """What :func:`insert_many` stored: how many messages, how many characters indexed, which ones."""

    count: int = 0
    chars: int = 0
    messages: list[Message] = field(default_factory=list)  # only when asked to keep them


def insert_many(conn: sqlite3.Connection, messages: Iterable[Message], *, keep: bool = True) -> Inserted:
    """Store and index every message whose ``id`` is not stored yet (each ``id`` once, the first one
    given wins). ``keep=False`` leaves :attr:`Inserted.messages` empty, for bulk loads."""
    inserted = Inserted()
    it = iter(messages)
    while chunk := tuple(itertools.islice(it, CHUNK)):
        fresh, chars = _insert_chunk(conn, chunk)
        inserted.count += len(fresh)
        inserted.chars += chars
        if keep:
            inserted.messages.extend(fresh)
    return inserted


def insert(conn: sqlite3.Connection, message: Message) -> bool:
    """Store ``message`` and index its text; False (and nothing written) if its ``id`` is already stored."""
    return bool(_insert_chunk(conn, (message,))[0])


def _insert_chunk(conn: sqlite3.Connection, chunk: Sequence[Message]) -> tuple[list[Message], int]:
    unique: dict[str, Message] = {}
    for message in chunk:
        unique.setdefault(message.id, message)
    stored = {
        row[0]
        for row in conn.execute(
            "SELECT id FROM messages WHERE id IN (SELECT value FROM json_each(?))", (_encode(list(unique)),)
        )
    }
    fresh = [message for message_id, message in unique.items() if message_id not in stored]
    if not fresh:
        return fresh, 0
    # The next free key of each millisecond, in one statement (history pages share few milliseconds).
    bases = {time_key(message.created_at) for message in fresh}
    next_key: dict[int, int] = {
        base: base if last is None else last + 1
        for base, last in conn.execute(
            "SELECT value, (SELECT max(key) FROM messages WHERE key >= value AND key < value + ?) "
            "FROM json_each(?)",
            (1 << KEY_SHIFT, _encode(sorted(bases))),
        )
    }
    rows: list[tuple[int, str, str, int, str, bytes]] = []
    grams: list[tuple[int, str]] = []
    chars = 0
    for message in fresh:
        base = time_key(message.created_at)
        key = next_key[base]
        next_key[base] = key + 1
        text = fold(message_text(message))
        chars += len(text)
        rows.append((key, message.id, message.conversation_id, message.created_at, text, _encode(message)))
        grams.append((key, gram_tokens(text)))
    conn.executemany(
        "INSERT INTO messages (key, id, conversation_id, created_at, search_text, data) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.executemany(
        "INSERT INTO message_trigrams (rowid, search_text) VALUES (?, ?)", [(row[0], row[4]) for row in rows]
    )
    conn.executemany("INSERT INTO message_grams (rowid, grams) VALUES (?, ?)", grams)
    return fresh, chars


def indexed_chars(new_messages: Iterable[Message]) -> int:
    return sum(len(message_text(message)) for message in new_messages)


def merge_indexes(conn: sqlite3.Connection, chars: int) -> None:
    """Merge full-text index segments in proportion to ``chars`` just indexed (call once per transaction).

    Each write transaction adds a small segment to both FTS5 indexes, and segments must be merged or
    queries slow down. FTS5's ``automerge`` does it in bursts: every 64 leaf pages written it merges
    64 × (number of levels) pages at once, tens of milliseconds in the middle of some unlucky commit. With
    ``automerge`` off (schema v1), this does a similar amount of work after every transaction instead:
    a leaf page holds the postings of ~260 characters and there are 3–5 levels, so one page merged per 72
    characters indexed keeps up (measured: after a minute of 1,000 messages/s the indexes are back to
    about ten segments each). Should merging ever fall behind, FTS5's ``crisismerge`` (16 segments on a
    level) still bounds the index. One caveat of FTS5's policy, automatic or not: it merges whole levels,
    so after a bulk load the budget goes for a while into rewriting the big segments while small ones
    wait (queries then visit more segments; they stay fast).
    """
    if chars <= 0:
        return
    pages = max(MERGE_PAGES_MIN, min(MERGE_PAGES_MAX, chars // CHARS_PER_MERGE_PAGE))
    for table in FTS_TABLES:
        conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('merge', ?)", (pages,))


def page(
    conn: sqlite3.Connection, conversation_id: str, before_created_at: int | None, limit: int
) -> list[Message]:
    """Up to ``limit`` messages of a conversation created before ``before_created_at`` (or the newest
    ones), oldest first."""
    if limit <= 0:
        return []
    if before_created_at is None:
        rows = conn.execute(
            "SELECT data FROM messages WHERE conversation_id = ? ORDER BY key DESC LIMIT ?",
            (conversation_id, limit),
        ).fetchall()
    else:
        rows = conn.execute(
            "SELECT data FROM messages WHERE conversation_id = ? AND key < ? ORDER BY key DESC LIMIT ?",
            (conversation_id, time_key(before_created_at), limit),
        ).fetchall()
    return [_decode_message(data) for (data,) in reversed(rows)]


def oldest(conn: sqlite3.Connection, conversation_id: str) -> Message | None:
    row = conn.execute(
        "SELECT data FROM messages WHERE conversation_id = ? ORDER BY key LIMIT 1", (conversation_id,)
    ).fetchone()
    return None if row is None else _decode_message(row[0])


def by_id(conn: sqlite3.Connection, message_id: str) -> Message | None:
    row = conn.execute("SELECT data FROM messages WHERE id = ?", (message_id,)).fetchone()
    return None if row is None else _decode_message(row[0])


def count(conn: sqlite3.Connection, conversation_id: str | None = None) -> int:
    if conversation_id is None:
        row = conn.execute("SELECT count(*) FROM messages").fetchone()
    else:
        sql = "SELECT count(*) FROM messages WHERE conversation_id = ?"
        row = conn.execute(sql, (conversation_id,)).fetchone()
    return int(row[0])


def count_since(conn: sqlite3.Connection, conversation_id: str, created_at: int) -> int:
    """How many messages of the conversation were created at or after ``created_at`` (ms)."""
    row = conn.execute(
        "SELECT count(*) FROM messages WHERE conversation_id = ? AND key >= ?",
        (conversation_id, time_key(created_at)),
    ).fetchone()
    return int(row[0])
