from __future__ import annotations

import os
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import platformdirs
import pytest

from desktop import paths

DIRS: dict[str, Callable[[], Path]] = {
    "config": paths.config_dir,
    "data": paths.data_dir,
    "logs": paths.log_dir,
    "cache": paths.cache_dir,
}


@pytest.mark.parametrize("kind", DIRS)
def test_shopdesk_home_puts_everything_under_one_folder(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPDESK_HOME", str(tmp_path / "portable"))
    assert DIRS[kind]() == tmp_path / "portable" / kind


def test_the_four_folders_are_distinct(shopdesk_home: Path) -> None:
    assert len({f() for f in DIRS.values()}) == 4


def test_relative_and_tilde_homes_are_made_absolute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SHOPDESK_HOME", "profile-2")
    assert paths.data_dir() == tmp_path / "profile-2" / "data"

    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "me"))
    monkeypatch.setenv("SHOPDESK_HOME", "~/shopdesk")
    assert paths.config_dir() == tmp_path / "me" / "shopdesk" / "config"


def test_paths_are_only_computed_not_created(shopdesk_home: Path) -> None:
    for f in DIRS.values():
        f()
    assert not shopdesk_home.exists()


@pytest.mark.parametrize("value", [None, "", "   "])
def test_without_shopdesk_home_the_platform_folders_are_used(
    value: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if value is None:
        monkeypatch.delenv("SHOPDESK_HOME")
    else:
        monkeypatch.setenv("SHOPDESK_HOME", value)
    assert paths.shopdesk_home() is None
    assert paths.config_dir() == platformdirs.user_config_path("ShopDesk", appauthor=False)
    assert paths.data_dir() == platformdirs.user_data_path("ShopDesk", appauthor=False)
    assert paths.log_dir() == platformdirs.user_log_path("ShopDesk", appauthor=False)
    assert paths.cache_dir() == platformdirs.user_cache_path("ShopDesk", appauthor=False)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG layout")
def test_linux_layout_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOPDESK_HOME")
    for var in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))
    assert paths.config_dir() == tmp_path / "xdg_config_home" / "ShopDesk"
    assert paths.data_dir() == tmp_path / "xdg_data_home" / "ShopDesk"
    assert paths.log_dir() == tmp_path / "xdg_state_home" / "ShopDesk" / "log"
    assert paths.cache_dir() == tmp_path / "xdg_cache_home" / "ShopDesk"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_ensure_private_dir_creates_an_owner_only_folder(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "logs"
    assert paths.ensure_private_dir(target) == target
    assert stat.S_IMODE(target.stat().st_mode) == 0o700

    target.chmod(0o755)  # an existing, too open folder is tightened; calling again is fine
    paths.ensure_private_dir(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
