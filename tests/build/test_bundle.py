"""The Linux bundle: ``build/build_linux.py`` builds it, its frozen self-test passes, the packages are made.

Takes about a minute and a half (PyInstaller ~20 s, the frozen self-test ~1 s, .tar.gz and .deb ~50 s), so
it is marked slow, and skipped where PyInstaller, dpkg-deb or objdump is missing (``pip install -e
".[build]"``; Debian: dpkg, binutils). It writes dist/ and build/work/ in the checkout, as the README's
"Build installers" command does.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_BUNDLE_BYTES = 150_000_000

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux build"),
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None,
        reason='PyInstaller is not installed (pip install -e ".[build]")',
    ),
    pytest.mark.skipif(
        shutil.which("dpkg-deb") is None or shutil.which("objdump") is None,
        reason="dpkg-deb and objdump are needed (Debian: dpkg, binutils)",
    ),
]


def test_build_linux_makes_a_bundle_that_passes_its_self_test_and_both_packages() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "build" / "build_linux.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-4000:]
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert "· frozen" in done.stdout and "all checks passed" in done.stdout
    assert summary["bundle_bytes"] <= MAX_BUNDLE_BYTES
    deb = ROOT / summary["deb"]
    fields = subprocess.run(
        ["dpkg-deb", "--field", str(deb), "Package", "Version", "Depends"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Package: shopdesk" in fields and "libxcb-cursor0" in fields
    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True).stdout
    for path in (
        "./opt/shopdesk/shopdesk",
        "./usr/bin/shopdesk",
        "./usr/share/applications/shopdesk.desktop",
        "./usr/share/icons/hicolor/scalable/apps/shopdesk.svg",
        "./opt/shopdesk/_internal/resources/translations/shopdesk_en.qm",
    ):
        assert path in listing, path
    with tarfile.open(ROOT / summary["tar_gz"]) as tar:
        names = set(tar.getnames())
    assert "shopdesk/shopdesk" in names
    assert not any("keyrings/alt" in name or name.endswith(".ts") for name in names)
