"""A QPainter that remembers every text it was asked to draw (what a delegate really shows)."""

from __future__ import annotations

from PySide6.QtGui import QImage, QPainter


class RecordingPainter(QPainter):
    def __init__(self, device: QImage) -> None:
        super().__init__(device)
        self.texts: list[str] = []

    def drawText(self, *args):  # Qt's name, overridden to record
        self.texts.append(args[-1])
        return super().drawText(*args)
