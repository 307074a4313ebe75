"""Workbench: which conversations my list holds, and today's figures fed from committed batches."""

from __future__ import annotations

from datetime import datetime

import msgspec

from desktop.core.kpi import CHINA_TZ
from desktop.core.workbench import Workbench
from desktop.protocol.objects import Conversation, Party
from desktop.protocol.payloads import RatingReceivedData, StatsOk, TypingEventData
from desktop.store import AppliedBatch
from tests.core.builders import conversation, message

NOW = int(datetime(2026, 11, 25, 10, 0, tzinfo=CHINA_TZ).timestamp() * 1000)
ME = "a-1"


class Cache:
    """What the LocalStore answers, as a dict (counting per-id reads: a batch should not need them)."""

    def __init__(self, *convs: Conversation, queue: int | None = None) -> None:
        self.convs = {c.id: c for c in convs}
        self.queue = queue
        self.reads = 0

    def put(self, conv: Conversation) -> Conversation:
        self.convs[conv.id] = conv
        return conv

    def conversations(self) -> list[Conversation]:
        return list(self.convs.values())

    def conversation(self, conversation_id: str) -> Conversation | None:
        self.reads += 1
        return self.convs.get(conversation_id)

    def queue_waiting(self) -> int | None:
        return self.queue


def stored(*convs: Conversation) -> AppliedBatch:
    """The batch the store reports after storing ``convs`` (conversation.updated / assigned events)."""
    return AppliedBatch(conversations_changed={c.id for c in convs}, conversations={c.id: c for c in convs})


def assigned(conv: Conversation, to: str | None, status: str = "active") -> Conversation:
    return msgspec.structs.replace(conv, assignee_id=to, status=status)


def test_the_list_holds_mine_and_queued_once_i_am_known() -> None:
    cache = Cache(
        conversation("mine"),
        assigned(conversation("theirs"), "a-2"),
        conversation("queued", status="waiting"),
        queue=3,
    )
    bench = Workbench(cache, now_ms=NOW)
    assert len(bench.book) == 3 and bench.queue_waiting == 3  # before hello: everything cached
    bench.set_me(ME)
    assert sorted(c.id for c in bench.book.ordered(NOW)) == ["mine", "queued"]


def test_accepting_from_the_queue_starts_the_first_response_clock() -> None:
    cache = Cache(conversation("q", status="waiting", waiting_since=NOW - 5_000))
    bench = Workbench(cache, now_ms=NOW, me_id=ME)
    update = bench.apply(stored(cache.put(assigned(cache.convs["q"], ME))), NOW)
    assert update.assigned_to_me == ["q"] and update.kpi_changed
    reply = message("r1", "q", role="agent", sender=ME, at=NOW + 20_000)
    update = bench.apply(AppliedBatch(messages_added=[reply]), NOW + 20_000)
    assert update.messages == {"q": [reply]}
    kpi = bench.kpi_snapshot(NOW + 20_000)
    assert kpi.first_responses == 1 and kpi.first_response_avg_ms == 20_000
    assert kpi.responses == 1 and kpi.response_rate_3min == 1.0


def test_a_chat_taken_by_a_colleague_leaves_my_list_and_ends_its_wait() -> None:
    cache = Cache(conversation("c", waiting_since=NOW - 1_000))
    bench = Workbench(cache, now_ms=NOW, me_id=ME)
    bench.set_me(ME)
    assert bench.kpi_snapshot(NOW).open_waits == 1
    update = bench.apply(stored(cache.put(assigned(cache.convs["c"], "a-2"))), NOW + 1_000)
    assert update.left_me == ["c"] and "c" not in bench.book
    assert bench.kpi_snapshot(NOW + 1_000).open_waits == 0


def test_closing_counts_once_and_colleague_messages_are_not_my_replies() -> None:
    cache = Cache(conversation("c"))
    bench = Workbench(cache, now_ms=NOW, me_id=ME)
    other = message("m1", "c", role="agent", sender="a-2", at=NOW)
    bench.apply(AppliedBatch(messages_added=[other]), NOW)
    assert bench.kpi_snapshot(NOW).replies_sent == 0
    closed = cache.put(assigned(cache.convs["c"], ME, "closed"))
    bench.apply(stored(closed), NOW)
    bench.apply(stored(closed), NOW)
    assert bench.kpi_snapshot(NOW).conversations_closed == 1
    assert [c.id for c in bench.book.closed(NOW)] == ["c"]


def test_queue_typing_ratings_and_presence_are_reported() -> None:
    cache = Cache(conversation("c"), queue=1)
    bench = Workbench(cache, now_ms=NOW, me_id=ME)
    batch = AppliedBatch(
        queue_waiting=4,
        typing=[TypingEventData(conversation_id="c", from_=Party(role="customer", id="u-1"))],
        ratings=[
            RatingReceivedData(conversation_id="c", score=5),
            RatingReceivedData(conversation_id="x", score=1),
        ],
        presence={"a-2": "busy", "a-3": "online"},
        suspended={"a-2": False, "a-3": True},
    )
    update = bench.apply(batch, NOW)
    assert update.queue_changed and bench.queue_waiting == 4
    assert update.typing == {"c"}
    assert bench.presence == {"a-2": "busy", "a-3": "online"}
    assert bench.suspended == {"a-2": False, "a-3": True}
    kpi = bench.kpi_snapshot(NOW)
    assert kpi.ratings_count == 1 and kpi.ratings_avg == 5  # "x" is not mine
    assert not bench.apply(AppliedBatch(queue_waiting=4), NOW).queue_changed


def test_server_figures_seed_the_day_and_midnight_starts_a_new_one() -> None:
    bench = Workbench(Cache(conversation("c", waiting_since=NOW - 2_000)), now_ms=NOW, me_id=ME)
    day = bench.kpi.day_start_ms
    bench.seed_kpi(StatsOk(since=day, messages_sent=7, responses=4, responses_within_3min=3), as_of_ms=NOW)
    kpi = bench.kpi_snapshot(NOW)
    assert kpi.replies_sent == 7 and kpi.open_waits == 1
    assert not bench.tick(NOW + 1_000)
    assert bench.tick(day + 86_400_000 + 1)
    assert bench.kpi_snapshot(day + 86_400_000 + 1).replies_sent == 0


def test_my_acknowledged_reply_counts_once_even_if_echoed_as_an_event() -> None:
    cache = Cache(conversation("c", waiting_since=NOW - 10_000))
    bench = Workbench(cache, now_ms=NOW, me_id=ME)
    bench.set_me(ME)
    reply = message("r1", "c", role="agent", sender=ME, at=NOW)
    assert bench.on_sent(reply)
    bench.apply(AppliedBatch(messages_added=[reply]), NOW)
    kpi = bench.kpi_snapshot(NOW)
    assert kpi.replies_sent == 1 and kpi.responses == 1 and kpi.open_waits == 0
    assert not bench.on_sent(message("r2", "elsewhere", role="agent", sender=ME, at=NOW))


def test_a_batch_that_carries_its_conversations_needs_no_cache_read() -> None:
    cache = Cache(conversation("q", status="waiting"))
    bench = Workbench(cache, now_ms=NOW, me_id=ME)
    mine = assigned(cache.convs["q"], ME)
    update = bench.apply(AppliedBatch(conversations_changed={"q"}, conversations={"q": mine}), NOW)
    assert update.assigned_to_me == ["q"] and bench.book.get("q") == mine
    bench.apply(AppliedBatch(conversations_changed={"q"}), NOW)  # a read mark: nothing to re-read
    assert cache.reads == 0
