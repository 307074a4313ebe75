"""The overdue popup: its model (checked by qtmodeltester), live updates, and the ways to open a chat."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMainWindow

from desktop.core.alerts import OverdueChat, Preview
from desktop.ui.overdue_popup import OverdueDelegate, OverdueModel, OverduePopup, OverdueRole, preview_label

pytestmark = pytest.mark.gui


def chat(conv_id: str, waited_s: float, nickname: str = "", text: str | None = "在吗") -> OverdueChat:
    preview = None if text is None else Preview("text", text)
    return OverdueChat(conv_id, nickname or conv_id, round(waited_s * 1000), preview)


@pytest.fixture
def popup(qtbot):
    window = QMainWindow()
    window.resize(700, 500)
    qtbot.addWidget(window)
    window.show()
    yield OverduePopup(window)  # the window lives as long as the test (qtbot keeps only a weak reference)
    window.close()


def test_the_model_passes_the_model_tester_through_updates(qtmodeltester) -> None:
    model = OverdueModel()
    qtmodeltester.check(model)
    steps = [
        [chat("a", 130), chat("b", 101)],
        [chat("a", 131), chat("b", 102), chat("c", 100)],  # c turns red
        [chat("a", 132), chat("c", 101)],  # b answered
        [chat("d", 500), chat("a", 133), chat("c", 102), chat("e", 100)],  # inserted at both ends
        [chat("c", 103), chat("a", 134)],  # order changed: reset
        [],
        [chat("x", 100)],
    ]
    for chats in steps:
        model.set_chats(chats)
        assert model.chats() == chats
        qtmodeltester.check(model)


def test_rows_say_who_how_long_and_what_as_plain_text() -> None:
    model = OverdueModel()
    model.set_chats([chat("cv-1", 133, "<b>小鹿</b>", "<i>有现货吗</i>"), chat("cv-2", 3_700, "bob", None)])
    first, second = model.index(0, 0), model.index(1, 0)
    assert first.data() == "<b>小鹿</b>"
    assert first.data(OverdueRole.ID) == "cv-1"
    assert first.data(OverdueRole.WAITED_TEXT) == "已等 2分13秒"
    assert first.data(OverdueRole.WAITED_MS) == 133_000
    assert first.data(OverdueRole.PREVIEW) == "<i>有现货吗</i>"
    assert first.data(OverdueRole.INITIAL) == "<"
    assert "&lt;b&gt;小鹿&lt;/b&gt;" in first.data(Qt.ItemDataRole.ToolTipRole)  # shown literally
    assert (second.data(OverdueRole.INITIAL), second.data(OverdueRole.PREVIEW)) == ("B", "")
    assert second.data(OverdueRole.WAITED_TEXT) == "已等 1小时1分"
    assert model.row_of("cv-2") == 1 and model.row_of("nope") is None


def test_preview_labels() -> None:
    assert preview_label(Preview("image", "")) == "[图片]"
    assert preview_label(Preview("product", "沙发")) == "[商品] 沙发"
    assert preview_label(Preview("order", "o-1")) == "[订单] o-1"
    assert preview_label(Preview("system", "已转接")) == "已转接"
    assert preview_label(None) == ""


def test_the_title_counts_and_the_window_hides_when_nothing_is_overdue(qtbot, popup) -> None:
    popup.set_chats([chat("cv-1", 130), chat("cv-2", 101)])
    assert popup.windowTitle() == "超时未回复 (2)" == popup.header.text()
    assert popup.header.textFormat() == Qt.TextFormat.PlainText
    assert not popup.isVisible()
    popup.remind()
    assert popup.isVisible()
    assert not popup.isModal()
    assert popup.windowFlags() & Qt.WindowType.Tool
    assert popup.longest_button.isEnabled()
    popup.set_chats([])
    assert not popup.isVisible() and not popup.longest_button.isEnabled()
    assert popup.windowTitle() == "超时未回复 (0)"


def test_the_selection_survives_a_tick(qtbot, popup) -> None:
    popup.set_chats([chat("cv-1", 130), chat("cv-2", 101)])
    popup.remind()
    popup.view.setCurrentIndex(popup.model.index(1, 0))
    popup.set_chats([chat("cv-0", 400), chat("cv-1", 131), chat("cv-2", 102), chat("cv-3", 100)])
    assert popup.view.currentIndex().data(OverdueRole.ID) == "cv-2"
    assert popup.view.currentIndex().data(OverdueRole.WAITED_TEXT) == "已等 1分42秒"


def test_every_way_to_open_a_chat(qtbot, popup) -> None:
    popup.set_chats([chat("cv-long", 300, "最久"), chat("cv-2", 130), chat("cv-3", 101)])
    popup.remind()
    qtbot.waitExposed(popup)
    with qtbot.waitSignal(popup.open_requested) as opened:
        QTest.mouseClick(popup.longest_button, Qt.MouseButton.LeftButton)
    assert opened.args == ["cv-long"]

    second = popup.view.visualRect(popup.model.index(1, 0)).center() - QPoint(60, 0)
    viewport = popup.view.viewport()
    with qtbot.waitSignal(popup.open_requested) as opened:
        QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=second)
        QTest.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=second)
    assert opened.args == ["cv-2"]

    third = popup.view.visualRect(popup.model.index(2, 0))
    reply = OverdueDelegate.reply_rect(third)
    assert popup.view.viewport().rect().contains(reply)
    with qtbot.waitSignal(popup.open_requested) as opened:
        QTest.mouseClick(popup.view.viewport(), Qt.MouseButton.LeftButton, pos=reply.center())
    assert opened.args == ["cv-3"]

    popup.view.setFocus()
    popup.view.setCurrentIndex(popup.model.index(0, 0))
    with qtbot.waitSignal(popup.open_requested) as opened:
        QTest.keyClick(popup.view, Qt.Key.Key_Return)
    assert opened.args == ["cv-long"]


def test_it_opens_over_the_main_window_once_and_stays_where_moved(qtbot, popup) -> None:
    popup.set_chats([chat("cv-1", 130)])
    popup.remind()
    window = popup.parentWidget()
    assert window.frameGeometry().contains(popup.geometry().topLeft())
    popup.move(10, 20)
    popup.hide()
    popup.remind()
    assert popup.pos() == QPoint(10, 20)


def test_it_renders(qtbot, popup) -> None:
    popup.set_chats([chat("cv-1", 133, "小鹿乱撞", "亲，这款沙发有现货吗？" * 4), chat("cv-2", 101, "bob")])
    popup.remind()
    image = popup.grab().toImage()
    assert not image.isNull() and image.width() == popup.width()
