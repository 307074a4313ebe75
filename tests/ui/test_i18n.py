"""The interface language: English everywhere once installed, Chinese back after, never a crash.

Each widget this suite owns is built twice, in English and in Chinese, with user data in ASCII (so any
Chinese left in English is chrome that missed a translation): English shows no Chinese at all, and the
same places show Chinese in Chinese.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterator
from datetime import timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QLocale
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QSpinBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.core.alerts import Notice, OverdueChat, Preview
from desktop.core.quick_replies import QuickReplyIndex
from desktop.core.sensitive_words import SensitiveWordChecker
from desktop.protocol.objects import Conversation, Customer, Message, Order, OrderItem, Party, QuickReply
from desktop.ui import i18n
from desktop.ui.about_dialog import AboutDialog
from desktop.ui.chat_model import separator_text
from desktop.ui.close_dialog import CloseDialog
from desktop.ui.composer import Composer
from desktop.ui.desktop_alerts import notice_text
from desktop.ui.detached_placeholder import DetachedPlaceholder
from desktop.ui.image_preview_strip import ImagePreviewStrip
from desktop.ui.image_viewer import ImageViewer
from desktop.ui.login_dialog import LoginDialog, LoginForm
from desktop.ui.overdue_popup import OverduePopup
from desktop.ui.preferences import Preferences
from desktop.ui.quick_reply_editor import QuickReplyEditor
from desktop.ui.sensitive_warning_bar import SensitiveWarningBar
from desktop.ui.settings_dialog import SettingsDialog
from desktop.ui.shortcuts_dialog import ShortcutsDialog
from desktop.ui.side_panel import SidePanel
from tests.ui.i18n_helpers import has_cjk, untranslated, visible_texts

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")]

CHINA = timezone(timedelta(hours=8))
NOW = 1_764_000_000_000  # 2025-11-25
LANGUAGE_NAMES = ["简体中文"]  # each language offered under its own name, never translated
PLACEHOLDERS = ("%1", "%2", "%n", "{0}", "{1}")


@pytest.fixture
def language(qapp: QApplication) -> Iterator[Callable[[str], None]]:
    """Switch the interface language for this test; back to how Qt starts afterwards."""
    yield lambda code: i18n.install_language(qapp, code)
    i18n.uninstall_language(qapp)


# ------------------------------------------------------------------------------------------ the widgets


def customer() -> Customer:
    return Customer(
        id="u-1",
        nickname="Lucy",
        level="Gold",
        tags=["vip"],
        note="prefers size S",
        phone_masked="158****3755",
        address_masked="Hefei ****",
        orders_count=3,
        total_spent_cents=123450,
        first_seen=NOW - 90 * 86_400_000,
        last_seen=NOW,
    )


def past_chat() -> Conversation:
    message = Message(
        id="m-1",
        conversation_id="c-old",
        sender=Party(role="customer", id="u-1"),
        kind="image",
        body={"data_b64": "iVBORw0KGgo=", "mime": "image/png", "width": 1, "height": 1},
        created_at=NOW - 86_400_000,
    )
    return Conversation(id="c-old", customer_id="u-1", status="closed", last_message=message, created_at=NOW)


def orders() -> list[Order]:
    items = [OrderItem(product_id=f"p-{n}", title=f"T-shirt {n}", qty=1, price_cents=9900) for n in range(5)]
    return [
        Order(
            id="o-1", status="shipped", items=items, total_cents=49500, created_at=NOW, tracking_no="SF123"
        ),
        Order(id="o-2", status="refunding", items=items[:1], total_cents=9900, created_at=NOW),
    ]


def quick_replies() -> QuickReplyIndex:
    return QuickReplyIndex(
        [
            QuickReply(id="t-1", scope="team", group="", shortcut="hi", text="Hello!", updated_at=0),
            QuickReply(
                id="t-2", scope="team", group="Refunds", shortcut="rf", text="Refund sent.", updated_at=0
            ),
        ]
    )


def side_panel() -> QWidget:
    panel = SidePanel(tz=CHINA)
    panel.customer_panel.show_customer(customer(), [past_chat()])
    panel.orders_panel.set_orders(orders())
    panel.quick_reply_panel.set_index(quick_replies())
    return panel


def composer() -> QWidget:
    widget = Composer(
        quick_replies=quick_replies,
        checker=SensitiveWordChecker(),
        placeholder_values=lambda: {"customer.nickname": "Lucy", "order.id": None, "agent.name": "Amy"},
    )
    widget.warning_bar.set_words(["weixin"])
    widget.warning_bar.show()
    return widget


def settings_dialog(tmp_path: Path) -> QWidget:
    return SettingsDialog(
        Preferences(tmp_path / "settings.ini"), data_dir=tmp_path / "data", log_dir=tmp_path
    )


def login_dialog() -> QWidget:
    dialog = LoginDialog(initial=LoginForm("", "demo", "agent1"))
    dialog.submit()  # empty fields: the inline errors show
    return dialog


def overdue_popup() -> QWidget:
    popup = OverduePopup()
    popup.set_chats(
        [
            OverdueChat("c-1", "Lucy", 125_000, Preview("product", "Sofa")),
            OverdueChat("c-2", "Tom", 3_700_000, Preview("image", "")),
        ]
    )
    return popup


def preview_strip() -> QWidget:
    strip = ImagePreviewStrip()
    strip.show_ready(800, 600, 123_456)
    return strip


def placeholder() -> QWidget:
    widget = DetachedPlaceholder()
    widget.show_for("c-1", "Lucy")
    return widget


def warning_bar() -> QWidget:
    bar = SensitiveWarningBar()
    bar.set_words(["weixin", "QQ"])
    return bar


BUILDERS: dict[str, Callable[[Path], QWidget]] = {
    "login": lambda _tmp: login_dialog(),
    "settings": settings_dialog,
    "side panel": lambda _tmp: side_panel(),
    "composer": lambda _tmp: composer(),
    "shortcuts": lambda _tmp: ShortcutsDialog(),
    "close": lambda _tmp: CloseDialog("Lucy"),
    "quick reply editor": lambda _tmp: QuickReplyEditor(["Refunds"]),
    "about": lambda tmp: AboutDialog(data_folder=tmp / "data", log_folder=tmp / "logs"),
    "overdue popup": lambda _tmp: overdue_popup(),
    "image preview": lambda _tmp: preview_strip(),
    "image viewer": lambda _tmp: ImageViewer(None),
    "detached placeholder": lambda _tmp: placeholder(),
    "sensitive words": lambda _tmp: warning_bar(),
}


def build(qtbot: QtBot, name: str, tmp_path: Path) -> QWidget:
    widget = BUILDERS[name](tmp_path)
    qtbot.addWidget(widget)
    return widget


# ------------------------------------------------------------------------------------------ the tests


@pytest.mark.parametrize("name", list(BUILDERS))
def test_english_shows_no_chinese(qtbot: QtBot, tmp_path: Path, language, name: str) -> None:
    language("en")
    widget = build(qtbot, name, tmp_path)
    texts = visible_texts(widget, include_hidden=True)
    assert texts, "nothing to look at"
    assert untranslated(widget, user_data=LANGUAGE_NAMES, include_hidden=True) == []
    assert [(w, t) for w, t in texts if any(p in t for p in PLACEHOLDERS)] == []


@pytest.mark.parametrize("name", list(BUILDERS))
def test_chinese_shows_chinese_in_the_same_places(qtbot: QtBot, tmp_path: Path, language, name: str) -> None:
    language("en")
    english = visible_texts(build(qtbot, name, tmp_path / "en"), include_hidden=True)
    language("zh_CN")
    chinese = visible_texts(build(qtbot, name, tmp_path / "en"), include_hidden=True)
    assert [where for where, _ in chinese] == [where for where, _ in english]
    assert any(has_cjk(text) for _, text in chinese)
    assert all((text != en) <= has_cjk(text) for (_, text), (_, en) in zip(chinese, english, strict=True))


def test_the_login_dialog_reads_in_english(qtbot: QtBot, language) -> None:
    language("en")
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Log in to ShopDesk"
    assert dialog.login_button.text() == "Log in" and dialog.cancel_button.text() == "Cancel"
    dialog.url_edit.setText("http://shop.example.com")
    dialog.shop_edit.setText("demo")
    dialog.username_edit.setText("agent1")
    dialog.password_edit.setText("secret")
    dialog.submit()
    assert dialog.field_error(dialog.url_edit) == "Invalid address"
    assert dialog.message.text() == "The server address must start with wss:// (ws:// for this computer only)"
    dialog.url_edit.setText("ws://shop.example.com")
    dialog.submit()
    assert dialog.message.text() == "Refusing an unencrypted ws:// connection to shop.example.com: use wss://"


def test_qt_standard_buttons_follow_the_language(qtbot: QtBot, language) -> None:
    language("zh_CN")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(box)
    assert {button.text() for button in box.buttons()} == {"是(&Y)", "关闭"}
    language("en")
    english = QDialogButtonBox(QDialogButtonBox.StandardButton.Yes | QDialogButtonBox.StandardButton.Close)
    qtbot.addWidget(english)
    assert {button.text() for button in english.buttons()} == {"&Yes", "Close"}


def test_texts_made_outside_widgets_follow_the_language(language) -> None:
    language("en")
    assert notice_text(Notice("new_message", "c", "小鹿", count=1)) == ("小鹿", "sent a new message")
    assert notice_text(Notice("new_message", "c", "小鹿", count=3)) == ("小鹿", "sent 3 new messages")
    overdue = notice_text(Notice("overdue", "c", "Tom %2", count=1, waited_ms=125_000))
    assert overdue == ("1 chat overdue for a reply", "Tom %2 has waited 2m 05s")  # a nickname stays as it is
    assert i18n.kind_label("image") == "[Image]" and i18n.kind_label("text") == ""
    yesterday, last_year = NOW - 86_400_000, NOW - 400 * 86_400_000
    assert separator_text(yesterday, NOW, CHINA).startswith("Yesterday ")
    assert separator_text(last_year, NOW, CHINA).startswith("Oct 21, 2024 ")
    assert QCoreApplication.translate("settings", "常规") == "General"
    language("zh_CN")
    assert notice_text(Notice("new_message", "c", "小鹿", count=3)) == ("小鹿", "发来 3 条新消息")
    assert separator_text(last_year, NOW, CHINA).startswith("2024年10月21日 ")
    assert i18n.wait_text(65_000) == "1分05秒" and i18n.kind_label("image") == "[图片]"


def test_fill_replaces_all_markers_in_one_pass() -> None:
    assert i18n.fill("%1 已等待 %2", "a%2b", "5秒") == "a%2b 已等待 5秒"
    assert i18n.fill("%2, %1, %3", "x", "y") == "y, x, %3"


def test_the_current_language_and_locale(language) -> None:
    assert set(i18n.available_languages()) == {"zh_CN", "en"}
    language("en")
    assert i18n.current_language() == "en" and i18n.text_language() == "en"
    assert QLocale().language() == QLocale.Language.English
    language("zh_CN")
    assert i18n.current_language() == "zh_CN" and i18n.text_language() == "zh"
    assert QLocale().language() == QLocale.Language.Chinese


class LanguageWatcher(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.changes = 0

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.changes += 1
        super().changeEvent(event)


def test_switching_tells_the_open_widgets(qtbot: QtBot, qapp: QApplication, language) -> None:
    watcher = LanguageWatcher()
    qtbot.addWidget(watcher)
    watcher.show()
    language("en")
    qtbot.waitUntil(lambda: watcher.changes > 0)
    seen = watcher.changes
    language("zh_CN")
    qtbot.waitUntil(lambda: watcher.changes > seen)


def test_the_open_settings_dialog_follows_a_switch(qtbot: QtBot, tmp_path: Path, language) -> None:
    dialog = SettingsDialog(
        Preferences(tmp_path / "settings.ini"), data_dir=tmp_path / "data", log_dir=tmp_path
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.show_section("appearance")
    language_combo = dialog.editor("appearance/language")
    assert isinstance(language_combo, QComboBox)
    language_combo.setCurrentIndex(language_combo.findData("en"))  # pending, not applied
    red = dialog.editor("wait/red_s")
    assert isinstance(red, QSpinBox)
    red.setValue(20)  # red not above amber: a problem is shown
    chinese = visible_texts(dialog, include_hidden=True)
    assert (
        dialog.windowTitle() == "设置"
        and dialog.problem.text() == "“买家等待变红”的时间必须长于“买家等待变黄”。"
    )
    language("en")
    qtbot.waitUntil(lambda: dialog.windowTitle() == "Settings")
    assert untranslated(dialog, user_data=LANGUAGE_NAMES, include_hidden=True) == []
    assert [where for where, _ in visible_texts(dialog, include_hidden=True)] == [
        where for where, _ in chinese
    ]
    assert dialog.problem.text().startswith("“Customer wait turns red” must be longer")
    assert dialog.current_section() == "appearance" and language_combo.currentData() == "en"
    assert dialog.pending_values()["wait/red_s"] == 20
    language("zh_CN")
    qtbot.waitUntil(lambda: dialog.windowTitle() == "设置")
    assert visible_texts(dialog, include_hidden=True) == chinese


def test_switching_again_replaces_the_translators(qapp: QApplication, language) -> None:
    language("en")
    language("en")
    language("zh_CN")
    assert QCoreApplication.translate("settings", "常规") == "常规"
    language("en")
    assert QCoreApplication.translate("settings", "常规") == "General"


@pytest.mark.parametrize("content", [None, b"not a catalogue"], ids=["missing", "damaged"])
def test_a_missing_or_damaged_catalogue_leaves_chinese(
    qtbot: QtBot, monkeypatch, tmp_path: Path, caplog, language, content: bytes | None
) -> None:
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    if content is not None:
        (tmp_path / "shopdesk_en.qm").write_bytes(content)
    else:
        assert i18n.available_languages() == ("zh_CN",)
    with caplog.at_level(logging.WARNING, logger="desktop.ui.i18n"):
        language("en")
    assert "stays in Chinese" in caplog.text
    assert i18n.current_language() == "zh_CN"
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "登录 ShopDesk"


def test_an_unknown_language_gives_chinese(caplog, language) -> None:
    with caplog.at_level(logging.WARNING, logger="desktop.ui.i18n"):
        language("fr")
    assert "unknown interface language 'fr'" in caplog.text
    assert i18n.current_language() == "zh_CN"


# --- the main windows, live, against the real backend ------------------------------------------------------

LATIN_OK = re.compile(r"^[\s\d:：.,，%/+\-–—()（）·•★☆¥$|<>↓…]*$|^ShopDesk|Ctrl\+|Alt\+|Shift\+|^F\d+$|^VIP")


def all_visible(widgets: tuple[QWidget, ...]) -> bool:
    return all(w.isVisible() for w in widgets)


def chrome_without_chinese(texts: list[tuple[str, str]], user_data: list[str]) -> list[tuple[str, str]]:
    """Texts that a Chinese interface shows without any Chinese: untranslated leftovers (user data,
    numbers, times, key names and the product's name aside)."""
    data = [d for d in user_data if d]
    return [
        (where, text)
        for where, text in texts
        if not has_cjk(text) and not LATIN_OK.search(text) and not any(text in d or d in text for d in data)
    ]


@pytest.mark.integration
async def test_the_main_windows_are_complete_in_both_languages(qtbot, backend, tmp_path) -> None:
    from desktop.ui import i18n
    from tests.integration.client_harness import wait_for
    from tests.integration.shop import buyer, say
    from tests.ui.workbench_harness import open_desk

    app = QApplication.instance()
    assert app is not None
    desk = await open_desk(backend.url, tmp_path)
    peers = []
    try:
        conv_ids = []
        for n in range(2):
            peer, _ = await buyer(backend.url, f"buyer-i18n-{n}")
            peers.append(peer)
            conv_ids.append((await say(peer, f"hello {n}")).message.conversation_id)
        await wait_for(lambda: all(desk.window.list_panel.model.row_of(c) is not None for c in conv_ids))
        for language in ("en", "zh_CN"):
            i18n.install_language(app, language)
            desk.window = desk.window.replace()
            window = desk.window
            window.open_conversation(conv_ids[0])
            chat = window.detach(conv_ids[1])
            settings = window.show_settings()
            await wait_for(functools.partial(all_visible, (chat, settings)))
            book = desk.workbench.book
            convs = [c for c in (book.get(cid) for cid in conv_ids) if c is not None]
            user_data = [
                *(c.customer_nickname or "" for c in convs),
                *desk.workbench.levels.values(),
                desk.workbench.me_name,  # the agent's own name (the window title): the shop's data
                *(f"hello {n}" for n in range(2)),
            ]
            for customer_id in {c.customer_id for c in convs}:
                customer = desk.workbench.customer(customer_id)
                if customer is not None:
                    user_data += [customer.nickname, customer.address_masked, customer.level, *customer.tags]
            for widget in (window, chat, settings):
                if language == "en":
                    assert untranslated(widget, user_data=user_data) == [], widget.objectName()
                else:
                    leftovers = chrome_without_chinese(visible_texts(widget), user_data)
                    assert leftovers == [], leftovers  # a visible string without its Chinese
            settings.reject()
            window.attach(conv_ids[1], bring_to_front=False)
    finally:
        i18n.install_language(app, "zh_CN")
        for peer in peers:
            await peer.close()
        await desk.close()
