"""The buyer's orders for the 订单 tab, newest first: one row per order, the Order itself under a role."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from desktop.protocol.objects import Order, OrderStatus


class OrderRole(IntEnum):
    ORDER = Qt.ItemDataRole.UserRole + 1
    STATUS_TEXT = Qt.ItemDataRole.UserRole + 2


def order_status_text(status: OrderStatus) -> str:
    """The status as the shop's staff say it (every literal of :data:`OrderStatus`)."""
    if status == "unpaid":
        return QCoreApplication.translate("OrderStatus", "待付款")
    if status == "paid":
        return QCoreApplication.translate("OrderStatus", "已付款")
    if status == "shipped":
        return QCoreApplication.translate("OrderStatus", "已发货")
    if status == "delivered":
        return QCoreApplication.translate("OrderStatus", "已签收")
    if status == "refunding":
        return QCoreApplication.translate("OrderStatus", "退款中")
    if status == "refunded":
        return QCoreApplication.translate("OrderStatus", "已退款")
    return QCoreApplication.translate("OrderStatus", "已关闭")


class OrderListModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._orders: list[Order] = []

    def set_orders(self, orders: Sequence[Order]) -> None:
        self.beginResetModel()
        self._orders = sorted(orders, key=lambda order: (-order.created_at, order.id))
        self.endResetModel()

    def order(self, row: int) -> Order | None:
        return self._orders[row] if 0 <= row < len(self._orders) else None

    def row_of(self, order_id: str) -> int:
        return next((row for row, order in enumerate(self._orders) if order.id == order_id), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._orders)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        order = self.order(index.row()) if index.isValid() and not index.parent().isValid() else None
        if order is None:
            return None
        if role == OrderRole.ORDER:
            return order
        if role == OrderRole.STATUS_TEXT:
            return order_status_text(order.status)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{order.id} {order_status_text(order.status)}"
        return None
