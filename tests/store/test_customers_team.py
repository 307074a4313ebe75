from __future__ import annotations

import msgspec

from desktop.protocol.objects import Order, OrderItem
from desktop.protocol.payloads import SnapshotOk
from desktop.store import LocalStore
from tests.store.factories import T0, agent, conv, customer, quick_reply


def order(order_id: str) -> Order:
    item = OrderItem(product_id="sku-1", title="纯棉T恤", qty=1, price_cents=5900)
    return Order(id=order_id, status="paid", items=[item], total_cents=5900, created_at=T0)


def test_customers_are_replaced(store: LocalStore) -> None:
    assert store.customer("u-1") is None
    store.put_customer(customer(note="旧"))
    store.put_customer(customer(note="新"))
    found = store.customer("u-1")
    assert found is not None
    assert found.note == "新"


def test_orders_replace_the_customers_list_in_order(store: LocalStore) -> None:
    assert store.orders("u-1") == []
    store.put_orders("u-1", [order("o1"), order("o2"), order("o3")])
    store.put_orders("u-2", [order("x")])
    store.put_orders("u-1", [order("o3"), order("o1")])
    assert [o.id for o in store.orders("u-1")] == ["o3", "o1"]
    assert [o.id for o in store.orders("u-2")] == ["x"]
    store.put_orders("u-1", [])
    assert store.orders("u-1") == []


def test_agents_and_quick_replies_come_from_the_snapshot(store: LocalStore) -> None:
    assert store.agents() == [] and store.quick_replies() == []
    store.apply_snapshot(
        SnapshotOk(
            seq=1, conversations=[], agents=[agent("a-2"), agent("a-1")], quick_replies=[quick_reply("q1")]
        )
    )
    assert [a.id for a in store.agents()] == ["a-2", "a-1"]
    assert store.quick_replies() == [quick_reply("q1")]


def test_a_customers_conversations_newest_first_listed_or_not(store: LocalStore) -> None:
    old = conv("c-old", customer_id="u-7", status="closed", created_at=T0)
    new = conv("c-new", customer_id="u-7", created_at=T0 + 60_000)
    other = conv("c-other", customer_id="u-8", created_at=T0 + 120_000)
    store.apply_snapshot(SnapshotOk(seq=1, conversations=[old, new, other]))
    store.apply_snapshot(SnapshotOk(seq=2, conversations=[new, other]))  # c-old is no longer listed
    assert [c.id for c in store.customer_conversations("u-7")] == ["c-new", "c-old"]
    assert [c.id for c in store.customer_conversations("u-7", limit=1)] == ["c-new"]
    assert store.customer_conversations("nobody") == []
    plan = store._conn.execute(
        "EXPLAIN QUERY PLAN SELECT data FROM conversations WHERE customer_id = ? ORDER BY activity_at DESC",
        ("u-7",),
    ).fetchall()
    assert "conversations_by_customer" in str(plan)  # an index, not a scan of every conversation


def test_a_suspended_agent_round_trips_through_the_cache(store: LocalStore) -> None:
    suspended = msgspec.structs.replace(agent("a-2"), suspended=True)
    store.apply_snapshot(SnapshotOk(seq=1, conversations=[], agents=[agent("a-1"), suspended]))
    assert store.agents() == [agent("a-1"), suspended]
    assert [a.suspended for a in store.agents()] == [False, True]


def test_clearing_profiles_keeps_history_drafts_and_the_outbox(store: LocalStore) -> None:
    store.put_customer(customer("u-1"))
    store.put_orders("u-1", [order("o1")])
    store.apply_snapshot(SnapshotOk(seq=1, conversations=[conv("c1")]))
    store.set_draft("c1", "还没发")
    assert store.clear_profiles() == 1
    assert store.customer("u-1") is None and store.orders("u-1") == []
    assert store.conversation("c1") is not None
    assert store.draft("c1") == "还没发"
