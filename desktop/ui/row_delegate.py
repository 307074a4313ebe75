"""A delegate that paints a row itself on the style's own item background (selection, hover)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem


class PanelRowDelegate(QStyledItemDelegate):
    """The style paints the item's panel (background and selection, no text); :meth:`_paint_row` the rest,
    with antialiasing, on a saved and restored painter."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the style paints only the background and selection; the row's text is ours
        style = opt.widget.style() if opt.widget is not None else None
        painter.save()
        try:
            if style is not None:
                style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            self._paint_row(painter, opt, index)
        finally:
            painter.restore()

    def _paint_row(
        self, painter: QPainter, opt: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        raise NotImplementedError
