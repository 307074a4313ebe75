"""Notifications: the in-app toasts in full, the D-Bus messages and click mapping, the tray's messages.

The D-Bus tests build the messages and call the slots without a bus; one more test talks to a private
``dbus-daemon`` with a stand-in notification server when the machine has one (skipped otherwise).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMainWindow, QSystemTrayIcon

from desktop.ui import notifier as notifier_module
from desktop.ui.notifier import (
    MAX_TOASTS,
    TOAST_MARGIN,
    FreedesktopNotifications,
    Notifier,
    Toast,
    elide_lines,
    notify_arguments,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot):
    window = QMainWindow()
    window.resize(640, 480)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def notifier(window):
    notifier = Notifier(window)
    yield notifier
    notifier.clear()


def click(toast: Toast) -> None:
    QTest.mouseClick(toast, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(40, 40))


# --------------------------------------------------------------------------------------------------- toasts


def test_offscreen_there_is_neither_a_bus_nor_a_tray_so_toasts_are_used(notifier) -> None:
    assert notifier.backend == "toast" and notifier.dbus is None


def test_a_toast_shows_plain_text_at_the_bottom_right_and_a_click_opens_the_chat(qtbot, notifier) -> None:
    notifier.notify("cv-1", "小鹿<i>乱撞</i>", "<b>有现货吗</b>\n&amp; 今天发货？", "cv-1")
    [toast] = notifier.toasts.toasts()
    assert toast.isVisible()
    assert toast.title.textFormat() == Qt.TextFormat.PlainText == toast.body.textFormat()
    assert toast.title.text() == "小鹿<i>乱撞</i>"
    assert toast.body.text() == "<b>有现货吗</b> &amp; 今天发货？"  # one line, nothing interpreted
    assert toast.caption.text() == "ShopDesk · 新消息"
    area = notifier.toasts.area()
    assert toast.geometry().right() == area.right() - TOAST_MARGIN
    assert toast.geometry().bottom() == area.bottom() - TOAST_MARGIN
    assert toast.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert toast.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)

    with qtbot.waitSignal(notifier.activated) as activated:
        click(toast)
    assert activated.args == ["cv-1"]
    assert not toast.isVisible() and notifier.toasts.toasts() == []


def test_a_toast_hides_itself_unless_the_pointer_rests_on_it(qtbot, notifier, monkeypatch) -> None:
    monkeypatch.setattr(notifier_module, "TOAST_MS", 150)
    notifier.notify("cv-1", "小鹿", "在吗", "cv-1")
    [toast] = notifier.toasts.toasts()
    assert toast.timer.interval() == 150
    toast.enterEvent(None)  # the pointer came in: stay
    qtbot.wait(300)
    assert toast.isVisible()
    with qtbot.assertNotEmitted(notifier.activated), qtbot.waitSignal(toast.dismissed, timeout=2_000):
        toast.leaveEvent(None)
    assert notifier.toasts.toasts() == []


def test_the_close_button_dismisses_without_opening(qtbot, notifier) -> None:
    notifier.notify("cv-1", "小鹿", "在吗", "cv-1")
    [toast] = notifier.toasts.toasts()
    with qtbot.assertNotEmitted(notifier.activated):
        QTest.mouseClick(toast.close_button, Qt.MouseButton.LeftButton)
    assert not toast.isVisible() and notifier.toasts.toasts() == []


def test_the_same_key_updates_its_toast_and_other_keys_stack_above(qtbot, notifier) -> None:
    notifier.notify("cv-1", "小鹿", "在吗", "cv-1")
    notifier.notify("cv-2", "大熊", "发货了吗", "cv-2", kind="new_buyer")
    first, second = notifier.toasts.toasts()
    assert second.geometry().bottom() == notifier.toasts.area().bottom() - TOAST_MARGIN  # newest lowest
    assert first.geometry().bottom() < second.geometry().top()
    assert second.caption.text() == "ShopDesk · 新买家"

    notifier.notify("cv-1", "小鹿（2条新消息）", "有人吗", "cv-1")  # a burst: the same toast, now newest
    assert notifier.toasts.toasts() == [second, first]
    assert first.title.text() == "小鹿（2条新消息）" and first.body.text() == "有人吗"
    assert first.geometry().bottom() == notifier.toasts.area().bottom() - TOAST_MARGIN

    notifier.withdraw("cv-2")  # read meanwhile
    assert notifier.toasts.toasts() == [first] and not second.isVisible()
    for n in range(MAX_TOASTS + 2):
        notifier.notify(f"cv-x{n}", f"买家{n}", "在吗", f"cv-x{n}")
    assert [t.key for t in notifier.toasts.toasts()] == [f"cv-x{n}" for n in range(2, MAX_TOASTS + 2)]
    assert all(t.geometry().top() >= notifier.toasts.area().top() for t in notifier.toasts.toasts())


def test_a_long_body_is_cut_to_two_lines() -> None:
    font = QFont()
    font.setPixelSize(13)
    text = "亲，这款沙发有现货吗？" * 10
    cut = elide_lines(text, font, 200, 2)
    first, last = cut.split("\n")
    assert text.startswith(first) and last.endswith("…")
    assert elide_lines("你好", font, 200, 2) == "你好"
    assert elide_lines("", font, 200, 2) == ""


def test_an_empty_body_hides_the_body_line(notifier) -> None:
    notifier.notify("cv-1", "新买家：小鹿", "", "cv-1", kind="new_buyer")
    [toast] = notifier.toasts.toasts()
    assert toast.body.isHidden()


# ----------------------------------------------------------------------------------------- D-Bus, no bus


def test_notify_arguments_are_typed_and_the_body_escaped_for_markup_servers() -> None:
    args = notify_arguments(
        replaces_id=7, title="小鹿<b>\n乱撞", body="<b>x</b> & y\n第二行", app_icon="file:///i.png"
    )
    assert [t for t, _ in args] == [
        "QString",
        "uint",
        "QString",
        "QString",
        "QString",
        "QStringList",
        "QVariantMap",
        "int",
    ]
    values = [v for _, v in args]
    assert values[:5] == [
        "ShopDesk",
        7,
        "file:///i.png",
        "小鹿<b> 乱撞",
        "&lt;b&gt;x&lt;/b&gt; &amp; y 第二行",
    ]
    assert values[5] == ["default", "打开"]
    assert values[6]["category"] == "im.received" and values[6]["suppress-sound"] is True
    assert values[7] == -1
    plain = notify_arguments(replaces_id=0, title="t", body="<b>x</b>", markup=False)
    assert plain[4] == ("QString", "<b>x</b>")  # a server without markup shows the text as it is


def test_a_click_on_a_dbus_notification_opens_its_chat(qtbot) -> None:
    dbus = FreedesktopNotifications(None)
    dbus.remember("cv-1", 11, "cv-1")
    dbus.remember("overdue", 12, "cv-9")
    assert dbus.arguments("cv-1", "t", "b")[1] == ("uint", 11)  # the next one for cv-1 replaces it
    with qtbot.waitSignal(dbus.activated) as activated:
        dbus._action_invoked(12, "default")
    assert activated.args == ["cv-9"]
    with qtbot.assertNotEmitted(dbus.activated):
        dbus._action_invoked(99, "default")  # another application's notification
        dbus._action_invoked(11, "other")
    dbus._closed(11, 2)  # dismissed: the next one is new, a late click still works
    assert dbus.arguments("cv-1", "t", "b")[1] == ("uint", 0)
    with qtbot.waitSignal(dbus.activated) as activated:
        dbus._action_invoked(11, "default")
    assert activated.args == ["cv-1"]


def test_without_a_bus_dbus_is_not_available() -> None:
    from PySide6.QtDBus import QDBusConnection

    bus = QDBusConnection.connectToBus("unix:path=/nonexistent/shopdesk-test-bus", "shopdesk-no-bus")
    try:
        assert not notifier_module.dbus_available(bus)
    finally:
        QDBusConnection.disconnectFromBus("shopdesk-no-bus")


# ------------------------------------------------------------------------------------------------------ tray


def test_tray_messages_open_the_last_chat_shown(qtbot, window, monkeypatch) -> None:
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QSystemTrayIcon, "showMessage", lambda self, title, body, *a: shown.append((title, body))
    )
    tray = QSystemTrayIcon()
    notifier = Notifier(window, tray=tray, backend="tray")
    notifier.notify("cv-1", "小鹿\n乱撞", "<b>在吗</b>", "cv-1")
    notifier.notify("cv-2", "大熊", "发货", "cv-2")
    assert shown == [("小鹿 乱撞", "<b>在吗</b>"), ("大熊", "发货")]
    assert notifier.toasts.toasts() == []
    with qtbot.waitSignal(notifier.activated) as activated:
        tray.messageClicked.emit()
    assert activated.args == ["cv-2"]


# ------------------------------------------------------------------------------------ a real private bus

SERVER = r"""
import json, sys
from PySide6 import QtDBus
from PySide6.QtCore import ClassInfo, QCoreApplication, QObject, QTimer, Signal, Slot

app = QCoreApplication([])
bus = QtDBus.QDBusConnection.sessionBus()


@ClassInfo({"D-Bus Interface": "org.freedesktop.Notifications"})
class Server(QObject):
    ActionInvoked = Signal("uint", str)
    NotificationClosed = Signal("uint", "uint")
    next_id = 100

    @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
    def Notify(self, app_name, replaces_id, icon, summary, body, actions, hints, timeout):
        if not replaces_id:
            Server.next_id += 1
        nid = replaces_id or Server.next_id
        print(json.dumps({"call": "Notify", "app": app_name, "replaces": replaces_id, "summary": summary,
                          "body": body, "actions": actions, "id": nid}), flush=True)
        if summary.startswith("click"):
            QTimer.singleShot(50, lambda: self.ActionInvoked.emit(nid, "default"))
        return nid

    @Slot("uint")
    def CloseNotification(self, nid):
        print(json.dumps({"call": "CloseNotification", "id": nid}), flush=True)
        self.NotificationClosed.emit(nid, 3)

    @Slot(result="QStringList")
    def GetCapabilities(self):
        return ["body", "actions", "body-markup"]


server = Server()
options = QtDBus.QDBusConnection.RegisterOption
exported = options.ExportAllSlots | options.ExportAllSignals
bus.registerObject("/org/freedesktop/Notifications", server, exported)
assert bus.registerService("org.freedesktop.Notifications")
print(json.dumps({"call": "ready"}), flush=True)
app.exec()
"""


@pytest.fixture
def private_bus(tmp_path: Path):
    """A private bus with the stand-in server on it: (address, queue of the calls the server got)."""
    daemon_path = shutil.which("dbus-daemon")
    if daemon_path is None or not sys.platform.startswith("linux"):
        pytest.skip("no dbus-daemon here")
    daemon = subprocess.Popen(
        [daemon_path, "--session", "--nofork", "--print-address=1", f"--address=unix:dir={tmp_path}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    server: subprocess.Popen[str] | None = None
    calls: queue.Queue[dict[str, object]] = queue.Queue()

    def read(stream: IO[str]) -> None:
        with contextlib.suppress(ValueError, OSError):  # closed at teardown
            for line in stream:
                calls.put(json.loads(line))

    try:
        address = lines_of(daemon, 1)[0].strip()
        script = tmp_path / "server.py"
        script.write_text(SERVER, encoding="utf-8")
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": address, "QT_QPA_PLATFORM": "offscreen"}
        server = subprocess.Popen(
            [sys.executable, str(script)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        assert server.stdout is not None
        threading.Thread(target=read, args=(server.stdout,), daemon=True).start()
        assert calls.get(timeout=30) == {"call": "ready"}
        yield address, calls
    finally:
        for process in (server, daemon):
            if process is not None:
                process.terminate()
                process.wait(10)
                if process.stdout is not None:
                    process.stdout.close()


def lines_of(process: subprocess.Popen[str], count: int, timeout: float = 30) -> list[str]:
    """The first ``count`` lines ``process`` prints, or a failure after ``timeout`` seconds."""
    got: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stdout = process.stdout

    def read() -> None:
        for _ in range(count):
            got.put(stdout.readline())

    threading.Thread(target=read, daemon=True).start()
    return [got.get(timeout=timeout) for _ in range(count)]


def test_notifications_over_a_real_bus(qtbot, window, private_bus) -> None:
    from PySide6.QtDBus import QDBusConnection

    address, calls_made = private_bus
    bus = QDBusConnection.connectToBus(address, "shopdesk-test-bus")
    try:
        assert notifier_module.dbus_available(bus)
        notifier = Notifier(window, bus=bus, backend="dbus")
        assert notifier.dbus is not None and notifier.dbus.markup

        def calls(count: int) -> list[dict[str, object]]:
            return [calls_made.get(timeout=10) for _ in range(count)]

        notifier.notify("cv-1", "小鹿", "<b>在吗</b>", "cv-1")
        notifier.notify("cv-1", "小鹿（2条新消息）", "有人吗", "cv-1")
        first, second = calls(2)
        assert (first["app"], first["replaces"], first["body"]) == ("ShopDesk", 0, "&lt;b&gt;在吗&lt;/b&gt;")
        assert first["actions"] == ["default", "打开"]
        assert (second["replaces"], second["id"]) == (first["id"], first["id"])  # replaced, not a second one

        with qtbot.waitSignal(notifier.activated, timeout=5_000) as activated:
            notifier.notify("overdue", "click: 1 个会话超时未回复", "小鹿 已等待 2分", "cv-7")
        assert activated.args == ["cv-7"]
        calls(1)
        notifier.withdraw("cv-1")
        assert calls(1) == [{"call": "CloseNotification", "id": first["id"]}]
        assert notifier.toasts.toasts() == []
    finally:
        QDBusConnection.disconnectFromBus("shopdesk-test-bus")
