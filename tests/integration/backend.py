"""Start the real reference backend as a separate process on a free loopback port."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

_LISTENING = re.compile(r"listening on (wss?://\S+)")


class BackendProcess:
    """``python -m desktop serve`` on a database file; restartable on the same file (and the same port)."""

    def __init__(
        self,
        db_path: Path,
        *,
        seed: bool = True,
        extra: Sequence[str] = (),
        home: Path | None = None,
        python_args: Sequence[str] = (),
    ):
        self.db_path = db_path
        self.seed = seed
        self.extra = list(extra)
        self.python_args = list(python_args)  # e.g. ["-m", "cProfile", "-o", FILE] (bench/backend.py)
        self.home = home or db_path.parent / "backend-home"
        self.proc: subprocess.Popen[str] | None = None
        self.url = ""
        self.port = 0
        self.output: deque[str] = deque(maxlen=2000)  # the last lines: enough to explain a failure
        self._pump: threading.Thread | None = None

    def start(self, timeout: float = 20.0, *, plain: bool = True) -> str:
        args = [
            sys.executable,
            *self.python_args,
            "-m",
            "desktop",
            "serve",
            "--db",
            str(self.db_path),
            "--port",
            str(self.port),
            *(["--plain"] if plain else []),
            *self.extra,
        ]
        if self.seed:
            args += ["--seed", "demo"]
        env = {**os.environ, "SHOPDESK_HOME": str(self.home), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
        found = threading.Event()

        stdout = self.proc.stdout
        assert stdout is not None

        def pump() -> None:
            with stdout:
                for line in stdout:
                    self.output.append(line)
                    match = _LISTENING.search(line)
                    if match and not found.is_set():
                        self.url = match.group(1)
                        self.port = int(self.url.rsplit(":", 1)[1])
                        found.set()

        self._pump = threading.Thread(target=pump, daemon=True)
        self._pump.start()
        if not found.wait(timeout):
            self.stop()
            raise RuntimeError("backend did not start:\n" + "".join(self.output))
        return self.url

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def kill(self) -> None:
        """kill -9: no shutdown code runs."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
        self._join_pump()

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM (a clean shutdown, which also writes a cProfile file), SIGKILL if it hangs."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._join_pump()
        return self.proc.returncode

    def _join_pump(self) -> None:
        if self._pump is not None:
            self._pump.join(10)
            self._pump = None

    def log_text(self) -> str:
        return "".join(self.output)


def tls_backend(folder: Path) -> tuple[Any, BackendProcess]:
    """A backend (not started) serving wss:// with a certificate for 127.0.0.1 from a throw-away CA.

    Returns the ``trustme.CA`` (``ca.configure_trust(context)`` to trust it) and the process.
    """
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert.private_key_pem.write_to_path(str(key_file))
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    return ca, BackendProcess(folder / "tls.db", extra=["--cert", str(cert_file), "--key", str(key_file)])
