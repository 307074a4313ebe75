"""Error codes, close codes and the one exception type of the protocol layer."""

from __future__ import annotations

from enum import IntEnum
from typing import Final, Literal, get_args

ErrorCode = Literal[
    "bad_request",
    "unauthorized",
    "forbidden",
    "not_found",
    "conflict",
    "rate_limited",
    "too_large",
    "unsupported",
    "unavailable",
    "internal",
]
ERROR_CODES: Final[frozenset[str]] = frozenset(get_args(ErrorCode))

# Error codes after which re-sending the same request later may succeed.
TRANSIENT_CODES: Final[frozenset[str]] = frozenset({"rate_limited", "unavailable", "internal"})


class CloseCode(IntEnum):
    """WebSocket close codes used by shopdesk.v1 (RFC 6455 ones plus the 4xxx private range)."""

    NORMAL = 1000
    GOING_AWAY = 1001
    TOO_BIG = 1009
    UNAUTHORIZED = 4001
    HELLO_TIMEOUT = 4002
    TOO_MANY_ERRORS = 4003
    SESSION_REPLACED = 4004
    VERSION_UNSUPPORTED = 4005


class ProtocolError(Exception):
    """A frame or value broke a rule of shopdesk.v1.

    ``code`` is one of the protocol's error codes; ``re`` is the id of the request the error answers, when the
    offending frame was a request whose id could be read.
    """

    def __init__(self, code: ErrorCode, message: str, *, re: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code: ErrorCode = code
        self.message = message
        self.re = re
