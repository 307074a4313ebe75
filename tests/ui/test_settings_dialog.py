"""The settings dialog: editors from the registry, pending until 确定/应用, folders, clearing the cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QDialogButtonBox, QLabel, QMessageBox, QSpinBox
from pytestqt.qtbot import QtBot

from desktop.core import settings_registry as registry
from desktop.core.settings_registry import SECTIONS, SETTINGS
from desktop.ui.preferences import Preferences
from desktop.ui.settings_dialog import SettingsDialog

Button = QDialogButtonBox.StandardButton


class Recorder:
    """Every ``Preferences.changed`` emission, in order."""

    def __init__(self, preferences: Preferences) -> None:
        self.seen: list[tuple[str, object]] = []
        preferences.changed.connect(lambda key, value: self.seen.append((key, value)))


@pytest.fixture
def preferences(tmp_path: Path) -> Preferences:
    return Preferences(tmp_path / "settings.ini")


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    return tmp_path / "数据 data", tmp_path / "logs"


def make_dialog(qtbot: QtBot, preferences: Preferences, folders: tuple[Path, Path]) -> SettingsDialog:
    dialog = SettingsDialog(preferences, data_dir=folders[0], log_dir=folders[1])
    qtbot.addWidget(dialog)
    return dialog


@pytest.fixture
def dialog(qtbot: QtBot, preferences: Preferences, folders: tuple[Path, Path]) -> SettingsDialog:
    return make_dialog(qtbot, preferences, folders)


def checkbox(dialog: SettingsDialog, key: str) -> QCheckBox:
    widget = dialog.editor(key)
    assert isinstance(widget, QCheckBox)
    return widget


def spin(dialog: SettingsDialog, key: str) -> QSpinBox:
    widget = dialog.editor(key)
    assert isinstance(widget, QSpinBox)
    return widget


def combo(dialog: SettingsDialog, key: str) -> QComboBox:
    widget = dialog.editor(key)
    assert isinstance(widget, QComboBox)
    return widget


def click(dialog: SettingsDialog, which: QDialogButtonBox.StandardButton) -> None:
    dialog.buttons.button(which).click()


# ------------------------------------------------------------------------------------------ the editors


def test_every_setting_has_an_editor_on_its_page(dialog: SettingsDialog) -> None:
    assert dialog.editors.keys() == {s.key for s in SETTINGS}
    sections = [section.id for section in SECTIONS]
    for s in SETTINGS:
        page = dialog.pages.widget(sections.index(s.section))
        assert page is not None and page.isAncestorOf(dialog.editor(s.key)), s.key
    assert [dialog.sections.item(i).text() for i in range(dialog.sections.count())] == [
        "常规",
        "通知与声音",
        "外观",
        "数据",
        "高级",
    ]


def test_a_new_dialog_shows_the_defaults_and_nothing_to_apply(dialog: SettingsDialog) -> None:
    assert dialog.pending_values() == registry.defaults()
    assert not dialog.buttons.button(Button.Apply).isEnabled()
    assert dialog.buttons.button(Button.Ok).isEnabled()


def test_editors_show_the_stored_values(qtbot: QtBot, preferences: Preferences, folders) -> None:
    preferences.update(
        {
            "composer/enter_sends": False,
            "wait/amber_s": 45,
            "appearance/theme": "dark",
            "appearance/font_size": 12,
            "presence/idle_away_min": 0,
        }
    )
    dialog = make_dialog(qtbot, preferences, folders)
    assert not checkbox(dialog, "composer/enter_sends").isChecked()
    assert spin(dialog, "wait/amber_s").value() == 45
    assert spin(dialog, "wait/amber_s").text() == "45 秒"
    assert combo(dialog, "appearance/theme").currentText() == "深色"
    assert combo(dialog, "appearance/font_size").currentText() == "12 pt"
    assert spin(dialog, "presence/idle_away_min").text() == "从不"
    assert dialog.pending_values() == preferences.values()


def test_choices_have_display_names(dialog: SettingsDialog) -> None:
    language = combo(dialog, "appearance/language")
    assert [language.itemText(i) for i in range(language.count())] == ["简体中文", "English"]
    theme = combo(dialog, "appearance/theme")
    assert [theme.itemText(i) for i in range(theme.count())] == ["浅色", "深色", "跟随系统"]


def test_number_editors_take_the_declared_range(dialog: SettingsDialog) -> None:
    repeat = spin(dialog, "reminders/overdue_repeat_s")
    assert (repeat.minimum(), repeat.maximum()) == (15, 3600)
    idle = spin(dialog, "presence/idle_away_min")
    assert (idle.minimum(), idle.maximum()) == (0, 240)  # 0 = 从不
    font = combo(dialog, "appearance/font_size")
    assert [font.itemData(i) for i in range(font.count())] == [0, *range(9, 21)]  # no 1..8


def test_sub_options_are_greyed_out_while_their_switch_is_off(dialog: SettingsDialog) -> None:
    assert checkbox(dialog, "sounds/overdue").isEnabled()
    checkbox(dialog, "sounds/enabled").click()
    assert not checkbox(dialog, "sounds/overdue").isEnabled()
    assert checkbox(dialog, "notifications/new_buyer").isEnabled()
    checkbox(dialog, "sounds/enabled").click()
    assert checkbox(dialog, "sounds/overdue").isEnabled()


def test_a_stored_switch_that_is_off_greys_out_its_sub_options(
    qtbot: QtBot, preferences: Preferences, folders
) -> None:
    preferences.set("notifications/enabled", False)
    dialog = make_dialog(qtbot, preferences, folders)
    assert not checkbox(dialog, "notifications/preview").isEnabled()


# -------------------------------------------------------------------------------- OK, Apply, Cancel


def test_ok_stores_the_change_and_announces_it(dialog: SettingsDialog, preferences: Preferences) -> None:
    changes = Recorder(preferences)
    checkbox(dialog, "notifications/preview").click()
    assert dialog.buttons.button(Button.Apply).isEnabled()
    click(dialog, Button.Ok)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert changes.seen == [("notifications/preview", False)]
    assert Preferences(preferences.path).get("notifications/preview") is False


def test_apply_stores_and_keeps_the_dialog_open(
    qtbot: QtBot, dialog: SettingsDialog, preferences: Preferences
) -> None:
    changes = Recorder(preferences)
    dialog.show()
    combo(dialog, "advanced/log_level").setCurrentIndex(0)  # 详细
    click(dialog, Button.Apply)
    assert changes.seen == [("advanced/log_level", "DEBUG")]
    assert dialog.isVisible()
    assert not dialog.buttons.button(Button.Apply).isEnabled()  # nothing left to apply
    click(dialog, Button.Ok)  # nothing changed since: nothing announced again
    assert changes.seen == [("advanced/log_level", "DEBUG")]


def test_cancel_discards(dialog: SettingsDialog, preferences: Preferences) -> None:
    changes = Recorder(preferences)
    checkbox(dialog, "composer/enter_sends").click()
    spin(dialog, "wait/amber_s").setValue(50)
    click(dialog, Button.Cancel)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert changes.seen == []
    assert Preferences(preferences.path).values() == registry.defaults()


def test_thresholds_that_do_not_fit_block_ok_until_fixed(
    dialog: SettingsDialog, preferences: Preferences
) -> None:
    spin(dialog, "wait/amber_s").setValue(200)
    assert not dialog.problem.isHidden() and "变红" in dialog.problem.text()
    assert not dialog.buttons.button(Button.Ok).isEnabled()
    assert not dialog.buttons.button(Button.Apply).isEnabled()
    assert dialog.apply() is False
    assert preferences.get("wait/amber_s") == 30
    spin(dialog, "wait/red_s").setValue(300)
    assert dialog.problem.isHidden()
    click(dialog, Button.Ok)
    assert (preferences.get("wait/amber_s"), preferences.get("wait/red_s")) == (200, 300)


def test_restore_defaults_resets_the_current_page_only_and_waits_for_ok(
    qtbot: QtBot, preferences: Preferences, folders
) -> None:
    preferences.update({"composer/enter_sends": False, "wait/amber_s": 45, "appearance/theme": "dark"})
    dialog = make_dialog(qtbot, preferences, folders)
    dialog.show_section("general")
    click(dialog, Button.RestoreDefaults)
    assert checkbox(dialog, "composer/enter_sends").isChecked()
    assert spin(dialog, "wait/amber_s").value() == 30
    assert combo(dialog, "appearance/theme").currentData() == "dark"  # another page
    assert preferences.get("wait/amber_s") == 45  # pending until OK
    click(dialog, Button.Ok)
    assert preferences.get("wait/amber_s") == 30 and preferences.enter_sends is True
    assert preferences.get("appearance/theme") == "dark"


def test_restore_defaults_has_nothing_to_do_on_the_data_page(dialog: SettingsDialog) -> None:
    dialog.show_section("data")
    assert not dialog.buttons.button(Button.RestoreDefaults).isEnabled()
    dialog.show_section("appearance")
    assert dialog.buttons.button(Button.RestoreDefaults).isEnabled()


def test_a_change_made_elsewhere_shows_unless_edited_here(
    dialog: SettingsDialog, preferences: Preferences
) -> None:
    preferences.set("composer/enter_sends", False)  # e.g. from the composer's menu
    assert not checkbox(dialog, "composer/enter_sends").isChecked()
    spin(dialog, "wait/amber_s").setValue(40)
    preferences.set("wait/amber_s", 50)
    assert spin(dialog, "wait/amber_s").value() == 40  # the agent's edit wins, and OK stores it
    click(dialog, Button.Ok)
    assert preferences.get("wait/amber_s") == 40


# --------------------------------------------------------------------------------------- the data page


def test_the_folders_are_shown_as_plain_selectable_text(dialog: SettingsDialog, folders) -> None:
    assert dialog.data_path.text() == str(folders[0])
    assert dialog.log_path.text() == str(folders[1])
    assert dialog.data_path.isReadOnly() and dialog.log_path.isReadOnly()


def test_open_folder_opens_the_folder(dialog: SettingsDialog, folders, monkeypatch) -> None:
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    dialog.data_open_button.click()
    dialog.log_open_button.click()
    assert [url.toLocalFile() for url in opened] == [str(folders[0]), str(folders[1])]
    assert all(url.isLocalFile() for url in opened)
    assert dialog.folder_problem.isHidden()


def test_a_folder_that_cannot_be_opened_is_reported(dialog: SettingsDialog, folders, monkeypatch) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    dialog.log_open_button.click()
    assert not dialog.folder_problem.isHidden()
    assert str(folders[1]) in dialog.folder_problem.text()


@pytest.mark.parametrize(
    ("answer", "emitted"),
    [(QMessageBox.StandardButton.No, 0), (QMessageBox.StandardButton.Yes, 1)],
    ids=["no", "yes"],
)
def test_clear_cache_asks_first(dialog: SettingsDialog, monkeypatch, answer, emitted: int) -> None:
    asked: list[str] = []

    def question(parent, title, text, *args):
        asked.append(title)
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    requests: list[bool] = []
    dialog.clear_cache_requested.connect(lambda: requests.append(True))
    dialog.clear_cache_button.click()
    assert asked == ["清除缓存"]
    assert len(requests) == emitted


# ---------------------------------------------------------------------------------------- text


def test_every_label_is_plain_text(dialog: SettingsDialog) -> None:
    labels = dialog.findChildren(QLabel)
    assert labels
    assert all(label.textFormat() == label.textFormat().PlainText for label in labels)


class Shouting(QTranslator):
    """A stand-in translation: every registry string comes back with a marker in front."""

    def translate(self, context, source, disambiguation=None, n=-1):
        return f"EN:{source}" if context == registry.TRANSLATION_CONTEXT else None


def test_registry_strings_go_through_qt_translation(qtbot: QtBot, preferences: Preferences, folders) -> None:
    translator = Shouting()
    QCoreApplication.installTranslator(translator)
    try:
        dialog = make_dialog(qtbot, preferences, folders)
    finally:
        QCoreApplication.removeTranslator(translator)
    assert checkbox(dialog, "composer/enter_sends").text() == "EN:按回车键发送消息"
    assert combo(dialog, "appearance/theme").itemText(0) == "EN:浅色"
    assert dialog.sections.item(0).text() == "EN:常规"
    assert spin(dialog, "wait/amber_s").suffix() == " EN:秒"
