"""Render the ChatView (scrolled up, with the "new messages" pill showing) to a PNG, for a person to look at.

    QT_QPA_PLATFORM=offscreen python -m tests.ui.render_chat_view [out.png]

Writes ``/tmp/chat_view.png`` by default.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from desktop.protocol.objects import Message
from desktop.ui.chat_view import ChatView
from tests.ui.render_chat import MINUTE, at, build_model, msg


def later_messages(count: int, start: int) -> list[Message]:
    return [
        msg(f"n-{i}", start + i * MINUTE // 4, "customer", "text", {"text": f"还有一个问题（{i + 1}）"})
        for i in range(count)
    ]


def build_chat_view(width: int = 420, height: int = 640) -> ChatView:
    model = build_model()
    view = ChatView(model, load_older=None)
    view.resize(width, height)
    return view


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[1] if len(argv) > 1 else "/tmp/chat_view.png")
    app = QApplication.instance() or QApplication(argv[:1])
    view = build_chat_view()
    view.show()
    app.processEvents()
    view.scroll_to_bottom()
    app.processEvents()
    bar = view.list.verticalScrollBar()
    bar.setValue(bar.maximum() // 3)  # the agent reads further up …
    view.model.append(later_messages(3, at(0, 14, 35)))  # … when three messages arrive
    app.processEvents()
    ok = view.grab().save(str(out))
    print(f"{'saved' if ok else 'could not save'} {out} (pill: {view.pill.text()!r})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
