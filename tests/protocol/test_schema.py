"""Checked-in JSON Schemas equal what the code generates; frames the code accepts validate against them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings

from desktop.cli import main as cli_main
from desktop.protocol import ProtocolError, codec, samples
from desktop.protocol import frames as f
from desktop.protocol.schema import render, schema_documents
from tests.protocol import strategies

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "resources" / "protocol"
DOCUMENTS = schema_documents()


def _validator(path: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / path).read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _path(frame: f.Frame, side: str) -> str:
    return f"{side}/{f.type_name(type(frame))}.json"


def test_checked_in_schemas_match_the_code() -> None:
    on_disk = {str(p.relative_to(SCHEMA_DIR)) for p in SCHEMA_DIR.rglob("*.json")}
    assert on_disk == set(DOCUMENTS), "run: shopdesk schemas --write resources/protocol"
    for path, schema in DOCUMENTS.items():
        assert (SCHEMA_DIR / path).read_text("utf-8") == render(schema), f"{path} is stale"


def test_schema_check_command_notices_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["schemas", "--write", str(tmp_path)]) == 0
    assert cli_main(["schemas", "--check", str(tmp_path)]) == 0
    stale = tmp_path / "client" / "message.send.json"
    stale.write_text(stale.read_text("utf-8").replace('"maxLength": 5000', '"maxLength": 9999'), "utf-8")
    (tmp_path / "client" / "made-up.json").write_text("{}", "utf-8")
    assert cli_main(["schemas", "--check", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "message.send.json" in err and "made-up.json" in err


def test_every_frame_type_has_a_schema() -> None:
    for frame_type in f.CLIENT_FRAME_TYPES:
        assert f"client/{f.type_name(frame_type)}.json" in DOCUMENTS
    for frame_type in f.SERVER_FRAME_TYPES:
        assert f"server/{f.type_name(frame_type)}.json" in DOCUMENTS
    for request_type in f.REQUEST_TYPES:
        assert f"replies/{f.type_name(request_type)}.json" in DOCUMENTS


@pytest.mark.parametrize(
    ("side", "frame"),
    [("client", x) for x in samples.client_frames()] + [("server", x) for x in samples.server_frames()],
)
def test_sample_frames_validate(side: str, frame: f.Frame) -> None:
    _validator(_path(frame, side)).validate(json.loads(codec.encode(frame)))


def test_reply_data_validates_against_the_reply_schema() -> None:
    requests = {x.id: x for x in samples.client_frames() if isinstance(x, f.Request)}
    checked = 0
    for frame in samples.server_frames():
        if isinstance(frame, f.Ok) and frame.re in requests:
            name = f.type_name(type(requests[frame.re]))
            _validator(f"replies/{name}.json").validate(json.loads(bytes(frame.data)))
            checked += 1
    assert checked >= 6


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda d: d["data"]["body"].update(text="退" * 5001), "text over 5000 characters"),
        (lambda d: d["data"].update(kind="image"), "text body under kind image"),
        (lambda d: d["data"].pop("client_msg_id"), "client_msg_id missing"),
        (lambda d: d.update(type="message.sent"), "wrong type"),
    ],
)
def test_schemas_reject_what_the_codec_rejects(mutate: Any, reason: str) -> None:
    send = next(x for x in samples.client_frames() if isinstance(x, f.MessageSend) and x.data.kind == "text")
    doc = json.loads(codec.encode(send))
    mutate(doc)
    with pytest.raises(jsonschema.ValidationError):
        _validator("client/message.send.json").validate(doc)
    with pytest.raises(ProtocolError):
        codec.decode_client_frame(json.dumps(doc).encode())


@settings(max_examples=60, deadline=None)
@given(strategies.client_frames)
def test_generated_client_frames_validate(frame: f.Frame) -> None:
    _validator(_path(frame, "client")).validate(json.loads(codec.encode(frame)))


@settings(max_examples=60, deadline=None)
@given(strategies.server_frames)
def test_generated_server_frames_validate(frame: f.Frame) -> None:
    _validator(_path(frame, "server")).validate(json.loads(codec.encode(frame)))


def test_suspended_is_optional_in_the_schemas() -> None:
    """An old peer's frames (no ``suspended``) validate, and so do new ones; a non-boolean does not."""
    old_set = {"type": "presence.set", "id": "1", "data": {"status": "busy"}}
    _validator("client/presence.set.json").validate(old_set)
    new_set = {"type": "presence.set", "id": "2", "data": {"status": "online", "suspended": True}}
    _validator("client/presence.set.json").validate(new_set)
    with pytest.raises(jsonschema.ValidationError):
        _validator("client/presence.set.json").validate(
            {"type": "presence.set", "id": "3", "data": {"status": "online", "suspended": "yes"}}
        )
    changed = {"agent_id": "a-1", "status": "online"}
    for data in (changed, {**changed, "suspended": True}):
        _validator("server/presence.changed.json").validate(
            {"type": "presence.changed", "ts": 1, "data": data}
        )
    agent = {"id": "a-1", "name": "小美", "status": "online", "max_concurrent": 6, "active_count": 1}
    _validator("replies/sync.snapshot.json").validate({"seq": 0, "conversations": [], "agents": [agent]})
    _validator("replies/agents.list.json").validate({"agents": [agent, {**agent, "suspended": True}]})


def test_agents_list_has_its_schemas() -> None:
    index = json.loads((SCHEMA_DIR / "index.json").read_text("utf-8"))
    assert "agents.list" in index["client"] and index["replies"]["agents.list"] == "replies/agents.list.json"
    _validator("client/agents.list.json").validate({"type": "agents.list", "id": "c1"})
    reply = _validator("replies/agents.list.json")
    with pytest.raises(jsonschema.ValidationError):
        reply.validate({})  # the list is required
