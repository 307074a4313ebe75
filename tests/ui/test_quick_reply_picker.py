"""QuickReplyPicker: rows as plain text, selection moves, clicks, loading/empty hints, placement."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QWidget

from desktop.core.quick_replies import QuickReplyIndex
from desktop.ui.quick_reply_picker import MAX_ROWS, MAX_VISIBLE_ROWS, QuickReplyPicker, row_text
from tests.core.builders import quick_reply

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")]

REPLIES = [
    quick_reply("q-1", "亲，退款已经提交～", group="售后", shortcut="tk"),
    quick_reply("q-2", "<b>不是粗体</b>\n第二行\u202e反转", group="<i>组</i>", shortcut="x"),
    quick_reply("q-3", "没有快捷码的短语", group="常用"),
]


@pytest.fixture
def window(qtbot):
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.resize(500, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def picker(qtbot, window):
    widget = QuickReplyPicker(window)
    widget.set_matches(QuickReplyIndex(REPLIES).search(""))
    return widget


def test_rows_are_plain_one_line_text():
    assert row_text(REPLIES[0]) == "/tk  [售后]  亲，退款已经提交～"
    assert row_text(REPLIES[1]) == "/x  [<i>组</i>]  <b>不是粗体</b> 第二行 反转"
    assert row_text(REPLIES[2]) == "[常用]  没有快捷码的短语"


def test_matches_listed_first_selected(picker):
    assert [reply.id for reply in picker.replies()] == ["q-1", "q-2", "q-3"]
    assert picker.current_reply().id == "q-1"
    assert picker.model.item(1).text() == row_text(REPLIES[1])


def test_move_selection_stops_at_ends(picker):
    picker.move_selection(1)
    assert picker.current_reply().id == "q-2"
    picker.move_selection(10)
    assert picker.current_reply().id == "q-3"
    picker.move_selection(-10)
    assert picker.current_reply().id == "q-1"


def test_loading_and_empty_hints_are_not_choosable(picker):
    picker.set_loading()
    assert picker.model.item(0).text() == "正在加载快捷短语…"
    assert picker.replies() == []
    picker.move_selection(1)
    assert picker.current_reply() is None
    picker.set_matches([])
    assert picker.model.item(0).text() == "没有匹配的快捷短语"
    assert not picker.model.item(0).isSelectable()
    assert picker.current_reply() is None


def test_click_emits_chosen(qtbot, picker, window):
    picker.show_at(QRect(10, 10, 2, 16), window)
    rect = picker.view.visualRect(picker.model.index(2, 0))
    with qtbot.waitSignal(picker.chosen) as blocker:
        qtbot.mouseClick(picker.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args[0].id == "q-3"


def test_at_most_eight_rows_high_and_fifty_rows(qtbot, window):
    many = [quick_reply(f"q-{n}", f"短语 {n}", shortcut=f"s{n}") for n in range(80)]
    picker = QuickReplyPicker(window)
    picker.set_matches(QuickReplyIndex(many).search(""))
    assert len(picker.replies()) == MAX_ROWS
    picker.show_at(QRect(10, 10, 2, 16), window)
    assert picker.height() <= MAX_VISIBLE_ROWS * picker.row_height() + 8
    assert picker.height() >= MAX_VISIBLE_ROWS * picker.row_height()


def test_placed_above_or_below_inside_the_window(picker, window):
    picker.show_at(QRect(10, 300, 2, 16), window)  # room above: above the cursor line
    assert picker.geometry().bottom() < 300
    picker.show_at(QRect(10, 20, 2, 16), window)  # no room above: under it
    assert picker.y() > 36
    assert window.rect().contains(picker.geometry())
    assert picker.isVisible()
    assert picker.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert picker.view.focusPolicy() == Qt.FocusPolicy.NoFocus
