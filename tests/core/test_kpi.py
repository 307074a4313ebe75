"""Today's KPIs from concrete timelines (times in seconds after the day starts, for readability)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from desktop.core.kpi import CHINA_TZ, AgentDay, local_day_start
from desktop.protocol.payloads import StatsOk
from tests.core.builders import conversation, message

DAY = 1_764_000_000_000 - 1_764_000_000_000 % 86_400_000  # some UTC midnight
ME = "a-1"


def at(seconds: float) -> int:
    return DAY + round(seconds * 1000)


class Timeline:
    """Feeds an AgentDay with buyer/agent messages, numbering them."""

    def __init__(self, day: AgentDay) -> None:
        self.day = day
        self.n = 0

    def buyer(self, conv: str, seconds: float) -> None:
        self.n += 1
        self.day.on_message(message(f"m{self.n}", conv, role="customer", at=at(seconds)), ME)

    def me(self, conv: str, seconds: float) -> None:
        self.n += 1
        self.day.on_message(message(f"m{self.n}", conv, role="agent", sender=ME, at=at(seconds)), ME)

    def colleague(self, conv: str, seconds: float) -> None:
        self.n += 1
        self.day.on_message(message(f"m{self.n}", conv, role="agent", sender="a-2", at=at(seconds)), ME)


def test_an_empty_day() -> None:
    snap = AgentDay(DAY).snapshot(at(60))
    assert snap.day_start_ms == DAY
    assert (snap.replies_sent, snap.responses, snap.first_responses, snap.ratings_count) == (0, 0, 0, 0)
    assert snap.response_rate_3min is None
    assert snap.first_response_avg_ms is None
    assert snap.ratings_avg is None
    assert snap.longest_open_wait_ms is None


def test_waits_and_the_three_minute_rate() -> None:
    day = AgentDay(DAY)
    t = Timeline(day)
    day.on_assigned(conversation("A", waiting_since=at(0)), at(10))  # buyer wrote at 0 s, in the queue
    t.buyer("A", 5)  # a second unanswered message: the wait still starts at 0 s
    t.me("A", 40)  # wait 40 s → within
    t.me("A", 50)  # nobody waiting: a reply, not a response
    t.buyer("A", 100)
    t.me("A", 400)  # wait 300 s → miss
    t.buyer("A", 500)
    t.me("A", 680)  # exactly 180 s → within
    snap = day.snapshot(at(700))
    assert snap.replies_sent == 4
    assert (snap.responses, snap.responses_within_3min) == (3, 2)
    assert snap.response_rate_3min == pytest.approx(2 / 3)
    assert snap.first_responses == 1
    assert snap.first_response_avg_ms == 30_000  # assigned at 10 s, first reply at 40 s
    assert snap.open_waits == 0


def test_an_open_wait_counts_as_a_miss_once_it_passes_three_minutes() -> None:
    day = AgentDay(DAY)
    t = Timeline(day)
    t.buyer("B", 0)  # never seen assigned: first-response clock starts at the buyer's first message
    t.me("B", 20)
    t.buyer("B", 100)
    assert day.snapshot(at(280)).overdue_open == 0  # 180 s exactly: not over yet
    snap = day.snapshot(at(281))
    assert snap.overdue_open == 1
    assert snap.open_waits == 1
    assert snap.longest_open_wait_ms == 181_000
    assert snap.response_rate_3min == pytest.approx(1 / 2)
    t.me("B", 400)  # answered late: now an ordinary miss, counted once
    snap = day.snapshot(at(401))
    assert (snap.responses, snap.responses_within_3min, snap.overdue_open) == (2, 1, 0)
    assert snap.response_rate_3min == pytest.approx(1 / 2)
    assert snap.first_response_avg_ms == 20_000


def test_waits_that_end_without_my_reply() -> None:
    day = AgentDay(DAY)
    t = Timeline(day)
    t.buyer("C", 0)
    day.on_closed("C", at(60))  # closed after 60 s: no miss
    t.buyer("D", 0)
    t.colleague("D", 200)  # a colleague answered after 200 s: a miss of mine, not a response
    t.buyer("E", 0)
    day.on_released("E", at(500))  # transferred away after 500 s: a miss
    t.buyer("F", 0)
    day.on_released("F", at(10))  # transferred quickly: nothing
    t.me("D", 300)  # nobody waiting any more in D
    snap = day.snapshot(at(1_000))
    assert snap.overdue_dropped == 2
    assert snap.responses == 0
    assert snap.response_rate_3min == 0.0
    assert snap.open_waits == 0
    assert snap.conversations_closed == 1
    assert snap.first_responses == 0  # D was answered first by a colleague; C, E, F never by me
    assert snap.replies_sent == 1


def test_each_message_and_closed_conversation_counts_once() -> None:
    day = AgentDay(DAY)
    reply = message("m1", "A", role="agent", sender=ME, at=at(10))
    day.on_message(message("m0", "A", at=at(0)), ME)
    day.on_message(reply, ME)
    day.on_message(reply, ME)  # the ok reply and the message.created echo of the same message
    day.on_closed("A", at(20))
    day.on_closed("A", at(21))
    day.on_message(message("s1", "A", role="system", sender="sys", at=at(22)), ME)
    snap = day.snapshot(at(30))
    assert (snap.replies_sent, snap.responses, snap.conversations_closed) == (1, 1, 1)


def test_ratings() -> None:
    day = AgentDay(DAY)
    for score in (5, 4, 4):
        day.on_rating(score)
    day.on_rating(1, at_ms=DAY - 1)  # yesterday's: ignored
    snap = day.snapshot(at(1))
    assert snap.ratings_count == 3
    assert snap.ratings_avg == 4.33


def test_resumed_conversations_start_no_first_response_clock() -> None:
    day = AgentDay(DAY)
    t = Timeline(day)
    day.resume(conversation("R", waiting_since=at(0)))
    day.resume(conversation("S", status="closed", waiting_since=at(0)))  # closed: no wait
    t.me("R", 100)
    snap = day.snapshot(at(200))
    assert (snap.responses, snap.responses_within_3min, snap.first_responses) == (1, 1, 0)
    assert snap.open_waits == 0


def test_events_before_the_day_update_waits_but_do_not_count() -> None:
    day = AgentDay(DAY)
    t = Timeline(day)
    t.buyer("A", -500)
    t.me("A", -400)  # yesterday: not counted, but closes the wait
    t.buyer("A", -100)  # still waiting at midnight …
    t.me("A", 200)  # … answered today after 300 s: a miss today, as on the server
    snap = day.snapshot(at(300))
    assert (snap.replies_sent, snap.responses, snap.responses_within_3min) == (1, 1, 0)


def test_new_day_resets_counters_and_keeps_open_waits() -> None:
    day = AgentDay(DAY)
    t = Timeline(day)
    t.buyer("A", 0)
    t.me("A", 10)
    day.on_rating(5)
    day.on_closed("A", at(20))
    t.buyer("B", 86_390)  # 10 s before midnight
    day.new_day(DAY + 86_400_000)
    snap = day.snapshot(at(86_400))
    assert snap.day_start_ms == DAY + 86_400_000
    assert (snap.replies_sent, snap.responses, snap.ratings_count, snap.conversations_closed) == (0, 0, 0, 0)
    assert snap.open_waits == 1
    t.me("B", 86_420)  # 30 s wait, answered after midnight: today's
    snap = day.snapshot(at(86_500))
    assert (snap.replies_sent, snap.responses, snap.responses_within_3min) == (1, 1, 1)
    assert snap.first_responses == 1
    assert snap.first_response_avg_ms == 30_000


def test_seeded_from_the_server_then_counted_locally() -> None:
    stats = StatsOk(
        since=DAY,
        conversations_closed=14,
        messages_sent=213,
        responses=58,
        responses_within_3min=55,
        first_responses=17,
        first_response_avg_ms=21_500,
        ratings_count=9,
        ratings_avg=4.89,
    )
    day = AgentDay.from_server(stats, as_of_ms=at(3_600))
    day.resume(conversation("A", waiting_since=at(3_500)))
    t = Timeline(day)
    t.me("A", 3_590)  # before the stats were fetched: already in the server's figures
    t.buyer("A", 3_700)
    t.me("A", 3_710)
    day.on_assigned(conversation("N"), at(3_800))
    t.buyer("N", 3_801)
    t.me("N", 3_841)
    day.on_rating(3, at_ms=at(3_500))  # already counted
    day.on_rating(4, at_ms=at(3_900))
    day.on_closed("old", at(3_000))  # before the seed: already counted
    day.on_closed("N", at(4_000))
    snap = day.snapshot(at(4_000))
    assert snap.replies_sent == 215
    assert (snap.responses, snap.responses_within_3min) == (60, 57)
    assert snap.response_rate_3min == pytest.approx(57 / 60)
    assert snap.first_responses == 18
    assert snap.first_response_avg_ms == round((21_500 * 17 + 41_000) / 18)
    assert snap.ratings_count == 10
    assert snap.ratings_avg == round((4.89 * 9 + 4) / 10, 2)
    assert snap.conversations_closed == 15


def test_first_response_is_per_conversation() -> None:
    day = AgentDay(DAY)
    t = Timeline(day)
    for conv, assigned, replied in (("A", 0, 10), ("B", 100, 160), ("C", 200, 205)):
        day.on_assigned(conversation(conv, waiting_since=at(assigned - 5)), at(assigned))
        t.me(conv, replied)
        t.buyer(conv, replied + 1)
        t.me(conv, replied + 100)  # later replies are not first responses
    day.on_assigned(conversation("A"), at(500))  # assigned again (transferred back): answered already
    t.me("A", 600)
    snap = day.snapshot(at(1_000))
    assert snap.first_responses == 3
    assert snap.first_response_avg_ms == round((10_000 + 60_000 + 5_000) / 3)


def test_local_day_start() -> None:
    now = datetime(2025, 11, 26, 0, 30, tzinfo=CHINA_TZ)  # 00:30 in Beijing is 16:30 UTC the day before
    start = local_day_start(round(now.timestamp() * 1000))
    assert start == round(datetime(2025, 11, 26, tzinfo=CHINA_TZ).timestamp() * 1000)
    utc = timezone(timedelta(0))
    assert local_day_start(DAY + 5_000, utc) == DAY
    assert local_day_start(DAY - 1, utc) == DAY - 86_400_000
