"""The 快捷短语 tab: team and personal phrases by group, a pinyin-aware search, add/edit/delete of one's own.

A single click inserts a phrase (``insert_requested``), a double click sends it (``send_requested``): a
click waits for the double-click interval first, so one gesture emits exactly one of the two. Enter in the
search box or on a phrase inserts at once. Matching is :meth:`QuickReplyIndex.search`'s (``tk`` → 退款…).

Editing opens :class:`QuickReplyEditor` and deleting a confirmation box, both with ``open()``, never
``exec()``; the results come back as ``save_requested(QuickReplyDraft)`` and ``delete_requested(id)``.
Team phrases are read-only here. Phrases are untrusted text: tree items draw plain text, and tooltips are
escaped.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.core.quick_replies import QuickReplyIndex
from desktop.protocol.objects import QuickReply, QuickReplyScope
from desktop.ui.plain_text import one_line, plain_tooltip
from desktop.ui.quick_reply_editor import QuickReplyEditor

REPLY_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_LIMIT = 50
GREY = QColor("#8a8f99")


def shortcut_text(reply: QuickReply) -> str:
    return f"/{reply.shortcut}" if reply.shortcut else ""


class PhraseTree(QTreeWidget):
    """Two columns (text, shortcut), no header; group nodes, or a flat list of search results."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setHeaderHidden(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setUniformRowHeights(True)
        self.setIndentation(12)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setExpandsOnDoubleClick(True)
        self.setStyleSheet("QTreeView::item { padding: 4px 2px; }")
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)

    def reply_items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        for i in range(self.topLevelItemCount()):
            top = self.topLevelItem(i)
            if top.data(0, REPLY_ROLE) is not None:
                found.append(top)
            found.extend(top.child(j) for j in range(top.childCount()))
        return found

    def item_for(self, reply_id: str) -> QTreeWidgetItem | None:
        return next((i for i in self.reply_items() if i.data(0, REPLY_ROLE).id == reply_id), None)


def reply_item(reply: QuickReply) -> QTreeWidgetItem:
    item = QTreeWidgetItem([one_line(reply.text), shortcut_text(reply)])
    item.setData(0, REPLY_ROLE, reply)
    item.setToolTip(0, plain_tooltip(reply.text))
    item.setForeground(1, QBrush(GREY))
    item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class QuickReplyPanel(QWidget):
    insert_requested = Signal(object)
    send_requested = Signal(object)
    save_requested = Signal(object)
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._index: QuickReplyIndex | None = None
        self._collapsed: set[tuple[str, str]] = set()
        self._pending_click: QuickReply | None = None
        self._click_timer = QTimer(self)
        self._click_timer.setSingleShot(True)
        self._click_timer.timeout.connect(self._emit_pending_insert)
        self.editor: QuickReplyEditor | None = None
        self.confirm_box: QMessageBox | None = None

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("搜索短语 / 快捷键 / 拼音首字母"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._search_changed)
        self.search_edit.returnPressed.connect(self._insert_first_result)
        self.search_edit.installEventFilter(self)

        self.team_tree = PhraseTree(self)
        self.personal_tree = PhraseTree(self)
        self.results_tree = PhraseTree(self)
        self.results_tree.setRootIsDecorated(False)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.team_tree, self.tr("团队"))
        self.tabs.addTab(self.personal_tree, self.tr("个人"))
        self.tabs.currentChanged.connect(self._update_buttons)
        self.message_label = QLabel(self)
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet("color: #8a8f99;")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.message_label)
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.results_tree)
        for tree in (self.team_tree, self.personal_tree, self.results_tree):
            tree.itemClicked.connect(self._item_clicked)
            tree.itemDoubleClicked.connect(self._item_double_clicked)
            tree.currentItemChanged.connect(self._update_buttons)
            tree.customContextMenuRequested.connect(self._context_menu)
            tree.itemCollapsed.connect(self._group_toggled)
            tree.itemExpanded.connect(self._group_toggled)
            tree.installEventFilter(self)

        self.add_button = QPushButton(self.tr("新增"), self)
        self.add_button.setToolTip(self.tr("新增个人短语"))
        self.add_button.clicked.connect(self.add_reply)
        self.edit_button = QPushButton(self.tr("编辑"), self)
        self.edit_button.clicked.connect(lambda: self._edit(self.current_reply()))
        self.delete_button = QPushButton(self.tr("删除"), self)
        self.delete_button.clicked.connect(lambda: self._confirm_delete(self.current_reply()))
        buttons = QHBoxLayout()
        buttons.setContentsMargins(12, 8, 12, 10)
        buttons.setSpacing(8)
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.delete_button)

        top = QVBoxLayout()
        top.setContentsMargins(12, 12, 12, 6)
        top.addWidget(self.search_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.set_index(None)

    # --- public API ------------------------------------------------------------------------------------

    def set_index(self, index: QuickReplyIndex | None) -> None:
        """The phrases to show; None while ``quick_replies.list`` is still loading."""
        self._index = index
        self.refresh()

    def refresh(self) -> None:
        """Redraw from the index (after it changed); keeps the search, current phrase, collapsed groups."""
        if self._index is None:
            self.message_label.setText(self.tr("正在加载…"))
            self.stack.setCurrentWidget(self.message_label)
            self.search_edit.setEnabled(False)
            self._update_buttons()
            return
        self.search_edit.setEnabled(True)
        for tree, scope in ((self.team_tree, "team"), (self.personal_tree, "personal")):
            self._fill_groups(tree, scope)
        self._search_changed(self.search_edit.text())

    def current_reply(self) -> QuickReply | None:
        tree = self._visible_tree()
        item = tree.currentItem() if tree is not None else None
        return item.data(0, REPLY_ROLE) if item is not None else None

    def add_reply(self) -> None:
        """Open the editor for a new personal phrase."""
        self._edit(None)

    # --- filling ---------------------------------------------------------------------------------------

    def _fill_groups(self, tree: PhraseTree, scope: QuickReplyScope) -> None:
        assert self._index is not None
        current = tree.currentItem()
        current_id = current.data(0, REPLY_ROLE).id if current and current.data(0, REPLY_ROLE) else None
        tree.blockSignals(True)
        try:
            tree.clear()
            bold = QFont(tree.font())
            bold.setBold(True)
            for group in self._index.groups(scope):
                node = QTreeWidgetItem([one_line(group.name) or self.tr("未分组"), str(len(group.replies))])
                node.setData(0, GROUP_ROLE, group.name)
                node.setFont(0, bold)
                node.setForeground(1, QBrush(GREY))
                node.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                node.setFlags(Qt.ItemFlag.ItemIsEnabled)
                node.addChildren([reply_item(reply) for reply in group.replies])
                tree.addTopLevelItem(node)
                node.setExpanded((scope, group.name) not in self._collapsed)
            if current_id is not None and (item := tree.item_for(current_id)) is not None:
                tree.setCurrentItem(item)
        finally:
            tree.blockSignals(False)
        if tree.topLevelItemCount() == 0:
            empty = QTreeWidgetItem(
                [self.tr("还没有个人短语，点“新增”添加") if scope == "personal" else self.tr("暂无团队短语")]
            )
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            tree.addTopLevelItem(empty)

    def _search_changed(self, text: str) -> None:
        if self._index is None:
            return
        query = text.strip()
        if not query:
            self.stack.setCurrentWidget(self.tabs)
            self._update_buttons()
            return
        self.results_tree.clear()
        matches = self._index.search(query, SEARCH_LIMIT)
        self.results_tree.addTopLevelItems([reply_item(match.reply) for match in matches])
        if matches:
            self.results_tree.setCurrentItem(self.results_tree.topLevelItem(0))
            self.stack.setCurrentWidget(self.results_tree)
        else:
            self.message_label.setText(self.tr("没有找到匹配的短语"))
            self.stack.setCurrentWidget(self.message_label)
        self._update_buttons()

    def _visible_tree(self) -> PhraseTree | None:
        if self.stack.currentWidget() is self.results_tree:
            return self.results_tree
        if self.stack.currentWidget() is self.tabs:
            widget = self.tabs.currentWidget()
            return widget if isinstance(widget, PhraseTree) else None
        return None

    # --- insert / send ---------------------------------------------------------------------------------

    def _item_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        reply = item.data(0, REPLY_ROLE)
        if reply is None:
            return
        self._pending_click = reply
        self._click_timer.start(QApplication.doubleClickInterval())

    def _item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        reply = item.data(0, REPLY_ROLE)
        self._click_timer.stop()
        self._pending_click = None
        if reply is not None:
            self.send_requested.emit(reply)

    def _emit_pending_insert(self) -> None:
        reply, self._pending_click = self._pending_click, None
        if reply is not None:
            self.insert_requested.emit(reply)

    def _insert_first_result(self) -> None:
        if self.stack.currentWidget() is self.results_tree:
            reply = self.current_reply()
            if reply is not None:
                self.insert_requested.emit(reply)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_edit and key == Qt.Key.Key_Down:
                tree = self._visible_tree()
                if tree is not None:
                    tree.setFocus()
                    return True
            if isinstance(watched, PhraseTree) and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                reply = self.current_reply()
                if reply is not None:
                    self.insert_requested.emit(reply)
                    return True
        return super().eventFilter(watched, event)

    # --- personal phrases: add, edit, delete -----------------------------------------------------------

    def _personal_groups(self) -> list[str]:
        return [] if self._index is None else [g.name for g in self._index.groups("personal")]

    def _edit(self, reply: QuickReply | None) -> None:
        if reply is not None and reply.scope != "personal":
            return
        if self.editor is not None:
            self.editor.raise_()
            return
        groups = self._personal_groups() or [self.tr("常用")]
        self.editor = QuickReplyEditor(groups, reply, self)
        self.editor.finished.connect(self._editor_finished)
        self.editor.open()

    def _editor_finished(self, result: int) -> None:
        editor, self.editor = self.editor, None
        if editor is None:
            return
        if result == QDialog.DialogCode.Accepted:
            self.save_requested.emit(editor.draft())
        editor.deleteLater()

    def _confirm_delete(self, reply: QuickReply | None) -> None:
        if reply is None or reply.scope != "personal" or self.confirm_box is not None:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("删除短语"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(self.tr("确定删除这条个人短语吗？"))
        box.setInformativeText(one_line(reply.text)[:120])
        for label in box.findChildren(QLabel):
            label.setTextFormat(Qt.TextFormat.PlainText)
        delete = box.addButton(self.tr("删除"), QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("取消"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.finished.connect(
            lambda _result: self._confirm_finished(box, box.clickedButton() is delete, reply)
        )
        self.confirm_box = box
        box.open()

    def _confirm_finished(self, box: QMessageBox, confirmed: bool, reply: QuickReply) -> None:
        self.confirm_box = None
        if confirmed:
            self.delete_requested.emit(reply.id)
        box.deleteLater()

    def _context_menu(self, position: QPoint) -> None:
        tree = self.sender()
        if not isinstance(tree, PhraseTree):
            return
        item = tree.itemAt(position)
        reply: QuickReply | None = item.data(0, REPLY_ROLE) if item is not None else None
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if reply is not None:
            insert = QAction(self.tr("插入到输入框"), menu)
            insert.triggered.connect(lambda: self.insert_requested.emit(reply))
            send = QAction(self.tr("直接发送"), menu)
            send.triggered.connect(lambda: self.send_requested.emit(reply))
            menu.addActions([insert, send])
            if reply.scope == "personal":
                menu.addSeparator()
                edit = QAction(self.tr("编辑"), menu)
                edit.triggered.connect(lambda: self._edit(reply))
                delete = QAction(self.tr("删除"), menu)
                delete.triggered.connect(lambda: self._confirm_delete(reply))
                menu.addActions([edit, delete])
        menu.addSeparator()
        add = QAction(self.tr("新增个人短语"), menu)
        add.triggered.connect(self.add_reply)
        menu.addAction(add)
        menu.popup(tree.viewport().mapToGlobal(position))

    def _group_toggled(self, item: QTreeWidgetItem) -> None:
        name = item.data(0, GROUP_ROLE)
        tree = self.sender()
        if name is None or tree not in (self.team_tree, self.personal_tree):
            return
        key = ("team" if tree is self.team_tree else "personal", name)
        if item.isExpanded():
            self._collapsed.discard(key)
        else:
            self._collapsed.add(key)

    def _update_buttons(self, *_args: object) -> None:
        reply = self.current_reply()
        own = reply is not None and reply.scope == "personal"
        self.add_button.setEnabled(self._index is not None)
        self.edit_button.setEnabled(own)
        self.delete_button.setEnabled(own)
