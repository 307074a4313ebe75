"""Desktop notifications: native where the desktop has them, a small in-app toast where it has not.

:class:`Notifier` shows a notification under a *key* (a later one with the same key replaces it: a burst in
one chat stays one notification) and emits :attr:`Notifier.activated` with the conversation id when the
agent clicks it. It picks, once:

``dbus`` (Linux)
    The freedesktop service ``org.freedesktop.Notifications`` over the session bus (QtDBus): ``Notify``
    with app name ShopDesk, the app icon, the ``default`` action (label 打开), ``replaces_id`` for the
    same key; ``ActionInvoked`` maps the notification id back to its conversation. The body is escaped
    when the server interprets markup (capability ``body-markup``), so a buyer's ``<b>`` stays text.
    ``replaces_id`` is a D-Bus ``uint32`` that PySide6 cannot put in a plain call (Python ints go as
    ``int32`` and strict servers reject the call), so ``Notify`` is invoked through the introspected
    interface's meta-method with typed arguments: a blocking round trip of a millisecond or two, capped
    at :data:`DBUS_TIMEOUT_MS`.
``tray``
    ``QSystemTrayIcon.showMessage`` (Windows, macOS, Linux without the service); a click
    (``messageClicked``) opens the conversation of the last message shown.
``toast``
    Neither (offscreen tests, no tray): :class:`Toast` windows, frameless and plain-text, stacked at the
    bottom right of the main window's screen, shown without taking the focus, hidden after
    :data:`TOAST_MS` (not while the pointer rests on one); a click opens the chat, × dismisses it.

Title and body are plain text everywhere: nothing a buyer typed is ever interpreted as markup.
"""

from __future__ import annotations

import html
import logging
import sys
from typing import Any, Literal

from PySide6.QtCore import QCoreApplication, QObject, QRect, QSize, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QEnterEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QIcon,
    QMouseEvent,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSystemTrayIcon,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.plain_text import one_line
from desktop.ui.tray import fallback_logo

log = logging.getLogger(__name__)

Backend = Literal["dbus", "tray", "toast"]

APP_NAME = "ShopDesk"
TOAST_MS = 6_000
TOAST_WIDTH = 320
TOAST_MARGIN = 16
TOAST_GAP = 8
MAX_TOASTS = 4
DBUS_TIMEOUT_MS = 1_000
DBUS_SERVICE = "org.freedesktop.Notifications"
DBUS_PATH = "/org/freedesktop/Notifications"
DBUS_INTERFACE = "org.freedesktop.Notifications"
REMEMBERED_IDS = 200  # notification ids whose conversation is remembered for a late click

ACCENTS = {"new_buyer": QColor("#2f9e44"), "new_message": QColor("#1f6feb"), "overdue": QColor("#e5484d")}


# ------------------------------------------------------------------------------------------------- toast


def elide_lines(text: str, font: QFont, width: int, lines: int) -> str:
    """``text`` wrapped at ``width`` into at most ``lines`` lines, the last one elided with "…"."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    starts = []
    while len(starts) < lines:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        starts.append((line.textStart(), line.textLength()))
    layout.endLayout()
    if not starts:
        return ""
    last_start, last_length = starts[-1]
    head = "\n".join(text[s : s + n].rstrip() for s, n in starts[:-1])
    if last_start + last_length >= len(text):
        return f"{head}\n{text[last_start:]}" if head else text
    tail = QFontMetrics(font).elidedText(text[last_start:], Qt.TextElideMode.ElideRight, width)
    return f"{head}\n{tail}" if head else tail


class Toast(QFrame):
    """One in-app notification: caption, title, up to two lines of body; a click opens the chat."""

    clicked = Signal(str)  # conversation id
    dismissed = Signal()  # hidden: timed out, closed with ×, clicked or withdrawn

    def __init__(
        self, key: str, kind: str = "new_message", icon: QIcon | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.conversation_id = ""
        self.setObjectName("notificationToast")
        self.setWindowFlags(
            Qt.WindowType.Tool
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
        )
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFixedWidth(TOAST_WIDTH)

        self.logo = QLabel(self)
        self.logo.setObjectName("toastLogo")
        logo = icon if icon is not None and not icon.isNull() else QIcon(fallback_logo())
        self.logo.setPixmap(logo.pixmap(16, 16))
        self.caption = QLabel(APP_NAME, self)
        self.caption.setObjectName("toastCaption")
        self.close_button = QToolButton(self)
        self.close_button.setObjectName("toastClose")
        self.close_button.setText("×")
        self.close_button.setToolTip(QCoreApplication.translate("Notifier", "关闭"))
        self.close_button.setAutoRaise(True)
        self.close_button.setCursor(Qt.CursorShape.ArrowCursor)
        self.close_button.clicked.connect(self.dismiss)
        self.title = QLabel(self)
        self.title.setObjectName("toastTitle")
        self.body = QLabel(self)
        self.body.setObjectName("toastBody")
        for label in (self.caption, self.title, self.body):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.setSpacing(6)
        top.addWidget(self.logo)
        top.addWidget(self.caption, 1)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 8, 12)
        layout.setSpacing(3)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(self.body)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(TOAST_MS)
        self.timer.timeout.connect(self.dismiss)
        self.set_kind(kind)

    def set_kind(self, kind: str) -> None:
        accent = ACCENTS.get(kind, ACCENTS["new_message"]).name()
        self.setStyleSheet(
            "QFrame#notificationToast { background: palette(base); border: 1px solid palette(mid);"
            f" border-left: 4px solid {accent}; }}"
            "QLabel#toastCaption { color: palette(placeholder-text); font-size: 11px; }"
            "QLabel#toastTitle { font-weight: bold; font-size: 14px; }"
            "QLabel#toastBody { color: palette(text); font-size: 13px; }"
            "QToolButton#toastClose { border: none; padding: 0 4px; font-size: 14px;"
            " color: palette(placeholder-text); }"
        )

    def set_message(self, title: str, body: str, conversation_id: str, caption: str = "") -> None:
        """Show this plain text (restarting the timer); newlines in either become spaces."""
        self.conversation_id = conversation_id
        self.caption.setText(f"{APP_NAME} · {caption}" if caption else APP_NAME)
        width = TOAST_WIDTH - 24
        self.ensurePolished()
        title_font = self.title.font()
        self.title.setText(
            QFontMetrics(title_font).elidedText(one_line(title), Qt.TextElideMode.ElideRight, width)
        )
        self.body.setText(elide_lines(one_line(body), self.body.font(), width, 2))
        self.body.setVisible(bool(body))
        self.adjustSize()
        self.timer.start()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            conversation_id = self.conversation_id
            self.dismiss()
            self.clicked.emit(conversation_id)
            return
        super().mouseReleaseEvent(event)

    def enterEvent(self, event: QEnterEvent) -> None:
        self.timer.stop()  # being read: stay
        super().enterEvent(event)

    def leaveEvent(self, event: Any) -> None:
        self.timer.start()
        super().leaveEvent(event)

    def dismiss(self) -> None:
        self.timer.stop()
        if self.isVisible():
            self.hide()
        self.dismissed.emit()


class ToastStack(QObject):
    """The toasts on screen, keyed; the newest at the bottom right, older ones above it."""

    clicked = Signal(str)

    def __init__(
        self, window: QWidget | None = None, icon: QIcon | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.icon = icon
        self._toasts: list[Toast] = []

    def toasts(self) -> list[Toast]:
        """The toasts shown, oldest first."""
        return list(self._toasts)

    def show(
        self, key: str, title: str, body: str, conversation_id: str, *, kind: str, caption: str
    ) -> Toast:
        toast = next((t for t in self._toasts if t.key == key), None)
        if toast is None:
            toast = Toast(key, kind, self.icon)
            toast.clicked.connect(self.clicked)
            toast.dismissed.connect(lambda toast=toast: self._remove(toast))
        else:
            self._toasts.remove(toast)
            toast.set_kind(kind)
        self._toasts.append(toast)
        toast.set_message(title, body, conversation_id, caption)
        while len(self._toasts) > MAX_TOASTS:
            self._toasts[0].dismiss()
        self._place()
        toast.show()
        return toast

    def withdraw(self, key: str) -> None:
        for toast in [t for t in self._toasts if t.key == key]:
            toast.dismiss()

    def clear(self) -> None:
        for toast in list(self._toasts):
            toast.dismiss()

    def _remove(self, toast: Toast) -> None:
        if toast in self._toasts:
            self._toasts.remove(toast)
            toast.deleteLater()
            self._place()

    def area(self) -> QRect:
        """Where toasts go: the available area of the main window's screen (the primary one without)."""
        screen = self.window.screen() if self.window is not None else None
        screen = screen or QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else QRect(0, 0, 800, 600)

    def _place(self) -> None:
        area = self.area()
        left = area.x() + area.width() - TOAST_MARGIN - TOAST_WIDTH
        end = area.y() + area.height() - TOAST_MARGIN  # just below the newest toast
        for toast in reversed(self._toasts):
            size: QSize = toast.sizeHint().expandedTo(toast.minimumSizeHint())
            toast.resize(TOAST_WIDTH, size.height())
            toast.move(left, end - size.height())
            end -= size.height() + TOAST_GAP


# ------------------------------------------------------------------------------------- freedesktop D-Bus


def dbus_available(bus: Any | None = None) -> bool:
    """Whether the session bus (or ``bus``) has a notification server running now."""
    try:
        from PySide6.QtDBus import QDBusConnection
    except ImportError:
        return False
    connection = bus if bus is not None else QDBusConnection.sessionBus()
    if not connection.isConnected():
        return False
    interface = connection.interface()
    if interface is None:
        return False
    reply = interface.isServiceRegistered(DBUS_SERVICE)
    return bool(reply.isValid() and reply.value())


def notify_arguments(
    *,
    replaces_id: int,
    title: str,
    body: str,
    app_icon: str = "",
    markup: bool = True,
) -> list[tuple[str, Any]]:
    """The typed arguments of ``Notify`` (``susssasa{sv}i``), as (Qt type name, value) pairs."""
    text = one_line(body)
    return [
        ("QString", APP_NAME),
        ("uint", replaces_id),
        ("QString", app_icon),
        ("QString", one_line(title)),
        ("QString", html.escape(text, quote=False) if markup else text),
        ("QStringList", ["default", QCoreApplication.translate("Notifier", "打开")]),
        ("QVariantMap", {"category": "im.received", "desktop-entry": "shopdesk", "suppress-sound": True}),
        ("int", -1),
    ]


class FreedesktopNotifications(QObject):
    """``org.freedesktop.Notifications`` over D-Bus: shows, replaces, withdraws; maps clicks to chats."""

    activated = Signal(str)

    def __init__(self, bus: Any, *, app_icon: str = "", parent: QObject | None = None) -> None:
        from PySide6.QtDBus import QDBusInterface

        super().__init__(parent)
        self.bus = bus
        self.app_icon = app_icon
        self._ids: dict[str, int] = {}  # key → notification id on screen
        self._conversations: dict[int, str] = {}  # notification id → conversation id (the last few)
        self._interface: Any = None
        self.markup = True
        if bus is None:  # message building only (tests)
            return
        self._interface = QDBusInterface(DBUS_SERVICE, DBUS_PATH, DBUS_INTERFACE, bus, self)
        self._interface.setTimeout(DBUS_TIMEOUT_MS)
        self.markup = "body-markup" in self.capabilities()
        for name, slot in (
            ("ActionInvoked", "1_action_invoked(uint,QString)"),
            ("NotificationClosed", "1_closed(uint,uint)"),
        ):
            if not bus.connect(DBUS_SERVICE, DBUS_PATH, DBUS_INTERFACE, name, self, slot):
                log.info("could not listen to %s: clicks on notifications will not open chats", name)

    def capabilities(self) -> list[str]:
        if self._interface is None:
            return []
        reply = self._interface.call("GetCapabilities")
        arguments = reply.arguments()
        return [str(c) for c in arguments[0]] if arguments and isinstance(arguments[0], list) else []

    def arguments(self, key: str, title: str, body: str) -> list[tuple[str, Any]]:
        return notify_arguments(
            replaces_id=self._ids.get(key, 0),
            title=title,
            body=body,
            app_icon=self.app_icon,
            markup=self.markup,
        )

    def show(self, key: str, title: str, body: str, conversation_id: str) -> bool:
        """Show (or replace the one with ``key``); False when the server would not."""
        if self._interface is None:
            return False
        from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject

        args = [Q_ARG(type_name, value) for type_name, value in self.arguments(key, title, body)]
        try:
            notification_id = QMetaObject.invokeMethod(
                self._interface, "Notify", Qt.ConnectionType.DirectConnection, Q_RETURN_ARG("uint"), *args
            )
        except (RuntimeError, TypeError) as exc:
            log.info("Notify failed: %s", exc)
            return False
        error = self._interface.lastError()
        if error.isValid() or not notification_id:
            log.info("Notify failed: %s %s", error.name(), error.message())
            return False
        self.remember(key, int(notification_id), conversation_id)
        return True

    def remember(self, key: str, notification_id: int, conversation_id: str) -> None:
        """The server showed ``notification_id`` for ``key``: a click on it opens ``conversation_id``."""
        self._ids[key] = notification_id
        self._conversations.pop(notification_id, None)
        self._conversations[notification_id] = conversation_id
        while len(self._conversations) > REMEMBERED_IDS:
            del self._conversations[next(iter(self._conversations))]

    def withdraw(self, key: str) -> None:
        notification_id = self._ids.pop(key, None)
        if notification_id is None or self._interface is None:
            return
        from PySide6.QtCore import Q_ARG, QMetaObject

        try:
            QMetaObject.invokeMethod(
                self._interface,
                "CloseNotification",
                Qt.ConnectionType.DirectConnection,
                Q_ARG("uint", notification_id),
            )
        except (RuntimeError, TypeError) as exc:
            log.info("CloseNotification failed: %s", exc)

    @Slot("uint", str)
    def _action_invoked(self, notification_id: int, action: str) -> None:
        conversation_id = self._conversations.get(int(notification_id))
        if conversation_id is not None and action == "default":
            self.activated.emit(conversation_id)

    @Slot("uint", "uint")
    def _closed(self, notification_id: int, reason: int) -> None:
        for key, shown in list(self._ids.items()):
            if shown == notification_id:
                del self._ids[key]  # the next one with this key is a new notification


# -------------------------------------------------------------------------------------------------- notifier


def _native_platform() -> bool:
    return QGuiApplication.platformName() not in ("offscreen", "minimal", "")


def _icon_file(icon: QIcon) -> str:
    """The icon saved as a PNG in the cache folder, as a file:// URL for the notification server."""
    from desktop.paths import cache_dir, ensure_private_dir

    try:
        path = ensure_private_dir(cache_dir()) / "notification-icon.png"
        if not icon.pixmap(64, 64).save(str(path), "PNG"):
            return ""
    except OSError as exc:
        log.info("no icon for notifications: %s", exc)
        return ""
    return QUrl.fromLocalFile(str(path)).toString()


class Notifier(QObject):
    """Shows notifications the best way this desktop allows (see the module doc)."""

    activated = Signal(str)  # conversation id of a notification the agent clicked

    def __init__(
        self,
        window: QWidget | None = None,
        *,
        tray: QSystemTrayIcon | None = None,
        icon: QIcon | None = None,
        backend: Backend | None = None,
        bus: Any | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.tray = tray
        self.icon = icon if icon is not None else QIcon()
        self._tray_conversation = ""
        self.dbus: FreedesktopNotifications | None = None
        self.toasts = ToastStack(window, self.icon, self)
        self.toasts.clicked.connect(self.activated)
        self.backend: Backend = backend or self._choose(bus)
        if self.backend == "dbus":
            if bus is None:
                from PySide6.QtDBus import QDBusConnection

                bus = QDBusConnection.sessionBus()
            icon_url = _icon_file(self.icon) if not self.icon.isNull() else ""
            self.dbus = FreedesktopNotifications(bus, app_icon=icon_url, parent=self)
            self.dbus.activated.connect(self.activated)
        elif self.backend == "tray":
            if tray is None:
                raise ValueError("the tray backend needs a QSystemTrayIcon")
            tray.messageClicked.connect(self._tray_clicked)

    def _choose(self, bus: Any | None) -> Backend:
        if not _native_platform():
            return "toast"
        if sys.platform.startswith("linux") and dbus_available(bus):
            return "dbus"
        if self.tray is not None and QSystemTrayIcon.supportsMessages():
            return "tray"
        return "toast"

    def notify(
        self, key: str, title: str, body: str, conversation_id: str, *, kind: str = "new_message"
    ) -> None:
        """Show a notification (replacing the one shown with ``key``); plain text only."""
        if self.backend == "dbus" and self.dbus is not None:
            if self.dbus.show(key, title, body, conversation_id):
                return
            self.backend = "tray" if self.tray is not None and QSystemTrayIcon.supportsMessages() else "toast"
            log.info("the notification server failed: using %s notifications from now on", self.backend)
            if self.backend == "tray" and self.tray is not None:
                self.tray.messageClicked.connect(self._tray_clicked)
        if self.backend == "tray" and self.tray is not None:
            self._tray_conversation = conversation_id
            self.tray.showMessage(one_line(title), one_line(body), self.icon, TOAST_MS)
            return
        self.toasts.show(key, title, body, conversation_id, kind=kind, caption=_caption(kind))

    def withdraw(self, key: str) -> None:
        """The notification with ``key`` is no longer news (the chat was read): take it away if possible."""
        if self.dbus is not None:
            self.dbus.withdraw(key)
        self.toasts.withdraw(key)

    def clear(self) -> None:
        self.toasts.clear()

    def _tray_clicked(self) -> None:
        if self._tray_conversation:
            self.activated.emit(self._tray_conversation)


def _caption(kind: str) -> str:
    return {
        "new_buyer": QCoreApplication.translate("Notifier", "新买家"),
        "new_message": QCoreApplication.translate("Notifier", "新消息"),
        "overdue": QCoreApplication.translate("Notifier", "超时提醒"),
    }.get(kind, "")
