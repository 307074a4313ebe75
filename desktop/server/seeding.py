"""Load a seed (``--seed demo``) into an empty reference-backend database."""

from __future__ import annotations

import json
import sqlite3
from typing import Final

import msgspec

from desktop.server import accounts
from desktop.server.db import transaction
from desktop.server.demo_seed import DEMO_PASSWORD, build_demo_shop

#: The demo shop's widget secret: the buyer simulator signs demo buyers' ids with it (demo use only).
DEMO_WIDGET_SECRET: Final = "demo-widget-secret"
SEEDS: Final = ("demo",)


def seed_database(conn: sqlite3.Connection, seed: str, now_ms: int, *, rng_seed: int = 0) -> bool:
    """Load ``seed`` unless its shop exists already; True when something was loaded."""
    if seed not in SEEDS:
        raise ValueError(f"unknown seed {seed!r} (known: {', '.join(SEEDS)})")
    shop = build_demo_shop(rng_seed, now_ms)
    if conn.execute("SELECT 1 FROM shops WHERE id = ?", (shop.shop_id,)).fetchone():
        return False
    accounts.create_shop(conn, shop.shop_id, shop.name, now_ms, DEMO_WIDGET_SECRET)
    password_hash = accounts.hash_password(DEMO_PASSWORD)  # one scrypt for all five: the seed stays quick
    for agent in shop.agents:
        accounts.add_agent(
            conn,
            shop.shop_id,
            agent.username,
            agent.name,
            agent.password,
            now_ms,
            max_concurrent=agent.max_concurrent,
            password_hash=password_hash,
        )
    with transaction(conn):
        conn.executemany(
            "INSERT INTO customers (id, shop_id, external_id, nickname, level, tags, note, phone, address,"
            " first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    b.id,
                    shop.shop_id,
                    b.id,
                    b.nickname,
                    b.level,
                    json.dumps(list(b.tags), ensure_ascii=False),
                    b.note,
                    b.phone_full,
                    b.address_full,
                    b.first_seen,
                    b.last_seen,
                )
                for b in shop.buyers
            ],
        )
        conn.executemany(
            "INSERT INTO products (id, shop_id, title, price_cents, stock) VALUES (?, ?, ?, ?, ?)",
            [(p.id, shop.shop_id, p.title, p.price_cents, p.stock) for p in shop.products],
        )
        conn.executemany(
            "INSERT INTO orders (id, shop_id, customer_id, status, items, total_cents, created_at,"
            " tracking_no) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    o.id,
                    shop.shop_id,
                    o.customer_id,
                    o.status,
                    msgspec.json.encode(o.items).decode(),
                    o.total_cents,
                    o.created_at,
                    o.tracking_no,
                )
                for o in shop.orders
            ],
        )
        conn.executemany(
            "INSERT INTO quick_replies (id, shop_id, scope, owner_id, grp, shortcut, text, updated_at)"
            " VALUES (?, ?, 'team', NULL, ?, ?, ?, ?)",
            [
                (f"qr-team-{i:03d}", shop.shop_id, q.group, q.shortcut, q.text, now_ms)
                for i, q in enumerate(shop.quick_replies, start=1)
            ],
        )
    return True
