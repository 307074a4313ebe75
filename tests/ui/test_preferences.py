"""Preferences: settings.ini read and written through the registry, upgraded on open, ``changed``."""

from __future__ import annotations

import configparser
import logging
from pathlib import Path

import pytest

from desktop.core import settings_registry as registry
from desktop.core.settings_registry import VERSION, InvalidValue
from desktop.paths import config_dir
from desktop.ui.preferences import Preferences

# settings.ini as version 0 (before the registry) wrote it.
V0_INI = """\
[composer]
enter_sends=false

[login]
url=wss://shop.example.com
shop=demo
username=agent1
"""


class Recorder:
    """Every ``changed`` emission, in order."""

    def __init__(self, preferences: Preferences) -> None:
        self.seen: list[tuple[str, object]] = []
        preferences.changed.connect(lambda key, value: self.seen.append((key, value)))


@pytest.fixture
def ini(tmp_path: Path) -> Path:
    return tmp_path / "settings.ini"


def raw(path: Path, key: str) -> str | None:
    """What the file on disk holds for ``key`` (read without Qt, which shares its cache in-process)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(path, encoding="utf-8")
    section, _, name = key.rpartition("/")
    return parser.get(section, name, fallback=None)


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


# ------------------------------------------------------------------------------------- opening a file


def test_a_new_file_has_the_defaults_and_this_version(ini: Path) -> None:
    preferences = Preferences(ini)
    assert preferences.values() == registry.defaults()
    assert preferences.file_version == VERSION
    assert raw(ini, "meta/version") == str(VERSION)


def test_a_version_0_file_keeps_the_send_key_and_the_login(ini: Path) -> None:
    ini.write_text(V0_INI, encoding="utf-8")
    preferences = Preferences(ini)
    assert preferences.enter_sends is False
    assert preferences.last_login == {"url": "wss://shop.example.com", "shop": "demo", "username": "agent1"}
    assert raw(ini, "meta/version") == str(VERSION)
    again = Preferences(ini)  # opening an upgraded file again changes nothing
    assert again.enter_sends is False and again.last_login["username"] == "agent1"


def test_a_newer_file_is_read_as_far_as_understood_and_not_downgraded(
    ini: Path, caplog: pytest.LogCaptureFixture
) -> None:
    newer = VERSION + 3
    ini.write_text(
        f"[meta]\nversion={newer}\n[composer]\nenter_sends=false\n[wait]\namber_s=5000\n"
        "[future]\noption=something\n",
        encoding="utf-8",
    )
    preferences = Preferences(ini)
    assert preferences.file_version == newer
    assert preferences.enter_sends is False
    assert preferences.get("wait/amber_s") == 30  # out of this version's range: the default, file untouched
    assert any("newer" in message for message in warnings(caplog))

    preferences.set("sounds/enabled", False)
    assert raw(ini, "meta/version") == str(newer)
    assert raw(ini, "future/option") == "something"
    assert raw(ini, "wait/amber_s") == "5000"
    assert Preferences(ini).get("sounds/enabled") is False


def test_unreadable_values_fall_back_to_defaults_and_leave_the_file(
    ini: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ini.write_text(
        f"[meta]\nversion={VERSION}\n[appearance]\ntheme=neon\nfont_size=12\n[wait]\namber_s=200\nred_s=150\n",
        encoding="utf-8",
    )
    preferences = Preferences(ini)
    assert preferences.get("appearance/theme") == "light"
    assert preferences.get("appearance/font_size") == 12
    assert (preferences.get("wait/amber_s"), preferences.get("wait/red_s")) == (30, 100)
    assert len(warnings(caplog)) == 2  # the theme, the thresholds: once each
    assert raw(ini, "appearance/theme") is None and raw(ini, "wait/amber_s") is None
    caplog.clear()
    Preferences(ini).values()
    assert warnings(caplog) == []  # repaired: no warning on the next start


# ----------------------------------------------------------------------------------- reading, writing


def test_values_persist_across_instances(ini: Path) -> None:
    Preferences(ini).update({"appearance/theme": "dark", "wait/amber_s": 45, "composer/enter_sends": False})
    again = Preferences(ini)
    assert again.get("appearance/theme") == "dark"
    assert again.get("wait/amber_s") == 45
    assert again.get("composer/enter_sends") is False


def test_changed_fires_only_on_a_real_change(ini: Path) -> None:
    preferences = Preferences(ini)
    changes = Recorder(preferences)
    preferences.set("appearance/theme", "light")  # already the default
    preferences.set("appearance/theme", "dark")
    preferences.set("appearance/theme", "dark")
    preferences.update({"appearance/theme": "dark", "appearance/font_size": 14})
    assert changes.seen == [("appearance/theme", "dark"), ("appearance/font_size", 14)]


def test_reset_restores_the_default_and_says_so_once(ini: Path) -> None:
    preferences = Preferences(ini)
    preferences.set("sounds/overdue", False)
    changes = Recorder(preferences)
    preferences.reset("sounds/overdue")
    preferences.reset("sounds/overdue")
    assert changes.seen == [("sounds/overdue", True)]
    assert raw(ini, "sounds/overdue") is None


def test_both_thresholds_can_move_together(ini: Path) -> None:
    preferences = Preferences(ini)
    changes = Recorder(preferences)
    preferences.update({"wait/amber_s": 200, "wait/red_s": 300})
    assert changes.seen == [("wait/amber_s", 200), ("wait/red_s", 300)]


def test_a_write_that_breaks_a_rule_is_refused_whole(ini: Path) -> None:
    preferences = Preferences(ini)
    changes = Recorder(preferences)
    with pytest.raises(InvalidValue, match="变红"):
        preferences.update({"sounds/enabled": False, "wait/amber_s": 200})
    assert changes.seen == []
    assert preferences.get("sounds/enabled") is True
    assert raw(ini, "wait/amber_s") is None


@pytest.mark.parametrize(
    ("key", "value"), [("composer/enter_sends", "no"), ("wait/amber_s", 1), ("appearance/theme", "neon")]
)
def test_an_invalid_value_is_refused(ini: Path, key: str, value: object) -> None:
    preferences = Preferences(ini)
    changes = Recorder(preferences)
    with pytest.raises(InvalidValue):
        preferences.set(key, value)  # type: ignore[arg-type]
    assert changes.seen == []
    assert preferences.get(key) == registry.BY_KEY[key].default


def test_unknown_keys_raise_key_error(ini: Path) -> None:
    preferences = Preferences(ini)
    with pytest.raises(KeyError):
        preferences.get("no/such")
    with pytest.raises(KeyError):
        preferences.set("no/such", True)
    with pytest.raises(KeyError):
        preferences.reset("no/such")
    with pytest.raises(KeyError):
        preferences.get("login/url")  # remembered state, not a setting


# ----------------------------------------------------------------------------- the API from before


def test_enter_sends_property(ini: Path) -> None:
    preferences = Preferences(ini)
    changes = Recorder(preferences)
    assert preferences.enter_sends is True
    preferences.enter_sends = False
    assert preferences.enter_sends is False
    assert Preferences(ini).enter_sends is False
    assert changes.seen == [("composer/enter_sends", False)]


def test_last_login(ini: Path) -> None:
    preferences = Preferences(ini)
    assert preferences.last_login == {"url": "", "shop": "", "username": ""}
    preferences.remember_login("wss://shop.example.com", "demo", "agent2")
    assert Preferences(ini).last_login == {
        "url": "wss://shop.example.com",
        "shop": "demo",
        "username": "agent2",
    }


def test_the_default_file_is_in_the_config_folder() -> None:
    preferences = Preferences()
    assert preferences.path == config_dir() / "settings.ini"
    preferences.enter_sends = False
    assert preferences.path.exists()
