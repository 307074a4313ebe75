"""Where ShopDesk keeps its configuration, data, logs and cache.

By default the platform's per-user folders (platformdirs, app name "ShopDesk"), for example:

- config: ``~/.config/ShopDesk``, ``%LOCALAPPDATA%\\ShopDesk``, ``~/Library/Application Support/ShopDesk``
- data: ``~/.local/share/ShopDesk``, ``%LOCALAPPDATA%\\ShopDesk``, ``~/Library/Application Support/ShopDesk``
- logs: ``~/.local/state/ShopDesk/log``, ``%LOCALAPPDATA%\\ShopDesk\\Logs``, ``~/Library/Logs/ShopDesk``
- cache: ``~/.cache/ShopDesk``, ``%LOCALAPPDATA%\\ShopDesk\\Cache``, ``~/Library/Caches/ShopDesk``

(Linux honours the ``XDG_*_HOME`` variables.)

Setting ``SHOPDESK_HOME`` puts all four under one folder instead (``<home>/config``, ``<home>/data``,
``<home>/logs``, ``<home>/cache``): for a portable install, a second profile, a demo, and the tests (which
point it into their temporary folder so they never touch the real user's files).

The functions only compute paths; :func:`ensure_private_dir` creates one readable by its owner alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "ShopDesk"
HOME_ENV = "SHOPDESK_HOME"


def shopdesk_home() -> Path | None:
    """The folder named by ``SHOPDESK_HOME`` (absolute, ``~`` expanded), or None when it is unset or empty."""
    value = os.environ.get(HOME_ENV, "").strip()
    if not value:
        return None
    return Path(value).expanduser().absolute()


def config_dir() -> Path:
    """Settings the user chose (and window state)."""
    home = shopdesk_home()
    if home is not None:
        return home / "config"
    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """The local SQLite databases, one per agent login."""
    home = shopdesk_home()
    if home is not None:
        return home / "data"
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def log_dir() -> Path:
    """The rotating log files (``shopdesk.log``)."""
    home = shopdesk_home()
    if home is not None:
        return home / "logs"
    return platformdirs.user_log_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    """Anything that can be thrown away and rebuilt (avatars, thumbnails)."""
    home = shopdesk_home()
    if home is not None:
        return home / "cache"
    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) and make the folder itself accessible to its owner only (0700).

    Parents that already exist are left as they are; on Windows the mode is not applied (the per-user
    profile folders are private already).
    """
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name == "posix":
        path.chmod(0o700)
    return path


def resources_dir() -> Path:
    """The top-level ``resources/`` folder: next to the package in a checkout, inside a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"
