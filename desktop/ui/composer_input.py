"""The composer's text box: send keys, plain-text-only paste, pictures pasted or dropped.

- Send keys: with *Enter sends*, Enter/Return sends and Shift+Enter inserts a newline; otherwise Enter inserts
  a newline. Ctrl+Enter always sends. Only committed key presses are looked at, so an input method's
  composition (Enter while composing pinyin) never sends.
- Paste and drop: a picture (image data, or a local image file) is handed over as a QImage through
  :attr:`ComposerInput.image_received` instead of being inserted; anything else is inserted as its plain
  text only (HTML in the clipboard arrives as the text it shows, never as rich text).
- :attr:`ComposerInput.key_interceptor` sees every key press first (the ``/`` picker's Up/Down/Enter/Esc).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Final

from PySide6.QtCore import QEvent, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QImage, QImageReader, QKeyEvent, QPixmap, QTextDocumentFragment
from PySide6.QtWidgets import QPlainTextEdit, QWidget

ENTER_KEYS: Final = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_IMAGE_SUFFIXES: Final = frozenset(
    bytes(fmt.data()).decode().lower() for fmt in QImageReader.supportedImageFormats()
)


def image_files(mime: QMimeData) -> list[Path]:
    """The local files among ``mime``'s URLs whose suffix names a picture format Qt can read."""
    if not mime.hasUrls():
        return []
    paths = (Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile())
    return [path for path in paths if path.suffix[1:].lower() in _IMAGE_SUFFIXES]


def image_from_mime(mime: QMimeData) -> QImage | None:
    """The picture in ``mime`` (image data first, else the first readable image file), or None."""
    if mime.hasImage():
        data = mime.imageData()
        image = data.toImage() if isinstance(data, QPixmap) else data
        if isinstance(image, QImage) and not image.isNull():
            return image
    for path in image_files(mime):
        image = QImageReader(str(path)).read()
        if not image.isNull():
            return image
    return None


def plain_text_of(mime: QMimeData) -> str:
    """``mime``'s plain text; for HTML-only data, the text the HTML shows (markup never kept)."""
    if mime.hasText():
        return mime.text()
    if mime.hasHtml():
        return QTextDocumentFragment.fromHtml(mime.html()).toPlainText()
    return ""


class ComposerInput(QPlainTextEdit):
    send_requested = Signal()
    image_received = Signal(QImage)
    focus_lost = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enter_sends = True
        self.key_interceptor: Callable[[QKeyEvent], bool] | None = None
        self.setTabChangesFocus(True)

    def sizeHint(self) -> QSize:  # Qt's name: about five lines, not QPlainTextEdit's 192 px
        margins = self.contentsMargins()
        lines = 5 * self.fontMetrics().lineSpacing() + 2 * round(self.document().documentMargin())
        return QSize(super().sizeHint().width(), lines + margins.top() + margins.bottom())

    def minimumSizeHint(self) -> QSize:  # Qt's name: two lines
        margins = self.contentsMargins()
        lines = 2 * self.fontMetrics().lineSpacing() + 2 * round(self.document().documentMargin())
        return QSize(super().minimumSizeHint().width(), lines + margins.top() + margins.bottom())

    def is_send_key(self, event: QKeyEvent) -> bool:
        if event.key() not in ENTER_KEYS:
            return False
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods == Qt.KeyboardModifier.ControlModifier:
            return True
        return self.enter_sends and mods == Qt.KeyboardModifier.NoModifier

    def event(self, event: QEvent) -> bool:  # Qt's name
        # Tab moves the focus before keyPressEvent sees it: let the interceptor (the picker) have it first.
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Tab
            and self.key_interceptor is not None
            and self.key_interceptor(event)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's name
        if self.key_interceptor is not None and self.key_interceptor(event):
            event.accept()
            return
        if self.is_send_key(event):
            event.accept()
            self.send_requested.emit()
            return
        if event.key() in ENTER_KEYS:
            # A plain "\n" (QPlainTextEdit would put a U+2028 line separator for Shift+Enter).
            event.accept()
            self.insertPlainText("\n")
            self.ensureCursorVisible()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # Qt's name
        super().focusOutEvent(event)
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self.focus_lost.emit()

    # ------------------------------------------------------------------------------- paste and drop
    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # Qt's name
        return source.hasImage() or bool(image_files(source)) or source.hasText() or source.hasHtml()

    def insertFromMimeData(self, source: QMimeData) -> None:  # Qt's name
        image = image_from_mime(source)
        if image is not None:
            self.image_received.emit(image)
            return
        text = plain_text_of(source)
        if text:
            self.insertPlainText(text)
            self.ensureCursorVisible()
