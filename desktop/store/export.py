"""Transcripts of the conversations in the local cache, for ``shopdesk export`` (no Qt, no network).

Everything comes from the cache (:class:`LocalStore`), so an export shows what this login has seen: every
conversation with cached messages, listed or closed, each in time order, conversations in the order of
their first exported message. Three formats:

- ``jsonl``: one JSON object per message (:data:`COLUMNS` plus ``body``, the message body as received);
- ``csv``: UTF-8 with a BOM (so that Excel reads Chinese correctly), a header row and :data:`COLUMNS`;
  a cell that a spreadsheet would run as a formula (one starting with ``= + - @``, a tab or a CR) is
  written with a ``'`` in front;
- ``text``: a transcript for people, ``=== 小鹿乱撞 (c-1) ===`` and then lines such as
  ``2026-11-25 14:03:05 买家 小鹿乱撞: 请问有M码吗？``.

Message text is written as it came, never interpreted. In the text format a message of several lines
continues on indented lines and a line break in a name or id becomes a space, so that no text can pass
for a line of the transcript.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any, Final, Literal, TextIO, get_args

import msgspec

from desktop.protocol.objects import Message
from desktop.store.local_store import LocalStore

Format = Literal["jsonl", "csv", "text"]
Lang = Literal["zh", "en"]
FORMATS: Final[tuple[str, ...]] = get_args(Format)
LANGS: Final[tuple[str, ...]] = get_args(Lang)

CHINA_TZ: Final = timezone(timedelta(hours=8), "UTC+08:00")
"""China Standard Time, the default time zone of exports and of dates given to ``shopdesk export``."""

COLUMNS: Final = (
    "conversation_id",
    "customer_id",
    "customer_nickname",
    "message_id",
    "client_msg_id",
    "sender_role",
    "sender_id",
    "kind",
    "text",
    "created_at",
)
CSV_BOM: Final = "\ufeff"
FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
CONTINUATION: Final = "    "  # the indent of a message's second and later lines in the text format
PAGE: Final = 1_000  # messages per first read of a conversation (doubled until the range is covered)

_WORDS: Final[dict[str, dict[str, str]]] = {
    "zh": {
        "customer": "买家",
        "agent": "客服",
        "system": "系统",
        "image": "图片",
        "product": "商品",
        "order": "订单",
    },
    "en": {
        "customer": "Buyer",
        "agent": "Agent",
        "system": "System",
        "image": "Image",
        "product": "Product",
        "order": "Order",
    },
}
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_encode_json = msgspec.json.Encoder().encode


@dataclass(frozen=True, slots=True)
class Transcript:
    """One conversation's messages in the exported range, oldest first, with who the customer is."""

    conversation_id: str
    customer_id: str
    customer_nickname: str
    messages: list[Message]


def readable_text(message: Message, lang: Lang = "zh") -> str:
    """The text of a message, or a rendering of the rest: ``[图片 800x600]``, ``[商品] 标题 ¥59.90``,
    ``[订单] o-123`` (``lang="en"``: ``[Image ...]``, ``[Product] ...``, ``[Order] ...``)."""
    body = message.body
    words = _WORDS[lang]
    if message.kind == "image":
        return f"[{words['image']} {body['width']}x{body['height']}]"
    if message.kind == "product":
        cents = int(body["price_cents"])
        return f"[{words['product']}] {body['title']} ¥{cents // 100}.{cents % 100:02d}"
    if message.kind == "order":
        return f"[{words['order']}] {body['order_id']}"
    return str(body["text"])


def _local_time(ms: int, tz: tzinfo) -> datetime | None:
    try:
        return (_EPOCH + timedelta(milliseconds=ms)).astimezone(tz)
    except OverflowError:  # after the year 9999: only a broken server sends that
        return None


def iso_time(ms: int, tz: tzinfo = CHINA_TZ) -> str:
    """``ms`` since the epoch as ISO 8601 with milliseconds and offset: ``2025-11-25T00:00:00.000+08:00``."""
    local = _local_time(ms, tz)
    return str(ms) if local is None else local.isoformat(timespec="milliseconds")


def transcript_time(ms: int, tz: tzinfo = CHINA_TZ) -> str:
    """``ms`` since the epoch as the text format shows it: ``2025-11-25 00:00:00``."""
    local = _local_time(ms, tz)
    return str(ms) if local is None else local.strftime("%Y-%m-%d %H:%M:%S")


def parse_time(text: str, tz: tzinfo = CHINA_TZ) -> int:
    """A date or time as given on the command line (``2026-11-25``, ``2026-11-25T14:03``, ISO 8601 with or
    without an offset; no offset means ``tz``), as ms since the epoch. Raises ValueError."""
    moment = datetime.fromisoformat(text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def conversation_messages(
    store: LocalStore, conversation_id: str, since_ms: int | None = None, until_ms: int | None = None
) -> list[Message]:
    """Every cached message of a conversation created in ``[since_ms, until_ms)``, oldest first."""
    limit = PAGE
    while True:
        # The newest `limit` before until_ms; enough once the page is short or reaches back past since_ms.
        page = store.messages(conversation_id, before_created_at=until_ms, limit=limit)
        if len(page) < limit or (since_ms is not None and page[0].created_at < since_ms):
            break
        limit *= 2
    if since_ms is None:
        return page
    return [message for message in page if message.created_at >= since_ms]


def transcripts(
    store: LocalStore,
    *,
    conversation_id: str | None = None,
    since_ms: int | None = None,
    until_ms: int | None = None,
) -> Iterator[Transcript]:
    """The conversations with messages in ``[since_ms, until_ms)`` (all, or just ``conversation_id``), in
    the order of their first such message, one at a time."""
    if conversation_id is None:
        ids = store.conversation_ids_by_first_message(since_ms=since_ms, until_ms=until_ms)
    else:
        ids = [conversation_id]
    for cid in ids:
        found = conversation_messages(store, cid, since_ms, until_ms)
        if not found:
            continue
        conversation = store.conversation(cid)
        if conversation is not None:
            customer_id = conversation.customer_id
        else:  # messages without their conversation (a history page kept, the conversation long gone)
            customer_id = next((m.sender.id for m in found if m.sender.role == "customer"), "")
        nickname = conversation.customer_nickname if conversation is not None else None
        if not nickname and customer_id:
            customer = store.customer(customer_id)
            nickname = customer.nickname if customer is not None else None
        yield Transcript(cid, customer_id, nickname or "", found)


def _columns(transcript: Transcript, message: Message, tz: tzinfo, lang: Lang) -> list[str]:
    return [
        transcript.conversation_id,
        transcript.customer_id,
        transcript.customer_nickname,
        message.id,
        message.client_msg_id or "",
        message.sender.role,
        message.sender.id,
        message.kind,
        readable_text(message, lang),
        iso_time(message.created_at, tz),
    ]


def csv_safe(cell: str) -> str:
    """``cell`` as a spreadsheet shows it but never runs it: ``'`` before a leading ``= + - @``, tab or CR."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _write_jsonl(out: TextIO, found: Iterator[Transcript], tz: tzinfo, lang: Lang) -> int:
    count = 0
    for transcript in found:
        for message in transcript.messages:
            record: dict[str, Any] = dict(zip(COLUMNS, _columns(transcript, message, tz, lang), strict=True))
            record["client_msg_id"] = message.client_msg_id
            record["body"] = message.body
            out.write(_encode_json(record).decode("utf-8") + "\n")
            count += 1
    return count


def _write_csv(out: TextIO, found: Iterator[Transcript], tz: tzinfo, lang: Lang) -> int:
    out.write(CSV_BOM)
    writer = csv.writer(out)  # RFC 4180 rows ending in CRLF: give it a stream opened with newline=""
    writer.writerow(COLUMNS)
    count = 0
    for transcript in found:
        for message in transcript.messages:
            writer.writerow([csv_safe(cell) for cell in _columns(transcript, message, tz, lang)])
            count += 1
    return count


def _one_line(text: str) -> str:
    """A name or id for the text format: any line break in it becomes a space."""
    return " ".join(text.splitlines())


def _speaker(transcript: Transcript, message: Message, lang: Lang) -> str:
    words = _WORDS[lang]
    sender = message.sender
    if sender.role == "system":
        return words["system"]
    name = sender.id
    if sender.role == "customer" and sender.id == transcript.customer_id and transcript.customer_nickname:
        name = transcript.customer_nickname
    return f"{words[sender.role]} {_one_line(name)}"


def _write_text(out: TextIO, found: Iterator[Transcript], tz: tzinfo, lang: Lang) -> int:
    count = 0
    for transcript in found:
        if count:
            out.write("\n")
        who = transcript.customer_nickname or transcript.customer_id or "?"
        out.write(f"=== {_one_line(who)} ({_one_line(transcript.conversation_id)}) ===\n")
        for message in transcript.messages:
            first, *rest = readable_text(message, lang).splitlines() or [""]
            when = transcript_time(message.created_at, tz)
            out.write(f"{when} {_speaker(transcript, message, lang)}: {first}\n")
            for line in rest:
                out.write(f"{CONTINUATION}{line}\n")
            count += 1
    return count


_WRITERS: Final = {"jsonl": _write_jsonl, "csv": _write_csv, "text": _write_text}


def export_transcripts(
    store: LocalStore,
    out: TextIO,
    *,
    fmt: Format,
    conversation_id: str | None = None,
    since_ms: int | None = None,
    until_ms: int | None = None,
    tz: tzinfo = CHINA_TZ,
    lang: Lang = "zh",
) -> int:
    """Write the cached messages of every conversation (or of ``conversation_id``) created in
    ``[since_ms, until_ms)`` to ``out`` as ``fmt``; return how many messages were written.

    Times are shown in ``tz``. ``lang`` picks the words of the text format (买家/客服/系统 or
    Buyer/Agent/System) and of the renderings of images, products and orders. For ``csv`` open ``out``
    with ``newline=""``. A conversation is read whole (within the range) before it is written.
    """
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
    if lang not in _WORDS:
        raise ValueError(f"unknown language {lang!r}; one of {', '.join(LANGS)}")
    found = transcripts(store, conversation_id=conversation_id, since_ms=since_ms, until_ms=until_ms)
    return writer(out, found, tz, lang)
