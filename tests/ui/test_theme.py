"""Themes: light/dark/system palettes and style sheets, semantic colours that delegates read at paint time."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from desktop.core.wait_timer import WaitLevel
from desktop.paths import resources_dir
from desktop.ui import theme
from desktop.ui.conversation_delegate import AMBER, RED, ROW_HEIGHT, wait_colour
from desktop.ui.conversation_list_model import ConversationRole
from desktop.ui.customer_panel import CustomerPanel
from desktop.ui.order_delegate import status_colour
from tests.ui import render_chat
from tests.ui.render_conversation_list import build_view

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def restore_theme(qapp: QApplication) -> Iterator[None]:
    """Every other test expects the light look: put the application back as it was."""
    sheet, palette = qapp.styleSheet(), QPalette(qapp.palette())
    yield
    theme.apply_theme(qapp, "light")
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


def selectors(qss: str) -> set[str]:
    """Every selector of a style sheet, one per comma-separated part, whitespace normalised."""
    qss = re.sub(r"/\*.*?\*/", "", qss, flags=re.DOTALL)
    found: set[str] = set()
    for head in re.findall(r"([^{}]+)\{[^{}]*\}", qss):
        found |= {" ".join(part.split()) for part in head.split(",") if part.strip()}
    return found


def contrast(a: QColor, b: QColor) -> float:
    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(colour.redF())
            + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_dark_and_light_style_the_same_selectors() -> None:
    folder = resources_dir() / "themes"
    light = selectors((folder / "light.qss").read_text(encoding="utf-8"))
    dark = selectors((folder / "dark.qss").read_text(encoding="utf-8"))
    assert len(light) > 10
    assert light == dark


def test_light_is_the_default(qapp) -> None:
    theme.apply_theme(qapp)
    assert theme.current_theme() == "light"
    assert theme.colors() is theme.LIGHT_COLORS
    assert "#f5f6f8" in qapp.styleSheet()


def test_dark_sets_palette_style_sheet_and_colours(qapp) -> None:
    changes: list[str] = []
    theme.notifier().changed.connect(changes.append)
    try:
        theme.apply_theme(qapp, "dark")
    finally:
        theme.notifier().changed.disconnect(changes.append)
    assert theme.current_theme() == "dark"
    assert theme.requested_theme() == "dark"
    assert theme.colors() is theme.DARK_COLORS
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 60
    assert qapp.palette().color(QPalette.ColorRole.Text).lightness() > 200
    assert qapp.styleSheet() == theme.style_sheet("dark")
    assert changes == ["dark"]

    theme.apply_theme(qapp, "light")
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 200
    assert theme.colors() is theme.LIGHT_COLORS


def test_unknown_theme_is_refused(qapp) -> None:
    with pytest.raises(ValueError, match="light, dark, system"):
        theme.apply_theme(qapp, "solarized")
    assert theme.current_theme() == "light"


def test_system_follows_the_colour_scheme(qapp, monkeypatch) -> None:
    scheme = ["dark"]
    monkeypatch.setattr(theme, "system_theme", lambda: scheme[0])
    theme.apply_theme(qapp, "system")
    assert theme.requested_theme() == "system"
    assert theme.current_theme() == "dark"

    scheme[0] = "light"  # the desktop switches: Qt says so with colorSchemeChanged
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert theme.current_theme() == "light"
    assert qapp.palette().color(QPalette.ColorRole.Window).lightness() > 200

    theme.apply_theme(qapp, "light")  # chosen explicitly: the system no longer decides
    scheme[0] = "dark"
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert theme.current_theme() == "light"


def test_system_theme_reads_the_style_hints(qapp) -> None:
    expected = "dark" if QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark else "light"
    assert theme.system_theme() == expected


def test_both_themes_declare_every_colour() -> None:
    for colours in (theme.LIGHT_COLORS, theme.DARK_COLORS):
        for name, value in vars(colours).items():
            if name != "name":
                assert isinstance(value, QColor) and value.isValid(), name


def test_dark_text_colours_are_readable() -> None:
    dark, base = theme.DARK_COLORS, theme.dark_palette().color(QPalette.ColorRole.Base)
    for name in ("wait_amber", "wait_red", "muted", "link", "info", "success", "error", "price"):
        assert contrast(getattr(dark, name), base) >= 4.5, name
    assert contrast(dark.bubble_text, dark.buyer_bubble) >= 7
    assert contrast(dark.bubble_text, dark.agent_bubble) >= 7
    assert contrast(dark.bubble_text, dark.card_bg) >= 7
    assert contrast(dark.badge_fg, dark.badge_bg) >= 4.5
    assert contrast(dark.muted, dark.selected_bg) >= 4.5
    palette = theme.dark_palette()
    assert (
        contrast(
            palette.color(QPalette.ColorRole.HighlightedText), palette.color(QPalette.ColorRole.Highlight)
        )
        >= 4.5
    )


def test_wait_colours_follow_the_theme(qapp) -> None:
    palette = QPalette()
    assert wait_colour(WaitLevel.RED, palette, False) == RED
    theme.apply_theme(qapp, "dark")
    assert wait_colour(WaitLevel.RED, palette, False) == theme.DARK_COLORS.wait_red
    assert wait_colour(WaitLevel.AMBER, palette, False) == theme.DARK_COLORS.wait_amber
    assert wait_colour(WaitLevel.OK, palette, False) == theme.DARK_COLORS.muted
    assert theme.DARK_COLORS.wait_red != RED and theme.DARK_COLORS.wait_amber != AMBER
    assert status_colour("delivered", theme.colors()) == theme.DARK_COLORS.success


def colours_of(image: QImage) -> set[int]:
    return {image.pixel(x, y) for x in range(image.width()) for y in range(image.height())}


def test_conversation_list_paints_in_dark_colours(qtbot, qapp) -> None:
    theme.apply_theme(qapp, "dark")
    view, model = build_view(360)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    try:
        colours = colours_of(view.grab().toImage())
    finally:
        model.close()
    dark = theme.DARK_COLORS
    assert {dark.wait_red.rgb(), dark.wait_amber.rgb(), dark.unread_bg.rgb()} <= colours
    assert RED.rgb() not in colours  # nothing left over from the light theme
    assert theme.dark_palette().color(QPalette.ColorRole.Base).rgb() in colours


def paint_row(view, row: int, *, selected: bool) -> QImage:
    image = QImage(360, ROW_HEIGHT, QImage.Format.Format_ARGB32)
    image.fill(view.palette().color(QPalette.ColorRole.Base))
    option = QStyleOptionViewItem()
    option.rect = QRect(0, 0, 360, ROW_HEIGHT)
    option.font = view.font()
    option.palette = view.palette()
    option.widget = view
    option.state = QStyle.StateFlag.State_Enabled | (
        QStyle.StateFlag.State_Selected if selected else QStyle.StateFlag.State_None
    )
    painter = QPainter(image)
    try:
        view.itemDelegate().paint(painter, option, view.model().index(row))
    finally:
        painter.end()
    return image


@pytest.mark.parametrize("name", ["light", "dark"])
@pytest.mark.parametrize("level", [WaitLevel.AMBER, WaitLevel.RED])
def test_selected_waiting_row_keeps_a_readable_timer(qtbot, qapp, name: str, level: WaitLevel) -> None:
    """Amber or red on the selection colour is unreadable: a selected waiting row puts its timer on a chip."""
    theme.apply_theme(qapp, name)
    view, model = build_view(360)
    qtbot.addWidget(view)
    try:
        row = next(
            r for r in range(model.rowCount()) if model.index(r).data(ConversationRole.WAIT_LEVEL) is level
        )
        timer_area = [(x, y) for x in range(280, 352) for y in range(10, 32)]
        selected = paint_row(view, row, selected=True)
        plain = paint_row(view, row, selected=False)
    finally:
        model.close()
    chip, wait = theme.colors().card_bg.rgb(), wait_colour(level, view.palette(), True).rgb()
    assert chip in {selected.pixel(x, y) for x, y in timer_area}
    assert wait in {selected.pixel(x, y) for x, y in timer_area}
    assert wait in {plain.pixel(x, y) for x, y in timer_area}
    assert chip not in {plain.pixel(x, y) for x, y in timer_area} or name == "light"  # white on white


def test_chat_bubbles_paint_in_dark_colours(qtbot, qapp) -> None:
    theme.apply_theme(qapp, "dark")
    view, _model = render_chat.build_view(420, 900)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    colours = colours_of(view.grab().toImage())
    dark = theme.DARK_COLORS
    assert {dark.buyer_bubble.rgb(), dark.agent_bubble.rgb(), dark.error.rgb()} <= colours
    assert theme.LIGHT_COLORS.agent_bubble.rgb() not in colours


def test_customer_panel_restyles_when_the_theme_changes(qtbot, qapp) -> None:
    panel = CustomerPanel()
    qtbot.addWidget(panel)
    assert theme.LIGHT_COLORS.badge_bg.name() in panel.styleSheet()
    theme.apply_theme(qapp, "dark")
    assert theme.DARK_COLORS.badge_bg.name() in panel.styleSheet()
    assert theme.DARK_COLORS.muted.name() in panel.styleSheet()
    theme.apply_theme(qapp, "light")
    assert theme.LIGHT_COLORS.badge_bg.name() in panel.styleSheet()
