"""Scripted agents for the demo, the tests and the benchmarks: they take conversations and answer buyers.

An :class:`AutoAgent` logs in as an agent (``agent1`` … of the demo shop by default), loads its state with
``sync.snapshot`` and then:

- **takes conversations**: the server routes new ones to it; it also ``conversation.accept``\\ s waiting ones
  while it has fewer active conversations than its ``max_concurrent``;
- **answers every buyer message** after a human-like pause (``reply_delay_s``, with a ``typing`` notice
  first, most of the time), with one of the shop's team quick replies picked by keywords in what the buyer
  said (:func:`choose_reply`): 尺码/码 → size replies, 发货/快递/物流 → shipping, 退/换 → after-sales,
  谢谢 → thanks, anything else → a greeting or a generic line. Placeholders are filled as the desktop
  client would (:func:`fill_placeholders`): ``{customer.nickname}`` from the conversation,
  ``{order.id}`` when the buyer mentioned an order (a card or a long number), ``{agent.name}`` from
  ``hello``; replies that need an order id nobody mentioned are avoided;
- **wraps up**: once the buyer has been quiet for ``idle_close_s``, it sends ``rating.invite`` and then
  ``conversation.close``.

If the connection drops it reconnects with back-off (logging in again only when its token is refused) and
reloads everything with ``sync.snapshot``, so it never needs a replay. Stop it by setting the ``stop`` event.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import re
import ssl
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.protocol.errors import TRANSIENT_CODES
from desktop.protocol.objects import Conversation, Me, Message, QuickReply
from desktop.server.demo_seed import AGENTS, DEMO_PASSWORD, DEMO_SHOP_ID
from desktop.server.peer import Peer, RequestError
from desktop.server.peer_tools import NETWORK_ERRORS, ConnectionLost, close_quietly, next_event, seeded_uuid

log = logging.getLogger(__name__)

REQUEST_TIMEOUT_S: Final = 15.0
#: The demo shop's agent logins, in order: ``run_auto_agents(url, 2, ...)`` uses the first two.
DEMO_AGENT_USERNAMES: Final = tuple(agent.username for agent in AGENTS)

# (category, words in the buyer's text), checked in this order.
_KEYWORDS: Final[tuple[tuple[str, tuple[str, ...]], ...]] = (
    ("size", ("尺码", "码")),
    ("shipping", ("发货", "快递", "物流")),
    ("after_sales", ("退", "换")),
    ("thanks", ("谢谢", "辛苦")),
)
# category -> (quick reply groups, words one of which the reply must contain; () = any)
_REPLY_POOLS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "size": (("售前",), ("身高", "尺码表")),
    "shipping": (("物流",), ()),
    "after_sales": (("退换货", "售后"), ()),
    "thanks": (("问候",), ("不客气", "再次光临")),
    "greeting": (("问候",), ("欢迎", "在的")),
    "generic": (("问候",), ("稍等", "查询", "见谅")),
}
_FALLBACK: Final = "亲，收到您的消息了，我这边马上帮您处理，请稍等哦～"
_ORDER_NUMBER: Final = re.compile(r"(?<![0-9A-Za-z])[0-9]{12,24}(?![0-9A-Za-z])")


def classify(text: str) -> str:
    """The reply category for what the buyer said (``generic`` when no keyword matches)."""
    for category, words in _KEYWORDS:
        if any(word in text for word in words):
            return category
    return "generic"


def choose_reply(
    replies: Sequence[QuickReply],
    buyer_text: str,
    rng: random.Random,
    *,
    first: bool = False,
    order_known: bool = False,
    used: frozenset[str] | set[str] = frozenset(),
) -> QuickReply | None:
    """A team quick reply that fits ``buyer_text``; None when the shop has no team replies at all.

    ``first``: the conversation's first answer (a greeting when nothing more specific fits). Replies in
    ``used`` (ids) and, unless ``order_known``, replies with ``{order.id}`` are avoided while others fit.
    """
    team = [r for r in replies if r.scope == "team"]
    if not team:
        return None
    category = classify(buyer_text)
    if category == "generic" and first:
        category = "greeting"
    groups, words = _REPLY_POOLS[category]
    pool = [r for r in team if r.group in groups and (not words or any(w in r.text for w in words))]
    if not pool:
        pool = [r for r in team if r.group in groups] or team
    fillable = [r for r in pool if order_known or "{order.id}" not in r.text]
    fresh = [r for r in fillable if r.id not in used]
    return rng.choice(fresh or fillable or [r for r in pool if r.id not in used] or pool)


def fill_placeholders(text: str, *, nickname: str | None, order_id: str | None, agent_name: str) -> str:
    """Fill ``{customer.nickname}``, ``{order.id}`` and ``{agent.name}`` as the desktop client does."""
    return (
        text.replace("{customer.nickname}", nickname or "亲")
        .replace("{order.id}", order_id or "")
        .replace("{agent.name}", agent_name)
    )


@dataclass
class AutoAgentStats:
    username: str
    conversations_taken: int = 0  # assigned by the server or accepted from the queue
    replies_sent: int = 0
    ratings_invited: int = 0
    conversations_closed: int = 0
    ratings_received: int = 0
    errors: int = 0
    reconnects: int = 0


@dataclass
class _Conversation:
    id: str
    customer_id: str
    nickname: str | None
    last_activity: float  # loop time of the last message either way
    pending: list[str] = field(default_factory=list)  # buyer texts not answered yet
    needs_history: bool = False  # unanswered messages from before we had it: read them with history.fetch
    order_id: str | None = None
    replies: int = 0
    used: set[str] = field(default_factory=set)
    task: asyncio.Task[None] | None = None
    closing: bool = False


class AutoAgentError(Exception):
    """The auto agent cannot work at all (its login is refused)."""


class AutoAgent:
    def __init__(
        self,
        url: str,
        username: str,
        password: str = DEMO_PASSWORD,
        *,
        shop: str = DEMO_SHOP_ID,
        seed: int = 0,
        reply_delay_s: tuple[float, float] = (1.5, 5.0),
        idle_close_s: float = 30.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.url = url
        self.username = username
        self.password = password
        self.shop = shop
        self.rng = random.Random(seed)
        self.reply_delay_s = reply_delay_s
        self.idle_close_s = idle_close_s
        self.ssl_context = ssl_context
        self.stats = AutoAgentStats(username)
        self.peer: Peer | None = None
        self.token: str | None = None
        self.me: Me | None = None
        self.max_concurrent = 5
        self.quick_replies: dict[str, QuickReply] = {}
        self.conversations: dict[str, _Conversation] = {}
        self.waiting: dict[str, Conversation] = {}
        self.snapshot_seq = 0
        self._accepting = False
        self._tasks: set[asyncio.Task[None]] = set()
        self._pause = 0.0  # the back-off before the next connection attempt; 0 while connected

    @property
    def name(self) -> str:
        return self.me.name if self.me is not None else self.username

    # --- running --------------------------------------------------------------------------------------

    async def run(self, stop: asyncio.Event) -> AutoAgentStats:
        """Work until ``stop`` is set; raises AutoAgentError when the login is refused."""
        work = asyncio.create_task(self._work())
        stopped = asyncio.create_task(stop.wait())
        try:
            await asyncio.wait({work, stopped}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (work, stopped, *self._tasks):
                task.cancel()
            await asyncio.gather(work, stopped, *self._tasks, return_exceptions=True)
            await close_quietly(self.peer)
            self.peer = None
        if work.done() and not work.cancelled() and work.exception() is not None:
            raise AutoAgentError(f"auto agent {self.username}: {work.exception()}")
        return self.stats

    async def _work(self) -> None:
        """Sessions one after the other; a lost connection counts as one error however long it takes."""
        while True:
            try:
                await self._session()
            except AutoAgentError:
                raise
            except (*NETWORK_ERRORS, RequestError) as exc:
                if self._pause == 0:
                    self.stats.errors += 1
                    log.warning("auto agent %s: connection lost (%r); reconnecting", self.username, exc)
                else:
                    log.debug("auto agent %s: reconnecting failed (%r)", self.username, exc)
            await self._drop_connection()
            self._pause = min(max(self._pause * 2, 0.2), 2.0)
            await asyncio.sleep(self._pause)

    async def _session(self) -> None:
        self.peer = peer = await Peer.open(self.url, ssl_context=self.ssl_context)
        if self.token is None:
            try:
                self.token = await peer.login(self.shop, self.username, self.password)
            except RequestError as exc:
                if exc.code == "unauthorized":
                    raise AutoAgentError(f"login refused ({exc.message})") from exc
                raise
        try:
            hello = await peer.hello("agent", self.token)
        except RequestError as exc:
            if exc.code == "unauthorized":
                self.token = None  # expired or revoked: log in again on the next connection
            raise
        self.me = hello.me
        snapshot = await peer.request(f.SyncSnapshot(id=""), p.SnapshotOk, timeout=REQUEST_TIMEOUT_S)
        self._load(snapshot)
        if self._pause > 0:  # back after a lost connection
            self.stats.reconnects += 1
            self._pause = 0.0
        log.info(
            "auto agent %s (%s) online with %d conversations",
            self.username,
            self.name,
            len(self.conversations),
        )
        self._spawn(self._closer())
        while True:
            event = await next_event(peer, 3600.0)
            if event is not None:
                self._handle(event)

    async def _drop_connection(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for conversation in self.conversations.values():
            conversation.task, conversation.closing = None, False
        await close_quietly(self.peer)
        self.peer = None

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _require_peer(self) -> Peer:
        if self.peer is None:
            raise ConnectionLost("not connected")
        return self.peer

    # --- state ----------------------------------------------------------------------------------------

    def _load(self, snapshot: p.SnapshotOk) -> None:
        assert self.me is not None
        self.snapshot_seq = snapshot.seq
        self.quick_replies = {r.id: r for r in snapshot.quick_replies}
        mine = next((a for a in snapshot.agents if a.id == self.me.id), None)
        if mine is not None:
            self.max_concurrent = max(1, mine.max_concurrent)
        self.waiting = {c.id: c for c in snapshot.conversations if c.status == "waiting"}
        active = {
            c.id: c for c in snapshot.conversations if c.status == "active" and c.assignee_id == self.me.id
        }
        for gone in set(self.conversations) - set(active):
            del self.conversations[gone]
        for conversation in active.values():
            self._track(conversation)
        self._try_accept()

    def _track(self, conversation: Conversation) -> _Conversation:
        """Follow a conversation assigned to us; answer it if the buyer is waiting for an answer."""
        loop = asyncio.get_running_loop()
        known = self.conversations.get(conversation.id)
        if known is None:
            known = _Conversation(
                id=conversation.id,
                customer_id=conversation.customer_id,
                nickname=conversation.customer_nickname,
                last_activity=loop.time(),
            )
            self.conversations[conversation.id] = known
        known.nickname = conversation.customer_nickname or known.nickname
        if conversation.waiting_since is not None and not known.pending and known.task is None:
            known.needs_history = True
            self._schedule_reply(known)
        return known

    def _handle(self, event: f.AnyEvent) -> None:
        if event.seq is not None and event.seq <= self.snapshot_seq:
            return  # the snapshot covers it
        assert self.me is not None
        if isinstance(event, f.ConversationAssigned):
            self.waiting.pop(event.data.conversation.id, None)
            self._track(event.data.conversation)
            self.stats.conversations_taken += 1
        elif isinstance(event, f.ConversationUpdated):
            conversation = event.data.conversation
            if conversation.status == "waiting":
                self.waiting[conversation.id] = conversation
                self._try_accept()
            else:
                self.waiting.pop(conversation.id, None)
            ours = conversation.status == "active" and conversation.assignee_id == self.me.id
            if not ours:
                self._forget(conversation.id)
            elif conversation.id in self.conversations:
                self.conversations[conversation.id].nickname = conversation.customer_nickname
        elif isinstance(event, f.MessageCreated):
            self._on_message(event.data.message)
        elif isinstance(event, f.QuickRepliesChanged):
            if event.data.quick_reply is not None:
                self.quick_replies[event.data.quick_reply.id] = event.data.quick_reply
            if event.data.deleted_id is not None:
                self.quick_replies.pop(event.data.deleted_id, None)
        elif isinstance(event, f.QueueUpdated):
            if event.data.waiting > 0:
                self._try_accept()
        elif isinstance(event, f.RatingReceived):
            self.stats.ratings_received += 1
            log.debug("auto agent %s rated %d", self.username, event.data.score)

    def _on_message(self, message: Message) -> None:
        conversation = self.conversations.get(message.conversation_id)
        if conversation is None or message.sender.role != "customer":
            return
        self._note_buyer_message(conversation, message)
        conversation.last_activity = asyncio.get_running_loop().time()
        self._schedule_reply(conversation)

    def _note_buyer_message(self, conversation: _Conversation, message: Message) -> None:
        body = message.body
        if message.kind == "order":
            conversation.order_id = str(body.get("order_id", "")) or conversation.order_id
            conversation.pending.append("订单")
        elif message.kind == "product":
            conversation.pending.append(str(body.get("title", "商品")))
        elif message.kind == "text":
            text = str(body.get("text", ""))
            found = _ORDER_NUMBER.search(text)
            if found is not None:
                conversation.order_id = found.group(0)
            conversation.pending.append(text)
        else:
            conversation.pending.append("图片")

    def _forget(self, conversation_id: str) -> None:
        conversation = self.conversations.pop(conversation_id, None)
        if conversation is None:
            return
        if conversation.task is not None and conversation.task is not asyncio.current_task():
            conversation.task.cancel()
        self._try_accept()

    def _try_accept(self) -> None:
        if self._accepting or not self.waiting or len(self.conversations) >= self.max_concurrent:
            return
        if self.peer is None or self.me is None:
            return
        oldest = min(self.waiting.values(), key=lambda c: (c.created_at, c.id))
        self._accepting = True
        self._spawn(self._accept(oldest.id))

    async def _accept(self, conversation_id: str) -> None:
        try:
            accepted = await self._require_peer().request(
                f.ConversationAccept(id="", data=p.ConversationRef(conversation_id=conversation_id)),
                p.ConversationData,
                timeout=REQUEST_TIMEOUT_S,
            )
            log.debug("auto agent %s accepted %s", self.username, accepted.conversation.id)
        except RequestError as exc:
            if exc.code not in ("conflict", "not_found"):  # taken by someone else: fine
                self.stats.errors += 1
                log.warning("auto agent %s: accept refused (%s)", self.username, exc)
        finally:
            self.waiting.pop(conversation_id, None)
            self._accepting = False
        self._try_accept()

    # --- answering ------------------------------------------------------------------------------------

    def _schedule_reply(self, conversation: _Conversation) -> None:
        if conversation.task is None and not conversation.closing and self.peer is not None:
            conversation.task = self._spawn(self._reply(conversation))

    async def _reply(self, conversation: _Conversation) -> None:
        peer = self._require_peer()
        try:
            if self.rng.random() < 0.7:
                notice = f.TypingSend(data=p.TypingData(conversation_id=conversation.id))
                with contextlib.suppress(*NETWORK_ERRORS):
                    await peer.send_frame(notice)
            await asyncio.sleep(self.rng.uniform(*self.reply_delay_s))
            if conversation.needs_history:
                await self._read_history(conversation)
            if not conversation.pending:
                return
            answered = list(conversation.pending)
            text = self._compose(conversation, " ".join(answered))
            await self._send(conversation, text)
            del conversation.pending[: len(answered)]
        except RequestError as exc:
            if exc.code in ("conflict", "forbidden", "not_found"):  # closed or transferred meanwhile
                self._forget(conversation.id)
                return
            self.stats.errors += 1
            log.warning("auto agent %s: reply refused (%s)", self.username, exc)
        except NETWORK_ERRORS:
            return  # the session loop notices the lost connection and reloads everything
        finally:
            if conversation.task is asyncio.current_task():
                conversation.task = None
        if conversation.pending and conversation.id in self.conversations:
            self._schedule_reply(conversation)  # the buyer said more while we were typing

    async def _read_history(self, conversation: _Conversation) -> None:
        """The buyer's messages since our last answer (for a conversation that reached us waiting)."""
        data = p.HistoryFetchData(conversation_id=conversation.id, limit=20)
        page = await self._require_peer().request(f.HistoryFetch(id="", data=data), p.HistoryOk)
        conversation.needs_history = False
        unanswered: list[Message] = []
        for message in page.messages:
            if message.sender.role == "agent":
                unanswered.clear()
            elif message.sender.role == "customer":
                unanswered.append(message)
        already = list(conversation.pending)
        conversation.pending.clear()
        for message in unanswered:
            self._note_buyer_message(conversation, message)
        conversation.pending.extend(text for text in already if text not in conversation.pending)

    def _compose(self, conversation: _Conversation, buyer_text: str) -> str:
        reply = choose_reply(
            list(self.quick_replies.values()),
            buyer_text,
            self.rng,
            first=conversation.replies == 0,
            order_known=conversation.order_id is not None,
            used=conversation.used,
        )
        if reply is None:
            return _FALLBACK
        conversation.used.add(reply.id)
        return fill_placeholders(
            reply.text, nickname=conversation.nickname, order_id=conversation.order_id, agent_name=self.name
        )

    async def _send(self, conversation: _Conversation, text: str) -> None:
        data = p.MessageSendData(
            conversation_id=conversation.id,
            client_msg_id=seeded_uuid(self.rng),
            kind="text",
            body={"text": text},
        )
        for attempt in range(6):
            try:
                await self._require_peer().request(
                    f.MessageSend(id="", data=data), p.MessageData, timeout=REQUEST_TIMEOUT_S
                )
                break
            except RequestError as exc:
                if exc.code not in TRANSIENT_CODES or attempt == 5:
                    raise
                await asyncio.sleep(0.5 * (attempt + 1))
        conversation.replies += 1
        conversation.last_activity = asyncio.get_running_loop().time()
        self.stats.replies_sent += 1
        log.debug("auto agent %s → %s: %s", self.username, conversation.nickname, text)

    # --- wrapping up ----------------------------------------------------------------------------------

    async def _closer(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            await asyncio.sleep(max(0.05, min(1.0, self.idle_close_s / 4)))
            now = loop.time()
            for conversation in list(self.conversations.values()):
                busy = conversation.closing or conversation.task is not None or conversation.pending
                if not busy and now - conversation.last_activity >= self.idle_close_s:
                    conversation.closing = True
                    self._spawn(self._wrap_up(conversation))

    async def _wrap_up(self, conversation: _Conversation) -> None:
        peer = self._require_peer()
        ref = p.ConversationRef(conversation_id=conversation.id)
        try:
            try:
                await peer.request(f.RatingInvite(id="", data=ref), p.Empty, timeout=REQUEST_TIMEOUT_S)
                self.stats.ratings_invited += 1
            except RequestError as exc:
                if exc.code != "conflict":  # conflict: rated already
                    raise
            close = p.CloseData(conversation_id=conversation.id, reason="买家已无新问题")
            await peer.request(
                f.ConversationClose(id="", data=close), p.ConversationData, timeout=REQUEST_TIMEOUT_S
            )
            self.stats.conversations_closed += 1
            log.debug("auto agent %s closed the conversation with %s", self.username, conversation.nickname)
            self._forget(conversation.id)
        except RequestError as exc:
            if exc.code in ("conflict", "forbidden", "not_found"):
                self._forget(conversation.id)
            else:
                conversation.closing = False
                self.stats.errors += 1
                log.warning("auto agent %s: closing refused (%s)", self.username, exc)
        except NETWORK_ERRORS:
            conversation.closing = False


async def run_auto_agents(
    url: str,
    count: int,
    stop: asyncio.Event,
    *,
    usernames: Sequence[str] = DEMO_AGENT_USERNAMES,
    password: str = DEMO_PASSWORD,
    shop: str = DEMO_SHOP_ID,
    seed: int = 0,
    reply_delay_s: tuple[float, float] = (1.5, 5.0),
    idle_close_s: float = 30.0,
    ssl_context: ssl.SSLContext | None = None,
) -> list[AutoAgentStats]:
    """Run ``count`` auto agents (the first ``count`` of ``usernames``) until ``stop`` is set."""
    if not 0 <= count <= len(usernames):
        raise ValueError(f"between 0 and {len(usernames)} auto agents")
    agents = [
        AutoAgent(
            url,
            username,
            password,
            shop=shop,
            seed=seed + number,
            reply_delay_s=reply_delay_s,
            idle_close_s=idle_close_s,
            ssl_context=ssl_context,
        )
        for number, username in enumerate(usernames[:count])
    ]

    async def run(agent: AutoAgent) -> AutoAgentStats:
        try:
            return await agent.run(stop)
        except AutoAgentError as exc:
            agent.stats.errors += 1
            log.error("%s", exc)  # the others carry on
            return agent.stats

    return list(await asyncio.gather(*(run(agent) for agent in agents)))
