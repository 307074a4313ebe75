"""Filling {customer.nickname}, {order.id} and {agent.name} in a quick reply."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop.core.placeholders import KNOWN_PLACEHOLDERS, FillResult, placeholders_in
from desktop.core.quick_replies import fill_placeholders  # re-exported where the UI looks for it

TEMPLATE = "亲爱的{customer.nickname}，您的订单{order.id}已发货～客服{agent.name}为您服务"


def test_all_filled() -> None:
    result = fill_placeholders(
        TEMPLATE, customer_nickname="小鹿乱撞", order_id="o-20251125-0042", agent_name="小美"
    )
    assert result == FillResult("亲爱的小鹿乱撞，您的订单o-20251125-0042已发货～客服小美为您服务", [], [])
    assert result.complete


def test_missing_values_stay_and_are_reported() -> None:
    result = fill_placeholders(
        TEMPLATE + "{order.id}", customer_nickname="小鹿乱撞", order_id=None, agent_name=" "
    )
    assert result.text == "亲爱的小鹿乱撞，您的订单{order.id}已发货～客服{agent.name}为您服务{order.id}"
    assert result.missing == ["order.id", "agent.name"]
    assert result.unknown == []
    assert not result.complete


def test_unknown_placeholders_are_left_as_written() -> None:
    result = fill_placeholders("单号{order.no}，{ ORDER.ID }，{}，{{x}}", order_id="o-1")
    assert result.text == "单号{order.no}，o-1，{}，{{x}}"  # names are trimmed and case-blind
    assert result.unknown == ["order.no", "x"]
    assert result.missing == []


def test_values_are_inserted_literally() -> None:
    result = fill_placeholders(
        "{customer.nickname}/{order.id}", customer_nickname="{order.id}", order_id="o-9"
    )
    assert result.text == "{order.id}/o-9"
    assert result.complete


def test_placeholders_in() -> None:
    assert placeholders_in(TEMPLATE + "{Order.Id}{x.y}") == [
        "customer.nickname",
        "order.id",
        "agent.name",
        "x.y",
    ]


values = st.text(st.characters(blacklist_characters="{}", blacklist_categories=["Cs"]), min_size=1).filter(
    lambda value: value.strip() != ""
)
pieces = st.lists(
    st.sampled_from([*(f"{{{name}}}" for name in KNOWN_PLACEHOLDERS), "亲", "，", "{", "}", "x"])
)


@given(pieces.map("".join), values, values, values)
def test_no_known_placeholder_survives_when_values_are_given(
    text: str, nick: str, order: str, agent: str
) -> None:
    result = fill_placeholders(text, customer_nickname=nick, order_id=order, agent_name=agent)
    assert result.missing == []
    assert all(f"{{{name}}}" not in result.text for name in KNOWN_PLACEHOLDERS)


@given(pieces.map("".join))
def test_nothing_given_means_text_unchanged(text: str) -> None:
    result = fill_placeholders(text)
    assert result.text == text
    assert set(result.missing) == {name for name in KNOWN_PLACEHOLDERS if f"{{{name}}}" in text}
