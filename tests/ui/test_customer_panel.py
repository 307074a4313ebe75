"""CustomerPanel: fields shown as plain text, tag editing, the debounced note autosave, past conversations."""

from __future__ import annotations

from datetime import timedelta, timezone
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QFocusEvent, QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from desktop.protocol.limits import MAX_TAGS
from desktop.protocol.objects import Conversation, Customer, Message, MessageKind, Party
from desktop.ui.customer_panel import CustomerPanel, last_message_preview
from desktop.ui.money import date_text, date_time_text, yuan
from desktop.ui.note_editor import DEBOUNCE_MS
from tests.core.builders import conversation

# The offscreen platform says this whenever a shown window's size hints change; harmless here.
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")]

CHINA = timezone(timedelta(hours=8))
HOSTILE = '<b>粗体</b><img src="http://127.0.0.1:1/x.png"><a href="x">link</a>'
FIRST_SEEN = 1_722_988_800_000  # 2024-08-07 08:00 China time


def customer(cid: str = "u-1", **changes: Any) -> Customer:
    fields: dict[str, Any] = {
        "id": cid,
        "nickname": "郑大哥",
        "level": "金卡会员",
        "tags": ["老客户"],
        "note": "偏爱S码",
        "phone_masked": "158****3755",
        "address_masked": "安徽省合肥市蜀山区****",
        "orders_count": 8,
        "total_spent_cents": 123450,
        "first_seen": FIRST_SEEN,
        "last_seen": FIRST_SEEN,
    }
    fields.update(changes)
    return Customer(**fields)


@pytest.fixture
def panel(qtbot):
    panel = CustomerPanel(tz=CHINA)
    qtbot.addWidget(panel)
    panel.resize(340, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def type_text(widget, text: str) -> None:
    QTest.sendKeyEvent(
        QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, text, Qt.KeyboardModifier.NoModifier
    )


def focus_out(widget) -> None:
    QApplication.sendEvent(widget, QFocusEvent(QEvent.Type.FocusOut, Qt.FocusReason.OtherFocusReason))


def test_money_and_dates():
    assert yuan(123450) == "¥1,234.50"
    assert yuan(0) == "¥0.00"
    assert yuan(5) == "¥0.05"
    assert yuan(100_000_000) == "¥1,000,000.00"
    assert date_text(FIRST_SEEN, CHINA) == "2024-08-07"
    assert date_time_text(FIRST_SEEN + 61_000, CHINA) == "2024-08-07 08:01"


def test_shows_the_customer(panel):
    panel.show_customer(customer(), [])
    assert panel.stack.currentIndex() == 0
    assert panel.customer_id == "u-1"
    assert panel.nickname_label.text() == "郑大哥"
    assert panel.avatar.initial == "郑"
    assert panel.level_label.text() == "金卡会员" and panel.level_label.isVisible()
    assert panel.phone_label.text() == "158****3755"
    assert panel.address_label.text() == "安徽省合肥市蜀山区****"
    assert panel.orders_label.text() == "8 笔"
    assert panel.spent_label.text() == "¥1,234.50"
    assert panel.seen_label.text() == "首次访问 2024-08-07"
    assert panel.tag_editor.tags() == ["老客户"]
    assert [chip.label.text() for chip in panel.tag_editor.chips()] == ["老客户"]
    assert panel.note_editor.text() == "偏爱S码"


def test_no_level_hides_the_badge_and_none_shows_empty_state(panel):
    panel.show_customer(customer(level=""), [])
    assert not panel.level_label.isVisible()
    panel.show_customer(None, [])
    assert panel.stack.currentWidget() is panel.state_page
    assert panel.state_page.message.text() == "暂无客户资料"
    assert panel.customer_id is None


def test_untrusted_text_is_shown_literally(panel):
    past = [conversation("c-9", status="closed", last_at=FIRST_SEEN, text=HOSTILE)]
    panel.show_customer(customer(nickname=HOSTILE, note=HOSTILE, tags=[HOSTILE], level=HOSTILE), past)
    assert panel.nickname_label.text() == HOSTILE
    assert panel.level_label.text() == HOSTILE
    assert panel.note_editor.text() == HOSTILE
    [chip] = panel.tag_editor.chips()
    assert chip.label.text() == HOSTILE
    assert panel.past_list.item(0).text().endswith(HOSTILE)
    labels = panel.findChildren(QLabel)
    assert len(labels) > 10
    for label in labels:
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
        assert not label.openExternalLinks()
    for widget in [panel, *panel.findChildren(QLabel)]:
        assert "<" not in widget.toolTip()


def test_enter_adds_a_tag_and_emits_the_whole_list(panel, qtbot):
    panel.show_customer(customer(), [])
    field = panel.tag_editor.input
    type_text(field, "爱砍价")
    with qtbot.waitSignal(panel.tags_edited) as blocker:
        QTest.keyClick(field, Qt.Key.Key_Return)
    assert blocker.args == [["老客户", "爱砍价"]]
    assert field.text() == ""
    assert [chip.label.text() for chip in panel.tag_editor.chips()] == ["老客户", "爱砍价"]


def test_duplicate_and_blank_tags_are_not_added(panel, qtbot):
    panel.show_customer(customer(tags=["VIP"]), [])
    field = panel.tag_editor.input
    with qtbot.assertNotEmitted(panel.tags_edited):
        field.setText("vip")
        QTest.keyClick(field, Qt.Key.Key_Return)
        field.setText("   ")
        QTest.keyClick(field, Qt.Key.Key_Return)
    assert panel.tag_editor.tags() == ["VIP"]
    assert field.text() == ""  # the blank one was cleared


def test_the_cross_removes_a_tag(panel, qtbot):
    panel.show_customer(customer(tags=["老客户", "爱砍价", "尺码偏大"]), [])
    chip = panel.tag_editor.chips()[1]
    with qtbot.waitSignal(panel.tags_edited) as blocker:
        qtbot.mouseClick(chip.remove_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [["老客户", "尺码偏大"]]
    assert panel.tag_editor.tags() == ["老客户", "尺码偏大"]


def test_tags_stop_at_the_protocol_limit(panel, qtbot):
    tags = [f"标签{n}" for n in range(MAX_TAGS - 1)]
    panel.show_customer(customer(tags=tags), [])
    assert panel.tag_editor.input.isEnabled()
    with qtbot.waitSignal(panel.tags_edited):
        assert panel.tag_editor.add_tag("最后一个")
    assert not panel.tag_editor.input.isEnabled()
    assert panel.tag_editor.input.placeholderText() == "标签已满"
    assert not panel.tag_editor.add_tag("多一个")
    assert len(panel.tag_editor.tags()) == MAX_TAGS


def test_note_is_saved_after_the_last_keystroke(panel, qtbot):
    panel.show_customer(customer(note=""), [])
    edit = panel.note_editor.edit
    with qtbot.assertNotEmitted(panel.note_edited, wait=DEBOUNCE_MS // 2):
        type_text(edit, "尺码")
    with qtbot.waitSignal(panel.note_edited, timeout=DEBOUNCE_MS * 3) as blocker:
        type_text(edit, "偏大")  # restarts the timer: one signal for both
    assert blocker.args == ["尺码偏大"]
    with qtbot.assertNotEmitted(panel.note_edited, wait=DEBOUNCE_MS + 200):
        focus_out(edit)  # nothing changed since


def test_note_is_saved_on_focus_out(panel, qtbot):
    panel.show_customer(customer(note=""), [])
    edit = panel.note_editor.edit
    type_text(edit, "周末不发货")
    with qtbot.waitSignal(panel.note_edited, timeout=100) as blocker:
        focus_out(edit)
    assert blocker.args == ["周末不发货"]


def test_note_state_texts(panel):
    panel.show_customer(customer(), [])
    label = panel.note_editor.state_label
    panel.set_note_state("saving")
    assert label.text() == "保存中…"
    panel.set_note_state("saved")
    assert label.text() == "已保存"
    panel.set_note_state("failed")
    assert label.text() == "保存失败"


def test_failed_save_is_retried_on_focus_out(panel, qtbot):
    panel.show_customer(customer(note="旧备注"), [])
    panel.note_editor.edit.setPlainText("新备注")
    panel.note_editor.flush()
    panel.set_note_state("failed")
    with qtbot.waitSignal(panel.note_edited, timeout=100) as blocker:
        focus_out(panel.note_editor.edit)
    assert blocker.args == ["新备注"]


def test_an_update_does_not_overwrite_what_the_agent_types(panel, qtbot):
    panel.show_customer(customer(note="旧备注"), [])
    edit = panel.note_editor.edit
    edit.moveCursor(QTextCursor.MoveOperation.End)
    type_text(edit, "还没保存")
    panel.show_customer(customer(note="服务器的备注", nickname="新昵称"), [])
    assert panel.nickname_label.text() == "新昵称"
    assert panel.note_editor.text() == "旧备注还没保存"
    with qtbot.waitSignal(panel.note_edited, timeout=DEBOUNCE_MS * 3) as blocker:
        pass
    assert blocker.args == ["旧备注还没保存"]
    panel.show_customer(customer(note="旧备注还没保存"), [])  # the echo of the save
    assert panel.note_editor.text() == "旧备注还没保存"


def test_an_update_reaches_a_note_nobody_edits(panel, qtbot):
    panel.show_customer(customer(note="旧备注"), [])
    with qtbot.assertNotEmitted(panel.note_edited, wait=DEBOUNCE_MS + 200):
        panel.show_customer(customer(note="同事改过的备注"), [])
    assert panel.note_editor.text() == "同事改过的备注"


def test_a_focused_note_is_not_overwritten(panel, qtbot):
    panel.show_customer(customer(note="旧备注"), [])
    panel.activateWindow()
    panel.note_editor.edit.setFocus()
    qtbot.waitUntil(panel.note_editor.edit.hasFocus)
    panel.show_customer(customer(note="同事改过的备注"), [])
    assert panel.note_editor.text() == "旧备注"


def test_switching_customer_flushes_the_pending_note_first(panel, qtbot):
    panel.show_customer(customer("u-1", note=""), [])
    type_text(panel.note_editor.edit, "给一号客户的备注")
    seen: list[tuple[str | None, str]] = []
    panel.note_edited.connect(lambda note: seen.append((panel.customer_id, note)))
    panel.show_customer(customer("u-2", note="二号的备注"), [])
    assert seen == [("u-1", "给一号客户的备注")]
    assert panel.note_editor.text() == "二号的备注"
    qtbot.wait(DEBOUNCE_MS + 200)
    assert len(seen) == 1


def test_loading_error_and_retry(panel, qtbot):
    panel.set_loading(True)
    assert panel.stack.currentWidget() is panel.state_page
    assert panel.state_page.message.text() == "正在加载客户资料…"
    assert not panel.state_page.retry_button.isVisible()
    panel.set_error("请求超时")
    assert panel.state_page.message.text() == "加载客户资料失败：请求超时"
    assert panel.state_page.retry_button.isVisible()
    with qtbot.waitSignal(panel.retry_requested):
        qtbot.mouseClick(panel.state_page.retry_button, Qt.MouseButton.LeftButton)
    panel.show_customer(customer(), [])
    assert panel.stack.currentIndex() == 0
    panel.set_loading(True)
    panel.set_loading(False)
    assert panel.stack.currentIndex() == 0


def test_past_conversations_newest_first_and_clickable(panel, qtbot):
    old = conversation("c-old", status="closed", last_at=FIRST_SEEN, text="第一次咨询")
    new = conversation("c-new", status="closed", last_at=FIRST_SEEN + 86_400_000, text="第二次咨询")
    empty = conversation("c-empty", status="waiting", created_at=FIRST_SEEN - 1000)
    panel.show_customer(customer(), [old, new, empty])
    texts = [panel.past_list.item(row).text() for row in range(panel.past_list.count())]
    assert texts == [
        "2024-08-08 08:00  ·  已结束\n第二次咨询",
        "2024-08-07 08:00  ·  已结束\n第一次咨询",
        "2024-08-07 07:59  ·  排队中\n（无消息）",
    ]
    rect = panel.past_list.visualItemRect(panel.past_list.item(1))
    with qtbot.waitSignal(panel.past_conversation_activated) as blocker:
        qtbot.mouseClick(panel.past_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == ["c-old"]
    panel.past_list.setCurrentRow(0)
    with qtbot.waitSignal(panel.past_conversation_activated) as blocker:
        QTest.keyClick(panel.past_list, Qt.Key.Key_Return)
    assert blocker.args == ["c-new"]


def test_no_past_conversations(panel):
    panel.show_customer(customer(), [])
    assert not panel.past_list.isVisible()
    assert panel.past_empty_label.isVisible()
    assert panel.past_empty_label.text() == "暂无历史会话"


def test_preview_of_non_text_messages():
    def with_body(kind: MessageKind, body: dict[str, Any]) -> Conversation:
        msg = Message(
            id="m",
            conversation_id="c",
            sender=Party(role="customer", id="u"),
            kind=kind,
            body=body,
            created_at=0,
        )
        return Conversation(id="c", customer_id="u", status="closed", last_message=msg, created_at=0)

    image = {"mime": "image/png", "data_b64": "AAAA", "width": 1, "height": 1}
    assert last_message_preview(with_body("image", image)) == "[图片]"
    product = {"product_id": "p", "title": "纯棉\nT恤", "price_cents": 1}
    assert last_message_preview(with_body("product", product)) == "[商品] 纯棉 T恤"
    assert last_message_preview(with_body("order", {"order_id": "3123"})) == "[订单] 3123"


def test_clicking_outside_rows_emits_nothing(panel, qtbot):
    panel.show_customer(customer(), [conversation("c-1", status="closed", last_at=FIRST_SEEN)])
    with qtbot.assertNotEmitted(panel.past_conversation_activated):
        qtbot.mouseClick(panel.past_list.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 140))
