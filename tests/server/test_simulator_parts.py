"""The buyer simulator's and the auto agents' pieces that need no server (the rest: tests/integration)."""

from __future__ import annotations

import inspect
import json
import random

import pytest

from desktop.cli import build_parser
from desktop.protocol.objects import QuickReply
from desktop.server.auto_agent import choose_reply, classify, fill_placeholders
from desktop.server.demo_seed import QUICK_REPLIES
from desktop.server.seeding import seed_database
from desktop.server.simulator import DEMO_DATA_SEED, SimulatorStats, simulate

TEAM = [
    QuickReply(id=f"qr-{i}", scope="team", group=q.group, shortcut=q.shortcut, text=q.text, updated_at=0)
    for i, q in enumerate(QUICK_REPLIES)
]


def test_the_simulator_builds_the_same_demo_data_as_the_seeded_backend() -> None:
    assert inspect.signature(seed_database).parameters["rng_seed"].default == DEMO_DATA_SEED


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("这款T恤我170穿什么码？", "size"),
        ("有尺码表吗", "size"),
        ("我的快递到哪了", "shipping"),
        ("什么时候发货呀", "shipping"),
        ("物流一直没更新", "shipping"),
        ("我想退货", "after_sales"),
        ("能换个颜色吗", "after_sales"),
        ("好的，谢谢亲！", "thanks"),
        ("在吗？", "generic"),
    ],
)
def test_buyer_text_is_classified_by_keywords(text: str, category: str) -> None:
    assert classify(text) == category


def test_replies_come_from_the_matching_quick_reply_groups() -> None:
    rng = random.Random(1)
    for _ in range(20):
        size = choose_reply(TEAM, "穿什么码合适？", rng)
        shipping = choose_reply(TEAM, "什么时候发货", rng)
        after_sales = choose_reply(TEAM, "我要退款", rng)
        generic = choose_reply(TEAM, "在吗", rng, first=True)
        assert size is not None and size.group == "售前" and ("身高" in size.text or "尺码表" in size.text)
        assert shipping is not None and shipping.group == "物流"
        assert after_sales is not None and after_sales.group in ("退换货", "售后")
        assert generic is not None and generic.group == "问候"


def test_a_reply_needing_an_order_id_is_avoided_unless_the_order_is_known() -> None:
    rng = random.Random(2)

    def texts(order_known: bool) -> set[str]:
        replies = [choose_reply(TEAM, "快递到哪了", rng, order_known=order_known) for _ in range(50)]
        return {reply.text for reply in replies if reply is not None}

    unknown, known = texts(order_known=False), texts(order_known=True)
    assert not any("{order.id}" in text for text in unknown)
    assert any("{order.id}" in text for text in known)


def test_used_replies_are_not_repeated_while_others_fit() -> None:
    rng = random.Random(3)
    used: set[str] = set()
    for _ in range(5):
        reply = choose_reply(TEAM, "我要退款", rng, used=used)
        assert reply is not None and reply.id not in used
        used.add(reply.id)


def test_no_team_replies_means_no_choice() -> None:
    personal = QuickReply(id="p1", scope="personal", group="我的", text="hi", updated_at=0)
    assert choose_reply([personal], "在吗", random.Random(0)) is None


def test_placeholders_are_filled() -> None:
    text = "{customer.nickname}，订单{order.id}由{agent.name}跟进"
    filled = fill_placeholders(text, nickname="小鹿乱撞", order_id="3123", agent_name="客服小美")
    assert filled == "小鹿乱撞，订单3123由客服小美跟进"
    assert fill_placeholders(text, nickname=None, order_id=None, agent_name="阿琪") == "亲，订单由阿琪跟进"


def test_stats_as_json() -> None:
    stats = SimulatorStats(conversations_started=3, buyer_messages_sent=9, ratings_given=1, errors=2)
    loaded = json.loads(stats.to_json())
    assert loaded["conversations_started"] == 3
    assert {"buyer_messages_sent", "agent_replies_received", "ratings_given", "errors"} <= set(loaded)


async def test_simulate_refuses_an_empty_pool_or_no_rate() -> None:
    with pytest.raises(ValueError, match="buyers"):
        await simulate("ws://127.0.0.1:1", buyers=0, rate=1, seed=0)
    with pytest.raises(ValueError, match="rate"):
        await simulate("ws://127.0.0.1:1", buyers=1, rate=0, seed=0)


def test_command_lines() -> None:
    parser = build_parser()
    args = parser.parse_args(
        ["simulate", "--url", "ws://h:1", "--buyers", "5", "--rate", "2.5", "--seed", "3", "--anonymous"]
    )
    assert (args.url, args.buyers, args.rate, args.seed, args.anonymous) == ("ws://h:1", 5, 2.5, 3, True)
    assert (args.duration, args.shop, args.widget_secret) == (None, "demo", None)
    demo = parser.parse_args(["demo", "--port", "0", "--buyers", "5", "--rate", "3", "--seed", "1"])
    assert (demo.port, demo.buyers, demo.rate, demo.seed, demo.db, demo.auto_agents) == (
        0,
        5,
        3.0,
        1,
        None,
        2,
    )
    for bad in (
        ["simulate", "--url", "ws://h:1", "--widget-secret", "s", "--anonymous"],
        ["simulate", "--url", "ws://h:1", "--buyers", "0"],
        ["demo", "--rate", "0"],
        ["demo", "--auto-agents", "6"],
    ):
        with pytest.raises(SystemExit):
            parser.parse_args(bad)
