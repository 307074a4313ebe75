"""The left part of the workbench: tabs 进行中 / 排队 / 已结束, a filter box and the conversation list.

One :class:`ConversationListModel` (a view of the workbench's ConversationBook) is switched between the tabs;
rows are painted by :class:`ConversationDelegate`, never a widget per row. The wait timers move with the
workbench's one-second tick. Selecting a row asks for that conversation (``conversation_activated``);
in 排队 a double-click or 接入 takes the buyer from the queue (``accept_requested``). A row's context menu, or
dragging it out of the window, asks for the chat in a window of its own (``detach_requested``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, QMimeData, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QCursor, QDrag, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QMenu,
    QPushButton,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from desktop.core.conversations import ConversationBook
from desktop.protocol.objects import ConversationStatus
from desktop.ui.conversation_delegate import ConversationDelegate
from desktop.ui.conversation_list_model import ConversationListModel, ConversationRole

TABS: tuple[ConversationStatus, ...] = ("active", "waiting", "closed")
CONVERSATION_MIME = "application/x-shopdesk-conversation"


class ConversationListView(QListView):
    """The list, from which a row can be dragged out of the window: ``torn_off`` says which and where."""

    torn_off = Signal(str, QPoint)  # conversation id, global position where the drag ended outside

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._press: tuple[QPoint, str] | None = None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        super().mousePressEvent(event)
        index = self.indexAt(event.position().toPoint())
        pressed = event.button() == Qt.MouseButton.LeftButton and index.isValid()
        self._press = (event.position().toPoint(), index.data(ConversationRole.ID)) if pressed else None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        press = self._press
        if press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            super().mouseMoveEvent(event)
            return
        moved = (event.position().toPoint() - press[0]).manhattanLength()
        if moved >= QApplication.startDragDistance():
            self._press = None
            self._drag(press[1])

    def _drag(self, conv_id: str) -> None:
        drag = QDrag(self)
        mime = QMimeData()
        mime.setData(CONVERSATION_MIME, conv_id.encode())
        drag.setMimeData(mime)
        row = self.model().index(self.currentIndex().row(), 0) if self.currentIndex().isValid() else None
        if row is not None:
            drag.setPixmap(self.viewport().grab(self.visualRect(row)))
        if drag.exec(Qt.DropAction.MoveAction) == Qt.DropAction.IgnoreAction:
            self.drag_ended(conv_id, QCursor.pos())

    def drag_ended(self, conv_id: str, at: QPoint) -> None:
        """A drag nobody took ended at ``at``: outside this window, the chat is torn off into its own."""
        if not self.window().frameGeometry().contains(at):
            self.torn_off.emit(conv_id, at)


class ConversationListPanel(QWidget):
    conversation_activated = Signal(str)  # the agent picked a conversation (any tab)
    accept_requested = Signal(str)  # take this queued conversation
    detach_requested = Signal(str, object)  # open this chat in a window of its own (at a QPoint, or None)
    attach_requested = Signal(str)  # put this chat back into the main window

    def __init__(self, book: ConversationBook, now_ms: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationListPanel")
        self._book = book
        self.model = ConversationListModel(book, "active", now_ms, parent=self)
        self._current: str | None = None

        self.tabs = QTabBar(self)
        self.tabs.setObjectName("conversationTabs")
        self.tabs.setExpanding(True)
        self.tabs.setDrawBase(False)
        for _ in TABS:
            self.tabs.addTab("")
        self.tabs.currentChanged.connect(self._tab_changed)

        self.filter = QLineEdit(self)
        self.filter.setObjectName("conversationFilter")
        self.filter.setPlaceholderText(self.tr("搜索昵称、消息或拼音"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self.model.set_filter)

        self.view = ConversationListView(self)
        self.view.setObjectName("conversationList")
        self.view.torn_off.connect(lambda conv_id, at: self.detach_requested.emit(conv_id, at))
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.setModel(self.model)
        self.view.setItemDelegate(ConversationDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setMouseTracking(True)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.view.doubleClicked.connect(self._double_clicked)

        self.accept_button = QPushButton(self.tr("接入选中的买家"), self)
        self.accept_button.setObjectName("acceptButton")
        self.accept_button.clicked.connect(self._accept_selected)
        self.accept_button.setVisible(False)

        self.model.rowsInserted.connect(self._restore_selection)
        self.model.layoutChanged.connect(self._restore_selection)
        self.model.modelReset.connect(self._restore_selection)
        self._unsubscribe = book.subscribe(lambda _changes: self._update_tab_titles())

        top = QHBoxLayout()
        top.setContentsMargins(8, 8, 8, 4)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tabs)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.accept_button)
        self._update_tab_titles()

    # --- public ---------------------------------------------------------------------------------------

    def status(self) -> ConversationStatus:
        return TABS[self.tabs.currentIndex()]

    def show_tab(self, status: ConversationStatus) -> None:
        self.tabs.setCurrentIndex(TABS.index(status))

    def current_conversation(self) -> str | None:
        return self._current

    def select(self, conv_id: str) -> bool:
        """Show and select ``conv_id`` (switching tab when needed); False when the list does not hold it."""
        conv = self._book.get(conv_id)
        if conv is None:
            return False
        if self.status() != conv.status:
            self.show_tab(conv.status)
        if self.model.row_of(conv_id) is None and self.filter.text():
            self.filter.clear()
        self._current = conv_id
        self._restore_selection()
        return True

    def close_book(self) -> None:
        """Stop following the book (the window is going; the book lives on with the workbench)."""
        self._unsubscribe()
        self.model.close()

    def tick(self, now_ms: int) -> None:
        self.model.tick(now_ms)

    def set_levels(self, levels: dict[str, str]) -> None:
        self.model.set_levels(levels)

    # --- internals ------------------------------------------------------------------------------------

    def _update_tab_titles(self) -> None:
        counts = self._book.tab_counts()
        unread = self._book.unread_total("active")
        titles = {
            "active": self.tr("进行中") + (f" {counts['active']}" if counts["active"] else ""),
            "waiting": self.tr("排队") + (f" {counts['waiting']}" if counts["waiting"] else ""),
            "closed": self.tr("已结束"),
        }
        for i, status in enumerate(TABS):
            self.tabs.setTabText(i, titles[status])
        self.tabs.setTabToolTip(0, self.tr("未读消息 %n 条", "", unread))

    def _tab_changed(self, index: int) -> None:
        status = TABS[index]
        self.model.set_status(status)
        self.accept_button.setVisible(status == "waiting")
        self._restore_selection()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        conv_id = current.data(ConversationRole.ID)
        if conv_id and conv_id != self._current:
            self._current = conv_id
            self.conversation_activated.emit(conv_id)

    def _restore_selection(self, *_args: Any) -> None:
        """Keep the highlighted row on the current conversation while rows move under it."""
        row = None if self._current is None else self.model.row_of(self._current)
        selection = self.view.selectionModel()
        if row is None:
            selection.clearSelection()
            return
        index = self.model.index(row, 0)
        previous = selection.currentIndex()
        if previous != index:
            blocked = selection.blockSignals(True)
            selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            selection.blockSignals(blocked)
            # the view heard nothing (signals blocked): repaint the two rows, not the whole list
            self.view.update(index)
            if previous.isValid():
                self.view.update(previous)

    def context_menu_for(self, index: QModelIndex) -> QMenu | None:
        """The row's menu: 接入 for a queued buyer, 在新窗口中打开 or 收回到主窗口 otherwise."""
        if not index.isValid():
            return None
        conv_id = index.data(ConversationRole.ID)
        menu = QMenu(self)
        if self.status() == "waiting":
            menu.addAction(self.tr("接入"), lambda: self.accept_requested.emit(conv_id))
        if index.data(ConversationRole.DETACHED):
            menu.addAction(self.tr("收回到主窗口"), lambda: self.attach_requested.emit(conv_id))
        else:
            menu.addAction(self.tr("在新窗口中打开"), lambda: self.detach_requested.emit(conv_id, None))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        menu = self.context_menu_for(self.view.indexAt(pos))
        if menu is not None:
            menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            menu.popup(self.view.viewport().mapToGlobal(pos))

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.status() == "waiting" and index.isValid():
            self.accept_requested.emit(index.data(ConversationRole.ID))

    def _accept_selected(self) -> None:
        index = self.view.currentIndex()
        if self.status() == "waiting" and index.isValid():
            self.accept_requested.emit(index.data(ConversationRole.ID))
