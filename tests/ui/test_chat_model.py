"""ChatModel: Qt model contract after every operation, separators, dedupe, late messages, history pages,
the agent's outbox (pending → sent / failed)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from PySide6.QtCore import QPersistentModelIndex, Qt

from desktop.protocol.objects import Message, Party
from desktop.ui.chat_model import ChatModel, ChatRole, chat_text, format_price, separator_text
from tests.core.builders import message

CST = timezone(timedelta(hours=8))
MINUTE = 60_000


def at(day_offset: int, hour: int, minute: int) -> int:
    when = datetime(2024, 11, 25, hour, minute, tzinfo=CST) + timedelta(days=day_offset)
    return int(when.timestamp() * 1000)


NOW = at(0, 15, 0)


class Signals:
    def __init__(self, model: ChatModel) -> None:
        self.log: list[tuple[Any, ...]] = []
        model.rowsInserted.connect(lambda _p, first, last: self.log.append(("insert", first, last)))
        model.rowsRemoved.connect(lambda _p, first, last: self.log.append(("remove", first, last)))
        model.modelReset.connect(lambda: self.log.append(("reset",)))
        model.layoutChanged.connect(lambda *a: self.log.append(("layout",)))
        model.dataChanged.connect(lambda tl, br, roles: self.log.append(("data", tl.row(), br.row())))


def texts(model: ChatModel) -> list[str]:
    return [model.index(row).data(Qt.ItemDataRole.DisplayRole) for row in range(model.rowCount())]


def new_model(qtmodeltester, messages: list[Message]) -> ChatModel:
    model = ChatModel(NOW, tz=CST)
    qtmodeltester.check(model)
    model.set_messages(messages)
    qtmodeltester.check(model)
    return model


def test_separator_texts() -> None:
    assert separator_text(at(0, 14, 3), NOW, CST) == "14:03"
    assert separator_text(at(-1, 9, 12), NOW, CST) == "昨天 09:12"
    assert separator_text(at(-1, 9, 12), NOW, CST) == "昨天 09:12"
    assert separator_text(at(-1, 9, 12) - 86_400_000, NOW, CST) == "11月23日 09:12"
    assert separator_text(at(-400, 8, 0), NOW, CST) == "2023年10月22日 08:00"


def test_separators_on_first_gap_and_day_change(qtmodeltester) -> None:
    model = new_model(
        qtmodeltester,
        [
            message("a", at=at(-1, 23, 58), text="A"),
            message("b", at=at(0, 0, 1), text="B"),  # 3 minutes later, but another day
            message("c", at=at(0, 0, 5), text="C"),  # 4 minutes: no separator
            message("d", at=at(0, 0, 10), text="D"),  # 5 minutes: separator
        ],
    )
    assert texts(model) == ["昨天 23:58", "A", "00:01", "B", "C", "00:10", "D"]
    separators = [model.index(r).data(ChatRole.IS_SEPARATOR) for r in range(model.rowCount())]
    assert separators == [True, False, True, False, False, True, False]
    assert model.index(0).data(ChatRole.KIND) == "separator"
    assert model.index(0).data(ChatRole.MESSAGE_ID) is None


def test_roles_of_every_kind(qtmodeltester) -> None:
    def msg(mid: str, kind: Any, body: dict[str, Any], role: Any = "customer") -> Message:
        return Message(
            id=mid,
            conversation_id="cv-1",
            sender=Party(role=role, id="x"),
            kind=kind,
            body=body,
            created_at=NOW - 10_000,
        )

    model = new_model(
        qtmodeltester,
        [
            msg("t", "text", {"text": "<b>x</b>\u202etxt\r\nline2"}),
            msg("i", "image", {"mime": "image/png", "data_b64": "AAECAw==", "width": 640, "height": 480}),
            msg("p", "product", {"product_id": "p1", "title": "羊毛大衣", "price_cents": 59_905}, "agent"),
            msg("o", "order", {"order_id": "O-1"}),
            msg("s", "system", {"text": "会话已接入"}, "system"),
        ],
    )
    rows = [model.index(r) for r in range(1, 6)]
    text, image, product, order, system = rows
    assert text.data(ChatRole.TEXT) == "<b>x</b>txt\nline2"  # plain, bidi override gone, newline kept
    assert text.data(ChatRole.SENDER_ROLE) == "customer"
    assert text.data(ChatRole.STATE) == "sent"
    assert text.data(ChatRole.TIMESTAMP) == NOW - 10_000
    assert image.data(ChatRole.TEXT) == "[图片]" == image.data(Qt.ItemDataRole.AccessibleTextRole)
    assert image.data(ChatRole.IMAGE_BYTES) == b"\x00\x01\x02\x03"
    assert image.data(ChatRole.IMAGE_BYTES) is image.data(ChatRole.IMAGE_BYTES)  # decoded once, cached
    assert image.data(ChatRole.IMAGE_SIZE) == (640, 480)
    assert text.data(ChatRole.IMAGE_BYTES) is None
    assert product.data(ChatRole.PRODUCT_TITLE) == "羊毛大衣"
    assert product.data(ChatRole.PRICE_CENTS) == 59_905
    assert product.data(ChatRole.TEXT) == "[商品] 羊毛大衣 ¥599.05"
    assert product.data(ChatRole.SENDER_ROLE) == "agent"
    assert order.data(ChatRole.ORDER_ID) == "O-1"
    assert order.data(ChatRole.KIND) == "order"
    assert system.data(ChatRole.SENDER_ROLE) == "system"
    assert [r.data(ChatRole.MESSAGE_ID) for r in rows] == ["t", "i", "p", "o", "s"]
    assert b"is_separator" in model.roleNames().values()
    assert chat_text("a\x00b\u2066c") == "abc"
    assert format_price(5) == "¥0.05"


def test_append_is_one_insert_and_dedupes(qtmodeltester) -> None:
    model = new_model(qtmodeltester, [message("a", at=NOW - 20 * MINUTE, text="A")])
    signals = Signals(model)
    model.append(
        [
            message("b", at=NOW - 19 * MINUTE, text="B"),
            message("a", at=NOW - 20 * MINUTE, text="A"),  # already shown
            message("c", at=NOW - 2 * MINUTE, text="C"),  # after a gap: a separator comes with it
            message("c", at=NOW - 2 * MINUTE, text="C"),  # twice in one batch
        ]
    )
    qtmodeltester.check(model)
    assert signals.log == [("insert", 2, 4)]
    assert texts(model) == ["14:40", "A", "B", "14:58", "C"]
    model.append([message("a", at=NOW - 20 * MINUTE, text="A")])
    assert signals.log == [("insert", 2, 4)]
    assert model.message_ids() == ["a", "b", "c"]


def test_late_message_goes_to_its_place(qtmodeltester) -> None:
    model = new_model(
        qtmodeltester,
        [message("a", at=NOW - 20 * MINUTE, text="A"), message("c", at=NOW - 14 * MINUTE, text="C")],
    )
    assert texts(model) == ["14:40", "A", "14:46", "C"]
    kept = QPersistentModelIndex(model.index(3))
    signals = Signals(model)
    model.append([message("b", at=NOW - 17 * MINUTE, text="B"), message("d", at=NOW, text="D")])
    qtmodeltester.check(model)
    # B is 3 min after A and 3 min before C: C's separator goes, B goes in between; D at the end
    assert texts(model) == ["14:40", "A", "B", "C", "15:00", "D"]
    assert signals.log == [("remove", 2, 2), ("insert", 2, 2), ("insert", 4, 5)]
    assert kept.row() == 3
    assert kept.data(ChatRole.MESSAGE_ID) == "c"


def test_prepend_older_is_one_insert_and_reports_rows(qtmodeltester) -> None:
    model = new_model(
        qtmodeltester,
        [message("c", at=NOW - 10 * MINUTE, text="C"), message("d", at=NOW - 9 * MINUTE, text="D")],
    )
    signals = Signals(model)
    older = [message("a", at=at(-1, 9, 0), text="A"), message("b", at=at(-1, 9, 1), text="B")]
    assert model.prepend_older(older) == 3  # "昨天 09:00", A, B above "14:50"
    qtmodeltester.check(model)
    assert signals.log == [("insert", 0, 2)]
    assert texts(model) == ["昨天 09:00", "A", "B", "14:50", "C", "D"]
    # a page whose last message is close to the top one: the top separator moves up
    signals.log.clear()
    assert model.prepend_older([message("z", at=at(-1, 8, 58), text="Z")]) == 1
    qtmodeltester.check(model)
    assert signals.log == [("remove", 0, 0), ("insert", 0, 1)]
    assert texts(model)[:3] == ["昨天 08:58", "Z", "A"]
    assert model.prepend_older([]) == 0
    assert model.prepend_older(older) == 0  # already there


def test_pending_then_sent_in_place(qtmodeltester) -> None:
    model = new_model(qtmodeltester, [message("a", at=NOW - MINUTE, text="A")])
    signals = Signals(model)
    model.add_pending("cm-1", "稍等", NOW)
    qtmodeltester.check(model)
    assert signals.log == [("insert", 2, 2)]
    row = model.index(2)
    assert (row.data(ChatRole.STATE), row.data(ChatRole.SENDER_ROLE), row.data(ChatRole.TEXT)) == (
        "pending",
        "agent",
        "稍等",
    )
    assert row.data(ChatRole.MESSAGE_ID) is None
    assert row.data(ChatRole.CLIENT_MSG_ID) == "cm-1"
    kept = QPersistentModelIndex(row)
    sent = Message(
        id="m-9",
        conversation_id="cv-1",
        client_msg_id="cm-1",
        sender=Party(role="agent", id="a-1"),
        kind="text",
        body={"text": "稍等"},
        created_at=NOW + 500,
    )
    model.mark_sent("cm-1", sent)
    qtmodeltester.check(model)
    assert signals.log[1:] == [("data", 2, 2)]  # replaced in place, not removed + inserted
    assert kept.row() == 2
    assert kept.data(ChatRole.STATE) == "sent"
    assert kept.data(ChatRole.MESSAGE_ID) == "m-9"
    model.append([sent])  # the server's echo: already there
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert signals.log[2:] == []


def test_echo_with_client_msg_id_replaces_pending(qtmodeltester) -> None:
    model = new_model(qtmodeltester, [])
    model.add_pending("cm-1", "你好", NOW)
    echo = Message(
        id="m-1",
        conversation_id="cv-1",
        client_msg_id="cm-1",
        sender=Party(role="agent", id="a-1"),
        kind="text",
        body={"text": "你好"},
        created_at=NOW + 200,
    )
    model.append([echo])
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(1).data(ChatRole.MESSAGE_ID) == "m-1"
    assert model.index(1).data(ChatRole.STATE) == "sent"


def test_failed_then_retry(qtmodeltester) -> None:
    model = new_model(qtmodeltester, [message("a", at=NOW - MINUTE, text="A")])
    model.add_pending("cm-1", "稍等", NOW)
    signals = Signals(model)
    model.mark_failed("cm-1", "timeout")
    qtmodeltester.check(model)
    assert signals.log == [("data", 2, 2)]
    assert model.index(2).data(ChatRole.STATE) == "failed"
    assert model.index(2).data(ChatRole.FAIL_REASON) == "timeout"
    model.add_pending("cm-1", "稍等", NOW + 5_000)  # retry: same row, pending again
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert model.index(2).data(ChatRole.STATE) == "pending"
    assert model.index(2).data(ChatRole.FAIL_REASON) == ""
    model.mark_failed("nobody", "x")  # unknown ids are ignored
    qtmodeltester.check(model)


def test_set_messages_resets_and_keeps_outbox(qtmodeltester) -> None:
    model = new_model(qtmodeltester, [message("a", at=NOW - MINUTE, text="A")])
    model.add_pending("cm-1", "还在发", NOW)
    signals = Signals(model)
    model.set_messages([message("x", at=NOW - 2 * MINUTE, text="X")])
    qtmodeltester.check(model)
    assert signals.log == [("reset",)]
    assert texts(model) == ["14:58", "X", "还在发"]


def test_set_now_refreshes_separator_texts(qtmodeltester) -> None:
    model = new_model(qtmodeltester, [message("a", at=at(0, 14, 3), text="A")])
    signals = Signals(model)
    model.set_now(NOW + 86_400_000)
    qtmodeltester.check(model)
    assert texts(model)[0] == "昨天 14:03"
    assert signals.log == [("data", 0, 0)]


def test_the_clock_moving_within_a_day_changes_nothing(qtmodeltester) -> None:
    model = new_model(qtmodeltester, [message("a", at=at(0, 14, 3), text="A")])
    signals = Signals(model)
    layouts: list[int] = []
    layout = model._layout

    def counted():
        layouts.append(1)
        return layout()

    model._layout = counted  # type: ignore[method-assign]
    model.set_now(NOW + 60_000)  # the per-second tick, a minute on: no row is laid out again
    assert signals.log == [] and layouts == [] and model.now_ms == NOW + 60_000
    model.set_now(NOW + 86_400_000)  # the next day: separators are re-read
    assert layouts == [1]


def test_mark_pending_keeps_the_text_of_a_failed_row(qtmodeltester) -> None:
    model = new_model(qtmodeltester, [])
    model.add_pending("cm-1", "稍等", NOW)
    model.mark_failed("cm-1", "timeout")
    signals = Signals(model)
    model.mark_pending("cm-1")
    qtmodeltester.check(model)
    assert signals.log == [("data", 1, 1)]
    assert model.index(1).data(ChatRole.STATE) == "pending"
    assert model.index(1).data(ChatRole.TEXT) == "稍等"
    model.mark_pending("nobody")
    assert model.rowCount() == 2


def test_one_row_at_a_time_is_highlighted_for_a_search_hit(qtmodeltester, qtbot) -> None:
    model = new_model(qtmodeltester, [message("m1", at=at(0, 14, 0)), message("m2", at=at(0, 14, 1))])
    rows = {key: model.row_of(key) for key in ("m:m1", "m:m2")}
    assert not any(model.index(r).data(ChatRole.HIGHLIGHTED) for r in rows.values() if r is not None)
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.set_highlight("m:m1")
    assert changed.args[2] == [int(ChatRole.HIGHLIGHTED)]
    assert model.index(rows["m:m1"] or 0).data(ChatRole.HIGHLIGHTED) is True
    model.set_highlight("m:m2")
    assert model.index(rows["m:m1"] or 0).data(ChatRole.HIGHLIGHTED) is False
    assert model.index(rows["m:m2"] or 0).data(ChatRole.HIGHLIGHTED) is True
    model.set_highlight(None)
    assert not any(model.index(r).data(ChatRole.HIGHLIGHTED) for r in range(model.rowCount()))
    qtmodeltester.check(model)
