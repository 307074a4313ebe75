"""The look: light, dark, or whatever the system uses.

:func:`apply_theme` sets three things together, so that they never disagree:

- a :class:`QPalette` (Fusion style), which every standard widget paints with;
- the style sheet ``resources/themes/<light|dark>.qss`` for the few named widgets that need more;
- :func:`colors`, the semantic colours that the hand-painted delegates read **at paint time** (wait timers,
  badges, chat bubbles, cards, separators, links).

``"system"`` follows ``QStyleHints.colorScheme()`` and is re-applied when the system switches
(``colorSchemeChanged``). Widgets that build their own style sheet from :func:`colors` rebuild it on
``QEvent.StyleChange`` (every switch re-sets the application style sheet); anything else can listen to
``notifier().changed``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette, QStyleHints
from PySide6.QtWidgets import QApplication

from desktop.paths import resources_dir

log = logging.getLogger(__name__)

THEME_NAMES: Final = ("light", "dark", "system")


# ---------------------------------------------------------------------------------- semantic colours


@dataclass(frozen=True, eq=False)
class ThemeColors:
    """The colours hand-painted widgets use, by meaning. Treat the QColors as read-only."""

    name: str
    wait_amber: QColor  # a buyer has waited long: first warning
    wait_red: QColor  # ... too long
    muted: QColor  # secondary text: previews, dates, labels
    badge_bg: QColor  # the buyer's level badge (VIP3)
    badge_fg: QColor
    unread_bg: QColor  # the unread pill
    unread_fg: QColor
    avatar_fg: QColor  # the initial on a coloured avatar circle
    separator: QColor
    buyer_bubble: QColor
    agent_bubble: QColor
    bubble_text: QColor
    card_bg: QColor  # product and order cards in the chat
    card_border: QColor
    placeholder: QColor  # an image that has not loaded
    price: QColor
    error: QColor  # "send failed", validation errors
    selected_bg: QColor  # a selected row in the side panel lists
    hover_bg: QColor
    accent: QColor
    link: QColor
    info: QColor  # neutral status (paid, shipped)
    success: QColor  # done (delivered)


def _colors(name: str, **hexes: str) -> ThemeColors:
    return ThemeColors(name, **{key: QColor(value) for key, value in hexes.items()})


LIGHT_COLORS: Final = _colors(
    "light",
    wait_amber="#d97706",
    wait_red="#dc2626",
    muted="#8a8f99",
    badge_bg="#fdf0d5",
    badge_fg="#9a5b00",
    unread_bg="#dc2626",
    unread_fg="#ffffff",
    avatar_fg="#ffffff",
    separator="#ececec",
    buyer_bubble="#eef0f3",
    agent_bubble="#cfe6ff",
    bubble_text="#1f2329",
    card_bg="#ffffff",
    card_border="#d0d5dd",
    placeholder="#dde1e6",
    price="#f03e3e",
    error="#e03131",
    selected_bg="#eaf2fe",
    hover_bg="#f6f8fb",
    accent="#3b82f6",
    link="#1f6feb",
    info="#2563eb",
    success="#16a34a",
)

DARK_COLORS: Final = _colors(
    "dark",
    wait_amber="#f5a524",
    wait_red="#ff6b6b",
    muted="#9aa0a8",
    badge_bg="#4a3a17",
    badge_fg="#f6c86a",
    unread_bg="#e5484d",
    unread_fg="#ffffff",
    avatar_fg="#ffffff",
    separator="#34363b",
    buyer_bubble="#33363c",
    agent_bubble="#1f4a80",
    bubble_text="#e6e8eb",
    card_bg="#2c2e33",
    card_border="#464a51",
    placeholder="#3a3d43",
    price="#ff7b7b",
    error="#ff6b6b",
    selected_bg="#1f3558",
    hover_bg="#2c2e33",
    accent="#5b9bff",
    link="#6ea8fe",
    info="#6ea8fe",
    success="#4ade80",
)


# ------------------------------------------------------------------------------------------ palettes


def _palette(
    *,
    window: str,
    window_text: str,
    base: str,
    alternate_base: str,
    text: str,
    button: str,
    light: str,
    midlight: str,
    mid: str,
    dark: str,
    shadow: str,
    highlight: str,
    highlighted_text: str,
    link: str,
    link_visited: str,
    bright_text: str,
    tooltip_base: str,
    tooltip_text: str,
    placeholder: str,
    disabled_text: str,
    disabled_base: str,
    disabled_highlight: str,
) -> QPalette:
    role = QPalette.ColorRole
    palette = QPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive, QPalette.ColorGroup.Disabled):
        for colour_role, value in (
            (role.Window, window),
            (role.WindowText, window_text),
            (role.Base, base),
            (role.AlternateBase, alternate_base),
            (role.Text, text),
            (role.Button, button),
            (role.ButtonText, window_text),
            (role.Light, light),
            (role.Midlight, midlight),
            (role.Mid, mid),
            (role.Dark, dark),
            (role.Shadow, shadow),
            (role.Highlight, highlight),
            (role.HighlightedText, highlighted_text),
            (role.Link, link),
            (role.LinkVisited, link_visited),
            (role.BrightText, bright_text),
            (role.ToolTipBase, tooltip_base),
            (role.ToolTipText, tooltip_text),
            (role.PlaceholderText, placeholder),
            (role.Accent, highlight),
        ):
            palette.setColor(group, colour_role, QColor(value))
    disabled = QPalette.ColorGroup.Disabled
    for colour_role in (role.WindowText, role.Text, role.ButtonText, role.PlaceholderText):
        palette.setColor(disabled, colour_role, QColor(disabled_text))
    palette.setColor(disabled, role.Base, QColor(disabled_base))
    palette.setColor(disabled, role.Highlight, QColor(disabled_highlight))
    palette.setColor(disabled, role.Accent, QColor(disabled_highlight))
    return palette


def light_palette() -> QPalette:
    """Qt's own Fusion light palette, set explicitly so that "light" stays light on a dark desktop."""
    return _palette(
        window="#efefef",
        window_text="#000000",
        base="#ffffff",
        alternate_base="#f7f7f7",
        text="#000000",
        button="#efefef",
        light="#ffffff",
        midlight="#cacaca",
        mid="#b8b8b8",
        dark="#9f9f9f",
        shadow="#767676",
        highlight="#308cc6",
        highlighted_text="#ffffff",
        link="#1f6feb",
        link_visited="#8250df",
        bright_text="#ffffff",
        tooltip_base="#ffffdc",
        tooltip_text="#000000",
        placeholder="#80000000",
        disabled_text="#bebebe",
        disabled_base="#efefef",
        disabled_highlight="#919191",
    )


def dark_palette() -> QPalette:
    return _palette(
        window="#1f2023",
        window_text="#e3e5e8",
        base="#26272b",
        alternate_base="#2c2d31",
        text="#e3e5e8",
        button="#2d2f33",
        light="#44464c",
        midlight="#383a3f",
        mid="#2a2b2f",
        dark="#16171a",
        shadow="#0b0b0c",
        highlight="#2f62c4",
        highlighted_text="#ffffff",
        link="#6ea8fe",
        link_visited="#b197fc",
        bright_text="#ff6b6b",
        tooltip_base="#2d2f33",
        tooltip_text="#e3e5e8",
        placeholder="#80868b",
        disabled_text="#6b6f76",
        disabled_base="#222326",
        disabled_highlight="#45484e",
    )


# ------------------------------------------------------------------------------------------- applying


class ThemeNotifier(QObject):
    """``changed(name)`` after :func:`apply_theme` switched the look (``name`` is "light" or "dark")."""

    changed = Signal(str)


_requested: str = "light"
_resolved: str = "light"
_notifier: ThemeNotifier | None = None
_followed_hints: QStyleHints | None = None


def notifier() -> ThemeNotifier:
    global _notifier
    if _notifier is None:
        _notifier = ThemeNotifier()
    return _notifier


def style_sheet(name: str = "light") -> str:
    path = resources_dir() / "themes" / f"{name}.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("theme %s not found (%s): using Qt's default look", name, exc)
        return ""


def system_theme() -> str:
    """The desktop's colour scheme: "dark" when it says so, else "light" (also when it does not say)."""
    app = QGuiApplication.instance()
    if app is None:
        return "light"
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def current_theme() -> str:
    """The theme in use, resolved: "light" or "dark" (never "system")."""
    return _resolved


def requested_theme() -> str:
    """What was asked for: "light", "dark" or "system"."""
    return _requested


def colors() -> ThemeColors:
    """The semantic colours of the theme in use; read them when painting, not at import."""
    return DARK_COLORS if _resolved == "dark" else LIGHT_COLORS


def apply_theme(app: QApplication, name: str = "light") -> None:
    """Switch ``app`` to ``name`` ("light", "dark" or "system"); widgets repaint with the new colours."""
    global _requested
    if name not in THEME_NAMES:
        raise ValueError(f"unknown theme {name!r} (use one of {', '.join(THEME_NAMES)})")
    _requested = name
    _follow_system_changes()
    _ask_platform(name)
    _apply_resolved(app, system_theme() if name == "system" else name)


def _ask_platform(name: str) -> None:
    """Tell the platform too (Qt >= 6.8), so that native parts follow: window title bars, file dialogs.

    For "system" the request is withdrawn first, or ``colorScheme()`` would report our own last choice.
    """
    hints = QGuiApplication.styleHints()
    if name == "system":
        hints.unsetColorScheme()
    else:
        hints.setColorScheme(Qt.ColorScheme.Dark if name == "dark" else Qt.ColorScheme.Light)


def _apply_resolved(app: QApplication, resolved: str) -> None:
    global _resolved
    _resolved = resolved
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if resolved == "dark" else light_palette())
    app.setStyleSheet(style_sheet(resolved))
    notifier().changed.emit(resolved)


def _follow_system_changes() -> None:
    global _followed_hints
    if QGuiApplication.instance() is None:
        return
    hints = QGuiApplication.styleHints()
    if hints is not _followed_hints:  # once per application
        hints.colorSchemeChanged.connect(_system_scheme_changed)
        _followed_hints = hints


def _system_scheme_changed(_scheme: Qt.ColorScheme) -> None:
    app = QApplication.instance()
    if _requested != "system" or not isinstance(app, QApplication):
        return
    resolved = system_theme()
    if resolved != _resolved:
        log.info("the system switched to a %s colour scheme", resolved)
        _apply_resolved(app, resolved)
