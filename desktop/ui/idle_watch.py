"""Auto-away: an agent who has not touched the keyboard or mouse for N minutes is set to 离开 (so no new
buyer is routed to an empty chair), and back to 在线 on their first key or click — only if it was the
watch that set them away (an agent who chose 忙碌 or 离开 themselves stays so).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.InputMethod,
    }
)
CHECK_EVERY_MS = 15_000


class IdleWatch(QObject):
    went_idle = Signal()  # set the agent away now
    came_back = Signal()  # the agent is back after the watch set them away

    def __init__(
        self,
        minutes: int,
        status: Callable[[], str],
        *,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._status = status  # the agent's own status now ("online", "busy", …)
        self._clock = clock
        self._minutes = minutes
        self._last_input = clock()
        self.auto_away = False  # the watch set the agent away and waits for them
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def set_minutes(self, minutes: int) -> None:
        """0 turns auto-away off (settings: 无操作自动离开)."""
        self._minutes = minutes

    def input_seen(self) -> None:
        self._last_input = self._clock()
        if self.auto_away:
            self.auto_away = False
            self.came_back.emit()

    def check(self) -> bool:
        """Set away if idle long enough while online; True when it did."""
        if self._minutes <= 0 or self.auto_away or self._status() != "online":
            return False
        if self._clock() - self._last_input < self._minutes * 60:
            return False
        self.auto_away = True
        self.went_idle.emit()
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self.input_seen()
        return False

    def stop(self) -> None:
        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
