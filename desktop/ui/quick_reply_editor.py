"""The dialog that adds or edits one personal quick reply (分组, 快捷键, 内容).

Open it with :meth:`QDialog.open` and read :meth:`QuickReplyEditor.draft` in the ``finished`` handler; never
``exec()`` (the app's asyncio loop runs inside Qt's). 保存 stays disabled until the text is valid: not blank,
and every field within the protocol's limits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.protocol.limits import MAX_NAME_CHARS, MAX_TEXT_CHARS
from desktop.protocol.objects import QuickReply, QuickReplyDraft
from desktop.ui.plain_text import one_line

MAX_SHORTCUT_CHARS: Final = 32


class QuickReplyEditor(QDialog):
    def __init__(
        self, groups: Sequence[str], reply: QuickReply | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.reply = reply
        self.setWindowTitle(self.tr("编辑短语") if reply is not None else self.tr("新增短语"))
        self.setMinimumWidth(320)

        self.group_box = QComboBox(self)
        self.group_box.setEditable(True)
        self.group_box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.group_box.addItems([one_line(g) for g in groups])
        self.group_box.lineEdit().setMaxLength(MAX_NAME_CHARS)
        self.group_box.lineEdit().setPlaceholderText(self.tr("常用"))
        self.shortcut_edit = QLineEdit(self)
        self.shortcut_edit.setMaxLength(MAX_SHORTCUT_CHARS)
        self.shortcut_edit.setPlaceholderText(self.tr("如 tk，输入 /tk 即可找到"))
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setPlaceholderText(self.tr("短语内容，可使用 {customer.nickname}、{order.id}"))
        self.text_edit.setTabChangesFocus(True)
        self.error_label = QLabel(self)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.setStyleSheet("color: #dc2626;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)

        if reply is not None:
            self.group_box.setCurrentText(reply.group)
            self.shortcut_edit.setText(reply.shortcut)
            self.text_edit.setPlainText(reply.text)
        else:
            self.group_box.setCurrentText(groups[0] if groups else "")

        form = QFormLayout()
        form.addRow(self.tr("分组"), self.group_box)
        form.addRow(self.tr("快捷键"), self.shortcut_edit)
        form.addRow(self.tr("内容"), self.text_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.group_box.currentTextChanged.connect(self._validate)
        self.shortcut_edit.textChanged.connect(self._validate)
        self.text_edit.textChanged.connect(self._validate)
        self._validate()

    def problem(self) -> str:
        """What keeps the draft from being saved, or "" when it is valid."""
        text = self.text_edit.toPlainText()
        if not text.strip():
            return self.tr("请填写短语内容")
        if len(text) > MAX_TEXT_CHARS:
            return self.tr("内容最多 {0} 字（现在 {1} 字）").format(MAX_TEXT_CHARS, len(text))
        if len(self._group()) > MAX_NAME_CHARS:
            return self.tr("分组名最多 {0} 字").format(MAX_NAME_CHARS)
        return ""

    def draft(self) -> QuickReplyDraft:
        """The personal quick reply as entered (``id`` None for a new one)."""
        return QuickReplyDraft(
            id=None if self.reply is None else self.reply.id,
            scope="personal",
            group=self._group(),
            shortcut=self.shortcut_edit.text().strip().lstrip("/")[:MAX_SHORTCUT_CHARS],
            text=self.text_edit.toPlainText().strip(),
        )

    def _group(self) -> str:
        return one_line(self.group_box.currentText()) or self.tr("常用")

    def _validate(self) -> None:
        problem = self.problem()
        # A blank new phrase is not an error yet: just keep 保存 disabled.
        self.error_label.setText(problem if self.text_edit.toPlainText() else "")
        self.error_label.setVisible(bool(self.error_label.text()))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problem)

    def _accept_if_valid(self) -> None:
        if not self.problem():
            self.accept()
