"""The demo shop: deterministic, complete, believable, and valid as shopdesk.v1 objects."""

from __future__ import annotations

import dataclasses
import random
import re

import msgspec
import pytest

from desktop.protocol import limits
from desktop.protocol.objects import Customer, Order, OrderStatus, QuickReplyDraft
from desktop.server.demo_seed import (
    DEFAULT_NOW_MS,
    DEMO_PASSWORD,
    ORDER_STATUSES,
    QUICK_REPLY_PLACEHOLDERS,
    SPEND_STATUSES,
    DemoShop,
    build_demo_shop,
    to_protocol_customer,
    to_protocol_order,
    to_quick_reply_draft,
)

DAY_MS = 86_400_000
SHIPPED: frozenset[OrderStatus] = frozenset({"shipped", "delivered", "refunding", "refunded"})


@pytest.fixture(scope="module")
def shop() -> DemoShop:
    return build_demo_shop()


# --- determinism ----------------------------------------------------------------------------------


def test_same_seed_gives_an_equal_shop() -> None:
    assert build_demo_shop(7) == build_demo_shop(7)
    assert build_demo_shop(7, now_ms=1_700_000_000_000) == build_demo_shop(7, now_ms=1_700_000_000_000)


def test_other_seed_changes_buyers_and_orders_but_not_the_fixed_parts() -> None:
    a, b = build_demo_shop(1), build_demo_shop(2)
    assert a.buyers != b.buyers
    assert a.orders != b.orders
    assert a.quick_replies == b.quick_replies
    assert a.agents == b.agents
    assert [(p.id, p.title, p.price_cents) for p in a.products] == [
        (p.id, p.title, p.price_cents) for p in b.products
    ]


def test_global_random_is_left_alone() -> None:
    random.seed(1234)
    before = random.getstate()
    build_demo_shop(3)
    assert random.getstate() == before


def test_time_comes_only_from_now_ms() -> None:
    """Moving ``now_ms`` moves every timestamp by the same amount and changes nothing else."""
    a, b = build_demo_shop(5), build_demo_shop(5, now_ms=DEFAULT_NOW_MS + 3 * DAY_MS)
    shift = 3 * DAY_MS
    assert [
        dataclasses.replace(x, first_seen=x.first_seen + shift, last_seen=x.last_seen + shift)
        for x in a.buyers
    ] == list(b.buyers)
    assert [dataclasses.replace(o, created_at=o.created_at + shift) for o in a.orders] == list(b.orders)


# --- agents, buyers, products ---------------------------------------------------------------------


def test_agents(shop: DemoShop) -> None:
    assert [a.username for a in shop.agents] == ["agent1", "agent2", "agent3", "agent4", "agent5"]
    assert {a.password for a in shop.agents} == {DEMO_PASSWORD}
    assert all(5 <= a.max_concurrent <= 8 for a in shop.agents)
    assert len({a.max_concurrent for a in shop.agents}) > 1
    assert len({a.name for a in shop.agents}) == 5
    assert all(re.search(r"[\u4e00-\u9fff]", a.name) for a in shop.agents)
    assert shop.agent("agent3") is shop.agents[2]
    assert shop.agent("nobody") is None


def test_buyers(shop: DemoShop) -> None:
    assert len(shop.buyers) == 200
    assert len({b.id for b in shop.buyers}) == 200
    assert len({b.nickname for b in shop.buyers}) == 200
    chinese = [b for b in shop.buyers if re.search(r"[\u4e00-\u9fff]", b.nickname)]
    handles = [b for b in shop.buyers if re.fullmatch(r"[A-Za-z0-9_]+", b.nickname)]
    assert len(chinese) >= 60 and len(handles) >= 30  # a mix of Chinese nicknames and pinyin/number handles
    assert {b.level for b in shop.buyers} <= {"普通会员", "银卡会员", "金卡会员", "钻石会员"}
    assert len({b.level for b in shop.buyers}) >= 3
    assert any(b.tags for b in shop.buyers) and any(b.note for b in shop.buyers)
    for b in shop.buyers:
        assert len(b.tags) == len(set(b.tags)) and all(b.tags)
        assert shop.now_ms - 731 * DAY_MS <= b.first_seen <= b.last_seen <= shop.now_ms
    first_seen = sorted(b.first_seen for b in shop.buyers)
    assert first_seen[-1] - first_seen[0] > 365 * DAY_MS  # spread over the past two years


def test_masked_fields_hide_the_full_ones(shop: DemoShop) -> None:
    for b in shop.buyers:
        assert "*" in b.phone_masked and "*" in b.address_masked
        assert b.phone_masked != b.phone_full and b.address_masked != b.address_full
        assert re.fullmatch(r"1\d{10}", b.phone_full)
        assert re.fullmatch(r"1\d{2}\*{4}\d{4}", b.phone_masked)
        assert b.phone_masked[:3] == b.phone_full[:3] and b.phone_masked[-4:] == b.phone_full[-4:]
        region = b.address_masked.rstrip("*")
        assert b.address_full.startswith(region) and len(b.address_full) > len(region) + 5
        assert b.address_full[len(region) :] not in b.address_masked


def test_products(shop: DemoShop) -> None:
    assert 35 <= len(shop.products) <= 50
    assert len({p.id for p in shop.products}) == len(shop.products)
    for p in shop.products:
        assert re.search(r"[\u4e00-\u9fff]", p.title) and len(p.title) <= 200
        assert p.price_cents > 0 and p.stock >= 0 and p.colors
        assert shop.product(p.id) is p


# --- orders ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(8))
def test_orders_cover_every_status(seed: int) -> None:
    shop = build_demo_shop(seed)
    assert len(shop.orders) >= 300
    assert {o.status for o in shop.orders} == set(ORDER_STATUSES)
    assert len({o.customer_id for o in shop.orders}) >= 100  # a good share of the buyers


def test_orders_are_consistent(shop: DemoShop) -> None:
    assert len({o.id for o in shop.orders}) == len(shop.orders)
    assert [o.created_at for o in shop.orders] == sorted(o.created_at for o in shop.orders)
    for o in shop.orders:
        buyer = shop.buyer(o.customer_id)
        assert buyer is not None
        assert 1 <= len(o.items) <= 3
        assert len({i.product_id for i in o.items}) == len(o.items)
        for item in o.items:
            product = shop.product(item.product_id)
            assert product is not None
            assert item.price_cents == product.price_cents and item.qty >= 1
            assert item.title.startswith(product.title)
        assert o.total_cents == sum(i.qty * i.price_cents for i in o.items)
        assert buyer.first_seen <= o.created_at <= buyer.last_seen <= shop.now_ms
        if o.status in SHIPPED:
            assert o.tracking_no is not None and re.fullmatch(r"[A-Z]{2}\d{13}", o.tracking_no)
        else:
            assert o.tracking_no is None
        if o.status == "unpaid":
            assert shop.now_ms - o.created_at < DAY_MS  # unpaid orders close after a day
        assert shop.order(o.id) is o


def test_order_count_and_spend(shop: DemoShop) -> None:
    saw_refund_excluded = False
    for b in shop.buyers:
        own = [o for o in shop.orders if o.customer_id == b.id]
        assert shop.orders_count(b.id) == len(own)
        assert sorted(o.id for o in shop.orders_of(b.id)) == sorted(o.id for o in own)
        assert [o.created_at for o in shop.orders_of(b.id)] == sorted(
            (o.created_at for o in own), reverse=True
        )
        spent = sum(o.total_cents for o in own if o.status in ("paid", "shipped", "delivered", "refunding"))
        assert shop.total_spent_cents(b.id) == spent
        saw_refund_excluded |= any(o.status in ("refunded", "closed", "unpaid") for o in own)
    assert saw_refund_excluded
    assert {"paid", "shipped", "delivered", "refunding"} == SPEND_STATUSES
    assert shop.orders_count("no-such-buyer") == 0 and shop.total_spent_cents("no-such-buyer") == 0


# --- quick replies --------------------------------------------------------------------------------


def test_quick_replies(shop: DemoShop) -> None:
    replies = shop.quick_replies
    assert len(replies) >= 60
    groups = {r.group for r in replies}
    assert len(groups) >= 7
    assert {"售前", "售中", "售后", "物流", "催付", "退换货", "问候"} <= groups
    shortcuts = [r.shortcut for r in replies]
    assert len(set(shortcuts)) == len(shortcuts)
    assert all(re.fullmatch(r"[a-z]{2,6}", s) for s in shortcuts)
    assert {"ty", "hy", "fh", "tk", "cm"} <= set(shortcuts)
    for r in replies:
        assert 0 < len(r.text) <= limits.MAX_TEXT_CHARS
        assert re.search(r"[\u4e00-\u9fff]", r.text)


def test_quick_reply_placeholders_are_known_and_used(shop: DemoShop) -> None:
    used: set[str] = set()
    with_placeholder = 0
    for r in shop.quick_replies:
        found = re.findall(r"\{[^{}]*\}", r.text)
        assert set(found) <= set(QUICK_REPLY_PLACEHOLDERS), r.text
        rest = r.text
        for placeholder in QUICK_REPLY_PLACEHOLDERS:
            rest = rest.replace(placeholder, "")
        assert "{" not in rest and "}" not in rest, r.text
        used |= set(found)
        with_placeholder += bool(found)
    assert used == {"{customer.nickname}", "{order.id}", "{agent.name}"}
    assert with_placeholder >= 5


def test_quick_replies_are_valid_drafts(shop: DemoShop) -> None:
    for r in shop.quick_replies:
        draft = to_quick_reply_draft(r)
        assert msgspec.json.decode(msgspec.json.encode(draft), type=QuickReplyDraft) == draft
        assert draft.scope == "team"


# --- to protocol objects --------------------------------------------------------------------------


def test_every_customer_passes_protocol_validation(shop: DemoShop) -> None:
    for b in shop.buyers:
        customer = to_protocol_customer(b, shop)
        wire = msgspec.json.encode(customer)
        assert msgspec.json.decode(wire, type=Customer) == customer
        assert customer.orders_count == shop.orders_count(b.id)
        assert customer.total_spent_cents == shop.total_spent_cents(b.id)
        text = wire.decode()
        assert b.phone_full not in text and b.address_full not in text
        assert b.phone_masked in text and b.address_masked in text


def test_every_order_passes_protocol_validation(shop: DemoShop) -> None:
    for o in shop.orders:
        order = to_protocol_order(o)
        assert msgspec.json.decode(msgspec.json.encode(order), type=Order) == order
        assert order.items == o.items and order.items is not o.items
