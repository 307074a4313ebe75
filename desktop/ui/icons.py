"""ShopDesk's icons: hand-drawn SVGs in ``resources/icons``, recoloured for the theme, sharp on HiDPI.

The line icons are drawn with ``stroke="currentColor"`` (24x24 viewBox, 2 px strokes), which browsers and
editors understand but Qt cannot be told the value of. So the loader reads the SVG text, replaces
``currentColor`` with a real colour (by default the palette's text colour, which :mod:`desktop.ui.theme`
sets), and renders it with :class:`QSvgRenderer` into pixmaps at 1x and 2x device pixel ratio. The app
logo (``app``) has its own colours and is never recoloured.

::

    button.setIcon(icons.icon("send"))
    window.setWindowIcon(icons.app_icon())

Icons are built once per (name, colour) and their pixmaps once per (name, colour, size, ratio). An icon
made before a theme switch keeps its old colour: set it again on ``theme.notifier().changed``.
"""

from __future__ import annotations

from functools import cache
from typing import Final

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from desktop.paths import resources_dir

PLACEHOLDER: Final = "currentColor"
APP_ICON: Final = "app"
ICON_NAMES: Final = (
    APP_ICON,
    "send",
    "image",
    "quick-reply",
    "detach",
    "attach",
    "settings",
    "search",
    "transfer",
    "close-chat",
    "accept",
    "customer-panel",
    "bell",
    "sound-on",
    "sound-off",
    "help",
    "about",
    "log-folder",
)
SIZES: Final = (16, 20, 24, 32, 48)
APP_SIZES: Final = (16, 24, 32, 48, 64, 128, 256)
RATIOS: Final = (1.0, 2.0)

_icons: dict[tuple[str, str], QIcon] = {}
_pixmaps: dict[tuple[str, str, int, float], QPixmap] = {}


def icon_path(name: str) -> str:
    _check(name)
    return str(resources_dir() / "icons" / f"{name}.svg")


def _check(name: str) -> None:
    if name not in ICON_NAMES:
        raise KeyError(f"unknown icon {name!r}; known icons: {', '.join(sorted(ICON_NAMES))}")


@cache
def _svg_text(name: str) -> str:
    with open(icon_path(name), encoding="utf-8") as file:
        return file.read()


def svg_data(name: str, colour: QColor | str | None = None) -> bytes:
    """The SVG of ``name`` with its placeholder colour replaced (``app`` is returned as it is)."""
    text = _svg_text(name)
    if name != APP_ICON:
        text = text.replace(PLACEHOLDER, _colour_name(colour))
    return text.encode("utf-8")


def text_colour() -> QColor:
    """The colour line icons take by default: the application palette's text colour (theme-aware)."""
    if QGuiApplication.instance() is None:
        return QColor("#000000")
    return QGuiApplication.palette().color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText)


def _colour_name(colour: QColor | str | None) -> str:
    value = text_colour() if colour is None else QColor(colour)
    if not value.isValid():
        raise ValueError(f"not a colour: {colour!r}")
    return value.name(QColor.NameFormat.HexRgb)


def pixmap(name: str, size: int, *, ratio: float = 1.0, colour: QColor | str | None = None) -> QPixmap:
    """``name`` as a ``size`` x ``size`` pixmap (logical pixels) for a screen of pixel ratio ``ratio``."""
    _check(name)
    key = (name, "" if name == APP_ICON else _colour_name(colour), size, ratio)
    cached = _pixmaps.get(key)
    if cached is None:
        cached = _pixmaps[key] = _render(svg_data(name, key[1] or None), size, ratio)
    return cached


def _render(data: bytes, size: int, ratio: float) -> QPixmap:
    renderer = QSvgRenderer(QByteArray(data))
    side = max(1, round(size * ratio))
    image = QImage(side, side, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    result = QPixmap.fromImage(image)
    result.setDevicePixelRatio(ratio)
    return result


def icon(name: str, colour: QColor | str | None = None) -> QIcon:
    """The icon ``name`` (one of :data:`ICON_NAMES`) in ``colour`` (default: the theme's text colour).

    Raises KeyError for an unknown name.
    """
    _check(name)
    key = (name, "" if name == APP_ICON else _colour_name(colour))
    cached = _icons.get(key)
    if cached is None:
        cached = QIcon()
        for size in APP_SIZES if name == APP_ICON else SIZES:
            for ratio in RATIOS:
                cached.addPixmap(pixmap(name, size, ratio=ratio, colour=key[1] or None))
        _icons[key] = cached
    return QIcon(cached)


def app_icon() -> QIcon:
    """ShopDesk's logo, in colour: for windows, the tray and the About dialog."""
    return icon(APP_ICON)


def clear_cache() -> None:
    """Forget rendered icons (and re-read the SVG files next time)."""
    _icons.clear()
    _pixmaps.clear()
    _svg_text.cache_clear()
