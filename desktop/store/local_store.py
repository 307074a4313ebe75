"""``LocalStore``: the agent's local cache, one SQLite file per login (see :func:`location.store_path`).

What it keeps: the session's ``seq``, conversations, every message seen (live, sent, or fetched as history,
once per server id), customers, orders, agents, quick replies, drafts and the outbox. Every write method
is one transaction; in particular a batch of events and the ``seq`` it reaches are committed together,
so after a crash "applied" and "last seq" never disagree (protocol.md §4.1).

Threads. All writes go through this one connection; a lock serialises callers, so the object may be used
from any thread, one call at a time. Measured at a million cached messages (bench/search.py): a batch of
30 ms of a 1,000 messages/s burst takes ~10 ms (p99 ~19 ms), a 200-message history page ~25 ms, a
snapshot or a draft far less. So the client keeps the UI loop free by giving the store one writer thread
of its own and awaiting each call::

    writer = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
    applied = await loop.run_in_executor(writer, store.apply_events, batch)

(A client that calls the store on the loop itself must at least send history pages and bulk syncs to a
worker, and should not mix the two, or the loop waits on the lock.) Searches over the whole history run on
a separate read connection: ``index = store.reader()`` once, then
``hits = await asyncio.to_thread(index.search, query)`` (:class:`search.SearchIndex`); WAL lets the reader
and the writer work at the same time.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from desktop.protocol.frames import AnyEvent
from desktop.protocol.objects import Agent, Conversation, Customer, Message, Order, QuickReply
from desktop.protocol.payloads import MessageSendData, RatingReceivedData, SnapshotOk
from desktop.store import conversations, customers, database, drafts, events, messages, outbox, team
from desktop.store.events import AppliedBatch
from desktop.store.search import DEFAULT_LIMIT, SearchHit, SearchIndex, search

P = ParamSpec("P")
R = TypeVar("R")


def _locked(method: Callable[Concatenate[LocalStore, P], R]) -> Callable[Concatenate[LocalStore, P], R]:
    def wrapper(self: LocalStore, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._lock:
            return method(self, *args, **kwargs)

    wrapper.__name__, wrapper.__doc__ = method.__name__, method.__doc__
    return wrapper


class LocalStore:
    """The local cache of one agent login. Open with :meth:`open`; close with :meth:`close` (or ``with``)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path

    @classmethod
    def open(cls, path: Path, *, readonly: bool = False) -> LocalStore:
        """Open (creating it, mode 0600 in a 0700 folder) and migrate the cache at ``path``.

        ``readonly=True`` (tools such as ``shopdesk export``): the file must exist already and have this
        program's schema; nothing is created or migrated, and the write methods fail. Raises
        :class:`database.StoreError` for a cache written by a newer ShopDesk (or, read-only, an older one).
        """
        return cls(database.connect(path, readonly=readonly), path)

    @classmethod
    def open_reader(cls, path: Path) -> SearchIndex:
        """A :class:`SearchIndex` on its own read-only connection to the cache at ``path``."""
        return SearchIndex.open(path)

    def reader(self) -> SearchIndex:
        """A :class:`SearchIndex` on this store's file, for searching from a worker thread (close it too)."""
        return SearchIndex.open(self.path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> LocalStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock, database.transaction(self._conn) as conn:
            yield conn

    # --- session state --------------------------------------------------------------------------------

    @_locked
    def last_seq(self) -> int | None:
        """The last ``seq`` applied (None: never synced), for ``hello``'s ``resume.since``."""
        return events.get_meta(self._conn, events.LAST_SEQ)

    def apply_snapshot(self, snapshot: SnapshotOk) -> None:
        """Replace the conversation list, agents and quick replies with a snapshot's, and take its ``seq``.

        Messages, customers, orders, drafts and the outbox stay. Conversations the snapshot leaves out stay
        stored (:meth:`conversation` finds them) but leave :meth:`conversations`.
        """
        with self._write() as conn:
            conversations.replace_listed(conn, snapshot.conversations)
            last = [c.last_message for c in snapshot.conversations if c.last_message is not None]
            messages.merge_indexes(conn, messages.insert_many(conn, last).chars)
            team.replace_agents(conn, snapshot.agents)
            team.replace_quick_replies(conn, snapshot.quick_replies)
            events.set_meta(conn, events.LAST_SEQ, snapshot.seq)

    def apply_events(self, batch: Sequence[AnyEvent]) -> AppliedBatch:
        """Apply a batch of server events in one transaction (all or nothing) and report what changed.

        Events whose ``seq`` is already stored are skipped (``skipped_seqs``); the stored ``seq`` becomes
        the highest applied. ``typing`` and ``presence.changed`` are reported, never stored.
        """
        with self._write() as conn:
            applied = events.apply(conn, batch)
            messages.merge_indexes(conn, messages.indexed_chars(applied.messages_added))
            return applied

    @_locked
    def queue_waiting(self) -> int | None:
        """The waiting-queue length from the latest ``queue.updated``, None before the first."""
        return events.get_meta(self._conn, events.QUEUE_WAITING)

    # --- messages and history -------------------------------------------------------------------------

    def add_messages(self, batch: Iterable[Message]) -> int:
        """Store messages (a ``history.fetch`` page, a sync) in one transaction; return how many were new.

        Deduplicated by message id against the cache and within ``batch``. An iterable (a generator) is
        consumed in chunks, so a bulk load need not hold every message in memory.
        """
        with self._write() as conn:
            inserted = messages.insert_many(conn, batch, keep=False)
            messages.merge_indexes(conn, inserted.chars)
        return inserted.count

    @_locked
    def messages(
        self, conversation_id: str, *, before_created_at: int | None = None, limit: int = 50
    ) -> list[Message]:
        """A page of a conversation, oldest first: the ``limit`` newest messages created before
        ``before_created_at`` (ms), or the newest ones when it is None."""
        return messages.page(self._conn, conversation_id, before_created_at, limit)

    @_locked
    def count_since(self, conversation_id: str, created_at: int) -> int:
        """Messages of the conversation created at or after ``created_at``: how far back a search hit is."""
        return messages.count_since(self._conn, conversation_id, created_at)

    @_locked
    def oldest_message(self, conversation_id: str) -> Message | None:
        """The oldest cached message of a conversation: ``before_message_id`` for the next history page."""
        return messages.oldest(self._conn, conversation_id)

    @_locked
    def message(self, message_id: str) -> Message | None:
        return messages.by_id(self._conn, message_id)

    @_locked
    def conversation_ids_by_first_message(
        self, *, since_ms: int | None = None, until_ms: int | None = None
    ) -> list[str]:
        """Every conversation with cached messages created in ``[since_ms, until_ms)`` (either bound may be
        None), listed or not and even one with no stored conversation object, ordered by its first such
        message (then id): what an export walks."""
        low = 0 if since_ms is None else messages.time_key(since_ms)
        high = (1 << 63) - 1 if until_ms is None else messages.time_key(until_ms) - 1  # keys: ms << 20
        rows = self._conn.execute(
            "SELECT conversation_id FROM messages WHERE key BETWEEN ? AND ? "
            "GROUP BY conversation_id ORDER BY min(key), conversation_id",
            (low, high),
        ).fetchall()
        return [str(conversation_id) for (conversation_id,) in rows]

    # --- conversations, customers, the team -----------------------------------------------------------

    @_locked
    def conversations(self) -> list[Conversation]:
        """The conversation list (the latest snapshot's plus any assigned or updated since), most recently
        active first."""
        return conversations.listed(self._conn)

    @_locked
    def customer_conversations(self, customer_id: str, *, limit: int = 20) -> list[Conversation]:
        """The customer's conversations this cache knows (the profile's 历史会话), newest first."""
        return conversations.of_customer(self._conn, customer_id, limit)

    @_locked
    def conversation(self, conversation_id: str) -> Conversation | None:
        return conversations.get(self._conn, conversation_id)

    @_locked
    def read_up_to(self, conversation_id: str, role: str = "customer") -> str | None:
        """The message id a reader of ``role`` has read up to (``message.read``), or None."""
        return conversations.read_up_to(self._conn, conversation_id, role)

    @_locked
    def rating(self, conversation_id: str) -> RatingReceivedData | None:
        return conversations.rating(self._conn, conversation_id)

    @_locked
    def transfer_note(self, conversation_id: str) -> tuple[str, int] | None:
        """The note of the colleague who transferred the conversation here, and when it came (ms)."""
        return conversations.transfer_note(self._conn, conversation_id)

    @_locked
    def rating_with_time(self, conversation_id: str) -> tuple[RatingReceivedData, int] | None:
        """The latest rating and when it arrived (ms), for the chat's 买家评价 line."""
        return conversations.rating_with_time(self._conn, conversation_id)

    @_locked
    def customer(self, customer_id: str) -> Customer | None:
        return customers.get(self._conn, customer_id)

    def put_customer(self, customer: Customer) -> None:
        with self._write() as conn:
            customers.put(conn, customer)

    def clear_profiles(self) -> int:
        """清除缓存: customers and orders go (the server has them); messages, drafts and the outbox stay."""
        with self._write() as conn:
            return customers.clear(conn)

    @_locked
    def orders(self, customer_id: str) -> list[Order]:
        return customers.orders(self._conn, customer_id)

    def put_orders(self, customer_id: str, orders: Sequence[Order]) -> None:
        """The customer's orders become ``orders`` (an ``orders.list`` reply)."""
        with self._write() as conn:
            customers.put_orders(conn, customer_id, orders)

    @_locked
    def quick_replies(self) -> list[QuickReply]:
        return team.quick_replies(self._conn)

    @_locked
    def agents(self) -> list[Agent]:
        return team.agents(self._conn)

    # --- drafts ---------------------------------------------------------------------------------------

    @_locked
    def draft(self, conversation_id: str) -> str:
        return drafts.get(self._conn, conversation_id)

    def set_draft(self, conversation_id: str, text: str) -> None:
        """Keep the unsent text of a conversation; empty text deletes the draft."""
        with self._write() as conn:
            drafts.put(conn, conversation_id, text)

    @_locked
    def drafts(self) -> dict[str, str]:
        """Every draft by conversation id."""
        return drafts.all_drafts(self._conn)

    # --- outbox ---------------------------------------------------------------------------------------

    def outbox_add(self, data: MessageSendData, now_ms: int) -> None:
        """Queue a message the user sent (before handing it to the session); a repeat changes nothing."""
        with self._write() as conn:
            outbox.add(conn, data, now_ms)

    @_locked
    def outbox(self) -> list[MessageSendData]:
        """Pending messages, oldest first: what ``ClientSession(outbox=...)`` starts with."""
        return outbox.pending(self._conn)

    def outbox_acked(self, client_msg_id: str, message: Message) -> None:
        """The server stored it: leave the outbox and keep ``message``, in one transaction."""
        with self._write() as conn:
            outbox.remove(conn, client_msg_id)
            if messages.insert(conn, message):
                messages.merge_indexes(conn, messages.indexed_chars([message]))

    def outbox_failed(self, client_msg_id: str, code: str, text: str) -> None:
        """Refused for good: keep it as failed (not re-sent) with the error, for the UI's retry."""
        with self._write() as conn:
            outbox.fail(conn, client_msg_id, code, text)

    @_locked
    def failed_messages(self) -> list[tuple[MessageSendData, str, str]]:
        """Failed messages with their error code and text, oldest first."""
        return outbox.failed(self._conn)

    def retry_failed(self, client_msg_id: str) -> MessageSendData | None:
        """Make a failed message pending again (hand the result to the session); None if not failed."""
        with self._write() as conn:
            return outbox.retry(conn, client_msg_id)

    def outbox_discard(self, client_msg_id: str) -> bool:
        """The user gave up on a message (pending or failed): remove it. False if it was not there."""
        with self._write() as conn:
            return outbox.remove(conn, client_msg_id)

    # --- search ---------------------------------------------------------------------------------------

    @_locked
    def search(
        self, query: str, *, limit: int = DEFAULT_LIMIT, conversation_id: str | None = None
    ) -> list[SearchHit]:
        """Messages containing ``query`` (any substring, case- and width-insensitive), newest first.

        This runs on the writer's connection, in the calling thread: fine for tests and tools. The client
        searches from a worker thread through :meth:`open_reader` / :meth:`reader` instead.
        """
        return search(self._conn, query, limit=limit, conversation_id=conversation_id)
