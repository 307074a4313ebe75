"""The global search's results: one row per message found, newest first, with where the query matched.

Rows carry what the delegate draws — the buyer's nickname, when, and the message text with the matched
spans (UTF-16 offsets, ready for Qt) — and what opening a hit needs (conversation and message id). All
text is plain: it is what buyers and agents wrote.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from desktop.store.search import SearchHit, normalise_query
from desktop.store.text import find_spans, fold, utf16_spans
from desktop.ui.plain_text import one_line
from desktop.ui.row_list_model import RowListModel

_USER = int(Qt.ItemDataRole.UserRole)


class SearchRole(enum.IntEnum):
    CONVERSATION_ID = _USER + 1
    MESSAGE_ID = _USER + 2
    NICKNAME = _USER + 3  # the buyer of that conversation (plain, one line)
    TEXT = _USER + 4  # the message as searched (plain, one line)
    SPANS = _USER + 5  # [(start, end)] of the query in TEXT, UTF-16 offsets
    CREATED_AT = _USER + 6  # ms


@dataclass(frozen=True, slots=True)
class _Row:
    conversation_id: str
    message_id: str
    nickname: str
    text: str
    spans: list[tuple[int, int]]
    created_at: int


class SearchResultsModel(RowListModel):
    ROLES = SearchRole

    def __init__(self, nickname_of: Callable[[str], str], parent: Any = None) -> None:
        super().__init__(parent)
        self._nickname_of = nickname_of  # conversation id → the buyer's nickname
        self._rows: list[_Row] = []
        self.query = ""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        row = self.row_at(index)
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, SearchRole.TEXT):
            return row.text
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.nickname}: {row.text}"
        return {
            SearchRole.CONVERSATION_ID: row.conversation_id,
            SearchRole.MESSAGE_ID: row.message_id,
            SearchRole.NICKNAME: row.nickname,
            SearchRole.SPANS: row.spans,
            SearchRole.CREATED_AT: row.created_at,
        }.get(role)  # type: ignore[call-overload]

    def set_hits(self, query: str, hits: Sequence[SearchHit]) -> None:
        """The results of ``query`` (replacing the previous ones)."""
        self.beginResetModel()
        self.query = query
        self._rows = [self._row(hit, query) for hit in hits]
        self.endResetModel()

    def _row(self, hit: SearchHit, query: str) -> _Row:
        message = hit.message
        text = one_line(hit.text)
        spans = hit.spans
        if text != hit.text:  # whitespace runs collapsed: find the query again in what is shown
            folded = fold(text)
            spans = find_spans(folded, normalise_query(query)) if len(folded) == len(text) else []
        return _Row(
            conversation_id=message.conversation_id,
            message_id=message.id,
            nickname=one_line(self._nickname_of(message.conversation_id)),
            text=text,
            spans=utf16_spans(text, spans),
            created_at=message.created_at,
        )
