"""Chats in windows of their own (real backend): detach, attach, two at once, restart, marks, drag out."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint

from desktop.protocol.objects import Message
from desktop.server.peer import Peer
from desktop.ui.chat_model import ChatRole
from desktop.ui.conversation_list_model import ConversationRole
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import wait_for
from tests.integration.shop import buyer, say
from tests.ui.test_main_window import listed_buyers, type_chinese
from tests.ui.workbench_harness import Desk, open_desk

pytestmark = [pytest.mark.gui, pytest.mark.integration]


def texts(pane) -> list[str]:
    model = pane.model
    return [model.index(r, 0).data(ChatRole.TEXT) for r in range(model.rowCount())]


def detached_mark(desk: Desk, conv_id: str) -> bool:
    model = desk.window.list_panel.model
    row = model.row_of(conv_id)
    assert row is not None
    return bool(model.index(row, 0).data(ConversationRole.DETACHED))


async def long_chat(url: str, desk: Desk, peers: list[Peer], count: int = 40) -> str:
    peer, _ = await buyer(url, "buyer-window-long")
    peers.append(peer)
    conv_id = ""
    for n in range(count):
        conv_id = (await say(peer, f"第{n}条：这件衣服有没有别的颜色")).message.conversation_id
    book = desk.workbench.book
    last = f"第{count - 1}条：这件衣服有没有别的颜色"

    def arrived() -> bool:
        conv = book.get(conv_id)
        return (
            conv is not None and conv.last_message is not None and conv.last_message.body.get("text") == last
        )

    await wait_for(arrived)
    return conv_id


async def test_detach_and_attach_keep_the_draft_and_the_scroll_position(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        conv_id = await long_chat(backend.url, desk, peers)
        window = desk.window
        pane = window.open_conversation(conv_id)
        type_chinese(pane.composer.input, "亲，还有藏青色")
        bar = pane.chat_view.list.verticalScrollBar()
        await wait_for(lambda: bar.maximum() > 200)
        bar.setValue(bar.maximum() // 2)  # the agent scrolled up to read
        top_before = pane.chat_view.list.indexAt(QPoint(10, 10)).row()

        chat_window = window.detach(conv_id)
        assert chat_window.pane is pane  # moved, not rebuilt
        assert window.pane(conv_id) is pane
        assert window.stack.currentWidget() is window.elsewhere
        assert detached_mark(desk, conv_id)
        await wait_for(lambda: chat_window.isVisible())
        assert pane.composer.text() == "亲，还有藏青色"
        assert pane.chat_view.list.indexAt(QPoint(10, 10)).row() == top_before
        assert pane.is_detached() and chat_window.side_panel.customer_panel.customer_id is not None

        back = window.attach(conv_id)
        assert back is pane and window.current_pane() is pane
        assert not detached_mark(desk, conv_id)
        assert pane.composer.text() == "亲，还有藏青色"
        assert pane.chat_view.list.indexAt(QPoint(10, 10)).row() == top_before
        await wait_for(lambda: chat_window not in window.findChildren(type(chat_window)))
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_two_detached_windows_receive_their_own_messages(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        first, second = await listed_buyers(backend.url, desk.window, peers, "buyer-two-win-", "你好{n}", 2)
        one, two = desk.window.detach(first), desk.window.detach(second)
        assert one is not two and one.pane.conversation_id == first
        await say(peers[0], "一号窗口的消息")
        await say(peers[1], "二号窗口的消息")
        await wait_for(lambda: "一号窗口的消息" in texts(one.pane) and "二号窗口的消息" in texts(two.pane))
        assert "二号窗口的消息" not in texts(one.pane)
        assert "一号窗口的消息" not in texts(two.pane)
        one.pane.send_text("一号的回复")
        got = await peers[0].next_event(timeout=10)
        while not (isinstance(getattr(got.data, "message", None), Message)
                   and got.data.message.sender.role == "agent"):  # fmt: skip
            got = await peers[0].next_event(timeout=10)
        assert got.data.message.body["text"] == "一号的回复"
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_restart_restores_the_detached_windows_and_their_places(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        (conv_id,) = await listed_buyers(backend.url, desk.window, peers, "buyer-restore-", "在吗{n}", 1)
        chat_window = desk.window.detach(conv_id)
        chat_window.side_action.setChecked(False)  # customer panel hidden in this window …
        chat_window.resize(640, 500)  # … so it may be this narrow
        chat_window.pane.composer.set_text("草稿留着")
    finally:
        await desk.close()
    again = await open_desk(backend.url, tmp_path)
    try:
        await wait_for(lambda: conv_id in again.window.detached)
        restored = again.window.detached.window(conv_id)
        assert restored is not None
        assert (restored.width(), restored.height()) == (640, 500)
        assert not restored.side_panel_shown()
        assert restored.pane.composer.text() == "草稿留着"
        assert detached_mark(again, conv_id)
    finally:
        for peer in peers:
            await peer.close()
        await again.close()


async def test_closing_a_chat_window_brings_the_chat_back_quietly(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        first, second = await listed_buyers(backend.url, desk.window, peers, "buyer-close-win-", "嗨{n}", 2)
        window = desk.window
        window.open_conversation(second)
        chat_window = window.detach(first)
        chat_window.pane.composer.set_text("关窗前写的")
        chat_window.close()  # the title bar's X
        await wait_for(lambda: first not in window.detached)
        current = window.current_pane()
        assert current is not None and current.conversation_id == second
        pane = window.pane(first)
        assert pane is not None and pane.composer.text() == "关窗前写的"
        assert not detached_mark(desk, first)

        # opening a detached chat from the list brings its window to the front, not a second copy
        chat_window = window.detach(first)
        assert window.open_conversation(first) is chat_window.pane
        assert window.stack.currentWidget() is window.elsewhere
        assert "「" in window.elsewhere.label.text()
        window.elsewhere.attach_button.click()
        assert window.current_pane() is chat_window.pane
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_the_list_menu_the_shortcut_and_a_drag_out_detach_a_chat(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        first, second, third = await listed_buyers(backend.url, desk.window, peers, "buyer-menu-", "问{n}", 3)
        window, panel = desk.window, desk.window.list_panel
        menu = panel.context_menu_for(panel.model.index(panel.model.row_of(first) or 0, 0))
        assert menu is not None
        assert [a.text() for a in menu.actions()] == ["在新窗口中打开"]
        menu.actions()[0].trigger()
        assert first in window.detached
        menu = panel.context_menu_for(panel.model.index(panel.model.row_of(first) or 0, 0))
        assert menu is not None
        assert [a.text() for a in menu.actions()] == ["收回到主窗口"]
        menu.actions()[0].trigger()
        assert first not in window.detached

        window.open_conversation(second)
        assert window.detach_action.shortcut().toString() == "Ctrl+Shift+D"
        window.detach_action.trigger()
        assert second in window.detached

        inside = window.frameGeometry().center()
        panel.view.drag_ended(third, inside)  # dropped back on the window: nothing happens
        assert third not in window.detached
        outside = window.frameGeometry().bottomRight() + QPoint(40, 40)
        panel.view.drag_ended(third, outside)
        torn = window.detached.window(third)
        assert torn is not None and torn.pos() == outside
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()
