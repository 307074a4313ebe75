"""OrdersPanel: newest first, Chinese statuses, selection, send card / copy number, no widget per order."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import get_args

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QStyleOptionViewItem, QWidget

from desktop.protocol.objects import Order, OrderItem, OrderStatus
from desktop.ui.order_delegate import MAX_ITEMS, OrderDelegate
from desktop.ui.order_list_model import OrderListModel, OrderRole, order_status_text
from desktop.ui.orders_panel import COPIED_FEEDBACK_MS, OrdersPanel
from tests.ui.recording_painter import RecordingPainter

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")]

CHINA = timezone(timedelta(hours=8))
HOSTILE = '<b>粗体</b><img src="http://127.0.0.1:1/x.png"><a href="x">link</a>'
DAY = 86_400_000
T0 = 1_764_000_000_000


def order(
    oid: str, age_days: int = 0, *, status: OrderStatus = "paid", titles=("纯棉短袖T恤",), tracking=None
):
    items = [
        OrderItem(product_id=f"p-{n}", title=t, qty=n + 1, price_cents=5900) for n, t in enumerate(titles)
    ]
    return Order(
        id=oid,
        status=status,
        items=items,
        total_cents=27500,
        created_at=T0 - age_days * DAY,
        tracking_no=tracking,
    )


@pytest.fixture
def panel(qtbot):
    panel = OrdersPanel(tz=CHINA)
    qtbot.addWidget(panel)
    panel.resize(340, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def click_row(qtbot, panel: OrdersPanel, row: int) -> None:
    rect = panel.view.visualRect(panel.model.index(row))
    qtbot.mouseClick(panel.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_model_passes_the_model_tester(qtmodeltester):
    model = OrderListModel()
    model.set_orders([order("o-1", 2), order("o-2", 1), order("o-3", 3)])
    qtmodeltester.check(model)
    model.set_orders([])
    qtmodeltester.check(model)


def test_every_status_has_its_own_chinese_name():
    names = {status: order_status_text(status) for status in get_args(OrderStatus)}
    assert names == {
        "unpaid": "待付款",
        "paid": "已付款",
        "shipped": "已发货",
        "delivered": "已签收",
        "refunding": "退款中",
        "refunded": "已退款",
        "closed": "已关闭",
    }


def test_orders_are_shown_newest_first(panel):
    panel.set_orders([order("o-old", 30), order("o-new", 1), order("o-mid", 10)])
    assert [panel.model.order(row).id for row in range(panel.model.rowCount())] == ["o-new", "o-mid", "o-old"]
    assert panel.model.index(0).data(OrderRole.STATUS_TEXT) == "已付款"
    assert panel.stack.currentIndex() == 0


def test_delegate_draws_number_status_items_total_and_tracking(panel):
    long_order = order(
        "3935894634032247339",
        status="shipped",
        titles=(HOSTILE, "陶瓷马克杯", "香薰蜡烛", "纯棉毛巾"),
        tracking="SF2792260381956",
    )
    panel.set_orders([long_order])
    image = QImage(340, 400, QImage.Format.Format_ARGB32)
    painter = RecordingPainter(image)
    option = QStyleOptionViewItem()
    option.initFrom(panel.view)
    option.rect = QRect(0, 0, 600, 300)
    delegate = panel.view.itemDelegate()
    assert isinstance(delegate, OrderDelegate)
    delegate.paint(painter, option, panel.model.index(0))
    painter.end()
    assert "订单号 3935894634032247339" in painter.texts
    assert "已发货" in painter.texts
    assert HOSTILE in painter.texts  # drawn as plain text, every character
    assert "×1" in painter.texts and "×3" in painter.texts
    assert "纯棉毛巾" not in painter.texts  # beyond MAX_ITEMS ...
    assert f"等 {MAX_ITEMS + 1} 件商品" in painter.texts  # ... summed up
    assert "¥275.00" in painter.texts
    assert "运单号 SF2792260381956" in painter.texts
    assert "2025-11-25 00:00" in painter.texts


def test_clicking_an_order_selects_it(panel, qtbot):
    orders = [order("o-1", 1), order("o-2", 2)]
    panel.set_orders(orders)
    assert not panel.send_button.isEnabled() and not panel.copy_button.isEnabled()
    with qtbot.waitSignal(panel.order_selected) as blocker:
        click_row(qtbot, panel, 1)
    assert blocker.args == [orders[1]]
    assert panel.selected_order() == orders[1]
    assert panel.send_button.isEnabled() and panel.copy_button.isEnabled()


def test_send_order_card_sends_the_selected_order(panel, qtbot):
    orders = [order("o-1", 1), order("o-2", 2)]
    panel.set_orders(orders)
    click_row(qtbot, panel, 0)
    with qtbot.waitSignal(panel.send_order_card) as blocker:
        qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [orders[0]]


def test_copy_puts_the_number_on_the_clipboard_with_feedback(panel, qtbot):
    panel.set_orders([order("3147821727370269285", 1)])
    QGuiApplication.clipboard().setText("something else")
    click_row(qtbot, panel, 0)
    qtbot.mouseClick(panel.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "3147821727370269285"
    assert panel.copy_button.text() == "已复制"
    qtbot.waitUntil(lambda: panel.copy_button.text() == "复制单号", timeout=COPIED_FEEDBACK_MS + 1000)


def test_selection_survives_a_refresh_without_a_new_signal(panel, qtbot):
    panel.set_orders([order("o-1", 1), order("o-2", 2)])
    click_row(qtbot, panel, 1)
    with qtbot.assertNotEmitted(panel.order_selected):
        panel.set_orders([order("o-0", 0), order("o-1", 1), order("o-2", 2, status="shipped")])
    assert panel.selected_order().id == "o-2"
    assert panel.selected_order().status == "shipped"
    panel.set_orders([order("o-9", 0)])
    assert panel.selected_order() is None
    assert not panel.send_button.isEnabled()


def test_many_orders_create_no_widgets(panel):
    panel.set_orders([order("o-1", 1)])
    widgets = len(panel.findChildren(QWidget))
    panel.set_orders([order(f"o-{n}", n % 400) for n in range(500)])
    assert panel.model.rowCount() == 500
    assert len(panel.findChildren(QWidget)) == widgets


def test_empty_loading_error_and_retry(panel, qtbot):
    panel.set_orders([])
    assert panel.stack.currentWidget() is panel.state_page
    assert panel.state_page.message.text() == "暂无订单"
    panel.set_loading(True)
    assert panel.state_page.message.text() == "正在加载订单…"
    panel.set_error("网络断开")
    assert panel.state_page.message.text() == "加载订单失败：网络断开"
    with qtbot.waitSignal(panel.retry_requested):
        qtbot.mouseClick(panel.state_page.retry_button, Qt.MouseButton.LeftButton)
    panel.set_orders([order("o-1")])
    assert panel.stack.currentIndex() == 0
    panel.set_loading(True)
    panel.set_loading(False)
    assert panel.stack.currentIndex() == 0
