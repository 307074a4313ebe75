"""Ctrl+K: search every cached message, pick a hit, and the chat opens at that message.

The query runs on the store's read-only search connection in a worker thread (never on the UI loop), a
moment after the agent stops typing; a newer query cancels an older one. Results are newest first: the
buyer, when, and the message with the matched words marked (drawn with text formats on plain text, never
as rich text: the messages are what buyers wrote). ↑/↓ move through the results from the search box,
Enter opens the chosen one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.store.search import SearchIndex
from desktop.ui.search_results_model import SearchResultsModel, SearchRole
from desktop.ui.tasks import TaskSet
from desktop.ui.theme import colors

DEBOUNCE_MS = 150
LIMIT = 100
ROW_HEIGHT = 52


class SearchHitDelegate(QStyledItemDelegate):
    """Nickname and time on top, the message below with the query's spans marked."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(max(option.rect.width(), 200), ROW_HEIGHT)

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        text_colour = opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        theme = colors()
        rect = opt.rect.adjusted(12, 6, -12, -6)
        painter.save()
        try:
            top = QRect(rect.left(), rect.top(), rect.width(), 20)
            when = _when(index.data(SearchRole.CREATED_AT) or 0)
            small = QFont(opt.font)
            small.setPointSizeF(max(opt.font.pointSizeF() * 0.9, 7.0))
            painter.setFont(small)
            painter.setPen(text_colour if selected else theme.muted)
            painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, when)
            name_font = QFont(opt.font)
            name_font.setBold(True)
            room = top.width() - QFontMetrics(small).horizontalAdvance(when) - 12
            name = QFontMetrics(name_font).elidedText(
                index.data(SearchRole.NICKNAME) or "", Qt.TextElideMode.ElideRight, max(room, 0)
            )
            painter.setFont(name_font)
            painter.setPen(text_colour)
            painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, name)
            self._paint_text(
                painter, opt, index, QRect(rect.left(), rect.top() + 22, rect.width(), 20), selected
            )
        finally:
            painter.restore()

    @staticmethod
    def _paint_text(
        painter: QPainter,
        opt: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        rect: QRect,
        selected: bool,
    ) -> None:
        text = index.data(SearchRole.TEXT) or ""
        spans: list[tuple[int, int]] = index.data(SearchRole.SPANS) or []
        metrics = QFontMetrics(opt.font)
        # start a little before the first match so it is on screen in a long message
        first = spans[0][0] if spans else 0
        start = max(0, first - 12)
        shown = ("…" if start else "") + text[start:]
        shift = start - (1 if start else 0)
        elided = metrics.elidedText(shown, Qt.TextElideMode.ElideRight, rect.width())
        layout = QTextLayout(elided, opt.font)
        marks = []
        for begin, end in spans:
            begin, end = begin - shift, min(end - shift, len(elided))
            if begin < 0 or begin >= end:
                continue
            mark = QTextCharFormat()
            mark.setFontWeight(QFont.Weight.Bold)
            if not selected:
                mark.setForeground(colors().accent)
                mark.setBackground(colors().badge_bg)
            marks.append(QTextLayout.FormatRange())
            marks[-1].start, marks[-1].length, marks[-1].format = begin, end - begin, mark
        layout.setFormats(marks)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(rect.width())
        layout.endLayout()
        painter.setPen(
            opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        )
        layout.draw(painter, QPointF(rect.left(), rect.top() + (rect.height() - line.height()) / 2))


def _when(at_ms: int) -> str:
    if not at_ms:
        return ""
    moment = datetime.fromtimestamp(at_ms / 1000).astimezone()
    today = datetime.now().astimezone().date()
    return moment.strftime("%H:%M") if moment.date() == today else moment.strftime("%Y-%m-%d %H:%M")


class SearchDialog(QDialog):
    open_requested = Signal(str, str)  # conversation id, message id

    def __init__(
        self,
        index: SearchIndex,
        nickname_of: Callable[[str], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("搜索聊天记录"))
        self.resize(560, 520)
        self._index = index
        self._tasks = TaskSet("search")
        self.model = SearchResultsModel(nickname_of, self)
        self.box = QLineEdit(self)
        self.box.setObjectName("globalSearch")
        self.box.setPlaceholderText(self.tr("搜索全部聊天记录，如：退款、尺码、顺丰"))
        self.box.setClearButtonEnabled(True)
        self.box.installEventFilter(self)
        self.results = QListView(self)
        self.results.setObjectName("searchResults")
        self.results.setModel(self.model)
        self.results.setItemDelegate(SearchHitDelegate(self.results))
        self.results.setUniformItemSizes(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.activated.connect(self._open)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setObjectName("searchStatus")
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._search)
        self.box.textChanged.connect(lambda _text: self._debounce.start())
        self._show_count(None)

    # --- searching ----------------------------------------------------------------------------------------

    def search_now(self) -> asyncio.Task[None]:
        """Run the query in the box now (what the debounce does a moment after typing)."""
        self._debounce.stop()
        return self._search()

    def _search(self) -> asyncio.Task[None]:
        query = self.box.text().strip()

        async def run() -> None:
            if not query:
                self.model.set_hits("", [])
                self._show_count(None)
                return
            self.status.setText(self.tr("正在搜索…"))
            hits = await asyncio.to_thread(self._index.search, query, limit=LIMIT)
            self.model.set_hits(query, hits)
            self._show_count(len(hits))
            if hits:
                self.results.setCurrentIndex(self.model.index(0, 0))

        return self._tasks.spawn(run(), name="search")  # a newer query cancels the older one

    def _show_count(self, count: int | None) -> None:
        if count is None:
            self.status.setText(self.tr("输入任意文字，一两个字也能搜"))
        elif count == 0:
            self.status.setText(self.tr("没有找到"))
        elif count >= LIMIT:
            self.status.setText(self.tr("最近的 %n 条结果", "", count))
        else:
            self.status.setText(self.tr("找到 %n 条", "", count))

    # --- choosing -----------------------------------------------------------------------------------------

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(
                index.data(SearchRole.CONVERSATION_ID), index.data(SearchRole.MESSAGE_ID)
            )
            self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
                row = self.results.currentIndex().row()
                row = max(0, min(self.model.rowCount() - 1, row + (1 if key == Qt.Key.Key_Down else -1)))
                self.results.setCurrentIndex(self.model.index(row, 0))
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._open(self.results.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def done(self, result: int) -> None:
        self._tasks.cancel_all()
        super().done(result)
