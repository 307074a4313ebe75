"""Tray, notifications, sounds and overdue reminders wired to the workbench, against the real backend."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from desktop.core.alerts import AlertSettings, Notice, Preview, display_name
from desktop.core.wait_timer import WaitThresholds
from desktop.ui.desktop_alerts import DesktopAlerts, notice_text
from desktop.ui.notifier import Toast
from desktop.ui.sounds import SoundPlayer
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import wait_for
from tests.integration.shop import buyer, say
from tests.ui.workbench_harness import Desk, open_desk

pytestmark = [pytest.mark.gui, pytest.mark.integration]


class Finished:
    def done(self) -> bool:
        return True


class HeardSounds:
    """A sound backend that only writes down what it was asked to play."""

    name = "heard"

    def __init__(self) -> None:
        self.kinds: list[str] = []

    def start(self, path: Path) -> Finished:
        self.kinds.append(path.stem)
        return Finished()


def alerts_for(desk: Desk, settings: AlertSettings | None = None) -> tuple[DesktopAlerts, HeardSounds]:
    heard = HeardSounds()
    alerts = DesktopAlerts(
        desk.workbench,
        lambda _conversation_id: False,  # the agent looks elsewhere
        settings or AlertSettings(),
        desk.window,
        sounds=SoundPlayer(heard),
    )
    return alerts, heard


def click(toast: Toast) -> None:
    QTest.mouseClick(toast, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(40, 40))


# ------------------------------------------------------------------------------------------------- wording


def test_notice_wording() -> None:
    text = Preview("text", "有现货吗")
    assert notice_text(Notice("new_message", "c", "小鹿", preview=text)) == ("小鹿", "有现货吗")
    assert notice_text(Notice("new_message", "c", "小鹿", count=3, preview=text)) == (
        "小鹿（3条新消息）",
        "有现货吗",
    )
    assert notice_text(Notice("new_message", "c", "小鹿", count=3)) == ("小鹿", "发来 3 条新消息")
    assert notice_text(Notice("new_message", "c", "小鹿")) == ("小鹿", "发来一条新消息")
    assert notice_text(Notice("new_buyer", "c", "小鹿", count=0)) == (
        "新买家：小鹿",
        "新买家接入，请及时回复",
    )
    assert notice_text(Notice("new_buyer", "c", "小鹿", preview=Preview("image", ""))) == (
        "新买家：小鹿",
        "[图片]",
    )
    overdue = Notice("overdue", "c", "小鹿", count=2, waited_ms=133_000, preview=text)
    assert notice_text(overdue) == ("2 个会话超时未回复", "小鹿 已等待 2分13秒：有现货吗")
    tricky = Notice("overdue", "c", "%2<b>", count=1, waited_ms=5_000)
    assert notice_text(tricky) == ("1 个会话超时未回复", "%2<b> 已等待 5秒")


# ------------------------------------------------------------------------------------------- real backend


async def test_a_message_not_in_front_notifies_once_and_a_click_opens_the_chat(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    alerts, heard = alerts_for(desk)
    opened: list[str] = []
    shown: list[int] = []
    alerts.open_requested.connect(opened.append)
    alerts.show_window_requested.connect(lambda: shown.append(1))
    peer, _ = await buyer(backend.url, "buyer-alerts-1")
    try:
        conv_id = (await say(peer, "<b>你好</b>\n请问有现货吗？")).message.conversation_id
        toasts = alerts.notifier.toasts
        await wait_for(lambda: len(toasts.toasts()) == 1)
        await asyncio.sleep(0.3)  # the rest of the buyer's arrival changes nothing
        [toast] = toasts.toasts()
        assert toast.conversation_id == conv_id
        assert toast.title.text().startswith("新买家：")
        assert toast.body.text() == "<b>你好</b> 请问有现货吗？"  # plain, one line, markup as text
        assert heard.kinds == ["new_buyer"]

        click(toast)
        assert opened == [conv_id] and shown == [1]
        assert toasts.toasts() == []
    finally:
        alerts.close()
        await peer.close()
        await desk.close()


async def test_the_tray_count_follows_unread_and_reading_withdraws_the_notification(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    alerts, heard = alerts_for(desk)
    peer, _ = await buyer(backend.url, "buyer-alerts-2")
    try:
        assert alerts.tray.unread == 0
        conv_id = (await say(peer, "在吗")).message.conversation_id
        await say(peer, "这件有红色的吗", conv_id)
        await wait_for(lambda: alerts.tray.unread == 2)
        assert alerts.tray.tooltip() == f"ShopDesk · 未读 2 · 排队 {desk.workbench.state.queue_waiting}"
        [toast] = alerts.notifier.toasts.toasts()  # the burst is one notification
        assert toast.body.text() == "这件有红色的吗"
        assert len(heard.kinds) == 1  # and one sound

        desk.window.open_conversation(conv_id)  # the agent reads it: marked read on the server
        await wait_for(lambda: alerts.tray.unread == 0)
        assert alerts.notifier.toasts.toasts() == []  # no longer news
        assert alerts.tray.tooltip().startswith("ShopDesk · 未读 0")
    finally:
        alerts.close()
        await peer.close()
        await desk.close()


async def test_an_overdue_chat_brings_up_the_popup_and_the_reminder_repeats(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    settings = AlertSettings(thresholds=WaitThresholds(amber_ms=1_000, red_ms=2_000), overdue_repeat_s=1)
    alerts, heard = alerts_for(desk, settings)
    desk.workbench.tick.disconnect(alerts.check_overdue)  # the test drives the clock
    opened: list[str] = []
    alerts.open_requested.connect(opened.append)
    reminders: list[Notice] = []
    alerts.notice_given.connect(lambda notice: reminders.append(notice) if notice.kind == "overdue" else None)
    peer, _ = await buyer(backend.url, "buyer-alerts-3")
    try:
        conv_id = (await say(peer, "发货了吗？等好久了")).message.conversation_id
        await wait_for(
            lambda: (conv := desk.workbench.book.get(conv_id)) is not None and conv.status == "active"
        )
        conv = desk.workbench.book.get(conv_id)
        assert conv is not None and conv.waiting_since is not None
        since = conv.waiting_since
        popup = alerts.popup

        alerts.check_overdue(since + 1_500)  # amber: nothing yet
        assert not popup.isVisible() and reminders == []

        alerts.check_overdue(since + 2_000)  # red
        assert popup.isVisible()
        assert popup.windowTitle() == "超时未回复 (1)"
        assert popup.model.index(0, 0).data() == display_name(conv)
        assert popup.model.chats()[0].conversation_id == conv_id
        assert popup.model.chats()[0].waited_ms == 2_000
        assert len(reminders) == 1 and heard.kinds[-1] == "overdue"
        toast = next(t for t in alerts.notifier.toasts.toasts() if t.key == "overdue")
        assert toast.title.text() == "1 个会话超时未回复"
        assert toast.conversation_id == conv_id

        alerts.check_overdue(since + 2_500)
        assert len(reminders) == 1  # not yet
        alerts.check_overdue(since + 3_000)
        assert len(reminders) == 2 and reminders[1].replaces  # every second while it waits
        assert heard.kinds.count("overdue") == 2
        assert popup.model.chats()[0].waited_ms == 3_000  # updated live

        QTest.mouseClick(popup.longest_button, Qt.MouseButton.LeftButton)
        assert opened == [conv_id]

        pane = desk.window.open_conversation(conv_id)
        pane.composer.set_text("亲，今天就发货")
        QTest.keyClick(pane.composer.input, Qt.Key.Key_Return)
        await wait_for(
            lambda: (c := desk.workbench.book.get(conv_id)) is not None and c.waiting_since is None
        )
        alerts.check_overdue(since + 10_000)  # answered: nothing overdue
        assert not popup.isVisible() and len(reminders) == 2
        assert not any(t.key == "overdue" for t in alerts.notifier.toasts.toasts())
    finally:
        alerts.close()
        await peer.close()
        await desk.close()


async def test_settings_switch_notifications_and_sounds(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    desk = await open_desk(backend.url, tmp_path)
    alerts, heard = alerts_for(desk, AlertSettings(notifications=False))
    peer, _ = await buyer(backend.url, "buyer-alerts-4")
    other, _ = await buyer(backend.url, "buyer-alerts-5")
    try:
        await say(peer, "在吗")
        await wait_for(lambda: heard.kinds == ["new_buyer"])  # a sound, no notification
        assert alerts.notifier.toasts.toasts() == []

        alerts.apply_settings(AlertSettings(sounds=False, preview=False))
        conv_id = (await say(other, "我的地址写错了")).message.conversation_id
        await wait_for(lambda: len(alerts.notifier.toasts.toasts()) == 1)
        [toast] = alerts.notifier.toasts.toasts()
        assert toast.conversation_id == conv_id
        assert "地址" not in toast.body.text()  # previews off
        assert heard.kinds == ["new_buyer"]  # sounds off
    finally:
        alerts.close()
        await peer.close()
        await other.close()
        await desk.close()


async def test_a_burst_over_many_chats_shows_only_the_newest_toasts_and_counts_them_all(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    from desktop.ui.notifier import MAX_TOASTS
    from tests.integration.shop import admin

    admin(backend.db_path, "agent-max", "demo", "agent3", "20")  # every buyer of the burst is mine
    desk = await open_desk(backend.url, tmp_path)
    alerts, _heard = alerts_for(desk)
    peers = []
    try:
        given: list[object] = []
        alerts.notice_given.connect(given.append)
        notified: list[str] = []
        original = alerts.notifier.notify

        def counting(key: str, *args: object, **kwargs: object) -> None:
            notified.append(key)
            original(key, *args, **kwargs)  # type: ignore[arg-type]

        alerts.notifier.notify = counting  # type: ignore[method-assign]
        count = 3 * MAX_TOASTS
        for n in range(count):
            peer, _ = await buyer(backend.url, f"buyer-burst-{n}")
            peers.append(peer)
        await asyncio.gather(*(say(peer, f"在吗{n}") for n, peer in enumerate(peers)))
        await wait_for(lambda: alerts.tray.unread == count)  # the tray counts every chat
        await asyncio.sleep(1.2)  # at most one refresh a second: the burst is one or two refreshes
        toasts = alerts.notifier.toasts.toasts()
        assert 0 < len(toasts) <= MAX_TOASTS
        assert len(given) >= count  # every chat was considered (sounds, notice_given) …
        assert len({t.conversation_id for t in toasts}) == len(toasts)  # … one toast per chat shown
        assert len(notified) <= 2 * MAX_TOASTS < count  # not a notification rebuilt for each of them
    finally:
        alerts.close()
        for peer in peers:
            await peer.close()
        await desk.close()
