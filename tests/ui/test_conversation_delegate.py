"""ConversationDelegate: fixed row height, plain-text drawing of untrusted names, an offscreen render."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QStyleOptionViewItem

from desktop.core.wait_timer import WaitLevel
from desktop.ui.conversation_delegate import AMBER, RED, ROW_HEIGHT, unread_label, wait_colour
from desktop.ui.conversation_list_model import ConversationRole
from tests.ui.recording_painter import RecordingPainter
from tests.ui.render_conversation_list import build_view

pytestmark = pytest.mark.gui


@pytest.fixture
def view(qtbot):
    view, model = build_view(360)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    yield view
    model.close()


def test_rows_have_fixed_height(view) -> None:
    delegate = view.itemDelegate()
    model = view.model()
    assert model.rowCount() == 8
    for row in range(model.rowCount()):
        assert delegate.sizeHint(QStyleOptionViewItem(), model.index(row)).height() == ROW_HEIGHT
        assert view.visualRect(model.index(row)).height() == ROW_HEIGHT


def test_render_offscreen(view, tmp_path: Path) -> None:
    image = view.grab().toImage()
    assert image.size() == QSize(360, 8 * ROW_HEIGHT)
    out = tmp_path / "conversation_list.png"
    assert image.save(str(out))
    assert out.stat().st_size > 5_000
    colours = {image.pixel(x, y) for x in range(0, image.width(), 3) for y in range(0, image.height(), 3)}
    assert len(colours) > 50  # avatars, text, badges: not a blank or single-colour grab
    reds = {QColor(RED).rgb(), QColor(AMBER).rgb()}
    assert reds & colours, "the red unread badges / timers should be visible"


def test_everything_is_drawn_as_plain_text(view) -> None:
    model = view.model()
    delegate = view.itemDelegate()
    image = QImage(360, ROW_HEIGHT * model.rowCount(), QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = RecordingPainter(image)
    try:
        for row in range(model.rowCount()):
            option = QStyleOptionViewItem()
            option.rect = QRect(0, row * ROW_HEIGHT, 360, ROW_HEIGHT)
            option.font = view.font()
            option.palette = view.palette()
            delegate.paint(painter, option, model.index(row))
    finally:
        painter.end()
    texts = painter.texts
    assert "<b>HTML</b>" in texts  # the hostile nickname, literally
    assert any(text.startswith("<i>不是斜体</i>") for text in texts)
    assert {"5秒", "45秒", "3分00秒", "99+", "3", "[图片]", "VIP3", "u-8"} <= set(texts)
    hostile = model.index(model.row_of("c-2"))
    assert hostile.data(ConversationRole.NICKNAME) == "<b>HTML</b>"


def test_unread_label_caps_at_99() -> None:
    assert [unread_label(n) for n in (0, 3, 99, 100, 150)] == ["", "3", "99", "99+", "99+"]


def test_wait_colours() -> None:
    palette = QPalette()
    assert wait_colour(WaitLevel.RED, palette, False) == RED
    assert wait_colour(WaitLevel.AMBER, palette, True) == AMBER
    assert wait_colour(WaitLevel.OK, palette, False) not in (RED, AMBER)


def test_a_chat_in_its_own_window_is_tagged_in_the_list(view) -> None:
    model = view.model()
    delegate = view.itemDelegate()

    def texts_of(row: int) -> list[str]:
        image = QImage(360, ROW_HEIGHT, QImage.Format.Format_ARGB32)
        painter = RecordingPainter(image)
        try:
            option = QStyleOptionViewItem()
            option.rect = QRect(0, 0, 360, ROW_HEIGHT)
            option.font = view.font()
            option.palette = view.palette()
            delegate.paint(painter, option, model.index(row))
        finally:
            painter.end()
        return painter.texts

    row = model.row_of("c-2")
    assert "独立窗口" not in texts_of(row)
    model.set_detached({"c-2"})
    assert model.index(row).data(ConversationRole.DETACHED) is True
    assert "独立窗口" in texts_of(row)
    assert "独立窗口" not in texts_of(model.row_of("c-1") or 0)
