"""The strip that asks before a pasted or dropped picture is sent: thumbnail, size, "发送图片" / "取消"."""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.ui.image_scaling import thumbnail

THUMB_HEIGHT: Final = 56


def size_text(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


class ImagePreviewStrip(QFrame):
    send_clicked = Signal()
    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("imagePreviewStrip")
        self.setStyleSheet(
            "#imagePreviewStrip { background: #f5f7fa; border: 1px solid #dcdfe6; border-radius: 4px; }"
        )
        self.thumb = QLabel(self)
        self.thumb.setFixedHeight(THUMB_HEIGHT)
        self.thumb.setMinimumWidth(THUMB_HEIGHT)
        self.thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.info = QLabel(self)
        self.info.setTextFormat(Qt.TextFormat.PlainText)
        self.send_button = QPushButton(self.tr("发送图片"), self)
        self.cancel_button = QPushButton(self.tr("取消"), self)
        self.send_button.clicked.connect(self.send_clicked)
        self.cancel_button.clicked.connect(self.cancel_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 4, 4)
        layout.addWidget(self.thumb)
        layout.addWidget(self.info, 1)
        layout.addWidget(self.send_button)
        layout.addWidget(self.cancel_button)
        self.hide()

    def show_busy(self, image: QImage) -> None:
        """The picture arrived and is being made small enough: thumbnail now, sending not yet."""
        self.thumb.setPixmap(QPixmap.fromImage(thumbnail(image, THUMB_HEIGHT)))
        self.info.setText(self.tr("正在处理图片…"))
        self.send_button.setEnabled(False)
        self.show()

    def show_ready(self, width: int, height: int, size: int) -> None:
        self.info.setText(
            self.tr("图片 %1×%2，%3")
            .replace("%1", str(width))
            .replace("%2", str(height))
            .replace("%3", size_text(size))
        )
        self.send_button.setEnabled(True)
        self.show()

    def show_failed(self, message: str) -> None:
        self.info.setText(message)
        self.send_button.setEnabled(False)
        self.show()

    def clear(self) -> None:
        self.thumb.clear()
        self.info.clear()
        self.hide()
