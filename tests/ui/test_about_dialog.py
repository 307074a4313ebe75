"""The About dialog: versions, data and log folders (openable), copyable info, a licence only if declared."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QLabel

from desktop import __version__, paths
from desktop.ui import about_dialog
from desktop.ui.about_dialog import AboutDialog, license_text

pytestmark = pytest.mark.gui


@pytest.fixture
def dialog(qtbot, tmp_path: Path) -> AboutDialog:
    dialog = AboutDialog(data_folder=tmp_path / "data", log_folder=tmp_path / "logs")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def label_texts(dialog: AboutDialog) -> list[str]:
    return [label.text() for label in dialog.findChildren(QLabel)]


def test_shows_name_version_and_stack(dialog: AboutDialog) -> None:
    texts = label_texts(dialog)
    assert "ShopDesk 客服工作台" in texts
    assert f"版本 {__version__}" in texts
    stack = dialog.stack_label.text()
    assert stack.startswith("Python 3.") and "PySide6 6." in stack and "Qt 6." in stack
    assert dialog.windowTitle() == "关于 ShopDesk"
    assert not dialog.windowIcon().isNull()


def test_folders_are_plain_selectable_text(dialog: AboutDialog, tmp_path: Path) -> None:
    for label, folder in ((dialog.data_label, tmp_path / "data"), (dialog.log_label, tmp_path / "logs")):
        assert label.text() == str(folder)
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert label.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse


def test_defaults_are_the_real_folders(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    assert dialog.data_label.text() == str(paths.data_dir())
    assert dialog.log_label.text() == str(paths.log_dir())


def test_open_buttons_open_the_folders(dialog: AboutDialog, tmp_path: Path, monkeypatch) -> None:
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    assert dialog.open_data_button.text() == dialog.open_log_button.text() == "打开"
    dialog.open_log_button.click()
    dialog.open_data_button.click()
    assert [Path(url.toLocalFile()) for url in opened] == [tmp_path / "logs", tmp_path / "data"]
    assert (tmp_path / "logs").is_dir()  # created when missing


def test_copy_info_puts_plain_text_on_the_clipboard(dialog: AboutDialog, tmp_path: Path) -> None:
    assert dialog.copy_button.text() == "复制信息"
    dialog.copy_button.click()
    text = QGuiApplication.clipboard().text()
    assert text == dialog.info_text()
    assert f"ShopDesk 客服工作台 {__version__}" in text
    assert f"数据文件夹: {tmp_path / 'data'}" in text
    assert f"日志文件夹: {tmp_path / 'logs'}" in text
    assert "PySide6" in text and "<" not in text
    assert dialog.copy_button.text() == "已复制"


def test_close_button_closes(dialog: AboutDialog, qtbot) -> None:
    assert dialog.close_button.text() == "关闭"
    with qtbot.waitSignal(dialog.rejected):
        dialog.close_button.click()
    assert not dialog.isVisible()


def test_licence_is_what_pyproject_declares() -> None:
    project = tomllib.loads((paths.resources_dir().parent / "pyproject.toml").read_text("utf-8"))["project"]
    declared = project.get("license")
    classifiers = [c for c in project.get("classifiers", []) if c.startswith("License ::")]
    if declared is None and not classifiers:
        assert license_text() is None  # nothing declared: nothing invented
    else:
        assert license_text()


def test_licence_sources(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "x"\nlicense = "MIT"\n', encoding="utf-8")
    assert license_text(pyproject) == "MIT"
    pyproject.write_text('[project]\nname = "x"\nlicense = { text = "Apache-2.0" }\n', encoding="utf-8")
    assert license_text(pyproject) == "Apache-2.0"
    pyproject.write_text(
        '[project]\nname = "x"\nclassifiers = ["License :: OSI Approved :: BSD License"]\n', encoding="utf-8"
    )
    assert license_text(pyproject) == "BSD License"
    pyproject.write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert license_text(pyproject) is None


def test_licence_line_only_when_declared(qtbot, monkeypatch) -> None:
    monkeypatch.setattr(about_dialog, "license_text", lambda: None)
    bare = AboutDialog()
    qtbot.addWidget(bare)
    assert bare.license_label is None and "许可证" not in bare.info_text()
    monkeypatch.setattr(about_dialog, "license_text", lambda: "MIT")
    licensed = AboutDialog()
    qtbot.addWidget(licensed)
    assert licensed.license_label is not None and licensed.license_label.text() == "MIT"
    assert "许可证: MIT" in licensed.info_text()
