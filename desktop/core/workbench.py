"""The workbench's live state, fed by what the client committed: my conversations, the queue, today's KPIs.

:class:`Workbench` is the one place that turns the client's :class:`~desktop.store.AppliedBatch` notices into
domain state, without Qt:

- the :class:`~desktop.core.conversations.ConversationBook` holds what the list shows: conversations assigned
  to me (进行中 and 已结束) and every queued one (排队). A conversation handed to a colleague, or taken from
  the queue by one, leaves my list;
- :class:`~desktop.core.kpi.AgentDay` counts today's figures from assignments, messages, closes, transfers and
  ratings in my conversations (seeded from ``stats.get`` when the server offers it);
- the queue size, colleagues' presence and who is typing where.

:meth:`Workbench.apply` answers with a :class:`WorkbenchUpdate` that says what a batch changed, per
conversation, so each open chat refreshes only when its own messages arrived. Reads go to the cache through
a small :class:`ConversationSource` (the ``LocalStore`` is one), so the rules are tested with plain objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from desktop.core.conversations import ConversationBook
from desktop.core.kpi import AgentDay, KpiSnapshot, local_day_start
from desktop.protocol.objects import Conversation, Message
from desktop.protocol.payloads import StatsOk
from desktop.store import AppliedBatch


class ConversationSource(Protocol):
    def conversations(self) -> list[Conversation]: ...

    def conversation(self, conversation_id: str) -> Conversation | None: ...

    def queue_waiting(self) -> int | None: ...


@dataclass
class WorkbenchUpdate:
    """What one applied batch changed, for the views to refresh."""

    messages: dict[str, list[Message]] = field(default_factory=dict)
    """New messages per conversation, in the order applied."""
    conversations: set[str] = field(default_factory=set)
    assigned_to_me: list[str] = field(default_factory=list)
    """Conversations that became mine in this batch (routed, accepted, transferred to me)."""
    left_me: list[str] = field(default_factory=list)
    """Conversations that were mine and went to someone else (transferred, taken over)."""
    quick_replies_changed: bool = False
    queue_changed: bool = False
    typing: set[str] = field(default_factory=set)
    """Conversations whose buyer is typing."""
    kpi_changed: bool = False


def _mine(conv: Conversation | None, me_id: str | None) -> bool:
    return conv is not None and me_id is not None and conv.assignee_id == me_id


class Workbench:
    def __init__(self, source: ConversationSource, *, now_ms: int, me_id: str | None = None) -> None:
        self.source = source
        self.book = ConversationBook()
        self.kpi = AgentDay(local_day_start(now_ms))
        self.me_id = me_id
        self.queue_waiting = source.queue_waiting() or 0
        self.presence: dict[str, str] = {}  # colleague id → status, live from presence.changed
        self.suspended: dict[str, bool] = {}  # colleague id → 挂起, live from the same events
        self.reload()

    # --- who I am and what the cache holds ------------------------------------------------------------

    def shows(self, conv: Conversation) -> bool:
        """Whether ``conv`` belongs in my list: queued, or assigned to me (all of them before I am known)."""
        if conv.status == "waiting":
            return True
        return self.me_id is None or conv.assignee_id == self.me_id

    def reload(self) -> None:
        """Take the cached list as it is (at start, after a snapshot, when I become known)."""
        self.book.load(conv for conv in self.source.conversations() if self.shows(conv))

    def set_me(self, me_id: str) -> None:
        """The server told us who we are (``hello``): the list keeps only what is mine or queued."""
        if me_id != self.me_id:
            self.me_id = me_id
            self.reload()
        self._resume_all(self.book.active(0))

    def seed_kpi(self, stats: StatsOk, *, as_of_ms: int) -> None:
        """Start today's figures from the server's (``stats.get``) and keep counting from there."""
        self.kpi = AgentDay.from_server(stats, as_of_ms=as_of_ms)
        self._resume_all(self.book.active(as_of_ms))

    def _resume_all(self, convs: Iterable[Conversation]) -> None:
        for conv in convs:
            if _mine(conv, self.me_id):
                self.kpi.resume(conv)

    def tick(self, now_ms: int) -> bool:
        """Roll today's figures over at local midnight; True when a new day started."""
        day = local_day_start(now_ms)
        if day == self.kpi.day_start_ms:
            return False
        self.kpi.new_day(day)
        return True

    def kpi_snapshot(self, now_ms: int) -> KpiSnapshot:
        return self.kpi.snapshot(now_ms)

    # --- the client's batches ---------------------------------------------------------------------------

    def apply(self, batch: AppliedBatch, now_ms: int) -> WorkbenchUpdate:
        """Catch up with one committed batch; returns what changed."""
        update = WorkbenchUpdate(
            quick_replies_changed=batch.quick_replies_changed,
            typing={t.conversation_id for t in batch.typing if t.from_.role == "customer"},
        )
        self.presence.update(batch.presence)
        self.suspended.update(batch.suspended)
        if batch.queue_waiting is not None and batch.queue_waiting != self.queue_waiting:
            self.queue_waiting = batch.queue_waiting
            update.queue_changed = True
        with self.book.batch():
            for conv_id in sorted(batch.conversations_changed):
                self._conversation_changed(conv_id, batch.conversations.get(conv_id), now_ms, update)
            for message in batch.messages_added:
                update.messages.setdefault(message.conversation_id, []).append(message)
                if self.me_id is not None and _mine(self.book.get(message.conversation_id), self.me_id):
                    self.kpi.on_message(message, self.me_id)
                    update.kpi_changed = True
        for rating in batch.ratings:
            if _mine(self.book.get(rating.conversation_id), self.me_id):
                self.kpi.on_rating(rating.score)
                update.kpi_changed = True
        return update

    def on_sent(self, message: Message) -> bool:
        """The server acknowledged one of my messages (not an event); True when the KPIs moved."""
        if self.me_id is None or not _mine(self.book.get(message.conversation_id), self.me_id):
            return False
        self.kpi.on_message(message, self.me_id)
        return True

    def _conversation_changed(
        self, conv_id: str, stored: Conversation | None, now_ms: int, update: WorkbenchUpdate
    ) -> None:
        old = self.book.get(conv_id)
        update.conversations.add(conv_id)
        if stored is None and old is not None:
            return  # a read mark or a rating: the conversation object itself did not change
        # The batch carries what it stored; reading the cache here would wait for the writer thread.
        conv = stored if stored is not None else self.source.conversation(conv_id)
        was_mine = _mine(old, self.me_id) and old is not None and old.status == "active"
        if conv is None or not self.shows(conv):
            self.book.remove(conv_id)
            if was_mine:
                self.kpi.on_released(conv_id, now_ms)
                update.left_me.append(conv_id)
                update.kpi_changed = True
            return
        self.book.upsert(conv)
        if self.me_id is None:
            return
        is_mine = _mine(conv, self.me_id) and conv.status == "active"
        if is_mine and not was_mine:
            self.kpi.on_assigned(conv, now_ms)
            update.assigned_to_me.append(conv_id)
            update.kpi_changed = True
        elif was_mine and conv.status == "closed":
            self.kpi.on_closed(conv_id, now_ms)
            update.kpi_changed = True
