"""What every flat list model of the UI shares: rows in ``self._rows``, the row count, the index check, and
``roleNames`` made from the model's role enum (so QML tools and qtmodeltester see named roles)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractListModel, QByteArray, QModelIndex, QPersistentModelIndex


class RowListModel(QAbstractListModel):
    ROLES: ClassVar[type[enum.IntEnum] | None] = None  # the model's own roles, named by roleNames
    _rows: Sequence[Any]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def row_at(self, index: QModelIndex | QPersistentModelIndex) -> Any:
        """The row ``index`` points at, or None for an invalid, child or out-of-range index."""
        if not index.isValid() or index.parent().isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        if self.ROLES is not None:
            names.update({int(role): QByteArray(role.name.lower().encode()) for role in self.ROLES})
        return names
