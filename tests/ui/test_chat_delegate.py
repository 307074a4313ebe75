"""ChatDelegate: wrapped heights, bubble sides, plain-text drawing of hostile text, an offscreen render."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QStyleOptionViewItem

from desktop.protocol.objects import Message, Party
from desktop.ui.chat_delegate import (
    AGENT_BG,
    BUYER_BG,
    FAILED_TEXT,
    PENDING_TEXT,
    RED,
    THUMB_MAX,
    ChatDelegate,
    thumbnail_size,
)
from desktop.ui.chat_model import ChatModel, ChatRole
from tests.core.builders import message
from tests.ui.recording_painter import RecordingPainter
from tests.ui.render_chat import CST, HOSTILE, NOW, build_view

pytestmark = pytest.mark.gui
WIDTH = 420


@pytest.fixture
def view(qtbot):
    view, _model = build_view(WIDTH, 900)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    return view


def option_for(view, rect: QRect | None = None) -> QStyleOptionViewItem:
    option = QStyleOptionViewItem()
    option.font = view.font()
    option.palette = view.palette()
    option.rect = rect or QRect(0, 0, WIDTH, 0)
    return option


def test_height_grows_with_text_length(qtbot) -> None:
    model = ChatModel(NOW, tz=CST)
    model.set_messages([message(f"m{n}", at=NOW + n, text="很长的消息" * n) for n in (1, 10, 40)])
    delegate = ChatDelegate()
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, WIDTH, 0)
    heights = [delegate.sizeHint(option, model.index(row)).height() for row in (1, 2, 3)]
    assert heights[0] < heights[1] < heights[2]
    narrow = QStyleOptionViewItem()
    narrow.rect = QRect(0, 0, 260, 0)
    assert delegate.sizeHint(narrow, model.index(3)).height() > heights[2]  # narrower view: more lines
    assert delegate.sizeHint(option, model.index(0)).height() < heights[0]  # a separator is small


def test_rows_in_the_view(view) -> None:
    model = view.model()
    assert model.rowCount() == 14  # 11 messages, 3 separators
    rects = [view.visualRect(model.index(row)) for row in range(model.rowCount())]
    assert all(r.height() > 10 for r in rects)
    assert all(a.bottom() < b.top() + 1 for a, b in itertools.pairwise(rects))  # stacked
    assert rects[-1].bottom() < 900  # everything fits in the window
    delegate = view.itemDelegate()
    for row in range(model.rowCount()):
        layout = delegate.layout(view.font(), model.index(row), view.viewport().width())
        assert layout.bubble.right() < view.viewport().width()
        if model.index(row).data(ChatRole.SENDER_ROLE) == "customer":
            assert layout.bubble.left() < WIDTH // 4
        elif model.index(row).data(ChatRole.SENDER_ROLE) == "agent":
            assert layout.bubble.right() > WIDTH * 3 // 4
    image_row = next(r for r in range(model.rowCount()) if model.index(r).data(ChatRole.KIND) == "image")
    thumb = delegate.layout(view.font(), model.index(image_row), view.viewport().width()).content
    assert thumb.size() == QSize(THUMB_MAX, 100)


def test_everything_is_drawn_as_plain_text(view) -> None:
    model = view.model()
    delegate = view.itemDelegate()
    image = QImage(WIDTH, 1200, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = RecordingPainter(image)
    try:
        top = 0
        for row in range(model.rowCount()):
            option = option_for(view, QRect(0, top, WIDTH, 0))
            height = delegate.sizeHint(option, model.index(row)).height()
            option.rect = QRect(0, top, WIDTH, height)
            delegate.paint(painter, option, model.index(row))
            top += height
    finally:
        painter.end()
    texts = painter.texts
    assert HOSTILE in texts  # literally, tags and all
    assert {"昨天 09:12", "14:03", "在吗", "¥599.00", PENDING_TEXT, "!", FAILED_TEXT} <= set(texts)
    assert "订单号 20241124-8812345" in texts
    assert "会话已由 客服小王 接入" in texts


def test_render_offscreen(view, tmp_path: Path) -> None:
    image = view.grab().toImage()
    assert image.size() == QSize(WIDTH, 900)
    out = tmp_path / "chat.png"
    assert image.save(str(out))
    assert out.stat().st_size > 5_000
    colours = {image.pixel(x, y) for x in range(0, image.width(), 2) for y in range(0, image.height(), 2)}
    assert len(colours) > 50
    assert {QColor(c).rgb() for c in (BUYER_BG, AGENT_BG, RED)} <= colours


def test_thumbnail_size() -> None:
    assert thumbnail_size(320, 200) == QSize(160, 100)
    assert thumbnail_size(100, 400) == QSize(40, 160)
    assert thumbnail_size(50, 30) == QSize(50, 30)  # never scaled up


def test_broken_image_draws_a_placeholder(qtbot) -> None:
    model = ChatModel(NOW, tz=CST)
    body = {"mime": "image/png", "data_b64": "AAAA", "width": 10, "height": 10}
    model.set_messages(
        [
            Message(
                id="i",
                conversation_id="c",
                sender=Party(role="customer", id="u"),
                kind="image",
                body=body,
                created_at=NOW,
            )
        ]
    )
    delegate = ChatDelegate()
    image = QImage(WIDTH, 100, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = RecordingPainter(image)
    try:
        option = QStyleOptionViewItem()
        option.rect = QRect(0, 0, WIDTH, 100)
        delegate.paint(painter, option, model.index(1))
    finally:
        painter.end()
    assert painter.texts == ["[图片]"]
