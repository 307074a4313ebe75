"""JSON Schemas (draft 2020-12) of every shopdesk.v1 frame, generated from the structs.

Pure: :func:`schema_documents` returns ``{relative path: schema}``; ``shopdesk schemas`` writes them
to ``resources/protocol/`` and a test fails when the checked-in files differ from what the code generates.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from desktop.protocol import limits
from desktop.protocol.frames import (
    CLIENT_FRAME_TYPES,
    REQUEST_TYPES,
    SERVER_FRAME_TYPES,
    Frame,
    Ok,
    type_name,
)
from desktop.protocol.objects import BODY_TYPES

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://shopdesk.invalid/schemas/shopdesk.v1/"

Schema = dict[str, Any]


def _with_header(schema: Schema, path: str, title: str, description: str) -> Schema:
    return {"$schema": DRAFT, "$id": BASE_ID + path, "title": title, "description": description, **schema}


def _struct_schema(struct: type[msgspec.Struct]) -> Schema:
    schema: Schema = msgspec.json.schema(struct)
    defs: dict[str, Schema] = schema.get("$defs", {})
    _refine(defs)
    return schema


def _refine(defs: dict[str, Schema]) -> None:
    """Say in the schema what msgspec cannot infer: body per message kind, ok data is an object."""
    body_defs = {kind: msgspec.json.schema(body) for kind, body in BODY_TYPES.items()}
    for name in ("Message", "MessageSendData"):
        if name not in defs:
            continue
        rules = []
        for kind, body_schema in body_defs.items():
            body_name = body_schema["$ref"].rsplit("/", 1)[-1]
            defs.update(body_schema.get("$defs", {}))
            rules.append(
                {
                    "if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]},
                    "then": {"properties": {"body": {"$ref": f"#/$defs/{body_name}"}}},
                }
            )
        defs[name]["allOf"] = rules
    if "ImageBody" in defs:
        defs["ImageBody"]["properties"]["data_b64"]["pattern"] = "^[A-Za-z0-9+/]*={0,2}$"
        defs["ImageBody"]["description"] = (
            f"data_b64 must be strict base64 of at most {limits.MAX_IMAGE_BYTES} bytes once decoded."
        )
    if "Ok" in defs:
        defs["Ok"]["properties"]["data"] = {
            "type": "object",
            "description": "The reply data: see replies/<request type>.json for each request.",
        }


def _frame_document(frame_type: type[Frame], side: str) -> tuple[str, Schema]:
    name = type_name(frame_type)
    path = f"{side}/{name}.json"
    sender = "a client (agent or customer)" if side == "client" else "the server"
    doc = (frame_type.__doc__ or "").strip().splitlines()[0] if frame_type.__doc__ else ""
    description = f"`{name}` frame sent by {sender}." + (f" {doc}" if doc else "")
    return path, _with_header(_struct_schema(frame_type), path, name, description)


def schema_documents() -> dict[str, Schema]:
    """Every schema document, keyed by its path below ``resources/protocol/``."""
    documents: dict[str, Schema] = {}
    for side, frame_types in (("client", CLIENT_FRAME_TYPES), ("server", SERVER_FRAME_TYPES)):
        for frame_type in frame_types:
            path, schema = _frame_document(frame_type, side)
            documents[path] = schema
    for request_type in REQUEST_TYPES:
        name = type_name(request_type)
        path = f"replies/{name}.json"
        description = f"The `data` of the `ok` that answers `{name}`."
        documents[path] = _with_header(
            _struct_schema(request_type.reply_type), path, f"ok({name})", description
        )
    documents["index.json"] = {
        "$schema": DRAFT,
        "$id": BASE_ID + "index.json",
        "title": "shopdesk.v1 schema index",
        "subprotocol": "shopdesk.v1",
        "limits": {
            "max_frame_bytes": limits.MAX_FRAME_BYTES,
            "max_text_chars": limits.MAX_TEXT_CHARS,
            "max_image_bytes": limits.MAX_IMAGE_BYTES,
            "history_limit": limits.MAX_HISTORY_LIMIT,
        },
        "client": sorted(type_name(t) for t in CLIENT_FRAME_TYPES),
        "server": sorted(type_name(t) for t in SERVER_FRAME_TYPES),
        "replies": {type_name(t): f"replies/{type_name(t)}.json" for t in REQUEST_TYPES},
        "ok_frame": f"server/{type_name(Ok)}.json",
    }
    return documents


def render(schema: Schema) -> str:
    """The canonical text of a schema file (stable key order, UTF-8, trailing newline)."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
