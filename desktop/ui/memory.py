"""Giving freed memory back to the system after big objects go (closed chat panes).

glibc keeps freed heap pages for reuse; after a few dozen panes were built and deleted, about 45 MB stayed
with the process though nothing used it (measured by bench/workbench.py). ``malloc_trim(0)`` returns those
pages. Other C libraries and systems have no such call: then this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys
import time

log = logging.getLogger(__name__)

MIN_INTERVAL_S = 5.0
_last = 0.0
_trim: object | None = None


def _malloc_trim() -> object | None:
    global _trim
    if _trim is None and sys.platform.startswith("linux"):
        name = ctypes.util.find_library("c")
        try:
            libc = ctypes.CDLL(name or "libc.so.6")
            _trim = libc.malloc_trim
        except (OSError, AttributeError):
            _trim = False
    return _trim or None


def release_freed_memory(*, force: bool = False) -> bool:
    """Return freed heap memory to the system (at most every few seconds); True when it was tried."""
    global _last
    now = time.monotonic()
    if not force and now - _last < MIN_INTERVAL_S:
        return False
    trim = _malloc_trim()
    if trim is None:
        return False
    _last = now
    trim(0)  # type: ignore[operator]
    return True
