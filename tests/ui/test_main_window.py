"""The workbench window against the real backend: list, chat, composer, side panel and status bar together."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.server.peer import Peer
from desktop.ui.chat_model import ChatRole
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import wait_for
from tests.integration.shop import agent, buyer, say
from tests.ui.workbench_harness import open_desk

pytestmark = [pytest.mark.gui, pytest.mark.integration]


def type_chinese(widget, text: str) -> None:
    QTest.sendKeyEvent(
        QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, text, Qt.KeyboardModifier.NoModifier
    )


async def listed_buyers(
    url: str, window, peers: list[Peer], prefix: str, text: str, count: int = 3
) -> list[str]:
    """``count`` buyers each start a chat (``text`` with {n}); the ids, once the list shows them all."""
    conv_ids = []
    for n in range(count):
        peer, _ = await buyer(url, f"{prefix}{n}")
        peers.append(peer)
        conv_ids.append((await say(peer, text.format(n=n))).message.conversation_id)
    await wait_for(lambda: all(window.list_panel.model.row_of(c) is not None for c in conv_ids))
    return conv_ids


async def texts_received(peer, count: int) -> list[str]:
    got: list[str] = []
    while len(got) < count:
        event = await peer.next_event(f.MessageCreated, timeout=15)
        if event.data.message.sender.role == "agent":
            got.append(event.data.message.body["text"])
    return got


async def test_a_buyer_message_is_listed_opened_and_answered_in_chinese(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    window = desk.window
    peer, _ = await buyer(backend.url, "buyer-e2e-1")
    try:
        sent = await say(peer, "你好，请问这款沙发有现货吗？")
        conv_id = sent.message.conversation_id
        panel = window.list_panel
        await wait_for(lambda: panel.model.row_of(conv_id) is not None)
        row = panel.model.row_of(conv_id)
        assert row is not None
        assert "沙发" in panel.model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
        panel.view.setCurrentIndex(panel.model.index(row, 0))
        pane = window.current_pane()
        assert pane is not None and pane.conversation_id == conv_id
        await wait_for(
            lambda: (
                "你好，请问这款沙发有现货吗？"
                in [pane.model.index(r, 0).data() for r in range(pane.model.rowCount())]
            )
        )

        target = pane.composer.input
        type_chinese(target, "亲，有现货的，今天下单明天发货")
        QTest.keyClick(target, Qt.Key.Key_Return)
        got = await texts_received(peer, 1)
        assert got == ["亲，有现货的，今天下单明天发货"]
        await wait_for(lambda: desk.workbench.kpi().replies_sent >= 1)
        await wait_for(lambda: "已回复 1" in window.status.kpis.text())
    finally:
        await peer.close()
        await desk.close()


async def test_panes_beyond_the_cache_are_closed_cleanly_and_keep_their_drafts(
    qtbot, backend: BackendProcess, tmp_path: Path, monkeypatch
) -> None:
    from desktop.ui import main_window
    from desktop.ui.conversation_pane import ConversationPane

    monkeypatch.setattr(main_window, "PANE_CACHE", 2)
    desk = await open_desk(backend.url, tmp_path)
    window = desk.window
    peers: list[Peer] = []
    try:
        conv_ids = await listed_buyers(backend.url, window, peers, "buyer-cache-", "第{n}位买家")
        first = window.open_conversation(conv_ids[0])
        first.composer.set_text("草稿：稍后回复")
        first.composer.flush_draft()
        window.open_conversation(conv_ids[1])
        window.open_conversation(conv_ids[2])  # the first pane falls out of the cache
        assert window.pane(conv_ids[0]) is None
        await wait_for(lambda: len(window.findChildren(ConversationPane)) == 2)
        await desk.client.flushed()
        assert desk.client.store.draft(conv_ids[0]) == "草稿：稍后回复"
        desk.workbench.rebuild_quick_replies()  # a closed pane no longer listens (no warning, no crash)
        await asyncio.sleep(0.5)
        again = window.open_conversation(conv_ids[0])
        assert again.composer.text() == "草稿：稍后回复"
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_own_status_reaches_colleagues_and_the_layout_is_kept_across_restarts(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    window = desk.window
    colleague = await agent(backend.url, "agent5")
    try:
        status = window.status.own_status
        status.setCurrentIndex(status.findData("busy"))
        status.activated.emit(status.currentIndex())  # as a click on 忙碌 does
        while True:
            event = await colleague.next_event(f.PresenceChanged, timeout=10)
            if event.data.status == "busy":
                break
        window.resize(760, 560)  # inside the offscreen screen (800 x 600): restoreGeometry keeps it on screen
        window.split.setSizes([230, 320, 200])
        sizes = window.split.sizes()
    finally:
        await colleague.close()
        await desk.close()  # closing keeps the layout
    again = await open_desk(backend.url, tmp_path)
    try:
        assert (again.window.width(), again.window.height()) == (760, 560), again.window.size()
        assert again.window.split.sizes() == sizes
        # the server kept 忙碌 across the logins: the status bar says so (not a hopeful 在线)
        await wait_for(lambda: again.window.status.own_status_code() == "busy")
    finally:
        await again.close()


async def test_orders_fetched_before_the_tab_is_opened_show_when_it_is(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    from collections import Counter

    from desktop.server.demo_seed import build_demo_shop

    counts = Counter(order.customer_id for order in build_demo_shop().orders)
    buyer_id, count = counts.most_common(1)[0]
    desk = await open_desk(backend.url, tmp_path)
    peer, _ = await buyer(backend.url, buyer_id)
    try:
        conv_id = (await say(peer, "帮我看看我的订单")).message.conversation_id
        await wait_for(lambda: desk.window.list_panel.model.row_of(conv_id) is not None)
        desk.window.open_conversation(conv_id)
        await wait_for(lambda: len(desk.window.customer_side.orders) == count)
        assert not desk.window.side_panel.built("orders")  # not built until the agent looks
        desk.window.side_panel.setCurrentIndex(1)
        assert desk.window.side_panel.orders_panel.model.rowCount() == count
        desk.window.side_panel.setCurrentIndex(2)
        team = desk.window.side_panel.quick_reply_panel.team_tree
        await wait_for(lambda: team.topLevelItemCount() > 0)  # the team's groups, from the index
    finally:
        await peer.close()
        await desk.close()


async def test_a_queued_buyer_can_be_read_but_not_answered_until_accepted(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    from tests.integration.shop import admin

    admin(backend.db_path, "agent-max", "demo", "agent3", "1")  # one chat at a time: the second buyer queues
    desk = await open_desk(backend.url, tmp_path)
    window = desk.window
    first, _ = await buyer(backend.url, "buyer-first-1")
    peer, _ = await buyer(backend.url, "buyer-queued-1")
    try:
        mine = (await say(first, "你好")).message.conversation_id
        await wait_for(lambda: window.list_panel.model.row_of(mine) is not None)
        conv_id = (await say(peer, "有人吗？排队好久了")).message.conversation_id
        window.list_panel.show_tab("waiting")
        await wait_for(lambda: window.list_panel.model.row_of(conv_id) is not None)
        pane = window.open_conversation(conv_id)
        assert not pane.composer.is_enabled_for_sending()
        assert "排队" in pane.composer.input.placeholderText()
        window.accept(conv_id)
        await wait_for(lambda: pane.composer.is_enabled_for_sending())
        assert window.list_panel.status() == "active"
    finally:
        await first.close()
        await peer.close()
        await desk.close()


async def test_quiet_moments_prepare_the_panes_of_my_other_chats(
    qtbot, backend: BackendProcess, tmp_path: Path, monkeypatch
) -> None:
    from desktop.ui import main_window

    monkeypatch.setattr(main_window, "PREWARM_QUIET_S", 0.2)
    desk = await open_desk(backend.url, tmp_path)
    window = desk.window
    peers: list[Peer] = []
    try:
        conv_ids = await listed_buyers(backend.url, window, peers, "buyer-warm-", "在吗{n}")
        window.open_conversation(conv_ids[0])
        await wait_for(lambda: all(window.pane(c) is not None for c in conv_ids), timeout=10)
        current = window.current_pane()
        assert current is not None and current.conversation_id == conv_ids[0]  # made, not shown
        others = [desk.workbench.book.get(c) for c in conv_ids[1:]]
        assert all(conv is not None and conv.unread > 0 for conv in others)  # prewarming marks none read
        ahead = window.pane(conv_ids[1])
        assert ahead is not None and not ahead.isVisible()
        # laid out at its real size already: its first show lays out no bubble again
        from desktop.ui.chat_delegate import ChatDelegate

        computed: list[int] = []
        original = ChatDelegate._compute

        def counting(self, *args):
            computed.append(1)
            return original(self, *args)

        monkeypatch.setattr(ChatDelegate, "_compute", counting)
        rows = ahead.model.rowCount()
        window.open_conversation(conv_ids[1])
        await asyncio.sleep(0.2)
        assert len(computed) < rows  # made ahead at another width, every row would be laid out again
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_a_draft_survives_closing_and_reopening_the_app(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peer, _ = await buyer(backend.url, "buyer-draft-1")
    try:
        conv_id = (await say(peer, "尺码怎么选？")).message.conversation_id
        await wait_for(lambda: desk.window.list_panel.model.row_of(conv_id) is not None)
        pane = desk.window.open_conversation(conv_id)
        type_chinese(pane.composer.input, "亲，您平时穿多大码呢")  # not sent: the app is closed
    finally:
        await desk.close()
    again = await open_desk(backend.url, tmp_path)
    try:
        await wait_for(lambda: again.window.list_panel.model.row_of(conv_id) is not None)
        assert again.window.open_conversation(conv_id).composer.text() == "亲，您平时穿多大码呢"
    finally:
        await peer.close()
        await again.close()


async def test_note_and_tags_edited_in_the_panel_are_saved_on_the_server(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peer, _ = await buyer(backend.url, "buyer-note-1")
    colleague = await agent(backend.url, "agent5")
    try:
        sent = await say(peer, "记一下我的尺码")
        conv_id, customer_id = sent.message.conversation_id, sent.message.sender.id
        await wait_for(lambda: desk.window.list_panel.model.row_of(conv_id) is not None)
        desk.window.open_conversation(conv_id)
        panel = desk.window.side_panel.customer_panel
        await wait_for(lambda: panel.customer_id == customer_id)
        type_chinese(panel.note_editor.edit, "身高165，平时穿M码")
        panel.note_editor.flush()  # as leaving the field does
        await wait_for(lambda: panel.note_editor.state_label.text() == "已保存")
        panel.tag_editor.input.setText("老客户")
        panel.tag_editor.input.returnPressed.emit()
        ref = p.CustomerRef(customer_id=customer_id)

        async def server_side() -> tuple[str, list[str]]:
            got = await colleague.request(f.CustomerGet(id="", data=ref), p.CustomerData)
            return got.customer.note, got.customer.tags

        for _ in range(100):
            if await server_side() == ("身高165，平时穿M码", ["老客户"]):
                break
            await asyncio.sleep(0.05)
        assert await server_side() == ("身高165，平时穿M码", ["老客户"])
    finally:
        await colleague.close()
        await peer.close()
        await desk.close()


async def test_settings_apply_to_the_open_window_and_clear_cache_keeps_what_the_agent_wrote(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    from desktop.core.wait_timer import WaitLevel
    from desktop.ui.conversation_list_model import ConversationRole

    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        window = desk.window
        (conv_id,) = await listed_buyers(backend.url, window, peers, "buyer-settings-", "在吗{n}", 1)
        pane = window.open_conversation(conv_id)
        await wait_for(lambda: desk.workbench.customer(desk.workbench.conversation(conv_id).customer_id)  # type: ignore[union-attr]
                       is not None)  # fmt: skip
        pane.composer.set_text("草稿")

        dialog = window.show_settings()
        assert dialog.isVisible() and dialog.parent() is window
        dialog.reject()
        prefs = window.preferences
        prefs.set("composer/enter_sends", False)
        assert not pane.composer.enter_sends()
        model = window.list_panel.model
        index = model.index(model.row_of(conv_id) or 0, 0)
        model.tick(model.now_ms + 12_000)  # the buyer has waited ~12 s: fine by default (30 s / 100 s)…
        assert index.data(ConversationRole.WAIT_LEVEL) is WaitLevel.OK
        prefs.update({"wait/amber_s": 5, "wait/red_s": 10})  # … red with these
        assert model.thresholds.red_ms == 10_000
        assert index.data(ConversationRole.WAIT_LEVEL) is WaitLevel.RED

        from desktop.ui import theme

        prefs.set("appearance/theme", "dark")
        try:
            assert theme.current_theme() == "dark"
            assert window.palette().color(window.backgroundRole()).lightness() < 100
        finally:
            prefs.set("appearance/theme", "light")
        assert theme.current_theme() == "light"
        about = window.show_about()
        assert about.isVisible()
        about.close()
        menus = [a.text() for a in window.menuBar().actions()]
        assert menus == ["会话", "工具", "帮助"]
        assert "打开日志文件夹" in [a.text() for a in window.help_menu.actions()]
        assert window.about_action.icon().isNull()  # no SVG work before a menu is opened …
        window.help_menu.aboutToShow.emit()
        assert not window.about_action.icon().isNull()  # … then every menu entry has its icon
        assert not window.shortcut_actions["search"].icon().isNull()
        pane_header = window.current_pane()
        assert pane_header is not None and not pane_header.transfer_action.icon().isNull()

        customer_id = desk.workbench.conversation(conv_id).customer_id  # type: ignore[union-attr]
        side = window.customer_side
        await wait_for(lambda: desk.workbench.store.customer(customer_id) is not None)
        await wait_for(lambda: not side.tasks.running("customer") and not side.tasks.running("orders"))
        window._clear_cache()  # 清除缓存, confirmed in the dialog
        await wait_for(lambda: desk.workbench.store.customer(customer_id) is None)
        assert desk.workbench.store.draft(conv_id) == "草稿" or pane.composer.text() == "草稿"
        assert desk.workbench.store.messages(conv_id, limit=5)  # the history stays
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_the_windows_tray_count_and_a_notification_click_follow_the_chats(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        window = desk.window
        await wait_for(lambda: window.alerts is not None)  # made after the first frame
        alerts = window.alerts
        assert alerts is not None
        first, second = await listed_buyers(backend.url, window, peers, "buyer-tray-", "在吗{n}", 2)
        window.open_conversation(first)  # in front: no notification for it, and read
        await wait_for(lambda: alerts.tray.unread == 1)  # the second buyer's message
        await say(peers[1], "还在吗？")
        await wait_for(lambda: alerts.tray.unread == 2)
        assert "2" in alerts.tray.tooltip()
        toasts = alerts.notifier.toasts.toasts()
        assert [t.conversation_id for t in toasts] == [second]  # one notice per chat, updated
        QTest.mouseClick(toasts[0], Qt.MouseButton.LeftButton)  # the agent clicks it
        await wait_for(lambda: (pane := window.current_pane()) is not None and pane.conversation_id == second)
        await wait_for(lambda: alerts.tray.unread == 0)  # opened = read
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_closing_hides_to_the_tray_and_quitting_asks_while_sends_wait(
    qtbot, backend: BackendProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop.ui.tray import TrayIcon

    desk = await open_desk(backend.url, tmp_path)
    try:
        window = desk.window
        await wait_for(lambda: window.alerts is not None)
        monkeypatch.setattr(TrayIcon, "available", property(lambda _self: True))  # a desktop with a tray
        closed: list[bool] = []
        window.closed.connect(lambda: closed.append(True))
        window.close()  # the title bar's ×
        assert not window.isVisible() and not closed  # hidden to the tray, still running
        window.bring_up()
        assert window.isVisible()

        await desk.client.stop()  # no link: a message the agent sends now waits in the outbox
        data = p.MessageSendData(
            conversation_id="cv-any", client_msg_id="c-waiting-1", kind="text", body={"text": "还没发出去"}
        )
        desk.workbench.store.outbox_add(data, 1)
        box = window.quit()
        assert isinstance(box, QMessageBox) and "1" in box.text()
        box.button(QMessageBox.StandardButton.No).click()  # 不退出
        assert window.isVisible() and not closed
        box = window.quit()
        assert box is not None
        box.button(QMessageBox.StandardButton.Yes).click()  # 退出: the message stays in the outbox
        assert closed == [True] and not window.isVisible()
        assert [d.client_msg_id for d in desk.workbench.store.outbox()] == ["c-waiting-1"]
    finally:
        await desk.close()


async def test_a_replacement_window_carries_the_chats_on_and_the_old_one_lets_go(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        window = desk.window
        first, second = await listed_buyers(backend.url, window, peers, "buyer-replace-", "你好{n}", 2)
        window.open_conversation(first).composer.set_text("换窗口前的草稿")
        window.detach(second)
        closed: list[bool] = []
        window.closed.connect(lambda: closed.append(True))

        new = window.replace()
        desk.window = new  # the harness closes the new one
        assert new is not window and not closed  # the session goes on
        pane = new.current_pane()
        assert pane is not None and pane.conversation_id == first
        assert pane.composer.text() == "换窗口前的草稿"
        await wait_for(lambda: second in new.detached)  # the chat windows of the old one come back
        await say(peers[0], "换了窗口还能收到吗")  # events reach the new window, none the old one

        def shown() -> list[str]:
            return [pane.model.index(r, 0).data(ChatRole.TEXT) for r in range(pane.model.rowCount())]

        await wait_for(lambda: "换了窗口还能收到吗" in shown())
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()
