"""The app's font size (设置 → 外观 → 字号): 0 keeps the size the app started with."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

_started_with: float | None = None


def apply_font_size(points: int) -> float:
    """Set the application font to ``points`` (0: back to the start-up size); returns the size now used."""
    global _started_with
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    font = app.font()
    if _started_with is None:
        _started_with = font.pointSizeF()
    size = float(points) if points > 0 else _started_with
    if font.pointSizeF() != size:
        font.setPointSizeF(size)
        app.setFont(font)
    return size
