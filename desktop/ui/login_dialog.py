"""The login dialog: server address, shop, user name, password, "remember me"; logs in without blocking.

::

    服务器地址  [wss://shop.example.com        ]
    店铺        [demo                          ]
    用户名      [agent1                        ]
    密码        [•••••••                       ]
                [x] 记住我（令牌保存在系统钥匙串中）
    ┌───────────────────────────────────────────┐
    │ 用户名或密码错误                          │   ← message area, only after a failure
    └───────────────────────────────────────────┘
    [▓▓▓▒▒▒▒ busy ▒▒▒▒]            [取消] [正在登录…]

The app runs asyncio inside Qt (qasync), so the dialog is shown with ``open()``, never ``exec()``: the login
is a task on the running loop, the dialog stays responsive, and ``accepted``/``finished`` tell the caller.
After ``accepted``, :attr:`LoginDialog.result_login` holds the account, endpoint and token. The password
is never logged and never kept after the dialog is done with it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.client import connection
from desktop.client.connection import LoginError
from desktop.client.credentials import Account, keyring_usable
from desktop.client.endpoint import Endpoint, EndpointError, resolve
from desktop.ui.i18n import fill
from desktop.ui.login_result import LoginResult
from desktop.ui.plain_text import one_line
from desktop.ui.tasks import TaskSet

log = logging.getLogger(__name__)

DETAIL_MAX = 120  # characters of a technical detail shown under the message


class LoginFn(Protocol):
    """:func:`desktop.client.connection.login`'s shape: exchanges the password for a token."""

    def __call__(
        self, endpoint: Endpoint, account: Account, password: str, *, remember: bool
    ) -> Awaitable[str]: ...


@dataclass(frozen=True, slots=True)
class LoginForm:
    """What the form shows when it opens (the last login, from the settings); never a password."""

    url: str = ""
    shop: str = ""
    username: str = ""
    remember: bool = False


def _short(detail: str) -> str:
    text = one_line(detail)
    return text if len(text) <= DETAIL_MAX else text[: DETAIL_MAX - 1] + "…"


class LoginDialog(QDialog):
    """Asks for the account and logs in; ``accepted`` once a token came back (see :attr:`result_login`)."""

    busy_changed = Signal(bool)  # a login started (True) or ended (False)

    def __init__(
        self,
        *,
        login: LoginFn | None = None,
        initial: LoginForm | None = None,
        resolve_endpoint: Callable[[str], Endpoint] = resolve,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._login: LoginFn = login if login is not None else connection.login
        self._resolve = resolve_endpoint
        self._tasks = TaskSet("login")
        self.result_login: LoginResult | None = None
        self.setWindowTitle(self.tr("登录 ShopDesk"))

        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText(self.tr("例如 wss://shop.example.com"))
        self.url_edit.setMinimumWidth(320)
        self.shop_edit = QLineEdit()
        self.shop_edit.setPlaceholderText(self.tr("店铺编号"))
        self.username_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_box = QCheckBox(self.tr("记住我（登录令牌保存在系统钥匙串中）"))
        if not keyring_usable():
            self.remember_box.setEnabled(False)
            self.remember_box.setToolTip(self.tr("本机没有可用的系统钥匙串，无法记住登录"))
        self._fields = (self.url_edit, self.shop_edit, self.username_edit, self.password_edit)
        self._field_errors: dict[QLineEdit, QLabel] = {}

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for label, edit in zip(
            (self.tr("服务器地址"), self.tr("店铺"), self.tr("用户名"), self.tr("密码")),
            self._fields,
            strict=True,
        ):
            form.addRow(label, self._with_error_label(edit))
            edit.textEdited.connect(lambda _text, e=edit: self._clear_field_error(e))
        form.addRow("", self.remember_box)

        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setStyleSheet(
            "QLabel { color: #c92a2a; background: #fff5f5; border: 1px solid #ffc9c9;"
            " border-radius: 4px; padding: 6px 8px; }"
        )
        self.message.hide()

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy indicator
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.progress.setFixedWidth(120)
        self.progress.hide()

        self.buttons = QDialogButtonBox()
        self.login_button = QPushButton(self.tr("登录"))
        self.login_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("取消"))
        self.cancel_button.setAutoDefault(False)
        self.buttons.addButton(self.login_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.login_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self._cancel_clicked)

        bottom = QHBoxLayout()
        bottom.addWidget(self.progress)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)

        title = QLabel(self.tr("ShopDesk 客服工作台"))
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setStyleSheet("QLabel { font-size: 18px; font-weight: bold; color: #1f2328; }")
        subtitle = QLabel(self.tr("登录店铺后台，开始接待买家"))
        subtitle.setTextFormat(Qt.TextFormat.PlainText)
        subtitle.setStyleSheet("QLabel { color: #6a737d; margin-bottom: 8px; }")

        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)  # shrinks back when a message goes
        layout.setContentsMargins(20, 18, 20, 14)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(bottom)

        initial = initial or LoginForm()
        self.url_edit.setText(initial.url)
        self.shop_edit.setText(initial.shop)
        self.username_edit.setText(initial.username)
        self.remember_box.setChecked(initial.remember and self.remember_box.isEnabled())
        first_empty = next((e for e in self._fields if not e.text()), self.password_edit)
        first_empty.setFocus()

    # --- reading ------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._tasks.running("login")

    def form(self) -> LoginForm:
        """The form as it stands (to remember for next time), without the password."""
        return LoginForm(
            self.url_edit.text().strip(),
            self.shop_edit.text().strip(),
            self.username_edit.text().strip(),
            self.remember_box.isChecked(),
        )

    def field_error(self, edit: QLineEdit) -> str:
        """The inline validation text under ``edit`` ("" when none is shown)."""
        label = self._field_errors[edit]
        return label.text() if not label.isHidden() else ""

    # --- acting -------------------------------------------------------------------------------------

    def submit(self) -> None:
        """Check the fields and start the login (the 登录 button, or Enter in any field)."""
        if self.busy:
            return
        self._show_message("")
        missing = {
            self.url_edit: self.tr("请填写服务器地址"),
            self.shop_edit: self.tr("请填写店铺"),
            self.username_edit: self.tr("请填写用户名"),
            self.password_edit: self.tr("请填写密码"),
        }
        empty = [edit for edit in self._fields if not edit.text().strip()]
        for edit in self._fields:
            self._set_field_error(edit, missing[edit] if edit in empty else "")
        if empty:
            empty[0].setFocus()
            return
        form = self.form()
        try:
            endpoint = self._resolve(form.url)
        except EndpointError as exc:
            self._set_field_error(self.url_edit, self.tr("地址无效"))
            self._show_message(self._address_problem(form.url, exc))
            self.url_edit.setFocus()
            return
        account = Account(endpoint.url, form.shop, form.username)
        password = self.password_edit.text()
        self._set_busy(True)
        self._tasks.spawn(self._run(account, endpoint, password, form.remember), name="login")

    def reject(self) -> None:
        """Esc, the window's close button or 取消 when idle: a running login is cancelled first."""
        self._tasks.cancel_all()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._tasks.cancel_all()
        super().closeEvent(event)

    # --- the login ----------------------------------------------------------------------------------

    async def _run(self, account: Account, endpoint: Endpoint, password: str, remember: bool) -> None:
        try:
            token = await self._login(endpoint, account, password, remember=remember)
        except LoginError as exc:
            log.info("login of %s failed: %s", account.entry, exc.reason)
            self._failed(exc)
            return
        except EndpointError as exc:
            self._set_busy(False)
            self._show_message(self._address_problem(endpoint.url, exc))
            return
        except Exception:
            log.error("login of %s failed unexpectedly", account.entry, exc_info=True)
            self._set_busy(False)
            self._show_message(self.tr("登录失败：程序内部错误，详情见日志"))
            return
        except BaseException:  # cancelled: the form is usable again (unless a newer login runs)
            if not self._tasks.running("login"):
                self._set_busy(False)
            raise
        log.info("logged in as %s", account.entry)
        self.result_login = LoginResult(account, endpoint, token, remember)
        self.password_edit.clear()
        self._set_busy(False)
        self.accept()

    def _failed(self, exc: LoginError) -> None:
        self._set_busy(False)
        if exc.reason == "credentials":
            self._show_message(self.tr("用户名或密码错误"))
            self.password_edit.setFocus()
            self.password_edit.selectAll()
        elif exc.reason == "unreachable":
            self._show_message(self.tr("无法连接服务器，请检查地址和网络"), exc.detail)
        elif exc.reason == "certificate":
            self._show_message(
                self.tr("服务器证书无法验证：证书不受信任或与地址不符，连接可能不安全。请联系店铺管理员。"),
                exc.detail,
            )
        else:
            self._show_message(self.tr("服务器返回错误：{detail}").format(detail=_short(exc.detail)))

    def _address_problem(self, url: str, exc: EndpointError) -> str:
        """Why ``url`` was refused, in the interface language (the client's message is Chinese)."""
        try:
            parts = urlsplit(url.strip())
            host = parts.hostname or ""
        except ValueError:
            return str(exc)
        if parts.scheme not in ("ws", "wss"):
            return self.tr("服务器地址必须以 wss:// 开头（本机可用 ws://）")
        if not host:
            return self.tr("服务器地址缺少主机名")
        if parts.scheme == "ws":
            return fill(self.tr("拒绝以未加密的 ws:// 连接 %1：请使用 wss://"), host)
        return str(exc)

    def _cancel_clicked(self) -> None:
        if self.busy:
            self._tasks.cancel("login")
            self._set_busy(False)
            self._show_message(self.tr("已取消登录"))
        else:
            self.reject()

    # --- look ---------------------------------------------------------------------------------------

    def _with_error_label(self, edit: QLineEdit) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(edit)
        error = QLabel()
        error.setTextFormat(Qt.TextFormat.PlainText)
        error.setStyleSheet("QLabel { color: #c92a2a; font-size: 12px; }")
        error.hide()
        column.addWidget(error)
        self._field_errors[edit] = error
        return box

    def _set_field_error(self, edit: QLineEdit, text: str) -> None:
        label = self._field_errors[edit]
        label.setText(text)
        label.setVisible(bool(text))
        edit.setStyleSheet("QLineEdit { border: 1px solid #e03131; border-radius: 3px; }" if text else "")

    def _clear_field_error(self, edit: QLineEdit) -> None:
        if self.field_error(edit):
            self._set_field_error(edit, "")

    def show_message(self, text: str) -> None:
        """Say why the dialog is shown (e.g. the server ended the session)."""
        self._show_message(text)

    def _show_message(self, text: str, detail: str = "") -> None:
        if detail:
            text = f"{text}\n{_short(detail)}"
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        for edit in self._fields:
            edit.setReadOnly(busy)
        self.remember_box.setEnabled(not busy and keyring_usable())
        self.login_button.setEnabled(not busy)
        self.login_button.setText(self.tr("正在登录…") if busy else self.tr("登录"))
        self.progress.setVisible(busy)
        self.busy_changed.emit(busy)
