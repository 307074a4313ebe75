"""The reference backend's SQLite database: connection settings, schema and versioned migrations.

One writer (the server's event loop) commits every acknowledged change before its ``ok`` leaves. WAL with
``synchronous=NORMAL`` is durable across a crash of the process (kill -9): a committed transaction is in the
WAL file before ``COMMIT`` returns. Only a power loss may drop the last transactions; ``--durable`` selects
``synchronous=FULL`` for that.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

MIGRATIONS: tuple[str, ...] = (
    # 1: the whole first schema
    """
    CREATE TABLE shops (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        widget_secret TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE agents (
        id TEXT PRIMARY KEY,
        shop_id TEXT NOT NULL REFERENCES shops(id),
        username TEXT NOT NULL,
        name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        max_concurrent INTEGER NOT NULL DEFAULT 5,
        status TEXT NOT NULL DEFAULT 'offline',
        created_at INTEGER NOT NULL,
        UNIQUE (shop_id, username)
    );
    CREATE TABLE tokens (
        token_hash TEXT PRIMARY KEY,
        role TEXT NOT NULL,
        subject_id TEXT NOT NULL,
        shop_id TEXT NOT NULL,
        expires_at INTEGER NOT NULL
    );
    CREATE INDEX tokens_by_subject ON tokens (subject_id);
    CREATE TABLE customers (
        id TEXT PRIMARY KEY,
        shop_id TEXT NOT NULL REFERENCES shops(id),
        external_id TEXT,
        nickname TEXT NOT NULL,
        level TEXT NOT NULL DEFAULT '',
        tags TEXT NOT NULL DEFAULT '[]',
        note TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        first_seen INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        UNIQUE (shop_id, external_id)
    );
    CREATE TABLE products (
        id TEXT PRIMARY KEY,
        shop_id TEXT NOT NULL REFERENCES shops(id),
        title TEXT NOT NULL,
        price_cents INTEGER NOT NULL,
        stock INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE orders (
        id TEXT PRIMARY KEY,
        shop_id TEXT NOT NULL REFERENCES shops(id),
        customer_id TEXT NOT NULL REFERENCES customers(id),
        status TEXT NOT NULL,
        items TEXT NOT NULL,
        total_cents INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        tracking_no TEXT
    );
    CREATE INDEX orders_by_customer ON orders (customer_id, created_at);
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        shop_id TEXT NOT NULL REFERENCES shops(id),
        customer_id TEXT NOT NULL REFERENCES customers(id),
        status TEXT NOT NULL,
        assignee_id TEXT REFERENCES agents(id),
        unread INTEGER NOT NULL DEFAULT 0,
        waiting_since INTEGER,
        last_message_id TEXT,
        created_at INTEGER NOT NULL,
        assigned_at INTEGER,
        first_response_at INTEGER,
        closed_at INTEGER
    );
    CREATE INDEX conversations_by_customer ON conversations (customer_id, status);
    CREATE INDEX conversations_by_assignee ON conversations (assignee_id, status);
    CREATE INDEX conversations_by_status ON conversations (shop_id, status, created_at);
    CREATE TABLE messages (
        seq INTEGER PRIMARY KEY,  -- no AUTOINCREMENT: messages are never deleted, and it costs a write each
        id TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        client_msg_id TEXT,
        sender_role TEXT NOT NULL,
        sender_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX messages_idempotent ON messages (sender_role, sender_id, client_msg_id);
    CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);
    CREATE TABLE responses (
        conversation_id TEXT NOT NULL REFERENCES conversations(id),
        agent_id TEXT NOT NULL REFERENCES agents(id),
        waited_ms INTEGER NOT NULL,
        answered_at INTEGER NOT NULL
    );
    CREATE INDEX responses_by_agent ON responses (agent_id, answered_at);
    CREATE TABLE quick_replies (
        id TEXT PRIMARY KEY,
        shop_id TEXT NOT NULL REFERENCES shops(id),
        scope TEXT NOT NULL,
        owner_id TEXT,
        grp TEXT NOT NULL,
        shortcut TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX quick_replies_by_shop ON quick_replies (shop_id, scope, owner_id);
    CREATE TABLE ratings (
        conversation_id TEXT PRIMARY KEY REFERENCES conversations(id),
        agent_id TEXT NOT NULL REFERENCES agents(id),
        invited_at INTEGER NOT NULL,
        score INTEGER,
        comment TEXT,
        rated_at INTEGER
    );
    CREATE INDEX ratings_by_agent ON ratings (agent_id, rated_at);
    CREATE TABLE event_seqs (
        recipient TEXT PRIMARY KEY,
        seq INTEGER NOT NULL,
        floor INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE events (
        recipient TEXT NOT NULL,
        seq INTEGER NOT NULL,
        ts INTEGER NOT NULL,
        frame BLOB NOT NULL,
        PRIMARY KEY (recipient, seq)
    ) WITHOUT ROWID;
    CREATE INDEX events_by_time ON events (ts);
    """,
    # 2: suspend (挂起, an optional addition to presence.set): online, but no new routed conversations.
    # Only ever 1 together with status 'online'; reset when the agent's last connection ends.
    """
    ALTER TABLE agents ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0
    """,
)


def connect(
    path: Path | str, *, durable: bool = False, checkpoint_in_background: bool = False
) -> sqlite3.Connection:
    """Open the database (created 0600 if new) and bring its schema up to date.

    ``checkpoint_in_background``: the caller runs :func:`checkpoint` from another thread, so commits never
    pay for copying the WAL back into the database (the server does this; the admin tool does not).
    """
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    if checkpoint_in_background:
        conn.execute("PRAGMA wal_autocheckpoint=0")
    migrate(conn)
    return conn


def checkpoint(path: Path | str) -> tuple[int, int]:
    """Copy committed WAL pages into the database without blocking writers (own connection, any thread)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        _busy, wal_pages, moved = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return int(wal_pages), int(moved)
    finally:
        conn.close()


def schema_version(conn: sqlite3.Connection) -> int:
    version: int = conn.execute("PRAGMA user_version").fetchone()[0]
    return version


def migrate(conn: sqlite3.Connection) -> None:
    """Apply the migrations this database has not seen, each in its own transaction."""
    current = schema_version(conn)
    if current > len(MIGRATIONS):
        raise RuntimeError(f"database schema {current} is newer than this server ({len(MIGRATIONS)})")
    for version, script in enumerate(MIGRATIONS[current:], start=current + 1):
        with transaction(conn):
            for statement in script.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version={version}")


@contextlib.contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any exception."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
