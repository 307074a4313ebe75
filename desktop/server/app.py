"""The reference backend's websocket server: connections, hello/resume, dispatch, fan-out, limits."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hmac
import logging
import sqlite3
import ssl
import time
from collections import defaultdict
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from desktop import __version__
from desktop.protocol import SUBPROTOCOL, CloseCode, ProtocolError, codec, limits
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.objects import AgentStatus, Party
from desktop.server import accounts, db
from desktop.server.accounts import Principal
from desktop.server.db import transaction
from desktop.server.ratelimit import ErrorBudget, TokenBucket
from desktop.server.service import Backend, Outcome, ServiceError, new_id

log = logging.getLogger(__name__)
MAX_QUEUED_FRAMES = 20_000  # a client this far behind is cut off; it resumes from its last seq
LOGIN_FAILURES = 5  # failed logins for one user name …
LOGIN_WINDOW_S = 300.0  # … within this window make further attempts wait (whatever the connection)


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@dataclass(frozen=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8765
    ssl_context: ssl.SSLContext | None = None
    hello_timeout_s: float = limits.HELLO_TIMEOUT_S
    rate_per_s: float = 30.0
    rate_burst: float = 120.0
    error_budget: int = limits.ERROR_BUDGET
    error_window_ms: int = limits.ERROR_WINDOW_MS
    external_poll_s: float = 1.0
    single_session: bool = False  # a new agent login closes the agent's older connections (4004)
    prune_every_s: float = 600.0
    checkpoint_every_s: float = 1.0


@dataclass(eq=False)
class Peer:
    """One websocket connection and where its event stream stands."""

    ws: ServerConnection
    bucket: TokenBucket
    errors: ErrorBudget
    principal: Principal | None = None
    token: str = ""
    recipient: str = ""
    last_sent: int = 0
    queue: asyncio.Queue[bytes | None] = field(default_factory=asyncio.Queue)

    def enqueue(self, frame: bytes) -> None:
        if self.queue.qsize() >= MAX_QUEUED_FRAMES:
            log.warning("connection %s is too far behind; closing it", self.ws.id)
            self.queue.put_nowait(None)
            return
        self.queue.put_nowait(frame)


class ShopServer:
    def __init__(self, backend: Backend, config: ServerConfig) -> None:
        self.backend = backend
        self.config = config
        self.peers: dict[str, set[Peer]] = defaultdict(set)
        self._data_version = self._read_data_version()
        self._server: Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._login_failures: dict[tuple[str, str], list[float]] = defaultdict(list)
        self._requests: list[tuple[Peer, Principal, f.Request]] = []

    # --- lifecycle ------------------------------------------------------------------------------------

    async def start(self) -> Server:
        self._server = await serve(
            self._handle,
            self.config.host,
            self.config.port,
            subprotocols=[Subprotocol(SUBPROTOCOL)],
            process_request=self._require_subprotocol,
            max_size=limits.MAX_FRAME_BYTES,
            ssl=self.config.ssl_context,
            ping_interval=limits.HEARTBEAT_S,
            ping_timeout=limits.HEARTBEAT_S,
            compression=None,  # frames are small JSON: deflate cost ~7% CPU and ~44 KiB per connection
        )
        for coro in (
            self._watch_external_changes(),
            self._prune_periodically(),
            self._checkpoint_periodically(),
        ):
            self._spawn(coro)
        return self._server

    @property
    def port(self) -> int:
        assert self._server is not None
        sockets = list(self._server.sockets)
        port: int = sockets[0].getsockname()[1]
        return port

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    @staticmethod
    def _require_subprotocol(connection: ServerConnection, request: Request) -> Response | None:
        offered = request.headers.get("Sec-WebSocket-Protocol", "")
        if SUBPROTOCOL not in [s.strip() for s in offered.split(",")]:
            return connection.respond(400, f"this server speaks the {SUBPROTOCOL} subprotocol only\n")
        return None

    # --- one connection -------------------------------------------------------------------------------

    async def _handle(self, ws: ServerConnection) -> None:
        cfg = self.config
        peer = Peer(
            ws,
            TokenBucket(cfg.rate_per_s, cfg.rate_burst),
            ErrorBudget(cfg.error_budget, cfg.error_window_ms),
        )
        writer = asyncio.create_task(self._write(peer))
        try:
            if await self._before_hello(peer):
                await self._serve(peer)
        except ConnectionClosed:
            pass
        finally:
            self._forget(peer)
            peer.queue.put_nowait(None)
            with contextlib.suppress(Exception):
                await writer

    async def _write(self, peer: Peer) -> None:
        while (frame := await peer.queue.get()) is not None:
            try:
                await peer.ws.send(frame, text=True)
            except ConnectionClosed:
                return
        await peer.ws.close(CloseCode.GOING_AWAY, "closing")

    def _reply(self, peer: Peer, frame: f.Frame) -> None:
        peer.enqueue(codec.encode(frame))

    async def _close(self, peer: Peer, code: CloseCode, reason: str) -> None:
        await peer.ws.close(code, reason)

    def _decode(self, peer: Peer, raw: str | bytes) -> f.ClientFrame | None:
        try:
            return codec.decode_client_frame(raw)
        except ProtocolError as exc:
            self._protocol_error(peer, exc)
            return None

    def _protocol_error(self, peer: Peer, exc: ProtocolError) -> None:
        self._reply(peer, codec.error_from(exc))
        if peer.errors.record(now_ms()):
            log.info("closing %s after %d protocol errors", peer.ws.id, self.config.error_budget)
            self._spawn(self._close(peer, CloseCode.TOO_MANY_ERRORS, "too many protocol errors"))

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _limited(self, peer: Peer, frame: f.ClientFrame) -> bool:
        wait = peer.bucket.take(time.monotonic())
        if wait <= 0:
            return False
        if isinstance(frame, f.Request):
            retry = int(wait * 1000) + 1
            error = f.Error(
                re=frame.id, data=p.ErrorData(code="rate_limited", message="slow down", retry_after_ms=retry)
            )
            self._reply(peer, error)
        return True

    async def _before_hello(self, peer: Peer) -> bool:
        """Serve login / customer.register until a valid hello; False when the connection must end."""
        deadline = asyncio.get_running_loop().time() + self.config.hello_timeout_s
        while True:
            try:
                async with asyncio.timeout_at(deadline):
                    raw = await peer.ws.recv()
            except TimeoutError:
                await self._close(peer, CloseCode.HELLO_TIMEOUT, "no hello in time")
                return False
            frame = self._decode(peer, raw)
            if frame is None or self._limited(peer, frame):
                continue
            if isinstance(frame, f.Login):
                await self._login(peer, frame)
            elif isinstance(frame, f.CustomerRegister):
                self._register(peer, frame)
            elif isinstance(frame, f.Hello):
                return await self._hello(peer, frame)
            elif isinstance(frame, f.Request):
                self._protocol_error(peer, ProtocolError("unauthorized", "send hello first", re=frame.id))

    async def _login(self, peer: Peer, frame: f.Login) -> None:
        d = frame.data
        key, clock = (d.shop, d.username), time.monotonic()
        failures = [t for t in self._login_failures[key] if t > clock - LOGIN_WINDOW_S]
        self._login_failures[key] = failures
        if len(failures) >= LOGIN_FAILURES:
            retry = int((failures[0] + LOGIN_WINDOW_S - clock) * 1000) + 1
            data = p.ErrorData(
                code="rate_limited", message="too many failed logins; wait", retry_after_ms=retry
            )
            self._reply(peer, f.Error(re=frame.id, data=data))
            return
        candidate = accounts.login_candidate(self.backend.conn, d.shop, d.username)
        principal = await asyncio.to_thread(candidate.verify, d.password)
        if principal is None:
            self._login_failures[key].append(clock)
            self._reply(peer, codec.error("unauthorized", "wrong shop, user name or password", re=frame.id))
            return
        self._login_failures.pop(key, None)
        with transaction(self.backend.conn):
            token, expires = accounts.issue_token(
                self.backend.conn, principal, now_ms(), accounts.AGENT_TOKEN_TTL_MS
            )
        self._reply(peer, codec.ok(frame.id, p.LoginOk(token=token, expires_at=expires)))

    def _register(self, peer: Peer, frame: f.CustomerRegister) -> None:
        d, conn, now = frame.data, self.backend.conn, now_ms()
        shop = conn.execute("SELECT widget_secret FROM shops WHERE id = ?", (d.shop,)).fetchone()
        if shop is None:
            self._reply(peer, codec.error("not_found", f"no shop {d.shop}", re=frame.id))
            return
        if d.external_id is not None:
            expected = accounts.widget_signature(shop["widget_secret"], d.shop, d.external_id)
            if d.signature is None or not hmac.compare_digest(expected, d.signature):
                self._reply(
                    peer, codec.error("unauthorized", "external_id needs the shop's signature", re=frame.id)
                )
                return
        with transaction(conn):
            row = None
            if d.external_id is not None:
                row = conn.execute(
                    "SELECT id FROM customers WHERE shop_id = ? AND external_id = ?", (d.shop, d.external_id)
                ).fetchone()
            customer_id = row["id"] if row is not None else new_id("u")
            if row is None:
                nickname = (d.nickname or "").strip() or f"访客{customer_id[-4:]}"
                conn.execute(
                    "INSERT INTO customers (id, shop_id, external_id, nickname, first_seen, last_seen)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (customer_id, d.shop, d.external_id, nickname, now, now),
                )
            principal = Principal(role="customer", id=customer_id, shop_id=d.shop)
            token, _ = accounts.issue_token(conn, principal, now, accounts.CUSTOMER_TOKEN_TTL_MS)
        self._reply(peer, codec.ok(frame.id, p.RegisterOk(token=token, customer_id=customer_id)))

    async def _hello(self, peer: Peer, frame: f.Hello) -> bool:
        d, b, now = frame.data, self.backend, now_ms()
        principal = accounts.check_token(b.conn, d.token, d.role, now)
        if principal is None:
            self._reply(peer, codec.error("unauthorized", "token refused: log in again", re=frame.id))
            await asyncio.sleep(0)  # let the writer send the error before the close
            await self._close(peer, CloseCode.UNAUTHORIZED, "unauthorized")
            return False
        peer.principal, peer.recipient, peer.token = principal, b.recipient(principal), d.token
        current = b.log.current(peer.recipient)
        since = d.resume.since if d.resume is not None else None
        resync = since is not None and not b.log.can_resume(peer.recipient, since)
        replay = b.log.since(peer.recipient, since) if since is not None and not resync else []
        peer.last_sent = current
        if self.config.single_session and principal.role == "agent":
            for older in list(self.peers.get(peer.recipient, ())):
                self._spawn(self._close(older, CloseCode.SESSION_REPLACED, "signed in elsewhere"))
        self.peers[peer.recipient].add(peer)
        hello = p.HelloOk(session=str(peer.ws.id), me=b.me(principal), seq=current, resync=resync)
        self._reply(peer, codec.ok(frame.id, hello))
        for _, raw in replay:
            peer.enqueue(raw)
        if principal.role == "agent":
            self._agent_connected(principal)
        else:
            with transaction(b.conn):
                b.conn.execute("UPDATE customers SET last_seen = ? WHERE id = ?", (now, principal.id))
        log.info(
            "%s %s connected (since=%s, replay=%d, resync=%s)",
            principal.role,
            principal.id,
            since,
            len(replay),
            resync,
        )
        return True

    async def _serve(self, peer: Peer) -> None:
        assert peer.principal is not None
        async for raw in peer.ws:
            frame = self._decode(peer, raw)
            if frame is None or self._limited(peer, frame):
                continue
            if isinstance(frame, f.TypingSend):
                self._typing(peer.principal, frame)
            elif isinstance(frame, f.Hello | f.Login | f.CustomerRegister):
                self._protocol_error(
                    peer, ProtocolError("bad_request", "session started already", re=frame.id)
                )
            elif isinstance(frame, f.Request):
                self._request(peer, peer.principal, frame)
            # ok/error frames from clients answer nothing this server asked: ignored

    def _request(self, peer: Peer, who: Principal, frame: f.Request) -> None:
        """Queue a request for the next group commit (everything that arrives in this loop turn)."""
        self._requests.append((peer, who, frame))
        if len(self._requests) == 1:
            asyncio.get_running_loop().call_soon(self._commit_requests)

    def _commit_requests(self) -> None:
        batch, self._requests = self._requests, []
        now = now_ms()
        try:
            results = self.backend.execute_many([(who, frame, now) for _, who, frame in batch])
        except Exception:  # the commit itself failed: nothing of the batch happened
            log.exception("committing %d requests failed", len(batch))
            results = [RuntimeError("commit failed")] * len(batch)
        for (peer, _, frame), result in zip(batch, results, strict=True):
            if isinstance(result, ServiceError):
                self._reply(peer, codec.error(result.code, result.message, re=frame.id))
            elif isinstance(result, Exception):
                log.error("%s failed", f.type_name(type(frame)), exc_info=result)
                self._reply(peer, codec.error("internal", "the server failed; try again", re=frame.id))
            else:
                self._reply(peer, codec.ok(frame.id, result.reply))
                self.push(result)

    def _typing(self, who: Principal, frame: f.TypingSend) -> None:
        b = self.backend
        conv_id = frame.data.conversation_id
        if who.role == "customer" and conv_id is None:
            row = b.row("SELECT id FROM conversations WHERE customer_id = ? AND status != 'closed'", who.id)
            conv_id = row["id"] if row is not None else None
        if conv_id is None:
            return
        try:
            conv = b.conversation_row(conv_id, who)
        except ServiceError:
            return
        if who.role == "agent" and conv["assignee_id"] != who.id:
            return
        event = f.TypingEvent(
            ts=now_ms(),
            data=p.TypingEventData(conversation_id=conv_id, from_=Party(role=who.role, id=who.id)),
        )
        target = (
            f"c:{conv['customer_id']}"
            if who.role == "agent"
            else (f"a:{conv['assignee_id']}" if conv["assignee_id"] else None)
        )
        if target is not None:
            self.push(Outcome(ephemeral=[(target, codec.encode(event))]))

    # --- presence -------------------------------------------------------------------------------------

    def _agent_connected(self, who: Principal) -> None:
        b = self.backend
        b.connected[who.id] += 1
        if b.connected[who.id] == 1:
            row = b.row("SELECT status FROM agents WHERE id = ?", who.id)
            status: AgentStatus = "online"  # the status last chosen, unless that was offline
            if row is not None and row["status"] != "offline":
                status = row["status"]
            # A new first connection is never suspended (even if the server died before the last one ended).
            self.push(b.transact(functools.partial(b.set_presence, who.id, who.shop_id, status, now_ms())))

    def _forget(self, peer: Peer) -> None:
        if peer.principal is None:
            return
        self.peers[peer.recipient].discard(peer)
        if not self.peers[peer.recipient]:
            del self.peers[peer.recipient]
        who, b = peer.principal, self.backend
        if who.role == "agent":
            b.connected[who.id] -= 1
            if b.connected[who.id] <= 0:
                del b.connected[who.id]

                def go_offline() -> None:
                    # The chosen status stays for the next login; being suspended does not.
                    b.conn.execute("UPDATE agents SET suspended = 0 WHERE id = ?", (who.id,))
                    b.presence_changed(who.id, who.shop_id, "offline", now_ms())

                self.push(b.transact(go_offline))

    # --- fan-out --------------------------------------------------------------------------------------

    def push(self, outcome: Outcome) -> None:
        """Deliver committed events to every live connection of their recipients, in seq order."""
        for stored in outcome.stored:
            for peer in self.peers.get(stored.recipient, ()):
                self._deliver(peer, stored.seq, stored.frame)
        for recipient, frame in outcome.ephemeral:
            for peer in self.peers.get(recipient, ()):
                peer.enqueue(frame)

    def _deliver(self, peer: Peer, seq: int, frame: bytes) -> None:
        if seq <= peer.last_sent:
            return
        if seq > peer.last_sent + 1:  # written by someone else (the admin tool): fill from the log
            for missed_seq, raw in self.backend.log.since(peer.recipient, peer.last_sent, seq - 1):
                peer.enqueue(raw)
                peer.last_sent = missed_seq
        peer.enqueue(frame)
        peer.last_sent = seq

    def _read_data_version(self) -> int:
        version: int = self.backend.conn.execute("PRAGMA data_version").fetchone()[0]
        return version

    async def _watch_external_changes(self) -> None:
        """Push events that another process (the admin command) committed to the same database."""
        while True:
            await asyncio.sleep(self.config.external_poll_s)
            version = self._read_data_version()
            if version == self._data_version:
                continue
            self._data_version = version
            self._end_revoked_sessions()
            seqs = self.backend.log.all_seqs()
            for recipient, peers in list(self.peers.items()):
                latest = seqs.get(recipient, 0)
                for peer in list(peers):
                    if latest > peer.last_sent:
                        for seq, raw in self.backend.log.since(recipient, peer.last_sent, latest):
                            self._deliver(peer, seq, raw)

    def _end_revoked_sessions(self) -> None:
        """An admin disabled an agent or reset a password: their live sessions end (4001)."""
        b, now = self.backend, now_ms()
        released: set[str] = set()
        for peers in list(self.peers.values()):
            for peer in list(peers):
                who = peer.principal
                if (
                    who is None
                    or who.role != "agent"
                    or accounts.check_token(b.conn, peer.token, "agent", now)
                ):
                    continue
                log.info("agent %s: token revoked, closing the session", who.id)
                self._spawn(self._close(peer, CloseCode.UNAUTHORIZED, "token revoked"))
                disabled = b.row("SELECT disabled FROM agents WHERE id = ?", who.id)
                if disabled is not None and disabled["disabled"] and who.id not in released:
                    released.add(who.id)
                    self.push(b.transact(functools.partial(b.release_agent, who.id, who.shop_id, now)))

    async def _checkpoint_periodically(self) -> None:
        """Keep the WAL short from a worker thread, so no commit on the loop pays for a checkpoint."""
        path = self.backend.conn.execute("PRAGMA database_list").fetchone()[2]
        if not path or self.backend.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] != 0:
            return  # an in-memory database, or SQLite checkpoints by itself
        while True:
            await asyncio.sleep(self.config.checkpoint_every_s)
            try:
                await asyncio.to_thread(db.checkpoint, path)
            except sqlite3.Error as exc:
                log.warning("checkpoint failed: %s", exc)

    async def _prune_periodically(self) -> None:
        while True:
            with transaction(self.backend.conn):
                removed = self.backend.log.prune(now_ms())
            if removed:
                log.info("pruned %d old events", removed)
            await asyncio.sleep(self.config.prune_every_s)


def server_info() -> str:
    return f"shopdesk reference backend {__version__} ({SUBPROTOCOL})"
