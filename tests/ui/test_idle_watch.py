"""Auto-away after N idle minutes, back on the first input — only when the watch set the agent away."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit

from desktop.ui.idle_watch import IdleWatch


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


Made = tuple[IdleWatch, Clock, list[str], dict[str, str]]


def make(request, minutes: int = 10, status: str = "online") -> Made:
    clock = Clock()
    state = {"status": status}
    watch = IdleWatch(minutes, lambda: state["status"], clock=clock)
    seen: list[str] = []
    watch.went_idle.connect(lambda: seen.append("idle"))
    watch.came_back.connect(lambda: seen.append("back"))
    request.addfinalizer(watch.stop)
    return watch, clock, seen, state


def test_idle_for_n_minutes_sets_away_once_and_input_brings_the_agent_back(qtbot, request) -> None:
    watch, clock, seen, _state = make(request)
    clock.now += 9 * 60
    assert not watch.check()
    clock.now += 61
    assert watch.check() and seen == ["idle"]
    assert not watch.check()  # once
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    QTest.keyClick(field, Qt.Key.Key_A)  # any real key press in the app
    assert seen == ["idle", "back"] and not watch.auto_away


def test_input_keeps_the_agent_online_and_a_chosen_status_is_left_alone(qtbot, request) -> None:
    watch, clock, seen, state = make(request)
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    clock.now += 9 * 60
    QTest.mouseClick(field, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    clock.now += 5 * 60
    assert not watch.check()  # 5 minutes since the click
    state["status"] = "busy"  # the agent chose 忙碌: not the watch's to change
    clock.now += 60 * 60
    assert not watch.check() and seen == []
    QTest.keyClick(field, Qt.Key.Key_B)
    assert seen == []  # no "back" for an away the watch did not set


def test_zero_minutes_turns_it_off(qtbot, request) -> None:
    watch, clock, seen, _state = make(request, minutes=0)
    clock.now += 24 * 3600
    assert not watch.check() and seen == []
    watch.set_minutes(1)
    assert watch.check() and seen == ["idle"]
