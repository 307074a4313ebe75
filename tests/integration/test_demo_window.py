"""``shopdesk demo`` opens the agent window logged in (offscreen here) and stops everything on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.gui]


def test_demo_opens_the_window_as_agent3_and_stops_cleanly(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "SHOPDESK_HOME": str(tmp_path / "home")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop", "demo", "--port", "0", "--buyers", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        env=env,
    )
    lines: list[str] = []
    online = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "agent window online as agent3" in line:
                online.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert online.wait(90), "".join(lines)
        url = next(m.group(1) for line in lines if (m := re.search(r"listening on ws://([\d.:]+)", line)))
        host, port = url.rsplit(":", 1)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(30) == 0, "".join(lines)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    reader.join(5)
    assert proc.stdout is not None
    proc.stdout.close()
    output = "".join(lines)
    assert "Traceback" not in output, output
    assert "demo stopped:" in output  # the backend child stopped cleanly too
    deadline = time.monotonic() + 10
    while True:  # nothing listens on the demo's port any more
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
        except OSError:
            break
        assert time.monotonic() < deadline, "the demo backend is still listening"
        time.sleep(0.2)
