"""Team work from the window (real backend): transfer to a colleague, close with a rating, accept the next."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.server.peer import Peer
from desktop.ui import team_actions
from desktop.ui.chat_model import ChatRole
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import wait_for
from tests.integration.shop import admin, buyer, say
from tests.ui.test_main_window import listed_buyers
from tests.ui.workbench_harness import open_desk

pytestmark = [pytest.mark.gui, pytest.mark.integration]


def texts(pane) -> list[str]:
    return [pane.model.index(r, 0).data(ChatRole.TEXT) for r in range(pane.model.rowCount())]


async def test_transfer_moves_the_chat_to_the_chosen_colleague_with_its_history(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path / "agent3")
    peers: list[Peer] = []
    (conv_id,) = await listed_buyers(backend.url, desk.window, peers, "buyer-transfer-", "我要换个尺码{n}", 1)
    other = await open_desk(backend.url, tmp_path / "agent5", "agent5")  # online after the routing
    try:
        window = desk.window
        pane = window.open_conversation(conv_id)
        assert pane.transfer_action.isVisible()
        offered = (pane.accept_action, pane.transfer_action, pane.close_action)
        shown = {a.text() for a in offered if (b := pane.header_button(a)) and b.isVisibleTo(pane)}
        assert {"转接", "结束"} <= shown and "接入" not in shown  # mine: no 接入 in the header
        pane.send_text("稍等，我帮您转给售后同事")
        await wait_for(lambda: any(a.status == "online" for a in team_actions.colleagues(desk.workbench)))

        dialog = team_actions.transfer(desk.workbench, conv_id, pane, pane.notice.emit)
        listed = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        assert any("售后琳琳" in text and "在线" in text for text in listed), listed
        assert any("离线" in text for text in listed)  # colleagues not logged in are listed, not selectable
        row = next(i for i, text in enumerate(listed) if "售后琳琳" in text)
        dialog.list.setCurrentRow(row)
        dialog.note.setText("买家要换M码，订单已核对")
        dialog.accept()

        # the colleague's workbench: the chat is theirs, with its history and the note
        await wait_for(lambda: other.window.list_panel.model.row_of(conv_id) is not None)
        theirs = other.window.open_conversation(conv_id)
        assert theirs.composer.is_enabled_for_sending()
        await wait_for(lambda: "稍等，我帮您转给售后同事" in texts(theirs))
        await wait_for(lambda: "我要换个尺码0" in texts(theirs))  # older history fetched: the view was short
        assert "同事转接留言：买家要换M码，订单已核对" in texts(theirs)
        # and not mine any more
        await wait_for(lambda: not pane.composer.is_enabled_for_sending())
        assert not pane.transfer_action.isVisible()
        for action in (pane.transfer_action, pane.close_action, pane.accept_action):  # no buttons for them
            button = pane.header_button(action)
            assert button is not None and not button.isVisibleTo(pane)
    finally:
        await other.close()
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_close_with_a_reason_invites_a_rating_which_shows_in_the_chat(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        (conv_id,) = await listed_buyers(backend.url, desk.window, peers, "buyer-rate-", "谢谢{n}", 1)
        pane = desk.window.open_conversation(conv_id)
        dialog = team_actions.close(desk.workbench, conv_id, pane, pane.notice.emit)
        assert dialog.invite.isChecked()
        dialog.reason.setCurrentText("问题已解决")
        dialog.done(QDialog.DialogCode.Accepted)
        requested = await peers[0].next_event(f.RatingRequested, timeout=10)
        assert requested.data.conversation_id == conv_id
        await wait_for(
            lambda: (c := desk.workbench.conversation(conv_id)) is not None and c.status == "closed"
        )
        assert not pane.close_action.isVisible()
        await peers[0].request(
            f.RatingSubmit(
                id="", data=p.RatingSubmitData(conversation_id=conv_id, score=4, comment="<b>很好</b>")
            ),
            p.Empty,
        )
        await wait_for(lambda: any("买家评价" in (t or "") for t in texts(pane)))
        line = next(t for t in texts(pane) if "买家评价" in (t or ""))
        assert "★★★★☆" in line and "<b>很好</b>" in line  # the comment as the buyer typed it, plain
        again = desk.window.detach(conv_id).pane  # the same pane: still there
        assert again is pane
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_a_rating_received_before_the_chat_is_opened_shows_from_the_cache(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        (conv_id,) = await listed_buyers(backend.url, desk.window, peers, "buyer-rate-cache-", "好的{n}", 1)
        await desk.workbench.request(
            f.ConversationClose(id="", data=p.CloseData(conversation_id=conv_id)), p.ConversationData
        )
        await peers[0].request(
            f.RatingSubmit(id="", data=p.RatingSubmitData(conversation_id=conv_id, score=5)), p.Empty
        )
        await wait_for(lambda: desk.workbench.store.rating(conv_id) is not None)
        pane = desk.window.open_conversation(conv_id)
        assert any("★★★★★" in (t or "") for t in texts(pane))
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_accept_next_takes_the_longest_waiting_buyer(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    admin(backend.db_path, "agent-max", "demo", "agent3", "1")  # one chat at a time: the others queue
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        first, _ = await buyer(backend.url, "buyer-next-0")
        peers.append(first)
        await say(first, "先来的")
        queued = []
        for n in (1, 2):
            peer, _ = await buyer(backend.url, f"buyer-next-{n}")
            peers.append(peer)
            queued.append((await say(peer, f"排队{n}")).message.conversation_id)
        await wait_for(lambda: all(desk.workbench.conversation(c) is not None for c in queued))
        assert team_actions.next_queued(desk.workbench) == queued[0]
        desk.window.shortcut_actions["accept_next"].trigger()
        await wait_for(lambda: (pane := desk.window.current_pane()) is not None
                       and pane.conversation_id == queued[0])  # fmt: skip
        assert desk.window.list_panel.status() == "active"
        assert desk.workbench.conversation(queued[0]).assignee_id == desk.workbench.me_id  # type: ignore[union-attr]
        assert team_actions.next_queued(desk.workbench) == queued[1]
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


def test_the_transfer_dialog_orders_colleagues_and_needs_a_choice(qtbot) -> None:
    from desktop.protocol.objects import Agent
    from desktop.ui.transfer_dialog import TransferDialog

    agents = [
        Agent(id="a1", name="<i>忙</i>", status="busy", max_concurrent=5, active_count=1),
        Agent(id="a2", name="空闲", status="online", max_concurrent=5, active_count=0),
        Agent(id="a3", name="下线", status="offline", max_concurrent=5, active_count=0),
        Agent(id="a4", name="满载", status="online", max_concurrent=5, active_count=5),
    ]
    dialog = TransferDialog(agents, "买家")
    qtbot.addWidget(dialog)
    ids = [dialog.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.list.count())]
    assert ids == ["a2", "a4", "a1", "a3"]  # online by load, then busy, then offline
    assert "<i>忙</i>" in dialog.list.item(2).text()  # names as typed, plain
    assert dialog.chosen() == ("a2", None)
    dialog.list.setCurrentRow(3)  # offline: not selectable
    assert dialog.chosen() in (("a2", None), None)
    assert TransferDialog([], "买家").chosen() is None


async def test_suspend_in_the_status_bar_stops_new_routing_and_online_drains_the_queue(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path / "agent3")
    colleague = await open_desk(backend.url, tmp_path / "agent5", "agent5")
    peers: list[Peer] = []
    try:
        status = desk.window.status
        status.own_status.setCurrentIndex(status.own_status.findData("suspended"))
        status.own_status.activated.emit(status.own_status.currentIndex())  # as choosing 挂起 does
        colleague.window.set_own_status("busy")  # nobody routable: a new buyer must queue
        me = desk.workbench.me_id or ""
        await wait_for(lambda: colleague.workbench.state.suspended.get(me) is True)
        peer, _ = await buyer(backend.url, "buyer-suspend-1")
        peers.append(peer)
        conv_id = (await say(peer, "有人吗")).message.conversation_id
        await wait_for(
            lambda: (c := desk.workbench.conversation(conv_id)) is not None and c.status == "waiting"
        )
        picker = team_actions.colleagues(colleague.workbench)
        assert any(a.suspended and a.status == "online" for a in picker)  # 挂起 shown to colleagues

        status.own_status.setCurrentIndex(status.own_status.findData("online"))
        status.own_status.activated.emit(status.own_status.currentIndex())
        await wait_for(lambda: (c := desk.workbench.conversation(conv_id)) is not None
                       and c.status == "active" and c.assignee_id == desk.workbench.me_id)  # fmt: skip
    finally:
        for peer in peers:
            await peer.close()
        await colleague.close()
        await desk.close()


async def test_idle_away_reaches_colleagues_and_the_agent_comes_back_online(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path / "agent3")
    colleague = await open_desk(backend.url, tmp_path / "agent5", "agent5")
    try:
        me = desk.workbench.me_id or ""
        desk.window.idle.auto_away = True
        desk.window.idle.went_idle.emit()  # the watch's own timing is tested in test_idle_watch
        await wait_for(lambda: colleague.workbench.state.presence.get(me) == "away")
        assert desk.window.status.own_status_code() == "away"
        desk.window.idle.note_activity()  # a key in a composer, a chat opened (or the mouse moving)
        await wait_for(lambda: colleague.workbench.state.presence.get(me) == "online")
        assert desk.window.status.own_status_code() == "online"
    finally:
        await colleague.close()
        await desk.close()


async def test_the_transfer_picker_refreshes_status_and_load_from_agents_list(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path / "agent3")
    peers: list[Peer] = []
    (conv_id,) = await listed_buyers(backend.url, desk.window, peers, "buyer-load-", "你好{n}", 1)
    other = await open_desk(backend.url, tmp_path / "agent5", "agent5")
    try:
        pane = desk.window.open_conversation(conv_id)
        dialog = team_actions.transfer(desk.workbench, conv_id, pane, pane.notice.emit)

        def listed_online() -> bool:
            rows = [dialog.list.item(i).text() for i in range(dialog.list.count())]
            return any("售后琳琳" in text and "在线" in text for text in rows)

        await wait_for(listed_online)
        row = next(i for i in range(dialog.list.count()) if "售后琳琳" in dialog.list.item(i).text())
        assert "0/" in dialog.list.item(row).text()  # live load from agents.list
        dialog.reject()
    finally:
        await other.close()
        for peer in peers:
            await peer.close()
        await desk.close()
