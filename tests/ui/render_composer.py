"""Render the composer with its warning bar, a picture waiting for confirmation and the "/" picker open.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.render_composer [out.png]

Writes ``/tmp/composer.png`` by default: a window with a stand-in chat area above the composer, as in the
conversation pane, so the picker opens above the cursor the way it will in the app.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QVBoxLayout, QWidget

from desktop.core.quick_replies import QuickReplyIndex
from desktop.core.sensitive_words import SensitiveWordChecker
from desktop.ui.composer import Composer
from tests.core.builders import quick_reply

REPLIES = [
    quick_reply(
        "q-1", "亲，退款已经提交，订单 {order.id} 预计 1-3 个工作日到账～", group="售后", shortcut="tk"
    ),
    quick_reply("q-2", "亲，退货地址已发您，请注意查收。", group="售后", shortcut="th"),
    quick_reply("q-3", "亲，运费险会在确认收货后自动理赔，请放心～", group="物流", shortcut="yf"),
    quick_reply("q-4", "<b>不是粗体</b> 的短语也只是文字", group="其他", shortcut="tx"),
    quick_reply(
        "q-5", "感谢您的耐心等待，{customer.nickname}！", group="常用", shortcut="tks", scope="personal"
    ),
]


def picture(width: int = 480, height: int = 300) -> QImage:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0, QColor("#5b8def"))
    gradient.setColorAt(1, QColor("#f29d38"))
    painter.fillRect(image.rect(), gradient)
    painter.end()
    return image


def build_window(app: QApplication) -> tuple[QWidget, Composer]:
    window = QWidget()
    window.resize(560, 560)
    chat = QLabel("（聊天记录）")
    chat.setTextFormat(Qt.TextFormat.PlainText)
    chat.setAlignment(Qt.AlignmentFlag.AlignCenter)
    chat.setFrameShape(QFrame.Shape.StyledPanel)
    composer = Composer(
        quick_replies=lambda: QuickReplyIndex(REPLIES),
        checker=SensitiveWordChecker(),
        placeholder_values=lambda: {"customer.nickname": "小明", "order.id": None, "agent.name": "客服小王"},
    )
    layout = QVBoxLayout(window)
    layout.addWidget(chat, 1)
    layout.addWidget(composer)
    window.show()
    window.activateWindow()
    app.processEvents()
    composer.focus_input()
    composer.set_text("可以加我微信聊，或者 V-X 也行")
    composer.send_now()  # forbidden words: the warning bar and the underlines
    composer.input.insertFromMimeData(mime_with(picture()))
    deadline = time.monotonic() + 10
    while composer.image_busy() and time.monotonic() < deadline:
        app.processEvents()
    QTest.keyClicks(composer.input, " /t")  # the picker, above the cursor
    app.processEvents()
    return window, composer


def mime_with(image: QImage) -> QMimeData:
    mime = QMimeData()
    mime.setImageData(image)
    return mime


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[1] if len(argv) > 1 else "/tmp/composer.png")
    app = QApplication.instance() or QApplication(argv[:1])
    assert isinstance(app, QApplication)
    window, _composer = build_window(app)
    ok = window.grab().save(str(out))
    print(f"{'saved' if ok else 'could not save'} {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
