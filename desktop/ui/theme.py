"""The look: one style sheet from ``resources/themes`` (light for now; dark and "follow system" come with
the settings dialog)."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QApplication

from desktop.paths import resources_dir

log = logging.getLogger(__name__)


def style_sheet(name: str = "light") -> str:
    path = resources_dir() / "themes" / f"{name}.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        log.warning("theme %s not found (%s): using Qt's default look", name, exc)
        return ""


def apply_theme(app: QApplication, name: str = "light") -> None:
    app.setStyle("Fusion")
    app.setStyleSheet(style_sheet(name))
