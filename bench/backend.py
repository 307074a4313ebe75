"""End-to-end load on the real reference backend: agents and buyers chatting over loopback websockets.

The backend runs as ``python -m desktop serve`` in its own process on a fresh database that holds the demo
shop plus ``--agents`` benchmark agents (each taking up to ``ceil(buyers / agents)`` conversations). Load
generator process(es) connect the agents (``login`` + ``hello``) and the buyers (``customer.register`` +
``hello``); every buyer opens a conversation with a first message, which routes it to an agent. Then buyers
send text messages at a total ``--rate`` (open loop: on schedule, whether or not earlier ones were answered)
and agents answer every ``--reply-every``-th message they receive: ``--warmup`` seconds untimed, then
``--duration`` seconds measured.

Latency is from just before ``message.send`` leaves the sender to the moment the other side's reader has
decoded the ``message.created`` that carries the same ``client_msg_id``. The send time
(``time.perf_counter_ns``, CLOCK_MONOTONIC on Linux, so comparable across processes of one machine) travels
inside the ``client_msg_id``, which works whether sender and receiver share a process or not.

Run from the repository root::

    python -m bench.backend [--agents N] [--buyers M] [--rate R] [--duration D] [--warmup W]
                            [--generators K] [--seed S] [--reply-every E] [--no-compression]
                            [--server-profile FILE] [--workdir DIR] [--quick] [--json-only]

One JSON object goes to stdout; a table goes to stderr unless ``--json-only``. Linux only (``/proc``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import json
import math
import multiprocessing
import os
import platform
import random
import resource
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, Final

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed
from websockets.typing import Subprotocol
from websockets.version import version as websockets_version

import desktop
from bench.protocol import chinese_text
from desktop.protocol import SUBPROTOCOL, limits
from desktop.server import accounts, db, seeding
from tests.integration.backend import BackendProcess

SHOP: Final = "demo"
AGENT_PASSWORD: Final = "bench-secret"
DEMO_BUYERS: Final = 200  # c0001..c0200 exist in the demo seed; more buyers register anonymously
GOAL_P99_MS: Final = 100.0
DEFAULT_SEED: Final = 20_261_125
AGENT_LOGIN_CONCURRENCY: Final = 4  # per generator: each login is a ~50 ms scrypt on the server
BUYER_CONNECT_CONCURRENCY: Final = 64  # per generator
CONNECT_TIMEOUT_S: Final = 120.0  # for each connection phase as a whole
REQUEST_TIMEOUT_S: Final = 30.0
DRAIN_TIMEOUT_S: Final = 15.0  # after the last send: wait this long at most for replies and deliveries
QUIET_S: Final = 0.5  # ... and stop waiting once nothing arrived for this long with every reply in
START_DELAY_S: Final = 0.5  # between "go" and the first scheduled send, so every generator starts together
FD_MARGIN: Final = 256
STATE_EVERY_S: Final = 0.01


@dataclass(frozen=True)
class Config:
    agents: int = 200
    buyers: int = 2_000
    rate: float = 1_000.0  # buyer messages per second, all buyers together
    duration: float = 20.0  # measured seconds
    warmup: float = 5.0  # seconds of traffic before the measurement
    generators: int = 1  # load-generator processes (1: the benchmark's own process)
    seed: int = DEFAULT_SEED
    reply_every: int = 5  # an agent answers every n-th buyer message it receives (0: never)
    compression: bool = True  # permessage-deflate, as websockets (and desktop.server.peer) negotiate
    server_profile: Path | None = None  # run the server under cProfile, writing this file


QUICK: Final = Config(agents=20, buyers=200, rate=200.0, duration=5.0, warmup=2.0)


def max_concurrent_for(config: Config) -> int:
    """Conversations per agent so every buyer gets one (routing spreads them evenly)."""
    per_agent = max(1, math.ceil(config.buyers / config.agents))
    if per_agent > 100:
        raise ValueError(f"{config.buyers} buyers need more than 100 conversations per agent: add agents")
    return per_agent


def server_rate_for(config: Config) -> float:
    """The server's per-connection frame rate limit (``--rate``): far above what any one connection sends."""
    return max(1_000.0, config.rate)


# --- /proc ----------------------------------------------------------------------------------------------

_CLOCK_TICKS: Final = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (all its threads), from /proc/<pid>/stat."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "; fields[0] is the state
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak RSS) of a process, in KiB."""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0])
    return out


def machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)  # idle + iowait
    total = sum(values[:8])  # guest time is already counted in user
    return float(total - idle), float(total)


@dataclass
class CpuSample:
    at_ns: int
    per_pid: dict[int, float]
    machine: tuple[float, float]
    memory: dict[str, int]  # of the first pid (the server)
    sched: tuple[int, int]  # of the first pid's main thread: ns on a CPU, ns runnable but waiting for one
    io: dict[str, int]  # of the first pid: /proc/<pid>/io (wchar, write_bytes, ...)


def schedstat(pid: int) -> tuple[int, int]:
    """(ns on a CPU, ns waiting on a run queue) of a process's main thread, from /proc/<pid>/schedstat."""
    on_cpu, waiting, _ = Path(f"/proc/{pid}/schedstat").read_text().split()
    return int(on_cpu), int(waiting)


def io_counters(pid: int) -> dict[str, int]:
    """/proc/<pid>/io: wchar (bytes passed to write()), write_bytes (bytes sent to the block layer), …"""
    out: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/io").read_text().splitlines():
        key, _, value = line.partition(":")
        out[key] = int(value)
    return out


def task_state(pid: int) -> str:
    """R (running or runnable), S (sleeping: idle in epoll), D (uninterruptible: waiting for the disk), …"""
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2]


def sample_cpu(pids: Sequence[int]) -> CpuSample:
    per_pid: dict[int, float] = {}
    for pid in pids:
        with contextlib.suppress(OSError, ValueError, IndexError):
            per_pid[pid] = cpu_seconds(pid)
    memory: dict[str, int] = {}
    sched = (0, 0)
    io: dict[str, int] = {}
    with contextlib.suppress(OSError, ValueError, IndexError):
        memory = memory_kib(pids[0])
        sched = schedstat(pids[0])
        io = io_counters(pids[0])
    return CpuSample(time.perf_counter_ns(), per_pid, machine_cpu(), memory, sched, io)


def raise_fd_limit(needed: int) -> dict[str, int]:
    """Raise this process's soft RLIMIT_NOFILE to ``needed`` if it is lower; children inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    infinity = resource.RLIM_INFINITY
    target = soft
    if soft != infinity and soft < needed:
        if hard != infinity and hard < needed:
            raise SystemExit(
                f"bench.backend: {needed} file descriptors needed per process, but the hard limit is {hard};"
                " raise it (ulimit -Hn, /etc/security/limits.conf) or run fewer connections"
            )
        target = needed
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return {"soft_before": soft, "soft": target, "hard": hard, "needed": needed}


# --- the server -----------------------------------------------------------------------------------------


def prepare_database(path: Path, agents: int, max_concurrent: int) -> list[str]:
    """A fresh database with the demo shop and ``agents`` benchmark agents; returns their user names."""
    conn = db.connect(path)
    try:
        now = time.time_ns() // 1_000_000
        seeding.seed_database(conn, "demo", now)
        password_hash = accounts.hash_password(AGENT_PASSWORD)  # one scrypt for all of them
        usernames = [f"bench{i:04d}" for i in range(1, agents + 1)]
        for number, username in enumerate(usernames, start=1):
            accounts.add_agent(
                conn,
                SHOP,
                username,
                f"压测客服{number:04d}",
                AGENT_PASSWORD,
                now,
                max_concurrent=max_concurrent,
                password_hash=password_hash,
            )
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return usernames


def server_process(db_path: Path, home: Path, rate: float, profile: Path | None = None) -> BackendProcess:
    """``python -m desktop serve --plain --port 0`` on the prepared database, under cProfile if asked."""
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile is not None else []
    return BackendProcess(
        db_path, home=home, extra=["--host", "127.0.0.1", "--rate", str(rate)], python_args=profiler
    )


# --- what the generators read: only the fields they use (unknown fields are skipped) ---------------------


class _Envelope(msgspec.Struct):
    type: str
    re: str | None = None
    data: msgspec.Raw = msgspec.field(default_factory=lambda: msgspec.Raw(b"{}"))


class _Party(msgspec.Struct):
    role: str


class _Message(msgspec.Struct):
    conversation_id: str
    sender: _Party
    client_msg_id: str | None = None


class _MessageData(msgspec.Struct):
    message: _Message


class _Conversation(msgspec.Struct):
    id: str
    status: str


class _ConversationData(msgspec.Struct):
    conversation: _Conversation


class _ErrorData(msgspec.Struct):
    code: str
    message: str = ""


class _LoginOk(msgspec.Struct):
    token: str


class _RegisterOk(msgspec.Struct):
    token: str
    customer_id: str


_decode_envelope = msgspec.json.Decoder(_Envelope).decode
_decode_message = msgspec.json.Decoder(_MessageData).decode
_decode_conversation = msgspec.json.Decoder(_ConversationData).decode
_decode_error = msgspec.json.Decoder(_ErrorData).decode
_encode = msgspec.json.Encoder().encode


class RequestFailed(Exception):
    pass


# --- one generator: a share of the agents and buyers, in one event loop ---------------------------------


@dataclass(frozen=True)
class GeneratorSpec:
    index: int
    url: str
    agents: tuple[str, ...]  # user names
    buyers: tuple[int, ...]  # buyer numbers, 1-based across all generators
    rate: float  # this generator's share of the buyer messages per second
    reply_every: int
    compression: bool
    seed: int


@dataclass(frozen=True)
class Plan:
    """When traffic runs, in perf_counter_ns (the same clock in every process of the machine)."""

    start_ns: int  # first scheduled send (warm-up starts)
    window_start_ns: int  # measurement starts
    stop_ns: int  # measurement and sending end


@dataclass
class _RoleStats:
    """Messages one role sent; what this generator saw of them."""

    sent: int = 0  # sends in the window
    acked: int = 0  # ... answered ok (by the end of the drain)
    acks_in_window: int = 0  # ok replies received during the window, whenever sent
    delivered: int = 0  # ... of the window's sends, received by the other side here
    latency_us: list[int] = field(default_factory=list)  # delivery latency, window's sends
    latency_second: list[int] = field(default_factory=list)  # ... and the second of the window they left in
    ack_us: list[int] = field(default_factory=list)  # message.send -> ok, window's sends


class _Client:
    """One websocket: an agent or a buyer. Replies and events are handled right in the reader."""

    def __init__(self, gen: Generator, role: str, number: int, ws: ClientConnection) -> None:
        self.gen, self.role, self.number, self.ws = gen, role, number, ws
        self.tag = f"{role[0]}{number}"
        self.ids = itertools.count(1)
        self.waiting: dict[str, asyncio.Future[msgspec.Raw]] = {}
        self.sends: dict[str, int] = {}  # request id of a message.send in flight -> send time (ns)
        self.conversation_id: str | None = None
        self.active = False  # buyers: the conversation is assigned to an agent
        self.customer_messages = 0  # agents: buyer messages received
        self.reader = asyncio.create_task(self._read())

    async def request(self, type_: str, data: dict[str, Any]) -> msgspec.Raw:
        rid = f"r{next(self.ids)}"
        future: asyncio.Future[msgspec.Raw] = asyncio.get_running_loop().create_future()
        self.waiting[rid] = future
        await self.ws.send(_encode({"type": type_, "id": rid, "data": data}), text=True)
        return await asyncio.wait_for(future, REQUEST_TIMEOUT_S)

    async def send_text(self, conversation_id: str | None, text: str) -> None:
        rid = f"r{next(self.ids)}"
        now = time.perf_counter_ns()
        data: dict[str, Any] = {
            "client_msg_id": f"{now}.{self.tag}.{rid}",
            "kind": "text",
            "body": {"text": text},
        }
        if conversation_id is not None:
            data["conversation_id"] = conversation_id
        self.sends[rid] = now
        self.gen.on_send(self.role, now)
        await self.ws.send(_encode({"type": "message.send", "id": rid, "data": data}), text=True)

    async def _read(self) -> None:
        gen = self.gen
        try:
            async for raw in self.ws:
                try:
                    frame = _decode_envelope(raw)
                    kind = frame.type
                    if kind == "message.created":
                        await self._message(_decode_message(frame.data).message)
                    elif kind == "ok":
                        self._reply(frame.re, frame.data, None)
                    elif kind == "error":
                        self._reply(frame.re, None, _decode_error(frame.data))
                    elif kind == "conversation.updated" and self.role == "buyer":
                        # A buyer has one conversation; this may come before its id is known.
                        self._set_active(_decode_conversation(frame.data).conversation.status == "active")
                except msgspec.DecodeError:
                    gen.counters["decode_errors"] += 1
        except ConnectionClosed:
            pass
        except Exception:  # a bug here must show, not hang the run
            gen.failures.append(traceback.format_exc())
        finally:
            if not gen.closing:
                gen.counters["disconnects"] += 1
            for future in self.waiting.values():
                if not future.done():
                    future.set_exception(ConnectionError("connection closed"))

    def _set_active(self, active: bool) -> None:
        if active != self.active:
            self.active = active
            self.gen.active_buyers += 1 if active else -1

    def _reply(self, re: str | None, data: msgspec.Raw | None, error: _ErrorData | None) -> None:
        if re is None:
            self.gen.counters["errors_without_re"] += 1
            return
        sent = self.sends.pop(re, None)
        if sent is not None:
            self.gen.on_ack(self.role, sent, error)
            return
        future = self.waiting.pop(re, None)
        if future is not None and not future.done():
            if error is not None:
                future.set_exception(RequestFailed(f"{error.code}: {error.message}"))
            else:
                assert data is not None
                future.set_result(data)

    async def _message(self, message: _Message) -> None:
        sender = message.sender.role
        if self.role == "buyer":
            if sender == "agent":
                self.gen.on_delivery("agent", message.client_msg_id)
            return  # else the buyer's own message, echoed
        if sender != "customer":
            return  # the agent's own message, echoed to all its connections
        self.gen.on_delivery("buyer", message.client_msg_id)
        self.customer_messages += 1
        gen = self.gen
        if gen.reply_every and self.customer_messages % gen.reply_every == 0 and gen.sending():
            await self.send_text(message.conversation_id, gen.next_text("agent"))


class Generator:
    """Connects its agents and buyers, runs the traffic plan, reports what it measured."""

    def __init__(self, spec: GeneratorSpec) -> None:
        self.spec = spec
        self.reply_every = spec.reply_every
        rng = random.Random(spec.seed * 1_000 + spec.index)
        self.rng = rng
        self.texts = {
            "buyer": [chinese_text(rng, agent=False) for _ in range(512)],
            "agent": [chinese_text(rng, agent=True) for _ in range(512)],
        }
        self._text_no = itertools.count()
        self.agents: list[_Client] = []
        self.buyers: list[_Client] = []
        self.active_buyers = 0
        self.counters: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.failures: list[str] = []
        self.closing = False
        self.plan: Plan | None = None
        self.stats = {"buyer": _RoleStats(), "agent": _RoleStats()}
        self.in_flight = 0
        self.last_arrival_ns = 0
        self.lag_us: list[int] = []  # how late each scheduled buyer send left

    def next_text(self, role: str) -> str:
        texts = self.texts[role]
        return texts[next(self._text_no) % len(texts)]

    # --- counting -------------------------------------------------------------------------------------

    def sending(self) -> bool:
        plan = self.plan
        return plan is not None and plan.start_ns <= time.perf_counter_ns() < plan.stop_ns

    def _in_window(self, sent_ns: int) -> bool:
        plan = self.plan
        return plan is not None and plan.window_start_ns <= sent_ns < plan.stop_ns

    def on_send(self, role: str, sent_ns: int) -> None:
        self.in_flight += 1
        if self._in_window(sent_ns):
            self.stats[role].sent += 1

    def on_ack(self, role: str, sent_ns: int, error: _ErrorData | None) -> None:
        now = time.perf_counter_ns()
        self.in_flight -= 1
        self.last_arrival_ns = now
        if error is not None:
            self.errors[error.code] += 1
            return
        stats = self.stats[role]
        if self._in_window(now):
            stats.acks_in_window += 1
        if self._in_window(sent_ns):
            stats.acked += 1
            stats.ack_us.append((now - sent_ns) // 1_000)

    def on_delivery(self, sender_role: str, client_msg_id: str | None) -> None:
        now = time.perf_counter_ns()
        self.last_arrival_ns = now
        if client_msg_id is None:
            return
        sent_ns = int(client_msg_id[: client_msg_id.index(".")])
        plan = self.plan
        if plan is not None and plan.window_start_ns <= sent_ns < plan.stop_ns:
            stats = self.stats[sender_role]
            stats.delivered += 1
            stats.latency_us.append((now - sent_ns) // 1_000)
            stats.latency_second.append((sent_ns - plan.window_start_ns) // 1_000_000_000)

    # --- connecting -----------------------------------------------------------------------------------

    async def _open(self, role: str, number: int) -> _Client:
        ws = await connect(
            self.spec.url,
            subprotocols=[Subprotocol(SUBPROTOCOL)],
            max_size=limits.MAX_FRAME_BYTES,
            compression="deflate" if self.spec.compression else None,
            ping_interval=None,  # the server pings every 20 s; one side is enough
            open_timeout=REQUEST_TIMEOUT_S,
        )
        return _Client(self, role, number, ws)

    @staticmethod
    def _hello(role: str, token: str) -> dict[str, Any]:
        return {
            "role": role,
            "token": token,
            "client": {"name": "shopdesk-bench", "version": desktop.__version__},
        }

    async def _connect_agent(self, username: str, gate: asyncio.Semaphore) -> None:
        async with gate:
            client = await self._open("agent", int(username.removeprefix("bench")))
            self.agents.append(client)
            login = await client.request(
                "login", {"shop": SHOP, "username": username, "password": AGENT_PASSWORD}
            )
            token = msgspec.json.decode(login, type=_LoginOk).token
            await client.request("hello", self._hello("agent", token))

    async def _connect_buyer(self, number: int, gate: asyncio.Semaphore) -> None:
        async with gate:
            client = await self._open("buyer", number)
            self.buyers.append(client)
            register: dict[str, Any] = {"shop": SHOP}
            if number <= DEMO_BUYERS:
                external_id = f"c{number:04d}"
                register["external_id"] = external_id
                register["signature"] = accounts.widget_signature(
                    seeding.DEMO_WIDGET_SECRET, SHOP, external_id
                )
            else:
                register["nickname"] = f"压测买家{number:04d}"
            reply = await client.request("customer.register", register)
            token = msgspec.json.decode(reply, type=_RegisterOk).token
            await client.request("hello", self._hello("customer", token))
            # The first message opens the conversation and routes it to an agent.
            first = {
                "client_msg_id": f"{time.perf_counter_ns()}.{client.tag}.first",
                "kind": "text",
                "body": {"text": self.next_text("buyer")},
            }
            reply = await client.request("message.send", first)
            client.conversation_id = _decode_message(reply).message.conversation_id

    async def _gather(self, jobs: list[Any], what: str) -> dict[str, Any]:
        started = time.perf_counter()
        results = await asyncio.wait_for(asyncio.gather(*jobs, return_exceptions=True), CONNECT_TIMEOUT_S)
        failed = [r for r in results if isinstance(r, BaseException)]
        if failed:
            reasons = Counter(f"{type(exc).__name__}: {exc}" for exc in failed)
            raise RuntimeError(f"{len(failed)} of {len(jobs)} {what} failed to connect: {dict(reasons)}")
        return {"connected": len(jobs), "seconds": round(time.perf_counter() - started, 2)}

    async def connect_agents(self) -> dict[str, Any]:
        gate = asyncio.Semaphore(AGENT_LOGIN_CONCURRENCY)
        return await self._gather([self._connect_agent(name, gate) for name in self.spec.agents], "agents")

    async def connect_buyers(self) -> dict[str, Any]:
        """Connect the buyers, open their conversations, wait (bounded) until each is assigned."""
        gate = asyncio.Semaphore(BUYER_CONNECT_CONCURRENCY)
        report = await self._gather([self._connect_buyer(n, gate) for n in self.spec.buyers], "buyers")
        deadline = time.monotonic() + REQUEST_TIMEOUT_S
        while self.active_buyers < len(self.buyers) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        missing = sum(1 for b in self.buyers if b.conversation_id is None)
        report.update(assigned=self.active_buyers, without_conversation=missing)
        report["seconds"] = round(report["seconds"], 2)
        return report

    # --- traffic --------------------------------------------------------------------------------------

    async def run_traffic(self, plan: Plan) -> dict[str, Any]:
        """Send on schedule until ``plan.stop_ns``, drain, and return this generator's measurements."""
        self.plan = plan
        self.stats = {"buyer": _RoleStats(), "agent": _RoleStats()}
        self.errors.clear()
        buyers = [b for b in self.buyers if b.conversation_id is not None]
        self.rng.shuffle(buyers)
        if buyers and self.spec.rate > 0:
            await self._drive(plan, buyers)
        else:
            await _sleep_until(plan.stop_ns)
        drained = await self._drain()
        return self._result(drained)

    async def _drive(self, plan: Plan, buyers: list[_Client]) -> None:
        """Open loop: send k is due at start + k / rate; late sends go at once (their lateness is kept)."""
        interval_ns = 1e9 / self.spec.rate
        k = 0
        await _sleep_until(plan.start_ns)
        while True:
            now = time.perf_counter_ns()
            if now >= plan.stop_ns:
                return
            due = int((now - plan.start_ns) / interval_ns) + 1
            while k < due:
                scheduled = plan.start_ns + int(k * interval_ns)
                if scheduled >= plan.stop_ns:
                    return
                buyer = buyers[k % len(buyers)]
                if plan.window_start_ns <= scheduled:
                    self.lag_us.append((time.perf_counter_ns() - scheduled) // 1_000)
                await buyer.send_text(buyer.conversation_id, self.next_text("buyer"))
                k += 1
            next_due = plan.start_ns + int(k * interval_ns)
            await asyncio.sleep(max(0.0, (next_due - time.perf_counter_ns()) / 1e9))

    async def _drain(self) -> bool:
        """Wait for outstanding replies and deliveries: until quiet with nothing in flight, or a deadline."""
        deadline = time.perf_counter_ns() + int(DRAIN_TIMEOUT_S * 1e9)
        while time.perf_counter_ns() < deadline:
            quiet = time.perf_counter_ns() - self.last_arrival_ns > QUIET_S * 1e9
            if self.in_flight <= 0 and quiet:
                return True
            await asyncio.sleep(0.05)
        return False

    def _result(self, drained: bool) -> dict[str, Any]:
        return {
            "index": self.spec.index,
            "pid": os.getpid(),
            "drained": drained,
            "in_flight": self.in_flight,
            "stats": {role: asdict(stats) for role, stats in self.stats.items()},
            "errors": dict(self.errors),
            "counters": dict(self.counters),
            "lag_us": self.lag_us,
            "failures": self.failures[:5],
        }

    async def close(self) -> None:
        self.closing = True
        clients = self.buyers + self.agents
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.gather(*(c.ws.close() for c in clients), return_exceptions=True), 30
            )
        for client in clients:
            client.reader.cancel()
        await asyncio.gather(*(c.reader for c in clients), return_exceptions=True)


async def _sleep_until(at_ns: int) -> None:
    delay = (at_ns - time.perf_counter_ns()) / 1e9
    if delay > 0:
        await asyncio.sleep(delay)


# --- coordination: one generator in this process, or K generator processes -----------------------------


def split(config: Config, url: str, usernames: Sequence[str]) -> list[GeneratorSpec]:
    """Agents and buyers dealt round-robin to the generators; each gets its buyers' share of the rate."""
    k = config.generators
    buyer_numbers = list(range(1, config.buyers + 1))
    specs = []
    for index in range(k):
        buyers = tuple(buyer_numbers[index::k])
        specs.append(
            GeneratorSpec(
                index=index,
                url=url,
                agents=tuple(usernames[index::k]),
                buyers=buyers,
                rate=config.rate * len(buyers) / config.buyers,
                reply_every=config.reply_every,
                compression=config.compression,
                seed=config.seed,
            )
        )
    return specs


def make_plan(config: Config) -> Plan:
    start = time.perf_counter_ns() + int(START_DELAY_S * 1e9)
    window_start = start + int(config.warmup * 1e9)
    return Plan(start, window_start, window_start + int(config.duration * 1e9))


@dataclass
class _Run:
    connect: dict[str, Any]
    results: list[dict[str, Any]]
    window: _Window
    generator_pids: list[int]


@dataclass
class _Window:
    first: CpuSample
    last: CpuSample
    states: Counter[str]  # the server's main thread, sampled every STATE_EVERY_S
    by_second: dict[int, Counter[str]]  # the same, per second of the window


async def _sample_window(plan: Plan, pids: Sequence[int]) -> _Window:
    """CPU and memory at the start and end of the window, the server's state every STATE_EVERY_S."""
    await _sleep_until(plan.window_start_ns)
    first = sample_cpu(pids)
    states: Counter[str] = Counter()
    by_second: dict[int, Counter[str]] = {}
    while (now := time.perf_counter_ns()) < plan.stop_ns:
        with contextlib.suppress(OSError, IndexError):
            state = task_state(pids[0])
            states[state] += 1
            by_second.setdefault((now - plan.window_start_ns) // 1_000_000_000, Counter())[state] += 1
        await asyncio.sleep(STATE_EVERY_S)
    return _Window(first, sample_cpu(pids), states, by_second)


async def _run_here(config: Config, spec: GeneratorSpec, server_pid: int) -> _Run:
    gen = Generator(spec)
    try:
        agents = await gen.connect_agents()
        buyers = await gen.connect_buyers()
        plan = make_plan(config)
        pids = [server_pid, os.getpid()]
        sampler = asyncio.create_task(_sample_window(plan, pids))
        result = await gen.run_traffic(plan)
        window = await sampler
    finally:
        await gen.close()
    return _Run({"agents": agents, "buyers": buyers}, [result], window, [os.getpid()])


def _worker(spec: GeneratorSpec, conn: Connection) -> None:
    """A generator process: steps through the phases the parent sends it, one reply per phase."""
    asyncio.run(_worker_main(spec, conn))


async def _worker_main(spec: GeneratorSpec, conn: Connection) -> None:
    loop = asyncio.get_running_loop()
    gen = Generator(spec)
    try:
        while True:
            command, arg = await loop.run_in_executor(None, conn.recv)
            if command == "agents":
                conn.send(("ok", await gen.connect_agents()))
            elif command == "buyers":
                conn.send(("ok", await gen.connect_buyers()))
            elif command == "go":
                conn.send(("ok", await gen.run_traffic(arg)))
            else:
                break
    except Exception:
        conn.send(("failed", traceback.format_exc()))
    finally:
        await gen.close()
        conn.close()


class _Workers:
    def __init__(self, specs: Sequence[GeneratorSpec]) -> None:
        context = multiprocessing.get_context("spawn")  # no fork of a process with threads
        self.pipes: list[Connection] = []
        self.procs: list[BaseProcess] = []
        for spec in specs:
            parent, child = context.Pipe()
            proc = context.Process(target=_worker, args=(spec, child), name=f"bench-generator-{spec.index}")
            proc.start()
            child.close()
            self.pipes.append(parent)
            self.procs.append(proc)

    def step(self, command: str, arg: Any = None, timeout: float = CONNECT_TIMEOUT_S + 30) -> list[Any]:
        for pipe in self.pipes:
            pipe.send((command, arg))
        replies = []
        for index, pipe in enumerate(self.pipes):
            if not pipe.poll(timeout):
                raise RuntimeError(f"generator {index} did not answer {command!r} within {timeout:.0f} s")
            status, value = pipe.recv()
            if status != "ok":
                raise RuntimeError(f"generator {index} failed in {command!r}:\n{value}")
            replies.append(value)
        return replies

    def close(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError, ValueError):
                pipe.send(("stop", None))
        for proc in self.procs:
            proc.join(45)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
        for pipe in self.pipes:
            pipe.close()


def _run_workers(config: Config, specs: Sequence[GeneratorSpec], server_pid: int) -> _Run:
    workers = _Workers(specs)
    try:
        agents = workers.step("agents")
        buyers = workers.step("buyers")
        plan = make_plan(config)
        pids = [server_pid, *(p.pid for p in workers.procs if p.pid is not None)]
        for pipe in workers.pipes:
            pipe.send(("go", plan))
        window = asyncio.run(_sample_window(plan, pids))
        results = []
        for index, pipe in enumerate(workers.pipes):
            if not pipe.poll(DRAIN_TIMEOUT_S + 30):
                raise RuntimeError(f"generator {index} sent no result")
            status, value = pipe.recv()
            if status != "ok":
                raise RuntimeError(f"generator {index} failed:\n{value}")
            results.append(value)
        connect = {"agents": _sum_connect(agents), "buyers": _sum_connect(buyers)}
        return _Run(connect, results, window, pids[1:])
    finally:
        workers.close()


def _sum_connect(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    total: dict[str, Any] = {}
    for report in reports:
        for key, value in report.items():
            total[key] = max(total.get(key, 0), value) if key == "seconds" else total.get(key, 0) + value
    return total


# --- the report -----------------------------------------------------------------------------------------


def percentiles(values: Sequence[int], scale: float = 1e-3) -> dict[str, float | int | None]:
    """n, p50, p90, p99, max and mean of ``values`` times ``scale`` (µs -> ms by default), nearest rank."""
    if not values:
        return {"n": 0, "p50": None, "p90": None, "p99": None, "max": None, "mean": None}
    ordered = sorted(values)
    n = len(ordered)

    def rank(q: float) -> float:
        return round(ordered[max(0, math.ceil(q * n) - 1)] * scale, 2)

    return {
        "n": n,
        "p50": rank(0.50),
        "p90": rank(0.90),
        "p99": rank(0.99),
        "max": round(ordered[-1] * scale, 2),
        "mean": round(sum(ordered) / n * scale, 2),
    }


def by_second(latency_us: Sequence[int], second: Sequence[int]) -> list[list[float | int | None]]:
    """[second of the window the message left in, n, p50 ms, p99 ms, max ms]: does a backlog build up?"""
    groups: dict[int, list[int]] = {}
    for value, at in zip(latency_us, second, strict=True):
        groups.setdefault(at, []).append(value)
    rows: list[list[float | int | None]] = []
    for at in sorted(groups):
        stats = percentiles(groups[at])
        rows.append([at, stats["n"], stats["p50"], stats["p99"], stats["max"]])
    return rows


def _main_thread(window: _Window, seconds: float) -> dict[str, Any]:
    """Where the server's event-loop thread spent the window: on a CPU, waiting for one, on the disk, idle."""
    on_cpu = (window.last.sched[0] - window.first.sched[0]) / 1e9
    queued = (window.last.sched[1] - window.first.sched[1]) / 1e9
    samples = sum(window.states.values())
    written = window.last.io.get("write_bytes", 0) - window.first.io.get("write_bytes", 0)
    shares = {state: round(n / samples * 100, 1) for state, n in sorted(window.states.items())}
    return {
        "loop_cpu_pct": round(on_cpu / seconds * 100, 1) if seconds > 0 else None,
        "loop_runqueue_wait_pct": round(queued / seconds * 100, 1) if seconds > 0 else None,
        "loop_state_pct": shares,  # R running or runnable, D waiting for the disk, S idle
        "write_mib_per_s": round(written / 2**20 / seconds, 1) if seconds > 0 else None,
    }


def _per_message(window: _Window, messages: int) -> dict[str, float | None]:
    """KiB the server wrote per acknowledged message: through write() (wchar: its database files and logs;
    socket sends are not counted) and to the block layer (write_bytes)."""
    out: dict[str, float | None] = {}
    for key, name in (("wchar", "all_writes"), ("write_bytes", "to_disk")):
        delta = window.last.io.get(key, 0) - window.first.io.get(key, 0)
        out[name] = round(delta / 1024 / messages, 1) if messages else None
    return out


def build_report(config: Config, run: _Run, server_pid: int, extra: dict[str, Any]) -> dict[str, Any]:
    first, last = run.window.first, run.window.last
    seconds = (last.at_ns - first.at_ns) / 1e9

    def cpu_pct(pid: int) -> float | None:
        if pid not in first.per_pid or pid not in last.per_pid or seconds <= 0:
            return None
        return round((last.per_pid[pid] - first.per_pid[pid]) / seconds * 100, 1)

    busy = last.machine[0] - first.machine[0]
    total = last.machine[1] - first.machine[1]
    roles: dict[str, dict[str, Any]] = {}
    for role in ("buyer", "agent"):
        merged = _RoleStats()
        for result in run.results:
            stats = result["stats"][role]
            merged.sent += stats["sent"]
            merged.acked += stats["acked"]
            merged.acks_in_window += stats["acks_in_window"]
            merged.delivered += stats["delivered"]
            merged.latency_us.extend(stats["latency_us"])
            merged.latency_second.extend(stats["latency_second"])
            merged.ack_us.extend(stats["ack_us"])
        roles[role] = asdict(merged)
    errors: Counter[str] = Counter()
    counters: Counter[str] = Counter()
    for result in run.results:
        errors.update(result["errors"])
        counters.update(result["counters"])
    buyer, agent = roles["buyer"], roles["agent"]
    b2a, a2b = percentiles(buyer["latency_us"]), percentiles(agent["latency_us"])
    lag = [v for result in run.results for v in result["lag_us"]]
    p99s = [v for v in (b2a["p99"], a2b["p99"]) if v is not None]
    memory = last.memory  # at the end of the window
    report: dict[str, Any] = {
        "benchmark": "backend",
        "agents": config.agents,
        "buyers": config.buyers,
        "generators": config.generators,
        "target_rate": config.rate,
        "duration_s": config.duration,
        "warmup_s": config.warmup,
        "reply_every": config.reply_every,
        "compression": config.compression,
        "seed": config.seed,
        "max_concurrent": max_concurrent_for(config),
        "server_rate_limit": server_rate_for(config),
        "connect": run.connect,
        "sent": {"buyer": buyer["sent"], "agent": agent["sent"]},
        "acked": {"buyer": buyer["acked"], "agent": agent["acked"]},
        "delivered": {"buyer_to_agent": buyer["delivered"], "agent_to_buyer": agent["delivered"]},
        "sent_per_s": round((buyer["sent"] + agent["sent"]) / config.duration, 1),
        "acked_per_s": round((buyer["acks_in_window"] + agent["acks_in_window"]) / config.duration, 1),
        "buyer_acked_per_s": round(buyer["acks_in_window"] / config.duration, 1),
        "agent_acked_per_s": round(agent["acks_in_window"] / config.duration, 1),
        "latency_ms": {
            "buyer_to_agent": b2a,
            "agent_to_buyer": a2b,
            "ack": percentiles(buyer["ack_us"] + agent["ack_us"]),
        },
        "errors": sum(errors.values()) + counters["decode_errors"] + counters["disconnects"],
        "errors_by_code": dict(errors),
        "rate_limited": errors["rate_limited"],
        "disconnects": counters["disconnects"],
        "decode_errors": counters["decode_errors"],
        "unacked": sum(r["in_flight"] for r in run.results),
        "drained": all(r["drained"] for r in run.results),
        "schedule_lag_ms": percentiles(lag),
        "buyer_to_agent_by_second": by_second(buyer["latency_us"], buyer["latency_second"]),
        "server_disk_wait_pct_by_second": [
            round(c["D"] / sum(c.values()) * 100) for _, c in sorted(run.window.by_second.items())
        ],
        "server": {
            "pid": server_pid,
            "cpu_pct": cpu_pct(server_pid),
            "rss_mib": round(memory.get("VmRSS", 0) / 1024, 1),
            "peak_rss_mib": round(memory.get("VmHWM", 0) / 1024, 1),
            **_main_thread(run.window, seconds),
        },
        "generator_cpu_pct": [cpu_pct(pid) for pid in run.generator_pids],
        "server_write_kib_per_message": _per_message(
            run.window, buyer["acks_in_window"] + agent["acks_in_window"]
        ),
        "machine_cpu_pct": round(busy / total * 100, 1) if total > 0 else None,
        "goal_p99_ms": GOAL_P99_MS,
        "goal_met": bool(p99s) and len(p99s) == (2 if config.reply_every else 1) and max(p99s) <= GOAL_P99_MS,
        "failures": [f for result in run.results for f in result["failures"]][:5],
        "python": platform.python_version(),
        "websockets": websockets_version,
        "msgspec": msgspec.__version__,
        "shopdesk": desktop.__version__,
        "cpus": os.cpu_count(),
    }
    report.update(extra)
    return report


def run_benchmark(config: Config, *, workdir: Path | None = None) -> dict[str, Any]:
    """Start a backend on a fresh database, drive it as ``config`` says, stop everything, report."""
    if config.agents < 1 or config.buyers < 1 or config.generators < 1 or config.duration <= 0:
        raise ValueError("agents, buyers, generators and duration must be positive")
    if config.generators > config.buyers:
        raise ValueError("more generators than buyers")
    started = time.perf_counter()
    before = machine_cpu()
    time.sleep(1.0)  # how busy the machine is without us: other load makes the numbers noisy
    after = machine_cpu()
    busy_before = (after[0] - before[0]) / max(1.0, after[1] - before[1]) * 100
    per_process = config.agents + config.buyers + FD_MARGIN  # the server holds one socket per client too
    fds = raise_fd_limit(per_process)
    with tempfile.TemporaryDirectory(prefix="shopdesk-bench-", dir=workdir) as tmp:
        folder = Path(tmp)
        db_path = folder / "bench.db"
        usernames = prepare_database(db_path, config.agents, max_concurrent_for(config))
        server = server_process(db_path, folder / "home", server_rate_for(config), config.server_profile)
        url = server.start(timeout=60.0)
        try:
            specs = split(config, url, usernames)
            if config.generators == 1:
                run = asyncio.run(_run_here(config, specs[0], server.pid))
            else:
                run = _run_workers(config, specs, server.pid)
            db_mib = sum(p.stat().st_size for p in folder.glob("bench.db*")) / 2**20
        finally:
            code = server.stop(timeout=60.0)
        if code not in (0, None):
            raise RuntimeError(f"the backend exited with {code}:\n{server.log_text()}")
        if "Traceback" in server.log_text():
            raise RuntimeError("the backend logged a traceback:\n" + server.log_text())
    extra = {
        "db_mib": round(db_mib, 1),
        "fd_limit": fds,
        "server_profile": str(config.server_profile) if config.server_profile else None,
        "workdir": str(Path(tmp).parent),
        "machine_cpu_pct_before": round(busy_before, 1),
        "elapsed_s": round(time.perf_counter() - started, 1),
    }
    return build_report(config, run, server.pid, extra)


# --- output ---------------------------------------------------------------------------------------------


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def format_table(report: dict[str, Any]) -> str:
    """The report for people."""
    lat, server = report["latency_ms"], report["server"]
    compression = "deflate" if report["compression"] else "no compression"
    lines = [
        f"reference backend: {report['agents']} agents + {report['buyers']:,} buyers over loopback "
        f"({compression}), {report['generators']} generator process(es)",
        f"target {report['target_rate']:,.0f} buyer msg/s, agents answer every {report['reply_every']}th; "
        f"{report['warmup_s']:g} s warm-up, {report['duration_s']:g} s measured",
        f"connect: agents {report['connect']['agents']['seconds']} s, buyers + first message "
        f"{report['connect']['buyers']['seconds']} s ({report['connect']['buyers']['assigned']:,} "
        "conversations assigned)",
        f"  {'messages':<22}{'sent':>9}{'acked':>9}{'delivered':>11}{'acked/s':>10}",
        f"  {'buyer -> agent':<22}{report['sent']['buyer']:>9,}{report['acked']['buyer']:>9,}"
        f"{report['delivered']['buyer_to_agent']:>11,}{report['buyer_acked_per_s']:>10,.1f}",
        f"  {'agent -> buyer':<22}{report['sent']['agent']:>9,}{report['acked']['agent']:>9,}"
        f"{report['delivered']['agent_to_buyer']:>11,}{report['agent_acked_per_s']:>10,.1f}",
        f"  {'latency ms':<22}{'n':>9}{'p50':>9}{'p90':>9}{'p99':>9}{'max':>9}",
    ]
    for label, key in (("buyer -> agent", "buyer_to_agent"), ("agent -> buyer", "agent_to_buyer"),
                       ("send -> ok (both)", "ack")):  # fmt: skip
        row = lat[key]
        lines.append(
            f"  {label:<22}{row['n']:>9,}{_ms(row['p50']):>9}{_ms(row['p90']):>9}{_ms(row['p99']):>9}"
            f"{_ms(row['max']):>9}"
        )
    lag = report["schedule_lag_ms"]
    gen_cpu = ", ".join(_ms(v) for v in report["generator_cpu_pct"])
    names = {"R": "running", "D": "disk", "S": "idle"}
    states = ", ".join(f"{names.get(k, k)} {v}%" for k, v in server["loop_state_pct"].items())
    lines += [
        f"p99 goal <= {report['goal_p99_ms']:g} ms: {'met' if report['goal_met'] else 'NOT met'}; "
        f"errors {report['errors']} (rate_limited {report['rate_limited']}, disconnects "
        f"{report['disconnects']}), unacked at the end {report['unacked']}",
        f"server: CPU {_ms(server['cpu_pct'])}% of one core, RSS {server['rss_mib']} MiB "
        f"(peak {server['peak_rss_mib']}), database {report['db_mib']} MiB",
        f"server writes {report['server_write_kib_per_message']['to_disk']} KiB to disk per message "
        f"({server['write_mib_per_s']} MiB/s); event loop: on CPU {_ms(server['loop_cpu_pct'])}%, "
        f"waiting for a CPU {_ms(server['loop_runqueue_wait_pct'])}%, sampled states {states}",
        f"generators: CPU {gen_cpu}% (each of one core); send schedule lag p99 {_ms(lag['p99'])} ms, "
        f"max {_ms(lag['max'])} ms; machine CPU {_ms(report['machine_cpu_pct'])}% of {report['cpus']} CPUs "
        f"({_ms(report['machine_cpu_pct_before'])}% just before the run)",
        f"Python {report['python']}, websockets {report['websockets']}, msgspec {report['msgspec']}, "
        f"{report['elapsed_s']} s in all",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help="smoke test: 20 agents, 200 buyers, 200 msg/s, 2 s + 5 s"
    )
    parser.add_argument("--agents", type=int, help="agents connected (default 200)")
    parser.add_argument("--buyers", type=int, help="buyers connected (default 2000)")
    parser.add_argument("--rate", type=float, help="buyer messages per second in all (default 1000)")
    parser.add_argument("--duration", type=float, help="measured seconds (default 20)")
    parser.add_argument("--warmup", type=float, help="seconds of traffic before measuring (default 5)")
    parser.add_argument("--generators", type=int, help="load-generator processes (default 1)")
    parser.add_argument("--seed", type=int, help="seed of the message texts and send order")
    parser.add_argument("--reply-every", type=int, help="agents answer every n-th message (5; 0: never)")
    parser.add_argument("--no-compression", action="store_true", help="do not negotiate permessage-deflate")
    parser.add_argument("--server-profile", type=Path, help="run the server under cProfile, write it here")
    parser.add_argument("--workdir", type=Path, help="where the temporary database goes (default: TMPDIR)")
    parser.add_argument("--json-only", action="store_true", help="no table on stderr")
    args = parser.parse_args(argv)
    config = QUICK if args.quick else Config()
    names = ("agents", "buyers", "rate", "duration", "warmup", "generators", "seed", "reply_every",
             "server_profile")  # fmt: skip
    given: dict[str, Any] = {k: getattr(args, k) for k in names if getattr(args, k) is not None}
    if args.no_compression:
        given["compression"] = False
    config = replace(config, **given)
    if config.warmup < 0 or config.rate < 0 or config.reply_every < 0:
        parser.error("--warmup, --rate and --reply-every must not be negative")
    try:
        max_concurrent_for(config)
        report = run_benchmark(config, workdir=args.workdir)
    except (ValueError, RuntimeError) as exc:
        print(f"bench.backend: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(report, ensure_ascii=False))
    if not args.json_only:
        print(format_table(report), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
