"""Applying server events to the cache, and what a batch changed.

:func:`apply` runs inside the caller's transaction (``LocalStore.apply_events`` opens one per batch), so a
batch and the ``seq`` it reaches are stored together or not at all. The duplicate rule is the session's
(protocol.md §4.1): an event whose ``seq`` is not above the stored one is skipped; the presence of a
``seq`` decides, not the event type. Ephemeral events (``typing``, ``presence.changed``) are never
stored, only reported.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop.protocol import frames as f
from desktop.protocol.objects import Conversation, Customer, Message
from desktop.protocol.payloads import RatingReceivedData, TypingEventData
from desktop.store import conversations, customers, messages, team

LAST_SEQ = "last_seq"
QUEUE_WAITING = "queue_waiting"


@dataclass
class AppliedBatch:
    """What one :meth:`LocalStore.apply_events` call changed, for the layers above to refresh."""

    conversations_changed: set[str] = field(default_factory=set)
    """Ids of conversations stored or replaced (assigned, updated, read marks, ratings)."""
    conversations: dict[str, Conversation] = field(default_factory=dict)
    """The conversations stored by this batch, as stored (the latest per id): the UI needs no re-read."""
    messages_added: list[Message] = field(default_factory=list)
    """Messages new to the cache, in the order applied (a message seen before is not repeated)."""
    customers_changed: set[str] = field(default_factory=set)
    customers: dict[str, Customer] = field(default_factory=dict)
    """The profiles stored by this batch (``customer.updated``), the latest per id."""
    quick_replies_changed: bool = False
    queue_waiting: int | None = None
    """The latest ``queue.updated`` count in the batch, None when there was none."""
    ratings: list[RatingReceivedData] = field(default_factory=list)
    transfer_notes: dict[str, tuple[str, int]] = field(default_factory=dict)  # conversation → (note, ms)
    presence: dict[str, str] = field(default_factory=dict)
    """Agent id → status from ``presence.changed`` (ephemeral; the latest per agent)."""
    suspended: dict[str, bool] = field(default_factory=dict)
    """Agent id → 挂起 from the same events (the optional ``suspended`` flag; false when absent)."""
    typing: list[TypingEventData] = field(default_factory=list)
    skipped_seqs: int = 0
    """Events skipped because their ``seq`` was already applied."""
    last_seq: int | None = None
    """The stored ``seq`` after the batch (None: never synced and nothing numbered came)."""


def get_meta(conn: sqlite3.Connection, key: str) -> int | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None or row[0] is None else int(row[0])


def set_meta(conn: sqlite3.Connection, key: str, value: int) -> None:
    conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))


def apply(conn: sqlite3.Connection, events: Sequence[f.AnyEvent]) -> AppliedBatch:
    """Apply ``events`` in order; the caller commits (or rolls back when this raises)."""
    batch = AppliedBatch()
    stored_seq = get_meta(conn, LAST_SEQ)
    seq = stored_seq
    for event in events:
        if event.seq is not None:
            if seq is not None and event.seq <= seq:
                batch.skipped_seqs += 1
                continue
            seq = event.seq
        _apply_one(conn, event, batch)
    if seq is not None and seq != stored_seq:
        set_meta(conn, LAST_SEQ, seq)
    batch.last_seq = seq
    return batch


def _add_message(conn: sqlite3.Connection, message: Message, batch: AppliedBatch) -> None:
    if messages.insert(conn, message):
        batch.messages_added.append(message)


def _apply_one(conn: sqlite3.Connection, event: f.AnyEvent, batch: AppliedBatch) -> None:
    match event:
        case f.MessageCreated(data=data):
            _add_message(conn, data.message, batch)
        case f.ConversationAssigned(data=data) | f.ConversationUpdated(data=data):
            conversation = data.conversation
            conversations.put(conn, conversation)
            if isinstance(event, f.ConversationAssigned) and data.note:
                conversations.put_transfer_note(conn, conversation.id, data.note, event.ts)
                batch.transfer_notes[conversation.id] = (data.note, event.ts)
            batch.conversations_changed.add(conversation.id)
            batch.conversations[conversation.id] = conversation
            if conversation.last_message is not None:  # a waiting conversation's news comes only this way
                _add_message(conn, conversation.last_message, batch)
        case f.MessageRead(data=data):
            conversations.mark_read(conn, data.conversation_id, data.reader, data.up_to_message_id)
            batch.conversations_changed.add(data.conversation_id)
        case f.CustomerUpdated(data=data):
            customers.put(conn, data.customer)
            batch.customers_changed.add(data.customer.id)
            batch.customers[data.customer.id] = data.customer
        case f.QuickRepliesChanged(data=data):
            if data.quick_reply is not None:
                team.put_quick_reply(conn, data.quick_reply)
            elif data.deleted_id is not None:
                team.delete_quick_reply(conn, data.deleted_id)
            batch.quick_replies_changed = True
        case f.QueueUpdated(data=data):
            set_meta(conn, QUEUE_WAITING, data.waiting)
            batch.queue_waiting = data.waiting
        case f.RatingReceived(data=data):
            conversations.put_rating(conn, data, event.ts)
            batch.ratings.append(data)
            batch.conversations_changed.add(data.conversation_id)
        case f.TypingEvent(data=data):
            batch.typing.append(data)
        case f.PresenceChanged(data=data):
            batch.presence[data.agent_id] = data.status
            batch.suspended[data.agent_id] = data.suspended
        case f.RatingRequested():
            pass  # for customers: nothing an agent's cache keeps
