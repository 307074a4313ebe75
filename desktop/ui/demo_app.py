"""``shopdesk demo`` with a window: the demo backend and buyers in a child process, the agent app in this one.

The backend, the simulated buyers and the auto agents run as ``shopdesk demo --headless --port 0`` in their
own process, so their work never competes with the window's event loop; this process reads the URL from the
child's banner, logs the agent in (``agent3`` by default: agent1 and agent2 are the auto agents) and opens the
workbench. The agent's cache lives in a temporary folder unless ``--db`` keeps the shop: every demo starts
clean. Closing the window stops the child (SIGTERM, then kill after 10 s).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.client.status import LinkState, LinkStatus
from desktop.server.demo_seed import DEMO_PASSWORD, DEMO_SHOP_ID

if TYPE_CHECKING:
    from desktop.ui.main_window import MainWindow

LISTENING = re.compile(r"listening on (ws://\S+)")
START_TIMEOUT_S = 60


def has_display() -> bool:
    """Whether a window can be shown here (a platform plugin was chosen, or a display server is there)."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _shopdesk_command() -> list[str]:
    if getattr(sys, "frozen", False):  # the PyInstaller bundle is the shopdesk command itself
        return [sys.executable]
    return [sys.executable, "-m", "desktop"]


def start_backend(args: Sequence[str]) -> tuple[subprocess.Popen[str], str]:
    """Start ``shopdesk demo --headless`` with ``args``; returns the process and its ws:// URL."""
    proc = subprocess.Popen(
        [*_shopdesk_command(), "demo", "--headless", *args],
        stdout=subprocess.PIPE,
        stderr=None,  # the child's log lines go to this terminal
        text=True,
        encoding="utf-8",
    )
    assert proc.stdout is not None
    found: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            print(line, end="", flush=True)
            match = LISTENING.search(line)
            if match and not found:
                found.append(match.group(1))
                ready.set()
        ready.set()

    ready = threading.Event()
    threading.Thread(target=read, name="demo-backend-output", daemon=True).start()
    ready.wait(START_TIMEOUT_S)
    if not found:
        stop_backend(proc)
        raise RuntimeError("the demo backend did not start (see the lines above)")
    return proc, found[0]


def stop_backend(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _announce(window: MainWindow) -> None:
    """Say on the terminal when the window is up and when it is connected (scripts and tests wait for it)."""
    print(f"agent window open: {window.workbench.me_name}", flush=True)

    def online(status: LinkStatus) -> None:
        if status.state is LinkState.ONLINE:
            print(f"agent window online as {window.workbench.client.account.username}", flush=True)

    window.workbench.status_changed.connect(online)


def run_demo_window(backend_args: Sequence[str], agent: str, *, keep_cache: Path | None = None) -> int:
    """The demo with the agent window; returns the exit code."""
    from desktop.ui.app import AppOptions, AutoLogin, run_app

    try:
        proc, url = start_backend(backend_args)
    except RuntimeError as exc:
        print(f"shopdesk demo: {exc}", file=sys.stderr)
        return 1
    cache = keep_cache or Path(tempfile.mkdtemp(prefix="shopdesk-demo-agent-"))
    print(f"opening the agent window as {agent} (password {DEMO_PASSWORD})", flush=True)
    try:
        login = AutoLogin(url=url, shop=DEMO_SHOP_ID, username=agent, password=DEMO_PASSWORD)
        return run_app(AppOptions(auto_login=login, data_root=cache, on_window=_announce))
    finally:
        stop_backend(proc)
        if keep_cache is None:
            shutil.rmtree(cache, ignore_errors=True)
