"""Customers and their orders in the cache (functions on a connection; the caller commits)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

import msgspec

from desktop.protocol.objects import Customer, Order

_encode = msgspec.json.Encoder().encode
_decode_customer = msgspec.json.Decoder(Customer).decode
_decode_order = msgspec.json.Decoder(Order).decode


def put(conn: sqlite3.Connection, customer: Customer) -> None:
    """Store (replace) a customer: from ``customer.get``, ``customer.update`` or ``customer.updated``."""
    sql = "INSERT OR REPLACE INTO customers (id, data) VALUES (?, ?)"
    conn.execute(sql, (customer.id, _encode(customer)))


def get(conn: sqlite3.Connection, customer_id: str) -> Customer | None:
    row = conn.execute("SELECT data FROM customers WHERE id = ?", (customer_id,)).fetchone()
    return None if row is None else _decode_customer(row[0])


def put_orders(conn: sqlite3.Connection, customer_id: str, orders: Sequence[Order]) -> None:
    """The customer's orders become ``orders`` (an ``orders.list`` reply), in that order."""
    conn.execute("DELETE FROM orders WHERE customer_id = ?", (customer_id,))
    conn.executemany(
        "INSERT INTO orders (customer_id, position, data) VALUES (?, ?, ?)",
        [(customer_id, position, _encode(order)) for position, order in enumerate(orders)],
    )


def orders(conn: sqlite3.Connection, customer_id: str) -> list[Order]:
    rows = conn.execute(
        "SELECT data FROM orders WHERE customer_id = ? ORDER BY position", (customer_id,)
    ).fetchall()
    return [_decode_order(data) for (data,) in rows]


def clear(conn: sqlite3.Connection) -> int:
    """Forget every cached profile and order list (fetched again when shown); returns profiles removed."""
    removed = conn.execute("DELETE FROM customers").rowcount
    conn.execute("DELETE FROM orders")
    return int(removed)
