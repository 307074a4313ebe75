"""The crash handler: one scrubbed report per crash in the log folder, the user told where, no recursion."""

from __future__ import annotations

import asyncio
import os
import re
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import __version__
from desktop.logs import LOG_FILE_NAME, register_secret, unregister_secret
from desktop.ui import crash_handler
from desktop.ui.crash_handler import CrashHandler, ExcInfo

pytestmark = [
    pytest.mark.gui,
    pytest.mark.expected_log(r"uncaught exception in", logger="desktop.ui.crash_handler"),
]
SECRET = "tok-7f3a9c1e-SECRET"
REPORT_NAME = re.compile(r"crash-\d{8}-\d{6}-\d+(-\d+)?\.txt")


@pytest.fixture
def secret() -> Iterator[str]:
    register_secret(SECRET)
    yield SECRET
    unregister_secret(SECRET)


@pytest.fixture
def hooks() -> Iterator[None]:
    """Whatever a test installs, the real hooks are back afterwards."""
    saved = sys.excepthook, threading.excepthook
    yield
    sys.excepthook, threading.excepthook = saved


def exc_info_of(exc: BaseException) -> ExcInfo:
    try:
        raise exc
    except BaseException as caught:
        return type(caught), caught, caught.__traceback__


def reports(folder: Path) -> list[Path]:
    return sorted(folder.glob("crash-*.txt"))


def fail_with_secret() -> None:
    raise ValueError(f"the server said no to token {SECRET}")


def test_excepthook_writes_one_scrubbed_report(tmp_path: Path, hooks, secret) -> None:
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    (log_dir / LOG_FILE_NAME).write_text(
        "".join(f"2025-11-20 INFO line {n}\n" for n in range(300)) + f"DEBUG sent {{'token': '{secret}'}}\n",
        encoding="utf-8",
    )
    shown: list[Path] = []
    uninstall = crash_handler.install(log_dir, show=shown.append)
    try:
        try:
            fail_with_secret()
        except ValueError:
            sys.excepthook(*sys.exc_info())
    finally:
        uninstall()

    [report] = reports(log_dir)
    assert shown == [report]
    assert REPORT_NAME.fullmatch(report.name)
    assert report.name.endswith(f"-{os.getpid()}.txt")
    if os.name == "posix":
        assert stat.S_IMODE(report.stat().st_mode) == 0o600
        assert stat.S_IMODE(log_dir.stat().st_mode) == 0o700
    text = report.read_text(encoding="utf-8")
    assert secret not in text
    assert "the server said no to token ***" in text
    assert f"ShopDesk: {__version__}" in text
    for key in ("Python:", "PySide6:", "Qt:", "Platform:", "Where: main thread"):
        assert key in text
    assert "Traceback (most recent call last)" in text and "in fail_with_secret" in text
    assert "line 299" in text and "line 101" in text and "line 100\n" not in text  # the last 200 lines
    assert "'token': '***'" in text


def test_report_without_a_log_file_and_folder_created(tmp_path: Path, hooks) -> None:
    log_dir = tmp_path / "new" / "logs"
    handler = CrashHandler(log_dir, show=lambda path: None)
    report = handler.handle(exc_info_of(RuntimeError("boom")), "test")
    assert report is not None and report.parent == log_dir
    assert "(no log file)" in report.read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(log_dir.stat().st_mode) == 0o700


def test_two_crashes_in_one_second_get_two_files(tmp_path: Path) -> None:
    handler = CrashHandler(tmp_path, show=lambda path: None)
    first = handler.write_report(exc_info_of(RuntimeError("one")), "test")
    second = handler.write_report(exc_info_of(RuntimeError("two")), "test")
    assert first != second and "two" in second.read_text(encoding="utf-8")


def test_uninstall_restores_the_previous_hooks(tmp_path: Path, hooks) -> None:
    before = sys.excepthook, threading.excepthook
    uninstall = crash_handler.install(tmp_path)
    assert (sys.excepthook, threading.excepthook) != before
    assert crash_handler.installed() is not None
    uninstall()
    assert (sys.excepthook, threading.excepthook) == before
    assert crash_handler.installed() is None


def test_thread_exception_writes_a_report(tmp_path: Path, hooks, secret) -> None:
    shown: list[Path] = []
    uninstall = crash_handler.install(tmp_path, show=shown.append)
    try:
        thread = threading.Thread(target=fail_with_secret, name="image-encoder")
        thread.start()
        thread.join()
    finally:
        uninstall()
    [report] = reports(tmp_path)
    assert shown == [report]
    text = report.read_text(encoding="utf-8")
    assert "Where: thread image-encoder" in text and "ValueError" in text
    assert secret not in text


def test_asyncio_handler_writes_a_report(tmp_path: Path, hooks) -> None:
    shown: list[Path] = []
    uninstall = crash_handler.install(tmp_path, show=shown.append)
    loop = asyncio.new_event_loop()
    try:
        loop.set_exception_handler(crash_handler.asyncio_exception_handler)

        def callback() -> None:
            raise KeyError("lost-order")

        loop.call_soon(callback)
        loop.call_soon(loop.stop)
        loop.run_forever()
    finally:
        loop.close()
        uninstall()
    [report] = reports(tmp_path)
    assert shown == [report]
    text = report.read_text(encoding="utf-8")
    assert "Where: asyncio: Exception in callback" in text
    assert "KeyError: 'lost-order'" in text


@pytest.mark.expected_log(r"a message without an exception", logger="asyncio")
def test_asyncio_context_without_exception_goes_to_asyncio(tmp_path: Path, hooks) -> None:
    uninstall = crash_handler.install(tmp_path, show=lambda path: None)
    loop = asyncio.new_event_loop()
    try:
        crash_handler.asyncio_exception_handler(loop, {"message": "a message without an exception"})
    finally:
        loop.close()
        uninstall()
    assert reports(tmp_path) == []


def test_at_most_a_few_reports_a_minute(tmp_path: Path, caplog) -> None:
    now = [1000.0]
    shown: list[Path] = []
    handler = CrashHandler(tmp_path, show=shown.append, max_reports=3, per_seconds=60, clock=lambda: now[0])
    for n in range(10):
        now[0] += 1
        handler.handle(exc_info_of(RuntimeError(f"flood {n}")), "flood")
    assert len(reports(tmp_path)) == 3 and len(shown) == 3
    assert caplog.text.count("no crash report (too many lately)") == 7  # still logged, every one
    now[0] += 60
    handler.handle(exc_info_of(RuntimeError("later")), "flood")
    assert len(reports(tmp_path)) == 4


def test_keyboard_interrupt_goes_to_the_previous_hook(tmp_path: Path, hooks) -> None:
    seen: list[type[BaseException]] = []
    sys.excepthook = lambda kind, value, tb: seen.append(kind)
    uninstall = crash_handler.install(tmp_path, show=lambda path: None)
    try:
        sys.excepthook(*exc_info_of(KeyboardInterrupt()))
    finally:
        uninstall()
    assert seen == [KeyboardInterrupt]
    assert reports(tmp_path) == []


def test_a_crash_while_telling_the_user_does_not_recurse(tmp_path: Path, hooks, capsys) -> None:
    calls: list[Path] = []

    def show(path: Path) -> None:
        calls.append(path)
        sys.excepthook(*exc_info_of(RuntimeError("while showing")))  # e.g. a slot run by the message box
        raise OSError("no display")

    uninstall = crash_handler.install(tmp_path, show=show)
    try:
        sys.excepthook(*exc_info_of(RuntimeError("first")))  # must not raise
    finally:
        uninstall()
    assert len(calls) == 1  # the nested crash was not shown again...
    assert len(reports(tmp_path)) == 2  # ...but it has its report
    err = capsys.readouterr().err
    assert "RuntimeError: first" in err
    assert "the crash handler failed too: OSError('no display')" in err


def test_a_crash_while_writing_falls_back_to_stderr(
    tmp_path: Path, hooks, secret, capsys, monkeypatch
) -> None:
    def broken(*args: object) -> str:
        raise MemoryError("no room")

    monkeypatch.setattr(CrashHandler, "report_text", broken)
    shown: list[Path] = []
    uninstall = crash_handler.install(tmp_path, show=shown.append)
    try:
        sys.excepthook(*exc_info_of(RuntimeError(f"with {SECRET}")))
    finally:
        uninstall()
    assert shown == [] and reports(tmp_path) == []
    err = capsys.readouterr().err
    assert "ShopDesk: uncaught exception in main thread" in err and "RuntimeError: with" in err
    assert "the crash handler failed too: MemoryError('no room')" in err
    assert secret not in err


def test_without_a_qapplication_the_user_is_told_on_stderr(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(QApplication, "instance", staticmethod(lambda: None))
    crash_handler.show_report(tmp_path / "crash-x.txt")
    assert f"错误报告已保存到 {tmp_path / 'crash-x.txt'}" in capsys.readouterr().err


def find_box() -> QMessageBox | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            return widget
    return None


def button(box: QMessageBox, text: str):
    return next(b for b in box.buttons() if b.text() == text)


def test_default_notice_is_a_message_box_that_opens_the_folder(
    qtbot, tmp_path: Path, hooks, monkeypatch
) -> None:
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    seen: dict[str, str] = {}

    def answer() -> None:  # runs inside the box's own event loop (no loop ran yet: the box is modal)
        box = find_box()
        assert box is not None
        seen["text"] = box.text()
        seen["buttons"] = ",".join(sorted(b.text() for b in box.buttons()))
        button(box, "打开文件夹").click()

    uninstall = crash_handler.install(tmp_path)
    try:
        QTimer.singleShot(0, answer)
        sys.excepthook(*exc_info_of(RuntimeError("boom")))
    finally:
        uninstall()
    [report] = reports(tmp_path)
    assert seen["text"].startswith("很抱歉，ShopDesk 出现了意外错误")
    assert str(report) in seen["text"]
    assert seen["buttons"] == "关闭,打开文件夹"
    assert [Path(url.toLocalFile()) for url in opened] == [tmp_path]
    qtbot.waitUntil(lambda: find_box() is None)


def test_a_thread_crash_shows_the_box_on_the_gui_thread(qtbot, tmp_path: Path, hooks) -> None:
    uninstall = crash_handler.install(tmp_path)
    try:
        thread = threading.Thread(target=fail_with_secret, name="worker")
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: find_box() is not None)
        box = find_box()
        app = QApplication.instance()
        assert box is not None and app is not None and box.thread() is app.thread()
        [report] = reports(tmp_path)
        assert str(report) in box.text()
        button(box, "关闭").click()
        qtbot.waitUntil(lambda: find_box() is None)
    finally:
        uninstall()
