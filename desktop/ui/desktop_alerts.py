"""The tray, notifications, sounds and the overdue popup, wired to the workbench: one object to create.

:class:`DesktopAlerts` listens to the :class:`~desktop.ui.live_workbench.LiveWorkbench` and asks the Qt-free
rules in :mod:`desktop.core.alerts` what deserves the agent's attention; it shows what they decide and
reports what the agent wants. The window that creates it connects two signals and passes one function::

    alerts = DesktopAlerts(workbench, is_in_front, settings, window)
    alerts.show_window_requested.connect(bring_window_up)   # tray click, 显示主窗口, a notification click
    alerts.open_requested.connect(window.open_conversation)  # notification click, the overdue popup
    alerts.quit_requested.connect(quit_app)                   # 退出 in the tray menu
    alerts.apply_settings(new_settings)                       # when the agent changes them
    alerts.close()                                            # at logout / quit

``is_in_front(conversation_id)`` answers whether the agent is looking at that chat right now: its window is
active and shows it, e.g. ``window.isActiveWindow() and window.current_pane() is shown for it``; a window
hidden to the tray or behind another application is not in front.

What it does:

- tray: the unread count of my chats (badge) and the queue size (tooltip), refreshed once per batch;
- notifications and sounds for new buyers and new messages, once the batch is over (a burst in one chat
  updates one notification; see :class:`~desktop.core.alerts.NoticePolicy`); reading a chat (its unread
  count drops to 0) or losing it takes its notification away;
- every tick: the overdue chats; the popup follows them live, and each reminder brings it up (without
  taking the focus), plays the overdue sound and notifies; it hides itself when none is left.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QWidget

from desktop.core.alerts import AlertSettings, Notice, NoticePolicy, OverdueWatch
from desktop.protocol.objects import Message
from desktop.ui.i18n import fill, wait_text
from desktop.ui.live_workbench import LiveWorkbench, now_ms
from desktop.ui.notifier import MAX_TOASTS, Backend, Notifier
from desktop.ui.overdue_popup import OverduePopup, preview_label
from desktop.ui.sounds import SoundPlayer
from desktop.ui.tray import TrayIcon

log = logging.getLogger(__name__)

FLUSH_EVERY_MS = 1_000  # notifications and the tray are refreshed at most this often


def notice_text(notice: Notice) -> tuple[str, str]:
    """The title and body of a notification, plain text in the agent's language.

    Counted texts use ``DesktopAlerts.tr(text, "", n)``: lupdate takes that form as a plural (``%n``), not
    ``QCoreApplication.translate(context, text, "", n)``."""
    preview = preview_label(notice.preview)
    translate = QCoreApplication.translate
    if notice.kind == "overdue":
        title = DesktopAlerts.tr("%n 个会话超时未回复", "", notice.count)
        body = fill(
            translate("DesktopAlerts", "%1 已等待 %2"), notice.nickname, wait_text(notice.waited_ms or 0)
        )
        return title, fill(translate("DesktopAlerts", "%1：%2"), body, preview) if preview else body
    more = DesktopAlerts.tr("（%n条新消息）", "", notice.count) if notice.count > 1 else ""
    if notice.kind == "new_buyer":
        title = fill(translate("DesktopAlerts", "新买家：%1"), notice.nickname) + more
        return title, preview or translate("DesktopAlerts", "新买家接入，请及时回复")
    if preview:
        return notice.nickname + more, preview
    if notice.count > 1:
        return notice.nickname, DesktopAlerts.tr("发来 %n 条新消息", "", notice.count)
    return notice.nickname, translate("DesktopAlerts", "发来一条新消息")


class DesktopAlerts(QObject):
    """Tray icon, notifications, sounds and overdue reminders for one logged-in workbench."""

    open_requested = Signal(str)  # conversation id: bring the window up and open this chat
    show_window_requested = (
        Signal()
    )  # bring the main window up (tray click, 显示主窗口, before open_requested)
    quit_requested = Signal()  # 退出 in the tray menu
    notice_given = Signal(object)  # a Notice that was shown or sounded (for the status bar, tests, logs)

    def __init__(
        self,
        workbench: LiveWorkbench,
        is_in_front: Callable[[str], bool],
        settings: AlertSettings,
        window: QWidget | None,
        *,
        icon: QIcon | None = None,
        sounds: SoundPlayer | None = None,
        notifier_backend: Backend | None = None,
        use_system_tray: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else window)
        self.workbench = workbench
        self.is_in_front = is_in_front
        self.settings = settings
        self.window = window
        self.policy = NoticePolicy(settings)
        self.overdue = OverdueWatch(settings)
        self._unread: dict[str, int] = {}  # last unread count per chat of mine: a drop to 0 is "read"
        self._overdue_shown = False

        self.tray = TrayIcon(icon, self, use_system_tray=use_system_tray)
        self.notifier = Notifier(window, tray=self.tray.tray, icon=self.tray.logo(), backend=notifier_backend)
        self.notifier.setParent(self)
        self.sounds = sounds if sounds is not None else SoundPlayer()
        self.sounds.setParent(self)
        self.popup = OverduePopup(window)

        self._flush_timer = QTimer(self)
        self._flush_timer.setSingleShot(True)
        self._last_flush = 0.0  # monotonic time of the last flush
        self._flush_timer.timeout.connect(self.flush)

        self._connections = [
            signal.connect(slot)
            for signal, slot in (
                (workbench.messages_added, self._messages_added),
                (workbench.assigned_to_me, self._assigned),
                (workbench.conversation_changed, self._conversation_changed),
                (workbench.queue_changed, self._queue_changed),
                (workbench.snapshot_loaded, self._snapshot_loaded),
                (workbench.tick, self.check_overdue),
            )
        ]
        self.notifier.activated.connect(self._open)
        self.popup.open_requested.connect(self._open)
        self.tray.show_requested.connect(self.show_window_requested)
        self.tray.quit_requested.connect(self.quit_requested)

        self._remember_unread()
        self.refresh_counts()
        self.tray.show()

    # --- settings and life ------------------------------------------------------------------------------

    def apply_settings(self, settings: AlertSettings) -> None:
        """The agent changed notification, sound, reminder or wait settings: they apply from now on."""
        self.settings = settings
        self.policy.settings = settings
        self.overdue.settings = settings
        if not settings.notifications:
            self.notifier.clear()
        self.check_overdue(now_ms())

    def close(self) -> None:
        """Stop listening (logout, quit): no more notifications, the tray icon goes."""
        for connection in self._connections:
            QObject.disconnect(connection)  # False, quietly, when it is gone already
        self._connections = []
        self._flush_timer.stop()
        self.notifier.clear()
        self.popup.close()
        self.tray.hide()

    # --- counts -----------------------------------------------------------------------------------------

    def unread(self) -> int:
        """Unread buyer messages over my active chats."""
        me = self.workbench.me_id
        return sum(
            conv.unread for conv in self.workbench.book.active(0) if me is None or conv.assignee_id == me
        )

    def refresh_counts(self) -> None:
        self.tray.set_counts(self.unread(), self.workbench.state.queue_waiting)

    def _remember_unread(self) -> None:
        me = self.workbench.me_id
        self._unread = {
            conv.id: conv.unread
            for conv in self.workbench.book.active(0)
            if me is None or conv.assignee_id == me
        }

    # --- from the workbench -----------------------------------------------------------------------------

    def _messages_added(self, conversation_id: str, messages: list[Message]) -> None:
        self.policy.on_messages(
            self.workbench.book.get(conversation_id),
            messages,
            me_id=self.workbench.me_id,
            in_front=self.is_in_front(conversation_id),
            now_ms=now_ms(),
        )
        self._schedule_flush()

    def _assigned(self, conversation_id: str) -> None:
        self.policy.on_assigned(
            self.workbench.book.get(conversation_id),
            in_front=self.is_in_front(conversation_id),
            now_ms=now_ms(),
        )
        self._schedule_flush()

    def _conversation_changed(self, conversation_id: str) -> None:
        conv = self.workbench.book.get(conversation_id)
        me = self.workbench.me_id
        mine = conv is not None and conv.status == "active" and (me is None or conv.assignee_id == me)
        before = self._unread.pop(conversation_id, 0)
        if mine and conv is not None:
            self._unread[conversation_id] = conv.unread
            if before > 0 and conv.unread == 0:
                self._seen(conversation_id)  # read (here or on another device)
        else:
            self._seen(conversation_id)  # closed, transferred, taken over
        self._schedule_flush()

    def _queue_changed(self, _size: int) -> None:
        self._schedule_flush()

    def _snapshot_loaded(self) -> None:
        self._remember_unread()
        self._schedule_flush()

    def _seen(self, conversation_id: str) -> None:
        self.notifier.withdraw(conversation_id)
        self.policy.forget(conversation_id)

    # --- telling the agent ------------------------------------------------------------------------------

    def _schedule_flush(self) -> None:
        """Flush after the batch being applied (every signal of it heard), and at most every
        :data:`FLUSH_EVERY_MS`: a burst over many chats must not rebuild notifications hundreds of times a
        second (measured: 290 toast rebuilds/s and 100+ ms stalls at 1,000 msg/s over 25 chats)."""
        if self._flush_timer.isActive():
            return
        since = time.monotonic() - self._last_flush
        self._flush_timer.start(max(0, round((FLUSH_EVERY_MS / 1000 - since) * 1000)))

    def flush(self) -> None:
        """Give the notices gathered since the last flush, and refresh the tray. More chats than there is
        room for toasts: the newest ones are shown (the tray counts them all)."""
        self._last_flush = time.monotonic()
        notices = self.policy.take(now_ms())
        shown = [n for n in notices if n.notify]
        keep = {id(n) for n in shown[-MAX_TOASTS:]}
        for notice in notices:
            if notice.notify and id(notice) not in keep:
                notice = dataclasses.replace(notice, notify=False)
            self._give(notice)
        self.refresh_counts()

    def check_overdue(self, now: int) -> None:
        """Once a tick: update the overdue popup; remind when a chat turns red, then every N seconds."""
        chats, notice = self.overdue.check(
            self.workbench.book.active(now), me_id=self.workbench.me_id, now_ms=now
        )
        self.popup.set_chats(chats)
        if notice is not None:
            self.popup.remind()
            self._give(notice)
            self._overdue_shown = True
        elif not chats and self._overdue_shown:
            self._overdue_shown = False
            self.notifier.withdraw("overdue")

    def _give(self, notice: Notice) -> None:
        if notice.notify:
            title, body = notice_text(notice)
            self.notifier.notify(notice.key, title, body, notice.conversation_id, kind=notice.kind)
        if notice.sound:
            self.sounds.play(notice.kind)
        self.notice_given.emit(notice)

    def _open(self, conversation_id: str) -> None:
        self.policy.forget(conversation_id)
        self.show_window_requested.emit()
        self.open_requested.emit(conversation_id)
