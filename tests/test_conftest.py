"""The shared test plumbing in tests/conftest.py does what its docstring promises."""

from __future__ import annotations

import asyncio
import logging
import os
import textwrap
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.errors import PasswordDeleteError

from desktop import paths
from tests.memory_keyring import MemoryKeyring

REPO_ROOT = Path(__file__).resolve().parent.parent


def test_qt_runs_offscreen() -> None:
    assert os.environ["QT_QPA_PLATFORM"] == "offscreen"


# ------------------------------------------------------------------------------------------ async loop


async def test_async_test_runs_on_a_qasync_loop() -> None:
    import qasync

    loop = asyncio.get_running_loop()
    assert isinstance(loop, qasync.QEventLoop)
    await asyncio.sleep(0.001)


async def test_qt_timers_and_asyncio_share_the_loop() -> None:
    from PySide6.QtCore import QTimer

    fired: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    QTimer.singleShot(1, lambda: fired.set_result("qt timer"))
    assert await asyncio.wait_for(fired, timeout=2) == "qt timer"


# --------------------------------------------------------------------------------------------- keyring


def test_keyring_backend_is_the_memory_one(memory_keyring: MemoryKeyring) -> None:
    assert keyring.get_keyring() is memory_keyring
    assert os.environ["PYTHON_KEYRING_BACKEND"] == "tests.memory_keyring.MemoryKeyring"
    assert isinstance(keyring.core.load_env(), MemoryKeyring)  # what a subprocess would get


@pytest.mark.parametrize("run", ["first", "second"])
def test_keyring_is_empty_at_the_start_of_every_test(run: str, memory_keyring: MemoryKeyring) -> None:
    # Whichever of the two runs comes second fails if the first one's password survived.
    assert keyring.get_password("shopdesk", "agent-007") is None
    keyring.set_password("shopdesk", "agent-007", f"token-from-{run}")
    assert keyring.get_password("shopdesk", "agent-007") == f"token-from-{run}"
    assert memory_keyring.passwords == {("shopdesk", "agent-007"): f"token-from-{run}"}


def test_memory_keyring_delete() -> None:
    keyring.set_password("shopdesk", "agent", "t")
    keyring.delete_password("shopdesk", "agent")
    assert keyring.get_password("shopdesk", "agent") is None
    with pytest.raises(PasswordDeleteError):
        keyring.delete_password("shopdesk", "agent")


# ------------------------------------------------------------------------------------------ user files


def test_platform_dirs_point_into_tmp_path(tmp_path: Path, shopdesk_home: Path) -> None:
    assert os.environ["SHOPDESK_HOME"] == str(shopdesk_home)
    for folder in (paths.config_dir(), paths.data_dir(), paths.log_dir(), paths.cache_dir()):
        assert folder.is_relative_to(tmp_path)


# ------------------------------------------------------------------------------------------ error logs


@pytest.mark.expected_log(r"^payment callback failed for order \d+$", logger="desktop.client")
def test_expected_error_log_is_allowed(caplog: pytest.LogCaptureFixture) -> None:
    logging.getLogger("desktop.client.orders").error("payment callback failed for order %d", 42)
    assert [r.getMessage() for r in caplog.records] == ["payment callback failed for order 42"]


def test_warnings_are_not_errors() -> None:
    logging.getLogger("desktop").warning("slow frame: 40 ms")


INNER_TESTS = """
    import logging
    import threading

    import pytest

    log = logging.getLogger("desktop.client")


    def test_unexpected_error():
        log.error("unexpected boom")


    def test_unexpected_error_in_a_thread():
        thread = threading.Thread(target=lambda: log.error("boom from a worker thread"))
        thread.start()
        thread.join()


    def test_unexpected_exception_log():
        try:
            raise ValueError("bad frame")
        except ValueError:
            log.exception("decode failed")


    @pytest.mark.expected_log("other message")
    def test_pattern_does_not_match():
        log.error("boom that nobody expected")


    @pytest.mark.expected_log("boom", logger="desktop.store")
    def test_logger_does_not_match():
        log.error("boom on the wrong logger")


    @pytest.mark.expected_log("boom")
    def test_critical_is_above_the_allowed_level():
        log.critical("critical boom")


    @pytest.mark.expected_log("boom", level=logging.CRITICAL)
    def test_critical_allowed_when_asked():
        log.critical("critical boom")


    @pytest.mark.expected_log("expected boom")
    def test_expected_error():
        log.error("an expected boom")


    def test_warning_only():
        log.warning("only a warning")
"""


def test_unexpected_error_log_fails_the_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run a small suite with this conftest as a plugin in a subprocess and read the outcome."""
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
    )
    pytester.makeini(
        """
        [pytest]
        addopts = -p tests.conftest -p no:cacheprovider --strict-markers
        filterwarnings = error
        qt_api = pyside6
        asyncio_mode = auto
        asyncio_default_fixture_loop_scope = function
        """
    )
    pytester.makepyfile(test_inner=textwrap.dedent(INNER_TESTS))

    result = pytester.runpytest_subprocess("-rA")

    result.assert_outcomes(passed=9, errors=6)
    for name in (
        "test_unexpected_error",
        "test_unexpected_error_in_a_thread",
        "test_unexpected_exception_log",
        "test_pattern_does_not_match",
        "test_logger_does_not_match",
        "test_critical_is_above_the_allowed_level",
    ):
        result.stdout.fnmatch_lines([f"ERROR test_inner.py::{name} - Failed*"])
    result.stdout.fnmatch_lines(
        [
            "*ERROR desktop.client: unexpected boom",
            "*ERROR desktop.client: boom from a worker thread",
            "*ERROR desktop.client: decode failed  [[]ValueError: bad frame[]]",
            "*CRITICAL desktop.client: critical boom",
        ]
    )
    for name in ("test_critical_allowed_when_asked", "test_expected_error", "test_warning_only"):
        result.stdout.fnmatch_lines([f"PASSED test_inner.py::{name}"])
