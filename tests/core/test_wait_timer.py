"""Wait lengths, levels, the list order and the wait formatter."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.wait_timer import (
    WaitLevel,
    WaitThresholds,
    format_wait,
    last_activity_ms,
    level_of,
    urgency_key,
    wait_level,
    wait_ms,
)
from desktop.protocol.objects import Conversation
from tests.core.builders import conversation

NOW = 1_764_000_000_000


def test_thresholds_are_validated() -> None:
    assert WaitThresholds() == WaitThresholds(amber_ms=30_000, red_ms=100_000)
    assert WaitThresholds(amber_ms=10_000, red_ms=20_000).red_ms == 20_000
    with pytest.raises(ValueError, match="greater than amber"):
        WaitThresholds(amber_ms=60_000, red_ms=60_000)
    with pytest.raises(ValueError, match="positive"):
        WaitThresholds(amber_ms=0, red_ms=1)


def test_wait_ms() -> None:
    assert wait_ms(conversation(waiting_since=NOW - 12_000), NOW) == 12_000
    assert wait_ms(conversation(), NOW) is None
    assert wait_ms(conversation(status="closed", waiting_since=NOW - 5_000), NOW) is None
    assert wait_ms(conversation(status="waiting", waiting_since=NOW - 5_000), NOW) == 5_000
    assert wait_ms(conversation(waiting_since=NOW + 3_000), NOW) == 0  # server clock ahead of ours


@pytest.mark.parametrize(
    ("waited", "level"),
    [
        (None, WaitLevel.NONE),
        (0, WaitLevel.OK),
        (29_999, WaitLevel.OK),
        (30_000, WaitLevel.AMBER),
        (99_999, WaitLevel.AMBER),
        (100_000, WaitLevel.RED),
        (3_600_000, WaitLevel.RED),
    ],
)
def test_levels_at_the_boundaries(waited: int | None, level: WaitLevel) -> None:
    assert level_of(waited) is level
    conv = conversation(waiting_since=None if waited is None else NOW - waited)
    assert wait_level(conv, NOW) is level


def test_custom_thresholds() -> None:
    tight = WaitThresholds(amber_ms=5_000, red_ms=10_000)
    conv = conversation(waiting_since=NOW - 6_000)
    assert wait_level(conv, NOW, tight) is WaitLevel.AMBER
    assert wait_level(conv, NOW) is WaitLevel.OK


def test_last_activity() -> None:
    assert last_activity_ms(conversation(created_at=5)) == 5
    assert last_activity_ms(conversation(created_at=5, last_at=9)) == 9


def test_list_order() -> None:
    convs = [
        conversation("closed-new", status="closed", last_at=NOW - 1_000),
        conversation("closed-old", status="closed", last_at=NOW - 9_000),
        conversation("queued-late", status="waiting", waiting_since=NOW - 10_000),
        conversation("queued-early", status="waiting", waiting_since=NOW - 50_000),
        conversation("queued-silent", status="waiting", created_at=NOW - 90_000),
        conversation("idle-old", last_at=NOW - 900_000),
        conversation("idle-new", last_at=NOW - 100_000),
        conversation("unread", unread=2, last_at=NOW - 500_000),
        conversation("wait-short", waiting_since=NOW - 5_000, unread=1, last_at=NOW - 5_000),
        conversation("wait-long", waiting_since=NOW - 120_000, unread=3, last_at=NOW - 1_000),
    ]
    ordered = sorted(convs, key=lambda conv: urgency_key(conv, NOW))
    assert [conv.id for conv in ordered] == [
        "wait-long", "wait-short", "unread", "idle-new", "idle-old",
        "queued-early", "queued-late", "queued-silent",
        "closed-new", "closed-old",
    ]  # fmt: skip


def test_equal_waits_are_ordered_by_id() -> None:
    a = conversation("a", waiting_since=NOW - 10, last_at=NOW)
    b = conversation("b", waiting_since=NOW - 10, last_at=NOW)
    assert urgency_key(a, NOW) < urgency_key(b, NOW)


conversations = st.builds(
    conversation,
    st.text(alphabet="abcxyz", min_size=1, max_size=3),
    status=st.sampled_from(["active", "waiting", "closed"]),
    waiting_since=st.none() | st.integers(NOW - 10_000_000, NOW + 10_000),
    unread=st.integers(0, 5),
    created_at=st.integers(0, NOW),
    last_at=st.none() | st.integers(NOW - 10_000_000, NOW),
)


def _unique(convs: list[Conversation]) -> list[Conversation]:
    return list({conv.id: conv for conv in convs}.values())


@given(st.lists(conversations, max_size=30).map(_unique), st.integers(NOW, NOW + 1_000_000))
def test_urgency_is_a_total_order(convs: list[Conversation], now: int) -> None:
    keys = [urgency_key(conv, now) for conv in convs]
    assert len(set(keys)) == len(keys)  # distinct ids, distinct keys: no ties for sort() to settle at random
    ordered = sorted(convs, key=lambda conv: urgency_key(conv, now))
    assert sorted(reversed(ordered), key=lambda conv: urgency_key(conv, now)) == ordered
    ranks = [{"active": 0, "waiting": 1, "closed": 2}[conv.status] for conv in ordered]
    assert ranks == sorted(ranks)
    active_waits = [wait_ms(conv, now) for conv in ordered if conv.status == "active"]
    waiting_part = [w for w in active_waits if w is not None]
    assert active_waits[: len(waiting_part)] == waiting_part  # waiting buyers come first …
    assert waiting_part == sorted(waiting_part, reverse=True)  # … longest first


@given(conversations, st.integers(NOW, NOW + 1_000_000), st.integers(0, 1_000_000))
def test_a_waiting_conversation_only_climbs(conv: Conversation, now: int, later: int) -> None:
    """As time passes, a wait's level never goes down."""
    order = list(WaitLevel)
    assert order.index(wait_level(conv, now)) <= order.index(wait_level(conv, now + later))


@pytest.mark.parametrize(
    ("ms", "zh", "en"),
    [
        (-5, "0秒", "0s"),
        (0, "0秒", "0s"),
        (999, "0秒", "0s"),
        (12_000, "12秒", "12s"),
        (59_999, "59秒", "59s"),
        (60_000, "1分00秒", "1m 00s"),
        (65_000, "1分05秒", "1m 05s"),
        (3_599_000, "59分59秒", "59m 59s"),
        (3_600_000, "1小时", "1h"),
        (3_720_000, "1小时2分", "1h 2m"),
        (86_400_000, "1天", "1d"),
        (2 * 86_400_000 + 3 * 3_600_000 + 59_000, "2天3小时", "2d 3h"),
    ],
)
def test_format_wait(ms: int, zh: str, en: str) -> None:
    assert format_wait(ms) == zh
    assert format_wait(ms, lang="en") == en
