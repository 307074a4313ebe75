"""Simulated buyers: every scenario happens, lines are valid, conversations end, silence makes them nag."""

from __future__ import annotations

import random
import statistics
from collections.abc import Callable

import msgspec
import pytest

from desktop.protocol import limits
from desktop.protocol.objects import TextBody
from desktop.server.buyer_scripts import (
    MAX_BUYER_LINES,
    SCENARIO_WEIGHTS,
    BuyerScript,
    Scenario,
    next_line,
    start_conversation,
    wants_to_rate,
)
from desktop.server.demo_seed import DemoShop, build_demo_shop

Replier = Callable[[random.Random, BuyerScript], str | None]

AGENT_REPLIES = (
    "亲，您好！请问有什么可以帮您？",
    "亲，可以的，已经帮您安排了～",
    "亲，麻烦告诉我一下您的身高、体重和平时穿的尺码，我帮您推荐哦～",
    "亲，很抱歉，这个没办法哦",
    "亲，非常抱歉给您带来不好的体验，麻烦您拍几张照片发给我",
    "亲，麻烦把新的收货地址发给我",
    "嗯嗯",
)


@pytest.fixture(scope="module")
def shop() -> DemoShop:
    return build_demo_shop()


def mixed_replies(rng: random.Random, script: BuyerScript) -> str | None:
    return None if rng.random() < 0.25 else rng.choice(AGENT_REPLIES)


def helpful(rng: random.Random, script: BuyerScript) -> str | None:
    return "亲，可以的，已经帮您安排好了，请您放心～"


def silent(rng: random.Random, script: BuyerScript) -> str | None:
    return None


def talk(script: BuyerScript, rng: random.Random, replier: Replier) -> list[str]:
    """Run the conversation to its end; returns every buyer line, opening first."""
    lines = [script.opening]
    for _ in range(MAX_BUYER_LINES + 5):
        line = next_line(script, rng, replier(rng, script))
        if line is None:
            return lines
        lines.append(line)
    raise AssertionError(f"conversation did not end: {lines}")


def assert_valid_line(line: str) -> None:
    assert isinstance(line, str) and line.strip()
    assert len(line) <= limits.MAX_TEXT_CHARS
    assert "{" not in line and "}" not in line, line  # no unfilled template field
    msgspec.json.decode(msgspec.json.encode({"text": line}), type=TextBody)


def test_weights_cover_every_scenario_and_angry_is_rare() -> None:
    assert set(SCENARIO_WEIGHTS) == set(Scenario)
    assert all(w > 0 for w in SCENARIO_WEIGHTS.values())
    share = SCENARIO_WEIGHTS[Scenario.ANGRY] / sum(SCENARIO_WEIGHTS.values())
    assert 0.05 <= share <= 0.08


def test_every_scenario_is_reachable_at_its_rate(shop: DemoShop) -> None:
    rng = random.Random(11)
    drawn = [start_conversation(rng, shop, rng.choice(shop.buyers)).scenario for _ in range(4000)]
    assert set(drawn) == set(Scenario)
    assert 0.04 <= drawn.count(Scenario.ANGRY) / len(drawn) <= 0.09


def test_same_seed_same_conversation(shop: DemoShop) -> None:
    def run(seed: int) -> list[str]:
        rng = random.Random(seed)
        return talk(start_conversation(rng, shop, shop.buyers[seed]), rng, mixed_replies)

    assert [run(s) for s in range(30)] == [run(s) for s in range(30)]


@pytest.mark.parametrize("scenario", list(Scenario))
def test_openings_refer_to_real_products_and_orders(shop: DemoShop, scenario: Scenario) -> None:
    rng = random.Random(f"openings-{scenario.value}")
    for buyer in shop.buyers:
        script = start_conversation(rng, shop, buyer, scenario)
        assert script.scenario is scenario and script.buyer_id == buyer.id
        assert_valid_line(script.opening)
        assert script.lines == [script.opening]
        assert script.product_id is not None and shop.product(script.product_id) is not None
        if script.order_id is not None:
            order = shop.order(script.order_id)
            assert order is not None and order.customer_id == buyer.id
            bought = {i.product_id for i in order.items}
            titles = [p.title.split(" ")[0] for p in shop.products if p.id in bought]
            mentions = [order.id, order.tracking_no or order.id, *titles]
            assert any(m in script.opening for m in mentions), script.opening
        if scenario in (Scenario.SIZE, Scenario.HAGGLE):
            product = shop.product(script.product_id)
            assert product is not None and product.title.split(" ")[0] in script.opening


def test_order_scenarios_use_the_buyers_orders(shop: DemoShop) -> None:
    rng = random.Random(3)
    with_orders = [b for b in shop.buyers if shop.orders_of(b.id)]
    for scenario in (Scenario.SHIPPING, Scenario.REFUND, Scenario.EXCHANGE, Scenario.ANGRY, Scenario.ADDRESS):
        scripts = [start_conversation(rng, shop, b, scenario) for b in with_orders]
        assert sum(s.order_id is not None for s in scripts) >= len(scripts) // 3, scenario


@pytest.mark.parametrize("replier", [mixed_replies, helpful, silent])
def test_every_line_is_valid_and_conversations_end(shop: DemoShop, replier: Replier) -> None:
    rng = random.Random(42)
    for _ in range(600):
        script = start_conversation(rng, shop, rng.choice(shop.buyers))
        lines = talk(script, rng, replier)
        for line in lines:
            assert_valid_line(line)
        assert lines == script.lines
        assert 1 <= len(lines) <= MAX_BUYER_LINES
        assert script.done
        assert next_line(script, rng, "还有什么可以帮您？") is None  # a finished buyer stays quiet
        assert next_line(script, rng, None) is None


def test_main_questions_take_one_to_four_turns(shop: DemoShop) -> None:
    rng = random.Random(5)
    counts = set()
    for _ in range(500):
        script = start_conversation(rng, shop, rng.choice(shop.buyers))
        counts.add(1 + len(script.followups))
    assert counts == {1, 2, 3, 4}


def test_unanswered_buyer_nags_then_gives_up(shop: DemoShop) -> None:
    rng = random.Random(8)
    nag_words = ("在吗", "人呢", "有人", "？", "回")
    for _ in range(200):
        script = start_conversation(rng, shop, rng.choice(shop.buyers))
        lines = talk(script, rng, silent)
        assert any(w in lines[1] for w in nag_words), lines
        assert script.gave_up and script.done
        assert script.nags == script.patience >= 1
        assert len(lines) == 1 + script.patience + 1  # nags, then one give-up line
        assert "算了" in lines[-1] or "投诉" in lines[-1] or "差评" in lines[-1]


def test_an_answer_stops_the_nagging(shop: DemoShop) -> None:
    rng = random.Random(9)
    script = start_conversation(rng, shop, shop.buyers[0], Scenario.REFUND)
    assert next_line(script, rng, None) is not None
    line = next_line(script, rng, "亲，可以的，已经帮您安排了～")
    assert line is not None and not script.gave_up and script.replies == 1


def test_buyer_reacts_to_the_reply(shop: DemoShop) -> None:
    rng = random.Random(10)
    thanked = refused = 0
    for _ in range(300):
        script = start_conversation(rng, shop, rng.choice(shop.buyers))
        script.followups.clear()
        script.answers.clear()
        if rng.random() < 0.5:
            last = next_line(script, rng, "亲，可以的，已经帮您安排好了～")
            if script.scenario is not Scenario.ANGRY:
                assert last is not None
                assert last == script.closing_ok or "谢" in last or "麻烦" in last, last
                thanked += 1
            assert script.pleased
        else:
            last = next_line(script, rng, "亲，很抱歉，这个没办法哦")
            assert last == script.closing_no and script.displeased
            refused += 1
    assert thanked > 50 and refused > 50


def test_size_buyer_gives_measurements_when_asked(shop: DemoShop) -> None:
    rng = random.Random(12)
    answered = 0
    for buyer in shop.buyers[:100]:
        script = start_conversation(rng, shop, buyer, Scenario.SIZE)
        if not script.answers:
            continue
        line = next_line(script, rng, "亲，您平时穿什么尺码？身高体重多少呀？")
        assert line is not None and any(ch.isdigit() for ch in line), line
        answered += 1
    assert answered > 50


def test_ratings_are_scores_and_angry_buyers_rate_lower(shop: DemoShop) -> None:
    def scores(scenario: Scenario | None, seeds: range) -> list[int]:
        out = []
        for seed in seeds:
            rng = random.Random(seed)
            buyer = shop.buyers[seed % len(shop.buyers)]
            script = start_conversation(rng, shop, buyer, scenario)
            if scenario is None and script.scenario is Scenario.ANGRY:
                continue
            talk(script, rng, mixed_replies)
            score = wants_to_rate(rng, script)
            assert score is None or score in (1, 2, 3, 4, 5)
            if score is not None:
                out.append(score)
        return out

    angry = scores(Scenario.ANGRY, range(1500))
    calm = scores(None, range(1500))
    assert len(angry) > 500 and len(calm) > 500
    assert statistics.mean(angry) + 1 < statistics.mean(calm)


def test_buyers_who_gave_up_rate_low(shop: DemoShop) -> None:
    for seed in range(300):
        rng = random.Random(seed)
        script = start_conversation(rng, shop, shop.buyers[seed % 200])
        talk(script, rng, silent)
        score = wants_to_rate(rng, script)
        assert score is None or score <= 2
