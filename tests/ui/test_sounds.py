"""Notification sounds: the WAVs are what the generator makes, and playing never blocks or piles up."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
import wave
from pathlib import Path
from types import ModuleType

import pytest

from desktop.paths import resources_dir
from desktop.ui.sounds import BeepBackend, CommandBackend, SoundPlayer, WinSoundBackend, detect_backend

KINDS = ("new_buyer", "new_message", "overdue")


def make_sounds() -> ModuleType:
    path = resources_dir() / "sounds" / "make_sounds.py"
    spec = importlib.util.spec_from_file_location("make_sounds", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind", KINDS)
def test_each_sound_is_a_short_quiet_edged_wav_as_the_generator_makes_it(kind: str) -> None:
    path = resources_dir() / "sounds" / f"{kind}.wav"
    data = path.read_bytes()
    assert len(data) < 25_000
    assert data == make_sounds().render(kind), "run resources/sounds/make_sounds.py and commit the WAVs"
    with wave.open(str(path)) as sound:
        assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (1, 2, 22_050)
        frames = sound.readframes(sound.getnframes())
    samples = memoryview(frames).cast("h")
    assert 0.2 <= len(samples) / 22_050 <= 0.6
    assert abs(samples[0]) < 200 and abs(samples[-1]) < 200  # faded in and out: no click
    assert 10_000 < max(abs(s) for s in samples) < 32_767  # audible, never clipped


def test_the_sounds_differ() -> None:
    assert len({(resources_dir() / "sounds" / f"{k}.wav").read_bytes() for k in KINDS}) == 3


def test_the_platform_player_is_chosen() -> None:
    def on_path(*names: str):
        return lambda name: f"/usr/bin/{name}" if name in names else None

    linux = detect_backend("linux", on_path("pw-play", "aplay"))
    assert isinstance(linux, CommandBackend) and linux.argv == ["/usr/bin/pw-play"]
    assert detect_backend("linux", on_path("paplay", "pw-play")).argv == ["/usr/bin/paplay"]  # type: ignore[attr-defined]
    assert detect_backend("linux", on_path("aplay")).argv == ["/usr/bin/aplay", "-q"]  # type: ignore[attr-defined]
    assert detect_backend("darwin", on_path("afplay")).argv == ["/usr/bin/afplay"]  # type: ignore[attr-defined]
    assert isinstance(detect_backend("win32", on_path()), WinSoundBackend)
    assert isinstance(detect_backend("linux", on_path()), BeepBackend)


class FakePlaying:
    def __init__(self) -> None:
        self.finished = False

    def done(self) -> bool:
        return self.finished


class FakeBackend:
    name = "fake"

    def __init__(self) -> None:
        self.started: list[Path] = []
        self.current: list[FakePlaying] = []

    def start(self, path: Path) -> FakePlaying:
        self.started.append(path)
        self.current.append(FakePlaying())
        return self.current[-1]


def test_one_sound_per_kind_at_a_time(qtbot) -> None:
    backend = FakeBackend()
    player = SoundPlayer(backend)
    with qtbot.waitSignal(player.played) as played:
        assert player.play("new_message")
    assert played.args == ["new_message"]
    assert backend.started == [resources_dir() / "sounds" / "new_message.wav"]
    assert not player.play("new_message")  # still playing: a burst plays once
    assert player.play("new_buyer")  # another kind may overlap
    backend.current[0].finished = True
    assert player.play("new_message")
    assert [p.name for p in backend.started] == ["new_message.wav", "new_buyer.wav", "new_message.wav"]
    player.enabled = False
    backend.current[-1].finished = True
    assert not player.play("new_message")
    with pytest.raises(ValueError):
        player.play("fanfare")


def test_a_missing_file_beeps_instead(qtbot, tmp_path: Path, monkeypatch) -> None:
    beeps: list[int] = []
    monkeypatch.setattr("desktop.ui.sounds.QApplication.beep", lambda: beeps.append(1))
    backend = FakeBackend()
    player = SoundPlayer(backend, directory=tmp_path)
    assert player.play("overdue")
    assert beeps == [1] and backend.started == []


def test_a_player_command_runs_detached_without_output_and_is_reaped(monkeypatch, tmp_path: Path) -> None:
    seen: dict[str, object] = {}
    real_popen = subprocess.Popen

    def spy(args, **kwargs):
        seen.update(kwargs, args=args)
        return real_popen(args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", spy)
    mark = tmp_path / "played"
    script = "import pathlib, sys; pathlib.Path(sys.argv[2]).write_text(sys.argv[1])"
    backend = CommandBackend([sys.executable, "-c", script, "sound.wav"])
    started = time.monotonic()
    playing = backend.start(mark)
    assert playing is not None
    assert time.monotonic() - started < 1.0  # does not wait for the player
    assert seen["stdin"] == seen["stdout"] == seen["stderr"] == subprocess.DEVNULL
    assert seen["start_new_session"] is (sys.platform != "win32")
    deadline = time.monotonic() + 20
    while not playing.done():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert mark.read_text() == "sound.wav"


def test_a_player_that_cannot_start_plays_nothing(qtbot, tmp_path: Path) -> None:
    player = SoundPlayer(CommandBackend([str(tmp_path / "no-such-player")]))
    assert not player.play("new_buyer")
