"""How one quick reply matches what the agent typed: the keys kept per phrase and the ranking loop.

A phrase's pinyin is computed once (:mod:`desktop.core.pinyin_keys`) and flattened into two strings per text
that one C-level ``in`` can test: ``initials`` (``"\\x01" + initials`` per reading) and ``full`` (per reading,
``"\\x01"`` + the joined syllables, then ``"\\x00"`` + the syllables from each later syllable on, each cut
at :data:`MAX_FAST_QUERY` letters). "Starts with q" is then ``"\\x01" + q in initials``, "from a syllable
on" is ``"\\x00" + q in full``: no Python loop over syllables, no pypinyin call per keystroke.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from desktop.core.pinyin_keys import PinyinKeys, Span, fold, fold_query, pinyin_keys
from desktop.core.placeholders import PLACEHOLDER_RE
from desktop.protocol.objects import QuickReply

MAX_FAST_QUERY: Final = 24  # pinyin queries up to this length use the flattened keys; longer: the slow path
_READING: Final = "\x01"  # starts each reading in a flattened key
_SYLLABLE: Final = "\x00"  # starts each syllable suffix in a flattened full-pinyin key


class MatchTier(enum.IntEnum):
    SHORTCUT_EXACT = 0
    SHORTCUT_PREFIX = 1
    INITIALS_PREFIX = 2
    GROUP_INITIALS_PREFIX = 3
    PINYIN_PREFIX = 4
    PINYIN_SUBSTRING = 5
    GROUP_PINYIN = 6
    TEXT_SUBSTRING = 7
    GROUP_SUBSTRING = 8
    SHORTCUT_SUBSTRING = 9
    ALL = 10  # the empty query


@dataclass(frozen=True, slots=True)
class TextKeys:
    """What matching needs of one text: folded text, pinyin keys, and their flattened forms."""

    folded: str
    pinyin: PinyinKeys
    initials: str  # "\x01" + initials, per reading
    full: str  # per reading: "\x01" + full[:24], then "\x00" + full[s:s+24] for each later syllable start s

    @classmethod
    def of(cls, text: str) -> TextKeys:
        """Keys of ``text``, placeholders blanked out first (``cm`` must not find ``{customer.nickname}``)."""
        text = PLACEHOLDER_RE.sub(lambda match: " " * len(match.group()), text)
        keys = pinyin_keys(text)
        initials = "".join(_READING + reading.initials for reading in keys.readings)
        full = "".join(
            _READING
            + reading.full[:MAX_FAST_QUERY]
            + "".join(
                _SYLLABLE + reading.full[start : start + MAX_FAST_QUERY] for start in reading.starts[1:]
            )
            for reading in keys.readings
        )
        return cls(fold(text), keys, initials, full)

    def pinyin_tier(self, query: str) -> int:
        """0: no pinyin match, 1: from the first syllable, 2: from a later one (any ``query`` length)."""
        if len(query) <= MAX_FAST_QUERY:
            return 1 if _READING + query in self.full else 2 if _SYLLABLE + query in self.full else 0
        if self.pinyin.match_full(query, prefix_only=True):
            return 1
        return 2 if self.pinyin.match_full(query, prefix_only=False) else 0


@dataclass(frozen=True, slots=True)
class IndexedReply:
    reply: QuickReply
    scope_rank: int
    group: str
    shortcut: str
    keys: TextKeys


@dataclass(frozen=True, slots=True)
class TypedQuery:
    """A query folded once: ``text`` for substrings, ``pinyin`` (no spaces) for shortcuts and pinyin."""

    text: str
    pinyin: str
    is_pinyin: bool  # only ASCII letters and digits: the pinyin tiers apply

    @classmethod
    def of(cls, query: str) -> TypedQuery:
        pinyin = fold_query(query)
        return cls(fold(query).strip(), pinyin, pinyin.isascii() and pinyin.isalnum())

    def narrows(self, earlier: TypedQuery) -> bool:
        """Whether every match of this query also matches ``earlier`` (the agent typed on)."""
        return self.text.startswith(earlier.text) and self.pinyin.startswith(earlier.pinyin)


def rank(
    q: TypedQuery, replies: list[IndexedReply], candidates: Iterable[int], groups: dict[str, TextKeys]
) -> list[list[int]]:
    """Positions (in ``replies``) of the matches among ``candidates``, per tier, each tier in ranking order.

    The hot loop of a keystroke. ``candidates`` must be increasing; ``replies`` in the stable order.
    """
    text, pinyin, is_pinyin = q.text, q.pinyin, q.is_pinyin
    fast = is_pinyin and len(pinyin) <= MAX_FAST_QUERY
    at_start, at_syllable = _READING + pinyin, _SYLLABLE + pinyin
    group_tiers = {name: group_tier(keys, q) for name, keys in groups.items()}
    tiers: list[list[int]] = [[] for _ in MatchTier]
    in_text: list[tuple[int, int, int]] = []  # (scope, position, order): the text-substring tier's order
    for order in candidates:
        entry = replies[order]
        shortcut, keys = entry.shortcut, entry.keys
        if shortcut == pinyin:
            tiers[MatchTier.SHORTCUT_EXACT].append(order)
        elif shortcut.startswith(pinyin):
            tiers[MatchTier.SHORTCUT_PREFIX].append(order)
        elif is_pinyin and at_start in keys.initials:
            tiers[MatchTier.INITIALS_PREFIX].append(order)
        else:
            in_group = group_tiers[entry.group]
            if in_group is MatchTier.GROUP_INITIALS_PREFIX:
                tiers[in_group].append(order)
            elif fast and at_start in keys.full:
                tiers[MatchTier.PINYIN_PREFIX].append(order)
            elif fast and at_syllable in keys.full:
                tiers[MatchTier.PINYIN_SUBSTRING].append(order)
            elif is_pinyin and not fast and (slow := keys.pinyin_tier(pinyin)):
                tiers[MatchTier.PINYIN_PREFIX if slow == 1 else MatchTier.PINYIN_SUBSTRING].append(order)
            elif in_group is MatchTier.GROUP_PINYIN:
                tiers[in_group].append(order)
            elif (position := keys.folded.find(text)) >= 0:
                in_text.append((entry.scope_rank, position, order))
            elif in_group is not None:
                tiers[in_group].append(order)
            elif pinyin in shortcut:
                tiers[MatchTier.SHORTCUT_SUBSTRING].append(order)
    in_text.sort()
    tiers[MatchTier.TEXT_SUBSTRING] = [order for _, _, order in in_text]
    return tiers


def group_tier(keys: TextKeys, q: TypedQuery) -> MatchTier | None:
    """The best group tier of one group (computed once per query, not once per phrase)."""
    if q.is_pinyin and _READING + q.pinyin in keys.initials:
        return MatchTier.GROUP_INITIALS_PREFIX
    if q.is_pinyin and keys.pinyin_tier(q.pinyin):
        return MatchTier.GROUP_PINYIN
    if q.text in keys.folded:
        return MatchTier.GROUP_SUBSTRING
    return None


def highlight(entry: IndexedReply, tier: MatchTier, q: TypedQuery) -> Span | None:
    """The part of the phrase's text that matched, for the tiers that matched the text."""
    keys = entry.keys
    if tier is MatchTier.INITIALS_PREFIX:
        return keys.pinyin.match_initials(q.pinyin, prefix_only=True)
    if tier in (MatchTier.PINYIN_PREFIX, MatchTier.PINYIN_SUBSTRING):
        return keys.pinyin.match_full(q.pinyin, prefix_only=tier is MatchTier.PINYIN_PREFIX)
    if tier is MatchTier.TEXT_SUBSTRING and len(keys.folded) == len(entry.reply.text):
        start = keys.folded.find(q.text)
        return (start, start + len(q.text))
    return None
