"""``shopdesk self-test``: checks an installation speaks shopdesk.v1, writes its files and runs the workbench.

Two parts, each printing one line per check; the command exits non-zero when any check fails.

1. Offline checks (no network, no window): the protocol round trip and error codes, the session rules, the
   keyring backends this build carries, and that the config, data and log folders are writable.
2. The live workbench (skipped with ``--offline``): on the offscreen Qt platform and in a temporary
   ``SHOPDESK_HOME`` (never the user's data, settings or keyring: no login is remembered), it starts the
   reference backend in this process on 127.0.0.1 with the demo shop, logs ``agent3`` in, opens the real
   :class:`~desktop.ui.live_workbench.LiveWorkbench` and :class:`~desktop.ui.main_window.MainWindow`, has a
   signed demo buyer send a message, checks it shows in the conversation list and the chat, answers it
   through the conversation pane and checks the buyer receives the answer. The whole part is bounded by
   ``--timeout`` seconds (60 by default). On a failure the temporary folder (with the log) is kept and named.

The backend runs in-process (not ``shopdesk serve``) so that it works the same from a checkout and from a
frozen bundle. The ``window`` line gives the seconds from the start of the process to the window shown;
``bench/bundle.py`` reads it.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
import os
import platform
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop import __version__, paths
from desktop.protocol import ProtocolError, codec, samples, session
from desktop.protocol import frames as f
from desktop.protocol import payloads as p

STARTED = time.monotonic()  # when the self-test module was imported: the window line counts from here


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str


def _check_round_trip() -> str:
    count = 0
    for frame in samples.client_frames():
        if codec.decode_client_frame(codec.encode(frame)) != frame:
            raise AssertionError(f"client frame {f.type_name(type(frame))} changed in a round trip")
        count += 1
    for frame in samples.server_frames():
        if codec.decode_server_frame(codec.encode(frame)) != frame:
            raise AssertionError(f"server frame {f.type_name(type(frame))} changed in a round trip")
        count += 1
    return f"{count} sample frames encode and decode unchanged"


def _check_rejections() -> str:
    cases: list[tuple[bytes, str]] = [
        (b"[1, 2]", "bad_request"),
        (b'{"id": "1"}', "bad_request"),
        (b'{"type": "no.such.thing", "id": "1", "data": {}}', "unsupported"),
        (b"\xff\xfe", "bad_request"),
        (b'{"type": "sync.snapshot", "id": "1", "data": {}}' + b" " * (1024 * 1024), "too_large"),
    ]
    for raw, expected in cases:
        try:
            codec.decode_client_frame(raw)
        except ProtocolError as exc:
            if exc.code != expected:
                raise AssertionError(f"{raw[:40]!r}: got {exc.code}, expected {expected}") from None
        else:
            raise AssertionError(f"{raw[:40]!r} was accepted")
    return f"{len(cases)} malformed frames get the right error codes"


def _check_session() -> str:
    s = session.ClientSession(role="agent", client_name="shopdesk", client_version=__version__, last_seq=10)
    s.connection_made()
    hello_id = s.start("token", now_ms=0)
    s.send_message(
        p.MessageSendData(conversation_id="cv", client_msg_id="m1", kind="text", body={"text": "你好"}), 0
    )
    s.receive(codec.encode(codec.ok(hello_id, p.HelloOk(session="s", me=samples.ME, seq=12))), 1)
    sent = s.data_to_send()
    if len(sent) != 2 or not isinstance(codec.decode_client_frame(sent[1]), f.MessageSend):
        raise AssertionError("hello then the outbox should have been sent")
    event = f.QueueUpdated(seq=11, ts=0, data=p.QueueUpdatedData(waiting=1))
    s.receive(codec.encode(event), 2)
    s.receive(codec.encode(event), 3)  # duplicate
    s.receive(codec.encode(f.QueueUpdated(seq=13, ts=0, data=p.QueueUpdatedData(waiting=1))), 4)  # gap
    kinds = [type(e).__name__ for e in s.events_received()]
    if kinds != ["Ready", "EventReceived", "ReconnectNeeded"] or s.outbox[0].client_msg_id != "m1":
        raise AssertionError(f"unexpected session events {kinds}")
    return "resume, duplicate seq, gap and outbox behave as the protocol says"


def _check_writable(name: str, where: Callable[[], Path]) -> Callable[[], str]:
    def check() -> str:
        folder = where()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".selftest-", delete=True):
            pass
        return f"{name}: {folder}"

    return check


NATIVE_KEYRING: dict[str, tuple[str, str]] = {  # sys.platform: (entry point name, what it needs)
    "linux": ("SecretService", "secretstorage"),
    "win32": ("Windows", "win32ctypes.pywin32.win32cred"),
    "darwin": ("macOS", "keyring.backends.macOS.api"),
}


def _check_keyring() -> str:
    """The platform's keyring backend is there (a frozen bundle needs keyring's metadata and modules) and
    keyrings.alt is not (it would become the default and keep tokens in plain text). Reads no secret."""
    from importlib.metadata import entry_points

    found = {ep.name: ep for ep in entry_points(group="keyring.backends")}
    plain = sorted(name for name, ep in found.items() if ep.value.startswith("keyrings.alt"))
    if plain:
        raise AssertionError(
            f"keyrings.alt is installed ({', '.join(plain)}): tokens would be kept in plain text"
        )
    native = NATIVE_KEYRING.get(sys.platform)
    if native is None:
        return f"backends: {', '.join(sorted(found)) or 'none'} (no native one known for {sys.platform})"
    name, needs = native
    if name not in found:
        raise AssertionError(
            f"the {name} keyring backend is missing (found: {', '.join(sorted(found)) or 'none'})"
        )
    found[name].load()
    importlib.import_module(needs)
    return f"{name} backend available (of {', '.join(sorted(found))})"


def run_checks() -> list[CheckResult]:
    checks: list[tuple[str, Callable[[], str]]] = [
        ("protocol round trip", _check_round_trip),
        ("protocol errors", _check_rejections),
        ("session rules", _check_session),
        ("keyring", _check_keyring),
        ("config dir", _check_writable("config", paths.config_dir)),
        ("data dir", _check_writable("data", paths.data_dir)),
        ("log dir", _check_writable("logs", paths.log_dir)),
    ]
    results = []
    for name, check in checks:
        try:
            results.append(CheckResult(name, True, check()))
        except Exception as exc:  # a self-test reports every failure instead of stopping at the first
            results.append(CheckResult(name, False, f"{type(exc).__name__}: {exc}"))
    return results


# --- the live workbench -----------------------------------------------------------------------------------

BUYER_ID = "selftest-buyer"
BUYER_TEXT = "自检：在吗？这件还有货吗"
AGENT_TEXT = "自检：有货的亲，今天下单今天发"


class StepFailed(Exception):
    """A live step went wrong; the message says what, for people."""


class LiveCheck:
    """The live steps, one after another; each reports a :class:`CheckResult` as soon as it is done."""

    def __init__(self, home: Path, report: Callable[[CheckResult], None]) -> None:
        self.home = home
        self.report = report
        self.step = "starting"
        self.cleanups: list[Callable[[], Awaitable[object] | object]] = []

    async def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        self.step = what
        while not condition():
            await asyncio.sleep(0.02)

    def ok(self, name: str, detail: str) -> None:
        self.report(CheckResult(name, True, detail))

    async def run(self) -> None:
        url = await self._backend()
        window = await self._window(url)
        conv_id, buyer = await self._buyer_message(url, window)
        await self._reply(window, conv_id, buyer)

    async def _backend(self) -> str:
        from desktop.server.app import ServerConfig, ShopServer
        from desktop.server.run import ServeOptions, open_backend

        self.step = "starting the reference backend"
        host = "127.0.0.1"
        backend = open_backend(ServeOptions(db_path=self.home / "server.db", host=host, port=0, seed="demo"))
        self.cleanups.append(backend.conn.close)
        server = ShopServer(backend, ServerConfig(host=host, port=0))
        await server.start()
        self.cleanups.append(server.close)
        url = f"ws://{host}:{server.port}"
        self.ok("reference backend", f"{url}, demo shop, temporary database")
        return url

    async def _window(self, url: str) -> Any:
        from desktop.client.connection import AgentClient, login
        from desktop.client.credentials import Account
        from desktop.client.endpoint import resolve
        from desktop.client.status import LinkState
        from desktop.server.demo_seed import DEMO_PASSWORD, DEMO_SHOP_ID
        from desktop.store import LocalStore, store_path
        from desktop.ui.live_workbench import LiveWorkbench
        from desktop.ui.main_window import MainWindow
        from desktop.ui.preferences import Preferences
        from desktop.ui.window_state import WindowState

        self.step = f"logging in as {AGENT} on shop {DEMO_SHOP_ID}"
        account = Account(url, DEMO_SHOP_ID, AGENT)
        endpoint = resolve(url)
        token = await login(endpoint, account, DEMO_PASSWORD, remember=False)
        store = LocalStore.open(store_path(url, DEMO_SHOP_ID, AGENT, paths.data_dir()))
        self.cleanups.append(store.close)
        client = AgentClient(account, endpoint, store, token)
        workbench = LiveWorkbench(client)
        self.cleanups.append(workbench.close)
        self.step = "opening the workbench window"
        config = paths.config_dir()
        window = MainWindow(
            workbench,
            state=WindowState(config / "window-state.ini"),
            preferences=Preferences(config / "settings.ini"),
        )
        self.cleanups.append(window.deleteLater)
        self.cleanups.append(window.close)
        window.resize(1280, 800)
        window.show()
        client.start()
        self.ok("window", f"MainWindow shown {time.monotonic() - STARTED:.2f} s after the self-test started")
        await self.wait_for(
            lambda: client.status.state is LinkState.ONLINE, "waiting for the client to be online"
        )
        await self.wait_for(
            lambda: workbench.me_id is not None, "waiting for the workbench to know its agent"
        )
        self.ok("agent login", f"{AGENT} online on shop {DEMO_SHOP_ID} ({workbench.me_name})")
        return window

    async def _buyer_message(self, url: str, window: Any) -> tuple[str, Any]:
        from desktop.server.accounts import widget_signature
        from desktop.server.demo_seed import DEMO_SHOP_ID
        from desktop.server.peer import Peer
        from desktop.server.seeding import DEMO_WIDGET_SECRET
        from desktop.ui.chat_model import ChatRole

        self.step = "connecting the simulated buyer"
        buyer = await Peer.open(url)
        self.cleanups.append(buyer.close)
        signature = widget_signature(DEMO_WIDGET_SECRET, DEMO_SHOP_ID, BUYER_ID)
        registered = await buyer.register(DEMO_SHOP_ID, external_id=BUYER_ID, signature=signature)
        await buyer.hello("customer", registered.token)
        self.step = "the buyer sending a message"
        data = p.MessageSendData(
            conversation_id=None, client_msg_id=str(uuid.uuid4()), kind="text", body={"text": BUYER_TEXT}
        )
        sent = await buyer.request(f.MessageSend(id="", data=data), p.MessageData)
        conv_id = sent.message.conversation_id
        model = window.list_panel.model
        await self.wait_for(
            lambda: model.row_of(conv_id) is not None,
            "waiting for the buyer's conversation in the window's conversation list",
        )
        pane = window.open_conversation(conv_id)

        def shown() -> bool:
            chat = pane.model
            return any(chat.index(r, 0).data(ChatRole.TEXT) == BUYER_TEXT for r in range(chat.rowCount()))

        await self.wait_for(shown, "waiting for the buyer's message in the chat")
        self.ok("buyer message", "shown in the conversation list and the chat")
        return str(conv_id), buyer

    async def _reply(self, window: Any, conv_id: str, buyer: Any) -> None:
        pane = window.current_pane()
        if pane is None or pane.conversation_id != conv_id:
            raise StepFailed("the buyer's conversation is not the one open in the window")
        self.step = "sending the reply from the conversation pane"
        pane.send_text(AGENT_TEXT)
        self.step = "waiting for the buyer to receive the reply"
        while True:
            event = await buyer.events.get()
            if (
                isinstance(event, f.MessageCreated)
                and event.data.message.sender.role == "agent"
                and event.data.message.body.get("text") == AGENT_TEXT
            ):
                break
        self.ok("agent reply", "sent from the conversation pane and received by the buyer")

    async def close(self) -> None:
        for cleanup in reversed(self.cleanups):
            try:
                async with asyncio.timeout(5):
                    result = cleanup()
                    if inspect.isawaitable(result):
                        await result
            except Exception as exc:  # closing goes on: one stuck part must not hide the others
                self.report(CheckResult("close", False, f"{cleanup!r}: {type(exc).__name__}: {exc}"))


AGENT = "agent3"  # a demo login that no auto agent uses


def run_live(timeout_s: float, report: Callable[[CheckResult], None]) -> None:
    """The live workbench check in a temporary SHOPDESK_HOME on the offscreen platform."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # also where a display exists: the check shows nothing
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # never the user's keyring
    home = Path(tempfile.mkdtemp(prefix="shopdesk-selftest-"))
    os.environ[paths.HOME_ENV] = str(home)
    from desktop.logs import setup_logging

    log_file = setup_logging("INFO", console=False, log_dir=paths.log_dir())
    failed = False

    def tally(result: CheckResult) -> None:
        nonlocal failed
        failed = failed or not result.ok
        report(result)

    try:
        import qasync

        from desktop.ui import qtlog
        from desktop.ui.app import make_application

        app = make_application(["shopdesk"])
        app.setQuitOnLastWindowClosed(False)  # closing the window must not stop the loop before clean-up
        previous = qtlog.install()  # Qt's messages go to the temporary log, not the terminal
        live = LiveCheck(home, tally)

        async def main() -> None:
            try:
                async with asyncio.timeout(timeout_s):
                    await live.run()
            except TimeoutError:
                tally(CheckResult("live workbench", False, f"timed out after {timeout_s:g} s ({live.step})"))
            except Exception as exc:
                message = str(exc) if isinstance(exc, StepFailed) else f"{type(exc).__name__}: {exc}"
                tally(CheckResult("live workbench", False, f"{live.step}: {message}"))
            finally:
                await live.close()

        with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
            runner.run(main())
        app.processEvents()
        qtlog.restore(previous)
    except Exception as exc:
        tally(
            CheckResult("live workbench", False, f"could not start the window: {type(exc).__name__}: {exc}")
        )
    finally:
        logging.shutdown()
        if failed:
            report(CheckResult("details", True, f"log and files kept in {home} (log: {log_file})"))
        else:
            shutil.rmtree(home, ignore_errors=True)


def main(*, offline: bool = False, timeout_s: float = 60.0) -> int:
    print(
        f"ShopDesk {__version__} · Python {platform.python_version()} · {sys.platform} · pid {os.getpid()}"
        + (" · frozen" if getattr(sys, "frozen", False) else ""),
        flush=True,
    )
    results: list[CheckResult] = []

    def report(result: CheckResult) -> None:
        results.append(result)
        print(f"  [{'ok' if result.ok else 'FAIL'}] {result.name}: {result.detail}", flush=True)

    for result in run_checks():
        report(result)
    if not offline:
        run_live(timeout_s, report)
    failed = sum(not r.ok for r in results)
    print("all checks passed" if not failed else f"{failed} check(s) failed", flush=True)
    return 1 if failed else 0
