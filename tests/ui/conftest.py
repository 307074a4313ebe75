"""GUI tests: the QApplication behaves as ShopDesk's does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication


@pytest.fixture(autouse=True)
def app_stays_up(qapp: QApplication) -> Iterator[None]:
    """As in the app: closing the last window (a dialog, an image viewer, the workbench) does not quit and
    so does not stop the qasync loop the test runs on."""
    qapp.setQuitOnLastWindowClosed(False)
    yield
