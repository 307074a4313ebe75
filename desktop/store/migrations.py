"""The schema of the local cache, as a list of migrations.

``MIGRATIONS[i]`` takes a database from ``PRAGMA user_version = i`` to ``i + 1``. A migration is a tuple of
SQL statements, run in one transaction together with the version bump (see :func:`database.migrate`).
Never edit a migration that has shipped: append a new one.

Version 1
---------
``meta``            key/value session state: ``last_seq`` (absent = never synced), ``queue_waiting``.
``conversations``   the conversation list; ``data`` is the protocol object as JSON (msgspec), the other
                    columns are copies for sorting and filtering. ``listed = 0`` marks one the latest
                    snapshot no longer had: kept (search hits still name it) but not in the list.
``read_marks``      ``message.read``: per conversation and reader role, the latest "read up to".
``ratings``         ``rating.received``, the latest per conversation.
``messages``        every message seen, deduplicated by server ``id``. ``key`` (the rowid) is a time key,
                    ``created_at << 20`` plus an arrival counter within the millisecond, so rowid order is
                    newest-last whatever order messages arrive in; both full-text tables share it, which is
                    what lets a search walk its matches newest first and stop after ``limit``.
                    ``search_text`` is the folded :func:`text.message_text` of the message.
``message_trigrams`` FTS5, ``trigram`` tokenizer over ``messages.search_text`` (external content, so the
                    text is stored once): queries of 3+ characters, as one phrase (exact substring).
``message_grams``   FTS5, contentless, ``detail=none``: each message's distinct unigrams and bigrams as
                    ASCII tokens (:func:`text.gram_tokens`): queries of 1 and 2 characters.
                    Both have FTS5's ``automerge`` off (see :func:`messages.merge_indexes`).
``customers``, ``orders``, ``agents``, ``quick_replies``: protocol objects as JSON, in server order.
``drafts``          unsent text per conversation.
``outbox``          messages the user sent and the server has not acknowledged (``pending``) or refused
                    for good (``failed``, kept for a retry), in ``position`` order.

Version 2: ``conversations_by_customer`` index. Version 3: ``transfer_notes``.
"""

from __future__ import annotations

from typing import Final

Migration = tuple[str, ...]

V1: Final[Migration] = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID",
    """CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        customer_id TEXT NOT NULL,
        status TEXT NOT NULL,
        activity_at INTEGER NOT NULL,
        listed INTEGER NOT NULL DEFAULT 1,
        data BLOB NOT NULL
    )""",
    "CREATE INDEX conversations_by_activity ON conversations (listed, activity_at)",
    """CREATE TABLE read_marks (
        conversation_id TEXT NOT NULL,
        reader_role TEXT NOT NULL,
        reader_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        PRIMARY KEY (conversation_id, reader_role)
    ) WITHOUT ROWID""",
    """CREATE TABLE ratings (
        conversation_id TEXT PRIMARY KEY,
        received_at INTEGER NOT NULL,
        data BLOB NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE messages (
        key INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        search_text TEXT NOT NULL,
        data BLOB NOT NULL
    )""",
    "CREATE INDEX messages_by_conversation ON messages (conversation_id, key)",
    """CREATE VIRTUAL TABLE message_trigrams USING fts5 (
        search_text, content='messages', content_rowid='key',
        tokenize='trigram case_sensitive 1', columnsize=0
    )""",
    """CREATE VIRTUAL TABLE message_grams USING fts5 (
        grams, content='', tokenize='ascii', detail=none, columnsize=0
    )""",
    # Segment merging is done by messages.merge_indexes after each write, in even steps, instead of
    # FTS5's automerge, whose work comes in bursts of tens of milliseconds (see desktop/store/messages.py).
    "INSERT INTO message_trigrams (message_trigrams, rank) VALUES ('automerge', 0)",
    "INSERT INTO message_grams (message_grams, rank) VALUES ('automerge', 0)",
    """CREATE TABLE customers (
        id TEXT PRIMARY KEY,
        data BLOB NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE orders (
        customer_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (customer_id, position)
    ) WITHOUT ROWID""",
    """CREATE TABLE agents (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        data BLOB NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE quick_replies (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        data BLOB NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE drafts (
        conversation_id TEXT PRIMARY KEY,
        text TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE outbox (
        client_msg_id TEXT PRIMARY KEY,
        position INTEGER NOT NULL UNIQUE,
        conversation_id TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending', 'failed')),
        created_at INTEGER NOT NULL,
        error_code TEXT,
        error_text TEXT,
        data BLOB NOT NULL
    ) WITHOUT ROWID""",
)

V2: Final[Migration] = (
    # the customer panel's 历史会话: a customer's conversations without scanning all of them
    "CREATE INDEX conversations_by_customer ON conversations (customer_id, activity_at)",
)

V3: Final[Migration] = (
    # the note a colleague left when transferring a conversation to this agent (conversation.assigned's
    # optional ``note``), shown in the chat as a line of its own; the latest per conversation
    """CREATE TABLE transfer_notes (
        conversation_id TEXT PRIMARY KEY,
        received_at INTEGER NOT NULL,
        note TEXT NOT NULL
    ) WITHOUT ROWID""",
)

MIGRATIONS: Final[tuple[Migration, ...]] = (V1, V2, V3)
SCHEMA_VERSION: Final = len(MIGRATIONS)
