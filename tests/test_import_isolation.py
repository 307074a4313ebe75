"""Qt stays inside desktop/ui: importing any other layer must not load PySide6 (architecture.md).

Each check runs in a fresh interpreter, because this test process has Qt loaded already (pytest-qt).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

QT_FREE_MODULES = [
    "desktop.protocol",
    "desktop.store",
    "desktop.client",
    "desktop.core",
    "desktop.server",
    "desktop.paths",
    "desktop.logs",
]

QT_LOADED = 3  # the probe's exit status when a Qt module is in sys.modules after the import

# Imports the module named in argv[1], then reports any Qt binding module that came along with it.
PROBE = f"""
import importlib, sys
importlib.import_module(sys.argv[1])
loaded = sorted(name for name in sys.modules if name.partition(".")[0] in ("PySide6", "shiboken6"))
if loaded:
    print("Qt modules loaded:", ", ".join(loaded))
    sys.exit({QT_LOADED})
"""


def probe(module: str) -> subprocess.CompletedProcess[str]:
    # Run from the repo root so that "desktop" is the working tree's, installed or not.
    return subprocess.run(
        [sys.executable, "-c", PROBE, module],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("module", QT_FREE_MODULES)
def test_importing_does_not_load_qt(module: str) -> None:
    result = probe(module)
    assert result.returncode == 0, (
        f"import {module} (exit {result.returncode}):\n{result.stdout}{result.stderr}"
    )


@pytest.mark.parametrize("module", ["PySide6.QtCore", "qasync"])
def test_probe_detects_qt(module: str) -> None:
    """Positive control: the same probe catches a module that does load Qt, so the test above can fail."""
    result = probe(module)
    assert result.returncode == QT_LOADED, result.stdout + result.stderr
    assert "PySide6.QtCore" in result.stdout
    assert "shiboken6" in result.stdout
