"""The agent's settings, kept in ``settings.ini`` in the config folder (window state lives elsewhere).

A thin :class:`QSettings` (INI) wrapper around the declared registry in
:mod:`desktop.core.settings_registry`: every value is read through the registry (bad or missing → default)
and written through it (wrong type, out of range or unknown key → an exception, since that is a bug in
the caller). Whoever cares about a setting connects to :attr:`Preferences.changed`, which fires only when
a value really changes, whether the settings dialog, a menu action or :meth:`Preferences.reset` changed it.

On opening, a file from an older version is upgraded with the registry's migrations and stamped with the
current version (``meta/version``); values that cannot be read are dropped so their defaults apply. A file
from a *newer* ShopDesk is read as far as this version understands it and left at its version: going back
to the newer program must not lose anything.

The last login (server, shop, user name; never a password or token) is kept here too, outside the
registry: it is remembered state, not something the agent edits in the dialog.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

from desktop.core import settings_registry as registry
from desktop.core.settings_registry import InvalidValue, SettingValue
from desktop.paths import config_dir, ensure_private_dir

log = logging.getLogger(__name__)

FILE_NAME = "settings.ini"
LOGIN_KEYS = ("url", "shop", "username")


class Preferences(QObject):
    """Typed access to ``settings.ini``; ``changed(key, value)`` after any real change of a setting."""

    changed = Signal(str, object)

    def __init__(self, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if path is None:
            path = ensure_private_dir(config_dir()) / FILE_NAME
        self.path = path
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)
        self.file_version = self._open()

    # --- the registry's settings ---------------------------------------------------------------------

    def get(self, key: str) -> SettingValue:
        """The value of ``key`` (the default when unset or unreadable); KeyError for an unknown key."""
        registry.setting(key)
        return self.values()[key]

    def values(self) -> dict[str, SettingValue]:
        """Every declared setting's current value, in declaration order."""
        return registry.coerce_all(self._declared(), warn=False)

    def set(self, key: str, value: SettingValue) -> None:
        """Store one setting; see :meth:`update`."""
        self.update({key: value})

    def update(self, changes: Mapping[str, SettingValue]) -> None:
        """Store several settings at once, checked together (the wait thresholds must fit each other even
        while both change), then emit ``changed`` for each value that really changed.

        Raises KeyError for an unknown key and :class:`InvalidValue` (a ValueError) for a value the setting
        cannot hold or a combination the registry forbids; nothing is written then.
        """
        checked = {key: registry.validate(registry.setting(key), value) for key, value in changes.items()}
        before = self.values()
        broken = registry.broken_constraints({**before, **checked})
        if broken:
            raise InvalidValue(broken[0].message)
        for key, value in checked.items():
            if value != before[key]:
                self._settings.setValue(key, value)
        self._sync()
        self._announce(before)

    def reset(self, key: str) -> None:
        """Forget the stored value of ``key`` so its default applies; KeyError for an unknown key."""
        registry.setting(key)
        before = self.values()
        self._settings.remove(key)
        self._sync()
        self._announce(before)

    # --- the API the app had before the registry -----------------------------------------------------

    @property
    def enter_sends(self) -> bool:
        """True: Enter sends and Shift+Enter breaks the line; False: Ctrl+Enter sends."""
        return bool(self.get("composer/enter_sends"))

    @enter_sends.setter
    def enter_sends(self, value: bool) -> None:
        self.set("composer/enter_sends", bool(value))

    @property
    def last_login(self) -> dict[str, str]:
        """The server, shop and user name of the last successful login (never the password)."""
        return {key: str(self._settings.value(f"login/{key}", "", type=str)) for key in LOGIN_KEYS}

    def remember_login(self, url: str, shop: str, username: str) -> None:
        for key, value in zip(LOGIN_KEYS, (url, shop, username), strict=True):
            self._settings.setValue(f"login/{key}", value)
        self._sync()

    # --- inside --------------------------------------------------------------------------------------

    def _declared(self) -> dict[str, object]:
        return {s.key: self._settings.value(s.key) for s in registry.SETTINGS}

    def _announce(self, before: Mapping[str, SettingValue]) -> None:
        after = self.values()
        for key in registry.changed_keys(before, after):
            self.changed.emit(key, after[key])

    def _sync(self) -> None:
        self._settings.sync()
        if self._settings.status() != QSettings.Status.NoError:
            log.warning("could not write the settings file %s (%s)", self.path, self._settings.status().name)

    def _open(self) -> int:
        """Upgrade the file to this version's schema; returns the version the file has afterwards."""
        version = registry.stored_version(self._settings.value(registry.VERSION_KEY))
        if version > registry.VERSION:
            log.warning(
                "%s was written by a newer ShopDesk (settings version %d, this one knows %d): "
                "reading what this version understands, leaving the file as it is",
                self.path,
                version,
                registry.VERSION,
            )
            registry.coerce_all(self._declared())  # logs, once, anything this version cannot read
            return version
        stored = {key: self._settings.value(key) for key in self._settings.allKeys()}
        stored.pop(registry.VERSION_KEY, None)
        upgraded = registry.migrate(stored, version)
        for key in stored.keys() - upgraded.keys():
            self._settings.remove(key)
        for key, value in upgraded.items():
            if key not in stored or stored[key] != value:
                self._settings.setValue(key, value)
        self._drop_unreadable(upgraded)
        if version != registry.VERSION:
            self._settings.setValue(registry.VERSION_KEY, registry.VERSION)
        self._sync()
        return registry.VERSION

    def _drop_unreadable(self, stored: Mapping[str, object]) -> None:
        """Remove values the registry cannot use (logged once by ``coerce_all``), so the defaults apply and
        the warning does not come back on every start."""
        values = registry.coerce_all(stored)
        for s in registry.SETTINGS:
            if s.key not in stored:
                continue
            try:
                usable = registry.parse(s, stored[s.key]) == values[s.key]
            except InvalidValue:
                usable = False
            if not usable:
                self._settings.remove(s.key)
