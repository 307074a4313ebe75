"""结束会话: a reason (common ones offered, or typed) and whether to invite the buyer to rate.

The dialog only chooses; the caller sends ``conversation.close`` and then ``rating.invite``.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.protocol import limits
from desktop.ui.plain_text import one_line

# Offered in the agent's language (the chosen text is what the server records).
REASONS = (
    QT_TRANSLATE_NOOP("CloseDialog", "问题已解决"),
    QT_TRANSLATE_NOOP("CloseDialog", "买家无回应"),
    QT_TRANSLATE_NOOP("CloseDialog", "重复咨询"),
    QT_TRANSLATE_NOOP("CloseDialog", "已转其他渠道处理"),
)


class CloseDialog(QDialog):
    def __init__(self, buyer: str, parent: QWidget | None = None, *, invite_default: bool = True) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("结束会话"))
        self.setMinimumWidth(340)
        intro = QLabel(self.tr("结束与「%1」的会话").replace("%1", one_line(buyer)), self)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.addItems([QCoreApplication.translate("CloseDialog", r) for r in REASONS])
        self.reason.lineEdit().setMaxLength(limits.MAX_NOTE_CHARS)
        self.reason.lineEdit().setPlaceholderText(self.tr("结束原因"))
        self.invite = QCheckBox(self.tr("邀请买家评价"), self)
        self.invite.setChecked(invite_default)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("结束会话"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.reason)
        layout.addWidget(self.invite)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[str | None, bool]:
        """(reason or None, invite to rate)."""
        reason = self.reason.currentText().strip()
        return reason or None, self.invite.isChecked()
