"""Composer: send keys, IME, drafts, typing, "/" picker, forbidden words, pictures, limits, closed chats."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QImage, QInputMethodEvent, QTextCharFormat
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop.core.quick_replies import QuickReplyIndex
from desktop.core.sensitive_words import SensitiveWordChecker
from desktop.protocol.limits import MAX_IMAGE_BYTES, MAX_TEXT_CHARS
from desktop.ui.composer import COUNTER_FROM, Composer
from tests.core.builders import quick_reply

# Offscreen Qt warns when a shown top-level window with a layout gets size hints (not our bug).
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")]

REPLIES = [
    quick_reply(
        "q-1", "亲，退款已经提交，订单 {order.id} 预计 1-3 个工作日到账～", group="售后", shortcut="tk"
    ),
    quick_reply("q-2", "{customer.nickname} 您好，请问有什么可以帮您？", group="欢迎", shortcut="hi"),
    quick_reply("q-3", "亲，退货地址已发您，请注意查收。", group="售后", shortcut="th"),
    quick_reply("q-4", "<b>不是粗体</b> 的短语", group="其他", shortcut="tx"),
]


class Sent:
    def __init__(self, composer: Composer) -> None:
        self.texts: list[str] = []
        self.images: list[tuple[bytes, str, int, int]] = []
        self.drafts: list[str] = []
        self.typing = 0
        composer.send_text.connect(self.texts.append)
        composer.send_image.connect(lambda *args: self.images.append(args))
        composer.draft_changed.connect(self.drafts.append)
        composer.typing.connect(self._typed)

    def _typed(self) -> None:
        self.typing += 1


@pytest.fixture
def values() -> dict[str, str | None]:
    return {"customer.nickname": "小明", "order.id": None, "agent.name": "客服小王"}


@pytest.fixture
def make(qtbot, values):
    def build(*, index: QuickReplyIndex | None = None, **kwargs) -> tuple[Composer, Sent]:
        idx = QuickReplyIndex(REPLIES) if index is None else index
        composer = Composer(
            quick_replies=lambda: idx,
            checker=SensitiveWordChecker(),
            placeholder_values=lambda: values,
            **kwargs,
        )
        qtbot.addWidget(composer)
        composer.resize(460, 300)
        composer.show()
        qtbot.waitExposed(composer)
        composer.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is composer)
        composer.focus_input()
        return composer, Sent(composer)

    return build


def type_chinese(widget, text: str) -> None:
    QTest.sendKeyEvent(
        QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, text, Qt.KeyboardModifier.NoModifier
    )


# ------------------------------------------------------------------------------------------- send keys
def test_enter_sends_and_clears(make, qtbot):
    composer, sent = make()
    qtbot.keyClicks(composer.input, "hello  ")
    qtbot.keyClick(composer.input, Qt.Key.Key_Return)
    assert sent.texts == ["hello"]
    assert composer.text() == ""


def test_shift_enter_inserts_newline(make, qtbot):
    composer, sent = make()
    qtbot.keyClicks(composer.input, "a")
    qtbot.keyClick(composer.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(composer.input, "b")
    assert sent.texts == []
    assert composer.text() == "a\nb"
    qtbot.keyClick(composer.input, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert sent.texts == ["a\nb"]


def test_ctrl_enter_sends_in_both_modes(make, qtbot):
    composer, sent = make()
    qtbot.keyClicks(composer.input, "one")
    qtbot.keyClick(composer.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    composer.set_enter_sends(False)
    qtbot.keyClicks(composer.input, "two")
    qtbot.keyClick(composer.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent.texts == ["one", "two"]


def test_ctrl_enter_mode_enter_is_newline(make, qtbot):
    composer, sent = make(enter_sends=False)
    assert composer.enter_sends() is False
    qtbot.keyClicks(composer.input, "a")
    qtbot.keyClick(composer.input, Qt.Key.Key_Return)
    qtbot.keyClicks(composer.input, "b")
    assert sent.texts == []
    assert composer.text() == "a\nb"


def test_empty_or_blank_never_sent(make, qtbot):
    composer, sent = make()
    qtbot.keyClick(composer.input, Qt.Key.Key_Return)
    composer.set_text("  \n ")
    assert composer.send_now() is False
    assert sent.texts == []


def test_send_key_menu_switches_and_reports(make, qtbot):
    composer, _sent = make()
    with qtbot.waitSignal(composer.send_key_changed) as blocker:
        composer.ctrl_enter_action.trigger()
    assert blocker.args == [False]
    assert composer.enter_sends() is False
    assert "Ctrl+Enter" in composer.input.placeholderText()
    with qtbot.assertNotEmitted(composer.send_key_changed):
        composer.set_enter_sends(True)  # set by the pane: not reported back
    assert composer.enter_action.isChecked()


def test_send_button_sends(make, qtbot):
    composer, sent = make()
    composer.set_text("按钮发送")
    qtbot.mouseClick(composer.send_button, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert sent.texts == ["按钮发送"]


# ----------------------------------------------------------------------------------------- IME, typing
def test_input_method_commit_lands_in_text(make, qtbot):
    composer, sent = make()
    preedit = QInputMethodEvent("nihao", [])
    QApplication.sendEvent(composer.input, preedit)
    assert composer.text() == ""  # composing is not text yet
    commit = QInputMethodEvent()
    commit.setCommitString("你好")
    QApplication.sendEvent(composer.input, commit)
    assert composer.text() == "你好"
    type_chinese(composer.input, "，在吗")
    assert composer.text() == "你好，在吗"
    assert sent.texts == []


def test_typing_at_most_every_three_seconds(make, qtbot):
    composer, sent = make()
    now = [100.0]
    composer.clock = lambda: now[0]
    qtbot.keyClicks(composer.input, "abc")
    assert sent.typing == 1
    now[0] += 2.9
    qtbot.keyClicks(composer.input, "d")
    assert sent.typing == 1
    now[0] += 0.2
    qtbot.keyClicks(composer.input, "e")
    assert sent.typing == 2


def test_typing_not_for_blank_or_programmatic_text(make, qtbot):
    composer, sent = make()
    qtbot.keyClicks(composer.input, "   ")
    composer.set_text("restored")
    assert sent.typing == 0


# ---------------------------------------------------------------------------------------------- drafts
def test_draft_debounced_after_last_edit(make, qtbot):
    composer, sent = make(draft="草稿")
    assert composer.text() == "草稿"
    assert sent.drafts == []  # restoring is not an edit
    with qtbot.waitSignal(composer.draft_changed, timeout=2000) as blocker:
        qtbot.keyClicks(composer.input, "abc")
        assert sent.drafts == []  # not per keystroke
    assert blocker.args == ["草稿abc"]
    assert sent.drafts == ["草稿abc"]


def test_flush_draft_emits_now(make, qtbot):
    composer, sent = make()
    qtbot.keyClicks(composer.input, "x")
    composer.flush_draft()
    assert sent.drafts == ["x"]
    qtbot.wait(500)
    assert sent.drafts == ["x"]  # the pending debounce was cancelled


def test_sending_clears_the_draft_at_once(make, qtbot):
    composer, sent = make()
    qtbot.keyClicks(composer.input, "hi")
    qtbot.keyClick(composer.input, Qt.Key.Key_Return)
    assert sent.drafts == [""]


def test_insert_text_at_cursor(make, qtbot):
    composer, _sent = make()
    composer.set_text("订单：，谢谢")
    cursor = composer.input.textCursor()
    cursor.setPosition(3)
    composer.input.setTextCursor(cursor)
    composer.insert_text("20241124-88")
    assert composer.text() == "订单：20241124-88，谢谢"


# -------------------------------------------------------------------------------------------- limits
def test_text_over_limit_refused_and_kept(make, qtbot):
    composer, sent = make()
    long = "好" * (MAX_TEXT_CHARS + 1)
    composer.set_text(long)
    assert composer.counter.isVisible()
    assert composer.counter.text() == f"{MAX_TEXT_CHARS + 1}/{MAX_TEXT_CHARS}"
    qtbot.keyClick(composer.input, Qt.Key.Key_Return)
    assert sent.texts == []
    assert composer.text() == long
    assert composer.notice.isVisible()
    assert str(MAX_TEXT_CHARS) in composer.notice.text()
    qtbot.keyClick(composer.input, Qt.Key.Key_Backspace)
    assert not composer.notice.isVisible()
    qtbot.keyClick(composer.input, Qt.Key.Key_Return)
    assert sent.texts == ["好" * MAX_TEXT_CHARS]


def test_counter_only_near_the_limit(make):
    composer, _sent = make()
    composer.set_text("a" * (COUNTER_FROM - 1))
    assert not composer.counter.isVisible()
    composer.insert_text("a")
    assert composer.counter.isVisible()


def test_limit_counts_code_points_not_utf16(make):
    composer, sent = make()
    composer.set_text("😀" * MAX_TEXT_CHARS)  # 10,000 UTF-16 units, 5,000 code points
    assert composer.send_now() is True
    assert len(sent.texts[0]) == MAX_TEXT_CHARS


def test_closed_chat_refuses_and_keeps_text(make, qtbot):
    composer, sent = make()
    composer.set_enabled_for_sending(False)
    assert composer.input.placeholderText() == "会话已结束"
    assert not composer.send_button.isEnabled()
    composer.set_text("还在吗")
    qtbot.keyClick(composer.input, Qt.Key.Key_Return)
    assert composer.send_now() is False
    assert sent.texts == []
    assert composer.text() == "还在吗"
    assert "会话已结束" in composer.notice.text()
    composer.set_enabled_for_sending(True)
    assert not composer.notice.isVisible()
    assert composer.send_now() is True


# -------------------------------------------------------------------------------------- sensitive words
def underlined(composer: Composer) -> list[str]:
    spans = []
    for selection in composer.input.extraSelections():
        assert selection.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
        spans.append(selection.cursor.selectedText())
    return spans


def test_forbidden_words_block_then_send_anyway(make, qtbot):
    composer, sent = make()
    composer.set_text("加我微信，或者 V-X 也行")
    qtbot.keyClick(composer.input, Qt.Key.Key_Return)
    assert sent.texts == []
    assert composer.warning_bar.isVisible()
    assert composer.warning_bar.label.text() == "包含敏感词：微信、V-X，请修改后发送"
    assert composer.warning_bar.label.textFormat() == Qt.TextFormat.PlainText
    assert underlined(composer) == ["微信", "V-X"]
    assert composer.text() == "加我微信，或者 V-X 也行"
    qtbot.mouseClick(composer.warning_bar.send_button, Qt.MouseButton.LeftButton)
    assert sent.texts == ["加我微信，或者 V-X 也行"]
    assert not composer.warning_bar.isVisible()
    assert composer.input.extraSelections() == []


def test_forbidden_words_rechecked_while_editing(make, qtbot):
    composer, sent = make()
    composer.set_text("😀加vx")  # an emoji before the hit: UTF-16 positions differ from Python's
    qtbot.keyClick(composer.input, Qt.Key.Key_Return)
    assert underlined(composer) == ["vx"]
    qtbot.mouseClick(composer.warning_bar.back_button, Qt.MouseButton.LeftButton)
    assert not composer.warning_bar.isVisible()
    assert underlined(composer) == ["vx"]  # still marked while the agent edits
    qtbot.keyClick(composer.input, Qt.Key.Key_Backspace)
    assert composer.input.extraSelections() == []
    qtbot.keyClicks(composer.input, "y")
    qtbot.keyClick(composer.input, Qt.Key.Key_Return)
    assert sent.texts == ["😀加vy"]


def test_hits_are_not_rich_text(make, qtbot):
    composer, _sent = make()
    composer.set_text("<b>微信</b>")
    composer.send_now()
    assert composer.text() == "<b>微信</b>"
    assert "包含敏感词：微信" in composer.warning_bar.label.text()


# ------------------------------------------------------------------------------------------ "/" picker
def test_slash_picker_inserts_with_placeholders(make, qtbot, values):
    composer, sent = make()
    qtbot.keyClicks(composer.input, "ok /tk")
    assert composer.picker.isVisible()
    assert composer.picker_query() == "tk"
    assert composer.picker.replies()[0].id == "q-1"
    assert composer.input.hasFocus()
    qtbot.keyClick(composer.input, Qt.Key.Key_Return)  # inserts, does not send
    assert sent.texts == []
    assert not composer.picker.isVisible()
    assert composer.text() == "ok 亲，退款已经提交，订单 {order.id} 预计 1-3 个工作日到账～"
    assert composer.notice.isVisible()
    assert composer.notice.text() == "未选择订单：{order.id} 未填写"
    # Filling the placeholder by hand clears the warning.
    text = composer.text().replace("{order.id}", "88")
    composer.set_text(text)
    assert not composer.notice.isVisible()


def test_slash_picker_fills_known_values(make, qtbot):
    composer, _sent = make()
    qtbot.keyClicks(composer.input, "/hi")
    qtbot.keyClick(composer.input, Qt.Key.Key_Tab)
    assert composer.text() == "小明 您好，请问有什么可以帮您？"
    assert not composer.notice.isVisible()


def test_slash_picker_up_down_and_click(make, qtbot):
    composer, _sent = make()
    qtbot.keyClicks(composer.input, "/t")
    shown = [reply.id for reply in composer.picker.replies()]
    assert set(shown) >= {"q-1", "q-3", "q-4"}
    qtbot.keyClick(composer.input, Qt.Key.Key_Down)
    assert composer.picker.current_reply().id == shown[1]
    qtbot.keyClick(composer.input, Qt.Key.Key_Up)
    qtbot.keyClick(composer.input, Qt.Key.Key_Up)  # stops at the top
    assert composer.picker.current_reply().id == shown[0]
    view = composer.picker.view
    row = shown.index("q-4")
    rect = view.visualRect(composer.picker.model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert composer.text() == "<b>不是粗体</b> 的短语"
    assert not composer.picker.isVisible()


def test_slash_picker_escape_keeps_text(make, qtbot):
    composer, sent = make()
    qtbot.keyClicks(composer.input, "/tk")
    qtbot.keyClick(composer.input, Qt.Key.Key_Escape)
    assert not composer.picker.isVisible()
    assert composer.text() == "/tk"
    qtbot.keyClick(composer.input, Qt.Key.Key_Return)  # now Enter sends as usual
    assert sent.texts == ["/tk"]


def test_slash_picker_closes_on_space_or_deleted_slash(make, qtbot):
    composer, _sent = make()
    qtbot.keyClicks(composer.input, "/tk")
    qtbot.keyClick(composer.input, Qt.Key.Key_Space)
    assert not composer.picker.isVisible()
    composer.set_text("")
    qtbot.keyClicks(composer.input, "/t")
    qtbot.keyClick(composer.input, Qt.Key.Key_Backspace)
    assert composer.picker.isVisible()  # "/" alone: all phrases
    qtbot.keyClick(composer.input, Qt.Key.Key_Backspace)
    assert not composer.picker.isVisible()


def test_slash_inside_a_word_does_not_open(make, qtbot):
    composer, _sent = make()
    qtbot.keyClicks(composer.input, "a/b")
    assert not composer.picker.isVisible()
    composer.set_text("")
    composer.insert_text("/tk")  # pasted, not typed
    assert not composer.picker.isVisible()


def test_full_width_slash_from_input_method(make, qtbot):
    composer, _sent = make()
    type_chinese(composer.input, "你好 ")
    type_chinese(composer.input, "／")
    qtbot.keyClicks(composer.input, "hi")
    assert composer.picker.isVisible()
    assert composer.picker.replies()[0].id == "q-2"


def test_slash_picker_while_index_loading(make, qtbot):
    holder: dict[str, QuickReplyIndex | None] = {"index": None}
    composer = Composer(
        quick_replies=lambda: holder["index"],
        checker=SensitiveWordChecker(),
        placeholder_values=dict,
    )
    qtbot.addWidget(composer)
    composer.resize(460, 300)
    composer.show()
    qtbot.waitExposed(composer)
    composer.focus_input()
    qtbot.keyClicks(composer.input, "/tk")
    assert composer.picker.isVisible()
    assert composer.picker.model.item(0).text() == "正在加载快捷短语…"
    assert composer.picker.current_reply() is None
    holder["index"] = QuickReplyIndex(REPLIES)
    composer.refresh_quick_replies()
    assert composer.picker.replies()[0].id == "q-1"


# -------------------------------------------------------------------------------------- paste and drop
def noisy_image(width: int, height: int) -> QImage:
    data = os.urandom(width * height * 4)
    return QImage(data, width, height, width * 4, QImage.Format.Format_RGB32).copy()


def test_pasted_screenshot_needs_confirmation(make, qtbot):
    composer, sent = make()
    mime = QMimeData()
    mime.setImageData(noisy_image(3000, 2000))
    assert composer.input.canInsertFromMimeData(mime)
    with qtbot.waitSignal(composer._encoder.encoded, timeout=20_000):
        composer.input.insertFromMimeData(mime)
        assert composer.image_strip.isVisible()
        assert not composer.image_strip.send_button.isEnabled()  # still being encoded
    assert composer.text() == ""
    assert sent.images == []  # not without confirmation
    assert composer.image_strip.send_button.isEnabled()
    qtbot.mouseClick(composer.image_strip.send_button, Qt.MouseButton.LeftButton)
    [(data, mime_type, width, height)] = sent.images
    assert isinstance(data, bytes)
    assert len(data) <= MAX_IMAGE_BYTES
    assert mime_type == "image/jpeg"
    assert width <= 3000 and abs(width / height - 1.5) < 0.01
    decoded = QImage.fromData(data)
    assert (decoded.width(), decoded.height()) == (width, height)
    assert not composer.image_strip.isVisible()


def test_pasted_picture_cancelled(make, qtbot):
    composer, sent = make()
    mime = QMimeData()
    image = QImage(40, 30, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.red)
    mime.setImageData(image)
    with qtbot.waitSignal(composer._encoder.encoded, timeout=5000):
        composer.input.insertFromMimeData(mime)
    assert composer.has_pending_image()
    qtbot.mouseClick(composer.image_strip.cancel_button, Qt.MouseButton.LeftButton)
    assert not composer.has_pending_image()
    assert not composer.image_strip.isVisible()
    assert sent.images == []


def test_dropped_image_file(make, qtbot, tmp_path: Path):
    composer, sent = make()
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.blue)
    path = tmp_path / "shot.png"
    assert image.save(str(path))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    assert composer.input.canInsertFromMimeData(mime)
    with qtbot.waitSignal(composer._encoder.encoded, timeout=5000):
        composer.input.insertFromMimeData(mime)
    assert composer.send_pending_image() is True
    assert [(m, w, h) for _d, m, w, h in sent.images] == [("image/png", 64, 48)]


def test_closed_chat_refuses_pictures(make, qtbot):
    composer, sent = make()
    mime = QMimeData()
    image = QImage(20, 20, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.green)
    mime.setImageData(image)
    with qtbot.waitSignal(composer._encoder.encoded, timeout=5000):
        composer.input.insertFromMimeData(mime)
    composer.set_enabled_for_sending(False)
    assert not composer.image_strip.send_button.isEnabled()
    assert composer.send_pending_image() is False
    assert sent.images == []


def test_pasted_html_is_plain_text(make):
    composer, _sent = make()
    mime = QMimeData()
    mime.setHtml("<b>粗体</b> <a href='x'>链接</a>")
    mime.setText("<b>粗体</b> 原文")
    composer.input.insertFromMimeData(mime)
    assert composer.text() == "<b>粗体</b> 原文"  # mime.text() exactly, markup and all, as plain text
    composer.set_text("")
    html_only = QMimeData()
    html_only.setHtml("<p><b>粗体</b> &amp; <i>斜体</i></p>")
    composer.input.insertFromMimeData(html_only)
    assert composer.text() == "粗体 & 斜体"
    fmt = composer.input.document().begin().begin().fragment().charFormat()
    assert fmt.fontWeight() != 700  # nothing bold reached the document


def test_the_image_button_loads_a_picture_file_for_confirmation(qtbot, make, tmp_path) -> None:
    from PySide6.QtGui import QColor

    composer, _sent = make()
    path = tmp_path / "商品图.png"
    picture = QImage(400, 300, QImage.Format.Format_RGB32)
    picture.fill(QColor("#5b8def"))
    assert picture.save(str(path))
    dialog = composer.choose_image()
    assert dialog.isVisible() and dialog.isModal()
    dialog.reject()
    with qtbot.waitSignal(composer._encoder.encoded, timeout=5000):
        assert composer.load_image_file(str(path))
    assert composer.has_pending_image()
    with qtbot.waitSignal(composer.send_image) as sent:
        assert composer.send_pending_image()
    assert sent.args[2:] == [400, 300]
    not_a_picture = tmp_path / "x.png"
    not_a_picture.write_text("hello")
    assert not composer.load_image_file(str(not_a_picture))
    assert "无法读取" in composer.image_strip.info.text()


def test_the_quick_reply_button_asks_for_the_panel(qtbot, make) -> None:
    composer, _sent = make()
    with qtbot.waitSignal(composer.quick_replies_requested):
        composer.quick_button.click()
