"""The conversation's side panel: 客户 / 订单 / 快捷短语 tabs, nothing else (the pane wires the signals).

The 客户 tab is built at once; 订单 and 快捷短语 are built the first time they are shown (or asked for through
:attr:`SidePanel.orders_panel` / :attr:`SidePanel.quick_reply_panel`), and :attr:`SidePanel.panel_built`
says so: most chats never open them, and a pane is made each time the agent opens a new chat.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from desktop.ui.customer_panel import CustomerPanel
from desktop.ui.orders_panel import OrdersPanel
from desktop.ui.quick_reply_panel import QuickReplyPanel

ORDERS_TAB = 1
QUICK_REPLIES_TAB = 2


class SidePanel(QTabWidget):
    panel_built = Signal(str, object)  # "orders" | "quick_replies", the panel just built

    def __init__(self, parent: QWidget | None = None, *, tz: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.setDocumentMode(True)
        self._tz = tz
        self._orders: OrdersPanel | None = None
        self._quick: QuickReplyPanel | None = None
        # made without a parent: addTab gives them their only one (re-parenting a built panel re-polishes it)
        self.customer_panel = CustomerPanel(tz=tz)
        self.addTab(self.customer_panel, self.tr("客户"))
        self.addTab(QWidget(), self.tr("订单"))
        self.addTab(QWidget(), self.tr("快捷短语"))
        self.currentChanged.connect(self._shown)

    def built(self, name: str) -> bool:
        return (self._orders if name == "orders" else self._quick) is not None

    @property
    def orders_panel(self) -> OrdersPanel:
        if self._orders is None:
            self._orders = OrdersPanel(tz=self._tz)
            self._put(ORDERS_TAB, self._orders, self.tr("订单"))
            self.panel_built.emit("orders", self._orders)
        return self._orders

    @property
    def quick_reply_panel(self) -> QuickReplyPanel:
        if self._quick is None:
            self._quick = QuickReplyPanel()
            self._put(QUICK_REPLIES_TAB, self._quick, self.tr("快捷短语"))
            self.panel_built.emit("quick_replies", self._quick)
        return self._quick

    def _shown(self, index: int) -> None:
        if index == ORDERS_TAB:
            _ = self.orders_panel
        elif index == QUICK_REPLIES_TAB:
            _ = self.quick_reply_panel

    def _put(self, index: int, panel: QWidget, title: str) -> None:
        """Swap the tab's placeholder for the built panel, staying on the same tab."""
        current = self.currentIndex()
        blocked = self.blockSignals(True)
        placeholder = self.widget(index)
        self.removeTab(index)
        self.insertTab(index, panel, title)
        self.setCurrentIndex(current)
        self.blockSignals(blocked)
        placeholder.deleteLater()
