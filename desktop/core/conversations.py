"""The workbench's view of its conversations: tabs, urgency order, search box, badges, change notices.

:class:`ConversationBook` holds the latest :class:`~desktop.protocol.objects.Conversation` of each id (as
``sync.snapshot``, ``conversation.*`` events and ``message.created`` deliver them) and answers what the list
and the tab bar show: 进行中 / 排队 / 已结束 ordered by :func:`~desktop.core.wait_timer.urgency_key` at a
given ``now_ms``, the search-box filter, unread totals and how many conversations are red right now.

Listeners are told what changed without Qt: each gets a list of :class:`Change` per *batch*. Outside
:meth:`ConversationBook.batch` every call is its own batch; inside one, changes are coalesced per id
(added + updated → added, added + removed → nothing, removed + added → updated) and delivered once when the
outermost batch ends, so a burst of events becomes one model reset or one set of row updates.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from desktop.core.pinyin_keys import PinyinKeys, fold, fold_query, pinyin_keys
from desktop.core.wait_timer import DEFAULT_THRESHOLDS, WaitLevel, WaitThresholds, urgency_key, wait_level
from desktop.protocol.objects import Conversation, ConversationStatus


class ChangeKind(enum.Enum):
    ADDED = "added"
    UPDATED = "updated"
    REMOVED = "removed"


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    id: str


Listener = Callable[[Sequence[Change]], None]


def _message_text(conv: Conversation) -> str:
    message = conv.last_message
    if message is None:
        return ""
    text = message.body.get("text") or message.body.get("title") or ""
    return text if isinstance(text, str) else ""


@dataclass(slots=True)
class _Entry:
    conv: Conversation
    haystack: str  # folded nickname, customer id and last message text, separated by a control character
    _keys: PinyinKeys | None
    _cache: dict[str, PinyinKeys]

    @property
    def nickname_keys(self) -> PinyinKeys:
        """Computed on the first pinyin search, not when the list loads (~150 µs a nickname)."""
        if self._keys is None:
            nickname = self.conv.customer_nickname or ""
            keys = self._cache.get(nickname)
            if keys is None:
                keys = self._cache[nickname] = pinyin_keys(nickname)
            self._keys = keys
        return self._keys


class ConversationBook:
    """Conversations by id, with ordered tab lists, filtering, counts and batched change notices."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._listeners: list[Listener] = []
        self._batch_depth = 0
        self._pending: dict[str, ChangeKind] = {}
        self._keys_cache: dict[str, PinyinKeys] = {}  # nickname → keys: nicknames repeat, pinyin is slow

    # --- notices ----------------------------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` with each batch of changes; returns a function that unsubscribes it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Coalesce the changes made inside into one notice, delivered when the outermost batch ends."""
        self._batch_depth += 1
        try:
            yield
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._flush()

    def _note(self, kind: ChangeKind, conv_id: str) -> None:
        before = self._pending.pop(conv_id, None)
        if before is None:
            merged: ChangeKind | None = kind
        elif before is ChangeKind.ADDED:
            merged = None if kind is ChangeKind.REMOVED else ChangeKind.ADDED
        elif before is ChangeKind.REMOVED:
            merged = ChangeKind.UPDATED if kind is ChangeKind.ADDED else kind
        else:
            merged = kind
        if merged is not None:
            self._pending[conv_id] = merged
        if self._batch_depth == 0:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        changes = [Change(kind, conv_id) for conv_id, kind in self._pending.items()]
        self._pending = {}
        for listener in list(self._listeners):
            listener(changes)

    # --- updates ----------------------------------------------------------------------------------------

    def _entry(self, conv: Conversation) -> _Entry:
        nickname = conv.customer_nickname or ""
        haystack = "\x1f".join((fold(nickname), fold(conv.customer_id), fold(_message_text(conv))))
        old = self._entries.get(conv.id)
        keep = old._keys if old is not None and old.conv.customer_nickname == conv.customer_nickname else None
        return _Entry(conv, haystack, keep, self._keys_cache)

    def load(self, conversations: Iterable[Conversation]) -> None:
        """Replace everything (a ``sync.snapshot``): one batch of added, updated and removed notices."""
        fresh = {conv.id: conv for conv in conversations}
        with self.batch():
            for conv_id in [conv_id for conv_id in self._entries if conv_id not in fresh]:
                self.remove(conv_id)
            for conv in fresh.values():
                self.upsert(conv)
        in_use = {entry.conv.customer_nickname or "" for entry in self._entries.values()}
        for name in [name for name in self._keys_cache if name not in in_use]:
            del self._keys_cache[name]  # in place: entries share this dict

    def upsert(self, conv: Conversation) -> bool:
        """Add or replace ``conv``; returns whether anything changed (an equal copy is no change)."""
        old = self._entries.get(conv.id)
        if old is not None and old.conv == conv:
            return False
        self._entries[conv.id] = self._entry(conv)
        self._note(ChangeKind.ADDED if old is None else ChangeKind.UPDATED, conv.id)
        return True

    def remove(self, conv_id: str) -> bool:
        """Forget a conversation; returns whether it was there."""
        if self._entries.pop(conv_id, None) is None:
            return False
        self._note(ChangeKind.REMOVED, conv_id)
        return True

    # --- queries ----------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, conv_id: object) -> bool:
        return conv_id in self._entries

    def get(self, conv_id: str) -> Conversation | None:
        entry = self._entries.get(conv_id)
        return None if entry is None else entry.conv

    def ordered(
        self, now_ms: int, status: ConversationStatus | None = None, text: str = ""
    ) -> list[Conversation]:
        """Conversations with ``status`` (all when None) matching ``text``, most urgent first."""
        matches = _matcher(text)
        convs = [
            entry.conv
            for entry in self._entries.values()
            if (status is None or entry.conv.status == status) and matches(entry)
        ]
        convs.sort(key=lambda conv: urgency_key(conv, now_ms))
        return convs

    def active(self, now_ms: int, text: str = "") -> list[Conversation]:
        """进行中: assigned and open, waiting buyers first (see :func:`urgency_key`)."""
        return self.ordered(now_ms, "active", text)

    def queued(self, now_ms: int, text: str = "") -> list[Conversation]:
        """排队: waiting for an agent, longest-waiting first."""
        return self.ordered(now_ms, "waiting", text)

    def closed(self, now_ms: int, text: str = "") -> list[Conversation]:
        """已结束: most recently active first."""
        return self.ordered(now_ms, "closed", text)

    def filter(self, text: str, now_ms: int, status: ConversationStatus | None = None) -> list[Conversation]:
        """The search box: conversations matching ``text`` (see :meth:`matches`), most urgent first."""
        return self.ordered(now_ms, status, text)

    def matches(self, conv_id: str, text: str) -> bool:
        """Whether the conversation matches the search text.

        Case-insensitive (and full-width/half-width blind) substring of the customer's nickname, customer id
        or last message text; or, for the nickname, pinyin: initials anywhere (``xl`` and ``lz`` find
        小鹿乱撞) or full syllables from any syllable on (``xiaolu``, ``luanz``). Blank text matches all.
        """
        entry = self._entries.get(conv_id)
        return entry is not None and _matcher(text)(entry)

    def tab_counts(self) -> dict[ConversationStatus, int]:
        """How many conversations each tab holds."""
        counts: dict[ConversationStatus, int] = {"active": 0, "waiting": 0, "closed": 0}
        for entry in self._entries.values():
            counts[entry.conv.status] += 1
        return counts

    def unread_total(self, status: ConversationStatus | None = "active") -> int:
        """Unread buyer messages over ``status`` conversations (all open ones when None: active + queued)."""
        return sum(
            entry.conv.unread
            for entry in self._entries.values()
            if entry.conv.status == status or (status is None and entry.conv.status != "closed")
        )

    def level_counts(
        self,
        now_ms: int,
        status: ConversationStatus = "active",
        thresholds: WaitThresholds = DEFAULT_THRESHOLDS,
    ) -> Counter[WaitLevel]:
        """How many ``status`` conversations are at each wait level now (``counts[WaitLevel.RED]``…)."""
        return Counter(
            wait_level(entry.conv, now_ms, thresholds)
            for entry in self._entries.values()
            if entry.conv.status == status
        )


def _matcher(text: str) -> Callable[[_Entry], bool]:
    """The search-box predicate for ``text``, with the query folded once (not once per conversation)."""
    needle = fold(text).strip()
    if not needle:
        return lambda entry: True
    query = fold_query(text)
    pinyin = query.isascii() and query.isalnum()

    def matches(entry: _Entry) -> bool:
        if needle in entry.haystack:
            return True
        if not pinyin:
            return False
        keys = entry.nickname_keys
        return (
            keys.match_initials(query, prefix_only=False) is not None
            or keys.match_full(query, prefix_only=False) is not None
        )

    return matches
