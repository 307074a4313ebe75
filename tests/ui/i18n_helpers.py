"""What a widget shows in words, for the language tests: "a visible string with no translation fails".

:func:`visible_texts` walks a widget and its children and returns every piece of interface text a person can
see or hear (window titles, label and button texts, placeholders, tab titles, tooltips, accessible names,
combo box entries, spin box suffixes, item view rows and headers, menu and toolbar actions), each with
where it was found::

    for where, text in visible_texts(window):
        ...

    assert untranslated(dialog, user_data=["小鹿乱撞"]) == []   # English: no Chinese left but the buyer's

Text drawn by item delegates straight onto the screen (chat bubbles, order cards) is not a widget property
and is not seen here; the model's DisplayRole, which those delegates usually draw, is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDoubleSpinBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
    QTextEdit,
    QWidget,
)

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
MAX_ROWS = 200  # rows of an item view looked at (per level), enough for any dialog


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a Chinese character or full-width punctuation."""
    return CJK.search(text) is not None


def _name(widget: QWidget) -> str:
    name = widget.objectName()
    return f"{type(widget).__name__}#{name}" if name else type(widget).__name__


def _action_texts(where: str, actions: Iterable[QAction], seen: set[int]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for action in actions:
        if id(action) in seen or action.isSeparator():
            continue
        seen.add(id(action))
        label = f"{where} action"
        found += [(f"{label} text", action.text()), (f"{label} toolTip", action.toolTip())]
        menu = action.menu()
        if isinstance(menu, QMenu):
            found += [(f"{label} menu title", menu.title())]
            found += _action_texts(f"{label} menu", menu.actions(), seen)
    return found


def _model_texts(
    where: str, model: QAbstractItemModel, parent: QModelIndex, depth: int = 0
) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    rows = min(model.rowCount(parent), MAX_ROWS)
    for row in range(rows):
        column = -1
        while model.hasIndex(row, column + 1, parent):  # columnCount() is private on list models
            column += 1
            index = model.index(row, column, parent)
            for role, role_name in (
                (Qt.ItemDataRole.DisplayRole, "text"),
                (Qt.ItemDataRole.ToolTipRole, "toolTip"),
            ):
                value = model.data(index, role)
                if isinstance(value, str):
                    found.append((f"{where} row {row}/{column} {role_name}", value))
            if column == 0 and depth < 3 and model.rowCount(index) > 0:  # hasChildren() is private on lists
                found += _model_texts(f"{where} row {row}", model, index, depth + 1)
    return found


def _view_texts(where: str, view: QAbstractItemView) -> list[tuple[str, str]]:
    model = view.model()
    if model is None:
        return []
    found = _model_texts(where, model, view.rootIndex())
    columns = 0
    while model.hasIndex(0, columns):
        columns += 1
    for orientation, axis in ((Qt.Orientation.Horizontal, "column"), (Qt.Orientation.Vertical, "row")):
        count = columns if axis == "column" else min(model.rowCount(), MAX_ROWS)
        for section in range(count):
            value = model.headerData(section, orientation, Qt.ItemDataRole.DisplayRole)
            if isinstance(value, str) and not value.isdigit():
                found.append((f"{where} {axis} header {section}", value))
    return found


def _own_texts(widget: QWidget) -> list[tuple[str, str]]:
    """The texts ``widget`` itself shows (not its children's)."""
    where = _name(widget)
    found = [
        (f"{where} toolTip", widget.toolTip()),
        (f"{where} accessibleName", widget.accessibleName()),
        (f"{where} statusTip", widget.statusTip()),
    ]
    if widget.isWindow():
        found.append((f"{where} windowTitle", widget.windowTitle()))
    if isinstance(widget, QLabel | QAbstractButton):
        found.append((f"{where} text", widget.text()))
    elif isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
        found.append((f"{where} placeholderText", widget.placeholderText()))
    elif isinstance(widget, QComboBox):
        found += [(f"{where} item {i}", widget.itemText(i)) for i in range(widget.count())]
        if widget.lineEdit() is None:
            found.append((f"{where} placeholderText", widget.placeholderText()))
    elif isinstance(widget, QGroupBox):
        found.append((f"{where} title", widget.title()))
    elif isinstance(widget, QTabBar):
        for i in range(widget.count()):
            found += [
                (f"{where} tab {i}", widget.tabText(i)),
                (f"{where} tab {i} toolTip", widget.tabToolTip(i)),
            ]
    elif isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
        found += _view_texts(where, widget)  # with its headers (a QHeaderView shares the view's model)
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        found += [(f"{where} prefix", widget.prefix()), (f"{where} suffix", widget.suffix())]
    if isinstance(widget, QAbstractSpinBox):
        found.append((f"{where} specialValueText", widget.specialValueText()))
    if isinstance(widget, QMainWindow) and widget.statusBar() is not None:
        found.append((f"{where} statusBar message", widget.statusBar().currentMessage()))
    return found


def visible_texts(widget: QWidget, *, include_hidden: bool = False) -> list[tuple[str, str]]:
    """Every non-empty interface text of ``widget`` and its children, as ``(where, text)``.

    Children count when they would be visible once ``widget`` is shown (``isVisibleTo``), so a dialog need
    not be shown first; ``include_hidden`` takes hidden ones too (pages of a stacked widget not on top, error
    labels waiting for an error). Actions count for every widget looked at (menus, tool buttons, context
    actions), with the actions of their menus.
    """
    widgets = [widget, *widget.findChildren(QWidget)]
    found: list[tuple[str, str]] = []
    seen_actions: set[int] = set()
    for child in widgets:
        if child is not widget and not include_hidden and not child.isVisibleTo(widget):
            continue
        if isinstance(child, QMenu) and child is not widget:
            continue  # seen through the actions that open them
        if type(child.parentWidget()).__name__ == "QComboBoxPrivateContainer":
            continue  # a combo box's popup list: its entries are the combo box's items
        found += _own_texts(child)
        found += _action_texts(_name(child), child.actions(), seen_actions)
    return [(where, text) for where, text in found if text and text.strip()]


def untranslated(
    widget: QWidget, *, user_data: Iterable[str] = (), include_hidden: bool = False
) -> list[tuple[str, str]]:
    """The texts of ``widget`` with Chinese left in them once the ``user_data`` strings (a buyer's nickname,
    message, tag: text that is shown as it came, never translated) are taken out."""
    data = sorted(
        (d for d in user_data if d), key=len, reverse=True
    )  # longest first: "小鹿乱撞" before "小鹿"
    left = []
    for where, text in visible_texts(widget, include_hidden=include_hidden):
        rest = text
        for item in data:
            rest = rest.replace(item, "")
        if has_cjk(rest):
            left.append((where, text))
    return left
