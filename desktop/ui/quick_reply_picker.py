"""The inline ``/`` quick-reply picker: a small list at the text cursor that never takes keyboard focus.

It floats as a child of the composer's window (not a window of its own: no focus or activation to steal, and
no window-manager placement to fight), just above the cursor line (the composer sits at the bottom of the
pane), or under it when the window has more room there.

The composer keeps focus and forwards Up/Down/Enter/Tab/Esc (:meth:`QuickReplyPicker.move_selection`,
:meth:`QuickReplyPicker.current_reply`); a click on a row emits :attr:`QuickReplyPicker.chosen`. Rows are
plain QStandardItem text (shortcut, group, the phrase on one line): quick replies are shop content, treated
as untrusted, so nothing here interprets markup.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QFrame, QListView, QVBoxLayout, QWidget

from desktop.core.quick_replies import Match
from desktop.protocol.objects import QuickReply
from desktop.ui.plain_text import one_line, plain_tooltip

MAX_VISIBLE_ROWS: Final = 8
MAX_ROWS: Final = 50
WIDTH: Final = 380
MARGIN: Final = 4  # from the window's edges
TEXT_CHARS: Final = 60  # of a phrase shown in its row (the view elides further)
REPLY_ROLE: Final = Qt.ItemDataRole.UserRole + 1
HINT_COLOR: Final = QColor("#8a8a8a")


def row_text(reply: QuickReply) -> str:
    """One row: ``/shortcut  [group]  text`` on one line, shortcut left out when the phrase has none."""
    parts = [f"/{one_line(reply.shortcut)}"] if reply.shortcut else []
    parts.append(f"[{one_line(reply.group)}]")
    parts.append(one_line(reply.text)[:TEXT_CHARS])
    return "  ".join(parts)


class QuickReplyPicker(QFrame):
    """Matches for the typed ``/query``, floating over the window; it never takes the focus."""

    chosen = Signal(object)  # QuickReply (clicked)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.Box)
        self.setObjectName("quickReplyPicker")
        self.setStyleSheet("#quickReplyPicker { border: 1px solid #c8c8c8; background: white; }")
        self._wanted_height = 0
        self.model = QStandardItemModel(self)
        self.view = QListView(self)
        self.view.setModel(self.model)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setUniformItemSizes(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.clicked.connect(self._on_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.view)

    # ----------------------------------------------------------------------------------------- content
    def set_matches(self, matches: list[Match]) -> None:
        """Show ``matches`` (the first :data:`MAX_ROWS`), the first one selected."""
        self.model.clear()
        for match in matches[:MAX_ROWS]:
            item = QStandardItem(row_text(match.reply))
            item.setData(match.reply, REPLY_ROLE)
            item.setToolTip(plain_tooltip(match.reply.text))
            item.setEditable(False)
            self.model.appendRow(item)
        if not matches:
            self._set_hint(self.tr("没有匹配的快捷短语"))
        else:
            self.view.setCurrentIndex(self.model.index(0, 0))
        self._fit_height()

    def set_loading(self) -> None:
        """The index is still being built: one greyed row saying so."""
        self.model.clear()
        self._set_hint(self.tr("正在加载快捷短语…"))
        self._fit_height()

    def _set_hint(self, text: str) -> None:
        item = QStandardItem(text)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        item.setForeground(QBrush(HINT_COLOR))
        self.model.appendRow(item)

    def replies(self) -> list[QuickReply]:
        """The phrases shown, top to bottom."""
        found = (self.model.item(row).data(REPLY_ROLE) for row in range(self.model.rowCount()))
        return [reply for reply in found if isinstance(reply, QuickReply)]

    def current_reply(self) -> QuickReply | None:
        reply = self.view.currentIndex().data(REPLY_ROLE)
        return reply if isinstance(reply, QuickReply) else None

    def move_selection(self, delta: int) -> None:
        """Select the row ``delta`` rows down (up when negative), stopping at the ends."""
        count = len(self.replies())
        if not count:
            return
        row = self.view.currentIndex().row()
        row = 0 if row < 0 else max(0, min(count - 1, row + delta))
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def _on_clicked(self, index: QModelIndex) -> None:
        reply = index.data(REPLY_ROLE)
        if isinstance(reply, QuickReply):
            self.chosen.emit(reply)

    # ----------------------------------------------------------------------------------------- placing
    def _fit_height(self) -> None:
        rows = max(1, min(MAX_VISIBLE_ROWS, self.model.rowCount()))
        self._wanted_height = rows * self.row_height() + 2 * self.view.frameWidth() + 2
        self.resize(WIDTH, self._wanted_height)

    def row_height(self) -> int:
        return max(self.view.sizeHintForRow(0), self.fontMetrics().height() + 4)

    def show_at(self, cursor: QRect, window: QWidget) -> None:
        """Float over ``window`` just above ``cursor`` (in ``window``'s coordinates), where it hides neither
        the lines below nor the send button; below when there is more room there; shrunk to the room there
        is, never outside the window."""
        if self.parentWidget() is not window:
            self.setParent(window)
        wanted = self._wanted_height
        above = cursor.top() - 2 - MARGIN
        below = window.height() - cursor.bottom() - 2 - MARGIN
        go_above = above >= wanted or above >= below
        height = max(self.row_height(), min(wanted, above if go_above else below))
        width = min(WIDTH, window.width() - 2 * MARGIN)
        top = cursor.top() - 2 - height if go_above else cursor.bottom() + 2
        left = max(MARGIN, min(cursor.left(), window.width() - width - MARGIN))
        self.setGeometry(left, max(MARGIN, top), width, height)
        self.show()
        self.raise_()
