"""The tray icon: ShopDesk's logo with the unread count as a red badge, a tooltip, 显示主窗口 / 退出.

:class:`TrayIcon` wraps a ``QSystemTrayIcon`` when the desktop has a tray, and keeps its state (counts,
icon, tooltip) all the same when it has none (offscreen tests, some Linux desktops), so callers never
check. The logo is the icon handed in, else :func:`desktop.ui.icons.app_icon`, else the application's window
icon, else :func:`fallback_logo` (drawn in code).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPainterPath, QPixmap
from PySide6.QtWidgets import QApplication, QMenu, QSystemTrayIcon

log = logging.getLogger(__name__)

ICON_PX = 64  # drawn at this size; the tray scales it down (16-32 px) and the badge stays readable
BADGE_RED = QColor("#e5484d")
LOGO_BLUE = QColor("#1f6feb")


def badge_text(count: int) -> str:
    """The badge: "" for none, the count up to 99, then "99+"."""
    if count <= 0:
        return ""
    return "99+" if count > 99 else str(count)


def fallback_logo(size: int = ICON_PX) -> QPixmap:
    """ShopDesk's logo drawn in code: a white chat bubble with three dots on a blue disc."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(LOGO_BLUE)
        painter.drawEllipse(QRectF(0, 0, size, size).adjusted(1, 1, -1, -1))
        s = size / 64
        bubble = QPainterPath()
        bubble.addRoundedRect(QRectF(14 * s, 17 * s, 36 * s, 25 * s), 8 * s, 8 * s)
        tail = QPainterPath()
        tail.moveTo(22 * s, 40 * s)
        tail.lineTo(19 * s, 50 * s)
        tail.lineTo(31 * s, 40 * s)
        tail.closeSubpath()
        painter.setBrush(QColor("white"))
        painter.drawPath(bubble.united(tail))
        painter.setBrush(LOGO_BLUE)
        for x in (23, 32, 41):
            painter.drawEllipse(QRectF((x - 3) * s, 26.5 * s, 6 * s, 6 * s))
    finally:
        painter.end()
    return pixmap


def with_badge(logo: QPixmap, count: int) -> QPixmap:
    """``logo`` with the count in a red badge at its top right (the logo itself when ``count`` is 0)."""
    text = badge_text(count)
    if not text:
        return logo
    pixmap = QPixmap(logo)
    size = pixmap.width()
    painter = QPainter(pixmap)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        font = QFont(QApplication.font())
        font.setBold(True)
        font.setPixelSize(round(size * (0.36 if len(text) < 3 else 0.27)))
        painter.setFont(font)
        height = size * 0.52
        width = max(height, painter.fontMetrics().horizontalAdvance(text) + size * 0.16)
        badge = QRectF(size - width, 0, width, height)
        painter.setPen(QColor("white"))
        painter.setBrush(BADGE_RED)
        painter.drawRoundedRect(badge.adjusted(1, 1, -1, -1), height / 2, height / 2)
        painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, text)
    finally:
        painter.end()
    return pixmap


def _app_icon() -> QIcon | None:
    """The logo of :mod:`desktop.ui.icons` (None where it cannot be had: the fallback logo is drawn)."""
    try:
        from desktop.ui.icons import app_icon
    except ImportError:
        return None
    try:
        return app_icon()
    except (KeyError, OSError, ValueError) as exc:  # a missing or unreadable logo file
        log.info("no app logo for the tray (%s): drawing one", exc)
        return None


class TrayIcon(QObject):
    """The tray icon with unread/queue counts; works (keeping its state) without a system tray."""

    show_requested = Signal()  # a click on the icon or 显示主窗口
    quit_requested = Signal()  # 退出

    def __init__(
        self, icon: QIcon | None = None, parent: QObject | None = None, *, use_system_tray: bool = True
    ) -> None:
        super().__init__(parent)
        self._logo = self._logo_pixmap(icon)
        self._unread = 0
        self._queued = 0
        self._icon = QIcon(self._logo)
        self.menu = QMenu()
        self.show_action = QAction(self.tr("显示主窗口"), self)
        self.show_action.triggered.connect(self.show_requested)
        self.quit_action = QAction(self.tr("退出"), self)
        self.quit_action.triggered.connect(self.quit_requested)
        self.menu.addAction(self.show_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.tray: QSystemTrayIcon | None = None
        if use_system_tray and QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self._icon, self)
            self.tray.setContextMenu(self.menu)
            self.tray.activated.connect(self._activated)
        self._refresh()

    @staticmethod
    def _logo_pixmap(icon: QIcon | None) -> QPixmap:
        for candidate in (icon, _app_icon(), QApplication.windowIcon()):
            if candidate is not None and not candidate.isNull():
                pixmap = candidate.pixmap(ICON_PX, ICON_PX)
                if not pixmap.isNull():
                    return pixmap.scaled(
                        ICON_PX,
                        ICON_PX,
                        Qt.AspectRatioMode.KeepAspectRatio,
                        Qt.TransformationMode.SmoothTransformation,
                    )
        return fallback_logo()

    # --- state ------------------------------------------------------------------------------------------

    @property
    def available(self) -> bool:
        """Whether a system tray shows this icon."""
        return self.tray is not None

    @property
    def unread(self) -> int:
        return self._unread

    @property
    def queued(self) -> int:
        return self._queued

    def logo(self) -> QIcon:
        """The logo without a badge (for notifications)."""
        return QIcon(self._logo)

    def icon(self) -> QIcon:
        """The icon as the tray shows it (with the badge)."""
        return self._icon

    def pixmap(self) -> QPixmap:
        return self._icon.pixmap(ICON_PX, ICON_PX)

    def tooltip(self) -> str:
        return (
            QCoreApplication.translate("TrayIcon", "ShopDesk · 未读 %1 · 排队 %2")
            .replace("%1", str(self._unread))
            .replace("%2", str(self._queued))
        )

    def set_counts(self, unread: int, queued: int) -> None:
        """Unread buyer messages in my chats and buyers in the queue."""
        unread, queued = max(0, unread), max(0, queued)
        if (unread, queued) == (self._unread, self._queued):
            return
        badge_changed = badge_text(unread) != badge_text(self._unread)
        self._unread, self._queued = unread, queued
        if badge_changed:
            self._icon = QIcon(with_badge(self._logo, unread))
        self._refresh()

    def set_logo(self, icon: QIcon) -> None:
        """A new logo (e.g. once the app icon is set); the badge is drawn on it again."""
        self._logo = self._logo_pixmap(icon)
        self._icon = QIcon(with_badge(self._logo, self._unread))
        self._refresh()

    def _refresh(self) -> None:
        if self.tray is not None:
            self.tray.setIcon(self._icon)
            self.tray.setToolTip(self.tooltip())

    # --- showing ----------------------------------------------------------------------------------------

    def show(self) -> None:
        if self.tray is not None:
            self.tray.show()

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.show_requested.emit()
