"""How long a buyer has been waiting, how urgent that is, and the order of the conversation list.

Everything here is a pure function of a :class:`~desktop.protocol.objects.Conversation` and ``now_ms`` (the
caller reads the clock), so a list can be re-sorted and recoloured once a second without any I/O.

A buyer *waits* from ``waiting_since`` (the oldest buyer message the shop has not answered yet) until an agent
replies; the server clears ``waiting_since`` on that reply. A closed conversation never waits.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final, Literal, TypeAlias

from desktop.protocol.objects import Conversation

Lang = Literal["zh", "en"]
UrgencyKey: TypeAlias = tuple[int, int, int, int, str]

SECOND_MS: Final = 1_000
MINUTE_MS: Final = 60 * SECOND_MS
HOUR_MS: Final = 60 * MINUTE_MS
DAY_MS: Final = 24 * HOUR_MS


@dataclass(frozen=True, slots=True)
class WaitThresholds:
    """When a wait turns amber and red (shop-configurable; defaults 30 s and 100 s)."""

    amber_ms: int = 30_000
    red_ms: int = 100_000

    def __post_init__(self) -> None:
        if self.amber_ms <= 0:
            raise ValueError(f"amber_ms must be positive, not {self.amber_ms}")
        if self.red_ms <= self.amber_ms:
            raise ValueError(f"red_ms ({self.red_ms}) must be greater than amber_ms ({self.amber_ms})")


DEFAULT_THRESHOLDS: Final = WaitThresholds()


class WaitLevel(enum.Enum):
    """How urgent a conversation is: ``NONE`` when nobody waits, then ok → amber → red as the wait grows."""

    NONE = "none"
    OK = "ok"
    AMBER = "amber"
    RED = "red"


def wait_ms(conv: Conversation, now_ms: int) -> int | None:
    """How long the buyer has waited for an answer, or None when nobody waits (or it is closed).

    A ``waiting_since`` in the future (clock skew between server and client) counts as 0, never negative.
    """
    if conv.waiting_since is None or conv.status == "closed":
        return None
    return max(0, now_ms - conv.waiting_since)


def level_of(waited_ms: int | None, thresholds: WaitThresholds = DEFAULT_THRESHOLDS) -> WaitLevel:
    """The level of a wait of ``waited_ms``: amber from ``amber_ms`` on, red from ``red_ms`` on."""
    if waited_ms is None:
        return WaitLevel.NONE
    if waited_ms >= thresholds.red_ms:
        return WaitLevel.RED
    if waited_ms >= thresholds.amber_ms:
        return WaitLevel.AMBER
    return WaitLevel.OK


def wait_level(conv: Conversation, now_ms: int, thresholds: WaitThresholds = DEFAULT_THRESHOLDS) -> WaitLevel:
    """The colour of ``conv`` at ``now_ms``."""
    return level_of(wait_ms(conv, now_ms), thresholds)


def last_activity_ms(conv: Conversation) -> int:
    """When something last happened in ``conv``: its last message, else its creation."""
    if conv.last_message is not None:
        return max(conv.last_message.created_at, conv.created_at)
    return conv.created_at


_STATUS_RANK: Final = {"active": 0, "waiting": 1, "closed": 2}


def urgency_key(conv: Conversation, now_ms: int) -> UrgencyKey:
    """Sort key (ascending = most urgent first) of the conversation list.

    1. ``active`` conversations (进行中), then ``waiting`` ones (排队), then ``closed`` ones (已结束).
    2. Active: those with a waiting buyer first, longest wait first; then those with unread messages, newest
       activity first; then the rest, newest activity first.
    3. Queued: longest-waiting first (the queue is served first come, first served); queued conversations
       without ``waiting_since`` after them, oldest first.
    4. Closed: newest activity first.
    5. Ties are broken by ``id``, so the key is a total order over conversations with distinct ids and a
       sorted list never jitters between ticks.
    """
    rank = _STATUS_RANK[conv.status]
    waited = wait_ms(conv, now_ms)
    activity = last_activity_ms(conv)
    if rank == 0:
        if waited is not None:
            return (0, 0, -waited, -activity, conv.id)
        if conv.unread > 0:
            return (0, 1, -activity, 0, conv.id)
        return (0, 2, -activity, 0, conv.id)
    if rank == 1:
        if waited is not None:
            return (1, 0, -waited, conv.created_at, conv.id)
        return (1, 1, conv.created_at, 0, conv.id)
    return (2, 0, -activity, 0, conv.id)


_UNITS: Final[dict[Lang, tuple[str, str, str, str]]] = {
    "zh": ("天", "小时", "分", "秒"),
    "en": ("d", "h", "m", "s"),
}


def format_wait(ms: int, lang: Lang = "zh") -> str:
    """A wait for people, two units at most, rounded down: "12秒", "1分05秒", "1小时2分", "2天3小时".

    English (``lang="en"``): "12s", "1m 05s", "1h 2m", "2d 3h". Negative waits show as zero.
    """
    day, hour, minute, second = _UNITS[lang]
    sep = " " if lang == "en" else ""
    total_s = max(0, ms) // SECOND_MS
    days, rest = divmod(total_s, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}{day}{sep}{hours}{hour}" if hours else f"{days}{day}"
    if hours:
        return f"{hours}{hour}{sep}{minutes}{minute}" if minutes else f"{hours}{hour}"
    if minutes:
        return f"{minutes}{minute}{sep}{seconds:02d}{second}"
    return f"{seconds}{second}"
