"""Auto-away after N idle minutes, back on the next activity — only when the watch set the agent away."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from desktop.ui.idle_watch import IdleWatch


class World:
    """The clock, the pointer and the agent's status, as the watch sees them."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.pointer = QPoint(100, 100)
        self.status = "online"


Made = tuple[IdleWatch, World, list[str]]


def make(request, minutes: int = 10) -> Made:
    world = World()
    watch = IdleWatch(minutes, lambda: world.status, clock=lambda: world.now, pointer=lambda: world.pointer)
    seen: list[str] = []
    watch.went_idle.connect(lambda: seen.append("idle"))
    watch.came_back.connect(lambda: seen.append("back"))
    request.addfinalizer(watch.stop)
    return watch, world, seen


def test_idle_for_n_minutes_sets_away_once_and_the_pointer_brings_the_agent_back(qtbot, request) -> None:
    watch, world, seen = make(request)
    world.now += 9 * 60
    assert not watch.check()
    world.now += 61
    assert watch.check() and seen == ["idle"]
    assert not watch.check()  # once
    world.pointer = QPoint(300, 120)  # the mouse moves (anywhere on the screen)
    assert not watch.check()
    assert seen == ["idle", "back"] and not watch.auto_away


def test_activity_keeps_the_agent_online_and_a_chosen_status_is_left_alone(qtbot, request) -> None:
    watch, world, seen = make(request)
    world.now += 9 * 60
    watch.note_activity()  # typing in a composer, opening a chat
    world.now += 5 * 60
    assert not watch.check()  # 5 minutes since then
    world.status = "busy"  # the agent chose 忙碌: not the watch's to change
    world.now += 60 * 60
    assert not watch.check() and seen == []
    watch.note_activity()
    assert seen == []  # no "back" for an away the watch did not set


def test_zero_minutes_turns_it_off(qtbot, request) -> None:
    watch, world, seen = make(request, minutes=0)
    world.now += 24 * 3600
    assert not watch.check() and seen == []
    watch.set_minutes(1)
    assert watch.check() and seen == ["idle"]
    watch.note_activity()
    assert seen == ["idle", "back"]
