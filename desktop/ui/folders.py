"""Opening a folder in the system's file manager (Explorer, Finder, Files): Help → 日志文件夹, About.

::

    open_folder(paths.log_dir())    # or open_log_folder() / open_data_folder()
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from desktop import paths

log = logging.getLogger(__name__)


def open_folder(path: Path) -> bool:
    """Show ``path`` in the file manager, creating it first (owner-only) when missing; False on failure."""
    try:
        if not path.is_dir():
            paths.ensure_private_dir(path)
    except OSError as exc:
        log.warning("cannot create the folder %s: %s", path, exc)
        return False
    if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.absolute()))):
        log.warning("the system could not open the folder %s", path)
        return False
    return True


def open_log_folder() -> bool:
    """The folder of ``shopdesk.log`` and the crash reports."""
    return open_folder(paths.log_dir())


def open_data_folder() -> bool:
    """The folder of the local databases (one per agent login)."""
    return open_folder(paths.data_dir())
