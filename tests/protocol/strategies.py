"""Hypothesis strategies that build any valid shopdesk.v1 frame, derived from the structs' own type info.

Deriving them from ``msgspec.inspect`` means a new field or limit is covered without touching this file.
"""

from __future__ import annotations

import base64
from typing import Any

import msgspec
import msgspec.inspect as mi
from hypothesis import strategies as st

from desktop.protocol import frames as f
from desktop.protocol.objects import BODY_TYPES, QuickReply
from desktop.protocol.payloads import QuickRepliesChangedData

_text_chars = st.characters(codec="utf-8", exclude_categories=["Cs"])  # any code point but lone surrogates


def _from_info(info: mi.Type) -> st.SearchStrategy[Any]:
    if isinstance(info, mi.StructType):
        return _struct(info.cls)
    if isinstance(info, mi.StrType):
        hi = min(info.max_length if info.max_length is not None else 40, 40)
        lo = info.min_length or 0
        return st.text(_text_chars, min_size=lo, max_size=max(hi, lo))
    if isinstance(info, mi.IntType):
        lo = info.ge if info.ge is not None else -(2**53)
        hi = info.le if info.le is not None else 2**53
        return st.integers(lo, hi)
    if isinstance(info, mi.BoolType):
        return st.booleans()
    if isinstance(info, mi.NoneType):
        return st.none()
    if isinstance(info, mi.LiteralType):
        return st.sampled_from(info.values)
    if isinstance(info, mi.UnionType):
        return st.one_of([_from_info(t) for t in info.types])
    if isinstance(info, mi.ListType):
        hi = min(info.max_length if info.max_length is not None else 3, 3)
        return st.lists(_from_info(info.item_type), min_size=info.min_length or 0, max_size=hi)
    if isinstance(info, mi.RawType):
        return st.dictionaries(
            st.text(max_size=5), st.integers() | st.text(_text_chars, max_size=5), max_size=3
        ).map(lambda d: msgspec.Raw(msgspec.json.encode(d)))
    raise NotImplementedError(f"no strategy for {info!r}")


_image = st.builds(
    lambda raw, mime, w, h: {
        "mime": mime,
        "data_b64": base64.b64encode(raw).decode(),
        "width": w,
        "height": h,
    },
    st.binary(min_size=1, max_size=64),
    st.sampled_from(["image/png", "image/jpeg"]),
    st.integers(1, 4000),
    st.integers(1, 4000),
)


def _body(kind: str) -> st.SearchStrategy[dict[str, Any]]:
    if kind == "image":
        return _image
    return _struct(BODY_TYPES[kind]).map(msgspec.to_builtins)


@st.composite
def _kind_and_body(draw: st.DrawFn, kinds: tuple[str, ...]) -> tuple[str, dict[str, Any]]:
    kind = draw(st.sampled_from(sorted(kinds)))
    return kind, draw(_body(kind))


_cache: dict[type[msgspec.Struct], st.SearchStrategy[Any]] = {}


def _struct(cls: type[msgspec.Struct]) -> st.SearchStrategy[Any]:
    if cls in _cache:
        return _cache[cls]
    info = mi.type_info(cls)
    assert isinstance(info, mi.StructType)
    if cls is QuickRepliesChangedData:  # exactly one of its two fields
        strategy: st.SearchStrategy[Any] = st.one_of(
            st.builds(cls, quick_reply=_struct(QuickReply)),
            st.builds(cls, deleted_id=st.text(min_size=1, max_size=8)),
        )
        _cache[cls] = strategy
        return strategy
    fields = {fld.name: _from_info(fld.type) for fld in info.fields if fld.name not in ("kind", "body")}
    kind_info = next((fld.type for fld in info.fields if fld.name == "kind"), None)
    if isinstance(kind_info, mi.LiteralType):
        kinds = tuple(str(v) for v in kind_info.values)

        @st.composite
        def with_body(draw: st.DrawFn) -> Any:
            kind, body = draw(_kind_and_body(kinds))
            values = {name: draw(strategy) for name, strategy in fields.items()}
            return cls(kind=kind, body=body, **values)

        strategy = with_body()
    else:
        strategy = st.builds(cls, **fields)
    _cache[cls] = strategy
    return strategy


def frame_of(frame_type: type[f.Frame]) -> st.SearchStrategy[Any]:
    """Any valid frame of one type."""
    return _struct(frame_type)


client_frames = st.one_of([_struct(t) for t in f.CLIENT_FRAME_TYPES])
server_frames = st.one_of([_struct(t) for t in f.SERVER_FRAME_TYPES])
