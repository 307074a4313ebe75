"""One tab of the conversation list (进行中 / 排队 / 已结束) as a Qt list model over a ConversationBook.

The model keeps its own snapshot of the rows it has announced, so ``data()`` always agrees with the signals
it sent, even between a change in the book and the model catching up. Every update (a batch of book changes,
a new filter, a new tab, a tick of the clock) goes through one diff, :meth:`ConversationListModel._sync`:

1. rows that left the list are removed (``beginRemoveRows``, one call per contiguous run, bottom-up);
2. the survivors are put in their new relative order (one ``layoutChanged`` with persistent indexes moved),
   only when that order changed;
3. new rows are inserted at their final positions (``beginInsertRows``, one call per contiguous run);
4. rows whose conversation object was replaced get ``dataChanged``.

:meth:`tick` moves the clock: it re-sorts and emits ``dataChanged`` for the wait roles only on rows whose
displayed wait (text or level) changed.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from desktop.core.conversations import Change, ConversationBook
from desktop.core.wait_timer import (
    DEFAULT_THRESHOLDS,
    WaitLevel,
    WaitThresholds,
    level_of,
    wait_ms,
)
from desktop.protocol.objects import Conversation, ConversationStatus
from desktop.ui.i18n import kind_label, wait_text
from desktop.ui.plain_text import one_line, plain_tooltip
from desktop.ui.row_list_model import RowListModel
from desktop.ui.row_runs import contiguous_runs

_USER = int(Qt.ItemDataRole.UserRole)


class ConversationRole(enum.IntEnum):
    ID = _USER + 1
    NICKNAME = _USER + 2
    AVATAR_INITIAL = _USER + 3
    LEVEL = _USER + 4  # member level, "" when unknown
    PREVIEW = _USER + 5  # last message as one line of plain text
    UNREAD = _USER + 6
    WAIT_MS = _USER + 7  # int, or None when nobody waits (computed at the model's now_ms)
    WAIT_LEVEL = _USER + 8  # WaitLevel
    WAIT_TEXT = _USER + 9  # format_wait(...) in the interface language, "" when nobody waits
    ASSIGNEE = _USER + 10  # agent id, or None
    DETACHED = _USER + 11  # bool: the chat is open in a window of its own


WAIT_ROLES = [
    int(role) for role in (ConversationRole.WAIT_MS, ConversationRole.WAIT_LEVEL, ConversationRole.WAIT_TEXT)
]


def display_name(conv: Conversation) -> str:
    return one_line(conv.customer_nickname or "") or conv.customer_id


def avatar_initial(conv: Conversation) -> str:
    name = display_name(conv)
    return name[0].upper() if name else "?"


def preview_text(conv: Conversation) -> str:
    """The last message as one plain line: text as is, "[图片]" for an image, "[商品] 标题" for a product…"""
    message = conv.last_message
    if message is None:
        return ""
    body = message.body
    label = kind_label(message.kind)
    if not label:
        text = body.get("text")
        return one_line(text) if isinstance(text, str) else ""
    detail = body.get("title") if message.kind == "product" else None
    return f"{label} {one_line(detail)}" if isinstance(detail, str) and detail else label


class ConversationListModel(RowListModel):
    """One tab of the conversation list, most urgent first, filtered by the search box."""

    ROLES = ConversationRole

    def __init__(
        self,
        book: ConversationBook,
        status: ConversationStatus = "active",
        now_ms: int = 0,
        *,
        filter_text: str = "",
        thresholds: WaitThresholds = DEFAULT_THRESHOLDS,
        subscribe: bool = True,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self._book = book
        self._status: ConversationStatus = status
        self._now_ms = now_ms
        self._filter = filter_text
        self._thresholds = thresholds
        self._levels: dict[str, str] = {}
        self._detached: frozenset[str] = frozenset()
        self._rows: list[Conversation] = book.ordered(now_ms, status, filter_text)
        self._shown: dict[str, tuple[str, WaitLevel]] = {c.id: self._wait_shown(c) for c in self._rows}
        self._unsubscribe = book.subscribe(self.apply) if subscribe else None

    # --- Qt model interface -------------------------------------------------------------------------

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        conv = self.row_at(index)
        if conv is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, ConversationRole.NICKNAME):
            return display_name(conv)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(preview_text(conv))
        if role == ConversationRole.ID:
            return conv.id
        if role == ConversationRole.AVATAR_INITIAL:
            return avatar_initial(conv)
        if role == ConversationRole.LEVEL:
            return self._levels.get(conv.customer_id, "")
        if role == ConversationRole.PREVIEW:
            return preview_text(conv)
        if role == ConversationRole.UNREAD:
            return conv.unread
        if role == ConversationRole.WAIT_MS:
            return wait_ms(conv, self._now_ms)
        if role == ConversationRole.WAIT_LEVEL:
            return level_of(wait_ms(conv, self._now_ms), self._thresholds)
        if role == ConversationRole.WAIT_TEXT:
            return self._wait_shown(conv)[0]
        if role == ConversationRole.ASSIGNEE:
            return conv.assignee_id
        if role == ConversationRole.DETACHED:
            return conv.id in self._detached
        return None

    # --- what the list shows --------------------------------------------------------------------------

    @property
    def now_ms(self) -> int:
        return self._now_ms

    @property
    def status(self) -> ConversationStatus:
        return self._status

    def conversation_ids(self) -> list[str]:
        return [conv.id for conv in self._rows]

    def row_of(self, conv_id: str) -> int | None:
        return next((row for row, conv in enumerate(self._rows) if conv.id == conv_id), None)

    def set_status(self, status: ConversationStatus) -> None:
        """Show another tab (active = 进行中, waiting = 排队, closed = 已结束)."""
        self._status = status
        self._sync()

    def set_filter(self, text: str) -> None:
        """The search box text (nickname, customer id, message text, pinyin; see ConversationBook.matches)."""
        self._filter = text
        self._sync()

    def set_levels(self, levels: Mapping[str, str]) -> None:
        """Member levels by customer id (from customer.get); rows whose level changed are refreshed."""
        old, self._levels = self._levels, dict(levels)
        changed = [r for r, c in enumerate(self._rows) if old.get(c.customer_id) != levels.get(c.customer_id)]
        self._emit_changed(changed, [int(ConversationRole.LEVEL)])

    def set_thresholds(self, thresholds: WaitThresholds) -> None:
        """When waits turn amber and red (the settings' 等待提醒): every row's colour is recomputed."""
        self._thresholds = thresholds
        self._shown = {conv.id: self._wait_shown(conv) for conv in self._rows}
        self._emit_changed(range(len(self._rows)), WAIT_ROLES)

    @property
    def thresholds(self) -> WaitThresholds:
        return self._thresholds

    def set_detached(self, conv_ids: Iterable[str]) -> None:
        """The chats open in windows of their own (marked in the list); rows whose mark changed refresh."""
        old, self._detached = self._detached, frozenset(conv_ids)
        changed = [r for r, c in enumerate(self._rows) if (c.id in old) != (c.id in self._detached)]
        self._emit_changed(changed, [int(ConversationRole.DETACHED)])

    def apply(self, changes: Sequence[Change]) -> None:
        """Catch up with one batch of book changes (a ConversationBook listener)."""
        if changes:
            self._sync()

    def tick(self, now_ms: int) -> None:
        """Move the clock: re-sort by urgency, refresh the wait roles of rows whose displayed wait changed."""
        self._now_ms = now_ms
        self._sync()
        shown = {conv.id: self._wait_shown(conv) for conv in self._rows}
        changed = [r for r, c in enumerate(self._rows) if self._shown.get(c.id) != shown[c.id]]
        self._shown = shown
        self._emit_changed(changed, WAIT_ROLES)

    def close(self) -> None:
        """Stop listening to the book."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    # --- the diff ------------------------------------------------------------------------------------

    def _wait_shown(self, conv: Conversation) -> tuple[str, WaitLevel]:
        waited = wait_ms(conv, self._now_ms)
        return ("" if waited is None else wait_text(waited), level_of(waited, self._thresholds))

    def _sync(self) -> None:
        fresh = self._book.ordered(self._now_ms, self._status, self._filter)
        target = {conv.id: row for row, conv in enumerate(fresh)}
        gone = [row for row, conv in enumerate(self._rows) if conv.id not in target]
        for first, last in reversed(contiguous_runs(gone)):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first : last + 1]
            self.endRemoveRows()
        order = sorted(range(len(self._rows)), key=lambda row: target[self._rows[row].id])
        if order != list(range(len(self._rows))):
            self._relayout(order)
        present = {conv.id for conv in self._rows}
        for first, last in contiguous_runs(row for row, conv in enumerate(fresh) if conv.id not in present):
            self.beginInsertRows(QModelIndex(), first, last)
            self._rows[first:first] = fresh[first : last + 1]
            self.endInsertRows()
        replaced = [row for row, conv in enumerate(fresh) if self._rows[row] is not conv]
        self._rows = fresh
        for row in replaced:
            self._shown[fresh[row].id] = self._wait_shown(fresh[row])
        for row in [r for r in range(len(fresh)) if fresh[r].id not in present]:
            self._shown[fresh[row].id] = self._wait_shown(fresh[row])
        self._emit_changed(replaced, [])

    def _relayout(self, order: list[int]) -> None:
        """Put the rows in ``order`` (new row → old row), moving persistent indexes with them."""
        self.layoutAboutToBeChanged.emit()
        new_row = {old: new for new, old in enumerate(order)}
        self._rows = [self._rows[old] for old in order]
        before = self.persistentIndexList()
        after = [self.index(new_row[index.row()], 0) if index.isValid() else index for index in before]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _emit_changed(self, rows: Iterable[int], roles: list[int]) -> None:
        for first, last in contiguous_runs(rows):
            self.dataChanged.emit(self.index(first, 0), self.index(last, 0), roles)
