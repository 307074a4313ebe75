"""A small shopdesk.v1 peer over websockets, for the buyer simulator, the tests and the benchmarks.

Not the agent client (that is ``desktop.client``, with its session machine, outbox and cache): this one
just sends requests, matches replies and queues events.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import ssl
from typing import Any, Literal, TypeVar

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol

from desktop import __version__
from desktop.protocol import SUBPROTOCOL, codec, limits
from desktop.protocol import frames as f
from desktop.protocol import payloads as p

R = TypeVar("R", bound=msgspec.Struct)


class RequestError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class Peer:
    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.events: asyncio.Queue[f.AnyEvent] = asyncio.Queue()
        self.last_seq = 0
        self._ids = itertools.count(1)
        self._waiting: dict[str, asyncio.Future[f.Ok | f.Error]] = {}
        self._reader = asyncio.create_task(self._read())
        self.closed = asyncio.Event()

    @classmethod
    async def open(cls, url: str, *, ssl_context: ssl.SSLContext | None = None) -> Peer:
        ws = await connect(
            url,
            subprotocols=[Subprotocol(SUBPROTOCOL)],
            max_size=limits.MAX_FRAME_BYTES,
            ssl=ssl_context,
            open_timeout=10,
        )
        return cls(ws)

    async def _read(self) -> None:
        try:
            async for raw in self.ws:
                frame = codec.decode_server_frame(raw)
                if isinstance(frame, f.Ok | f.Error):
                    future = self._waiting.pop(frame.re or "", None)
                    if future is not None and not future.done():
                        future.set_result(frame)
                else:
                    if frame.seq is not None:
                        self.last_seq = max(self.last_seq, frame.seq)
                    self.events.put_nowait(frame)
        except ConnectionClosed:
            pass
        finally:
            self.closed.set()
            for future in self._waiting.values():
                if not future.done():
                    future.set_exception(ConnectionError("connection closed"))

    async def request(self, frame: f.Request, reply_type: type[R], *, timeout: float = 10.0) -> R:
        rid = f"r{next(self._ids)}"
        frame = msgspec.structs.replace(frame, id=rid)
        future: asyncio.Future[f.Ok | f.Error] = asyncio.get_running_loop().create_future()
        self._waiting[rid] = future
        try:
            await self.ws.send(codec.encode(frame), text=True)
            reply = await asyncio.wait_for(future, timeout)
        finally:
            # a send that failed (the link just closed) leaves nobody awaiting the future: without this the
            # reader would later fail it and asyncio log "Future exception was never retrieved"
            self._waiting.pop(rid, None)
        if isinstance(reply, f.Error):
            raise RequestError(reply.data.code, reply.data.message)
        return codec.decode_reply(reply, reply_type)

    async def send_frame(self, frame: f.Frame) -> None:
        await self.ws.send(codec.encode(frame), text=True)

    async def next_event(self, *types: type[f.Event], timeout: float = 10.0) -> Any:
        """The next queued event of one of ``types`` (others before it are dropped)."""
        async with asyncio.timeout(timeout):
            while True:
                event = await self.events.get()
                if not types or isinstance(event, types):
                    return event

    async def close(self) -> None:
        await self.ws.close()
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader

    # --- session start --------------------------------------------------------------------------------

    async def login(self, shop: str, username: str, password: str) -> str:
        data = p.LoginData(shop=shop, username=username, password=password)
        return (await self.request(f.Login(id="", data=data), p.LoginOk)).token

    async def register(
        self,
        shop: str,
        nickname: str | None = None,
        external_id: str | None = None,
        signature: str | None = None,
    ) -> p.RegisterOk:
        data = p.RegisterData(shop=shop, nickname=nickname, external_id=external_id, signature=signature)
        return await self.request(f.CustomerRegister(id="", data=data), p.RegisterOk)

    async def hello(
        self, role: Literal["agent", "customer"], token: str, since: int | None = None
    ) -> p.HelloOk:
        resume = p.Resume(since=since) if since is not None else None
        data = p.HelloData(
            role=role,
            token=token,
            client=p.ClientInfo(name="shopdesk-peer", version=__version__),
            resume=resume,
        )
        hello = await self.request(f.Hello(id="", data=data), p.HelloOk)
        self.last_seq = since if since is not None and not hello.resync else hello.seq
        return hello


async def agent_peer(url: str, shop: str, username: str, password: str, **kw: Any) -> tuple[Peer, p.HelloOk]:
    peer = await Peer.open(url, **kw)
    token = await peer.login(shop, username, password)
    return peer, await peer.hello("agent", token)
