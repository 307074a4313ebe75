"""The settings dialog, generated from the declared registry: one page per section, one editor per setting.

::

    ┌──────────┬──────────────────────────────────────────────┐
    │ 常规      │ 常规                                          │
    │ 通知与声音 │ [x] 按回车键发送消息                            │
    │ 外观      │     关闭后按 Ctrl+回车 发送，回车换行。           │
    │ 数据      │ 买家等待变黄                         [ 30 秒 ⇅] │
    │ 高级      │ 买家等待超过这个时间，会话列表中显示黄色。        │
    ├──────────┴──────────────────────────────────────────────┤
    │ [恢复默认]                          [确定] [取消] [应用]   │
    └─────────────────────────────────────────────────────────┘

Editors hold pending values: nothing is stored until 确定 or 应用, which write through
:meth:`Preferences.update` (so :attr:`Preferences.changed` tells the rest of the app); 取消 discards.
恢复默认 puts the current page's editors back to their defaults (still pending). A combination the registry
forbids (red wait threshold not above amber) is explained under the pages and blocks 确定/应用.

The 数据 page shows the data and log folders and can open them; 清除缓存 asks first and then only emits
:attr:`SettingsDialog.clear_cache_requested`: deleting is the caller's business.

Show it with ``open()`` (never ``exec()`` inside a coroutine): the app runs asyncio inside Qt.

The language can change while the dialog is open (界面语言, then 应用): on ``QEvent.LanguageChange`` every
text is set again in the new language; pending edits stay as they are.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from desktop import paths
from desktop.core import settings_registry as registry
from desktop.core.settings_registry import InvalidValue, Kind, Setting, SettingValue
from desktop.ui.plain_text import plain_tooltip
from desktop.ui.preferences import Preferences

log = logging.getLogger(__name__)

DATA_SECTION = "data"
EDITOR_MIN_WIDTH = 140
ROW_SPACING = 8


def translated(text: str) -> str:
    """A registry string (label, description, choice name) in the current language."""
    return QCoreApplication.translate(registry.TRANSLATION_CONTEXT, text) if text else ""


def _label(text: str, *, description: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if description:
        label.setObjectName("settingDescription")
        label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    return label


@dataclass(slots=True)
class _Editor:
    """One setting's editor: the widget, how to read and show its value, and how to set its texts again
    in the current language."""

    setting: Setting
    widget: QWidget
    value: Callable[[], SettingValue]
    show: Callable[[SettingValue], None]
    retranslate: Callable[[], None] = lambda: None


def _combo(items: list[tuple[str, SettingValue]]) -> QComboBox:
    combo = QComboBox()
    for text, data in items:
        combo.addItem(text, data)
    combo.setMinimumWidth(EDITOR_MIN_WIDTH)
    return combo


def _combo_editor(
    s: Setting, combo: QComboBox, on_change: Callable[[], None], texts: Callable[[], list[str]]
) -> _Editor:
    def retranslate() -> None:
        for index, text in enumerate(texts()):
            combo.setItemText(index, text)

    def show(value: SettingValue) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)))

    combo.currentIndexChanged.connect(on_change)
    return _Editor(s, combo, combo.currentData, show, retranslate)


def make_editor(s: Setting, on_change: Callable[[], None]) -> _Editor:
    """The editor for ``s`` by its kind; ``on_change`` is called whenever the agent edits it."""
    if s.kind is Kind.BOOL:
        box = QCheckBox(translated(s.label))
        box.toggled.connect(on_change)
        return _Editor(
            s, box, box.isChecked, lambda v: box.setChecked(bool(v)), lambda: box.setText(translated(s.label))
        )
    if s.kind is Kind.CHOICE:

        def texts() -> list[str]:
            return [translated(c.label) for c in s.choices]

        combo = _combo(list(zip(texts(), s.choice_values, strict=True)))
        return _combo_editor(s, combo, on_change, texts)
    if s.kind is Kind.INT:
        return _int_editor(s, on_change)
    line = QLineEdit()
    line.setMinimumWidth(EDITOR_MIN_WIDTH)
    line.textChanged.connect(on_change)
    return _Editor(s, line, line.text, lambda v: line.setText(str(v)))


def _int_editor(s: Setting, on_change: Callable[[], None]) -> _Editor:
    """A spin box, its special value just below the range (idle away: 从不, 1–240); a combo box when the
    special value sits apart from a short range (font size: 跟随系统, 9–20)."""
    low = s.minimum if s.minimum is not None else 0
    high = s.maximum if s.maximum is not None else 2**31 - 1
    next_to_range = s.special is not None and s.special == low - 1

    def suffix() -> str:
        return f" {translated(s.suffix)}" if s.suffix else ""

    if s.special is not None and not next_to_range and high - low <= 40:

        def texts() -> list[str]:
            return [translated(s.special_label), *(f"{n}{suffix()}" for n in range(low, high + 1))]

        values: list[SettingValue] = [s.special, *range(low, high + 1)]
        return _combo_editor(s, _combo(list(zip(texts(), values, strict=True))), on_change, texts)
    spin = QSpinBox()
    spin.setRange(low - 1 if next_to_range else low, high)
    spin.setMinimumWidth(EDITOR_MIN_WIDTH)
    spin.setAlignment(Qt.AlignmentFlag.AlignRight)

    def retranslate() -> None:
        spin.setSpecialValueText(translated(s.special_label) if next_to_range else "")
        spin.setSuffix(suffix())

    retranslate()
    spin.valueChanged.connect(on_change)
    return _Editor(s, spin, spin.value, lambda v: spin.setValue(int(v)), retranslate)


class SettingsDialog(QDialog):
    """Edits every registry setting of ``preferences``; shows ``data_dir`` and ``log_dir``."""

    clear_cache_requested = Signal()

    def __init__(
        self,
        preferences: Preferences,
        *,
        data_dir: Path,
        log_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.preferences = preferences
        self.data_dir = data_dir
        self.log_dir = log_dir if log_dir is not None else paths.log_dir()
        self._texts: list[Callable[[], None]] = []  # each sets one text again in the current language
        self._text(self.setWindowTitle, lambda: self.tr("设置"))
        self.setObjectName("settingsDialog")
        self.editors: dict[str, _Editor] = {}
        self._rows: dict[str, QWidget] = {}  # the rows of settings that depend on another (requires)
        self._loaded = preferences.values()  # what the editors started from (updated on each apply)
        self._sections = [section.id for section in registry.SECTIONS]

        self.sections = QListWidget()
        self.sections.setObjectName("settingsSections")
        self.sections.setFrameShape(QFrame.Shape.NoFrame)
        self.sections.setSpacing(2)
        # Padding only: colours come from the palette, so a theme can restyle it.
        self.sections.setStyleSheet(
            "QListWidget#settingsSections { outline: 0; }"
            " QListWidget#settingsSections::item { padding: 6px 12px; }"
        )
        self.pages = QStackedWidget()
        for row, section in enumerate(registry.SECTIONS):
            self.sections.addItem("")
            # the item is looked up each time: a kept QListWidgetItem wrapper outlives the item (no QObject)
            self._text(
                lambda text, row=row: self.sections.item(row).setText(text),
                lambda t=section.title: translated(t),
            )
            page = self._data_page() if section.id == DATA_SECTION else self._settings_page(section)
            self.pages.addWidget(self._scrolling(page))
        self._fit_sections()
        self.sections.currentRowChanged.connect(self._show_page)

        self.problem = _label("")
        self.problem.setObjectName("settingsProblem")
        self.problem.setStyleSheet("color: #d93025;")
        self.problem.hide()
        self.buttons = self._button_box()

        body = QHBoxLayout()
        body.setSpacing(12)
        body.addWidget(self.sections)
        body.addWidget(self.pages, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        for key, value in self._loaded.items():
            self.editors[key].show(value)
        preferences.changed.connect(self._stored_changed)
        self.sections.setCurrentRow(0)
        self._refresh()
        self.resize(700, 500)

    # --- what the caller and the tests use -----------------------------------------------------------

    def editor(self, key: str) -> QWidget:
        """The widget that edits setting ``key``."""
        return self.editors[key].widget

    def pending_values(self) -> dict[str, SettingValue]:
        """What the editors show now (stored only on 确定/应用)."""
        return {key: editor.value() for key, editor in self.editors.items()}

    def show_section(self, section: str) -> None:
        """Turn to the page of ``section`` (a :data:`registry.SECTIONS` id)."""
        self.sections.setCurrentRow(self._sections.index(section))

    def current_section(self) -> str:
        return self._sections[self.pages.currentIndex()]

    def apply(self) -> bool:
        """Store what changed; False (and the reason shown) when the registry refuses the values."""
        changes = {key: v for key, v in self.pending_values().items() if v != self._loaded[key]}
        try:
            self.preferences.update(changes)
        except InvalidValue as exc:
            self._show_problem(str(exc))
            return False
        self._loaded = self.preferences.values()
        self._refresh()
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def restore_defaults(self) -> None:
        """Put the current page's editors back to their defaults (pending until 确定/应用)."""
        for s in registry.in_section(self.current_section()):
            self.editors[s.key].show(s.default)

    def open_folder(self, folder: Path) -> None:
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            log.warning("could not open the folder %s", folder)
            self.folder_problem.setText(self.tr("无法打开文件夹：%1").replace("%1", str(folder)))
            self.folder_problem.show()

    def ask_clear_cache(self) -> None:
        """Ask first; emit :attr:`clear_cache_requested` only when the agent confirms."""
        answer = QMessageBox.question(
            self,
            self.tr("清除缓存"),
            self.tr("确定要清除缓存吗？\n头像和图片缩略图会在需要时重新下载，聊天记录不受影响。"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.clear_cache_requested.emit()

    # --- building -------------------------------------------------------------------------------------

    def _text(self, apply: Callable[[str], object], text: Callable[[], str]) -> None:
        """``apply(text())`` now and again on every language change."""

        def set_text() -> None:
            apply(text())

        set_text()
        self._texts.append(set_text)

    def _fit_sections(self) -> None:
        self.sections.setFixedWidth(max(120, self.sections.sizeHintForColumn(0) + 32))

    def _button_box(self) -> QDialogButtonBox:
        standard = QDialogButtonBox.StandardButton
        box = QDialogButtonBox(standard.Ok | standard.Cancel | standard.Apply | standard.RestoreDefaults)
        self._text(box.button(standard.Ok).setText, lambda: self.tr("确定"))
        self._text(box.button(standard.Cancel).setText, lambda: self.tr("取消"))
        self._text(box.button(standard.Apply).setText, lambda: self.tr("应用"))
        self._text(box.button(standard.RestoreDefaults).setText, lambda: self.tr("恢复默认"))
        self._text(
            box.button(standard.RestoreDefaults).setToolTip, lambda: self.tr("把本页的设置恢复为默认值")
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        box.clicked.connect(self._clicked)
        return box

    def _clicked(self, button: QAbstractButton) -> None:
        role = self.buttons.buttonRole(button)
        if role == QDialogButtonBox.ButtonRole.ApplyRole:
            self.apply()
        elif role == QDialogButtonBox.ButtonRole.ResetRole:
            self.restore_defaults()

    def _scrolling(self, page: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidget(page)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setObjectName("settingsPageArea")
        area.viewport().setBackgroundRole(QPalette.ColorRole.Base)  # a card in the list's colour
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return area

    def _page(self, title: Callable[[], str]) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        page.setObjectName("settingsPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(20, 14, 20, 14)
        layout.setSpacing(ROW_SPACING)
        heading = _label("")
        self._text(heading.setText, title)
        heading.setObjectName("settingsPageTitle")
        font = QFont(heading.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.3)
        heading.setFont(font)
        layout.addWidget(heading)
        return page, layout

    def _indent(self) -> int:
        """How far a checkbox's text starts from its left edge: descriptions and sub-options line up there."""
        style = self.style()
        return style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + style.pixelMetric(
            QStyle.PixelMetric.PM_CheckBoxLabelSpacing
        )

    def _settings_page(self, section: registry.Section) -> QWidget:
        page, layout = self._page(lambda: translated(section.title))
        for s in registry.in_section(section.id):
            editor = make_editor(s, self._refresh)
            self.editors[s.key] = editor
            if s.requires is None:
                layout.addSpacing(ROW_SPACING)  # sub-options sit closer to their switch
            layout.addWidget(self._row(editor))
        layout.addStretch(1)
        return page

    def _row(self, editor: _Editor) -> QWidget:
        """One setting: the editor with its label, and the grey description under the label."""
        s = editor.setting
        row = QWidget()
        grid = QGridLayout(row)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        grid.setHorizontalSpacing(16)
        indent = self._indent()
        if s.kind is Kind.BOOL:
            grid.addWidget(editor.widget, 0, 0, 1, 2)
        else:
            label = _label("")
            self._text(label.setText, lambda: translated(s.label))
            label.setBuddy(editor.widget)
            grid.addWidget(label, 0, 0, Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(editor.widget, 0, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.setColumnStretch(0, 1)
        if s.description:
            description = _label("", description=True)
            self._text(description.setText, lambda: translated(s.description))
            if s.kind is Kind.BOOL:
                description.setContentsMargins(indent, 0, 0, 0)
                grid.addWidget(description, 1, 0, 1, 2)
            else:
                grid.addWidget(description, 1, 0)
        if s.requires is not None:
            row.setContentsMargins(indent, 0, 0, 0)
            self._rows[s.key] = row
        return row

    def _data_page(self) -> QWidget:
        title = registry.SECTIONS[self._sections.index(DATA_SECTION)].title
        page, layout = self._page(lambda: translated(title))
        data_open = QPushButton()
        self._text(data_open.setText, lambda: self.tr("打开文件夹"))
        data_open.clicked.connect(lambda: self.open_folder(self.data_dir))
        clear = QPushButton()
        self._text(clear.setText, lambda: self.tr("清除缓存"))
        self._text(
            clear.setToolTip, lambda: self.tr("清除头像和图片缩略图，需要时会重新下载；聊天记录不受影响。")
        )
        clear.clicked.connect(self.ask_clear_cache)
        self.data_path = self._folder(
            layout,
            lambda: self.tr("数据文件夹"),
            self.data_dir,
            lambda: self.tr("聊天记录、草稿和快捷短语的本地副本保存在这里。"),
            [data_open, clear],
        )
        log_open = QPushButton()
        self._text(log_open.setText, lambda: self.tr("打开"))
        log_open.clicked.connect(lambda: self.open_folder(self.log_dir))
        self.log_path = self._folder(
            layout,
            lambda: self.tr("日志文件夹"),
            self.log_dir,
            lambda: self.tr("遇到问题时，可以把这里的日志文件发给技术支持。"),
            [log_open],
        )
        self.data_open_button, self.clear_cache_button, self.log_open_button = data_open, clear, log_open
        self.folder_problem = _label("")
        self.folder_problem.setStyleSheet("color: #d93025;")
        self.folder_problem.hide()
        layout.addWidget(self.folder_problem)
        layout.addStretch(1)
        return page

    def _folder(
        self,
        layout: QVBoxLayout,
        title: Callable[[], str],
        folder: Path,
        description: Callable[[], str],
        buttons: list[QPushButton],
    ) -> QLineEdit:
        """A folder's block: its name, its path (read-only, selectable, plain), what it holds, its buttons.

        The path is a read-only line edit rather than a label: a long path without spaces cannot wrap and
        would stretch the dialog, while a line edit scrolls and still lets the agent select and copy it.
        """
        layout.addSpacing(ROW_SPACING)
        block = QVBoxLayout()
        block.setSpacing(4)
        heading = _label("")
        self._text(heading.setText, title)
        block.addWidget(heading)
        path = QLineEdit(str(folder))
        path.setObjectName("folderPath")
        path.setReadOnly(True)
        path.setFrame(False)
        path.setStyleSheet("QLineEdit#folderPath { background: transparent; }")
        path.setCursorPosition(0)
        path.setToolTip(plain_tooltip(str(folder)))
        block.addWidget(path)
        about = _label("", description=True)
        self._text(about.setText, description)
        block.addWidget(about)
        block.addSpacing(2)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        block.addLayout(row)
        layout.addLayout(block)
        return path

    # --- reacting ---------------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LanguageChange:
            # after the children had it: the button box puts Qt's own texts back on its buttons
            self.retranslate()
        return handled

    def retranslate(self) -> None:
        """Every text again in the current language (Qt sends LanguageChange when translators change)."""
        for set_text in self._texts:
            set_text()
        for editor in self.editors.values():
            editor.retranslate()
        self._fit_sections()
        self.folder_problem.hide()
        self._refresh()

    def _show_page(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        self._refresh()

    def _stored_changed(self, key: str, value: SettingValue) -> None:
        """A setting changed elsewhere while the dialog is open: follow it unless the agent edited it here."""
        editor = self.editors[key]
        if editor.value() == self._loaded[key]:
            editor.show(value)
        self._loaded[key] = value
        self._refresh()

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def _refresh(self) -> None:
        """Dependent options greyed out with their switch off; a broken rule shown; 确定/应用 enabled only for
        storable values, 应用 only when something changed; 恢复默认 only on a page with settings."""
        pending = self.pending_values()
        for key, row in self._rows.items():
            row.setEnabled(bool(pending[registry.setting(key).requires or key]))
        broken = registry.broken_constraints(pending)
        self._show_problem(translated(broken[0].message) if broken else "")
        standard = QDialogButtonBox.StandardButton
        self.buttons.button(standard.Ok).setEnabled(not broken)
        self.buttons.button(standard.Apply).setEnabled(not broken and pending != self._loaded)
        self.buttons.button(standard.RestoreDefaults).setEnabled(self.current_section() != DATA_SECTION)
