"""Notification sounds without QtMultimedia (an extra ~110 MB): the platform's own little player.

One short WAV per alert kind in ``resources/sounds`` (made by ``resources/sounds/make_sounds.py``):

- Windows: ``winsound.PlaySound(path, SND_FILENAME | SND_ASYNC)`` (returns at once);
- macOS: ``afplay path``;
- Linux and the rest: the first of ``paplay``, ``pw-play``, ``aplay`` found on PATH;
- nothing of that: ``QApplication.beep()``.

A command runs as a detached child process with no input and its output thrown away, so playing never
blocks the UI; a kind whose sound is still playing is not started again (a burst plays once). Tests hand
:class:`SoundPlayer` a backend of their own and watch :attr:`SoundPlayer.played`.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from desktop.core.alerts import ALERT_KINDS
from desktop.paths import resources_dir

log = logging.getLogger(__name__)

LINUX_PLAYERS = ("paplay", "pw-play", "aplay")


def sounds_dir() -> Path:
    return resources_dir() / "sounds"


class Playing(Protocol):
    def done(self) -> bool:
        """Whether the sound has finished (and its process, if any, was reaped)."""
        ...


class SoundBackend(Protocol):
    name: str

    def start(self, path: Path) -> Playing | None:
        """Start playing ``path`` without waiting; None when nothing was started."""
        ...


class _Finished:
    def done(self) -> bool:
        return True


class _Process:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process

    def done(self) -> bool:
        return self._process.poll() is not None  # poll() also reaps it: no zombie left behind


class CommandBackend:
    """Runs ``argv + [path]`` detached: its own session, no stdin, stdout and stderr discarded."""

    def __init__(self, argv: Sequence[str]) -> None:
        self.argv = list(argv)
        self.name = Path(self.argv[0]).name

    def start(self, path: Path) -> Playing | None:
        try:
            process = subprocess.Popen(
                [*self.argv, str(path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                close_fds=True,
                start_new_session=sys.platform != "win32",
            )
        except OSError as exc:
            log.info("could not run %s: %s", self.name, exc)
            return None
        return _Process(process)


class WinSoundBackend:
    name = "winsound"

    def start(self, path: Path) -> Playing | None:  # pragma: no cover - Windows only
        import winsound  # type: ignore[import-not-found,unused-ignore]

        try:
            winsound.PlaySound(str(path), winsound.SND_FILENAME | winsound.SND_ASYNC | winsound.SND_NODEFAULT)
        except RuntimeError as exc:
            log.info("winsound could not play %s: %s", path.name, exc)
            return None
        return _Finished()  # Windows plays one sound at a time and replaces it itself


class BeepBackend:
    name = "beep"

    def start(self, path: Path) -> Playing | None:
        QApplication.beep()
        return _Finished()


def detect_backend(
    platform: str = sys.platform, which: Callable[[str], str | None] = shutil.which
) -> SoundBackend:
    """The best way to play a WAV on this machine (see the module doc)."""
    find = which
    if platform == "win32":
        return WinSoundBackend()
    if platform == "darwin":
        found = find("afplay")
        if found:
            return CommandBackend([found])
    else:
        for name in LINUX_PLAYERS:
            found = find(name)
            if found:
                return CommandBackend([found, "-q"] if name == "aplay" else [found])
    return BeepBackend()


class SoundPlayer(QObject):
    """Plays the sound of an alert kind ("new_buyer", "new_message", "overdue"), at most one per kind."""

    played = Signal(str)  # the kind, when a sound was started

    def __init__(
        self,
        backend: SoundBackend | None = None,
        directory: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.backend = backend if backend is not None else detect_backend()
        self.directory = directory if directory is not None else sounds_dir()
        self.enabled = True
        self._playing: dict[str, Playing] = {}

    def path(self, kind: str) -> Path:
        return self.directory / f"{kind}.wav"

    def is_playing(self, kind: str) -> bool:
        current = self._playing.get(kind)
        if current is not None and current.done():
            del self._playing[kind]
            return False
        return current is not None

    def play(self, kind: str) -> bool:
        """Start ``kind``'s sound unless sounds are off or it is still playing; True when started."""
        if kind not in ALERT_KINDS:
            raise ValueError(f"no sound for {kind!r}")
        if not self.enabled or self.is_playing(kind):
            return False
        path = self.path(kind)
        if not path.is_file():
            log.warning("sound file %s is missing: beeping instead", path)
            playing: Playing | None = BeepBackend().start(path)
        else:
            playing = self.backend.start(path)
        if playing is None:
            return False
        self._playing[kind] = playing
        self.played.emit(kind)
        return True

    def reap(self) -> None:
        """Forget the sounds that have finished (reaps their processes)."""
        for kind in list(self._playing):
            self.is_playing(kind)
