"""The app's session loop against the real backend: auto login, remembered token, expired token."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop.client.credentials import Account, load_token, save_token
from desktop.client.status import LinkState
from desktop.store import store_path
from desktop.ui.app import AppOptions, AutoLogin, request_quit, run_session_loop
from desktop.ui.login_dialog import LoginDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.preferences import Preferences
from tests.integration.backend import BackendProcess
from tests.integration.client_harness import wait_for
from tests.integration.shop import agent_token

pytestmark = [pytest.mark.gui, pytest.mark.integration]


def close_when_online(seen: list[str]):
    """An on_window callback: note the window's title once online, then close it as the agent would."""

    def on_window(window: MainWindow) -> None:
        def status(state) -> None:
            if state.state is LinkState.ONLINE:
                seen.append(window.windowTitle())
                asyncio.get_running_loop().call_later(0.2, window.close)

        window.workbench.status_changed.connect(status)

    return on_window


async def test_auto_login_opens_the_window_and_closing_it_ends_the_app(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    seen: list[str] = []
    options = AppOptions(
        auto_login=AutoLogin(backend.url, "demo", "agent3", "demo123"),
        data_root=tmp_path / "data",
        on_window=close_when_online(seen),
    )
    assert await asyncio.wait_for(run_session_loop(options), 30) == 0
    assert len(seen) == 1 and seen[0].endswith("客服糖糖")
    assert store_path(backend.url, "demo", "agent3", tmp_path / "data").exists()
    assert Preferences().last_login == {"url": "", "shop": "", "username": ""}  # the demo leaves no trace


async def test_a_remembered_token_skips_the_dialog(qtbot, backend: BackendProcess, tmp_path: Path) -> None:
    Preferences().remember_login(backend.url, "demo", "agent4")
    save_token(Account(backend.url, "demo", "agent4"), await agent_token(backend.url, "agent4"))
    seen: list[str] = []
    options = AppOptions(data_root=tmp_path / "data", on_window=close_when_online(seen))
    assert await asyncio.wait_for(run_session_loop(options), 30) == 0
    assert len(seen) == 1


@pytest.mark.expected_log("the server refused the token", logger="desktop.client.connection", level=30)
async def test_an_expired_token_brings_back_the_login_dialog(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    account = Account(backend.url, "demo", "agent4")
    Preferences().remember_login(backend.url, "demo", "agent4")
    save_token(account, "not-a-valid-token-" + "x" * 20)
    runner = asyncio.create_task(run_session_loop(AppOptions(data_root=tmp_path / "data")))

    def dialog() -> LoginDialog | None:
        return next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()), None
        )

    await wait_for(lambda: dialog() is not None, timeout=30)
    found = dialog()
    assert found is not None
    assert "登录已失效" in found.message.text()
    assert found.username_edit.text() == "agent4"
    assert load_token(account) is None  # the refused token is forgotten
    request_quit()  # as Ctrl+C would
    assert await asyncio.wait_for(runner, 10) == 0


async def test_logging_out_forgets_the_token_and_shows_the_login(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QMessageBox

    account = Account(backend.url, "demo", "agent4")
    Preferences().remember_login(backend.url, "demo", "agent4")
    save_token(account, await agent_token(backend.url, "agent4"))
    windows: list[MainWindow] = []
    runner = asyncio.create_task(
        run_session_loop(AppOptions(data_root=tmp_path / "data", on_window=windows.append))
    )
    await wait_for(lambda: bool(windows) and windows[0].workbench.link.state is LinkState.ONLINE, timeout=30)
    box = windows[0].logout()  # 会话 → 退出登录…
    box.button(QMessageBox.StandardButton.Yes).click()

    def dialog() -> LoginDialog | None:
        return next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, LoginDialog) and w.isVisible()), None
        )

    await wait_for(lambda: dialog() is not None, timeout=30)
    found = dialog()
    assert found is not None and found.username_edit.text() == "agent4"  # the account filled in
    assert load_token(account) is None  # nothing remembered: the next start asks for the password
    assert not found.message.text()  # not an error: the agent chose to log out
    request_quit()
    assert await asyncio.wait_for(runner, 10) == 0


async def test_switching_the_language_remakes_the_open_windows_in_it(
    qtbot, backend: BackendProcess, tmp_path: Path
) -> None:
    from desktop.ui import i18n

    Preferences().remember_login(backend.url, "demo", "agent4")
    save_token(Account(backend.url, "demo", "agent4"), await agent_token(backend.url, "agent4"))
    windows: list[MainWindow] = []
    runner = asyncio.create_task(
        run_session_loop(AppOptions(data_root=tmp_path / "data", on_window=windows.append))
    )
    try:
        await wait_for(
            lambda: bool(windows) and windows[0].workbench.link.state is LinkState.ONLINE, timeout=30
        )
        first = windows[0]
        assert [a.text() for a in first.menuBar().actions()] == ["会话", "工具", "帮助"]
        first.preferences.set("appearance/language", "en")  # 设置 → 外观 → 界面语言
        await wait_for(lambda: len(windows) == 2)
        second = windows[1]
        assert i18n.current_language() == "en"
        assert [a.text() for a in second.menuBar().actions()] == ["Chats", "Tools", "Help"]
        assert second.isVisible() and not first.isVisible()
        assert not runner.done()  # the session went on
        second.preferences.set("appearance/language", "zh_CN")
        await wait_for(lambda: len(windows) == 3)
        assert [a.text() for a in windows[2].menuBar().actions()] == ["会话", "工具", "帮助"]
    finally:
        i18n.install_language(QApplication.instance(), "zh_CN")  # type: ignore[arg-type]
        request_quit()
        assert await asyncio.wait_for(runner, 10) == 0
