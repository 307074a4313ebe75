from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from desktop.store import LocalStore, SearchIndex, StoreError, database
from desktop.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tests.store.factories import msg

TABLES = {
    "meta", "conversations", "read_marks", "ratings", "messages", "message_trigrams", "message_grams",
    "customers", "orders", "agents", "quick_replies", "drafts", "outbox",
}  # fmt: skip


def tables(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall()
    return {name for (name,) in rows}


def test_migrates_an_empty_file_to_the_latest_schema(db_path: Path) -> None:
    conn = database.connect(db_path)
    try:
        assert database.user_version(conn) == SCHEMA_VERSION == len(MIGRATIONS)
        assert tables(conn) >= TABLES
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_reopen_keeps_data_and_does_not_migrate_again(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="desktop.store")
    with LocalStore.open(db_path) as store:
        store.add_messages([msg("m1", "你好")])
        store.set_draft("c1", "草稿")
    assert "migrated to schema version 1" in caplog.text
    caplog.clear()
    with LocalStore.open(db_path) as store:
        assert [m.id for m in store.messages("c1")] == ["m1"]
        assert store.draft("c1") == "草稿"
    assert "migrated" not in caplog.text


def test_migrates_step_by_step_from_an_older_version(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = ("CREATE TABLE later_addition (x INTEGER)",)
    with LocalStore.open(db_path) as store:
        store.add_messages([msg("m1")])
    monkeypatch.setattr(database, "MIGRATIONS", (*MIGRATIONS, extra))
    monkeypatch.setattr(database, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    conn = database.connect(db_path)
    try:
        assert database.user_version(conn) == SCHEMA_VERSION + 1
        assert "later_addition" in tables(conn)
        assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 1
    finally:
        conn.close()


def test_a_failed_migration_leaves_the_old_version(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    LocalStore.open(db_path).close()
    broken = ("CREATE TABLE half_done (x INTEGER)", "THIS IS NOT SQL")
    monkeypatch.setattr(database, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(database, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.OperationalError):
        database.connect(db_path)
    monkeypatch.undo()
    conn = database.connect(db_path)
    try:
        assert database.user_version(conn) == SCHEMA_VERSION
        assert "half_done" not in tables(conn)
    finally:
        conn.close()


def test_a_newer_schema_is_refused(db_path: Path) -> None:
    LocalStore.open(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        LocalStore.open(db_path)
    with pytest.raises(StoreError, match="schema version"):
        SearchIndex.open(db_path)


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "cache.sqlite3"
    old_umask = os.umask(0o022)
    try:
        with LocalStore.open(path) as store:
            store.add_messages([msg("m1")])
            for name in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                assert stat.S_IMODE(name.stat().st_mode) == 0o600, name
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_an_existing_file_is_made_private(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.touch(mode=0o644)
    db_path.chmod(0o644)
    LocalStore.open(db_path).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_reader_needs_an_existing_cache(db_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError):
        SearchIndex.open(db_path)
    assert not db_path.exists()


def test_reader_cannot_write(db_path: Path) -> None:
    LocalStore.open(db_path).close()
    conn = database.connect(db_path, readonly=True)
    try:
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("INSERT INTO drafts (conversation_id, text) VALUES ('c', 't')")
    finally:
        conn.close()


def test_transaction_rolls_back_on_error_and_does_not_nest(db_path: Path) -> None:
    conn = database.connect(db_path)
    try:
        with pytest.raises(ZeroDivisionError), database.transaction(conn):
            conn.execute("INSERT INTO drafts (conversation_id, text) VALUES ('c', 't')")
            _ = 1 / 0
        assert conn.execute("SELECT count(*) FROM drafts").fetchone()[0] == 0
        assert not conn.in_transaction
        with database.transaction(conn), pytest.raises(RuntimeError), database.transaction(conn):
            pass
    finally:
        conn.close()
