"""``shopdesk self-test`` from source: every check passes, the live steps really ran, nothing is left behind.

Run as the user would (``python -m desktop self-test`` in a fresh process), with ``SHOPDESK_HOME`` and
``TMPDIR`` in the test's folder, so the test can see what the self-test writes and what it leaves.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIVE_STEPS = ("reference backend", "window", "agent login", "buyer message", "agent reply")

pytestmark = [pytest.mark.slow]


def self_test(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    temp = tmp_path / "tmp"
    temp.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "SHOPDESK_HOME": str(tmp_path / "home"),
        "TMPDIR": str(temp),
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("QT_QPA_PLATFORM", None)  # the self-test chooses offscreen itself
    return subprocess.run(
        [sys.executable, "-m", "desktop", "self-test", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def check_lines(stdout: str) -> dict[str, str]:
    """``{name: "ok" | "FAIL"}`` from the ``  [ok] name: detail`` lines."""
    lines = {}
    for line in stdout.splitlines():
        status, _, rest = line.strip().partition("] ")
        if status in ("[ok", "[FAIL"):
            lines[rest.partition(":")[0]] = status[1:]
    return lines


def test_self_test_passes_every_check_and_leaves_nothing(tmp_path: Path) -> None:
    done = self_test(tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = check_lines(done.stdout)
    for name in ("protocol round trip", "session rules", "keyring", "config dir", *LIVE_STEPS):
        assert lines.get(name) == "ok", f"{name} missing or failed:\n{done.stdout}"
    assert "FAIL" not in lines.values()
    assert done.stdout.rstrip().endswith("all checks passed")
    assert "ws://127.0.0.1:" in done.stdout  # loopback only
    assert done.stderr == ""  # Qt's messages go to the self-test's own log
    assert list((tmp_path / "tmp").iterdir()) == []  # its temporary home was removed
    # the live part never wrote into SHOPDESK_HOME (the user's folders): no cache, settings or log there
    assert not list((tmp_path / "home" / "data").iterdir())
    assert not list((tmp_path / "home" / "config").iterdir())


def test_offline_runs_only_the_checks_without_a_window(tmp_path: Path) -> None:
    done = self_test(tmp_path, "--offline")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = check_lines(done.stdout)
    assert lines.get("session rules") == "ok"
    assert not set(LIVE_STEPS) & set(lines)


def test_a_step_that_cannot_finish_in_time_fails_with_one_clear_line(tmp_path: Path) -> None:
    done = self_test(tmp_path, "--timeout", "0.001")
    assert done.returncode == 1, done.stdout + done.stderr
    failures = [line.strip() for line in done.stdout.splitlines() if line.strip().startswith("[FAIL]")]
    assert len(failures) == 1, done.stdout
    assert failures[0].startswith("[FAIL] live workbench: timed out after 0.001 s (")
    assert "agent reply" not in check_lines(done.stdout)
    assert done.stdout.rstrip().endswith("1 check(s) failed")
    kept = list((tmp_path / "tmp").iterdir())  # kept for the person to look into, and named
    assert len(kept) == 1 and f"files kept in {kept[0]}" in done.stdout
    assert (kept[0] / "logs" / "shopdesk.log").is_file()
