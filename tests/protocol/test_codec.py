"""Encode/decode of every frame type and the error code of every kind of bad frame."""

from __future__ import annotations

import base64
import json

import msgspec
import pytest

from desktop.protocol import ProtocolError, codec, limits, samples
from desktop.protocol import frames as f
from desktop.protocol import payloads as p


def _ids(frames: list[f.Frame]) -> list[str]:
    return [f"{f.type_name(type(x))}-{i}" for i, x in enumerate(frames)]


@pytest.mark.parametrize("frame", samples.client_frames(), ids=_ids(samples.client_frames()))
def test_client_frame_round_trip(frame: f.Frame) -> None:
    assert codec.decode_client_frame(codec.encode(frame)) == frame


@pytest.mark.parametrize("frame", samples.server_frames(), ids=_ids(samples.server_frames()))
def test_server_frame_round_trip(frame: f.Frame) -> None:
    assert codec.decode_server_frame(codec.encode(frame)) == frame


def test_samples_cover_every_frame_type() -> None:
    assert {type(x) for x in samples.client_frames()} == set(f.CLIENT_FRAME_TYPES)
    assert {type(x) for x in samples.server_frames()} == set(f.SERVER_FRAME_TYPES)


def test_wire_shape_matches_the_envelope() -> None:
    event = json.loads(codec.encode(samples.server_frames()[2]))
    assert list(event) == ["type", "seq", "ts", "data"]
    assert event["type"] == "message.created"
    request = json.loads(codec.encode(samples.client_frames()[0]))
    assert list(request) == ["type", "id", "data"]
    typing = json.loads(
        codec.encode(f.TypingEvent(ts=1, data=p.TypingEventData(conversation_id="c", from_=samples.BUYER)))
    )
    assert typing["data"]["from"] == {"role": "customer", "id": "u-1001"}
    assert "seq" not in typing


def test_str_frames_are_accepted_like_bytes() -> None:
    raw = codec.encode(samples.client_frames()[0]).decode()
    assert codec.decode_client_frame(raw) == samples.client_frames()[0]


def test_unknown_fields_are_ignored() -> None:
    frame = codec.decode_client_frame(
        b'{"type":"customer.get","id":"7","extra":1,"data":{"customer_id":"u-1","future":[1,2]}}'
    )
    assert frame == f.CustomerGet(id="7", data=p.CustomerRef(customer_id="u-1"))


def test_reply_data_is_typed_by_the_request() -> None:
    reply = next(x for x in samples.server_frames() if isinstance(x, f.Ok) and x.re == "c14")
    decoded = codec.decode_server_frame(codec.encode(reply))
    assert isinstance(decoded, f.Ok)
    history = codec.decode_reply(decoded, f.HistoryFetch.reply_type)
    assert isinstance(history, p.HistoryOk)
    assert history.messages[0].content() == samples.MESSAGE.content()


def test_reply_with_wrong_shape_is_a_protocol_error() -> None:
    reply = codec.decode_server_frame(b'{"type":"ok","re":"c1","data":{"token":5}}')
    assert isinstance(reply, f.Ok)
    with pytest.raises(ProtocolError) as info:
        codec.decode_reply(reply, p.LoginOk)
    assert info.value.code == "bad_request"
    assert info.value.re == "c1"


def _message_send(text: str) -> bytes:
    frame = {
        "type": "message.send",
        "id": "r-9",
        "data": {"conversation_id": "cv", "client_msg_id": "x", "kind": "text", "body": {"text": text}},
    }
    return json.dumps(frame, ensure_ascii=False).encode()


BAD_FRAMES = {
    "not an object (array)": (b"[1, 2, 3]", "bad_request", None),
    "not an object (string)": (b'"hello"', "bad_request", None),
    "not JSON": (b"{type: hello}", "bad_request", None),
    "empty": (b"", "bad_request", None),
    "missing type": (b'{"id": "r-1", "data": {}}', "bad_request", None),
    "type not a string": (b'{"type": 7, "id": "r-1"}', "bad_request", None),
    "unknown type": (b'{"type": "order.cancel", "id": "r-2", "data": {}}', "unsupported", "r-2"),
    "wrong field type": (
        b'{"type": "customer.get", "id": "r-3", "data": {"customer_id": 5}}',
        "bad_request",
        "r-3",
    ),
    "missing field": (b'{"type": "customer.get", "id": "r-3", "data": {}}', "bad_request", "r-3"),
    "bad enum": (
        b'{"type": "presence.set", "id": "r-4", "data": {"status": "sleeping"}}',
        "bad_request",
        "r-4",
    ),
    "history limit over 200": (
        b'{"type": "history.fetch", "id": "r-5", "data": {"conversation_id": "c", "limit": 201}}',
        "bad_request",
        "r-5",
    ),
    "history limit zero": (
        b'{"type": "history.fetch", "id": "r-5", "data": {"conversation_id": "c", "limit": 0}}',
        "bad_request",
        "r-5",
    ),
    "text over 5000 characters": (_message_send("退" * 5001), "too_large", "r-9"),
    "empty text": (_message_send(""), "bad_request", "r-9"),
    "lone surrogate": (
        b'{"type": "customer.get", "id": "r-6", "data": {"customer_id": "\\ud800"}}',
        "bad_request",
        None,
    ),
    "invalid UTF-8": (
        b'{"type": "customer.get", "id": "r-7", "data": {"customer_id": "\xff\xfe"}}',
        "bad_request",
        None,
    ),
    "text body for image kind": (
        b'{"type":"message.send","id":"r-8","data":{"client_msg_id":"x","kind":"image","body":{"text":"hi"}}}',
        "bad_request",
        "r-8",
    ),
    "unknown message kind": (
        b'{"type":"message.send","id":"r-8","data":{"client_msg_id":"x","kind":"video","body":{}}}',
        "bad_request",
        "r-8",
    ),
    "rating score 6": (
        b'{"type":"rating.submit","id":"r-10","data":{"conversation_id":"c","score":6}}',
        "bad_request",
        "r-10",
    ),
    "enum value that looks like a limit": (
        b'{"type":"message.send","id":"r-11","data":{"client_msg_id":"x","kind":"too_large: x","body":{}}}',
        "bad_request",
        "r-11",
    ),
    "system message from a client": (
        b'{"type":"message.send","id":"r-12","data":{"client_msg_id":"x","kind":"system","body":{"text":"hi"}}}',
        "bad_request",
        "r-12",
    ),
    "request without id": (b'{"type": "sync.snapshot", "data": {}}', "bad_request", None),
}


@pytest.mark.parametrize(("raw", "code", "re"), BAD_FRAMES.values(), ids=BAD_FRAMES.keys())
def test_bad_frame_gets_the_right_code(raw: bytes, code: str, re: str | None) -> None:
    with pytest.raises(ProtocolError) as info:
        codec.decode_client_frame(raw)
    assert info.value.code == code
    assert info.value.re == re
    reply = codec.error_from(info.value)
    assert codec.decode_server_frame(codec.encode(reply)) == reply


def test_text_of_exactly_5000_characters_passes() -> None:
    frame = codec.decode_client_frame(_message_send("退" * 5000))
    assert isinstance(frame, f.MessageSend)
    assert len(frame.data.body["text"]) == 5000


def test_text_limit_counts_characters_not_bytes_or_utf16_units() -> None:
    emoji = "😀" * 5000  # 4 UTF-8 bytes and 2 UTF-16 units each: still 5000 characters
    assert isinstance(codec.decode_client_frame(_message_send(emoji)), f.MessageSend)


def test_frame_over_one_mebibyte_is_too_large_before_parsing() -> None:
    raw = b'{"type":"sync.snapshot","id":"1","data":{}}'
    padded = raw[:-1] + b" " * (limits.MAX_FRAME_BYTES - len(raw) + 1) + b"}"
    assert len(padded) == limits.MAX_FRAME_BYTES + 1
    with pytest.raises(ProtocolError) as info:
        codec.decode_client_frame(padded)
    assert info.value.code == "too_large"
    exactly = raw[:-1] + b" " * (limits.MAX_FRAME_BYTES - len(raw)) + b"}"
    assert isinstance(codec.decode_client_frame(exactly), f.SyncSnapshot)


def test_frame_size_of_str_input_is_measured_in_utf8_bytes() -> None:
    # 350,000 Chinese characters are 1,050,000 UTF-8 bytes: over the limit although len(str) is not.
    text = json.dumps({"type": "login", "id": "1", "data": {"pad": "退" * 350_000}}, ensure_ascii=False)
    assert len(text) < limits.MAX_FRAME_BYTES
    with pytest.raises(ProtocolError) as info:
        codec.decode_client_frame(text)
    assert info.value.code == "too_large"


def _image_frame(size: int) -> bytes:
    data_b64 = base64.b64encode(b"\x00" * size).decode()
    body = {"mime": "image/png", "data_b64": data_b64, "width": 10, "height": 10}
    frame = {
        "type": "message.send",
        "id": "i1",
        "data": {"client_msg_id": "x", "kind": "image", "body": body},
    }
    return json.dumps(frame).encode()


def test_image_limit_is_on_the_decoded_size() -> None:
    assert isinstance(codec.decode_client_frame(_image_frame(limits.MAX_IMAGE_BYTES)), f.MessageSend)
    with pytest.raises(ProtocolError) as info:
        codec.decode_client_frame(_image_frame(limits.MAX_IMAGE_BYTES + 1))
    assert info.value.code == "too_large"


def test_image_with_invalid_base64_is_a_bad_request() -> None:
    body = {"mime": "image/png", "data_b64": "!!!!", "width": 1, "height": 1}
    raw = json.dumps(
        {"type": "message.send", "id": "i2", "data": {"client_msg_id": "x", "kind": "image", "body": body}}
    ).encode()
    with pytest.raises(ProtocolError) as info:
        codec.decode_client_frame(raw)
    assert info.value.code == "bad_request"


def test_encode_refuses_what_cannot_be_sent() -> None:
    lone = f.CustomerGet(id="1", data=p.CustomerRef(customer_id="\ud800"))
    with pytest.raises(ProtocolError) as info:
        codec.encode(lone)
    assert info.value.code == "bad_request"
    huge = f.Login(
        id="1", data=p.LoginData(shop="s", username="u", password="x" * (limits.MAX_FRAME_BYTES + 1))
    )
    with pytest.raises(ProtocolError) as info:
        codec.encode(huge)
    assert info.value.code == "too_large"


def test_server_frames_are_not_accepted_as_client_frames() -> None:
    raw = codec.encode(samples.server_frames()[0])
    with pytest.raises(ProtocolError) as info:
        codec.decode_client_frame(raw)
    assert info.value.code == "unsupported"


def test_error_frame_with_unknown_code_is_rejected() -> None:
    with pytest.raises(ProtocolError) as info:
        codec.decode_server_frame(b'{"type":"error","re":"1","data":{"code":"oops","message":""}}')
    assert info.value.code == "bad_request"


def test_ok_data_must_be_an_object() -> None:
    with pytest.raises(ProtocolError):
        codec.decode_server_frame(b'{"type":"ok","re":"1","data":[1]}')
    assert codec.decode_server_frame(b'{"type":"ok","re":"1"}') == f.Ok(re="1", data=msgspec.Raw(b"{}"))


@pytest.mark.parametrize(
    "data_b64",
    ["QUJD\n", "QUJ", "QU=D", "QQ===", "QUJD====", "Q\u00e9JD", "QUJD!A==", "QUJDRA="],
)
def test_image_base64_must_be_strict_and_padded(data_b64: str) -> None:
    body = {"mime": "image/png", "data_b64": data_b64, "width": 1, "height": 1}
    raw = json.dumps(
        {"type": "message.send", "id": "i3", "data": {"client_msg_id": "x", "kind": "image", "body": body}}
    )
    with pytest.raises(ProtocolError) as info:
        codec.decode_client_frame(raw.encode())
    assert info.value.code == "bad_request"


def test_base64_size_matches_decoding() -> None:
    from desktop.protocol.objects import base64_size

    for n in range(0, 20):
        assert base64_size(base64.b64encode(b"x" * n).decode()) == n


def test_error_frames_always_carry_a_message() -> None:
    assert b'"message":""' in codec.encode(codec.error("internal", ""))
    with pytest.raises(ProtocolError):
        codec.decode_server_frame(b'{"type":"error","data":{"code":"internal"}}')


def test_quick_replies_changed_carries_exactly_one_of_its_fields() -> None:
    for data in (
        "{}",
        '{"deleted_id":"q","quick_reply":' + json.dumps(msgspec.to_builtins(samples.QUICK_REPLY)) + "}",
    ):
        with pytest.raises(ProtocolError):
            codec.decode_server_frame(
                f'{{"type":"quick_replies.changed","seq":1,"ts":1,"data":{data}}}'.encode()
            )


def test_reply_data_that_cannot_be_encoded_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError):
        codec.ok("r", p.LoginOk(token="\ud800", expires_at=1))


# --- suspend (挂起) and agents.list: optional additions ---------------------------------------------------


def test_suspended_defaults_to_false_when_absent() -> None:
    """What an old peer sends (no ``suspended``) decodes as not suspended."""
    request = codec.decode_client_frame(b'{"type":"presence.set","id":"1","data":{"status":"online"}}')
    assert request == f.PresenceSet(id="1", data=p.PresenceSetData(status="online", suspended=False))
    event = codec.decode_server_frame(
        b'{"type":"presence.changed","ts":1,"data":{"agent_id":"a-1","status":"online"}}'
    )
    assert isinstance(event, f.PresenceChanged) and event.data.suspended is False
    agent = b'{"id":"a-1","name":"n","status":"online","max_concurrent":5,"active_count":0}'
    snapshot = msgspec.json.decode(
        b'{"seq":0,"conversations":[],"agents":[' + agent + b"]}", type=p.SnapshotOk
    )
    assert snapshot.agents[0].suspended is False


def test_suspended_is_left_out_when_false_and_round_trips_when_true() -> None:
    """Not suspended encodes exactly as before (old peers see the same bytes); suspended survives a trip."""
    plain = json.loads(codec.encode(f.PresenceSet(id="1", data=p.PresenceSetData(status="online"))))
    assert plain["data"] == {"status": "online"}
    assert "suspended" not in json.loads(bytes(codec.encode_data(samples.AGENT_INFO)))
    suspend = f.PresenceSet(id="2", data=p.PresenceSetData(status="online", suspended=True))
    assert json.loads(codec.encode(suspend))["data"] == {"status": "online", "suspended": True}
    assert codec.decode_client_frame(codec.encode(suspend)) == suspend
    changed = f.PresenceChanged(
        ts=5, data=p.PresenceChangedData(agent_id="a-2", status="online", suspended=True)
    )
    assert codec.decode_server_frame(codec.encode(changed)) == changed
    assert json.loads(bytes(codec.encode_data(samples.SUSPENDED_AGENT)))["suspended"] is True


def test_suspended_must_be_a_boolean() -> None:
    with pytest.raises(ProtocolError) as info:
        codec.decode_client_frame(
            b'{"type":"presence.set","id":"9","data":{"status":"online","suspended":1}}'
        )
    assert (info.value.code, info.value.re) == ("bad_request", "9")


def test_agents_list_request_and_reply() -> None:
    for raw in (b'{"type":"agents.list","id":"c23"}', b'{"type":"agents.list","id":"c23","data":{}}'):
        assert codec.decode_client_frame(raw) == f.AgentsList(id="c23")
    assert f.AgentsList.reply_type is p.AgentsOk
    reply = next(x for x in samples.server_frames() if isinstance(x, f.Ok) and x.re == "c23")
    decoded = codec.decode_server_frame(codec.encode(reply))
    assert isinstance(decoded, f.Ok)
    agents = codec.decode_reply(decoded, f.AgentsList.reply_type)
    assert agents == p.AgentsOk(agents=[samples.AGENT_INFO, samples.SUSPENDED_AGENT])
    with pytest.raises(ProtocolError):  # "agents" is required in the reply
        codec.decode_reply(f.Ok(re="c23"), p.AgentsOk)
