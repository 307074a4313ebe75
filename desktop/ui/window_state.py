"""Where windows and splitters were, kept apart from settings (a file of its own, versioned).

Geometry and splitter positions change every time the agent drags something; they are not preferences and
must never make the settings file noisy, so they live in ``window-state.ini`` in the config folder. A bump of
:data:`VERSION` drops state saved by an older layout instead of restoring something that no longer fits.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from desktop.paths import config_dir, ensure_private_dir

VERSION = 1
FILE_NAME = "window-state.ini"


class WindowState:
    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            path = ensure_private_dir(config_dir()) / FILE_NAME
        self.path = path
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)
        if self._settings.value("version", 0, type=int) != VERSION:
            self._settings.clear()
            self._settings.setValue("version", VERSION)

    def bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_bytes(self, key: str, value: QByteArray) -> None:
        self._settings.setValue(key, value)

    def text(self, key: str, default: str = "") -> str:
        return str(self._settings.value(key, default, type=str))

    def set_text(self, key: str, value: str) -> None:
        self._settings.setValue(key, value)

    def sync(self) -> None:
        self._settings.sync()
