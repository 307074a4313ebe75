"""The durable per-recipient event log: ``seq`` strictly +1 per recipient, across restarts, with retention."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

import msgspec

from desktop.protocol import codec
from desktop.protocol.frames import Event


@dataclass(frozen=True, slots=True)
class Stored:
    """An event appended to a recipient's log, ready to push once its transaction commits."""

    recipient: str
    seq: int
    frame: bytes


def agent_key(agent_id: str) -> str:
    return f"a:{agent_id}"


def customer_key(customer_id: str) -> str:
    return f"c:{customer_id}"


class EventLog:
    """Appends run in the caller's transaction: an event commits together with the change it reports."""

    def __init__(self, conn: sqlite3.Connection, *, keep_events: int = 10_000, keep_ms: int = 7 * 86_400_000):
        self.conn = conn
        self.keep_events = keep_events
        self.keep_ms = keep_ms

    def append(self, recipient: str, event: Event, now_ms: int) -> Stored:
        seq: int = self.conn.execute(
            "INSERT INTO event_seqs (recipient, seq) VALUES (?, 1)"
            " ON CONFLICT (recipient) DO UPDATE SET seq = seq + 1 RETURNING seq",
            (recipient,),
        ).fetchone()[0]
        frame = codec.encode(msgspec.structs.replace(event, seq=seq, ts=now_ms))
        self.conn.execute(
            "INSERT INTO events (recipient, seq, ts, frame) VALUES (?, ?, ?, ?)",
            (recipient, seq, now_ms, frame),
        )
        return Stored(recipient, seq, frame)

    def current(self, recipient: str) -> int:
        row = self.conn.execute("SELECT seq FROM event_seqs WHERE recipient = ?", (recipient,)).fetchone()
        return int(row["seq"]) if row is not None else 0

    def can_resume(self, recipient: str, since: int) -> bool:
        """Whether every event after ``since`` is still kept (else the client must resync)."""
        row = self.conn.execute(
            "SELECT seq, floor FROM event_seqs WHERE recipient = ?", (recipient,)
        ).fetchone()
        seq, floor = (row["seq"], row["floor"]) if row is not None else (0, 0)
        return floor <= since <= seq

    def since(self, recipient: str, since: int, upto: int | None = None) -> list[tuple[int, bytes]]:
        """Stored events with ``since < seq <= upto``, in order."""
        rows = self.conn.execute(
            "SELECT seq, frame FROM events WHERE recipient = ? AND seq > ? AND seq <= ? ORDER BY seq",
            (recipient, since, upto if upto is not None else 2**62),
        ).fetchall()
        return [(int(r["seq"]), bytes(r["frame"])) for r in rows]

    def all_seqs(self) -> dict[str, int]:
        return {
            r["recipient"]: int(r["seq"]) for r in self.conn.execute("SELECT recipient, seq FROM event_seqs")
        }

    def prune(self, now_ms: int) -> int:
        """Drop events past the retention (by age and by count per recipient); returns how many."""
        cur = self.conn.execute("DELETE FROM events WHERE ts < ?", (now_ms - self.keep_ms,))
        removed = cur.rowcount
        cur = self.conn.execute(
            "DELETE FROM events WHERE (recipient, seq) IN (SELECT e.recipient, e.seq FROM events e"
            " JOIN event_seqs s ON e.recipient = s.recipient WHERE e.seq <= s.seq - ?)",
            (self.keep_events,),
        )
        removed += cur.rowcount
        if removed:
            self.conn.execute(
                "UPDATE event_seqs SET floor = COALESCE("
                "(SELECT MIN(e.seq) - 1 FROM events e WHERE e.recipient = event_seqs.recipient), seq)"
            )
        return removed
