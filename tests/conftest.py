"""What every ShopDesk test gets, without asking.

Offscreen Qt
    ``QT_QPA_PLATFORM=offscreen`` is set (unless already set) before anything can import Qt, so GUI tests
    run without a display, in CI too. Nothing here imports PySide6 or qasync at module level: they are
    imported only when an async test needs its loop, so a plain test, and any subprocess a test starts,
    does not load Qt because of this file.

A fresh in-memory keyring per test (``memory_keyring`` fixture, autouse)
    ``PYTHON_KEYRING_BACKEND`` names :class:`tests.memory_keyring.MemoryKeyring`, and each test gets a new,
    empty instance through ``keyring.set_keyring``. Ask for the fixture to inspect what was stored.

Every async test runs on a qasync loop (``pytest_asyncio_loop_factories`` hook, pytest-asyncio >= 1.4)
    ``asyncio_mode = "auto"`` makes every ``async def test_...`` an asyncio test; the hook below gives each
    one a fresh ``qasync.QEventLoop`` on the one QApplication, so asyncio code and Qt signals/timers share a
    loop exactly as in the app::

        async def test_reply_is_sent(qtbot):
            loop = asyncio.get_running_loop()        # a qasync.QEventLoop
            await asyncio.wait_for(outbox.flushed.wait(), 1)

    Inside an async test, wait with ``await`` (``asyncio.sleep``, futures, events), not with
    ``qtbot.wait*``, which would spin a nested Qt loop under the running one.

Unexpected ERROR logs fail the test (``fail_on_error_logs`` fixture, autouse)
    Any log record at ERROR or above, from any logger and thread, during setup, call or teardown, makes the
    test error at teardown with the records listed. A test that means to provoke one says so with a marker;
    each ``expected_log`` marker allows records whose message matches a regex (searched, not full-match),
    optionally only from one logger (and its children) and up to a level (ERROR by default, so CRITICAL
    still fails)::

        @pytest.mark.expected_log(r"connection lost", logger="desktop.client")
        def test_reconnects_after_drop(caplog): ...

    ``@pytest.mark.expected_log()`` with no pattern allows any ERROR record. Use ``caplog`` as usual to
    assert that the record was indeed logged; the marker only permits it.

Never the real user's files (``shopdesk_home`` fixture, autouse)
    ``SHOPDESK_HOME`` points into the test's ``tmp_path`` (``<tmp_path>/shopdesk-home``), so
    :mod:`desktop.paths` puts config, data, logs and cache there. Subprocesses inherit it.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.memory_keyring.MemoryKeyring"

import keyring
import pytest

from tests.integration.backend import BackendProcess
from tests.memory_keyring import MemoryKeyring

pytest_plugins = ("pytester",)

EXPECTED_LOG_MARKER = (
    "expected_log(pattern=None, *, logger=None, level=logging.ERROR): allow log records at ERROR or above "
    "(up to level) whose message matches the regex pattern, from logger or its children (tests/conftest.py)"
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", EXPECTED_LOG_MARKER)


# ------------------------------------------------------------------------------ unexpected ERROR logs


class _ErrorRecords(logging.Handler):
    """Collects every record at ERROR or above that reaches the root logger."""

    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _Expectation:
    def __init__(self, pattern: str | None = None, *, logger: str | None = None, level: int = logging.ERROR):
        self.pattern = re.compile(pattern) if pattern is not None else None
        self.logger = logger
        self.level = level

    def allows(self, record: logging.LogRecord) -> bool:
        if record.levelno > self.level:
            return False
        if self.logger is not None and not (
            record.name == self.logger or record.name.startswith(self.logger + ".")
        ):
            return False
        return self.pattern is None or self.pattern.search(_message(record)) is not None


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a broken log call is still a record to report
        return f"{record.msg!r} % {record.args!r}"


def _describe(record: logging.LogRecord) -> str:
    text = f"{record.levelname} {record.name}: {_message(record)}"
    if record.exc_info and record.exc_info[1] is not None:
        text += f"  [{type(record.exc_info[1]).__name__}: {record.exc_info[1]}]"
    return text


@pytest.fixture(autouse=True)
def fail_on_error_logs(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail (error at teardown) when a log record at ERROR or above was not allowed by ``expected_log``."""
    expectations = [_Expectation(*m.args, **m.kwargs) for m in request.node.iter_markers("expected_log")]
    collector = _ErrorRecords()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        yield
    finally:
        root.removeHandler(collector)
    unexpected = [r for r in collector.records if not any(e.allows(r) for e in expectations)]
    if unexpected:
        listing = "\n".join(f"  {_describe(r)}" for r in unexpected)
        pytest.fail(
            f"unexpected log record(s) at ERROR or above (allow them with @pytest.mark.expected_log):\n"
            f"{listing}",
            pytrace=False,
        )


# ------------------------------------------------------------------------------------ isolation


@pytest.fixture(autouse=True)
def shopdesk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder that ``SHOPDESK_HOME`` points to for this test (created lazily by the code under test)."""
    home = tmp_path / "shopdesk-home"
    monkeypatch.setenv("SHOPDESK_HOME", str(home))
    return home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """A new, empty in-memory keyring for this test."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(MemoryKeyring())  # nothing stored by this test survives it


# ------------------------------------------------------------------------------------ qasync loop

_qt_app: Any = None  # the QApplication, created on first use and kept alive for the session
# Every qasync loop made, kept until the session ends. A closed loop only marks its timer object stopped;
# Qt still holds the timers it registered and delivers them later. If Python collected the loop (and with
# it that QObject) first, Qt would deliver a timer event to freed memory: a segfault some tests later, seen
# in the client fault tests. The app has one loop for its whole life and never meets this.
_qasync_loops: list[Any] = []


def new_qasync_loop() -> asyncio.AbstractEventLoop:
    """A fresh qasync event loop on the session's QApplication (created here if nobody did before)."""
    global _qt_app
    import qasync  # imports PySide6: only here, when an async test actually runs
    from PySide6.QtWidgets import QApplication

    if _qt_app is None:
        _qt_app = QApplication.instance() or QApplication(["shopdesk-tests"])
        # as in the app: closing the last window must not stop the loop a test (or the session) runs on
        _qt_app.setQuitOnLastWindowClosed(False)
    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(_qt_app)
    _qasync_loops.append(loop)
    return loop


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], asyncio.AbstractEventLoop]]:
    """Run every async test (and async fixture) on a qasync loop, one new loop per test."""
    return {"qasync": new_qasync_loop}


@pytest.fixture
def backend(tmp_path: Path) -> Iterator[BackendProcess]:
    """The real reference backend (demo shop seeded) in its own process on a free loopback port."""
    server = BackendProcess(tmp_path / "shop.db")
    server.start()
    yield server
    code = server.stop()
    assert code in (0, -9, None), server.log_text()
    assert "Traceback" not in server.log_text(), server.log_text()
