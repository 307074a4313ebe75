"""What the main window's chat area shows for a chat that is open in a window of its own."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class DetachedPlaceholder(QWidget):
    show_requested = Signal(str)  # bring the chat's window to the front
    attach_requested = Signal(str)  # put the chat back into the main window

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detachedPlaceholder")
        self.conversation_id: str | None = None
        self.label = QLabel(self)
        self.label.setObjectName("emptyChat")
        self.label.setTextFormat(Qt.TextFormat.PlainText)  # the title holds a buyer's nickname
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.show_button = QPushButton(self.tr("切换到该窗口"), self)
        self.attach_button = QPushButton(self.tr("收回到主窗口"), self)
        self.show_button.clicked.connect(lambda: self._emit(self.show_requested))
        self.attach_button.clicked.connect(lambda: self._emit(self.attach_requested))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.attach_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def show_for(self, conversation_id: str, name: str) -> None:
        """Say that the chat with ``name`` (a buyer's nickname: plain text) is in a window of its own."""
        self.conversation_id = conversation_id
        self.label.setText(self.tr("「%1」的会话已在独立窗口中打开").replace("%1", name))

    def _emit(self, signal: Signal) -> None:
        if self.conversation_id is not None:
            signal.emit(self.conversation_id)  # type: ignore[attr-defined]
