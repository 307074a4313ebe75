"""The page a side-panel tab shows instead of its content: loading, empty, or failed with a 重试 button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class LoadStatePage(QWidget):
    """One message (plain text, it may quote a server error) and an optional retry button."""

    retry_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.message = QLabel(self)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setStyleSheet("color: #8a8f99;")
        self.retry_button = QPushButton(self.tr("重试"), self)
        self.retry_button.clicked.connect(self.retry_requested)
        self.retry_button.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        layout.addWidget(self.message)
        layout.addSpacing(8)
        layout.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.retry_button.hide()

    def show_error(self, text: str) -> None:
        self.message.setText(text)
        self.retry_button.show()
