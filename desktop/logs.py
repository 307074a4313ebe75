"""Logging set-up: a per-user rotating log file, a console, and secrets scrubbed from both.

``setup_logging()`` is called once at start-up (calling it again replaces what it installed, it never
doubles handlers). Every handler it installs gets a :class:`RedactingFilter` and a
:class:`RedactingFormatter`; together they make sure tokens and passwords never reach a log line:

- ``"token": "..."``, ``'password': '...'``, ``token=...``, ``password: ...`` (keys ending in ``token``,
  ``password``, ``passwd``, ``secret``, ``api_key``, and ``authorization``, any case), whether JSON, a dict
  or a dataclass repr, or a query string;
- ``Authorization: Bearer ...`` / ``Basic ...`` credentials, and ``Bearer ...`` on its own;
- any exact value registered at run time with :func:`register_secret` (the current token, the password
  being sent), also in its JSON-escaped, repr-escaped and URL-encoded forms.

Each becomes ``***``. The formatter scrubs its *final output*, so the message, its arguments, exception
tracebacks and stack traces are all covered, whatever the record holds.
"""

from __future__ import annotations

import io
import json
import logging
import logging.handlers
import os
import re
import sys
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from desktop import paths

__all__ = [
    "LOG_FILE_NAME",
    "REDACTED",
    "RedactingFilter",
    "RedactingFormatter",
    "clear_secrets",
    "redact",
    "register_secret",
    "reset_logging",
    "set_level",
    "setup_logging",
    "unregister_secret",
]

LOG_FILE_NAME = "shopdesk.log"
REDACTED = "***"
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_BACKUP_COUNT = 5

FILE_FORMAT = "%(asctime)s %(levelname)-8s %(name)s [%(threadName)s] %(message)s"
CONSOLE_FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"

# ------------------------------------------------------------------------------------------ redaction

# A key that names a credential: access_token, refreshToken, client_secret, db.password, X-Api-Key, ...
_SECRET_KEY = r"[\w.-]{0,40}?(?:token|password|passwd|secret|api[_-]?key|authorization)"
# A quote may itself be escaped, as in JSON inside a JSON string: {\"token\": \"...\"}.
_OPEN_QUOTE = r"""(?P<q>\\?["']|)"""
_QUOTED = "|".join(
    [
        r'\\"(?:[^"\\]|\\\\(?:\\\\|\\"|[^"\\]))*\\"',  # \"...\": a string inside a JSON string
        r'"(?:[^"\\]|\\.)*"',
        r"'(?:[^'\\]|\\.)*'",
    ]
)
# Unquoted values end at whitespace, a separator (query string, JSON, repr) or a closing bracket.
_BARE = r"""[^\s,;&'"(){}\[\]<>]+"""

_KEY_VALUE = re.compile(
    rf"(?P<key>{_OPEN_QUOTE}\b{_SECRET_KEY}(?P=q)\s*[:=]\s*)"
    rf"(?P<value>(?:(?:bearer|basic)\s+)?(?:{_QUOTED}|{_BARE}))",
    re.IGNORECASE,
)
_SECRET_KEY_NAME = re.compile(_SECRET_KEY, re.IGNORECASE)
# "Bearer <credential>" anywhere, e.g. a header dump without the "Authorization:" key.
_BEARER = re.compile(r"\b(?P<scheme>bearer)(?P<space>\s+)[A-Za-z0-9\-._~+/]+=*", re.IGNORECASE)
_QUOTE_TOKENS = ('\\"', '"', "'")

_secrets_lock = threading.Lock()
_secrets: set[str] = set()
_secrets_pattern: re.Pattern[str] | None = None


def _replace_key_value(match: re.Match[str]) -> str:
    value = match.group("value")
    for mark in _QUOTE_TOKENS:
        if len(value) >= 2 * len(mark) and value.startswith(mark) and value.endswith(mark):
            return f"{match.group('key')}{mark}{REDACTED}{mark}"
    return f"{match.group('key')}{REDACTED}"


def redact(text: str) -> str:
    """``text`` with every registered secret and every recognised credential replaced by ``***``."""
    pattern = _secrets_pattern
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    text = _BEARER.sub(rf"\g<scheme>\g<space>{REDACTED}", text)
    return _KEY_VALUE.sub(_replace_key_value, text)


def _variants(secret: str) -> Iterable[str]:
    yield secret
    yield json.dumps(secret)[1:-1]
    yield json.dumps(secret, ensure_ascii=False)[1:-1]
    yield repr(secret)[1:-1]
    yield quote(secret, safe="")


def _rebuild_pattern() -> None:
    global _secrets_pattern
    values = {variant for secret in _secrets for variant in _variants(secret) if variant.strip()}
    if not values:
        _secrets_pattern = None
        return
    # Longest first, so that a secret containing another one is replaced whole.
    alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    _secrets_pattern = re.compile(alternatives)


def register_secret(value: str) -> None:
    """Scrub this exact value from all log output from now on (blank values are ignored)."""
    if not value.strip():
        return
    with _secrets_lock:
        if value not in _secrets:
            _secrets.add(value)
            _rebuild_pattern()


def unregister_secret(value: str) -> None:
    """Stop scrubbing ``value`` (e.g. a token after logout); unknown values are ignored."""
    with _secrets_lock:
        if value in _secrets:
            _secrets.discard(value)
            _rebuild_pattern()


def clear_secrets() -> None:
    """Forget every registered secret."""
    with _secrets_lock:
        _secrets.clear()
        _rebuild_pattern()


class RedactingFilter(logging.Filter):
    """Scrubs the record itself, for any handler it is attached to, whatever that handler's formatter.

    Values of credential-named keys in mapping arguments are replaced first. The message is then
    rendered (``msg % args``) and, only when something had to be scrubbed, replaced by the
    scrubbed text with no arguments left. Exception and stack text is rendered and scrubbed into
    ``exc_text`` / ``stack_info``, which standard formatters reuse. Records are shared between handlers,
    so handlers that run after this one see the scrubbed record too. Never rejects a record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, Mapping):  # log.info("%(user)s: %(password)s", {...})
            record.args = {
                key: REDACTED if isinstance(key, str) and _SECRET_KEY_NAME.fullmatch(key) else value
                for key, value in record.args.items()
            }
        try:
            message = record.getMessage()
        except Exception:
            # A broken log call (wrong number of args): leave it to the formatter, which reports it
            # through Handler.handleError instead of raising into the caller.
            return True
        scrubbed = redact(message)
        if scrubbed != message:
            record.msg = scrubbed
            record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _plain_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class RedactingFormatter(logging.Formatter):
    """A formatter whose whole output (message, traceback, stack) goes through :func:`redact`."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


_plain_formatter = logging.Formatter()

# ------------------------------------------------------------------------------------------- handlers


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A RotatingFileHandler whose files are created readable and writable by their owner only (0600)."""

    def _open(self) -> io.TextIOWrapper:
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.baseFilename, flags, 0o600)
        try:
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o600)  # a file left by an older version may be more open
            return open(fd, "a", encoding=self.encoding, errors=self.errors)
        except BaseException:
            os.close(fd)
            raise


_installed_handlers: list[logging.Handler] = []
_install_lock = threading.Lock()


def _level_number(level: str) -> int:
    number = logging.getLevelNamesMapping().get(level.strip().upper())
    if number is None:
        raise ValueError(f"unknown log level {level!r} (use DEBUG, INFO, WARNING, ERROR or CRITICAL)")
    return number


def setup_logging(
    level: str = "INFO",
    *,
    console: bool = True,
    log_dir: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    backup_count: int = DEFAULT_BACKUP_COUNT,
) -> Path:
    """Send log records at ``level`` and above to the per-user log file and (``console``) to stderr.

    The file is ``<log_dir>/shopdesk.log`` (default :func:`desktop.paths.log_dir`), rotated at
    ``max_bytes`` with ``backup_count`` old files kept, UTF-8, mode 0600 in a 0700 folder. Calling again
    replaces the handlers installed by the previous call. Returns the log file's path.
    """
    number = _level_number(level)
    folder = paths.ensure_private_dir(log_dir if log_dir is not None else paths.log_dir())
    log_file = folder / LOG_FILE_NAME

    file_handler = PrivateRotatingFileHandler(
        log_file, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
    )
    file_handler.setFormatter(RedactingFormatter(FILE_FORMAT))
    new_handlers: list[logging.Handler] = [file_handler]
    # sys.stderr is None in a windowed (no console) build.
    stderr: TextIO | None = sys.stderr
    if console and stderr is not None:
        console_handler = logging.StreamHandler(stderr)
        console_handler.setFormatter(RedactingFormatter(CONSOLE_FORMAT))
        new_handlers.append(console_handler)

    root = logging.getLogger()
    with _install_lock:
        _remove_installed(root)
        for handler in new_handlers:
            handler.setLevel(number)
            handler.addFilter(RedactingFilter())
            root.addHandler(handler)
            _installed_handlers.append(handler)
        root.setLevel(number)
    return log_file


def set_level(level: str) -> None:
    """Change the level of the root logger and of the handlers :func:`setup_logging` installed (the
    settings' 日志详细程度, applied at once)."""
    number = _level_number(level)
    with _install_lock:
        for handler in _installed_handlers:
            handler.setLevel(number)
        logging.getLogger().setLevel(number)


def _remove_installed(root: logging.Logger) -> None:
    while _installed_handlers:
        handler = _installed_handlers.pop()
        root.removeHandler(handler)
        handler.close()


def reset_logging() -> None:
    """Remove and close the handlers installed by :func:`setup_logging` (for shutdown and tests)."""
    with _install_lock:
        _remove_installed(logging.getLogger())
