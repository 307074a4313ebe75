"""The window's side panel follows the chat in front (real backend): profile, orders, saves and requests."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.server.demo_seed import build_demo_shop
from desktop.server.peer import Peer
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import wait_for
from tests.integration.shop import agent, buyer, say
from tests.ui.test_main_window import type_chinese
from tests.ui.workbench_harness import Desk, open_desk

pytestmark = [pytest.mark.gui, pytest.mark.integration]


def buyers_with_orders(count: int) -> list[tuple[str, int]]:
    """Demo buyers with different numbers of orders: (customer id, orders), most orders first."""
    counts = Counter(order.customer_id for order in build_demo_shop().orders)
    chosen: list[tuple[str, int]] = []
    for customer_id, n in counts.most_common():
        if all(n != m for _, m in chosen):
            chosen.append((customer_id, n))
        if len(chosen) == count:
            return chosen
    raise AssertionError("the demo shop has too few buyers with orders")


async def chats_of(desk: Desk, url: str, customer_ids: list[str], peers: list[Peer]) -> list[str]:
    conv_ids = []
    for customer_id in customer_ids:
        peer, _ = await buyer(url, customer_id)
        peers.append(peer)
        conv_ids.append((await say(peer, "在吗？看下我的订单")).message.conversation_id)
    await wait_for(lambda: all(desk.window.list_panel.model.row_of(c) is not None for c in conv_ids))
    return conv_ids


def count_requests(desk: Desk) -> Counter[str]:
    """Count the requests the workbench sends, by frame type (the real request still goes out)."""
    sent: Counter[str] = Counter()
    original = desk.workbench.request

    async def counting(frame: Any, reply_type: Any, **kwargs: Any) -> Any:
        sent[type(frame).__name__] += 1
        return await original(frame, reply_type, **kwargs)

    desk.workbench.request = counting  # type: ignore[method-assign]
    return sent


async def test_the_panel_follows_the_chat_in_front_and_does_not_refetch_what_is_fresh(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    (first_id, first_orders), (second_id, second_orders) = buyers_with_orders(2)
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        first, second = await chats_of(desk, backend.url, [first_id, second_id], peers)
        sent = count_requests(desk)
        window = desk.window
        window.open_conversation(first)
        side = window.customer_side
        await wait_for(lambda: side.customer is not None and len(side.orders) == first_orders)
        assert window.side_panel.customer_panel.customer_id == first_id
        window.side_panel.setCurrentIndex(1)  # 订单: built now, shows the first buyer's orders
        assert window.side_panel.orders_panel.model.rowCount() == first_orders

        window.open_conversation(second)
        assert window.side_panel.customer_panel.customer_id == second_id  # at once, from the cache
        await wait_for(lambda: len(side.orders) == second_orders)
        await wait_for(lambda: window.side_panel.orders_panel.model.rowCount() == second_orders)
        await wait_for(lambda: sent["CustomerGet"] == 2 and sent["OrdersList"] == 2)

        window.open_conversation(first)  # back within a minute: shown from what was fetched, not asked again
        assert window.side_panel.customer_panel.customer_id == first_id
        assert window.side_panel.orders_panel.model.rowCount() == first_orders
        await asyncio.sleep(0.3)
        assert (sent["CustomerGet"], sent["OrdersList"]) == (2, 2)
        assert len(window.side_panel.findChildren(type(window.side_panel.customer_panel))) == 1
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_a_note_typed_for_one_buyer_is_saved_for_that_buyer_when_the_agent_switches(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    first, second = await chats_of(desk, backend.url, ["buyer-side-a", "buyer-side-b"], peers)
    colleague = await agent(backend.url, "agent5")  # after the chats were routed: all to the desk
    convs = [desk.workbench.conversation(c) for c in (first, second)]
    assert convs[0] is not None and convs[1] is not None
    a, b = convs[0].customer_id, convs[1].customer_id
    try:
        window = desk.window
        window.open_conversation(first)
        panel = window.side_panel.customer_panel
        await wait_for(lambda: panel.customer_id == a)
        type_chinese(panel.note_editor.edit, "要发顺丰")  # no pause, no focus change: still unsent
        window.open_conversation(second)
        assert panel.customer_id == b
        assert panel.note_editor.text() == ""

        async def note_of(customer_id: str) -> str:
            ref = p.CustomerRef(customer_id=customer_id)
            return (await colleague.request(f.CustomerGet(id="", data=ref), p.CustomerData)).customer.note

        for _ in range(100):
            if await note_of(a) == "要发顺丰":
                break
            await asyncio.sleep(0.05)
        assert await note_of(a) == "要发顺丰"
        assert await note_of(b) == ""
        assert panel.note_editor.text() == ""  # the save's reply did not land on the buyer now shown
    finally:
        await colleague.close()
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_an_order_card_and_a_phrase_go_to_the_chat_they_were_chosen_in(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    (customer_id, orders), (other_id, _) = buyers_with_orders(2)
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        conv_id, other = await chats_of(desk, backend.url, [customer_id, other_id], peers)
        window = desk.window
        window.open_conversation(other)
        window.open_conversation(conv_id)
        side_panel = window.side_panel
        side_panel.setCurrentIndex(1)
        await wait_for(lambda: side_panel.orders_panel.model.rowCount() == orders)
        order = window.customer_side.orders[0]
        side_panel.orders_panel.send_order_card.emit(order)
        side_panel.setCurrentIndex(2)
        await wait_for(lambda: desk.workbench.quick_replies() is not None)
        index = desk.workbench.quick_replies()
        assert index is not None
        replies = [r for group in index.groups() for r in group.replies]
        phrase = next(r for r in replies if "{" not in r.text)
        side_panel.quick_reply_panel.send_requested.emit(phrase)

        got: list[Any] = []
        while len(got) < 2:
            event = await peers[0].next_event(f.MessageCreated, timeout=15)
            if event.data.message.sender.role == "agent":
                got.append(event.data.message)
        assert (got[0].kind, got[0].body["order_id"]) == ("order", order.id)
        assert got[1].body["text"] == phrase.text
        with pytest.raises(TimeoutError):  # the other buyer, whose chat was opened first, got neither
            while True:
                event = await peers[1].next_event(f.MessageCreated, timeout=0.5)
                assert event.data.message.sender.role != "agent", event.data.message
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_a_past_conversation_in_the_profile_opens_that_chat(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        (old,) = await chats_of(desk, backend.url, ["buyer-side-past"], peers)
        await desk.workbench.request(
            f.ConversationClose(id="", data=p.CloseData(conversation_id=old)), p.ConversationData
        )
        new = (await say(peers[0], "我又来了")).message.conversation_id
        assert new != old
        await wait_for(lambda: desk.window.list_panel.model.row_of(new) is not None)
        window = desk.window
        window.open_conversation(new)
        past_list = window.side_panel.customer_panel.past_list
        await wait_for(lambda: past_list.count() == 1)
        past_list.itemClicked.emit(past_list.item(0))
        pane = window.current_pane()
        assert pane is not None and pane.conversation_id == old
        assert not pane.composer.is_enabled_for_sending()  # a closed chat is read only
        assert window.list_panel.current_conversation() == old
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()


async def test_a_phrase_sent_from_the_panel_is_checked_like_typed_text(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    from desktop.protocol.objects import QuickReply

    def phrase(text: str) -> QuickReply:
        return QuickReply(id="p-1", scope="personal", group="测试", shortcut="cs", text=text, updated_at=0)

    desk = await open_desk(backend.url, tmp_path)
    peers: list[Peer] = []
    try:
        (conv_id,) = await chats_of(desk, backend.url, ["buyer-side-check"], peers)
        window = desk.window
        pane = window.open_conversation(conv_id)
        notices: list[str] = []
        pane.notice.connect(notices.append)
        panel = window.side_panel
        panel.setCurrentIndex(2)

        panel.quick_reply_panel.send_requested.emit(phrase("亲，订单{order.id}已发货"))  # no order chosen
        assert "{order.id}" in pane.composer.text() and notices and "未填写" in notices[-1]
        pane.composer.set_text("")
        panel.quick_reply_panel.send_requested.emit(phrase("有问题加微信联系我"))  # a forbidden word
        assert "加微信" in pane.composer.text() and "敏感词" in notices[-1]
        assert pane.composer.warning_bar.isVisible()
        with pytest.raises(TimeoutError):  # the buyer received neither
            while True:
                event = await peers[0].next_event(f.MessageCreated, timeout=0.5)
                assert event.data.message.sender.role != "agent", event.data.message

        pane.composer.set_text("")
        panel.quick_reply_panel.send_requested.emit(phrase("亲，{customer.nickname}您好"))  # all filled
        got = await peers[0].next_event(f.MessageCreated, timeout=10)
        while got.data.message.sender.role != "agent":
            got = await peers[0].next_event(f.MessageCreated, timeout=10)
        assert got.data.message.body["text"].startswith("亲，") and "{" not in got.data.message.body["text"]
    finally:
        for peer in peers:
            await peer.close()
        await desk.close()
