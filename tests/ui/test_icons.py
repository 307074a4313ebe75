"""Icons: every SVG valid and loading at every size, line icons in the theme's text colour, HiDPI pixmaps."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from PySide6.QtCore import QByteArray, QSize
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from desktop.paths import resources_dir
from desktop.ui import icons, theme

pytestmark = pytest.mark.gui
LINE_ICONS = [name for name in icons.ICON_NAMES if name != icons.APP_ICON]


@pytest.fixture(autouse=True)
def fresh_icons(qapp: QApplication) -> Iterator[None]:
    sheet, palette = qapp.styleSheet(), QPalette(qapp.palette())
    icons.clear_cache()
    yield
    icons.clear_cache()
    if theme.current_theme() != "light":
        theme.apply_theme(qapp, "light")
        qapp.setStyleSheet(sheet)
        qapp.setPalette(palette)


def test_every_file_is_declared_and_every_name_has_a_file() -> None:
    files = {path.stem for path in (resources_dir() / "icons").glob("*.svg")}
    assert files == set(icons.ICON_NAMES)


@pytest.mark.parametrize("name", icons.ICON_NAMES)
def test_svg_is_valid_24x24(name: str) -> None:
    with open(icons.icon_path(name), encoding="utf-8") as file:
        text = file.read()
    root = ElementTree.fromstring(text)
    assert root.get("viewBox") == "0 0 24 24"
    assert QSvgRenderer(QByteArray(text.encode())).isValid()
    assert QSvgRenderer(QByteArray(icons.svg_data(name, "#336699"))).isValid()
    if name == icons.APP_ICON:
        assert icons.PLACEHOLDER not in text  # the logo has its own colours
    else:
        assert icons.PLACEHOLDER in text
        assert root.get("stroke") == icons.PLACEHOLDER and root.get("fill") == "none"  # one line style


@pytest.mark.parametrize("name", icons.ICON_NAMES)
def test_icon_loads_at_every_size(name: str) -> None:
    icon = icons.icon(name)
    assert not icon.isNull()
    for size in (16, 24, 32):
        pixmap = icon.pixmap(QSize(size, size))
        assert not pixmap.isNull()
        assert pixmap.deviceIndependentSize().toSize() == QSize(size, size)
        image = pixmap.toImage()
        assert any(
            image.pixelColor(x, y).alpha() > 0 for x in range(image.width()) for y in range(image.height())
        )


def test_hidpi_pixmaps_are_rendered_at_twice_the_pixels() -> None:
    pixmap = icons.pixmap("send", 24, ratio=2.0)
    assert pixmap.devicePixelRatio() == 2.0
    assert pixmap.size() == QSize(48, 48)
    assert pixmap.deviceIndependentSize().toSize() == QSize(24, 24)
    hidpi = icons.icon("send").pixmap(QSize(24, 24), 2.0)
    assert hidpi.size() == QSize(48, 48)


def test_unknown_names_list_the_known_ones() -> None:
    with pytest.raises(KeyError, match="sound-off"):
        icons.icon("no-such-icon")
    with pytest.raises(KeyError):
        icons.pixmap("../app", 16)


def opaque_colours(image: QImage) -> set[str]:
    return {
        image.pixelColor(x, y).name()
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() == 255
    }


@pytest.mark.parametrize("name", LINE_ICONS)
def test_line_icons_take_the_requested_colour(name: str) -> None:
    assert opaque_colours(icons.pixmap(name, 32, colour="#ff0000").toImage()) == {"#ff0000"}


def test_recolouring_follows_the_theme(qapp) -> None:
    theme.apply_theme(qapp, "light")
    light = icons.icon("search").pixmap(QSize(32, 32)).toImage()
    theme.apply_theme(qapp, "dark")
    dark = icons.icon("search").pixmap(QSize(32, 32)).toImage()
    assert light != dark
    dark_text = qapp.palette().color(QPalette.ColorRole.WindowText).name()
    assert opaque_colours(dark) == {dark_text}
    assert QColor(dark_text).lightness() > 200
    assert all(QColor(c).lightness() < 60 for c in opaque_colours(light))


def test_app_icon_keeps_its_colours(qapp) -> None:
    light = icons.app_icon().pixmap(QSize(64, 64)).toImage()
    theme.apply_theme(qapp, "dark")
    dark = icons.app_icon().pixmap(QSize(64, 64)).toImage()
    assert light == dark
    assert len(opaque_colours(light)) > 10  # a coloured logo, not a one-colour glyph
    assert not icons.app_icon().pixmap(QSize(256, 256)).isNull()


def test_icons_are_cached() -> None:
    assert icons.pixmap("bell", 24).cacheKey() == icons.pixmap("bell", 24).cacheKey()
    assert icons.pixmap("bell", 24, colour="#ff0000").cacheKey() != icons.pixmap("bell", 24).cacheKey()
