"""Paints ChatModel rows as chat bubbles; no widget per message.

::

                         14:03                              ← separator, centred grey
    ┌──────────────────┐
    │ 买家的消息（浅灰）│                                   ← customer, left
    └──────────────────┘
                                发送中… ┌────────────────┐
                                        │ 客服的消息（浅蓝）│ ← agent, right
                                        └────────────────┘
                    系统消息：会话已转接                     ← system, centred small grey

Text is wrapped with ``QFontMetrics.boundingRect`` and drawn with ``QPainter.drawText`` — plain text only:
messages come from buyers, so ``<b>x</b>`` shows as those characters, never as markup. ``sizeHint`` is the
wrapped height for the view width, cached by (row key, state, width).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractScrollArea, QStyledItemDelegate, QStyleOptionViewItem

from desktop.ui.chat_model import ChatRole, format_price
from desktop.ui.conversation_delegate import scaled
from desktop.ui.i18n import kind_label
from desktop.ui.theme import LIGHT_COLORS, colors

PAD_X: Final = 14  # row side margin
PAD_Y: Final = 5  # row top/bottom margin
BUBBLE_PAD_X: Final = 10
BUBBLE_PAD_Y: Final = 7
RADIUS: Final = 8
THUMB_MAX: Final = 160
CARD_WIDTH: Final = 220
MARKER_GAP: Final = 6
FALLBACK_WIDTH: Final = 420

# The light theme's bubble and error colours, for callers that compare; painting reads theme.colors().
BUYER_BG: Final = LIGHT_COLORS.buyer_bubble
AGENT_BG: Final = LIGHT_COLORS.agent_bubble
RED: Final = LIGHT_COLORS.error

# Chinese source texts, translated (context "ChatDelegate") where they are drawn.
PENDING_TEXT: Final = QT_TRANSLATE_NOOP("ChatDelegate", "发送中…")
FAILED_TEXT: Final = QT_TRANSLATE_NOOP("ChatDelegate", "发送失败，点击重试")
WRAP: Final = int(Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextWrapAnywhere)
CACHE_LIMIT: Final = 4000


@dataclass(frozen=True)
class Layout:
    """Where things go in a row, relative to the row's top-left corner."""

    height: int
    bubble: QRect  # the bubble, card, thumbnail or centred text box
    content: QRect  # the text inside it (or the thumbnail)


def thumbnail_size(width: int, height: int, limit: int = THUMB_MAX) -> QSize:
    """``width`` x ``height`` scaled down (never up) to fit in ``limit`` x ``limit``, aspect kept."""
    factor = min(1.0, limit / max(width, height, 1))
    return QSize(max(1, round(width * factor)), max(1, round(height * factor)))


def _view_width(option: QStyleOptionViewItem) -> int:
    widget = option.widget
    if isinstance(widget, QAbstractScrollArea) and widget.viewport().width() > 0:
        return widget.viewport().width()
    return option.rect.width() if option.rect.width() > 0 else FALLBACK_WIDTH


class ChatDelegate(QStyledItemDelegate):
    """Draws ChatModel rows: bubbles left (buyer) and right (agent), system lines and separators centred."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._layouts: OrderedDict[tuple[object, ...], Layout] = OrderedDict()
        self._thumbs: OrderedDict[str, QPixmap | None] = OrderedDict()

    def watch(self, model: QAbstractItemModel) -> None:
        """Re-lay the view out when a row changes (pending → failed adds a line under the bubble)."""
        model.dataChanged.connect(lambda top, _bottom, _roles: self.sizeHintChanged.emit(top))

    # --- Qt delegate interface -------------------------------------------------------------------

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        width = _view_width(option)
        return QSize(width, self.layout(option.font, index, width).height)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        rect = option.rect
        layout = self.layout(option.font, index, rect.width())
        painter.save()
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            if index.data(ChatRole.HIGHLIGHTED):  # the message a search jumped to
                painter.fillRect(rect, colors().badge_bg)
            painter.translate(rect.topLeft())
            self._paint_row(painter, option.font, index, layout)
        finally:
            painter.restore()

    # --- layout --------------------------------------------------------------------------------------

    def layout(self, font: QFont, index: QModelIndex | QPersistentModelIndex, width: int) -> Layout:
        key = (
            index.data(ChatRole.KEY),
            index.data(ChatRole.STATE),
            index.data(ChatRole.TEXT),
            width,
            font.key(),
        )
        cached = self._layouts.get(key)
        if cached is None:
            cached = self._layouts[key] = self._compute(font, index, width)
            if len(self._layouts) > CACHE_LIMIT:
                self._layouts.popitem(last=False)
        return cached

    def _compute(self, font: QFont, index: QModelIndex | QPersistentModelIndex, width: int) -> Layout:
        text = index.data(ChatRole.TEXT) or ""
        kind = index.data(ChatRole.KIND)
        if index.data(ChatRole.IS_SEPARATOR) or kind == "system":
            metrics = QFontMetrics(scaled(font, 0.85))
            room = max(40, int(width * 0.8))
            box = metrics.boundingRect(QRect(0, 0, room, 100_000), WRAP | Qt.AlignmentFlag.AlignHCenter, text)
            box.moveTo((width - box.width()) // 2, PAD_Y + 3)
            return Layout(box.height() + 2 * PAD_Y + 6, box, box)

        room = max(60, min(int(width * 0.7), width - 2 * PAD_X - 60))
        if kind == "image":
            size = index.data(ChatRole.IMAGE_SIZE) or (THUMB_MAX, THUMB_MAX)
            content = QRect(0, 0, *thumbnail_size(size[0], size[1], min(THUMB_MAX, room)).toTuple())
            bubble = QRect(content)
        elif kind in ("product", "order"):
            metrics = QFontMetrics(font)
            card = min(CARD_WIDTH, room)
            title = self._card_title(index)
            title_box = metrics.boundingRect(QRect(0, 0, card - 2 * BUBBLE_PAD_X, 100_000), WRAP, title)
            lines = min(title_box.height(), 2 * metrics.lineSpacing())  # at most two lines of title
            height = lines + QFontMetrics(scaled(font, 0.9)).lineSpacing() + 2 * BUBBLE_PAD_Y + 4
            bubble = QRect(0, 0, card, height)
            content = QRect(BUBBLE_PAD_X, BUBBLE_PAD_Y, card - 2 * BUBBLE_PAD_X, lines)
        else:
            metrics = QFontMetrics(font)
            box = metrics.boundingRect(QRect(0, 0, room - 2 * BUBBLE_PAD_X, 100_000), WRAP, text)
            content = QRect(
                BUBBLE_PAD_X, BUBBLE_PAD_Y, max(box.width(), 8), max(box.height(), metrics.height())
            )
            bubble = QRect(0, 0, content.width() + 2 * BUBBLE_PAD_X, content.height() + 2 * BUBBLE_PAD_Y)

        x = width - PAD_X - bubble.width() if index.data(ChatRole.SENDER_ROLE) == "agent" else PAD_X
        bubble.translate(x, PAD_Y)
        content.translate(x, PAD_Y)
        height = bubble.height() + 2 * PAD_Y
        if index.data(ChatRole.STATE) == "failed":
            height += QFontMetrics(scaled(font, 0.85)).lineSpacing() + 2
        return Layout(height, bubble, content)

    @staticmethod
    def _card_title(index: QModelIndex | QPersistentModelIndex) -> str:
        if index.data(ChatRole.KIND) == "product":
            return index.data(ChatRole.PRODUCT_TITLE) or ""
        order_id = index.data(ChatRole.ORDER_ID) or ""
        return QCoreApplication.translate("ChatDelegate", "订单号 %1").replace("%1", order_id)

    # --- painting ------------------------------------------------------------------------------------

    def _paint_row(
        self, painter: QPainter, font: QFont, index: QModelIndex | QPersistentModelIndex, layout: Layout
    ) -> None:
        theme = colors()
        text = index.data(ChatRole.TEXT) or ""
        kind = index.data(ChatRole.KIND)
        if index.data(ChatRole.IS_SEPARATOR) or kind == "system":
            painter.setFont(scaled(font, 0.85))
            painter.setPen(theme.muted)
            painter.drawText(layout.content, WRAP | Qt.AlignmentFlag.AlignHCenter, text)
            return

        agent = index.data(ChatRole.SENDER_ROLE) == "agent"
        bubble = QRectF(layout.bubble)
        if kind == "image":
            self._paint_image(painter, font, index, layout)
        elif kind in ("product", "order"):
            self._paint_card(painter, font, index, layout)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.agent_bubble if agent else theme.buyer_bubble)
            painter.drawRoundedRect(bubble, RADIUS, RADIUS)
            painter.setFont(font)
            painter.setPen(theme.bubble_text)
            painter.drawText(layout.content, WRAP | Qt.AlignmentFlag.AlignLeft, text)
        self._paint_state(painter, font, index, layout)

    def _paint_image(
        self, painter: QPainter, font: QFont, index: QModelIndex | QPersistentModelIndex, layout: Layout
    ) -> None:
        pixmap = self._thumbnail(index, layout.content.size())
        if pixmap is not None:
            painter.drawPixmap(layout.content, pixmap)
            return
        theme = colors()
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.placeholder)
        painter.drawRoundedRect(QRectF(layout.content), 4, 4)
        painter.setFont(font)
        painter.setPen(theme.muted)
        painter.drawText(layout.content, Qt.AlignmentFlag.AlignCenter, index.data(ChatRole.TEXT) or "")

    def _thumbnail(self, index: QModelIndex | QPersistentModelIndex, size: QSize) -> QPixmap | None:
        key = f"{index.data(ChatRole.KEY)}@{size.width()}x{size.height()}"
        if key not in self._thumbs:
            data = index.data(ChatRole.IMAGE_BYTES)
            image = QImage.fromData(data) if data else QImage()
            self._thumbs[key] = (
                None
                if image.isNull()
                else QPixmap.fromImage(
                    image.scaled(
                        size,
                        Qt.AspectRatioMode.IgnoreAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
                )
            )
            if len(self._thumbs) > 200:
                self._thumbs.popitem(last=False)
        return self._thumbs[key]

    def _paint_card(
        self, painter: QPainter, font: QFont, index: QModelIndex | QPersistentModelIndex, layout: Layout
    ) -> None:
        theme = colors()
        painter.setPen(theme.card_border)
        painter.setBrush(theme.card_bg)
        painter.drawRoundedRect(QRectF(layout.bubble).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6)
        title_font = QFont(font)
        title_font.setBold(index.data(ChatRole.KIND) == "order")
        painter.setFont(title_font)
        painter.setPen(theme.bubble_text)
        painter.save()
        painter.setClipRect(layout.content)  # at most two lines of a long product title
        painter.drawText(layout.content, WRAP | Qt.AlignmentFlag.AlignLeft, self._card_title(index))
        painter.restore()
        small = scaled(font, 0.9)
        line = QRect(
            layout.content.left(),
            layout.content.bottom() + 5,
            layout.content.width(),
            QFontMetrics(small).lineSpacing(),
        )
        painter.setFont(small)
        if index.data(ChatRole.KIND) == "product":
            painter.setPen(theme.price)
            painter.drawText(
                line, Qt.AlignmentFlag.AlignLeft, format_price(index.data(ChatRole.PRICE_CENTS) or 0)
            )
        else:
            painter.setPen(theme.muted)
            painter.drawText(line, Qt.AlignmentFlag.AlignLeft, kind_label("order"))

    def _paint_state(
        self, painter: QPainter, font: QFont, index: QModelIndex | QPersistentModelIndex, layout: Layout
    ) -> None:
        state = index.data(ChatRole.STATE)
        if state not in ("pending", "failed"):
            return
        theme = colors()
        small = scaled(font, 0.85)
        metrics = QFontMetrics(small)
        painter.setFont(small)
        bubble = layout.bubble
        if state == "pending":
            pending = QCoreApplication.translate("ChatDelegate", PENDING_TEXT)
            width = metrics.horizontalAdvance(pending)
            marker = QRect(
                bubble.left() - MARKER_GAP - width,
                bubble.bottom() - metrics.height(),
                width,
                metrics.height(),
            )
            painter.setPen(theme.muted)
            painter.drawText(marker, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, pending)
            return
        dot = QRectF(bubble.left() - MARKER_GAP - 18, bubble.center().y() - 9, 18, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(theme.error)
        painter.drawEllipse(dot)
        bold = QFont(small)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(theme.unread_fg)
        painter.drawText(dot, Qt.AlignmentFlag.AlignCenter, "!")
        painter.setFont(small)
        painter.setPen(theme.error)
        below = QRect(0, bubble.bottom() + 3, bubble.right() + 1, metrics.lineSpacing())
        failed = QCoreApplication.translate("ChatDelegate", FAILED_TEXT)
        painter.drawText(below, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, failed)
