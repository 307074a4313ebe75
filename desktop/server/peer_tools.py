"""What the buyer simulator and the auto agents share on top of :class:`desktop.server.peer.Peer`.

Waiting for the next event *or* the end of the connection, closing without raising, the exceptions that mean
"the network went away", a unique-per-seed UUID, and Ctrl+C / SIGTERM setting an ``asyncio.Event``.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import signal
import uuid
from collections.abc import Iterator
from typing import Final

from websockets.exceptions import WebSocketException

from desktop.protocol import frames as f
from desktop.server.peer import Peer


class ConnectionLost(Exception):
    """The peer's connection is closed (and no queued event is left to read)."""


#: What a dropped, refused or stuck connection raises: OSError covers ConnectionError and TimeoutError.
NETWORK_ERRORS: Final = (OSError, WebSocketException, ConnectionLost)


async def next_event(peer: Peer, timeout: float) -> f.AnyEvent | None:
    """The peer's next queued event; None when ``timeout`` passes first; ConnectionLost when it closed.

    Events that arrived before the connection closed are still returned, in order, before ConnectionLost.
    """
    if not peer.events.empty():
        return peer.events.get_nowait()
    if peer.closed.is_set():
        raise ConnectionLost("connection closed")
    if timeout <= 0:
        return None
    getter = asyncio.ensure_future(peer.events.get())
    closer = asyncio.ensure_future(peer.closed.wait())
    try:
        await asyncio.wait({getter, closer}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        closer.cancel()
        if not getter.done():
            getter.cancel()
    if getter.done() and not getter.cancelled():
        return getter.result()
    if peer.closed.is_set():
        if not peer.events.empty():
            return peer.events.get_nowait()
        raise ConnectionLost("connection closed")
    return None


async def close_quietly(peer: Peer | None) -> None:
    """Close the peer's websocket (a clean close when the other side is still there); never raises."""
    if peer is None:
        return
    with contextlib.suppress(Exception):
        await peer.close()


def seeded_uuid(rng: random.Random) -> str:
    """A version-4 UUID drawn from ``rng`` (the same seed gives the same ids)."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@contextlib.contextmanager
def stop_on_signals(stop: asyncio.Event) -> Iterator[None]:
    """While inside, SIGINT (Ctrl+C) and SIGTERM set ``stop`` instead of interrupting the program.

    Call from a coroutine running on the loop. Where the loop cannot watch signals (Windows), a plain
    signal handler hands the request to the loop instead.
    """
    loop = asyncio.get_running_loop()
    signals = [signal.SIGINT, signal.SIGTERM]
    via_loop: list[signal.Signals] = []
    previous: dict[signal.Signals, object] = {}
    for sig in signals:
        try:
            loop.add_signal_handler(sig, stop.set)
            via_loop.append(sig)
        except (NotImplementedError, RuntimeError, ValueError):
            with contextlib.suppress(ValueError, OSError):
                previous[sig] = signal.signal(sig, lambda *_: loop.call_soon_threadsafe(stop.set))
    try:
        yield
    finally:
        for sig in via_loop:
            loop.remove_signal_handler(sig)
        for sig, handler in previous.items():
            with contextlib.suppress(ValueError, OSError, TypeError):
                signal.signal(sig, handler)  # type: ignore[arg-type]
