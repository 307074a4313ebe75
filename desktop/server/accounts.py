"""Shops, agents, passwords (scrypt) and session tokens of the reference backend."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import sqlite3
from dataclasses import dataclass
from typing import Literal

from desktop.server.db import transaction

# scrypt cost: n=2**14, r=8 takes ~16 MiB and tens of milliseconds, so guessing is slow; run it off the loop.
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**14, 8, 1
AGENT_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000
CUSTOMER_TOKEN_TTL_MS = 90 * 24 * 3600 * 1000
MIN_PASSWORD_CHARS = 6


class AccountError(Exception):
    """An administrative action that cannot be done as asked (the message says why)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a token belongs to."""

    role: Literal["agent", "customer"]
    id: str
    shop_id: str


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R, p=_SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_b64, digest_b64 = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    salt, expected = base64.b64decode(salt_b64), base64.b64decode(digest_b64)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=int(n), r=int(r), p=int(p), dklen=len(expected))
    return hmac.compare_digest(digest, expected)


# A hash to verify against when the user does not exist, so both cases take the same time.
_DUMMY_HASH = hash_password("not a password", salt=b"\0" * 16)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(conn: sqlite3.Connection, principal: Principal, now_ms: int, ttl_ms: int) -> tuple[str, int]:
    """A new random token for ``principal`` (only its hash is stored); returns (token, expires_at)."""
    token = secrets.token_urlsafe(32)
    expires_at = now_ms + ttl_ms
    conn.execute(
        "INSERT INTO tokens (token_hash, role, subject_id, shop_id, expires_at) VALUES (?, ?, ?, ?, ?)",
        (_token_hash(token), principal.role, principal.id, principal.shop_id, expires_at),
    )
    conn.execute("DELETE FROM tokens WHERE expires_at < ?", (now_ms,))
    return token, expires_at


def check_token(conn: sqlite3.Connection, token: str, role: str, now_ms: int) -> Principal | None:
    row = conn.execute(
        "SELECT role, subject_id, shop_id, expires_at FROM tokens WHERE token_hash = ?", (_token_hash(token),)
    ).fetchone()
    if row is None or row["role"] != role or row["expires_at"] <= now_ms:
        return None
    if role == "agent":
        agent = conn.execute("SELECT disabled FROM agents WHERE id = ?", (row["subject_id"],)).fetchone()
        if agent is None or agent["disabled"]:
            return None
    return Principal(role=row["role"], id=row["subject_id"], shop_id=row["shop_id"])


@dataclass(frozen=True, slots=True)
class LoginCandidate:
    """What a login attempt is checked against; verify it off the event loop (scrypt is slow on purpose)."""

    principal: Principal | None
    password_hash: str

    def verify(self, password: str) -> Principal | None:
        """The agent, if the password is right (same cost whether or not the user exists)."""
        valid = verify_password(password, self.password_hash)
        return self.principal if valid else None


def login_candidate(conn: sqlite3.Connection, shop: str, username: str) -> LoginCandidate:
    row = conn.execute(
        "SELECT id, password_hash, disabled FROM agents WHERE shop_id = ? AND username = ?", (shop, username)
    ).fetchone()
    if row is None or row["disabled"]:
        return LoginCandidate(None, _DUMMY_HASH)
    return LoginCandidate(Principal(role="agent", id=row["id"], shop_id=shop), row["password_hash"])


def widget_signature(secret: str, shop: str, external_id: str) -> str:
    """What a shop's own site signs a buyer's id with, so a visitor can claim that buyer's history."""
    return hmac.new(secret.encode(), f"{shop}:{external_id}".encode(), hashlib.sha256).hexdigest()


# --- administration ------------------------------------------------------------------------------------


def create_shop(
    conn: sqlite3.Connection, shop_id: str, name: str, now_ms: int, widget_secret: str = ""
) -> str:
    """Create a shop; returns its widget secret (generated unless given)."""
    secret = widget_secret or secrets.token_urlsafe(24)
    with transaction(conn):
        if conn.execute("SELECT 1 FROM shops WHERE id = ?", (shop_id,)).fetchone():
            raise AccountError(f"shop {shop_id!r} exists already")
        conn.execute(
            "INSERT INTO shops (id, name, widget_secret, created_at) VALUES (?, ?, ?, ?)",
            (shop_id, name, secret, now_ms),
        )
    return secret


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"a password needs at least {MIN_PASSWORD_CHARS} characters")


def add_agent(
    conn: sqlite3.Connection,
    shop_id: str,
    username: str,
    name: str,
    password: str,
    now_ms: int,
    *,
    max_concurrent: int = 5,
    password_hash: str | None = None,
) -> str:
    """Add an agent; returns the agent id."""
    if password_hash is None:
        _check_password(password)
        password_hash = hash_password(password)
    if not 1 <= max_concurrent <= 100:
        raise AccountError("max_concurrent must be between 1 and 100")
    agent_id = f"a-{shop_id}-{username}"
    with transaction(conn):
        if conn.execute("SELECT 1 FROM shops WHERE id = ?", (shop_id,)).fetchone() is None:
            raise AccountError(f"no shop {shop_id!r}")
        if conn.execute("SELECT 1 FROM agents WHERE id = ?", (agent_id,)).fetchone():
            raise AccountError(f"agent {username!r} exists already in shop {shop_id!r}")
        conn.execute(
            "INSERT INTO agents (id, shop_id, username, name, password_hash, max_concurrent, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (agent_id, shop_id, username, name, password_hash, max_concurrent, now_ms),
        )
    return agent_id


def _agent_id(conn: sqlite3.Connection, shop_id: str, username: str) -> str:
    row = conn.execute(
        "SELECT id FROM agents WHERE shop_id = ? AND username = ?", (shop_id, username)
    ).fetchone()
    if row is None:
        raise AccountError(f"no agent {username!r} in shop {shop_id!r}")
    agent_id: str = row["id"]
    return agent_id


def set_agent_disabled(conn: sqlite3.Connection, shop_id: str, username: str, disabled: bool) -> None:
    """Disable (or re-enable) an agent; disabling also revokes their tokens."""
    with transaction(conn):
        agent_id = _agent_id(conn, shop_id, username)
        conn.execute("UPDATE agents SET disabled = ? WHERE id = ?", (int(disabled), agent_id))
        if disabled:
            conn.execute("DELETE FROM tokens WHERE subject_id = ?", (agent_id,))


def reset_password(conn: sqlite3.Connection, shop_id: str, username: str, password: str) -> None:
    """Set a new password and revoke every token issued with the old one."""
    _check_password(password)
    new_hash = hash_password(password)
    with transaction(conn):
        agent_id = _agent_id(conn, shop_id, username)
        conn.execute("UPDATE agents SET password_hash = ? WHERE id = ?", (new_hash, agent_id))
        conn.execute("DELETE FROM tokens WHERE subject_id = ?", (agent_id,))


def set_max_concurrent(conn: sqlite3.Connection, shop_id: str, username: str, max_concurrent: int) -> None:
    if not 1 <= max_concurrent <= 100:
        raise AccountError("max_concurrent must be between 1 and 100")
    with transaction(conn):
        agent_id = _agent_id(conn, shop_id, username)
        conn.execute("UPDATE agents SET max_concurrent = ? WHERE id = ?", (max_concurrent, agent_id))
