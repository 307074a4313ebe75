"""open_folder: creates a missing folder (owner-only) and asks the system to show it."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from desktop import paths
from desktop.ui import folders

pytestmark = pytest.mark.gui


@pytest.fixture
def opened(monkeypatch) -> list[QUrl]:
    urls: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        urls.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    return urls


def test_opens_an_existing_folder(qapp, tmp_path: Path, opened: list[QUrl]) -> None:
    assert folders.open_folder(tmp_path)
    assert opened == [QUrl.fromLocalFile(str(tmp_path))]
    assert opened[0].isLocalFile() and Path(opened[0].toLocalFile()) == tmp_path


def test_creates_a_missing_folder_owner_only(qapp, tmp_path: Path, opened: list[QUrl]) -> None:
    target = tmp_path / "a" / "logs"
    assert folders.open_folder(target)
    assert target.is_dir()
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert [Path(url.toLocalFile()) for url in opened] == [target]


def test_log_and_data_folders_come_from_paths(qapp, opened: list[QUrl]) -> None:
    assert folders.open_log_folder()
    assert folders.open_data_folder()
    assert [Path(url.toLocalFile()) for url in opened] == [paths.log_dir(), paths.data_dir()]
    assert paths.log_dir().is_dir() and paths.data_dir().is_dir()


def test_failure_is_reported_not_raised(qapp, tmp_path: Path, monkeypatch, caplog) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    with caplog.at_level(logging.WARNING, logger="desktop.ui.folders"):
        assert not folders.open_folder(tmp_path)
    assert "could not open" in caplog.text

    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="desktop.ui.folders"):
        assert not folders.open_folder(blocker / "sub")
    assert "cannot create" in caplog.text
