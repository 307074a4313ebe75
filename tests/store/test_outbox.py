"""The outbox: pending until acked, failed kept for a retry, all of it across restarts."""

from __future__ import annotations

from pathlib import Path

from desktop.store import LocalStore
from tests.store.factories import T0, msg, send


def test_pending_oldest_first_and_idempotent(store: LocalStore) -> None:
    store.outbox_add(send("k1", "一"), now_ms=T0)
    store.outbox_add(send("k2", "二"), now_ms=T0 + 1)
    store.outbox_add(send("k1", "一（重复）"), now_ms=T0 + 2)
    assert store.outbox() == [send("k1", "一"), send("k2", "二")]


def test_ack_removes_and_stores_the_message_in_one_go(store: LocalStore) -> None:
    store.outbox_add(send("k1", "有的亲"), now_ms=T0)
    store.outbox_add(send("k2", "稍等"), now_ms=T0)
    stored = msg("m1", "有的亲", client_msg_id="k1", role="agent")
    store.outbox_acked("k1", stored)
    assert [d.client_msg_id for d in store.outbox()] == ["k2"]
    assert store.messages("c1") == [stored]
    store.outbox_acked("k1", stored)  # a second ok (re-sent after a reconnect) changes nothing
    assert store.messages("c1") == [stored]


def test_pending_messages_survive_a_restart(db_path: Path) -> None:
    with LocalStore.open(db_path) as store:
        for n in range(3):
            store.outbox_add(send(f"k{n}", f"第{n}条"), now_ms=T0 + n)
        store.outbox_acked("k1", msg("m1", "第1条", client_msg_id="k1"))
    with LocalStore.open(db_path) as store:
        assert [d.client_msg_id for d in store.outbox()] == ["k0", "k2"]


def test_failed_is_kept_apart_and_can_be_retried(db_path: Path) -> None:
    with LocalStore.open(db_path) as store:
        store.outbox_add(send("k1", "一"), now_ms=T0)
        store.outbox_add(send("k2", "二"), now_ms=T0)
        store.outbox_add(send("k3", "三"), now_ms=T0)
        store.outbox_failed("k1", "conflict", "会话已结束，无法发送消息")
        store.outbox_failed("unknown", "conflict", "nothing happens")
        assert [d.client_msg_id for d in store.outbox()] == ["k2", "k3"]
        assert store.failed_messages() == [(send("k1", "一"), "conflict", "会话已结束，无法发送消息")]
    with LocalStore.open(db_path) as store:  # failed ones survive a restart too, and are not re-sent
        assert [d.client_msg_id for d in store.outbox()] == ["k2", "k3"]
        assert len(store.failed_messages()) == 1
        assert store.retry_failed("k2") is None  # pending, not failed
        assert store.retry_failed("nope") is None
        assert store.retry_failed("k1") == send("k1", "一")
        assert store.failed_messages() == []
        assert [d.client_msg_id for d in store.outbox()] == ["k2", "k3", "k1"]  # sent again: newest
        assert store.retry_failed("k1") is None


def test_discard(store: LocalStore) -> None:
    store.outbox_add(send("k1"), now_ms=T0)
    store.outbox_add(send("k2"), now_ms=T0)
    store.outbox_failed("k2", "forbidden", "不是你的会话")
    assert store.outbox_discard("k1")
    assert store.outbox_discard("k2")
    assert not store.outbox_discard("k2")
    assert store.outbox() == []
    assert store.failed_messages() == []


def test_outbox_feeds_a_new_session(store: LocalStore) -> None:
    from desktop.protocol.session import ClientSession

    store.outbox_add(send("k1"), now_ms=T0)
    session = ClientSession(role="agent", client_name="t", client_version="0", outbox=store.outbox())
    assert [d.client_msg_id for d in session.outbox] == ["k1"]
