"""Opening the cache's SQLite file: private file mode, WAL, pragmas, migrations, transactions.

Connections are opened in autocommit mode (``isolation_level=None``): nothing is in a transaction unless
:func:`transaction` says so, so every write path states its own boundaries.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from desktop.paths import ensure_private_dir
from desktop.store.migrations import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS: Final = 5_000
CACHE_KIB: Final = 32 * 1024  # page cache of a read-only connection (search over the whole history)
# The main connection (the writer, and the UI's small reads) keeps a small cache and maps nothing: pages it
# maps or caches stay in the agent app's memory (opening 50 chats added ~30 MB), and its reads are small
# pages of one conversation. bench/search.py at 200,000 messages saw no loss (ingest p99 12.3 ms vs 13.8,
# history sync 10,244 msgs/s vs 9,330 with 32 MiB + mmap).
WRITER_CACHE_KIB: Final = 4 * 1024
# Commits in WAL mode only append to the log; a checkpoint copies the log back into the database file and
# syncs both, inside whichever commit pushes the log past this many pages. SQLite's default, 1,000
# pages, makes that commit take 10-30 ms under a burst; 256 keeps each checkpoint to a few milliseconds.
# (A checkpointing thread of its own was tried: on two busy cores it slowed the writer's commits more.)
WAL_AUTOCHECKPOINT_PAGES: Final = 256
MMAP_BYTES: Final = 256 * 1024 * 1024  # reads of a big cache go through the OS page cache, not copies


class StoreError(Exception):
    """The cache cannot be used: a newer schema than this program knows, not a ShopDesk cache, ..."""


def _create_private_file(path: Path) -> None:
    """Create ``path`` readable and writable by its owner only (0600); tighten an existing one to 0600.

    SQLite gives the ``-wal`` and ``-shm`` files it creates the mode of the database file.
    """
    ensure_private_dir(path.parent)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, 0o600)


def _configure(conn: sqlite3.Connection, *, readonly: bool) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB if readonly else WRITER_CACHE_KIB}")
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES if readonly else 0}")
    conn.execute("PRAGMA temp_store = MEMORY")
    if readonly:
        conn.execute("PRAGMA query_only = ON")
        return
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        raise StoreError(f"cannot use write-ahead logging (journal_mode is {mode})")
    conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, never corrupt
    conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
    conn.execute("PRAGMA foreign_keys = ON")


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """A connection to the cache at ``path``, configured and (for a writer) migrated to the latest schema.

    A writer creates the file (0600, folder 0700) when it is missing. A reader (``readonly=True``) needs the
    file to exist and to have the schema this program knows. Either may be used from any thread, one thread
    at a time (the caller serialises access).
    """
    if readonly:
        uri = path.absolute().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        _create_private_file(path)
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        _configure(conn, readonly=readonly)
        if readonly:
            version = user_version(conn)
            if version != SCHEMA_VERSION:
                raise StoreError(f"{path}: schema version {version}, this program reads {SCHEMA_VERSION}")
        else:
            migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def user_version(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    assert isinstance(version, int)
    return version


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the schema to :data:`SCHEMA_VERSION`, one transaction per migration; return the version.

    A database written by a newer program (a higher ``user_version``) is refused rather than guessed at.
    """
    while True:
        with transaction(conn):  # BEGIN IMMEDIATE: two processes cannot migrate the same file at once
            version = user_version(conn)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"the local cache has schema version {version}; this ShopDesk knows up to "
                    f"{SCHEMA_VERSION} (was it written by a newer version?)"
                )
            if version == SCHEMA_VERSION:
                return version
            for statement in MIGRATIONS[version]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
        log.info("local cache migrated to schema version %d", version + 1)


@contextmanager
def transaction(conn: sqlite3.Connection, *, write: bool = True) -> Iterator[sqlite3.Connection]:
    """One transaction: committed when the block ends, rolled back (and the error re-raised) when it fails.

    ``write=True`` takes the write lock at the start (``BEGIN IMMEDIATE``), so a write never fails half-way
    on a busy lock; readers use ``write=False`` for one consistent view over several statements.
    """
    if conn.in_transaction:
        raise RuntimeError("transactions do not nest")
    conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
