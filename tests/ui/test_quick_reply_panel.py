"""QuickReplyPanel: groups per scope, pinyin search, click inserts / double click sends, personal editing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel

from desktop.core.quick_replies import QuickReplyIndex
from desktop.protocol.objects import QuickReply, QuickReplyDraft
from desktop.ui.plain_text import plain_tooltip
from desktop.ui.quick_reply_panel import PhraseTree, QuickReplyPanel
from tests.core.builders import quick_reply

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")]

HOSTILE = '<b>粗体</b><img src="http://127.0.0.1:1/x.png"><a href="x">link</a>'


def replies() -> list[QuickReply]:
    return [
        quick_reply("t-1", "亲，您好！有什么可以帮您？", group="问候", shortcut="hy"),
        quick_reply("t-2", "亲，退款已经处理了，请留意账户", group="售后", shortcut="tk"),
        quick_reply("t-3", "亲，七天无理由退换哦", group="售后", shortcut="th"),
        quick_reply("p-1", "我自己的招呼语", group="我的", shortcut="wd", scope="personal"),
        quick_reply("p-2", HOSTILE, group="我的", scope="personal"),
    ]


@pytest.fixture
def index():
    return QuickReplyIndex(replies())


@pytest.fixture
def panel(qtbot, index):
    panel = QuickReplyPanel()
    qtbot.addWidget(panel)
    panel.resize(340, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_index(index)
    return panel


def type_text(widget, text: str) -> None:
    QTest.sendKeyEvent(
        QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, text, Qt.KeyboardModifier.NoModifier
    )


def tree_texts(tree: PhraseTree) -> list[tuple[str, str, list[tuple[str, str]]]]:
    out = []
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        assert top is not None
        children = [top.child(j) for j in range(top.childCount())]
        out.append((top.text(0), top.text(1), [(c.text(0), c.text(1)) for c in children if c is not None]))
    return out


def click_item(qtbot, tree, item, *, double: bool = False) -> None:
    tree.scrollToItem(item)
    pos = tree.visualItemRect(item).center()
    if double:
        qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    else:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def test_loading_until_an_index_arrives(qtbot):
    panel = QuickReplyPanel()
    qtbot.addWidget(panel)
    assert panel.stack.currentWidget() is panel.message_label
    assert panel.message_label.text() == "正在加载…"
    assert not panel.search_edit.isEnabled()
    assert not panel.add_button.isEnabled()


def test_team_and_personal_tabs_show_groups(panel):
    assert [panel.tabs.tabText(i) for i in range(panel.tabs.count())] == ["团队", "个人"]
    assert tree_texts(panel.team_tree) == [
        ("问候", "1", [("亲，您好！有什么可以帮您？", "/hy")]),
        ("售后", "2", [("亲，退款已经处理了，请留意账户", "/tk"), ("亲，七天无理由退换哦", "/th")]),
    ]
    assert tree_texts(panel.personal_tree) == [("我的", "2", [("我自己的招呼语", "/wd"), (HOSTILE, "")])]


def test_untrusted_phrase_text_is_literal(panel):
    item = panel.personal_tree.item_for("p-2")
    assert item.text(0) == HOSTILE
    tooltip = item.toolTip(0)
    assert "<b>" not in tooltip and "<img" not in tooltip and "&lt;b&gt;粗体&lt;/b&gt;" in tooltip
    assert plain_tooltip("a < b\nc") == "<p style='white-space:pre-wrap'>a &lt; b\nc</p>"
    for label in panel.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText


def test_pinyin_initials_search_shows_flat_results(panel, index):
    type_text(panel.search_edit, "tk")
    assert panel.stack.currentWidget() is panel.results_tree
    shown = [
        panel.results_tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole + 1).id
        for i in range(panel.results_tree.topLevelItemCount())
    ]
    assert shown == [m.reply.id for m in index.search("tk")]
    assert shown[0] == "t-2"
    assert panel.results_tree.topLevelItem(0).text(1) == "/tk"
    panel.search_edit.clear()
    assert panel.stack.currentWidget() is panel.tabs


def test_chinese_search_and_no_match(panel):
    type_text(panel.search_edit, "退换")
    assert panel.results_tree.topLevelItem(0).text(0) == "亲，七天无理由退换哦"
    panel.search_edit.setText("zzzzqqq")
    assert panel.stack.currentWidget() is panel.message_label
    assert panel.message_label.text() == "没有找到匹配的短语"


def test_enter_in_search_inserts_the_best_match(panel, qtbot):
    panel.search_edit.setText("tk")
    with qtbot.waitSignal(panel.insert_requested, timeout=100) as blocker:
        QTest.keyClick(panel.search_edit, Qt.Key.Key_Return)
    assert blocker.args[0].id == "t-2"


def test_click_inserts_and_double_click_only_sends(panel, qtbot):
    item = panel.team_tree.item_for("t-2")
    with qtbot.waitSignal(
        panel.insert_requested, timeout=QApplication.doubleClickInterval() + 1000
    ) as blocker:
        click_item(qtbot, panel.team_tree, item)
    assert blocker.args[0].id == "t-2"
    quiet = qtbot.assertNotEmitted(panel.insert_requested, wait=QApplication.doubleClickInterval() + 200)
    with quiet, qtbot.waitSignal(panel.send_requested) as sent:
        click_item(qtbot, panel.team_tree, item, double=True)
    assert sent.args[0].id == "t-2"


def test_clicking_a_group_emits_nothing(panel, qtbot):
    group = panel.team_tree.topLevelItem(0)
    with qtbot.assertNotEmitted(panel.insert_requested, wait=QApplication.doubleClickInterval() + 200):
        click_item(qtbot, panel.team_tree, group)


def test_team_phrases_are_read_only(panel):
    panel.team_tree.setCurrentItem(panel.team_tree.item_for("t-1"))
    assert not panel.edit_button.isEnabled() and not panel.delete_button.isEnabled()
    panel.tabs.setCurrentWidget(panel.personal_tree)
    panel.personal_tree.setCurrentItem(panel.personal_tree.item_for("p-1"))
    assert panel.edit_button.isEnabled() and panel.delete_button.isEnabled()


def test_add_a_personal_phrase_through_the_dialog(panel, qtbot):
    qtbot.mouseClick(panel.add_button, Qt.MouseButton.LeftButton)
    dialog = panel.editor
    assert dialog is not None and dialog.isVisible() and dialog.windowTitle() == "新增短语"
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()  # no text yet
    type_text(dialog.text_edit, "   ")
    assert not save.isEnabled()
    assert dialog.error_label.text() == "请填写短语内容"
    dialog.text_edit.clear()
    type_text(dialog.text_edit, "亲，稍等我查一下")
    dialog.shortcut_edit.setText("/cx")
    dialog.group_box.setCurrentText("查询")
    assert save.isEnabled()
    with qtbot.waitSignal(panel.save_requested) as blocker:
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert blocker.args == [
        QuickReplyDraft(id=None, scope="personal", group="查询", shortcut="cx", text="亲，稍等我查一下")
    ]
    assert panel.editor is None
    qtbot.waitUntil(lambda: not dialog.isVisible())


def test_cancelling_the_dialog_saves_nothing(panel, qtbot):
    panel.add_reply()
    dialog = panel.editor
    type_text(dialog.text_edit, "不要了")
    with qtbot.assertNotEmitted(panel.save_requested):
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
        )
    assert panel.editor is None


def test_edit_keeps_the_id(panel, qtbot):
    panel.tabs.setCurrentWidget(panel.personal_tree)
    panel.personal_tree.setCurrentItem(panel.personal_tree.item_for("p-1"))
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    dialog = panel.editor
    assert dialog.windowTitle() == "编辑短语"
    assert dialog.text_edit.toPlainText() == "我自己的招呼语"
    assert dialog.shortcut_edit.text() == "wd"
    assert dialog.group_box.currentText() == "我的"
    dialog.text_edit.selectAll()
    type_text(dialog.text_edit, "改过的招呼语")
    with qtbot.waitSignal(panel.save_requested) as blocker:
        qtbot.mouseClick(
            dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
        )
    assert blocker.args == [
        QuickReplyDraft(id="p-1", scope="personal", group="我的", shortcut="wd", text="改过的招呼语")
    ]


def test_delete_asks_first(panel, qtbot):
    panel.tabs.setCurrentWidget(panel.personal_tree)
    panel.personal_tree.setCurrentItem(panel.personal_tree.item_for("p-1"))
    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    box = panel.confirm_box
    assert box is not None and box.isVisible()
    assert box.informativeText() == "我自己的招呼语"
    cancel = next(b for b in box.buttons() if b.text() == "取消")
    with qtbot.assertNotEmitted(panel.delete_requested):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert panel.confirm_box is None

    qtbot.mouseClick(panel.delete_button, Qt.MouseButton.LeftButton)
    box = panel.confirm_box
    assert box is not None
    delete = next(b for b in box.buttons() if b.text() == "删除")
    with qtbot.waitSignal(panel.delete_requested) as blocker:
        qtbot.mouseClick(delete, Qt.MouseButton.LeftButton)
    assert blocker.args == ["p-1"]


def test_refresh_shows_changes_and_keeps_the_search(panel, index):
    panel.search_edit.setText("退")
    index.upsert(quick_reply("p-3", "亲，退货地址发您了", group="我的", shortcut="thdz", scope="personal"))
    panel.refresh()
    assert panel.stack.currentWidget() is panel.results_tree
    assert panel.results_tree.topLevelItemCount() == 3
    panel.search_edit.clear()
    assert panel.personal_tree.item_for("p-3") is not None
    index.remove("p-3")
    panel.refresh()
    assert panel.personal_tree.item_for("p-3") is None


def test_collapsed_groups_stay_collapsed(panel, index):
    group = panel.team_tree.topLevelItem(1)
    group.setExpanded(False)
    panel.refresh()
    assert not panel.team_tree.topLevelItem(1).isExpanded()
    assert panel.team_tree.topLevelItem(0).isExpanded()


def test_empty_personal_tab_says_how_to_add(qtbot):
    panel = QuickReplyPanel()
    qtbot.addWidget(panel)
    panel.set_index(QuickReplyIndex([quick_reply("t-1", "您好")]))
    empty = panel.personal_tree.topLevelItem(0)
    assert empty is not None
    assert empty.text(0) == "还没有个人短语，点“新增”添加"
    assert panel.personal_tree.reply_items() == []
