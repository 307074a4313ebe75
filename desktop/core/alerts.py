"""What deserves the agent's attention outside the chat in front: notifications, sounds, overdue reminders.

Pure decisions, no Qt and no clock (every call takes ``now_ms``), so the rules are tested with plain objects;
``desktop/ui/desktop_alerts.py`` feeds them from the workbench and shows what they decide.

New buyers and new messages (:class:`NoticePolicy`)
    A buyer assigned to me (routed, accepted, transferred) is a ``new_buyer``; a buyer's message in one of my
    active chats that is not in front is a ``new_message``. The agent's own messages, colleagues' and
    system messages never notify, nor do messages older than :data:`STALE_MS` (a catch-up after the laptop
    slept: the overdue reminder covers those chats). Events are *recorded* as the workbench signals them
    and *taken* once the batch is over, so a buyer routed to me with a first message makes one
    ``new_buyer`` notice, not two. A burst in one chat makes one notification: later notices for the same
    chat replace it (``replaces``), with the newest preview and a running count, and play no sound again
    until :data:`COALESCE_MS` after the last sound. Reading or opening the chat (:meth:`NoticePolicy.forget`)
    starts over.

Overdue chats (:class:`OverdueWatch`)
    My active chats whose buyer has waited at least the red threshold, longest first. A reminder is due when
    a chat turns red (or comes back red), then every ``overdue_repeat_s`` while any chat is red; none once
    they are all answered.

Settings (:class:`AlertSettings`)
    A small frozen value of its own, independent of the settings registry; :data:`SETTING_KEYS` is the
    mapping from the registry's keys and :meth:`AlertSettings.from_settings` reads them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeAlias

from desktop.core.wait_timer import (
    DEFAULT_THRESHOLDS,
    MINUTE_MS,
    SECOND_MS,
    WaitThresholds,
    wait_ms,
)
from desktop.protocol.objects import Conversation, Message, MessageKind

AlertKind: TypeAlias = Literal["new_buyer", "new_message", "overdue"]
ALERT_KINDS: Final[tuple[AlertKind, ...]] = ("new_buyer", "new_message", "overdue")

COALESCE_MS: Final = 5 * SECOND_MS
"""Messages of one chat this soon after its last sound update the notification silently."""
STALE_MS: Final = 10 * MINUTE_MS
"""A buyer message older than this when it arrives (a catch-up) does not notify."""
PREVIEW_CHARS: Final = 60
"""A preview longer than this is cut, with "…"."""

# --------------------------------------------------------------------------------------------- settings

SETTING_KEYS: Final[Mapping[str, str]] = {
    "notifications/enabled": "notifications",
    "notifications/new_buyer": "notify_new_buyer",
    "notifications/new_message": "notify_new_message",
    "notifications/preview": "preview",
    "sounds/enabled": "sounds",
    "sounds/new_buyer": "sound_new_buyer",
    "sounds/new_message": "sound_new_message",
    "sounds/overdue": "sound_overdue",
    "reminders/overdue_repeat_s": "overdue_repeat_s",
    "wait/amber_s": "thresholds.amber_ms",
    "wait/red_s": "thresholds.red_ms",
}
"""Settings registry key → :class:`AlertSettings` field (``wait/*_s`` are seconds, the thresholds ms)."""


@dataclass(frozen=True, slots=True)
class AlertSettings:
    """What the agent chose about notifications, sounds and reminders (see :data:`SETTING_KEYS`)."""

    notifications: bool = True
    """notifications/enabled: no notification at all when False (sounds and the overdue popup stay)."""
    notify_new_buyer: bool = True
    notify_new_message: bool = True
    preview: bool = True
    """notifications/preview: show the message text in notifications (False: only that something came)."""
    sounds: bool = True
    """sounds/enabled: no sound at all when False."""
    sound_new_buyer: bool = True
    sound_new_message: bool = True
    sound_overdue: bool = True
    overdue_repeat_s: int = 60
    """reminders/overdue_repeat_s: remind again this often while a chat is red; 0 reminds only when one
    turns red."""
    thresholds: WaitThresholds = DEFAULT_THRESHOLDS
    """wait/amber_s and wait/red_s, as a :class:`WaitThresholds` in ms."""

    def __post_init__(self) -> None:
        if self.overdue_repeat_s < 0:
            raise ValueError(f"overdue_repeat_s must not be negative, not {self.overdue_repeat_s}")

    def notifies(self, kind: AlertKind) -> bool:
        """Whether ``kind`` shows a notification."""
        if not self.notifications:
            return False
        if kind == "new_buyer":
            return self.notify_new_buyer
        if kind == "new_message":
            return self.notify_new_message
        return True

    def sounds_for(self, kind: AlertKind) -> bool:
        """Whether ``kind`` plays its sound."""
        if not self.sounds:
            return False
        return {
            "new_buyer": self.sound_new_buyer,
            "new_message": self.sound_new_message,
            "overdue": self.sound_overdue,
        }[kind]

    @classmethod
    def from_settings(cls, values: Mapping[str, object]) -> AlertSettings:
        """Read the keys of :data:`SETTING_KEYS` from ``values``; a missing key keeps its default.

        Booleans may come as bools, 0/1 or the strings "true"/"false" (as an INI file returns them),
        numbers as ints, floats or numeric strings. A value of the wrong kind raises ValueError naming
        its key.
        """
        default = cls()
        plain: dict[str, Any] = {}
        amber_ms, red_ms = default.thresholds.amber_ms, default.thresholds.red_ms
        for key, name in SETTING_KEYS.items():
            if key not in values:
                continue
            raw = values[key]
            if name == "thresholds.amber_ms":
                amber_ms = round(_number(key, raw) * SECOND_MS)
            elif name == "thresholds.red_ms":
                red_ms = round(_number(key, raw) * SECOND_MS)
            elif name == "overdue_repeat_s":
                plain[name] = round(_number(key, raw))
            else:
                plain[name] = _flag(key, raw)
        try:
            thresholds = WaitThresholds(amber_ms=amber_ms, red_ms=red_ms)
        except ValueError as exc:
            raise ValueError(f"wait/amber_s, wait/red_s: {exc}") from None
        return cls(thresholds=thresholds, **plain)

    def to_settings(self) -> dict[str, object]:
        """These settings under the registry's keys (the inverse of :meth:`from_settings`)."""
        out: dict[str, object] = {}
        for key, name in SETTING_KEYS.items():
            if name.startswith("thresholds."):
                out[key] = getattr(self.thresholds, name.partition(".")[2]) / SECOND_MS
            else:
                out[key] = getattr(self, name)
        return out


def _flag(key: str, raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false", "1", "0"):
        return raw.strip().lower() in ("true", "1")
    raise ValueError(f"{key}: expected a boolean, not {raw!r}")


def _number(key: str, raw: object) -> float:
    if isinstance(raw, bool):
        raise ValueError(f"{key}: expected a number, not {raw!r}")
    if isinstance(raw, int | float):
        return float(raw)
    if isinstance(raw, str):
        try:
            return float(raw)
        except ValueError:
            pass
    raise ValueError(f"{key}: expected a number, not {raw!r}")


# ---------------------------------------------------------------------------------------------- preview

# Every control (newlines and tabs too), line/paragraph separator and bidi override becomes a space;
# bidi isolates go. The same rules as desktop/ui/plain_text.one_line, which this layer may not import.
_ONE_LINE: Final[dict[int, str | None]] = {
    **dict.fromkeys([*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F)], " "),
    **dict.fromkeys(range(0x2066, 0x206A)),
}


def one_line(text: str) -> str:
    """``text`` as one plain line: no controls, no bidi overrides, whitespace runs collapsed."""
    return " ".join(text.translate(_ONE_LINE).split())


def shorten(text: str, limit: int = PREVIEW_CHARS) -> str:
    """``text`` cut to at most ``limit`` characters, the cut marked with "…"."""
    if len(text) <= limit:
        return text
    return text[: max(0, limit - 1)].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Preview:
    """A message in a few words: its kind and a plain, one-line, shortened text.

    The text is a text or system message's text, a product's title, an order's id, and "" for an image;
    the view adds the words for the kind ("[图片]", "[商品] …") in the agent's language.
    """

    kind: MessageKind
    text: str


def preview_of(message: Message, limit: int = PREVIEW_CHARS) -> Preview:
    body = message.body
    key = {"product": "title", "order": "order_id", "image": ""}.get(message.kind, "text")
    raw = body.get(key) if key else None
    return Preview(message.kind, shorten(one_line(raw), limit) if isinstance(raw, str) else "")


def display_name(conv: Conversation) -> str:
    """Who the buyer is, for a title: the nickname as one plain line, else the customer id."""
    return shorten(one_line(conv.customer_nickname or ""), 32) or conv.customer_id


# ------------------------------------------------------------------------------------------------ notices


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing to tell the agent: a notification to show (or update) and whether to play a sound."""

    kind: AlertKind
    conversation_id: str
    """The chat a click opens (for ``overdue``: the longest-waiting one)."""
    nickname: str
    count: int = 1
    """Buyer messages since the agent last looked (new_buyer/new_message); chats overdue (overdue)."""
    preview: Preview | None = None
    """The newest buyer message (overdue: the longest-waiting chat's last one); None when previews are off
    or there is none."""
    waited_ms: int | None = None
    """overdue: how long the longest-waiting buyer has waited."""
    notify: bool = True
    sound: bool = False
    replaces: bool = False
    """An update of the notification shown for the same :attr:`key` a moment ago."""

    @property
    def key(self) -> str:
        """What a later notice replaces: one notification per chat, one for all overdue chats."""
        return "overdue" if self.kind == "overdue" else self.conversation_id


def _mine(conv: Conversation | None, me_id: str | None) -> bool:
    """An open chat of mine (all active ones before the server said who I am, as the list shows them)."""
    return conv is not None and conv.status == "active" and (me_id is None or conv.assignee_id == me_id)


def _buyers_last(conv: Conversation) -> Message | None:
    last = conv.last_message
    return last if last is not None and last.sender.role == "customer" else None


@dataclass(slots=True)
class _Pending:
    conv: Conversation
    kind: AlertKind
    count: int = 0
    last: Message | None = None


@dataclass(slots=True)
class _Shown:
    kind: AlertKind
    count: int
    sounded_at: int


class NoticePolicy:
    """Decides the ``new_buyer`` / ``new_message`` notices, coalesced per chat (see the module doc)."""

    def __init__(
        self,
        settings: AlertSettings | None = None,
        *,
        coalesce_ms: int = COALESCE_MS,
        stale_ms: int = STALE_MS,
    ) -> None:
        self.settings = settings or AlertSettings()
        self.coalesce_ms = coalesce_ms
        self.stale_ms = stale_ms
        self._pending: dict[str, _Pending] = {}
        self._shown: dict[str, _Shown] = {}

    @property
    def has_pending(self) -> bool:
        return bool(self._pending)

    def shown(self, conversation_id: str) -> bool:
        """Whether a notice for this chat was taken since it was last forgotten."""
        return conversation_id in self._shown

    def on_messages(
        self,
        conv: Conversation | None,
        messages: Sequence[Message],
        *,
        me_id: str | None,
        in_front: bool,
        now_ms: int,
    ) -> None:
        """New messages in ``conv`` (the book's copy, after the batch): note the buyer's that notify."""
        if not _mine(conv, me_id) or conv is None:
            return
        if in_front:
            self.forget(conv.id)
            return
        fresh = [
            m for m in messages if m.sender.role == "customer" and m.created_at >= now_ms - self.stale_ms
        ]
        if not fresh:
            return
        pending = self._pending.setdefault(conv.id, _Pending(conv, "new_message"))
        pending.conv = conv
        pending.count += len(fresh)
        pending.last = fresh[-1]

    def on_assigned(self, conv: Conversation | None, *, in_front: bool, now_ms: int) -> None:
        """``conv`` became mine (routed, accepted, transferred to me)."""
        if conv is None or conv.status != "active":
            return
        if in_front:  # accepted from the queue with the chat open: the agent is looking at it
            self.forget(conv.id)
            return
        pending = self._pending.setdefault(conv.id, _Pending(conv, "new_buyer"))
        pending.conv = conv
        pending.kind = "new_buyer"

    def take(self, now_ms: int) -> list[Notice]:
        """The notices recorded since the last call, one per chat, in the order they came."""
        notices = []
        for conv_id, pending in self._pending.items():
            shown = self._shown.get(conv_id)
            kind: AlertKind = "new_buyer" if shown is not None and shown.kind == "new_buyer" else pending.kind
            count = pending.count + (shown.count if shown is not None else 0)
            upgraded = shown is not None and shown.kind != kind
            quiet = shown is not None and now_ms - shown.sounded_at <= self.coalesce_ms and not upgraded
            sound = self.settings.sounds_for(kind) and not quiet
            self._shown[conv_id] = _Shown(kind, count, shown.sounded_at if quiet and shown else now_ms)
            last = pending.last or _buyers_last(pending.conv)
            preview = preview_of(last) if self.settings.preview and last is not None else None
            notice = Notice(
                kind,
                conv_id,
                display_name(pending.conv),
                count=count,
                preview=preview,
                notify=self.settings.notifies(kind),
                sound=sound,
                replaces=shown is not None,
            )
            if notice.notify or notice.sound:
                notices.append(notice)
        self._pending.clear()
        return notices

    def forget(self, conversation_id: str) -> None:
        """The agent saw the chat (opened, in front, read): the next message starts a new notification."""
        self._pending.pop(conversation_id, None)
        self._shown.pop(conversation_id, None)

    def forget_all(self) -> None:
        self._pending.clear()
        self._shown.clear()


# ------------------------------------------------------------------------------------------------ overdue


@dataclass(frozen=True, slots=True)
class OverdueChat:
    """A chat of mine whose buyer has waited at least the red threshold."""

    conversation_id: str
    nickname: str
    waited_ms: int
    preview: Preview | None  # the chat's last message, None when it has none


def overdue_chats(
    convs: Iterable[Conversation],
    *,
    me_id: str | None,
    now_ms: int,
    thresholds: WaitThresholds = DEFAULT_THRESHOLDS,
) -> list[OverdueChat]:
    """My active chats waiting at least ``thresholds.red_ms``, longest first (ties by id)."""
    found = []
    for conv in convs:
        waited = wait_ms(conv, now_ms) if _mine(conv, me_id) else None
        if waited is not None and waited >= thresholds.red_ms:
            last = conv.last_message
            found.append(
                OverdueChat(conv.id, display_name(conv), waited, None if last is None else preview_of(last))
            )
    found.sort(key=lambda chat: (-chat.waited_ms, chat.conversation_id))
    return found


@dataclass(slots=True)
class OverdueWatch:
    """Which chats are overdue now, and whether a reminder is due (see the module doc)."""

    settings: AlertSettings = field(default_factory=AlertSettings)
    _red: frozenset[str] = frozenset()
    _last_reminder: int | None = None

    def check(
        self, convs: Iterable[Conversation], *, me_id: str | None, now_ms: int
    ) -> tuple[list[OverdueChat], Notice | None]:
        """The overdue chats at ``now_ms`` and the reminder to give now, if one is due."""
        chats = overdue_chats(convs, me_id=me_id, now_ms=now_ms, thresholds=self.settings.thresholds)
        red = frozenset(chat.conversation_id for chat in chats)
        newly_red = bool(red - self._red)
        self._red = red
        if not chats:
            self._last_reminder = None
            return chats, None
        repeat_ms = self.settings.overdue_repeat_s * SECOND_MS
        repeated = (
            self._last_reminder is not None and repeat_ms > 0 and now_ms - self._last_reminder >= repeat_ms
        )
        if not (newly_red or self._last_reminder is None or repeated):
            return chats, None
        replaces = self._last_reminder is not None
        self._last_reminder = now_ms
        longest = chats[0]
        return chats, Notice(
            "overdue",
            longest.conversation_id,
            longest.nickname,
            count=len(chats),
            preview=longest.preview if self.settings.preview else None,
            waited_ms=longest.waited_ms,
            notify=self.settings.notifies("overdue"),
            sound=self.settings.sounds_for("overdue"),
            replaces=replaces,
        )

    def reset(self) -> None:
        self._red = frozenset()
        self._last_reminder = None


__all__ = [
    "ALERT_KINDS",
    "COALESCE_MS",
    "PREVIEW_CHARS",
    "SETTING_KEYS",
    "STALE_MS",
    "AlertKind",
    "AlertSettings",
    "Notice",
    "NoticePolicy",
    "OverdueChat",
    "OverdueWatch",
    "Preview",
    "display_name",
    "one_line",
    "overdue_chats",
    "preview_of",
    "shorten",
]
