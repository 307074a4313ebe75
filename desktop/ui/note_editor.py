"""The customer note (备注): edited in place, saved by itself.

:attr:`NoteEditor.note_edited` fires ``DEBOUNCE_MS`` after the last keystroke, or when the editor loses
focus, and only when the text differs from what was last loaded or sent. The lead reports the request's
progress with :meth:`NoteEditor.set_state` ("saving" / "saved" / "failed"). A note that arrives from the
server while the agent is typing (editor focused, or text not yet sent) is not applied: what the agent
typed wins; after a failed save the text counts as unsent again, so leaving the editor retries.
"""

from __future__ import annotations

from typing import Final, Literal

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.protocol.limits import MAX_NOTE_CHARS

DEBOUNCE_MS: Final = 800
NoteState = Literal["saving", "saved", "failed"]


class NoteTextEdit(QPlainTextEdit):
    focus_lost = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.focus_lost.emit()


class NoteEditor(QWidget):
    note_edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._baseline: str | None = ""  # the text last loaded or sent; None: unsent (after a failure)
        self._applying = False
        self.title = QLabel(self.tr("备注"), self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setObjectName("sectionTitle")
        self.state_label = QLabel(self)
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.edit = NoteTextEdit(self)
        self.edit.setPlaceholderText(self.tr("添加备注，仅客服可见"))
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(84)
        self.edit.textChanged.connect(self._on_text_changed)
        self.edit.focus_lost.connect(self.flush)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(self.title)
        header.addStretch(1)
        header.addWidget(self.state_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.edit)

    def text(self) -> str:
        return self.edit.toPlainText()

    def is_dirty(self) -> bool:
        """Whether the editor holds text that was not sent (typed, or its save failed)."""
        return self._baseline is None or self.text() != self._baseline

    def set_note(self, text: str, *, force: bool = False) -> bool:
        """Show ``text`` unless the agent is editing (focus or unsent text); ``force``: a new customer."""
        if not force and (self.edit.hasFocus() or self.is_dirty()):
            return False
        self._timer.stop()
        self._baseline = text
        if text != self.text():
            self._applying = True
            try:
                self.edit.setPlainText(text)
            finally:
                self._applying = False
        self._show_state("", "")
        return True

    def set_state(self, state: NoteState) -> None:
        if state == "saving":
            self._show_state(self.tr("保存中…"), "#8a8f99")
        elif state == "saved":
            self._show_state(self.tr("已保存"), "#36a15b")
        else:
            self._baseline = None
            self._show_state(self.tr("保存失败"), "#dc2626")

    def flush(self) -> None:
        """Send the text now if it changed (the debounce timer and focus-out call this)."""
        self._timer.stop()
        text = self.text()
        if len(text) > MAX_NOTE_CHARS or not self.is_dirty():
            return
        self._baseline = text
        self.note_edited.emit(text)

    def _on_text_changed(self) -> None:
        if self._applying:
            return
        length = len(self.text())
        if length > MAX_NOTE_CHARS:
            self._timer.stop()
            self._show_state(self.tr("超出字数 {0}/{1}").format(length, MAX_NOTE_CHARS), "#dc2626")
            return
        self._show_state("", "")
        if self.is_dirty():
            self._timer.start()
        else:
            self._timer.stop()

    def _show_state(self, text: str, colour: str) -> None:
        self.state_label.setText(text)
        self.state_label.setStyleSheet(f"color: {colour};" if colour else "")
