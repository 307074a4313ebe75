"""Every shortcut does what Help → 快捷键 says (keys pressed for real on the window, real backend)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop.server.peer import Peer
from desktop.ui.shortcuts import SHORTCUTS, shortcut
from desktop.ui.shortcuts_dialog import ShortcutsDialog
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import wait_for
from tests.integration.shop import admin, buyer, say
from tests.ui.test_main_window import listed_buyers
from tests.ui.workbench_harness import Desk, open_desk

pytestmark = [pytest.mark.gui, pytest.mark.integration]


async def press(widget: QWidget, shortcut_id: str) -> None:
    """The shortcut's keys, typed into whatever has the focus in ``widget``'s (active) window."""
    window = widget.window()
    window.activateWindow()
    await wait_for(window.isActiveWindow)
    focus = QApplication.focusWidget()
    target = focus if focus is not None and focus.window() is window else window
    QTest.keySequence(target, shortcut(shortcut_id).sequence())


def current(desk: Desk) -> str | None:
    pane = desk.window.current_pane()
    return None if pane is None else pane.conversation_id


def test_help_lists_every_shortcut_with_its_keys(qtbot) -> None:
    dialog = ShortcutsDialog()
    qtbot.addWidget(dialog)
    rows = dialog.rows()
    assert len(rows) == len(SHORTCUTS) == len({s.id for s in SHORTCUTS})
    for (keys, what, _where), item in zip(rows, SHORTCUTS, strict=True):
        assert keys == item.sequence().toString(QKeySequence.SequenceFormat.NativeText) and keys
        assert what == item.text() and "%1" not in what
    sequences = [s.keys for s in SHORTCUTS]
    assert len(sequences) == len(set(sequences))  # no key does two things


async def test_the_main_window_shortcuts_do_what_help_says(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    admin(backend.db_path, "agent-max", "demo", "agent3", "3")  # three chats; a fourth buyer queues
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        window = desk.window
        await wait_for(lambda: window.isActiveWindow() or window.isVisible())
        convs = await listed_buyers(backend.url, window, peers, "buyer-keys-", "快捷键{n}", 3)
        queued_peer, _ = await buyer(backend.url, "buyer-keys-queued")
        peers.append(queued_peer)
        queued = (await say(queued_peer, "排队中")).message.conversation_id
        await wait_for(lambda: desk.workbench.conversation(queued) is not None)
        order = window.list_panel.model.conversation_ids()
        assert sorted(order) == sorted(convs)

        await press(window, "chat_2")  # Ctrl+2: the list's second chat
        assert current(desk) == order[1]
        await press(window, "next_chat")  # Alt+Down
        assert current(desk) == order[2]
        await press(window, "next_chat")  # wraps around
        assert current(desk) == order[0]
        await press(window, "previous_chat")  # Alt+Up
        assert current(desk) == order[2]
        await press(window, "chat_9")  # no ninth chat: nothing happens
        assert current(desk) == order[2]

        pane = window.current_pane()
        assert pane is not None
        window.list_panel.filter.setFocus()
        await press(window, "focus_composer")  # Ctrl+L
        assert QApplication.focusWidget() is pane.composer.input

        await press(window, "transfer")  # Ctrl+Shift+T: the transfer dialog for the chat in front
        dialog = await _dialog_titled(window, "转接会话")
        dialog.reject()
        await press(window, "close_chat")  # Ctrl+Shift+W: the close dialog
        dialog = await _dialog_titled(window, "结束会话")
        dialog.reject()

        await press(window, "detach")  # Ctrl+Shift+D: into its own window …
        chat_window = window.detached.window(order[2])
        assert chat_window is not None
        await wait_for(chat_window.isVisible)
        side = chat_window.side_panel
        await press(chat_window, "toggle_side")  # Ctrl+Shift+I there hides the customer panel
        assert not side.isVisible()
        await press(chat_window, "detach")  # … and Ctrl+Shift+D there brings it back
        assert order[2] not in window.detached

        await press(window, "accept_next")  # Ctrl+Shift+A: the queued buyer becomes mine and opens
        await wait_for(lambda: current(desk) == queued)

        await press(window, "search")  # Ctrl+K: the search over every chat
        search = await _dialog_titled(window, "搜索聊天记录")
        search.reject()

        await press(window, "shortcuts_help")  # F1
        help_dialog = await _dialog_titled(window, "快捷键")
        assert isinstance(help_dialog, ShortcutsDialog)
        help_dialog.reject()
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def _dialog_titled(window: QWidget, title: str) -> QDialog:
    found: list[QDialog] = []

    def visible() -> bool:
        found[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog) and w.isVisible() and w.windowTitle() == title
        ]
        return bool(found)

    await wait_for(visible)
    return found[0]
