"""The messages of ONE conversation as a Qt list model: messages in time order, with time-separator rows.

Rows are either a message (from the server, or one of the agent's own outbox messages still pending or
failed) or a time separator ("14:03", "昨天 09:12", "11月24日 14:03") put before a message when it is the
first one, when five minutes or more passed since the previous one, or when the day changed.

Every change goes through one diff, :meth:`ChatModel._sync`: the item list (messages and outbox rows) is
changed first, the rows (items + separators) are rebuilt from it, then

1. rows that left are removed (``beginRemoveRows``, one call per contiguous run, bottom-up);
2. new rows are inserted (``beginInsertRows``, one call per contiguous run) — so a batch of live messages at
   the end is one insert, a page of history at the top is one insert;
3. rows that stayed but changed (pending → sent / failed, a separator whose text moved) get ``dataChanged``.

Row keys are stable: a pending row keeps its key when the server's message replaces it, so ``mark_sent``
is a ``dataChanged`` in place, never a remove + insert.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, Literal

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from desktop.protocol.objects import ImageBody, Message, OrderBody, ProductBody
from desktop.ui.i18n import kind_label
from desktop.ui.plain_text import multi_line
from desktop.ui.row_list_model import RowListModel
from desktop.ui.row_runs import contiguous_runs

_USER = int(Qt.ItemDataRole.UserRole)

SEPARATOR_GAP_MS = 5 * 60 * 1000

State = Literal["sent", "pending", "failed"]


class ChatRole(enum.IntEnum):
    KEY = _USER + 1  # stable row key ("m:<id>", "c:<client_msg_id>", "s:<key of the next row>")
    MESSAGE_ID = _USER + 2  # server message id, None for a pending/failed outbox row or a separator
    KIND = _USER + 3  # text / image / product / order / system, "separator" for a separator
    SENDER_ROLE = _USER + 4  # customer / agent / system, None for a separator
    TEXT = _USER + 5  # plain display text (also DisplayRole): image → "[图片]", separator → "14:03"
    STATE = _USER + 6  # sent / pending / failed
    TIMESTAMP = _USER + 7  # created_at, ms
    IS_SEPARATOR = _USER + 8
    IMAGE_BYTES = _USER + 9  # the decoded image (bytes), decoded on first use and cached; None if broken
    IMAGE_SIZE = _USER + 10  # (width, height) as the message declares it
    PRODUCT_TITLE = _USER + 11
    PRICE_CENTS = _USER + 12
    ORDER_ID = _USER + 13
    CLIENT_MSG_ID = _USER + 14
    FAIL_REASON = _USER + 15  # why the send failed, "" otherwise
    MESSAGE = _USER + 16  # the Message itself (None for an outbox row not yet sent and for a separator)
    HIGHLIGHTED = _USER + 17  # bool: the row a search jumped to (shown with a soft background for a while)


_BODY_ROLES = frozenset(
    int(r)
    for r in (
        ChatRole.IMAGE_BYTES,
        ChatRole.IMAGE_SIZE,
        ChatRole.PRODUCT_TITLE,
        ChatRole.PRICE_CENTS,
        ChatRole.ORDER_ID,
    )
)


def chat_text(text: str) -> str:
    """``text`` safe to draw as plain, possibly multi-line text: no controls, no bidi overrides."""
    return multi_line(text)


def format_price(cents: int) -> str:
    return f"¥{cents // 100}.{cents % 100:02d}"


def separator_text(at_ms: int, now_ms: int, tz: tzinfo | None = None) -> str:
    """ "14:03" today, "昨天 09:12" yesterday, "11月24日 14:03" this year, "2023年11月24日 14:03" before
    (in English: "Yesterday 09:12", "Nov 24 14:03", "Nov 24, 2023 14:03": the date patterns are translated
    QLocale formats, and the month names come from the default QLocale that i18n sets)."""
    at = datetime.fromtimestamp(at_ms / 1000, tz)
    now = datetime.fromtimestamp(now_ms / 1000, tz)
    clock = f"{at.hour:02d}:{at.minute:02d}"
    if at.date() == now.date():
        return clock
    if at.date() == now.date() - timedelta(days=1):
        return QCoreApplication.translate("ChatModel", "昨天 %1").replace("%1", clock)
    if at.year == now.year:
        pattern = QCoreApplication.translate("ChatModel", "M月d日", "QLocale date format, this year")
    else:
        pattern = QCoreApplication.translate("ChatModel", "yyyy年M月d日", "QLocale date format, another year")
    return f"{QLocale().toString(QDate(at.year, at.month, at.day), pattern)} {clock}"


@dataclass(frozen=True)
class _Item:
    """One message row: a server message (state "sent") or an outbox row (pending / failed)."""

    key: str
    created_at: int
    message: Message | None = None  # None while pending or failed
    client_msg_id: str | None = None
    text: str = ""  # the outbox text while there is no message
    state: State = "sent"
    reason: str = ""


@dataclass(frozen=True)
class _Separator:
    key: str
    created_at: int
    text: str


_Row = _Item | _Separator


def display_text(item: _Item) -> str:
    message = item.message
    if message is None:
        return chat_text(item.text)
    body = message.content()
    if isinstance(body, ImageBody):
        return kind_label("image")
    if isinstance(body, ProductBody):
        return f"{kind_label('product')} {chat_text(body.title)} {format_price(body.price_cents)}"
    if isinstance(body, OrderBody):
        return f"{kind_label('order')} {chat_text(body.order_id)}"
    return chat_text(body.text)


class ChatModel(RowListModel):
    """The chat of one conversation, oldest first. ``now_ms`` only decides how separators read."""

    ROLES = ChatRole

    def __init__(
        self, now_ms: int = 0, *, tz: tzinfo | None = None, gap_ms: int = SEPARATOR_GAP_MS, parent: Any = None
    ) -> None:
        super().__init__(parent)
        self._now_ms = now_ms
        self._tz = tz
        self._gap_ms = gap_ms
        self._items: list[_Item] = []
        self._rows: list[_Row] = []
        self._by_id: dict[str, str] = {}  # message id → item key (dedupe)
        self._images: dict[str, bytes | None] = {}  # message id → decoded bytes
        self._highlight: str | None = None  # key of the row a search jumped to

    # --- Qt model interface -------------------------------------------------------------------------

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, ChatRole.TEXT, Qt.ItemDataRole.AccessibleTextRole):
            return row.text if isinstance(row, _Separator) else display_text(row)
        if role == ChatRole.KEY:
            return row.key
        if role == ChatRole.HIGHLIGHTED:
            return row.key == self._highlight
        if role == ChatRole.IS_SEPARATOR:
            return isinstance(row, _Separator)
        if role == ChatRole.TIMESTAMP:
            return row.created_at
        if isinstance(row, _Separator):
            return "separator" if role == ChatRole.KIND else "sent" if role == ChatRole.STATE else None
        return self._item_data(row, role)

    def _item_data(self, item: _Item, role: int) -> Any:
        message = item.message
        if role == ChatRole.STATE:
            return item.state
        if role == ChatRole.CLIENT_MSG_ID:
            return item.client_msg_id
        if role == ChatRole.FAIL_REASON:
            return item.reason
        if role == ChatRole.MESSAGE:
            return message
        if message is None:  # an outbox text not yet sent
            return "text" if role == ChatRole.KIND else "agent" if role == ChatRole.SENDER_ROLE else None
        if role == ChatRole.MESSAGE_ID:
            return message.id
        if role == ChatRole.KIND:
            return message.kind
        if role == ChatRole.SENDER_ROLE:
            return message.sender.role
        if role not in _BODY_ROLES:
            return None
        body = message.content()
        if isinstance(body, ImageBody):
            if role == ChatRole.IMAGE_BYTES:
                return self._image_bytes(message.id, body)
            if role == ChatRole.IMAGE_SIZE:
                return (body.width, body.height)
        if isinstance(body, ProductBody):
            if role == ChatRole.PRODUCT_TITLE:
                return chat_text(body.title)
            if role == ChatRole.PRICE_CENTS:
                return body.price_cents
        if isinstance(body, OrderBody) and role == ChatRole.ORDER_ID:
            return chat_text(body.order_id)
        return None

    # --- reading ------------------------------------------------------------------------------------

    @property
    def now_ms(self) -> int:
        return self._now_ms

    def keys(self) -> list[str]:
        return [row.key for row in self._rows]

    def row_of(self, key: str) -> int | None:
        return next((row for row, r in enumerate(self._rows) if r.key == key), None)

    def message_ids(self) -> list[str]:
        return [item.message.id for item in self._items if item.message is not None]

    # --- changing -----------------------------------------------------------------------------------

    def set_highlight(self, key: str | None) -> None:
        """Mark the row with ``key`` (None: no row) as the one a search jumped to."""
        old, self._highlight = self._highlight, key
        for changed in {old, key} - {None}:
            row = self.row_of(changed)  # type: ignore[arg-type]
            if row is not None:
                index = self.index(row, 0)
                self.dataChanged.emit(index, index, [int(ChatRole.HIGHLIGHTED)])

    def set_messages(self, messages: Sequence[Message]) -> None:
        """Show another conversation (or a fresh load): a model reset; pending/failed outbox rows are kept."""
        self.beginResetModel()
        self._items = [item for item in self._items if item.message is None]
        self._by_id.clear()
        self._images.clear()
        self._items.sort(key=lambda item: item.created_at)
        self._merge(messages)
        self._rows = self._layout()
        self.endResetModel()

    def append(self, messages: Sequence[Message]) -> None:
        """Live messages, one batch: already-known ids are ignored, late ones go to their place in time.

        A message whose ``client_msg_id`` matches a pending or failed outbox row is the server's echo of
        the agent's own message: it replaces that row in place (as :meth:`mark_sent`).
        """
        self._merge(messages)
        self._sync()

    def prepend_older(self, messages: Sequence[Message]) -> int:
        """A page of history (older messages), inserted at the top in one batch.

        Returns how many rows now stand above the previously-first message that did not before (inserted
        rows minus a separator that moved up): the view scrolls down by their height to keep its place.
        """
        first = next((row.key for row in self._rows if isinstance(row, _Item)), None)
        before = self.row_of(first) if first is not None else 0
        self._merge(messages)
        self._sync()
        after = self.row_of(first) if first is not None else len(self._rows)
        return (after or 0) - (before or 0)

    def add_pending(self, client_msg_id: str, text: str, created_at: int) -> None:
        """The agent pressed send: a "发送中…" row. Called again for a failed row, it retries in place."""
        key = f"c:{client_msg_id}"
        at = next((i for i, item in enumerate(self._items) if item.key == key), None)
        if at is None:
            item = _Item(
                key=key, created_at=created_at, client_msg_id=client_msg_id, text=text, state="pending"
            )
            self._insert_item(item)
        elif self._items[at].message is None:
            self._items[at] = replace(self._items[at], text=text, state="pending", reason="")
        self._sync()

    def mark_sent(self, client_msg_id: str, message: Message) -> None:
        """The server accepted the agent's message: the pending row becomes ``message``, in place."""
        self._replace_pending(client_msg_id, message)
        self._sync()

    def mark_pending(self, client_msg_id: str) -> None:
        """A failed row is being sent again: back to "发送中…" (nothing happens for an unknown id)."""
        key = f"c:{client_msg_id}"
        for i, item in enumerate(self._items):
            if item.key == key and item.message is None and item.state != "pending":
                self._items[i] = replace(item, state="pending", reason="")
        self._sync()

    def mark_failed(self, client_msg_id: str, reason: str) -> None:
        """Sending failed: the row shows a red "!" and "发送失败，点击重试"."""
        key = f"c:{client_msg_id}"
        for i, item in enumerate(self._items):
            if item.key == key and item.message is None:
                self._items[i] = replace(item, state="failed", reason=reason)
        self._sync()

    def set_now(self, now_ms: int) -> None:
        """Move the clock (at midnight "14:03" becomes "昨天 14:03"): refreshes separator texts.

        Separator texts depend only on today's date, so the per-second tick re-lays out nothing until the
        day changes (every open chat gets the tick).
        """
        same_day = self._local_date(now_ms) == self._local_date(self._now_ms)
        self._now_ms = now_ms
        if not same_day:
            self._sync()

    # --- the item list ------------------------------------------------------------------------------

    def _merge(self, messages: Iterable[Message]) -> None:
        for message in messages:
            if message.id in self._by_id:
                continue
            if message.client_msg_id is not None and self._replace_pending(message.client_msg_id, message):
                continue
            self._insert_item(_Item(key=f"m:{message.id}", created_at=message.created_at, message=message))

    def _insert_item(self, item: _Item) -> None:
        at = bisect.bisect_right(self._items, item.created_at, key=lambda i: i.created_at)
        self._items.insert(at, item)
        if item.message is not None:
            self._by_id[item.message.id] = item.key

    def _replace_pending(self, client_msg_id: str, message: Message) -> bool:
        key = f"c:{client_msg_id}"
        for i, item in enumerate(self._items):
            if item.key == key:
                if item.message is not None and item.message.id != message.id:
                    return False
                # keep the row's place and time order: it is where the agent saw it go out
                self._items[i] = replace(item, message=message, state="sent", reason="", text="")
                self._by_id[message.id] = key
                return True
        return False

    # --- the diff ------------------------------------------------------------------------------------

    def _local_date(self, at_ms: int) -> date:
        return datetime.fromtimestamp(at_ms / 1000, self._tz).date()

    def _layout(self) -> list[_Row]:
        """Items with a separator before the first, after a gap of ``gap_ms``, and where the day changes."""
        rows: list[_Row] = []
        previous: _Item | None = None
        previous_day: date | None = None
        for item in self._items:
            day = self._local_date(item.created_at)  # once per item, not once per neighbour
            if (
                previous is None
                or item.created_at - previous.created_at >= self._gap_ms
                or day != previous_day
            ):
                text = separator_text(item.created_at, self._now_ms, self._tz)
                rows.append(_Separator(key=f"s:{item.key}", created_at=item.created_at, text=text))
            rows.append(item)
            previous, previous_day = item, day
        return rows

    def _sync(self) -> None:
        fresh = self._layout()
        target = {row.key: row for row in fresh}
        gone = [i for i, row in enumerate(self._rows) if row.key not in target]
        for first, last in reversed(contiguous_runs(gone)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first : last + 1]
            self.endRemoveRows()
        present = {row.key for row in self._rows}
        for first, last in contiguous_runs(i for i, row in enumerate(fresh) if row.key not in present):
            self.beginInsertRows(QModelIndex(), first, last)
            self._rows[first:first] = fresh[first : last + 1]
            self.endInsertRows()
        changed = [i for i, row in enumerate(fresh) if self._rows[i] != row]
        self._rows = fresh
        for first, last in contiguous_runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, 0), [])

    def _image_bytes(self, message_id: str, body: ImageBody) -> bytes | None:
        if message_id not in self._images:
            try:
                self._images[message_id] = base64.b64decode(body.data_b64, validate=True)
            except (binascii.Error, ValueError):
                self._images[message_id] = None
        return self._images[message_id]
