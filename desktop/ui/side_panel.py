"""The conversation's side panel: 客户 / 订单 / 快捷短语 tabs, nothing else (the pane wires the signals)."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtWidgets import QTabWidget, QWidget

from desktop.ui.customer_panel import CustomerPanel
from desktop.ui.orders_panel import OrdersPanel
from desktop.ui.quick_reply_panel import QuickReplyPanel


class SidePanel(QTabWidget):
    def __init__(self, parent: QWidget | None = None, *, tz: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        # made without a parent: addTab gives them their only one (re-parenting a built panel re-polishes it)
        self.customer_panel = CustomerPanel(tz=tz)
        self.orders_panel = OrdersPanel(tz=tz)
        self.quick_reply_panel = QuickReplyPanel()
        self.addTab(self.customer_panel, self.tr("客户"))
        self.addTab(self.orders_panel, self.tr("订单"))
        self.addTab(self.quick_reply_panel, self.tr("快捷短语"))
