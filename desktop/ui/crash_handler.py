"""When something goes wrong that nobody caught: write a crash report, tell the user where it is.

:func:`install` hooks ``sys.excepthook`` (the main thread, and exceptions in Qt slots, which PySide6 hands
to it) and ``threading.excepthook``; :func:`asyncio_exception_handler` is for
``loop.set_exception_handler`` (a task's exception nobody retrieved, a failing callback). Each crash
writes one report into the log folder::

    crash-20251120-143205-4242.txt      (mode 0600, in a 0700 folder)

with the ShopDesk, Python, PySide6 and Qt versions, the platform, the traceback and the last lines of the
current log file, all passed through :func:`desktop.logs.redact`, so registered tokens and anything that
looks like a credential never land in it. Then the user is told where it is: by default a message box
(with 打开文件夹 / 关闭) when a QApplication exists, else a line on stderr.

The handler never recurses (a failure inside it falls back to plain stderr), lets KeyboardInterrupt through
to the previous hook, and writes at most :data:`MAX_REPORTS` reports per :data:`PER_SECONDS` seconds: a
flood of errors is still logged, but does not fill the disk or the screen.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
import platform
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, Final

import PySide6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, qVersion
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import __version__, paths
from desktop.logs import LOG_FILE_NAME, redact

log = logging.getLogger(__name__)

MAX_REPORTS: Final = 3
PER_SECONDS: Final = 60.0
LOG_TAIL_LINES: Final = 200
_LOG_TAIL_BYTES: Final = 256 * 1024

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
ShowReport = Callable[[Path], None]


def versions() -> dict[str, str]:
    """What a bug report needs to know about this installation (also shown in the About dialog)."""
    return {
        "ShopDesk": __version__,
        "Python": f"{platform.python_version()} ({platform.python_implementation()})",
        "PySide6": PySide6.__version__,
        "Qt": qVersion(),
        "Platform": platform.platform(),
    }


class CrashHandler:
    """Writes reports into ``log_dir`` and calls ``show`` with each report's path."""

    def __init__(
        self,
        log_dir: Path,
        show: ShowReport | None = None,
        *,
        max_reports: int = MAX_REPORTS,
        per_seconds: float = PER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.log_dir = log_dir
        self._show = show if show is not None else show_report
        self._max_reports = max_reports
        self._per_seconds = per_seconds
        self._clock = clock
        self._recent: deque[float] = deque()
        self._lock = threading.Lock()
        self._busy = threading.local()
        self.previous_excepthook: Callable[..., Any] = sys.excepthook
        self.previous_threading_excepthook: Callable[[threading.ExceptHookArgs], Any] = threading.excepthook

    # --- the hooks -----------------------------------------------------------------------------------

    def excepthook(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            self.previous_excepthook(exc_type, exc, tb)
            return
        thread = threading.current_thread()
        where = "main thread" if thread is threading.main_thread() else f"thread {thread.name}"
        self.handle((exc_type, exc, tb), where)

    def threading_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, (KeyboardInterrupt, SystemExit)):
            self.previous_threading_excepthook(args)
            return
        name = args.thread.name if args.thread is not None else "?"
        self.handle((args.exc_type, args.exc_value, args.exc_traceback), f"thread {name}")

    def asyncio_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        exc = context.get("exception")
        if not isinstance(exc, Exception):  # no exception (a warning), or a cancellation: asyncio's own way
            loop.default_exception_handler(context)
            return
        where = "asyncio: " + str(context.get("message") or "unhandled exception")
        task = context.get("task") or context.get("future")
        if task is not None:
            where += f" ({task!r})"
        self.handle((type(exc), exc, exc.__traceback__), where)

    # --- the work ------------------------------------------------------------------------------------

    def handle(self, exc_info: ExcInfo, where: str) -> Path | None:
        """Write a report (unless too many came lately), log the error and show where the report is.

        Never raises and never recurses: a crash while writing falls back to stderr; a crash while the
        user is being told (say, in a slot that runs while the message box is open) gets its report
        but no second notice.
        """
        if getattr(self._busy, "writing", False):
            _fallback(exc_info, where, None)
            return None
        self._busy.writing = True
        try:
            report = self.write_report(exc_info, where) if self._allowed() else None
            log.error(
                "uncaught exception in %s; %s",
                where,
                f"crash report: {report}" if report else "no crash report (too many lately)",
                exc_info=exc_info,
            )
        except BaseException as failure:  # the handler itself failed: never raise from a hook
            _fallback(exc_info, where, failure)
            return None
        finally:
            self._busy.writing = False
        if report is not None and not getattr(self._busy, "showing", False):
            self._busy.showing = True
            try:
                self._show(report)
            except BaseException as failure:
                _fallback(exc_info, where, failure)
            finally:
                self._busy.showing = False
        return report

    def _allowed(self) -> bool:
        with self._lock:
            now = self._clock()
            while self._recent and now - self._recent[0] >= self._per_seconds:
                self._recent.popleft()
            if len(self._recent) >= self._max_reports:
                return False
            self._recent.append(now)
            return True

    def write_report(self, exc_info: ExcInfo, where: str) -> Path:
        folder = paths.ensure_private_dir(self.log_dir)
        text = redact(self.report_text(exc_info, where))
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        base = f"crash-{stamp}-{os.getpid()}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        for attempt in range(1, 100):
            path = folder / (f"{base}.txt" if attempt == 1 else f"{base}-{attempt}.txt")
            try:
                fd = os.open(path, flags, 0o600)
            except FileExistsError:
                continue  # two crashes in the same second
            with open(fd, "w", encoding="utf-8", newline="\n") as file:
                file.write(text)
            return path
        raise FileExistsError(f"no free crash report name for {base} in {folder}")

    def report_text(self, exc_info: ExcInfo, where: str) -> str:
        lines = ["ShopDesk crash report", ""]
        lines.append(f"Time: {datetime.datetime.now().astimezone().isoformat(timespec='seconds')}")
        lines.append(f"Where: {where}")
        lines.extend(f"{key}: {value}" for key, value in versions().items())
        lines.append(f"Executable: {sys.executable}{' (frozen)' if getattr(sys, 'frozen', False) else ''}")
        lines += ["", "Traceback:", "".join(traceback.format_exception(*exc_info)).rstrip()]
        lines += ["", f"Last lines of {LOG_FILE_NAME}:"]
        lines.append(log_tail(self.log_dir / LOG_FILE_NAME) or "(no log file)")
        return "\n".join(lines) + "\n"


def log_tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last ``lines`` lines of the file at ``path`` ("" when it does not exist or cannot be read)."""
    try:
        with path.open("rb") as file:
            file.seek(0, os.SEEK_END)
            size = file.tell()
            file.seek(max(0, size - _LOG_TAIL_BYTES))
            data = file.read()
    except OSError:
        return ""
    text = data.decode("utf-8", errors="replace")
    return "\n".join(text.splitlines()[-lines:])


def _fallback(exc_info: ExcInfo, where: str, failure: BaseException | None) -> None:
    """Plain stderr, for when the handler cannot do its job (and stderr may be None in a windowed build)."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(f"ShopDesk: uncaught exception in {where}\n")
        stream.write(redact("".join(traceback.format_exception(*exc_info))))
        if failure is not None:
            stream.write(f"ShopDesk: the crash handler failed too: {failure!r}\n")
        stream.flush()
    except Exception:
        pass


# ------------------------------------------------------------------------------- telling the user


class _ReportNotice(QObject):
    """Shows report notices on the GUI thread, whichever thread crashed (a queued signal gets it there)."""

    requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.box: QMessageBox | None = None
        self.requested.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def _show(self, path_text: str) -> None:
        if self.box is not None and self.box.isVisible():
            return  # one box at a time; the new report is in the same folder
        box = self.build_box(Path(path_text))
        self.box = box
        box.show()  # not exec(): this runs from the event loop, maybe inside a coroutine step
        box.raise_()

    def show_blocking(self, path: Path) -> None:
        """No event loop runs yet (a crash while starting up): a modal box, or the user would never see it."""
        if self.box is not None and self.box.isVisible():
            return
        box = self.build_box(path)
        self.box = box
        box.exec()

    def build_box(self, path: Path) -> QMessageBox:
        translate = QCoreApplication.translate  # not "tr": lupdate reads tr(a, b) as (text, disambiguation)
        box = QMessageBox()
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(translate("CrashHandler", "ShopDesk 出错了"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(
            translate(
                "CrashHandler",
                "很抱歉，ShopDesk 出现了意外错误。\n\n错误报告已保存到：\n{0}\n\n"
                "如果问题反复出现，请把这个文件发给技术支持。",
            ).format(path)
        )
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        open_button = box.addButton(
            translate("CrashHandler", "打开文件夹"), QMessageBox.ButtonRole.ActionRole
        )
        close_button = box.addButton(translate("CrashHandler", "关闭"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(close_button)
        box.setEscapeButton(close_button)

        def clicked(button: object) -> None:
            if button is open_button:
                from desktop.ui.folders import open_folder

                open_folder(path.parent)

        box.buttonClicked.connect(clicked)
        box.destroyed.connect(self._forget)
        return box

    def _forget(self) -> None:
        self.box = None


_notice: _ReportNotice | None = None


def show_report(path: Path) -> None:
    """The default way to tell the user: a message box when there is a QApplication, else stderr."""
    if not isinstance(QApplication.instance(), QApplication) or _notice is None:
        if sys.stderr is not None:
            # no Qt to translate with: both languages
            sys.stderr.write(f"ShopDesk: 出现了意外错误，错误报告已保存到 {path}\n")
            sys.stderr.write(f"ShopDesk: an unexpected error occurred, the report is in {path}\n")
        return
    if threading.current_thread() is threading.main_thread() and QThread.currentThread().loopLevel() == 0:
        _notice.show_blocking(path)
    else:
        _notice.requested.emit(str(path))  # queued: shown on the GUI thread by its running event loop


# ------------------------------------------------------------------------------------ installing

_installed: CrashHandler | None = None


def installed() -> CrashHandler | None:
    return _installed


def install(log_dir: Path, *, show: ShowReport | None = None) -> Callable[[], None]:
    """Hook sys.excepthook and threading.excepthook (and :func:`asyncio_exception_handler`) to write
    reports into ``log_dir``; returns a function that puts the previous hooks back.

    Call it on the GUI thread (the message box is created there); ``show`` replaces the message box.
    """
    global _installed, _notice
    handler = CrashHandler(log_dir, show)
    if _notice is None:
        _notice = _ReportNotice()
    sys.excepthook = handler.excepthook
    threading.excepthook = handler.threading_excepthook
    _installed = handler

    def uninstall() -> None:
        global _installed
        if sys.excepthook == handler.excepthook:
            sys.excepthook = handler.previous_excepthook
        if threading.excepthook == handler.threading_excepthook:
            threading.excepthook = handler.previous_threading_excepthook
        if _installed is handler:
            _installed = None

    return uninstall


def asyncio_exception_handler(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """For ``loop.set_exception_handler``: a crash report through the installed handler, or asyncio's
    default handling when none is installed."""
    handler = _installed
    if handler is None:
        loop.default_exception_handler(context)
    else:
        handler.asyncio_handler(loop, context)
