"""The "超时未回复 (N)" window: my chats whose buyer has waited past red, longest first, updated live.

Non-modal and small, it floats over the main window without taking the focus when a reminder brings it
up, so whatever the agent is typing stays where it is. A row shows the buyer's avatar initial, nickname,
how long they have waited and their last message (all plain text); double-click, Enter or the row's 回复
opens that chat, 处理最久的 opens the longest-waiting one. It hides itself when nothing is overdue.

:class:`OverdueModel` keeps the rows (checked by ``qtmodeltester``): a tick updates the waits in place,
and only chats that turned red or were answered are inserted or removed, so the selection survives.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyle,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.alerts import OverdueChat, Preview
from desktop.ui.conversation_delegate import avatar_colour
from desktop.ui.i18n import fill, kind_label, wait_text
from desktop.ui.plain_text import plain_tooltip
from desktop.ui.row_delegate import PanelRowDelegate
from desktop.ui.row_list_model import RowListModel

RED = QColor("#dc2626")
ROW_HEIGHT = 58
AVATAR = 36
PAD = 10
REPLY_W = 52
REPLY_H = 22
LINE_H = 20


def preview_label(preview: Preview | None) -> str:
    """A preview for people: the text, or "[图片]", "[商品] 标题", "[订单] 单号"."""
    if preview is None:
        return ""
    label = kind_label(preview.kind)
    if preview.kind == "image":
        return label
    if label:  # product, order
        return f"{label} {preview.text}".rstrip()
    return preview.text


def waited_label(waited_ms: int) -> str:
    return fill(QCoreApplication.translate("OverduePopup", "已等 %1"), wait_text(waited_ms))


class OverdueRole(enum.IntEnum):
    ID = Qt.ItemDataRole.UserRole + 1
    NICKNAME = Qt.ItemDataRole.UserRole + 2
    WAITED_MS = Qt.ItemDataRole.UserRole + 3
    WAITED_TEXT = Qt.ItemDataRole.UserRole + 4
    PREVIEW = Qt.ItemDataRole.UserRole + 5
    INITIAL = Qt.ItemDataRole.UserRole + 6


class OverdueModel(RowListModel):
    """The overdue chats, longest first, as :func:`~desktop.core.alerts.overdue_chats` gives them."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[OverdueChat] = []

    def chats(self) -> list[OverdueChat]:
        return list(self._rows)

    def chat(self, row: int) -> OverdueChat | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, conversation_id: str) -> int | None:
        return next((r for r, c in enumerate(self._rows) if c.conversation_id == conversation_id), None)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        chat = self.row_at(index)
        if chat is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, OverdueRole.NICKNAME):
            return chat.nickname
        if role == OverdueRole.ID:
            return chat.conversation_id
        if role == OverdueRole.WAITED_MS:
            return chat.waited_ms
        if role == OverdueRole.WAITED_TEXT:
            return waited_label(chat.waited_ms)
        if role == OverdueRole.PREVIEW:
            return preview_label(chat.preview)
        if role == OverdueRole.INITIAL:
            return chat.nickname[:1].upper() or "?"
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [chat.nickname, waited_label(chat.waited_ms), preview_label(chat.preview)]
            return plain_tooltip("\n".join(line for line in lines if line))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{chat.nickname} {waited_label(chat.waited_ms)} {preview_label(chat.preview)}".strip()
        return None

    def set_chats(self, chats: Sequence[OverdueChat]) -> None:
        """Show ``chats`` (longest first): answered rows go, new red ones come in, the rest update."""
        new_ids = [c.conversation_id for c in chats]
        keep = set(new_ids)
        for row in range(len(self._rows) - 1, -1, -1):
            if self._rows[row].conversation_id not in keep:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        old_ids = {c.conversation_id for c in self._rows}
        if [i for i in new_ids if i in old_ids] != [c.conversation_id for c in self._rows]:
            self.beginResetModel()  # the order of the survivors changed (rare: a wait started over)
            self._rows = list(chats)
            self.endResetModel()
            return
        for row, chat in enumerate(chats):
            if chat.conversation_id not in old_ids:
                self.beginInsertRows(QModelIndex(), row, row)
                self._rows.insert(row, chat)
                self.endInsertRows()
            else:
                self._rows[row] = chat
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))


class OverdueDelegate(PanelRowDelegate):
    """Paints a row: avatar initial, nickname, 已等 …, preview, and a 回复 button."""

    reply_clicked = Signal(str)  # conversation id

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(200, ROW_HEIGHT)  # as wide as the view: no sideways scrolling

    @staticmethod
    def reply_rect(rect: QRect) -> QRect:
        """The 回复 button: bottom right, beside the preview (the wait is above it)."""
        return QRect(rect.right() - PAD - REPLY_W + 1, rect.top() + 30, REPLY_W, REPLY_H)

    def _paint_row(
        self, painter: QPainter, opt: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        rect = opt.rect
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        text_colour = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = text_colour if selected else palette.color(QPalette.ColorRole.PlaceholderText)

        circle = QRectF(rect.left() + PAD, rect.top() + (rect.height() - AVATAR) / 2, AVATAR, AVATAR)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(avatar_colour(index.data(OverdueRole.ID) or ""))
        painter.drawEllipse(circle)
        initial_font = QFont(opt.font)
        initial_font.setPixelSize(16)
        painter.setFont(initial_font)
        painter.setPen(QColor("white"))
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, index.data(OverdueRole.INITIAL) or "?")

        reply = self.reply_rect(rect)
        left = int(circle.right()) + PAD
        text_width = reply.left() - PAD - left
        top_line = QRect(left, rect.top() + 7, rect.right() - PAD - left + 1, LINE_H)
        bottom_line = QRect(left, rect.top() + 31, text_width, LINE_H)

        waited_font = QFont(opt.font)
        waited_font.setBold(True)
        waited = index.data(OverdueRole.WAITED_TEXT) or ""
        waited_width = QFontMetrics(waited_font).horizontalAdvance(waited)
        painter.setFont(waited_font)
        painter.setPen(text_colour if selected else RED)
        painter.drawText(top_line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, waited)

        name_font = QFont(opt.font)
        name_font.setBold(True)
        name = QFontMetrics(name_font).elidedText(
            index.data(OverdueRole.NICKNAME) or "",
            Qt.TextElideMode.ElideRight,
            max(0, top_line.width() - waited_width - 8),
        )
        painter.setFont(name_font)
        painter.setPen(text_colour)
        painter.drawText(top_line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)

        preview = QFontMetrics(opt.font).elidedText(
            index.data(OverdueRole.PREVIEW) or "", Qt.TextElideMode.ElideRight, max(0, bottom_line.width())
        )
        painter.setFont(opt.font)
        painter.setPen(muted)
        painter.drawText(bottom_line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, preview)

        button = QRectF(reply).adjusted(0.5, 0.5, -0.5, -0.5)
        accent = palette.color(QPalette.ColorRole.Highlight)
        painter.setPen(accent if not selected else text_colour)
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(button, REPLY_H / 2, REPLY_H / 2)
        painter.setPen(accent)
        painter.setFont(opt.font)
        painter.drawText(
            reply, Qt.AlignmentFlag.AlignCenter, QCoreApplication.translate("OverduePopup", "回复")
        )

    def editorEvent(
        self,
        event: QEvent,
        model: Any,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        if (
            event.type() == QEvent.Type.MouseButtonRelease
            and isinstance(event, QMouseEvent)
            and event.button() == Qt.MouseButton.LeftButton
            and self.reply_rect(option.rect).contains(event.position().toPoint())
        ):
            conversation_id = index.data(OverdueRole.ID)
            if conversation_id:
                self.reply_clicked.emit(conversation_id)
            return True
        return super().editorEvent(event, model, option, index)


class OverduePopup(QWidget):
    """The overdue list as a small tool window over ``parent`` (see the module doc)."""

    open_requested = Signal(str)  # conversation id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("overduePopup")
        self.setWindowFlags(Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.resize(380, 420)  # five rows without scrolling
        self._placed = False

        self.header = QLabel(self)
        self.header.setObjectName("overdueHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        header_font = QFont(self.header.font())
        header_font.setBold(True)
        header_font.setPixelSize(15)
        self.header.setFont(header_font)
        self.header.setStyleSheet(f"color: {RED.name()};")
        self.hint = QLabel(
            QCoreApplication.translate("OverduePopup", "买家等待已超过红色时限，最久的在最上面"), self
        )
        self.hint.setObjectName("overdueHint")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        hint_palette = self.hint.palette()
        hint_palette.setColor(
            QPalette.ColorRole.WindowText, hint_palette.color(QPalette.ColorRole.PlaceholderText)
        )
        self.hint.setPalette(hint_palette)

        self.model = OverdueModel(self)
        self.delegate = OverdueDelegate(self)
        self.view = QListView(self)
        self.view.setObjectName("overdueList")
        self.view.setModel(self.model)
        self.view.setItemDelegate(self.delegate)
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.activated.connect(self._activated)  # double-click or Enter
        self.delegate.reply_clicked.connect(self.open_requested)

        self.longest_button = QPushButton(QCoreApplication.translate("OverduePopup", "处理最久的"), self)
        self.longest_button.setObjectName("overdueLongest")
        self.longest_button.setDefault(True)
        self.longest_button.clicked.connect(self.open_longest)
        self.close_button = QPushButton(QCoreApplication.translate("OverduePopup", "关闭"), self)
        self.close_button.clicked.connect(self.close)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.longest_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(self.header)
        layout.addWidget(self.hint)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.set_chats([])

    def title_text(self) -> str:
        return QCoreApplication.translate("OverduePopup", "超时未回复 (%1)").replace(
            "%1", str(self.model.rowCount())
        )

    def set_chats(self, chats: Sequence[OverdueChat]) -> None:
        """Update the list; with nothing overdue the window hides itself."""
        self.model.set_chats(chats)
        self.header.setText(self.title_text())
        self.setWindowTitle(self.title_text())
        self.longest_button.setEnabled(bool(chats))
        if not chats and self.isVisible():
            self.hide()

    def longest(self) -> str | None:
        chat = self.model.chat(0)
        return None if chat is None else chat.conversation_id

    def open_longest(self) -> None:
        conversation_id = self.longest()
        if conversation_id is not None:
            self.open_requested.emit(conversation_id)

    def _activated(self, index: QModelIndex) -> None:
        conversation_id = index.data(OverdueRole.ID)
        if conversation_id:
            self.open_requested.emit(conversation_id)

    def remind(self) -> None:
        """Bring the window up without taking the focus (a reminder, not an interruption)."""
        if not self._placed:
            self._place()
        if not self.isVisible():
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, True)
            self.show()
            self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating, False)
        self.raise_()

    def _place(self) -> None:
        """First time: at the top right of the main window (of the screen without one)."""
        parent = self.parentWidget()
        if parent is not None and parent.isVisible():
            frame = parent.frameGeometry()
        else:
            screen = self.screen()
            frame = screen.availableGeometry() if screen is not None else QRect(0, 0, 800, 600)
        self.move(QPoint(frame.right() - self.width() - 24, frame.top() + 64))
        self._placed = True

    def moveEvent(self, event: Any) -> None:
        self._placed = True  # moved by the agent (or by us): keep it there next time
        super().moveEvent(event)
