"""The 订单 tab: the buyer's orders (newest first) in one list view, with actions on the selected order.

One :class:`QListView` row per order, painted by :class:`OrderDelegate`: a buyer with hundreds of orders
costs no widgets. Clicking (or moving to) an order emits ``order_selected(Order)``; the two buttons below act
on that order: 发送订单卡片 emits ``send_order_card(Order)``, 复制单号 puts the number on the clipboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo
from typing import Final

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QListView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.protocol.objects import Order
from desktop.ui.load_state import LoadStatePage
from desktop.ui.order_delegate import OrderDelegate
from desktop.ui.order_list_model import OrderListModel
from desktop.ui.plain_text import one_line

COPIED_FEEDBACK_MS: Final = 1500


class OrdersPanel(QWidget):
    order_selected = Signal(object)
    send_order_card = Signal(object)
    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, tz: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.model = OrderListModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(OrderDelegate(self.view, tz=tz))
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setMouseTracking(True)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)

        self.send_button = QPushButton(self.tr("发送订单卡片"), self)
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self._send_card)
        self.copy_button = QPushButton(self.tr("复制单号"), self)
        self.copy_button.clicked.connect(self._copy_number)
        self._copy_reset = QTimer(self)
        self._copy_reset.setSingleShot(True)
        self._copy_reset.setInterval(COPIED_FEEDBACK_MS)
        self._copy_reset.timeout.connect(lambda: self.copy_button.setText(self.tr("复制单号")))

        actions = QHBoxLayout()
        actions.setContentsMargins(12, 8, 12, 10)
        actions.setSpacing(8)
        actions.addWidget(self.copy_button, 1)
        actions.addWidget(self.send_button, 1)
        bar = QFrame(self)
        bar.setObjectName("orderActions")
        bar.setStyleSheet("QFrame#orderActions { border-top: 1px solid #ececec; }")
        bar.setLayout(actions)

        list_page = QWidget(self)
        list_layout = QVBoxLayout(list_page)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.setSpacing(0)
        list_layout.addWidget(self.view, 1)
        list_layout.addWidget(bar)

        self.state_page = LoadStatePage(self)
        self.state_page.retry_requested.connect(self.retry_requested)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(list_page)
        self.stack.addWidget(self.state_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.set_orders([])

    # --- public API ------------------------------------------------------------------------------------

    def set_orders(self, orders: Sequence[Order]) -> None:
        """Show ``orders`` newest first; the selection is kept when the selected order is still there."""
        kept = self.selected_order()
        self.model.set_orders(orders)
        if kept is not None and (row := self.model.row_of(kept.id)) >= 0:
            self.view.selectionModel().blockSignals(True)
            try:
                self.view.setCurrentIndex(self.model.index(row))
            finally:
                self.view.selectionModel().blockSignals(False)
        if orders:
            self.stack.setCurrentIndex(0)
        else:
            self.state_page.show_message(self.tr("暂无订单"))
            self.stack.setCurrentWidget(self.state_page)
        self._update_buttons()

    def selected_order(self) -> Order | None:
        index = self.view.currentIndex()
        return self.model.order(index.row()) if index.isValid() else None

    def set_loading(self, loading: bool) -> None:
        if loading:
            self.state_page.show_message(self.tr("正在加载订单…"))
            self.stack.setCurrentWidget(self.state_page)
        elif self.model.rowCount():
            self.stack.setCurrentIndex(0)
        else:
            self.state_page.show_message(self.tr("暂无订单"))

    def set_error(self, message: str) -> None:
        self.state_page.show_error(self.tr("加载订单失败：{0}").format(one_line(message)))
        self.stack.setCurrentWidget(self.state_page)

    # --- actions ---------------------------------------------------------------------------------------

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        order = self.model.order(current.row()) if current.isValid() else None
        if order is not None:
            self.order_selected.emit(order)

    def _send_card(self) -> None:
        order = self.selected_order()
        if order is not None:
            self.send_order_card.emit(order)

    def _copy_number(self) -> None:
        order = self.selected_order()
        if order is None:
            return
        QGuiApplication.clipboard().setText(order.id)
        self.copy_button.setText(self.tr("已复制"))
        self._copy_reset.start()

    def _update_buttons(self) -> None:
        chosen = self.selected_order() is not None
        self.send_button.setEnabled(chosen)
        self.copy_button.setEnabled(chosen)
        hint = "" if chosen else self.tr("先在上方选择一个订单")
        self.send_button.setToolTip(hint)
        self.copy_button.setToolTip(hint)
