"""Starting the agent app: one QApplication, one qasync loop, login, the workbench window, a clean exit.

The flow of :func:`run_app` (everything on one thread: asyncio runs inside Qt's event loop):

1. Qt messages go to logging (:mod:`desktop.ui.qtlog`), a CJK-capable UI font is chosen;
2. log in: with ``AutoLogin`` (``shopdesk demo``) directly; else with the token the keyring remembered for
   the last account; else the :class:`LoginDialog` (opened with ``open()``, awaited through ``finished``);
3. open the agent's cache (:class:`LocalStore`), start the :class:`AgentClient`, show the :class:`MainWindow`;
4. when the window closes: keep drafts and layout, stop the client (the outbox stays in the cache for next
   time), close the store. When the server refuses the token, the login dialog comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog

from desktop import __version__
from desktop.client import connection
from desktop.client.connection import AgentClient
from desktop.client.credentials import Account, forget_token, load_token
from desktop.client.endpoint import EndpointError, resolve
from desktop.client.status import LinkState, LinkStatus
from desktop.logs import set_level
from desktop.paths import data_dir, log_dir
from desktop.store import LocalStore, store_path
from desktop.ui import crash_handler, qtlog
from desktop.ui.fonts import apply_font_size
from desktop.ui.i18n import install_language
from desktop.ui.live_workbench import LiveWorkbench
from desktop.ui.login_result import LoginResult
from desktop.ui.main_window import MainWindow
from desktop.ui.preferences import Preferences
from desktop.ui.theme import apply_theme

log = logging.getLogger(__name__)

CJK_FONTS = (
    "Microsoft YaHei UI",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
)


@dataclass(frozen=True)
class AutoLogin:
    """Log in without the dialog (the demo): the password is used once and never stored."""

    url: str
    shop: str
    username: str
    password: str


@dataclass(frozen=True)
class AppOptions:
    auto_login: AutoLogin | None = None
    data_root: Path | None = None  # where the agent caches live (default: the platform data folder)
    on_window: Callable[[MainWindow], None] | None = None  # tests and benchmarks look at the window
    log_level: str | None = None  # --log-level; None: the settings' 日志详细程度


def make_application(argv: Sequence[str] = (), *, theme: str = "light", font_size: int = 0) -> QApplication:
    """The one QApplication: names, the CJK font, the theme ("light" | "dark" | "system"), HiDPI."""
    existing = QApplication.instance()
    if not isinstance(existing, QApplication):
        # fractional scales (125 %, 150 %) drawn as such, not rounded to 1x/2x: crisp text on HiDPI laptops
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv) or ["shopdesk"])
    app.setApplicationName("ShopDesk")
    app.setApplicationDisplayName("ShopDesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("ShopDesk")
    families = set(QFontDatabase.families())
    for family in CJK_FONTS:
        if family in families:
            font = QFont(family)
            font.setPointSizeF(max(app.font().pointSizeF(), 10.0))
            app.setFont(font)
            break
    if font_size:
        apply_font_size(font_size)
    apply_theme(app, theme)
    return app


async def _dialog_login(preferences: Preferences, message: str = "") -> LoginResult | None:
    from desktop.ui.login_dialog import LoginDialog, LoginForm  # not needed when a token is remembered

    last = preferences.last_login
    dialog = LoginDialog(
        initial=LoginForm(
            url=last["url"] or "ws://127.0.0.1:8765",
            shop=last["shop"] or "demo",
            username=last["username"],
            remember=True,
        )
    )
    if message:
        dialog.show_message(message)
    done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    dialog.finished.connect(lambda code: done.done() or done.set_result(code))
    dialog.open()
    code = await done
    result = dialog.result_login if code == QDialog.DialogCode.Accepted else None
    dialog.deleteLater()
    return result


async def _auto_login(auto: AutoLogin) -> LoginResult:
    account = Account(auto.url, auto.shop, auto.username)
    endpoint = resolve(auto.url)
    token = await connection.login(endpoint, account, auto.password, remember=False)
    return LoginResult(account, endpoint, token, False)


def _remembered(preferences: Preferences) -> LoginResult | None:
    last = preferences.last_login
    if not all(last.values()):
        return None
    account = Account(last["url"], last["shop"], last["username"])
    token = load_token(account)
    if token is None:
        return None
    try:
        endpoint = resolve(last["url"])
    except EndpointError:
        return None
    return LoginResult(account, endpoint, token, True)


class _Session(QObject):
    """One logged-in run of the window; ``ended`` says why it stopped."""

    def __init__(self, login: LoginResult, options: AppOptions, preferences: Preferences) -> None:
        super().__init__()
        root = options.data_root or data_dir()
        path = store_path(login.account.server_url, login.account.shop, login.account.username, root)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.store = LocalStore.open(path)
        self.client = AgentClient(login.account, login.endpoint, self.store, login.token)
        self.workbench = LiveWorkbench(self.client)
        self.ended: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._links: list[tuple[Any, Callable[..., None]]] = []
        self._on_window: Callable[[MainWindow], None] | None = None
        self._adopt(MainWindow(self.workbench, preferences=preferences))
        self.workbench.status_changed.connect(self._status)
        preferences.changed.connect(self._setting_changed)
        self.preferences = preferences

    def _adopt(self, window: MainWindow) -> None:
        """``window`` is the session's window now: its closing (or logging out) ends the session."""
        self.window = window
        self._links = [
            (window.destroyed, lambda *_: self._end("closed")),
            (window.closed, lambda: self._end("closed")),
            (window.logout_requested, lambda: self._end("logout")),
        ]
        for source, slot in self._links:
            source.connect(slot)

    def _setting_changed(self, key: str, value: object) -> None:
        """界面语言: install the translator and make the window again (every string anew), in place."""
        if key != "appearance/language" or self.ended.done():
            return
        app = QApplication.instance()
        if isinstance(app, QApplication):
            install_language(app, str(value))
        old = self.window
        for source, slot in self._links:
            source.disconnect(slot)
        self._adopt(old.replace())
        if self._on_window is not None:
            self._on_window(self.window)

    def _status(self, status: LinkStatus) -> None:
        if status.state is LinkState.AUTH_FAILED:
            self._end("auth_failed")

    def _end(self, why: str) -> None:
        if not self.ended.done():
            self.ended.set_result(why)

    async def run(self, on_window: Callable[[MainWindow], None] | None) -> str:
        self._on_window = on_window
        self.window.show()
        self.client.start()
        if on_window is not None:
            on_window(self.window)
        why = await self.ended
        self.preferences.changed.disconnect(self._setting_changed)
        self.window.save_layout()
        self.window.flush_drafts()
        await self.workbench.close()
        self.store.close()
        self.window.hide()
        self.window.deleteLater()
        return why


async def run_session_loop(options: AppOptions) -> int:
    """Log in, run the window, and log in again when the server ends the session; 0 when the user quits."""
    preferences = Preferences()
    message = ""
    first = True
    while True:
        login: LoginResult | None
        if options.auto_login is not None and first:
            try:
                login = await _auto_login(options.auto_login)
            except (connection.LoginError, EndpointError) as exc:
                print(f"shopdesk: login failed: {exc}", file=sys.stderr)
                return 1
        else:
            login = _remembered(preferences) if first and not message else None
            if login is None:
                login = await _dialog_login(preferences, message)
        first = False
        if login is None:
            return 0
        if options.auto_login is None:
            preferences.remember_login(login.account.server_url, login.account.shop, login.account.username)
        session = _Session(login, options, preferences)
        why = await session.run(options.on_window)
        if why == "logout":
            forget_token(login.account)  # the dialog next, with the server and account filled in
            message = ""
            continue
        if why != "auth_failed":
            return 0
        message = _Session.tr("登录已失效，请重新登录")


def _login_dialog_class() -> type:
    """LoginDialog if it was ever imported (no dialog can be open otherwise), else a class nothing is."""
    module = sys.modules.get("desktop.ui.login_dialog")
    return module.LoginDialog if module is not None else type(None)


def request_quit() -> None:
    """Close what is open as the user would (drafts and layout kept, client stopped): Ctrl+C, SIGTERM."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.isVisible():
            widget.close()
        elif isinstance(widget, _login_dialog_class()) and widget.isVisible():
            widget.reject()


@contextlib.contextmanager
def quit_on_signals(app: QApplication) -> Iterator[None]:
    """SIGINT/SIGTERM close the app cleanly. Python runs signal handlers only when it gets control, so a
    timer gives it control a few times a second while Qt's loop runs."""
    handled = [signal.SIGINT, signal.SIGTERM]
    previous = {sig: signal.getsignal(sig) for sig in handled}
    for sig in handled:
        signal.signal(sig, lambda *_: QTimer.singleShot(0, request_quit))
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(250)
    try:
        yield
    finally:
        wake.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run_app(options: AppOptions, argv: Sequence[str] = ()) -> int:
    """The whole app on one qasync loop; returns the exit code."""
    import qasync

    preferences = Preferences()
    app = make_application(
        argv,
        theme=str(preferences.get("appearance/theme")),
        font_size=int(preferences.get("appearance/font_size")),  # type: ignore[call-overload]
    )
    set_level(options.log_level or str(preferences.get("advanced/log_level")))
    install_language(app, str(preferences.get("appearance/language")))
    previous = qtlog.install()
    uninstall_crash_handler = crash_handler.install(log_dir())
    app.setQuitOnLastWindowClosed(False)  # the loop ends when the session says so, not when a dialog hides
    try:
        with quit_on_signals(app), asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            runner.get_loop().set_exception_handler(crash_handler.asyncio_exception_handler)
            return runner.run(run_session_loop(options))
    finally:
        uninstall_crash_handler()
        qtlog.restore(previous)
