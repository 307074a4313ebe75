"""SidePanel: the three tabs, and the render script a person looks at (demo data, plain text everywhere)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

from desktop.ui.customer_panel import CustomerPanel
from desktop.ui.orders_panel import OrdersPanel
from desktop.ui.quick_reply_panel import QuickReplyPanel
from desktop.ui.side_panel import SidePanel
from tests.ui import render_side_panel

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")]


def test_three_tabs(qtbot):
    panel = SidePanel()
    qtbot.addWidget(panel)
    assert [panel.tabText(i) for i in range(panel.count())] == ["客户", "订单", "快捷短语"]
    assert isinstance(panel.customer_panel, CustomerPanel) and panel.widget(0) is panel.customer_panel
    assert isinstance(panel.orders_panel, OrdersPanel) and panel.widget(1) is panel.orders_panel
    assert isinstance(panel.quick_reply_panel, QuickReplyPanel) and panel.widget(2) is panel.quick_reply_panel


def test_orders_and_quick_replies_are_built_when_first_shown(qtbot):
    panel = SidePanel()
    qtbot.addWidget(panel)
    built: list[str] = []
    panel.panel_built.connect(lambda name, widget: built.append(name))
    assert not panel.built("orders") and not panel.built("quick_replies")
    panel.setCurrentIndex(2)
    assert built == ["quick_replies"] and panel.currentIndex() == 2
    assert panel.widget(2) is panel.quick_reply_panel
    panel.setCurrentIndex(1)
    panel.setCurrentIndex(2)
    panel.setCurrentIndex(1)
    assert built == ["quick_replies", "orders"]  # once each
    assert panel.currentIndex() == 1 and panel.widget(1) is panel.orders_panel


def test_demo_panel_shows_demo_data_as_plain_text(qtbot):
    panel = render_side_panel.build_panel()
    qtbot.addWidget(panel)
    customer, orders = render_side_panel.sample_customer()
    assert panel.customer_panel.nickname_label.text() == customer.nickname
    assert panel.orders_panel.model.rowCount() == len(orders) > 0
    assert panel.quick_reply_panel.team_tree.topLevelItemCount() > 3
    for label in panel.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()


def test_render_script_writes_three_images(qtbot, tmp_path):
    assert render_side_panel.main(["render", str(tmp_path)]) == 0
    for name in ("side_customer.png", "side_orders.png", "side_quick.png"):
        image = QImage(str(tmp_path / name))
        assert (image.width(), image.height()) == render_side_panel.SIZE
