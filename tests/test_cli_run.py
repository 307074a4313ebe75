"""`shopdesk` with no command opens the workbench, and says plainly when there is no display for it."""

from __future__ import annotations

import os
import subprocess
import sys


def test_without_a_display_it_explains_instead_of_crashing() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    for argv in ([], ["run"]):
        done = subprocess.run(
            [sys.executable, "-m", "desktop", *argv], env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 2, done.stderr
        assert "no display" in done.stderr
        assert "Traceback" not in done.stderr
