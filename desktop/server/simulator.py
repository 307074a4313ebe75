"""The buyer simulator (``shopdesk simulate``): simulated buyers chatting with a shop over shopdesk.v1.

How a run goes:

- **A pool of buyers.** ``buyers`` identities, each at most one conversation at a time (so ``buyers`` is also
  the most conversations the simulator has open at once). With a widget secret, identity *i* is a demo buyer
  of :func:`~desktop.server.demo_seed.build_demo_shop` (a seeded rng picks which ones), registered with
  ``external_id`` and the shop's HMAC ``signature``, so agents see that buyer's real profile and orders. The
  simulator builds the demo data with :data:`DEMO_DATA_SEED`, the seed the backend's ``--seed demo`` uses,
  so a buyer's script talks about orders the server really has. Without a secret (``--anonymous``), and for
  identities past the 200 demo buyers, a buyer is a plain visitor (``customer.register`` with a nickname).
- **Arrivals.** New conversations start at ``rate`` per second on average, with exponential gaps drawn from
  ``random.Random(seed)`` (a Poisson process). Each arrival takes a random idle identity; when every
  identity is busy the arrival is skipped and counted (``arrivals_skipped``).
- **One conversation** = one websocket: connect, register (first time only; the token is kept for the
  identity's later conversations), ``hello``, then the :mod:`~desktop.server.buyer_scripts` script: every
  line is typed (sometimes with a ``typing`` notice first), sent as ``message.send`` with a ``client_msg_id``
  drawn from the seeded rng, and answered by waiting up to ``reply_timeout_s`` for ``message.created``
  from an agent in the buyer's conversation; the agent's text (or ``None`` on a time-out, which makes the
  buyer nag and eventually give up) goes to ``next_line``. A buyer sometimes sends an order or product
  card after the opening line. When the script is done the buyer waits (up to ``reply_timeout_s``) for the
  agent to wrap up; on ``rating.requested`` (at any point) it rates or not as ``wants_to_rate`` decides.
  The conversation ends when the agent closes it or the buyer stops waiting; the socket is closed after a
  short pause. ``pace`` scales every think, typing and reading delay (1 = human speed; tests use 0.02).
- **Disconnects: reconnect and resume.** A buyer whose connection drops (server restart, network) opens a
  new connection with its token and ``resume.since`` = the last ``seq`` it saw, so the replayed events
  (agent replies sent meanwhile) reach it; an unacknowledged ``message.send`` is sent again with the same
  ``client_msg_id`` (the server's idempotency makes that exactly-once). It keeps trying, with back-off, for
  up to ``reply_timeout_s``; after that its conversation is abandoned. Each lost connection, each
  connection that could not be made, each refused request and each abandoned conversation counts as one
  error; a failing buyer never stops the others. Unexpected exceptions are logged with their traceback.
- **Stopping.** At ``duration`` seconds or when ``stop`` is set, the arrivals stop, every buyer task is
  cancelled (each closes its socket on the way out) and :class:`SimulatorStats` is returned.

Each buyer line is logged at DEBUG, a summary every 10 s at INFO.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import random
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.errors import TRANSIENT_CODES
from desktop.protocol.objects import Message, SendKind
from desktop.server.accounts import widget_signature
from desktop.server.buyer_scripts import BuyerScript, Scenario, next_line, start_conversation, wants_to_rate
from desktop.server.demo_seed import DEMO_SHOP_ID, DemoBuyer, DemoShop, build_demo_shop
from desktop.server.peer import Peer, RequestError
from desktop.server.peer_tools import (
    NETWORK_ERRORS,
    ConnectionLost,
    close_quietly,
    next_event,
    seeded_uuid,
    stop_on_signals,
)
from desktop.server.seeding import DEMO_WIDGET_SECRET

log = logging.getLogger(__name__)

#: The rng seed of the demo data on a backend started with ``--seed demo`` (``seeding.seed_database``).
DEMO_DATA_SEED: Final = 0
REPORT_EVERY_S: Final = 10.0
REQUEST_TIMEOUT_S: Final = 15.0

_VISITOR_MOODS: Final = ("路过的", "新来的", "好奇的", "随便逛逛的", "爱囤货的", "纠结的")
_VISITOR_NAMES: Final = ("小熊", "猫咪", "兔子", "橘子", "小鱼", "星星", "柠檬", "团子")
_COMMENTS: Final[dict[int, tuple[str, ...]]] = {
    5: ("客服很耐心，谢谢！", "回复很快，很满意", "服务态度很好👍"),
    4: ("挺好的", "还不错，就是回复有点慢"),
    3: ("一般吧", "问题解决了一半"),
    2: ("回复太慢了", "没怎么解决问题"),
    1: ("太差了，问题根本没解决", "态度敷衍"),
}


@dataclass
class SimulatorStats:
    """What a run did. ``agent_replies_received`` counts agent messages that reached a buyer."""

    conversations_started: int = 0
    conversations_finished: int = 0  # the buyer's script ran to its end
    buyer_messages_sent: int = 0  # acknowledged by the server (text lines and cards)
    agent_replies_received: int = 0
    ratings_given: int = 0
    errors: int = 0
    reconnects: int = 0
    arrivals_skipped: int = 0  # every buyer of the pool was busy
    elapsed_s: float = 0.0

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False)

    def summary(self) -> str:
        return (
            f"{self.conversations_started} conversations, {self.buyer_messages_sent} buyer messages, "
            f"{self.agent_replies_received} agent replies, {self.ratings_given} ratings, {self.errors} errors"
        )


@dataclass
class SentMessage:
    """One ``message.send`` of a simulated buyer (for checks: ``acked`` means the server answered ``ok``)."""

    customer_id: str
    client_msg_id: str
    kind: str
    body: dict[str, Any]
    conversation_id: str | None = None
    acked: bool = False


@dataclass
class _Identity:
    buyer: DemoBuyer  # the demo buyer the script talks as (a visitor gets an id with no orders)
    nickname: str
    external_id: str | None  # set for a signed demo buyer
    token: str | None = None
    customer_id: str | None = None
    busy: bool = False

    @property
    def label(self) -> str:
        return self.external_id or self.customer_id or self.nickname


class _GiveUp(Exception):
    """A buyer could not (re)connect in time: its conversation is abandoned."""


async def simulate(
    url: str,
    *,
    buyers: int,
    rate: float,
    seed: int,
    shop: str = DEMO_SHOP_ID,
    widget_secret: str | None = DEMO_WIDGET_SECRET,
    duration: float | None = None,
    stop: asyncio.Event | None = None,
    reply_timeout_s: float = 45.0,
    pace: float = 1.0,
    journal: list[SentMessage] | None = None,
    ssl_context: ssl.SSLContext | None = None,
    report_every_s: float = REPORT_EVERY_S,
) -> SimulatorStats:
    """Run simulated buyers against ``url`` until ``duration`` seconds pass or ``stop`` is set.

    ``journal``, when given, receives every ``message.send`` the buyers make (see :class:`SentMessage`).
    """
    if buyers < 1:
        raise ValueError("buyers must be at least 1")
    if rate <= 0:
        raise ValueError("rate must be positive")
    if pace < 0 or reply_timeout_s <= 0:
        raise ValueError("pace must be >= 0 and reply_timeout_s > 0")
    sim = _Simulation(
        url,
        buyers=buyers,
        rate=rate,
        rng=random.Random(seed),
        shop=shop,
        widget_secret=widget_secret,
        reply_timeout_s=reply_timeout_s,
        pace=pace,
        journal=journal,
        ssl_context=ssl_context,
        report_every_s=report_every_s,
    )
    return await sim.run(duration, stop if stop is not None else asyncio.Event())


class _Simulation:
    def __init__(
        self,
        url: str,
        *,
        buyers: int,
        rate: float,
        rng: random.Random,
        shop: str,
        widget_secret: str | None,
        reply_timeout_s: float,
        pace: float,
        journal: list[SentMessage] | None,
        ssl_context: ssl.SSLContext | None,
        report_every_s: float,
    ) -> None:
        self.url = url
        self.rate = rate
        self.rng = rng
        self.shop_id = shop
        self.widget_secret = widget_secret
        self.reply_timeout_s = reply_timeout_s
        self.pace = pace
        self.journal = journal
        self.ssl_context = ssl_context
        self.report_every_s = report_every_s
        self.stats = SimulatorStats()
        self.demo: DemoShop = build_demo_shop(DEMO_DATA_SEED)
        self.pool = self._identities(buyers)
        self.tasks: set[asyncio.Task[None]] = set()

    def _identities(self, count: int) -> list[_Identity]:
        demo, rng = self.demo, self.rng
        signed = (
            rng.sample(list(demo.buyers), min(count, len(demo.buyers)))
            if self.widget_secret is not None
            else []
        )
        pool = [_Identity(buyer=b, nickname=b.nickname, external_id=b.id) for b in signed]
        for number in range(len(pool) + 1, count + 1):
            like = rng.choice(demo.buyers)  # a visitor talks like a demo buyer without orders
            nickname = f"{rng.choice(_VISITOR_MOODS)}{rng.choice(_VISITOR_NAMES)}{rng.randint(100, 999)}"
            buyer = dataclasses.replace(like, id=f"visitor-{number:05d}", nickname=nickname)
            pool.append(_Identity(buyer=buyer, nickname=nickname, external_id=None))
        return pool

    # --- the run ------------------------------------------------------------------------------------------

    async def run(self, duration: float | None, stop: asyncio.Event) -> SimulatorStats:
        loop = asyncio.get_running_loop()
        started = loop.time()
        helpers = [asyncio.create_task(self._arrivals()), asyncio.create_task(self._report())]
        log.info(
            "simulating %d buyers at %.2f new conversations/s against %s (shop %s, %s)",
            len(self.pool),
            self.rate,
            self.url,
            self.shop_id,
            "signed demo buyers" if self.widget_secret is not None else "anonymous visitors",
        )
        try:
            if duration is None:
                await stop.wait()
            else:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), duration)
        finally:
            pending = [*helpers, *self.tasks]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            self.stats.elapsed_s = round(loop.time() - started, 2)
            log.info("simulator stopped after %.1f s: %s", self.stats.elapsed_s, self.stats.summary())
        return self.stats

    async def _arrivals(self) -> None:
        while True:
            await asyncio.sleep(self.rng.expovariate(self.rate))
            idle = [ident for ident in self.pool if not ident.busy]
            if not idle:
                self.stats.arrivals_skipped += 1
                log.debug("every buyer is busy: arrival skipped")
                continue
            ident = self.rng.choice(idle)
            ident.busy = True
            conversation_rng = random.Random(self.rng.getrandbits(64))
            task = asyncio.create_task(self._conversation(ident, conversation_rng))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _report(self) -> None:
        while True:
            await asyncio.sleep(self.report_every_s)
            active = sum(ident.busy for ident in self.pool)
            log.info("simulator: %d buyers chatting; %s", active, self.stats.summary())

    async def _conversation(self, ident: _Identity, rng: random.Random) -> None:
        chat = _BuyerChat(self, ident, rng)
        try:
            await chat.run()
        except asyncio.CancelledError:
            raise
        except _GiveUp as exc:
            self.stats.errors += 1
            log.warning("buyer %s: conversation abandoned (%s)", ident.label, exc)
        except RequestError as exc:
            self.stats.errors += 1
            log.warning("buyer %s: the server refused a request (%s); conversation ended", ident.label, exc)
        except Exception:
            self.stats.errors += 1
            log.exception("buyer %s failed; the others carry on", ident.label)
        finally:
            ident.busy = False
            await close_quietly(chat.peer)

    def delay(self, rng: random.Random, low: float, high: float) -> float:
        return rng.uniform(low, high) * self.pace


class _BuyerChat:
    """One conversation of one buyer: its connection, what it has heard, and the script."""

    def __init__(self, sim: _Simulation, ident: _Identity, rng: random.Random) -> None:
        self.sim = sim
        self.ident = ident
        self.rng = rng
        self.peer: Peer | None = None
        self.last_seq = 0
        self.conversation_id: str | None = None
        self.replies: list[str] = []  # agent texts the buyer has not reacted to yet
        self.seen: set[str] = set()  # agent message ids already counted
        self.rating_for: str | None = None  # the conversation a rating was asked for
        self.rated = False
        self.closed_by_agent = False

    # --- the conversation -----------------------------------------------------------------------------

    async def run(self) -> None:
        sim, rng = self.sim, self.rng
        await self.connect(resume=False)
        script = start_conversation(rng, sim.demo, self.ident.buyer)
        log.debug("buyer %s starts a %s conversation", self.ident.label, script.scenario)
        await self.type_line(script.opening)
        await self.say(script.opening)
        sim.stats.conversations_started += 1
        await self.maybe_send_card(script)
        while not self.closed_by_agent:
            answered = await self.wait_until(lambda: bool(self.replies) or self.closed_by_agent)
            await self.rate_if_asked(script)
            if self.closed_by_agent:
                break
            reply = None
            if answered:
                await self.idle(sim.delay(rng, 0.3, 1.2))  # reading; a second message may follow
                reply = "\n".join(self.replies)
                self.replies.clear()
            line = next_line(script, rng, reply)
            if line is None:
                break
            await self.type_line(line)
            if self.closed_by_agent:
                break
            await self.say(line)
        if script.done:
            sim.stats.conversations_finished += 1
        if not self.closed_by_agent and self.rating_for is None:
            await self.wait_until(lambda: self.rating_for is not None or self.closed_by_agent)
        await self.rate_if_asked(script)
        await self.idle(sim.delay(rng, 0.5, 2.0))

    async def type_line(self, line: str) -> None:
        """Think and type (a typing notice first, most of the time) while still listening."""
        rng = self.rng
        if rng.random() < 0.6 and self.peer is not None:
            notice = f.TypingSend(data=p.TypingData(conversation_id=self.conversation_id))
            with contextlib.suppress(*NETWORK_ERRORS):
                await self.peer.send_frame(notice)
        seconds = min(12.0, rng.uniform(0.5, 2.0) + len(line) / rng.uniform(4.0, 8.0))
        await self.idle(seconds * self.sim.pace)

    async def maybe_send_card(self, script: BuyerScript) -> None:
        rng, demo = self.rng, self.sim.demo
        if script.order_id is not None and rng.random() < 0.3:
            await self.idle(self.sim.delay(rng, 0.5, 2.0))
            await self.send("order", {"order_id": script.order_id})
        elif script.product_id is not None and script.scenario in (Scenario.SIZE, Scenario.STOCK):
            product = demo.product(script.product_id)
            if product is not None and rng.random() < 0.25:
                await self.idle(self.sim.delay(rng, 0.5, 2.0))
                body = {"product_id": product.id, "title": product.title, "price_cents": product.price_cents}
                await self.send("product", body)

    async def rate_if_asked(self, script: BuyerScript) -> None:
        if self.rating_for is None or self.rated:
            return
        self.rated = True
        score = wants_to_rate(self.rng, script)
        if score is None:
            log.debug("buyer %s does not rate", self.ident.label)
            return
        comment = self.rng.choice(_COMMENTS[score]) if self.rng.random() < 0.5 else None
        data = p.RatingSubmitData(conversation_id=self.rating_for, score=score, comment=comment)
        for attempt in range(2):
            try:
                await self.require_peer().request(
                    f.RatingSubmit(id="", data=data), p.Empty, timeout=REQUEST_TIMEOUT_S
                )
            except RequestError as exc:
                if not (attempt and exc.code == "conflict"):  # a retry that finds it rated: it landed
                    self.sim.stats.errors += 1
                    log.warning("buyer %s: rating refused (%s)", self.ident.label, exc)
                    return
            except NETWORK_ERRORS:
                await self.reconnect()
                continue
            self.sim.stats.ratings_given += 1
            log.debug("buyer %s rates %d: %s", self.ident.label, score, comment or "")
            return

    # --- sending and listening ------------------------------------------------------------------------

    async def say(self, line: str) -> None:
        log.debug("buyer %s: %s", self.ident.label, line)
        await self.send("text", {"text": line})

    async def send(self, kind: SendKind, body: dict[str, Any]) -> Message:
        """message.send until acknowledged, the same client_msg_id on every try (exactly once)."""
        entry = SentMessage(
            customer_id=self.ident.customer_id or "",
            client_msg_id=seeded_uuid(self.rng),
            kind=kind,
            body=body,
        )
        if self.sim.journal is not None:
            self.sim.journal.append(entry)
        transient = 0
        while True:
            data = p.MessageSendData(
                conversation_id=self.conversation_id,
                client_msg_id=entry.client_msg_id,
                kind=kind,
                body=body,
            )
            try:
                reply = await self.require_peer().request(
                    f.MessageSend(id="", data=data), p.MessageData, timeout=REQUEST_TIMEOUT_S
                )
            except RequestError as exc:
                if exc.code not in TRANSIENT_CODES or transient >= 5:
                    raise
                transient += 1
                await asyncio.sleep(0.5 * transient)
                continue
            except NETWORK_ERRORS:
                await self.reconnect()
                continue
            break
        message = reply.message
        entry.acked, entry.conversation_id = True, message.conversation_id
        self.conversation_id = message.conversation_id
        self.sim.stats.buyer_messages_sent += 1
        return message

    def require_peer(self) -> Peer:
        if self.peer is None:
            raise ConnectionLost("not connected")
        return self.peer

    async def idle(self, seconds: float) -> None:
        """Let ``seconds`` pass while handling whatever arrives."""
        await self.wait_until(lambda: False, seconds)

    async def wait_until(self, done: Callable[[], bool], timeout: float | None = None) -> bool:
        """Handle events until ``done()`` (True) or ``timeout`` (default: the reply time-out) passes."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + (self.sim.reply_timeout_s if timeout is None else timeout)
        while not done():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            try:
                event = await next_event(self.require_peer(), remaining)
            except ConnectionLost:
                await self.reconnect()
                continue
            if event is not None:
                self.handle(event)
        return True

    def handle(self, event: f.AnyEvent) -> None:
        if isinstance(event, f.MessageCreated):
            message = event.data.message
            mine = self.conversation_id is None or message.conversation_id == self.conversation_id
            if message.sender.role == "agent" and mine and message.id not in self.seen:
                self.seen.add(message.id)
                text = _text_of(message)
                self.replies.append(text)
                self.sim.stats.agent_replies_received += 1
                log.debug("agent → buyer %s: %s", self.ident.label, text)
        elif isinstance(event, f.ConversationUpdated):
            conversation = event.data.conversation
            if conversation.id == self.conversation_id and conversation.status == "closed":
                self.closed_by_agent = True
        elif isinstance(event, f.RatingRequested):
            wanted = event.data.conversation_id
            if self.conversation_id is None or wanted == self.conversation_id:
                self.rating_for = wanted

    # --- connecting -----------------------------------------------------------------------------------

    async def connect(self, *, resume: bool) -> None:
        """Connect (registering the first time), retrying with back-off for up to the reply time-out."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.sim.reply_timeout_s
        pause, failures = 0.2, 0
        while True:
            try:
                await self._open(resume)
                return
            except RequestError as exc:
                # Transient refusals are retried, and a refused token once (registering anew); the rest
                # (unknown shop, a bad signature) would only be refused again.
                if exc.code not in TRANSIENT_CODES and not (exc.code == "unauthorized" and failures == 0):
                    raise
                error: Exception = exc
            except NETWORK_ERRORS as exc:
                error = exc
            failures += 1
            if failures == 1 and not resume:
                self.sim.stats.errors += 1  # a reconnect's failures belong to the loss already counted
            if loop.time() + pause > deadline:
                raise _GiveUp(f"no connection to {self.sim.url} ({error!r})") from error
            log.debug("buyer %s: connecting failed (%r); retrying", self.ident.label, error)
            await asyncio.sleep(pause * self.rng.uniform(0.8, 1.2))
            pause = min(pause * 2, 2.0)

    async def _open(self, resume: bool) -> None:
        sim, ident = self.sim, self.ident
        peer = await Peer.open(sim.url, ssl_context=sim.ssl_context)
        try:
            if ident.token is None:
                signature = None
                if ident.external_id is not None and sim.widget_secret is not None:
                    signature = widget_signature(sim.widget_secret, sim.shop_id, ident.external_id)
                registered = await peer.register(
                    sim.shop_id, nickname=ident.nickname, external_id=ident.external_id, signature=signature
                )
                ident.token, ident.customer_id = registered.token, registered.customer_id
            try:
                await peer.hello("customer", ident.token, since=self.last_seq if resume else None)
            except RequestError as exc:
                if exc.code == "unauthorized":  # the server forgot the token: register again next time
                    ident.token = None
                raise
        except BaseException:
            await close_quietly(peer)
            raise
        self.peer = peer
        self.last_seq = peer.last_seq

    async def reconnect(self) -> None:
        """The connection is gone: count it, then connect again and resume where the stream stopped."""
        if self.peer is not None:
            self.last_seq = max(self.last_seq, self.peer.last_seq)
            await close_quietly(self.peer)
            self.peer = None
        self.sim.stats.errors += 1
        log.warning(
            "buyer %s: connection lost; reconnecting (resume since %d)", self.ident.label, self.last_seq
        )
        await self.connect(resume=True)
        self.sim.stats.reconnects += 1


def _text_of(message: Message) -> str:
    body = message.body
    if message.kind == "text":
        return str(body.get("text", ""))
    if message.kind == "product":
        return f"[商品] {body.get('title', '')}"
    if message.kind == "order":
        return f"[订单] {body.get('order_id', '')}"
    return "[图片]"


# --- the command ---------------------------------------------------------------------------------------


def main(
    url: str,
    *,
    buyers: int,
    rate: float,
    seed: int,
    shop: str,
    widget_secret: str | None,
    duration: float | None,
    pace: float,
    reply_timeout_s: float,
) -> int:
    """``shopdesk simulate``: run until ``duration`` or Ctrl+C / SIGTERM, then print the stats as JSON."""

    async def run() -> SimulatorStats:
        stop = asyncio.Event()
        with stop_on_signals(stop):
            return await simulate(
                url,
                buyers=buyers,
                rate=rate,
                seed=seed,
                shop=shop,
                widget_secret=widget_secret,
                duration=duration,
                stop=stop,
                reply_timeout_s=reply_timeout_s,
                pace=pace,
            )

    stats = asyncio.run(run())
    print(stats.to_json(), flush=True)
    return 0
