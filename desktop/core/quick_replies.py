"""Finding a quick reply (快捷短语) as the agent types: shortcut, pinyin initials, full pinyin or Chinese.

:class:`QuickReplyIndex` holds the team's and the agent's own phrases. Their pinyin is computed once per
phrase and flattened into strings that one C-level ``in`` can test (:mod:`desktop.core.quick_reply_match`);
a keystroke that extends the previous query only looks at what that query matched. A keystroke over 2,000
phrases costs a few milliseconds at worst (the first letter), far less while typing on.

Ranking of :meth:`QuickReplyIndex.search` (a phrase takes its best tier; see :class:`MatchTier`):

1. shortcut equals the query, 2. shortcut starts with it,
3. pinyin initials of the text start with it (``tk`` → 退款…), 4. initials of the group start with it,
5. full pinyin of the text starts with it (``tuikuan``), 6. full pinyin of the text contains it from a
   syllable on (``kuan`` → …退款…), 7. full pinyin of the group contains it from a syllable on,
8. the text contains it (Chinese, or any text), 9. the group contains it, 10. the shortcut contains it.

Within a tier: personal phrases before team ones, then (text substrings only) the earlier the match in the
text, then the stable order. Everything is case-insensitive and full-width/half-width blind; placeholders
such as ``{customer.nickname}`` are not searched. The *stable order* (also what an empty query returns, all
of it, whatever the limit) is: personal, then team; groups in order of first appearance; phrases in the
order given.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from desktop.core.pinyin_keys import Span, fold_query
from desktop.core.placeholders import FillResult, fill_placeholders
from desktop.core.quick_reply_match import IndexedReply, MatchTier, TextKeys, TypedQuery, highlight, rank
from desktop.protocol.objects import QuickReply, QuickReplyScope

__all__ = ["FillResult", "Match", "MatchTier", "QuickReplyIndex", "ReplyGroup", "fill_placeholders"]

SCOPE_ORDER: Final[tuple[QuickReplyScope, ...]] = ("personal", "team")


@dataclass(frozen=True, slots=True)
class Match:
    reply: QuickReply
    tier: MatchTier
    highlight: Span | None = None  # the part of ``reply.text`` that matched, when the text matched


@dataclass(frozen=True, slots=True)
class ReplyGroup:
    scope: QuickReplyScope
    name: str
    replies: tuple[QuickReply, ...]


class QuickReplyIndex:
    """Team and personal quick replies, searchable per keystroke."""

    def __init__(self, replies: Iterable[QuickReply] = ()) -> None:
        self._entries: dict[str, IndexedReply] = {}
        self._group_keys: dict[str, TextKeys] = {}
        self._ordered: list[IndexedReply] | None = None
        # The previous query and the stable positions of everything it matched: a query that extends it
        # (the next keystroke) only has to look at those.
        self._last: tuple[TypedQuery, list[int]] | None = None
        self.replace(replies)

    def replace(self, replies: Iterable[QuickReply]) -> None:
        """Index exactly ``replies`` (a ``quick_replies.list`` reply); unchanged phrases keep their keys."""
        old = self._entries
        self._entries = {}
        for reply in replies:
            kept = old.get(reply.id)
            self._entries[reply.id] = kept if kept is not None and kept.reply == reply else self._entry(reply)
        used = {entry.group for entry in self._entries.values()}
        self._group_keys = {name: keys for name, keys in self._group_keys.items() if name in used}
        self._changed()

    def upsert(self, reply: QuickReply) -> None:
        """Add or replace one phrase (``quick_replies.changed``); a replaced phrase keeps its place."""
        self._entries[reply.id] = self._entry(reply)
        self._changed()

    def remove(self, reply_id: str) -> bool:
        """Drop a phrase; returns whether it was there."""
        self._changed()
        return self._entries.pop(reply_id, None) is not None

    def _changed(self) -> None:
        self._ordered = None
        self._last = None

    def get(self, reply_id: str) -> QuickReply | None:
        entry = self._entries.get(reply_id)
        return None if entry is None else entry.reply

    def __len__(self) -> int:
        return len(self._entries)

    def _entry(self, reply: QuickReply) -> IndexedReply:
        if reply.group not in self._group_keys:
            self._group_keys[reply.group] = TextKeys.of(reply.group)
        scope_rank = SCOPE_ORDER.index(reply.scope)
        return IndexedReply(
            reply, scope_rank, reply.group, fold_query(reply.shortcut), TextKeys.of(reply.text)
        )

    def _stable(self) -> list[IndexedReply]:
        if self._ordered is None:
            group_rank: dict[tuple[int, str], int] = {}
            for entry in self._entries.values():
                group_rank.setdefault((entry.scope_rank, entry.group), len(group_rank))
            self._ordered = sorted(
                self._entries.values(),
                key=lambda entry: (entry.scope_rank, group_rank[entry.scope_rank, entry.group]),
            )  # sorted() is stable: phrases keep their given order within a group
        return self._ordered

    def groups(self, scope: QuickReplyScope | None = None) -> list[ReplyGroup]:
        """The phrases by scope and group, in the stable order (the UI's 团队 / 个人 tabs)."""
        grouped: dict[tuple[QuickReplyScope, str], list[QuickReply]] = {}
        for entry in self._stable():
            reply = entry.reply
            if scope is None or reply.scope == scope:
                grouped.setdefault((reply.scope, reply.group), []).append(reply)
        return [ReplyGroup(where, name, tuple(replies)) for (where, name), replies in grouped.items()]

    def search(self, query: str, limit: int | None = 50) -> list[Match]:
        """Phrases matching ``query``, best first (see the module docstring); an empty query returns all."""
        stable = self._stable()
        q = TypedQuery.of(query)
        if not q.text:
            return [Match(entry.reply, MatchTier.ALL) for entry in stable]
        candidates: Iterable[int] = range(len(stable))
        if self._last is not None and q.narrows(self._last[0]):
            candidates = self._last[1]
        tiers = rank(q, stable, candidates, self._group_keys)
        self._last = (q, [order for tier in tiers for order in tier])
        self._last[1].sort()
        chosen: list[tuple[MatchTier, int]] = []
        for tier in MatchTier:
            if tier is not MatchTier.ALL:
                chosen.extend((tier, order) for order in tiers[tier])
            if limit is not None and len(chosen) >= limit:
                break
        return [
            Match(stable[order].reply, tier, highlight(stable[order], tier, q))
            for tier, order in (chosen if limit is None else chosen[:limit])
        ]
