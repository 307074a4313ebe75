"""LoginDialog against the real reference backend: success (token remembered), wrong password, unreachable,
untrusted certificate, bad address, validation, progress while logging in, cancel, Enter submits."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from desktop.client.credentials import Account, load_token
from desktop.client.endpoint import Endpoint
from desktop.ui.login_dialog import LoginDialog, LoginForm
from tests.integration.backend import BackendProcess, tls_backend
from tests.integration.client_harness import wait_for
from tests.memory_keyring import MemoryKeyring

# The offscreen platform warns once a dialog's layout sets its size constraints; a real platform does not.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


def make_dialog(qtbot, url: str, *, password: str = "demo123", remember: bool = False, **kw) -> LoginDialog:
    dialog = LoginDialog(initial=LoginForm(url, "demo", "agent1", remember), **kw)
    qtbot.addWidget(dialog)
    dialog.password_edit.setText(password)
    dialog.open()
    return dialog


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def finished(dialog: LoginDialog, timeout: float = 20.0) -> None:
    """Wait until the login attempt is over (accepted, or a message is shown)."""
    await wait_for(
        lambda: (
            not dialog.busy
            and (dialog.result() == QDialog.DialogCode.Accepted or bool(dialog.message.text()))
        ),
        timeout,
    )


async def test_good_login_accepts_and_remembers_the_token(
    qtbot, backend: BackendProcess, memory_keyring: MemoryKeyring
) -> None:
    dialog = make_dialog(qtbot, backend.url, remember=True)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000, raising=False) as accepted:
        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
        # progress is shown at once, while the login runs
        assert not dialog.login_button.isEnabled()
        assert dialog.login_button.text() == "正在登录…"
        assert dialog.progress.isVisible()
        assert dialog.url_edit.isReadOnly()
        await finished(dialog)
    assert accepted.signal_triggered
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.result_login is not None
    account, endpoint, token, remember = dialog.result_login
    assert account == Account(backend.url, "demo", "agent1")
    assert endpoint.url == backend.url and endpoint.ssl_context is None
    assert remember is True and token
    assert load_token(account) == token
    assert token in memory_keyring.passwords.values()
    assert dialog.password_edit.text() == ""  # not kept once done with
    assert dialog.login_button.isEnabled() and not dialog.progress.isVisible()


async def test_without_remember_nothing_is_stored(
    qtbot, backend: BackendProcess, memory_keyring: MemoryKeyring
) -> None:
    dialog = make_dialog(qtbot, backend.url, remember=False)
    dialog.submit()
    await finished(dialog)
    assert dialog.result_login is not None and dialog.result_login.remember is False
    assert memory_keyring.passwords == {}


async def test_wrong_password_keeps_the_dialog_open(qtbot, backend: BackendProcess) -> None:
    dialog = make_dialog(qtbot, backend.url, password="wrong-password")
    qtbot.keyClick(dialog.password_edit, Qt.Key.Key_Return)  # Enter submits
    assert dialog.busy
    await finished(dialog)
    assert dialog.message.text() == "用户名或密码错误"
    assert dialog.message.isVisible()
    assert dialog.isVisible() and dialog.result_login is None
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert (dialog.url_edit.text(), dialog.shop_edit.text(), dialog.username_edit.text()) == (
        backend.url,
        "demo",
        "agent1",
    )
    assert dialog.password_edit.text() == "wrong-password"
    assert dialog.login_button.isEnabled() and dialog.login_button.text() == "登录"
    assert not dialog.url_edit.isReadOnly()
    # and the next try with the right password works
    dialog.password_edit.setText("demo123")
    dialog.submit()
    await finished(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted


async def test_unreachable_server(qtbot) -> None:
    dialog = make_dialog(qtbot, f"ws://127.0.0.1:{closed_port()}")
    dialog.submit()
    await finished(dialog)
    assert dialog.message.text().startswith("无法连接服务器，请检查地址和网络\n")
    assert dialog.result_login is None and dialog.isVisible()


async def test_untrusted_certificate(qtbot, tmp_path: Path) -> None:
    _ca, server = tls_backend(tmp_path)  # the CA is not trusted here: that is the point
    try:
        url = server.start(plain=False)
        dialog = make_dialog(qtbot, url)  # the system store does not trust trustme's CA
        dialog.submit()
        await finished(dialog)
        assert dialog.message.text().startswith("服务器证书无法验证")
        assert dialog.result_login is None
    finally:
        server.stop()


async def test_tls_to_a_plain_server(qtbot, backend: BackendProcess) -> None:
    """wss:// to a server that speaks no TLS: no certificate to judge, the handshake just fails."""
    dialog = make_dialog(qtbot, backend.url.replace("ws://", "wss://"))
    dialog.submit()
    await finished(dialog)
    assert dialog.message.text().startswith("无法连接服务器")
    assert dialog.result_login is None


async def test_bad_addresses_are_refused_before_connecting(qtbot) -> None:
    calls: list[Endpoint] = []

    async def login(endpoint: Endpoint, account: Account, password: str, *, remember: bool) -> str:
        calls.append(endpoint)
        return "token"

    dialog = make_dialog(qtbot, "ws://shop.example.com", login=login)
    dialog.submit()
    assert "拒绝以未加密的 ws:// 连接 shop.example.com" in dialog.message.text()
    assert dialog.field_error(dialog.url_edit) == "地址无效"
    dialog.url_edit.setText("http://127.0.0.1:1")
    dialog.submit()
    assert dialog.message.text().startswith("服务器地址必须以 wss:// 开头")
    assert calls == [] and not dialog.busy


async def test_empty_fields_are_pointed_out(qtbot) -> None:
    dialog = LoginDialog(initial=LoginForm("ws://127.0.0.1:1", "", "agent1"))
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.submit()
    assert dialog.field_error(dialog.shop_edit) == "请填写店铺"
    assert dialog.field_error(dialog.password_edit) == "请填写密码"
    assert dialog.field_error(dialog.url_edit) == ""
    assert dialog.field_error(dialog.username_edit) == ""
    assert not dialog.busy
    qtbot.keyClicks(dialog.shop_edit, "demo")  # typing clears the field's message
    assert dialog.field_error(dialog.shop_edit) == ""


async def test_cancel_while_logging_in_cancels_the_task(qtbot) -> None:
    started = asyncio.Event()
    cancelled = asyncio.Event()

    async def login(endpoint: Endpoint, account: Account, password: str, *, remember: bool) -> str:
        started.set()
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return "never"

    dialog = make_dialog(qtbot, "ws://127.0.0.1:1", login=login)
    dialog.submit()
    await asyncio.wait_for(started.wait(), 5)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    await asyncio.wait_for(cancelled.wait(), 5)
    await wait_for(lambda: not dialog.busy)
    assert dialog.isVisible()  # the first 取消 stops the login, the form is usable again
    assert dialog.login_button.isEnabled() and dialog.message.text() == "已取消登录"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Rejected and not dialog.isVisible()


async def test_closing_while_logging_in_cancels_the_task(qtbot) -> None:
    cancelled = asyncio.Event()

    async def login(endpoint: Endpoint, account: Account, password: str, *, remember: bool) -> str:
        try:
            await asyncio.sleep(60)
        except asyncio.CancelledError:
            cancelled.set()
            raise
        return "never"

    dialog = make_dialog(qtbot, "ws://127.0.0.1:1", login=login)
    dialog.submit()
    await asyncio.sleep(0.01)
    dialog.reject()
    await asyncio.wait_for(cancelled.wait(), 5)
    assert dialog.result_login is None


@pytest.mark.expected_log(r"login of .* failed unexpectedly", logger="desktop.ui.login_dialog")
async def test_an_unexpected_error_is_logged_without_the_password(
    qtbot, caplog: pytest.LogCaptureFixture
) -> None:
    async def login(endpoint: Endpoint, account: Account, password: str, *, remember: bool) -> str:
        raise RuntimeError("boom")

    dialog = make_dialog(qtbot, "ws://127.0.0.1:1", password="s3cret-pw", login=login)
    dialog.submit()
    await finished(dialog)
    assert dialog.message.text() == "登录失败：程序内部错误，详情见日志"
    assert "s3cret-pw" not in caplog.text
