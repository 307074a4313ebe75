"""ChatView: older messages at the top (one request at a time, the place kept, the end noticed), sticking
to the bottom, the new-messages pill, retry of a failed message, the image window, cards, copy."""

from __future__ import annotations

import asyncio

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QGuiApplication

from desktop.protocol.objects import Message, OrderBody, ProductBody
from desktop.ui.chat_model import ChatModel, ChatRole
from desktop.ui.chat_view import ChatView
from desktop.ui.image_viewer import ImageViewer
from tests.integration.client_harness import wait_for
from tests.ui.render_chat import CST, MINUTE, NOW, at, msg, png_b64, sample_messages

# The offscreen platform warns when a window with a layout is shown or raised; a real platform does not.
pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support propagateSizeHints", r"This plugin does not support raise"
)

START = at(0, 9, 0)


def texts(first: int, count: int, *, role: str = "customer") -> list[Message]:
    """``count`` text messages one minute apart (no separators between them), ids t-<n>."""
    return [
        msg(f"t-{n:04d}", START + n * MINUTE, role, "text", {"text": f"第 {n} 条消息"})  # type: ignore[arg-type]
        for n in range(first, first + count)
    ]


class Older:
    """load_older over pages of history, held at a gate so a test sees it in flight."""

    def __init__(self, model: ChatModel, pages: list[list[Message]]) -> None:
        self.model = model
        self.pages = pages
        self.calls = 0
        self.gate = asyncio.Event()

    async def __call__(self) -> tuple[int, bool]:
        self.calls += 1
        await self.gate.wait()
        page = self.pages.pop(0)
        return self.model.prepend_older(page), bool(self.pages)


async def shown(qtbot, model: ChatModel, load_older=None, size: QSize | None = None) -> ChatView:
    view = ChatView(model, load_older=load_older)
    qtbot.addWidget(view)
    view.resize(size or QSize(420, 400))
    view.show()
    await asyncio.sleep(0.05)  # the first layout, and the scroll to the bottom after showing
    return view


def top_message(view: ChatView) -> tuple[str, int]:
    """The key of the first message whose top is on screen, and its y there (what the agent reads)."""
    row = view.top_visible_index().row()
    while True:
        index = view.model.index(row, 0)
        if not index.data(ChatRole.IS_SEPARATOR) and view.list.visualRect(index).top() >= 0:
            return index.data(ChatRole.KEY), view.list.visualRect(index).top()
        row += 1


def model_with(messages: list[Message]) -> ChatModel:
    model = ChatModel(NOW, tz=CST)
    model.set_messages(messages)
    return model


def center_of(view: ChatView, key: str) -> QPoint:
    row = view.model.row_of(key)
    assert row is not None
    index = view.model.index(row, 0)
    view.list.scrollTo(index)
    rect = view.list.visualRect(index)
    layout = view.delegate.layout(view.list.font(), index, rect.width())
    return layout.content.center() + rect.topLeft()


# ------------------------------------------------------------------------------------ older messages


async def test_older_messages_load_at_the_top_once_at_a_time_and_keep_the_place(qtbot) -> None:
    model = model_with(texts(100, 40))
    older = Older(model, [texts(60, 40), texts(20, 40)])
    view = await shown(qtbot, model, older)
    assert view.is_at_bottom() and older.calls == 0  # opened at the bottom: nothing asked yet
    bar = view.list.verticalScrollBar()

    bar.setValue(30)  # near the top
    assert view.loading_older
    await asyncio.sleep(0.01)
    assert older.calls == 1
    assert view.history_label.isVisible() and view.history_label.text() == "正在加载更早的消息…"
    bar.setValue(0)
    bar.setValue(20)
    await asyncio.sleep(0.02)
    assert older.calls == 1  # not again while the first request runs

    before = top_message(view)
    older.gate.set()
    await wait_for(lambda: not view.loading_older)
    assert model.rowCount() > 80
    assert top_message(view) == before  # the message being read stays at the same place on screen
    assert bar.value() > 0
    assert not view.history_label.isVisible()


async def test_no_more_older_messages_stops_asking(qtbot) -> None:
    model = model_with(texts(100, 40))
    older = Older(model, [texts(60, 40)])
    older.gate.set()
    view = await shown(qtbot, model, older)
    bar = view.list.verticalScrollBar()
    bar.setValue(0)
    await wait_for(lambda: older.calls == 1 and not view.loading_older)
    assert view.history_exhausted
    bar.setValue(0)
    await asyncio.sleep(0.05)
    assert older.calls == 1
    assert view.history_label.isVisible() and view.history_label.text() == "没有更早的消息了"
    view.scroll_to_bottom()
    assert not view.history_label.isVisible()


@pytest.mark.expected_log()  # never: a failure is a warning, the next scroll tries again
async def test_a_failed_load_is_tried_again_on_the_next_scroll(qtbot) -> None:
    model = model_with(texts(100, 40))
    calls: list[int] = []

    async def load_older() -> tuple[int, bool]:
        calls.append(1)
        if len(calls) == 1:
            raise TimeoutError("offline")
        return model.prepend_older(texts(60, 10)), False

    view = await shown(qtbot, model, load_older)
    bar = view.list.verticalScrollBar()
    bar.setValue(0)
    await wait_for(
        lambda: not view.loading_older and view.history_label.text().startswith("加载更早的消息失败")
    )
    bar.setValue(100)
    bar.setValue(0)
    await wait_for(lambda: len(calls) == 2 and view.history_exhausted)


async def test_a_short_chat_asks_for_older_messages_by_itself(qtbot) -> None:
    model = model_with(texts(100, 2))
    older = Older(model, [texts(20, 60)])
    older.gate.set()
    await shown(qtbot, model, older)
    await wait_for(lambda: older.calls == 1)


async def test_a_new_conversation_starts_at_the_bottom_and_may_load_history_again(qtbot) -> None:
    model = model_with(texts(100, 40))
    older = Older(model, [texts(60, 40)])
    older.gate.set()
    view = await shown(qtbot, model, older)
    view.list.verticalScrollBar().setValue(0)
    await wait_for(lambda: view.history_exhausted)
    model.set_messages(texts(500, 40))
    assert not view.history_exhausted
    assert view.is_at_bottom()


# ------------------------------------------------------------------------------------ the bottom


async def test_sticks_to_the_bottom_when_messages_arrive(qtbot) -> None:
    model = model_with(texts(100, 30))
    view = await shown(qtbot, model)
    bar = view.list.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == bar.maximum()
    for n in range(130, 135):
        model.append(texts(n, 1))
        assert bar.value() == bar.maximum()
    model.add_pending("cm-1", "一条很长的回复" * 20, START + 200 * MINUTE)
    assert bar.value() == bar.maximum()
    model.mark_failed("cm-1", "network")  # the row grows by a line: still at the bottom
    await asyncio.sleep(0.05)
    assert bar.value() == bar.maximum()
    assert not view.pill.isVisible()


async def test_scrolled_up_new_messages_show_a_pill_instead_of_jumping(qtbot) -> None:
    model = model_with(texts(100, 30))
    view = await shown(qtbot, model)
    bar = view.list.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    reading = top_message(view)
    model.append(texts(130, 2))
    model.append([msg("late", START + 400 * MINUTE, "customer", "text", {"text": "隔了很久"})])  # + separator
    assert top_message(view) == reading  # no jump
    assert view.new_message_count == 3
    assert view.pill.isVisible() and view.pill.text() == "↓ 3 条新消息"
    pill = view.pill.geometry()
    assert view.list.geometry().contains(pill)  # floating over the bottom of the list
    assert pill.bottom() > view.height() - 60

    qtbot.mouseClick(view.pill, Qt.MouseButton.LeftButton)
    assert bar.value() == bar.maximum()
    assert not view.pill.isVisible() and view.new_message_count == 0
    model.append(texts(140, 1))  # following the bottom again
    assert bar.value() == bar.maximum() and not view.pill.isVisible()


async def test_scrolling_down_by_hand_clears_the_pill(qtbot) -> None:
    model = model_with(texts(100, 30))
    view = await shown(qtbot, model)
    bar = view.list.verticalScrollBar()
    bar.setValue(0)
    model.append(texts(130, 1))
    assert view.pill.isVisible() and view.pill.text() == "↓ 1 条新消息"
    bar.setValue(bar.maximum())
    assert not view.pill.isVisible() and view.new_message_count == 0
    view.scroll_to_bottom()
    assert view.is_at_bottom()


# ------------------------------------------------------------------------------------ clicks


async def test_clicking_a_failed_message_asks_to_retry_it(qtbot) -> None:
    model = model_with(texts(100, 3))
    model.add_pending("cm-1", "发不出去的消息", START + 110 * MINUTE)
    model.add_pending("cm-2", "还在发送", START + 111 * MINUTE)
    model.mark_failed("cm-1", "network")
    view = await shown(qtbot, model)
    retried: list[str] = []
    view.retry_requested.connect(retried.append)
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=center_of(view, "c:cm-2"))
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=center_of(view, "m:t-0100"))
    assert retried == []
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=center_of(view, "c:cm-1"))
    assert retried == ["cm-1"]
    row = model.row_of("c:cm-1")
    assert row is not None
    menu = view.context_menu(model.index(row, 0))
    assert menu is not None
    actions = {a.text(): a for a in menu.actions()}
    assert set(actions) == {"复制", "重新发送"}
    actions["重新发送"].trigger()
    assert retried == ["cm-1", "cm-1"]


async def test_an_image_opens_full_size_in_its_own_window(qtbot) -> None:
    model = model_with(sample_messages())  # m-4 is a 320 x 200 picture
    view = await shown(qtbot, model, size=QSize(420, 700))
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=center_of(view, "m:m-4"))
    viewers = view.findChildren(ImageViewer)
    assert len(viewers) == 1
    viewer = viewers[0]
    assert viewer.isVisible() and viewer.isWindow()
    assert viewer.image_size == QSize(320, 200)
    assert viewer.pixmap_size() == QSize(320, 200)
    # double-click: the same window again, not a second one
    qtbot.mouseDClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=center_of(view, "m:m-4"))
    assert view.findChildren(ImageViewer) == [viewer]
    viewer.close()
    await wait_for(lambda: not view.findChildren(ImageViewer))


async def test_a_big_image_is_scaled_down_to_fit_the_screen(qtbot) -> None:
    big = msg(
        "big",
        START,
        "customer",
        "image",
        {"mime": "image/png", "data_b64": png_b64(4000, 2500), "width": 4000, "height": 2500},
    )
    model = model_with([big])
    view = await shown(qtbot, model)
    row = model.row_of("m:big")
    assert row is not None
    viewer = view.open_image(model.index(row, 0))
    assert viewer is not None
    screen = viewer.screen().availableGeometry().size()
    shown_size = viewer.pixmap_size()
    assert viewer.image_size == QSize(4000, 2500)
    assert shown_size.width() <= screen.width() and shown_size.height() <= screen.height()
    assert abs(shown_size.width() / shown_size.height() - 1.6) < 0.01
    viewer.close()


async def test_a_broken_image_opens_a_window_that_says_so(qtbot) -> None:
    broken = msg(
        "bad",
        START,
        "customer",
        "image",
        {"mime": "image/png", "data_b64": "AAAAAAAA", "width": 10, "height": 10},
    )
    model = model_with([broken])
    view = await shown(qtbot, model)
    row = model.row_of("m:bad")
    assert row is not None
    viewer = view.open_image(model.index(row, 0))
    assert viewer is not None and viewer.pixmap_size() == QSize()
    assert viewer.label.text() == "图片无法显示"
    viewer.close()


async def test_clicking_a_card_hands_over_its_body(qtbot) -> None:
    model = model_with(sample_messages())  # m-7 a product, m-8 an order
    view = await shown(qtbot, model, size=QSize(420, 700))
    cards: list[object] = []
    view.card_activated.connect(cards.append)
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=center_of(view, "m:m-7"))
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=center_of(view, "m:m-8"))
    qtbot.mouseClick(view.list.viewport(), Qt.MouseButton.LeftButton, pos=center_of(view, "m:m-3"))
    assert len(cards) == 2
    product, order = cards
    assert isinstance(product, ProductBody) and product.product_id == "p-1"
    assert isinstance(order, OrderBody) and order.order_id == "20241124-8812345"


async def test_copy_puts_the_plain_text_on_the_clipboard(qtbot) -> None:
    model = model_with(sample_messages())  # m-5 is a buyer's text that looks like HTML
    view = await shown(qtbot, model)
    row = model.row_of("m:m-5")
    assert row is not None
    menu = view.context_menu(model.index(row, 0))
    assert menu is not None
    assert [a.text() for a in menu.actions()] == ["复制"]
    menu.actions()[0].trigger()
    assert QGuiApplication.clipboard().text() == "<b>HTML</b> & <a href='x'>不是链接</a>"

    order_row = model.row_of("m:m-8")
    assert order_row is not None
    order_menu = view.context_menu(model.index(order_row, 0))
    assert order_menu is not None
    order_menu.actions()[0].trigger()
    assert QGuiApplication.clipboard().text() == "20241124-8812345"
    assert view.context_menu(model.index(0, 0)) is None  # a separator has no menu


@pytest.mark.parametrize("value", [0, 30])
@pytest.mark.parametrize("gap_minutes", [0, 24 * 60])  # the first separator goes, or stays
async def test_the_place_is_kept_whatever_the_page_looks_like(qtbot, value: int, gap_minutes: int) -> None:
    model = model_with(texts(100, 40))
    page = [
        msg(f"o-{n}", START + (n - 100) * MINUTE - gap_minutes * MINUTE, "agent", "text", {"text": f"旧 {n}"})
        for n in range(60, 100)
    ]
    older = Older(model, [page])
    view = await shown(qtbot, model, older)
    view.list.verticalScrollBar().setValue(value)
    await wait_for(lambda: older.calls == 1)
    before = top_message(view)
    older.gate.set()
    await wait_for(lambda: not view.loading_older)
    assert model.row_of("m:o-60") == 1
    assert top_message(view) == before
