"""Property tests: any valid frame survives a round trip; any bytes decode or raise ProtocolError only."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop.protocol import ProtocolError, codec
from desktop.protocol import frames as f
from tests.protocol import strategies

_settings = settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)


@_settings
@given(strategies.client_frames)
def test_client_frames_round_trip(frame: f.Frame) -> None:
    assert codec.decode_client_frame(codec.encode(frame)) == frame


@_settings
@given(strategies.server_frames)
def test_server_frames_round_trip(frame: f.Frame) -> None:
    assert codec.decode_server_frame(codec.encode(frame)) == frame


@pytest.mark.parametrize("frame_type", f.CLIENT_FRAME_TYPES + f.SERVER_FRAME_TYPES, ids=f.type_name)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_every_frame_type_round_trips(frame_type: type[f.Frame], data: st.DataObject) -> None:
    frame = data.draw(strategies.frame_of(frame_type))
    assert type(frame) is frame_type
    if frame_type in f.CLIENT_FRAME_TYPES:
        assert codec.decode_client_frame(codec.encode(frame)) == frame
    if frame_type in f.SERVER_FRAME_TYPES:
        assert codec.decode_server_frame(codec.encode(frame)) == frame


def _decode_both(raw: bytes) -> None:
    for decode in (codec.decode_client_frame, codec.decode_server_frame):
        try:
            decode(raw)
        except ProtocolError as exc:
            assert exc.code in ("bad_request", "unsupported", "too_large")


@settings(max_examples=500)
@given(st.binary(max_size=512))
@example(b"\xed\xa0\x80")  # an encoded lone surrogate
@example(b'{"type":"ok","re":"1","data":"x"}')
@example(
    b'{"type":"message.send","id":"1","data":{"client_msg_id":"x","kind":"image","body":{"data_b64":1}}}'
)
def test_arbitrary_bytes_raise_only_protocol_errors(raw: bytes) -> None:
    _decode_both(raw)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_type_names = st.sampled_from(sorted({f.type_name(t) for t in f.CLIENT_FRAME_TYPES + f.SERVER_FRAME_TYPES}))


@settings(max_examples=500)
@given(_type_names, st.dictionaries(st.sampled_from(["id", "re", "seq", "ts", "data"]), _json_values))
def test_arbitrary_objects_with_known_types_raise_only_protocol_errors(
    type_name: str, fields: dict[str, object]
) -> None:
    _decode_both(json.dumps({"type": type_name, **fields}).encode())


@settings(max_examples=200, deadline=None)
@given(strategies.client_frames, st.data())
def test_mutated_valid_frames_raise_only_protocol_errors(frame: f.Frame, data: st.DataObject) -> None:
    raw = bytearray(codec.encode(frame))
    for _ in range(data.draw(st.integers(1, 4))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    _decode_both(bytes(raw))
