"""Render the chat view (ChatModel + ChatDelegate) with sample messages to a PNG, for a person to look at.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.render_chat [out.png]

Writes ``/tmp/chat.png`` by default. The delegate tests render the same samples.
"""

from __future__ import annotations

import base64
import os
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter
from PySide6.QtWidgets import QAbstractItemView, QApplication, QListView

from desktop.protocol.objects import Message, MessageKind, Party, Role
from desktop.ui.chat_delegate import ChatDelegate
from desktop.ui.chat_model import ChatModel

CST = timezone(timedelta(hours=8))
NOW = int(datetime(2024, 11, 25, 14, 40, tzinfo=CST).timestamp() * 1000)
MINUTE = 60_000
HOSTILE = "<b>HTML</b> & <a href='x'>不是链接</a>"
LONG = "你好，我上周买的那件羊毛大衣收到了，但是袖子有点长，请问可以换小一码吗？另外发票怎么开？谢谢！"


def at(day_offset: int, hour: int, minute: int) -> int:
    day = datetime(2024, 11, 25, hour, minute, tzinfo=CST) + timedelta(days=day_offset)
    return int(day.timestamp() * 1000)


def png_b64(width: int = 320, height: int = 200) -> str:
    """A small gradient picture, PNG, base64 (needs a QGuiApplication)."""
    image = QImage(width, height, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, width, height)
    gradient.setColorAt(0, QColor("#5b8def"))
    gradient.setColorAt(1, QColor("#f29d38"))
    painter.fillRect(image.rect(), gradient)
    painter.setBrush(QColor("white"))
    painter.drawEllipse(width // 3, height // 4, height // 2, height // 2)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # runtime wants str, stubs say bytes
    return base64.b64encode(bytes(data.data())).decode()


def msg(msg_id: str, when: int, role: Role, kind: MessageKind, body: dict[str, Any], **extra: Any) -> Message:
    sender = Party(role=role, id={"customer": "u-1", "agent": "a-1", "system": "sys"}[role])
    return Message(
        id=msg_id, conversation_id="c-1", sender=sender, kind=kind, body=body, created_at=when, **extra
    )


def sample_messages() -> list[Message]:
    """Ten messages over two days: texts short and long, a hostile one, image, product, order, system."""
    return [
        msg("m-1", at(-1, 9, 12), "customer", "text", {"text": "在吗"}),
        msg("m-2", at(-1, 9, 13), "agent", "text", {"text": "亲，在的～请问有什么可以帮您？"}),
        msg("m-3", at(0, 14, 3), "customer", "text", {"text": LONG}),
        msg(
            "m-4",
            at(0, 14, 4),
            "customer",
            "image",
            {"mime": "image/png", "data_b64": png_b64(), "width": 320, "height": 200},
        ),
        msg("m-5", at(0, 14, 5), "customer", "text", {"text": HOSTILE}),
        msg("m-6", at(0, 14, 6), "system", "system", {"text": "会话已由 客服小王 接入"}),
        msg(
            "m-7",
            at(0, 14, 7),
            "agent",
            "product",
            {"product_id": "p-1", "price_cents": 59_900, "title": "冬季加厚羊毛双面呢大衣 女款 中长款 S码"},
        ),
        msg("m-8", at(0, 14, 8), "customer", "order", {"order_id": "20241124-8812345"}),
        msg("m-9", at(0, 14, 9), "agent", "text", {"text": "好的，已为您登记换货。"}),
    ]


def build_model() -> ChatModel:
    model = ChatModel(NOW, tz=CST)
    model.set_messages(sample_messages())
    model.add_pending("cm-1", "稍等，我帮您查一下物流", at(0, 14, 30))
    model.add_pending("cm-2", "这条消息发送失败了", at(0, 14, 31))
    model.mark_failed("cm-2", "network")
    return model


def build_view(width: int = 420, height: int = 900) -> tuple[QListView, ChatModel]:
    model = build_model()
    view = QListView()
    view.setModel(model)
    delegate = ChatDelegate(view)
    delegate.watch(model)
    view.setItemDelegate(delegate)
    view.setResizeMode(QListView.ResizeMode.Adjust)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.setFrameShape(QListView.Shape.NoFrame)
    view.resize(width, height)
    return view, model


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[1] if len(argv) > 1 else "/tmp/chat.png")
    app = QApplication.instance() or QApplication(argv[:1])
    view, _model = build_view()
    view.show()
    app.processEvents()
    ok = view.grab().save(str(out))
    print(f"{'saved' if ok else 'could not save'} {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
