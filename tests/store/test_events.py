"""apply_events / apply_snapshot: one transaction per batch, seq dedupe, what each event changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import Party
from desktop.protocol.payloads import SnapshotOk
from desktop.store import LocalStore, customers, events
from tests.store.factories import (
    T0,
    agent,
    assigned,
    conv,
    created,
    customer,
    customer_updated,
    msg,
    presence,
    queue,
    quick_reply,
    send,
    typing,
    updated,
)


def test_a_fresh_store_was_never_synced(store: LocalStore) -> None:
    assert store.last_seq() is None
    batch = store.apply_events([typing()])
    assert batch.last_seq is None
    assert store.last_seq() is None


def test_events_are_applied_and_seq_advances(store: LocalStore) -> None:
    m1, m2 = msg("m1", "在吗", at=T0), msg("m2", "我要退款", at=T0 + 1)
    batch = store.apply_events([created(1, m1), created(2, m2), updated(3, conv(last=m2, unread=2))])
    assert [m.id for m in batch.messages_added] == ["m1", "m2"]
    assert batch.conversations_changed == {"c1"}
    assert batch.last_seq == 3
    assert batch.skipped_seqs == 0
    assert store.last_seq() == 3
    assert [m.id for m in store.messages("c1")] == ["m1", "m2"]


def test_the_same_batch_twice_changes_nothing(store: LocalStore) -> None:
    batch: list[f.AnyEvent] = [created(1, msg("m1")), updated(2, conv(unread=1)), queue(3, 4)]
    store.apply_events(batch)
    again = store.apply_events(batch)
    assert again.skipped_seqs == 3
    assert again.messages_added == []
    assert again.conversations_changed == set()
    assert again.queue_waiting is None
    assert again.last_seq == 3
    assert len(store.messages("c1")) == 1


def test_overlapping_batches_apply_only_the_new_part(store: LocalStore) -> None:
    store.apply_events([created(seq, msg(f"m{seq}", at=T0 + seq)) for seq in range(1, 6)])
    batch = store.apply_events([created(seq, msg(f"m{seq}", at=T0 + seq)) for seq in range(3, 9)])
    assert batch.skipped_seqs == 3
    assert [m.id for m in batch.messages_added] == ["m6", "m7", "m8"]
    assert store.last_seq() == 8
    assert [m.id for m in store.messages("c1")] == [f"m{i}" for i in range(1, 9)]


def test_seq_never_goes_back(store: LocalStore) -> None:
    store.apply_events([queue(10, 1)])
    batch = store.apply_events([queue(7, 2), queue(9, 3)])
    assert batch.skipped_seqs == 2
    assert store.last_seq() == 10
    assert store.queue_waiting() == 1
    # Within a batch too: an older seq after a newer one is a duplicate.
    batch = store.apply_events([queue(12, 5), queue(11, 6)])
    assert batch.skipped_seqs == 1
    assert store.queue_waiting() == 5
    assert store.last_seq() == 12


def test_a_failure_mid_batch_applies_nothing(store: LocalStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.apply_events([created(1, msg("m1"))])

    def broken(*args: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(customers, "put", broken)
    batch: list[f.AnyEvent] = [
        created(2, msg("m2", "退款", at=T0 + 2)),
        updated(3, conv(unread=5)),
        customer_updated(4, customer()),
        created(5, msg("m5", at=T0 + 5)),
    ]
    with pytest.raises(RuntimeError, match="disk on fire"):
        store.apply_events(batch)
    assert store.last_seq() == 1
    assert [m.id for m in store.messages("c1")] == ["m1"]
    assert store.conversation("c1") is None
    assert store.search("退款") == []
    monkeypatch.undo()
    # The same batch applies in full once the fault is gone.
    result = store.apply_events(batch)
    assert [m.id for m in result.messages_added] == ["m2", "m5"]
    assert store.last_seq() == 5
    assert store.customer("u-1") is not None


def test_a_crash_before_commit_loses_the_batch_and_its_seq(db_path: Path) -> None:
    store = LocalStore.open(db_path)
    store.apply_events([created(1, msg("m1"))])
    # Begin a batch by hand and "crash" (close without commit).
    conn = store._conn
    conn.execute("BEGIN IMMEDIATE")
    events.apply(conn, [created(2, msg("m2", at=T0 + 2))])
    conn.close()
    with LocalStore.open(db_path) as reopened:
        assert reopened.last_seq() == 1
        assert [m.id for m in reopened.messages("c1")] == ["m1"]


def test_conversation_updated_replaces_the_conversation(store: LocalStore) -> None:
    first = msg("m1", "在吗", at=T0 + 1)
    store.apply_events([assigned(1, conv(unread=1, last=first))])
    conversation = store.conversation("c1")
    assert conversation is not None
    assert conversation.unread == 1
    assert conversation.last_message == first
    second = msg("m2", "我要退款", at=T0 + 2)
    store.apply_events([created(2, second), updated(3, conv(unread=2, last=second, status="active"))])
    conversation = store.conversation("c1")
    assert conversation is not None
    assert (conversation.unread, conversation.last_message) == (2, second)
    store.apply_events([updated(4, conv(unread=0, status="closed"))])
    conversation = store.conversation("c1")
    assert conversation is not None
    assert (conversation.unread, conversation.status, conversation.last_message) == (0, "closed", None)
    assert [c.id for c in store.conversations()] == ["c1"]


def test_last_message_of_a_waiting_conversation_is_stored_once(store: LocalStore) -> None:
    news = msg("m9", "有人吗", conversation_id="c9", at=T0 + 9)
    batch = store.apply_events([updated(1, conv("c9", status="waiting", last=news))])
    assert batch.messages_added == [news]
    batch = store.apply_events([created(2, news), updated(3, conv("c9", status="waiting", last=news))])
    assert batch.messages_added == []
    assert [m.id for m in store.messages("c9")] == ["m9"]


def test_a_message_is_stored_once_whichever_way_it_comes(store: LocalStore) -> None:
    sent = msg("m1", "有的亲", client_msg_id="k1", role="agent")
    store.outbox_add(send("k1", "有的亲"), now_ms=T0)
    store.outbox_acked("k1", sent)
    assert store.apply_events([created(1, sent)]).messages_added == []
    assert store.add_messages([sent, msg("m0", at=T0 - 1)]) == 1
    assert [m.id for m in store.messages("c1")] == ["m0", "m1"]
    assert len(store.search("有的亲")) == 1
    # And the other way round: live first, then the ack and a history page.
    live = msg("m2", "好的", at=T0 + 2, client_msg_id="k2", role="agent")
    store.outbox_add(send("k2", "好的"), now_ms=T0)
    assert store.apply_events([created(2, live)]).messages_added == [live]
    store.outbox_acked("k2", live)
    assert store.add_messages([live]) == 0
    assert store.outbox() == []
    assert [m.id for m in store.messages("c1")] == ["m0", "m1", "m2"]


def test_ephemeral_events_are_reported_not_stored(store: LocalStore) -> None:
    store.apply_events([queue(1, 0)])
    batch = store.apply_events(
        [typing("c1"), presence("a-2", "busy"), presence("a-2", "online", suspended=True), typing("c2")]
    )
    assert [t.conversation_id for t in batch.typing] == ["c1", "c2"]
    assert batch.presence == {"a-2": "online"}
    assert batch.suspended == {"a-2": True}  # 挂起: online, but no new routed chats
    assert batch.last_seq == 1
    assert store.last_seq() == 1
    # Reported again when they come again: no seq, so never "duplicates".
    assert len(store.apply_events([typing("c1")]).typing) == 1


def test_the_presence_of_seq_decides_not_the_type(store: LocalStore) -> None:
    numbered_typing = f.TypingEvent(
        seq=5, ts=T0, data=p.TypingEventData(conversation_id="c1", from_=Party(role="customer", id="u"))
    )
    assert len(store.apply_events([numbered_typing]).typing) == 1
    assert store.last_seq() == 5
    assert store.apply_events([numbered_typing]).skipped_seqs == 1
    # A stateful event without seq (a server bug the session reports) is applied, seq unchanged.
    batch = store.apply_events([created(None, msg("m1"))])
    assert [m.id for m in batch.messages_added] == ["m1"]
    assert store.last_seq() == 5


def test_customer_quick_replies_queue_read_and_rating_events(store: LocalStore) -> None:
    store.apply_snapshot(
        SnapshotOk(seq=10, conversations=[], quick_replies=[quick_reply("q1"), quick_reply("q2")])
    )
    rating = p.RatingReceivedData(conversation_id="c1", score=5, comment="很耐心")
    batch = store.apply_events(
        [
            customer_updated(11, customer(note="偏好顺丰")),
            f.QuickRepliesChanged(
                seq=12, ts=T0, data=p.QuickRepliesChangedData(quick_reply=quick_reply("q3"))
            ),
            f.QuickRepliesChanged(seq=13, ts=T0, data=p.QuickRepliesChangedData(deleted_id="q1")),
            f.QuickRepliesChanged(
                seq=14, ts=T0, data=p.QuickRepliesChangedData(quick_reply=quick_reply("q2", "改过了"))
            ),
            queue(15, 3),
            queue(16, 2),
            f.MessageRead(
                seq=17,
                ts=T0,
                data=p.MessageReadData(
                    conversation_id="c1", up_to_message_id="m7", reader=Party(role="customer", id="u-1")
                ),
            ),
            f.RatingReceived(seq=18, ts=T0, data=rating),
            f.RatingRequested(seq=19, ts=T0, data=p.ConversationRef(conversation_id="c1")),
        ]
    )
    assert batch.customers_changed == {"u-1"}
    stored = store.customer("u-1")
    assert stored is not None
    assert stored.note == "偏好顺丰"
    assert batch.customers == {"u-1": stored}  # the batch carries what it stored
    assert batch.quick_replies_changed
    assert [(q.id, q.text) for q in store.quick_replies()] == [("q2", "改过了"), ("q3", "亲，您好")]
    assert batch.queue_waiting == 2
    assert store.queue_waiting() == 2
    assert store.read_up_to("c1") == "m7"
    assert store.read_up_to("c1", "agent") is None
    assert batch.ratings == [rating]
    assert store.rating("c1") == rating
    assert store.rating_with_time("c1") == (rating, T0)
    assert store.rating_with_time("c2") is None
    assert batch.conversations_changed == {"c1"}
    assert batch.last_seq == store.last_seq() == 19


def test_snapshot_replaces_list_state_and_keeps_the_rest(store: LocalStore) -> None:
    store.apply_events(
        [
            assigned(1, conv("c1", last=msg("m1", "旧会话"))),
            assigned(2, conv("c2")),
            customer_updated(3, customer()),
        ]
    )
    store.apply_snapshot(
        SnapshotOk(seq=1, conversations=[], agents=[agent("a-1")], quick_replies=[quick_reply("q1")])
    )
    store.set_draft("c1", "还没发")
    store.outbox_add(send("k1"), now_ms=T0)
    news = msg("m3", "新消息", conversation_id="c3", at=T0 + 3)
    snapshot = SnapshotOk(
        seq=40,
        conversations=[conv("c3", last=news, created_at=T0), conv("c2", created_at=T0 - 5)],
        agents=[agent("a-2"), agent("a-1", "busy")],
        quick_replies=[quick_reply("q9")],
    )
    store.apply_snapshot(snapshot)
    assert store.last_seq() == 40
    assert [c.id for c in store.conversations()] == ["c3", "c2"]
    assert store.conversation("c1") is not None  # unlisted, still known to search hits
    assert [(a.id, a.status) for a in store.agents()] == [("a-2", "online"), ("a-1", "busy")]
    assert [q.id for q in store.quick_replies()] == ["q9"]
    assert [m.id for m in store.messages("c1")] == ["m1"]
    assert [m.id for m in store.messages("c3")] == ["m3"]
    assert store.customer("u-1") is not None
    assert store.draft("c1") == "还没发"
    assert [d.client_msg_id for d in store.outbox()] == ["k1"]
    # A lower snapshot seq (the server lost data) is taken as it is: the snapshot is the truth.
    store.apply_snapshot(SnapshotOk(seq=7, conversations=[]))
    assert store.last_seq() == 7
    assert store.conversations() == []
    # An event about an unlisted conversation lists it again.
    store.apply_events([updated(8, conv("c1"))])
    assert [c.id for c in store.conversations()] == ["c1"]
