"""``shopdesk demo``: the reference backend, simulated buyers and auto agents in one process, on loopback.

The backend is the same as ``shopdesk serve --plain --seed demo`` (``db.connect`` + the demo seed +
:class:`~desktop.server.service.Backend` + :class:`~desktop.server.app.ShopServer`), listening on 127.0.0.1
only. Its database lives in a fresh temporary folder that is deleted when the demo stops, so every demo
starts with an empty queue and leaves nothing behind; ``--db PATH`` uses (and keeps) that file instead, and
seeds it only when it has no demo shop yet. By default two auto agents (``agent1``, ``agent2``) answer
buyers, so the demo is lively on its own; the other demo logins are free for a person to connect with, and
``--auto-agents 0`` leaves every buyer to people. Ctrl+C or SIGTERM stops the buyers, the auto agents and
the server cleanly (exit code 0).
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from desktop.server.app import ServerConfig, ShopServer, server_info
from desktop.server.auto_agent import DEMO_AGENT_USERNAMES, run_auto_agents
from desktop.server.demo_seed import AGENTS, DEMO_PASSWORD, DEMO_SHOP_ID, DEMO_SHOP_NAME
from desktop.server.peer_tools import stop_on_signals
from desktop.server.run import ServeOptions, open_backend
from desktop.server.simulator import SimulatorStats, simulate

log = logging.getLogger(__name__)

HOST = "127.0.0.1"


@dataclass(frozen=True)
class DemoOptions:
    port: int = 8765
    buyers: int = 20
    rate: float = 0.3
    seed: int = 0
    db_path: Path | None = None  # None: a temporary database, deleted when the demo stops
    auto_agents: int = 2


async def run_demo(options: DemoOptions, stop: asyncio.Event) -> SimulatorStats | None:
    """Serve the demo shop and simulate buyers until ``stop`` is set; None when the server cannot start."""
    if not 0 <= options.auto_agents <= len(DEMO_AGENT_USERNAMES):
        raise ValueError(f"--auto-agents must be between 0 and {len(DEMO_AGENT_USERNAMES)}")
    temp_dir: Path | None = None
    if options.db_path is not None:
        db_path = options.db_path
    else:
        temp_dir = Path(tempfile.mkdtemp(prefix="shopdesk-demo-"))
        db_path = temp_dir / "demo.db"
    try:
        backend = open_backend(ServeOptions(db_path=db_path, host=HOST, port=options.port, seed="demo"))
        server = ShopServer(backend, ServerConfig(host=HOST, port=options.port))
        try:
            await server.start()
        except OSError as exc:
            print(
                f"shopdesk demo: cannot listen on {HOST}:{options.port} ({exc}); try --port 0",
                file=sys.stderr,
            )
            backend.conn.close()
            return None
        try:
            url = f"ws://{HOST}:{server.port}"
            _print_banner(options, url, db_path, temporary=temp_dir is not None)
            return await _buyers_and_agents(options, url, stop)
        finally:
            await server.close()
            backend.conn.close()
    finally:
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)


async def _buyers_and_agents(options: DemoOptions, url: str, stop: asyncio.Event) -> SimulatorStats:
    agents = asyncio.create_task(run_auto_agents(url, options.auto_agents, stop))
    try:
        return await simulate(
            url, buyers=options.buyers, rate=options.rate, seed=options.seed, shop=DEMO_SHOP_ID, stop=stop
        )
    finally:
        stop.set()
        await asyncio.gather(agents, return_exceptions=True)


def _print_banner(options: DemoOptions, url: str, db_path: Path, *, temporary: bool) -> None:
    auto = set(DEMO_AGENT_USERNAMES[: options.auto_agents])
    where = "temporary: deleted when the demo stops" if temporary else "kept"
    lines = [
        f"ShopDesk demo listening on {url}  shop: {DEMO_SHOP_ID} ({DEMO_SHOP_NAME}), {server_info()}",
        f"database: {db_path} ({where})",
        f"agent logins (password {DEMO_PASSWORD}):",
        *(
            f"  {agent.username}  {agent.name}"
            + ("  (answered by an auto agent)" if agent.username in auto else "")
            for agent in AGENTS
        ),
        f"simulated buyers: {options.buyers}, {options.rate:g} new conversations/s, seed {options.seed}",
        "Ctrl+C stops the demo",
    ]
    print("\n".join(lines), flush=True)


def main(options: DemoOptions) -> int:
    logging.getLogger("websockets").setLevel(logging.WARNING)
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        logging.getLogger("desktop.server.app").setLevel(logging.WARNING)  # a line per buyer connection

    async def run() -> SimulatorStats | None:
        stop = asyncio.Event()
        with stop_on_signals(stop):
            return await run_demo(options, stop)

    stats = asyncio.run(run())
    if stats is None:
        return 1
    print(f"demo stopped: {stats.summary()}", file=sys.stderr, flush=True)
    print(stats.to_json(), flush=True)
    return 0
