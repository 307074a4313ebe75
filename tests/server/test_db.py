"""The backend database's migrations: an older database file is brought up to date and keeps its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.server import db


def _version_1_database(path: Path) -> None:
    """A database as the first released schema left it, with one agent who was online."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(db.MIGRATIONS[0])
    conn.execute("INSERT INTO shops (id, name, widget_secret, created_at) VALUES ('s', '店', 'x', 0)")
    conn.execute(
        "INSERT INTO agents (id, shop_id, username, name, password_hash, status, created_at)"
        " VALUES ('a-1', 's', 'agent1', '客服小美', 'h', 'online', 0)"
    )
    conn.execute("PRAGMA user_version=1")
    conn.close()


def test_a_new_database_has_every_migration(tmp_path: Path) -> None:
    conn = db.connect(tmp_path / "new.db")
    assert db.schema_version(conn) == len(db.MIGRATIONS) >= 2
    columns = {r["name"]: r for r in conn.execute("PRAGMA table_info(agents)")}
    assert columns["suspended"]["notnull"] == 1 and columns["suspended"]["dflt_value"] == "0"
    conn.close()


def test_version_1_gains_the_suspended_column_and_keeps_its_agents(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _version_1_database(path)
    conn = db.connect(path)
    assert db.schema_version(conn) == len(db.MIGRATIONS)
    row = conn.execute("SELECT name, status, suspended FROM agents WHERE id = 'a-1'").fetchone()
    assert (row["name"], row["status"], row["suspended"]) == ("客服小美", "online", 0)
    conn.close()
    conn = db.connect(path)  # opening it again changes nothing
    assert db.schema_version(conn) == len(db.MIGRATIONS)
    conn.close()


def test_a_database_newer_than_the_server_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    db.connect(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version={len(db.MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        db.connect(path)
