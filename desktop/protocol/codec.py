"""Encode and decode shopdesk.v1 frames, enforcing types and limits.

Decoding takes the bytes of one WebSocket text frame and returns a typed frame, or raises
:class:`ProtocolError` with the error code the protocol assigns to the failure. Nothing else escapes.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec

from desktop.protocol import limits
from desktop.protocol.errors import ErrorCode, ProtocolError
from desktop.protocol.frames import (
    CLIENT_FRAME_TYPES,
    SERVER_FRAME_TYPES,
    ClientFrame,
    Error,
    Frame,
    Ok,
    ServerFrame,
    type_name,
)
from desktop.protocol.payloads import ErrorData

S = TypeVar("S", bound=msgspec.Struct)

_encoder = msgspec.json.Encoder()
_client_decoder = msgspec.json.Decoder(ClientFrame)
_server_decoder = msgspec.json.Decoder(ServerFrame)
_any_decoder = msgspec.json.Decoder()
_CLIENT_NAMES = frozenset(type_name(t) for t in CLIENT_FRAME_TYPES)
_SERVER_NAMES = frozenset(type_name(t) for t in SERVER_FRAME_TYPES)
# How a value over a limit reads in msgspec's messages ("Expected `str` of length <= 5000 - at `$...`") and in
# ours (``too_large: ...`` raised by a __post_init__, possibly behind "<kind> body: ").
_TOO_LARGE = re.compile(r"^(?:\w+ body: )?(?:too_large: |Expected `\w+` of length <= )")


def encode(frame: Frame) -> bytes:
    """Serialise ``frame``; raises ProtocolError if it cannot be sent (unencodable text, over 1 MiB)."""
    try:
        data = _encoder.encode(frame)
    except (UnicodeEncodeError, TypeError, OverflowError) as exc:
        raise ProtocolError("bad_request", f"frame cannot be encoded: {exc}") from None
    if len(data) > limits.MAX_FRAME_BYTES:
        raise ProtocolError("too_large", f"frame is {len(data)} bytes, limit {limits.MAX_FRAME_BYTES}")
    return data


def encode_data(value: msgspec.Struct) -> msgspec.Raw:
    """Reply data as raw JSON, ready to put in :class:`Ok` (raises ProtocolError like :func:`encode`)."""
    try:
        return msgspec.Raw(_encoder.encode(value))
    except (UnicodeEncodeError, TypeError, OverflowError) as exc:
        raise ProtocolError("bad_request", f"reply cannot be encoded: {exc}") from None


def ok(re: str, value: msgspec.Struct | None = None) -> Ok:
    """An ``ok`` reply to request ``re`` carrying ``value`` (``{}`` when None)."""
    return Ok(re=re) if value is None else Ok(re=re, data=encode_data(value))


def error(code: ErrorCode, message: str, *, re: str | None = None) -> Error:
    """An ``error`` reply."""
    return Error(re=re, data=ErrorData(code=code, message=message))


def error_from(exc: ProtocolError) -> Error:
    """The ``error`` frame that answers a frame which raised ``exc``."""
    return error(exc.code, exc.message, re=exc.re)


def decode_client_frame(data: bytes | str) -> ClientFrame:
    """Decode a frame sent by a client (agent or customer): what a server reads."""
    raw = _check_size(data)
    try:
        frame: ClientFrame = _client_decoder.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError) as exc:
        raise _classify(raw, exc, _CLIENT_NAMES) from None
    return frame


def decode_server_frame(data: bytes | str) -> ServerFrame:
    """Decode a frame sent by a server: what a client reads."""
    raw = _check_size(data)
    try:
        frame: ServerFrame = _server_decoder.decode(raw)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError) as exc:
        raise _classify(raw, exc, _SERVER_NAMES) from None
    return frame


def decode_reply(reply: Ok, reply_type: type[S]) -> S:
    """Decode the ``data`` of an ``ok`` as ``reply_type`` (the request's reply type)."""
    try:
        return msgspec.json.decode(reply.data, type=reply_type)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        raise ProtocolError(_code_for(str(exc)), f"reply to {reply.re}: {exc}", re=reply.re) from None


def _check_size(data: bytes | str) -> bytes:
    if isinstance(data, str):
        # websockets hands text frames over as str: measure the UTF-8 that crossed the wire.
        try:
            data = data.encode("utf-8")
        except UnicodeEncodeError:
            raise ProtocolError("bad_request", "frame is not valid UTF-8") from None
    if len(data) > limits.MAX_FRAME_BYTES:
        raise ProtocolError("too_large", f"frame is {len(data)} bytes, limit {limits.MAX_FRAME_BYTES}")
    return data


def _code_for(detail: str) -> ErrorCode:
    return "too_large" if _TOO_LARGE.match(detail) else "bad_request"


def _classify(raw: bytes, exc: Exception, known: frozenset[str]) -> ProtocolError:
    """Turn a failed typed decode into the protocol's error (slow path: only for bad frames)."""
    try:
        obj: Any = _any_decoder.decode(raw)
    except (msgspec.DecodeError, UnicodeDecodeError):
        return ProtocolError("bad_request", "frame is not valid UTF-8 JSON")
    if not isinstance(obj, dict):
        return ProtocolError("bad_request", "frame is not a JSON object")
    request_id = obj.get("id")
    re = request_id if isinstance(request_id, str) and 0 < len(request_id) <= limits.MAX_ID_CHARS else None
    frame_type = obj.get("type")
    if not isinstance(frame_type, str):  # without a type it is not a request: the error has no re
        return ProtocolError("bad_request", "frame has no string `type`")
    if frame_type not in known:
        return ProtocolError("unsupported", f"unknown frame type {frame_type[:64]!r}", re=re)
    detail = str(exc)
    return ProtocolError(_code_for(detail), f"{frame_type}: {detail}", re=re)
