"""转接: pick a colleague (status and load shown) and leave a note for them.

The dialog only chooses; the caller sends ``conversation.transfer``. Colleagues come as :class:`Agent`
objects (from ``agents.list`` when the server has it, else the snapshot's list with live presence): the
online ones with room first, then busy and suspended ones, offline ones listed but not selectable.
Names are shop staff's, still shown as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.protocol import limits
from desktop.protocol.objects import Agent
from desktop.ui.plain_text import one_line

ORDER = {"online": 0, "busy": 1, "away": 2, "offline": 3}


def status_text(agent: Agent) -> str:
    if agent.status == "online" and agent.suspended:
        return QCoreApplication.translate("TransferDialog", "挂起")
    return {
        "online": QCoreApplication.translate("TransferDialog", "在线"),
        "busy": QCoreApplication.translate("TransferDialog", "忙碌"),
        "away": QCoreApplication.translate("TransferDialog", "离开"),
        "offline": QCoreApplication.translate("TransferDialog", "离线"),
    }[agent.status]


def sort_key(agent: Agent) -> tuple[int, int, float, str]:
    suspended = 1 if agent.suspended else 0
    load = agent.active_count / agent.max_concurrent if agent.max_concurrent else 1.0
    return (ORDER[agent.status], suspended, load, agent.name)


class TransferDialog(QDialog):
    def __init__(self, colleagues: Sequence[Agent], buyer: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("转接会话"))
        self.setMinimumWidth(380)
        intro = QLabel(self.tr("把与「%1」的会话转给：").replace("%1", one_line(buyer)), self)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.list = QListWidget(self)
        self.list.setObjectName("colleagues")
        self.empty = QLabel(self.tr("没有可以转接的同事"), self)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("留言给同事（可选），如：买家要换货，已核对订单"))
        self.note.setMaxLength(limits.MAX_NOTE_CHARS)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("转接"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.list.currentItemChanged.connect(lambda *_: self._update())
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.set_colleagues(colleagues)

    def set_colleagues(self, colleagues: Sequence[Agent]) -> None:
        """(Re)fill the list — the last known one first, the live one (agents.list) when it comes — keeping
        the agent's choice when that colleague is still there."""
        kept = self.chosen()
        self.list.clear()
        for agent in sorted(colleagues, key=sort_key):
            load = self.tr("%1/%2 接待中").replace("%1", str(agent.active_count))
            load = load.replace("%2", str(agent.max_concurrent))
            item = QListWidgetItem(f"{one_line(agent.name)}    {status_text(agent)} · {load}", self.list)
            item.setData(Qt.ItemDataRole.UserRole, agent.id)
            if agent.status == "offline":
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
        self.empty.setVisible(self.list.count() == 0)
        items = [self.list.item(i) for i in range(self.list.count())]
        enabled = [item for item in items if item.flags() & Qt.ItemFlag.ItemIsEnabled]
        again = [
            item for item in enabled if kept is not None and item.data(Qt.ItemDataRole.UserRole) == kept[0]
        ]
        if again or enabled:
            self.list.setCurrentItem((again or enabled)[0])
        self._update()

    def chosen(self) -> tuple[str, str | None] | None:
        """(agent id, note or None), or None when nobody is chosen."""
        item = self.list.currentItem()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            return None
        note = self.note.text().strip()
        return str(item.data(Qt.ItemDataRole.UserRole)), note or None

    def accept(self) -> None:
        if self.chosen() is not None:
            super().accept()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.chosen() is not None)
