"""The child processes of ``bench/workbench.py``: each measurement runs in a fresh interpreter.

Run as ``python -m bench.workbench_child MODE '<json arguments>'``; the parent (``bench.workbench``) starts
them, talks to them over stdin/stdout (one line per message; the last line is a JSON object) and reads
nothing else. Only the standard library is imported at module level, so that the bare-window child pays
for nothing the bare window would not: PySide6, qasync and ShopDesk are imported inside each mode.

Modes:

``start-python``, ``start-bare``, ``start-workbench``
    Print ``interactive`` as soon as the window is shown and the event loop has processed its first events
    (a ``QTimer.singleShot(0)`` after ``show()``, then one more ``processEvents``), then a JSON line of
    ``perf_counter_ns`` marks (CLOCK_MONOTONIC: the parent's clock too), then exit at once.
``rss-bare``, ``rss-workbench``
    Show the window (open ``open`` conversations one after another), then report ``VmRSS``/``VmHWM``.
``switch``
    Time opening a conversation until the window has repainted: fresh panes and cached ones.
``burst-ui``, ``burst-bare``
    The workbench logged in to a real backend (or a bare window), a 5 ms ``QTimer`` recording how late it
    fires while a load generator sends a burst.
``burst-buyers``
    The load generator: signed demo buyers that send messages open loop at a given total rate.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

T_MODULE = time.perf_counter_ns()  # as early as this process can say anything
TIMER_MS = 5  # the stall probe's interval
BARE_ROWS = 10_000


def emit(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def finish(report: dict[str, Any], profile: Any = None, profile_path: str | None = None) -> None:
    """Print the report and leave at once (no interpreter or Qt teardown: it is not being measured)."""
    if profile is not None and profile_path:
        profile.disable()
        profile.dump_stats(profile_path)
    emit(json.dumps(report, ensure_ascii=False))
    sys.stderr.flush()
    os._exit(0)


def memory_mb() -> dict[str, float]:
    """``VmRSS`` and ``VmHWM`` of this process in MB (10^6 bytes; /proc gives KiB)."""
    values: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                values[key] = round(int(rest.split()[0]) * 1024 / 1e6, 1)
    return {
        "rss_mb": values["VmRSS"],
        "hwm_mb": values["VmHWM"],
        "anon_mb": values.get("RssAnon", 0.0),  # private memory the process allocated
        "file_mb": values.get("RssFile", 0.0),  # mapped files: libraries, the cache's mmap (reclaimable)
    }


def start_profile(args: dict[str, Any]) -> Any:
    if not args.get("profile"):
        return None
    import cProfile

    profile = cProfile.Profile()
    profile.enable()
    return profile


# --- Qt helpers (imported lazily) ------------------------------------------------------------------------


def bare_window(rows: int = BARE_ROWS) -> Any:
    """The stack notes' bare window: a QMainWindow holding a QListView on a ``rows``-row QStringListModel."""
    from PySide6.QtCore import QStringListModel
    from PySide6.QtWidgets import QListView, QMainWindow

    window = QMainWindow()
    window.setWindowTitle("bare")
    view = QListView(window)
    model = QStringListModel([f"会话 {n} · 亲，请问这款还有货吗" for n in range(rows)], view)
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1280, 800)
    return window


def make_desk(args: dict[str, Any], *, token: str = "bench-dummy-token") -> tuple[Any, Any, Any]:
    """LocalStore + AgentClient (not started) + LiveWorkbench + MainWindow on the prepared cache.

    Must be called with the qasync loop running (the workbench spawns tasks). Returns (client, workbench,
    window); the window is not shown yet.
    """
    from desktop.client.connection import AgentClient
    from desktop.client.credentials import Account
    from desktop.client.endpoint import resolve
    from desktop.store import LocalStore
    from desktop.ui.live_workbench import LiveWorkbench
    from desktop.ui.main_window import MainWindow
    from desktop.ui.preferences import Preferences
    from desktop.ui.window_state import WindowState

    url = args["url"]
    account = Account(url, "demo", "agent3")
    store = LocalStore.open(Path(args["store"]))
    client = AgentClient(account, resolve(url), store, token)
    workbench = LiveWorkbench(client)
    config = Path(args["config"])
    config.mkdir(parents=True, exist_ok=True)
    window = MainWindow(
        workbench,
        state=WindowState(config / "window-state.ini"),
        preferences=Preferences(config / "settings.ini"),
    )
    window.resize(1280, 800)
    return client, workbench, window


def run_qasync(app: Any, main: Callable[[], Awaitable[None]]) -> None:
    import asyncio

    import qasync

    async def wrapper() -> None:
        await main()

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        runner.run(wrapper())


async def on_loop(work: Callable[[], Any]) -> Any:
    """Run ``work`` as a plain loop callback (not inside a task), so that it may call ``processEvents``:
    a task spawned by the UI that steps inside it does not meet "another task is being executed"."""
    import asyncio

    loop = asyncio.get_running_loop()
    done: asyncio.Future[Any] = loop.create_future()

    def run() -> None:
        try:
            result = work()
        except BaseException as exc:  # reported in the awaiting coroutine
            done.set_exception(exc)
        else:
            done.set_result(result)

    loop.call_soon(run)
    return await done


async def read_line() -> str:
    """The next line from the parent (stdin), read on a worker thread so that the loop keeps running."""
    import asyncio

    line: str = await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    if not line:
        raise EOFError("the parent closed stdin")
    return line.strip()


# --- 1. start to interactive -----------------------------------------------------------------------------


def start_python(args: dict[str, Any]) -> None:
    emit("interactive")
    finish({"marks": {"module": T_MODULE, "interactive": time.perf_counter_ns()}})


def start_bare(args: dict[str, Any]) -> None:
    marks = {"module": T_MODULE}
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    marks["imports"] = time.perf_counter_ns()
    app = QApplication(["shopdesk-bench-bare"])
    marks["app"] = time.perf_counter_ns()
    window = bare_window()
    marks["window"] = time.perf_counter_ns()
    window.show()
    marks["shown"] = time.perf_counter_ns()

    def ready() -> None:
        app.processEvents()
        marks["interactive"] = time.perf_counter_ns()
        emit("interactive")
        finish({"marks": marks, **memory_mb()})

    QTimer.singleShot(0, ready)
    app.exec()


def start_workbench(args: dict[str, Any]) -> None:
    """As ``desktop.ui.app`` starts a session: the app, the qasync loop, the cache, the client, the window."""
    marks = {"module": T_MODULE}
    profile = start_profile(args)
    import asyncio

    import qasync  # noqa: F401  (run_qasync needs it: timed with the Qt imports)
    from PySide6.QtCore import QTimer

    marks["qt_imported"] = time.perf_counter_ns()
    import desktop.ui.main_window  # noqa: F401  (its import is the bulk of the start-up: timed alone)

    marks["main_window_imported"] = time.perf_counter_ns()
    from desktop.ui.app import make_application

    marks["imports"] = time.perf_counter_ns()
    app = make_application(["shopdesk-bench"])
    app.setQuitOnLastWindowClosed(False)
    marks["app"] = time.perf_counter_ns()
    report: dict[str, Any] = {}

    async def main() -> None:
        marks["loop"] = time.perf_counter_ns()
        client, workbench, window = make_desk(args)
        marks["window"] = time.perf_counter_ns()
        window.show()
        if args.get("start_client"):
            client.start()
        marks["shown"] = time.perf_counter_ns()
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def ready() -> None:
            app.processEvents()
            marks["interactive"] = time.perf_counter_ns()
            emit("interactive")
            done.set_result(None)

        QTimer.singleShot(0, ready)
        await done
        report.update(
            marks=marks,
            rows=window.list_panel.model.rowCount(),
            conversations=len(workbench.book),
            link=client.status.state.name,
            **memory_mb(),
        )

    run_qasync(app, main)
    finish(report, profile, args.get("profile"))


# --- 2. memory -------------------------------------------------------------------------------------------


def rss_bare(args: dict[str, Any]) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication(["shopdesk-bench-bare"])
    window = bare_window()
    window.show()
    QTimer.singleShot(300, app.quit)  # shown, painted, idle
    app.exec()
    finish({"window": memory_mb()})


def rss_workbench(args: dict[str, Any]) -> None:
    import asyncio

    from desktop.ui import main_window
    from desktop.ui.app import make_application
    from desktop.ui.conversation_pane import ConversationPane

    main_window.PANE_CACHE = int(args["pane_cache"])
    app = make_application(["shopdesk-bench"])
    app.setQuitOnLastWindowClosed(False)
    report: dict[str, Any] = {"pane_cache": main_window.PANE_CACHE, "imported": memory_mb()}
    profile = start_profile(args)

    async def main() -> None:
        _client, workbench, window = make_desk(args)
        window.show()
        await asyncio.sleep(0.3)
        report["window"] = memory_mb()
        ids = [c.id for c in workbench.store.conversations() if c.status == "active"][: int(args["open"])]
        started = time.perf_counter()
        for conv_id in ids:
            window.open_conversation(conv_id)
            await asyncio.sleep(0.02)  # the loop paints the pane and runs what it spawned
        report["open_seconds"] = round(time.perf_counter() - started, 2)
        await asyncio.sleep(2.5)  # idle: deferred deletes of evicted panes, then the freed-memory trim
        import gc

        from desktop.ui.memory import release_freed_memory

        gc.collect()
        release_freed_memory(force=True)
        report["experiment_after_gc_trim"] = memory_mb()
        report.update(
            opened=len(ids),
            panes_cached=len(window._panes),
            panes_alive=len(window.findChildren(ConversationPane)),
            chat_rows=sum(pane.model.rowCount() for pane in window._panes.values()),
            **memory_mb(),
        )

    run_qasync(app, main)
    finish(report, profile, args.get("profile"))


# --- 3. switching chats ------------------------------------------------------------------------------------


def switch(args: dict[str, Any]) -> None:
    import asyncio

    from PySide6.QtCore import QStringListModel
    from PySide6.QtWidgets import QListView, QMainWindow, QStackedWidget

    from desktop.ui import main_window
    from desktop.ui.app import make_application

    app = make_application(["shopdesk-bench"])
    app.setQuitOnLastWindowClosed(False)
    repeats, warmup = int(args["repeats"]), int(args["warmup"])
    big_rows = [f"消息 {n} · 亲，这边已经为您登记了" for n in range(int(args["big_messages"]))]
    report: dict[str, Any] = {}
    profile = start_profile(args)

    async def main() -> None:
        # --- the bare window next to it: a QStackedWidget of list views, the same size --------------------
        bare = QMainWindow()
        stack = QStackedWidget(bare)
        bare.setCentralWidget(stack)
        bare.resize(1280, 800)

        def bare_view(rows: Sequence[str]) -> QListView:
            view = QListView(stack)
            view.setModel(QStringListModel(list(rows), view))
            stack.addWidget(view)
            return view

        small = bare_view(big_rows[:50])
        bare.show()
        await asyncio.sleep(0.1)

        def bare_first() -> float:
            old = stack.currentWidget()
            started = time.perf_counter()
            view = bare_view(big_rows)
            stack.setCurrentWidget(view)
            view.scrollToBottom()
            app.processEvents()
            bare.repaint()
            elapsed = time.perf_counter() - started
            if old is not None and old is not small:
                stack.removeWidget(old)
                old.deleteLater()
            return elapsed

        def bare_to(view: QListView) -> float:
            started = time.perf_counter()
            stack.setCurrentWidget(view)
            app.processEvents()
            bare.repaint()
            return time.perf_counter() - started

        bare_firsts: list[float] = []
        for n in range(warmup + repeats):
            stack.setCurrentWidget(small)
            elapsed = await on_loop(bare_first)
            if n >= warmup:
                bare_firsts.append(elapsed)
            await asyncio.sleep(0.01)
        big_view = stack.currentWidget()
        assert isinstance(big_view, QListView)
        bare_switches: list[float] = []
        for n in range(warmup + repeats):
            await on_loop(lambda: bare_to(small))
            await asyncio.sleep(0.01)
            elapsed = await on_loop(lambda: bare_to(big_view))
            if n >= warmup:
                bare_switches.append(elapsed)
            await asyncio.sleep(0.01)
        bare.hide()
        report["bare_first_open_s"] = bare_firsts
        report["bare_switch_s"] = bare_switches

        # --- the workbench --------------------------------------------------------------------------------
        _client, _workbench, window = make_desk(args)
        window.show()
        await asyncio.sleep(0.3)
        big, other = args["big"], args["other"]

        def open_painted(conv_id: str) -> float:
            started = time.perf_counter()
            window.open_conversation(conv_id)
            app.processEvents()
            window.repaint()
            return time.perf_counter() - started

        async def alternate(times: dict[str, list[float]], rotation: Sequence[str]) -> None:
            for n in range(warmup + repeats):
                for conv_id in rotation:
                    elapsed = await on_loop(functools.partial(open_painted, conv_id))
                    if n >= warmup and conv_id in times:
                        times[conv_id].append(elapsed)
                    await asyncio.sleep(0.01)  # back to the loop: deferred deletes, spawned tasks

        # Fresh panes: with 2 panes kept and 3 chats in rotation, each open finds its pane evicted. (Not
        # PANE_CACHE = 1: MainWindow._evict then evicts the pane being opened, see the README.)
        main_window.PANE_CACHE = 2
        first: dict[str, list[float]] = {big: [], other: []}
        await alternate(first, (other, args["third"], big))
        main_window.PANE_CACHE = 8  # as shipped: both stay alive, every open is a switch back
        back: dict[str, list[float]] = {big: [], other: []}
        await alternate(back, (other, big))

        # Prewarmed: the window makes the panes of my active chats in quiet moments (MainWindow.prewarm);
        # the first time such a pane is shown is what opening one of those chats costs. Each round drops
        # every pane but the current one, lets the window prewarm (quiet time shortened: the wait is not
        # what is measured), then switches to the big chat.
        main_window.PREWARM_QUIET_S = 0.05
        prewarmed: list[float] = []
        for n in range(warmup + repeats):
            main_window.PANE_CACHE = 1
            await on_loop(functools.partial(open_painted, other))
            main_window.PANE_CACHE = 8
            for _ in range(400):
                if window.pane(big) is not None:
                    break
                await asyncio.sleep(0.01)
            else:
                raise RuntimeError("the window did not prewarm the big chat's pane")
            await asyncio.sleep(0.05)
            elapsed = await on_loop(functools.partial(open_painted, big))
            if n >= warmup:
                prewarmed.append(elapsed)
            await asyncio.sleep(0.01)
        pane = window.pane(big)
        report.update(
            prewarmed_s=prewarmed,
            first_open_s=first[big],
            first_open_other_s=first[other],
            switch_back_s=back[big],
            switch_back_other_s=back[other],
            big_rows_shown=None if pane is None else pane.model.rowCount(),
        )

    run_qasync(app, main)
    finish(report, profile, args.get("profile"))


# --- 4. a burst of messages ---------------------------------------------------------------------------------


class StallProbe:
    """A ``TIMER_MS`` precise QTimer; every firing's perf_counter_ns is kept."""

    def __init__(self) -> None:
        from PySide6.QtCore import Qt, QTimer

        self.fired: list[int] = []
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(TIMER_MS)
        self.timer.timeout.connect(lambda: self.fired.append(time.perf_counter_ns()))

    def start(self) -> None:
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def gaps_ms(self, start_ns: int, stop_ns: int) -> list[float]:
        """The gaps between firings that both fell in [start_ns, stop_ns)."""
        inside = [t for t in self.fired if start_ns <= t < stop_ns]
        return [(b - a) / 1e6 for a, b in itertools.pairwise(inside)]


def burst_bare(args: dict[str, Any]) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication(["shopdesk-bench-bare"])
    report: dict[str, Any] = {}

    async def main() -> None:
        window = bare_window()
        window.show()
        probe = StallProbe()
        probe.start()
        emit("ready")
        _, start_ns, stop_ns = (await read_line()).split()
        await read_line()  # "done": the burst is over
        probe.stop()
        report["gaps_ms"] = probe.gaps_ms(int(start_ns), int(stop_ns))

    run_qasync(app, main)
    finish(report)


def burst_ui(args: dict[str, Any]) -> None:
    """The workbench of agent3 on the real backend, a stall probe, and counts of what arrived."""
    import asyncio

    from desktop.client.connection import login
    from desktop.client.credentials import Account
    from desktop.client.endpoint import resolve
    from desktop.client.status import LinkState
    from desktop.ui.app import make_application
    from desktop.ui.live_workbench import now_ms

    app = make_application(["shopdesk-bench"])
    app.setQuitOnLastWindowClosed(False)
    report: dict[str, Any] = {}
    profile = None

    async def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"gave up waiting for {what}")
            await asyncio.sleep(0.02)

    async def main() -> None:
        nonlocal profile
        url = args["url"]
        token = await login(resolve(url), Account(url, "demo", "agent3"), "demo123", remember=False)
        client, workbench, window = make_desk(args, token=token)
        arrived = {"customer": 0, "all": 0, "batches": 0}

        def count(_conv_id: str, messages: list[Any]) -> None:
            arrived["all"] += len(messages)
            arrived["customer"] += sum(1 for m in messages if m.sender.role == "customer")
            arrived["batches"] += 1

        workbench.messages_added.connect(count)
        window.show()
        client.start()
        await wait_for(lambda: client.status.state is LinkState.ONLINE, 30, "online")
        await wait_for(lambda: workbench.me_id is not None, 30, "hello")
        emit("ready")

        _, buyers, to_open = (await read_line()).split()  # "open <buyers> <how many to open>"
        await wait_for(lambda: len(workbench.book.active(now_ms())) >= int(buyers), 30, "the buyers' chats")
        opened = [c.id for c in workbench.book.active(now_ms())][: int(to_open)]
        for conv_id in opened:
            window.open_conversation(conv_id)
            await asyncio.sleep(0.05)
        report["opened"] = len(opened)
        report["active_conversations"] = len(workbench.book.active(now_ms()))
        emit("opened")

        _, start_text, stop_text = (await read_line()).split()  # "go <start_ns> <stop_ns>"
        start_ns, stop_ns = int(start_text), int(stop_text)
        probe = StallProbe()
        probe.start()
        idle_from = time.perf_counter_ns()
        before = dict(arrived)
        profile = start_profile(args)
        _, expected_text = (await read_line()).split()  # "expect <customer messages acked by the server>"
        expected = before["customer"] + int(expected_text)
        try:
            await wait_for(lambda: arrived["customer"] >= expected, 30, "the burst to arrive")
            caught_up = time.perf_counter_ns()
        except TimeoutError:
            caught_up = None
        await asyncio.sleep(0.2)
        if profile is not None:
            profile.disable()
        probe.stop()
        report.update(
            gaps_ms=probe.gaps_ms(start_ns, stop_ns),
            idle_gaps_ms=probe.gaps_ms(idle_from, start_ns),
            after_gaps_ms=probe.gaps_ms(stop_ns, caught_up or time.perf_counter_ns()),
            caught_up_after_stop_s=None if caught_up is None else round((caught_up - stop_ns) / 1e9, 3),
            customer_messages=arrived["customer"] - before["customer"],
            messages=arrived["all"] - before["all"],
            batches=arrived["batches"] - before["batches"],
            expected_customer_messages=int(expected_text),
            panes_alive=len(window._panes),
        )
        window.close()
        await workbench.close()
        store = client.store
        with store._lock:
            report["store_messages"] = store._conn.execute("SELECT count(*) FROM messages").fetchone()[0]
        store.close()
        report.update(memory_mb())

    run_qasync(app, main)
    finish(report, profile, args.get("profile"))


def burst_buyers(args: dict[str, Any]) -> None:
    """Signed demo buyers c0001… on one asyncio loop: connect, open a chat each, then send open loop."""
    import asyncio
    import random
    import uuid

    from bench.protocol import chinese_text
    from desktop.protocol import frames as f
    from desktop.protocol import payloads as p
    from desktop.server.accounts import widget_signature
    from desktop.server.peer import Peer, RequestError
    from desktop.server.seeding import DEMO_WIDGET_SECRET

    url, count, rate = args["url"], int(args["buyers"]), float(args["rate"])
    rng = random.Random(int(args["seed"]))
    texts = [chinese_text(rng, agent=False) for _ in range(512)]

    def send_frame(conversation_id: str | None, text: str) -> f.MessageSend:
        data = p.MessageSendData(
            conversation_id=conversation_id,
            client_msg_id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            kind="text",
            body={"text": text},
        )
        return f.MessageSend(id="", data=data)

    async def buyer(number: int) -> tuple[Peer, str]:
        external_id = f"c{number:04d}"
        peer = await Peer.open(url)
        signature = widget_signature(DEMO_WIDGET_SECRET, "demo", external_id)
        registered = await peer.register("demo", external_id=external_id, signature=signature)
        await peer.hello("customer", registered.token)
        first = await peer.request(send_frame(None, rng.choice(texts)), p.MessageData, timeout=30)
        conv_id = first.message.conversation_id
        while True:  # routed to agent3, the one agent online
            event = await peer.next_event(f.ConversationUpdated, timeout=30)
            if event.data.conversation.id == conv_id and event.data.conversation.status == "active":
                return peer, conv_id

    async def main() -> dict[str, Any]:
        buyers = await asyncio.gather(*(buyer(n) for n in range(1, count + 1)))
        emit("connected " + json.dumps([conv for _, conv in buyers]))
        _, start_text, stop_text = (await read_line()).split()
        start_ns, stop_ns = int(start_text), int(stop_text)
        acked, errors, lag_ms = 0, 0, []
        last_ack_ns = 0

        async def send(peer: Peer, conv_id: str, text: str) -> None:
            nonlocal acked, errors, last_ack_ns
            try:
                await peer.request(send_frame(conv_id, text), p.MessageData, timeout=30)
            except (RequestError, TimeoutError, ConnectionError):
                errors += 1
            else:
                acked += 1
                last_ack_ns = time.perf_counter_ns()

        pending: set[asyncio.Task[None]] = set()
        interval_ns = 1e9 / rate
        total = int((stop_ns - start_ns) / interval_ns)
        sent = 0
        await asyncio.sleep(max(0.0, (start_ns - time.perf_counter_ns()) / 1e9))
        while sent < total:
            now = time.perf_counter_ns()
            due = min(total, int((now - start_ns) / interval_ns) + 1)
            while sent < due:  # open loop: a late send goes at once, its lateness kept
                lag_ms.append((now - (start_ns + sent * interval_ns)) / 1e6)
                peer, conv_id = buyers[sent % count]
                task = asyncio.create_task(send(peer, conv_id, texts[sent % len(texts)]))
                pending.add(task)
                task.add_done_callback(pending.discard)
                sent += 1
            await asyncio.sleep(max(0.0, (start_ns + sent * interval_ns - time.perf_counter_ns()) / 1e9))
        sent_done_ns = time.perf_counter_ns()
        if pending:
            await asyncio.wait(pending, timeout=30)
        await asyncio.gather(*(peer.close() for peer, _ in buyers), return_exceptions=True)
        lag_ms.sort()
        return {
            "buyers": count,
            "sent": sent,
            "acked": acked,
            "errors": errors,
            "send_seconds": round((sent_done_ns - start_ns) / 1e9, 3),
            "acked_by_s": round((last_ack_ns - start_ns) / 1e9, 3) if last_ack_ns else None,
            "lag_p99_ms": round(lag_ms[int(0.99 * (len(lag_ms) - 1))], 2) if lag_ms else None,
            "lag_max_ms": round(lag_ms[-1], 2) if lag_ms else None,
        }

    finish(asyncio.run(main()))


MODES: dict[str, Callable[[dict[str, Any]], None]] = {
    "start-python": start_python,
    "start-bare": start_bare,
    "start-workbench": start_workbench,
    "rss-bare": rss_bare,
    "rss-workbench": rss_workbench,
    "switch": switch,
    "burst-bare": burst_bare,
    "burst-ui": burst_ui,
    "burst-buyers": burst_buyers,
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    MODES[argv[0]](json.loads(argv[1]) if len(argv) > 1 else {})
    return 0


if __name__ == "__main__":
    sys.exit(main())
