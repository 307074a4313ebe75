"""Qt's warnings reach Python logging (and so the log file), with Qt's category as the logger name."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import QLoggingCategory, qCWarning, qWarning

from desktop.ui import qtlog


@pytest.mark.qt_log_ignore(".*")  # this test emits Qt warnings on purpose
def test_qt_messages_go_to_logging(qapp: object, caplog: pytest.LogCaptureFixture) -> None:
    previous = qtlog.install()
    try:
        with caplog.at_level(logging.DEBUG):
            qWarning("画面刷新失败 (just a test)")
            category = QLoggingCategory("shopdesk.test")  # type: ignore[arg-type]  # the stub says bytes; str is what works
            qCWarning(category, "category message")  # type: ignore[arg-type]
    finally:
        qtlog.restore(previous)
    records = {(r.name, r.levelno, r.getMessage().split(" (")[0]) for r in caplog.records}
    assert ("qt", logging.WARNING, "画面刷新失败") in records
    assert ("qt.shopdesk.test", logging.WARNING, "category message") in records
