"""The client session machine: hello/resume, seq rules, replies, time-outs, snapshot, outbox."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec
import pytest

from desktop.protocol import codec, samples
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol import session as s
from desktop.protocol.errors import ErrorCode
from desktop.protocol.objects import Message, Party


class Peer:
    """The server side of a test: decodes what the session sent and builds what it receives."""

    def __init__(self, sess: s.ClientSession) -> None:
        self.sess = sess

    def sent(self) -> list[f.ClientFrame]:
        return [codec.decode_client_frame(raw) for raw in self.sess.data_to_send()]

    def reply(self, re: str, value: msgspec.Struct | None = None, now: int = 0) -> None:
        self.sess.receive(codec.encode(codec.ok(re, value)), now)

    def fail(self, re: str, code: ErrorCode, now: int = 0) -> None:
        self.sess.receive(codec.encode(codec.error(code, "refused", re=re)), now)

    def event(self, seq: int | None, waiting: int = 0, now: int = 0) -> None:
        self.sess.receive(
            codec.encode(f.QueueUpdated(seq=seq, ts=now, data=p.QueueUpdatedData(waiting=waiting))), now
        )

    def hello_ok(self, hello_id: str, seq: int, *, resync: bool = False) -> None:
        self.reply(hello_id, p.HelloOk(session="s1", me=samples.ME, seq=seq, resync=resync))


def events(sess: s.ClientSession) -> list[s.SessionEvent]:
    return sess.events_received()


def kinds(sess: s.ClientSession) -> list[str]:
    return [type(e).__name__ for e in sess.events_received()]


def seqs(evts: list[s.SessionEvent]) -> list[int | None]:
    return [e.event.seq for e in evts if isinstance(e, s.EventReceived)]


def text_message(cmid: str, text: str = "你好") -> p.MessageSendData:
    return p.MessageSendData(conversation_id="cv-1", client_msg_id=cmid, kind="text", body={"text": text})


def stored_message(cmid: str) -> Message:
    return Message(
        id=f"m-{cmid}",
        conversation_id="cv-1",
        client_msg_id=cmid,
        sender=Party(role="agent", id="a-1"),
        kind="text",
        body={"text": "你好"},
        created_at=1,
    )


def new_session(
    last_seq: int | None = 10,
    outbox: list[p.MessageSendData] | None = None,
    request_timeout_ms: int = s.DEFAULT_REQUEST_TIMEOUT_MS,
) -> tuple[s.ClientSession, Peer]:
    sess = s.ClientSession(
        role="agent",
        client_name="shopdesk",
        client_version="0.1.0",
        last_seq=last_seq,
        outbox=outbox or [],
        request_timeout_ms=request_timeout_ms,
    )
    return sess, Peer(sess)


@pytest.fixture
def open_session() -> Iterator[tuple[s.ClientSession, Peer]]:
    sess, peer = new_session(last_seq=10)
    sess.connection_made()
    hello_id = sess.start("tok", 0)
    peer.sent()
    peer.hello_ok(hello_id, seq=10)
    assert kinds(sess) == ["Ready"]
    yield sess, peer


def test_hello_carries_resume_since_last_applied_seq() -> None:
    sess, peer = new_session(last_seq=1042)
    sess.connection_made()
    sess.start("tok", 0)
    (hello,) = peer.sent()
    assert isinstance(hello, f.Hello)
    assert hello.data.resume == p.Resume(since=1042)
    assert hello.data.role == "agent" and hello.data.token == "tok"


def test_resume_replay_is_applied_once_in_order() -> None:
    sess, peer = new_session(last_seq=5)
    sess.connection_made()
    hello_id = sess.start("tok", 0)
    peer.hello_ok(hello_id, seq=8)
    for seq in (6, 7, 8, 7, 8, 6):  # replay, then the same again (at-least-once)
        peer.event(seq)
    evts = events(sess)
    assert isinstance(evts[0], s.Ready)
    assert seqs(evts) == [6, 7, 8]
    assert sess.last_seq == 8
    assert sess.counters.duplicates_ignored == 3


def test_events_before_hello_reply_are_held_then_applied() -> None:
    sess, peer = new_session(last_seq=5)
    sess.connection_made()
    hello_id = sess.start("tok", 0)
    peer.event(6)
    assert seqs(events(sess)) == []
    peer.hello_ok(hello_id, seq=6)
    assert seqs(events(sess)) == [6]


def test_duplicate_seq_is_ignored(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, peer = open_session
    peer.event(11)
    peer.event(11)
    peer.event(10)
    assert seqs(events(sess)) == [11]
    assert sess.counters.duplicates_ignored == 2


def test_gap_asks_for_reconnect_with_resume_and_stops_reading(
    open_session: tuple[s.ClientSession, Peer],
) -> None:
    sess, peer = open_session
    peer.event(11)
    peer.event(13)
    peer.event(12)  # arrives after the decision: ignored, the reconnect replays it
    evts = events(sess)
    assert seqs(evts) == [11]
    assert evts[-1] == s.ReconnectNeeded("seq gap: expected 12, got 13", since=11)
    assert sess.state is s.State.CLOSED
    assert sess.last_seq == 11


def test_ephemeral_events_pass_without_seq(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, _ = open_session
    typing = f.TypingEvent(ts=1, data=p.TypingEventData(conversation_id="cv-1", from_=samples.BUYER))
    sess.receive(codec.encode(typing), 1)
    assert events(sess) == [s.EventReceived(typing)]
    assert sess.last_seq == 10


def test_stateful_event_without_seq_is_reported(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, peer = open_session
    peer.event(None)
    assert kinds(sess) == ["ProtocolViolation", "EventReceived"]


def test_reply_is_matched_to_its_request(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, peer = open_session
    first = sess.request(f.CustomerGet(id="", data=p.CustomerRef(customer_id="u-1")), 0)
    second = sess.request(f.OrdersList(id="", data=p.CustomerRef(customer_id="u-1")), 0)
    assert first != second
    sent = peer.sent()
    assert [x.id for x in sent if isinstance(x, f.Request)] == [first, second]
    peer.reply(second, p.OrdersOk(orders=[samples.ORDER]))
    peer.reply(first, p.CustomerData(customer=samples.CUSTOMER))
    assert events(sess) == [
        s.ReplyReceived(second, "orders.list", p.OrdersOk(orders=[samples.ORDER])),
        s.ReplyReceived(first, "customer.get", p.CustomerData(customer=samples.CUSTOMER)),
    ]


def test_reply_to_unknown_request_is_a_violation(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, peer = open_session
    peer.reply("nope")
    (evt,) = events(sess)
    assert isinstance(evt, s.ProtocolViolation)


def test_error_reply_fails_the_request(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, peer = open_session
    rid = sess.request(f.ConversationAccept(id="", data=p.ConversationRef(conversation_id="cv-9")), 0)
    peer.fail(rid, "conflict")
    assert events(sess) == [
        s.RequestFailed(rid, "conversation.accept", "conflict", "refused", retriable=False)
    ]


def test_time_out_fails_the_request_once(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, peer = open_session
    rid = sess.request(f.CustomerGet(id="", data=p.CustomerRef(customer_id="u-1")), now_ms=1_000)
    assert sess.next_deadline() == 1_000 + s.DEFAULT_REQUEST_TIMEOUT_MS
    sess.tick(1_000 + s.DEFAULT_REQUEST_TIMEOUT_MS - 1)
    assert events(sess) == []
    sess.tick(1_000 + s.DEFAULT_REQUEST_TIMEOUT_MS)
    assert events(sess) == [
        s.RequestFailed(rid, "customer.get", s.TIMEOUT, "no reply in time", retriable=True)
    ]
    peer.reply(rid, p.CustomerData(customer=samples.CUSTOMER))  # too late: no second outcome
    assert kinds(sess) == ["ProtocolViolation"]
    assert sess.next_deadline() is None


def test_hello_time_out_asks_for_reconnect() -> None:
    sess, _ = new_session(request_timeout_ms=100)
    sess.connection_made()
    sess.start("tok", 0)
    sess.tick(100)
    assert kinds(sess) == ["RequestFailed", "ReconnectNeeded"]
    assert sess.state is s.State.CLOSED


def test_hello_unauthorized_means_log_in_again() -> None:
    sess, peer = new_session()
    sess.connection_made()
    hello_id = sess.start("expired", 0)
    peer.fail(hello_id, "unauthorized")
    assert events(sess) == [s.AuthFailed("refused")]
    assert sess.state is s.State.CLOSED


def test_requests_before_open_fail_fast_except_login() -> None:
    sess, peer = new_session()
    rid = sess.request(f.CustomerGet(id="", data=p.CustomerRef(customer_id="u-1")), 0)
    assert events(sess) == [
        s.RequestFailed(rid, "customer.get", "unavailable", "not connected", retriable=True)
    ]
    sess.connection_made()
    login_id = sess.request(f.Login(id="", data=p.LoginData(shop="demo", username="a", password="pw")), 0)
    (login,) = peer.sent()
    assert isinstance(login, f.Login) and login.id == login_id
    peer.reply(login_id, p.LoginOk(token="t", expires_at=5))
    assert events(sess) == [s.ReplyReceived(login_id, "login", p.LoginOk(token="t", expires_at=5))]


def test_fresh_client_loads_a_snapshot_first() -> None:
    sess, peer = new_session(last_seq=None)
    sess.connection_made()
    hello_id = sess.start("tok", 0)
    (hello,) = peer.sent()
    assert isinstance(hello, f.Hello) and hello.data.resume is None
    peer.hello_ok(hello_id, seq=20)
    (snap,) = peer.sent()
    assert isinstance(snap, f.SyncSnapshot)
    assert sess.state is s.State.SYNCING
    peer.event(20)  # already in the snapshot
    peer.event(21)  # newer than the snapshot
    snapshot = p.SnapshotOk(seq=20, conversations=[samples.CONVERSATION])
    peer.reply(snap.id, snapshot)
    evts = events(sess)
    assert evts[0] == s.SnapshotLoaded(snapshot)
    assert isinstance(evts[1], s.Ready)
    assert seqs(evts) == [21]
    assert sess.last_seq == 21


def test_resync_reloads_with_snapshot() -> None:
    sess, peer = new_session(last_seq=3)
    sess.connection_made()
    hello_id = sess.start("tok", 0)
    peer.sent()
    peer.hello_ok(hello_id, seq=900, resync=True)
    (snap,) = peer.sent()
    assert isinstance(snap, f.SyncSnapshot)
    peer.reply(snap.id, p.SnapshotOk(seq=900, conversations=[]))
    assert kinds(sess) == ["SnapshotLoaded", "Ready"]
    assert sess.last_seq == 900


def test_server_behind_the_client_forces_resync() -> None:
    sess, peer = new_session(last_seq=50)
    sess.connection_made()
    hello_id = sess.start("tok", 0)
    peer.sent()
    peer.hello_ok(hello_id, seq=7)  # a restored or different backend: our seq means nothing there
    (snap,) = peer.sent()
    assert isinstance(snap, f.SyncSnapshot)


def test_outbox_entry_is_kept_until_ok(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, peer = open_session
    sess.send_message(text_message("m1"), 0)
    (send,) = peer.sent()
    assert isinstance(send, f.MessageSend) and send.data.client_msg_id == "m1"
    assert [m.client_msg_id for m in sess.outbox] == ["m1"]
    sess.send_message(text_message("m1"), 0)  # already in flight: not sent twice on this connection
    assert peer.sent() == []
    peer.reply(send.id, p.MessageData(message=stored_message("m1")))
    assert events(sess) == [s.MessageAcked("m1", stored_message("m1"))]
    assert sess.outbox == []


def test_outbox_is_resent_unchanged_after_reconnect(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, peer = open_session
    sess.send_message(text_message("m1", "第一条"), 0)
    sess.send_message(text_message("m2", "第二条"), 0)
    first_sent = [x for x in peer.sent() if isinstance(x, f.MessageSend)]
    sess.connection_lost()
    lost = events(sess)
    assert [e.code for e in lost if isinstance(e, s.RequestFailed)] == ["unavailable", "unavailable"]
    assert [m.client_msg_id for m in sess.outbox] == ["m1", "m2"]
    sess.send_message(text_message("m3", "离线时写的"), 0)  # typed while offline: waits in the outbox
    assert peer.sent() == []

    sess.connection_made()
    hello_id = sess.start("tok", 10)
    peer.hello_ok(hello_id, seq=10)
    resent = [x for x in peer.sent() if isinstance(x, f.MessageSend)]
    assert [x.data for x in resent] == [x.data for x in first_sent] + [text_message("m3", "离线时写的")]
    assert {x.id for x in resent}.isdisjoint({x.id for x in first_sent})
    for frame in resent:
        peer.reply(frame.id, p.MessageData(message=stored_message(frame.data.client_msg_id)))
    assert [e.client_msg_id for e in events(sess) if isinstance(e, s.MessageAcked)] == ["m1", "m2", "m3"]
    assert sess.outbox == []


def test_outbox_survives_a_restart_through_the_constructor() -> None:
    sess, peer = new_session(outbox=[text_message("m9")])
    sess.connection_made()
    hello_id = sess.start("tok", 0)
    peer.sent()
    peer.hello_ok(hello_id, seq=10)
    (send,) = peer.sent()
    assert isinstance(send, f.MessageSend) and send.data == text_message("m9")


def test_transient_error_keeps_the_message_permanent_error_fails_it(
    open_session: tuple[s.ClientSession, Peer],
) -> None:
    sess, peer = open_session
    sess.send_message(text_message("m1"), 0)
    sess.send_message(text_message("m2"), 0)
    a, b = peer.sent()
    peer.fail(a.id, "rate_limited")  # type: ignore[union-attr]
    peer.fail(b.id, "forbidden")  # type: ignore[union-attr]
    evts = events(sess)
    assert isinstance(evts[0], s.RequestFailed) and evts[0].retriable
    assert evts[1] == s.MessageFailed("m2", "forbidden", "refused")
    assert [m.client_msg_id for m in sess.outbox] == ["m1"]
    sess.flush_outbox(1)  # retried on the same connection once the caller decides
    (again,) = peer.sent()
    assert isinstance(again, f.MessageSend) and again.data.client_msg_id == "m1"


def test_timed_out_message_stays_in_the_outbox(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, peer = open_session
    sess.send_message(text_message("m1"), 0)
    peer.sent()
    sess.tick(s.DEFAULT_REQUEST_TIMEOUT_MS)
    assert kinds(sess) == ["RequestFailed"]
    assert [m.client_msg_id for m in sess.outbox] == ["m1"]


def test_unsendable_message_fails_instead_of_blocking_the_outbox(
    open_session: tuple[s.ClientSession, Peer],
) -> None:
    sess, peer = open_session
    sess.send_message(text_message("bad", "\ud800"), 0)
    sess.send_message(text_message("good"), 0)
    assert [type(x).__name__ for x in peer.sent()] == ["MessageSend"]
    assert kinds(sess) == ["MessageFailed"]
    assert [m.client_msg_id for m in sess.outbox] == ["good"]


def test_malformed_server_frame_is_reported_not_raised(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, peer = open_session
    sess.receive(b"\x00garbage", 0)
    sess.receive(b'{"type":"brand.new.event","seq":11,"ts":1,"data":{}}', 0)
    evts = events(sess)
    assert [e.error.code for e in evts if isinstance(e, s.ProtocolViolation)] == [
        "bad_request",
        "unsupported",
    ]
    peer.event(11)
    assert seqs(events(sess)) == [11]


def test_unreadable_hello_reply_asks_for_reconnect() -> None:
    sess, _ = new_session()
    sess.connection_made()
    hello_id = sess.start("tok", 0)
    sess.receive(codec.encode(f.Ok(re=hello_id, data=msgspec.Raw(b'{"session": 5}'))), 1)
    assert kinds(sess) == ["ProtocolViolation", "RequestFailed", "ReconnectNeeded"]
    assert sess.state is s.State.CLOSED
    assert sess.next_deadline() is None


def test_ephemeral_event_with_a_seq_does_not_touch_seq_tracking(
    open_session: tuple[s.ClientSession, Peer],
) -> None:
    sess, _ = open_session
    typing = f.TypingEvent(seq=99, ts=1, data=p.TypingEventData(conversation_id="cv-1", from_=samples.BUYER))
    sess.receive(codec.encode(typing), 1)
    assert kinds(sess) == ["EventReceived"]
    assert sess.last_seq == 10 and sess.state is s.State.OPEN


def test_message_refused_transiently_too_often_is_failed(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, peer = open_session
    sess.send_message(text_message("m1"), 0)
    for attempt in range(s.MAX_TRANSIENT_FAILURES):
        (send,) = peer.sent()
        assert isinstance(send, f.MessageSend)
        peer.fail(send.id, "internal")
        if attempt < s.MAX_TRANSIENT_FAILURES - 1:
            assert kinds(sess) == ["RequestFailed"]
            sess.flush_outbox(attempt)
    assert events(sess) == [s.MessageFailed("m1", "internal", "refused")]
    assert sess.outbox == []


def test_a_late_ok_for_a_timed_out_message_still_acknowledges_it(
    open_session: tuple[s.ClientSession, Peer],
) -> None:
    sess, peer = open_session
    sess.send_message(text_message("m1"), 0)
    (send,) = peer.sent()
    sess.tick(s.DEFAULT_REQUEST_TIMEOUT_MS)
    assert kinds(sess) == ["RequestFailed"]
    peer.reply(send.id, p.MessageData(message=stored_message("m1")))  # type: ignore[union-attr]
    assert events(sess) == [s.MessageAcked("m1", stored_message("m1"))]
    assert sess.outbox == []


def test_a_late_ok_after_a_resend_is_ignored(open_session: tuple[s.ClientSession, Peer]) -> None:
    sess, peer = open_session
    sess.send_message(text_message("m1"), 0)
    (first,) = peer.sent()
    sess.tick(s.DEFAULT_REQUEST_TIMEOUT_MS)
    sess.flush_outbox(s.DEFAULT_REQUEST_TIMEOUT_MS)  # re-sent: the new request owns the outcome
    (second,) = peer.sent()
    kinds(sess)
    peer.reply(first.id, p.MessageData(message=stored_message("m1")))  # type: ignore[union-attr]
    assert kinds(sess) == ["ProtocolViolation"]
    peer.reply(second.id, p.MessageData(message=stored_message("m1")))  # type: ignore[union-attr]
    assert events(sess) == [s.MessageAcked("m1", stored_message("m1"))]
