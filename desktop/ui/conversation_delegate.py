"""Paints one row of the conversation list: avatar, nickname, level badge, preview, unread badge, wait timer.

Everything is drawn as plain text with ``QPainter.drawText``: nicknames and messages come from buyers, so
``<b>x</b>`` must show as those seven characters, never as markup. Rows have a fixed height.

::

    ┌────┐ 昵称昵称…  [VIP3]                         1分05秒
    │ 昵 │ 最后一条消息的预览，灰色，过长省略…          (3)
    └────┘
"""

from __future__ import annotations

import zlib
from typing import Final

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from desktop.core.wait_timer import WaitLevel
from desktop.ui.conversation_list_model import ConversationRole
from desktop.ui.row_delegate import PanelRowDelegate
from desktop.ui.theme import LIGHT_COLORS, colors

ROW_HEIGHT: Final = 64
AVATAR: Final = 40
PAD: Final = 12
GAP: Final = 10

# The light theme's wait colours, for callers that compare; painting reads theme.colors() every time.
AMBER: Final = LIGHT_COLORS.wait_amber
RED: Final = LIGHT_COLORS.wait_red
AVATAR_COLOURS: Final = [
    QColor(c) for c in ("#5b8def", "#36b37e", "#f29d38", "#9c6ade", "#e5677a", "#00a3bf")
]


def DETACHED_TAG() -> str:
    return QCoreApplication.translate("ConversationDelegate", "独立窗口")


def scaled(font: QFont, factor: float) -> QFont:
    """A copy of ``font`` ``factor`` times as large (works for point- and pixel-sized fonts)."""
    copy = QFont(font)
    if font.pointSizeF() > 0:
        copy.setPointSizeF(font.pointSizeF() * factor)
    else:
        copy.setPixelSize(max(1, round(font.pixelSize() * factor)))
    return copy


def unread_label(count: int) -> str:
    """The unread badge text: "" for none, "99+" above 99."""
    if count <= 0:
        return ""
    return "99+" if count > 99 else str(count)


def wait_colour(level: WaitLevel, palette: QPalette, selected: bool) -> QColor:
    """The wait timer's colour in the current theme: amber, red, or quiet."""
    theme = colors()
    if level is WaitLevel.RED:
        return theme.wait_red
    if level is WaitLevel.AMBER:
        return theme.wait_amber
    return palette.color(QPalette.ColorRole.HighlightedText) if selected else theme.muted


def avatar_colour(key: str) -> QColor:
    """A stable colour per customer (crc32, not hash(): that changes between runs)."""
    return AVATAR_COLOURS[zlib.crc32(key.encode()) % len(AVATAR_COLOURS)]


class ConversationDelegate(PanelRowDelegate):
    """Draws ConversationListModel rows; never creates a widget per row."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(max(option.rect.width(), 240), ROW_HEIGHT)

    def _paint_row(
        self, painter: QPainter, opt: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        rect = opt.rect
        theme = colors()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_colour = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        painter.setPen(theme.separator)
        painter.drawLine(rect.left() + PAD + AVATAR + GAP, rect.bottom(), rect.right(), rect.bottom())

        self._paint_avatar(painter, rect, opt.font, index)
        left = rect.left() + PAD + AVATAR + GAP
        right = rect.right() - PAD
        top_line = QRect(left, rect.top() + 10, right - left, 22)
        bottom_line = QRect(left, rect.top() + 34, right - left, 20)

        # top right: the wait timer
        small = scaled(opt.font, 0.9)
        wait_text = index.data(ConversationRole.WAIT_TEXT) or ""
        level = index.data(ConversationRole.WAIT_LEVEL) or WaitLevel.NONE
        wait_font = QFont(small)
        wait_font.setBold(level is WaitLevel.RED)
        wait_width = QFontMetrics(wait_font).horizontalAdvance(wait_text) if wait_text else 0
        if wait_text:
            wait_rect = QRect(top_line)
            if selected and level in (WaitLevel.AMBER, WaitLevel.RED):
                # amber or red on the selection colour is hard to read: put the timer on a small chip
                chip = QRectF(
                    top_line.right() - wait_width - 11, top_line.center().y() - 9, wait_width + 12, 19
                )
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(theme.card_bg)
                painter.drawRoundedRect(chip, 9.5, 9.5)
                wait_rect.setRight(top_line.right() - 6)
                wait_width += 12
            painter.setFont(wait_font)
            painter.setPen(wait_colour(level, opt.palette, selected))
            painter.drawText(
                wait_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, wait_text
            )

        # top left: nickname (elided) and the level badge after it
        name_font = QFont(opt.font)
        name_font.setBold(True)
        name_metrics = QFontMetrics(name_font)
        badge_font = scaled(opt.font, 0.8)
        badge_metrics = QFontMetrics(badge_font)
        level_text = index.data(ConversationRole.LEVEL) or ""
        badge_width = badge_metrics.horizontalAdvance(level_text) + 10 if level_text else 0
        room = (
            top_line.width() - (wait_width + 8 if wait_text else 0) - (badge_width + 6 if level_text else 0)
        )
        name = name_metrics.elidedText(
            index.data(ConversationRole.NICKNAME) or "", Qt.TextElideMode.ElideRight, max(room, 0)
        )
        painter.setFont(name_font)
        painter.setPen(text_colour)
        painter.drawText(top_line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
        if level_text:
            x = top_line.left() + name_metrics.horizontalAdvance(name) + 6
            badge = QRectF(x, top_line.center().y() - 8, badge_width, 17)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.badge_bg)
            painter.drawRoundedRect(badge, 4, 4)
            painter.setFont(badge_font)
            painter.setPen(theme.badge_fg)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, level_text)

        # bottom: preview (grey, elided) and the unread badge
        unread = unread_label(index.data(ConversationRole.UNREAD) or 0)
        unread_font = QFont(small)
        unread_font.setBold(True)
        unread_width = max(18, QFontMetrics(unread_font).horizontalAdvance(unread) + 10) if unread else 0
        if unread:
            pill = QRectF(
                bottom_line.right() - unread_width + 1, bottom_line.center().y() - 8.5, unread_width, 18
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.unread_bg)
            painter.drawRoundedRect(pill, 9, 9)
            painter.setFont(unread_font)
            painter.setPen(theme.unread_fg)
            painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, unread)
        preview_room = bottom_line.width() - (unread_width + 8 if unread else 0)
        if index.data(ConversationRole.DETACHED):
            # the chat is open in a window of its own: a small outlined tag before the unread badge
            tag_text = DETACHED_TAG()
            tag_font = scaled(opt.font, 0.75)
            tag_width = QFontMetrics(tag_font).horizontalAdvance(tag_text) + 10
            right_edge = bottom_line.right() - (unread_width + 6 if unread else 0)
            tag = QRectF(right_edge - tag_width + 1, bottom_line.center().y() - 8, tag_width, 16)
            painter.setPen(text_colour if selected else theme.muted)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(tag, 3, 3)
            painter.setFont(tag_font)
            painter.drawText(tag, Qt.AlignmentFlag.AlignCenter, tag_text)
            preview_room -= tag_width + 6
        preview = QFontMetrics(small).elidedText(
            index.data(ConversationRole.PREVIEW) or "", Qt.TextElideMode.ElideRight, max(preview_room, 0)
        )
        painter.setFont(small)
        painter.setPen(text_colour if selected else theme.muted)
        painter.drawText(bottom_line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, preview)

    def _paint_avatar(
        self, painter: QPainter, rect: QRect, font: QFont, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        circle = QRectF(rect.left() + PAD, rect.top() + (rect.height() - AVATAR) / 2, AVATAR, AVATAR)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(avatar_colour(index.data(ConversationRole.ID) or ""))
        painter.drawEllipse(circle)
        initial_font = QFont(font)
        initial_font.setPixelSize(18)
        painter.setFont(initial_font)
        painter.setPen(colors().avatar_fg)
        painter.drawText(
            circle, Qt.AlignmentFlag.AlignCenter, index.data(ConversationRole.AVATAR_INITIAL) or "?"
        )
