"""The agent's own service figures for today (the KPI panel), computed from the events the client sees.

Definitions (they follow the reference backend's ``stats.get``, so a figure seeded from the server and then
updated locally means the same thing; the one addition is that misses show up before they are answered):

Wait
    From the buyer's oldest unanswered message in a conversation to the next agent reply there. Opened by a
    buyer message when none is open (or from ``waiting_since`` when a conversation is assigned or resumed);
    closed by any agent reply, by the conversation closing, or by it being transferred away.
Response
    A wait closed by *my* reply. It is *within 3 minutes* when it lasted at most 180 000 ms.
3-minute response rate
    ``responses_within_3min / (responses + overdue_open + overdue_dropped)``, where ``overdue_open`` are
    waits still open at ``now_ms`` that already passed 180 s (a miss counts as soon as it is one, not only
    once it is answered) and ``overdue_dropped`` are waits that passed 180 s and then ended without my
    reply (closed, transferred, answered by a colleague). None when there is nothing to rate yet.
First response
    Per conversation, from its assignment to me (``on_assigned``) — or, for a conversation the client never
    saw assigned, from the first buyer message seen in it — to my first reply in it. Conversations already
    mine when the client starts (``resume``) start no clock: whether they were answered is not known here.
Replies sent
    Every message I send (any kind), counted once per message id.
Ratings, conversations closed
    Ratings received, and my conversations closed (whoever closed them), each conversation once.

"Today" is ``[day_start_ms, …)``: events stamped earlier update waits but are not counted; :meth:`new_day`
resets the counters at midnight (open waits and first-response clocks carry over: a wait answered after
midnight counts on the day it is answered, as on the server). Feed messages in ``seq`` order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Final

from desktop.protocol.objects import Conversation, Message
from desktop.protocol.payloads import StatsOk

THREE_MINUTES_MS: Final = 180_000
CHINA_TZ: Final = timezone(timedelta(hours=8), "Asia/Shanghai")


def local_day_start(now_ms: int, tz: tzinfo = CHINA_TZ) -> int:
    """Midnight (in ``tz``) at the start of the day that contains ``now_ms``, in epoch milliseconds."""
    moment = datetime.fromtimestamp(now_ms / 1000, tz)
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return round(midnight.timestamp() * 1000)


@dataclass(frozen=True, slots=True)
class KpiSnapshot:
    """The figures at one moment (see the module docstring for what each one means)."""

    day_start_ms: int
    replies_sent: int
    responses: int
    responses_within_3min: int
    overdue_open: int
    overdue_dropped: int
    response_rate_3min: float | None
    first_responses: int
    first_response_avg_ms: int | None
    ratings_count: int
    ratings_avg: float | None
    conversations_closed: int
    open_waits: int
    longest_open_wait_ms: int | None


class AgentDay:
    """Today's figures of one agent, fed with events; :meth:`snapshot` computes them at ``now_ms``."""

    def __init__(self, day_start_ms: int) -> None:
        self._open_waits: dict[str, int] = {}  # conversation id → wait start
        self._first_pending: dict[str, int] = {}  # conversation id → first-response clock start
        self._answered: set[str] = set()  # conversations whose first response is behind us
        self._seen: dict[str, int] = {}  # message id → created_at (the same message can arrive twice)
        self.new_day(day_start_ms)

    def new_day(self, day_start_ms: int) -> None:
        """Start counting a new day at ``day_start_ms`` (all counters back to zero)."""
        self.day_start_ms = day_start_ms
        self._counted_after_ms = day_start_ms - 1
        self._replies = self._responses = self._within = self._dropped = 0
        self._first_count = self._first_sum_ms = 0
        self._ratings_count = 0
        self._ratings_sum = 0.0
        self._closed: set[str] = set()
        self._closed_base = 0
        horizon = day_start_ms - 86_400_000
        self._seen = {message_id: at for message_id, at in self._seen.items() if at >= horizon}

    @classmethod
    def from_server(cls, stats: StatsOk, *, as_of_ms: int) -> AgentDay:
        """Start from the server's figures (``stats.get``, ``since`` = today's start) fetched at ``as_of_ms``.

        Events stamped at or before ``as_of_ms`` are taken as already counted by the server: they still open
        and close waits but add nothing. Call :meth:`resume` for each conversation that is already yours.
        """
        day = cls(stats.since)
        day._counted_after_ms = max(day._counted_after_ms, as_of_ms)
        day._replies = stats.messages_sent
        day._responses = stats.responses
        day._within = stats.responses_within_3min
        day._first_count = stats.first_responses
        day._first_sum_ms = (stats.first_response_avg_ms or 0) * stats.first_responses
        day._ratings_count = stats.ratings_count
        day._ratings_sum = (stats.ratings_avg or 0.0) * stats.ratings_count
        day._closed_base = stats.conversations_closed
        return day

    def _counts(self, at_ms: int) -> bool:
        return at_ms > self._counted_after_ms

    # --- events -----------------------------------------------------------------------------------------

    def on_assigned(self, conv: Conversation, now_ms: int) -> None:
        """``conv`` was assigned to me at ``now_ms``: its first-response clock starts, its wait is tracked."""
        if conv.id not in self._answered:
            self._first_pending.setdefault(conv.id, now_ms)
        self._track_wait(conv)

    def resume(self, conv: Conversation) -> None:
        """``conv`` was already mine when the client started: track its wait, but no first-response clock."""
        self._answered.add(conv.id)
        self._track_wait(conv)

    def _track_wait(self, conv: Conversation) -> None:
        if conv.waiting_since is not None and conv.status != "closed":
            start = self._open_waits.get(conv.id, conv.waiting_since)
            self._open_waits[conv.id] = min(start, conv.waiting_since)

    def on_message(self, message: Message, my_agent_id: str) -> None:
        """A message in one of my conversations (each id counted once, however often it arrives)."""
        if message.id in self._seen:
            return
        self._seen[message.id] = message.created_at
        conv_id, at = message.conversation_id, message.created_at
        sender = message.sender
        if sender.role == "customer":
            self._open_waits.setdefault(conv_id, at)
            if conv_id not in self._answered:
                self._first_pending.setdefault(conv_id, at)
        elif sender.role == "agent" and sender.id == my_agent_id:
            counts = self._counts(at)
            self._replies += counts
            start = self._open_waits.pop(conv_id, None)
            if start is not None and counts:
                self._responses += 1
                self._within += at - start <= THREE_MINUTES_MS
            first = self._first_pending.pop(conv_id, None)
            if first is not None and counts:
                self._first_count += 1
                self._first_sum_ms += max(0, at - first)
            self._answered.add(conv_id)
        elif sender.role == "agent":  # a colleague answered in my conversation
            self._end_wait(conv_id, at)
            self._first_pending.pop(conv_id, None)
            self._answered.add(conv_id)

    def _end_wait(self, conv_id: str, at_ms: int) -> None:
        """A wait ends without my reply: a miss if it had already passed three minutes."""
        start = self._open_waits.pop(conv_id, None)
        if start is not None and at_ms - start > THREE_MINUTES_MS and self._counts(at_ms):
            self._dropped += 1

    def on_rating(self, score: int, at_ms: int | None = None) -> None:
        """A rating of my service (1–5); one stamped before today or the server seed is ignored."""
        if at_ms is not None and not self._counts(at_ms):
            return
        self._ratings_count += 1
        self._ratings_sum += score

    def on_closed(self, conversation_id: str, now_ms: int) -> None:
        """One of my conversations was closed at ``now_ms`` (by me, the buyer or the system)."""
        self._end_wait(conversation_id, now_ms)
        self._first_pending.pop(conversation_id, None)
        if self._counts(now_ms):
            self._closed.add(conversation_id)

    def on_released(self, conversation_id: str, now_ms: int) -> None:
        """One of my conversations was transferred away: its wait and first-response clock go with it."""
        self._end_wait(conversation_id, now_ms)
        self._first_pending.pop(conversation_id, None)

    # --- figures ----------------------------------------------------------------------------------------

    def snapshot(self, now_ms: int) -> KpiSnapshot:
        waits = [max(0, now_ms - start) for start in self._open_waits.values()]
        overdue = sum(1 for waited in waits if waited > THREE_MINUTES_MS)
        rated = self._responses + overdue + self._dropped
        return KpiSnapshot(
            day_start_ms=self.day_start_ms,
            replies_sent=self._replies,
            responses=self._responses,
            responses_within_3min=self._within,
            overdue_open=overdue,
            overdue_dropped=self._dropped,
            response_rate_3min=self._within / rated if rated else None,
            first_responses=self._first_count,
            first_response_avg_ms=round(self._first_sum_ms / self._first_count)
            if self._first_count
            else None,
            ratings_count=self._ratings_count,
            ratings_avg=round(self._ratings_sum / self._ratings_count, 2) if self._ratings_count else None,
            conversations_closed=self._closed_base + len(self._closed),
            open_waits=len(waits),
            longest_open_wait_ms=max(waits, default=None),
        )
