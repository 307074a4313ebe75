"""The logged-in workbench as Qt sees it: the client core's state with signals for the views.

:class:`LiveWorkbench` owns the :class:`~desktop.client.connection.AgentClient` (through a
:class:`~desktop.ui.client_bridge.ClientBridge`) and the Qt-free :class:`~desktop.core.workbench.Workbench`,
feeds every committed batch to the latter and re-emits what changed as fine-grained signals, so a chat window
hears only about its own conversation. It also keeps what several components share and that is slow to make:
the quick-reply index (pinyin for every phrase: built on a worker thread, the newest build wins) and the
sensitive-word checker.

Components get the LiveWorkbench and use only its public signals, attributes and methods; none of them
reaches into another component.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.client.connection import AgentClient, OutboxChange, RequestFailedError
from desktop.client.status import LinkState, LinkStatus
from desktop.core.conversations import ChangeKind, ConversationBook
from desktop.core.kpi import KpiSnapshot
from desktop.core.workbench import Workbench
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import Conversation, Customer
from desktop.protocol.payloads import SnapshotOk
from desktop.store import AppliedBatch
from desktop.ui.client_bridge import ClientBridge
from desktop.ui.tasks import TaskSet

if TYPE_CHECKING:  # both are made after the window is up (first chat / 300 ms after start)
    from desktop.core.quick_replies import QuickReplyIndex
    from desktop.core.sensitive_words import SensitiveWordChecker

log = logging.getLogger(__name__)

TICK_MS = 1_000
INDEX_AFTER_MS = 300  # the quick-reply index is built this long after start
PREFETCH_AT_ONCE = 3  # customer.get requests in flight for the list's level badges


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class LiveWorkbench(QObject):
    status_changed = Signal(object)  # LinkStatus
    messages_added = Signal(str, list)  # conversation id, [Message] new to the cache, in order
    conversation_changed = Signal(str)  # conversation id (stored anew: status, unread, assignee, …)
    assigned_to_me = Signal(str)  # a conversation became mine (routed, accepted, transferred to me)
    customer_changed = Signal(str)  # customer id
    buyer_typing = Signal(str)  # conversation id
    outbox_changed = Signal(object)  # OutboxChange
    queue_changed = Signal(int)
    kpi_changed = Signal()
    quick_replies_changed = Signal()  # the index was (re)built: quick_replies() has the new one
    snapshot_loaded = Signal()
    rating_received = Signal(object)  # RatingReceivedData: a buyer rated a chat of mine
    transfer_note = Signal(str, str, object)  # conversation id, the colleague's note, when (ms)
    presence_changed = Signal()  # a colleague's status changed (state.presence has it)
    tick = Signal(object)  # once a second: now in ms (an int; Signal(int) is 32-bit and overflows)

    def __init__(self, client: AgentClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.store = client.store
        self.state = Workbench(client.store, now_ms=now_ms())
        self._checker: SensitiveWordChecker | None = None
        self.tasks = TaskSet()
        self._quick_replies: QuickReplyIndex | None = None
        self._index_generation = 0
        self._bridge = ClientBridge(client, self)
        self._bridge.status_changed.connect(self._status)
        self._bridge.batch_applied.connect(self._batch)
        self._bridge.outbox_changed.connect(self._outbox)
        self._bridge.snapshot_loaded.connect(self._snapshot)
        self.levels: dict[str, str] = {}  # customer id → member level, for the list's badges
        self._customers: dict[str, Customer] = {}  # profiles fetched this session (newer than the cache)
        self._fetching: set[str] = set()
        self._fetch_slots = asyncio.Semaphore(PREFETCH_AT_ONCE)
        self.state.book.subscribe(
            lambda changes: self._prefetch_customers(
                [c.id for c in changes if c.kind is not ChangeKind.REMOVED]
            )
        )
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        # after the window is up: pinyin for every phrase on a worker thread still takes the GIL now and then
        self._closed = False
        self._first_index = QTimer(self)
        self._first_index.setSingleShot(True)
        self._first_index.timeout.connect(self.rebuild_quick_replies)
        self._first_index.start(INDEX_AFTER_MS)

    # --- shared things ----------------------------------------------------------------------------------

    @property
    def book(self) -> ConversationBook:
        return self.state.book

    @property
    def me_id(self) -> str | None:
        return self.state.me_id

    @property
    def me_name(self) -> str:
        hello = self.client.hello
        return hello.me.name if hello is not None else self.client.account.username

    @property
    def link(self) -> LinkStatus:
        return self.client.status

    @property
    def checker(self) -> SensitiveWordChecker:
        """The shop's forbidden words, compiled when the first chat needs them."""
        if self._checker is None:
            from desktop.core.sensitive_words import SensitiveWordChecker

            self._checker = SensitiveWordChecker()
        return self._checker

    def quick_replies(self) -> QuickReplyIndex | None:
        """The quick-reply index, None until the first build finished."""
        return self._quick_replies

    def kpi(self, at_ms: int | None = None) -> KpiSnapshot:
        return self.state.kpi_snapshot(now_ms() if at_ms is None else at_ms)

    def rebuild_quick_replies(self) -> None:
        """Build the index from the cache on a worker thread (~300 ms for 2,000 phrases); newest wins."""
        if self._closed:
            return
        self._index_generation += 1
        generation = self._index_generation
        store = self.store

        def build() -> QuickReplyIndex:
            from desktop.core.quick_replies import QuickReplyIndex

            return QuickReplyIndex(store.quick_replies())

        async def run() -> None:
            index = await asyncio.get_running_loop().run_in_executor(None, build)
            if generation == self._index_generation:
                self._quick_replies = index
                self.quick_replies_changed.emit()

        self.tasks.spawn(run(), name="quick-reply-index")

    async def close(self) -> None:
        """Stop the clock and the client (the caller closes the store afterwards)."""
        self._closed = True
        self._timer.stop()
        self._first_index.stop()
        self._bridge.detach()
        await self.tasks.wait_cancelled()  # nothing reads the store once the caller closes it
        await self.client.stop()

    # --- what the views ask for -------------------------------------------------------------------------

    async def request(self, frame: f.Request, reply_type: type[Any]) -> Any:
        return await self.client.request(frame, reply_type)

    def mark_read(self, conversation_id: str) -> None:
        """Tell the server the agent has seen the conversation (clears its unread badge everywhere)."""
        conv = self.state.book.get(conversation_id)
        if conv is None or conv.unread == 0 or conv.last_message is None:
            return
        data = p.ReadData(conversation_id=conversation_id, up_to_message_id=conv.last_message.id)

        async def run() -> None:
            try:
                await self.client.request(f.ConversationRead(id="", data=data), p.Empty)
            except RequestFailedError as exc:
                log.info("could not mark %s read: %s", conversation_id, exc)

        self.tasks.spawn(run(), name=f"read:{conversation_id}")

    def conversation(self, conversation_id: str) -> Conversation | None:
        """The conversation as the book knows it (mine and queued), else as cached (closed, colleagues')."""
        return self.book.get(conversation_id) or self.store.conversation(conversation_id)

    def customer(self, customer_id: str) -> Customer | None:
        """The newest profile known: fetched this session, else the cache."""
        return self._customers.get(customer_id) or self.store.customer(customer_id)

    def forget_profiles(self) -> None:
        """清除缓存: profiles fetched this session and the cached ones go; panels fetch them again."""
        self._customers.clear()
        self.client.clear_cache()

    def remember_customer(self, customer: Customer) -> None:
        """A fresh profile (from a panel's customer.get/update): cache it, refresh badges and panels."""
        self._customers[customer.id] = customer
        self.client.cache_customer(customer)
        self.levels[customer.id] = customer.level
        self.customer_changed.emit(customer.id)

    def _prefetch_customers(self, conv_ids: list[str] | None = None) -> None:
        """Know every listed buyer's level (and profile) without the agent opening the chat."""
        book = self.state.book
        convs = book.ordered(0) if conv_ids is None else [c for i in conv_ids if (c := book.get(i))]
        for conv in convs:
            customer_id = conv.customer_id
            if customer_id in self.levels or customer_id in self._fetching:
                continue
            cached = self.store.customer(customer_id)
            if cached is not None:
                self.levels[customer_id] = cached.level
                continue
            self._fetching.add(customer_id)
            self.tasks.spawn(self._fetch_customer(customer_id))

    async def _fetch_customer(self, customer_id: str) -> None:
        try:
            async with self._fetch_slots:
                if self.client.status.state is not LinkState.ONLINE:
                    return
                reply = await self.client.request(
                    f.CustomerGet(id="", data=p.CustomerRef(customer_id=customer_id)), p.CustomerData
                )
        except RequestFailedError as exc:
            log.info("customer.get %s failed: %s", customer_id, exc)
            return
        finally:
            self._fetching.discard(customer_id)
        self.remember_customer(reply.customer)

    # --- from the client ---------------------------------------------------------------------------------

    def _status(self, status: LinkStatus) -> None:
        if status.state is LinkState.ONLINE and self.client.hello is not None:
            self.state.set_me(self.client.hello.me.id)
            self.tasks.spawn(self._seed_kpi(), name="stats")
            self._prefetch_customers()
        self.status_changed.emit(status)

    async def _seed_kpi(self) -> None:
        since = self.state.kpi.day_start_ms
        asked_at = now_ms()
        try:
            stats = await self.client.request(f.StatsGet(id="", data=p.StatsData(since=since)), p.StatsOk)
        except RequestFailedError as exc:
            log.info("stats.get not available (%s): today's figures count from now", exc)
            return
        self.state.seed_kpi(stats, as_of_ms=asked_at)
        self.kpi_changed.emit()

    def _batch(self, batch: AppliedBatch) -> None:
        update = self.state.apply(batch, now_ms())
        for conv_id, messages in update.messages.items():
            self.messages_added.emit(conv_id, messages)
        for conv_id in sorted(update.conversations):
            self.conversation_changed.emit(conv_id)
        for conv_id in update.assigned_to_me:
            self.assigned_to_me.emit(conv_id)
        for customer_id, customer in sorted(batch.customers.items()):
            # the event's profile, as the batch stored it: no read of the cache on the UI thread
            self._customers[customer_id] = customer
            self.levels[customer_id] = customer.level
            self.customer_changed.emit(customer_id)
        for conv_id in sorted(update.typing):
            self.buyer_typing.emit(conv_id)
        for rating in batch.ratings:
            self.rating_received.emit(rating)
        for conv_id, (note, at) in sorted(batch.transfer_notes.items()):
            self.transfer_note.emit(conv_id, note, at)
        if batch.presence:
            self.presence_changed.emit()
        if update.queue_changed:
            self.queue_changed.emit(self.state.queue_waiting)
        if update.kpi_changed:
            self.kpi_changed.emit()
        if update.quick_replies_changed:
            self.rebuild_quick_replies()

    def _outbox(self, change: OutboxChange) -> None:
        self.outbox_changed.emit(change)
        if change.state == "sent" and change.message is not None and self.state.on_sent(change.message):
            self.kpi_changed.emit()

    def _snapshot(self, snapshot: SnapshotOk) -> None:
        self.state.reload()
        self.rebuild_quick_replies()
        self.snapshot_loaded.emit()

    def _tick(self) -> None:
        now = now_ms()
        if self.state.tick(now):
            self.kpi_changed.emit()
        self.tick.emit(now)
