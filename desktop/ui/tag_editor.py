"""The customer's tags as removable chips, plus a small "+ 标签" field: Enter adds, × removes.

Every edit emits :attr:`TagEditor.tags_edited` with the whole new list (what ``customer.update`` takes) and
shows it at once. Tags are untrusted text: chips are plain-text labels. New tags are cleaned to one line,
deduplicated (case-blind) and limited to the protocol's ``MAX_TAGS`` tags of ``MAX_NAME_CHARS`` each.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from desktop.protocol.limits import MAX_NAME_CHARS, MAX_TAGS
from desktop.ui.flow_layout import FlowLayout
from desktop.ui.plain_text import one_line

CHIP_STYLE = """
QFrame#tagChip { background: #eef3fb; border: 1px solid #d6e2f5; border-radius: 11px; }
QFrame#tagChip QLabel { color: #2f5aa8; }
QFrame#tagChip QToolButton { border: none; color: #7d8aa3; padding: 0 2px; }
QFrame#tagChip QToolButton:hover { color: #dc2626; }
"""


class TagChip(QFrame):
    remove_clicked = Signal(str)

    def __init__(self, tag: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tag = tag
        self.setObjectName("tagChip")
        self.label = QLabel(tag, self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.remove_button = QToolButton(self)
        self.remove_button.setText("×")
        self.remove_button.setAccessibleName(self.tr("删除标签"))
        self.remove_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.remove_button.clicked.connect(lambda: self.remove_clicked.emit(self.tag))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(9, 1, 3, 1)
        layout.setSpacing(1)
        layout.addWidget(self.label)
        layout.addWidget(self.remove_button)


class TagEditor(QWidget):
    """Chips for ``set_tags``; emits ``tags_edited(list[str])`` after every add or remove."""

    tags_edited = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(CHIP_STYLE)
        self._tags: list[str] = []
        self._chips: list[TagChip] = []
        self._flow = FlowLayout(self, spacing=6)
        self.input = QLineEdit(self)
        self.input.setMaxLength(MAX_NAME_CHARS)
        self.input.setFixedWidth(96)
        self.input.returnPressed.connect(self._add_from_input)
        self._flow.addWidget(self.input)
        self._update_input()

    def tags(self) -> list[str]:
        return list(self._tags)

    def chips(self) -> list[TagChip]:
        return list(self._chips)

    def set_tags(self, tags: Sequence[str]) -> None:
        """Show ``tags`` (from the server); what the agent is typing in the field stays."""
        self._tags = list(tags)
        self._rebuild()

    def clear_input(self) -> None:
        self.input.clear()

    def add_tag(self, text: str) -> bool:
        """Add a tag as if typed; returns whether it was added (not empty, new, under the limit)."""
        tag = one_line(text)[:MAX_NAME_CHARS]
        if not tag or len(self._tags) >= MAX_TAGS:
            return False
        if tag.casefold() in {t.casefold() for t in self._tags}:
            return False
        self._tags.append(tag)
        self._rebuild()
        self.tags_edited.emit(list(self._tags))
        return True

    def remove_tag(self, tag: str) -> None:
        if tag not in self._tags:
            return
        self._tags.remove(tag)
        self._rebuild()
        self.tags_edited.emit(list(self._tags))

    def _add_from_input(self) -> None:
        text = self.input.text()
        if self.add_tag(text) or not one_line(text):
            self.input.clear()
        else:
            self.input.selectAll()  # a duplicate (or over the limit): leave it for the agent to change

    def _rebuild(self) -> None:
        for chip in self._chips:
            self._flow.removeWidget(chip)
            chip.hide()
            chip.deleteLater()
        self._flow.removeWidget(self.input)
        self._chips = []
        for tag in self._tags:
            chip = TagChip(tag, self)
            chip.remove_clicked.connect(self.remove_tag)
            self._flow.addWidget(chip)
            chip.show()
            self._chips.append(chip)
        self._flow.addWidget(self.input)
        self._update_input()
        self.updateGeometry()

    def _update_input(self) -> None:
        full = len(self._tags) >= MAX_TAGS
        self.input.setEnabled(not full)
        if full:
            self.input.setPlaceholderText(self.tr("标签已满"))
        else:
            self.input.setPlaceholderText(self.tr("+ 标签"))
