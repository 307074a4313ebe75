"""The bar shown above the input when a reply contains forbidden words: "仍然发送" or "返回修改"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class SensitiveWarningBar(QFrame):
    send_anyway = Signal()
    back_to_edit = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sensitiveWarningBar")
        self.setStyleSheet(
            "#sensitiveWarningBar { background: #fff1f0; border: 1px solid #ffccc7; border-radius: 4px; }"
            "#sensitiveWarningBar QLabel { color: #a8071a; }"
        )
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.send_button = QPushButton(self.tr("仍然发送"), self)
        self.back_button = QPushButton(self.tr("返回修改"), self)
        self.send_button.clicked.connect(self.send_anyway)
        self.back_button.clicked.connect(self.back_to_edit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.send_button)
        layout.addWidget(self.back_button)
        self.hide()

    def set_words(self, words: list[str]) -> None:
        """The words as they were found in the text (each once, in order)."""
        separator = self.tr("、", "between the words found")
        self.label.setText(self.tr("包含敏感词：%1，请修改后发送").replace("%1", separator.join(words)))
