"""Help → 关于: what is installed (versions) and where it keeps things (data and log folders), copyable.

::

    [logo]  ShopDesk 客服工作台
            版本 0.1.0
            Python 3.11.7 · PySide6 6.11.3 · Qt 6.11.3

    数据文件夹  /home/xiaoyu/.local/share/ShopDesk    [打开]
    日志文件夹  /home/xiaoyu/.local/state/ShopDesk/log [打开]
    许可证      (only when the project declares one)

    [复制信息]                                         [关闭]

Everything is plain text and selectable; 复制信息 copies the same facts as a plain-text block for a support
request.
"""

from __future__ import annotations

import importlib.metadata
import logging
import tomllib
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop import paths
from desktop.ui.crash_handler import versions
from desktop.ui.folders import open_folder
from desktop.ui.icons import app_icon

log = logging.getLogger(__name__)

DISTRIBUTION = "shopdesk"


def license_text(pyproject: Path | None = None) -> str | None:
    """The licence the project declares (pyproject.toml in a checkout, else the installed metadata), or None.

    Never a guess: with no declaration, there is no licence line.
    """
    path = pyproject if pyproject is not None else paths.resources_dir().parent / "pyproject.toml"
    try:
        project = tomllib.loads(path.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        project = None
    if project is not None:
        return _from_project(project)
    try:
        metadata = importlib.metadata.metadata(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    for key in ("License-Expression", "License"):
        value = (metadata.get(key) or "").strip()
        if value and value.upper() != "UNKNOWN":
            return value.splitlines()[0]
    return _from_classifiers(metadata.get_all("Classifier") or [])


def _from_project(project: dict[str, object]) -> str | None:
    value = project.get("license")
    if isinstance(value, str) and value.strip():
        return value.strip()  # PEP 639 SPDX expression
    if isinstance(value, dict):
        text = value.get("text")
        if isinstance(text, str) and text.strip():
            return text.strip().splitlines()[0]
    classifiers = project.get("classifiers")
    return _from_classifiers(classifiers if isinstance(classifiers, list) else [])


def _from_classifiers(classifiers: list[object]) -> str | None:
    for classifier in classifiers:
        if isinstance(classifier, str) and classifier.startswith("License ::"):
            return classifier.split("::")[-1].strip()
    return None


def _plain(text: str, parent: QWidget, name: str = "") -> QLabel:
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class AboutDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        data_folder: Path | None = None,
        log_folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("关于 ShopDesk"))
        self.setWindowIcon(app_icon())
        self.data_folder = data_folder if data_folder is not None else paths.data_dir()
        self.log_folder = log_folder if log_folder is not None else paths.log_dir()
        self.versions = versions()
        self.license = license_text()

        logo = QLabel(self)
        logo.setPixmap(app_icon().pixmap(64, 64))
        logo.setFixedSize(64, 64)
        self.title_label = _plain(self.tr("ShopDesk 客服工作台"), self, "aboutTitle")
        title_font = self.title_label.font()
        title_font.setBold(True)
        title_font.setPointSizeF(max(title_font.pointSizeF(), 9.0) * 1.45)
        self.title_label.setFont(title_font)
        self.version_label = _plain(self.tr("版本 {0}").format(self.versions["ShopDesk"]), self)
        self.stack_label = _plain(self._stack_text(), self)

        names = QVBoxLayout()
        names.setSpacing(4)
        names.addWidget(self.title_label)
        names.addWidget(self.version_label)
        names.addWidget(self.stack_label)
        header = QHBoxLayout()
        header.setSpacing(16)
        header.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(names, 1)

        self.data_label = _plain(str(self.data_folder), self, "dataFolder")
        self.log_label = _plain(str(self.log_folder), self, "logFolder")
        self.open_data_button = QPushButton(self.tr("打开"), self)
        self.open_data_button.clicked.connect(lambda: open_folder(self.data_folder))
        self.open_log_button = QPushButton(self.tr("打开"), self)
        self.open_log_button.clicked.connect(lambda: open_folder(self.log_folder))
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.addRow(self.tr("数据文件夹"), self._folder_row(self.data_label, self.open_data_button))
        form.addRow(self.tr("日志文件夹"), self._folder_row(self.log_label, self.open_log_button))
        self.license_label: QLabel | None = None
        if self.license:
            self.license_label = _plain(self.license, self, "license")
            form.addRow(self.tr("许可证"), self.license_label)

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)

        self.copy_button = QPushButton(self.tr("复制信息"), self)
        self.copy_button.setToolTip(self.tr("把版本和文件夹信息复制到剪贴板，方便发给技术支持"))
        self.copy_button.clicked.connect(self.copy_info)
        buttons = QDialogButtonBox(self)
        self.close_button = buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button.setDefault(True)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.copy_button)
        bottom.addStretch(1)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 18)
        layout.setSpacing(14)
        layout.addLayout(header)
        layout.addWidget(line)
        layout.addLayout(form)
        layout.addSpacing(4)
        layout.addLayout(bottom)
        self.setMinimumWidth(520)

    def _stack_text(self) -> str:
        v = self.versions
        return f"Python {v['Python']} · PySide6 {v['PySide6']} · Qt {v['Qt']}"

    def _folder_row(self, label: QLabel, button: QPushButton) -> QWidget:
        row = QWidget(self)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        label.setMinimumWidth(200)
        layout.addWidget(label, 1)
        layout.addWidget(button, 0)
        return row

    def info_text(self) -> str:
        """The facts shown, as plain text for a support request."""
        v = self.versions
        # each tr() outside the f-strings: lupdate does not look inside them
        product, platform = self.tr("ShopDesk 客服工作台"), self.tr("平台")
        data, logs, license_ = self.tr("数据文件夹"), self.tr("日志文件夹"), self.tr("许可证")
        lines = [
            f"{product} {v['ShopDesk']}",
            self._stack_text(),
            f"{platform}: {v['Platform']}",
            f"{data}: {self.data_folder}",
            f"{logs}: {self.log_folder}",
        ]
        if self.license:
            lines.append(f"{license_}: {self.license}")
        return "\n".join(lines)

    def copy_info(self) -> None:
        QGuiApplication.clipboard().setText(self.info_text())
        self.copy_button.setText(self.tr("已复制"))
        QTimer.singleShot(2000, self, lambda: self.copy_button.setText(self.tr("复制信息")))
