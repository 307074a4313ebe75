"""End to end: the real backend, simulated buyers, and the workbench window answering in Chinese.

Acceptance of issue 5: a buyer's message appears in the list and the chat; the agent answers with a quick
reply (the inline ``/`` picker) and a typed line; the buyer receives each exactly once; the wait timer
resets; the KPI strip updates. And hostile buyer text stays plain text everywhere, with nothing fetched.
"""

from __future__ import annotations

import asyncio
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from desktop.core.placeholders import placeholders_in
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.server.peer import Peer
from desktop.server.simulator import simulate
from desktop.ui.chat_model import ChatRole
from desktop.ui.conversation_list_model import ConversationRole
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import wait_for
from tests.integration.shop import agent, buyer, say
from tests.ui.workbench_harness import open_desk

pytestmark = [pytest.mark.gui, pytest.mark.integration, pytest.mark.slow]


def type_chinese(widget, text: str) -> None:
    QTest.sendKeyEvent(
        QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, text, Qt.KeyboardModifier.NoModifier
    )


def chat_texts(pane) -> list[str]:
    model = pane.model
    return [model.index(r, 0).data(ChatRole.TEXT) for r in range(model.rowCount())]


class AgentTexts:
    """Every agent message the buyer receives, counted (a duplicate would show up twice)."""

    def __init__(self, peer: Peer) -> None:
        self.texts: list[str] = []
        self.typing = 0  # the agent's typing notifications
        self._task = asyncio.create_task(self._collect(peer))

    async def _collect(self, peer: Peer) -> None:
        while True:
            event = await peer.events.get()
            if isinstance(event, f.MessageCreated) and event.data.message.sender.role == "agent":
                self.texts.append(event.data.message.body.get("text", ""))
            elif isinstance(event, f.TypingEvent) and event.data.from_.role == "agent":
                self.typing += 1

    async def stop(self) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


async def test_answering_a_buyer_with_a_quick_reply_and_a_typed_line(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    window, workbench = desk.window, desk.workbench
    stop = asyncio.Event()
    simulated = asyncio.create_task(
        simulate(backend.url, buyers=3, rate=2.0, seed=11, stop=stop, pace=0.2, report_every_s=3600)
    )
    peer, _ = await buyer(backend.url, "buyer-e2e-quick")
    received = AgentTexts(peer)
    try:
        sent = await say(peer, "在吗？我想问一下退款的事情")
        conv_id = sent.message.conversation_id
        panel = window.list_panel
        await wait_for(lambda: panel.model.row_of(conv_id) is not None)
        await wait_for(lambda: workbench.quick_replies() is not None)
        row = panel.model.row_of(conv_id)
        assert row is not None
        assert panel.model.index(row, 0).data(ConversationRole.PREVIEW) == "在吗？我想问一下退款的事情"
        await wait_for(
            lambda: (
                (w := panel.model.index(panel.model.row_of(conv_id) or 0, 0).data(ConversationRole.WAIT_MS))
                is not None
                and w > 0
            )
        )

        window.open_conversation(conv_id)
        pane = window.current_pane()
        assert pane is not None and pane.conversation_id == conv_id
        await wait_for(lambda: "在吗？我想问一下退款的事情" in chat_texts(pane))

        # a team quick reply without placeholders, chosen through the inline "/" picker
        index = workbench.quick_replies()
        assert index is not None
        reply = next(
            m.reply
            for m in index.search("", None)
            if m.reply.shortcut and m.reply.scope == "team" and not placeholders_in(m.reply.text)
        )
        editor = pane.composer.input
        editor.setFocus()
        QTest.keyClicks(editor, "/" + reply.shortcut)
        await wait_for(lambda: pane.composer.picker_query() == reply.shortcut)
        QTest.keyClick(editor, Qt.Key.Key_Return)  # inserts the chosen phrase
        assert pane.composer.text() == reply.text
        QTest.keyClick(editor, Qt.Key.Key_Return)  # sends it
        type_chinese(editor, "好的亲，退款会在1-3个工作日内原路退回")
        await wait_for(lambda: received.typing >= 1)  # the buyer sees 对方正在输入
        QTest.keyClick(editor, Qt.Key.Key_Return)

        typed = "好的亲，退款会在1-3个工作日内原路退回"
        await wait_for(lambda: received.texts.count(typed) == 1)
        await asyncio.sleep(1.0)  # a duplicate would arrive by now
        assert received.texts == [reply.text, typed]
        await wait_for(
            lambda: [t for t in chat_texts(pane) if t in (reply.text, typed)] == [reply.text, typed]
        )

        # the wait timer resets once the agent answered; the KPI strip counts both replies
        await wait_for(
            lambda: (
                panel.model.index(panel.model.row_of(conv_id) or 0, 0).data(ConversationRole.WAIT_MS) is None
            )
        )
        await wait_for(lambda: "已回复 2" in window.status.kpis.text())
        assert workbench.kpi().responses >= 1
        assert "3分钟响应率 100%" in window.status.kpis.text()
    finally:
        stop.set()
        await asyncio.gather(simulated, return_exceptions=True)
        await received.stop()
        await peer.close()
        await desk.close()


class CountingHandler(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        CountingHandler.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def pixel_server() -> Iterator[int]:
    CountingHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join()


async def test_hostile_buyer_text_is_shown_literally_and_nothing_is_fetched(
    qtbot, backend: BackendProcess, tmp_path: Path, pixel_server: int
) -> None:
    hostile = f'<b>粗体</b><img src="http://127.0.0.1:{pixel_server}/pixel.png"><a href="x">link</a>'
    nickname = f'<b>粗</b><img src="http://127.0.0.1:{pixel_server}/n.png">'
    assert len(nickname) <= 64
    desk = await open_desk(backend.url, tmp_path)
    window = desk.window
    peer = await Peer.open(backend.url)
    colleague = await agent(backend.url, "agent5")
    try:
        reg = await peer.register("demo", nickname=nickname)
        await peer.hello("customer", reg.token)
        sent = await say(peer, hostile)
        conv_id = sent.message.conversation_id
        customer_id = sent.message.sender.id
        # another agent writes the hostile text into the buyer's note and tags (the panel shows them)
        update = p.CustomerUpdateData(customer_id=customer_id, note=hostile, tags=[nickname])
        await colleague.request(f.CustomerUpdate(id="", data=update), p.CustomerData)

        panel = window.list_panel
        await wait_for(lambda: panel.model.row_of(conv_id) is not None)
        row = panel.model.row_of(conv_id)
        index = panel.model.index(row or 0, 0)
        assert index.data(ConversationRole.PREVIEW) == hostile
        assert index.data(ConversationRole.NICKNAME) == nickname
        assert "&lt;b&gt;" in index.data(Qt.ItemDataRole.ToolTipRole)  # escaped: never rich text

        pane = window.open_conversation(conv_id)
        await wait_for(lambda: hostile in chat_texts(pane))
        customer_panel = window.side_panel.customer_panel
        await wait_for(lambda: customer_panel.customer_id == customer_id)
        await wait_for(lambda: customer_panel.note_editor.text() == hostile)
        assert [chip.label.text() for chip in customer_panel.tag_editor.chips()] == [nickname]
        labels = customer_panel.findChildren(QLabel)
        assert any(label.text() == nickname for label in labels)
        for label in labels:
            assert label.textFormat() == Qt.TextFormat.PlainText, label.objectName()
        assert pane.header.textFormat() == Qt.TextFormat.PlainText
        assert nickname in pane.header.text()

        # paint everything that shows the text, and give any fetch time to happen
        for widget in (window, panel.view, pane.chat_view, customer_panel):
            assert not widget.grab().isNull()
        await asyncio.sleep(0.5)
        assert CountingHandler.requests == []
    finally:
        await colleague.close()
        await peer.close()
        await desk.close()
