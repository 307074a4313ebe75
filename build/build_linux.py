"""Build ShopDesk for Linux in one command: the one-folder bundle, its self-test, a .tar.gz and a .deb.

Usage, from the checkout (any working directory), with PyInstaller installed (``pip install -e ".[build]"``)::

    python build/build_linux.py                  # bundle + frozen self-test + .tar.gz + .deb
    python build/build_linux.py --install-check  # then (root): dpkg -i, /usr/bin/shopdesk self-test, dpkg -r
    python build/build_linux.py --skip-pyinstaller   # package the dist/shopdesk/ built before

What it makes (``<v>`` is ``desktop.__version__``):

- ``dist/shopdesk/``: the PyInstaller one-folder bundle (``build/shopdesk.spec``; work files in build/work/);
- ``dist/shopdesk-<v>-linux-x86_64.tar.gz``: that folder, to unpack anywhere and run ``shopdesk/shopdesk``;
- ``dist/shopdesk_<v>_amd64.deb``: the folder in ``/opt/shopdesk/``, the ``/usr/bin/shopdesk`` launcher, the
  desktop entry and the icon, depending on the Debian 12 packages of the system libraries Qt loads that the
  bundle does not carry (:data:`DEPENDS`).

The frozen ``shopdesk self-test`` (window offscreen, backend on loopback, a buyer answered) must pass, or no
package is made. Before packaging, every ELF file in the bundle is read (``objdump -p``): a system library it
links that no package in :data:`DEPENDS` provides stops the build. The last line on stdout is a JSON summary
(sizes in bytes, seconds). Exit status: 0 done; 1 a step failed (its message on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build" / "shopdesk.spec"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "work"
BUNDLE = DIST / "shopdesk"
ICON = ROOT / "resources" / "icons" / "app.svg"
SELF_TEST_TIMEOUT_S = 120

# Debian 12 packages of the system libraries the bundled Qt links but PyInstaller leaves to the system
# (OpenGL/EGL, libxcb, Wayland) or that the xcb platform needs and Debian splits out; plus those the bundle
# carries a copy of but that belong to the desktop session (fontconfig's configuration, the D-Bus library).
LIBRARY_PACKAGES: dict[str, str] = {
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libxcb.so.1": "libxcb1",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libfontconfig.so.1": "libfontconfig1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
BASE_LIBRARIES = ("libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so", "libresolv.so", "ld-linux")
DEPENDS = ["libc6 (>= 2.28)", *sorted(set(LIBRARY_PACKAGES.values()))]
RECOMMENDS = "fonts-wqy-microhei | fonts-noto-cjk"  # Chinese text shows as boxes without a CJK font

DESKTOP_ENTRY = """[Desktop Entry]
Type=Application
Name=ShopDesk
Name[zh_CN]=ShopDesk 客服工作台
GenericName=Customer service workbench
GenericName[zh_CN]=电商客服工作台
Comment=Answer your shop's buyers
Comment[zh_CN]=接待店铺买家的客服工作台
Exec=shopdesk
Icon=shopdesk
Terminal=false
Categories=Office;Network;Chat;
StartupWMClass=shopdesk
"""
LAUNCHER = '#!/bin/sh\nexec /opt/shopdesk/shopdesk "$@"\n'


class BuildError(Exception):
    """A step failed; the message says which and why."""


def version() -> str:
    text = (ROOT / "desktop" / "__init__.py").read_text("utf-8")
    match = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if match is None:
        raise BuildError("no __version__ in desktop/__init__.py")
    return match.group(1)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def run_pyinstaller() -> float:
    start = time.monotonic()
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean"]
    command += ["--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)]
    print("+ " + " ".join(command), flush=True)
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise BuildError("PyInstaller failed (see its output above)")
    return time.monotonic() - start


def self_test(program: Path | str, what: str) -> float:
    """Run ``program self-test``; its lines go to this terminal. Returns the seconds it took."""
    env = {k: v for k, v in os.environ.items() if k != "SHOPDESK_HOME"}
    start = time.monotonic()
    print(f"+ {program} self-test", flush=True)
    try:
        done = subprocess.run([str(program), "self-test"], env=env, timeout=SELF_TEST_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired:
        raise BuildError(f"the {what} self-test did not finish in {SELF_TEST_TIMEOUT_S} s") from None
    if done.returncode != 0:
        raise BuildError(f"the {what} self-test failed (exit {done.returncode}, see its lines above)")
    return time.monotonic() - start


def system_libraries(bundle: Path) -> list[str]:
    """The libraries the bundle's ELF files link directly (``NEEDED``, read with objdump, which PyInstaller
    itself requires on Linux) that the bundle does not carry: they must come from the system."""
    inside = {path.name for path in bundle.rglob("*.so*")}
    needed: set[str] = set()
    for path in sorted(bundle.rglob("*")):
        if not path.is_file() or path.is_symlink() or path.read_bytes()[:4] != b"\x7fELF":
            continue
        out = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True, check=False).stdout
        needed |= {line.split()[1] for line in out.splitlines() if line.strip().startswith("NEEDED")}
    return sorted(name for name in needed - inside if not name.startswith(BASE_LIBRARIES))


def check_dependencies(bundle: Path) -> list[str]:
    """The system libraries the bundle needs (all provided by DEPENDS), or BuildError naming the others."""
    if shutil.which("objdump") is None:
        raise BuildError(
            "objdump is not installed (Debian: apt-get install binutils; PyInstaller needs it too)"
        )
    needed = system_libraries(bundle)
    uncovered = [name for name in needed if name not in LIBRARY_PACKAGES]
    if uncovered:
        raise BuildError(
            "the bundle links system libraries no Depends package provides: " + ", ".join(uncovered)
        )
    known = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    missing = [name for name in needed if f"{name} " not in known]
    if missing:
        print(f"note: not installed on this machine (the .deb depends on them): {', '.join(missing)}")
    return needed


def make_tarball(version_: str) -> Path:
    target = DIST / f"shopdesk-{version_}-linux-x86_64.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(BUNDLE, arcname="shopdesk")
    return target


def make_deb(version_: str) -> Path:
    if shutil.which("dpkg-deb") is None:
        raise BuildError("dpkg-deb is not installed (Debian/Ubuntu: it comes with dpkg)")
    root = WORK / "deb"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(BUNDLE, root / "opt" / "shopdesk", symlinks=True)
    launcher = root / "usr" / "bin" / "shopdesk"
    launcher.parent.mkdir(parents=True)
    launcher.write_text(LAUNCHER, encoding="utf-8")
    launcher.chmod(0o755)
    entry = root / "usr" / "share" / "applications" / "shopdesk.desktop"
    entry.parent.mkdir(parents=True)
    entry.write_text(DESKTOP_ENTRY, encoding="utf-8")
    icon = root / "usr" / "share" / "icons" / "hicolor" / "scalable" / "apps" / "shopdesk.svg"
    icon.parent.mkdir(parents=True)
    shutil.copyfile(ICON, icon)
    control = root / "DEBIAN" / "control"
    control.parent.mkdir(parents=True)
    control.write_text(
        f"Package: shopdesk\nVersion: {version_}\nArchitecture: amd64\nSection: net\nPriority: optional\n"
        f"Maintainer: ShopDesk maintainers <shopdesk@localhost>\n"
        f"Installed-Size: {folder_bytes(root) // 1024}\n"
        f"Depends: {', '.join(DEPENDS)}\nRecommends: {RECOMMENDS}\n"
        "Description: ShopDesk, the desktop workbench for e-commerce customer service\n"
        " Agents answer their shop's buyers (shopdesk.v1): conversation list, chat, quick replies,\n"
        " customer and order panels. Also the reference store backend (shopdesk serve) and a demo.\n",
        encoding="utf-8",
    )
    for folder in [root, *root.rglob("*")]:
        if folder.is_dir():
            folder.chmod(0o755)
    target = DIST / f"shopdesk_{version_}_amd64.deb"
    command = ["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(target)]
    print("+ " + " ".join(command), flush=True)
    if subprocess.run(command, check=False).returncode != 0:
        raise BuildError("dpkg-deb failed")
    return target


def install_check(deb: Path) -> float:
    """Install the .deb, run the installed launcher's self-test, remove the package (root only)."""
    if os.geteuid() != 0:
        raise BuildError("--install-check installs the .deb with dpkg: run it as root")
    print(f"+ dpkg -i {deb}", flush=True)
    if subprocess.run(["dpkg", "-i", str(deb)], check=False).returncode != 0:
        subprocess.run(["dpkg", "-r", "shopdesk"], check=False)
        raise BuildError(f"dpkg -i failed: install the Depends first ({', '.join(DEPENDS)})")
    try:
        return self_test("/usr/bin/shopdesk", "installed")
    finally:
        print("+ dpkg -r shopdesk", flush=True)
        subprocess.run(["dpkg", "-r", "shopdesk"], check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--skip-pyinstaller", action="store_true", help="package the dist/shopdesk/ there is")
    parser.add_argument(
        "--install-check", action="store_true", help="then dpkg -i, self-test, dpkg -r (root)"
    )
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        print("build_linux.py builds on Linux; see build/windows and build/macos", file=sys.stderr)
        return 1
    summary: dict[str, object] = {"version": version()}
    try:
        if not args.skip_pyinstaller:
            summary["pyinstaller_s"] = round(run_pyinstaller(), 1)
        if not (BUNDLE / "shopdesk").is_file():
            raise BuildError(f"no bundle at {BUNDLE}: run without --skip-pyinstaller")
        summary["frozen_self_test_s"] = round(self_test(BUNDLE / "shopdesk", "frozen"), 2)
        summary["system_libraries"] = check_dependencies(BUNDLE)
        start = time.monotonic()
        tarball = make_tarball(str(summary["version"]))
        deb = make_deb(str(summary["version"]))
        summary["package_s"] = round(time.monotonic() - start, 1)
        summary |= {
            "bundle_bytes": folder_bytes(BUNDLE),
            "tar_gz": str(tarball.relative_to(ROOT)),
            "tar_gz_bytes": tarball.stat().st_size,
            "deb": str(deb.relative_to(ROOT)),
            "deb_bytes": deb.stat().st_size,
        }
        if args.install_check:
            summary["installed_self_test_s"] = round(install_check(deb), 2)
    except BuildError as exc:
        print(f"build_linux.py: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(summary, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
