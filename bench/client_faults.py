"""Hundreds of seeded fault runs of the agent client against the real backend: nothing lost, nothing doubled.

Each run is the scenario of ``tests/integration/test_client_faults.py``, from
``tests/integration/fault_scenario.py``: a fresh agent client behind a fault-injecting proxy (connections
cut mid-frame either way, replies delayed past the 700 ms request time-out, the backend killed with -9 and
restarted on the same database), bursts of messages both ways, then healing. After each run: every
acknowledged buyer message is in the agent's cache exactly once, every agent message is on the server
exactly once, the outbox is empty (and no failed messages, no ERROR log). A violated invariant or an
exception fails that run; the bench goes on.

All runs share one backend process and one long-lived event loop: a ``qasync.QEventLoop`` on a
``QApplication`` (offscreen), as in the app, or a plain asyncio loop with ``--plain-loop``.

Run from the repository root::

    python -m bench.client_faults [--runs N] [--seed S] [--plain-loop] [--run-timeout T] [--workdir DIR]
                                  [--json-only]

A dot per passing run and a line per failing one go to stderr, then one JSON object to stdout and a table to
stderr (``--json-only``: only the JSON). The exit code is 1 when any run failed.
"""

from __future__ import annotations

import os

# Before anything imports keyring or Qt: never the real keyring, never a display.
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.memory_keyring.MemoryKeyring"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import asyncio
import contextlib
import json
import logging
import math
import platform
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TextIO

import keyring
from websockets.version import version as websockets_version

import desktop
from desktop.protocol import frames as f
from desktop.protocol import payloads as p
from desktop.server.peer import RequestError
from tests.integration.backend import BackendProcess
from tests.integration.fault_scenario import (
    FAULT_KINDS,
    NETWORK,
    REQUEST_TIMEOUT_MS,
    RunReport,
    abbreviate,
    run_fault_scenario,
)
from tests.integration.shop import admin, agent
from tests.memory_keyring import MemoryKeyring

DEFAULT_RUNS: Final = 200
DEFAULT_SEED: Final = 0
DEFAULT_RUN_TIMEOUT_S: Final = 120.0  # a run normally takes 1–3 s; its own waits give up after 30 s each
DOTS_PER_LINE: Final = 50

# The QApplication and every qasync loop, kept for the life of the process: Qt may still deliver a timer
# event to a closed loop's timer object, which must not have been freed by then (see tests/conftest.py).
_KEEP_ALIVE: list[Any] = []


@dataclass(frozen=True)
class Config:
    runs: int = DEFAULT_RUNS
    seed: int = DEFAULT_SEED
    plain_loop: bool = False
    run_timeout_s: float = DEFAULT_RUN_TIMEOUT_S
    workdir: Path | None = None  # kept (with the caches of failed runs) when given; else a temporary folder


@dataclass
class Outcome:
    """One run: what the scenario recorded, and why it failed (empty when it passed)."""

    report: RunReport
    problems: list[str] = field(default_factory=list)
    error: str = ""  # the exception that ended the run early, if any
    where: str = ""  # where it was raised (innermost frame)


class _LogTally(logging.Handler):
    """Counts records at WARNING and above by level, logger and message template; keeps ERRORs per run."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.counts: Counter[str] = Counter()
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.counts[f"{record.levelname} {record.name}: {record.msg}"] += 1
        if record.levelno >= logging.ERROR:
            try:
                text = record.getMessage()
            except Exception:  # a broken log call is still a record to report
                text = str(record.msg)
            if record.exc_info and record.exc_info[1] is not None:
                text += f" [{type(record.exc_info[1]).__name__}: {record.exc_info[1]}]"
            self.errors.append(f"{record.levelname} {record.name}: {text}")


@contextlib.contextmanager
def _tally_logs() -> Iterator[_LogTally]:
    tally = _LogTally()
    root = logging.getLogger()
    root.addHandler(tally)
    try:
        yield tally
    finally:
        root.removeHandler(tally)


@contextlib.contextmanager
def _env(name: str, value: str) -> Iterator[None]:
    old = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old


def _innermost(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return ""
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno} in {last.name}"


async def _close_conversations(url: str, conversation_ids: Sequence[str]) -> None:
    """Close a run's conversations so that agent1 (max 100 at a time) has room for hundreds of runs."""
    if not conversation_ids:
        return
    try:
        peer = await agent(url, "agent1")
    except (*NETWORK, RequestError):
        return
    try:
        for conv in conversation_ids:
            with contextlib.suppress(*NETWORK, RequestError):
                close = f.ConversationClose(id="", data=p.CloseData(conversation_id=conv))
                await peer.request(close, p.ConversationData)
    finally:
        await peer.close()


async def _one_run(backend: BackendProcess, data_dir: Path, seed: int, timeout_s: float) -> Outcome:
    outcome = Outcome(RunReport(seed))
    try:
        async with asyncio.timeout(timeout_s) as deadline:
            await run_fault_scenario(backend, data_dir, seed, report=outcome.report)
    except Exception as exc:
        report = outcome.report
        if isinstance(exc, TimeoutError) and deadline.expired():
            outcome.error = f"the run did not finish in {timeout_s:g} s"
        else:
            outcome.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        outcome.where = _innermost(exc)
        held, missing = report.outbox_at_stop, report.missing_at_stop
        detail = []
        if held:
            detail.append(f"the outbox still held {len(held)} message(s) {abbreviate(held)}")
        if missing:
            detail.append(f"{len(missing)} buyer message(s) not cached {abbreviate(missing)}")
        outcome.problems.append(
            f"{outcome.error} in phase {report.phase} ({outcome.where})" + "".join(f"; {d}" for d in detail)
        )
    else:
        outcome.problems.extend(outcome.report.violations())
    return outcome


def _backend_up(backend: BackendProcess) -> bool:
    return backend.proc is not None and backend.proc.poll() is None


async def run_bench(
    config: Config, workdir: Path, progress: Callable[[Outcome, int], None] | None = None
) -> dict[str, Any]:
    """Every run on the running loop against one backend; the report as a JSON-ready dict."""
    started = time.perf_counter()
    backend = BackendProcess(workdir / "shop.db", extra=["--rate", "100000"])  # no throttling
    outcomes: list[Outcome] = []
    traceback_seeds: list[int] = []  # runs during which the backend logged a traceback
    restarted_by_bench = 0
    aborted = ""
    with _tally_logs() as logs, _env("SHOPDESK_HOME", str(workdir / "home")):
        await asyncio.to_thread(backend.start)
        try:
            await asyncio.to_thread(admin, backend.db_path, "agent-max", "demo", "agent1", "100")
            _take_output(backend)
            for index in range(config.runs):
                seed = config.seed + index
                if not _backend_up(backend):  # a run that failed mid-restart may leave it down
                    try:
                        await asyncio.to_thread(backend.start)
                    except RuntimeError as exc:
                        aborted = f"before seed {seed}: the backend does not start again: {exc}"
                        break
                    restarted_by_bench += 1
                data_dir = workdir / f"run-{seed}"
                data_dir.mkdir(parents=True, exist_ok=True)
                errors_before = len(logs.errors)
                outcome = await _one_run(backend, data_dir, seed, config.run_timeout_s)
                outcome.problems += [f"log: {e}" for e in logs.errors[errors_before:]]
                outcomes.append(outcome)
                if _backend_up(backend):
                    await _close_conversations(backend.url, outcome.report.conversations)
                if any("Traceback" in line for line in _take_output(backend)):
                    traceback_seeds.append(seed)
                if not outcome.problems:
                    shutil.rmtree(data_dir, ignore_errors=True)
                if progress is not None:
                    progress(outcome, index)
        finally:
            await asyncio.to_thread(backend.stop)
    backend_info = {
        "kills": sum(o.report.faults.count("kill") for o in outcomes),
        "restarted_by_bench": restarted_by_bench,
        "traceback_seeds": traceback_seeds,
    }
    return _report(config, outcomes, logs, backend_info, aborted, time.perf_counter() - started)


def _take_output(backend: BackendProcess) -> list[str]:
    """The backend's output lines since the last call (it keeps only its last lines: take them each run)."""
    return [backend.output.popleft() for _ in range(len(backend.output))]


def _run_stats(seconds: Sequence[float]) -> dict[str, float | None]:
    if not seconds:
        return {"mean": None, "p50": None, "p90": None, "max": None}
    ordered = sorted(seconds)
    n = len(ordered)

    def rank(q: float) -> float:
        return round(ordered[max(0, math.ceil(q * n) - 1)], 2)

    return {
        "mean": round(sum(ordered) / n, 2),
        "p50": rank(0.5),
        "p90": rank(0.9),
        "max": round(ordered[-1], 2),
    }


def _report(
    config: Config,
    outcomes: Sequence[Outcome],
    logs: _LogTally,
    backend: dict[str, Any],
    aborted: str,
    elapsed_s: float,
) -> dict[str, Any]:
    faults = Counter(kind for o in outcomes for kind in o.report.faults)
    failures = [
        {
            "seed": o.report.seed,
            "reason": "; ".join(o.problems),
            "phase": o.report.phase,
            "faults": o.report.faults,
            "cuts": o.report.cuts,
            "reconnects": o.report.reconnects,
            "agent_messages": len(o.report.sent),
            "buyer_messages": len(o.report.buyer_ids),
            "duration_s": round(o.report.duration_s, 2),
        }
        for o in outcomes
        if o.problems
    ]
    report: dict[str, Any] = {
        "benchmark": "client_faults",
        "runs": len(outcomes),
        "seeds": [config.seed, config.seed + len(outcomes) - 1] if outcomes else [],
        "loop": "asyncio" if config.plain_loop else "qasync",
        "passed": len(outcomes) - len(failures),
        "failed": len(failures),
        "failures": failures,
        "aborted": aborted or None,
        "faults": {kind: faults[kind] for kind in FAULT_KINDS},
        "fault_rounds": sum(faults.values()),
        "cuts_fired": sum(o.report.cuts for o in outcomes),
        "reconnects": sum(o.report.reconnects for o in outcomes),
        "runs_with_reconnect": sum(o.report.reconnects > 0 for o in outcomes),
        "messages": {
            "buyer_to_agent": sum(len(o.report.buyer_ids) for o in outcomes),
            "agent_to_buyer": sum(len(o.report.sent) for o in outcomes),
        },
        "run_s": _run_stats([o.report.duration_s for o in outcomes]),
        "log_records": dict(logs.counts.most_common()),
        "backend": backend,
        "request_timeout_ms": REQUEST_TIMEOUT_MS,
        "run_timeout_s": config.run_timeout_s,
        "duration_s": round(elapsed_s, 1),
        "python": platform.python_version(),
        "websockets": websockets_version,
        "shopdesk": desktop.__version__,
        "cpus": os.cpu_count(),
    }
    return report


# --- the loop -------------------------------------------------------------------------------------------


def _qasync_loop() -> asyncio.AbstractEventLoop:
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["shopdesk-bench"])
    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(app)
    _KEEP_ALIVE.extend((app, loop))
    return loop


def run_on_loop(
    config: Config, workdir: Path, progress: Callable[[Outcome, int], None] | None
) -> dict[str, Any]:
    """``run_bench`` on one event loop for the whole bench: qasync (as the app) or plain asyncio."""
    with asyncio.Runner(loop_factory=None if config.plain_loop else _qasync_loop) as runner:
        return runner.run(run_bench(config, workdir, progress))


# --- output ---------------------------------------------------------------------------------------------


def progress_printer(total: int, out: TextIO) -> Callable[[Outcome, int], None]:
    """A dot per passing run, a line per failing one, and the count every ``DOTS_PER_LINE`` runs."""

    def show(outcome: Outcome, index: int) -> None:
        if outcome.problems:
            report = outcome.report
            out.write(
                f"\nseed {report.seed} FAILED (faults {report.faults}, {report.cuts} cut(s), "
                f"{report.reconnects} reconnect(s)): {'; '.join(outcome.problems)}\n"
            )
        else:
            out.write(".")
        if (index + 1) % DOTS_PER_LINE == 0 or index + 1 == total:
            out.write(f"  {index + 1}/{total}\n")
        out.flush()

    return show


def format_table(report: dict[str, Any]) -> str:
    """The report for people."""
    runs, seeds, stats = report["runs"], report["seeds"], report["run_s"]
    seed_range = f"seeds {seeds[0]}–{seeds[1]}" if seeds else "no seeds"
    lines = [
        f"agent client under faults: {runs} runs ({seed_range}) on one {report['loop']} loop, one backend, "
        f"{report['duration_s']:g} s",
        f"  per run: mean {stats['mean']} s, p50 {stats['p50']}, p90 {stats['p90']}, max {stats['max']}",
        f"  {'fault (one per round)':<28}{'rounds':>8}",
    ]
    for kind, n in report["faults"].items():
        lines.append(f"  {kind:<28}{n:>8,}")
    backend = report["backend"]
    lines += [
        f"  {'all rounds':<28}{report['fault_rounds']:>8,}",
        f"cuts that fired {report['cuts_fired']:,}; reconnects {report['reconnects']:,} "
        f"(in {report['runs_with_reconnect']} runs); backend killed {backend['kills']} times "
        f"(restarted by the bench {backend['restarted_by_bench']}, runs with a traceback in its log "
        f"{len(backend['traceback_seeds'])})",
        f"messages: buyer -> agent {report['messages']['buyer_to_agent']:,}, "
        f"agent -> buyer {report['messages']['agent_to_buyer']:,}",
    ]
    if report["log_records"]:
        lines.append("log records at WARNING and above:")
        lines += [f"  {n:>6,}  {key[:140]}" for key, n in report["log_records"].items()]
    if report["aborted"]:
        lines.append(f"ABORTED {report['aborted']}")
    lines.append(f"passed {report['passed']}/{runs}, failed {report['failed']}")
    for failure in report["failures"]:
        lines.append(f"  seed {failure['seed']}: faults {failure['faults']}: {failure['reason'][:400]}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=DEFAULT_RUNS, help="how many runs")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the first run's seed (then +1 each)")
    parser.add_argument("--plain-loop", action="store_true", help="a plain asyncio loop instead of qasync")
    parser.add_argument(
        "--run-timeout", type=float, default=DEFAULT_RUN_TIMEOUT_S, help="seconds before a run counts as hung"
    )
    parser.add_argument("--workdir", type=Path, help="keep the database and failed runs' caches here")
    parser.add_argument("--json-only", action="store_true", help="nothing on stderr, only the JSON on stdout")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.run_timeout <= 0:
        parser.error("--runs must be at least 1 and --run-timeout positive")
    config = Config(args.runs, args.seed, args.plain_loop, args.run_timeout, args.workdir)
    if not isinstance(keyring.get_keyring(), MemoryKeyring):  # never the user's real keyring
        keyring.set_keyring(MemoryKeyring())
    progress = None if args.json_only else progress_printer(config.runs, sys.stderr)
    if config.workdir is not None:
        config.workdir.mkdir(parents=True, exist_ok=True)
        report = run_on_loop(config, config.workdir, progress)
        report["workdir"] = str(config.workdir)
    else:
        with tempfile.TemporaryDirectory(prefix="shopdesk-faults-") as tmp:
            report = run_on_loop(config, Path(tmp), progress)
    print(json.dumps(report, ensure_ascii=False))
    if not args.json_only:
        print(format_table(report), file=sys.stderr)
    return 1 if report["failed"] or report["aborted"] else 0


if __name__ == "__main__":
    sys.exit(main())
