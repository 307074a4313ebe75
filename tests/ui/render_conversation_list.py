"""Render the conversation list with sample rows to a PNG, for a person to look at.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.render_conversation_list [out.png]

Writes ``/tmp/conversation_list.png`` by default. The delegate tests render the same samples.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QApplication, QListView

from desktop.core.conversations import ConversationBook
from desktop.protocol.objects import Conversation, Message, Party
from desktop.ui.conversation_delegate import ConversationDelegate
from desktop.ui.conversation_list_model import ConversationListModel
from tests.core.builders import conversation

NOW = 1_700_000_000_000
LEVELS = {"u-1": "VIP3", "u-4": "超级会员", "u-7": "V1"}


def _image_conversation() -> Conversation:
    image = {"mime": "image/png", "data_b64": "AAAA", "width": 1, "height": 1}
    message = Message(
        id="m-img",
        conversation_id="c-6",
        sender=Party(role="customer", id="u-6"),
        kind="image",
        body=image,
        created_at=NOW - 3_000,
    )
    return Conversation(
        id="c-6",
        customer_id="u-6",
        status="active",
        assignee_id="a-1",
        last_message=message,
        unread=1,
        created_at=NOW - 60_000,
        customer_nickname="拍照党",
    )


def sample_conversations() -> list[Conversation]:
    """Eight active conversations: Chinese nicknames, a hostile one, unread 0/3/150, waits 5 s/45 s/3 min."""
    return [
        conversation(
            "c-1",
            customer_id="u-1",
            nickname="小鹿乱撞",
            waiting_since=NOW - 5_000,
            unread=3,
            last_at=NOW - 5_000,
            text="你好，请问这件衣服有货吗？",
        ),
        conversation(
            "c-2",
            customer_id="u-2",
            nickname="<b>HTML</b>",
            waiting_since=NOW - 45_000,
            unread=0,
            last_at=NOW - 45_000,
            text="<i>不是斜体</i> & 也不是链接 <a href='x'>x</a>",
        ),
        conversation(
            "c-3",
            customer_id="u-3",
            nickname="一个名字特别特别特别特别长的买家朋友",
            unread=150,
            waiting_since=NOW - 180_000,
            last_at=NOW - 1_000,
            text="我已经等了三分钟了，为什么还没有人回复我？这条消息也很长很长很长很长很长很长",
        ),
        conversation(
            "c-4", customer_id="u-4", nickname="王大锤", unread=0, last_at=NOW - 120_000, text="好的，谢谢"
        ),
        conversation(
            "c-5",
            customer_id="u-5",
            nickname="Alice Zhang",
            unread=3,
            last_at=NOW - 30_000,
            text="What's the shipping time to 上海?",
        ),
        _image_conversation(),
        conversation(
            "c-7",
            customer_id="u-7",
            nickname="😀 表情用户",
            unread=0,
            last_at=NOW - 900_000,
            text="多行\n消息\n只显示一行",
        ),
        conversation(
            "c-8",
            customer_id="u-8",
            nickname=None,
            unread=0,
            last_at=NOW - 2_000_000,
            text="没有昵称，显示客户编号",
        ),
    ]


def build_view(width: int = 360) -> tuple[QListView, ConversationListModel]:
    book = ConversationBook()
    book.load(sample_conversations())
    model = ConversationListModel(book, "active", NOW)
    model.set_levels(LEVELS)
    view = QListView()
    view.setModel(model)
    view.setItemDelegate(ConversationDelegate(view))
    view.setUniformItemSizes(True)
    view.setFrameShape(QListView.Shape.NoFrame)
    view.resize(width, 64 * model.rowCount())
    view.selectionModel().select(model.index(3), QItemSelectionModel.SelectionFlag.Select)
    return view, model


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[1] if len(argv) > 1 else "/tmp/conversation_list.png")
    app = QApplication.instance() or QApplication(argv[:1])
    view, _model = build_view()
    view.show()
    app.processEvents()
    ok = view.grab().save(str(out))
    print(f"{'saved' if ok else 'could not save'} {out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
