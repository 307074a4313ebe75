"""Help → 快捷键: the table of every shortcut, made from the same declarations the windows use."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.shortcuts import SHORTCUTS, Shortcut


def where_text(item: Shortcut) -> str:
    translate = QCoreApplication.translate
    return {
        "main": translate("ShortcutsDialog", "主窗口"),
        "chat": translate("ShortcutsDialog", "独立会话窗口"),
        "both": translate("ShortcutsDialog", "主窗口和独立会话窗口"),
    }[item.window]


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("快捷键"))
        self.resize(520, 560)
        self.table = QTableWidget(len(SHORTCUTS), 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("按键"), self.tr("作用"), self.tr("在哪里")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)  # one line per shortcut; the dialog is made wide enough below
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for row, item in enumerate(SHORTCUTS):
            keys = item.sequence().toString(QKeySequence.SequenceFormat.NativeText)
            for column, text in enumerate((keys, item.text(), where_text(item))):
                cell = QTableWidgetItem(text)
                cell.setData(Qt.ItemDataRole.UserRole, item.id)
                self.table.setItem(row, column, cell)
        self.resize(max(520, self._table_width() + 24), 560)  # English texts run longer than Chinese
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def _table_width(self) -> int:
        """The width that shows every column without cutting a text."""
        columns = sum(self.table.sizeHintForColumn(column) for column in range(3))
        scroll_bar = self.table.verticalScrollBar().sizeHint().width()
        return columns + scroll_bar + 2 * self.table.frameWidth() + 12

    def rows(self) -> list[tuple[str, str, str]]:
        """(keys, what it does, where) as shown."""
        return [
            tuple(self.table.item(row, column).text() for column in range(3))  # type: ignore[misc]
            for row in range(self.table.rowCount())
        ]
