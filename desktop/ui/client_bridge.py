"""Qt signals over the Qt-free AgentClient's callbacks, so widgets connect the usual Qt way.

The client calls its callbacks on the event loop's thread (qasync runs asyncio inside Qt's loop), so the
signals are emitted there too: no queued cross-thread delivery is involved.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from desktop.client.connection import AgentClient, OutboxChange
from desktop.client.status import LinkStatus
from desktop.protocol.payloads import SnapshotOk
from desktop.store import AppliedBatch


class ClientBridge(QObject):
    status_changed = Signal(object)  # LinkStatus
    batch_applied = Signal(object)  # AppliedBatch: what a committed batch of events changed
    outbox_changed = Signal(object)  # OutboxChange: pending / sent / failed
    snapshot_loaded = Signal(object)  # SnapshotOk: local state was replaced

    def __init__(self, client: AgentClient, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        client.on_status.append(self._status)
        client.on_batch.append(self._batch)
        client.on_outbox.append(self._outbox)
        client.on_snapshot.append(self._snapshot)

    def detach(self) -> None:
        """Stop forwarding (before the bridge or its widgets go away)."""
        for listeners, fn in (
            (self.client.on_status, self._status),
            (self.client.on_batch, self._batch),
            (self.client.on_outbox, self._outbox),
            (self.client.on_snapshot, self._snapshot),
        ):
            if fn in listeners:
                listeners.remove(fn)  # type: ignore[arg-type]

    def _status(self, status: LinkStatus) -> None:
        self.status_changed.emit(status)

    def _batch(self, batch: AppliedBatch) -> None:
        self.batch_applied.emit(batch)

    def _outbox(self, change: OutboxChange) -> None:
        self.outbox_changed.emit(change)

    def _snapshot(self, snapshot: SnapshotOk) -> None:
        self.snapshot_loaded.emit(snapshot)
