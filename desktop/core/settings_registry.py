"""Every setting the agent can change, declared once: key, type, default, page, label and description.

The settings dialog is generated from :data:`SETTINGS`, and :class:`desktop.ui.preferences.Preferences` reads
and writes through it, so a setting exists in exactly one place (the way qutebrowser's ``configdata.yml`` and
Picard's ``config.py`` do it). Nothing here touches Qt or a file: the functions take plain values in and give
plain values out, which keeps every rule unit-testable.

Reading is forgiving, writing is strict:

- :func:`coerce` / :func:`coerce_all` turn whatever a settings file holds (Qt's INI format gives back text:
  ``"true"``, ``"30"``) into the declared type. A value of the wrong type or out of range becomes the default,
  with a logged warning, never an exception: a hand-edited or damaged file must not stop the app starting.
- :func:`validate` checks a value a caller wants to store (exact type, in range) and raises
  :class:`InvalidValue` when it is wrong: that is a bug in the caller, not the user's file.
- :data:`CONSTRAINTS` are rules across settings (red wait threshold above amber). A stored pair that breaks
  one falls back to both defaults; a write that would break one is refused.

Settings files carry a schema version (:data:`VERSION`, stored under :data:`VERSION_KEY`). :data:`MIGRATIONS`
upgrade the plain dict of stored values one version at a time; a file from a *newer* version is read as far
as this code understands it and never downgraded (the caller's job, see ``Preferences``).

Labels and descriptions are Chinese source strings wrapped in :func:`QT_TRANSLATE_NOOP` (context
``"settings"``), so ``pyside6-lupdate`` finds them; the UI translates them with
``QCoreApplication.translate("settings", text)``.
"""

from __future__ import annotations

import enum
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final, TypeAlias

log = logging.getLogger(__name__)

SettingValue: TypeAlias = bool | int | str
Stored: TypeAlias = dict[str, object]  # what a settings file holds, key → raw value
Migration: TypeAlias = Callable[[Stored], Stored]

TRANSLATION_CONTEXT: Final = "settings"
VERSION_KEY: Final = "meta/version"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks ``text`` for ``pyside6-lupdate`` under ``context`` and returns it untranslated (Qt-free here)."""
    return text


class InvalidValue(ValueError):
    """A value that a setting cannot hold (wrong type, out of range, not one of the choices)."""


class Kind(enum.Enum):
    """What a setting holds, and so which editor the dialog shows for it."""

    BOOL = "bool"
    INT = "int"
    CHOICE = "choice"
    TEXT = "str"


@dataclass(frozen=True, slots=True)
class Section:
    """A page of the settings dialog."""

    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed value of a choice setting and the name the agent sees for it."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Setting:
    """One declared setting.

    ``minimum``/``maximum`` bound an INT; ``special`` is one more allowed INT value outside that range with a
    meaning of its own (``0`` = "system default", "never"), named by ``special_label``. ``suffix`` is the
    unit shown after a number. ``requires`` names a BOOL setting that must be on for this one to matter (the
    dialog greys it out otherwise).
    """

    key: str
    kind: Kind
    default: SettingValue
    section: str
    label: str
    description: str = ""
    minimum: int | None = None
    maximum: int | None = None
    special: int | None = None
    special_label: str = ""
    suffix: str = ""
    choices: tuple[Choice, ...] = ()
    requires: str | None = None

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)


@dataclass(frozen=True, slots=True)
class Constraint:
    """A rule across settings: ``check(values)`` is True when the values of ``keys`` fit together."""

    keys: tuple[str, ...]
    check: Callable[[Mapping[str, SettingValue]], bool]
    message: str


# ------------------------------------------------------------------------------------------- the registry

SECTIONS: Final[tuple[Section, ...]] = (
    Section("general", QT_TRANSLATE_NOOP("settings", "常规")),
    Section("notifications", QT_TRANSLATE_NOOP("settings", "通知与声音")),
    Section("appearance", QT_TRANSLATE_NOOP("settings", "外观")),
    Section("data", QT_TRANSLATE_NOOP("settings", "数据")),
    Section("advanced", QT_TRANSLATE_NOOP("settings", "高级")),
)

SECONDS = QT_TRANSLATE_NOOP("settings", "秒")
MINUTES = QT_TRANSLATE_NOOP("settings", "分钟")


def _bool(
    key: str, default: bool, section: str, label: str, description: str = "", *, requires: str | None = None
) -> Setting:
    return Setting(key, Kind.BOOL, default, section, label, description, requires=requires)


SETTINGS: Final[tuple[Setting, ...]] = (
    # --- general
    _bool(
        "composer/enter_sends",
        True,
        "general",
        QT_TRANSLATE_NOOP("settings", "按回车键发送消息"),
        QT_TRANSLATE_NOOP("settings", "关闭后按 Ctrl+回车 发送，回车换行。"),
    ),
    _bool(
        "window/close_to_tray",
        True,
        "general",
        QT_TRANSLATE_NOOP("settings", "关闭主窗口时最小化到托盘"),
        QT_TRANSLATE_NOOP("settings", "程序在后台继续接收消息，点击托盘图标可重新打开。"),
    ),
    Setting(
        "presence/idle_away_min",
        Kind.INT,
        10,
        "general",
        QT_TRANSLATE_NOOP("settings", "无操作自动切换为“离开”"),
        QT_TRANSLATE_NOOP(
            "settings", "在 ShopDesk 的窗口里没有按键或点击超过这段时间后，状态自动变为离开；回来后恢复在线。"
        ),
        minimum=1,
        maximum=240,
        special=0,
        special_label=QT_TRANSLATE_NOOP("settings", "从不"),
        suffix=MINUTES,
    ),
    Setting(
        "wait/amber_s",
        Kind.INT,
        30,
        "general",
        QT_TRANSLATE_NOOP("settings", "买家等待变黄"),
        QT_TRANSLATE_NOOP("settings", "买家等待超过这个时间，会话列表中显示黄色。"),
        minimum=5,
        maximum=1800,
        suffix=SECONDS,
    ),
    Setting(
        "wait/red_s",
        Kind.INT,
        100,
        "general",
        QT_TRANSLATE_NOOP("settings", "买家等待变红"),
        QT_TRANSLATE_NOOP("settings", "超过这个时间显示红色并开始超时提醒，须长于变黄时间。"),
        minimum=10,
        maximum=3600,
        suffix=SECONDS,
    ),
    # --- notifications and sounds
    _bool(
        "notifications/enabled",
        True,
        "notifications",
        QT_TRANSLATE_NOOP("settings", "显示桌面通知"),
        QT_TRANSLATE_NOOP("settings", "会话不在前台时，在屏幕角落弹出提示。"),
    ),
    _bool(
        "notifications/new_buyer",
        True,
        "notifications",
        QT_TRANSLATE_NOOP("settings", "新买家进线"),
        requires="notifications/enabled",
    ),
    _bool(
        "notifications/new_message",
        True,
        "notifications",
        QT_TRANSLATE_NOOP("settings", "新消息"),
        requires="notifications/enabled",
    ),
    _bool(
        "notifications/preview",
        True,
        "notifications",
        QT_TRANSLATE_NOOP("settings", "在通知中显示消息内容"),
        QT_TRANSLATE_NOOP("settings", "关闭后只显示买家昵称，旁人看不到聊天内容。"),
        requires="notifications/enabled",
    ),
    _bool(
        "sounds/enabled",
        True,
        "notifications",
        QT_TRANSLATE_NOOP("settings", "播放提示音"),
    ),
    _bool(
        "sounds/new_buyer",
        True,
        "notifications",
        QT_TRANSLATE_NOOP("settings", "新买家进线"),
        requires="sounds/enabled",
    ),
    _bool(
        "sounds/new_message",
        True,
        "notifications",
        QT_TRANSLATE_NOOP("settings", "新消息"),
        requires="sounds/enabled",
    ),
    _bool(
        "sounds/overdue",
        True,
        "notifications",
        QT_TRANSLATE_NOOP("settings", "买家等待超时"),
        requires="sounds/enabled",
    ),
    Setting(
        "reminders/overdue_repeat_s",
        Kind.INT,
        60,
        "notifications",
        QT_TRANSLATE_NOOP("settings", "超时提醒间隔"),
        QT_TRANSLATE_NOOP("settings", "有买家等待超过变红时间时，每隔这么久提醒一次。"),
        minimum=15,
        maximum=3600,
        suffix=SECONDS,
    ),
    # --- appearance
    Setting(
        "appearance/language",
        Kind.CHOICE,
        "zh_CN",
        "appearance",
        QT_TRANSLATE_NOOP("settings", "界面语言"),
        choices=(Choice("zh_CN", "简体中文"), Choice("en", "English")),
    ),
    Setting(
        "appearance/theme",
        Kind.CHOICE,
        "light",
        "appearance",
        QT_TRANSLATE_NOOP("settings", "主题"),
        QT_TRANSLATE_NOOP("settings", "“跟随系统”会随系统的深色模式切换。"),
        choices=(
            Choice("light", QT_TRANSLATE_NOOP("settings", "浅色")),
            Choice("dark", QT_TRANSLATE_NOOP("settings", "深色")),
            Choice("system", QT_TRANSLATE_NOOP("settings", "跟随系统")),
        ),
    ),
    Setting(
        "appearance/font_size",
        Kind.INT,
        0,
        "appearance",
        QT_TRANSLATE_NOOP("settings", "字号"),
        QT_TRANSLATE_NOOP("settings", "聊天和列表文字的大小。"),
        minimum=9,
        maximum=20,
        special=0,
        special_label=QT_TRANSLATE_NOOP("settings", "跟随系统"),
        suffix="pt",
    ),
    # --- advanced
    Setting(
        "advanced/log_level",
        Kind.CHOICE,
        "INFO",
        "advanced",
        QT_TRANSLATE_NOOP("settings", "日志详细程度"),
        QT_TRANSLATE_NOOP("settings", "排查问题时可改为“详细”，平时保持“一般”即可。"),
        choices=(
            Choice("DEBUG", QT_TRANSLATE_NOOP("settings", "详细")),
            Choice("INFO", QT_TRANSLATE_NOOP("settings", "一般")),
            Choice("WARNING", QT_TRANSLATE_NOOP("settings", "仅警告和错误")),
        ),
    ),
)

BY_KEY: Final[Mapping[str, Setting]] = {s.key: s for s in SETTINGS}

CONSTRAINTS: Final[tuple[Constraint, ...]] = (
    Constraint(
        ("wait/amber_s", "wait/red_s"),
        lambda v: int(v["wait/red_s"]) > int(v["wait/amber_s"]),
        QT_TRANSLATE_NOOP("settings", "“买家等待变红”的时间必须长于“买家等待变黄”。"),
    ),
)


def setting(key: str) -> Setting:
    """The declared setting ``key``; KeyError for a key nobody declared."""
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"unknown setting {key!r}") from None


def in_section(section: str) -> list[Setting]:
    """The settings on one page, in declaration order."""
    return [s for s in SETTINGS if s.section == section]


def defaults() -> dict[str, SettingValue]:
    return {s.key: s.default for s in SETTINGS}


# ------------------------------------------------------------------------------------ checking values

_INT_TEXT = re.compile(r"[+-]?\d{1,18}")
_TRUE_TEXT = frozenset({"true", "1"})
_FALSE_TEXT = frozenset({"false", "0"})


def _check_range(s: Setting, value: int) -> int:
    if value == s.special:
        return value
    if (s.minimum is not None and value < s.minimum) or (s.maximum is not None and value > s.maximum):
        raise InvalidValue(f"{s.key}: {value} is outside {s.minimum}..{s.maximum}")
    return value


def _check_choice(s: Setting, value: str) -> str:
    if value not in s.choice_values:
        raise InvalidValue(f"{s.key}: {value!r} is not one of {', '.join(s.choice_values)}")
    return value


def validate(s: Setting, value: object) -> SettingValue:
    """``value`` if ``s`` can hold it exactly as given (a bool for BOOL, an int for INT, ...); else raises
    :class:`InvalidValue`. For values a caller wants to store."""
    if s.kind is Kind.BOOL and isinstance(value, bool):
        return value
    if s.kind is Kind.INT and isinstance(value, int) and not isinstance(value, bool):
        return _check_range(s, value)
    if s.kind is Kind.CHOICE and isinstance(value, str):
        return _check_choice(s, value)
    if s.kind is Kind.TEXT and isinstance(value, str):
        return value
    raise InvalidValue(f"{s.key}: expected {s.kind.value}, got {type(value).__name__} {value!r}")


def parse(s: Setting, raw: object) -> SettingValue:
    """``raw`` as read from a settings file (INI gives text back) turned into ``s``'s type; else raises
    :class:`InvalidValue`."""
    if isinstance(raw, str) and s.kind in (Kind.BOOL, Kind.INT):
        text = raw.strip().lower()
        if s.kind is Kind.BOOL and text in _TRUE_TEXT | _FALSE_TEXT:
            return text in _TRUE_TEXT
        if s.kind is Kind.INT and _INT_TEXT.fullmatch(text):
            return _check_range(s, int(text))
    if s.kind is Kind.BOOL and isinstance(raw, int) and not isinstance(raw, bool) and raw in (0, 1):
        return bool(raw)
    return validate(s, raw)


def coerce(s: Setting, raw: object, *, warn: bool = True) -> SettingValue:
    """``raw`` parsed for ``s``; the default (and, with ``warn``, a warning in the log) when it cannot be;
    None (absent) gives the default silently."""
    if raw is None:
        return s.default
    try:
        return parse(s, raw)
    except InvalidValue as exc:
        if warn:
            log.warning("setting ignored, using the default %r: %s", s.default, exc)
        return s.default


def broken_constraints(values: Mapping[str, SettingValue]) -> list[Constraint]:
    """The cross-setting rules that ``values`` (a complete set, as from :func:`coerce_all`) break."""
    return [c for c in CONSTRAINTS if not c.check(values)]


def coerce_all(stored: Mapping[str, object], *, warn: bool = True) -> dict[str, SettingValue]:
    """Every declared setting's value from ``stored`` (absent → default, bad → default with a warning);
    settings that together break a :data:`CONSTRAINTS` rule all fall back to their defaults. ``warn=False``
    keeps the log quiet for a caller that reads the same file again and again."""
    values = {s.key: coerce(s, stored.get(s.key), warn=warn) for s in SETTINGS}
    for constraint in broken_constraints(values):
        found = {key: values[key] for key in constraint.keys}
        if warn:
            log.warning("settings %s do not fit together, using the defaults: %s", found, constraint.message)
        for key in constraint.keys:
            values[key] = BY_KEY[key].default
    return values


# ------------------------------------------------------------------------------------------ migrations


def _v0_bool(raw: object) -> bool:
    """How version 0 read a bool (``QSettings.value(key, type=bool)``): text is true unless it is empty,
    ``"0"`` or ``"false"`` (any case)."""
    if isinstance(raw, str):
        return raw.strip().lower() not in ("", "0", "false")
    return bool(raw)


def _v0_to_v1(stored: Stored) -> Stored:
    """Version 1 introduces this registry, which reads bools strictly (anything but true/false/1/0 falls
    back to the default). Version 0 knew only ``composer/enter_sends`` and ``login/url|shop|username`` and
    read the bool leniently, so its value is converted the way version 0 understood it: the agent's choice
    of send key survives the upgrade. The login keys are kept unchanged."""
    upgraded = dict(stored)
    if "composer/enter_sends" in upgraded:
        upgraded["composer/enter_sends"] = _v0_bool(upgraded["composer/enter_sends"])
    return upgraded


# MIGRATIONS[n] upgrades a file of version n to version n + 1; append, never edit or reorder.
MIGRATIONS: Final[tuple[Migration, ...]] = (_v0_to_v1,)
VERSION: Final = len(MIGRATIONS)


def stored_version(raw: object) -> int:
    """The schema version a file says it has: absent → 0 (written before versions existed); unreadable → 0
    with a warning (migrations are written to be safe on already-upgraded values)."""
    if raw is None:
        return 0
    text = str(raw).strip()
    if _INT_TEXT.fullmatch(text) and int(text) >= 0:
        return int(text)
    log.warning("settings file has an unreadable version %r: treating it as version 0", raw)
    return 0


def migrate(stored: Mapping[str, object], from_version: int) -> Stored:
    """``stored`` upgraded from ``from_version`` to :data:`VERSION` (a new dict; ``stored`` is unchanged).

    A version newer than this code is not handled here: the caller reads such a file as it is.
    """
    if not 0 <= from_version <= VERSION:
        raise ValueError(
            f"cannot migrate settings from version {from_version} (this code knows 0..{VERSION})"
        )
    upgraded = dict(stored)
    for version, step in enumerate(MIGRATIONS[from_version:], start=from_version):
        upgraded = step(upgraded)
        log.info("settings upgraded from version %d to %d", version, version + 1)
    return upgraded


def changed_keys(before: Mapping[str, SettingValue], after: Mapping[str, SettingValue]) -> list[str]:
    """Keys of declared settings whose value differs between two complete sets, in declaration order."""
    return [s.key for s in SETTINGS if before[s.key] != after[s.key]]
