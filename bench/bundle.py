"""The Linux bundle against the source: sizes, and the start of the window frozen next to from source.

Run after ``python build/build_linux.py`` (it needs ``dist/shopdesk/``)::

    python -m bench.bundle [--runs 5]

What is measured. Sizes: the one-folder bundle (every file in ``dist/shopdesk/``, bytes), the ``.tar.gz``
and the ``.deb`` built from it. Start: ``shopdesk self-test`` is started ``--runs`` times frozen
(``dist/shopdesk/shopdesk self-test``) and as many times from source (``python -m desktop self-test``),
alternately, in the same run; this process takes the time from just before starting the process to the
moment its ``[ok] window:`` line arrives (the real MainWindow shown, offscreen, after the interpreter start,
the imports, the in-process backend start and the agent's login, identical steps on both sides). The
median of each side is reported, and the ratio frozen / source (goal: at most 1.2). Each run must pass
every check. JSON on stdout, a table on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "shopdesk"
WINDOW_LINE = "[ok] window:"
GOAL_BUNDLE_BYTES = 150_000_000
GOAL_RATIO = 1.2


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def window_seconds(command: list[str]) -> float:
    """Seconds from starting ``command`` (a self-test) to its window line; the self-test must pass."""
    env = {k: v for k, v in os.environ.items() if k not in ("SHOPDESK_HOME", "QT_QPA_PLATFORM")}
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True, encoding="utf-8")
    assert proc.stdout is not None
    shown: float | None = None
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if shown is None and line.strip().startswith(WINDOW_LINE):
            shown = time.perf_counter() - start
    if proc.wait(120) != 0 or shown is None:
        raise SystemExit(f"{' '.join(command)} failed:\n{''.join(lines)}")
    return shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="bundle sizes and frozen vs source window start")
    parser.add_argument("--runs", type=int, default=5, help="self-tests per side (default 5)")
    args = parser.parse_args(argv)
    program = BUNDLE / "shopdesk"
    if not program.is_file():
        print(f"no bundle at {BUNDLE}: run python build/build_linux.py first", file=sys.stderr)
        return 1
    frozen: list[float] = []
    source: list[float] = []
    for _ in range(args.runs):
        frozen.append(window_seconds([str(program), "self-test"]))
        source.append(window_seconds([sys.executable, "-m", "desktop", "self-test"]))
    packages = {
        "tar_gz_bytes": sorted(ROOT.glob("dist/shopdesk-*-linux-x86_64.tar.gz")),
        "deb_bytes": sorted(ROOT.glob("dist/shopdesk_*_amd64.deb")),
    }
    report: dict[str, object] = {
        "bundle_bytes": folder_bytes(BUNDLE),
        **{key: found[-1].stat().st_size if found else None for key, found in packages.items()},
        "runs": args.runs,
        "frozen_window_s": round(statistics.median(frozen), 3),
        "source_window_s": round(statistics.median(source), 3),
        "frozen_window_all_s": [round(t, 3) for t in frozen],
        "source_window_all_s": [round(t, 3) for t in source],
    }
    ratio = statistics.median(frozen) / statistics.median(source)
    report["frozen_over_source"] = round(ratio, 2)
    report["goals_met"] = {
        "bundle_le_150MB": int(str(report["bundle_bytes"])) <= GOAL_BUNDLE_BYTES,
        "frozen_le_1.2x_source": ratio <= GOAL_RATIO,
    }
    rows = [
        ("bundle (dist/shopdesk/)", f"{int(str(report['bundle_bytes'])) / 1e6:.1f} MB", "≤ 150 MB"),
        ("deb", f"{int(str(report['deb_bytes'] or 0)) / 1e6:.1f} MB", ""),
        ("tar.gz", f"{int(str(report['tar_gz_bytes'] or 0)) / 1e6:.1f} MB", ""),
        ("start → window, frozen", f"{report['frozen_window_s']:.3f} s", "median"),
        ("start → window, source", f"{report['source_window_s']:.3f} s", "median"),
        ("frozen / source", f"{ratio:.2f}", "≤ 1.2"),
    ]
    for name, value, note in rows:
        print(f"{name:<26}{value:>12}  {note}", file=sys.stderr)
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
