"""shopdesk.v1 without I/O: frames and objects, encode/decode with validation, the client session machine.

Nothing in this package touches a socket, a clock, a file or Qt.
"""

from desktop.protocol.codec import (
    decode_client_frame,
    decode_reply,
    decode_server_frame,
    encode,
    error,
    error_from,
    ok,
)
from desktop.protocol.errors import ERROR_CODES, CloseCode, ErrorCode, ProtocolError

SUBPROTOCOL = "shopdesk.v1"

__all__ = [
    "ERROR_CODES",
    "SUBPROTOCOL",
    "CloseCode",
    "ErrorCode",
    "ProtocolError",
    "decode_client_frame",
    "decode_reply",
    "decode_server_frame",
    "encode",
    "error",
    "error_from",
    "ok",
]
