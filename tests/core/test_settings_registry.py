"""The settings registry: declarations that hold together, forgiving reads, strict writes, upgrades."""

from __future__ import annotations

import logging
import re

import pytest

from desktop.core import settings_registry as registry
from desktop.core.settings_registry import (
    BY_KEY,
    CONSTRAINTS,
    MIGRATIONS,
    SECTIONS,
    SETTINGS,
    VERSION,
    InvalidValue,
    Kind,
    Setting,
    SettingValue,
)

CJK = re.compile(r"[\u4e00-\u9fff]")
SECTION_IDS = {section.id for section in SECTIONS}

# The settings the issue asks for, with their defaults.
ASKED_FOR: dict[str, SettingValue] = {
    "composer/enter_sends": True,
    "notifications/enabled": True,
    "notifications/new_buyer": True,
    "notifications/new_message": True,
    "notifications/preview": True,
    "sounds/enabled": True,
    "sounds/new_buyer": True,
    "sounds/new_message": True,
    "sounds/overdue": True,
    "reminders/overdue_repeat_s": 60,
    "wait/amber_s": 30,
    "wait/red_s": 100,
    "appearance/language": "zh_CN",
    "appearance/theme": "light",
    "appearance/font_size": 0,
    "window/close_to_tray": True,
    "presence/idle_away_min": 10,
    "advanced/log_level": "INFO",
}


def ini_text(value: SettingValue) -> str:
    """How Qt's INI format writes a value (and gives it back after a restart)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


# ---------------------------------------------------------------------------------------- declarations


def test_the_asked_for_settings_are_declared_with_their_defaults() -> None:
    assert {key: BY_KEY[key].default for key in ASKED_FOR} == ASKED_FOR


def test_keys_are_unique() -> None:
    assert len(BY_KEY) == len(SETTINGS)


@pytest.mark.parametrize("s", SETTINGS, ids=lambda s: s.key)
def test_every_default_validates_and_survives_the_ini_round_trip(s: Setting) -> None:
    assert registry.validate(s, s.default) == s.default
    assert registry.coerce(s, ini_text(s.default)) == s.default


@pytest.mark.parametrize("s", SETTINGS, ids=lambda s: s.key)
def test_every_setting_is_labelled_in_chinese_on_a_known_page(s: Setting) -> None:
    assert s.section in SECTION_IDS
    assert CJK.search(s.label), s.label
    assert not s.description or CJK.search(s.description), s.description
    if s.kind is Kind.INT:
        assert s.minimum is not None and s.maximum is not None and s.minimum < s.maximum
    if s.kind is Kind.CHOICE:
        assert len(s.choices) >= 2 and all(c.label for c in s.choices)
    if s.special is not None:
        assert s.special_label
    if s.requires is not None:
        assert BY_KEY[s.requires].kind is Kind.BOOL
        assert BY_KEY[s.requires].section == s.section


def test_the_defaults_fit_every_cross_setting_rule() -> None:
    assert registry.broken_constraints(registry.defaults()) == []
    assert all(set(c.keys) <= BY_KEY.keys() for c in CONSTRAINTS)


def test_unknown_key() -> None:
    with pytest.raises(KeyError, match="no/such"):
        registry.setting("no/such")


def test_in_section_keeps_declaration_order() -> None:
    keys = [s.key for s in registry.in_section("notifications")]
    assert keys.index("notifications/enabled") < keys.index("notifications/new_buyer")
    assert registry.in_section("data") == []  # the data page shows folders, not stored settings


# ----------------------------------------------------------------------------------- reading: forgiving


@pytest.mark.parametrize(
    ("key", "raw", "expected"),
    [
        ("composer/enter_sends", "false", False),
        ("composer/enter_sends", "TRUE", True),
        ("composer/enter_sends", "0", False),
        ("composer/enter_sends", 1, True),
        ("composer/enter_sends", False, False),
        ("wait/amber_s", " 45 ", 45),
        ("wait/amber_s", 45, 45),
        ("appearance/font_size", "0", 0),  # the special value: system default
        ("appearance/font_size", "20", 20),
        ("presence/idle_away_min", "0", 0),  # never
        ("appearance/theme", "system", "system"),
    ],
)
def test_stored_text_is_read_as_the_declared_type(
    key: str, raw: object, expected: SettingValue, caplog: pytest.LogCaptureFixture
) -> None:
    value = registry.coerce(BY_KEY[key], raw)
    assert value == expected and type(value) is type(expected)
    assert warnings(caplog) == []


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("composer/enter_sends", "maybe"),
        ("composer/enter_sends", 2),
        ("composer/enter_sends", ["true"]),
        ("wait/amber_s", "abc"),
        ("wait/amber_s", "4"),  # below the minimum
        ("wait/amber_s", True),  # a bool is not a number of seconds
        ("wait/amber_s", 2.5),
        ("reminders/overdue_repeat_s", "99999"),
        ("appearance/font_size", "5"),  # between the special 0 and the range 9..20
        ("appearance/font_size", "21"),
        ("appearance/theme", "neon"),
        ("appearance/language", 1),
        ("advanced/log_level", "debug"),  # choices are exact
    ],
)
def test_a_bad_stored_value_gives_the_default_and_a_warning(
    key: str, raw: object, caplog: pytest.LogCaptureFixture
) -> None:
    s = BY_KEY[key]
    assert registry.coerce(s, raw) == s.default
    assert len(warnings(caplog)) == 1 and key in warnings(caplog)[0]


def test_an_absent_value_gives_the_default_silently(caplog: pytest.LogCaptureFixture) -> None:
    assert registry.coerce_all({}) == registry.defaults()
    assert warnings(caplog) == []


def test_coerce_all_can_stay_quiet(caplog: pytest.LogCaptureFixture) -> None:
    stored = {"wait/amber_s": "abc", "wait/red_s": "10"}
    assert registry.coerce_all(stored, warn=False) == registry.defaults()
    assert warnings(caplog) == []


def test_a_text_setting() -> None:
    s = Setting("shop/signature", Kind.TEXT, "", "general", "签名")
    assert registry.coerce(s, "客服小王") == "客服小王"
    assert registry.validate(s, "") == ""
    with pytest.raises(InvalidValue):
        registry.validate(s, 3)


# --------------------------------------------------------------------------------- the wait thresholds


@pytest.mark.parametrize(("amber", "red"), [(120, 100), (100, 100), ("200", "150")])
def test_red_not_above_amber_falls_back_to_both_defaults(
    amber: object, red: object, caplog: pytest.LogCaptureFixture
) -> None:
    values = registry.coerce_all({"wait/amber_s": amber, "wait/red_s": red, "composer/enter_sends": "false"})
    assert (values["wait/amber_s"], values["wait/red_s"]) == (30, 100)
    assert values["composer/enter_sends"] is False  # other settings are not touched
    assert any("wait/amber_s" in message for message in warnings(caplog))


def test_red_above_amber_is_kept() -> None:
    values = registry.coerce_all({"wait/amber_s": "40", "wait/red_s": "41"})
    assert (values["wait/amber_s"], values["wait/red_s"]) == (40, 41)


def test_broken_constraints_names_the_rule() -> None:
    values = {**registry.defaults(), "wait/amber_s": 300}
    [broken] = registry.broken_constraints(values)
    assert broken.keys == ("wait/amber_s", "wait/red_s")
    assert "变红" in broken.message


# ------------------------------------------------------------------------------------ writing: strict


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("composer/enter_sends", "true"),  # text is for files; callers pass a bool
        ("composer/enter_sends", 1),
        ("wait/amber_s", True),
        ("wait/amber_s", "45"),
        ("wait/amber_s", 1801),
        ("appearance/font_size", 8),
        ("presence/idle_away_min", -1),
        ("appearance/theme", "Dark"),
    ],
)
def test_validate_refuses_what_the_setting_cannot_hold(key: str, value: object) -> None:
    with pytest.raises(InvalidValue, match=re.escape(key)):
        registry.validate(BY_KEY[key], value)


def test_changed_keys_in_declaration_order() -> None:
    before = registry.defaults()
    after = {**before, "advanced/log_level": "DEBUG", "composer/enter_sends": False}
    assert registry.changed_keys(before, after) == ["composer/enter_sends", "advanced/log_level"]


# ------------------------------------------------------------------------------------------ migrations

# What version 0 (before the registry) could have in settings.ini, as Qt reads it back: text.
V0_FILE: dict[str, object] = {
    "composer/enter_sends": "false",
    "login/url": "wss://shop.example.com",
    "login/shop": "demo",
    "login/username": "agent1",
}


def test_version_counts_the_migrations() -> None:
    assert VERSION == len(MIGRATIONS) >= 1


def test_migrating_version_0_keeps_the_send_key_and_the_login() -> None:
    upgraded = registry.migrate(V0_FILE, 0)
    assert registry.coerce_all(upgraded)["composer/enter_sends"] is False
    assert {k: v for k, v in upgraded.items() if k.startswith("login/")} == {
        "login/url": "wss://shop.example.com",
        "login/shop": "demo",
        "login/username": "agent1",
    }
    assert V0_FILE["composer/enter_sends"] == "false"  # the input is not changed


@pytest.mark.parametrize(
    ("v0_text", "meant"), [("true", True), ("false", False), ("0", False), ("yes", True), ("FALSE", False)]
)
def test_version_0_bools_keep_the_meaning_version_0_gave_them(v0_text: str, meant: bool) -> None:
    """Version 0 read the send key with QSettings' lenient bool conversion; "yes" meant True there and
    must not turn into the registry's default after the upgrade."""
    upgraded = registry.migrate({"composer/enter_sends": v0_text}, 0)
    assert registry.coerce_all(upgraded)["composer/enter_sends"] is meant


def test_migrating_an_empty_file_gives_the_defaults() -> None:
    assert registry.coerce_all(registry.migrate({}, 0)) == registry.defaults()


def test_migrating_from_the_current_version_changes_nothing() -> None:
    stored = {"composer/enter_sends": "yes-but-not-a-bool", "future/x": "1"}
    assert registry.migrate(stored, VERSION) == stored


@pytest.mark.parametrize("version", [VERSION + 1, -1])
def test_a_version_outside_what_this_code_knows_is_not_migrated(version: int) -> None:
    with pytest.raises(ValueError, match="cannot migrate"):
        registry.migrate({}, version)


@pytest.mark.parametrize(("raw", "version"), [(None, 0), ("1", 1), (1, 1), (" 7 ", 7)])
def test_stored_version(raw: object, version: int) -> None:
    assert registry.stored_version(raw) == version


@pytest.mark.parametrize("raw", ["abc", "-1", "1.5"])
def test_an_unreadable_version_counts_as_0_with_a_warning(
    raw: object, caplog: pytest.LogCaptureFixture
) -> None:
    assert registry.stored_version(raw) == 0
    assert len(warnings(caplog)) == 1
