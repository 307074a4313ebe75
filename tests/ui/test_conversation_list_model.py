"""ConversationListModel: Qt model contract, urgency order, filter, batched updates, the wait timer tick."""

from __future__ import annotations

import random
from typing import Any

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from desktop.core.conversations import ConversationBook
from desktop.core.wait_timer import WaitLevel
from desktop.protocol.objects import Conversation, Message, MessageKind, Party
from desktop.ui.conversation_list_model import ConversationListModel, ConversationRole, preview_text
from desktop.ui.plain_text import one_line
from tests.core.builders import conversation

NOW = 1_000_000


class Signals:
    """Records the model's structural and data signals, in order."""

    def __init__(self, model: ConversationListModel) -> None:
        self.log: list[tuple[Any, ...]] = []
        model.rowsInserted.connect(lambda _p, first, last: self.log.append(("insert", first, last)))
        model.rowsRemoved.connect(lambda _p, first, last: self.log.append(("remove", first, last)))
        model.rowsMoved.connect(lambda *a: self.log.append(("move",)))
        model.layoutChanged.connect(lambda *a: self.log.append(("layout",)))
        model.modelReset.connect(lambda: self.log.append(("reset",)))
        model.dataChanged.connect(
            lambda tl, br, roles: self.log.append(("data", tl.row(), br.row(), tuple(roles)))
        )

    def kinds(self) -> list[str]:
        return [entry[0] for entry in self.log]


def make_book(*convs: Conversation) -> ConversationBook:
    book = ConversationBook()
    book.load(convs)
    return book


def ids(model: ConversationListModel) -> list[str]:
    return [model.index(row).data(ConversationRole.ID) for row in range(model.rowCount())]


def sample_book() -> ConversationBook:
    return make_book(
        conversation("calm", last_at=NOW - 50_000, nickname="安静的人"),
        conversation("unread", unread=2, last_at=NOW - 90_000, nickname="小鹿乱撞"),
        conversation("wait-5s", waiting_since=NOW - 5_000, unread=1, last_at=NOW - 5_000, nickname="甲"),
        conversation("wait-3m", waiting_since=NOW - 180_000, unread=4, last_at=NOW - 1_000, nickname="乙"),
        conversation("queued", status="waiting", waiting_since=NOW - 20_000, nickname="排队的"),
        conversation("done", status="closed", last_at=NOW - 999_000, nickname="走了"),
    )


def test_contract_and_urgency_order(qtmodeltester) -> None:
    model = ConversationListModel(sample_book(), "active", NOW)
    qtmodeltester.check(model)
    # waiting buyers first (longest wait first), then unread ones, then quiet ones (newest activity first)
    assert ids(model) == ["wait-3m", "wait-5s", "unread", "calm"]


def test_roles(qtmodeltester) -> None:
    book = sample_book()
    model = ConversationListModel(book, "active", NOW)
    model.set_levels({"u-1": "VIP3"})
    qtmodeltester.check(model)
    index = model.index(0)
    assert index.data(ConversationRole.NICKNAME) == "乙" == index.data(Qt.ItemDataRole.DisplayRole)
    assert index.data(ConversationRole.AVATAR_INITIAL) == "乙"
    assert index.data(ConversationRole.LEVEL) == "VIP3"
    assert index.data(ConversationRole.PREVIEW) == "在吗"
    assert index.data(ConversationRole.UNREAD) == 4
    assert index.data(ConversationRole.WAIT_MS) == 180_000
    assert index.data(ConversationRole.WAIT_LEVEL) is WaitLevel.RED
    assert index.data(ConversationRole.WAIT_TEXT) == "3分00秒"
    assert index.data(ConversationRole.ASSIGNEE) == "a-1"
    calm = model.index(model.row_of("calm") or 0)
    assert calm.data(ConversationRole.WAIT_MS) is None
    assert calm.data(ConversationRole.WAIT_LEVEL) is WaitLevel.NONE
    assert calm.data(ConversationRole.WAIT_TEXT) == ""
    assert model.index(0).data(Qt.ItemDataRole.DecorationRole) is None
    assert b"wait_text" in model.roleNames().values()


@pytest.mark.parametrize(
    ("status", "expected"), [("waiting", ["queued"]), ("closed", ["done"]), ("active", ["wait-3m"])]
)
def test_tabs(qtmodeltester, status, expected) -> None:
    model = ConversationListModel(sample_book(), "active", NOW)
    qtmodeltester.check(model)
    model.set_status(status)
    qtmodeltester.check(model)
    assert ids(model)[: len(expected)] == expected
    assert model.status == status


def test_filter_by_text_and_pinyin_initials(qtmodeltester) -> None:
    model = ConversationListModel(sample_book(), "active", NOW)
    qtmodeltester.check(model)
    model.set_filter("xl")  # 小鹿乱撞 by pinyin initials
    qtmodeltester.check(model)
    assert ids(model) == ["unread"]
    model.set_filter("luanz")  # full syllables from the middle
    assert ids(model) == ["unread"]
    model.set_filter("安静")
    assert ids(model) == ["calm"]
    model.set_filter("nobody-matches-this")
    assert model.rowCount() == 0
    model.set_filter("")
    qtmodeltester.check(model)
    assert ids(model) == ["wait-3m", "wait-5s", "unread", "calm"]


def test_batch_of_adds_is_one_insert_per_contiguous_run(qtmodeltester) -> None:
    book = sample_book()
    model = ConversationListModel(book, "active", NOW)
    qtmodeltester.check(model)
    signals = Signals(model)
    with book.batch():
        book.upsert(conversation("new-a", waiting_since=NOW - 300_000, nickname="新A"))
        book.upsert(conversation("new-b", waiting_since=NOW - 200_000, nickname="新B"))
        book.upsert(conversation("new-q", status="waiting", nickname="不在本页"))
    assert signals.log == [("insert", 0, 1)]
    assert ids(model) == ["new-a", "new-b", "wait-3m", "wait-5s", "unread", "calm"]
    qtmodeltester.check(model)


def test_batch_of_removes_and_updates(qtmodeltester) -> None:
    book = sample_book()
    model = ConversationListModel(book, "active", NOW)
    qtmodeltester.check(model)
    signals = Signals(model)
    calm = book.get("calm")
    assert calm is not None
    with book.batch():
        book.remove("wait-5s")
        book.upsert(calm.__class__(**{**_fields(calm), "customer_nickname": "改名了"}))
        book.upsert(conversation("wait-3m", status="closed", nickname="乙"))  # closed: leaves this tab
    assert signals.log == [("remove", 0, 1), ("data", 1, 1, ())]  # rows 0-1 leave in one call
    assert ids(model) == ["unread", "calm"]
    assert model.index(1).data(ConversationRole.NICKNAME) == "改名了"
    qtmodeltester.check(model)


def test_reorder_moves_persistent_indexes(qtmodeltester) -> None:
    book = sample_book()
    model = ConversationListModel(book, "active", NOW)
    qtmodeltester.check(model)
    calm_index = QPersistentModelIndex(model.index(model.row_of("calm") or 0))
    signals = Signals(model)
    # a buyer writes in "calm": it has waited since long ago (longer than wait-3m) and jumps to the top
    book.upsert(conversation("calm", waiting_since=NOW - 400_000, unread=1, last_at=NOW, nickname="安静的人"))
    assert ids(model) == ["calm", "wait-3m", "wait-5s", "unread"]
    assert "layout" in signals.kinds()
    assert calm_index.row() == 0
    assert calm_index.data(ConversationRole.ID) == "calm"
    qtmodeltester.check(model)


def test_unchanged_upsert_emits_nothing(qtmodeltester) -> None:
    book = sample_book()
    model = ConversationListModel(book, "active", NOW)
    signals = Signals(model)
    same = book.get("calm")
    assert same is not None
    book.upsert(same)
    model.apply([])
    assert signals.log == []


def test_tick_refreshes_only_rows_whose_shown_wait_changed(qtmodeltester) -> None:
    book = make_book(
        conversation("quiet", last_at=NOW - 10_000),
        conversation("hours", waiting_since=NOW - 2 * 3_600_000 - 10_000),  # "2小时": same for a minute
        conversation("secs", waiting_since=NOW - 5_000),
    )
    model = ConversationListModel(book, "active", NOW)
    qtmodeltester.check(model)
    assert ids(model) == ["hours", "secs", "quiet"]
    signals = Signals(model)
    model.tick(NOW + 1_000)
    assert signals.log == [("data", 1, 1, tuple(int(r) for r in _wait_roles()))]
    assert model.index(1).data(ConversationRole.WAIT_TEXT) == "6秒"
    model.tick(NOW + 1_000)  # same second again: nothing to repaint
    assert signals.log == [("data", 1, 1, tuple(int(r) for r in _wait_roles()))]
    model.tick(NOW + 25_000)  # secs turns amber at 30 s: text and level change together
    assert model.index(1).data(ConversationRole.WAIT_LEVEL) is WaitLevel.AMBER
    assert model.now_ms == NOW + 25_000
    qtmodeltester.check(model)


def test_random_batches_keep_model_equal_to_book(qtmodeltester) -> None:
    rng = random.Random(7)
    book = ConversationBook()
    model = ConversationListModel(book, "active", NOW)
    qtmodeltester.check(model)
    now = NOW
    for _ in range(60):
        with book.batch():
            for _ in range(rng.randint(1, 6)):
                conv_id = f"c{rng.randint(0, 14)}"
                if rng.random() < 0.25:
                    book.remove(conv_id)
                    continue
                waiting = rng.random() < 0.5
                book.upsert(
                    conversation(
                        conv_id,
                        status=rng.choice(["active", "active", "waiting", "closed"]),
                        waiting_since=now - rng.randint(0, 300_000) if waiting else None,
                        unread=rng.randint(0, 3),
                        last_at=now - rng.randint(0, 300_000),
                        nickname=rng.choice(["小鹿乱撞", "张三", "<b>x</b>", None]),
                    )
                )
        if rng.random() < 0.3:
            model.set_filter(rng.choice(["", "zs", "小", "x"]))
        now += rng.randint(0, 5_000)
        model.tick(now)
        assert ids(model) == [conv.id for conv in book.ordered(now, "active", model._filter)]
    qtmodeltester.check(model)


def test_close_stops_listening() -> None:
    book = sample_book()
    model = ConversationListModel(book, "active", NOW)
    model.close()
    book.upsert(conversation("late", waiting_since=NOW))
    assert "late" not in ids(model)


def test_preview_text_for_each_kind() -> None:
    def conv_with(kind: MessageKind, body: dict[str, Any]) -> Conversation:
        message = Message(
            id="m",
            conversation_id="c",
            sender=Party(role="customer", id="u"),
            kind=kind,
            body=body,
            created_at=1,
        )
        return Conversation(id="c", customer_id="u", status="active", created_at=0, last_message=message)

    image = {"mime": "image/png", "data_b64": "AAAA", "width": 1, "height": 1}
    assert preview_text(conv_with("image", image)) == "[图片]"
    product = {"product_id": "p", "title": "T恤", "price_cents": 1}
    assert preview_text(conv_with("product", product)) == "[商品] T恤"
    assert preview_text(conv_with("order", {"order_id": "o-1"})) == "[订单]"
    assert preview_text(conv_with("text", {"text": "第一行\n第二行\t 尾"})) == "第一行 第二行 尾"
    assert preview_text(conversation("x")) == ""


def test_one_line_strips_controls_and_bidi_overrides() -> None:
    assert one_line("a\u202eevil\u2066b\x00c\nd") == "a evilb c d"


def _fields(conv: Conversation) -> dict[str, Any]:
    return {name: getattr(conv, name) for name in conv.__struct_fields__}


def _wait_roles() -> list[ConversationRole]:
    return [ConversationRole.WAIT_MS, ConversationRole.WAIT_LEVEL, ConversationRole.WAIT_TEXT]
