"""Encoding a pasted picture for sending on a worker thread, so a big screenshot never freezes the UI.

:class:`ImageEncoder` runs :func:`desktop.ui.image_scaling.encode_for_sending` on Qt's global thread pool and
reports back on the UI thread. Only the latest job counts: starting a new one (or :meth:`cancel`) makes the
result of the previous one be dropped when it arrives.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, QThreadPool, Signal
from PySide6.QtGui import QImage

from desktop.ui.image_scaling import encode_for_sending


class _Relay(QObject):
    """Lives on the UI thread; its signals, emitted from the worker, are queued to the UI thread."""

    done = Signal(int, object)  # job, EncodedImage
    failed = Signal(int, str)  # job, reason


class ImageEncoder(QObject):
    encoded = Signal(bytes, str, int, int)  # data, mime, width, height
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        self._job = 0
        self._busy = False

    def start(self, image: QImage) -> None:
        """Encode ``image`` (a copy is taken); a result of an earlier job is dropped."""
        self._job += 1
        self._busy = True
        job, copy, relay = self._job, image.copy(), self._relay

        def work() -> None:
            try:
                result = encode_for_sending(copy)
            except Exception as exc:  # a worker thread has nobody else to tell
                outcome: tuple[str, object] = ("failed", str(exc))
            else:
                outcome = ("done", result)
            # RuntimeError: the encoder (and its relay) went away meanwhile; nobody wants the result.
            with contextlib.suppress(RuntimeError):
                getattr(relay, outcome[0]).emit(job, outcome[1])

        QThreadPool.globalInstance().start(work)

    def cancel(self) -> None:
        self._job += 1
        self._busy = False

    def busy(self) -> bool:
        return self._busy

    def _on_done(self, job: int, result: tuple[bytes, str, int, int]) -> None:
        if job == self._job:
            self._busy = False
            self.encoded.emit(*result)

    def _on_failed(self, job: int, reason: str) -> None:
        if job == self._job:
            self._busy = False
            self.failed.emit(reason)
