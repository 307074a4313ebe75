"""A plain window showing one chat image at full size (scaled down to fit the screen), scrollable.

The picture comes from the message itself (inline base64 data, already decoded by the chat model): the
viewer never fetches anything from the network.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

SCREEN_SHARE = 0.9  # the window takes at most this much of the screen's available area
FALLBACK_SCREEN = QSize(1280, 800)


def fit_size(image: QSize, room: QSize) -> QSize:
    """``image`` scaled down (never up) to fit in ``room``, aspect kept."""
    if image.width() <= room.width() and image.height() <= room.height():
        return QSize(image)
    return image.scaled(room, Qt.AspectRatioMode.KeepAspectRatio)


class ImageViewer(QWidget):
    """One image in its own window; Esc closes it. ``image_size`` is the picture's own size."""

    def __init__(self, data: bytes | None, *, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(title or self.tr("查看图片"))
        image = QImage.fromData(data) if data else QImage()
        self.image_size = image.size() if not image.isNull() else QSize()

        self.label = QLabel()
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(self.label)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll_area.setStyleSheet("QScrollArea { background: #202124; border: none; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)

        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry().size() if screen is not None else FALLBACK_SCREEN
        room = QSize(int(available.width() * SCREEN_SHARE), int(available.height() * SCREEN_SHARE))
        if image.isNull():
            self.label.setText(self.tr("图片无法显示"))
            self.label.setStyleSheet("QLabel { color: #c0c4cc; }")
            self.resize(320, 200)
            return
        shown = fit_size(image.size(), room)
        pixmap = QPixmap.fromImage(
            image
            if shown == image.size()
            else image.scaled(
                shown, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )
        self.label.setPixmap(pixmap)
        self.resize(shown.expandedTo(QSize(200, 150)) + QSize(4, 4))

    def pixmap_size(self) -> QSize:
        """The size of the picture as shown (the image, scaled down to fit the screen if need be)."""
        return self.label.pixmap().size() if not self.label.pixmap().isNull() else QSize()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)
