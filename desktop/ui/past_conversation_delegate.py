"""Paints one past conversation in the 客户 tab: date and status (small, grey), then the last message.

::

    2025-11-20 14:32 · 已结束
    最后一条消息的预览，过长省略…

The preview is the buyer's text: drawn with ``drawText``, one line, elided; never markup.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Final

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.ui.conversation_delegate import scaled

PAD_X: Final = 4
PAD_Y: Final = 7
GREY: Final = QColor("#8a8f99")
SEPARATOR: Final = QColor("#ececec")
HOVER: Final = QColor("#f1f4f9")


class PastRole(IntEnum):
    CONVERSATION_ID = Qt.ItemDataRole.UserRole + 1
    HEADLINE = Qt.ItemDataRole.UserRole + 2  # "date · status"
    PREVIEW = Qt.ItemDataRole.UserRole + 3


class PastConversationDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        small = QFontMetrics(scaled(option.font, 0.9)).lineSpacing()
        return QSize(120, 2 * PAD_Y + small + 3 + QFontMetrics(option.font).lineSpacing())

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        rect = option.rect
        painter.save()
        try:
            if option.state & (QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_MouseOver):
                painter.fillRect(rect, HOVER)
            painter.setPen(SEPARATOR)
            painter.drawLine(rect.left(), rect.bottom(), rect.right(), rect.bottom())
            small = scaled(option.font, 0.9)
            small_height = QFontMetrics(small).lineSpacing()
            inner = rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
            painter.setFont(small)
            painter.setPen(GREY)
            painter.drawText(
                QRect(inner.left(), inner.top(), inner.width(), small_height),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                index.data(PastRole.HEADLINE) or "",
            )
            metrics = QFontMetrics(option.font)
            preview = metrics.elidedText(
                index.data(PastRole.PREVIEW) or "", Qt.TextElideMode.ElideRight, inner.width()
            )
            painter.setFont(option.font)
            painter.setPen(option.palette.color(QPalette.ColorRole.Text))
            painter.drawText(
                QRect(inner.left(), inner.top() + small_height + 3, inner.width(), metrics.lineSpacing()),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                preview,
            )
        finally:
            painter.restore()
