"""The tray icon: the unread count as a badge, the tooltip, the menu, and no tray at all."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QSystemTrayIcon

from desktop.ui.tray import BADGE_RED, ICON_PX, TrayIcon, badge_text, fallback_logo, with_badge


def image(tray: TrayIcon) -> QImage:
    return tray.pixmap().toImage().convertToFormat(QImage.Format.Format_ARGB32)


def red_pixels(img: QImage) -> int:
    return sum(
        1 for y in range(img.height()) for x in range(img.width()) if img.pixelColor(x, y) == BADGE_RED
    )


def test_badge_text() -> None:
    assert [badge_text(n) for n in (-1, 0, 1, 99, 100, 12_345)] == ["", "", "1", "99", "99+", "99+"]


def test_the_badge_and_tooltip_follow_the_counts(qtbot) -> None:
    tray = TrayIcon(use_system_tray=False)
    plain = image(tray)
    assert red_pixels(plain) == 0
    assert tray.tooltip() == "ShopDesk · 未读 0 · 排队 0"

    tray.set_counts(2, 5)
    two = image(tray)
    assert (tray.unread, tray.queued) == (2, 5)
    assert tray.tooltip() == "ShopDesk · 未读 2 · 排队 5"
    assert two != plain and red_pixels(two) > 100
    # the badge sits top right and leaves the bottom left of the logo alone
    assert two.pixelColor(ICON_PX - 6, 16) == BADGE_RED
    assert two.pixel(8, ICON_PX - 8) == plain.pixel(8, ICON_PX - 8)

    tray.set_counts(3, 5)
    assert image(tray) != two  # another number
    tray.set_counts(3, 0)
    assert tray.tooltip() == "ShopDesk · 未读 3 · 排队 0"
    tray.set_counts(150, 0)
    wide = image(tray)
    assert red_pixels(wide) > red_pixels(two)  # "99+" needs a wider badge

    tray.set_counts(0, 1)
    assert image(tray) == plain  # back to the plain logo
    tray.set_counts(-4, -1)
    assert (tray.unread, tray.queued) == (0, 0)


def test_the_logo_comes_from_the_given_icon(qtbot) -> None:
    green = QPixmap(32, 32)
    green.fill(QColor("#2f9e44"))
    tray = TrayIcon(QIcon(green), use_system_tray=False)
    img = image(tray)
    assert img.width() == ICON_PX
    assert img.pixelColor(5, ICON_PX - 5) == QColor("#2f9e44")
    tray.set_counts(1, 0)
    tray.set_logo(QIcon(fallback_logo()))
    assert image(tray).pixelColor(5, ICON_PX - 5) != QColor("#2f9e44")
    assert red_pixels(image(tray)) > 0  # the badge is drawn on the new logo


def test_the_fallback_logo_is_a_round_transparent_edged_picture(qtbot) -> None:
    logo = fallback_logo().toImage()
    assert logo.pixelColor(0, 0).alpha() == 0
    assert logo.pixelColor(ICON_PX // 2, 4).alpha() == 255
    assert with_badge(fallback_logo(), 0).toImage() == logo


def test_clicks_and_menu(qtbot) -> None:
    tray = TrayIcon(use_system_tray=False)
    assert [a.text() for a in tray.menu.actions() if not a.isSeparator()] == ["显示主窗口", "退出"]
    with qtbot.waitSignal(tray.show_requested):
        tray.show_action.trigger()
    with qtbot.waitSignal(tray.quit_requested):
        tray.quit_action.trigger()
    with qtbot.waitSignal(tray.show_requested):
        tray._activated(QSystemTrayIcon.ActivationReason.Trigger)
    with qtbot.assertNotEmitted(tray.show_requested):
        tray._activated(QSystemTrayIcon.ActivationReason.Context)


def test_without_a_system_tray_nothing_breaks(qtbot) -> None:
    tray = TrayIcon()  # offscreen: no tray
    assert tray.available == QSystemTrayIcon.isSystemTrayAvailable()
    tray.show()
    tray.set_counts(4, 2)
    tray.hide()
    assert tray.tooltip() == "ShopDesk · 未读 4 · 排队 2"
    if tray.tray is not None:
        assert tray.tray.toolTip() == tray.tooltip()


def test_with_a_system_tray_the_icon_and_tooltip_are_set(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    tray = TrayIcon()
    assert tray.tray is not None and tray.available
    tray.set_counts(7, 1)
    assert tray.tray.toolTip() == "ShopDesk · 未读 7 · 排队 1"
    assert tray.tray.icon().pixmap(ICON_PX, ICON_PX).toImage() == tray.pixmap().toImage()
    assert tray.tray.contextMenu() is tray.menu


def test_the_logo_is_the_apps_and_drawn_when_there_is_none(qtbot, monkeypatch) -> None:
    from desktop.ui import tray as tray_module

    icons = pytest.importorskip("desktop.ui.icons")
    expected = icons.app_icon().pixmap(ICON_PX, ICON_PX).toImage()
    assert TrayIcon(use_system_tray=False).logo().pixmap(ICON_PX, ICON_PX).toImage() == expected

    monkeypatch.setattr(tray_module, "_app_icon", lambda: None)
    monkeypatch.setattr("desktop.ui.tray.QApplication.windowIcon", staticmethod(lambda: QIcon()))
    drawn = TrayIcon(use_system_tray=False).logo().pixmap(ICON_PX, ICON_PX).toImage()
    assert drawn == fallback_logo().toImage()
