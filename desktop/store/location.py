"""Where the cache of one agent login lives: one SQLite file per server + shop + user."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

from desktop import paths

PREFIX_CHARS: Final = 48
SUFFIX: Final = ".sqlite3"
_UNSAFE: Final = re.compile(r"[^0-9A-Za-z._-]+")


def _normalise_server(server_url: str) -> str:
    """The same server however its URL is written: scheme and host in lower case, no trailing slash."""
    parts = urlsplit(server_url.strip())
    if not parts.scheme or not parts.netloc:
        return server_url.strip()
    path = parts.path.rstrip("/")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"


def _readable(text: str) -> str:
    """An ASCII, file-name-safe rendering of ``text`` (non-ASCII letters dropped, runs of others to ``-``)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", ascii_text).strip("-._")


def store_path(server_url: str, shop: str, username: str, data_dir: Path | None = None) -> Path:
    """The cache file of ``username`` at ``shop`` on ``server_url``, under ``data_dir`` (default: data dir).

    The name is a readable prefix (host, shop, user, ASCII only, shortened) plus a hash of all three, so
    it is stable, unique per login, safe on every file system, and still tells a person whose it is::

        shop.example.cn-xiaolu-aqi-3f9c0a1b2d4e6f70.sqlite3

    Shop and user names are compared exactly (a user ``Aqi`` is not ``aqi``); the server URL is normalised
    (scheme and host case, trailing slash). Nothing is created here.
    """
    server = _normalise_server(server_url)
    digest = hashlib.sha256("\x00".join((server, shop, username)).encode("utf-8")).hexdigest()[:16]
    host = urlsplit(server).hostname or server
    prefix = "-".join(part for part in map(_readable, (host, shop, username)) if part)[:PREFIX_CHARS]
    name = f"{prefix.strip('-._')}-{digest}" if prefix.strip("-._") else digest
    return (data_dir if data_dir is not None else paths.data_dir()) / f"{name}{SUFFIX}"
