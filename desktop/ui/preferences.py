"""The agent's preferences that this version has (the full declared registry comes with the settings dialog).

Kept in ``settings.ini`` in the config folder, apart from window state.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from desktop.paths import config_dir, ensure_private_dir

FILE_NAME = "settings.ini"


class Preferences:
    def __init__(self, path: Path | None = None) -> None:
        if path is None:
            path = ensure_private_dir(config_dir()) / FILE_NAME
        self.path = path
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    @property
    def enter_sends(self) -> bool:
        """True: Enter sends and Shift+Enter breaks the line; False: Ctrl+Enter sends."""
        return bool(self._settings.value("composer/enter_sends", True, type=bool))

    @enter_sends.setter
    def enter_sends(self, value: bool) -> None:
        self._settings.setValue("composer/enter_sends", value)
        self._settings.sync()

    @property
    def last_login(self) -> dict[str, str]:
        """The server, shop and user name of the last successful login (never the password)."""
        return {
            key: str(self._settings.value(f"login/{key}", "", type=str))
            for key in ("url", "shop", "username")
        }

    def remember_login(self, url: str, shop: str, username: str) -> None:
        for key, value in (("url", url), ("shop", shop), ("username", username)):
            self._settings.setValue(f"login/{key}", value)
        self._settings.sync()
