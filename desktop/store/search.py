"""Search over every cached message: any substring, newest first, with the matches located.

How a query runs (``q`` = the query folded, see :mod:`desktop.store.text`):

- 3+ characters: ``message_trigrams`` (FTS5 ``trigram``) ``MATCH`` ``q`` as one quoted phrase, which is an
  exact substring test; 1–2 characters (which a trigram index cannot see): ``message_grams``, one token
  per unigram and bigram of every message. Either way the matches come ``ORDER BY rowid DESC LIMIT n``:
  rowids are time keys (:mod:`desktop.store.messages`), so FTS5 walks its doclists newest first and stops
  after ``n``, never ranking or sorting (``ORDER BY rank`` over a common trigram costs ~1 s at a million
  rows). A one-token query costs about ``n`` doclist steps however common it is; a longer one intersects
  the doclists of its trigrams, skipping ahead through the rarest. At 1,000,000 cached messages every
  query of bench/search.py, common, rare or absent, took under 1.5 ms.
- Within one conversation (``conversation_id``): a conversation of up to :data:`SCAN_MAX_MESSAGES`
  messages is scanned directly (``instr`` over its rows, newest first: cheap and exact); a longer one uses
  the index and keeps the matches that belong to it (slower only for a query common elsewhere and rare in
  that conversation).
- Highlight spans are found in Python on the returned rows: every occurrence, overlapping ones included.

Threads: a search over a large cache may take milliseconds, so the client runs it off the UI loop on its
own read connection (WAL lets it read while the writer writes)::

    index = store.reader()                            # once; a SearchIndex on its own connection
    hits = await asyncio.to_thread(index.search, "退款")
    ...
    index.close()                                     # when the store is closed
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import msgspec

from desktop.protocol.objects import Message
from desktop.store import database, messages
from desktop.store.text import find_spans, fold, gram_query, message_text, trigram_query

SCAN_MAX_MESSAGES: Final = 5_000
DEFAULT_LIMIT: Final = 50

_encode = msgspec.json.Encoder().encode


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A message that contains the query.

    ``text`` is what was searched (:func:`text.message_text`: the text, a product title, ``[图片]``, ...) and
    ``spans`` every ``(start, end)`` of the query in it, in order, as Python string offsets (code points;
    :func:`text.utf16_spans` converts them for Qt). Matching ignores case and width, so the text at a span
    may differ from the query in those (``Ok`` found by ``OK``).
    """

    message: Message
    text: str
    spans: list[tuple[int, int]]


def normalise_query(query: str) -> str:
    """What is actually looked for: the query without surrounding whitespace, folded."""
    return fold(query.strip())


def search(
    conn: sqlite3.Connection, query: str, *, limit: int = DEFAULT_LIMIT, conversation_id: str | None = None
) -> list[SearchHit]:
    """Messages containing ``query``, newest first, at most ``limit`` (see the module docstring)."""
    needle = normalise_query(query)
    if not needle or limit <= 0:
        return []
    if conversation_id is not None and messages.count(conn, conversation_id) <= SCAN_MAX_MESSAGES:
        rows = conn.execute(
            "SELECT data, search_text FROM messages WHERE conversation_id = ? AND instr(search_text, ?) > 0 "
            "ORDER BY key DESC LIMIT ?",
            (conversation_id, needle, limit),
        ).fetchall()
    else:
        rows = _rows(conn, _matching_keys(conn, needle, limit, conversation_id))
    return [_hit(data, search_text, needle) for data, search_text in rows]


def _matching_keys(
    conn: sqlite3.Connection, needle: str, limit: int, conversation_id: str | None
) -> list[int]:
    if len(needle) <= 2:
        table, match = "message_grams", gram_query(needle)
    else:
        table, match = "message_trigrams", trigram_query(needle)
    if conversation_id is None:
        sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?"
        return [key for (key,) in conn.execute(sql, (match, limit))]
    # CROSS JOIN keeps the index as the outer loop, so its newest-first order needs no sorting.
    sql = (
        f"SELECT {table}.rowid FROM {table} CROSS JOIN messages ON messages.key = {table}.rowid "
        f"WHERE {table} MATCH ? AND messages.conversation_id = ? ORDER BY {table}.rowid DESC LIMIT ?"
    )
    return [key for (key,) in conn.execute(sql, (match, conversation_id, limit))]


def _rows(conn: sqlite3.Connection, keys: list[int]) -> list[tuple[bytes, str]]:
    if not keys:
        return []
    found = {
        key: (data, search_text)
        for key, data, search_text in conn.execute(
            "SELECT key, data, search_text FROM messages WHERE key IN (SELECT value FROM json_each(?))",
            (_encode(keys),),
        )
    }
    return [found[key] for key in keys if key in found]


def _hit(data: bytes, search_text: str, needle: str) -> SearchHit:
    message = messages.decode(data)
    return SearchHit(message=message, text=message_text(message), spans=find_spans(search_text, needle))


class SearchIndex:
    """Search on a read-only connection of its own, for a worker thread (see the module docstring).

    One search runs at a time (a lock serialises callers); any thread may call, which is what
    ``asyncio.to_thread`` needs. Open it after the writer (``LocalStore.open``) has created the file.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path: Path) -> SearchIndex:
        return cls(database.connect(path, readonly=True))

    def search(
        self, query: str, *, limit: int = DEFAULT_LIMIT, conversation_id: str | None = None
    ) -> list[SearchHit]:
        """Messages containing ``query``, newest first, at most ``limit``: one consistent read."""
        with self._lock, database.transaction(self._conn, write=False):
            return search(self._conn, query, limit=limit, conversation_id=conversation_id)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
