"""The agent's connection: the protocol session over a websocket, kept alive, backed by the local store.

One ``AgentClient`` per logged-in agent. It owns the :class:`ClientSession` (protocol rules), the socket (I/O)
and writes everything durable to the :class:`LocalStore` *before* acting on it:

- frames → session (dedupe by seq, gaps) → batches of events committed in one transaction (≤ 20 ms apart)
- a message the agent sends goes to the store's outbox first, then to the session; its ``ok`` moves it
  from the outbox to the messages in one transaction; after a crash or a reconnect the outbox is sent again
  with the same ``client_msg_id``s, which the server answers with the original messages.

The UI observes it through plain callbacks (``on_status``, ``on_batch``, ``on_outbox``), so this module
needs no Qt; the Qt layer adapts the callbacks to signals. Store writes run on one writer thread of their
own, in order (a batch at a million cached messages takes ~10 ms: too long for the UI loop); callbacks run
back on the loop once the write has committed.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import functools
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import msgspec

from desktop import __version__
from desktop.client.backoff import Backoff
from desktop.client.credentials import Account, forget_token, save_token
from desktop.client.endpoint import Endpoint
from desktop.client.status import LinkState, LinkStatus
from desktop.logs import register_secret, unregister_secret
from desktop.protocol import SUBPROTOCOL, limits
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol import session as s
from desktop.protocol.objects import Body, Customer, Message, Order, SendKind
from desktop.store import AppliedBatch, LocalStore

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

log = logging.getLogger(__name__)
R = TypeVar("R", bound=msgspec.Struct)
T = TypeVar("T")

BATCH_WINDOW_S = 0.02  # events are committed at most this long after they arrive …
BATCH_MAX = 500  # … or as soon as this many are waiting
OPEN_TIMEOUT_S = 10.0
RESEND_AFTER_S = 1.0  # a message that timed out or met a transient error is sent again this much later


class RequestFailedError(Exception):
    """A request ended without success; ``code`` is a protocol error code, ``timeout`` or ``unavailable``."""

    def __init__(self, code: str, message: str, *, retriable: bool) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.retriable = retriable


class LoginError(Exception):
    """Login failed; ``reason`` is one of ``credentials``, ``unreachable``, ``certificate``, ``protocol``."""

    def __init__(
        self, reason: Literal["credentials", "unreachable", "certificate", "protocol"], detail: str
    ) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True, slots=True)
class OutboxChange:
    """A sent message's new state: ``pending`` (in the outbox), ``sent`` (acknowledged) or ``failed``."""

    client_msg_id: str
    conversation_id: str | None
    state: Literal["pending", "sent", "failed"]
    detail: str = ""
    message: Message | None = None  # "sent": the message the server stored


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


@functools.cache
def _ws() -> Any:
    """websockets, imported on first use: ~35 ms the window does not wait for at start (its package
    computes its version with importlib.metadata). ``except`` clauses name its errors through this too:
    they are evaluated only when an exception reaches them."""
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidURI
    from websockets.typing import Subprotocol

    return SimpleNamespace(
        connect=connect,
        ConnectionClosed=ConnectionClosed,
        InvalidHandshake=InvalidHandshake,
        InvalidURI=InvalidURI,
        Subprotocol=Subprotocol,
    )


async def _open(endpoint: Endpoint) -> ClientConnection:
    ws = _ws()
    connection: ClientConnection = await ws.connect(
        endpoint.url,
        subprotocols=[ws.Subprotocol(SUBPROTOCOL)],
        ssl=endpoint.ssl_context,
        max_size=limits.MAX_FRAME_BYTES,
        open_timeout=OPEN_TIMEOUT_S,
        ping_interval=limits.HEARTBEAT_S,
        ping_timeout=limits.HEARTBEAT_S,
        compression=None,  # shopdesk frames are small; per-message deflate costs more CPU than it saves here
    )
    return connection


def _classify_connect_error(exc: BaseException) -> Literal["unreachable", "certificate", "protocol"]:
    import ssl

    if isinstance(exc, ssl.SSLCertVerificationError):
        return "certificate"
    if isinstance(exc, _ws().InvalidHandshake | _ws().InvalidURI):
        return "protocol"
    return "unreachable"


async def login(endpoint: Endpoint, account: Account, password: str, *, remember: bool) -> str:
    """Exchange the password for a token on a short connection; the token goes to the keyring if asked."""
    try:
        ws = await _open(endpoint)
    except (OSError, TimeoutError, _ws().InvalidHandshake, _ws().InvalidURI) as exc:
        raise LoginError(_classify_connect_error(exc), str(exc)) from None
    session = s.ClientSession(role="agent", client_name="shopdesk", client_version=__version__)
    register_secret(password)  # for the length of the login only
    try:
        session.connection_made()
        rid = session.request(
            f.Login(id="", data=p.LoginData(shop=account.shop, username=account.username, password=password)),
            _now_ms(),
        )
        for frame in session.data_to_send():
            await ws.send(frame, text=True)
        async with asyncio.timeout(OPEN_TIMEOUT_S + 20):  # scrypt on the server takes a moment
            while True:
                session.receive(await ws.recv(), _now_ms())
                for event in session.events_received():
                    if isinstance(event, s.ReplyReceived) and event.request_id == rid:
                        assert isinstance(event.data, p.LoginOk)
                        register_secret(event.data.token)
                        if remember:
                            save_token(account, event.data.token)
                        return event.data.token
                    if isinstance(event, s.RequestFailed) and event.request_id == rid:
                        reason: Literal["credentials", "protocol"] = (
                            "credentials" if event.code == "unauthorized" else "protocol"
                        )
                        raise LoginError(reason, event.message)
    except (_ws().ConnectionClosed, TimeoutError) as exc:
        raise LoginError("unreachable", str(exc) or type(exc).__name__) from None
    finally:
        unregister_secret(password)
        await ws.close()


class AgentClient:
    def __init__(
        self,
        account: Account,
        endpoint: Endpoint,
        store: LocalStore,
        token: str,
        *,
        backoff: Backoff | None = None,
        request_timeout_ms: int = s.DEFAULT_REQUEST_TIMEOUT_MS,
        clock: Callable[[], int] = _now_ms,
    ) -> None:
        self.account = account
        self.endpoint = endpoint
        self.store = store
        self._token = token
        register_secret(token)  # whatever logs it by accident, the log file gets *** instead
        self._clock = clock
        self._backoff = backoff or Backoff()
        self.session = s.ClientSession(
            role="agent",
            client_name="shopdesk",
            client_version=__version__,
            last_seq=store.last_seq(),
            outbox=store.outbox(),
            request_timeout_ms=request_timeout_ms,
        )
        self.status = LinkStatus(LinkState.OFFLINE)
        self.hello: p.HelloOk | None = None
        self.on_status: list[Callable[[LinkStatus], None]] = []
        self.on_batch: list[Callable[[AppliedBatch], None]] = []
        self.on_outbox: list[Callable[[OutboxChange], None]] = []
        self.on_snapshot: list[Callable[[p.SnapshotOk], None]] = []
        self._futures: dict[str, asyncio.Future[msgspec.Struct]] = {}
        self._outgoing: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._ws: ClientConnection | None = None
        self._batch: list[f.AnyEvent] = []
        self._batch_timer: asyncio.TimerHandle | None = None
        self._resend_timer: asyncio.TimerHandle | None = None
        self._wake = asyncio.Event()
        self._stopping = False
        self._stopped = False  # stop() ran: the writer thread is gone for good
        self._runner: asyncio.Task[None] | None = None
        self._writer = concurrent.futures.ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="shopdesk-store"
        )
        self._writes: set[asyncio.Future[Any]] = set()

    # --- lifecycle ------------------------------------------------------------------------------------

    def start(self) -> None:
        """Connect and stay connected until :meth:`stop` (or the server refuses the token)."""
        if self._runner is None or self._runner.done():
            self._stopping = False
            self._runner = asyncio.create_task(self._run(), name="shopdesk-connection")

    async def stop(self) -> None:
        """Close the link, let every queued store write commit, stop the writer; a second call is a no-op."""
        if self._stopped:
            return
        self._stopped = True
        self._stopping = True
        self._wake.set()
        if self._ws is not None:
            await self._ws.close()
        if self._runner is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
        self._flush_batch()
        await self.flushed()
        self._writer.shutdown(wait=True)
        self._set_status(LinkStatus(LinkState.OFFLINE))

    async def flushed(self) -> None:
        """Wait until every store write queued so far has committed."""
        await asyncio.get_running_loop().run_in_executor(self._writer, lambda: None)

    def _store_write(self, work: Callable[[], T], then: Callable[[T], None] | None = None) -> None:
        """Run ``work`` on the writer thread, after every write queued before it; ``then`` on the loop."""
        future = asyncio.get_running_loop().run_in_executor(self._writer, work)
        self._writes.add(future)

        def done(f: asyncio.Future[T]) -> None:
            self._writes.discard(f)
            if f.cancelled():
                return
            if (exc := f.exception()) is not None:
                log.error("writing to the local cache failed", exc_info=exc)
                return
            if then is not None:
                then(f.result())

        future.add_done_callback(done)

    def retry_now(self) -> None:
        """Skip the rest of the back-off delay (the user clicked 重连)."""
        self._backoff.reset()
        self._wake.set()

    def drop_connection(self) -> None:
        """Close the socket as if the network failed (the client reconnects by itself)."""
        if self._ws is not None:
            self._ws.transport.abort()

    # --- what the workbench asks for ------------------------------------------------------------------

    async def request(self, frame: f.Request, reply_type: type[R]) -> R:
        """Send a request and wait for its reply (RequestFailedError on error, time-out or lost link)."""
        rid = self.session.request(frame, self._clock())
        future: asyncio.Future[msgspec.Struct] = asyncio.get_running_loop().create_future()
        self._futures[rid] = future
        self._pump()
        self._handle(self.session.events_received())
        reply = await future
        if not isinstance(reply, reply_type):
            raise RequestFailedError(
                "bad_request", f"unexpected reply {type(reply).__name__}", retriable=False
            )
        return reply

    def send(
        self, conversation_id: str, kind: SendKind, body: Body, *, client_msg_id: str | None = None
    ) -> str:
        """Queue a message: durable in the outbox before anything else; returns its client_msg_id."""
        data = p.MessageSendData(
            conversation_id=conversation_id,
            client_msg_id=client_msg_id or str(uuid.uuid4()),
            kind=kind,
            body=msgspec.to_builtins(body),
        )
        self._notify_outbox(OutboxChange(data.client_msg_id, conversation_id, "pending"))

        def durable(_: None) -> None:  # only a message safe in the outbox goes on the wire
            self.session.send_message(data, self._clock())
            self._pump()

        self._store_write(functools.partial(self.store.outbox_add, data, self._clock()), durable)
        return data.client_msg_id

    def send_text(self, conversation_id: str, text: str) -> str:
        from desktop.protocol.objects import TextBody

        return self.send(conversation_id, "text", TextBody(text=text))

    def retry(self, client_msg_id: str) -> bool:
        """Send a failed message again (same client_msg_id); False if it is not a failed one."""
        failed = {d.client_msg_id: d for d, _, _ in self.store.failed_messages()}
        if client_msg_id not in failed:
            return False
        self._notify_outbox(OutboxChange(client_msg_id, failed[client_msg_id].conversation_id, "pending"))

        def again(data: p.MessageSendData | None) -> None:
            if data is not None:
                self.session.send_message(data, self._clock())
                self._pump()

        self._store_write(functools.partial(self.store.retry_failed, client_msg_id), again)
        return True

    async def load_older(self, conversation_id: str, *, limit: int = 50) -> tuple[int, bool]:
        """Fetch the page of history before the oldest cached message and keep it; (new messages, more)."""
        oldest = self.store.oldest_message(conversation_id)
        data = p.HistoryFetchData(
            conversation_id=conversation_id,
            before_message_id=oldest.id if oldest is not None else None,
            limit=limit,
        )
        page = await self.request(f.HistoryFetch(id="", data=data), p.HistoryOk)
        added = await asyncio.get_running_loop().run_in_executor(
            self._writer, self.store.add_messages, page.messages
        )
        return added, page.more

    def save_draft(self, conversation_id: str, text: str) -> None:
        """Keep the composer's unsent text for this chat (on the writer thread, in order with the rest)."""
        if self._stopping:
            log.warning("draft of %s not kept: the client has stopped", conversation_id)
            return
        self._store_write(functools.partial(self.store.set_draft, conversation_id, text))

    def cache_customer(self, customer: Customer) -> None:
        """Keep a profile fetched with customer.get / customer.update (writer thread)."""
        if not self._stopping:
            self._store_write(functools.partial(self.store.put_customer, customer))

    def cache_orders(self, customer_id: str, orders: list[Order]) -> None:
        """Keep a customer's orders fetched with orders.list (writer thread)."""
        if not self._stopping:
            self._store_write(functools.partial(self.store.put_orders, customer_id, orders))

    def clear_cache(self) -> None:
        """Forget cached customer profiles and orders (writer thread); they are fetched again when shown."""
        if not self._stopping:
            self._store_write(self.store.clear_profiles)

    def typing(self, conversation_id: str) -> None:
        if self.session.state is s.State.OPEN:
            self._outgoing.put_nowait(
                _encode(f.TypingSend(data=p.TypingData(conversation_id=conversation_id)))
            )

    # --- the connection loop --------------------------------------------------------------------------

    async def _run(self) -> None:
        while not self._stopping:
            self._set_status(LinkStatus(LinkState.CONNECTING, attempt=self._backoff.attempts))
            auth_failed = await self._connect_once()
            if auth_failed:
                forget_token(self.account)
                self._set_status(LinkStatus(LinkState.AUTH_FAILED, "token refused"))
                return
            if self._stopping:
                return
            delay = self._backoff.next_delay()
            self._set_status(
                LinkStatus(LinkState.RECONNECTING, retry_in_s=delay, attempt=self._backoff.attempts)
            )
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    async def _connect_once(self) -> bool:
        """One connection from open to close; True when the server refused the token."""
        try:
            ws = await _open(self.endpoint)
        except (OSError, TimeoutError, _ws().InvalidHandshake, _ws().InvalidURI) as exc:
            log.info("cannot connect to %s: %s", self.endpoint.url, exc)
            return False
        self._ws = ws
        self._outgoing = asyncio.Queue()
        self.session.connection_made()
        self.session.start(self._token, self._clock())
        self._pump()
        writer = asyncio.create_task(self._write(ws))
        ticker = asyncio.create_task(self._tick())
        auth_failed = False
        try:
            async for raw in ws:
                self.session.receive(raw, self._clock())
                events = self.session.events_received()
                auth_failed = auth_failed or any(isinstance(e, s.AuthFailed) for e in events)
                if self._handle(events):
                    break
                self._pump()
        except _ws().ConnectionClosed:
            pass
        finally:
            self._flush_batch()
            if self._resend_timer is not None:
                self._resend_timer.cancel()
                self._resend_timer = None
            self._ws = None
            self._outgoing.put_nowait(None)
            ticker.cancel()
            await ws.close()
            with contextlib.suppress(asyncio.CancelledError, _ws().ConnectionClosed):
                await writer
            with contextlib.suppress(asyncio.CancelledError):
                await ticker
            if self.session.state is not s.State.CLOSED or not auth_failed:
                self.session.connection_lost()
                self._handle(self.session.events_received())
        return auth_failed

    async def _write(self, ws: ClientConnection) -> None:
        while (frame := await self._outgoing.get()) is not None:
            await ws.send(frame, text=True)

    async def _tick(self) -> None:
        while True:
            deadline = self.session.next_deadline()
            wait_s = 1.0 if deadline is None else max(0.0, (deadline - self._clock()) / 1000)
            await asyncio.sleep(min(wait_s, 1.0))
            self.session.tick(self._clock())
            if self._handle(self.session.events_received()) and self._ws is not None:
                await self._ws.close()

    def _pump(self) -> None:
        for frame in self.session.data_to_send():
            self._outgoing.put_nowait(frame)

    # --- what the session reported --------------------------------------------------------------------

    def _handle(self, events: list[s.SessionEvent]) -> bool:
        """Act on session events; True when this connection must be closed (reconnect or log in again)."""
        close = False
        for event in events:
            match event:
                case s.EventReceived(event=frame):
                    self._batch.append(frame)
                    if len(self._batch) >= BATCH_MAX:
                        self._flush_batch()
                    elif self._batch_timer is None:
                        self._batch_timer = asyncio.get_running_loop().call_later(
                            BATCH_WINDOW_S, self._flush_batch
                        )
                case s.SnapshotLoaded(snapshot=snapshot):
                    self._flush_batch()
                    self._store_write(
                        functools.partial(self.store.apply_snapshot, snapshot),
                        functools.partial(self._notify_snapshot, snapshot),
                    )
                case s.Ready(hello=hello):
                    self.hello = hello
                    self._backoff.reset()
                    self._set_status(LinkStatus(LinkState.ONLINE))
                case s.ReplyReceived(request_id=rid, data=data):
                    self._resolve(rid, data)
                case s.RequestFailed(
                    request_id=rid, request_type=kind, code=code, message=message, retriable=retriable
                ):
                    future = self._futures.pop(rid, None)
                    if future is not None and not future.done():
                        future.set_exception(RequestFailedError(code, message, retriable=retriable))
                    if kind == "message.send" and retriable and self.session.state is s.State.OPEN:
                        self._schedule_resend(code)
                case s.MessageAcked(client_msg_id=cmid, message=message):
                    change = OutboxChange(cmid, message.conversation_id, "sent", message=message)
                    self._store_write(
                        functools.partial(self.store.outbox_acked, cmid, message),
                        functools.partial(self._outbox_written, change),
                    )
                case s.MessageFailed(client_msg_id=cmid, code=code, message=text):
                    change = OutboxChange(cmid, None, "failed", f"{code}: {text}")
                    self._store_write(
                        functools.partial(self.store.outbox_failed, cmid, code, text),
                        functools.partial(self._outbox_written, change),
                    )
                case s.ReconnectNeeded(reason=reason):
                    log.info("reconnecting: %s", reason)
                    self._backoff.reset()
                    close = True
                case s.AuthFailed(message=message):
                    log.warning("the server refused the token: %s", message)
                    close = True
                case s.ProtocolViolation(error=error):
                    log.warning("ignored a frame from the server: %s", error)
        return close

    def _schedule_resend(self, code: str) -> None:
        """Send the outbox again on this connection after a moment (the server dedupes by client_msg_id)."""
        if self._resend_timer is not None:
            return
        delay = RESEND_AFTER_S * (4 if code == "rate_limited" else 1)

        def resend() -> None:
            self._resend_timer = None
            self.session.flush_outbox(self._clock())
            self._pump()

        self._resend_timer = asyncio.get_running_loop().call_later(delay, resend)

    def _resolve(self, rid: str, data: msgspec.Struct) -> None:
        future = self._futures.pop(rid, None)
        if future is not None and not future.done():
            future.set_result(data)

    def _flush_batch(self) -> None:
        if self._batch_timer is not None:
            self._batch_timer.cancel()
            self._batch_timer = None
        if not self._batch:
            return
        batch, self._batch = self._batch, []
        self._store_write(functools.partial(self.store.apply_events, batch), self._notify_batch)

    def _notify_batch(self, applied: AppliedBatch) -> None:
        for listener in self.on_batch:
            listener(applied)

    def _notify_snapshot(self, snapshot: p.SnapshotOk, _: None) -> None:
        for listener in self.on_snapshot:
            listener(snapshot)

    def _set_status(self, status: LinkStatus) -> None:
        if status == self.status:
            return
        self.status = status
        for listener in self.on_status:
            listener(status)

    def _outbox_written(self, change: OutboxChange, _: None) -> None:
        self._notify_outbox(change)

    def _notify_outbox(self, change: OutboxChange) -> None:
        for listener in self.on_outbox:
            listener(change)


def _encode(frame: f.Frame) -> bytes:
    from desktop.protocol import codec

    return codec.encode(frame)
