"""Every keyboard shortcut of the workbench, declared once: the windows make their actions from here and
Help → 快捷键 lists the same table, so what Help says is what the keys do (a test presses each).

Keys are chosen not to collide with text editing in the composer (no bare Ctrl+letter that a text field
uses: Ctrl+A/C/V/X/Z/Y stay the editor's).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QKeySequence


@dataclass(frozen=True, slots=True)
class Shortcut:
    id: str
    keys: str  # QKeySequence portable text
    label: str  # Chinese source text, marked with QT_TRANSLATE_NOOP("shortcuts", …), translated by text()
    window: str = "main"  # "main" | "chat" (a detached chat window) | "both"
    arg: str = ""  # replaces %1 in the label

    def sequence(self) -> QKeySequence:
        return QKeySequence(self.keys)

    def text(self) -> str:
        return QCoreApplication.translate("shortcuts", self.label).replace("%1", self.arg)

    def in_main(self) -> bool:
        return self.window in ("main", "both")

    def in_chat_window(self) -> bool:
        return self.window in ("chat", "both")


CHAT_N = QT_TRANSLATE_NOOP("shortcuts", "切换到列表第 %1 个会话")
DETACH = QT_TRANSLATE_NOOP("shortcuts", "在新窗口中打开 / 收回到主窗口")

SHORTCUTS: tuple[Shortcut, ...] = (
    Shortcut("next_chat", "Alt+Down", QT_TRANSLATE_NOOP("shortcuts", "下一个会话")),
    Shortcut("previous_chat", "Alt+Up", QT_TRANSLATE_NOOP("shortcuts", "上一个会话")),
    *(Shortcut(f"chat_{n}", f"Ctrl+{n}", CHAT_N, arg=str(n)) for n in range(1, 10)),
    Shortcut("focus_composer", "Ctrl+L", QT_TRANSLATE_NOOP("shortcuts", "光标移到输入框"), "both"),
    Shortcut("search", "Ctrl+K", QT_TRANSLATE_NOOP("shortcuts", "搜索全部聊天记录")),
    Shortcut("accept_next", "Ctrl+Shift+A", QT_TRANSLATE_NOOP("shortcuts", "接入下一位排队买家")),
    Shortcut("transfer", "Ctrl+Shift+T", QT_TRANSLATE_NOOP("shortcuts", "转接当前会话"), "both"),
    Shortcut("close_chat", "Ctrl+Shift+W", QT_TRANSLATE_NOOP("shortcuts", "结束当前会话"), "both"),
    Shortcut("detach", "Ctrl+Shift+D", DETACH, "both"),
    Shortcut("toggle_side", "Ctrl+Shift+I", QT_TRANSLATE_NOOP("shortcuts", "显示或隐藏客户资料"), "chat"),
    Shortcut("shortcuts_help", "F1", QT_TRANSLATE_NOOP("shortcuts", "快捷键一览"), "main"),
)

BY_ID = {shortcut.id: shortcut for shortcut in SHORTCUTS}


def shortcut(shortcut_id: str) -> Shortcut:
    return BY_ID[shortcut_id]
