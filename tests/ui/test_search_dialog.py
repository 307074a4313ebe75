"""Ctrl+K (real backend, real cache): any words, newest first, and a hit opens the chat at that message."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QStyleOptionViewItem

from desktop.protocol.objects import Message, Party
from desktop.server.peer import Peer
from desktop.store.search import SearchHit
from desktop.ui.chat_model import ChatRole
from desktop.ui.search_dialog import ROW_HEIGHT, SearchDialog
from desktop.ui.search_results_model import SearchResultsModel, SearchRole
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import wait_for
from tests.integration.shop import buyer, say
from tests.ui.recording_painter import RecordingPainter
from tests.ui.workbench_harness import open_desk

pytestmark = pytest.mark.gui


def hit(message_id: str, text: str, spans: list[tuple[int, int]], conv: str = "c1", at: int = 1) -> SearchHit:
    message = Message(
        id=message_id,
        conversation_id=conv,
        sender=Party(role="customer", id="u-1"),
        kind="text",
        body={"text": text},
        created_at=at,
    )
    return SearchHit(message=message, text=text, spans=spans)


def test_results_model_passes_the_model_tester_and_keeps_text_plain(qtmodeltester) -> None:
    model = SearchResultsModel(lambda conv: {"c1": "<b>买家</b>", "c2": "阿静"}[conv])
    qtmodeltester.check(model)
    model.set_hits(
        "退款",
        [
            hit("m2", "我要退款😊，退款多久到", [(2, 4), (6, 8)], at=2),
            hit("m1", "能\n\n退款   吗", [(4, 6)], conv="c2"),  # shown on one line: spans found again
        ],
    )
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    first, second = model.index(0, 0), model.index(1, 0)
    assert first.data(SearchRole.NICKNAME) == "<b>买家</b>"
    assert first.data(SearchRole.SPANS) == [(2, 4), (7, 9)]  # UTF-16: the emoji counts twice
    assert second.data(SearchRole.TEXT) == "能 退款 吗"
    assert second.data(SearchRole.SPANS) == [(2, 4)]
    assert (first.data(SearchRole.CONVERSATION_ID), first.data(SearchRole.MESSAGE_ID)) == ("c1", "m2")


def test_a_hit_row_draws_the_nickname_literally(qtbot) -> None:
    from desktop.ui.search_dialog import SearchHitDelegate

    model = SearchResultsModel(lambda _conv: "<img src=x>昵称")
    model.set_hits("颜色", [hit("m1", "有别的颜色吗", [(3, 5)])])
    image = QImage(400, ROW_HEIGHT, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = RecordingPainter(image)
    try:
        option = QStyleOptionViewItem()
        option.rect = QRect(0, 0, 400, ROW_HEIGHT)
        SearchHitDelegate().paint(painter, option, model.index(0, 0))
    finally:
        painter.end()
    assert "<img src=x>昵称" in painter.texts


@pytest.mark.integration
async def test_ctrl_k_finds_two_character_words_and_opens_the_chat_at_the_message(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        peer, _ = await buyer(backend.url, "buyer-search-long")
        peers.append(peer)
        conv_id = ""
        for n in range(60):
            text = "我想退款，怎么操作" if n == 5 else f"第{n}条：这件有没有别的颜色"
            conv_id = (await say(peer, text)).message.conversation_id
        other, _ = await buyer(backend.url, "buyer-search-other")
        peers.append(other)
        other_conv = (await say(other, "退款到账了吗")).message.conversation_id
        store = desk.workbench.store
        await wait_for(lambda: store.count_since(conv_id, 0) == 60 and store.count_since(other_conv, 0) == 1)

        window = desk.window
        window.activateWindow()
        await wait_for(window.isActiveWindow)
        QTest.keySequence(window, window.shortcut_actions["search"].shortcut())  # Ctrl+K
        dialogs = [w for w in window.findChildren(SearchDialog) if w.isVisible()]
        assert len(dialogs) == 1
        dialog = dialogs[0]
        dialog.box.setText("退款")  # two characters: the bigram index
        await dialog.search_now()
        model = dialog.model
        assert model.rowCount() == 2
        assert model.index(0, 0).data(SearchRole.CONVERSATION_ID) == other_conv  # newest first
        target = model.index(1, 0)
        assert target.data(SearchRole.TEXT) == "我想退款，怎么操作"
        assert target.data(SearchRole.SPANS) == [(2, 4)]

        QTest.keyClick(dialog.box, Qt.Key.Key_Down)
        message_id = target.data(SearchRole.MESSAGE_ID)
        QTest.keyClick(dialog.box, Qt.Key.Key_Return)  # opens the chosen hit
        pane = window.pane(conv_id)
        assert pane is not None and window.current_pane() is pane
        key = f"m:{message_id}"
        await wait_for(lambda: pane.model.row_of(key) is not None)  # 55 messages back: loaded from the cache
        row = pane.model.row_of(key)
        assert row is not None
        await wait_for(lambda: pane.model.index(row, 0).data(ChatRole.HIGHLIGHTED) is True)
        view = pane.chat_view.list

        def in_view() -> bool:
            return view.viewport().rect().intersects(view.visualRect(pane.model.index(row, 0)))

        await wait_for(in_view)  # scrolled to it
        assert pane.model.row_of(view.indexAt(QPoint(10, 10)).data(ChatRole.KEY)) is not None

        dialog = window.show_search()
        dialog.box.setText("没有这种话")
        await dialog.search_now()
        assert dialog.model.rowCount() == 0 and dialog.status.text() == "没有找到"
        dialog.reject()
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()
