"""A TCP proxy between a client and the real backend that can cut connections mid-frame and delay replies."""

from __future__ import annotations

import asyncio
import contextlib
import random
from dataclasses import dataclass, field


@dataclass
class Faults:
    """What the proxy does to the next bytes (change it at any time; it applies to live connections)."""

    delay_down_s: float = 0.0  # hold server→client bytes this long
    delay_up_s: float = 0.0  # hold client→server bytes this long
    cut_down_after: int | None = None  # close both sides after this many more server→client bytes
    cut_up_after: int | None = None  # … or client→server bytes
    refuse: bool = False  # accept and immediately close new connections


@dataclass
class FaultyProxy:
    upstream_port: int
    faults: Faults = field(default_factory=Faults)
    port: int = 0
    cuts: int = 0
    _server: asyncio.Server | None = None
    _links: set[asyncio.Task[None]] = field(default_factory=set)
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        self.drop_all()
        for task in list(self._links):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError):
                await task

    def drop_all(self) -> None:
        """Abort every open connection (both directions), like a network failure."""
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    def cut_soon(self, rng: random.Random, *, down: bool = True) -> None:
        """Cut the next connection activity somewhere inside the next frames (mid-frame, most likely)."""
        if down:
            self.faults.cut_down_after = rng.randint(1, 300)
        else:
            self.faults.cut_up_after = rng.randint(1, 300)

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if self.faults.refuse:
            client_writer.transport.abort()
            return
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        except OSError:
            client_writer.transport.abort()
            return
        self._writers.update((client_writer, server_writer))
        up = asyncio.create_task(self._pipe(client_reader, server_writer, client_writer, down=False))
        down = asyncio.create_task(self._pipe(server_reader, client_writer, server_writer, down=True))
        self._links.update((up, down))
        for task in (up, down):
            task.add_done_callback(self._links.discard)

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        other: asyncio.StreamWriter,
        *,
        down: bool,
    ) -> None:
        try:
            while data := await reader.read(4096):
                budget = self.faults.cut_down_after if down else self.faults.cut_up_after
                if budget is not None and len(data) >= budget:
                    writer.write(data[:budget])  # part of a frame gets through, then the link dies
                    with contextlib.suppress(ConnectionError):
                        await writer.drain()
                    if down:
                        self.faults.cut_down_after = None
                    else:
                        self.faults.cut_up_after = None
                    self.cuts += 1
                    break
                if budget is not None:
                    if down:
                        self.faults.cut_down_after = budget - len(data)
                    else:
                        self.faults.cut_up_after = budget - len(data)
                delay = self.faults.delay_down_s if down else self.faults.delay_up_s
                if delay:
                    await asyncio.sleep(delay)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            for w in (writer, other):
                w.transport.abort()
                self._writers.discard(w)
