"""Paints one order of the 订单 tab: number and status, date, up to three items, tracking number and total.

::

    订单号 3123456789012345678              已发货
    2025-11-20 14:32
    纯棉宽松短袖T恤 男女同款                   ×2
    陶瓷马克杯 带盖带勺                        ×1
    运单号 SF1234567890               合计 ¥275.00

Product titles come from sellers and buyers' orders: drawn with ``drawText`` as plain text, elided.
"""

from __future__ import annotations

from datetime import tzinfo
from typing import Final

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.protocol.objects import Order, OrderStatus
from desktop.ui.conversation_delegate import scaled
from desktop.ui.money import date_time_text, yuan
from desktop.ui.order_list_model import OrderRole, order_status_text
from desktop.ui.plain_text import one_line
from desktop.ui.theme import ThemeColors, colors

PAD_X: Final = 14
PAD_Y: Final = 10
MAX_ITEMS: Final = 3


def status_colour(status: OrderStatus, theme: ThemeColors) -> QColor:
    """Amber for unpaid, blue while it moves, green when delivered, red while refunding, grey when over."""
    if status == "unpaid":
        return theme.wait_amber
    if status in ("paid", "shipped"):
        return theme.info
    if status == "delivered":
        return theme.success
    if status == "refunding":
        return theme.wait_red
    return theme.muted


def item_lines(order: Order) -> int:
    """How many item lines a row shows: up to MAX_ITEMS, plus one "等 N 件商品" line when there are more."""
    return min(len(order.items), MAX_ITEMS) + (1 if len(order.items) > MAX_ITEMS else 0)


class OrderDelegate(QStyledItemDelegate):
    def __init__(self, parent: QObject | None = None, *, tz: tzinfo | None = None) -> None:
        super().__init__(parent)
        self._tz = tz

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        order: Order | None = index.data(OrderRole.ORDER)
        line = QFontMetrics(option.font).lineSpacing()
        small = QFontMetrics(scaled(option.font, 0.9)).lineSpacing()
        lines = 0 if order is None else item_lines(order)
        height = 2 * PAD_Y + line + small + 6 + lines * (line + 2) + 6 + line
        return QSize(200, height)  # the list view stretches rows to its viewport

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        order: Order | None = index.data(OrderRole.ORDER)
        if order is None:
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            self._paint_order(painter, opt, order)
        finally:
            painter.restore()

    def _paint_order(self, painter: QPainter, opt: QStyleOptionViewItem, order: Order) -> None:
        rect = opt.rect
        theme = colors()
        if opt.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(rect, theme.selected_bg)
            painter.fillRect(QRect(rect.left(), rect.top(), 3, rect.height()), theme.accent)
        elif opt.state & QStyle.StateFlag.State_MouseOver:
            painter.fillRect(rect, theme.hover_bg)
        painter.setPen(theme.separator)
        painter.drawLine(rect.left() + PAD_X, rect.bottom(), rect.right() - PAD_X, rect.bottom())

        font = QFont(opt.font)
        small = scaled(font, 0.9)
        bold = QFont(font)
        bold.setBold(True)
        metrics, small_metrics = QFontMetrics(font), QFontMetrics(small)
        text_colour = opt.palette.color(QPalette.ColorRole.Text)
        left, right = rect.left() + PAD_X, rect.right() - PAD_X
        width = right - left
        y = rect.top() + PAD_Y
        translate = QCoreApplication.translate  # not "tr": lupdate reads tr(a, b) as (text, disambiguation)

        # number and status
        status = order_status_text(order.status)
        status_width = QFontMetrics(bold).horizontalAdvance(status)
        line = QRect(left, y, width, metrics.lineSpacing())
        painter.setFont(bold)
        painter.setPen(status_colour(order.status, theme))
        painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, status)
        painter.setFont(font)
        painter.setPen(text_colour)
        number = metrics.elidedText(
            translate("OrderDelegate", "订单号 {0}").format(order.id),
            Qt.TextElideMode.ElideMiddle,
            width - status_width - 8,
        )
        painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, number)
        y += metrics.lineSpacing()

        painter.setFont(small)
        painter.setPen(theme.muted)
        painter.drawText(
            QRect(left, y, width, small_metrics.lineSpacing()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            date_time_text(order.created_at, self._tz),
        )
        y += small_metrics.lineSpacing() + 6

        # items
        painter.setFont(font)
        for item in order.items[:MAX_ITEMS]:
            qty = f"×{item.qty}"
            qty_width = metrics.horizontalAdvance(qty)
            line = QRect(left, y, width, metrics.lineSpacing())
            painter.setPen(theme.muted)
            painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, qty)
            painter.setPen(text_colour)
            title = metrics.elidedText(
                one_line(item.title), Qt.TextElideMode.ElideRight, width - qty_width - 12
            )
            painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
            y += metrics.lineSpacing() + 2
        if len(order.items) > MAX_ITEMS:
            painter.setPen(theme.muted)
            more = self.tr("等 %n 件商品", "", len(order.items))
            painter.drawText(
                QRect(left, y, width, metrics.lineSpacing()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                more,
            )
            y += metrics.lineSpacing() + 2
        y += 6

        # tracking number and total
        line = QRect(left, y, width, metrics.lineSpacing())
        total = yuan(order.total_cents)
        total_width = QFontMetrics(bold).horizontalAdvance(total)
        painter.setFont(bold)
        painter.setPen(text_colour)
        painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, total)
        label = translate("OrderDelegate", "合计")
        painter.setFont(small)
        painter.setPen(theme.muted)
        label_width = small_metrics.horizontalAdvance(label)
        label_rect = QRectF(right - total_width - 6 - label_width, y, label_width, metrics.lineSpacing())
        painter.drawText(label_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        if order.tracking_no:
            tracking = small_metrics.elidedText(
                translate("OrderDelegate", "运单号 {0}").format(one_line(order.tracking_no)),
                Qt.TextElideMode.ElideRight,
                width - total_width - label_width - 20,
            )
            painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, tracking)
